/** The line stylish and GitHub output print for baseline entries nothing matches any more. */
import type { BaselineOutcome } from "../baseline";

export function unusedText(b: BaselineOutcome): string {
  const n = b.unused.reduce((sum, e) => sum + e.count, 0);
  const files = [...new Set(b.unused.map((e) => e.file))];
  return `${n} baseline entr${n === 1 ? "y" : "ies"} of ${b.file} no longer match (${files.slice(0, 3).join(", ")}${files.length > 3 ? ", ..." : ""}): migrated or changed; run check --write-baseline ${b.file} to drop them`;
}
