/**
 * Callers in other modules of a function migration changed: `def ask(p): return co.generate(...)`
 * in `app/llm.py` now returns a Chat v2 response, and `from app.llm import ask` then
 * `ask(p).generations[0].text` in `app/main.py` would raise AttributeError. The importing modules
 * are found as Python finds the module (reach.ts's pythonModuleFile) and migrated again with those
 * functions' calls followed as the value (transform.ts `importedReturns`); a function whose every
 * importer was followed gets a note instead of the "update its callers" marker. A function of an
 * importer that returns such a call is a return of its own, so chains are followed round by round.
 */
import * as path from "node:path";
import { isFile, pythonImports, pythonModuleFile } from "./reach";
import type { TransformOutcome } from "../engine/tasks";
import type { ImportedReturn, PythonReturn } from "./transform";

/** The functions each module (by absolute path) returns a Chat v2 response from. */
export type ReturnsByModule = ReadonlyMap<string, readonly PythonReturn[]>;

/**
 * The calls each Python file of the run makes to `returns`' functions, as it names them:
 * `from app.llm import ask [as a]`, `from app import llm` / `import app.llm as llm` then `llm.ask`,
 * `from app.llm import *`. `pythonOf` gives a file's Python source (a notebook's code cells), or
 * undefined when the file cannot be read.
 */
export function importersOf(root: string, returns: ReturnsByModule, files: readonly string[], pythonOf: (abs: string) => string | undefined, unresolved: Set<string> = new Set()): Map<string, ImportedReturn[]> {
  const out = new Map<string, ImportedReturn[]>();
  const names = new Set<string>();
  for (const fns of returns.values()) for (const fn of fns) names.add(fn.name);
  if (!names.size) return out;
  // The packages above each module (`app/__init__.py` for app/llm.py): an import of one of them
  // may reach the function another way (`import app` then `app.llm.ask`, a re-export).
  const packagesOf = new Map<string, string[]>();
  for (const module of returns.keys()) {
    const inits: string[] = [];
    for (let dir = path.dirname(module); dir.startsWith(root) && isFile(path.join(dir, "__init__.py")); dir = path.dirname(dir)) {
      inits.push(path.join(dir, "__init__.py"));
      if (dir === root) break;
    }
    packagesOf.set(module, inits);
  }
  for (const abs of files) {
    const text = pythonOf(abs);
    if (text === undefined || ![...names].some((n) => text.includes(n))) continue;
    const found: ImportedReturn[] = [];
    const add = (module: string | undefined, callee: (fn: PythonReturn) => string, only?: string): void => {
      if (!module || module === abs) return;
      for (const fn of returns.get(module) ?? []) {
        if (only === undefined || only === fn.name) found.push({ callee: callee(fn), kind: fn.kind, isAsync: fn.isAsync, key: returnKey(module, fn.name) });
      }
    };
    const moduleFile = (module: string, level: number): string | undefined => pythonModuleFile(root, abs, module, level, isFile);
    for (const imp of pythonImports(text)) {
      if (imp.kind === "plain") {
        // `import llm`, `import app.llm as llm`, and `import app.llm` (which binds `app`: its
        // functions, and `app.llm.ask` through the submodule).
        add(moduleFile(imp.module, 0), (fn) => `${imp.as}.${fn.name}`);
        if (imp.dotted) add(moduleFile(imp.dotted, 0), (fn) => `${imp.dotted}.${fn.name}`);
        continue;
      }
      const target = moduleFile(imp.module, imp.level);
      if (imp.star) add(target, (fn) => fn.name);
      for (const { name, as } of imp.names) {
        if (target && returns.get(target)?.some((fn) => fn.name === name)) add(target, () => as, name);
        // `from app import llm`: the name is a module.
        else add(moduleFile(imp.module ? `${imp.module}.${name}` : name, imp.level), (fn) => `${as}.${fn.name}`);
      }
    }
    if (found.length) out.set(abs, found);
    // Handles: import app; app.llm.ask(...), from app import ask (re-exported by app/__init__.py):
    // a function this file names, through a package of its module, is not followed; it keeps its marker.
    const reached = new Set<string>();
    for (const imp of pythonImports(text)) {
      const target = imp.kind === "plain" ? moduleFile(imp.module, 0) : moduleFile(imp.module, imp.level);
      if (target) reached.add(target);
    }
    for (const [module, fns] of returns) {
      if (module === abs || !packagesOf.get(module)?.some((init) => reached.has(init))) continue;
      for (const fn of fns) {
        const key = returnKey(module, fn.name);
        if (new RegExp(`(?<!\\w)${fn.name}(?!\\w)`).test(text) && !found.some((f) => f.key === key)) unresolved.add(key);
      }
    }
  }
  return out;
}

export function returnKey(module: string, name: string): string {
  return `${module}#${name}`;
}

/** Whether two lists of imported returns ask the same of a module (the same callees and keys). */
export function sameImported(a: readonly ImportedReturn[] | undefined, b: readonly ImportedReturn[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((x, i) => x.callee === b[i].callee && x.key === b[i].key && x.kind.is === b[i].kind.is);
}

/** What a module is migrated with besides its own sites. */
export interface CrossModuleAnswers {
  importedReturns?: ImportedReturn[];
  followedElsewhere?: Map<string, string[]>;
}

export interface CrossModuleRun<F extends { abs: string; file: string }> {
  /** The run's root: absolute imports are looked for at most up to here. */
  root: string;
  /**
   * Whether the run's files are all of the root's: otherwise importers outside the run may call
   * the functions, which then keep their "update its callers" marker (their calls inside are still followed).
   */
  wholeTree: boolean;
  /** The run's Python files that were read. */
  files: readonly F[];
  outcome(f: F): TransformOutcome | undefined;
  /** A file's Python source, or undefined when it cannot be read. */
  pythonOf(f: F): string | undefined;
  /** Migrates `f` (again) with these answers; its outcome is the run's from then on. */
  transform(f: F, answers: CrossModuleAnswers): Promise<TransformOutcome>;
}

/** At most this many rounds: a chain of wrappers longer than this keeps its marker. */
const ROUNDS = 5;

/**
 * Migrates the importers of functions that now return a Chat v2 response, and then those
 * functions' modules, until nothing more changes (each round reaches one more link of a chain).
 */
export async function followAcrossModules<F extends { abs: string; file: string }>(run: CrossModuleRun<F>): Promise<void> {
  const byAbs = new Map(run.files.map((f) => [f.abs, f]));
  const answers = new Map<F, CrossModuleAnswers>();
  const redo = async (f: F, change: CrossModuleAnswers): Promise<void> => {
    const next = { ...answers.get(f), ...change };
    answers.set(f, next);
    await run.transform(f, next);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const returns = new Map<string, PythonReturn[]>();
    for (const f of run.files) {
      const o = run.outcome(f);
      if (o?.ok && o.crossModule?.returns.length) returns.set(f.abs, o.crossModule.returns);
    }
    if (!returns.size) return;
    const unresolved = new Set<string>();
    const importers = importersOf(run.root, returns, [...byAbs.keys()], (abs) => run.pythonOf(byAbs.get(abs) as F), unresolved);
    let changed = false;
    for (const [abs, imported] of importers) {
      const f = byAbs.get(abs) as F;
      if (sameImported(answers.get(f)?.importedReturns, imported)) continue;
      await redo(f, { importedReturns: imported });
      changed = true;
    }
    // A function is followed elsewhere when each importer followed every reference to it, and some called it.
    const followers = new Map<string, string[]>();
    const blocked = new Set<string>(unresolved);
    for (const [abs, imported] of importers) {
      const f = byAbs.get(abs) as F;
      const o = run.outcome(f);
      const followed = o?.ok ? o.crossModule?.importedFollowed : undefined;
      for (const imp of imported) {
        const r = followed?.get(imp.key);
        if (!r?.all) blocked.add(imp.key);
        else if (r.calls && !followers.get(imp.key)?.includes(f.file)) followers.set(imp.key, [...(followers.get(imp.key) ?? []), f.file]);
      }
    }
    for (const [abs, fns] of returns) {
      const elsewhere = new Map<string, string[]>();
      for (const fn of fns) {
        const key = returnKey(abs, fn.name);
        const by = followers.get(key);
        if (by && !blocked.has(key)) elsewhere.set(fn.name, [...by].sort());
      }
      const f = byAbs.get(abs) as F;
      if (!run.wholeTree) elsewhere.clear();
      if (sameFollowers(answers.get(f)?.followedElsewhere, elsewhere)) continue;
      await redo(f, { followedElsewhere: elsewhere });
      changed = true;
    }
    if (!changed) return;
  }
}

function sameFollowers(a: ReadonlyMap<string, readonly string[]> | undefined, b: ReadonlyMap<string, readonly string[]>): boolean {
  if (!a) return b.size === 0;
  if (a.size !== b.size) return false;
  for (const [name, files] of b) if (a.get(name)?.join("\n") !== files.join("\n")) return false;
  return true;
}
