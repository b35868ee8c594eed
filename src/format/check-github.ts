/**
 * `check --format github`: GitHub Actions workflow commands, one annotation per finding
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
 */
import type { CheckResult } from "../types";

/** Data (the message) escapes %, CR and LF. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Property values also escape ':' and ','. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(result: CheckResult): string {
  const lines = result.findings.map((f) => {
    const level = f.severity === "error" ? "error" : "warning";
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.span.start.line}`,
      `col=${f.span.start.column}`,
      `endLine=${f.span.end.line}`,
      `endColumn=${f.span.end.column}`,
      `title=${escapeProperty(`cohere-migrate ${f.rule}`)}`,
    ].join(",");
    return `::${level} ${props}::${escapeData(f.message)}`;
  });
  return lines.length ? lines.join("\n") + "\n" : "";
}
