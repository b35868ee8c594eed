/**
 * The ESLint plugin (`cohere-migrate/eslint`) as a team runs it: a project with an
 * eslint.config.js using `configs.recommended`, the real `eslint` CLI, every fixture input of this
 * repository (TypeScript and JavaScript) in it. ESLint reports what `check` reports, at the same
 * places; `eslint --fix` on one copy writes what `migrate` writes on another, for every file whose
 * calls are local (a receiver from another module gets a suggestion, not a fix).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { migrate } from "../../src/migrate";
import { cleanEnv, removeTemp, ROOT, tempDir, writeTree } from "../cli/helpers";
import { fixtureCases, transformFolders } from "../support/fixtures";

const ESLINT = path.join(ROOT, "node_modules", "eslint", "bin", "eslint.js");
const SOURCE = /\.(m|c)?[jt]sx?$/;

function config(): string {
  return `const cohereMigrate = require(${JSON.stringify(path.join(ROOT, "dist", "src", "eslint"))});
const tsParser = require(${JSON.stringify(require.resolve("@typescript-eslint/parser"))});
module.exports = [
  { files: ["**/*.{ts,tsx,mts,cts}"], languageOptions: { parser: tsParser } },
  cohereMigrate.configs.recommended,
];
`;
}

function eslint(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ESLINT, ...args], { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Every fixture input, each case in its own folder. */
function fixtureTree(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const transform of transformFolders()) {
    for (const c of fixtureCases(transform).cases) {
      for (const [file, text] of c.inputs) files[`${transform}/${c.name}/${file}`] = text;
    }
  }
  return files;
}

interface EslintMessage {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
  suggestions?: unknown[];
}

let dir: string;
const tree = fixtureTree();

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, "dist", "src", "eslint", "index.js"))) throw new Error("dist/ is missing: npm test builds it");
  dir = tempDir("cm-eslint-");
  writeTree(path.join(dir, "reported"), { ...tree, "eslint.config.js": config() });
});
afterAll(() => removeTemp(dir));

test("eslint reports exactly what check reports, at the same places", async () => {
  const root = path.join(dir, "reported");
  const r = await eslint(root, ["--format", "json", "."]);
  expect(r.stderr).toBe("");
  const results = JSON.parse(r.stdout) as { filePath: string; messages: EslintMessage[] }[];
  const fromEslint = results
    .flatMap((f) => f.messages.map((m) => ({ f, m })))
    .map(({ f, m }) => {
      expect({ ruleId: m.ruleId, message: m.message }).toEqual({ ruleId: "cohere-migrate/no-legacy-cohere", message: expect.any(String) as unknown });
      return `${path.relative(root, f.filePath).split(path.sep).join("/")}:${m.line}:${m.column} ${/\(([^()]+)\)$/.exec(m.message)?.[1] ?? "?"}`;
    })
    .sort();
  const checked = await check({ cwd: root, paths: ["."] });
  const fromCheck = checked.findings.filter((f) => SOURCE.test(f.file)).map((f) => `${f.file}:${f.span.start.line}:${f.span.start.column} ${f.rule}`).sort();
  expect(fromCheck.length).toBeGreaterThan(100);
  expect(fromEslint).toEqual(fromCheck);
  expect(r.code).toBe(1);
}, 300_000);

test("eslint --fix writes what migrate writes, for every file whose calls are local and fixable, once the helper modules exist (and leaves a file migrate only marks)", async () => {
  const fixed = path.join(dir, "fixed");
  const migrated = path.join(dir, "migrated");
  writeTree(migrated, tree);
  const run = await migrate({ cwd: migrated, paths: ["."], updateDeps: false });
  // A fix edits one file: the helper modules migrate creates are there before ESLint runs.
  const modules = run.files.filter((f) => f.created).map((f) => f.file);
  expect(modules.length).toBeGreaterThan(3);
  writeTree(fixed, { ...tree, ...Object.fromEntries(modules.map((m) => [m, fs.readFileSync(path.join(migrated, m), "utf8")])), "eslint.config.js": config() });
  // The files where ESLint offers a suggestion instead of a fix: their receiver is another module's.
  const listed = await eslint(fixed, ["--format", "json", "."]);
  const suggested = new Set(
    (JSON.parse(listed.stdout) as { filePath: string; messages: EslintMessage[] }[]).filter((f) => f.messages.some((m) => m.suggestions?.length)).map((f) => path.relative(fixed, f.filePath).split(path.sep).join("/")),
  );
  expect(suggested.size).toBeGreaterThan(3);
  // Files where check calls nothing fixable: migrate only marks them; ESLint offers no fix (a marker
  // is not a fix) and leaves them as they are.
  const checked = await check({ cwd: path.join(dir, "reported"), paths: ["."] });
  const withFindings = new Set(checked.findings.map((f) => f.file));
  const onlyMarked = new Set([...withFindings].filter((file) => !checked.findings.some((f) => f.file === file && f.fixable)));
  expect(onlyMarked.size).toBeGreaterThan(0);
  await eslint(fixed, ["--fix", "--format", "json", "."]);
  // Files migrate's second pass wrote for other modules (a function whose callers it followed, the
  // callers' reads): a rule sees one file, so there it is migrate's alone.
  const crossModule = new Set(run.files.filter((f) => f.notes.some((n) => /now returns a Chat v2 response: its calls in/.test(n.message)) || (f.status === "changed" && f.migrated === 0 && !f.helperModule)).map((f) => f.file));
  expect(crossModule.size).toBeGreaterThan(0);
  const differ: string[] = [];
  let compared = 0;
  for (const file of Object.keys(tree)) {
    if (!SOURCE.test(file) || suggested.has(file) || crossModule.has(file)) continue;
    compared++;
    const expected = onlyMarked.has(file) ? tree[file] : fs.readFileSync(path.join(migrated, file), "utf8");
    if (fs.readFileSync(path.join(fixed, file), "utf8") !== expected) differ.push(file);
  }
  expect(compared).toBeGreaterThan(100);
  expect(differ).toEqual([]);
}, 300_000);

test("without the helper module, eslint offers no fix for a rewrite that imports from it and says migrate creates it", async () => {
  const root = path.join(dir, "reported");
  const r = await eslint(root, ["--format", "json", "generate-to-chat/stop-and-end-sequences-then"]);
  const [result] = JSON.parse(r.stdout) as { filePath: string; messages: (EslintMessage & { fix?: unknown })[] }[];
  const fixable = result.messages.filter((m) => /creates cohere-chat\.cjs, the helper module/.test(m.message));
  expect(fixable.length).toBeGreaterThan(0);
  expect(result.messages.filter((m) => m.fix !== undefined)).toEqual([]);
  // The file is unchanged on disk and nothing else was created.
  expect(fs.readFileSync(path.join(root, "generate-to-chat/stop-and-end-sequences-then/stop-and-end-sequences-then.js"), "utf8")).toBe(tree["generate-to-chat/stop-and-end-sequences-then/stop-and-end-sequences-then.js"]);
}, 300_000);
