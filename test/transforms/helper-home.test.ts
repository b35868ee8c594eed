/**
 * Where a migrated JavaScript/TypeScript file's helpers live and how it imports them
 * (src/transform/helper-module.ts helperHomeOf): the import specifier must resolve in the runtime
 * the file is written for.
 */
import * as path from "node:path";
import { helperHomeOf } from "../../src/transform/helper-module";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

/** Each test's own folder. */
let dir: string;
beforeEach(() => {
  dir = tempDir("cm-helper-home-");
});
afterEach(() => removeTemp(dir));

describe("the helper module's import specifier", () => {
  test.each<[string, Record<string, string>, string, string]>([
    ["a CommonJS package: no extension", { "package.json": "{}" }, 'import { CohereClient } from "cohere-ai";\n', "./cohere-chat"],
    ["an ES module package: .js", { "package.json": '{ "type": "module" }' }, 'import { CohereClient } from "cohere-ai";\n', "./cohere-chat.js"],
    ["the file's own relative imports say .ts", { "package.json": "{}" }, 'import { x } from "./x.ts";\n', "./cohere-chat.ts"],
    // Deno resolves only a module's own file name: an import without an extension fails there.
    ["Deno, through an npm: specifier", {}, 'import { CohereClient } from "npm:cohere-ai@7.15.0";\n', "./cohere-chat.ts"],
    ["Deno, by its deno.json", { "deno.json": "{}" }, 'import { CohereClient } from "cohere-ai";\n', "./cohere-chat.ts"],
    // A Supabase edge function that imports nothing, only calling fetch from Deno.serve.
    ["Deno, by its global", {}, 'Deno.serve(async () => new Response(await (await fetch("https://api.cohere.ai/v1/generate")).text()));\n', "./cohere-chat.ts"],
  ])("%s", (_name, tree, text, specifier) => {
    writeTree(dir, { ...tree, "main.ts": text });
    expect(helperHomeOf(path.join(dir, "main.ts"), text, dir)?.specifier).toBe(specifier);
  });
});

describe("a JavaScript file written in no module system", () => {
  // No import form loads wherever such a file runs: `require` throws in an ES module ("type":
  // "module", top-level await) and in a browser's classic script, `import` in a classic script.
  test.each<[string, Record<string, string>, string]>([
    ["a top-level-await script in a \"type\": \"module\" package", { "package.json": '{ "type": "module" }' }, 'const r = await fetch("https://api.cohere.ai/v1/generate");\n'],
    ["a browser's classic script", { "index.html": '<script src="main.js"></script>' }, 'document.getElementById("go").addEventListener("click", () => fetch("https://api.cohere.ai/v1/generate"));\n'],
  ])("%s gets its helpers written into it", (_name, tree, text) => {
    writeTree(dir, { ...tree, "main.js": text });
    expect(helperHomeOf(path.join(dir, "main.js"), text, dir)).toBeUndefined();
  });

  test.each<[string, string, "cjs" | "esm"]>([
    ["require", 'const fs = require("fs");\n', "cjs"],
    ["module.exports", "module.exports = { run };\n", "cjs"],
    ["import", 'import fs from "fs";\n', "esm"],
  ])("a file using %s imports them as it loads its modules", (_name, text, syntax) => {
    writeTree(dir, { "package.json": "{}", "main.js": text });
    expect(helperHomeOf(path.join(dir, "main.js"), text, dir)?.syntax).toBe(syntax);
  });
});

describe("the helper module's folder", () => {
  // A module outside the compiled folder fails the build under rootDir (TS6059), or moves the
  // output (dist/server/index.js where "start" runs dist/index.js).
  test.each<[string, string, string]>([
    ["the tsconfig's rootDir", '{ "compilerOptions": { "outDir": "dist", "rootDir": "server" } }', "server"],
    ["the one folder its include patterns start with", '{ "compilerOptions": { "outDir": "dist" }, "include": ["server/**/*"] }', "server"],
    ["the package's top when include names several folders", '{ "include": ["server/**/*", "scripts/**/*"] }', "."],
  ])("is %s", (_name, tsconfig, folder) => {
    const text = 'import { CohereClient } from "cohere-ai";\n';
    writeTree(dir, { "package.json": "{}", "tsconfig.json": tsconfig, "server/routes/ai.ts": text });
    expect(helperHomeOf(path.join(dir, "server/routes/ai.ts"), text, dir)?.module).toBe(path.join(dir, folder, "cohere-chat.ts"));
  });
});
