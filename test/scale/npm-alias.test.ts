/**
 * cohere-ai installed under another name (`"llm": "npm:cohere-ai@7"` in package.json): the
 * prefilter takes a file importing that name as naming cohere-ai, so a file that only names Generate
 * types through it is parsed, in a first run and in a cached one, as it is with the prefilter off.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { importsCohereAlias } from "../../src/engine/prefilter";
import type { CheckResult } from "../../src/types";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

function findings(result: CheckResult): string[] {
  return result.findings.map((f) => `${f.file}:${f.span.start.line}:${f.span.start.column} ${f.rule}`).sort();
}

const ALIASED = JSON.stringify({ name: "digest", dependencies: { llm: "npm:cohere-ai@7" } });
const PLAIN = JSON.stringify({ name: "digest", dependencies: { llm: "^1.0.0" } });

/** Files that name Generate types through the alias and hold no `generate` (the prefilter's other way in). */
const TYPES_ONLY = {
  "src/summary.ts": 'import type { Cohere } from "llm";\nexport const first = (r: Cohere.Generation) => r.generations[0].text;\n',
  "src/one.ts": 'import type { SingleGeneration } from "llm/api";\nexport const text = (g: SingleGeneration) => g.text;\n',
  // Another package whose name starts the same: not cohere-ai.
  "src/other.ts": 'import type { Generation } from "llm-tools";\nexport const text = (g: Generation) => g.text;\n',
};
const EXPECTED = ["src/one.ts:2:25 generate-type", "src/summary.ts:2:26 generate-type"];

describe("which bytes import an alias", () => {
  test.each<[string, boolean]>([
    ['import x from "llm";', true],
    ["import x from 'llm/api';", true],
    ["const x = require(`llm`);", true],
    ['import x from "llm-tools";', false],
    ['import x from "my-llm";', false],
    ["const llm = 1; // llm", false],
    ['"llm', false],
  ])("%s: %p", (text, expected) => {
    expect(importsCohereAlias(Buffer.from(text), [Buffer.from("llm")])).toBe(expected);
  });
});

describe("files that import cohere-ai under an npm alias", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-alias-");
  });
  afterEach(() => removeTemp(root));

  const sameAsParsingAll = async (paths = ["."]): Promise<string[]> => {
    const on = findings(await check({ cwd: root, paths }));
    expect(on).toEqual(findings(await check({ cwd: root, paths, prefilter: false })));
    return on;
  };

  test("a file naming Generate types through the alias is parsed, as with the prefilter off", async () => {
    writeTree(root, { "package.json": ALIASED, ...TYPES_ONLY });
    expect(await sameAsParsingAll()).toEqual(EXPECTED);
  });

  test("the alias declared above the folder checked counts too", async () => {
    writeTree(root, { "package.json": ALIASED, ...TYPES_ONLY });
    expect(await sameAsParsingAll(["src"])).toEqual(EXPECTED);
    expect(await sameAsParsingAll(["src/summary.ts"])).toEqual(["src/summary.ts:2:26 generate-type"]);
  });

  test("without the alias, the same name is another package", async () => {
    writeTree(root, { "package.json": PLAIN, ...TYPES_ONLY });
    expect(await sameAsParsingAll()).toEqual([]);
  });

  test("--cache: declaring or dropping the alias changes the answer, the files unchanged", async () => {
    const location = path.join(root, ".cache", "cm");
    writeTree(root, { "package.json": PLAIN, ...TYPES_ONLY });
    // Older than the cache's settle time, so the files and folders are stamped.
    const age = (seconds: number): void => {
      const past = new Date(Date.now() - seconds * 1000);
      for (const f of ["package.json", ...Object.keys(TYPES_ONLY), "src", "."]) fs.utimesSync(path.join(root, f), past, past);
    };
    age(60);
    const run = async (): Promise<string[]> => findings(await check({ cwd: root, paths: ["."], cache: { location } }));
    expect(await run()).toEqual([]);
    expect(await run()).toEqual([]);
    writeTree(root, { "package.json": ALIASED });
    age(30);
    expect(await run()).toEqual(EXPECTED);
    expect(await run()).toEqual(EXPECTED);
    writeTree(root, { "package.json": PLAIN });
    age(10);
    expect(await run()).toEqual([]);
  });
});
