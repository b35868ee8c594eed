/**
 * cohere-v6-to-v8 asks for cohere-ai 8.1.0; the engine raises the nearest package.json that
 * depends on cohere-ai 6 to ^8.1.0, keeps its layout, and reports it. Fixture runs are dry, so
 * the write is checked here on a temporary copy of the fixture's input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { migrate, type MigrateOptions } from "../../src/migrate";
import { FIXTURES, tempTree } from "../support/fixtures";

const INPUT = path.join(FIXTURES, "cohere-v6-to-v8", "package-json-v6-range", "input");

function inputFiles(dir = INPUT, out = new Map<string, string>()): Map<string, string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) inputFiles(abs, out);
    else out.set(path.relative(INPUT, abs).split(path.sep).join("/"), fs.readFileSync(abs, "utf8"));
  }
  return out;
}

async function run(options: Omit<MigrateOptions, "cwd" | "paths">): Promise<{ result: Awaited<ReturnType<typeof migrate>>; packageJson: string }> {
  const dir = tempTree(inputFiles(), "cm-v6-deps-");
  try {
    const result = await migrate({ cwd: dir, paths: ["."], ...options });
    return { result, packageJson: fs.readFileSync(path.join(dir, "package.json"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const original = fs.readFileSync(path.join(INPUT, "package.json"), "utf8");

test("migrating v6 calls raises cohere-ai from ^6.2.2 to ^8.1.0 in place, once for the package", async () => {
  const { result, packageJson } = await run({});
  // The package's helper modules (one per module system its migrated files use) are created with them.
  expect(result.files.filter((f) => f.status === "changed").map((f) => `${f.file}${f.created ? " (created)" : ""}`).sort()).toEqual(["src/cohere-chat.cjs (created)", "src/cohere-chat.ts (created)", "src/reply.js", "src/summary.ts"]);
  expect(result.dependencyUpdates).toEqual([{ file: "package.json", name: "cohere-ai", field: "dependencies", from: "^6.2.2", to: "^8.1.0", applied: true }]);
  expect(packageJson).toBe(original.replace('"cohere-ai": "^6.2.2"', '"cohere-ai": "^8.1.0"'));
});

test("updateDeps: false (--no-update-deps) reports the range it needs and leaves package.json alone", async () => {
  const { result, packageJson } = await run({ updateDeps: false });
  expect(result.dependencyUpdates).toEqual([{ file: "package.json", name: "cohere-ai", field: "dependencies", from: "^6.2.2", to: "^8.1.0", applied: false }]);
  expect(packageJson).toBe(original);
});

test("a dry run reports the update without writing it", async () => {
  const { result, packageJson } = await run({ dry: true });
  expect(result.dependencyUpdates.map((u) => [u.to, u.applied])).toEqual([["^8.1.0", false]]);
  expect(packageJson).toBe(original);
});

test("a v6 call on the module object another module exports is not called fixable: migrate marks it", async () => {
  const dir = tempTree(
    new Map([
      ["package.json", '{ "name": "app", "dependencies": { "cohere-ai": "^6.2.2" } }\n'],
      ["lib/co.js", 'import cohere from "cohere-ai";\ncohere.init("k");\nexport default cohere;\n'],
      ["app.js", 'import co from "./lib/co.js";\nexport async function run(prompt) {\n  const response = await co.generate({ prompt, max_tokens: 40 });\n  return response.body.generations[0].text;\n}\n'],
    ]),
  );
  const found = await check({ cwd: dir, paths: ["."] });
  expect(found.findings.filter((f) => f.rule === "v6-generate").map((f) => `${f.file} ${f.fixable}`)).toEqual(["app.js false"]);
  const result = await migrate({ cwd: dir, dry: true });
  expect(result.files.find((f) => f.file === "app.js")?.migrated).toBe(0);
});
