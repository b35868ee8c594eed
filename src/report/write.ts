/** --report <file>: the migrate result as Markdown, JSON or HTML, chosen by extension. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { MigrateResult } from "../types";
import { UsageError } from "../errors";
import { markdownReport } from "./markdown";

export function writeReportFile(file: string, result: MigrateResult, cwd: string): void {
  const target = path.resolve(cwd, file);
  const ext = path.extname(target).toLowerCase();
  let text: string;
  if (ext === ".json") text = JSON.stringify(result, null, 2) + "\n";
  else if (ext === ".md") text = markdownReport(result);
  else if (ext === ".html") {
    const { htmlReport } = require("./html") as typeof import("./html");
    text = htmlReport(result);
  } else throw new UsageError(`unknown report type: ${file}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}
