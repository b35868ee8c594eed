import { byteFacts, hasSiteBytes, ImportReach, importSpecifiers, indexOfGenerate, isOwnCandidate, mentionsCohere, namesCohereHost, resolveSpecifier, stripJsonComments, textMentionsCohere } from "../../src/engine/prefilter";

const site = (text: string): boolean => hasSiteBytes(Buffer.from(text));

describe("byte prefilter: where `generate` can be a site", () => {
  test.each([
    ["plain member call", "co.generate({ prompt })"],
    ["optional call", "client?.generate({ prompt })"],
    ["generic call", "client.generate<Answer>({ prompt })"],
    ["element access, double quotes", 'client["generate"]({ prompt })'],
    ["element access, template", "client[`generateStream`]({ prompt })"],
    ["element access with spaces", "client[ 'generate' ]({ prompt })"],
    ["bind", "const g = client.generate.bind(client);"],
    ["stream member", "co.generateStream({ prompt })"],
    ["line break before the dot", "co\n  .generate({ prompt })"],
    ["line comment before the dot", "co // shared\n  .generate({ prompt })"],
    ["block comment between dot and name", "co./* legacy */ generate({ prompt })"],
    ["destructuring", "const { generate } = client;"],
    ["destructuring after another key", "const { embed, generate: g } = client;"],
    ["quoted destructuring key", 'const { "generate": g } = client;'],
    ["REST path", 'fetch("https://api.cohere.ai/v1/generate", init)'],
    ["REST path joined to a base", 'const BASE = "https://api.cohere.ai/v1/";\nfetch(`${BASE}generate`, init)'],
    ["REST path added to a base", 'const BASE = "https://api.cohere.com/v1/";\naxios.post(BASE + "generate", body)'],
    ["code after a block comment on the same line", "/* setup\n*/ co.generate({ prompt })"],
    ["at the very start of a line after a comment block", "co./**/\ngenerate()"],
    ["at the end of the file", "export default co.generate"],
  ])("%s", (_name, text) => {
    expect(site(text)).toBe(true);
  });

  test.each([
    ["method definition", "class A {\n  generate(input) { return input; }\n}"],
    ["function declaration", "function generate() {}"],
    ["longer identifier", "this.generateText(); regenerate(); _generate(); generated = 1;"],
    ["word in prose", 'const s = "we generate text";'],
    ["JSDoc example line", "/**\n * await client.generate({ prompt })\n */\nfunction f() {}"],
    ["line comment line", "// co.generate({ prompt })\nconst x = 1;"],
    ["JSDoc before a method", "class C {\n  /** docs */\n  generate() {}\n}"],
    ["private field", "this.#generate()"],
    ["URL path without the Cohere host", 'fetch("https://example.com/v1/generate")'],
    ["a model id in a file naming a cohere.svg icon", "const icons = { cohere: '/icons/cohere.svg' };\nconst model = 'google/veo-3.1-generate-001';"],
  ])("not a site: %s", (_name, text) => {
    expect(site(text)).toBe(false);
  });
});

describe("byte facts", () => {
  test("a Cohere word and a site make a candidate", () => {
    const facts = byteFacts(Buffer.from('import { CohereClient } from "cohere-ai";\nco.generate({});'));
    expect(facts).toEqual({ cohere: true, site: true, pkg: true, tool: false, named: false });
    expect(isOwnCandidate(facts)).toBe(true);
  });

  test("a site without a Cohere word needs its imports to decide", () => {
    const facts = byteFacts(Buffer.from('import { llm } from "./llm";\nllm.generate({});'));
    expect(facts.site).toBe(true);
    expect(isOwnCandidate(facts)).toBe(false);
  });

  test.each([
    ["coherent", "// Keeps the answer coherent.\nconst r = await chat.generate([[msg]]);", false],
    ["coherence", 'const prompt = "rate the coherence";\nawait llm.generate([prompt]);', false],
    ["incoherent", "/* incoherent */ model.generate(x)", false],
    ["Cohere next to coherent", "// coherent\nimport { CohereClient } from 'cohere-ai';\nco.generate({ prompt })", true],
    ["cohere as a word", "const cohere = makeClient();\ncohere.generate({ prompt })", true],
    ["Cohere in a name", "const co = new CohereClient({});\nco.generate({ prompt })", true],
    ["a name running on past cohere", "const cohereNext = client;\ncohereNext.generate({ prompt })", true],
  ])("%s: a mention of Cohere? (prose words do not make a candidate by themselves)", (_name, text, mentions) => {
    const facts = byteFacts(Buffer.from(text));
    expect(facts.site).toBe(true);
    expect(facts.cohere).toBe(mentions);
    expect(mentionsCohere(Buffer.from(text))).toBe(mentions);
    expect(textMentionsCohere(text)).toBe(mentions);
  });

  test("a file importing cohere-ai is a candidate without `generate` when it names a Generate type (v6 `init` alone: quiet-files.test.ts)", () => {
    expect(isOwnCandidate(byteFacts(Buffer.from('const cohere = require("cohere-ai");\ncohere.init(key);')))).toBe(false);
    expect(isOwnCandidate(byteFacts(Buffer.from('import type { Cohere } from "cohere-ai";\nlet g: Cohere.Generation;')))).toBe(true);
    expect(isOwnCandidate(byteFacts(Buffer.from("// Cohere\nclass Generation {}")))).toBe(false);
  });

  test("marker comments are noticed without `generate`", () => {
    expect(byteFacts(Buffer.from("/* cohere-migrate: preset Write the preset's parameters. */")).tool).toBe(true);
  });
});

describe("the searches by a rare part (`gener`, `here`) find what a whole search finds", () => {
  const texts = [
    "generate",
    "gener",
    "generat",
    "generatE",
    "gegenerate",
    "genergenerate",
    "generategenerate",
    "x.generate(",
    "regenerated and generate",
    "const g = gener + ate; co.generate",
    "",
  ];
  test.each(texts)("indexOfGenerate at every start: %j", (text) => {
    const raw = Buffer.from(text);
    for (let from = 0; from <= raw.length; from++) expect(indexOfGenerate(raw, from)).toBe(raw.indexOf("generate", from));
  });

  /** mentionsCohere as it searched before: every `ohere`, not followed by `nt` or `nc`. */
  const reference = (raw: Buffer): boolean => {
    for (let i = raw.indexOf("ohere"); i !== -1; i = raw.indexOf("ohere", i + 1)) {
      if (!(raw[i + 5] === 0x6e && (raw[i + 6] === 0x74 || raw[i + 6] === 0x63))) return true;
    }
    return false;
  };
  test.each(["ohere", "here", "cohere", "Cohere", "coherent", "coherence", "oohere", "where there", "coherent cohere", "coherentohere", "ohern", "cohereNext"])(
    "mentionsCohere: %j",
    (text) => {
      expect(mentionsCohere(Buffer.from(text))).toBe(reference(Buffer.from(text)));
    },
  );
});

describe("imports", () => {
  test("specifiers of every import form", () => {
    const text = [
      'import a from "./a";',
      "import { b } from './b';",
      'export * from "./c";',
      'const d = require("./d");',
      'const e = await import("./e");',
      'import "./f";',
      'import g = require("./g");',
    ].join("\n");
    expect(importSpecifiers(text)).toEqual(["./a", "./b", "./c", "./d", "./e", "./f", "./g"]);
  });

  test("resolution probes extensions, index files and tsconfig paths", () => {
    const known = new Set(["/r/src/lib/index.ts", "/r/src/client.ts", "/r/src/util.js"]);
    expect(resolveSpecifier("./lib", "/r/src/a.ts", known)).toBe("/r/src/lib/index.ts");
    expect(resolveSpecifier("./client.js", "/r/src/a.ts", known)).toBe("/r/src/client.ts");
    expect(resolveSpecifier("./util", "/r/src/a.ts", known)).toBe("/r/src/util.js");
    const aliases = { file: "/r/tsconfig.json", base: "/r", baseUrl: true, paths: [{ prefix: "@/", suffix: "", targets: ["src/*"] }] };
    expect(resolveSpecifier("@/client", "/r/x/a.ts", known, aliases)).toBe("/r/src/client.ts");
    expect(resolveSpecifier("react", "/r/src/a.ts", known, aliases)).toBeUndefined();
  });
});

test("a bare specifier resolves once for every folder; a relative one from each importing folder", () => {
  const texts = new Map([
    ["/r/a/x.ts", 'import { co } from "@/client";\nimport { lib } from "./lib";'],
    ["/r/b/y.ts", 'import { co } from "@/client";\nimport { lib } from "./lib";'],
    ["/r/a/lib.ts", ""],
    ["/r/b/lib.ts", ""],
    ["/r/src/client.ts", ""],
  ]);
  const aliases = { file: "/r/tsconfig.json", base: "/r", baseUrl: false, paths: [{ prefix: "@/", suffix: "", targets: ["src/*"] }] };
  const reach = new ImportReach(new Set(texts.keys()), (f) => texts.get(f), () => false, () => aliases);
  expect(reach.importsOf("/r/a/x.ts")).toEqual(["/r/src/client.ts", "/r/a/lib.ts"]);
  expect(reach.importsOf("/r/b/y.ts")).toEqual(["/r/src/client.ts", "/r/b/lib.ts"]);
});

test("tsconfig comments go, `paths` patterns stay", () => {
  const text = '{\n  // aliases\n  "compilerOptions": { /* base */ "baseUrl": ".", "paths": { "@/*": ["src/*"], }, },\n}';
  expect(JSON.parse(stripJsonComments(text))).toEqual({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["src/*"] } } });
});

describe("a Cohere host in the bytes (a Python file holding a Generate URL is parsed for it)", () => {
  test.each<[string, boolean]>([
    ['URL = "https://api.cohere.ai/v1/generate"', true],
    ["base = 'https://api.cohere.com'", true],
    ["http://localhost:8080 or api.cohere.com:443", true],
    ['model_id = "cohere.command-r-plus-v1:0"', false],
    ['"cohere.embed-english-v3"', false],
    ["the cohere.community forum", false],
  ])("%s: %p", (text, expected) => {
    expect(namesCohereHost(Buffer.from(text))).toBe(expected);
  });
});
