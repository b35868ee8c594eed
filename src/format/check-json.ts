/**
 * `check --format json`: a stable schema (documented in the README). Version 1:
 * { version, summary: { files, findings, errors, warnings, fixable, suppressed }, findings: [
 *   { file, line, column, endLine, endColumn, rule, severity, message, fixable } ] }
 */
import type { CheckResult } from "../types";

export const CHECK_JSON_VERSION = 1;

export function formatCheckJson(result: CheckResult): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  return (
    JSON.stringify(
      {
        version: CHECK_JSON_VERSION,
        summary: {
          files: result.totals.files,
          findings: result.findings.length,
          errors,
          warnings: result.findings.length - errors,
          fixable: result.findings.filter((f) => f.fixable).length,
          suppressed: result.totals.suppressed,
          skipped: result.files.filter((f) => f.status === "skipped").map((f) => ({ file: f.file, reason: f.reason })),
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
        })),
      },
      null,
      2,
    ) + "\n"
  );
}
