/**
 * `check --format github`: GitHub Actions workflow commands, one `::error` (or `::warning`)
 * annotation per finding, then one `::notice` with the totals. File paths are relative to the
 * repository top, where GitHub looks for them.
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions)
 */
import type { CheckResult } from "../types";
import { unusedText } from "./baseline-text";
import { fromRoot } from "./paths";

export interface GithubOptions {
  /** The git work tree top; without it paths stay relative to the working directory. */
  root?: string;
}

/** Data (the message) escapes %, CR and LF. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Property values also escape ':' and ','. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

export function formatGithub(result: CheckResult, options: GithubOptions = {}): string {
  const lines = result.findings.map((f) => {
    const props = [
      `file=${escapeProperty(fromRoot(f.file, result.cwd, options.root))}`,
      `line=${f.span.start.line}`,
      `col=${f.span.start.column}`,
      `endLine=${f.span.end.line}`,
      `endColumn=${f.span.end.column}`,
      `title=${escapeProperty(`cohere-migrate ${f.rule}`)}`,
    ].join(",");
    return `::${f.severity} ${props}::${escapeData(f.message)}`;
  });
  const t = result.totals;
  const found = result.findings.length ? `${plural(result.findings.length, "problem")} left` : "no legacy Cohere calls or markers";
  const extra = [t.suppressed ? `${t.suppressed} suppressed by cohere-migrate-ignore comments` : "", t.skipped ? `${plural(t.skipped, "file")} skipped` : ""].filter(Boolean);
  const b = result.baseline;
  if (b) extra.push(`${plural(b.matched, "finding")} in the baseline ${b.file}`);
  lines.push(`::notice title=${escapeProperty("cohere-migrate check")}::${escapeData(`${found} (${plural(t.files - t.skipped, "file")} checked${extra.length ? `; ${extra.join("; ")}` : ""})`)}`);
  if (b?.unused.length) lines.push(`::notice title=${escapeProperty("cohere-migrate baseline")}::${escapeData(unusedText(b))}`);
  return lines.join("\n") + "\n";
}
