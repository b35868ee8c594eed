/**
 * cohere-ai 8, which migrated v6 code needs, declares its entry points in package.json `exports`:
 * "cohere-ai" and "cohere-ai/aws". Any other path of the package (`cohere-ai/dist/models`, where
 * v5 and v6 kept their response types) then fails to compile (TS2307) and to load
 * (ERR_PACKAGE_PATH_NOT_EXPORTED). In a package migrate raises to 8, each such import, in any file
 * of the package, gets a `deep-import` marker above its statement.
 */
import { markerText } from "../markers";

/** The subpaths cohere-ai 8 exports besides the package itself. */
const EXPORTED_SUBPATHS: ReadonlySet<string> = new Set(["aws"]);

const SPECIFIER = /(["'])cohere-ai\/([^"'\s]+)\1/g;

/** How far up a multi-line `import { ... } from "cohere-ai/..."` is looked for its first line. */
const MAX_IMPORT_LINES = 60;

/**
 * The text with a marker above each statement that imports a path of cohere-ai 8 does not export
 * (static `import`/`export ... from`, `require(...)`, `import(...)`) and not on an `ignored`
 * line, and the offsets of the markers in it; undefined when there is none.
 */
export function markDeepImports(text: string, ignored: ReadonlySet<number> = new Set()): { output: string; at: number[] } | undefined {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const starts = new Set<number>();
  for (const m of text.matchAll(SPECIFIER)) {
    if (EXPORTED_SUBPATHS.has(m[2])) continue;
    const lineStart = text.lastIndexOf("\n", m.index - 1) + 1;
    const before = text.slice(lineStart, m.index);
    if (/^\s*(\/\/|\/?\*)/.test(before)) continue;
    let start: number | undefined;
    if (/(\brequire|\bimport)\s*\(\s*$/.test(before) || /^\s*import\s*$/.test(before)) start = lineStart;
    else if (/\bfrom\s*$/.test(before)) start = statementStart(text, lineStart);
    // `// cohere-migrate-ignore` above the statement (its 1-based line) leaves it as it is.
    if (start !== undefined && !ignored.has(text.slice(0, start).split("\n").length)) starts.add(start);
  }
  if (!starts.size) return undefined;
  let output = "";
  let from = 0;
  const at: number[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? "";
    output += text.slice(from, start);
    at.push(output.length);
    output += `${indent}/*${markerText("deep-import")}*/${eol}`;
    from = start;
  }
  return { output: output + text.slice(from), at };
}

/** The start of the line that opens the `import`/`export` statement whose `from` is on the line at `lineStart`. */
function statementStart(text: string, lineStart: number): number | undefined {
  let start = lineStart;
  for (let i = 0; i < MAX_IMPORT_LINES; i++) {
    const line = text.slice(start, text.indexOf("\n", start) === -1 ? text.length : text.indexOf("\n", start));
    if (/^\s*(import|export)\b/.test(line)) return start;
    // Another statement ends above: the `from` is not an import's.
    if (start === 0 || (i > 0 && /;\s*$/.test(line))) return undefined;
    start = text.lastIndexOf("\n", start - 2) + 1;
  }
  return undefined;
}
