/**
 * The read-only half shared by `check` and `migrate`: find files, read them, keep the ones that
 * can matter (prefilter), detect legacy sites per file (in parallel), then settle the receivers
 * that need other modules on a ts-morph project built from just those files.
 */
import * as path from "node:path";
import { findMarkers, hasIgnoreFile, ignoredLines, LineMap } from "../markers";
import type { FileDetection } from "../detect/detect-file";
import type { ParseFailure } from "../types";
import { UsageError } from "../errors";
import { discover, gitRoot } from "./files";
import { FilePool } from "./pool";
import { byteFacts, ImportReach, readPathAliases } from "./prefilter";
import { decode, minifiedReason, readSource } from "./source";

export interface AnalyzeOptions {
  cwd: string;
  paths: readonly string[];
  ignore?: readonly string[];
  /** Skip files that cannot hold a legacy use before parsing (on by default; off to compare). */
  prefilter?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  phase: "read" | "analyze" | "migrate";
  done: number;
  total: number;
}

export interface AnalyzedFile {
  abs: string;
  /** Relative to cwd, forward slashes. */
  file: string;
  status: "ok" | "skipped" | "failed";
  reason?: string;
  error?: ParseFailure;
  /** Kept for files that were parsed or hold markers. */
  raw?: Buffer;
  text?: string;
  bom?: boolean;
  detection?: FileDetection;
}

export interface Analysis {
  files: AnalyzedFile[];
  pool: FilePool;
}

export function relativePath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (rel && !rel.startsWith("..") ? rel : abs).split(path.sep).join("/");
}

/** Markers and suppressions of a file that was not parsed (it holds no `generate`). */
function markersOnly(text: string): FileDetection {
  const ignoreFile = hasIgnoreFile(text);
  const ignored = ignoredLines(text);
  const lines = new LineMap(text);
  const all = findMarkers(text);
  const markers = ignoreFile ? [] : all.filter((m) => !ignored.has(lines.location(m.start).line));
  return { sites: [], undecided: [], importsCohere: false, markers, suppressed: all.length - markers.length, ignoreFile };
}

export async function analyze(options: AnalyzeOptions): Promise<Analysis> {
  const { cwd } = options;
  const prefilter = options.prefilter ?? true;
  const found = discover(options.paths.length ? options.paths : ["."], cwd, options.ignore ?? []);
  if (found.files.length === 0) {
    throw new UsageError(`no JavaScript or TypeScript files found in ${options.paths.length ? options.paths.join(", ") : "."}`);
  }
  const files: AnalyzedFile[] = found.skipped.map((s) => ({ abs: s.file, file: relativePath(cwd, s.file), status: "skipped", reason: s.reason }));
  const byAbs = new Map<string, AnalyzedFile>();
  const cohereFiles = new Set<string>();
  const generateFiles: AnalyzedFile[] = [];
  const total = found.files.length;

  found.files.forEach((abs, i) => {
    const entry: AnalyzedFile = { abs, file: relativePath(cwd, abs), status: "ok" };
    files.push(entry);
    byAbs.set(abs, entry);
    const source = readSource(abs);
    if (source.kind === "skipped") {
      entry.status = "skipped";
      entry.reason = source.reason;
    } else if (source.kind === "failed") {
      entry.status = "failed";
      entry.error = { message: source.message, line: 1, column: 1, sourceLine: "" };
    } else {
      const facts = byteFacts(source.raw);
      // Only files that may be parsed, linked to, or hold markers keep their bytes.
      if (facts.cohere || facts.generate || facts.tool || !prefilter) entry.raw = source.raw;
      if (facts.cohere) cohereFiles.add(abs);
      if (facts.generate || !prefilter) generateFiles.push(entry);
      else if (facts.tool) Object.assign(entry, decode(source.raw), { detection: undefined });
    }
    if (i % 256 === 0 || i === total - 1) options.onProgress?.({ phase: "read", done: i + 1, total });
  });

  const root = gitRoot(cwd) ?? cwd;
  const aliases = readPathAliases(root);
  const known = new Set(found.files);
  // Files on the import path between a `generate` file and a Cohere file (a re-exporting index)
  // were not kept in memory: read them again when the import graph reaches them.
  const textOf = (abs: string): string | undefined => {
    const entry = byAbs.get(abs);
    if (!entry || entry.status !== "ok") return undefined;
    if (!entry.raw) {
      const source = readSource(abs);
      if (source.kind !== "read") return undefined;
      entry.raw = source.raw;
    }
    entry.text ??= decode(entry.raw).text;
    return entry.text;
  };
  const reach = new ImportReach(known, cohereFiles, textOf, aliases);
  const candidates = prefilter ? generateFiles.filter((f) => cohereFiles.has(f.abs) || reach.reachesCohere(f.abs)) : generateFiles;

  // Phase A: each candidate on its own.
  const parse: AnalyzedFile[] = [];
  for (const entry of candidates) {
    const { text, bom } = decode(entry.raw as Buffer);
    entry.text = text;
    entry.bom = bom;
    const minified = minifiedReason(text);
    if (minified) {
      entry.status = "skipped";
      entry.reason = minified;
    } else parse.push(entry);
  }
  const pool = new FilePool();
  let done = 0;
  const detections = await pool.detect(
    parse.map((f) => ({ file: f.abs, text: f.text as string })),
    (n) => options.onProgress?.({ phase: "analyze", done: (done += n), total: parse.length }),
  );
  parse.forEach((entry, i) => {
    const d = detections[i];
    if (d.ok) entry.detection = d.result;
    else {
      entry.status = "failed";
      entry.error = d.error;
    }
  });
  // Files with markers but no `generate` were not parsed; their markers still count.
  for (const entry of files) {
    if (entry.status === "ok" && !entry.detection && entry.raw && byteFacts(entry.raw).tool) {
      entry.text ??= decode(entry.raw).text;
      entry.bom ??= decode(entry.raw).bom;
      entry.detection = markersOnly(entry.text);
    }
  }

  // Phase M: receivers imported from other modules, on one project of just the files involved.
  const undecided = parse.filter((f) => f.detection && f.detection.undecided.length > 0);
  if (undecided.length) await settleCrossFile(undecided, reach, textOf, root);
  return { files, pool };
}

async function settleCrossFile(
  undecided: AnalyzedFile[],
  reach: ImportReach,
  textOf: (abs: string) => string | undefined,
  root: string,
): Promise<void> {
  // ts-morph (and the compiler it bundles) is loaded only when a run needs it.
  const { crossFileProject } = await import("../detect/program");
  const { detectInSourceFile } = await import("../detect/detect-file");
  const { readCompilerPaths } = await import("../detect/tsconfig");
  const texts = new Map<string, string>();
  for (const entry of undecided) {
    texts.set(entry.abs, entry.text as string);
    for (const dep of reach.closure(entry.abs)) {
      const t = textOf(dep);
      if (t !== undefined) texts.set(dep, t);
    }
  }
  const project = crossFileProject(texts, readCompilerPaths(root));
  const checker = project.getTypeChecker().compilerObject;
  for (const entry of undecided) {
    const sf = project.getSourceFileOrThrow(entry.abs).compilerNode;
    const settled = detectInSourceFile(sf, checker, true);
    (entry.detection as FileDetection).sites = settled.sites;
    (entry.detection as FileDetection).undecided = [];
    (entry.detection as FileDetection).suppressed = settled.suppressed;
  }
}
