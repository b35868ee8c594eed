/**
 * The prefilter's Python half: a file holding `generate` but no Cohere word is parsed only when
 * its imports lead, through modules of the repository, to one that imports cohere. That is the
 * only way such a file can hold a Cohere call: a client made elsewhere (`from .clients import co`)
 * comes from a module that imports cohere, and an unknown receiver is only reported in a file
 * that imports cohere itself. Imports are read with a regular expression, which may find more
 * than Python would (a string that looks like an import), never fewer: the parser decides after.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A module that imports the cohere SDK: the only kind that can make a client (detect.ts knows the
 * client classes only through such imports), and so where every chain of imports to one ends.
 */
const IMPORTS_COHERE = /^[ \t]*(?:from[ \t]+cohere\b|import[ \t]+[^\n#]*\bcohere\b)/m;

export interface PythonImport {
  module: string;
  level: number;
  /** Names imported from the module: each may be a submodule (`from pkg import clients`). */
  names: string[];
}

// `from ..pkg.mod import (a, b as c)`, over several lines when parenthesised or continued.
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)[ \t]*([A-Za-z_][\w.]*)?[ \t]+import[ \t]*(\([^)]*\)|(?:[^\n\\]|\\\r?\n)*)/gm;
// `import pkg.mod, other as o`
const PLAIN_IMPORT = /^[ \t]*import[ \t]+((?:[^\n\\]|\\\r?\n)*)/gm;

function names(list: string): string[] {
  return list
    .replace(/[()\\]/g, " ")
    .replace(/#[^\n]*/g, "")
    .split(",")
    .map((part) => part.trim().split(/\s+/)[0])
    .filter((name) => /^[A-Za-z_][\w.]*$/.test(name));
}

/** The imports of a Python module's text, as written. */
export function pythonImports(text: string): PythonImport[] {
  const out: PythonImport[] = [];
  for (const m of text.matchAll(FROM_IMPORT)) out.push({ module: m[2] ?? "", level: m[1].length, names: names(m[3]) });
  for (const m of text.matchAll(PLAIN_IMPORT)) for (const module of names(m[1])) out.push({ module, level: 0, names: [] });
  return out;
}

export class PythonImportReach {
  /** Settled answers. */
  private readonly memo = new Map<string, boolean>();
  private readonly targetsCache = new Map<string, string[]>();
  private readonly listings = new Map<string, Set<string> | null>();
  private readonly atBase = new Map<string, string[]>();

  constructor(
    /** The run's root: absolute imports are looked for at most up to here. */
    private readonly root: string,
    /** Texts of files the run read; others are read from disk, as modules.ts does. */
    private readonly textOf: (abs: string) => string | undefined,
    /** Files known to exist (the run's own): asked before the disk. */
    private readonly known: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Whether a module that `file` imports, directly or through other modules, imports cohere: a
   * breadth-first walk over every module reachable from it (no depth limit, so never fewer than the
   * chains modules.ts follows). A file whose walk found Cohere marks every module on the way as
   * reaching it too, so later walks stop there.
   */
  reachesCohere(file: string): boolean {
    const settled = this.memo.get(file);
    if (settled !== undefined) return settled;
    // Each module reached, with the module that imported it: on a "yes", the chain back to `file`
    // reaches Cohere too, and later walks stop where they meet it.
    const via = new Map<string, string | undefined>([[file, undefined]]);
    const queue = [file];
    let found: string | undefined;
    for (let i = 0; i < queue.length && found === undefined; i++) {
      for (const target of this.targets(queue[i])) {
        if (via.has(target)) continue;
        via.set(target, queue[i]);
        const text = this.read(target);
        if (text === undefined) continue;
        if (this.memo.get(target) === true || IMPORTS_COHERE.test(text)) {
          found = target;
          break;
        }
        if (this.memo.get(target) !== false) queue.push(target);
      }
    }
    if (found === undefined) {
      // Every module reachable from `file` reaches no more than it does: "no" holds for all of them.
      for (const module of via.keys()) this.memo.set(module, false);
      return false;
    }
    for (let m = via.get(found); m !== undefined; m = via.get(m)) this.memo.set(m, true);
    return true;
  }

  /** The repository modules a file imports (each name of a `from` import may be a submodule). */
  private targets(file: string): string[] {
    const cached = this.targetsCache.get(file);
    if (cached) return cached;
    const text = this.read(file);
    if (text === undefined) return [];
    const imports = pythonImports(text);
    const out = new Set<string>();
    for (const imp of imports) {
      for (const module of [imp.module, ...imp.names.map((n) => (imp.module ? `${imp.module}.${n}` : n))]) {
        if (!module && imp.level === 0) continue;
        const target = this.moduleFile(file, module, imp.level);
        if (target) out.add(target);
      }
    }
    const targets = [...out];
    this.targetsCache.set(file, targets);
    return targets;
  }

  /**
   * pythonModuleFile with what it finds under each base folder remembered: a repository's files
   * import the same modules (often third-party ones, looked for in every folder up to the root).
   */
  private moduleFile(file: string, module: string, level: number): string | undefined {
    const parts = module ? module.split(".") : [];
    for (const base of moduleBases(this.root, file, level)) {
      const key = `${base}\0${module}`;
      let found = this.atBase.get(key);
      if (found === undefined) {
        // Nothing under a base folder without an entry named like the module's first part.
        const names = this.listing(base);
        const head = parts[0];
        const possible = names !== null && (head === undefined || names.has(head) || names.has(`${head}.py`));
        found = possible ? moduleCandidates(base, parts).filter((c) => this.isFile(c)) : [];
        this.atBase.set(key, found);
      }
      for (const candidate of found) if (candidate !== file) return candidate;
    }
    return undefined;
  }

  /**
   * Whether a module file exists, from cached folder listings: absolute imports are looked for in
   * every folder up to the root, and a stat per guess made the walk slower than parsing.
   */
  private isFile(p: string): boolean {
    if (this.known.has(p)) return true;
    const names = this.listing(path.dirname(p));
    return names !== null && names.has(path.basename(p)) && isFile(p);
  }

  /** A folder's names, or null when it does not exist (known from its parent's listing, no error thrown). */
  private listing(dir: string): Set<string> | null {
    let names = this.listings.get(dir);
    if (names !== undefined) return names;
    const parent = path.dirname(dir);
    if (parent !== dir && dir.startsWith(this.root + path.sep)) {
      const above = this.listing(parent);
      if (above === null || !above.has(path.basename(dir))) {
        this.listings.set(dir, null);
        return null;
      }
    }
    try {
      names = new Set(fs.readdirSync(dir));
    } catch {
      names = null;
    }
    this.listings.set(dir, names);
    return names;
  }

  private read(file: string): string | undefined {
    const known = this.textOf(file);
    if (known !== undefined) return known;
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  }
}

/**
 * The file of a module, as the importing file would find it: relative imports from its package,
 * absolute ones from the folders above it (up to `root`) and their `src/`. Shared with the
 * prefilter (reach.ts), so both follow the same imports.
 */
export function pythonModuleFile(root: string, from: string, module: string, level: number, exists: (file: string) => boolean): string | undefined {
  const parts = module ? module.split(".") : [];
  for (const base of moduleBases(root, from, level)) {
    for (const candidate of moduleCandidates(base, parts)) {
      if (candidate !== from && exists(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The folders a module is looked for in, in Python's order for this importing file. */
function moduleBases(root: string, from: string, level: number): string[] {
  const bases: string[] = [];
  if (level > 0) {
    let base = path.dirname(from);
    for (let i = 1; i < level; i++) base = path.dirname(base);
    bases.push(base);
  } else {
    for (let d = path.dirname(from); ; d = path.dirname(d)) {
      bases.push(d, path.join(d, "src"));
      if (d === root || !d.startsWith(root) || path.dirname(d) === d) break;
    }
  }
  return bases;
}

/** The files that would be the module under one base folder: `a/b.py`, then `a/b/__init__.py`. */
function moduleCandidates(base: string, parts: readonly string[]): string[] {
  const stem = path.join(base, ...parts);
  return parts.length ? [`${stem}.py`, path.join(stem, "__init__.py")] : [path.join(stem, "__init__.py")];
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
