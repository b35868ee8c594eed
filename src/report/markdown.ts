/** A PR-ready Markdown summary of a migrate run. */
import type { MigrateResult } from "../types";

export function markdownReport(result: MigrateResult): string {
  const t = result.totals;
  const out: string[] = [];
  out.push(`# cohere-migrate report`);
  out.push("");
  out.push(result.dryRun ? "_Dry run: nothing was written._" : "_Changes written to disk._");
  out.push("");
  out.push(`| | |`);
  out.push(`|---|---|`);
  out.push(`| Calls migrated | ${t.migrated} |`);
  out.push(`| Files changed | ${t.changed} |`);
  out.push(`| Files unchanged | ${t.unchanged} |`);
  out.push(`| Files skipped | ${t.skipped} |`);
  out.push(`| Files failed | ${t.failed} |`);
  out.push(`| Left to finish by hand | ${t.findings} |`);
  out.push("");
  return out.join("\n") + "\n";
}
