/**
 * Jupyter notebooks for the Python front end: the code cells' Python as one text, a map from that
 * text back into the notebook's JSON, and edits written back into the cells' `source` values only.
 *
 * - `python` is the code cells in order, each followed by "\n", so names defined in an earlier cell
 *   are in scope in later ones, as they are in a kernel.
 * - The JSON is read with jsonc-parser's tree, which keeps every node's offset: a changed cell gets
 *   its `source` value re-serialised in the form and layout it had, and every other byte of the
 *   file (key order, outputs, metadata, indentation, CRLF, final newline) stays as it was.
 * - IPython syntax that is not Python (`%magic`, `!shell`, `x = !cmd`, `obj?`, `%%cell` magics) is
 *   masked with text of the same length, so offsets map one to one and such lines are never parse
 *   errors; edits that touch masked text are refused.
 *
 * Offsets are JavaScript string indices (UTF-16 code units), as web-tree-sitter reports them.
 */
import type { Node as JsonNode, ParseError } from "jsonc-parser";
import { keptEdits } from "./edits";
import { table } from "../tables";

export interface NotebookCell {
  /** Position in the notebook's `cells` array, 0-based; markdown and raw cells count. */
  readonly index: number;
  /** The cell's text in `python` is [start, end); the "\n" at `end` belongs to no cell. */
  readonly start: number;
  readonly end: number;
  /** The cell's source as the notebook holds it, before masking. */
  readonly text: string;
  /** The `source` value in the .ipynb text: a JSON array of strings, or one string. */
  readonly source: { readonly offset: number; readonly length: number; readonly form: "array" | "string" };
  /** Each JSON string literal of the source (offset and length with its quotes in the .ipynb) and the part of `text` it decodes to. */
  readonly strings: ReadonlyArray<{ readonly offset: number; readonly length: number; readonly start: number; readonly end: number }>;
}

export interface NotebookCode {
  /** The code cells' Python, IPython syntax masked; what the Python codemod parses and edits. */
  readonly python: string;
  readonly cells: readonly NotebookCell[];
  /** Masked IPython syntax, as [start, end) ranges of `python`, in order. */
  readonly masked: ReadonlyArray<{ readonly start: number; readonly end: number }>;
  /** The kernel's language ("python" when the notebook does not say); another one leaves `cells` empty. */
  readonly language: string;
  /** The .ipynb text this was read from: `locate` needs its lines, `applyEdits` checks it is given the same. */
  readonly ipynb: string;
}

/** The .ipynb is not valid JSON, or not a notebook this tool reads. */
export interface NotebookError {
  readonly message: string;
  /** 1-based, in the .ipynb file. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface NotebookLocation {
  /** 1-based line and column in the .ipynb file of the character's JSON text (its escape, if escaped). */
  line: number;
  column: number;
  /** 1-based among all cells of the notebook. */
  cell: number;
  /** 1-based line and column inside the cell's source. */
  cellLine: number;
  cellColumn: number;
}

/** Where a notebook names its kernel's language. */
const NOTEBOOK_LANGUAGE_PATHS: ReadonlyArray<readonly string[]> = [
  ["metadata", "kernelspec", "language"],
  ["metadata", "language_info", "name"],
];

/** Where a cell names its own language when it differs from the kernel's (VS Code, Polyglot Notebooks). */
const CELL_LANGUAGE_PATHS: ReadonlyArray<readonly string[]> = [
  ["metadata", "vscode", "languageId"],
  ["metadata", "dotnet_interactive", "language"],
  ["metadata", "polyglot_notebook", "kernelName"],
];

const PYTHON_LANGUAGE = /^i?python\d*$/i;

/**
 * Cell magics whose body is Python that IPython runs itself (after its own line-magic transforms):
 * only their `%%` line is masked, so Cohere calls in a `%%time` cell are still found and migrated.
 * Any other cell magic (`%%bash`, `%%writefile`, `%%html`, ...) masks the whole cell.
 */
const PYTHON_BODY_CELL_MAGICS: ReadonlySet<string> = new Set(["time", "timeit", "capture", "prun"]);

/** IPython's escape characters at the start of a statement (inputtransformer2.ESCAPE_SINGLES). */
const STATEMENT_ESCAPES: ReadonlySet<string> = new Set(["%", "!", "?", ",", ";", "/"]);

/** Characters that make an `=` part of another operator (`==`, `<=`, `+=`, `:=`, ...). */
const OPERATOR_BEFORE_EQUALS = "=<>!+-*/%&|^@:~";

/** Python string prefixes (`r`, `b`, `f`, `t`, `u` and their two-letter mixes). */
const STRING_PREFIX = /^(?:[rR]?[bBfFtT]|[bBfFtT]?[rR]|[uU])$/;

/** The line breaks of Python's str.splitlines, which nbformat uses to cut a cell into source lines. */
const SPLITLINES = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

export function isNotebookError(x: NotebookCode | NotebookError): x is NotebookError {
  return !("python" in x);
}

// ---------------------------------------------------------------------------------------------
// Reading

export function notebookCode(jsonText: string): NotebookCode | NotebookError {
  const errors: ParseError[] = [];
  // Loaded here: the Python engine loads this module for every run with Python files, most of them without a notebook.
  const { parseTree, printParseErrorCode } = require("jsonc-parser") as typeof import("jsonc-parser");
  const root = parseTree(jsonText, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const fail = (offset: number, message: string): NotebookError => ({ message, offset, ...lineColumn(lineStartsOf(jsonText), offset) });
  if (errors.length || !root) {
    const e = errors[0];
    return fail(e?.offset ?? 0, `not valid JSON: ${e ? words(printParseErrorCode(e.error)) : "empty file"}`);
  }
  if (root.type !== "object") return fail(root.offset, "not a Jupyter notebook: the top level is not a JSON object");
  const nbformat = at(root, ["nbformat"]);
  if (nbformat && nbformat.value !== 4) {
    return fail(nbformat.offset, `not supported: nbformat ${jsonText.slice(nbformat.offset, nbformat.offset + nbformat.length)} (only nbformat 4 notebooks are read)`);
  }
  const cellsNode = at(root, ["cells"]);
  if (cellsNode?.type !== "array") return fail(cellsNode?.offset ?? root.offset, 'not a Jupyter notebook: no "cells" array');

  const language = notebookLanguage(root);
  const cells: NotebookCell[] = [];
  const masked: Array<{ start: number; end: number }> = [];
  let python = "";
  if (!PYTHON_LANGUAGE.test(language)) return { python, cells, masked, language, ipynb: jsonText };

  const cellNodes = cellsNode.children ?? [];
  for (let index = 0; index < cellNodes.length; index++) {
    const cell = cellNodes[index];
    if (cell.type !== "object") return fail(cell.offset, `not a Jupyter notebook: cell ${index + 1} is not an object`);
    if (at(cell, ["cell_type"])?.value !== "code" || !isPythonCell(cell)) continue;
    const source = at(cell, ["source"]);
    if (!source) return fail(cell.offset, `not a Jupyter notebook: code cell ${index + 1} has no "source"`);
    const literals = source.type === "array" ? (source.children ?? []) : [source];
    if (source.type !== "array" && source.type !== "string") {
      return fail(source.offset, `not a Jupyter notebook: the "source" of cell ${index + 1} is neither a string nor an array of strings`);
    }
    const strings: Array<NotebookCell["strings"][number]> = [];
    let text = "";
    for (const literal of literals) {
      if (literal.type !== "string") return fail(literal.offset, `not a Jupyter notebook: the "source" of cell ${index + 1} holds a ${literal.type}, not a string`);
      const decoded = decodeLiteral(jsonText, literal.offset, literal.length).text;
      strings.push({ offset: literal.offset, length: literal.length, start: text.length, end: text.length + decoded.length });
      text += decoded;
    }
    const start = python.length;
    const mask = maskIPython(text);
    for (const m of mask.ranges) masked.push({ start: start + m.start, end: start + m.end });
    python += mask.python + "\n";
    cells.push({ index, start, end: start + text.length, text, source: { offset: source.offset, length: source.length, form: source.type }, strings });
  }
  return { python, cells, masked, language, ipynb: jsonText };
}

/** The value at a path of object keys; of duplicate keys the last wins, as in Python's json. */
function at(node: JsonNode | undefined, path: readonly string[]): JsonNode | undefined {
  let here = node;
  for (const key of path) {
    if (here?.type !== "object") return undefined;
    let found: JsonNode | undefined;
    for (const property of here.children ?? []) {
      const [k, v] = property.children ?? [];
      if (k?.value === key) found = v;
    }
    here = found;
  }
  return here;
}

function notebookLanguage(root: JsonNode): string {
  for (const path of NOTEBOOK_LANGUAGE_PATHS) {
    const value = at(root, path)?.value;
    if (typeof value === "string" && !PYTHON_LANGUAGE.test(value)) return value;
  }
  return "python";
}

function isPythonCell(cell: JsonNode): boolean {
  return CELL_LANGUAGE_PATHS.every((path) => {
    const value = at(cell, path)?.value;
    return typeof value !== "string" || PYTHON_LANGUAGE.test(value);
  });
}

/** "CloseBraceExpected" -> "close brace expected". */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/**
 * A JSON string literal (quotes included, already validated by jsonc-parser) decoded, with
 * `raw[k]`: the offset inside the literal of the JSON text of decoded code unit k (an escape's
 * backslash), and `raw[text.length]` the closing quote. A `\uD83D\uDE00` pair decodes to two
 * units, one per escape.
 */
function decodeLiteral(jsonText: string, offset: number, length: number): { text: string; raw: number[] } {
  let text = "";
  const raw: number[] = [];
  const last = length - 1;
  for (let i = 1; i < last; ) {
    raw.push(i);
    const c = jsonText[offset + i];
    if (c !== "\\") {
      text += c;
      i++;
      continue;
    }
    const e = jsonText[offset + i + 1];
    if (e === "u") {
      text += String.fromCharCode(parseInt(jsonText.slice(offset + i + 2, offset + i + 6), 16));
      i += 6;
    } else {
      text += JSON_UNESCAPE[e] ?? e;
      i += 2;
    }
  }
  raw.push(last);
  return { text, raw };
}

const JSON_UNESCAPE: Readonly<Record<string, string>> = table({ b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" });

// ---------------------------------------------------------------------------------------------
// Masking IPython syntax

interface Range {
  start: number;
  end: number;
}

/**
 * The cell's text with IPython-only syntax replaced by text of the same length, and the replaced
 * ranges (cell-relative). A masked statement at the left margin becomes a comment (`%pip install x`
 * -> `#pip install x`), so it adds no statement to the module. An indented one (`if COLAB:\n
 * !pip install x`) becomes `0` and spaces instead: a comment would leave the block empty, which is
 * a syntax error. Line breaks are kept, so lines stay lines.
 *
 * Magics are recognised where IPython recognises them: at the start of a logical line (so a line
 * starting with `%` inside a triple-quoted prompt or an open bracket is Python and stays), with
 * backslash-continued physical lines belonging to the magic.
 */
function maskIPython(text: string): { python: string; ranges: Range[] } {
  const chars = text.split("");
  const ranges: Range[] = [];
  const hide = (start: number, end: number, form: "comment" | "statement"): void => {
    ranges.push({ start, end });
    let lineStart = true;
    for (let k = start; k < end; k++) {
      if (isBreak(text[k])) lineStart = true;
      else if (form === "comment") {
        if (lineStart) chars[k] = "#";
        lineStart = false;
      } else chars[k] = k === start ? "0" : " ";
    }
  };

  let i = 0;
  // Handles: a cell whose first line (after blank ones, which IPython drops) is `%%bash`, `%%time`, ...
  let first = 0;
  while (first < text.length && /^[ \t\f]*$/.test(text.slice(first, physicalLineEnd(text, first)))) {
    const next = skipBreak(text, physicalLineEnd(text, first));
    if (next === first) break;
    first = next;
  }
  if (text.startsWith("%%", first)) {
    const lineEnd = physicalLineEnd(text, first);
    const name = /^%%(\w+)/.exec(text.slice(first, lineEnd))?.[1] ?? "";
    if (PYTHON_BODY_CELL_MAGICS.has(name)) {
      hide(first, lineEnd, "comment");
      i = skipBreak(text, lineEnd);
    } else {
      hide(first, text.length, "comment");
      i = text.length;
    }
  }

  while (i < text.length) {
    let j = i;
    while (j < text.length && (text[j] === " " || text[j] === "\t" || text[j] === "\f")) j++;
    if (j >= text.length) break;
    const form = j === i ? "comment" : "statement";
    const c = text[j];
    if (isBreak(c)) {
      i = skipBreak(text, j);
    } else if (c === "#") {
      i = skipBreak(text, physicalLineEnd(text, j));
    } else if (STATEMENT_ESCAPES.has(c)) {
      const end = escapedLineEnd(text, j);
      const timed = /^%(?:time|timeit|prun)[ \t]+(?=[^\s\\-])/.exec(text.slice(j, physicalLineEnd(text, j)));
      if (timed) {
        // Handles: %time r = co.generate(...): the rest of the line is a Python statement IPython
        // runs. Only the magic is masked, as `0;` and spaces (same length), so the statement is
        // found and migrated where it stands.
        ranges.push({ start: j, end: j + timed[0].length });
        chars[j] = "0";
        chars[j + 1] = ";";
        for (let k = j + 2; k < j + timed[0].length; k++) chars[k] = " ";
        i = skipBreak(text, end);
        continue;
      }
      // Handles: %pip install cohere / !pip install -q cohere / %timeit -n 3 f() / ?co.chat
      hide(j, end, form);
      i = skipBreak(text, end);
    } else if (AUTOMAGIC.test(text.slice(j, physicalLineEnd(text, j)))) {
      // Handles: pip install cohere (IPython's automagic runs it as %pip; it is not Python)
      const end = escapedLineEnd(text, j);
      hide(j, end, form);
      i = skipBreak(text, end);
    } else {
      const statement = scanStatement(text, j);
      // Handles: files = !ls / t = %timeit -o f()  (the right-hand side only)
      if (statement.magicAt >= 0) hide(statement.magicAt, statement.end, "statement");
      // Handles: co.chat? / cohere.ClientV2??  (help)
      else if (statement.last >= 0 && text[statement.last] === "?") hide(j, statement.end, form);
      i = skipBreak(text, statement.end);
    }
  }
  return { python: chars.join(""), ranges };
}

/** Line magics IPython's automagic (on by default) runs without their `%`, in the forms that are not Python. */
const AUTOMAGIC = /^(pip3?|conda|mamba)\s+(install|uninstall|list|show|freeze|download)\b|^matplotlib\s+(inline|notebook|widget)\b|^load_ext\s+\w/;

function isBreak(c: string | undefined): boolean {
  return c === "\n" || c === "\r";
}

function physicalLineEnd(text: string, p: number): number {
  let e = p;
  while (e < text.length && !isBreak(text[e])) e++;
  return e;
}

function skipBreak(text: string, p: number): number {
  if (text[p] === "\r" && text[p + 1] === "\n") return p + 2;
  return isBreak(text[p]) ? p + 1 : p;
}

/** The end of a magic's text: its physical line, and the next ones while a line ends with `\`. */
function escapedLineEnd(text: string, p: number): number {
  let e = physicalLineEnd(text, p);
  while (e < text.length && text[e - 1] === "\\") e = physicalLineEnd(text, skipBreak(text, e));
  return e;
}

/**
 * Scans one Python logical line from `p`: strings, comments, brackets and backslash continuations
 * are followed so the line ends where Python's tokenizer ends it. Reports the last significant
 * character (a final `?` is IPython help) and, for `x = !cmd` / `x = %magic` (the line's first
 * plain `=` at bracket depth 0, as IPython's MagicAssign/SystemAssign look for), where the magic starts.
 */
function scanStatement(text: string, p: number): { end: number; last: number; magicAt: number } {
  const n = text.length;
  let depth = 0;
  let last = -1;
  let sawAssign = false;
  while (p < n) {
    const c = text[p];
    if (isBreak(c)) {
      if (depth === 0) return { end: p, last, magicAt: -1 };
      p = skipBreak(text, p);
    } else if (c === "#") {
      p = physicalLineEnd(text, p);
    } else if (c === "\\" && isBreak(text[p + 1])) {
      p = skipBreak(text, p + 1);
    } else if (c === '"' || c === "'") {
      p = skipString(text, p);
      last = p - 1;
    } else if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 0x7f) {
      let q = p;
      while (q < n && (/\w/.test(text[q]) || text.charCodeAt(q) > 0x7f)) q++;
      p = (text[q] === '"' || text[q] === "'") && STRING_PREFIX.test(text.slice(p, q)) ? skipString(text, q) : q;
      last = p - 1;
    } else {
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
      else if (c === "=" && depth === 0 && !sawAssign && !OPERATOR_BEFORE_EQUALS.includes(text[p - 1] ?? "=") && text[p + 1] !== "=") {
        sawAssign = true;
        let q = p + 1;
        while (text[q] === " " || text[q] === "\t") q++;
        if (text[q] === "!" || text[q] === "%") return { end: escapedLineEnd(text, q), last: -1, magicAt: q };
      }
      if (c !== " " && c !== "\t" && c !== "\f") last = p;
      p++;
    }
  }
  return { end: n, last, magicAt: -1 };
}

/** The offset after a string literal opening at `q`; a one-quote string left open ends at its line's end, as the tokenizer gives up there. */
function skipString(text: string, q: number): number {
  const quote = text[q];
  const triple = text.startsWith(quote.repeat(3), q);
  let p = q + (triple ? 3 : 1);
  while (p < text.length) {
    const c = text[p];
    if (c === "\\") p += text[p + 1] === "\r" && text[p + 2] === "\n" ? 3 : 2;
    else if (triple ? text.startsWith(quote.repeat(3), p) : c === quote) return p + (triple ? 3 : 1);
    else if (!triple && isBreak(c)) return p;
    else p++;
  }
  return text.length;
}

// ---------------------------------------------------------------------------------------------
// Locations

const lineStartsCache = new WeakMap<NotebookCode, number[]>();

/** Line starts of a text; "\r\n", "\n" and a lone "\r" each end a line, as editors count them. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) starts.push(i + 1);
  }
  return starts;
}

function lineColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** The last code cell starting at or before `offset` of `python`. */
function cellFrom(code: NotebookCode, offset: number): NotebookCell | undefined {
  let lo = 0;
  let hi = code.cells.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (code.cells[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const cell = code.cells[lo];
  return cell && cell.start <= offset ? cell : undefined;
}

/** The code cell whose text (or its end) holds `offset` of `python`. */
function cellAt(code: NotebookCode, offset: number): NotebookCell | undefined {
  const cell = cellFrom(code, offset);
  return cell && offset <= cell.end ? cell : undefined;
}

/**
 * Where an offset of `python` is in the .ipynb file and in its cell. A cell's end, the "\n" after
 * it, and the end of `python` (where a parser reports an unexpected end) map to the closing quote
 * of the cell's last string.
 */
export function locate(code: NotebookCode, offset: number): NotebookLocation {
  const cell = offset <= code.python.length ? cellFrom(code, offset) : undefined;
  if (!cell) throw new RangeError(`offset ${offset} is not in a code cell of this notebook (its Python has ${code.python.length} characters)`);
  let starts = lineStartsCache.get(code);
  if (!starts) lineStartsCache.set(code, (starts = lineStartsOf(code.ipynb)));
  const k = Math.min(offset - cell.start, cell.text.length);
  // The literal holding character k; at a boundary, the next one (the character is there).
  const literal = cell.strings.find((s) => k < s.end) ?? cell.strings[cell.strings.length - 1];
  const fileOffset = literal
    ? literal.offset + decodeLiteral(code.ipynb, literal.offset, literal.length).raw[k - literal.start]
    : cell.source.offset + 1;
  const inCell = lineColumn(lineStartsOf(cell.text), k);
  return { ...lineColumn(starts, fileOffset), cell: cell.index + 1, cellLine: inCell.line, cellColumn: inCell.column };
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Applies edits given in `python` offsets. Overlaps are resolved as for a `.py` file (`keptEdits`:
 * the edit added first wins). Each kept edit must lie within one cell (an insertion at a cell's end
 * is in it) and leave masked IPython syntax alone, or this throws. Only changed cells' `source`
 * values are rewritten; no edits gives back the very string.
 */
export function applyEdits(
  jsonText: string,
  code: NotebookCode,
  edits: ReadonlyArray<{ start: number; end: number; text: string }>,
  /** Replacements inside one masked IPython line each (a `%pip install` pin raised: deps.ts); they never meet the Python edits. */
  magicEdits: ReadonlyArray<{ start: number; end: number; text: string }> = [],
): string {
  if (!edits.length && !magicEdits.length) return jsonText;
  if (jsonText !== code.ipynb) throw new Error("applyEdits: the notebook text is not the one notebookCode() read");
  const byCell = new Map<NotebookCell, Array<{ start: number; end: number; text: string }>>();
  for (const e of keptEdits(edits.map((e) => ({ start: e.start, end: e.end, text: e.text })))) {
    const cell = cellAt(code, e.start);
    if (!cell || e.end < e.start || e.end > cell.end) {
      const other = cellAt(code, e.end);
      throw new Error(
        cell && other && other !== cell
          ? `an edit at ${e.start}-${e.end} of the notebook's Python spans cells ${cell.index + 1} and ${other.index + 1}; each edit must stay in one cell`
          : `an edit at ${e.start}-${e.end} of the notebook's Python is not inside one code cell`,
      );
    }
    const touched = code.masked.find((m) => (e.start === e.end ? m.start < e.start && e.start < m.end : e.start < m.end && m.start < e.end));
    if (touched) {
      const line = locate(code, touched.start).cellLine;
      throw new Error(`an edit at ${e.start}-${e.end} touches IPython syntax at line ${line} of cell ${cell.index + 1} (${JSON.stringify(cell.text.slice(touched.start - cell.start, touched.end - cell.start))}), which is not Python and is never rewritten`);
    }
    const list = byCell.get(cell) ?? [];
    list.push({ start: e.start - cell.start, end: e.end - cell.start, text: e.text });
    byCell.set(cell, list);
  }
  for (const e of magicEdits) {
    const cell = cellAt(code, e.start);
    if (!cell || !code.masked.some((m) => m.start <= e.start && e.end <= m.end && e.start < e.end)) {
      throw new Error(`an edit at ${e.start}-${e.end} of the notebook's Python is not a replacement inside one IPython line`);
    }
    const list = byCell.get(cell) ?? [];
    list.push({ start: e.start - cell.start, end: e.end - cell.start, text: e.text });
    // In text order; an insertion at the same offset (at a masked line's edge) goes first.
    list.sort((a, b) => a.start - b.start || (a.start === a.end ? -1 : 0) - (b.start === b.end ? -1 : 0));
    byCell.set(cell, list);
  }

  let out = "";
  let copied = 0;
  for (const cell of code.cells) {
    const mine = byCell.get(cell);
    if (!mine) continue;
    // keptEdits gave them in text order, insertions before a replacement at the same offset.
    let text = "";
    let from = 0;
    for (const e of mine) {
      text += cell.text.slice(from, e.start) + e.text;
      from = e.end;
    }
    text += cell.text.slice(from);
    if (text === cell.text) continue;
    out += jsonText.slice(copied, cell.source.offset) + serializeSource(jsonText, cell, text);
    copied = cell.source.offset + cell.source.length;
  }
  return copied === 0 ? jsonText : out + jsonText.slice(copied);
}

/**
 * The cell's new `source` value, in the form it had. Unchanged leading and trailing lines (or, in a
 * single string, characters) keep their original JSON text byte for byte, escapes included; only
 * the changed middle is escaped anew.
 */
function serializeSource(jsonText: string, cell: NotebookCell, text: string): string {
  const asciiOnly = escapesNonAscii(jsonText, cell);
  if (cell.source.form === "string") {
    const { offset, length } = cell.source;
    const { raw } = decodeLiteral(jsonText, offset, length);
    const old = cell.text;
    let a = 0;
    while (a < old.length && a < text.length && old[a] === text[a]) a++;
    // Never cut a surrogate pair: its halves would be written apart.
    if (a > 0 && isHighSurrogate(old.charCodeAt(a - 1))) a--;
    let b = 0;
    while (b < old.length - a && b < text.length - a && old[old.length - 1 - b] === text[text.length - 1 - b]) b++;
    if (b > 0 && isLowSurrogate(old.charCodeAt(old.length - b))) b--;
    const literal = jsonText.slice(offset, offset + length);
    return literal.slice(0, raw[a]) + escapeJson(text.slice(a, text.length - b), asciiOnly) + literal.slice(raw[old.length - b]);
  }

  const old = cell.strings.map((s) => ({ json: jsonText.slice(s.offset, s.offset + s.length), text: cell.text.slice(s.start, s.end) }));
  // Handles: a whole cell in one array item ("source": ["a\nb"]), which some tools write; it stays one item.
  const oneItem = old.length === 1 && splitLines(old[0].text).length > 1;
  const lines = text === "" ? [] : oneItem ? [text] : splitLines(text);
  // Handles: a cell emptied by the edits; Jupyter writes "source": [].
  if (!lines.length) return "[]";
  let p = 0;
  while (p < old.length && p < lines.length && old[p].text === lines[p]) p++;
  let q = 0;
  while (q < old.length - p && q < lines.length - p && old[old.length - 1 - q].text === lines[lines.length - 1 - q]) q++;
  const items = [
    ...old.slice(0, p).map((o) => o.json),
    ...lines.slice(p, lines.length - q).map((l) => `"${escapeJson(l, asciiOnly)}"`),
    ...old.slice(old.length - q).map((o) => o.json),
  ];
  const { open, sep, close } = arrayLayout(jsonText, cell);
  return `[${open}${items.join(sep)}${close}]`;
}

/** Python's str.splitlines(keepends=True): what nbformat cuts a cell's source into. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(SPLITLINES)) {
    out.push(text.slice(from, m.index + m[0].length));
    from = m.index + m[0].length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

/** The whitespace the file has after `[`, between items (comma included) and before `]`. */
function arrayLayout(jsonText: string, cell: NotebookCell): { open: string; sep: string; close: string } {
  const { offset, length } = cell.source;
  const items = cell.strings;
  // The whitespace between the key's colon and `[`: what a one-line layout puts after commas.
  let v = offset;
  while (v > 0 && (jsonText[v - 1] === " " || jsonText[v - 1] === "\t")) v--;
  const afterColon = jsonText.slice(v, offset);
  if (items.length) {
    const open = jsonText.slice(offset + 1, items[0].offset);
    const lastItem = items[items.length - 1];
    const close = jsonText.slice(lastItem.offset + lastItem.length, offset + length - 1);
    const sep = items.length > 1 ? jsonText.slice(items[0].offset + items[0].length, items[1].offset) : `,${/[\r\n]/.test(open) ? open : afterColon}`;
    return { open, sep, close };
  }
  // Handles: "source": [] gaining lines. Lay them out as Jupyter does: one per line, one
  // indentation step deeper than the "source" key, the `]` under the key.
  const lineStart = Math.max(jsonText.lastIndexOf("\n", offset), jsonText.lastIndexOf("\r", offset)) + 1;
  const keyLine = jsonText.slice(lineStart, offset);
  if (lineStart === 0 || !/^[ \t]*"(?:[^"\\]|\\.)*"[ \t]*:[ \t]*$/.test(keyLine)) return { open: "", sep: `,${afterColon}`, close: "" };
  const eol = jsonText[lineStart - 1] === "\n" && jsonText[lineStart - 2] === "\r" ? "\r\n" : jsonText[lineStart - 1];
  const indent = /^[ \t]*/.exec(keyLine)?.[0] ?? "";
  const inner = `${eol}${indent}${indentUnit(jsonText)}`;
  return { open: inner, sep: `,${inner}`, close: `${eol}${indent}` };
}

/** The file's indentation step: the indentation of its first key (Jupyter writes 1 space). */
function indentUnit(jsonText: string): string {
  return /^\uFEFF?\s*\{[ \t]*(?:\r\n|\n|\r)([ \t]+)"/.exec(jsonText)?.[1] ?? " ";
}

/**
 * Whether non-ASCII characters are written as \uXXXX: as the cell's source already does, else as
 * the rest of the file does; by default as Jupyter does (json.dumps with ensure_ascii=False).
 */
function escapesNonAscii(jsonText: string, cell: NotebookCell): boolean {
  const own = nonAsciiStyle(jsonText.slice(cell.source.offset, cell.source.offset + cell.source.length));
  return (own ?? nonAsciiStyle(jsonText)) === "escaped";
}

function nonAsciiStyle(json: string): "escaped" | "raw" | undefined {
  let escaped = 0;
  let raw = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    // Backslashes only occur inside strings in valid JSON, so skipping the escaped character is exact.
    if (c === 0x5c) {
      if (json[i + 1] === "u" && parseInt(json.slice(i + 2, i + 6), 16) >= 0x80) escaped++;
      i++;
    } else if (c >= 0x80) raw++;
  }
  if (escaped > raw) return "escaped";
  return raw ? "raw" : undefined;
}

/** The body of a JSON string as Python's json.dumps writes it (lowercase \u escapes). */
function escapeJson(s: string, asciiOnly: boolean): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20) out += unicodeEscape(c);
    else if (isHighSurrogate(c) && isLowSurrogate(s.charCodeAt(i + 1))) {
      out += asciiOnly ? unicodeEscape(c) + unicodeEscape(s.charCodeAt(i + 1)) : s.slice(i, i + 2);
      i++;
    } else if (isHighSurrogate(c) || isLowSurrogate(c)) out += unicodeEscape(c); // a lone half cannot be written as UTF-8
    else if (asciiOnly && c >= 0x7f) out += unicodeEscape(c); // ensure_ascii escapes DEL too
    else out += ch;
  }
  return out;
}

function unicodeEscape(c: number): string {
  return `\\u${c.toString(16).padStart(4, "0")}`;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
