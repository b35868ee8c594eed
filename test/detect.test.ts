/**
 * Detection on in-memory sources: which receivers are Cohere clients, in every import style,
 * and which `.generate()` calls are someone else's.
 */
import { detectInSourceFile } from "../src/detect/detect-file";
import { crossFileProject, singleFileProgram } from "../src/detect/program";
import { cohereSubpath, setCohereAliases } from "../src/detect/specifier";

function detect(text: string, file = "/virtual/a.ts") {
  const { sourceFile, program } = singleFileProgram(file, text);
  return detectInSourceFile(sourceFile, program.getTypeChecker(), false);
}

function kinds(text: string, file?: string): string[] {
  return detect(text, file).sites.map((s) => `${s.kind}:${s.client}:${s.certainty}`);
}

describe("clients made in the same file", () => {
  test.each([
    ["named import", `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nco.generate({ prompt: "x" });`, "generate:v1:certain"],
    ["renamed import", `import { CohereClient as C } from "cohere-ai";\nconst co = new C({});\nco.generate({ prompt: "x" });`, "generate:v1:certain"],
    ["namespace import", `import * as cohere from "cohere-ai";\nconst co = new cohere.CohereClientV2({});\nco.generate({ prompt: "x" });`, "generate:v2:certain"],
    ["type-only import for a parameter", `import type { CohereClient } from "cohere-ai";\nexport function f(co: CohereClient) { return co.generate({ prompt: "x" }); }`, "generate:v1:certain"],
    ["union with undefined", `import { CohereClient } from "cohere-ai";\nlet co: CohereClient | undefined;\nco?.generate({ prompt: "x" });`, "generate:v1:certain"],
    ["let assigned later", `import { CohereClient } from "cohere-ai";\nlet co;\nco = new CohereClient({});\nco.generate({ prompt: "x" });`, "generate:v1:certain"],
    ["class property", `import { CohereClient } from "cohere-ai";\nclass A { c = new CohereClient({}); run() { return this.c.generate({ prompt: "x" }); } }`, "generate:v1:certain"],
    ["constructor parameter property", `import { CohereClientV2 } from "cohere-ai";\nclass A { constructor(private c: CohereClientV2) {} run() { return this.c.generate({ prompt: "x" }); } }`, "generate:v2:certain"],
    ["subclass of CohereClient", `import { CohereClient } from "cohere-ai";\nclass Mine extends CohereClient {}\nnew Mine({}).generate({ prompt: "x" });`, "generate:v1:certain"],
    ["factory with return type", `import { CohereClient } from "cohere-ai";\nfunction get(): CohereClient { return new CohereClient({}); }\nget().generate({ prompt: "x" });`, "generate:v1:certain"],
    ["element access", `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nco["generate"]({ prompt: "x" });`, "generate:v1:certain"],
    ["generateStream", `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nco.generateStream({ prompt: "x" });`, "generate-stream:v1:certain"],
  ])("%s", (_name, text, expected) => {
    expect(kinds(text)).toEqual([expected]);
  });

  test.each([
    ["require", `const cohere = require("cohere-ai");\nconst co = new cohere.CohereClient({});\nco.generate({ prompt: "x" });`, "generate:v1:certain"],
    ["destructured require", `const { CohereClientV2: C } = require("cohere-ai");\nconst co = new C({});\nco.generate({ prompt: "x" });`, "generate:v2:certain"],
    ["this.x assigned in a JS constructor", `const { CohereClient } = require("cohere-ai");\nclass A { constructor() { this.co = new CohereClient({}); } run() { return this.co.generate({ prompt: "x" }); } }`, "generate:v1:certain"],
  ])("JavaScript: %s", (_name, text, expected) => {
    expect(kinds(text, "/virtual/a.js")).toEqual([expected]);
  });

  test("JavaScript: v6 module calls (generate, and init/embed for the package move to cohere-ai 8)", () => {
    const text = `const cohere = require("cohere-ai");\ncohere.init("key");\ncohere.generate({ prompt: "x" });\ncohere.embed({ texts: [] });`;
    expect(kinds(text, "/virtual/a.js")).toEqual(["v6-module:v6:certain", "v6-generate:v6:certain", "v6-module:v6:certain"]);
  });
});

describe("other generate() calls are left alone", () => {
  test.each([
    ["a local class", `class G { generate(x: { prompt: string }) { return x; } }\nnew G().generate({ prompt: "x" });`],
    ["LangChain-style import", `import { Cohere } from "@langchain/cohere";\nconst llm = new Cohere({});\nllm.generate(["x"]);`],
    ["this.generate in a base class", `import { CohereClient } from "cohere-ai";\nabstract class B { abstract generate(p: string): string; run() { return this.generate("x"); } }`],
    ["another vendor typed property", `import { CohereClient } from "cohere-ai";\ninterface Ollama { generate(r: object): void }\nclass A { constructor(private client: Ollama) {} run() { this.client.generate({ prompt: "x", stream: true }); } }`],
    ["images.generate", `import { CohereClient } from "cohere-ai";\ndeclare const openai: { images: { generate(r: object): void } };\nopenai.images.generate({ prompt: "x" });`],
    ["a chat call", `import { CohereClientV2 } from "cohere-ai";\nconst co = new CohereClientV2({});\nco.chat({ model: "m", messages: [] });`],
  ])("%s", (_name, text) => {
    expect(kinds(text)).toEqual([]);
  });

  test("peggy.generate in JavaScript", () => {
    expect(kinds(`const peggy = require("peggy");\npeggy.generate("start = 'a'");`, "/virtual/p.js")).toEqual([]);
  });
});

describe("receivers only other modules can settle", () => {
  test("an imported binding is undecided on its own and a client across files", () => {
    const use = `import { co } from "./client";\nexport const p = co.generate({ prompt: "x" });\n`;
    expect(detect(use, "/repo/use.ts").undecided).toHaveLength(1);

    const project = crossFileProject(
      new Map([
        ["/repo/client.ts", `import { CohereClientV2 } from "cohere-ai";\nexport const co = new CohereClientV2({});\n`],
        ["/repo/use.ts", use],
      ]),
      undefined,
      "memory",
    );
    const sf = project.getSourceFileOrThrow("/repo/use.ts").compilerNode;
    const settled = detectInSourceFile(sf, project.getTypeChecker().compilerObject, true);
    expect(settled.sites.map((s) => `${s.kind}:${s.client}`)).toEqual(["generate:v2"]);
  });

  test("a re-exporting index file is followed", () => {
    const project = crossFileProject(
      new Map([
        ["/repo/lib/cohere.ts", `import { CohereClient } from "cohere-ai";\nexport const llm = new CohereClient({});\n`],
        ["/repo/lib/index.ts", `export { llm as model } from "./cohere";\n`],
        ["/repo/app.ts", `import { model } from "./lib";\nmodel.generate({ prompt: "x" });\n`],
      ]),
      undefined,
      "memory",
    );
    const sf = project.getSourceFileOrThrow("/repo/app.ts").compilerNode;
    expect(detectInSourceFile(sf, project.getTypeChecker().compilerObject, true).sites.map((s) => s.kind)).toEqual(["generate"]);
  });

  test("an import of a non-client from another module is not a call of ours", () => {
    const project = crossFileProject(
      new Map([
        ["/repo/gen.ts", `export const gen = { generate: (o: object) => o };\n`],
        ["/repo/app.ts", `import { gen } from "./gen";\nimport "cohere-ai";\ngen.generate({ prompt: "x" });\n`],
      ]),
      undefined,
      "memory",
    );
    const sf = project.getSourceFileOrThrow("/repo/app.ts").compilerNode;
    expect(detectInSourceFile(sf, project.getTypeChecker().compilerObject, true).sites).toEqual([]);
  });
});

describe("possible legacy calls", () => {
  test("an unknown receiver in a file importing cohere-ai is reported as possible", () => {
    const text = `import { CohereClient } from "cohere-ai";\nexport function f(client: any) { return client.generate({ prompt: "x" }); }`;
    expect(kinds(text)).toEqual(["generate:v1:possible"]);
  });

  test("an unknown receiver in a file without cohere-ai is not reported", () => {
    expect(kinds(`export function f(client: any) { return client.generate({ prompt: "x" }); }`)).toEqual([]);
  });
});

describe("suppressions", () => {
  test("// cohere-migrate-ignore on the line before a call suppresses it", () => {
    const d = detect(`import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\n// cohere-migrate-ignore: on purpose\nco.generate({ prompt: "x" });\nco.generate({ prompt: "y" });`);
    expect(d.sites).toHaveLength(1);
    expect(d.suppressed).toBe(1);
  });

  test("// cohere-migrate-ignore-file suppresses the file", () => {
    const d = detect(`// cohere-migrate-ignore-file\nimport { CohereClient } from "cohere-ai";\nnew CohereClient({}).generate({ prompt: "x" });`);
    expect(d.sites).toEqual([]);
    expect(d.ignoreFile).toBe(true);
  });
});

describe("CommonJS modules across files", () => {
  const client = (exportForm: string) => `const { CohereClient } = require("cohere-ai");\n${exportForm}\n`;
  test.each([
    ["exports.client = new ...", client(`exports.client = new CohereClient({});`), `const { client } = require("./client");\nclient.generate({ prompt: "x" });\n`],
    ["module.exports.client = client", client(`const client = new CohereClient({});\nmodule.exports.client = client;`), `const { client } = require("./client");\nclient.generate({ prompt: "x" });\n`],
    ["require(...).client", client(`module.exports = { client: new CohereClient({}) };`), `const client = require("./client").client;\nclient.generate({ prompt: "x" });\n`],
    ["module.exports = new ...", client(`module.exports = new CohereClient({});`), `const client = require("./client");\nclient.generate({ prompt: "x" });\n`],
  ])("%s", (_name, clientFile, useFile) => {
    expect(detect(useFile, "/repo/use.js").undecided).toHaveLength(1);
    const project = crossFileProject(new Map([["/repo/client.js", clientFile], ["/repo/use.js", useFile]]), undefined, "memory");
    const sf = project.getSourceFileOrThrow("/repo/use.js").compilerNode;
    expect(detectInSourceFile(sf, project.getTypeChecker().compilerObject, true).sites.map((s) => `${s.kind}:${s.client}`)).toEqual(["generate:v1"]);
  });
});

describe("a client handed to a package function", () => {
  // Before, any package function's result was "not a client": nothing was reported.
  test.each([
    ["useMemo(() => new CohereClient())", `import { useMemo } from "react";\nimport { CohereClient } from "cohere-ai";\nexport function f(token: string) { const client = useMemo(() => new CohereClient({ token }), [token]); return client.generate({ prompt: "x" }); }`, ["generate:v1:possible"]],
    ["a container told the client type", `import { container } from "tsyringe";\nimport { CohereClient } from "cohere-ai";\nexport const f = () => container.resolve<CohereClient>("cohere").generate({ prompt: "x" });`, ["generate:v1:possible"]],
    ["a package function handed something else", `import { useMemo } from "react";\nimport { CohereClient } from "cohere-ai";\nexport function f() { const llm = useMemo(() => ({ generate: (p: { prompt: string }) => p.prompt }), []); return llm.generate({ prompt: "x" }); }`, []],
  ])("%s", (_name, text, expected) => {
    expect(kinds(text, "/virtual/a.tsx")).toEqual(expected);
  });
});

describe("receivers whose kind cannot be one", () => {
  test("a value that may be a CohereClient or a CohereClientV2 is only possible", () => {
    const text = `import { CohereClient, CohereClientV2 } from "cohere-ai";\nconst c = process.env.V2 ? new CohereClientV2({}) : new CohereClient({});\nc.generate({ prompt: "x" });`;
    expect(kinds(text)).toEqual(["generate:v1:possible"]);
  });

  test("a destructured property of a parameter typed with an object type", () => {
    const text = `import type { CohereClient } from "cohere-ai";\nexport function f(deps: { co: CohereClient }) { const { co } = deps; return co.generate({ prompt: "x" }); }\nexport function g({ co }: { co: CohereClient }) { return co.generate({ prompt: "x" }); }`;
    expect(kinds(text)).toEqual(["generate:v1:certain", "generate:v1:certain"]);
  });

  test.each(["npm:cohere-ai@7.14.0", "https://esm.sh/cohere-ai@7.14.0", "cohere-ai/ClientV2"])("the module from %s", (spec) => {
    const name = spec.endsWith("ClientV2") ? "CohereClientV2" : "CohereClient";
    expect(kinds(`import { ${name} } from "${spec}";\nnew ${name}({}).generate({ prompt: "x" });`).length).toBe(1);
  });
});

describe("cohere-ai under another name", () => {
  afterEach(() => setCohereAliases(new Set()));

  test.each([
    ["cohere-ai", ""],
    ["cohere-ai/api", "/api"],
    ["npm:cohere-ai@7", ""],
    ["npm:cohere-ai@7/api", "/api"],
    ["https://esm.sh/cohere-ai@7.14.0", ""],
    ["llm", ""],
    ["llm/api", "/api"],
    ["@acme/co", ""],
    ["@acme/co/api", "/api"],
    ["llm-extra", undefined],
    ["@acme/other", undefined],
    ["openai", undefined],
  ])("%s is the package's %p module", (spec, subpath) => {
    setCohereAliases(new Set(["llm", "@acme/co"]));
    expect(cohereSubpath(spec)).toBe(subpath);
  });

  // Before, only the specifier "cohere-ai" was taken for the package's root: a type named under
  // `Cohere` through an alias or `npm:cohere-ai@7`, and a client typed `import("llm").CohereClient`, were missed.
  test.each(["llm", "npm:cohere-ai@7"])("the Generate types and an import type's client from %s", (spec) => {
    setCohereAliases(new Set(["llm"]));
    const text = [
      `import { Cohere } from "${spec}";`,
      `import * as ns from "${spec}";`,
      `export function first(r: Cohere.Generation) { return r.generations[0].text; }`,
      `export const request: ns.Cohere.GenerateRequest = { prompt: "x" };`,
      `export type One = import("${spec}").Cohere.SingleGeneration;`,
      `export function run(client: import("${spec}").CohereClient) { return client.generate({ prompt: "x" }); }`,
    ].join("\n");
    expect(kinds(text)).toEqual(["generate-type:v1:certain", "generate-type:v1:certain", "generate-type:v1:certain", "generate:v1:certain"]);
  });
});
