/**
 * The migrate command as a library call: model choice, package.json updates, parse failures,
 * untouched files and the human summary.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { migrate } from "../src/migrate";
import { check } from "../src/check";
import { MARKERS } from "../src/markers";
import { formatSummary } from "../src/format/summary";
import { tempTree } from "./support/fixtures";

const CLIENT = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({ token: "t" });\n`;

function call(fields: string): string {
  return `${CLIENT}export async function f(): Promise<string> {\n  const r = await co.generate({ ${fields} });\n  return r.generations[0].text;\n}\n`;
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), "utf8");
}

describe("the model", () => {
  test("--model replaces the default for absent and retired models, and keeps custom ids", async () => {
    const dir = tempTree(
      new Map([
        ["absent.ts", call(`prompt: "a"`)],
        ["retired.ts", call(`model: "command-light", prompt: "a"`)],
        ["custom.ts", call(`model: "my-ft-model", prompt: "a"`)],
      ]),
    );
    const result = await migrate({ cwd: dir, model: "command-r7b-12-2024" });
    expect(read(dir, "absent.ts")).toContain(`model: "command-r7b-12-2024"`);
    expect(read(dir, "retired.ts")).toContain(`model: "command-r7b-12-2024"`);
    expect(read(dir, "custom.ts")).toContain(`model: "my-ft-model"`);
    expect(result.model).toBe("command-r7b-12-2024");
    const notes = result.files.flatMap((f) => f.notes.filter((n) => n.kind === "model-defaulted").map((n) => `${f.file}: ${n.message}`));
    expect(notes).toEqual([
      `absent.ts: model: none given, now "command-r7b-12-2024"`,
      `retired.ts: model: "command-light" is retired, now "command-r7b-12-2024"`,
    ]);
  });
});

test("Python: a computed model is said to need a Chat model, naming the retired ones the module lists", async () => {
  const dir = tempTree(
    new Map([
      ["ui.py", `import cohere\n\nco = cohere.Client("k")\nMODELS = ["command-xlarge-nightly", "command-r-plus-08-2024"]\n\n\ndef gen(p, mdl):\n    return co.generate(model=mdl, prompt=p).generations[0].text\n\n\nprint(gen("hi", MODELS[0]))\n`],
      ["plain.py", `import cohere\n\nco = cohere.Client("k")\n\n\ndef gen(p, mdl):\n    return co.generate(model=mdl, prompt=p).generations[0].text\n`],
    ]),
  );
  const result = await migrate({ cwd: dir, dry: true });
  const notes = result.files.flatMap((f) => f.notes.filter((n) => n.kind === "model-kept").map((n) => `${f.file}: ${n.message}`));
  expect(notes).toEqual([
    "plain.py: model is computed: make sure it names a Chat model (retired Generate models fail on Chat)",
    "ui.py: model is computed, and this module names retired models (command-xlarge-nightly): replace them with Chat models (they fail on Chat)",
  ]);
});

describe("package.json", () => {
  const pkg = (range: string) => `{\n  "name": "app",\n  "dependencies": {\n    "cohere-ai": "${range}",\n    "left-pad": "^1.3.0"\n  }\n}\n`;

  test("a cohere-ai range below 7.12 is raised (client.v2 needs it), keeping the file's layout", async () => {
    const dir = tempTree(new Map([["package.json", pkg("^7.3.0")], ["src/a.ts", call(`prompt: "a"`)]]));
    const result = await migrate({ cwd: dir });
    expect(result.dependencyUpdates).toEqual([{ file: "package.json", name: "cohere-ai", field: "dependencies", from: "^7.3.0", to: "^7.15.0", applied: true }]);
    expect(read(dir, "package.json")).toBe(pkg("^7.15.0"));
  });

  test("only the parts of a range below the need are raised: no version it allowed above them is forbidden", async () => {
    const cases: Array<[string, string]> = [
      [">=7.0.0", ">=7.15.0"],
      ["^7.0.0 || ^8.0.0", "^7.15.0 || ^8.0.0"],
      [">=7.0.0 <9", ">=7.15.0 <9"],
      // An upper bound below the need would leave no release: the need's range instead.
      [">=7.0.0 <7.12.0", "^7.15.0"],
      ["~7.10.1", "^7.15.0"],
    ];
    for (const [from, to] of cases) {
      const dir = tempTree(new Map([["package.json", pkg(from)], ["a.ts", call(`prompt: "a"`)]]));
      const [update] = (await migrate({ cwd: dir, dry: true })).dependencyUpdates;
      expect({ from, to: update?.to }).toEqual({ from, to });
    }
  });

  test("--dry and --no-update-deps report the change without writing it", async () => {
    for (const options of [{ dry: true }, { updateDeps: false }]) {
      const dir = tempTree(new Map([["package.json", pkg("~7.10.1")], ["a.ts", call(`prompt: "a"`)]]));
      const result = await migrate({ cwd: dir, ...options });
      expect(result.dependencyUpdates.map(({ before: _b, after: _a, ...u }) => u)).toEqual([{ file: "package.json", name: "cohere-ai", field: "dependencies", from: "~7.10.1", to: "^7.15.0", applied: false }]);
      // --dry carries the edit for its diff; --no-update-deps makes none.
      expect(result.dependencyUpdates[0].after).toBe(options.dry ? pkg("^7.15.0") : undefined);
      expect(read(dir, "package.json")).toBe(pkg("~7.10.1"));
    }
  });

  test("every field that names cohere-ai is raised: a library's peer range with its dev pin, and one range in two fields", async () => {
    const library = `{\n  "name": "helper",\n  "peerDependencies": { "cohere-ai": "^7.0.0" },\n  "devDependencies": { "cohere-ai": "7.10.0" }\n}\n`;
    const dir = tempTree(new Map([["package.json", library], ["a.ts", call(`prompt: "a"`)]]));
    const result = await migrate({ cwd: dir });
    expect(result.dependencyUpdates.map((u) => [u.field, u.from, u.to])).toEqual([
      ["devDependencies", "7.10.0", "^7.15.0"],
      ["peerDependencies", "^7.0.0", "^7.15.0"],
    ]);
    expect(read(dir, "package.json")).toBe(library.replace('"^7.0.0"', '"^7.15.0"').replace('"7.10.0"', '"^7.15.0"'));
    const twice = `{\n  "dependencies": { "cohere-ai": "^7.2.0" },\n  "devDependencies": { "cohere-ai": "^7.2.0" }\n}\n`;
    const other = tempTree(new Map([["package.json", twice], ["a.ts", call(`prompt: "a"`)]]));
    const dry = await migrate({ cwd: other, dry: true });
    expect(dry.dependencyUpdates.map((u) => [u.field, u.from, u.to])).toEqual([["dependencies", "^7.2.0", "^7.15.0"]]);
    expect(dry.dependencyUpdates[0].after).toBe(twice.replace(/\^7\.2\.0/g, "^7.15.0"));
  });

  test("overrides, resolutions and pnpm.overrides pinning cohere-ai are raised with the dependency (they would install a release without client.v2)", async () => {
    const text = `{\n  "dependencies": { "cohere-ai": "^7.9.0" },\n  "overrides": { "cohere-ai": "7.10.0" },\n  "resolutions": { "cohere-ai": "7.10.0" },\n  "pnpm": { "overrides": { "cohere-ai": "7.10.0" } }\n}\n`;
    const dir = tempTree(new Map([["package.json", text], ["a.ts", call(`prompt: "a"`)]]));
    const result = await migrate({ cwd: dir });
    expect(result.dependencyUpdates.map((u) => [u.field, u.from, u.to])).toEqual([
      ["dependencies", "^7.9.0", "^7.15.0"],
      ["overrides", "7.10.0", "^7.15.0"],
    ]);
    expect(read(dir, "package.json")).toBe(text.replace("^7.9.0", "^7.15.0").replace(/"7\.10\.0"/g, '"^7.15.0"'));
  });

  test("a range that already allows client.v2 is left alone", async () => {
    const dir = tempTree(new Map([["package.json", pkg("^8.0.0")], ["a.ts", call(`prompt: "a"`)]]));
    expect((await migrate({ cwd: dir })).dependencyUpdates).toEqual([]);
    expect(read(dir, "package.json")).toBe(pkg("^8.0.0"));
  });
});

describe("lock files and hashes the manifest update leaves stale", () => {
  const PY = `import cohere\nco = cohere.Client("k")\nprint(co.generate(prompt="hi").generations[0].text)\n`;

  test("a range that needs no raise, beside a lock that pins cohere 4.x: the lock is named with its command", async () => {
    const dir = tempTree(
      new Map([
        ["pipenv/Pipfile", `[packages]\ncohere = "*"\n`],
        ["pipenv/Pipfile.lock", JSON.stringify({ default: { cohere: { version: "==4.45" } } }) + "\n"],
        ["pipenv/app.py", PY],
        ["poetry/pyproject.toml", `[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\ncohere = "*"\n`],
        ["poetry/poetry.lock", `[[package]]\nname = "cohere"\nversion = "4.57"\n`],
        ["poetry/app.py", PY],
        ["fresh/Pipfile", `[packages]\ncohere = "*"\n`],
        ["fresh/Pipfile.lock", JSON.stringify({ default: { cohere: { version: "==5.13.0" } } }) + "\n"],
        ["fresh/app.py", PY],
      ]),
    );
    const result = await migrate({ cwd: dir, dry: true });
    expect(result.dependencyUpdates).toEqual([]);
    const notes = result.files.flatMap((f) => f.notes.filter((n) => n.kind === "info").map((n) => `${f.file}: ${n.message}`));
    expect(notes.sort()).toEqual([
      "pipenv/app.py: Pipfile.lock locks cohere 4.45, which has no Chat v2 (the migrated code needs 5.10.0): run pipenv lock",
      "poetry/app.py: poetry.lock locks cohere 4.57, which has no Chat v2 (the migrated code needs 5.10.0): run poetry lock",
    ]);
  });

  test("the nearest lock of the manifest's package manager is named with its command, in the summary too", async () => {
    const dir = tempTree(
      new Map([
        ["yarn.lock", "# workspace root lock\n"],
        ["package.json", `{ "private": true, "workspaces": ["packages/*"] }\n`],
        ["packages/bot/package.json", `{ "dependencies": { "cohere-ai": "^7.3.0" } }\n`],
        ["packages/bot/a.ts", call(`prompt: "a"`)],
        ["svc/pyproject.toml", `[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\ncohere = "^4.37"\n`],
        ["svc/poetry.lock", "# lock\n"],
        ["svc/app.py", PY],
        ["hashed/requirements.txt", "cohere==4.57 \\\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n"],
        ["hashed/app.py", PY],
      ]),
    );
    const result = await migrate({ cwd: dir, dry: true });
    expect(result.dependencyUpdates.map((d) => [d.file, d.note])).toEqual([
      ["packages/bot/package.json", "../../yarn.lock still locks the old release: run yarn install"],
      ["hashed/requirements.txt", "its --hash values are for cohere==4.57: regenerate them (pip-compile --generate-hashes)"],
      ["svc/pyproject.toml", "poetry.lock still locks the old release: run poetry lock"],
    ]);
    expect(formatSummary(result)).toContain("  svc/pyproject.toml: cohere ^4.37 → ^5.10 || ^6.0 || ^7.0 (not written: --dry or --no-update-deps)\n    then: poetry.lock still locks the old release: run poetry lock\n");
  });

  test("a lock above that does not cover the manifest's folder (the repository's own, over an example project) does not count", async () => {
    const dir = tempTree(
      new Map([
        ["package.json", `{ "name": "tool", "devDependencies": { "cohere-ai": "8.1.0" } }\n`],
        ["package-lock.json", `{ "packages": { "": {}, "node_modules/cohere-ai": { "version": "8.1.0" } } }\n`],
        ["examples/demo/package.json", `{ "dependencies": { "cohere-ai": "^7.3.0" } }\n`],
        ["examples/demo/a.ts", call(`prompt: "a"`)],
      ]),
    );
    const result = await migrate({ cwd: dir, paths: ["examples"], dry: true });
    expect(result.dependencyUpdates.map((d) => [d.file, d.note])).toEqual([["examples/demo/package.json", undefined]]);
  });

  test("no lock, no note; a lock of another package manager does not count", async () => {
    const dir = tempTree(new Map([["package.json", `{ "dependencies": { "cohere-ai": "^7.3.0" } }\n`], ["Pipfile.lock", "{}\n"], ["a.ts", call(`prompt: "a"`)]]));
    const [{ before: _b, after: _a, ...update }] = (await migrate({ cwd: dir, dry: true })).dependencyUpdates;
    expect(update).toEqual({ file: "package.json", name: "cohere-ai", field: "dependencies", from: "^7.3.0", to: "^7.15.0", applied: false });
  });
});

describe("a release pinned in the import specifier (Deno, esm.sh)", () => {
  const deno = (specifier: string): string =>
    `import { CohereClient } from "${specifier}";\nconst co = new CohereClient({ token: "t" });\nexport async function f(prompt: string) {\n  const r = await co.generate({ prompt });\n  return r.generations[0].text;\n}\n`;

  test("a pin below what client.v2 needs is raised in place, with a note; one that has it, or a bare major that resolves to it, is left", async () => {
    const dir = tempTree(
      new Map([
        ["old.ts", deno("npm:cohere-ai@7.6.2")],
        ["caret.ts", deno("https://esm.sh/cohere-ai@^7.10.0")],
        ["recent.ts", deno("npm:cohere-ai@7.15.0")],
        ["major.ts", deno("npm:cohere-ai@7")],
      ]),
    );
    const result = await migrate({ cwd: dir, force: true });
    expect(read(dir, "old.ts")).toContain('from "npm:cohere-ai@7.12.0";');
    expect(read(dir, "caret.ts")).toContain('from "https://esm.sh/cohere-ai@^7.12.0";');
    expect(read(dir, "recent.ts")).toContain('from "npm:cohere-ai@7.15.0";');
    expect(read(dir, "major.ts")).toContain('from "npm:cohere-ai@7";');
    const notes = result.files.flatMap((f) => f.notes.filter((n) => n.kind === "dependency-updated").map((n) => `${f.file}: ${n.message}`));
    expect(notes.sort()).toEqual([
      "caret.ts: raised the import specifier https://esm.sh/cohere-ai@^7.10.0 to https://esm.sh/cohere-ai@^7.12.0: the migrated calls need cohere-ai 7.12.0",
      "old.ts: raised the import specifier npm:cohere-ai@7.6.2 to npm:cohere-ai@7.12.0: the migrated calls need cohere-ai 7.12.0",
    ]);
  });
});

describe("cohere-ai 8's exports: imports of other paths of the package, where migrate raises it to 8", () => {
  const MARKER = `/* cohere-migrate: deep-import ${MARKERS["deep-import"].text} */`;
  const V6 = `import cohere from "cohere-ai";\ncohere.init("k");\nexport async function ask(prompt: string) {\n  const r = await cohere.generate({ prompt });\n  return r.body.generations[0].text;\n}\n`;

  test("are marked in every file of that package, not in a package left on 7; check reports them; a second run changes nothing", async () => {
    const types = `import type {\n  cohereResponse,\n  generateResponse,\n} from "cohere-ai/dist/models";\nimport { AwsClient } from "cohere-ai/aws";\n// import x from "cohere-ai/dist/old";\nexport type Reply = cohereResponse<generateResponse>;\nexport const client = AwsClient;\nexport const load = () =>\n  import("cohere-ai/dist/models");\n`;
    const legacy = `// cohere-migrate-ignore\nconst models = require("cohere-ai/dist/models");\nconst more = require('cohere-ai/dist/models/responses');\nmodule.exports = { models, more };\n`;
    const lib = `export type { Cohere } from "cohere-ai/api";\n`;
    const dir = tempTree(
      new Map([
        ["app/package.json", `{ "dependencies": { "cohere-ai": "^6.2.0" } }\n`],
        ["app/ask.ts", V6],
        ["app/types.ts", types],
        ["app/legacy.js", legacy],
        ["lib/package.json", `{ "dependencies": { "cohere-ai": "^7.3.0" } }\n`],
        ["lib/gen.ts", call(`prompt: "a"`)],
        ["lib/types.ts", lib],
      ]),
    );
    const result = await migrate({ cwd: dir, force: true });
    expect(read(dir, "app/package.json")).toContain('"cohere-ai": "^8.1.0"');
    expect(read(dir, "app/types.ts")).toBe(
      `${MARKER}\nimport type {\n  cohereResponse,\n  generateResponse,\n} from "cohere-ai/dist/models";\nimport { AwsClient } from "cohere-ai/aws";\n// import x from "cohere-ai/dist/old";\nexport type Reply = cohereResponse<generateResponse>;\nexport const client = AwsClient;\nexport const load = () =>\n  ${MARKER}\n  import("cohere-ai/dist/models");\n`,
    );
    expect(read(dir, "app/legacy.js")).toBe(`// cohere-migrate-ignore\nconst models = require("cohere-ai/dist/models");\n${MARKER}\nconst more = require('cohere-ai/dist/models/responses');\nmodule.exports = { models, more };\n`);
    expect(read(dir, "lib/types.ts")).toBe(lib);
    const added = result.files.flatMap((f) => f.markersAdded.map((m) => `${f.file}:${m.span.start.line} ${m.code}`));
    expect(added.filter((m) => m.includes("deep-import")).sort()).toEqual(["app/legacy.js:3 deep-import", "app/types.ts:1 deep-import", "app/types.ts:11 deep-import"]);
    const checked = await check({ cwd: dir });
    expect(checked.files.flatMap((f) => f.findings.filter((x) => x.rule === "marker/deep-import").map((x) => `${f.file}:${x.span.start.line}`)).sort()).toEqual(["app/legacy.js:3", "app/types.ts:1", "app/types.ts:11"]);
    const again = await migrate({ cwd: dir, force: true });
    expect(again.files.filter((f) => f.status === "changed").map((f) => f.file)).toEqual([]);
  });
});

describe("a notebook's pip install pin", () => {
  const notebook = (pin: string): string =>
    JSON.stringify(
      {
        cells: [
          { cell_type: "code", execution_count: null, id: "a", metadata: {}, outputs: [], source: [`!pip install -q ${pin} tiktoken\n`, "import cohere\n", 'co = cohere.Client("k")'] },
          { cell_type: "code", execution_count: null, id: "b", metadata: {}, outputs: [], source: ['print(co.generate(prompt="hi").generations[0].text)'] },
        ],
        metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" } },
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    ) + "\n";

  test("is raised with the migration, and said so; --no-update-deps leaves it", async () => {
    const dir = tempTree(new Map([["nb.ipynb", notebook("cohere==4.57")]]));
    const result = await migrate({ cwd: dir });
    expect(read(dir, "nb.ipynb")).toContain('"!pip install -q cohere==7.3.1 tiktoken\\n"');
    const notes = result.files.flatMap((f) => f.notes.filter((n) => n.kind === "dependency-updated").map((n) => `${f.file}:${n.span.start.line}: ${n.message}`));
    expect(notes).toEqual(["nb.ipynb:10: raised the notebook's pip install pin cohere==4.57 to cohere==7.3.1: the migrated code needs cohere>=5.10.0"]);
    expect(formatSummary(result)).toContain("raised the notebook's pip install pin cohere==4.57 to cohere==7.3.1");

    const kept = tempTree(new Map([["nb.ipynb", notebook("cohere==4.57")]]));
    await migrate({ cwd: kept, updateDeps: false });
    expect(read(kept, "nb.ipynb")).toContain('"!pip install -q cohere==4.57 tiktoken\\n"');
    expect(read(kept, "nb.ipynb")).toContain("co.v2.chat(");
  });
});

describe("files migrate cannot or need not change", () => {
  test("a file that does not parse is reported with its place, left untouched, and the run goes on", async () => {
    const broken = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nco.generate({ prompt: "x" ;\n`;
    const dir = tempTree(new Map([["broken.ts", broken], ["good.ts", call(`prompt: "a"`)]]));
    const result = await migrate({ cwd: dir });
    const failed = result.files.find((f) => f.file === "broken.ts");
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatchObject({ line: 3, column: expect.any(Number) });
    expect(failed?.error?.sourceLine).toBe(`co.generate({ prompt: "x" ;`);
    expect(read(dir, "broken.ts")).toBe(broken);
    expect(result.files.find((f) => f.file === "good.ts")?.status).toBe("changed");
    // good.ts and the helper module it now imports from.
    expect(result.files.find((f) => f.file === "cohere-chat.ts")).toMatchObject({ status: "changed", created: true });
    expect(result.totals).toMatchObject({ failed: 1, changed: 2, migrated: 1 });
  });

  test("files without Cohere calls keep their bytes, BOM and line endings included", async () => {
    const other = "\uFEFFconst llm = { generate: (p: string) => p };\r\nllm.generate(\"x\");\r\n";
    const dir = tempTree(new Map([["other.ts", other], ["a.ts", call(`prompt: "a"`)]]));
    await migrate({ cwd: dir });
    expect(fs.readFileSync(path.join(dir, "other.ts"))).toEqual(Buffer.from(other, "utf8"));
  });

  test("migrating a migrated tree changes nothing", async () => {
    const dir = tempTree(new Map([["a.ts", call(`prompt: "a", numGenerations: 2, stopSequences: ["."]`)]]));
    await migrate({ cwd: dir });
    const once = read(dir, "a.ts");
    const again = await migrate({ cwd: dir });
    expect(read(dir, "a.ts")).toBe(once);
    expect(again.totals).toMatchObject({ changed: 0, migrated: 0 });
  });
});

describe("an ignore comment over a statement migrate marks", () => {
  test("stays next to it, under the marker: it still suppresses the statement, check calls nothing fixable, and a second run changes nothing (both languages)", async () => {
    const js = `const { CohereClient } = require("cohere-ai");\nconst co = new CohereClient({ token: "k" });\n\nasync function main() {\n  const r = await co.generate({ prompt: "a" });\n  // cohere-migrate-ignore\n  console.log(r, await co.generate({ prompt: "b" }));\n}\nmain();\n`;
    const py = `import cohere\n\nco = cohere.Client("k")\nr = co.generate(prompt="a")\n# cohere-migrate-ignore\nprint(r, co.generate(prompt="b"))\n`;
    const dir = tempTree(new Map([["a.js", js], ["a.py", py]]));
    await migrate({ cwd: dir });
    // The response-shape marker for `r` goes above the comment, which stays next to the call it suppresses.
    expect(read(dir, "a.js")).toMatch(/\/\* cohere-migrate: response-shape [^\n]*\n\s*\/\/ cohere-migrate-ignore\n\s*console\.log\(r, await co\.generate\(\{ prompt: "b" \}\)\);/);
    expect(read(dir, "a.py")).toMatch(/# cohere-migrate: response-shape [^\n]*\n# cohere-migrate-ignore\nprint\(r, co\.generate\(prompt="b"\)\)/);
    const checked = await check({ cwd: dir });
    expect(checked.files.flatMap((f) => f.findings.filter((x) => !x.rule.startsWith("marker/")).map((x) => `${f.file}:${x.span.start.line} ${x.rule}`))).toEqual([]);
    expect(checked.totals.suppressed).toBe(2);
    expect((await migrate({ cwd: dir })).files.filter((f) => f.status === "changed").map((f) => f.file)).toEqual([]);
  });
});

describe("a run over part of the tree (a pre-commit hook's files, check src)", () => {
  const client = `import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({ token: "k" });\n`;
  const use = (from: string): string => `import { co } from "${from}";\nexport async function main(): Promise<string> {\n  const r = await co.generate({ prompt: "hi" });\n  return r.generations[0].text;\n}\n`;
  const tree = (): string =>
    tempTree(new Map([["package.json", `{ "dependencies": { "cohere-ai": "^7.14.0" } }\n`], ["src/client.ts", client], ["src/use.ts", use("./client")], ["lib/client.ts", client], ["src/use2.ts", use("../lib/client")]]));
  const found = (r: { files: Array<{ file: string; findings: Array<{ rule: string }> }> }): string[] => r.files.flatMap((f) => f.findings.map((x) => `${f.file} ${x.rule}`)).sort();

  test("finds calls on clients the repository's other modules export: check and migrate", async () => {
    const dir = tree();
    expect(found(await check({ cwd: dir, paths: ["src/use.ts"] }))).toEqual(["src/use.ts generate"]);
    expect(found(await check({ cwd: dir, paths: ["src"] }))).toEqual(["src/use.ts generate", "src/use2.ts generate"]);
    expect(found(await check({ cwd: dir, ignore: ["lib"] }))).toEqual(["src/use.ts generate", "src/use2.ts generate"]);
    const result = await migrate({ cwd: dir, paths: ["src/use2.ts"] });
    expect(result.files.find((f) => f.file === "src/use2.ts")?.migrated).toBe(1);
    expect(read(dir, "lib/client.ts")).toBe(client);
  });

  test("--cache: the answer follows a change to the module outside the run", async () => {
    const dir = tree();
    const location = path.join(dir, ".cache-file");
    const run = async (): Promise<string[]> => found(await check({ cwd: dir, paths: ["src/use2.ts"], cache: { location } }));
    expect(await run()).toEqual(["src/use2.ts generate"]);
    expect(await run()).toEqual(["src/use2.ts generate"]);
    fs.writeFileSync(path.join(dir, "lib/client.ts"), `export const co = { generate: async (r: { prompt: string }) => ({ generations: [{ text: r.prompt }] }) };\n`);
    expect(await run()).toEqual([]);
  });
});

describe("where the helper module goes", () => {
  // Before, a file in no package got its helpers in the working folder, above the folder given.
  test("outside any package.json, in the folder the run was given, never above it", async () => {
    const dir = tempTree(new Map([["snippets/ask/a.ts", call(`prompt: "a"`)], ["snippets/ask/b.ts", call(`prompt: "b"`)], ["elsewhere/c.ts", call(`prompt: "c"`)]]));
    const result = await migrate({ cwd: dir, paths: ["snippets/ask", "elsewhere/c.ts"] });
    expect(result.files.filter((f) => f.created).map((f) => f.file).sort()).toEqual(["elsewhere/cohere-chat.ts", "snippets/ask/cohere-chat.ts"]);
    expect(read(dir, "snippets/ask/a.ts")).toContain(`from "./cohere-chat"`);
    expect(fs.existsSync(path.join(dir, "cohere-chat.ts"))).toBe(false);
  });

  test("in a package, at its top (or its src folder), whatever folder was given", async () => {
    const dir = tempTree(new Map([["package.json", "{}"], ["src/deep/a.ts", call(`prompt: "a"`)]]));
    const result = await migrate({ cwd: dir, paths: ["src/deep"] });
    expect(result.files.filter((f) => f.created).map((f) => f.file)).toEqual(["src/cohere-chat.ts"]);
  });

  test("a module of the project already named cohere-chat is left alone: the helpers get a name of their own", async () => {
    const theirs = `export async function chatText(message) {\n  return \`sent: \${message}\`;\n}\n`;
    const gen = `import { CohereClient } from "cohere-ai";\nimport { chatText as ask } from "./cohere-chat.js";\nconst co = new CohereClient({ token: "t" });\nexport async function f(prompt) {\n  const r = await co.generate({ prompt });\n  return r.generations[0].text + (await ask("hi"));\n}\n`;
    const dir = tempTree(new Map([["package.json", `{ "type": "module" }\n`], ["cohere-chat.js", theirs], ["gen.js", gen]]));
    const result = await migrate({ cwd: dir });
    expect(read(dir, "cohere-chat.js")).toBe(theirs);
    expect(result.files.filter((f) => f.created).map((f) => f.file)).toEqual(["cohere-chat-helpers.js"]);
    expect(read(dir, "gen.js")).toContain(`import { chatText as cohereChatText } from "./cohere-chat-helpers.js";`);
    expect(read(dir, "gen.js")).toContain(`return cohereChatText(r) + (await ask("hi"));`);
    // A second run finds its own module under that name and leaves everything as it is.
    expect((await migrate({ cwd: dir })).files.filter((f) => f.status === "changed")).toEqual([]);
  });

  test("an ES module whose only relative import is a .json or an .mjs file imports the helpers with their extension", async () => {
    const file = (imports: string): string => `import { CohereClient } from "cohere-ai";\n${imports}\nconst co = new CohereClient({ token: "t" });\nconst r = await co.generate({ prompt: "p" });\nconsole.log(r.generations[0].text);\n`;
    const dir = tempTree(
      new Map([
        ["package.json", `{ "type": "module" }\n`],
        ["json.js", file(`import cfg from "./cfg.json" with { type: "json" };`)],
        ["mjs.js", file(`import { x } from "./util.mjs";`)],
        ["plain.js", file(`import { y } from "./util";`)],
      ]),
    );
    await migrate({ cwd: dir });
    expect(read(dir, "json.js")).toContain(`import { chatText } from "./cohere-chat.js";`);
    expect(read(dir, "mjs.js")).toContain(`import { chatText } from "./cohere-chat.js";`);
    expect(read(dir, "plain.js")).toContain(`import { chatText } from "./cohere-chat";`);
  });
});

describe("the summary", () => {
  test("says what changed, what is left with file:line, and what was chosen", async () => {
    const dir = tempTree(
      new Map([
        ["a.ts", call(`model: "command", prompt: "a", preset: "p1"`)],
        ["b.ts", `export const x = 1;\n`],
      ]),
    );
    const result = await migrate({ cwd: dir, dry: true });
    const text = formatSummary(result);
    expect(text).toContain("1 call migrated in 1 file (dry run, nothing written)");
    // a.ts and the helper module it imports chatText from (one line above the call now).
    expect(text).toMatch(/changed\s+2 files/);
    expect(text).toMatch(/unchanged\s+1 file/);
    expect(text).toMatch(/a\.ts:5:\d+\s+marker\/preset/);
    // Without --verify nothing says which marked code compiles: the summary points at the flag.
    expect(text).toContain("(--verify lists the marked code that will not compile until its marker is resolved)");
    expect(text).toContain("cohere-chat.ts: created: the helpers this package's migrated modules import (delete it once nothing imports it)");
    expect(text).toContain(`model: "command" is retired, now "command-a-03-2025" (a.ts:4)`);
    expect(text).toContain("temperature: none given, pinned to 0.75");
  });
});
