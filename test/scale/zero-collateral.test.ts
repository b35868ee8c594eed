/**
 * Zero collateral damage: `migrate` over real code changes no file at all (bytes compared before
 * and after), and a file that fails to parse is reported with its reason and never rewritten.
 * Runs on slices of this project's node_modules; the CLI run goes through the worker pool.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { migrate } from "../../src/migrate";
import type { MigrateResult } from "../../src/types";
import { copyRealFiles, everyNth, PROJECT_ROOT, realSourceFiles } from "../../scripts/corpus";

/** Files with a Cohere call that do not parse: reported, left alone. */
const BROKEN: Record<string, string> = {
  "broken/unclosed.ts": 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nexport async function f() {\n  const r = await co.generate({ prompt: "x" );\n',
  "broken/keyword.js": 'const { CohereClient } = require("cohere-ai");\nconst co = new CohereClient({});\nconst class = co.generate({ prompt: "y" });\n',
};

const dirs: string[] = [];
const all = realSourceFiles();

function corpus(step: number): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cm-collateral-"));
  dirs.push(dir);
  const files = copyRealFiles(everyNth(all, step), path.join(dir, "real")).map((f) => `real/${f}`);
  for (const [rel, text] of Object.entries(BROKEN)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
    files.push(rel);
  }
  return { dir, files };
}

function snapshot(dir: string, files: readonly string[]): Map<string, Buffer> {
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

function changedFiles(dir: string, before: ReadonlyMap<string, Buffer>): string[] {
  return [...before].filter(([f, bytes]) => !fs.readFileSync(path.join(dir, f)).equals(bytes)).map(([f]) => f);
}

function expectFailuresExplained(result: MigrateResult): void {
  const failed = result.files.filter((f) => f.status === "failed");
  for (const name of Object.keys(BROKEN)) expect(failed.map((f) => f.file)).toContain(name);
  for (const f of failed) {
    expect(f.error?.message).toMatch(/\S/);
    expect(f.error?.line).toBeGreaterThanOrEqual(1);
    expect(f.findings.some((x) => x.rule === "parse-error")).toBe(true);
  }
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

test("migrate over a few thousand real files changes none of them", async () => {
  const { dir, files } = corpus(3);
  expect(files.length).toBeGreaterThan(3000);
  const before = snapshot(dir, files);
  const result = await migrate({ cwd: dir, paths: ["."], updateDeps: false });
  expect(result.files.filter((f) => f.status === "changed").map((f) => f.file)).toEqual([]);
  expect(changedFiles(dir, before)).toEqual([]);
  expectFailuresExplained(result);
}, 120_000);

test("with every file parsed (no prefilter), still none changes", async () => {
  const { dir, files } = corpus(25);
  const before = snapshot(dir, files);
  const result = await migrate({ cwd: dir, paths: ["."], updateDeps: false, prefilter: false });
  expect(result.files.filter((f) => f.status === "changed").map((f) => f.file)).toEqual([]);
  expect(changedFiles(dir, before)).toEqual([]);
  expectFailuresExplained(result);
}, 120_000);

test("the CLI on worker threads changes none of them either", () => {
  const cli = path.join(PROJECT_ROOT, "bin", "cohere-migrate.js");
  if (!fs.existsSync(path.join(PROJECT_ROOT, "dist", "src", "cli.js"))) throw new Error("build first: npm run build");
  const { dir, files } = corpus(3);
  const before = snapshot(dir, files);
  let status = 0;
  try {
    execFileSync(process.execPath, [cli, "migrate", "--no-update-deps", "."], { cwd: dir, stdio: "pipe" });
  } catch (e) {
    status = (e as { status: number }).status;
  }
  // Exit code 1: the broken files failed; nothing else happened.
  expect(status).toBe(1);
  expect(changedFiles(dir, before)).toEqual([]);
}, 120_000);
