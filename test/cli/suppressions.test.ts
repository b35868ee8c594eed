/**
 * Suppressions end to end, on the built CLI: `// cohere-migrate-ignore` (with or without a reason)
 * on the line before a call, and `// cohere-migrate-ignore-file` at the top of a file, are
 * honoured by check and by migrate; check says how many findings were suppressed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { removeTemp, runCli, spanOf, tempDir, writeTree } from "./helpers";

const HEAD = `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
`;

/** Each case: a file, the calls (by their text) check must still report, and how many are suppressed. */
interface Case {
  file: string;
  text: string;
  reported: string[];
  suppressed: number;
}

const CASES: Case[] = [
  {
    file: "directive-in-strings.ts",
    text: `${HEAD}const note = "// cohere-migrate-ignore";
export const a = co.generate({ prompt: "a" });
const tpl = \`/* cohere-migrate-ignore */\`;
export const b = co.generate({ prompt: "b" });
`,
    reported: [`co.generate({ prompt: "a" })`, `co.generate({ prompt: "b" })`],
    suppressed: 0,
  },
  {
    file: "directive-in-a-python-string.py",
    text: `import cohere\nco = cohere.Client("k")\nnote = "# cohere-migrate-ignore"\nco.generate(prompt="a")\n`,
    reported: [`co.generate(prompt="a")`],
    suppressed: 0,
  },
  {
    file: "line-with-reason.ts",
    text: `${HEAD}// cohere-migrate-ignore: the legacy output is compared on purpose
export const kept = co.generate({ prompt: "kept" });
export const moved = co.generate({ prompt: "moved" });
`,
    reported: [`co.generate({ prompt: "moved" })`],
    suppressed: 1,
  },
  {
    file: "line-bare.ts",
    text: `${HEAD}export async function f() {
  // cohere-migrate-ignore
  return co.generate({ prompt: "kept" });
}
`,
    reported: [],
    suppressed: 1,
  },
  {
    // The comment is on the line before the statement that holds a multi-line call.
    file: "statement.ts",
    text: `${HEAD}export async function f() {
  /* cohere-migrate-ignore */
  const { generations } = await co.generate({
    prompt: "kept",
  });
  return generations;
}
`,
    reported: [],
    suppressed: 1,
  },
  {
    // Two lines above the call is not "the line before": the call is still reported.
    file: "too-far.ts",
    text: `${HEAD}// cohere-migrate-ignore

export const moved = co.generate({ prompt: "moved" });
`,
    reported: [`co.generate({ prompt: "moved" })`],
    suppressed: 0,
  },
  {
    file: "whole-file.ts",
    text: `// cohere-migrate-ignore-file: vendored sample
${HEAD}export const a = co.generate({ prompt: "a" });
export const b = co.generateStream({ prompt: "b" });
`,
    reported: [],
    suppressed: 2,
  },
  {
    // At the top means before the first statement, which may follow a shebang and "use client".
    file: "whole-file-after-prologue.js",
    text: `#!/usr/bin/env node
"use client";
/* cohere-migrate-ignore-file */
const { CohereClient } = require("cohere-ai");
const co = new CohereClient({});
module.exports = co.generate({ prompt: "a" });
`,
    reported: [],
    suppressed: 1,
  },
  {
    // Further down the file, the file-level comment is not at the top and does not apply.
    file: "not-at-top.ts",
    text: `${HEAD}export const a = co.generate({ prompt: "a" });
// cohere-migrate-ignore-file
export const b = 1;
`,
    reported: [`co.generate({ prompt: "a" })`],
    suppressed: 0,
  },
  {
    file: "marker.ts",
    text: `${HEAD}// cohere-migrate-ignore
/* cohere-migrate: preset Chat has no presets: write the preset's parameters (model, temperature, ...) into this call. */
export const x = 1;
`,
    reported: [],
    suppressed: 1,
  },
];

const TOTAL_SUPPRESSED = CASES.reduce((n, c) => n + c.suppressed, 0);

let dir: string;
beforeAll(() => {
  dir = tempDir("cm-suppress-");
  writeTree(dir, Object.fromEntries(CASES.map((c) => [c.file, c.text])));
});
afterAll(() => removeTemp(dir));

describe("check", () => {
  it("reports only the calls no comment suppresses, and counts the rest", async () => {
    const r = await runCli(["check", "--format", "json", "."], { cwd: dir });
    const out = JSON.parse(r.stdout) as { summary: { suppressed: number }; findings: { file: string; line: number; column: number }[] };
    const expected = CASES.flatMap((c) => c.reported.map((call) => ({ file: c.file, ...spanOf(c.text, call).start })));
    expect(out.findings.map(({ file, line, column }) => ({ file, line, column })).sort((a, b) => a.file.localeCompare(b.file))).toEqual(
      expected.sort((a, b) => a.file.localeCompare(b.file)),
    );
    expect(out.summary.suppressed).toBe(TOTAL_SUPPRESSED);
    expect(r.code).toBe(1);
  });

  it("says how many findings were suppressed", async () => {
    const r = await runCli(["check", "--no-color", "."], { cwd: dir });
    expect(r.stdout).toContain(`${TOTAL_SUPPRESSED} suppressed by cohere-migrate-ignore comments`);
  });

  it.each(CASES.filter((c) => c.reported.length === 0))("$file alone: exit 0, $suppressed suppressed", async (c) => {
    const r = await runCli(["check", "--no-color", c.file], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${c.suppressed} suppressed`);
  });
});

describe("migrate", () => {
  it("leaves suppressed calls as they are and migrates the others", async () => {
    const work = tempDir("cm-suppress-migrate-");
    try {
      writeTree(work, Object.fromEntries(CASES.map((c) => [c.file, c.text])));
      const r = await runCli(["migrate", "."], { cwd: work });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${TOTAL_SUPPRESSED} findings suppressed`);
      for (const c of CASES) {
        const after = fs.readFileSync(path.join(work, c.file), "utf8");
        if (c.reported.length === 0) expect({ file: c.file, text: after }).toEqual({ file: c.file, text: c.text });
        else {
          for (const call of c.reported) expect(after).not.toContain(call);
          expect(after).toContain("chat(");
        }
        // What was suppressed is still there, word for word.
        for (const kept of c.text.match(/co\.generate(Stream)?\(\{ prompt: "(kept|a|b)" \}\)/g) ?? []) {
          if (!c.reported.includes(kept)) expect(after).toContain(kept);
        }
      }
    } finally {
      removeTemp(work);
    }
  });
});
