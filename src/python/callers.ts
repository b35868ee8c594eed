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
import { returnKey } from "../engine/cross-module";
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
    // Handles: sys.path.insert(0, "app/sub"); from llm import ask, and importlib.import_module("app.sub.llm"):
    // an import naming the module's own name that resolves elsewhere (or nowhere) may be it.
    const namedModules = new Set<string>();
    for (const imp of pythonImports(text)) {
      const dotted = imp.kind === "plain" ? (imp.dotted ?? imp.module) : imp.module;
      namedModules.add(dotted.split(".").pop() ?? "");
      if (imp.kind === "from") for (const n of imp.names) namedModules.add(n.name);
    }
    for (const m of text.matchAll(/import_module\(\s*["']([\w.]+)["']/g)) namedModules.add(m[1].split(".").pop() ?? "");
    for (const [module, fns] of returns) {
      const stem = path.basename(module) === "__init__.py" ? path.basename(path.dirname(module)) : path.basename(module, ".py");
      const byName = namedModules.has(stem) && !found.some((f) => returns.get(module)?.some((fn) => f.key === returnKey(module, fn.name)));
      // Any other mention of the function's name in a file no followed import accounts for (a
      // getattr, a mock, a module imported some way not read here) leaves it unresolved too.
      if (module === abs) continue;
      for (const fn of fns) {
        const key = returnKey(module, fn.name);
        if (!found.some((f) => f.key === key) && new RegExp(`(?<!\\w)${fn.name}(?!\\w)`).test(text)) unresolved.add(key);
      }
      if (!byName && !packagesOf.get(module)?.some((init) => reached.has(init))) continue;
      for (const fn of fns) {
        const key = returnKey(module, fn.name);
        if (new RegExp(`(?<!\\w)${fn.name}(?!\\w)`).test(text) && !found.some((f) => f.key === key)) unresolved.add(key);
      }
    }
  }
  return out;
}



