/**
 * One Python virtual environment per `cohere` SDK generation the Python behaviour tests run on, made
 * from the pinned requirement files in `test/python/` with the `python3` on PATH (`python3 -m venv`,
 * then `python -m pip install -r`; no global tools).
 *
 * API:
 * - `ensurePythonEnvs()`: creates every environment that is missing (jest's `globalSetup` calls it,
 *   see `python-global-setup.ts`), printing one line per environment it has to install.
 * - `pythonFor(sdk)`: the interpreter of an environment that already exists. It never installs, so
 *   no test pays for pip; it throws with the reason when the environment is missing.
 * - `venvDir(sdk)`: `<repo>/.cache/python/<sdk>-<first 12 hex of the requirement file's sha256>/`,
 *   so editing a requirement file makes a new environment and a rerun reuses the old one.
 *
 * Concurrency: an environment is built in a temporary folder beside its final place and renamed into
 * place only once pip succeeded, so a folder under its final name is always complete. Two processes
 * that build the same environment at once both succeed: the first rename wins, the loser drops its
 * copy. (Renaming a venv is safe here because everything runs `bin/python`, whose `sys.prefix` follows
 * its `pyvenv.cfg`; only the console-script shebangs under `bin/` keep the old path, and none is used.)
 *
 * Environment: COHERE_MIGRATE_PYTHON names another base interpreter (default `python3`);
 * COHERE_MIGRATE_SKIP_PYTHON=1 makes `ensurePythonEnvs` create nothing (the Python tests then fail
 * with `pythonFor`'s message).
 */
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.join(__dirname, "..", "..");
const REQUIREMENTS_DIR = path.join(REPO, "test", "python");
export const PYTHON_CACHE = path.join(REPO, ".cache", "python");

/** Each SDK generation and the requirement file that pins it. */
const REQUIREMENTS = {
  "cohere-7": "requirements-cohere-7.txt",
  "cohere-5": "requirements-cohere-5.txt",
  "cohere-4": "requirements-cohere-4.txt",
} as const;
export type PythonSdk = keyof typeof REQUIREMENTS;
export const PYTHON_SDKS = Object.keys(REQUIREMENTS) as PythonSdk[];

/** Written last into a finished environment: what it was made from. */
const MARKER = "cohere-migrate-env.json";

/** A missing environment, or a failed `venv` / `pip` step, with what it printed. */
export class PythonEnvError extends Error {}

function requirementsFile(sdk: PythonSdk): string {
  return path.join(REQUIREMENTS_DIR, REQUIREMENTS[sdk]);
}

export function venvDir(sdk: PythonSdk): string {
  const hash = createHash("sha256").update(fs.readFileSync(requirementsFile(sdk))).digest("hex").slice(0, 12);
  return path.join(PYTHON_CACHE, `${sdk}-${hash}`);
}

function interpreterIn(dir: string): string {
  return process.platform === "win32" ? path.join(dir, "Scripts", "python.exe") : path.join(dir, "bin", "python");
}

/** A finished environment whose interpreter still resolves (a removed base Python breaks the link). */
function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(interpreterIn(dir));
}

export function pythonFor(sdk: PythonSdk): string {
  const dir = venvDir(sdk);
  if (!isComplete(dir)) {
    throw new PythonEnvError(
      `no Python environment for ${sdk} at ${dir}: jest's globalSetup (test/support/python-global-setup.ts) creates it ` +
        `from test/python/${REQUIREMENTS[sdk]}; see its output at the start of the run`,
    );
  }
  return interpreterIn(dir);
}

interface Ran {
  code: number | null;
  output: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

async function step(what: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const result = await run(command, args, env).catch((error: unknown) => {
    throw new PythonEnvError(`${what}: cannot run ${command}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (result.code !== 0) {
    throw new PythonEnvError(`${what} failed (exit ${String(result.code)}):\n${result.output.trim().split("\n").slice(-30).join("\n")}`);
  }
}

/** Creates the environment for `sdk` unless it exists; returns its interpreter. */
export async function ensurePythonEnv(sdk: PythonSdk, log: (line: string) => void = () => {}): Promise<string> {
  const dir = venvDir(sdk);
  if (isComplete(dir)) return interpreterIn(dir);
  const requirements = requirementsFile(sdk);
  const base = process.env.COHERE_MIGRATE_PYTHON || "python3";
  log(`python-env: installing ${sdk} from test/python/${REQUIREMENTS[sdk]} into ${path.relative(REPO, dir)}`);
  fs.mkdirSync(PYTHON_CACHE, { recursive: true });
  const temp = path.join(PYTHON_CACHE, `.tmp-${path.basename(dir)}-${process.pid}-${randomUUID().slice(0, 8)}`);
  // pip as root warns on every install; the environment is ours, so that warning says nothing here.
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1", PIP_NO_INPUT: "1", PIP_ROOT_USER_ACTION: "ignore" };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  delete env.VIRTUAL_ENV;
  try {
    await step(`${sdk}: ${base} -m venv`, base, ["-m", "venv", temp], env);
    await step(`${sdk}: pip install -r ${REQUIREMENTS[sdk]}`, interpreterIn(temp), ["-m", "pip", "install", "-r", requirements], env);
    fs.writeFileSync(path.join(temp, MARKER), JSON.stringify({ sdk, requirements: REQUIREMENTS[sdk], base }, null, 2) + "\n");
    // A broken leftover (its base Python is gone) is in the way of the rename.
    if (fs.existsSync(dir) && !isComplete(dir)) fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(temp, dir);
    } catch (error) {
      // Another process finished the same environment first: use theirs.
      if (!isComplete(dir)) throw error;
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return interpreterIn(dir);
}

/** Creates every missing environment (in parallel: pip mostly waits on the network and the disk). */
export async function ensurePythonEnvs(log: (line: string) => void = () => {}): Promise<void> {
  if (process.env.COHERE_MIGRATE_SKIP_PYTHON === "1") {
    log("python-env: COHERE_MIGRATE_SKIP_PYTHON=1, no Python environments created");
    return;
  }
  await Promise.all(PYTHON_SDKS.map((sdk) => ensurePythonEnv(sdk, log)));
}
