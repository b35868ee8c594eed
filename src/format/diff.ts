/** Unified diffs of changed files (jsdiff), `git apply`-compatible when printed without colour. */
import { createTwoFilesPatch } from "diff";
import type { FileResult } from "../types";
import { plain, type Painter } from "./paint";

export function unifiedDiff(file: FileResult): string {
  if (file.before === undefined || file.after === undefined) return "";
  const patch = createTwoFilesPatch(`a/${file.file}`, `b/${file.file}`, file.before, file.after, undefined, undefined, { context: 3 });
  // jsdiff starts with an "Index:"/"====" preamble; git wants the diff --git header instead.
  const body = patch.replace(/^(Index: .*\n)?=+\n/, "");
  return `diff --git a/${file.file} b/${file.file}\n${body}`;
}

export function colourDiff(diff: string, paint: Painter = plain): string {
  return diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("diff --git") || line.startsWith("+++") || line.startsWith("---")) return paint.bold(line);
      if (line.startsWith("@@")) return paint.cyan(line);
      if (line.startsWith("+")) return paint.green(line);
      if (line.startsWith("-")) return paint.red(line);
      return line;
    })
    .join("\n");
}

export function formatDiffs(files: readonly FileResult[], paint: Painter = plain): string {
  return files
    .filter((f) => f.status === "changed")
    .map((f) => colourDiff(unifiedDiff(f), paint))
    .join("");
}
