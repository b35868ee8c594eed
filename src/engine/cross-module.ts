/**
 * Functions whose return value migration changed (a Generate response became a Chat v2 response)
 * and their calls in other modules, for both languages: after every file's first migration, the
 * modules that import such a function are migrated again with its calls followed as the value
 * (python/callers.ts, engine/script-callers.ts find them), and then the function's own module, whose
 * "update its callers" marker becomes a note when every importer was followed. A function of an
 * importer that returns such a call is a return of its own: chains are followed round by round.
 */
import type { TransformOutcome } from "./tasks";

/** A function that now returns a Chat v2 response, as its module's migration reports it. */
export interface Returned {
  name: string;
  /** What the value is, for the importer's transform; opaque here. */
  kind: { is: string };
  isAsync: boolean;
}

/** A call target of another module's function, as an importing module names it. */
export interface Imported {
  callee: string;
  kind: { is: string };
  isAsync: boolean;
  /** `returnKey(module, name)`. */
  key: string;
}

/**
 * A public function whose parameter its migrated call sends as Chat's model (`def ask(prompt,
 * model): co.generate(model=model)`): a caller in another module passing a retired Generate model
 * (`ask(p, "command-nightly")`) would get a 404 from Chat, so that literal is replaced there.
 */
export interface ModelParam {
  /** The function, as other modules import it. */
  name: string;
  /** The parameter, as a keyword argument names it. */
  param: string;
  /** Its position among positional arguments; -1 when it can only be passed by name. */
  index: number;
  /** TypeScript: the parameter is an object pattern, and the model is this property of it. */
  property?: string;
  /** The parameter is read for more than the model (a log line, a price table): a retired value passed is marked, not replaced. */
  shared: boolean;
}

/** A ModelParam of another module's function, as an importing module calls it. */
export interface ImportedModelParam extends ModelParam {
  callee: string;
}

/** What a module is migrated with besides its own sites. */
export interface CrossModuleAnswers<I extends Imported = Imported> {
  importedReturns?: I[];
  followedElsewhere?: Map<string, string[]>;
  importedModelParams?: ImportedModelParam[];
}

export interface CrossModuleRun<F extends { abs: string; file: string }> {
  /**
   * Whether the run's files are all of the root's: otherwise importers outside the run may call
   * the functions, which then keep their "update its callers" marker (their calls inside are still followed).
   */
  wholeTree: boolean;
  /** The run's files of the language that were read. */
  files: readonly F[];
  outcome(f: F): TransformOutcome | undefined;
  /**
   * The files (by absolute path) that import `returns`' functions, with how each names them; a
   * function a file may reach another way than these is added to `unresolved` (its key).
   */
  importersOf(returns: ReadonlyMap<string, readonly Returned[]>, unresolved: Set<string>): Map<string, Imported[]>;
  /** Migrates `f` (again) with these answers; its outcome is the run's from then on. */
  transform(f: F, answers: CrossModuleAnswers): Promise<TransformOutcome>;
}

/** At most this many rounds: a chain of wrappers longer than this keeps its marker. */
const ROUNDS = 5;

export function returnKey(module: string, name: string): string {
  return `${module}#${name}`;
}

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
  await passModelParams(run, byAbs, redo);
  for (let round = 0; round < ROUNDS; round++) {
    const returns = new Map<string, Returned[]>();
    for (const f of run.files) {
      const o = run.outcome(f);
      if (o?.ok && o.crossModule?.returns.length) returns.set(f.abs, o.crossModule.returns);
    }
    if (!returns.size) return;
    const unresolved = new Set<string>();
    const importers = run.importersOf(returns, unresolved);
    let changed = false;
    for (const [abs, imported] of importers) {
      const f = byAbs.get(abs);
      if (!f || sameImported(answers.get(f)?.importedReturns, imported)) continue;
      await redo(f, { importedReturns: imported });
      changed = true;
    }
    // A function is followed elsewhere when each importer followed every reference to it, and some called it.
    const followers = new Map<string, string[]>();
    const blocked = new Set<string>(unresolved);
    for (const [abs, imported] of importers) {
      const f = byAbs.get(abs);
      const o = f && run.outcome(f);
      const followed = o?.ok ? o.crossModule?.importedFollowed : undefined;
      for (const imp of imported) {
        const r = followed?.get(imp.key);
        if (!r?.all || !f) blocked.add(imp.key);
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

/**
 * The importers of functions that send a parameter as the model: migrated again with those
 * functions' calls, whose retired model literals are replaced (or marked). Once: migration does not
 * add such parameters, so there is no chain to follow.
 */
async function passModelParams<F extends { abs: string; file: string }>(run: CrossModuleRun<F>, byAbs: ReadonlyMap<string, F>, redo: (f: F, change: CrossModuleAnswers) => Promise<void>): Promise<void> {
  const params = new Map<string, readonly ModelParam[]>();
  for (const f of run.files) {
    const o = run.outcome(f);
    if (o?.ok && o.crossModule?.modelParams?.length) params.set(f.abs, o.crossModule.modelParams);
  }
  if (!params.size) return;
  const byKey = new Map<string, ModelParam>();
  const asReturns = new Map<string, Returned[]>();
  for (const [abs, ps] of params) {
    asReturns.set(abs, ps.map((p) => ({ name: p.name, kind: { is: "model-param" }, isAsync: false })));
    for (const p of ps) byKey.set(returnKey(abs, p.name), p);
  }
  // Who else may call them does not matter here: a caller not followed is one not helped, as before.
  for (const [abs, imported] of run.importersOf(asReturns, new Set())) {
    const f = byAbs.get(abs);
    const calls = imported.flatMap((imp) => {
      const p = byKey.get(imp.key);
      return p ? [{ ...p, callee: imp.callee }] : [];
    });
    if (f && calls.length) await redo(f, { importedModelParams: calls });
  }
}

/** Whether two lists of imported returns ask the same of a module (the same callees and keys). */
function sameImported(a: readonly Imported[] | undefined, b: readonly Imported[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((x, i) => x.callee === b[i].callee && x.key === b[i].key && x.kind.is === b[i].kind.is);
}

function sameFollowers(a: ReadonlyMap<string, readonly string[]> | undefined, b: ReadonlyMap<string, readonly string[]>): boolean {
  if (!a) return b.size === 0;
  if (a.size !== b.size) return false;
  for (const [name, files] of b) if (a.get(name)?.join("\n") !== files.join("\n")) return false;
  return true;
}
