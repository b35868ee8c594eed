/**
 * Where a migrated JavaScript/TypeScript file's helpers live and how it imports them
 * (src/transform/helper-module.ts helperHomeOf): the import specifier must resolve in the runtime
 * the file is written for.
 */
import * as path from "node:path";
import { helperHomeOf } from "../../src/transform/helper-module";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

describe("the helper module's import specifier", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("cm-helper-home-");
  });
  afterEach(() => removeTemp(dir));

  test.each<[string, Record<string, string>, string, string]>([
    ["a CommonJS package: no extension", { "package.json": "{}" }, 'import { CohereClient } from "cohere-ai";\n', "./cohere-chat"],
    ["an ES module package: .js", { "package.json": '{ "type": "module" }' }, 'import { CohereClient } from "cohere-ai";\n', "./cohere-chat.js"],
    ["the file's own relative imports say .ts", { "package.json": "{}" }, 'import { x } from "./x.ts";\n', "./cohere-chat.ts"],
    // Deno resolves only a module's own file name: an import without an extension fails there.
    ["Deno, through an npm: specifier", {}, 'import { CohereClient } from "npm:cohere-ai@7.15.0";\n', "./cohere-chat.ts"],
    ["Deno, by its deno.json", { "deno.json": "{}" }, 'import { CohereClient } from "cohere-ai";\n', "./cohere-chat.ts"],
  ])("%s", (_name, tree, text, specifier) => {
    writeTree(dir, { ...tree, "main.ts": text });
    expect(helperHomeOf(path.join(dir, "main.ts"), text, dir).specifier).toBe(specifier);
  });
});
