/**
 * Unified diffs of changed files (hunks from jsdiff), in git's format so that the text printed
 * with `--no-color` can be saved and applied with `git apply`: a `diff --git` header, paths
 * relative to the repository top, git's quoting of unusual file names, and line endings kept as
 * they are in the file (a CRLF file's lines end in CRLF inside the diff too).
 */
import { formatPatch, OMIT_HEADERS, structuredPatch } from "diff";
import type { DependencyUpdate, FileResult } from "../types";
import { plain, type Painter } from "./paint";
import { fromRoot } from "./paths";

export interface DiffOptions {
  /** The working directory the result's paths are relative to. */
  cwd?: string;
  /** The git work tree top: diff paths are made relative to it, as `git diff` prints them. */
  root?: string;
}

/** C-style escapes git uses in quoted path names. */
const ESCAPES: Readonly<Record<number, string>> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };

/**
 * A path as git writes it in a diff header: as is when plain, otherwise in double quotes with
 * C escapes and octal bytes (git's default `core.quotePath`).
 */
export function gitQuotePath(name: string): string {
  const bytes = Buffer.from(name, "utf8");
  if (!bytes.some((b) => b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f)) return name;
  let out = "";
  for (const b of bytes) {
    if (ESCAPES[b]) out += ESCAPES[b];
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(b);
  }
  return `"${out}"`;
}

export function unifiedDiff(file: FileResult, options: DiffOptions = {}): string {
  if (file.before === undefined || file.after === undefined || file.before === file.after) return "";
  const name = options.cwd ? fromRoot(file.file, options.cwd, options.root) : file.file;
  const patch = structuredPatch(`a/${name}`, `b/${name}`, file.before, file.after, undefined, undefined, { context: 3 });
  if (patch.hunks.length === 0) return "";
  const a = gitQuotePath(`a/${name}`);
  const b = gitQuotePath(`b/${name}`);
  // git ends a ---/+++ name holding a space with a tab, so that the name's end is unambiguous.
  const end = name.includes(" ") ? "\t" : "";
  // A count of 1 is left out of a hunk header (`@@ -5 +5 @@`), as git and GNU diff write it.
  const hunks = formatPatch(patch, OMIT_HEADERS).replace(
    /^@@ -(\d+(?:,\d+)?) \+(\d+(?:,\d+)?) @@/gm,
    (_, from: string, to: string) => `@@ -${from.replace(/,1$/, "")} +${to.replace(/,1$/, "")} @@`,
  );
  // A created file (the Python helper module) is a new file to git apply: from /dev/null.
  const header = file.created ? `diff --git ${a} ${b}\nnew file mode 100644\n--- /dev/null\n` : `diff --git ${a} ${b}\n--- ${a}${end}\n`;
  return `${header}+++ ${b}${end}\n${hunks.endsWith("\n") ? hunks : `${hunks}\n`}`;
}

/** Colours a diff by line kind; a removed line that starts with `--` is still a removed line. */
export function colourDiff(diff: string, paint: Painter = plain): string {
  let inHunk = false;
  const paintLine = (line: string): string => {
    if (line.startsWith("diff --git")) inHunk = false;
    if (line.startsWith("@@")) {
      inHunk = true;
      return paint.cyan(line);
    }
    if (!inHunk) return line ? paint.bold(line) : line;
    if (line.startsWith("+")) return paint.green(line);
    if (line.startsWith("-")) return paint.red(line);
    if (line.startsWith("\\")) return paint.dim(line);
    return line;
  };
  return diff
    .split("\n")
    .map((raw) => {
      // A CRLF line keeps its carriage return last, after the colour codes.
      const cr = raw.endsWith("\r") ? "\r" : "";
      return `${paintLine(cr ? raw.slice(0, -1) : raw)}${cr}`;
    })
    .join("\n");
}

export function formatDiffs(files: readonly FileResult[], paint: Painter = plain, options: DiffOptions = {}, dependencies: readonly DependencyUpdate[] = []): string {
  return [...files.filter((f) => f.status === "changed"), ...manifestChanges(dependencies)]
    .map((f) => colourDiff(unifiedDiff(f, options), paint))
    .join("");
}

/** The manifests a run raises (package.json, requirements.txt), as changed files for a diff: a --dry run's only. */
export function manifestChanges(dependencies: readonly DependencyUpdate[]): FileResult[] {
  return dependencies.flatMap((d) => (d.before !== undefined && d.after !== undefined ? [{ file: d.file, status: "changed" as const, migrated: 0, markersAdded: [], notes: [], findings: [], before: d.before, after: d.after }] : []));
}
