/**
 * Jupyter notebooks: the code cells' Python as one text (cells in order, each followed by a line
 * break, so names from earlier cells are in scope as in a kernel), a map from that text back into
 * the notebook's JSON, and edits applied to the cells' `source` values only.
 *
 * The JSON is read with jsonc-parser's tree, which keeps every node's offset: a changed cell gets
 * its `source` array re-serialised in the layout it had, and every other byte of the file (key
 * order, outputs, metadata, indentation, line endings) is left as it was.
 *
 * IPython syntax that is not Python (`%magic`, `!shell`, `x = !cmd`, `obj?`, `%%cell` magics) is
 * masked as comments of the same length, so offsets map one to one and such lines never become
 * parse errors; edits never touch them.
 */
import { parseTree, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { LineMap } from "../markers";
import type { Edit } from "./edits";

export interface NotebookCell {
  /** 1-based among all cells of the notebook. */
  number: number;
  /** Offsets of the cell's text in `python`. */
  start: number;
  end: number;
  /** The decoded source text. */
  text: string;
  /** The JSON node of the cell's `source` value. */
  source: { offset: number; length: number; array: boolean };
  /** The decoded pieces (array items, or the one string) with their JSON offsets. */
  pieces: Array<{ start: number; end: number; offset: number; raw: string }>;
  /** Ranges of `text` that were masked (magics, shell lines). */
  masked: Array<[number, number]>;
}

export interface NotebookCode {
  python: string;
  cells: NotebookCell[];
  lines: LineMap;
}

export interface NotebookError {
  message: string;
  line: number;
  column: number;
}

export function isNotebookError(x: NotebookCode | NotebookError): x is NotebookError {
  return !("python" in x);
}

function child(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== "object") return undefined;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k?.value === key) return v;
  }
  return undefined;
}

/** A notebook whose kernel is not Python has no cells to check. */
function isPythonNotebook(root: JsonNode): boolean {
  const meta = child(root, "metadata");
  const language = child(child(meta, "kernelspec"), "language")?.value ?? child(child(meta, "language_info"), "name")?.value;
  return typeof language !== "string" || /^(i?python\d*)$/i.test(language);
}

export function notebookCode(json: string): NotebookCode | NotebookError {
  const lines = new LineMap(json);
  const errors: ParseError[] = [];
  const root = parseTree(json, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const at = lines.location(errors[0]?.offset ?? 0);
    return { message: "not valid JSON: this notebook cannot be read", line: at.line, column: at.column };
  }
  const cellsNode = child(root, "cells");
  if (root.type !== "object" || cellsNode?.type !== "array") {
    return { message: "not a Jupyter notebook (no cells array)", line: 1, column: 1 };
  }
  const cells: NotebookCell[] = [];
  let python = "";
  if (!isPythonNotebook(root)) return { python, cells, lines };
  (cellsNode.children ?? []).forEach((cell, i) => {
    if (child(cell, "cell_type")?.value !== "code") return;
    const source = child(cell, "source");
    if (!source || (source.type !== "array" && source.type !== "string")) return;
    const items = source.type === "array" ? (source.children ?? []) : [source];
    const pieces: NotebookCell["pieces"] = [];
    let text = "";
    for (const item of items) {
      if (item.type !== "string") continue;
      const value = String(item.value);
      pieces.push({ start: text.length, end: text.length + value.length, offset: item.offset, raw: json.slice(item.offset, item.offset + item.length) });
      text += value;
    }
    const { masked, ranges } = maskIPython(text);
    const start = python.length;
    python += masked + "\n";
    cells.push({ number: i + 1, start, end: start + text.length, text, source: { offset: source.offset, length: source.length, array: source.type === "array" }, pieces, masked: ranges });
  });
  return { python, cells, lines };
}

/** Masks IPython-only lines as `#` comments of the same length. */
function maskIPython(text: string): { masked: string; ranges: Array<[number, number]> } {
  const ranges: Array<[number, number]> = [];
  if (/^\s*%%/.test(text)) {
    // A cell magic (%%bash, %%time, ...): the whole cell is another language or wrapped.
    return { masked: text.replace(/[^\n]/g, (c, at: number) => (at === 0 || text[at - 1] === "\n" ? "#" : c === "\r" ? " " : c)), ranges: [[0, text.length]] };
  }
  let out = "";
  let at = 0;
  for (const line of text.split("\n")) {
    const magic = /^(\s*)([%!]|[\w.]+\s*=\s*[%!])/.exec(line) || /^\s*[\w.]+\?{1,2}\s*$/.exec(line);
    if (magic) {
      const indent = /^\s*/.exec(line)?.[0].length ?? 0;
      out += line.slice(0, indent) + "#" + line.slice(indent + 1);
      ranges.push([at, at + line.length]);
    } else out += line;
    out += "\n";
    at += line.length + 1;
  }
  return { masked: out.slice(0, -1), ranges };
}

export interface NotebookLocation {
  line: number;
  column: number;
  cell: number;
  cellLine: number;
  cellColumn: number;
}

/** Where an offset of `python` is: in the notebook file, and in its cell. */
export function locate(code: NotebookCode, offset: number): NotebookLocation {
  const cell = code.cells.find((c) => offset >= c.start && offset <= c.end) ?? code.cells[code.cells.length - 1];
  if (!cell) return { line: 1, column: 1, cell: 0, cellLine: 1, cellColumn: 1 };
  const inCell = Math.min(offset - cell.start, cell.text.length);
  const before = cell.text.slice(0, inCell);
  const cellLine = before.split("\n").length;
  const cellColumn = inCell - (before.lastIndexOf("\n") + 1) + 1;
  const piece = cell.pieces.find((p) => inCell >= p.start && inCell < p.end) ?? cell.pieces[cell.pieces.length - 1];
  if (!piece) {
    const at = code.lines.location(cell.source.offset);
    return { ...at, cell: cell.number, cellLine, cellColumn };
  }
  const raw = rawIndex(piece.raw, Math.min(inCell, piece.end) - piece.start);
  const at = code.lines.location(piece.offset + raw);
  return { line: at.line, column: at.column, cell: cell.number, cellLine, cellColumn };
}

/** Index in a JSON string literal (with its quotes) of the n-th decoded character. */
function rawIndex(raw: string, n: number): number {
  let i = 1;
  for (let decoded = 0; decoded < n && i < raw.length - 1; decoded++) {
    if (raw[i] === "\\") i += raw[i + 1] === "u" ? 6 : 2;
    else i++;
  }
  return i;
}

/** Applies edits given in `python` offsets; each lies in one cell, outside its masked lines. */
export function applyEdits(json: string, code: NotebookCode, edits: readonly Edit[]): string {
  if (!edits.length) return json;
  const byCell = new Map<NotebookCell, Edit[]>();
  for (const e of edits) {
    const cell = code.cells.find((c) => e.start >= c.start && e.end <= c.end);
    if (!cell) throw new Error(`an edit at ${e.start}-${e.end} spans notebook cells`);
    const local = { start: e.start - cell.start, end: e.end - cell.start, text: e.text };
    if (cell.masked.some(([a, b]) => local.start < b && a < local.end)) throw new Error(`an edit in cell ${cell.number} touches an IPython line`);
    byCell.set(cell, [...(byCell.get(cell) ?? []), local]);
  }
  let out = "";
  let at = 0;
  for (const cell of code.cells) {
    const mine = byCell.get(cell);
    if (!mine) continue;
    let text = cell.text;
    for (const e of [...mine].sort((a, b) => b.start - a.start || b.end - a.end)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    out += json.slice(at, cell.source.offset) + serialise(json, cell, text);
    at = cell.source.offset + cell.source.length;
  }
  return out + json.slice(at);
}

/** The cell's new source in the form and layout its old one had. */
function serialise(json: string, cell: NotebookCell, text: string): string {
  const original = json.slice(cell.source.offset, cell.source.offset + cell.source.length);
  const asciiOnly = /\\u[0-9a-fA-F]{4}/.test(original) && !/[^\x00-\x7f]/.test(original);
  const str = (s: string): string => {
    const j = JSON.stringify(s);
    return asciiOnly ? j.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : j;
  };
  if (!cell.source.array) return str(text);
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  if (!lines.length) return "[]";
  // The whitespace Jupyter (or whoever wrote the file) put around and between the items.
  const first = cell.pieces[0];
  let open: string;
  let between: string;
  let close: string;
  if (first) {
    open = json.slice(cell.source.offset + 1, first.offset);
    const second = cell.pieces[1];
    between = second ? json.slice(first.offset + first.raw.length, second.offset) : `,${open}`;
    const last = cell.pieces[cell.pieces.length - 1];
    close = json.slice(last.offset + last.raw.length, cell.source.offset + cell.source.length - 1);
  } else {
    const lineStart = json.lastIndexOf("\n", cell.source.offset) + 1;
    const indent = /^[ \t]*/.exec(json.slice(lineStart))?.[0] ?? "";
    const eol = json.includes("\r\n") ? "\r\n" : "\n";
    open = `${eol}${indent} `;
    between = `,${open}`;
    close = `${eol}${indent}`;
  }
  return `[${open}${lines.map(str).join(between)}${close}]`;
}
