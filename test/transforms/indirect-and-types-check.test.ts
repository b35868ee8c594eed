/**
 * `check` reports every indirect shape of a Generate call and every Generate type from cohere-ai,
 * and nothing for look-alikes. One temporary tree holds a file per shape; one `check` run reads it.
 */
import * as fs from "node:fs";
import { check } from "../../src/check";
import { LEGACY_TYPE_PATHS } from "../../src/detect/indirect";
import type { CheckResult } from "../../src/types";
import { TYPE_MAP } from "../../transforms/generate-types-to-chat";
import { tempTree } from "../support/fixtures";

const CLIENT = `import { CohereClient, CohereClientV2 } from "cohere-ai";\nconst cohere = new CohereClient({ token: "key" });\nconst cohere2 = new CohereClientV2({ token: "key" });\n`;

/** File name → [source, expected findings as "rule@line"]. The client takes lines 1-3. */
const SHAPES: Record<string, [string, string[]]> = {
  "bind.ts": [`${CLIENT}export const gen = cohere.generate.bind(cohere);\n`, ["indirect-generate@4"]],
  "alias.ts": [`${CLIENT}const gen = cohere2.generate;\nvoid gen;\n`, ["indirect-generate@4"]],
  "destructured.ts": [`${CLIENT}const { generate } = cohere2;\nvoid generate;\n`, ["indirect-generate@4"]],
  "destructured-renamed.ts": [`${CLIENT}const { generate: gen, embed } = cohere;\nvoid gen, embed;\n`, ["indirect-generate@4"]],
  "element-access.ts": [`${CLIENT}export const gen = cohere["generate"];\n`, ["indirect-generate@4"]],
  "langchain-caller.ts": [
    `${CLIENT}declare const caller: { call(fn: unknown, ...args: unknown[]): Promise<unknown> };\nexport const run = () =>\n  caller.call(cohere.generate.bind(cohere), { prompt: "hi" });\n`,
    ["indirect-generate@6"],
  ],
  "stream-reference.ts": [`${CLIENT}export const events = [1].map(() => cohere.generateStream);\n`, ["indirect-generate@4"]],
  "cross-file.ts": [`import { cohere } from "./shared";\nexport const gen = cohere.generate.bind(cohere);\n`, ["indirect-generate@2"]],
  "shared.ts": [`import { CohereClient } from "cohere-ai";\nexport const cohere = new CohereClient({ token: "key" });\n`, []],
  "not-cohere-bind.ts": [
    `import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({});\nclass Markov { generate() { return ""; } }\nconst markov = new Markov();\nexport const gen = markov.generate.bind(markov);\n`,
    [],
  ],
  "types-namespace.ts": [
    `import type { Cohere } from "cohere-ai";\nexport function f(r: Cohere.Generation, q: Cohere.GenerateRequest): void {\n  void r, q;\n}\n`,
    ["generate-type@2", "generate-type@2"],
  ],
  "types-member.ts": [
    `import * as ai from "cohere-ai";\nexport type TextEvent = ai.Cohere.GenerateStreamedResponse.TextGeneration;\n`,
    ["generate-type@2"],
  ],
  "types-deep-import.ts": [`import type { SingleGeneration as G } from "cohere-ai/api";\nexport const texts = (gs: G[]) => gs.length;\n`, ["generate-type@2"]],
  "types-import-type.ts": [`export type R = import("cohere-ai").Cohere.GenerateStreamRequest;\n`, ["generate-type@1"]],
  "types-heritage.ts": [`import { Cohere } from "cohere-ai";\nexport interface Cached extends Cohere.Generation {\n  at: number;\n}\n`, ["generate-type@2"]],
  "types-local.ts": [
    `import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({});\ninterface Generation { text: string }\nexport const last: Generation = { text: "" };\n`,
    [],
  ],
};

let result: CheckResult;
let dir: string;

beforeAll(async () => {
  dir = tempTree(new Map(Object.entries(SHAPES).map(([file, [text]]) => [file, text])), "cm-indirect-");
  result = await check({ cwd: dir, paths: ["."] });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each(Object.entries(SHAPES).map(([file, [, expected]]) => [file, expected] as const))("%s", (file, expected) => {
  const found = result.findings.filter((f) => f.file === file).map((f) => `${f.rule}@${f.span.start.line}`);
  expect(found).toEqual(expected);
});

test("indirect and type findings are errors; fixable where migrate rewrites them (a response or generation type, not in a heritage clause)", () => {
  const ours = result.findings.filter((f) => f.rule === "indirect-generate" || f.rule === "generate-type");
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.filter((f) => f.severity !== "error")).toEqual([]);
  const types = ours.filter((f) => f.rule === "generate-type").map((f) => `${f.file}@${f.span.start.line}:${f.span.start.column} ${f.fixable ? "fixable" : "marked"}`);
  expect(types.sort()).toEqual([
    "types-deep-import.ts@2:27 fixable",
    "types-heritage.ts@2:33 marked",
    "types-import-type.ts@1:17 marked",
    "types-member.ts@2:25 marked",
    "types-namespace.ts@2:22 fixable",
    "types-namespace.ts@2:44 marked",
  ]);
  expect(ours.filter((f) => f.rule === "indirect-generate" && !f.fixable)).toEqual([]);
});

test("detection knows exactly the Generate types the types transform maps", () => {
  expect([...LEGACY_TYPE_PATHS].sort()).toEqual(Object.keys(TYPE_MAP).sort());
});

// SPEC: what check calls fixable, one migrate run fixes. These forms migrate marks instead.
test("check does not call fixable what migrate only marks: .call/.apply through the method, a v6 call on the module reached through a call or an object", async () => {
  const dir = tempTree(
    new Map([
      ["call.js", `const { CohereClient } = require("cohere-ai");\nconst primary = new CohereClient({ token: "k" });\nexports.d = async (prompt) => (await primary.generate.call(primary, { prompt })).generations[0].text;\nexports.b = primary.generate.bind(primary);\n`],
      ["v6.js", `function getCohere() {\n  const cohere = require("cohere-ai");\n  cohere.init("k");\n  return cohere;\n}\nconst svc = { co: require("cohere-ai") };\nexports.a = async (prompt) => (await getCohere().generate({ prompt })).body.generations[0].text;\nexports.b = async (prompt) => (await svc.co.generate({ prompt })).body.generations[0].text;\n`],
      ["package.json", '{ "dependencies": { "cohere-ai": "^6.2.2" } }'],
    ]),
    "cm-fixable-",
  );
  try {
    const result: CheckResult = await check({ cwd: dir, paths: ["."] });
    const calls = result.findings.filter((f) => f.rule !== "v6-module").map((f) => `${f.file}:${f.span.start.line} ${f.rule} ${f.fixable}`);
    expect(calls).toEqual(["call.js:3 indirect-generate false", "call.js:4 indirect-generate true", "v6.js:7 v6-generate false", "v6.js:8 v6-generate false"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
