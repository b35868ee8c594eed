/** `check --format stylish`: findings grouped by file, ESLint-style, with a one-line total. */
import type { CheckResult } from "../types";
import { unusedText } from "./baseline-text";
import { plain, type Painter } from "./paint";

export function formatStylish(result: CheckResult, paint: Painter = plain): string {
  const out: string[] = [];
  const byFile = new Map<string, CheckResult["findings"]>();
  for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    out.push(paint.underline(file));
    const width = Math.max(...findings.map((f) => `${f.span.start.line}:${f.span.start.column}`.length));
    for (const f of findings) {
      const at = `${f.span.start.line}:${f.span.start.column}`.padEnd(width);
      const sev = f.severity === "error" ? paint.red("error  ") : paint.yellow("warning");
      out.push(`  ${paint.dim(at)}  ${sev}  ${f.message}  ${paint.dim(f.rule)}`);
    }
    out.push("");
  }
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const warnings = result.findings.length - errors;
  const t = result.totals;
  // Skipped files (binary, minified, links) are said apart, on their own line: not counted as checked.
  const checked = t.files - t.skipped;
  const scanned = `${checked} file${checked === 1 ? "" : "s"} checked`;
  if (result.findings.length === 0) out.push(paint.green(`✔ no legacy Cohere calls or markers (${scanned})`));
  else {
    const fixable = result.findings.filter((f) => f.fixable).length;
    out.push(
      paint.bold(paint.red(`✖ ${result.findings.length} problem${result.findings.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`)) +
        paint.dim(` in ${scanned}; ${fixable} fixable with \`cohere-migrate migrate\``),
    );
  }
  if (t.suppressed) out.push(paint.dim(`${t.suppressed} suppressed by cohere-migrate-ignore comments`));
  const b = result.baseline;
  if (b) {
    out.push(paint.dim(`${b.matched} finding${b.matched === 1 ? "" : "s"} in the baseline ${b.file}`));
    if (b.unused.length) out.push(paint.yellow(unusedText(b)));
  }
  const skipped = result.files.filter((f) => f.status === "skipped");
  if (skipped.length) out.push(paint.dim(`${skipped.length} file${skipped.length === 1 ? "" : "s"} skipped (${skipped.slice(0, 3).map((f) => `${f.file}: ${f.reason}`).join("; ")}${skipped.length > 3 ? "; ..." : ""})`));
  return out.join("\n") + "\n";
}
