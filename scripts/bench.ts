/**
 * `npm run bench`: how `check` and `migrate` compare with reading every file's bytes in Node (the
 * floor) and with jscodeshift running this project's own transform, on corpora of real code (the
 * JS/TS files of node_modules, copied) with and without generated Cohere projects mixed in.
 *
 * A benchmark, not a test: it prints a table and asserts nothing. Every command runs in a fresh
 * process; wall time is measured around it, and peak memory is the largest sum of the resident
 * set sizes of the process and all its descendants, sampled from /proc.
 *
 * Options: --files N (default 20000), --runs N (default 5), --jscodeshift-runs N (default 1; 0
 * leaves jscodeshift out),
 * --with-cohere-sdk (keep the cohere-ai packages' own files in the real code: their tests call
 * `generate` on Cohere clients, so the corpus is then not one "with no Cohere calls"),
 * --keep (leave the corpora in the temporary folder).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cohereProject, cohereTsconfig, copyRealFiles, isCohereSdk, PROJECT_ROOT, realSourceFiles, writeFiles, type GeneratedFile } from "./corpus";

interface Options {
  files: number;
  runs: number;
  jscodeshiftRuns: number;
  withCohereSdk: boolean;
  keep: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { files: 20_000, runs: 5, jscodeshiftRuns: 1, withCohereSdk: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const next = (min: number): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < min) throw new Error(`${argv[i - 1]} needs a whole number from ${min}`);
      return n;
    };
    if (argv[i] === "--files") options.files = next(1);
    else if (argv[i] === "--runs") options.runs = next(1);
    else if (argv[i] === "--jscodeshift-runs") options.jscodeshiftRuns = next(0);
    else if (argv[i] === "--with-cohere-sdk") options.withCohereSdk = true;
    else if (argv[i] === "--keep") options.keep = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
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
// Corpora

interface Corpus {
  name: string;
  dir: string;
  files: number;
  /** Generated files with Cohere calls, to put back before each run that writes. */
  generated: Map<string, GeneratedFile>;
  callFiles: number;
}

/** `count` real files: the node_modules list repeated in numbered copies until there are enough. */
function copyReal(to: string, count: number, withCohereSdk: boolean): number {
  const real = realSourceFiles().filter((rel) => withCohereSdk || !isCohereSdk(rel));
  let copied = 0;
  for (let copy = 0; copied < count; copy++) {
    const take = real.slice(0, Math.min(real.length, count - copied));
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

// ---------------------------------------------------------------------------------------------
// Measuring

interface Run {
  seconds: number;
  peakBytes: number;
  code: number | null;
}

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

function measure(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    let peak = 0;
    const sample = (): void => {
      if (child.pid) peak = Math.max(peak, treeRss(child.pid));
    };
    const timer = setInterval(sample, 25);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && code !== 1) process.stderr.write(`  (${path.basename(command)} ${args.join(" ")} exited ${code}: ${stderr.trim().slice(0, 400)})\n`);
      resolve({ seconds, peakBytes: peak, code });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Row {
  corpus: string;
  command: string;
  runs: Run[];
}

// What each row runs. The floor reads every file's bytes in a fresh Node process, walking the
// folder as the CLI does; nothing is parsed or searched.
const FLOOR_SCRIPT = `
const fs = require("fs"), path = require("path");
let bytes = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const a = path.join(d, e.name); if (e.isDirectory()) walk(a); else if (e.isFile()) bytes += fs.readFileSync(a).length; } };
walk(process.argv[1]);
`;

const CLI = path.join(PROJECT_ROOT, "bin", "cohere-migrate.js");
const JSCODESHIFT = path.join(PROJECT_ROOT, "node_modules", ".bin", "jscodeshift");
const TRANSFORM = path.join(PROJECT_ROOT, "dist", "transforms", "generate-to-chat.js");
// jscodeshift's defaults (babel on: it compiles the transform's own modules, a few dozen files).
const JSCODESHIFT_ARGS = ["-t", TRANSFORM, "--dry", "--silent", "--extensions=ts,tsx,js,jsx,mjs,cjs", "--parser=tsx"];

async function repeat(row: Row, times: number, run: () => Promise<Run>, before?: () => void): Promise<Row> {
  for (let i = 0; i < times; i++) {
    before?.();
    const r = await run();
    row.runs.push(r);
    process.stderr.write(`  ${row.corpus} · ${row.command}: ${r.seconds.toFixed(2)} s, ${(r.peakBytes / 1024 ** 2).toFixed(0)} MB\n`);
  }
  return row;
}

function restore(corpus: Corpus): void {
  writeFiles(corpus.dir, corpus.generated);
}

async function benchCorpus(corpus: Corpus, options: Options): Promise<Row[]> {
  const node = process.execPath;
  const rows: Row[] = [];
  const row = (command: string): Row => {
    const r: Row = { corpus: corpus.name, command, runs: [] };
    rows.push(r);
    return r;
  };
  // One unmeasured pass puts every file in the page cache, as for a repeated CI run.
  await measure(node, ["-e", FLOOR_SCRIPT, corpus.dir], corpus.dir);
  await repeat(row("read every file (floor)"), options.runs, () => measure(node, ["-e", FLOOR_SCRIPT, corpus.dir], corpus.dir));
  await repeat(row("check"), options.runs, () => measure(node, [CLI, "check", "."], corpus.dir));
  await repeat(row("migrate --dry"), options.runs, () => measure(node, [CLI, "migrate", "--dry", "."], corpus.dir));
  if (corpus.callFiles > 0) {
    await repeat(row("migrate (writes)"), options.runs, () => measure(node, [CLI, "migrate", "--no-update-deps", "."], corpus.dir), () => restore(corpus));
    restore(corpus);
  }
  if (options.jscodeshiftRuns > 0) {
    await repeat(row("jscodeshift --dry"), options.jscodeshiftRuns, () => measure(JSCODESHIFT, [...JSCODESHIFT_ARGS, "."], corpus.dir));
  }
  return rows;
}

async function startUp(base: string, options: Options): Promise<Row[]> {
  const dir = path.join(base, "tiny");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "a.ts"), "export const a = 1;\n");
  const node = process.execPath;
  const nodeRow: Row = { corpus: "1 file", command: "node -e '' (start-up floor)", runs: [] };
  const checkRow: Row = { corpus: "1 file", command: "check", runs: [] };
  await repeat(nodeRow, options.runs, () => measure(node, ["-e", ""], dir));
  await repeat(checkRow, options.runs, () => measure(node, [CLI, "check", "."], dir));
  return [nodeRow, checkRow];
}

function table(rows: readonly Row[]): string {
  const floorOf = new Map<string, number>();
  const jscodeshiftOf = new Map<string, number>();
  for (const r of rows) {
    if (r.command.startsWith("read every file") || r.command.startsWith("node -e")) floorOf.set(r.corpus, median(r.runs.map((x) => x.seconds)));
    if (r.command.startsWith("jscodeshift")) jscodeshiftOf.set(r.corpus, median(r.runs.map((x) => x.seconds)));
  }
  const lines = [
    "| corpus | command | runs | median | × floor | jscodeshift ÷ this | peak memory |",
    "|---|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const m = median(r.runs.map((x) => x.seconds));
    const floor = floorOf.get(r.corpus);
    const jscodeshift = jscodeshiftOf.get(r.corpus);
    const isFloor = r.command.startsWith("read every file") || r.command.startsWith("node -e");
    const isJscodeshift = r.command.startsWith("jscodeshift");
    const peak = Math.max(...r.runs.map((x) => x.peakBytes)) / 1024 ** 2;
    lines.push(
      `| ${r.corpus} | ${r.command} | ${r.runs.length} | ${m.toFixed(2)} s | ${isFloor || !floor ? "" : `${(m / floor).toFixed(2)}×`} | ${isFloor || isJscodeshift || !jscodeshift ? "" : `${(jscodeshift / m).toFixed(1)}×`} | ${peak.toFixed(0)} MB |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(TRANSFORM)) throw new Error(`${TRANSFORM} is missing: run npm run build`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "cm-bench-"));
  process.stderr.write(`building corpora in ${base} ...\n`);
  try {
    const corpora = buildCorpora(base, options.files, options.withCohereSdk);
    const rows: Row[] = [];
    for (const corpus of corpora) rows.push(...(await benchCorpus(corpus, options)));
    rows.push(...(await startUp(base, options)));
    const [zero, one] = corpora;
    const out = [
      `Machine: ${machine()}`,
      "",
      table(rows),
      "",
      `- 0% Cohere: ${zero.files} JS/TS files of node_modules (the list repeated in numbered copies to reach the count), ${options.withCohereSdk ? "with" : "without"} the cohere-ai packages' own files${options.withCohereSdk ? " (their tests call generate on Cohere clients)" : " (their tests call generate on Cohere clients; --with-cohere-sdk keeps them)"}.`,
      `- 1% Cohere: ${one.files} files; ${one.generated.size} generated in ${one.generated.size / cohereProject("x", "@/x").size} projects, ${one.callFiles} of them (${((100 * one.callFiles) / one.files).toFixed(2)}%) with legacy Cohere uses in every detection style (and one marker left), the rest real code as above.`,
      `- Each command ran ${options.runs} times (${options.jscodeshiftRuns ? `jscodeshift ${options.jscodeshiftRuns}: it takes minutes over these corpora` : "jscodeshift left out"}); medians shown. The first floor pass (not counted) warms the page cache.`,
      "- floor: a fresh Node process walks the folder and reads every file's bytes (fs.readFileSync), nothing else.",
      `- jscodeshift: \`jscodeshift ${JSCODESHIFT_ARGS.map((a) => (a === TRANSFORM ? "dist/transforms/generate-to-chat.js" : a)).join(" ")} <dir>\` (its runner uses cores − 1 workers).`,
      "- peak memory: the largest sum of resident set sizes over the process and its children (sampled every 25 ms).",
    ];
    process.stdout.write(out.join("\n") + "\n");
  } finally {
    if (!options.keep) fs.rmSync(base, { recursive: true, force: true });
    else process.stderr.write(`corpora kept in ${base}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
