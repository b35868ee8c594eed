/**
 * The prefilter's Python half: a file holding a site (`co.generate`, prefilter.ts
 * hasPythonSiteBytes) but no Cohere word is parsed only when
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
const IMPORTS_COHERE = /(?:^|[;:])[ \t\f]*(?:from[ \t]+cohere\b|import[ \t]+[^\n#]*\bcohere\b)/m;

/** IMPORTS_COHERE, after a plain search: most modules do not say "cohere" at all. */
function importsCohere(text: string): boolean {
  return text.includes("cohere") && IMPORTS_COHERE.test(text);
}

/** An import statement continued with a backslash: IMPORTS_COHERE reads one line, so such a file may import cohere unseen. */
const CONTINUED_IMPORT = /(?:^|[;:])[ \t\f]*(?:import|from)\b[^\n#]*\\\r?\n/m;

/**
 * Whether a module may import the cohere SDK itself. Only such a module can make a client, or
 * have a call on an unknown receiver reported (detect.ts); any other module's calls are on names
 * it imports, which reach.ts follows. Never false where the detector would find an import.
 */
export function mayImportCohere(text: string): boolean {
  // A byte-order mark is not part of the first line (the import regular expressions start at `^`).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return importsCohere(text) || (text.includes("cohere") && CONTINUED_IMPORT.test(text));
}

/** One imported name: `a` in `from m import a`, and what it is bound to here (`b` in `a as b`). */
export interface ImportedName {
  name: string;
  as: string;
}

export type PythonImport =
  /** `from ..pkg.mod import a, b as c` (`star` for `import *`). */
  | { kind: "from"; module: string; level: number; names: ImportedName[]; star: boolean }
  /** `import pkg.mod` (binds `pkg`; `dotted` is `pkg.mod`) or `import pkg.mod as m` (binds the module). */
  | { kind: "plain"; module: string; as: string; dotted?: string };

// An import statement starts a line or follows `;` or `:` (`if x: import y`). `from` imports run
// over several lines when parenthesised or continued with a backslash. Each pattern is tried only
// where its keyword stands after such a start (found with indexOf): a pattern that starts with
// that alternation is tried by the regular expression engine at every character of every module,
// six times slower.
const FROM_IMPORT = /from[ \t]+(\.*)[ \t]*([A-Za-z_][\w.]*)?[ \t]+import[ \t]*(\([^)]*\)|(?:[^\n\\;]|\\\r?\n)*)/y;
const PLAIN_IMPORT = /import[ \t]+((?:[^\n\\;]|\\\r?\n)*)/y;

/** Where a statement that `keyword` starts at `at` would begin: its line's start or the `;`/`:` before it; -1 if none. */
function statementStart(text: string, at: number): number {
  let i = at - 1;
  // A form feed counts as indentation (Emacs page breaks).
  while (i >= 0 && (text[i] === " " || text[i] === "\t" || text[i] === "\f")) i--;
  if (i < 0) return 0;
  const c = text[i];
  if (c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029") return i + 1;
  return c === ";" || c === ":" ? i : -1;
}

/** The matches of a sticky `pattern` (which starts with `keyword`) at statement starts, in order, none overlapping (as a global search finds them). */
function* statementsOf(text: string, keyword: string, pattern: RegExp): Generator<RegExpExecArray> {
  let searchedTo = 0;
  for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) {
    const start = statementStart(text, at);
    if (start < searchedTo || start < 0) continue;
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) continue;
    searchedTo = pattern.lastIndex;
    yield m;
  }
}

function importedNames(list: string): ImportedName[] {
  const out: ImportedName[] = [];
  for (const part of list.replace(/#[^\n]*/g, "").replace(/[()\\]/g, " ").split(",")) {
    const words = part.trim().split(/\s+/);
    const name = words[0];
    if (!/^[A-Za-z_][\w.]*$/.test(name ?? "")) continue;
    out.push({ name, as: words[1] === "as" && words[2] ? words[2] : name });
  }
  return out;
}

/** The imports of a Python module's text, as written. */
export function pythonImports(text: string): PythonImport[] {
  const out: PythonImport[] = [];
  for (const m of statementsOf(text, "from", FROM_IMPORT)) {
    const list = m[3];
    out.push({ kind: "from", module: m[2] ?? "", level: m[1].length, names: importedNames(list), star: /^\s*\*/.test(list) });
  }
  for (const m of statementsOf(text, "import", PLAIN_IMPORT)) {
    for (const { name, as } of importedNames(m[1])) out.push({ kind: "plain", module: as === name ? name.split(".")[0] : name, as: as === name ? name.split(".")[0] : as, ...(as === name && name.includes(".") ? { dotted: name } : {}) });
  }
  return out;
}

/**
 * A map of maps: keys are strings the walk already holds (a folder from dirOf, a module name from a
 * parsed import), whose hashes V8 keeps; a key concatenated per lookup would be hashed afresh on
 * every one of tens of thousands of lookups.
 */
class TwoKeyMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();

  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }

  set(a: string, b: string, value: V): void {
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    inner.set(b, value);
  }
}

/**
 * The names of `class Name` and `Name = Something(...)` lines, indented too (a module-level name
 * may be bound under `if`, `try` or `with`), `Name = (Something(...))` included: classes, and
 * objects of one. More than the module binds at its top is harmless (the detector decides).
 */
function objectNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*(?:class[ \t]+([A-Za-z_]\w*)|([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[\s(\\]*[A-Za-z_][\w.]*[ \t]*\()/gm)) out.add(m[1] ?? m[2] ?? "");
  return out;
}

/** Past this many steps a chain is taken as reaching Cohere (modules.ts follows 8). */
const MAX_STEPS = 24;

interface ModuleFacts {
  /**
   * The module's bytes (BOM removed). Its text is decoded once, for the imports, and not kept:
   * hundreds of modules' texts kept alive were copied by every young-generation collection, a
   * good part of the reach's time on a large Python repository.
   */
  raw: Buffer;
  /** The decoded text of a module that imports cohere (its names are searched in it). */
  text?: string;
  imports: PythonImport[];
  importsCohere: boolean;
  /** `name = other` lines: a name bound to another name (re-exported if that is an import), found per name when first asked. */
  aliases: Map<string, string[]>;
  /** Names the module binds to a class or to an object made by a call (objectNames), found when first asked. */
  objects?: Set<string>;
}

/**
 * Follows, by name, what a file imports to where it is defined, as modules.ts does when it settles
 * a receiver: `from .clients import co` asks `clients.py` for `co`; a module that imports it from
 * elsewhere (or binds it to another imported name) is followed on; a module that defines it can
 * only make a client if it imports cohere. A name a module does not bind may be its submodule.
 * Every step may answer yes where modules.ts would answer no (a name that is merely mentioned), never
 * the other way.
 */
/** pytest's test modules: `test_*.py`, `*_test.py`. */
const PYTEST_MODULE = /^test_.*\.py$|_test\.py$/;

export class PythonImportReach {
  private readonly facts = new Map<string, ModuleFacts | null>();
  private readonly nameMemo = new Map<string, boolean>();
  private readonly moduleMemo = new Map<string, boolean>();
  private readonly active = new Set<string>();
  /** Incremented when a cycle cuts a walk short: answers found meanwhile are not remembered. */
  private cuts = 0;
  private readonly listings = new Map<string, Set<string> | null>();
  private readonly atBase = new TwoKeyMap<string[]>();
  /** By import level, then folder and module. */
  private readonly resolved: Array<TwoKeyMap<string[]>> = [];
  private readonly dirs = new Map<string, string>();
  private readonly heads = new TwoKeyMap<boolean>();
  /** moduleBases by importing folder and level (they depend on nothing else). */
  private readonly bases = new TwoKeyMap<string[]>();

  constructor(
    /** The run's root: absolute imports are looked for at most up to here. */
    private readonly root: string,
    /** Bytes of files the run read; others are read from disk, as modules.ts does. */
    private readonly rawOf: (abs: string) => Buffer | undefined,
    /** Files known to exist (the run's own): asked before the disk. */
    private readonly known: ReadonlySet<string> = new Set(),
    /** Told of every file read and folder listed (what the answers depend on: `--cache`). */
    private readonly observer?: { read(file: string): void; listed(dir: string): void },
  ) {}

  /** Whether something `file` imports can be, or lead to, a Cohere client made in another module. */
  reachesCohere(file: string): boolean {
    const facts = this.factsOf(file);
    if (!facts) return false;
    for (const imp of facts.imports) if (this.importReaches(file, imp, undefined, 0)) return true;
    // A pytest module's test parameters are the fixtures of the conftest.py beside it (detect.ts).
    if (PYTEST_MODULE.test(path.basename(file))) {
      // The conftest.py of its folder and of the folders above it.
      for (let level = 1; level <= 8; level++) {
        const conftest = this.moduleFile(file, "conftest", level);
        if (conftest && this.moduleReaches(conftest, 1)) return true;
        if (path.dirname(file).split(path.sep).length - level < this.root.split(path.sep).length) break;
      }
    }
    return false;
  }

  /** One import of `from`: what it binds (or only the binding named `only`) leads to Cohere. */
  private importReaches(from: string, imp: PythonImport, only: string | undefined, steps: number): boolean {
    if (imp.kind === "plain") {
      if (only !== undefined && imp.as !== only) return false;
      const target = this.moduleFile(from, imp.module, 0);
      return target !== undefined && this.moduleReaches(target, steps + 1);
    }
    // Asked about one name: an import that does not bind it (nor `*`) is passed over unresolved.
    if (only !== undefined && !imp.star && !imp.names.some((n) => n.as === only)) return false;
    const base = imp.module ? this.moduleFile(from, imp.module, imp.level) : imp.level > 0 ? this.moduleFile(from, "", imp.level) : undefined;
    if (imp.star && base && (only === undefined ? this.moduleReaches(base, steps + 1) : this.nameReaches(base, only, steps + 1))) return true;
    for (const { name, as } of imp.names) {
      if (only !== undefined && as !== only) continue;
      if (base && this.nameReaches(base, name, steps + 1)) return true;
      // `from pkg import clients`: the name may be a submodule.
      const sub = this.moduleFile(from, imp.module ? `${imp.module}.${name}` : name, imp.level);
      if (sub && this.moduleReaches(sub, steps + 1)) return true;
    }
    return false;
  }

  /** Whether `name`, as module `file` binds it, can be or lead to a client. */
  private nameReaches(file: string, name: string, steps: number): boolean {
    return this.walk(`${file}\0${name}`, this.nameMemo, steps, () => {
      const facts = this.factsOf(file);
      if (!facts) return false;
      // Defined here (any mention counts): a client or factory only if the module imports cohere.
      if (facts.importsCohere && new RegExp(`(?<![\\w.])${escape(name)}(?!\\w)`).test((facts.text ??= facts.raw.toString("utf8")))) return true;
      for (const imp of facts.imports) if (this.importReaches(file, imp, name, steps)) return true;
      for (const other of aliasesOf(facts, name)) if (this.nameReaches(file, other, steps + 1)) return true;
      // A class, or an object made by a call (`bot = Bot()`): its attributes may hold what any of
      // the module's imports gives (`self.co = make_client()`), read as `bot.co` elsewhere.
      // (moduleReaches is remembered per module, so many names of one module cost one walk.)
      if (facts.imports.length && (facts.objects ??= objectNames(facts.text ?? facts.raw.toString("utf8"))).has(name) && this.moduleReaches(file, steps)) return true;
      return false;
    });
  }

  /** Whether any name module `file` binds (`import pkg.clients` then `pkg.clients.co`) can lead to a client. */
  private moduleReaches(file: string, steps: number): boolean {
    return this.walk(file, this.moduleMemo, steps, () => {
      const facts = this.factsOf(file);
      if (!facts) return false;
      if (facts.importsCohere) return true;
      for (const imp of facts.imports) if (this.importReaches(file, imp, undefined, steps)) return true;
      return false;
    });
  }

  /** Memoised, cycle-safe evaluation: an answer reached while a cycle was cut short is not kept. */
  private walk(key: string, memo: Map<string, boolean>, steps: number, answer: () => boolean): boolean {
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (steps > MAX_STEPS) return true;
    if (this.active.has(key)) {
      this.cuts++;
      return false;
    }
    this.active.add(key);
    const cutsBefore = this.cuts;
    let result: boolean;
    try {
      result = answer();
    } finally {
      this.active.delete(key);
    }
    if (result || this.cuts === cutsBefore) memo.set(key, result);
    return result;
  }

  private factsOf(file: string): ModuleFacts | undefined {
    const cached = this.facts.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const raw = this.read(file);
    if (raw === undefined) {
      this.facts.set(file, null);
      return undefined;
    }
    const text = raw.toString("utf8");
    const cohere = importsCohere(text);
    const facts: ModuleFacts = { raw, ...(cohere ? { text } : {}), imports: pythonImports(text), importsCohere: cohere, aliases: new Map() };
    this.facts.set(file, facts);
    return facts;
  }

  /**
   * pythonModuleFile with what it finds under each base folder remembered: a repository's files
   * import the same modules (often third-party ones, looked for in every folder up to the root).
   */
  private moduleFile(file: string, module: string, level: number): string | undefined {
    if (!module && level === 0) return undefined;
    // Every file of a folder looks in the same places: the files found there, in order, are kept
    // per folder, level and module (the importing file itself is passed over, as Python does).
    const dir = this.dirOf(file);
    // Most absolute imports name third-party packages: nothing named like their first part lies
    // in any folder they would be looked for in, which is known per folder without listing bases.
    if (level === 0 && !this.headAbove(dir, firstPart(module))) return undefined;
    const resolved = (this.resolved[level] ??= new TwoKeyMap());
    let found = resolved.get(dir, module);
    if (found === undefined) {
      found = [];
      const parts = module ? module.split(".") : [];
      let bases = this.bases.get(dir, String(level));
      if (!bases) this.bases.set(dir, String(level), (bases = moduleBases(this.root, file, level)));
      for (const base of bases) {
        let here = this.atBase.get(base, module);
        if (here === undefined) {
          // Nothing under a base folder without an entry named like the module's first part.
          const names = this.listing(base);
          const head = parts[0];
          const possible = names !== null && (head === undefined || names.has(head) || names.has(`${head}.py`));
          here = possible ? moduleCandidates(base, parts).filter((c) => this.isFile(c)) : [];
          this.atBase.set(base, module, here);
        }
        found.push(...here);
        // Two are enough: the first, and the next one for the file that is the first itself.
        if (found.length >= 2) break;
      }
      resolved.set(dir, module, found);
    }
    for (const candidate of found) if (candidate !== file) return candidate;
    return undefined;
  }


  /**
   * Whether `dir`, its `src/`, or a folder above it up to the root (or theirs) holds an entry named
   * `head` or `head.py`: moduleBases' places for an absolute import, remembered per folder.
   */
  private headAbove(dir: string, head: string): boolean {
    const known = this.heads.get(dir, head);
    if (known !== undefined) return known;
    const has = (base: string): boolean => {
      const names = this.listing(base);
      return names !== null && (names.has(head) || names.has(`${head}.py`));
    };
    const parent = path.dirname(dir);
    const last = dir === this.root || !dir.startsWith(this.root) || parent === dir;
    const answer = has(dir) || has(path.join(dir, "src")) || (!last && this.headAbove(parent, head));
    this.heads.set(dir, head, answer);
    return answer;
  }

  private dirOf(file: string): string {
    let dir = this.dirs.get(file);
    if (dir === undefined) {
      dir = path.dirname(file);
      this.dirs.set(file, dir);
    }
    return dir;
  }

  /**
   * Whether a module file exists, from cached folder listings: absolute imports are looked for in
   * every folder up to the root, and a stat per guess made the walk slower than parsing.
   */
  private isFile(p: string): boolean {
    if (this.known.has(p)) {
      // Known from the walk; a later run that reuses the answer checks the folder still lists it.
      this.observer?.listed(path.dirname(p));
      return true;
    }
    const names = this.listing(path.dirname(p));
    return names !== null && names.has(path.basename(p)) && isFile(p);
  }

  /** A folder's names, or null when it does not exist (known from its parent's listing, no error thrown). */
  private listing(dir: string): Set<string> | null {
    let names = this.listings.get(dir);
    if (names !== undefined) return names;
    this.observer?.listed(dir);
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

  private read(file: string): Buffer | undefined {
    this.observer?.read(file);
    let raw = this.rawOf(file);
    if (raw === undefined) {
      try {
        raw = fs.readFileSync(file);
      } catch {
        return undefined;
      }
    }
    return hasBom(raw) ? raw.subarray(3) : raw;
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
      bases.push(d, joined(d, "src"));
      if (d === root || !d.startsWith(root) || path.dirname(d) === d) break;
    }
  }
  return bases;
}

/** The files that would be the module under one base folder: `a/b.py`, then `a/b/__init__.py`. */
function moduleCandidates(base: string, parts: readonly string[]): string[] {
  const stem = parts.length ? joined(base, ...parts) : base;
  return parts.length ? [`${stem}.py`, joined(stem, "__init__.py")] : [joined(stem, "__init__.py")];
}

/**
 * path.join for an absolute, normalised folder and plain names (a module's parts): a separator
 * between them is the same string, without normalising it again (a large share of the reach's
 * time). Anything else (an empty part, `.` or `..`) goes through path.join.
 */
function joined(base: string, ...names: string[]): string {
  if (names.some((n) => n === "" || n === "." || n === ".." || n.includes("/") || n.includes(path.sep))) return path.join(base, ...names);
  return (base.endsWith(path.sep) ? base : base + path.sep) + names.join(path.sep);
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** `name = other` (an annotation and parentheses allowed) filling a line; tried at the start of lines that begin with the name asked. */
const ALIAS_LINE = /[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*\(*[ \t]*([A-Za-z_]\w*)[ \t]*\)*[ \t]*(?:#[^\n]*)?$/my;

/**
 * The names bound to `name` (an ASCII identifier, as imports name them) by lines `name = other`
 * of a module, in order. Searched in the bytes; only a line that starts with the name is decoded,
 * up to its `\n` (ALIAS_LINE never reads past one, and its `$` holds there as before one).
 */
export function aliasTargets(raw: Buffer, name: string): string[] {
  const out: string[] = [];
  for (let at = raw.indexOf(name); at !== -1; at = raw.indexOf(name, at + 1)) {
    let start = at;
    while (start > 0 && (raw[start - 1] === SPACE || raw[start - 1] === TAB)) start--;
    if (!startsLine(raw, start)) continue;
    const end = raw.indexOf(NEWLINE, at);
    ALIAS_LINE.lastIndex = 0;
    const m = ALIAS_LINE.exec(raw.toString("utf8", start, end === -1 ? raw.length : end));
    if (m && m[1] === name) out.push(m[2]);
  }
  return out;
}

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/** Whether `at` starts a line: after `\n`, `\r`, U+2028 or U+2029 (as `^` of a multiline pattern), or at the start. */
function startsLine(raw: Buffer, at: number): boolean {
  if (at === 0) return true;
  const b = raw[at - 1];
  return b === NEWLINE || b === RETURN || ((b === 0xa8 || b === 0xa9) && raw[at - 2] === 0x80 && raw[at - 3] === 0xe2);
}

function hasBom(raw: Buffer): boolean {
  return raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
}

function aliasesOf(facts: ModuleFacts, name: string): string[] {
  let known = facts.aliases.get(name);
  if (!known) facts.aliases.set(name, (known = aliasTargets(facts.raw, name)));
  return known;
}

function firstPart(module: string): string {
  const dot = module.indexOf(".");
  return dot < 0 ? module : module.slice(0, dot);
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
