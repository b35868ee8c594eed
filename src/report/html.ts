/** The HTML report (built out in its own change). */
import type { MigrateResult } from "../types";

export function htmlReport(result: MigrateResult): string {
  return `<!doctype html><meta charset="utf-8"><title>cohere-migrate report</title><pre>${JSON.stringify(result.totals)}</pre>\n`;
}
