/**
 * `check --format json`: a stable schema, documented in the README ("CI lint"). Version 1:
 * { version, summary: { files, findings, errors, warnings, fixable, suppressed, skipped, failed },
 *   findings: [{ file, line, column, endLine, endColumn, rule, severity, message, fixable, fingerprint }],
 *   skipped: [{ file, reason }], baseline?: { file, matched, unused: [{ file, rule, fingerprint, count }] } }
 * Paths are relative to the working directory; positions are 1-based, columns count UTF-16 code
 * units, and endLine/endColumn point just past the finding (as ESLint's do).
 * Fields may be added in a later version; none is removed or changed without raising `version`.
 */
import type { BaselineOutcome } from "../baseline";
import type { CheckResult } from "../types";

export const CHECK_JSON_VERSION = 1;

export interface CheckJsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: "error" | "warning";
  message: string;
  fixable: boolean;
  /** Stable while lines above the finding change (baselines key on it). */
  fingerprint: string;
}

export interface CheckJson {
  version: typeof CHECK_JSON_VERSION;
  summary: { files: number; findings: number; errors: number; warnings: number; fixable: number; suppressed: number; skipped: number; failed: number };
  findings: CheckJsonFinding[];
  skipped: { file: string; reason: string }[];
  /** With --baseline / --write-baseline: findings it covered, entries nothing matched any more. */
  baseline?: BaselineOutcome;
}

export function checkJson(result: CheckResult): CheckJson {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const skipped = result.files.filter((f) => f.status === "skipped");
  return {
    version: CHECK_JSON_VERSION,
    summary: {
      files: result.totals.files,
      findings: result.findings.length,
      errors,
      warnings: result.findings.length - errors,
      fixable: result.findings.filter((f) => f.fixable).length,
      suppressed: result.totals.suppressed,
      skipped: skipped.length,
      failed: result.totals.failed,
    },
    findings: result.findings.map((f) => ({
      file: f.file,
      line: f.span.start.line,
      column: f.span.start.column,
      endLine: f.span.end.line,
      endColumn: f.span.end.column,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      fixable: f.fixable,
      fingerprint: f.fingerprint ?? "",
    })),
    skipped: skipped.map((f) => ({ file: f.file, reason: f.reason ?? "skipped" })),
    ...(result.baseline ? { baseline: result.baseline } : {}),
  };
}

export function formatCheckJson(result: CheckResult): string {
  return JSON.stringify(checkJson(result), null, 2) + "\n";
}
