/**
 * Calls on a client imported from another module of the repository, settled by syntax
 * (analyze.ts, settleImportedBySyntax): the exporting module plainly makes the client. The
 * compiler alone (`syntax: false`) is the reference: every multi-file fixture, the demo and a
 * generated tree must come out the same either way, and a repository whose calls syntax settles
 * must not load the compiler at all.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze } from "../../src/engine/analyze";
import { PROJECT_ROOT, writeTree as writeGeneratedTree } from "../../scripts/corpus";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

/** Every file's outcome: its status and full detection, as plain JSON. */
async function outcomes(cwd: string, syntax: boolean): Promise<Record<string, string>> {
  const analysis = await analyze({ cwd, paths: ["."], syntax, pool: { threads: 0 } });
  await analysis.pool.close();
  const out: Record<string, string> = {};
  for (const f of analysis.files) out[f.file] = JSON.stringify({ status: f.status, error: f.error, detection: f.detection });
  return out;
}

async function expectSameWithAndWithoutSyntax(cwd: string): Promise<void> {
  expect(await outcomes(cwd, true)).toEqual(await outcomes(cwd, false));
}

let root: string;
beforeEach(() => {
  root = tempDir("cm-across-");
});
afterEach(() => removeTemp(root));

const inputs = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (!e.isDirectory()) return [];
    return e.name === "input" ? [abs] : inputs(abs);
  });

test.each(inputs(path.join(PROJECT_ROOT, "fixtures")).map((d) => [path.relative(PROJECT_ROOT, d)]))("%s: the same detections with the syntax settle and without", async (rel) => {
  await expectSameWithAndWithoutSyntax(path.join(PROJECT_ROOT, rel));
});

test("the demo: the same detections with the syntax settle and without", async () => {
  await expectSameWithAndWithoutSyntax(path.join(PROJECT_ROOT, "fixtures", "demo"));
});

test("a generated tree: the same detections with the syntax settle and without", async () => {
  writeGeneratedTree(root, 600);
  await expectSameWithAndWithoutSyntax(root);
});

const CLIENT_MODULE = 'import { CohereClient } from "cohere-ai";\n\nexport const co = new CohereClient({ token: process.env.CO_API_KEY });\n';

test.each([
  ["the client module made elsewhere", { "src/client.ts": 'import { make } from "./make";\nexport const co = make();\n', "src/make.ts": 'import { CohereClient } from "cohere-ai";\nexport const make = () => new CohereClient({});\n' }],
  ["a re-exported client", { "src/index.ts": 'export { co } from "./real";\n', "src/real.ts": CLIENT_MODULE, "src/client.ts": 'export * from "./index";\n' }],
  ["a client exported after it is made", { "src/client.ts": 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nexport { co };\n' }],
  ["a v2 client", { "src/client.ts": 'import { CohereClientV2 } from "cohere-ai";\nexport const co = new CohereClientV2({});\n' }],
  ["two modules the specifier could name", { "src/client.ts": CLIENT_MODULE, "src/client/index.ts": 'export const co = { generate: (x: unknown) => x };\n' }],
  ["something else under the name", { "src/client.ts": 'import type { CohereClient } from "cohere-ai";\nexport const co = { generate: (x: unknown) => x } as unknown as CohereClient;\n' }],
  ["the plain client module", { "src/client.ts": CLIENT_MODULE }],
])("an imported receiver, %s: the same with the syntax settle and without", async (_name, modules) => {
  writeTree(root, {
    ...modules,
    "src/ask.ts": 'import { co } from "./client";\n\nexport const ask = (prompt: string) => co.generate({ prompt, maxTokens: 20 });\n',
    "src/local.ts": 'import { CohereClient } from "cohere-ai";\n\nconst local = new CohereClient({});\nexport const other = () => local.generate({ prompt: "x" });\n',
  });
  await expectSameWithAndWithoutSyntax(root);
});

const WRAPPER_USE = 'import { CohereClient } from "cohere-ai";\nimport { Wrapper } from "./client";\n\nconst w = new Wrapper({});\nexport const c = new CohereClient({});\nexport const ask = (prompt: string) => w.generate({ prompt, maxTokens: 20 });\n';

test.each([
  ["a class of its own", { "src/client.ts": "export class Wrapper {\n  constructor(_o: unknown) {}\n  generate(x: unknown) { return x; }\n}\n" }],
  ["a class extending a package's", { "src/client.ts": 'import { Base } from "some-llm";\nexport class Wrapper extends Base {}\n' }],
  ["a class extending the client", { "src/client.ts": 'import { CohereClient } from "cohere-ai";\nexport class Wrapper extends CohereClient {}\n' }],
  ["a class extending a local one", { "src/client.ts": "class Local { generate(x: unknown) { return x; } }\nexport class Wrapper extends Local {}\n" }],
  ["a class extending one from a third module", { "src/client.ts": 'import { Other } from "./other";\nexport class Wrapper extends Other {}\n', "src/other.ts": 'import { CohereClientV2 } from "cohere-ai";\nexport class Other extends CohereClientV2 {}\n' }],
  ["a class held in a const", { "src/client.ts": 'import { CohereClient } from "cohere-ai";\nexport const Wrapper = class extends CohereClient {};\n' }],
])("a receiver made from an imported class, %s: the same with the syntax settle and without", async (_name, modules) => {
  writeTree(root, { ...modules, "src/ask.ts": WRAPPER_USE });
  await expectSameWithAndWithoutSyntax(root);
});

test("a repository whose calls syntax settles, across modules too, does not load the compiler", () => {
  writeTree(root, {
    "src/client.ts": CLIENT_MODULE,
    "src/ask.ts": 'import { co } from "./client";\n\nexport const ask = (prompt: string) => co.generate({ prompt, maxTokens: 20 });\n',
    "src/local.ts": 'import { CohereClient } from "cohere-ai";\n\nconst local = new CohereClient({});\nexport const other = () => local.generate({ prompt: "x" });\n',
    // A wrapper of the project's own, called from a file that talks about Cohere: not a client.
    "src/wrapper.ts": "export class Wrapper {\n  generate(x: unknown) { return x; }\n}\n",
    "src/uses-wrapper.ts": '// Not Cohere: our own wrapper.\nimport { Wrapper } from "./wrapper";\nimport { co } from "./client";\n\nexport const w = new Wrapper().generate({ prompt: "x" });\nexport { co };\n',
  });
  // The built library, in a process of its own: which modules a check loads is the point.
  const script = `
    const { check } = require(${JSON.stringify(path.join(PROJECT_ROOT, "dist", "src", "check.js"))});
    check({ cwd: ${JSON.stringify(root)}, paths: ["."] }).then((r) => {
      const loaded = Object.keys(require.cache).filter((k) => /[\\\\/](ts-morph|typescript)[\\\\/]/.test(k)).length;
      process.stdout.write(JSON.stringify({ findings: r.findings.map((f) => f.file + ":" + f.span.start.line).sort(), loaded }));
    });`;
  const result = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as { findings: string[]; loaded: number };
  expect(result).toEqual({ findings: ["src/ask.ts:3", "src/local.ts:4"], loaded: 0 });
});
