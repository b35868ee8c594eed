/**
 * The read-only half shared by `check` and `migrate`: find files, read them, keep the ones that
 * can matter (prefilter), detect legacy sites per file (in parallel), then settle the receivers
 * that need other modules on a ts-morph project built from just those files.
 *
 * Reading and parsing overlap: a file whose bytes make it a candidate is handed to the pool at
 * once, so on a large tree the workers load the compiler and parse while the main thread reads.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findMarkers, hasIgnoreFile, ignoredLines, LineMap } from "../markers";
import type { FileDetection } from "../detect/detect-file";
import type { ParseFailure } from "../types";
import { UsageError } from "../errors";
import { discover, gitRoot, isOutside, SOURCE_EXTENSIONS } from "./files";
import { FilePool, PARALLEL_THRESHOLD, type PoolOptions } from "./pool";
import { byteFacts, hasPythonSiteBytes, ImportReach, type KnownFiles, importsCohereAlias, isOwnCandidate, isQuiet, mentionsCohere, namesCohereHost, namesCoherePackage, namesGenerateElsewhere, NearestTsconfig, textMentionsCohere, type ByteFacts } from "./prefilter";
import { COHERE_MENTION, decode, GENERATE_MENTION, minifiedReason, readSource, SourceReader } from "./source";
import type { PythonDetection } from "../python/engine";
import type { ClientParams, ClientType, PassedClient } from "../python/detect";
import { mayImportCohere, PythonImportReach } from "../python/reach";
import { plainlyNeedsCompiler } from "../detect/needs-compiler";
import type { DetectionCache, PythonReachMemo } from "./cache";
import { originOf, type BarrelReader } from "./barrels";
import { compilerPathsOf, type CompilerPaths, repositoryManifests, RepositoryAliases } from "./workspace";
import { cohereAliasesOfRun, cohereAliasKey, mayDeclareCohereAlias, useCohereAliasesFor } from "./npm-alias";

/** The Python side, loaded when the first Python file turns up (it brings the wasm parser). */
function pythonEngine(): typeof import("../python/engine") {
  return require("../python/engine") as typeof import("../python/engine");
}

const PYTHON_FILE = /\.(py|pyw|ipynb)$/i;

function isNotebookPath(file: string): boolean {
  return file.toLowerCase().endsWith(".ipynb");
}

export function isPythonPath(file: string): boolean {
  return PYTHON_FILE.test(file);
}

export interface AnalyzeOptions {
  cwd: string;
  paths: readonly string[];
  ignore?: readonly string[];
  /** Skip files that cannot hold a legacy use before parsing (on by default; off to compare). */
  prefilter?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Worker pool settings (threads, worker file); the defaults suit the machine. */
  pool?: PoolOptions;
  /** `--cache`: reuse the detections of files unchanged since the last run (cache.ts). */
  cache?: DetectionCache;
  /** Settle what syntax can without the compiler (on by default; off to compare with the compiler alone). */
  syntax?: boolean;
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
  /** A skipped file that holds "generate" and "cohere": it could hide a legacy call. */
  hidesGenerate?: boolean;
  /** The detection came from the cache: nothing was parsed for this file. */
  cached?: boolean;
  error?: ParseFailure;
  /** Kept for files that were parsed or hold markers. */
  raw?: Buffer;
  text?: string;
  bom?: boolean;
  detection?: FileDetection;
  /** The bare specifiers of its imports that resolve into the repository (a tsconfig alias, a workspace package). */
  repoSpecifiers?: string[];
  /** Its bytes hold `.generate` where a call or a stub of one could be (prefilter.ts): only such a test can stub a client's generate. */
  namesGenerate?: boolean;
}

export interface Analysis {
  files: AnalyzedFile[];
  pool: FilePool;
  /** The repository file a bare specifier of `from` names (a tsconfig alias, a workspace package); undefined for a package. */
  resolveBare: (spec: string, from: string) => string | undefined;
  /** The package.json files of the workspace packages a file's imports name (engine/workspace.ts). */
  packagesImported: (abs: string) => string[];
}

/**
 * With at least this many files still to read when the first candidate turns up, the pool starts
 * at once: the rest of the read (about 25 µs a file) covers a worker's start-up.
 */
const OVERLAP_FILES = 2000;

export function relativePath(cwd: string, abs: string): string {
  // Most files lie under cwd: slicing the prefix is much cheaper than path.relative.
  const prefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  const rel = abs.startsWith(prefix) ? abs.slice(prefix.length) : path.relative(cwd, abs);
  const out = rel && !isOutside(rel) ? rel : abs;
  return path.sep === "/" ? out : out.split(path.sep).join("/");
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

interface Entry extends AnalyzedFile {
  facts?: ByteFacts;
}

export async function analyze(options: AnalyzeOptions): Promise<Analysis> {
  const { cwd } = options;
  const prefilter = options.prefilter ?? true;
  // --cache: folders unchanged since the last run are not read again (their stamps say what they hold).
  const found = discover(options.paths.length ? options.paths : ["."], cwd, options.ignore ?? [], true, prefilter ? options.cache?.folders() : undefined);
  if (found.files.length === 0) {
    throw new UsageError(`no JavaScript, TypeScript or Python files found in ${options.paths.length ? options.paths.join(", ") : "."}`);
  }
  // A folder that cannot be read may hold legacy calls: said as a skipped-file finding (check is not green over it).
  const files: Entry[] = found.skipped.map((s) => ({ abs: s.file, file: relativePath(cwd, s.file), status: "skipped", reason: s.reason, ...(s.reason.startsWith("cannot read folder") ? { hidesGenerate: true } : {}) }));
  const byAbs = new Map<string, Entry>();
  const total = found.files.length;
  const pool = new FilePool(options.pool);

  // Candidates wait here until the pool's mode is decided; then they are handed over.
  const waiting: Entry[] = [];
  const detections: Promise<void>[] = [];
  let parsed = 0;
  let detected = 0;
  let reading = true;
  const progress = (): void => {
    if (!reading) options.onProgress?.({ phase: "analyze", done: detected, total: parsed });
  };
  const cache = options.cache;
  const root = gitRoot(cwd) ?? cwd;
  const runFiles = new Set(found.files);
  // A run over part of the tree (the files a pre-commit hook passes, `check src`, --ignore): an
  // import still leads to the repository's other modules (`import { co } from "./client"`), read from disk.
  const givenPaths = (options.paths.length ? options.paths : ["."]).map((p) => path.resolve(cwd, p));
  const outside = options.ignore?.length || !givenPaths.includes(root) ? new RepositoryFiles(runFiles, root) : undefined;
  const known: KnownFiles = outside ?? runFiles;
  const specifiers = cache && { get: (abs: string) => cache.importsOf(abs), set: (abs: string, specs: readonly string[]) => cache.noteImports(abs, specs) };
  // Each file's imports resolve through the tsconfig.json nearest above it (a monorepo's app has its
  // own `paths`), and a monorepo's own packages (`@acme/llm`) lead to their sources (workspace.ts).
  const givenDirs = (options.paths.length ? options.paths : ["."]).map((p) => path.resolve(cwd, p)).filter((p) => !known.has(p));
  const tsconfigs = new NearestTsconfig(new Set(found.tsconfigs), givenDirs);
  // A run over part of the tree saw only its own package.json files: the repository's are asked of git.
  const manifests = (): readonly string[] => (outside ? [...new Set([...found.manifests, ...repositoryManifests(root)])] : found.manifests);
  /**
   * Whether a source file of the run under `dir` names cohere-ai: asked only of a package that
   * does not install cohere-ai under a manifest that does (hoisted). Its facts when read, else its
   * bytes. A package outside the run's files is taken to name it (its imports are then followed).
   */
  let runFoldersNamingCohere: Map<string, boolean> | undefined;
  const namesCohere = (dir: string): boolean => {
    // Every folder holding a source file of the run, and whether one under it names cohere-ai,
    // built on the first question (a package per question would scan all files each time).
    if (!runFoldersNamingCohere) {
      runFoldersNamingCohere = new Map();
      for (const abs of found.files) {
        if (isPythonPath(abs)) continue;
        const facts = byAbs.get(abs)?.facts;
        const names = facts ? facts.pkg : bytesNameCohere(abs);
        for (let d = path.dirname(abs); ; d = path.dirname(d)) {
          const was = runFoldersNamingCohere.get(d);
          if (was === true || (was === false && !names)) break;
          runFoldersNamingCohere.set(d, names);
          if (d === root || path.dirname(d) === d) break;
        }
      }
    }
    return runFoldersNamingCohere.get(dir) ?? true;
  };
  const aliases = new RepositoryAliases(tsconfigs, manifests, root, namesCohere);
  // Its functions are called only once reading has begun (textOf and isCohere are defined below).
  const reach = new ImportReach(known, (abs) => textOf(abs), (abs) => isCohere(abs), (f) => aliases.of(f), specifiers, (f) => aliases.withImports(f));
  /** --cache: a detection holds for the same bytes, cohere-ai aliases and repository specifiers. */
  const detectionKey = (entry: Entry): string => {
    const key = cohereAliasKey(entry.abs);
    return entry.repoSpecifiers?.length ? `${key}\u0000${entry.repoSpecifiers.join(",")}` : key;
  };

  /** Files whose detection this run parsed for (the ones whose answers go into the cache). */
  const parsedHere = new Set<string>();
  /** --cache: the detection of a candidate whose bytes (and whatever its answer read) are as cached. */
  const fromCache = (entry: Entry): boolean => {
    if (!cache) return false;
    cache.noteRead(entry.abs, entry.raw as Buffer);
    const hit = cache.lookup(entry.abs, detectionKey(entry));
    if (!hit) return false;
    entry.detection = hit;
    entry.cached = true;
    return true;
  };
  const submit = (entry: Entry): void => {
    parsed++;
    // Both languages go to the same pool; a thread loads each parser when its first file needs it.
    const task = pool.detectOne({ file: entry.abs, text: entry.text as string, ...(options.syntax === false ? { syntax: false } : {}), ...(entry.repoSpecifiers ? { repoSpecifiers: entry.repoSpecifiers } : {}) });
    detections.push(
      task.then((d) => {
        if (d.ok) {
          entry.detection = d.result;
          parsedHere.add(entry.abs);
        }
        else {
          entry.status = "failed";
          entry.error = d.error;
        }
        detected++;
        progress();
      }),
    );
  };
  const candidate = (entry: Entry, unread: number): void => {
    const { text, bom } = decode(entry.raw as Buffer);
    entry.text = text;
    entry.bom = bom;
    // A notebook's long lines are its outputs (base64 images); its code cells are what is parsed.
    const minified = entry.abs.endsWith(".ipynb") ? undefined : minifiedReason(text);
    if (minified) {
      entry.status = "skipped";
      entry.reason = minified;
      entry.hidesGenerate = COHERE_MENTION.test(text) && GENERATE_MENTION.test(text);
      return;
    }
    if (!isPythonPath(entry.abs)) {
      const specs = reach.repoSpecifiers(entry.abs, text);
      if (specs.length) entry.repoSpecifiers = specs;
    }
    if (fromCache(entry)) return;
    if (pool.usesWorkers) return submit(entry);
    waiting.push(entry);
    // Many candidates, or one that needs a parser to load (the compiler, or Python's wasm) with
    // much left to read: a worker loads it meanwhile. A few that syntax is likely to settle are
    // answered here, sooner than a worker starts (about 0.1 s before its first file).
    const needsParser = isPythonPath(entry.abs) || plainlyNeedsCompiler(text);
    if (pool.canRunWorkers && (waiting.length >= PARALLEL_THRESHOLD || (unread >= OVERLAP_FILES && needsParser))) {
      pool.useWorkers();
      waiting.splice(0).forEach(submit);
    } else if (isPythonPath(entry.abs)) loadPythonHere();
  };
  /**
   * A Python file answered on this thread: the grammar loads now, its wasm compiling off the main
   * thread while the rest is read (its detection awaits the same load, and reports a failure to
   * load). A few files: V8's baseline compiler only (syntax.ts).
   */
  const loadPythonHere = (): void => {
    (require("../python/syntax") as typeof import("../python/syntax")).loadPython({ baseline: true }).catch(() => undefined);
  };

  const reader = new SourceReader();
  /** What the prefilter's facts make of a file read: a candidate, a quiet file, or neither. */
  const classify = (entry: Entry, raw: Buffer, facts: ByteFacts, left: number): void => {
    entry.facts = facts;
    const own = !prefilter || ownCandidate(entry.abs, facts);
    // Only files that may be parsed or hold markers keep (a copy of) their bytes.
    if (own || facts.site || facts.tool) entry.raw ??= reader.keep(raw);
    if (own) candidate(entry, left);
    else if (prefilter && isQuiet(facts)) {
      quiet.push(entry);
      // Not parsed, but skipped as a candidate would be when minified (a bundle that names cohere-ai).
      const { text } = decode(raw);
      const minified = minifiedReason(text);
      if (minified) {
        entry.status = "skipped";
        entry.reason = minified;
        entry.hidesGenerate = COHERE_MENTION.test(text) && GENERATE_MENTION.test(text);
      }
    }
  };
  /** Files that name cohere-ai and hold nothing else detection reports (prefilter.ts isQuiet). */
  const quiet: Entry[] = [];
  /** Files --cache knew unchanged and did not read. */
  const unread = new Set<Entry>();
  /** Reads a file that was passed over while reading (--cache); false when it cannot be read as source now. */
  const readNow = (entry: Entry): boolean => {
    unread.delete(entry);
    const source = reader.read(entry.abs);
    if (source.kind === "read") {
      entry.raw = reader.keep(source.raw);
      return true;
    }
    entry.status = source.kind === "skipped" ? "skipped" : "failed";
    if (source.kind === "skipped") {
      entry.reason = source.reason;
      entry.hidesGenerate = source.mentionsGenerate;
    } else entry.error = { kind: "io", message: source.message, line: 1, column: 1, sourceLine: "" };
    return false;
  };
  found.files.forEach((abs, i) => {
    const entry: Entry = { abs, file: relativePath(cwd, abs), status: "ok" };
    files.push(entry);
    byAbs.set(abs, entry);
    // --cache: a file whose stamp is unchanged and whose facts make it neither a candidate of its
    // own nor a holder of markers is not read here: its imports are known from the stamp, and its
    // bytes are read only if they lead to Cohere (below).
    const unchanged = prefilter ? cache?.unchangedFacts(abs) : undefined;
    // A quiet file is read, as the last run read it: its bytes say whether it is minified (skipped).
    if (unchanged && !unchanged.tool && !ownCandidate(abs, unchanged) && !isQuiet(unchanged)) {
      entry.facts = unchanged;
      unread.add(entry);
      if (i % 512 === 0 || i === total - 1) options.onProgress?.({ phase: "read", done: i + 1, total });
      return;
    }
    const source = reader.read(abs);
    if (source.kind === "skipped") {
      entry.status = "skipped";
      entry.reason = source.reason;
      entry.hidesGenerate = source.mentionsGenerate;
    } else if (source.kind === "failed") {
      entry.status = "failed";
      entry.error = { kind: "io", message: source.message, line: 1, column: 1, sourceLine: "" };
    } else {
      const python = isPythonPath(abs);
      const facts = python ? pythonByteFacts(source.raw) : byteFacts(source.raw);
      if (cache && prefilter) cache.stampRead(abs, facts);
      classify(entry, source.raw, facts, total - i - 1);
    }
    if (i % 512 === 0 || i === total - 1) options.onProgress?.({ phase: "read", done: i + 1, total });
  });

  /**
   * A file read again after the walk's read (its bytes were not kept): through the reader's
   * buffer (no stat, no allocation per file); the bytes are valid until the next read. A
   * notebook is read as readSource reads it (up to the plain size limit).
   */
  const readAgain = (abs: string) => (abs.endsWith(".ipynb") ? readSource(abs) : reader.read(abs));
  const textOf = (abs: string): string | undefined => {
    const entry = byAbs.get(abs);
    if (!entry && outside?.has(abs)) {
      const read = readSource(abs);
      return read.kind === "read" ? decode(read.raw).text : undefined;
    }
    if (!entry || entry.status !== "ok") return undefined;
    if (entry.text === undefined) {
      if (entry.raw) return decode(entry.raw).text;
      // Not kept in memory (no Cohere word, no `generate`): read again, only for import paths.
      const again = readAgain(abs);
      return again.kind === "read" ? decode(again.raw).text : undefined;
    }
    return entry.text;
  };
  /** A known file's bytes (from memory, or read again), undefined if unreadable. */
  const rawOf = (abs: string): Buffer | undefined => {
    const entry = byAbs.get(abs);
    if (!entry || entry.status !== "ok") return undefined;
    if (entry.raw) return entry.raw;
    const again = readAgain(abs);
    return again.kind === "read" ? reader.keep(again.raw) : undefined;
  };

  // cohere-ai installed under another name (`"llm": "npm:cohere-ai@7"` in a package.json): a file
  // importing that name names the package as one importing `cohere-ai` does. Only a tree whose
  // package.json files declare such a name pays for this: its other files are read again here.
  if (prefilter) {
    const declares = (manifest: string): boolean => {
      const known = cache?.unchangedFacts(manifest);
      if (known) return known.pkg;
      const source = reader.read(manifest);
      const pkg = source.kind === "read" && mayDeclareCohereAlias(source.raw);
      // Stamped as a source file is (its one fact: whether it may declare a name), so a rerun stats it only.
      cache?.stampRead(manifest, { site: false, cohere: false, pkg, tool: false, named: false });
      return pkg;
    };
    const given = (options.paths.length ? options.paths : ["."]).map((p) => path.resolve(cwd, p));
    const aliases = cohereAliasesOfRun(found.manifests, given, declares).map((name) => Buffer.from(name));
    for (const entry of aliases.length ? files : []) {
      const facts = entry.facts;
      if (entry.status !== "ok" || !facts || facts.pkg || entry.text !== undefined || isPythonPath(entry.abs)) continue;
      const raw = entry.raw ?? (unread.has(entry) ? (readNow(entry) ? entry.raw : undefined) : rawOf(entry.abs));
      if (!raw) continue;
      if (importsCohereAlias(raw, aliases)) classify(entry, raw, { ...facts, pkg: true, named: namesGenerateElsewhere(raw) }, 0);
      else if (!facts.site && !facts.tool) entry.raw = undefined;
    }
  }
  const isCohere = (abs: string): boolean => {
    const entry = byAbs.get(abs);
    if (!entry && outside?.has(abs)) {
      const text = textOf(abs);
      return text !== undefined && textMentionsCohere(text);
    }
    if (!entry?.facts) return false;
    // Only searched while reading in files that hold `generate`; import targets are asked here.
    if (entry.facts.cohere === undefined) {
      const text = textOf(abs);
      entry.facts.cohere = text !== undefined && textMentionsCohere(text);
    }
    return entry.facts.cohere;
  };
  if (prefilter) {
    // --cache: the last run's Python answers, while every module they read and folder they listed is unchanged.
    let pythonMemo: PythonReachMemo | undefined;
    let pythonReach: PythonImportReach | undefined;
    const pythonReaches = (abs: string): boolean => {
      if (!pythonReach) {
        pythonMemo = cache?.pythonReach();
        pythonReach = new PythonImportReach(root, rawOf, runFiles, pythonMemo);
      }
      const kept = pythonMemo?.verdict(abs);
      if (kept !== undefined) return kept;
      const reaches = pythonReach.reachesCohere(abs);
      pythonMemo?.keep(abs, reaches);
      return reaches;
    };
    for (const entry of files) {
      const python = isPythonPath(entry.abs);
      if (entry.status !== "ok" || !entry.facts?.site || (python ? entry.facts.pkg : entry.facts.cohere) || entry.detection || entry.text !== undefined) continue;
      const reaches = python ? !isNotebookPath(entry.abs) && pythonReaches(entry.abs) : reach.reachesCohere(entry.abs);
      // A file --cache did not read (its stamp unchanged) is read now that it is a candidate.
      if (reaches && (entry.raw || readNow(entry))) candidate(entry, 0);
    }
  }
  reading = false;
  if (!pool.usesWorkers && waiting.length >= PARALLEL_THRESHOLD) pool.useWorkers();
  if (!pool.usesWorkers && waiting.some((e) => isPythonPath(e.abs))) loadPythonHere();
  waiting.splice(0).forEach(submit);
  pool.flush();
  progress();
  await Promise.all(detections);

  for (const entry of files) {
    // Files with markers that were not parsed: their markers still count.
    if (entry.status === "ok" && !entry.detection && entry.facts?.tool && entry.raw) {
      const { text, bom } = decode(entry.raw);
      entry.text = text;
      entry.bom = bom;
      entry.detection = isPythonPath(entry.abs) ? pythonEngine().pythonMarkersOnly(entry.abs, text) : markersOnly(text);
    }
    // Bytes of files that were neither parsed nor hold markers are not needed any more.
    if (!entry.detection) entry.raw = undefined;
  }

  // What each file's settled answer read besides the file itself (kept with it in the cache).
  // Only a run that keeps a cache needs them (each is a walk over the file's imports).
  const deps = cache ? new Map<string, Set<string>>() : undefined;
  await settleImportedBySyntax(pool, files, known, reach, textOf, deps);
  // A Python file's text, read now if the prefilter passed it over (a module another hands a client to).
  const pythonText = (entry: Entry): string | undefined => {
    if (entry.text !== undefined) return entry.text;
    if (!entry.raw && !readNow(entry)) return undefined;
    const { text, bom } = decode(entry.raw as Buffer);
    entry.text = text;
    entry.bom = bom;
    return text;
  };
  await settlePythonPasses(files, byAbs, textOf, root, deps, pythonText);
  await settlePython(files, textOf, root, deps);
  // Phase M: receivers imported from other modules, on one project of just the files involved.
  const undecided = files.filter((f) => f.detection && f.detection.undecided.length > 0);
  if (undecided.length) await settleCrossFile(pool, undecided, reach, textOf, root, deps, tsconfigs, aliases);
  // The quiet files' only possible sites, v6 module calls, count only in a package that migrates
  // v6 Generate calls: they are parsed (as any candidate) once the run has found one.
  if (quiet.length && files.some(hasCertainV6Generate)) {
    for (const entry of quiet) if (entry.status === "ok" && (entry.raw || readNow(entry))) candidate(entry, 0);
    waiting.splice(0).forEach(submit);
    pool.flush();
    await Promise.all(detections);
    await settleImportedBySyntax(pool, quiet, known, reach, textOf, deps);
    const open = quiet.filter((f) => f.detection && f.detection.undecided.length > 0);
    if (open.length) await settleCrossFile(pool, open, reach, textOf, root, deps, tsconfigs, aliases);
  }
  if (cache) {
    for (const entry of files) {
      if (entry.status === "ok" && entry.detection && parsedHere.has(entry.abs)) cache.store(entry.abs, detectionKey(entry), entry.detection, [...(deps?.get(entry.abs) ?? [])]);
    }
    cache.unread = unread.size;
    cache.save();
  }
  keepV6ModuleSitesOfMigratingPackages(files);
  // Assigned, not deleted: a delete on thousands of entries turns each into a dictionary-mode object (about 8 ms on langchainjs).
  for (const entry of files) {
    if (entry.facts?.site) entry.namesGenerate = true;
    entry.facts = undefined;
  }
  return {
    files,
    pool,
    resolveBare: (spec, from) => (spec.startsWith(".") || spec.startsWith("/") ? undefined : reach.target(spec, from)),
    packagesImported: (abs) => reach.resolvedThrough(abs).filter((f) => path.basename(f) === "package.json"),
  };
}

/**
 * Calls on receivers imported from the repository's modules that the syntax settle found: each
 * answered from its module when that module plainly exports a client (`export const co = new
 * CohereClient()`) or a class that makes none (`export class Wrapper {}`), as the cross-file
 * project would. A file with any receiver not answered so is
 * detected again by the compiler alone, whose undecided receivers then go to the project.
 */
async function settleImportedBySyntax(
  pool: FilePool,
  files: readonly AnalyzedFile[],
  known: KnownFiles,
  reach: ImportReach,
  textOf: (abs: string) => string | undefined,
  deps: Map<string, Set<string>> | undefined,
): Promise<void> {
  const waiting = files.filter((f) => f.detection?.imported?.length);
  if (!waiting.length) return;
  const { exportedBySyntax } = require("../detect/syntax-settle") as typeof import("../detect/syntax-settle");
  const { setRepoSpecifiers } = require("../detect/specifier") as typeof import("../detect/specifier");
  type Answer = { verdict: "v1" | "v2" | "not" | undefined; read: string[] };
  const answers = new Map<string, Answer>();
  /** The module a specifier of `from` names: relative (the one file it can be), or through the file's aliases. */
  const relative = new Map<string, string | undefined>();
  const targetOf = (spec: string, from: string): string | undefined => {
    if (!spec.startsWith(".")) return reach.target(spec, from);
    // A barrel's modules are asked for each name: resolved once per folder and specifier.
    const key = `${path.dirname(from)}\u0000${spec}`;
    if (!relative.has(key)) relative.set(key, onlyTarget(spec, from, known));
    return relative.get(key);
  };
  const barrels: BarrelReader = { textOf, resolve: targetOf };
  /**
   * What `name`, exported by `target`, is, and the modules read to say so: answered in the module
   * that declares it, found through the barrels that re-export it (barrels.ts).
   */
  const answer = (target: string, name: string, via: "class" | undefined): Answer => {
    const key = `${via ?? "value"}\u0000${name}\u0000${target}`;
    const memo = answers.get(key);
    if (memo) return memo;
    const origin = originOf(barrels, target, name);
    const text = origin && textOf(origin.module);
    let out: Answer = { verdict: undefined, read: origin?.read ?? [target] };
    if (origin && text !== undefined) {
      useCohereAliasesFor([origin.module]);
      setRepoSpecifiers(reach.repoSpecifiers(origin.module, text));
      out = { verdict: exportedBySyntax(origin.module, text, origin.name, via), read: origin.read };
    }
    answers.set(key, out);
    return out;
  };
  const again: Promise<void>[] = [];
  for (const entry of waiting) {
    const detection = entry.detection as FileDetection;
    const imported = detection.imported ?? [];
    delete detection.imported;
    // No import leads to a Cohere module and the file does not import cohere-ai: the project
    // would leave these receivers unknown (settleCrossFile skips such a file). Nothing to report.
    if (!detection.importsCohere && !reach.leadsToCohere(entry.abs)) {
      detection.undecided = [];
      // --cache: the answer holds while none of the files it imports changes (a module that starts
      // exporting a client turns these receivers into Cohere calls).
      deps?.set(entry.abs, reach.imported(entry.abs));
      continue;
    }
    const targets = imported.map((q) => targetOf(q.spec, entry.abs));
    const answered = imported.map((q, i) => (targets[i] === undefined ? undefined : answer(targets[i] as string, q.name, q.via)));
    const verdicts = answered.map((a) => a?.verdict);
    if (verdicts.every((v) => v !== undefined)) {
      // A client keeps its site (of that kind); not a client, as the project finds it, has none.
      const kept = imported.flatMap((q, i) => (verdicts[i] === "not" ? [] : [{ ...q.site, client: verdicts[i] as "v1" | "v2" }]));
      detection.sites = [...detection.sites, ...kept].sort((a, b) => a.start - b.start);
      detection.undecided = [];
      // --cache: the modules read, and what decides where the file's aliases lead.
      deps?.set(entry.abs, new Set([...answered.flatMap((a) => a?.read ?? []), ...reach.resolvedThrough(entry.abs)]));
      continue;
    }
    again.push(
      pool.detectOne({ file: entry.abs, text: entry.text as string, syntax: false, ...(entry.repoSpecifiers ? { repoSpecifiers: entry.repoSpecifiers } : {}) }).then((d) => {
        if (d.ok) entry.detection = d.result;
        else {
          entry.status = "failed";
          entry.error = d.error;
          entry.detection = undefined;
        }
      }),
    );
  }
  pool.flush();
  await Promise.all(again);
}

/**
 * The one repository file a relative specifier can name. Where two could (`./client` with both
 * client.ts and client.js), the compiler's resolution decides, so the syntax path steps aside.
 */
/**
 * The repository's source files beyond the run's (looked up on disk when an import names them):
 * not under node_modules, nor outside the repository.
 */
/** A file not read yet (its own buffer: the walk's reader may hold another file's bytes). */
function bytesNameCohere(abs: string): boolean {
  try {
    // A source file that large is skipped by the read anyway (source.ts's limit).
    return (fs.statSync(abs).size <= 4 * 1024 * 1024) && namesCoherePackage(fs.readFileSync(abs));
  } catch {
    return false;
  }
}

class RepositoryFiles implements KnownFiles {
  private readonly onDisk = new Map<string, boolean>();
  constructor(
    private readonly run: ReadonlySet<string>,
    private readonly root: string,
  ) {}

  has(abs: string): boolean {
    if (this.run.has(abs)) return true;
    let found = this.onDisk.get(abs);
    if (found === undefined) {
      const inside = abs.startsWith(this.root + path.sep) && !abs.includes(`${path.sep}node_modules${path.sep}`);
      found = inside && (fs.statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false);
      this.onDisk.set(abs, found);
    }
    return found;
  }
}

function onlyTarget(spec: string, from: string, known: KnownFiles): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m|c)?(js|ts)x?$/, "");
  const hits = new Set<string>();
  for (const b of new Set([base, stem])) {
    if (known.has(b)) hits.add(b);
    for (const ext of [...SOURCE_EXTENSIONS, ".d.ts"]) {
      if (known.has(b + ext)) hits.add(b + ext);
      if (known.has(path.join(b, `index${ext}`))) hits.add(path.join(b, `index${ext}`));
    }
  }
  return hits.size === 1 ? [...hits][0] : undefined;
}

/**
 * Handles: def answer(co, question): co.generate(...) in qa.py, called as answer(co, q) from a
 * module that made the client (`from qa import answer`): qa.py is read again with that parameter
 * holding the client. qa.py need not import cohere (the prefilter passed it over). Rounds follow a
 * client handed on again (answer passing `co` to a third module), up to four deep.
 */
async function settlePythonPasses(
  files: readonly Entry[],
  byAbs: ReadonlyMap<string, Entry>,
  textOf: (abs: string) => string | undefined,
  root: string,
  deps: Map<string, Set<string>> | undefined,
  pythonText: (entry: Entry) => string | undefined,
): Promise<void> {
  /** Passes of files read here only for them (they hold no call; their detection is not the run's). */
  const extra = new Map<string, readonly PassedClient[]>();
  const passesOf = (entry: Entry): readonly PassedClient[] => extra.get(entry.abs) ?? (entry.detection as PythonDetection | undefined)?.python?.passes ?? [];
  // Modules holding a call but no client of their own (the prefilter passed them over): a module
  // that makes a client and imports one of them may hand it one. Only those are read for passes.
  const orphans = new Set(files.filter((f) => f.status === "ok" && !f.detection && f.facts?.site && isPythonPath(f.abs) && !isNotebookPath(f.abs)).map((f) => f.abs));
  const passers = orphans.size ? files.filter((f) => f.status === "ok" && !f.detection && f.facts?.cohere && isPythonPath(f.abs) && !orphans.has(f.abs)) : [];
  let round = files.filter((f) => passesOf(f).length > 0);
  if (!round.length && !passers.length) return;
  await (require("../python/syntax") as typeof import("../python/syntax")).loadPython();
  const { PythonModules } = require("../python/modules") as typeof import("../python/modules");
  const { detectPythonWith } = require("../python/engine") as typeof import("../python/engine");
  const { pythonImports, pythonModuleFile, isFile } = require("../python/reach") as typeof import("../python/reach");
  const modules = new PythonModules(root, textOf);
  for (const entry of passers) {
    const text = entry.facts?.cohere ? pythonText(entry) : undefined;
    if (text === undefined || !mayImportCohere(text)) continue;
    const importsOrphan = pythonImports(text).some((imp) => {
      const targets = imp.kind === "plain" ? [imp.module, imp.dotted] : [imp.module, ...imp.names.map((n) => (imp.module ? `${imp.module}.${n.name}` : n.name))];
      return targets.some((m) => m !== undefined && orphans.has(pythonModuleFile(root, entry.abs, m, imp.kind === "from" ? imp.level : 0, isFile) ?? ""));
    });
    if (!importsOrphan) continue;
    const read = detectPythonWith(entry.abs, text, new Map());
    const passes = read.ok ? ((read.result as PythonDetection).python.passes ?? []) : [];
    if (passes.length) {
      extra.set(entry.abs, passes);
      round.push(entry);
    }
  }
  if (!round.length) return;
  /** Per module, per function: the parameters handed a client, with each passing file. */
  const params = new Map<string, Map<string, Array<{ index?: number; keyword?: string; type: ClientType }>>>();
  const seen = new Set<string>();
  for (let depth = 0; depth < 4 && round.length; depth++) {
    const changed = new Set<string>();
    for (const entry of round) {
      for (const pass of passesOf(entry)) {
        const target = modules.functionOf(entry.abs, pass.callee);
        if (!target || target.module === entry.abs) continue;
        const type = pass.arg.kind === "client" ? pass.arg.type : modules.clientOf(entry.abs, pass.arg.ref, pass.arg.path);
        if (!type) continue;
        const key = `${target.module}\u0000${target.fn}\u0000${pass.index ?? ""}\u0000${pass.keyword ?? ""}\u0000${type.client}${type.async}`;
        if (!deps?.get(target.module)?.has(entry.abs)) {
          const list = deps?.get(target.module) ?? new Set<string>();
          list.add(entry.abs);
          deps?.set(target.module, list);
        }
        if (seen.has(key)) continue;
        seen.add(key);
        const byFn = params.get(target.module) ?? new Map<string, Array<{ index?: number; keyword?: string; type: ClientType }>>();
        const list = byFn.get(target.fn) ?? [];
        list.push({ ...(pass.index !== undefined ? { index: pass.index } : {}), ...(pass.keyword !== undefined ? { keyword: pass.keyword } : {}), type });
        byFn.set(target.fn, list);
        params.set(target.module, byFn);
        changed.add(target.module);
      }
    }
    const next: Entry[] = [];
    for (const abs of changed) {
      const entry = byAbs.get(abs);
      if (!entry || entry.status !== "ok" || isNotebookPath(abs)) continue;
      const text = pythonText(entry);
      const read = text === undefined ? undefined : detectPythonWith(abs, text, params.get(abs) as ClientParams);
      if (!read?.ok) continue;
      entry.detection = read.result;
      next.push(entry);
    }
    round = next;
  }
}

/** Python receivers imported from other modules of the repository, looked up in those modules. */
async function settlePython(
  files: readonly AnalyzedFile[],
  textOf: (abs: string) => string | undefined,
  root: string,
  deps: Map<string, Set<string>> | undefined,
): Promise<void> {
  const waiting = files.filter((f) => (f.detection as PythonDetection | undefined)?.python?.pending.length);
  if (!waiting.length) return;
  // The modules are parsed here, on the main thread (the files themselves may have been parsed by workers).
  await (require("../python/syntax") as typeof import("../python/syntax")).loadPython();
  const { PythonModules } = require("../python/modules") as typeof import("../python/modules");
  // Modules are parsed once for all files: each file's answer depends on the modules it asked for,
  // which the first file to ask reads. Recorded per file for the cache.
  let asked = new Set<string>();
  const modules = new PythonModules(root, (abs) => {
    asked.add(abs);
    return textOf(abs);
  });
  for (const entry of waiting) {
    // What an earlier step already read for the file (settlePythonPasses: the modules passing it a client) stays.
    asked = new Set<string>(deps?.get(entry.abs) ?? []);
    deps?.set(entry.abs, asked);
    const detection = entry.detection as PythonDetection;
    detection.sites = [...detection.sites, ...modules.settle(entry.abs, detection.python.pending, detection.importsCohere)].sort((a, b) => a.start - b.start);
    detection.python.pending = [];
  }
}

/**
 * Whether a file's own bytes make it a candidate. A Python file that holds a site (`generate`
 * where the detector can report it) and imports cohere is parsed; any other, once its imports are known to lead to a module that does.
 * Notebooks are parsed whenever they hold `generate` (their cells are not followed by import).
 */
function ownCandidate(abs: string, facts: ByteFacts): boolean {
  return isPythonPath(abs) ? facts.site && (facts.pkg || isNotebookPath(abs)) : isOwnCandidate(facts);
}

/**
 * Python files: whether a site (prefilter.ts hasPythonSiteBytes) and `cohere-migrate` appear,
 * and, in a file holding a site and a Cohere word, whether it may import cohere (`pkg`: the only files parsed without their
 * imports leading to a Cohere module).
 */
function pythonByteFacts(raw: Buffer): ByteFacts {
  const site = hasPythonSiteBytes(raw);
  const cohere = mentionsCohere(raw);
  // A file naming a Cohere host may hold a Generate URL (a legacy use for check) without importing cohere.
  // `cohere-migrate` is a mention of Cohere: searched only in the files that make one.
  return { site, cohere, pkg: site && cohere && (namesCohereHost(raw) || mayImportCohere(raw.toString("utf8"))), tool: cohere && raw.includes("cohere-migrate"), named: false };
}

function hasCertainV6Generate(file: AnalyzedFile): boolean {
  return file.detection?.sites.some((s) => s.kind === "v6-generate" && s.certainty === "certain") ?? false;
}

/**
 * `cohere.init(key)` and the other v6 module calls only matter in a package whose v6 Generate
 * calls move it to cohere-ai 8 (where the module API is gone): elsewhere they are v6 code that
 * keeps working, and are neither reported nor rewritten. A package is the folder of the nearest
 * package.json (or the run's own folder when there is none).
 */
function keepV6ModuleSitesOfMigratingPackages(files: readonly AnalyzedFile[]): void {
  const packageOf = new Map<string, string>();
  const nearest = (dir: string): string => {
    const cached = packageOf.get(dir);
    if (cached !== undefined) return cached;
    const parent = path.dirname(dir);
    const found = fs.existsSync(path.join(dir, "package.json")) || parent === dir ? dir : nearest(parent);
    packageOf.set(dir, found);
    return found;
  };
  const withSites = files.filter((f) => f.detection?.sites.some((s) => s.kind === "v6-module"));
  if (!withSites.length) return;
  const migrating = new Set(files.filter(hasCertainV6Generate).map((f) => nearest(path.dirname(f.abs))));
  for (const entry of withSites) {
    if (migrating.has(nearest(path.dirname(entry.abs)))) continue;
    const detection = entry.detection as FileDetection;
    detection.sites = detection.sites.filter((s) => s.kind !== "v6-module");
  }
}

async function settleCrossFile(
  pool: FilePool,
  undecided: AnalyzedFile[],
  reach: ImportReach,
  textOf: (abs: string) => string | undefined,
  root: string,
  deps: Map<string, Set<string>> | undefined,
  tsconfigs: NearestTsconfig,
  aliases: RepositoryAliases,
): Promise<void> {
  // One project per set of module options (a tsconfig's `paths`, the repository's packages): the
  // files resolving their imports alike, with what they import. Keyed by the options, not by the
  // tsconfig.json: a monorepo's packages each have one, mostly with the same aliases (or none), and
  // a project per package would build the shared closure again for each.
  const groups = new Map<string, { options: CompilerPaths | undefined; entries: AnalyzedFile[] }>();
  const keys = new Map<CompilerPaths, string>();
  for (const entry of undecided) {
    const options = compilerPathsOf(aliases.withImports(entry.abs));
    let key = "";
    if (options) {
      key = keys.get(options) ?? JSON.stringify(options);
      keys.set(options, key);
    }
    const group = groups.get(key) ?? { options, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  const configOf = (abs: string): string => path.join(tsconfigs.dirOf(abs) ?? root, "tsconfig.json");
  for (const group of groups.values()) await settleProject({ pool, reach, textOf, deps, configOf }, group.entries, group.options);
}

/** One cross-file project: the files of `undecided`, whose imports resolve with `options`. */
async function settleProject(
  { pool, reach, textOf, deps, configOf }: { pool: FilePool; reach: ImportReach; textOf: (abs: string) => string | undefined; deps: Map<string, Set<string>> | undefined; configOf: (abs: string) => string },
  undecided: AnalyzedFile[],
  options: CompilerPaths | undefined,
): Promise<void> {
  const settle: AnalyzedFile[] = [];
  for (const entry of undecided) {
    const detection = entry.detection as FileDetection;
    // No import leads to a file that mentions Cohere, and the file does not import cohere-ai:
    // the project could only leave these receivers unknown, which reports nothing. Skip it.
    if (!detection.importsCohere && !reach.leadsToCohere(entry.abs)) {
      detection.undecided = [];
      // --cache: the answer holds while none of the files it imports (nor tsconfig.json) changes.
      deps?.set(entry.abs, new Set([...reach.imported(entry.abs), configOf(entry.abs)]));
      continue;
    }
    settle.push(entry);
  }
  if (!settle.length) return;
  // The modules on the way to a Cohere file from any of them, in one walk (one per file was
  // quadratic in a monorepo where every file imports a package re-exporting a client), and the
  // files they import directly: a constant read in a request (`model: MODEL`) is declared there.
  const closure = reach.closureOf(settle.map((e) => e.abs));
  const direct = settle.flatMap((e) => reach.importsOf(e.abs));
  const texts = new Map<string, string>(settle.map((e) => [e.abs, e.text as string]));
  for (const dep of [...closure, ...direct]) {
    const t = textOf(dep);
    if (t !== undefined && !texts.has(dep)) texts.set(dep, t);
  }
  if (deps) {
    // --cache: each answer holds while none of these changes: the project's files, the tsconfig.json
    // whose `paths` decide where alias imports lead, and the package.json of each workspace package
    // a name leads through. One set for the project (a superset of each file's own).
    const mine = new Set([...closure, ...direct]);
    for (const f of [...settle.map((e) => e.abs), ...closure]) for (const d of reach.resolvedThrough(f)) mine.add(d);
    for (const entry of settle) deps.set(entry.abs, new Set([...mine, configOf(entry.abs)]));
  }
  const repoSpecifiers = [...new Set(settle.flatMap((e) => e.repoSpecifiers ?? []))];
  const settled = await pool.settle({
    texts: [...texts],
    settle: settle.map((e) => e.abs),
    ...(options ? { compilerPaths: options } : {}),
    ...(repoSpecifiers.length ? { repoSpecifiers } : {}),
  });
  settle.forEach((entry, i) => {
    const detection = entry.detection as FileDetection;
    detection.sites = settled[i].sites;
    detection.undecided = [];
    detection.suppressed = settled[i].suppressed;
  });
}
