/**
 * Quiet files (prefilter.ts isQuiet): they name cohere-ai and hold nothing else detection reports,
 * so they are parsed only once the run finds a v6 Generate call (their v6 module calls count only
 * then). The prefilter off, which parses every file, is the reference for what `check` reports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze } from "../../src/engine/analyze";
import { check } from "../../src/check";
import { byteFacts, isOwnCandidate, isQuiet } from "../../src/engine/prefilter";
import type { CheckResult } from "../../src/types";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

const facts = (text: string) => byteFacts(Buffer.from(text));
const findings = (r: CheckResult): string[] => r.findings.map((f) => `${f.file}:${f.span.start.line}:${f.span.start.column} ${f.rule}`).sort();

describe("which files naming cohere-ai are quiet", () => {
  // A quiet file is not a candidate of its own (parsed only in a run with a v6 Generate call); any other is.
  test.each<["quiet" | "parsed", string, string]>([
    ["quiet", "a chat model (`_generate`, `ChatGeneration`, prose)", 'import { CohereClient } from "cohere-ai";\n// Generates text.\nclass M { async _generate(): Promise<ChatGeneration[]> { return []; } }'],
    ["quiet", "an embeddings module", 'import { CohereClient } from "cohere-ai";\nexport const embed = (co: CohereClient) => co.embed({ texts: [] });'],
    ["quiet", "v6 module calls alone", 'const cohere = require("cohere-ai");\ncohere.init(process.env.KEY);'],
    ["parsed", "a Generate call", 'import { CohereClient } from "cohere-ai";\nco.generate({ prompt });'],
    ["parsed", "the method name in a constant", 'import { CohereClient } from "cohere-ai";\nconst METHOD = "generate";\nco[METHOD]({ prompt });'],
    ["parsed", "the stream method name in a template", 'import { CohereClient } from "cohere-ai";\nconst METHOD = `generateStream`;'],
    ["parsed", "a Generate API type", 'import type { Cohere } from "cohere-ai";\nlet g: Cohere.Generation;'],
    ["parsed", "a Generate API type imported under another name", 'import { GenerateRequest as Req } from "cohere-ai";'],
    ["parsed", "a Generate API type by a quoted key", 'import type { Cohere } from "cohere-ai";\ntype R = Cohere["GenerateStreamRequest"];'],
    ["parsed", "SingleGeneration", 'import type { Cohere } from "cohere-ai";\nlet g: Cohere.SingleGeneration;'],
    ["parsed", "a marker", 'import { CohereClient } from "cohere-ai";\n/* cohere-migrate: preset Write the preset\'s parameters. */'],
    ["parsed", "a no-break space before the call's parenthesis", 'import { CohereClient } from "cohere-ai";\nco.generate\u00a0({ prompt });'],
    ["parsed", "a zero-width character after the dot", 'import { CohereClient } from "cohere-ai";\nco.\u200bgenerate({ prompt });'],
    ["parsed", "a no-break space after a type name", 'import type { Cohere } from "cohere-ai";\nlet r: Cohere.GenerateRequest\u00a0= { prompt };'],
    ["parsed", "the method name spelt with an escape", 'import { CohereClient } from "cohere-ai";\nco.\\u0067enerate({ prompt });'],
    ["parsed", "the method name in a string with an escape", 'import { CohereClient } from "cohere-ai";\nco["\\x67enerate"]({ prompt });'],
  ])("%s: %s", (verdict, _name, text) => {
    expect(isQuiet(facts(text))).toBe(verdict === "quiet");
    expect(isOwnCandidate(facts(text))).toBe(verdict === "parsed");
  });
});

describe("quiet files in a run", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-quiet-");
  });
  afterEach(() => removeTemp(root));

  const sameAsParsingAll = async (): Promise<CheckResult> => {
    const on = await check({ cwd: root, paths: ["."] });
    const off = await check({ cwd: root, paths: ["."], prefilter: false });
    expect(findings(on)).toEqual(findings(off));
    return on;
  };

  test("a client module with nothing to report is not parsed; the call on its client is found", async () => {
    writeTree(root, {
      "client.ts": 'import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({});\nexport class Model { async _generate(): Promise<string> { return ""; } }\n',
      "use.ts": 'import { co } from "./client";\nexport const run = () => co.generate({ prompt: "hi" });\n',
    });
    const analysis = await analyze({ cwd: root, paths: ["."], pool: { threads: 0 } });
    await analysis.pool.close();
    const byFile = new Map(analysis.files.map((f) => [f.file, f]));
    expect(byFile.get("client.ts")?.detection).toBeUndefined();
    expect(byFile.get("use.ts")?.detection?.sites.map((s) => s.kind)).toEqual(["generate"]);
    expect(findings(await sameAsParsingAll())).toEqual(["use.ts:2:26 generate"]);
  });

  test("v6 module calls in a quiet file count once another module of the package calls v6 Generate", async () => {
    writeTree(root, {
      "package.json": JSON.stringify({ name: "v6-app", dependencies: { "cohere-ai": "^6.2.2" } }),
      "index.js": 'const cohere = require("cohere-ai");\nconst { summarize } = require("./summarize");\ncohere.init(process.env.COHERE_KEY);\nsummarize("text").then(console.log);\n',
      "summarize.js":
        'const cohere = require("cohere-ai");\nasync function summarize(text) {\n  const response = await cohere.generate({ prompt: text, max_tokens: 50 });\n  return response.body.generations[0].text;\n}\nmodule.exports = { summarize };\n',
    });
    const result = await sameAsParsingAll();
    expect(findings(result)).toEqual(["index.js:3:1 v6-module", "summarize.js:3:26 v6-generate"]);
  });

  test("a minified quiet file is skipped as minified, as a parsed one would be", async () => {
    const line = Array.from({ length: 400 }, (_, i) => `var a${i}=c.embed({texts:["${i}"]});`).join("");
    writeTree(root, { "bundle.js": `const c=require("cohere-ai");${line}\n` });
    const result = await sameAsParsingAll();
    expect(result.files.map((f) => [f.file, f.status, f.reason])).toEqual([["bundle.js", "skipped", "minified (average line over 300 characters)"]]);
  });

  test("without a v6 Generate call, a quiet file's v6 module calls count for nothing", async () => {
    writeTree(root, {
      "index.js": 'const cohere = require("cohere-ai");\ncohere.init(process.env.COHERE_KEY);\n',
      "chat.ts": 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nexport const run = () => co.generate({ prompt: "hi" });\n',
    });
    expect(findings(await sameAsParsingAll())).toEqual(["chat.ts:3:26 generate"]);
  });

  test("--cache: an unchanged quiet file is parsed when a v6 Generate call turns up", async () => {
    const location = path.join(root, ".cache", "cm");
    const quietFile = 'const cohere = require("cohere-ai");\ncohere.init(process.env.COHERE_KEY);\n';
    writeTree(root, { "index.js": quietFile, "other.js": "module.exports = 1;\n" });
    // Older than the cache's settle time, so the files are stamped.
    const past = new Date(Date.now() - 60_000);
    for (const f of ["index.js", "other.js"]) fs.utimesSync(path.join(root, f), past, past);
    expect(findings(await check({ cwd: root, paths: ["."], cache: { location } }))).toEqual([]);
    writeTree(root, { "summarize.js": 'const cohere = require("cohere-ai");\ncohere.generate({ prompt: "hi", max_tokens: 5 });\n' });
    const cached = await check({ cwd: root, paths: ["."], cache: { location } });
    expect(findings(cached)).toEqual(["index.js:2:1 v6-module", "summarize.js:2:1 v6-generate"]);
    expect(findings(cached)).toEqual(findings(await check({ cwd: root, paths: ["."], prefilter: false })));
  });
});
