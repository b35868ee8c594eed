/** --report <file>: the migrate result as Markdown, JSON or HTML, chosen by extension. */
import * as fs from "node:fs";
import * as path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { CohereMigrateError, UsageError } from "../errors";
import type { MigrateResult } from "../types";
import { markdownReport } from "./markdown";
import { table } from "../tables";

/** Report renderers by file extension. The JSON report is the library's result as it is. */
const RENDERERS: Readonly<Record<string, (result: MigrateResult, root: string | undefined) => string>> = table({
  ".md": markdownReport,
  ".json": (result) => JSON.stringify(result, null, 2) + "\n",
  // diff2html is loaded only for an HTML report.
  ".html": (result, root) => (require("./html") as typeof import("./html")).htmlReport(result, root),
});

export const REPORT_EXTENSIONS: readonly string[] = Object.keys(RENDERERS);

export function reportRenderer(file: string): ((result: MigrateResult, root: string | undefined) => string) | undefined {
  return RENDERERS[path.extname(file).toLowerCase()];
}

/**
 * Writes the report. `root` is the git work tree top: report paths are relative to it, as in a
 * pull request.
 */
export function writeReportFile(file: string, result: MigrateResult, cwd: string, root?: string): string {
  const target = path.resolve(cwd, file);
  const render = reportRenderer(target);
  if (!render) throw new UsageError(`--report must end in ${REPORT_EXTENSIONS.join(", ")}: ${file}`);
  const text = render(result, root);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomic.sync(target, text);
  } catch (e) {
    throw new CohereMigrateError(`cannot write the report ${file}: ${(e as Error).message}`);
  }
  return target;
}
