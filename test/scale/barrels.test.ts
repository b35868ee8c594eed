/**
 * Barrels as ES modules resolve them (src/engine/barrels.ts): a module's own export wins over its
 * `export *`, an explicit re-export is followed alone, a name two stars export is ambiguous, and
 * only real export statements count (a commented-out one is no export). A wrong answer here is a
 * missed call or a false rewrite through the barrel.
 */
import * as path from "node:path";
import { originOf, type BarrelReader } from "../../src/engine/barrels";

function reader(files: Record<string, string>): BarrelReader {
  const texts = new Map(Object.entries(files).map(([f, t]) => [path.resolve("/r", f), t]));
  return {
    textOf: (abs) => texts.get(abs),
    resolve: (spec, from) => {
      if (!spec.startsWith(".")) return undefined;
      const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, "");
      return [base, `${base}.ts`, `${base}/index.ts`].find((f) => texts.has(f));
    },
  };
}

const CLIENT = 'import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({});\n';
const WRAPPER = "export class Wrapper { generate() {} }\nexport const co = new Wrapper();\n";

function origin(files: Record<string, string>, name = "co"): string | undefined {
  const found = originOf(reader(files), path.resolve("/r", "barrel.ts"), name);
  return found && `${path.relative("/r", found.module)} ${found.name}`;
}

describe("originOf", () => {
  test.each<[string, Record<string, string>, string | undefined]>([
    ["a star alone", { "barrel.ts": 'export * from "./client";\n', "client.ts": CLIENT }, "client.ts co"],
    ["the one star of two that exports it", { "barrel.ts": 'export * from "./wrapper";\nexport * from "./client";\n', "wrapper.ts": "export const other = 1;\n", "client.ts": CLIENT }, "client.ts co"],
    ["two stars exporting it: ambiguous", { "barrel.ts": 'export * from "./wrapper";\nexport * from "./client";\n', "wrapper.ts": WRAPPER, "client.ts": CLIENT }, undefined],
    ["the module's own export before any star", { "barrel.ts": 'import { co } from "./client";\nexport { co };\nexport * from "./wrapper";\n', "client.ts": CLIENT, "wrapper.ts": WRAPPER }, "barrel.ts co"],
    ["its own declaration before any star", { "barrel.ts": 'export const co = make();\nexport * from "./wrapper";\n', "wrapper.ts": WRAPPER }, "barrel.ts co"],
    ["an explicit re-export, followed alone", { "barrel.ts": 'export * from "./wrapper";\nexport { co as co } from "./client";\n', "client.ts": CLIENT, "wrapper.ts": WRAPPER }, "client.ts co"],
    ["a renamed re-export", { "barrel.ts": 'export { co as primary } from "./client";\n', "client.ts": CLIENT }, undefined],
    ["a commented-out re-export is none", { "barrel.ts": '// export { co } from "./wrapper";\nexport { co } from "./client";\n', "client.ts": CLIENT, "wrapper.ts": WRAPPER }, "client.ts co"],
    ["nor is one in a string", { "barrel.ts": 'const doc = "export * from \'./client\'";\nexport * from "./wrapper";\n', "client.ts": CLIENT, "wrapper.ts": WRAPPER }, "wrapper.ts co"],
    ["a star from a package may hold it", { "barrel.ts": 'export * from "some-package";\nexport * from "./client";\n', "client.ts": CLIENT }, undefined],
    ["export * as ns is not a name of the barrel's", { "barrel.ts": 'export * as co from "./client";\n', "client.ts": CLIENT }, undefined],
    ["a type-only re-export carries no value", { "barrel.ts": 'export type { co } from "./wrapper";\nexport * from "./client";\n', "client.ts": CLIENT, "wrapper.ts": WRAPPER }, "client.ts co"],
    ["through two barrels and a .js specifier", { "barrel.ts": 'export * from "./lib/index.js";\n', "lib/index.ts": 'export { co } from "./client.js";\n', "lib/client.ts": CLIENT }, "lib/client.ts co"],
    ["a cycle of stars ends", { "barrel.ts": 'export * from "./other";\n', "other.ts": 'export * from "./barrel";\n' }, undefined],
  ])("%s", (_name, files, expected) => {
    expect(origin(files)).toBe(expected);
  });

  test("a renamed re-export is followed under its own name", () => {
    expect(origin({ "barrel.ts": 'export { co as primary } from "./client";\n', "client.ts": CLIENT }, "primary")).toBe("client.ts co");
  });
});
