/**
 * `migrate`: detection, then the registered transforms on every file with a legacy site, then
 * (unless --dry) safe writes and package.json updates. Returns what happened; prints nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DirtyWorkTreeError } from "./errors";
import { DEFAULT_CACHE_LOCATION, openCache, type CacheOptions } from "./engine/cache-open";
import { analyze, isPythonPath, type AnalyzedFile, type ProgressEvent } from "./engine/analyze";
import { applyUpdate, declaresCohere, nearestPackageJson, NEEDS_V2_CLIENT, NEEDS_V8, plannedUpdates, updatedManifest, type DependencyNeed } from "./engine/deps";
import { findingsOf } from "./engine/findings";
import { gitRoot } from "./engine/files";
import { gitState } from "./engine/git";
import { joinNotes, lockNote, staleLockNote } from "./engine/lockfiles";
import { byPath, totalsOf, untouchedResult } from "./engine/results";
import { decode, encode } from "./engine/source";
import type { TransformOutcome } from "./engine/tasks";
import { followAcrossModules, type CrossModuleAnswers } from "./engine/cross-module";
import type { ImportedReturn, PythonReturn } from "./python/transform";
import type { ScriptImportedReturn } from "./transform/kit";
import { writeIfUnchangedOnDisk } from "./engine/write";
import { DEFAULT_MODEL } from "./transform/standalone";
import { helperHomeOf, helperModuleText, type HelperHome, type HelperSyntax } from "./transform/helper-module";
import type { DependencyUpdate, FileResult, MigrateResult } from "./types";
import type { VerifyOutcome } from "./verify";
import { table } from "./tables";
import { readText } from "./engine/read-text";

export interface MigrateOptions {
  cwd?: string;
  paths?: readonly string[];
  dry?: boolean;
  model?: string;
  force?: boolean;
  updateDeps?: boolean;
  ignore?: readonly string[];
  prefilter?: boolean;
  /** Reuse detections of unchanged files from this cache file, and update it (`--cache`). */
  cache?: CacheOptions;
  /** Type-check migrated TypeScript with the repository's tsconfig first; write nothing if it adds errors (unless force). */
  verify?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

/** Versions of cohere-ai the transforms ask for, by what they produced. */
const NEEDS: Readonly<Record<string, DependencyNeed>> = table({ "7.12.0": NEEDS_V2_CLIENT, "8.1.0": NEEDS_V8 });

export async function migrate(options: MigrateOptions = {}): Promise<MigrateResult> {
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths ?? [];
  const dry = options.dry ?? false;
  const model = options.model ?? DEFAULT_MODEL;
  let unguarded: string[] = [];
  if (!dry) {
    const git = gitState(cwd, paths, [DEFAULT_CACHE_LOCATION, ...(options.cache ? [options.cache.location] : [])]);
    unguarded = git.unguarded;
    const dirty = git.trees.filter((t) => t.dirty.length);
    if (dirty.length && !options.force) throw new DirtyWorkTreeError(dirty[0].root, dirty[0].dirty, dirty.slice(1).map((t) => t.root));
  }

  const analysis = await analyze({
    cwd,
    paths,
    ignore: options.ignore,
    prefilter: options.prefilter,
    onProgress: options.onProgress,
    cache: openCache(cwd, options.cache, options.prefilter),
  });
  const work = analysis.files.filter((f) => f.status === "ok" && f.detection?.sites.some((s) => s.certainty === "certain"));
  let done = 0;
  // JavaScript/TypeScript helpers: one module per package and module system (transform/helper-module.ts);
  // a path in another work tree than the run's folder gets its package's module in that tree.
  const scriptHomes = new Map<AnalyzedFile, HelperHome>();
  // Outside any package.json, a file's helpers go to the folder it was given in (the run's paths), not above it.
  const givenDirs = (paths.length ? paths : ["."]).map((p) => path.resolve(cwd, p)).filter((p) => isDirectory(p));
  const givenFolderOf = (abs: string): string => givenDirs.filter((d) => abs.startsWith(d.endsWith(path.sep) ? d : d + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(abs);
  for (const f of work) {
    const home = isPythonPath(f.abs) ? undefined : helperHomeOf(f.abs, f.text as string, gitRoot(path.dirname(f.abs)) ?? cwd, givenFolderOf(f.abs));
    if (home) scriptHomes.set(f, home);
  }
  const task = (f: AnalyzedFile) => {
    const home = scriptHomes.get(f);
    return {
      file: f.abs,
      text: f.text as string,
      sites: (f.detection?.sites ?? []).filter((s) => s.certainty === "certain"),
      options: { model, modelFromFlag: options.model !== undefined, ...(home ? { helperImport: { specifier: home.specifier, syntax: home.syntax } } : {}) },
      ...(f.repoSpecifiers?.length ? { repoSpecifiers: f.repoSpecifiers } : {}),
    };
  };
  const root = gitRoot(cwd) ?? cwd;
  // Files left out by the paths given or by --ignore may import a migrated function too (cross-module.ts).
  const wholeTree = !options.ignore?.length && (paths.length ? paths : ["."]).some((p) => path.resolve(cwd, p) === root);
  const scriptWork = work.filter((f) => !isPythonPath(f.abs));
  const pythonWork = work.filter((f) => isPythonPath(f.abs));
  const progress = (n: number): void => options.onProgress?.({ phase: "migrate", done: (done += n), total: work.length });
  // JavaScript/TypeScript go to the worker pool; Python is migrated on this thread meanwhile (its
  // transforms await between files, so the pool is fed as batches come back).
  const transforming = analysis.pool.transform(scriptWork.map(task), progress);
  const outcomeOf = new Map<AnalyzedFile, TransformOutcome>();
  // Python helper modules by package folder, with the helpers the package's migrated modules call.
  const helperModules = new Map<string, Set<"text" | "delta">>();
  if (pythonWork.length) {
    const { transformPythonFile } = require("./python/engine") as typeof import("./python/engine");
    const { helperHomeOf: pythonHelperHomeOf } = require("./python/helpers") as typeof import("./python/helpers");
    const folders = new Map<string, boolean>();
    const homes = new Map<AnalyzedFile, ReturnType<typeof pythonHelperHomeOf>>();
    const homeOf = (f: AnalyzedFile) => {
      if (!homes.has(f)) homes.set(f, pythonHelperHomeOf(f.abs, f.text as string, gitRoot(path.dirname(f.abs)) ?? cwd, folders));
      return homes.get(f);
    };
    const transformPython = (f: AnalyzedFile, answers: CrossModuleAnswers<ImportedReturn> = {}) => {
      const home = homeOf(f);
      return transformPythonFile({ ...task(f), helperModule: home && { dots: home.dots }, raisePins: options.updateDeps !== false, ...answers });
    };
    for (const f of pythonWork) {
      outcomeOf.set(f, await transformPython(f));
      progress(1);
    }
    // Functions that now return a Chat v2 response: their callers in other modules (engine/cross-module.ts).
    const { importersOf } = require("./python/callers") as typeof import("./python/callers");
    const inWork = new Set(pythonWork);
    const { pythonMarkersOnly } = require("./python/engine") as typeof import("./python/engine");
    const { notebookCode } = require("./python/notebook") as typeof import("./python/notebook");
    const readSource = sourceReader();
    const notebooks = new Map<AnalyzedFile, string | undefined>();
    const readPython = (f: AnalyzedFile) => {
      const source = readSource(f);
      if (source && f.abs.toLowerCase().endsWith(".ipynb") && !notebooks.has(f)) {
        const cells = notebookCode(source.text);
        notebooks.set(f, "python" in cells ? cells.python : undefined);
      }
      return source && { ...source, notebook: notebooks.get(f) };
    };
    const files = analysis.files.filter((f) => f.status === "ok" && isPythonPath(f.abs));
    const byAbs = new Map(files.map((f) => [f.abs, f]));
    await followAcrossModules({
      wholeTree,
      files,
      outcome: (f) => outcomeOf.get(f),
      importersOf: (returns, unresolved) =>
        importersOf(root, returns as ReadonlyMap<string, readonly PythonReturn[]>, [...byAbs.keys()], (abs) => {
          const read = readPython(byAbs.get(abs) as AnalyzedFile);
          return read && (read.notebook ?? read.text);
        }, unresolved),
      transform: async (f, answers) => {
        const read = readPython(f);
        if (!read) return { ok: false, error: { kind: "io", message: "could not be read", line: 1, column: 1, sourceLine: "" } };
        const outcome = await transformPython(Object.assign(f, { text: read.text, raw: read.raw, bom: read.bom }), answers as CrossModuleAnswers<ImportedReturn>);
        // A module with no call of its own is only rewritten when its reads were: else it stays as it was.
        if (inWork.has(f) || (outcome.ok && outcome.changed)) {
          outcomeOf.set(f, outcome);
          if (!inWork.has(f)) {
            inWork.add(f);
            pythonWork.push(f);
            f.detection ??= pythonMarkersOnly(f.abs, read.text);
          }
        }
        return outcome;
      },
    });
    for (const f of pythonWork) {
      const outcome = outcomeOf.get(f);
      const home = homeOf(f);
      if (home && outcome?.ok && outcome.changed && outcome.helpers?.length) {
        const wanted = helperModules.get(home.root) ?? new Set();
        for (const h of outcome.helpers) wanted.add(h);
        helperModules.set(home.root, wanted);
      }
    }
  }
  const outcomes = await transforming;
  scriptWork.forEach((f, i) => outcomeOf.set(f, outcomes[i]));
  if (scriptWork.some((f) => { const o = outcomeOf.get(f); return o?.ok && (o.crossModule?.returns.length || o.crossModule?.modelParams?.length); })) {
    await followScriptCallers(root, analysis.files, scriptWork, outcomeOf, scriptHomes, wholeTree, (f) => helperHomeOf(f.abs, f.text as string, gitRoot(path.dirname(f.abs)) ?? cwd, givenFolderOf(f.abs)), (f, answers) => {
      const t = task(f);
      return analysis.pool.transformOne({ ...t, options: { ...t.options, importedReturns: answers.importedReturns as ScriptImportedReturn[] | undefined, importedModelParams: answers.importedModelParams, followedElsewhere: answers.followedElsewhere && Object.fromEntries(answers.followedElsewhere) } });
    }, analysis.resolveBare);
  }
  markDeepImportsOfRaised(analysis.files, scriptWork, outcomeOf);
  markTestStubs(analysis.files, outcomeOf, root);
  await analysis.pool.close();
  // Script helper modules by path, with the helpers their importers call.
  const scriptModules = new Map<string, { syntax: HelperSyntax; wanted: Set<string> }>();
  for (const f of scriptWork) {
    const outcome = outcomeOf.get(f);
    const home = scriptHomes.get(f);
    if (!home || !outcome?.ok || !outcome.changed || !outcome.scriptHelpers?.length) continue;
    const entry = scriptModules.get(home.module) ?? { syntax: home.moduleSyntax, wanted: new Set<string>() };
    for (const h of outcome.scriptHelpers) entry.wanted.add(h);
    scriptModules.set(home.module, entry);
  }
  const pythonNeeds = new Map<string, string>();
  /** A migrated file each Python manifest governs: where a note about its lock goes. */
  const manifestOwners = new Map<string, FileResult>();

  // --verify: before anything is written, the errors each migrated TypeScript file would add.
  const verification = new Map<AnalyzedFile, VerifyOutcome>();
  if (options.verify) {
    const { isVerifiable, verifyTypeScript } = require("./verify") as typeof import("./verify");
    const changed = work.filter((f) => {
      const o = outcomeOf.get(f);
      return isVerifiable(f.abs) && o?.ok && o.changed;
    });
    const outputs = changed.map((f) => ({ abs: f.abs, before: f.text as string, after: (outcomeOf.get(f) as { output: string }).output }));
    const modules = [...scriptModules].flatMap(([abs, { syntax, wanted }]) => {
      const text = helperModuleText(fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : undefined, wanted, syntax);
      return text === undefined ? [] : [{ abs, text }];
    });
    const results = verifyTypeScript(outputs, gitRoot(cwd) ?? cwd, modules);
    // Python with pyright where the repository configures it (notebooks are not checked).
    const { verifyPython } = require("./verify") as typeof import("./verify");
    const pythonChanged = pythonWork.filter((f) => {
      const o = outcomeOf.get(f);
      return f.abs.endsWith(".py") && o?.ok && o.changed;
    });
    if (pythonChanged.length) {
      const { HELPER_MODULE, helperModuleText } = require("./python/helpers") as typeof import("./python/helpers");
      const created = [...helperModules].flatMap(([root, wanted]) => {
        const abs = path.join(root, `${HELPER_MODULE}.py`);
        const text = helperModuleText(fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : undefined, wanted);
        return text === undefined ? [] : [{ abs, text }];
      });
      const py = verifyPython(pythonChanged.map((f) => ({ abs: f.abs, before: f.text as string, after: (outcomeOf.get(f) as { output: string }).output })), gitRoot(cwd) ?? cwd, created);
      for (const [abs, v] of py) results.set(abs, v);
      changed.push(...pythonChanged);
    }
    const { errorsUnderMarkers } = require("./verify") as typeof import("./verify");
    for (const f of changed) {
      const v = results.get(f.abs);
      if (!v) continue;
      const outcome = outcomeOf.get(f);
      // An error inside a statement migrate marked is what the marker asks to finish: listed, not breaking.
      if (v.verified && v.added.length && isVerifiable(f.abs) && outcome?.ok && outcome.after?.ok) {
        const markers = findingsOf(f.file, outcome.output, outcome.after.result)
          .filter((x) => x.rule.startsWith("marker/"))
          .map((x) => ({ code: x.rule.slice("marker/".length), line: x.span.start.line }));
        const split = errorsUnderMarkers(f.abs, outcome.output, v.added, markers);
        verification.set(f, { ...v, added: split.added, ...(split.untilMarker.length ? { untilMarker: split.untilMarker } : {}) });
      } else verification.set(f, v);
    }
  }
  const breaks = [...verification.values()].some((v) => v.verified && v.added.length > 0);
  // Nothing is written when the migration would break the build, unless --force says so.
  const blocked = breaks && !options.force;
  const write = !dry && !blocked;

  const needs = new Map<string, DependencyNeed>();
  let suppressed = 0;
  const files: FileResult[] = analysis.files.map((entry) => {
    if (entry.status !== "ok" || !entry.detection) return untouchedResult(entry);
    suppressed += entry.detection.suppressed;
    const outcome = outcomeOf.get(entry);
    const before = findingsOf(entry.file, entry.text as string, entry.detection);
    if (!outcome) return untouchedResult(entry, before);
    if (!outcome.ok) return untouchedResult({ ...entry, status: "failed", error: outcome.error });
    const after = outcome.after?.ok ? findingsOf(entry.file, outcome.output, outcome.after.result) : before;
    const result: FileResult = {
      file: entry.file,
      status: outcome.changed ? "changed" : "unchanged",
      migrated: outcome.migrated,
      markersAdded: outcome.markers,
      notes: outcome.notes,
      findings: after,
    };
    if (!outcome.changed) return result;
    // The texts as on disk, BOM included, so that a diff of them applies to the file's bytes.
    const bom = entry.bom ? "\uFEFF" : "";
    result.before = bom + entry.text;
    result.after = bom + outcome.output;
    const verified = verification.get(entry);
    if (verified) result.verify = verified;
    if (write) {
      const written = writeIfUnchangedOnDisk(entry.abs, entry.raw as Buffer, encode(outcome.output, entry.bom ?? false));
      if (!written.ok) {
        // Nothing of it was written: no call migrated, nothing chosen, no marker added there.
        return { ...result, status: "failed", migrated: 0, notes: [], markersAdded: [], error: { kind: "io", message: written.message, line: 1, column: 1, sourceLine: "" } };
      }
    }
    for (const [name, minimum] of outcome.dependencies) {
      if (name === "cohere") {
        // Python: the manifests that govern this file's folder (requirements, pyproject, setup).
        const { pythonManifests } = require("./python/deps") as typeof import("./python/deps");
        for (const manifest of pythonManifests(path.dirname(entry.abs), gitRoot(cwd) ?? cwd)) {
          pythonNeeds.set(manifest, minimum);
          if (!manifestOwners.has(manifest)) manifestOwners.set(manifest, result);
        }
        continue;
      }
      if (name !== "cohere-ai") continue;
      // A monorepo app whose client comes from a workspace package (`import { llm } from "@acme/ai"`)
      // installs no cohere-ai of its own: the packages it imports that install it are raised.
      const own = nearestPackageJson(entry.abs, gitRoot(cwd) ?? path.parse(entry.abs).root);
      const need = NEEDS[minimum];
      for (const pkg of own ? [own] : analysis.packagesImported(entry.abs).filter(installsCohere)) {
        if (need && (!needs.get(pkg) || needs.get(pkg) === NEEDS_V2_CLIENT)) needs.set(pkg, need);
      }
    }
    return result;
  });

  const dependencyUpdates: DependencyUpdate[] = [];
  for (const [pkg, need] of needs) {
    const planned = plannedUpdates(pkg, need);
    if (!planned.length) continue;
    const apply = write && options.updateDeps !== false;
    const before = dry && options.updateDeps !== false ? fs.readFileSync(pkg, "utf8") : undefined;
    const note = lockNote(pkg, gitRoot(cwd) ?? cwd);
    planned.forEach((p, i) => {
      if (apply) applyUpdate(pkg, p.from, p.to, p.name);
      const update: DependencyUpdate = { file: path.relative(cwd, pkg).split(path.sep).join("/") || "package.json", ...p, applied: apply };
      // --dry: the edits the real run writes, for the diff (git apply then leaves nothing behind): all on the file's first update.
      if (before !== undefined && i === 0) Object.assign(update, { before, after: planned.reduce((text, u) => updatedManifest(text, u.from, u.to, u.name), before) });
      if (note && i === 0) update.note = note;
      dependencyUpdates.push(update);
    });
  }

  if (pythonNeeds.size) {
    const { planPythonUpdate, applyPythonUpdate } = require("./python/deps") as typeof import("./python/deps");
    for (const [manifest, minimum] of pythonNeeds) {
      const text = readText(manifest);
      if (text === undefined) continue;
      const planned = planPythonUpdate(manifest, text, minimum);
      if (!planned) {
        // Handles: Pipfile `cohere = "*"` beside a Pipfile.lock that pins 4.45: the range needs no
        // raise, but `pipenv sync` installs what the lock says.
        const stale = staleLockNote(manifest, gitRoot(cwd) ?? cwd, minimum);
        const owner = manifestOwners.get(manifest);
        if (stale && owner && !owner.notes.some((n) => n.message === stale)) owner.notes.push({ kind: "info", message: stale, span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
        continue;
      }
      const apply = write && options.updateDeps !== false;
      if (apply) applyPythonUpdate(planned);
      const update: DependencyUpdate = { file: path.relative(cwd, manifest).split(path.sep).join("/"), name: planned.name, from: planned.from, to: planned.to, applied: apply };
      if (dry && options.updateDeps !== false) Object.assign(update, { before: text, after: planned.text });
      const note = joinNotes(planned.note, lockNote(manifest, gitRoot(cwd) ?? cwd));
      if (note) update.note = note;
      dependencyUpdates.push(update);
    }
  }

  const addModule = (abs: string, text: (before: string | undefined) => string | undefined): void => {
    const file = path.relative(cwd, abs).split(path.sep).join("/");
    const at = files.findIndex((f) => f.file === file);
    files.splice(at === -1 ? files.length : at, at === -1 ? 0 : 1, helperModuleResult(abs, file, text, !write));
  };
  for (const [root, wanted] of helperModules) {
    const { HELPER_MODULE, helperModuleText: pythonModuleText } = require("./python/helpers") as typeof import("./python/helpers");
    addModule(path.join(root, `${HELPER_MODULE}.py`), (before) => pythonModuleText(before, wanted));
  }
  for (const [abs, { syntax, wanted }] of scriptModules) addModule(abs, (before) => helperModuleText(before, wanted, syntax));

  files.sort(byPath);
  const result: MigrateResult = { command: "migrate", dryRun: dry, cwd, model, files, dependencyUpdates, unguarded: unguarded.length > 0, totals: totalsOf(files, suppressed) };
  if (unguarded.length) result.unguardedPaths = unguarded;
  if (options.verify) result.verify = { checked: [...verification.values()].filter((v) => v.verified).length, breaking: [...verification.values()].filter((v) => v.verified && v.added.length).length, blocked };
  return result;
}

/** The tracked `.vue`, `.svelte`, `.astro` and `.mdx` files of a git work tree (none without git). */
function frameworkFiles(root: string): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--", "*.vue", "*.svelte", "*.astro", "*.mdx"], { cwd: root, encoding: "utf8" });
  if (listed.status !== 0 || !listed.stdout) return [];
  return listed.stdout.split("\0").filter(Boolean).map((f) => path.join(root, f));
}

/**
 * A file's text for the cross-module step, read once: what the analysis kept, else read again from
 * disk (a file that holds no Cohere word was not kept, and may import a migrated function).
 */
function sourceReader(): (f: AnalyzedFile) => { text: string; raw: Buffer; bom: boolean } | undefined {
  const texts = new Map<AnalyzedFile, { text: string; raw: Buffer; bom: boolean } | undefined>();
  return (f) => {
    if (!texts.has(f)) {
      let raw = f.raw;
      try {
        raw ??= fs.readFileSync(f.abs);
      } catch {
        raw = undefined;
      }
      const decoded = raw && (f.text !== undefined ? { text: f.text, bom: f.bom ?? false } : decode(raw));
      texts.set(f, raw && decoded ? { ...decoded, raw } : undefined);
    }
    return texts.get(f);
  };
}

/**
 * Exported JavaScript/TypeScript functions that now return a Chat v2 response: their callers in
 * the run's other modules are migrated again with those calls followed (engine/cross-module.ts).
 * A module with no call of its own joins the work only when its reads were rewritten.
 */
async function followScriptCallers(
  root: string,
  all: readonly AnalyzedFile[],
  scriptWork: AnalyzedFile[],
  outcomeOf: Map<AnalyzedFile, TransformOutcome>,
  homes: Map<AnalyzedFile, HelperHome>,
  wholeTree: boolean,
  homeOf: (f: AnalyzedFile) => HelperHome | undefined,
  transform: (f: AnalyzedFile, answers: CrossModuleAnswers) => Promise<TransformOutcome>,
  /** Where a tsconfig alias or workspace package name leads (analyze.ts). */
  resolveBare: (spec: string, from: string) => string | undefined,
): Promise<void> {
  const { escapeRegExp, scriptImportersOf } = require("./engine/script-callers") as typeof import("./engine/script-callers");
  const { returnKey } = require("./engine/cross-module") as typeof import("./engine/cross-module");
  const files = all.filter((f) => f.status === "ok" && !isPythonPath(f.abs));
  const byAbs = new Map(files.map((f) => [f.abs, f]));
  const inWork = new Set(scriptWork);
  const read = sourceReader();
  await followAcrossModules({
    wholeTree,
    files,
    outcome: (f) => outcomeOf.get(f),
    importersOf: (returns, unresolved) => {
      const importers = scriptImportersOf(returns, [...byAbs.keys()], (abs) => read(byAbs.get(abs) as AnalyzedFile)?.text, unresolved, resolveBare);
      // Components the run does not read (`.vue`, `.svelte`, `.astro`, `.mdx`) may call them too.
      const others = frameworkFiles(root);
      for (const [module, fns] of returns) {
        for (const fn of fns) {
          const word = new RegExp(`(?<![\\w$])${escapeRegExp(fn.name)}(?![\\w$])`);
          if (others.some((file) => word.test(readText(file) ?? ""))) unresolved.add(returnKey(module, fn.name));
        }
      }
      return importers;
    },
    transform: async (f, answers) => {
      const source = read(f);
      if (!source) return { ok: false, error: { message: "could not be read", line: 1, column: 1, sourceLine: "" } };
      Object.assign(f, { text: source.text, raw: source.raw, bom: source.bom });
      if (!homes.has(f)) {
        const home = homeOf(f);
        if (home) homes.set(f, home);
      }
      const outcome = await transform(f, answers);
      if (inWork.has(f) || (outcome.ok && outcome.changed)) {
        outcomeOf.set(f, outcome);
        if (!inWork.has(f)) {
          inWork.add(f);
          scriptWork.push(f);
          f.detection ??= { sites: [], undecided: [], importsCohere: false, markers: [], suppressed: 0, ignoreFile: false };
        }
      }
      return outcome;
    },
  });
}

/**
 * In each package whose cohere-ai migrate raises to 8 (for its v6 calls), imports of paths the
 * package no longer exports (engine/deep-imports.ts), in any of the run's files there: marked,
 * in the migrated text of a file migrate changed, or as a change of its own in one it did not.
 */
function markDeepImportsOfRaised(all: readonly AnalyzedFile[], scriptWork: AnalyzedFile[], outcomeOf: Map<AnalyzedFile, TransformOutcome>): void {
  const stopAt = (abs: string): string => gitRoot(path.dirname(abs)) ?? path.parse(abs).root;
  const raised = new Set<string>();
  for (const f of scriptWork) {
    const o = outcomeOf.get(f);
    const pkg = o?.ok && o.dependencies.some(([name, minimum]) => name === "cohere-ai" && minimum === NEEDS_V8.minimum) ? nearestPackageJson(f.abs, stopAt(f.abs)) : undefined;
    if (pkg) raised.add(pkg);
  }
  if (!raised.size) return;
  const { markDeepImports } = require("./engine/deep-imports") as typeof import("./engine/deep-imports");
  const { detectTask } = require("./engine/tasks") as typeof import("./engine/tasks");
  const { hasIgnoreFile, ignoredLines, LineMap } = require("./markers") as typeof import("./markers");
  const read = sourceReader();
  for (const f of all) {
    if (f.status !== "ok" || isPythonPath(f.abs)) continue;
    const o = outcomeOf.get(f);
    if (o && !o.ok) continue;
    const source = o ? undefined : read(f);
    const text = o ? o.output : source?.text;
    if (!text?.includes("cohere-ai/") || !raised.has(nearestPackageJson(f.abs, stopAt(f.abs)) ?? "")) continue;
    const marked = !hasIgnoreFile(text) && markDeepImports(text, ignoredLines(text));
    if (!marked) continue;
    const lines = new LineMap(marked.output);
    const markers = marked.at.map((offset) => ({ code: "deep-import", message: "", span: lines.span(offset, offset) }));
    const after = detectTask({ file: f.abs, text: marked.output, repoSpecifiers: f.repoSpecifiers });
    if (o) {
      outcomeOf.set(f, { ...o, output: marked.output, changed: true, markers: [...o.markers, ...markers], after });
      continue;
    }
    if (!source) continue;
    Object.assign(f, { text: source.text, raw: source.raw, bom: source.bom });
    f.detection ??= { sites: [], undecided: [], importsCohere: true, markers: [], suppressed: 0, ignoreFile: false };
    outcomeOf.set(f, { ok: true, output: marked.output, changed: true, migrated: 0, markers, notes: [], dependencies: [], after, scriptHelpers: [] });
    scriptWork.push(f);
  }
}

/**
 * Test files that stub generate for code migrate rewrote get a test-double marker on each stub
 * (engine/test-doubles.ts): the stub is no longer called, and check stays red until the test
 * stubs the Chat method.
 */
function markTestStubs(all: readonly AnalyzedFile[], outcomeOf: Map<AnalyzedFile, TransformOutcome>, root: string): void {
  const migrated = [...outcomeOf].filter(([, o]) => o.ok && o.migrated > 0).map(([f]) => f);
  if (!migrated.length) return;
  const { isTestFile, markTestDoubles } = require("./engine/test-doubles") as typeof import("./engine/test-doubles");
  const modules = (python: boolean): string[] => migrated.filter((f) => isPythonPath(f.abs) === python).map((f) => path.relative(root, f.abs).replace(/\.[^./\\]+$/, "").split(path.sep).join("/"));
  const byLanguage = { python: modules(true), script: modules(false) };
  // A JavaScript test runs in its package: only the packages of the migrated files are looked in
  // (langchainjs has hundreds of tests naming its own LLM's generate elsewhere).
  const packages = new Set(migrated.filter((f) => !isPythonPath(f.abs)).map((f) => path.dirname(nearestPackageJson(f.abs, root) ?? path.join(root, "package.json"))));
  const inPackage = (abs: string): boolean => [...packages].some((dir) => abs.startsWith(dir + path.sep));
  const read = sourceReader();
  for (const f of all) {
    // Only a test whose bytes name generate where a stub could (the prefilter's facts) is read; and
    // a Python test of a migrated Python module's repository, whose fake client may define its own
    // generate (`def generate(self, **kw)`: no `.generate` the prefilter looks for).
    if (f.status !== "ok" || !isTestFile(f.abs) || (!isPythonPath(f.abs) && !inPackage(f.abs))) continue;
    if (!f.namesGenerate && !(isPythonPath(f.abs) ? byLanguage.python.length && definesGenerate(f.abs) : byLanguage.script.length && holdsGenerations(f.abs))) continue;
    const mods = isPythonPath(f.abs) ? byLanguage.python : byLanguage.script;
    const o = outcomeOf.get(f);
    if (!mods.length || (o && !o.ok)) continue;
    const source = o ? undefined : read(f);
    const text = o?.ok ? o.output : source?.text;
    const marked = text === undefined ? undefined : markTestDoubles(f.abs, text, mods);
    if (!marked) continue;
    const markers = marked.lines.map((line) => ({ code: "test-double", message: "", span: { start: { line, column: 1 }, end: { line, column: 1 } } }));
    if (o?.ok) {
      outcomeOf.set(f, { ...o, output: marked.output, changed: true, markers: [...o.markers, ...markers] });
      continue;
    }
    if (!source) continue;
    Object.assign(f, { text: source.text, raw: source.raw, bom: source.bom });
    f.detection ??= { sites: [], undecided: [], importsCohere: false, markers: [], suppressed: 0, ignoreFile: false };
    outcomeOf.set(f, { ok: true, output: marked.output, changed: true, migrated: 0, markers, notes: [], dependencies: [], after: undefined, scriptHelpers: [] });
  }
}

/** Whether a script test's bytes hold a Generate-shaped fixture (`generations: [`): a fetch mock's body, a manual mock's value. */
function holdsGenerations(abs: string): boolean {
  return /\bgenerations\s*:\s*\[\s*\{/.test(readText(abs, "latin1") ?? "");
}

/** Whether a file's bytes define a method named generate (a test's fake client). */
function definesGenerate(abs: string): boolean {
  return /\bdef\s+generate\s*\(\s*self\b/.test(readText(abs, "latin1") ?? "");
}

/**
 * The package's Python helper module, created or extended with the helpers its migrated modules
 * call (see python/helpers.ts). Written like any migrated file: never over a change made on disk.
 */
function helperModuleResult(abs: string, file: string, textOf: (before: string | undefined) => string | undefined, dry: boolean): FileResult {
  let raw: Buffer | undefined;
  try {
    raw = fs.readFileSync(abs);
  } catch {
    raw = undefined;
  }
  const before = raw?.toString("utf8");
  const after = textOf(before);
  const base: FileResult = { file, status: "unchanged", migrated: 0, markersAdded: [], notes: [], findings: [] };
  if (after === undefined) return base;
  base.helperModule = true;
  const result: FileResult = { ...base, status: "changed", before: before ?? "", after, ...(raw ? {} : { created: true }) };
  if (dry) return result;
  if (raw) {
    const written = writeIfUnchangedOnDisk(abs, raw, Buffer.from(after, "utf8"));
    return written.ok ? result : { ...result, status: "failed", error: { kind: "io", message: written.message, line: 1, column: 1, sourceLine: "" } };
  }
  try {
    // "wx": never over a file that appeared since it was looked for.
    fs.writeFileSync(abs, after, { flag: "wx" });
    return result;
  } catch (e) {
    return { ...result, status: "failed", error: { kind: "io", message: `cannot create: ${(e as Error).message}`, line: 1, column: 1, sourceLine: "" } };
  }
}

/** Whether a package.json installs cohere-ai (one that does not parse does not). */
function installsCohere(pkg: string): boolean {
  try {
    return declaresCohere(JSON.parse(fs.readFileSync(pkg, "utf8").replace(/^\uFEFF/, "")) as Parameters<typeof declaresCohere>[0]);
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
