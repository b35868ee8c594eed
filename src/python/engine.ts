/**
 * Python files in a run: detection and migration of `.py` files and of the code cells of `.ipynb`
 * notebooks, with the same results (FileDetection, TransformOutcome) as TypeScript files, so check,
 * migrate, the formats and the reports treat both alike.
 *
 * Detection runs wherever the pool runs it (a worker thread, or the main thread for small runs;
 * each thread loads the wasm parser once, on its first Python file), on the files the prefilter
 * keeps (engine/analyze.ts, python/reach.ts). Migration still runs on the main thread.
 */
import * as path from "node:path";
import type { FileDetection } from "../detect/detect-file";
import type { TextDetection } from "../detect/detect-text";
import type { TransformOutcome } from "../engine/tasks";
import { MARKER_PREFIX } from "../markers";
import type { CallSite, MarkerRecord, ParseFailure, Span } from "../types";
import type { PythonTransformOptions } from "./transform";
import { PythonDetector, hasPythonIgnoreFile, pythonIgnoredLines, type ClientParams, type PassedClient, type PendingSite } from "./detect";
import { hasPythonSiteBytes } from "../engine/prefilter";
import { applyEdits as applyNotebookEdits, locate, notebookCode, type NotebookCode } from "./notebook";
import { loadPython, syntaxError, withTree } from "./syntax";

export const PYTHON_EXTENSIONS: ReadonlySet<string> = new Set([".py", ".pyw", ".ipynb"]);

export function isPythonFile(file: string): boolean {
  return PYTHON_EXTENSIONS.has(path.extname(file).toLowerCase());
}

function isNotebook(file: string): boolean {
  return path.extname(file).toLowerCase() === ".ipynb";
}

/** What a Python file's detection adds for the cross-module step. */
export interface PythonFacts {
  pending: PendingSite[];
  /** Clients this file hands to functions of other modules (analyze.ts settlePythonPasses). */
  passes?: PassedClient[];
}

export type PythonDetection = FileDetection & { python: PythonFacts };

/** The Python source of a file: the text itself, or a notebook's code cells with their map. */
interface PythonSource {
  python: string;
  notebook?: NotebookCode;
}

function sourceOf(file: string, text: string): { ok: true; source: PythonSource } | { ok: false; error: ParseFailure } {
  if (!isNotebook(file)) return { ok: true, source: { python: text } };
  const code = notebookCode(text);
  if ("message" in code && !("python" in code)) {
    return { ok: false, error: { message: code.message, line: code.line, column: code.column, sourceLine: text.split(/\r?\n/)[code.line - 1] ?? "" } };
  }
  return { ok: true, source: { python: (code as NotebookCode).python, notebook: code as NotebookCode } };
}

/** A span in the file for offsets in its Python source (a notebook's cells point into the JSON). */
function spanIn(source: PythonSource, python: string, start: number, end: number): Span {
  if (source.notebook) {
    const a = locate(source.notebook, start);
    const b = locate(source.notebook, end);
    return { start: { line: a.line, column: a.column }, end: { line: b.line, column: b.column } };
  }
  const at = (offset: number) => {
    const before = python.slice(0, offset);
    const line = before.split("\n").length;
    return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
  };
  return { start: at(start), end: at(end) };
}

const PYTHON_MARKER_RE = /^[ \t]*#\s*cohere-migrate:\s*([a-z0-9-]+)[ \t]*([^\n]*)$/gm;

export function findPythonMarkers(python: string): Array<{ code: string; message: string; start: number; end: number }> {
  const out: Array<{ code: string; message: string; start: number; end: number }> = [];
  for (const m of python.matchAll(PYTHON_MARKER_RE)) {
    const start = m.index + m[0].indexOf("#");
    out.push({ code: m[1], message: m[2].replace(/\r$/, "").trim(), start, end: m.index + m[0].replace(/\r$/, "").length });
  }
  return out;
}

function markersOf(source: PythonSource, ignored: Set<number>, ignoreFile: boolean): { markers: FileDetection["markers"]; suppressed: number } {
  const python = source.python;
  const all = findPythonMarkers(python).map((m) => ({ ...m, span: spanIn(source, python, m.start, m.end) }));
  const lineOf = (offset: number) => python.slice(0, offset).split("\n").length;
  const markers = ignoreFile ? [] : all.filter((m) => !ignored.has(lineOf(m.start)));
  return { markers, suppressed: all.length - markers.length };
}

/** Detection of one Python file on its own; names imported from other modules are left pending. */
export async function detectPython(file: string, text: string): Promise<TextDetection> {
  await loadPython();
  return detectPythonNow(file, text);
}

/**
 * Detection of a Python file whose functions other modules pass clients to (`params`), on this
 * thread: the grammar must be loaded (loadPython).
 */
export function detectPythonWith(file: string, text: string, params: ClientParams): TextDetection {
  return detectPythonNow(file, text, params);
}

function detectPythonNow(file: string, text: string, params?: ClientParams): TextDetection {
  const read = sourceOf(file, text);
  if (!read.ok) return { ok: false, error: read.error };
  const { source } = read;
  const python = source.python;
  return withTree(python, (tree) => {
    const broken = syntaxError(tree, python);
    if (broken) {
      // Handles: a notebook whose code cells hold a placeholder (`key = <your-key>`) and no Generate
      // call: its output or markdown named `generate`, which made it a candidate. Nothing of ours to parse.
      if (source.notebook && !hasPythonSiteBytes(Buffer.from(python))) return { ok: true, result: pythonMarkersOnly(file, text) };
      if (source.notebook) {
        const offset = offsetOf(python, broken.line, broken.column);
        const at = locate(source.notebook, offset);
        return { ok: false, error: { ...broken, message: `${broken.message} (cell ${at.cell}, line ${at.cellLine})`, line: at.line, column: at.column } };
      }
      return { ok: false, error: broken };
    }
    const found = new PythonDetector(tree.rootNode, python, params).detect();
    const fix = (site: CallSite): CallSite => (source.notebook ? { ...site, span: spanIn(source, python, site.start, site.end) } : site);
    const ignoreFile = hasPythonIgnoreFile(python);
    const { markers, suppressed } = markersOf(source, pythonIgnoredLines(python), ignoreFile);
    const detection: PythonDetection = {
      sites: found.sites.map(fix),
      undecided: [],
      importsCohere: found.importsCohere,
      markers,
      suppressed: found.suppressed + suppressed,
      ignoreFile,
      python: { pending: found.pending.map((p) => ({ ...p, site: fix(p.site) })), ...(found.passes.length ? { passes: found.passes } : {}) },
    };
    return { ok: true, result: detection };
  });
}

function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", at);
    if (next === -1) break;
    at = next + 1;
  }
  return at + column - 1;
}

/** Markers of a Python file that was not parsed (it holds no `generate`). */
export function pythonMarkersOnly(file: string, text: string): FileDetection {
  const read = sourceOf(file, text);
  const source = read.ok ? read.source : { python: "" };
  const ignoreFile = hasPythonIgnoreFile(source.python);
  const { markers, suppressed } = markersOf(source, pythonIgnoredLines(source.python), ignoreFile);
  return { sites: [], undecided: [], importsCohere: false, markers, suppressed, ignoreFile };
}

export interface PythonTransformTask {
  file: string;
  text: string;
  sites: CallSite[];
  options: { model: string; modelFromFlag: boolean };
  /** The package's helper module to import helpers from (helpers.ts), or none: they go in the file. */
  helperModule?: { dots: string };
  /** A notebook's `pip install cohere==4.x` lines are raised with the migration (off: --no-update-deps). */
  raisePins?: boolean;
  /** Cross-module returns (python/callers.ts): see PythonTransformOptions. */
  importedReturns?: PythonTransformOptions["importedReturns"];
  followedElsewhere?: PythonTransformOptions["followedElsewhere"];
  importedModelParams?: PythonTransformOptions["importedModelParams"];
}

export async function transformPythonFile(task: PythonTransformTask): Promise<TransformOutcome> {
  // Loaded here, not at the top: the rewrite shares tables with the TypeScript transforms, which
  // bring the compiler, and detection (all that check needs) must not pay for it.
  const { PythonTransformError, transformPython } = require("./transform") as typeof import("./transform");
  await loadPython();
  const read = sourceOf(task.file, task.text);
  if (!read.ok) return { ok: false, error: read.error };
  const { source } = read;
  let output: string;
  let result;
  try {
    result = transformPython(source.python, task.sites, {
      model: task.options.model,
      modelFromFlag: task.options.modelFromFlag,
      eol: source.notebook ? "\n" : undefined,
      cellEnds: source.notebook?.cells.map((c) => c.end),
      helperModule: task.helperModule,
      spanAt: source.notebook ? (offset) => spanIn(source, source.python, offset, offset) : undefined,
      importedString: (require("./imported") as typeof import("./imported")).importedStrings(task.file),
      envValue: (name) => {
        const hit = (require("../engine/env-files") as typeof import("../engine/env-files")).envFileValue(task.file, name);
        return hit && { value: hit.value, file: path.relative(path.dirname(path.resolve(task.file)), hit.file).split(path.sep).join("/") };
      },
      importedReturns: task.importedReturns,
      followedElsewhere: task.followedElsewhere,
      importedModelParams: task.importedModelParams,
    });
    const pins = source.notebook && result.needs && task.raisePins !== false ? pipPins(source.notebook, result.needs) : [];
    for (const pin of pins) result.notes.push({ kind: "dependency-updated", message: pin.message, span: spanIn(source, source.python, pin.start, pin.end) });
    output = source.notebook ? applyNotebookEdits(task.text, source.notebook, result.edits, pins) : result.output;
  } catch (e) {
    const message = e instanceof PythonTransformError || e instanceof Error ? e.message : String(e);
    const first = task.sites[0]?.span.start ?? { line: 1, column: 1 };
    return { ok: false, error: { message, line: first.line, column: first.column, sourceLine: task.text.split(/\r?\n/)[first.line - 1] ?? "" } };
  }
  const changed = output !== task.text;
  const after = changed ? detectPythonNow(task.file, output) : undefined;
  const markers: MarkerRecord[] = [];
  if (after?.ok) {
    const codes = new Set(result.markers.map((m) => m.code));
    for (const m of after.result.markers) if (codes.has(m.code)) markers.push({ code: m.code, message: m.message, span: (m as { span?: Span }).span ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
  }
  return {
    ok: true,
    output,
    changed,
    migrated: result.migrated,
    markers,
    notes: result.notes,
    dependencies: result.needs ? [["cohere", result.needs]] : [],
    after,
    helpers: result.helpers,
    crossModule: { returns: result.returns, importedFollowed: result.importedFollowed, modelParams: result.modelParams },
  };
}

/**
 * A migrated notebook's `%pip install` / `!pip install` lines that pin a `cohere` the migrated code
 * cannot run on (`cohere==4.57`): raised as a requirements file is (deps.ts), in place. Edits in
 * `python` offsets, inside the masked IPython lines.
 */
function pipPins(code: NotebookCode, minimum: string): Array<{ start: number; end: number; text: string; message: string }> {
  const { raisePipInstall } = require("./deps") as typeof import("./deps");
  const out: Array<{ start: number; end: number; text: string; message: string }> = [];
  for (const range of code.masked) {
    const cell = code.cells.find((c) => c.start <= range.start && range.end <= c.end);
    if (!cell) continue;
    const line = cell.text.slice(range.start - cell.start, range.end - cell.start);
    if (!/cohere/i.test(line)) continue;
    for (const edit of raisePipInstall(line, minimum)) {
      const message = `raised the notebook's pip install pin cohere${edit.from} to cohere${edit.to}: the migrated code needs cohere>=${minimum}`;
      out.push({ start: range.start + edit.start, end: range.start + edit.end, text: edit.text, message });
    }
  }
  return out;
}

export { MARKER_PREFIX };
