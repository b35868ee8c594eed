/**
 * Runs small Python programs on the real `cohere` SDK from PyPI against the fake API
 * (`fake-cohere.ts`), the Python twin of `run-program.ts`.
 *
 * API:
 * - `writeProgram(files)` / `readProgram(dir)` / `removeProgram(dir)` from `run-program.ts` lay the
 *   program out: its sources under `dir.app` (migrate runs there), run as they are (no build step).
 * - `runPython(dir, { fake, entry, sdk, timeoutMs, env, thinking })` → `RunResult`: runs
 *   `<venv>/bin/python <entry>` in `dir.app` on the environment of `sdk` (`"cohere-7"`, the default,
 *   `"cohere-5"` or `"cohere-4"`; see `python-env.ts`), with a timeout (default 30 s), in a clean
 *   environment: `CO_API_KEY=fake-key` and `CO_API_URL=fake.baseUrlFor(run)`, which every cohere
 *   client (4.x `api_url`, 5.x and later `base_url`) reads when the program names no URL, so
 *   `cohere.Client("key")` reaches the fake unchanged and the run is named by the URL's prefix. The
 *   `sitecustomize.py` beside this file makes a request that bypassed it (an explicit Cohere URL) fail
 *   loudly. No bytecode is written into `dir.app`. `thinking: true` makes the fake start every Chat
 *   response of this run with a thinking item. `requests` holds what the fake recorded for this run.
 * - `endpoints(result)` (from `run-program.ts`): the distinct `METHOD /path` the run hit, sorted.
 * - `pyrightDiagnostics(dir, files, sdk)`: runs this repository's pyright (`--outputjson`) on `files`
 *   (paths relative to `dir.app`) with the environment of `sdk` as the Python environment
 *   (`--pythonpath`, so `import cohere` resolves to that SDK's types), in pyright's default mode;
 *   returns its errors, each with file (relative, `/`-separated), 1-based line and column, message
 *   and rule.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { FakeCohere } from "./fake-cohere";
import { pythonFor, type PythonSdk } from "./python-env";
import { spawnCollect, type ProgramDir, type RunResult } from "./run-program";

export { endpoints, readProgram, removeProgram, writeProgram, type ProgramDir, type RunResult } from "./run-program";
export type { PythonSdk } from "./python-env";

const REPO = path.join(__dirname, "..", "..");
const SITECUSTOMIZE_DIR = path.join(__dirname, "python");
const PYRIGHT = path.join(REPO, "node_modules", "pyright", "index.js");

export interface PythonRunOptions {
  fake: FakeCohere;
  /** Path of the file to run, relative to `app/`. */
  entry: string;
  sdk?: PythonSdk;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Chat responses of this run start with a thinking content item. */
  thinking?: boolean;
}

export async function runPython(dir: ProgramDir, options: PythonRunOptions): Promise<RunResult> {
  const python = pythonFor(options.sdk ?? "cohere-7");
  const run = randomUUID();
  if (options.thinking) options.fake.configureRun(run, { thinking: true });
  // A clean environment: nothing from jest or the machine (a real CO_API_KEY, a VIRTUAL_ENV) leaks in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: os.tmpdir(),
    LANG: "C.UTF-8",
    CO_API_KEY: "fake-key",
    CO_API_URL: options.fake.baseUrlFor(run),
    PYTHONPATH: SITECUSTOMIZE_DIR,
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
    PYTHONIOENCODING: "utf-8",
    PYTHONHASHSEED: "0",
    ...options.env,
  };
  const out = await spawnCollect(python, [path.join(dir.app, options.entry)], dir.app, env, options.timeoutMs ?? 30_000);
  return { ...out, requests: options.fake.requestsOf(run) };
}

export interface PyrightDiagnostic {
  /** Relative to `dir.app`, `/`-separated. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** The pyright rule (`reportOptionalMemberAccess`, ...); undefined for syntax errors. */
  rule: string | undefined;
}

interface PyrightJson {
  generalDiagnostics: Array<{
    file: string;
    severity: "error" | "warning" | "information";
    message: string;
    rule?: string;
    range: { start: { line: number; character: number } };
  }>;
}

/** pyright's errors for `files` (relative to `dir.app`) against the SDK environment `sdk`. */
export async function pyrightDiagnostics(dir: ProgramDir, files: readonly string[], sdk: PythonSdk): Promise<PyrightDiagnostic[]> {
  const args = [PYRIGHT, "--outputjson", "--pythonpath", pythonFor(sdk), ...files];
  const out = await spawnCollect(process.execPath, args, dir.app, { PATH: process.env.PATH ?? "", HOME: os.tmpdir() }, 120_000);
  // Exit 0: no errors; 1: errors reported; anything else: pyright itself failed.
  if (out.timedOut || (out.code !== 0 && out.code !== 1)) {
    throw new Error(`pyright failed (exit ${String(out.code)}${out.timedOut ? ", timed out" : ""}):\n${out.stdout}\n${out.stderr}`);
  }
  const json = JSON.parse(out.stdout) as PyrightJson;
  return json.generalDiagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({
      file: path.relative(fs.realpathSync(dir.app), d.file).split(path.sep).join("/"),
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      message: d.message,
      rule: d.rule,
    }));
}
