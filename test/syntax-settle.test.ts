/**
 * The syntax settle (src/detect/syntax-settle.ts, syntax-sites.ts) answers for a file without the
 * TypeScript compiler only when it holds nothing to follow, or calls on clients syntax shows. The
 * TypeScript detector is the reference: for every file the settle answers, the detector must give
 * the same detection. Run over every fixture (inputs and migrated outputs), the cohere-ai SDK's own
 * files, a spread of real code, and forms written to sit at the edge of each rule.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { detectText } from "../src/detect/detect-text";
import { settleBySyntax } from "../src/detect/syntax-settle";
import type { FileDetection } from "../src/detect/detect-file";
import { everyNth, PROJECT_ROOT, realSourceFiles } from "../scripts/corpus";

const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") out.push(...filesUnder(abs));
    else if (entry.isFile() && SCRIPT.test(entry.name)) out.push(abs);
  }
  return out;
}

interface Tally {
  settled: number;
  open: number;
}

/** Checks every file; returns how many the settle answered and how many it left to the compiler. */
function compare(files: ReadonlyArray<{ file: string; text: string }>): { tally: Tally; mismatches: string[] } {
  const tally: Tally = { settled: 0, open: 0 };
  const mismatches: string[] = [];
  for (const { file, text } of files) {
    const settled = settleBySyntax(file, text);
    if (!settled) {
      tally.open++;
      continue;
    }
    tally.settled++;
    const reference = detectText(file, text);
    if (!reference.ok) mismatches.push(`${file}: settled, but the compiler reports ${reference.error.message}`);
    else if (JSON.stringify(reference.result) !== JSON.stringify(alone(settled))) mismatches.push(`${file}: ${JSON.stringify(settled)} ≠ ${JSON.stringify(reference.result)}`);
  }
  return { tally, mismatches };
}

/**
 * The detection as the single-file detector gives it: calls on imported receivers stay undecided
 * there; the syntax settle also says where they come from (answered across files: analyze.ts).
 */
function alone(detection: FileDetection): FileDetection {
  const { imported: _acrossFiles, ...rest } = detection;
  return rest;
}

const read = (file: string): { file: string; text: string } => ({ file, text: fs.readFileSync(file, "utf8") });

test("every fixture: the same detection wherever the settle answers", () => {
  const files = filesUnder(path.join(PROJECT_ROOT, "fixtures")).map(read);
  const { tally, mismatches } = compare(files);
  expect(mismatches).toEqual([]);
  // Both halves are exercised: fixtures hold calls syntax settles and calls only the compiler can.
  expect(tally.open).toBeGreaterThan(40);
  expect(tally.settled).toBeGreaterThan(10);
});

test("the cohere-ai SDK's own files and real code: the same detection wherever the settle answers", () => {
  const nodeModules = path.join(PROJECT_ROOT, "node_modules");
  const all = realSourceFiles(nodeModules);
  const cohere = all.filter((rel) => rel.startsWith("cohere-ai/") && !rel.endsWith(".map"));
  // Real files that would reach detection: they say generate or Cohere.
  const candidates = all.filter((rel) => {
    const raw = fs.readFileSync(path.join(nodeModules, rel));
    return raw.length < 200_000 && (raw.includes("generate") || raw.includes("ohere"));
  });
  const files = [...new Set([...everyNth(cohere, 3), ...everyNth(candidates, 6)])].map((rel) => read(path.join(nodeModules, rel)));
  const { tally, mismatches } = compare(files);
  expect(mismatches).toEqual([]);
  expect(tally.settled).toBeGreaterThan(50);
  expect(tally.open).toBeGreaterThan(20);
});

describe("edges of each rule", () => {
  const settles = (file: string, text: string): boolean => {
    const settled = settleBySyntax(file, text);
    if (settled) {
      const reference = detectText(file, text);
      expect(reference.ok && reference.result).toEqual(alone(settled));
    }
    return settled !== undefined;
  };
  /** Each row's text is settled by syntax (or left to the compiler), and where settled, exactly as the compiler would. */
  const expectSettled = (title: string, settled: boolean, rows: Array<[name: string, file: string, text: string]>): void => {
    test.each(rows)(`${title}: %s`, (_name, file, text) => {
      expect(settles(file, text)).toBe(settled);
    });
  };

  expectSettled("settled", true, [
    ["chat only", "a.ts", 'import { CohereClientV2 } from "cohere-ai";\nconst co = new CohereClientV2({ token: "k" });\nexport const ask = (m: string) => co.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: m }] });\n'],
    ["generate only in comments and a regular expression", "a.ts", 'import { CohereClient } from "cohere-ai";\n// co.generate(...) is gone\n/* generate */ const re = /generate/;\nexport const c = new CohereClient({});\n'],
    ["a name that merely contains generate", "a.ts", 'import type { Cohere } from "cohere-ai";\nexport class M { _generate(x: Cohere.ChatRequest) { return x; } }\n'],
    ["re-export of named things", "a.ts", 'export { CohereClient } from "cohere-ai";\nexport * from "cohere-ai";\n'],
    ["JSX that talks about Cohere", "a.tsx", 'import { CohereClientV2 } from "cohere-ai";\nexport const A = () => <a href="https://cohere.com/docs">Cohere</a>;\n'],
    ["a model id holding the word", "a.ts", 'import { CohereClientV2 } from "cohere-ai";\nexport const models = { video: "google/veo-3.1-generate-001", text: `x-generate-${1}` };\n'],
    ["JavaScript with JSX", "a.jsx", 'import { CohereClientV2 } from "cohere-ai";\nexport const A = () => <p>{String(CohereClientV2)}</p>;\n'],
  ]);

  const named = 'import { CohereClient } from "cohere-ai";\n';
  expectSettled("calls on clients syntax shows", true, [
    ["a client made in the file", "a.ts", `${named}const co = new CohereClient({ token: "k" });\nexport const f = () => co.generate({ prompt: "x", maxTokens: 5 });\n`],
    ["a renamed class", "a.ts", 'import { CohereClient as LLM } from "cohere-ai";\nconst llm = new LLM({});\nexport const f = () => llm.generate({ prompt: "x" });\n'],
    ["a v2 client", "a.ts", 'import { CohereClientV2 } from "cohere-ai";\nconst co = new CohereClientV2({});\nexport const f = async () => (await co.generate({ prompt: "x" })).generations[0].text;\n'],
    ["a destructured require", "a.cjs", 'const { CohereClient, CohereClientV2: V2 } = require("cohere-ai");\nconst co = new CohereClient({});\nexports.f = () => co.generate({ prompt: "x" });\nexports.V2 = V2;\n'],
    ["a class field typed with the class", "a.ts", `${named}export class S {\n  private client: CohereClient;\n  constructor(client: CohereClient) { this.client = client; }\n  run() { return this.client.generate({ prompt: "x" }); }\n}\n`],
    ["a field made in place, read from an arrow", "a.ts", `${named}export class S {\n  client = new CohereClient({});\n  run = () => this.client.generateStream({ prompt: "x" });\n}\n`],
    ["a constructor parameter property", "a.ts", `${named}export class S {\n  constructor(private readonly co: CohereClient) {}\n  run() { return this.co.generate({ prompt: "x" }); }\n}\n`],
    ["a typed parameter", "a.ts", `import type { CohereClient } from "cohere-ai";\nexport function f(client: CohereClient) { return client.generate({ prompt: "x" }); }\n`],
    ["optional call, type arguments, a comment between", "a.ts", `${named}const co = new CohereClient({});\nexport const a = () => co?.generate({ prompt: "a" });\nexport const b = () => co.generate<unknown>({ prompt: "b" });\nexport const c = () => co./* old */ generate({ prompt: "c" });\n`],
    ["literal models", "a.ts", `${named}const co = new CohereClient({});\nexport const a = () => co.generate({ model: "command", prompt: "a" });\nexport const b = () => co.generate({ "model": \`command-light\`, prompt: "b" });\n`],
    ["no request, or one built by a call", "a.ts", `${named}const co = new CohereClient({});\ndeclare function req(): { prompt: string };\nexport const a = () => co.generate();\nexport const b = () => co.generate(req());\n`],
    ["a client imported from a module of the repository", "a.ts", 'import { co } from "./client";\nexport const f = () => co.generate({ prompt: "x" });\n'],
    ["a field typed with a union", "a.ts", `${named}export class S {\n  client: CohereClient | undefined;\n  run() { return this.client?.generate({ prompt: "x" }); }\n}\n`],
    ["a class of another library", "a.ts", 'import { Other } from "other";\nconst o = new Other();\nexport const f = () => o.generate({ prompt: "x" });\n'],
    ["a generate member", "a.ts", "export const f = (x: { generate(): number }) => x.generate();\n"],
    ["a parameter typed with a local interface", "a.ts", 'interface Renderer { generate(o: { page: string }): Promise<Uint8Array> }\nexport const render = (pdf: Renderer) => pdf.generate({ page: "A4" });\n'],
    ["a parameter typed with a type alias", "a.ts", "type Model = { generate(p: string): string };\nexport const run = (m: Model | undefined) => m?.generate(\"x\");\n"],
    ["an untyped parameter beside a cohere-ai import: a possible call", "a.ts", `${named}export const c = new CohereClient({});\nexport const f = (llm: any) => llm.generate({ prompt: "x", model: "command" });\n`],
    ["an untyped parameter, no cohere-ai import", "a.js", "// Cohere or not, this file does not import it.\nexport const f = (llm) => llm.generate({ prompt: \"x\" });\n"],
    // A doc comment that types nothing (no `{...}` for this parameter) leaves syntax the answer.
    ["a JSDoc comment with no type for the parameter: a possible call", "a.js", `${named}export const c = new CohereClient({});\n/**\n * Asks the model.\n * @param llm the client\n * @param {string} p the prompt\n */\nexport function f(llm, p) { return llm.generate({ prompt: p }); }\n`],
    ["a global receiver beside a cohere-ai import", "a.ts", `${named}export const c = new CohereClient({});\nexport const f = () => model.generate();\n`],
    ["a local class, its method and this", "a.ts", 'export class Agent {\n  generate(p: string) { return p; }\n  twice(p: string) { return this.generate(p) + new Agent().generate(p); }\n}\nexport const o = { generate: (p: string) => p };\n'],
    ["a package's object", "a.ts", 'import ollama from "ollama";\nimport { Other } from "other";\nexport const f = () => ollama.generate({ model: "m", prompt: "x" }) && new Other().generate();\n'],
    ["a JavaScript class that makes its client in the constructor", "a.js", 'const { CohereClient } = require("cohere-ai");\nclass S {\n  constructor() { this.client = new CohereClient({}); }\n  run() { return this.client.generate({ prompt: "x" }); }\n}\nmodule.exports = S;\n'],
    ["either of two clients of one kind", "a.ts", `${named}const a = new CohereClient({});\nconst b = new CohereClient({});\nexport const f = (x: boolean) => {\n  const c = x ? a : b;\n  return c.generate({ prompt: "x" });\n};\n`],
    ["a plain function named generate", "a.ts", 'import { generate } from "./gen";\nexport function make() { return generate("x"); }\n'],
    ["an unused module object beside a destructured require", "a.cjs", 'const { CohereClient } = require("cohere-ai");\nconst all = require("cohere-ai");\nconst co = new CohereClient({});\nexports.f = () => co.generate({ prompt: "x" });\n'],
    ["the module object constructing a client", "a.js", 'const cohere = require("cohere-ai");\nconst co = new cohere.CohereClient({ token: "k" });\nmodule.exports = () => co.generate({ prompt: "x" });\n'],
    ["a namespace import constructing a v2 client", "a.ts", 'import * as cohere from "cohere-ai";\nexport class S {\n  private co = new cohere.CohereClientV2({});\n  run() { return this.co.generate({ prompt: "x" }); }\n}\n'],
    ["v6: a namespace import and its init", "a.ts", 'import * as cohere from "cohere-ai";\ncohere.init("k");\n'],
    ["v6: a default import and its init", "a.js", 'import cohere from "cohere-ai";\ncohere.init("k");\n'],
    ["v6: require and its init", "a.cjs", 'const cohere = require("cohere-ai");\ncohere.init("k");\n'],
    ["v6: the module's generate, init and another method", "a.js", 'const cohere = require("cohere-ai");\ncohere.init(process.env.KEY);\nmodule.exports = async (p) => {\n  const r = await cohere.generate({ model: "command", prompt: p, max_tokens: 50 });\n  await cohere.embed({ texts: [p] });\n  return r.body.generations[0].text;\n};\n'],
    ["a model constant, and one written shorthand", "a.ts", `${named}const co = new CohereClient({});\nconst MODEL = "command";\nconst model = \`command-light\`;\nexport const a = () => co.generate({ model: MODEL, prompt: "x" });\nexport const b = () => co.generate({ model, prompt: "y" });\n`],
    ["a model parameter, untyped or a string", "a.ts", `${named}const co = new CohereClient({});\nexport function a(m) { return co.generate({ model: m, prompt: "x" }); }\nexport const b = (n: string) => co.generate({ model: n, prompt: "y" });\n`],
    ["a class that extends a client", "a.ts", `${named}class Mine extends CohereClient {}\nexport const f = () => new Mine({}).generate({ prompt: "x" });\n`],
    ["a client bound in another function (a global where it is read)", "a.ts", `${named}function a() { const co = new CohereClient({}); return co; }\nexport const f = () => co.generate({ prompt: "x" });\n`],
    ["a name bound in two functions", "a.ts", `${named}export const f = (co: CohereClient) => co.generate({ prompt: "x" });\nexport const g = (co: unknown) => co;\n`],
    ["an outer client shadowed by a parameter", "a.ts", `${named}const co = new CohereClient({});\ninterface Other { generate(p: string): string }\nexport const a = () => co.generate({ prompt: "x" });\nexport function b(co: Other) { return co.generate("y"); }\n`],
    ["a client per test", "a.test.ts", `${named}test("one", async () => {\n  const co = new CohereClient({});\n  await co.generate({ prompt: "a" });\n});\ntest("two", async () => {\n  const co = new CohereClient({});\n  await co.generate({ prompt: "b" });\n});\n`],
    ["a static method of an imported class, awaited", "a.test.ts", 'import { Store } from "../store.js";\ntest("g", async () => {\n  const store = await Store.fromTexts(["a"], { header: "X-Cohere-Api-Key" });\n  await store.generate("hi", { prompt: "p" });\n});\n'],
    ["a package's function and a global's method, no cohere-ai import", "a.js", 'import { connect } from "weaviate";\nconst a = connect();\nconst b = Factory.make();\nexport const f = () => a.generate() + b.generate();\n'],
    ["a package's function and a global's method beside a cohere-ai import", "a.ts", `${named}export const c = new CohereClient({});\nimport { connect } from "weaviate";\nimport * as lib from "lib";\nexport const f = () => connect().generate({ prompt: "a" }) + Factory.make().generate({ prompt: "b" }) + lib.client().generate({ prompt: "c" });\n`],
    ["a spread of a method's result that the checker cannot type", "a.ts", `${named}import { LLM } from "@langchain/core";\nexport class C extends LLM {\n  client: CohereClient;\n  constructor() { super(); this.client = new CohereClient({}); }\n  params(o: { k?: number }) {\n    const p = { k: o.k };\n    return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));\n  }\n  async _call(prompt: string, o: { k?: number }) {\n    return this.client.generate({ prompt, ...this.params(o) });\n  }\n}\n`],
    ["spreads of imported, untyped and global values", "a.ts", `${named}import type { Options } from "pkg";\nimport { defaults } from "./defaults";\nimport { load } from "conf";\nconst co = new CohereClient({});\nconst parsed = JSON.parse("{}");\nexport async function f(a: Options, b, c: Partial<Options>) {\n  return co.generate({ ...a, ...b, ...c, ...defaults, ...parsed, ...await load(), model: "command", prompt: "x" });\n}\n`],
    ["a Generate type", "a.ts", 'import type { Cohere } from "cohere-ai";\nexport type G = Cohere.Generation;\n'],
    ["Generate types in each form", "a.ts", 'import type { Cohere as CohereTypes, Generation as G } from "cohere-ai";\nimport * as api from "cohere-ai/api";\nimport * as co from "cohere-ai";\nexport interface O extends Partial<Omit<CohereTypes.GenerateRequest, "message">> {}\nexport type A = G;\nexport type B = api.GenerateStreamedResponse.TextGeneration;\nexport type C = co.Cohere.Generation | co.Cohere.ChatResponse;\nexport type D = import("cohere-ai").Cohere.GenerateStreamEnd;\nexport class K implements CohereTypes.Generation { id = ""; generations = []; }\nexport const make = (x: unknown) => x as CohereTypes.SingleGeneration;\nexport class Mine extends co.CohereClient {}\n'],
    ["types named like Generate types that are not cohere-ai's", "a.ts", 'import type { Generation as H } from "other";\nimport { Cohere } from "./local";\ninterface Generation { text: string }\nexport type X = Generation | H | Cohere.Generation;\nexport type Y = import("other").Cohere.Generation;\n'],
    ["a wrapper like LangChain's: a Generate type in its options and a spread of its parameters", "a.ts", 'import { CohereClient, Cohere as CohereTypes } from "cohere-ai";\nimport { LLM, type BaseLLMParams } from "@langchain/core/language_models/llms";\ninterface CallOptions extends BaseLLMParams, Partial<Omit<CohereTypes.GenerateRequest, "message">> {}\nexport class Cohere extends LLM<CallOptions> {\n  client: CohereClient;\n  model = "command";\n  constructor() { super({}); this.client = new CohereClient({}); }\n  invocationParams(options: this["ParsedCallOptions"]) {\n    const params = { model: this.model, maxTokens: options.maxTokens };\n    return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));\n  }\n  async _call(prompt: string, options: this["ParsedCallOptions"]) {\n    const response = await this.client.generate({ prompt, ...this.invocationParams(options) });\n    return response.generations[0].text;\n  }\n}\n'],
    ["a marker written as a line comment (no marker)", "a.ts", "// cohere-migrate: request-unseen finish this\nexport const x = 1;\n"],
    ["markers above statements, members and properties, and before a closing brace", "a.ts", `import { CohereClientV2 } from "cohere-ai";\n/* cohere-migrate: generate-type change the type. */\ninterface O extends Partial<{ a: 1 }> {}\nexport class S {\n  co = new CohereClientV2({});\n  /* cohere-migrate: response-shape update this use. */\n  last: unknown;\n  async run(o: O) {\n    /* cohere-migrate: spread-unchecked check the spread. */\n    const r = await this.co.chat({\n      messages: [],\n      /* cohere-migrate: preset write the preset out. */\n      model: "command-a-03-2025",\n    });\n    /* cohere-migrate: response-shape update this use. */\n    return [r, o];\n    /* cohere-migrate: response-shape nothing below. */\n  }\n}\n`],
    ["a migrated call with its markers in JavaScript", "a.js", 'const { CohereClient } = require("cohere-ai");\nconst co = new CohereClient({});\nmodule.exports = async (p, extra) => {\n  /* cohere-migrate: spread-unchecked check the spread. */\n  const r = await co.v2.chat({ messages: [{ role: "user", content: p }], model: "command-a-03-2025", ...extra });\n  /* cohere-migrate: response-shape update this use. */\n  return r;\n};\n'],
    ["a marker above a parenthesised expression", "a.ts", "/* cohere-migrate: response-shape update this use. */\n(async () => 1)();\n"],
    ["a marker above a decorated member", "a.ts", "export class A {\n  /* cohere-migrate: response-shape update this use. */\n  @dec() run() { return 1; }\n}\n"],
    ["a let never assigned again", "a.js", 'import { CohereClient } from "cohere-ai";\nlet co = new CohereClient({});\nexport const f = () => co.generate({ prompt: "x" });\n'],
  ]);

  expectSettled("left to the compiler", false, [
    ["a parameter JSDoc types (JavaScript)", "a.js", `${named}export const c = new CohereClient({});\n/** @param {CohereClient} llm @param {string} p */\nexport function f(llm, p) { return llm.generate({ prompt: p }); }\n`],
    ["a parameter JSDoc types with a type literal", "a.js", `${named}export const c = new CohereClient({});\n/** @param {{ generate(o: { prompt: string }): string }} llm */\nexport const f = (llm) => llm.generate({ prompt: "x" });\n`],
    ["a parameter JSDoc types after its name", "a.js", `${named}export const c = new CohereClient({});\n/** @param co {CohereClient} the client */\nexport async function f(co) { return co.generate({ prompt: "x" }); }\n`],
    ["a backquoted parameter name", "a.js", `${named}export const c = new CohereClient({});\n/** @param {CohereClient} \`co\` */\nexport async function f(co) { return co.generate({ prompt: "x" }); }\n`],
    ["a type comment on the parameter itself", "a.js", `${named}export const c = new CohereClient({});\nexport async function f(/** @type {CohereClient} */ co) { return co.generate({ prompt: "x" }); }\n`],
    ["@type without braces on a const", "a.js", `${named}/** @type CohereClient */\nconst co = globalThis.client;\nexport const f = () => co.generate({ prompt: "x" });\n`],
    ["@type on an exported const", "a.js", `${named}/** @type {CohereClient} */\nexport const co = globalThis.client;\nexport const f = () => co.generate({ prompt: "x" });\n`],
    ["a let JSDoc types", "a.js", `${named}/** @type {CohereClient | undefined} */\nlet later;\nexport const init = () => { later = new CohereClient({}); };\nexport const f = () => later.generate({ prompt: "x" });\n`],
    ["a let assigned again", "a.ts", `${named}let co = new CohereClient({});\nexport const reset = (c: any) => { co = c; };\nexport const f = () => co.generate({ prompt: "x" });\n`],
    ["a spread in the request", "a.ts", `${named}const co = new CohereClient({});\nconst base = { maxTokens: 5 };\nexport const f = () => co.generate({ ...base, prompt: "x" });\n`],
    ["a spread of a method returning an object", "a.ts", `${named}export class C {\n  client = new CohereClient({});\n  params() { return { maxTokens: 5 }; }\n  run() { return this.client.generate({ ...this.params(), prompt: "x" }); }\n}\n`],
    ["a spread of an async method's result", "a.ts", `${named}export class C {\n  client = new CohereClient({});\n  async params() { return JSON.parse("{}"); }\n  async run() { return this.client.generate({ ...(await this.params()), prompt: "x" }); }\n}\n`],
    ["a spread of a parameter typed with a type parameter", "a.ts", `${named}const co = new CohereClient({});\nexport function f<Options>(o: Options) { return co.generate({ ...o, prompt: "x" }); }\n`],
    ["a spread of a parameter typed with a local interface", "a.ts", `${named}const co = new CohereClient({});\ninterface O { maxTokens?: number }\nexport function f(o: O) { return co.generate({ ...o, prompt: "x" }); }\n`],
    ["a spread of an arrow's untyped parameter", "a.ts", `${named}const co = new CohereClient({});\nexport const f = (o) => co.generate({ ...o, prompt: "x" });\n`],
    ["a spread in JavaScript of a const with a JSDoc type", "a.js", 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\n/** @type {{ maxTokens: number }} */\nconst base = JSON.parse("{}");\nexport const f = () => co.generate({ ...base, prompt: "x" });\n'],
    ["a request held in a constant", "a.ts", `${named}const co = new CohereClient({});\nconst req = { prompt: "x" };\nexport const f = () => co.generate(req);\n`],
    ["a receiver in parentheses", "a.ts", `${named}const co = new CohereClient({});\nexport const f = () => (co).generate({ prompt: "x" });\n`],
    ["this in a plain function", "a.ts", `${named}export class S {\n  client = new CohereClient({});\n  run() { return function (this: any) { return this.client.generate({ prompt: "x" }); }; }\n}\n`],
    ["a client from a factory", "a.ts", `${named}const make = () => new CohereClient({});\nexport const f = () => make().generate({ prompt: "x" });\n`],
    ["a function of a repository module", "a.ts", `${named}import { make } from "./make";\nexport const f = () => make().generate({ prompt: "x" });\n`],
    ["a method of globalThis", "a.ts", `${named}export const f = () => globalThis.make().generate({ prompt: "x" });\n`],
    ["a method of a local object", "a.ts", `${named}const factory = { make: () => new CohereClient({}) };\nexport const f = () => factory.make().generate({ prompt: "x" });\n`],
    ["generate taken, not called", "a.ts", `${named}const co = new CohereClient({});\nexport const g = co.generate.bind(co);\n`],
    ["a member of an object", "a.ts", `${named}const deps = { co: new CohereClient({}) };\nexport const f = () => deps.co.generate({ prompt: "x" });\n`],
    ["the module object passed on", "a.js", 'const cohere = require("cohere-ai");\nconst co = new cohere.CohereClient({});\nmodule.exports = { cohere, run: () => co.generate({ prompt: "x" }) };\n'],
    ["v6: the module's generate taken without a call", "a.js", 'const cohere = require("cohere-ai");\nconst gen = cohere.generate;\nmodule.exports = gen;\n'],
    ["v6: a computed method of the module", "a.js", 'const cohere = require("cohere-ai");\ncohere["init"]("k");\n'],
    ["a model held in a let", "a.ts", `${named}const co = new CohereClient({});\nlet MODEL = "command";\nexport const f = () => co.generate({ model: MODEL, prompt: "x" });\n`],
    ["a model constant with a JSDoc type in JavaScript", "a.js", 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\n/** @type {string} */\nconst MODEL = "command";\nexport const f = () => co.generate({ model: MODEL, prompt: "x" });\n'],
    ["a model parameter in JavaScript", "a.js", 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nexport const f = (m) => co.generate({ model: m, prompt: "x" });\n'],
    ["a model parameter typed by its context", "a.ts", `${named}const co = new CohereClient({});\ndeclare function run(f: (m: "command") => unknown): void;\nrun((m) => co.generate({ model: m, prompt: "x" }));\n`],
    ["a model parameter typed with a literal", "a.ts", `${named}const co = new CohereClient({});\nexport const f = (m: "command") => co.generate({ model: m, prompt: "x" });\n`],
    ["a name also bound by a catch clause", "a.ts", `${named}const co = new CohereClient({});\nexport const f = () => { try { return co.generate({ prompt: "x" }); } catch (co) { return co; } };\n`],
    ["a getter of that name", "a.ts", `${named}export class S {\n  get client() { return new CohereClient({}); }\n  run() { return this.client.generate({ prompt: "x" }); }\n}\n`],
    ["a generate name in JSX", "a.tsx", `${named}export const A = () => <generate />;\n`],
    ["a generate key in a string", "a.ts", 'export const f = (co: any) => co["generate"]({ prompt: "x" });\n'],
    ["a method name held in a constant", "a.ts", 'const m = "generate";\nexport const f = (co: any) => co[m]({});\n'],
    ["generateStream destructured", "a.ts", "export const f = (co: any) => { const { generateStream } = co; return generateStream; };\n"],
    ["typeof an import type", "a.ts", 'export type T = typeof import("cohere-ai").Cohere.Generation;\n'],
    ["a namespace name a value shadows in a function", "a.ts", 'import type { Cohere } from "cohere-ai";\nexport function f() {\n  const Cohere = 1;\n  let x: Cohere.Generation | undefined;\n  return [Cohere, x];\n}\n'],
    ["a namespace name beside an interface of that name in scope", "a.ts", 'import type { Cohere } from "cohere-ai";\nexport function f() {\n  interface Cohere { a: 1 }\n  let x: Cohere.Generation | undefined;\n  let y: Cohere | undefined;\n  return [x, y];\n}\n'],
    ["a type parameter named like the namespace", "a.ts", 'import type { Cohere } from "cohere-ai";\nexport function f<Cohere>(x: Cohere) { return x; }\nexport type G = Cohere.Generation;\n'],
    ["a Generate URL", "a.ts", 'export const URL_ = "https://api.cohere.ai/v1/generate";\n'],
    ["a URL built in a template", "a.ts", "export const u = (base: string) => `${base}/v1/generate`;\n"],
    ["a path joined to a Cohere base", "a.ts", 'const api = axios.create({ baseURL: "https://api.cohere.ai/v1/" });\nexport const f = () => api.post("generate?x=1", {});\n'],
    ["a path piece after a slash", "a.ts", 'export const f = (base: string) => fetch(base + "/v1/" + "generate");\n'],
    ["a default import beside named ones", "a.ts", 'import cohere, { CohereClient } from "cohere-ai";\nexport { cohere, CohereClient };\n'],
    ["import()", "a.mjs", 'const cohere = await import("cohere-ai");\ncohere.init("k");\n'],
    ["import = require", "a.ts", 'import cohere = require("cohere-ai");\ncohere.init("k");\n'],
    ["a marker above a clause Babel has no node for", "a.ts", "interface B { b: 1 }\nexport interface A\n  /* cohere-migrate: generate-type change the type. */\n  extends B {}\n"],
    ["a suppression", "a.ts", `${named}const co = new CohereClient({});\n// cohere-migrate-ignore kept on purpose\nexport const f = () => co.generate({ prompt: "x" });\n`],
    ["a file Babel does not parse", "a.ts", "export const = ;\n"],
  ]);
});
