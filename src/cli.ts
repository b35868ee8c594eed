/**
 * The command line: parses flags with commander, calls the library, prints its result and returns
 * the exit code. It never calls process.exit: `bin/cohere-migrate.js` sets the code.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { check } from "./check";
import { CohereMigrateError, UsageError } from "./errors";
import type { ProgressEvent } from "./engine/analyze";
import { formatCheckJson } from "./format/check-json";
import { formatStylish } from "./format/check-stylish";
import { DEFAULT_CACHE_LOCATION } from "./engine/cache-open";
import { gitRoot } from "./engine/files";
import { plain, type Painter } from "./format/paint";
import { formatSummary } from "./format/summary";
import type { CheckResult, MigrateResult } from "./types";
import type { CacheStrategy } from "./engine/cache";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colours). */
  isTTY: boolean;
  /** Whether stderr is a terminal (the progress bar); defaults to `isTTY`. */
  stderrIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const CHECK_FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];


function transformList(): string {
  const { TRANSFORMS } = require("../transforms") as typeof import("../transforms");
  return TRANSFORMS.map((t) => `  ${t.name.padEnd(30)} ${t.from}`).join("\n");
}

/** chalk is ESM and only the CLI needs it; loaded on demand. */
function painter(colour: boolean): Painter {
  if (!colour) return plain;
  const { Chalk } = require("chalk") as typeof import("chalk");
  const c = new Chalk({ level: 1 });
  return {
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    cyan: c.cyan,
    magenta: c.magenta,
    gray: c.gray,
    bold: c.bold,
    dim: c.dim,
    underline: c.underline,
  };
}

/** --color / --no-color win; then NO_COLOR; then FORCE_COLOR; then whether we print to a terminal. */
export function wantsColour(flag: boolean | undefined, io: Io): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return io.isTTY;
}

/** CI services set CI=true; CI=false or CI=0 is someone saying they are not in CI. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== "" && env.CI !== "0" && env.CI.toLowerCase() !== "false";
}

/** Runs with fewer files than this finish before a bar would be worth reading. */
const PROGRESS_MIN_FILES = 200;

/** A progress bar on stderr when it is a terminal; nothing in CI or when stderr is a pipe or file. */
function progress(io: Io): { onProgress?: (e: ProgressEvent) => void; stop: () => void } {
  if (!(io.stderrIsTTY ?? io.isTTY) || inCi(io.env)) return { stop: () => undefined };
  const cliProgress = require("cli-progress") as typeof import("cli-progress");
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined;
  let phase = "";
  return {
    onProgress: (e) => {
      // A bar is only worth drawing when there is a lot to do.
      if (e.total < PROGRESS_MIN_FILES && !bar) return;
      if (!bar || phase !== e.phase) {
        bar?.stop();
        phase = e.phase;
        bar = new cliProgress.SingleBar({ format: `${e.phase.padEnd(8)} [{bar}] {value}/{total} files`, stream: process.stderr, clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(e.total, 0);
      }
      bar.update(e.done);
    },
    stop: () => bar?.stop(),
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  // --explain <code> stands alone: it names no paths and runs nothing.
  const at = argv.findIndex((a) => a === "--explain" || a.startsWith("--explain="));
  if (at !== -1) return explainCommand(argv[at].includes("=") ? argv[at].slice("--explain=".length) : argv[at + 1], io);
  let exitCode = 0;
  const program = new Command();
  program
    .name("cohere-migrate")
    .description("Migrate Cohere Generate API calls to the Chat API v2, check that none are left, and review the change first.")
    .version(require("../../package.json").version as string)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run cohere-migrate --help for usage)")
    .addHelpText("after", "\nAlso:\n  cohere-migrate --explain <code>   what a finding or marker code means, why, and what to write instead");

  program
    .command("migrate", { isDefault: true })
    .description("rewrite legacy Generate calls in place (default command)")
    .argument("[paths...]", "files or folders", [])
    .option("--dry", "write nothing; print a unified diff and the summary")
    .option("--report <file>", "also write a report: .md, .json or .html (by extension)")
    .option("--json", "print the result as JSON instead of the summary")
    .option("--model <id>", "model for calls that name none or a retired one", modelId, "command-a-03-2025")
    .option("--force", "run on a git work tree with uncommitted changes (and write even when --verify finds errors)")
    .option("--verify", "type-check migrated TypeScript with the repository's tsconfig.json first; write nothing if it adds errors")
    .option("--no-update-deps", "leave package.json, Python requirement files and notebooks' pip install pins alone")
    .option("--ignore <glob>", "more paths to skip (repeatable)", collect, [])
    .option("--cache", "reuse what earlier runs found in files unchanged since (by content hash)")
    .option("--cache-location <file>", "where --cache keeps its data", DEFAULT_CACHE_LOCATION)
    .addOption(new Option("--cache-strategy <strategy>", "how --cache tells an unchanged file: by its size and times, or by reading its bytes").choices(["metadata", "content"]).default("metadata"))
    .option("--color", "force colours")
    .option("--no-color", "no colours")
    // The transforms (and the compiler some of them import) load only when help is shown.
    .addHelpText("after", () => `\nTransforms:\n${transformList()}`)
    .action(async (paths: string[], opts: { dry?: boolean; report?: string; json?: boolean; model: string; force?: boolean; verify?: boolean; updateDeps: boolean; ignore: string[]; cache?: boolean; cacheLocation: string; cacheStrategy: CacheStrategy; color?: boolean }, cmd: Command) => {
      // A report that cannot be written is bad usage, found before anything runs.
      if (opts.report && !reportModule().reportRenderer(opts.report)) {
        throw new UsageError(`--report must end in ${reportModule().REPORT_EXTENSIONS.join(", ")}: ${opts.report}`);
      }
      const paint = painter(wantsColour(opts.color, io) && !opts.json);
      const bar = progress(io);
      let result: MigrateResult;
      try {
        // Loaded here: migrate's modules bring the transforms' libraries (ast-types), which check
        // and --explain never need (about 40 ms of every start-up).
        const { migrate } = require("./migrate") as typeof import("./migrate");
        result = await migrate({
          cwd: io.cwd,
          paths,
          dry: opts.dry,
          model: cmd.getOptionValueSource("model") === "default" ? undefined : opts.model,
          force: opts.force,
          verify: opts.verify,
          updateDeps: opts.updateDeps,
          ignore: opts.ignore,
          cache: opts.cache ? { location: opts.cacheLocation, strategy: opts.cacheStrategy, warn: (m: string) => io.stderr(`cohere-migrate: warning: ${m}\n`) } : undefined,
          onProgress: bar.onProgress,
        });
      } finally {
        bar.stop();
      }
      if (opts.report) writeReport(opts.report, result, io);
      if (opts.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
      else {
        // Paths from the repository top, as `git diff` writes them, so `git apply` takes the diff.
        if (opts.dry) io.stdout((require("./format/diff") as typeof import("./format/diff")).formatDiffs(result.files, paint, { cwd: result.cwd, root: gitRoot(result.cwd) }, result.dependencyUpdates));
        io.stdout((opts.dry && result.totals.changed ? "\n" : "") + formatSummary(result, paint));
      }
      exitCode = result.totals.failed > 0 || (result.verify?.breaking ?? 0) > 0 ? 1 : 0;
    });

  program
    .command("check")
    .description("report legacy Generate calls and unfinished migration markers; exit 1 while any remain")
    .argument("[paths...]", "files or folders", [])
    .addOption(new Option("--format <format>", "output format").choices(CHECK_FORMATS).default("stylish"))
    .option("--ignore <glob>", "more paths to skip (repeatable)", collect, [])
    .option("--cache", "reuse what earlier runs found in files unchanged since (by content hash)")
    .option("--cache-location <file>", "where --cache keeps its data", DEFAULT_CACHE_LOCATION)
    .addOption(new Option("--cache-strategy <strategy>", "how --cache tells an unchanged file: by its size and times, or by reading its bytes").choices(["metadata", "content"]).default("metadata"))
    .option("--baseline <file>", "fail only on findings that are not in this baseline")
    .option("--write-baseline <file>", "record today's findings as the baseline (then report against it)")
    .option("--color", "force colours")
    .option("--no-color", "no colours")
    .action(async (paths: string[], opts: { format: CheckFormat; ignore: string[]; cache?: boolean; cacheLocation: string; cacheStrategy: CacheStrategy; color?: boolean; baseline?: string; writeBaseline?: string }) => {
      const { applyBaseline, readBaseline, writeBaseline } = require("./baseline") as typeof import("./baseline");
      // Read before the run: a baseline that cannot be read is bad usage, whatever the code holds.
      const given = opts.baseline !== undefined && opts.writeBaseline === undefined ? readBaseline(io.cwd, opts.baseline) : undefined;
      const bar = progress(io);
      let result: CheckResult;
      try {
        result = await check({ cwd: io.cwd, paths, ignore: opts.ignore, cache: opts.cache ? { location: opts.cacheLocation, strategy: opts.cacheStrategy, warn: (m: string) => io.stderr(`cohere-migrate: warning: ${m}\n`) } : undefined, onProgress: bar.onProgress });
      } finally {
        bar.stop();
      }
      if (opts.writeBaseline !== undefined) {
        const written = writeBaseline(result, opts.writeBaseline);
        result = applyBaseline(result, written, opts.writeBaseline);
        io.stderr(`cohere-migrate: wrote ${written.entries.length} baseline entr${written.entries.length === 1 ? "y" : "ies"} (${result.baseline?.matched ?? 0} findings) to ${opts.writeBaseline}\n`);
      } else if (given && opts.baseline !== undefined) {
        result = applyBaseline(result, given, opts.baseline);
      }
      // Machine formats never carry colour codes.
      const paint = opts.format === "stylish" ? painter(wantsColour(opts.color, io)) : plain;
      io.stdout(await formatCheck(result, opts.format, paint, gitRoot(result.cwd)));
      // A file that failed is a parse-error finding; under a baseline that covers it, it passes.
      exitCode = result.findings.length > 0 || (!result.baseline && result.totals.failed > 0) ? 1 : 0;
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; unknown flags and bad choices with 1.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CohereMigrateError) {
      io.stderr(`cohere-migrate: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

async function formatCheck(result: CheckResult, format: CheckFormat, paint: Painter, root: string | undefined): Promise<string> {
  switch (format) {
    case "stylish":
      return formatStylish(result, paint);
    case "json":
      return formatCheckJson(result);
    case "sarif": {
      const { formatSarif } = await import("./format/check-sarif");
      return formatSarif(result, { root });
    }
    case "github": {
      const { formatGithub } = await import("./format/check-github");
      return formatGithub(result, { root });
    }
  }
}

/** Reports and diffs are migrate's: `check` does not load them (nor the diff library). */
function reportModule(): typeof import("./report/write") {
  return require("./report/write") as typeof import("./report/write");
}

function writeReport(file: string, result: MigrateResult, io: Io): void {
  reportModule().writeReportFile(file, result, io.cwd, gitRoot(io.cwd));
}

function explainCommand(code: string | undefined, io: Io): number {
  const { explain, explainedCodes, explainText } = require("./explain") as typeof import("./explain");
  const e = code ? explain(code) : undefined;
  if (!e) {
    io.stderr(`cohere-migrate: ${code ? `no such code: ${code}` : "--explain needs a code"}. Codes:\n${explainedCodes().map((c) => `  ${c}`).join("\n")}\n`);
    return 2;
  }
  io.stdout(explainText(e));
  return 0;
}

/** --model: a model id as Chat takes it (written into string literals of both languages). */
function modelId(value: string): string {
  if (!/^[A-Za-z0-9][\w.:/@-]*$/.test(value)) throw new InvalidArgumentError("a Chat model id, such as command-a-03-2025 (letters, digits, and . _ - : / @)");
  return value;
}
