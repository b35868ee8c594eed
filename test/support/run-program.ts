/**
 * Runs small programs on the real Cohere SDKs against the fake API (`fake-cohere.ts`).
 *
 * API:
 * - `writeProgram(files)` → `ProgramDir`: a temp folder (outside any git work tree) laid out as
 *     <root>/app/...            the program's sources, as given (migrate runs here: `dir.app`)
 *     <root>/node_modules/cohere-ai   symlink to the SDK chosen per run
 *     <root>/build/...          what actually runs (recreated by every `runProgram`)
 *   `files` maps a relative path to its text: `.ts`/`.tsx` (compiled to CommonJS `.js`), `.mts`
 *   (to ESM `.mjs`), `.cts` (to `.cjs`), `.js`/`.cjs`/`.mjs`/`.json` copied as they are. TypeScript
 *   is transpiled per file with `typescript.transpileModule` (no type-check: the fixture harness does
 *   that), `esModuleInterop` on, so `import cohere from "cohere-ai"` works on v6's CommonJS export.
 * - `runProgram(dir, { fake, entry, sdk, timeoutMs, env })` → `RunResult`: points
 *   `node_modules/cohere-ai` at cohere-ai 8.1.0 (`sdk: "v8"`, the default) or 6.2.2 (`"v6"`, the
 *   `cohere-ai-v6` alias), links `axios` (for REST programs), builds, and runs
 *   `node --require preload-fake-cohere.js <entry>` with a timeout (default 20 s) in a clean
 *   environment (`CO_API_KEY=fake-key`). `entry` is a source path (`"main.ts"`); its compiled file
 *   runs. The preload sends `api.cohere.com` / `api.cohere.ai` traffic (fetch, https.request, axios)
 *   to the fake. The result holds stdout, stderr, the exit code, whether it timed out, and
 *   `requests`: what the fake recorded for this run only (each run has its own id, so runs never
 *   share sample counters; each record has method, path, body, status, the fake's response and the
 *   URL the program asked for).
 * - `endpoints(run)`: the distinct `METHOD /path` the run hit, sorted.
 * - `readProgram(dir)`: the sources under `app/` now (after a migration), `removeProgram(dir)`.
 *
 * Before/after comparisons with the migration in between live in `test/behaviour/harness.ts`
 * (`expectSameOutput`, `expectMarkedChange`, `runMigrated`, `runOnce`).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import type { FakeCohere, RecordedRequest } from "./fake-cohere";

const REPO = path.join(__dirname, "..", "..");
const PRELOAD = path.join(__dirname, "preload-fake-cohere.js");

/** Where each SDK version lives in this repository's node_modules. */
const SDKS = {
  v8: path.join(REPO, "node_modules", "cohere-ai"),
  v6: path.join(REPO, "node_modules", "cohere-ai-v6"),
} as const;
export type Sdk = keyof typeof SDKS;

/** Other packages test programs may import (REST programs use axios), linked from this repository. */
const LIBRARIES: readonly string[] = ["axios"];

/** Source extension → compiled extension and module kind (null: copied as is). */
const COMPILE: Readonly<Record<string, { ext: string; module: ts.ModuleKind } | null>> = {
  ".ts": { ext: ".js", module: ts.ModuleKind.CommonJS },
  ".tsx": { ext: ".js", module: ts.ModuleKind.CommonJS },
  ".cts": { ext: ".cjs", module: ts.ModuleKind.CommonJS },
  ".mts": { ext: ".mjs", module: ts.ModuleKind.ESNext },
};

export interface ProgramDir {
  root: string;
  /** The sources: run migrate with `cwd: dir.app`. */
  app: string;
  build: string;
}

export interface RunOptions {
  fake: FakeCohere;
  /** Source path of the file to run, relative to `app/`. */
  entry: string;
  sdk?: Sdk;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when killed. */
  code: number | null;
  timedOut: boolean;
  /** What the fake received during this run, in arrival order. */
  requests: RecordedRequest[];
}

export function writeProgram(files: Readonly<Record<string, string>>): ProgramDir {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cm-behaviour-"));
  const dir = { root, app: path.join(root, "app"), build: path.join(root, "build") };
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir.app, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  fs.mkdirSync(path.join(root, "node_modules"), { recursive: true });
  return dir;
}

function walk(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(abs, base, out);
    else out.push(path.relative(base, abs));
  }
  return out;
}

export function readProgram(dir: ProgramDir): Map<string, string> {
  return new Map(walk(dir.app).map((rel) => [rel.split(path.sep).join("/"), fs.readFileSync(path.join(dir.app, rel), "utf8")]));
}

export function removeProgram(dir: ProgramDir): void {
  fs.rmSync(dir.root, { recursive: true, force: true });
}

function compiledPath(rel: string): string {
  const ext = path.extname(rel);
  const how = COMPILE[ext];
  return how ? rel.slice(0, -ext.length) + how.ext : rel;
}

/** A TypeScript syntax error in a test program, located. */
export class ProgramCompileError extends Error {}

function build(dir: ProgramDir): void {
  fs.rmSync(dir.build, { recursive: true, force: true });
  for (const rel of walk(dir.app)) {
    const source = fs.readFileSync(path.join(dir.app, rel), "utf8");
    const out = path.join(dir.build, compiledPath(rel));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const how = COMPILE[path.extname(rel)];
    if (!how) {
      fs.writeFileSync(out, source);
      continue;
    }
    const result = ts.transpileModule(source, {
      fileName: rel,
      reportDiagnostics: true,
      compilerOptions: { module: how.module, target: ts.ScriptTarget.ES2022, esModuleInterop: true, jsx: ts.JsxEmit.React },
    });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length) {
      const [first] = errors;
      const where = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
      throw new ProgramCompileError(
        `${rel}${where ? `:${where.line + 1}:${where.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(first.messageText, "\n")}`,
      );
    }
    fs.writeFileSync(out, result.outputText);
  }
}

function link(dir: ProgramDir, name: string, target: string): void {
  const at = path.join(dir.root, "node_modules", name);
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(target, at, "dir");
}

function linkModules(dir: ProgramDir, sdk: Sdk): void {
  link(dir, "cohere-ai", SDKS[sdk]);
  for (const name of LIBRARIES) {
    const target = path.join(REPO, "node_modules", name);
    if (fs.existsSync(target)) link(dir, name, target);
  }
}

export async function runProgram(dir: ProgramDir, options: RunOptions): Promise<RunResult> {
  linkModules(dir, options.sdk ?? "v8");
  build(dir);
  const run = randomUUID();
  // A clean environment: nothing from jest (NODE_OPTIONS, the real CO_API_KEY) leaks into the program.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: os.tmpdir(),
    CO_API_KEY: "fake-key",
    COHERE_FAKE_ORIGIN: options.fake.origin,
    COHERE_FAKE_RUN: run,
    ...options.env,
  };
  const entry = path.join(dir.build, compiledPath(options.entry));
  const { stdout, stderr, code, timedOut } = await spawnCollect(process.execPath, ["--require", PRELOAD, entry], dir.build, env, options.timeoutMs ?? 20_000);
  return { stdout, stderr, code, timedOut, requests: options.fake.requestsOf(run) };
}

export interface Spawned {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

/** Runs a command to its end (killed after `timeoutMs`), collecting its output. */
export function spawnCollect(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
}

/** The distinct `METHOD /path` a run hit, sorted. */
export function endpoints(result: RunResult): string[] {
  return [...new Set(result.requests.map((r) => `${r.method} ${r.path}`))].sort();
}
