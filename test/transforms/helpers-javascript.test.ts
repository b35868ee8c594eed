/**
 * The helpers' JavaScript is built from the same text as their TypeScript (src/transform/helpers.ts:
 * a signature per language, the body shared), so that migrate does not load the compiler to make it. It must stay what the compiler makes of the
 * TypeScript: the types taken out, laid out as written (two-space indents, no "use strict").
 */
import { ts } from "ts-morph";
import { HELPERS, javascriptOf } from "../../src/transform/helpers";

function transpiled(source: string): string {
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false },
  }).outputText;
  return out
    .replace(/^"use strict";\n/, "")
    .replace(/^( {4})+/gm, (indent) => " ".repeat(indent.length / 2))
    .trimEnd();
}

test.each([...HELPERS.keys()])("%s: the written JavaScript is the compiler's output for the TypeScript", (name) => {
  const helper = HELPERS.get(name);
  expect(helper).toBeDefined();
  expect(javascriptOf(name)).toBe(transpiled(helper?.ts ?? ""));
  // It is JavaScript: no type annotation is left.
  expect(javascriptOf(name)).not.toMatch(/\)\s*:\s*\w|<T\b/);
});
