/**
 * Zero collateral (issue 11, items 4 and 8): the TypeScript transforms are applied as byte-range
 * edits on the original text, so nothing outside the rewritten code changes. Measured by
 * `collateral()` (src/engine/collateral.ts) over every fixture pair, and shown on the programs that
 * recast's reprinting used to damage or refuse.
 */
import { collateral } from "../../src/engine/collateral";
import { fixtureCases, migrateFiles, transformFolders } from "../support/fixtures";

const JS_TS = /\.(m|c)?[jt]sx?$/;

const pairs = transformFolders()
  .flatMap((t) => fixtureCases(t).cases)
  .flatMap((c) => [...c.inputs].filter(([file]) => JS_TS.test(file) && c.outputs.has(file)).map(([file, input]) => ({ name: `${c.transform}/${c.name}/${file}`, file, input, output: c.outputs.get(file) ?? "" })));

async function migrated(file: string, text: string): Promise<string> {
  const { texts } = await migrateFiles(new Map([[file, text]]));
  return texts.get(file) ?? "";
}

test("no fixture output changes anything outside the rewritten code (changed-lines count: 0)", () => {
  expect(pairs.length).toBeGreaterThan(100);
  const found = pairs.flatMap((p) => collateral(p.file, p.input, p.output).map((c) => `${p.name}:${c.line} ${c.kind} ${c.text}`));
  expect(found).toEqual([]);
});

describe("the measure itself", () => {
  it("counts a re-indented statement, an added semicolon and a moved comment", () => {
    const before = `function f() {\n  if (a) {\n    b()\n  }\n  const x = { k: 1, // one\n  }\n}\n`;
    const after = `function f() {\n  if (a) {\n      b();\n  }\n  // one\n  const x = { k: 1,\n  }\n}\n`;
    expect(collateral("a.js", before, after).map((c) => c.kind).sort()).toEqual(["moved-comment", "punctuation", "reformat"]);
  });

  it("lets a request object the rewrite added to be re-wrapped", () => {
    const before = `const r = co.generate({ prompt, maxTokens: 5 });\n`;
    const after = `const r = co.v2.chat({\n  model: "m",\n  messages: [],\n  maxTokens: 5,\n});\n`;
    expect(collateral("a.ts", before, after)).toEqual([]);
  });
});

describe("programs recast's reprinting damaged", () => {
  it("a multi-line template prompt with \\n escapes and a marker in the same request is migrated, not refused", async () => {
    const input = `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: process.env.COHERE_API_KEY });

export async function ask(question: string): Promise<string> {
  const response = await co.generate({
    prompt: \`You answer questions.\\n
Question: \${question}
    Answer in one line.\\n\`,
    temperature: 1.2,
  });
  return response.generations[0].text;
}
`;
    const out = await migrated("ask.ts", input);
    expect(out).toContain("co.v2.chat(");
    expect(out).toContain("cohere-migrate: temperature-range");
    expect(out).toContain(`\`You answer questions.\\n
Question: \${question}
    Answer in one line.\\n\``);
    expect(collateral("ask.ts", input, out)).toEqual([]);
  });

  it("a file written without semicolons gets none, and a marker in an unbraced if leaves the if as written", async () => {
    const input = `const { CohereClient } = require("cohere-ai")

const co = new CohereClient({ token: process.env.COHERE_API_KEY })

async function main() {
  const stream = await co.generateStream({ prompt: "Hello" })
  for await (const event of stream) {
    if (event.text) process.stdout.write(event.text)
  }
}

main()
`;
    const out = await migrated("main.js", input);
    expect(out).toContain("co.v2.chatStream(");
    expect(out).toContain("    if (event.text) process.stdout.write(event.text)\n");
    expect(out.split("\n").filter((line) => /;\s*$/.test(line))).toEqual([]);
    expect(collateral("main.js", input, out)).toEqual([]);
  });

  it("a trailing comment stays on its property's line, and a member chain keeps its line breaks", async () => {
    const input = `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: process.env.COHERE_API_KEY });

export function motto(team: string): Promise<string> {
  return co
    .generate({
      prompt: team, // the team's name
      maxTokens: 20, // short
    })
    .then((r) => r.generations[0].text);
}
`;
    const out = await migrated("motto.ts", input);
    expect(out).toMatch(/\n {6}messages: \[\{ role: "user", content: team \}\], \/\/ the team's name\n/);
    expect(out).toContain("      maxTokens: 20, // short\n");
    expect(out).toMatch(/return co\.v2\n {4}\.chat\(\{/);
    expect(collateral("motto.ts", input, out)).toEqual([]);
  });
});
