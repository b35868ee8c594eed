/** Building the result objects both commands return. */
import type { FileResult, Finding, RunTotals } from "../types";
import { parseFinding, skippedFinding } from "./findings";
import type { AnalyzedFile } from "./analyze";

export function totalsOf(files: readonly FileResult[], suppressed: number): RunTotals {
  const count = (s: FileResult["status"]) => files.filter((f) => f.status === s).length;
  return {
    files: files.length,
    changed: count("changed"),
    unchanged: count("unchanged"),
    skipped: count("skipped"),
    failed: count("failed"),
    migrated: files.reduce((n, f) => n + f.migrated, 0),
    markers: files.reduce((n, f) => n + f.findings.filter((x) => x.rule.startsWith("marker/")).length, 0),
    findings: files.reduce((n, f) => n + f.findings.length, 0),
    suppressed,
  };
}

/** The result for a file that was skipped or failed before any transform ran. */
export function untouchedResult(entry: AnalyzedFile, findings: Finding[] = []): FileResult {
  const base: FileResult = { file: entry.file, status: "unchanged", migrated: 0, markersAdded: [], notes: [], findings };
  if (entry.status === "skipped") {
    // A skip must not hide a legacy call: a file that may hold one is a finding (a warning, which fails check).
    const hidden: Finding[] = entry.hidesGenerate ? [skippedFinding(entry.file, entry.reason ?? "skipped")] : [];
    return { ...base, status: "skipped", reason: entry.reason, findings: hidden };
  }
  if (entry.status === "failed" && entry.error) {
    return { ...base, status: "failed", error: entry.error, findings: [parseFinding(entry.file, entry.error)] };
  }
  return base;
}

export function byPath(a: { file: string }, b: { file: string }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}
