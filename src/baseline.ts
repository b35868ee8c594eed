/**
 * A CI baseline for `check` (like ESLint's bulk suppressions): `--write-baseline <file>` records
 * today's findings, `--baseline <file>` fails only on findings that are not in it.
 *
 * Entries are keyed by file, rule and the finding's fingerprint (a hash of its source lines, see
 * findings.ts), with a count for identical calls in one file: editing lines above a call keeps its
 * entry; editing the call itself, or adding one more like it, makes a new finding. Entries nothing
 * matches any more (the call was migrated) are reported as unused, so the file shrinks as a team
 * migrates. Paths are relative to the baseline file's folder, so the baseline works from any
 * working directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";
import type { CheckResult, Finding } from "./types";

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  /** Relative to the baseline file's folder, `/`-separated. */
  file: string;
  rule: string;
  fingerprint: string;
  count: number;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: "cohere-migrate";
  entries: BaselineEntry[];
}

/** What applying a baseline did, carried on the check result for the formats. */
export interface BaselineOutcome {
  /** The baseline file as given on the command line. */
  file: string;
  /** Findings the baseline covered (left out of `findings`). */
  matched: number;
  /** Entries (with the count left over) that no finding matched. */
  unused: BaselineEntry[];
}

function keyOf(file: string, rule: string, fingerprint: string): string {
  return JSON.stringify([file, rule, fingerprint]);
}

function relativeTo(dir: string, cwd: string, file: string): string {
  return path.relative(dir, path.resolve(cwd, file)).split(path.sep).join("/");
}

/** The baseline of a check result: every finding, counted by file, rule and fingerprint. */
export function baselineOf(result: CheckResult, baselineFile: string): BaselineFile {
  const dir = path.dirname(path.resolve(result.cwd, baselineFile));
  const counts = new Map<string, BaselineEntry>();
  for (const f of result.findings) {
    const file = relativeTo(dir, result.cwd, f.file);
    const fp = f.fingerprint ?? "";
    const key = keyOf(file, f.rule, fp);
    const entry = counts.get(key) ?? { file, rule: f.rule, fingerprint: fp, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  const entries = [...counts.values()].sort(byEntry);
  return { version: BASELINE_VERSION, tool: "cohere-migrate", entries };
}

function byEntry(a: BaselineEntry, b: BaselineEntry): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.fingerprint < b.fingerprint ? -1 : 1;
}

/** Whether this run speaks for an entry: its file was checked, or it no longer exists (deleted, moved). */
function inScope(entry: BaselineEntry, checked: ReadonlySet<string>, baselineFile: string, cwd: string): boolean {
  if (checked.has(entry.file)) return true;
  return !fs.existsSync(path.resolve(path.dirname(path.resolve(cwd, baselineFile)), entry.file));
}

/** The files this run checked, as a baseline names them (relative to its folder). */
function checkedFiles(result: CheckResult, baselineFile: string): Set<string> {
  const dir = path.dirname(path.resolve(result.cwd, baselineFile));
  return new Set(result.files.map((f) => relativeTo(dir, result.cwd, f.file)));
}

export function writeBaseline(result: CheckResult, baselineFile: string): BaselineFile {
  const fresh = baselineOf(result, baselineFile);
  const abs = path.resolve(result.cwd, baselineFile);
  // A run over some of the paths (a subset, --ignore) keeps the entries of the files it did not check.
  const checked = checkedFiles(result, baselineFile);
  let kept: BaselineEntry[] = [];
  if (fs.existsSync(abs)) {
    try {
      kept = readBaseline(result.cwd, baselineFile).entries.filter((e) => !inScope(e, checked, baselineFile, result.cwd));
    } catch {
      kept = [];
    }
  }
  const baseline: BaselineFile = { ...fresh, entries: [...fresh.entries, ...kept].sort(byEntry) };
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  // Loaded only when a baseline is written: check loads it otherwise for nothing (with its dependencies).
  const { sync } = require("write-file-atomic") as typeof import("write-file-atomic");
  sync(abs, JSON.stringify(baseline, null, 2) + "\n");
  return baseline;
}

export function readBaseline(cwd: string, baselineFile: string): BaselineFile {
  const abs = path.resolve(cwd, baselineFile);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the baseline ${baselineFile}: ${(e as Error).message} (write one with --write-baseline)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the baseline ${baselineFile} is not JSON: ${(e as Error).message}`);
  }
  const b = data as Partial<BaselineFile>;
  const valid =
    b.version === BASELINE_VERSION &&
    Array.isArray(b.entries) &&
    b.entries.every((e) => typeof e?.file === "string" && typeof e.rule === "string" && typeof e.fingerprint === "string" && Number.isInteger(e.count) && e.count > 0);
  if (!valid) throw new UsageError(`the baseline ${baselineFile} is not a cohere-migrate baseline (version ${BASELINE_VERSION}: { version, tool, entries: [{ file, rule, fingerprint, count }] })`);
  return b as BaselineFile;
}

/** The result with the baseline's findings taken out, and what matched and what did not. */
export function applyBaseline(result: CheckResult, baseline: BaselineFile, baselineFile: string): CheckResult & { baseline: BaselineOutcome } {
  const dir = path.dirname(path.resolve(result.cwd, baselineFile));
  const left = new Map<string, BaselineEntry>();
  for (const e of baseline.entries) {
    const key = keyOf(e.file, e.rule, e.fingerprint);
    const had = left.get(key);
    left.set(key, { ...e, count: e.count + (had?.count ?? 0) });
  }
  let matched = 0;
  const keep = (f: Finding): boolean => {
    const entry = left.get(keyOf(relativeTo(dir, result.cwd, f.file), f.rule, f.fingerprint ?? ""));
    if (!entry || entry.count === 0) return true;
    entry.count--;
    matched++;
    return false;
  };
  const files = result.files.map((f) => ({ ...f, findings: f.findings.filter(keep) }));
  // Entries of files this run did not check (a subset of the paths, --ignore) are not unused.
  const checked = checkedFiles(result, baselineFile);
  const unused = [...left.values()].filter((e) => e.count > 0 && inScope(e, checked, baselineFile, result.cwd));
  const findings = files.flatMap((f) => f.findings);
  const totals = { ...result.totals, findings: findings.length, markers: findings.filter((f) => f.rule.startsWith("marker/")).length };
  return { ...result, files, findings, totals, baseline: { file: baselineFile, matched, unused } };
}
