/**
 * `npm run bench`: the figures issue 10 asks for. A benchmark, not a test: it prints tables and
 * asserts nothing.
 *
 * 1. Real repositories, side by side. For each `--repo NAME=DIR` (default: langchainjs, vercel-ai
 *    and langchain-community under /work/repos, when those folders exist) it times
 *      - `rg -c generate DIR` (ripgrep from PATH; exit 1, no match, is fine),
 *      - `ast-grep run -p '$C.generate($$$A)' -l ts|py DIR` (node_modules/.bin/ast-grep): `-l py`
 *        when the repository holds more .py files than .ts/.tsx/.js/.jsx/.mjs/.cjs ones, or as
 *        forced by a `:py` / `:ts` suffix (`--repo NAME=DIR:py`). ast-grep's `-l ts` parses
 *        .ts/.mts/.cts files only; the printout says how many of the repository's JS/TS files those are,
 *      - `cohere-migrate check DIR`,
 *      - `cohere-migrate migrate --dry DIR` (its diff goes to /dev/null),
 *      - `cohere-migrate check --cache --cache-location <tmp file> DIR`: one run fills the cache,
 *        not counted, then the timed runs read it. A build whose CLI rejects the flags (exit 2,
 *        "unknown option") gets a line saying so and no row.
 *    and prints, per repository, the medians and the ratios the issue sets targets for:
 *    check ÷ ast-grep (≤ 0.2), migrate --dry ÷ check (≤ 1.5), cached check ÷ rg (≤ 3).
 * 2. A generated tree (scripts/corpus.ts, `writeTree`): 20,000 files, 60% .ts, 20% .js, 20% .py,
 *    10% of each language holding one legacy Generate call, the rest ordinary code that also says
 *    `.generate(` and "generate" where Cohere is not involved. Measured at each `--sizes` (default
 *    2000,5000,10000,20000; each size's folder is the first N files of the same tree): check,
 *    migrate --dry, rg and ast-grep (the ts pattern, so .ts files only), then the growth of check
 *    and migrate --dry: seconds and MB per 1,000 files, largest ÷ smallest size (linear growth is
 *    the ratio of the sizes: 10 for 20k ÷ 2k), and whether peak memory at the largest size is
 *    under 400 MB.
 * 3. `--jscodeshift` adds the earlier comparison: the JS/TS files of node_modules copied (0% and 1%
 *    Cohere), against reading every file in Node and against jscodeshift running this project's
 *    transform, plus start-up on one file. Its options: --files N (default 20000),
 *    --jscodeshift-runs N (default 1), --with-cohere-sdk.
 *
 * How: every command runs in a fresh process, once as a warm-up (not counted; it also fills the
 * page cache), then --runs times; the median and the fastest run are shown. Wall time is measured
 * around the process. Peak memory is the largest sum of the resident set sizes of the process and
 * all its descendants, sampled from /proc every 5 ms for the first 100 ms and every 25 ms after,
 * over all runs of the row (a command that ends before the first sample shows "-"). An exit code
 * of 0 or 1 is success (1 is "findings" for check, "no match" for rg and ast-grep); any other, a
 * signal, or "internal error" on stderr marks the row as failed and prints its stderr. Every command runs with NODE_EXTRA_CA_CERTS removed from
 * its environment: this machine sets it, and reading that CA file adds to every Node start-up
 * (rg and ast-grep do not read it); the printout gives the cost measured on `node -e ''`.
 *
 * Options: --runs N (default 5; fewer than 3 only with --quick, which also makes the default 1:
 * such figures are not the issue's), --repo NAME=DIR[:py|:ts] (repeatable; replaces the defaults),
 * --sizes A,B,... , --only repos|generated|jscodeshift, --keep (leave the temporary folder: the
 * generated trees and the cache files), --jscodeshift (and its options above).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { eachPlainFile } from "../src/engine/files";
import { cohereProject, cohereTsconfig, copyRealFiles, isCohereSdk, PROJECT_ROOT, realSourceFiles, writeFiles, writeTree, type GeneratedFile, type TreeSummary } from "./corpus";

type Half = "repos" | "generated" | "jscodeshift";
type AstLanguage = "ts" | "py";

interface RepoOption {
  name: string;
  dir: string;
  /** From a `:py` / `:ts` suffix; otherwise decided by counting extensions. */
  language?: AstLanguage;
}

interface Options {
  runs: number;
  quick: boolean;
  repos: RepoOption[];
  /** False when the defaults are used: a missing default folder is then a note, not an error. */
  reposGiven: boolean;
  sizes: number[];
  only?: Half;
  keep: boolean;
  jscodeshift: boolean;
  files: number;
  jscodeshiftRuns: number;
  withCohereSdk: boolean;
}

const DEFAULT_REPOS: readonly RepoOption[] = [
  { name: "langchainjs", dir: "/work/repos/langchainjs" },
  { name: "vercel-ai", dir: "/work/repos/ai" },
  { name: "langchain-community", dir: "/work/repos/langchain-community" },
];
const DEFAULT_SIZES = [2000, 5000, 10_000, 20_000];
/** The issue's figures are medians of at least this many runs. */
const MIN_RUNS = 3;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    runs: 5,
    quick: false,
    repos: [],
    reposGiven: false,
    sizes: DEFAULT_SIZES,
    keep: false,
    jscodeshift: false,
    files: 20_000,
    jscodeshiftRuns: 1,
    withCohereSdk: false,
  };
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    const whole = (min: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${argv[i - 1]} needs a whole number from ${min}`);
      return n;
    };
    const arg = argv[i];
    if (arg === "--runs") {
      options.runs = whole(1);
      runsGiven = true;
    } else if (arg === "--quick") options.quick = true;
    else if (arg === "--repo") options.repos.push(parseRepo(value()));
    else if (arg === "--sizes") {
      const sizes = value().split(",").map((s) => Number(s.trim()));
      if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--sizes needs whole numbers from 1, comma-separated (2000,5000)");
      options.sizes = [...new Set(sizes)].sort((a, b) => a - b);
    } else if (arg === "--only") {
      const half = value();
      if (half !== "repos" && half !== "generated" && half !== "jscodeshift") throw new Error("--only takes repos, generated or jscodeshift");
      options.only = half;
    } else if (arg === "--keep") options.keep = true;
    else if (arg === "--jscodeshift") options.jscodeshift = true;
    else if (arg === "--files") options.files = whole(1);
    else if (arg === "--jscodeshift-runs") options.jscodeshiftRuns = whole(0);
    else if (arg === "--with-cohere-sdk") options.withCohereSdk = true;
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.quick && !runsGiven) options.runs = 1;
  if (options.runs < MIN_RUNS && !options.quick) {
    throw new Error(`--runs ${options.runs}: the issue's figures are medians of at least ${MIN_RUNS} runs; pass --quick to accept fewer`);
  }
  options.reposGiven = options.repos.length > 0;
  if (!options.reposGiven) options.repos = DEFAULT_REPOS.map((r) => ({ ...r }));
  return options;
}

/** `NAME=DIR`, `NAME=DIR:py`, `NAME=DIR:ts`. */
function parseRepo(spec: string): RepoOption {
  const eq = spec.indexOf("=");
  if (eq <= 0 || eq === spec.length - 1) throw new Error(`--repo ${spec}: expected NAME=DIR (optionally NAME=DIR:py or NAME=DIR:ts)`);
  const name = spec.slice(0, eq);
  let dir = spec.slice(eq + 1);
  let language: AstLanguage | undefined;
  const suffix = /:(py|ts)$/.exec(dir);
  if (suffix) {
    language = suffix[1] === "py" ? "py" : "ts";
    dir = dir.slice(0, -3);
  }
  return { name, dir: path.resolve(dir), language };
}

/** --only picks one half; --jscodeshift adds the earlier comparison to whatever else runs. */
function runsHalf(options: Options, half: Half): boolean {
  if (half === "jscodeshift") return options.jscodeshift || options.only === "jscodeshift";
  return options.only === undefined || options.only === half;
}

/**
 * CPU time so far, in clock ticks: the whole machine's (busy and all) and this benchmark's own,
 * its children included. Anything else running (a test suite, a build) slows the commands measured
 * and spreads their runs, so the printout says how much of the machine other work took. The load
 * average cannot say it: it counts the benchmark's own commands too.
 */
interface CpuMark {
  total: number;
  busy: number;
  ours: number;
}

function cpuMark(): CpuMark | undefined {
  try {
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    const self = fs.readFileSync("/proc/self/stat", "utf8");
    // After the command name: utime, stime, cutime, cstime are fields 14-17, here 11-14. cutime and
    // cstime hold the children this process waited for: every command, once it has ended.
    const f = self.slice(self.lastIndexOf(")") + 2).split(" ").map(Number);
    return { total, busy: total - idle - iowait, ours: f[11] + f[12] + f[13] + f[14] };
  } catch {
    return undefined; // Not Linux.
  }
}

/** The share of the machine's CPU that work other than this benchmark used since `from`. */
function otherCpu(from: CpuMark | undefined, what: string): string[] {
  const to = cpuMark();
  if (!from || !to || to.total === from.total) return [];
  const share = Math.max(0, (to.busy - from.busy - (to.ours - from.ours)) / (to.total - from.total));
  const cores = os.availableParallelism();
  const busy = share > 0.1 ? ": the machine was busy, so these figures are slower and noisier than on an idle one" : "";
  return [`CPU used by other work during ${what}: ${(share * 100).toFixed(0)}% of the machine's ${cores} cores (steal time included)${busy}.`, ""];
}

/** The machine, as the README's table states it. */
function machine(): string {
  let cpu = os.cpus()[0]?.model ?? "unknown CPU";
  try {
    const line = fs.readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) cpu = line.split(":")[1].trim();
  } catch {
    // Not Linux: os.cpus() says enough.
  }
  const ram = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpu}, ${os.availableParallelism()} cores, ${ram} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Run {
  seconds: number;
  /** 0 when the process ended before the first sample. */
  peakBytes: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * This machine sets NODE_EXTRA_CA_CERTS, and Node reads and parses that CA file at every start-up:
 * a cost of the machine, not of the tool, so no command gets it.
 */
const CA_VARIABLE = "NODE_EXTRA_CA_CERTS";
const CLEAN_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== CA_VARIABLE));

function readPpidAndRss(pid: number): { ppid: number; rss: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), rss: Number(fields[21]) * 4096 };
  } catch {
    return undefined;
  }
}

/** The resident memory of `root` and every process below it. */
function treeRss(root: number): number {
  let pids: number[];
  try {
    pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return 0;
  }
  const info = new Map<number, { ppid: number; rss: number }>();
  for (const pid of pids) {
    const i = readPpidAndRss(pid);
    if (i) info.set(pid, i);
  }
  let total = 0;
  for (const [pid, i] of info) {
    let p: number | undefined = pid;
    for (let hops = 0; p && p !== root && hops < 64; hops++) p = info.get(p)?.ppid;
    if (p === root) total += i.rss;
  }
  return total;
}

function measure(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = CLEAN_ENV): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 8000) stderr += d.toString();
    });
    let peak = 0;
    let timer: NodeJS.Timeout | undefined;
    // Every 5 ms for the first 100 ms, then every 25: rg is done within a few tens of ms, and
    // scanning /proc that often through a long run would take CPU from the command measured.
    const sample = (): void => {
      if (child.pid) peak = Math.max(peak, treeRss(child.pid));
      timer = setTimeout(sample, Number(process.hrtime.bigint() - started) < 100e6 ? 5 : 25);
    };
    timer = setTimeout(sample, 5);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // "close", not "exit": stderr is complete only then.
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakBytes: peak, code, signal, stderr });
    });
  });
}

/** Why a run did not succeed, or undefined when it did: exit 0 and 1 are both success. */
function failure(run: Run): string | undefined {
  if (run.signal) return `killed by ${run.signal}`;
  if (run.code !== 0 && run.code !== 1) return `exit ${run.code}`;
  // The CLI's own crash handler (bin/cohere-migrate.js) exits 1, which would pass for "findings".
  if (run.stderr.includes("cohere-migrate: internal error")) return `exit ${run.code}, internal error`;
  return undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Command {
  /** What the table calls it. */
  label: string;
  file: string;
  args: string[];
  cwd: string;
}

interface Row {
  group: string;
  label: string;
  runs: Run[];
  /** Set when a run failed; the row then has no figures. */
  failed?: string;
  /** The failed run's stderr, for the printout. */
  failedStderr?: string;
}

const medianSeconds = (row: Row | undefined): number | undefined => (row && !row.failed && row.runs.length ? median(row.runs.map((r) => r.seconds)) : undefined);
const peakBytes = (row: Row | undefined): number | undefined => (row && !row.failed && row.runs.length ? Math.max(...row.runs.map((r) => r.peakBytes)) : undefined);

function progress(row: Row, run: Run, note = ""): void {
  process.stderr.write(`  ${row.group} · ${row.label}${note}: ${run.seconds.toFixed(3)} s, ${(run.peakBytes / 1024 ** 2).toFixed(0)} MB\n`);
}

function reportFailure(row: Row, run: Run, why: string): void {
  row.failed = why;
  row.failedStderr = run.stderr.trim();
  process.stderr.write(`  ${row.group} · ${row.label} FAILED (${why}); stderr:\n${run.stderr.trim().replace(/^/gm, "    ")}\n`);
}

/** One run not counted (when `warmUp`), then `times` counted ones; stops at the first failure. */
async function timeRow(group: string, command: Command, times: number, warmUp = true): Promise<Row> {
  const row: Row = { group, label: command.label, runs: [] };
  for (let i = warmUp ? -1 : 0; i < times; i++) {
    const run = await measure(command.file, command.args, command.cwd);
    const why = failure(run);
    if (why) {
      reportFailure(row, run, why);
      return row;
    }
    progress(row, run, i < 0 ? " (warm-up)" : "");
    if (i >= 0) row.runs.push(run);
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Tools

const CLI = path.join(PROJECT_ROOT, "bin", "cohere-migrate.js");
const CLI_BUILT = path.join(PROJECT_ROOT, "dist", "src", "cli.js");
const AST_GREP = path.join(PROJECT_ROOT, "node_modules", ".bin", "ast-grep");
const AST_GREP_PATTERN = "$C.generate($$$A)";

/** An executable named `name` on PATH. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

interface Tools {
  rg?: string;
  astGrep?: string;
  /** Whether `check --cache` is accepted; undefined until the first try. */
  cache?: boolean;
}

function findTools(): { tools: Tools; notes: string[] } {
  const notes: string[] = [];
  const rg = onPath("rg");
  if (!rg) notes.push("ripgrep not found: apt-get install ripgrep (its rows are left out)");
  let astGrep: string | undefined = AST_GREP;
  if (!fs.existsSync(AST_GREP)) {
    notes.push("ast-grep not found at node_modules/.bin/ast-grep: npm install (devDependency @ast-grep/cli; its rows are left out)");
    astGrep = undefined;
  }
  return { tools: { rg, astGrep }, notes };
}

const node = process.execPath;
const rgCommand = (rg: string, dir: string): Command => ({ label: "rg -c generate DIR", file: rg, args: ["-c", "generate", dir], cwd: dir });
const astGrepCommand = (astGrep: string, dir: string, language: AstLanguage): Command => ({
  label: `ast-grep run -p '${AST_GREP_PATTERN}' -l ${language} DIR`,
  file: astGrep,
  args: ["run", "-p", AST_GREP_PATTERN, "-l", language, dir],
  cwd: dir,
});
const checkCommand = (dir: string): Command => ({ label: "cohere-migrate check DIR", file: node, args: [CLI, "check", dir], cwd: dir });
const dryCommand = (dir: string): Command => ({ label: "cohere-migrate migrate --dry DIR", file: node, args: [CLI, "migrate", "--dry", dir], cwd: dir });

/** What `check --format json` says about a tree: files read, errors, warnings. */
async function checkSummary(dir: string): Promise<{ files: number; errors: number; warnings: number } | string> {
  return new Promise((resolve) => {
    const child = spawn(node, [CLI, "check", "--format", "json", dir], { cwd: dir, env: CLEAN_ENV, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve(e.message));
    child.on("close", (code) => {
      try {
        const json = JSON.parse(Buffer.concat(out).toString()) as { summary: { files: number; errors: number; warnings: number } };
        resolve({ files: json.summary.files, errors: json.summary.errors, warnings: json.summary.warnings });
      } catch {
        resolve(`check --format json exited ${code}: ${stderr.trim().slice(0, 400)}`);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Printing

const MB = 1024 ** 2;
const secs = (s: number | undefined): string => (s === undefined ? "-" : `${s.toFixed(3)} s`);
const mb = (b: number | undefined): string => (b === undefined || b === 0 ? "-" : `${(b / MB).toFixed(0)} MB`);
const count = (n: number): string => n.toLocaleString("en-US");

function rowsTable(rows: readonly Row[], firstColumn?: (row: Row) => string): string[] {
  const lines = [
    `| ${firstColumn ? "files | " : ""}command | runs | median | min | peak memory |`,
    `|${firstColumn ? "---:|" : ""}---|---:|---:|---:|---:|`,
  ];
  for (const r of rows) {
    const lead = firstColumn ? `${firstColumn(r)} | ` : "";
    if (r.failed) lines.push(`| ${lead}${r.label} | ${r.runs.length} | FAILED (${r.failed}) | | |`);
    else lines.push(`| ${lead}${r.label} | ${r.runs.length} | ${secs(medianSeconds(r))} | ${secs(Math.min(...r.runs.map((x) => x.seconds)))} | ${mb(peakBytes(r))} |`);
  }
  return lines;
}

/** The stderr of each failed row, under its table. */
function failureNotes(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (!r.failed) continue;
    const lines = (r.failedStderr ?? "").split("\n");
    const shown = lines.slice(0, 20).map((l) => `    ${l}`);
    if (lines.length > 20) shown.push(`    ... (${lines.length - 20} more lines)`);
    out.push(`${r.group} · ${r.label} failed (${r.failed}); its stderr:`, "", ...(r.failedStderr ? shown : ["    (empty)"]), "");
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

interface Ratio {
  name: string;
  value: number | undefined;
  /** Met when value ≤ target. */
  target: number;
  /** Why there is no value. */
  missing: string;
}

function ratioTable(ratios: readonly Ratio[]): string[] {
  const lines = ["| ratio (medians) | measured | target | met |", "|---|---:|---:|---|"];
  for (const r of ratios) {
    if (r.value === undefined) lines.push(`| ${r.name} | n/a (${r.missing}) | ≤ ${r.target}× | - |`);
    else lines.push(`| ${r.name} | ${r.value.toFixed(2)}× | ≤ ${r.target}× | ${r.value <= r.target ? "yes" : "no"} |`);
  }
  return lines;
}

/** a ÷ b of two rows' medians, with the reason when either is missing. */
function ratio(name: string, a: Row | undefined, b: Row | undefined, target: number, missing: { a: string; b: string }): Ratio {
  const ma = medianSeconds(a);
  const mbOf = medianSeconds(b);
  const why = !a ? missing.a : a.failed ? `${a.label} failed` : !b ? missing.b : b.failed ? `${b.label} failed` : "";
  return { name, value: ma !== undefined && mbOf !== undefined ? ma / mbOf : undefined, target, missing: why };
}

// ---------------------------------------------------------------------------------------------
// 1. Real repositories

const JS_TS = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
const AST_GREP_TS = /\.(ts|mts|cts)$/;

interface LanguageCount {
  py: number;
  jsTs: number;
  /** The files `ast-grep -l ts` parses (.ts, .mts, .cts). */
  astGrepTs: number;
}

/** Source files by language, skipping .git, node_modules and other dot-folders as the tools do. */
function countLanguages(dir: string): LanguageCount {
  const out: LanguageCount = { py: 0, jsTs: 0, astGrepTs: 0 };
  eachPlainFile(dir, (_abs, name) => {
    if (name.endsWith(".py")) out.py++;
    if (JS_TS.test(name)) out.jsTs++;
    if (AST_GREP_TS.test(name)) out.astGrepTs++;
  });
  return out;
}

async function benchRepo(repo: RepoOption, tools: Tools, options: Options, base: string): Promise<string[]> {
  const counts = countLanguages(repo.dir);
  const language: AstLanguage = repo.language ?? (counts.py > counts.jsTs ? "py" : "ts");
  const how = repo.language ? `forced by :${repo.language}` : `${count(counts.py)} .py vs ${count(counts.jsTs)} .ts/.tsx/.js/.jsx/.mjs/.cjs files`;
  process.stderr.write(`${repo.name} (${repo.dir}): ast-grep -l ${language} (${how})\n`);
  const notes: string[] = [];
  const summary = await checkSummary(repo.dir);
  const rows: Row[] = [];
  const rg = tools.rg ? await timeRow(repo.name, rgCommand(tools.rg, repo.dir), options.runs) : undefined;
  const sg = tools.astGrep ? await timeRow(repo.name, astGrepCommand(tools.astGrep, repo.dir, language), options.runs) : undefined;
  const check = await timeRow(repo.name, checkCommand(repo.dir), options.runs);
  const dry = await timeRow(repo.name, dryCommand(repo.dir), options.runs);
  for (const r of [rg, sg, check, dry]) if (r) rows.push(r);

  let cached: Row | undefined;
  if (tools.cache !== false) {
    const cacheFile = path.join(base, `cache-${repo.name.replace(/[^\w.-]/g, "_")}`);
    fs.rmSync(cacheFile, { force: true });
    const command: Command = { label: "cohere-migrate check --cache (2nd+ run)", file: node, args: [CLI, "check", "--cache", "--cache-location", cacheFile, repo.dir], cwd: repo.dir };
    const fill = await measure(command.file, command.args, command.cwd);
    if (fill.code === 2 && /unknown option/.test(fill.stderr)) {
      tools.cache = false;
    } else {
      tools.cache = true;
      const why = failure(fill);
      cached = { group: repo.name, label: command.label, runs: [] };
      if (why) reportFailure(cached, fill, `${why} on the run that fills the cache`);
      else {
        progress(cached, fill, " (fills the cache)");
        cached = await timeRow(repo.name, command, options.runs, false);
      }
      rows.push(cached);
    }
  }
  if (tools.cache === false) notes.push("check --cache: not supported by this build");

  const out = [`### ${repo.name}`, ""];
  out.push(
    `${repo.dir}: ${count(counts.jsTs)} .ts/.tsx/.js/.jsx/.mjs/.cjs files, ${count(counts.py)} .py files (not counting node_modules and dot-folders); ast-grep runs with -l ${language} (${repo.language ? `forced by :${repo.language}` : "the more numerous language"})` +
      (language === "ts" ? `, which parses the ${count(counts.astGrepTs)} .ts/.mts/.cts files only.` : "."),
  );
  out.push(typeof summary === "string" ? `check --format json failed: ${summary}` : `check reads ${plural(summary.files, "file")} and reports ${plural(summary.errors, "error")} and ${plural(summary.warnings, "warning")}.`);
  out.push("", ...rowsTable(rows), "", ...failureNotes(rows));
  for (const n of notes) out.push(n, "");
  out.push(
    ...ratioTable([
      ratio("check ÷ ast-grep", check, sg, 0.2, { a: "", b: "ast-grep not found" }),
      ratio("migrate --dry ÷ check", dry, check, 1.5, { a: "", b: "" }),
      ratio("check --cache (2nd run) ÷ rg", cached, rg, 3, { a: "check --cache not supported by this build", b: "ripgrep not found" }),
    ]),
    "",
  );
  return out;
}

async function benchRepos(options: Options, tools: Tools, base: string): Promise<string[]> {
  const out = ["## Real repositories", ""];
  const present: RepoOption[] = [];
  for (const repo of options.repos) {
    if (fs.existsSync(repo.dir) && fs.statSync(repo.dir).isDirectory()) present.push(repo);
    else if (options.reposGiven) throw new Error(`--repo ${repo.name}=${repo.dir}: no such folder`);
    else out.push(`${repo.name}: ${repo.dir} not found, left out; measure any repository with --repo NAME=DIR (repeatable, optionally NAME=DIR:py or NAME=DIR:ts).`);
  }
  if (out.length > 2) out.push("");
  if (present.length === 0) return [...out, "No repository to measure.", ""];
  for (const repo of present) out.push(...(await benchRepo(repo, tools, options, base)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. The generated tree

interface SizeResult {
  size: number;
  summary: TreeSummary;
  check: Row;
  dry: Row;
  findings: string;
}

async function benchGenerated(options: Options, tools: Tools, base: string): Promise<string[]> {
  const results: SizeResult[] = [];
  const rows: Row[] = [];
  for (const size of options.sizes) {
    const dir = path.join(base, `tree-${size}`);
    process.stderr.write(`writing the first ${count(size)} files of the tree in ${dir} ...\n`);
    const summary = writeTree(dir, size);
    const group = `${count(size)} files`;
    const s = await checkSummary(dir);
    const calls = summary.callFiles.ts + summary.callFiles.js + summary.callFiles.py;
    const findings =
      typeof s === "string"
        ? `check --format json failed: ${s}`
        : `check reports ${plural(s.errors, "error")} (the tree has ${plural(calls, "call file")}${s.errors === calls ? "" : ": NOT EQUAL"}) and ${plural(s.warnings, "warning")} (possible calls: \`.generate(\` on receivers it cannot identify in files that use Cohere)`;
    if (tools.rg) rows.push(await timeRow(group, rgCommand(tools.rg, dir), options.runs));
    if (tools.astGrep) rows.push(await timeRow(group, astGrepCommand(tools.astGrep, dir, "ts"), options.runs));
    const check = await timeRow(group, checkCommand(dir), options.runs);
    const dry = await timeRow(group, dryCommand(dir), options.runs);
    rows.push(check, dry);
    results.push({ size, summary, check, dry, findings });
    // The sizes add up to 37,000 files by default: each goes once measured, unless --keep.
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }

  const largest = results[results.length - 1];
  const smallest = results[0];
  const langs = largest.summary.byLanguage;
  const out = [
    "## Generated tree",
    "",
    `${count(largest.summary.files)} files (${count(langs.ts)} .ts, ${count(langs.js)} .js, ${count(langs.py)} .py; ${(largest.summary.bytes / largest.summary.files / 1024).toFixed(1)} KB on average), ` +
      `${count(largest.summary.callFiles.ts + largest.summary.callFiles.js + largest.summary.callFiles.py)} of them with one legacy Generate call ` +
      `(${count(largest.summary.callFiles.ts)} .ts, ${count(largest.summary.callFiles.js)} .js, ${count(largest.summary.callFiles.py)} .py), the rest ordinary code, some calling \`.generate(\` on other objects. ` +
      "Each size is the first N files of the same tree, with package.json (cohere-ai ^7.10.0) and requirements.txt (cohere==5.5.8) at its root. " +
      "ast-grep runs the ts pattern (-l ts) on this mixed tree, so it parses the .ts files only (60%), not the .js or .py ones.",
    "",
  ];
  for (const r of results) out.push(`- ${count(r.size)} files: ${r.findings}.`);
  out.push("", ...rowsTable(rows, (r) => r.group.replace(" files", "")), "", ...failureNotes(rows));

  out.push("Growth (median seconds and peak memory per 1,000 files):", "", "| command | files | median | s per 1,000 files | peak memory | MB per 1,000 files |", "|---|---:|---:|---:|---:|---:|");
  for (const pick of [(r: SizeResult) => r.check, (r: SizeResult) => r.dry]) {
    for (const r of results) {
      const row = pick(r);
      const m = medianSeconds(row);
      const p = peakBytes(row);
      const k = r.size / 1000;
      out.push(`| ${row.label.replace(" DIR", "")} | ${count(r.size)} | ${secs(m)} | ${m === undefined ? "-" : (m / k).toFixed(3)} | ${mb(p)} | ${p ? (p / MB / k).toFixed(1) : "-"} |`);
    }
  }
  out.push("");
  if (results.length > 1) {
    const linear = largest.size / smallest.size;
    for (const pick of [(r: SizeResult) => r.check, (r: SizeResult) => r.dry]) {
      const a = pick(largest);
      const b = pick(smallest);
      const t = ratioOf(medianSeconds(a), medianSeconds(b));
      const m = ratioOf(peakBytes(a), peakBytes(b));
      out.push(`- ${a.label.replace(" DIR", "")}: ${count(largest.size)} ÷ ${count(smallest.size)} files: time ${t}, peak memory ${m} (linear growth would be ${linear.toFixed(1)}×).`);
    }
  }
  for (const pick of [(r: SizeResult) => r.check, (r: SizeResult) => r.dry]) {
    const row = pick(largest);
    const p = peakBytes(row);
    out.push(`- ${row.label.replace(" DIR", "")}: peak memory at ${count(largest.size)} files ${mb(p)}: under 400 MB: ${p === undefined || p === 0 ? "n/a" : p < 400 * MB ? "yes" : "no"}.`);
  }
  out.push("");
  return out;
}

const ratioOf = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? "n/a" : `${(a / b).toFixed(2)}×`);

// ---------------------------------------------------------------------------------------------
// Node start-up with and without the CA file

async function caLine(options: Options): Promise<string> {
  const ca = process.env[CA_VARIABLE];
  if (!ca) return `${CA_VARIABLE} is not set here; commands run with the environment as it is.`;
  const timed = async (env: NodeJS.ProcessEnv): Promise<number> => {
    const seconds: number[] = [];
    for (let i = -1; i < Math.max(options.runs, MIN_RUNS); i++) {
      const run = await measure(node, ["-e", ""], PROJECT_ROOT, env);
      if (i >= 0) seconds.push(run.seconds);
    }
    return median(seconds);
  };
  const withCa = await timed(process.env);
  const without = await timed(CLEAN_ENV);
  return (
    `Every command runs with ${CA_VARIABLE} removed from its environment: this machine sets it (${ca}), and Node reads that CA file at every start-up ` +
    `(node -e '' here: ${secs(withCa)} with it, ${secs(without)} without, ${((withCa - without) * 1000).toFixed(0)} ms); rg and ast-grep do not read it.`
  );
}

// ---------------------------------------------------------------------------------------------
// 3. The earlier comparison: node_modules corpora, the floor, jscodeshift (--jscodeshift)

interface Corpus {
  name: string;
  dir: string;
  files: number;
  /** Generated files with Cohere calls, to put back before each run that writes. */
  generated: Map<string, GeneratedFile>;
  callFiles: number;
}

/** `count` real files: the node_modules list repeated in numbered copies until there are enough. */
function copyReal(to: string, wanted: number, withCohereSdk: boolean): number {
  const real = realSourceFiles().filter((rel) => withCohereSdk || !isCohereSdk(rel));
  let copied = 0;
  for (let copy = 0; copied < wanted; copy++) {
    const take = real.slice(0, Math.min(real.length, wanted - copied));
    copyRealFiles(take, path.join(to, `copy${copy}`));
    copied += take.length;
  }
  return copied;
}

function buildCorpora(base: string, files: number, withCohereSdk: boolean): Corpus[] {
  const zero: Corpus = { name: "0% Cohere", dir: path.join(base, "zero"), files: 0, generated: new Map(), callFiles: 0 };
  zero.files = copyReal(zero.dir, files, withCohereSdk);

  // 1% of the files hold Cohere calls: whole generated projects, each with every detection style.
  const one: Corpus = { name: "1% Cohere", dir: path.join(base, "one"), files: 0, generated: new Map(), callFiles: 0 };
  const perProject = cohereProject("gen/p0", "@/gen/p0");
  const callsPerProject = [...perProject.values()].filter((f) => f.findings > 0).length;
  const projects = Math.max(1, Math.round((files * 0.01) / callsPerProject));
  for (let p = 0; p < projects; p++) {
    for (const [rel, file] of cohereProject(`gen/p${p}`, `@/gen/p${p}`)) one.generated.set(rel, file);
  }
  writeFiles(one.dir, one.generated);
  fs.writeFileSync(path.join(one.dir, "tsconfig.json"), cohereTsconfig("gen"));
  one.callFiles = [...one.generated.values()].filter((f) => f.findings > 0).length;
  one.files = one.generated.size + copyReal(path.join(one.dir, "real"), files - one.generated.size, withCohereSdk);
  return [zero, one];
}

// The floor reads every file's bytes in a fresh Node process, walking the folder as the CLI does;
// nothing is parsed or searched.
const FLOOR_SCRIPT = `
const fs = require("fs"), path = require("path");
let bytes = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const a = path.join(d, e.name); if (e.isDirectory()) walk(a); else if (e.isFile()) bytes += fs.readFileSync(a).length; } };
walk(process.argv[1]);
`;

const JSCODESHIFT = path.join(PROJECT_ROOT, "node_modules", ".bin", "jscodeshift");
const TRANSFORM = path.join(PROJECT_ROOT, "dist", "transforms", "generate-to-chat.js");
// jscodeshift's defaults (babel on: it compiles the transform's own modules, a few dozen files).
const JSCODESHIFT_ARGS = ["-t", TRANSFORM, "--dry", "--silent", "--extensions=ts,tsx,js,jsx,mjs,cjs", "--parser=tsx"];

/** Like timeRow, with an optional step before each run (restoring files a writing run changed). */
async function repeat(group: string, command: Command, times: number, before?: () => void): Promise<Row> {
  const row: Row = { group, label: command.label, runs: [] };
  for (let i = 0; i < times; i++) {
    before?.();
    const run = await measure(command.file, command.args, command.cwd);
    const why = failure(run);
    if (why) {
      reportFailure(row, run, why);
      break;
    }
    progress(row, run);
    row.runs.push(run);
  }
  return row;
}

async function benchCorpus(corpus: Corpus, options: Options): Promise<Row[]> {
  const at = (label: string, file: string, args: string[]): Command => ({ label, file, args, cwd: corpus.dir });
  const restore = (): void => void writeFiles(corpus.dir, corpus.generated);
  const rows: Row[] = [];
  // One unmeasured pass puts every file in the page cache, as for a repeated CI run.
  await measure(node, ["-e", FLOOR_SCRIPT, corpus.dir], corpus.dir);
  rows.push(await repeat(corpus.name, at("read every file (floor)", node, ["-e", FLOOR_SCRIPT, corpus.dir]), options.runs));
  rows.push(await repeat(corpus.name, at("check", node, [CLI, "check", "."]), options.runs));
  rows.push(await repeat(corpus.name, at("migrate --dry", node, [CLI, "migrate", "--dry", "."]), options.runs));
  if (corpus.callFiles > 0) {
    rows.push(await repeat(corpus.name, at("migrate (writes)", node, [CLI, "migrate", "--no-update-deps", "."]), options.runs, restore));
    restore();
  }
  if (options.jscodeshiftRuns > 0) rows.push(await repeat(corpus.name, at("jscodeshift --dry", JSCODESHIFT, [...JSCODESHIFT_ARGS, "."]), options.jscodeshiftRuns));
  return rows;
}

async function startUp(base: string, options: Options): Promise<Row[]> {
  const dir = path.join(base, "tiny");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "a.ts"), "export const a = 1;\n");
  return [
    await repeat("1 file", { label: "node -e '' (start-up floor)", file: node, args: ["-e", ""], cwd: dir }, options.runs),
    await repeat("1 file", { label: "check", file: node, args: [CLI, "check", "."], cwd: dir }, options.runs),
  ];
}

function legacyTable(rows: readonly Row[]): string {
  const isFloor = (r: Row): boolean => r.label.startsWith("read every file") || r.label.startsWith("node -e");
  const isJscodeshift = (r: Row): boolean => r.label.startsWith("jscodeshift");
  const floorOf = new Map<string, number | undefined>();
  const jscodeshiftOf = new Map<string, number | undefined>();
  for (const r of rows) {
    if (isFloor(r)) floorOf.set(r.group, medianSeconds(r));
    if (isJscodeshift(r)) jscodeshiftOf.set(r.group, medianSeconds(r));
  }
  const lines = ["| corpus | command | runs | median | × floor | jscodeshift ÷ this | peak memory |", "|---|---|---:|---:|---:|---:|---:|"];
  for (const r of rows) {
    const m = medianSeconds(r);
    if (m === undefined) {
      lines.push(`| ${r.group} | ${r.label} | ${r.runs.length} | FAILED (${r.failed ?? "no runs"}) | | | |`);
      continue;
    }
    const floor = floorOf.get(r.group);
    const jscodeshift = jscodeshiftOf.get(r.group);
    lines.push(
      `| ${r.group} | ${r.label} | ${r.runs.length} | ${m.toFixed(2)} s | ${isFloor(r) || !floor ? "" : `${(m / floor).toFixed(2)}×`} | ${isFloor(r) || isJscodeshift(r) || !jscodeshift ? "" : `${(jscodeshift / m).toFixed(1)}×`} | ${mb(peakBytes(r))} |`,
    );
  }
  return lines.join("\n");
}

async function benchJscodeshift(options: Options, base: string): Promise<string[]> {
  if (!fs.existsSync(TRANSFORM)) throw new Error(`${TRANSFORM} is missing: run npm run build`);
  const dir = path.join(base, "node-modules-corpora");
  process.stderr.write(`building the node_modules corpora in ${dir} ...\n`);
  const corpora = buildCorpora(dir, options.files, options.withCohereSdk);
  const rows: Row[] = [];
  for (const corpus of corpora) rows.push(...(await benchCorpus(corpus, options)));
  rows.push(...(await startUp(dir, options)));
  const [zero, one] = corpora;
  return [
    "## node_modules corpora and jscodeshift (--jscodeshift)",
    "",
    legacyTable(rows),
    "",
    ...failureNotes(rows),
    `- 0% Cohere: ${zero.files} JS/TS files of node_modules (the list repeated in numbered copies to reach the count), ${options.withCohereSdk ? "with" : "without"} the cohere-ai packages' own files${options.withCohereSdk ? " (their tests call generate on Cohere clients)" : " (their tests call generate on Cohere clients; --with-cohere-sdk keeps them)"}.`,
    `- 1% Cohere: ${one.files} files; ${one.generated.size} generated in ${one.generated.size / cohereProject("x", "@/x").size} projects, ${one.callFiles} of them (${((100 * one.callFiles) / one.files).toFixed(2)}%) with legacy Cohere uses in every detection style (and one marker left), the rest real code as above.`,
    `- Each command ran ${options.runs} times (${options.jscodeshiftRuns ? `jscodeshift ${options.jscodeshiftRuns}: it takes minutes over these corpora` : "jscodeshift left out"}); medians shown. The first floor pass (not counted) warms the page cache.`,
    "- floor: a fresh Node process walks the folder and reads every file's bytes (fs.readFileSync), nothing else.",
    `- jscodeshift: \`jscodeshift ${JSCODESHIFT_ARGS.map((a) => (a === TRANSFORM ? "dist/transforms/generate-to-chat.js" : a)).join(" ")} <dir>\` (its runner uses cores − 1 workers).`,
    "",
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(CLI_BUILT)) throw new Error(`${CLI_BUILT} is missing: run npm run build`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "cm-bench-"));
  process.stderr.write(`working in ${base} ...\n`);
  try {
    const { tools, notes } = findTools();
    const started = cpuMark();
    const head = [`Machine: ${machine()}`, await caLine(options)];
    head.push(
      `Each command: a fresh process, 1 warm-up run not counted, then ${plural(options.runs, "run")}; median and fastest wall time, peak memory = the largest sum of RSS over the process tree (sampled from /proc every 5 ms, then every 25 ms after the first 100 ms), over all runs. Exit 0 and 1 are success.` +
        (options.runs < MIN_RUNS ? ` --quick: fewer than ${MIN_RUNS} runs, these are not the issue's figures.` : ""),
    );
    const out = [...head, ...notes, ""];
    const part = async (half: Half, run: () => Promise<string[]>): Promise<void> => {
      if (!runsHalf(options, half)) return;
      const mark = cpuMark();
      out.push(...(await run()), ...otherCpu(mark, "this part"));
    };
    await part("repos", () => benchRepos(options, tools, base));
    await part("generated", () => benchGenerated(options, tools, base));
    await part("jscodeshift", () => benchJscodeshift(options, base));
    out.push(...otherCpu(started, "the whole run"));
    process.stdout.write(out.join("\n") + "\n");
  } finally {
    if (!options.keep) fs.rmSync(base, { recursive: true, force: true });
    else process.stderr.write(`kept ${base}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
