/**
 * Which files a run reads: source files under the given paths, minus .gitignore'd ones (nested
 * files too), node_modules and --ignore globs.
 *
 * Symbolic links found while walking are never followed, so a walk cannot loop (a link to a
 * parent folder) or leave the paths given (a link to a folder or file elsewhere). A link whose
 * target lies inside the given paths needs no following: the target is read at its own path. Each
 * link to a folder or source file is listed as skipped, with where it points. A path given on the
 * command line is taken as given, even when it is itself a link.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import { UsageError } from "../errors";
import { readText } from "./read-text";

export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);
/** Python sources and Jupyter notebooks (their code cells), read beside the JavaScript ones. */
export const PYTHON_SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([".py", ".pyw", ".ipynb"]);

/** Folders never walked: installed packages and version-control data. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__", ".venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ipynb_checkpoints", "site-packages"]);

export interface Skipped {
  file: string;
  reason: string;
}

/**
 * What a walk keeps of a folder it read (`--cache`), so that the next walk can take the folder's
 * answer without reading it: its stamp and what it found there. A folder's modification time
 * changes whenever an entry is added, removed or renamed in it, so an unchanged stamp means the
 * same entries; the ignore rules that decided them are checked apart (`rules`).
 */
export interface FolderStamp {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** Source files taken and subfolders walked, by name, in walk order. */
  files: string[];
  dirs: string[];
  /** The folder has a .gitignore of its own. */
  ignore?: true;
  /** The folder has a package.json of its own (where an npm alias of cohere-ai is declared). */
  manifest?: true;
  /** The folder has a tsconfig.json of its own (whose `paths` its files' imports resolve through). */
  tsconfig?: true;
  /**
   * Which ignore rules decided the answer: a hash of the memo's key and the text of every
   * .gitignore from the walk's start down to this folder's own.
   */
  rules: string;
}

export interface FolderMemo {
  /** The folder's stamp from the last walk. */
  get(dir: string): FolderStamp | undefined;
  /** Keeps a folder's stamp for the next walk (not one changed too recently to tell apart). */
  keep(dir: string, stamp: FolderStamp): void;
  hash(text: string): string;
}

/** A walk's memo, with the rules id of the folder at hand (FolderStamp.rules). */
interface Folders {
  memo: FolderMemo;
  rules: string;
}

export interface Discovery {
  /** Absolute paths, in a stable order. */
  files: string[];
  skipped: Skipped[];
  /** The package.json files of the folders walked (npm-alias.ts reads the names cohere-ai is installed under). */
  manifests: string[];
  /** The folders walked that hold a tsconfig.json (the nearest one above a file gives its import aliases). */
  tsconfigs: string[];
}

interface IgnoreLayer {
  base: string;
  /** All the rules, asked about whole paths (built on first use: a split layer rarely needs them). */
  readonly rules: Ignore;
  /** The .gitignore's text (what a FolderMemo's key and stamps hold of it). */
  text: string;
  /** The same rules grouped by the paths they can reach; absent when they cannot be (negations, escapes). */
  split?: SplitRules;
  /**
   * A layer that cannot be split (negations): what each rule's last part needs of an entry's name
   * (`**\/src/**\/*.js`: to end in `.js`); undefined when some rule may match any name. Built on first use.
   */
  readonly lastNames: ReadonlyArray<NameEnds> | undefined;
}

/**
 * A .gitignore without negations, its rules grouped by what they can match. The walk never enters
 * an ignored folder, so a path it asks about has no ignored parent, and then a rule can only match
 * the path itself: a rule without a slash matches by the last name alone (answered once per name),
 * an anchored rule (`/dist`, `examples/*\/build`) only a path of as many parts as it has (`*` does not
 * cross a slash), and only a rule with `**` can match at any depth. The `ignore` package still
 * decides each match; this only avoids asking it about rules that cannot match.
 *
 * A .gitignore that cannot be split (negations: `**\/*.js` then `!**\/src/**\/*.js`, as
 * langchainjs' root one) is asked whole, but only about a name that fits some rule's last part
 * (IgnoreLayer.lastNames): for any other entry the package's answer is its folder's when that is
 * ignored, else none. langchainjs' walk: 39 ms to 28 ms.
 */
interface SplitRules {
  /**
   * Rules that are a plain name (no glob character), by lower-cased name (the `ignore` package
   * matches without case by default): `dist`, `.env`; `dirNames` those written with a trailing
   * slash, which match folders only. A set answers them without the package's matcher.
   */
  names: Set<string>;
  dirNames: Set<string>;
  /**
   * The same plain-name rules for the `ignore` package, asked about a name that is not ASCII: its
   * case-insensitive match is not `toLowerCase` (the Kelvin sign K lower-cases to k, but does not
   * match k there). Built on first use.
   */
  readonly plain: Ignore;
  /** The other rules without a slash (`*.log`, `.env.*`), matched by the last name alone. */
  byName: Ignore | undefined;
  /** Each by-name rule's literal start and end (undefined: any name may match it); a name with neither is not asked. */
  nameEnds: Array<NameEnds | undefined>;
  byDepth: Map<number, DepthRules>;
  anyDepth: Ignore | undefined;
  /** The by-name answer per last name, of files and of folders. */
  named: Map<string, boolean>;
  namedDirs: Map<string, boolean>;
}

/**
 * The anchored rules of one depth, and each one's parts as literal lower-cased names (undefined
 * for a part with a glob character): a path whose parts differ from every rule's literal ones
 * (`packages/ai/src` against `packages/ai/docs`) cannot match, and the matcher is not asked.
 */
interface DepthRules {
  rules: Ignore;
  literals: Array<Array<string | undefined>>;
}

const GLOB_CHAR = /[*?[\]\\]/;
/** Only ASCII names are compared here: their case folds the same way in the matcher's regular expressions. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** What a name must start and end with to match a one-part glob (`*.log`: end `.log`), lower-cased. */
interface NameEnds {
  start: string;
  end: string;
}

/**
 * The literal start and end of a pattern without a slash: `*`, `?` and a `[...]` class each match
 * within the name, so a name that matches holds the text before the first of them at its start
 * and the text after the last at its end. Undefined when that cannot be read plainly (non-ASCII,
 * an unclosed bracket).
 */
function nameEnds(line: string): NameEnds | undefined {
  const pattern = line.trimEnd().replace(/\/$/, "");
  if (!PRINTABLE_ASCII.test(pattern) || pattern.includes("[") !== pattern.includes("]")) return undefined;
  // Brackets count wherever they stand (a stray one is the matcher's to read).
  const first = pattern.search(/[*?[\]]/);
  if (first === -1) return undefined;
  let last = -1;
  for (let i = pattern.length - 1; i >= 0 && last === -1; i--) if ("*?[]".includes(pattern[i])) last = i;
  return { start: pattern.slice(0, first).toLowerCase(), end: pattern.slice(last + 1).toLowerCase() };
}

/** Whether `name` cannot match any rule whose ends are all known (compared without case, as the `ignore` package does). */
function missesNameEnds(name: string, ends: readonly (NameEnds | undefined)[]): boolean {
  let lower: string | undefined;
  for (const e of ends) {
    if (!e) return false;
    if (e.start.length + e.end.length > name.length) continue;
    lower ??= name.toLowerCase();
    if (lower.startsWith(e.start) && lower.endsWith(e.end)) return false;
  }
  return true;
}

/** Whether `rel` differs from a rule's literal parts somewhere (compared as the `ignore` package does, without case). */
function missesLiterals(rel: string, parts: readonly (string | undefined)[]): boolean {
  let from = 0;
  for (const part of parts) {
    const slash = rel.indexOf("/", from);
    const end = slash === -1 ? rel.length : slash;
    if (part !== undefined && (end - from !== part.length || rel.slice(from, end).toLowerCase() !== part)) return true;
    from = end + 1;
  }
  return false;
}

/** A pattern that is a plain name: no glob or special character, no leading space (which git keeps). */
const PLAIN_NAME = /^[^\s*?[\]!\\/][^*?[\]\\/]*$/;

function splitRules(text: string): SplitRules | undefined {
  const byName: string[] = [];
  const plain: string[] = [];
  const names = new Set<string>();
  const dirNames = new Set<string>();
  const byDepth = new Map<number, string[]>();
  const anyDepth: string[] = [];
  // A byte-order mark inside the text (the file's own was removed when it was read) is part of its
  // line for the `ignore` package, but not for a rule added alone: asked whole.
  if (text.includes("\uFEFF")) return undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    // A negation can re-include below an ignored folder; an escape is not worth reading here.
    if (line.startsWith("!") || line.includes("\\")) return undefined;
    const pattern = line.trimEnd().replace(/\/$/, "");
    if (pattern === "" || pattern === "/") return undefined;
    if (pattern.includes("**")) anyDepth.push(line);
    else if (!pattern.includes("/") && PLAIN_NAME.test(pattern) && PRINTABLE_ASCII.test(pattern)) {
      (line.trimEnd().endsWith("/") ? dirNames : names).add(pattern.toLowerCase());
      plain.push(line);
    }
    else if (!pattern.includes("/")) byName.push(line);
    else {
      const depth = pattern.replace(/^\//, "").split("/").length;
      const group = byDepth.get(depth);
      if (group) group.push(line);
      else byDepth.set(depth, [line]);
    }
  }
  let plainRules: Ignore | undefined;
  return {
    names,
    dirNames,
    get plain(): Ignore {
      return (plainRules ??= ignore().add(plain));
    },
    byName: byName.length ? ignore().add(byName) : undefined,
    nameEnds: byName.map(nameEnds),
    byDepth: new Map(
      [...byDepth].map(([depth, lines]) => [
        depth,
        {
          rules: ignore().add(lines),
          literals: lines.map((line) =>
            line
              .trimEnd()
              .replace(/\/$/, "")
              .replace(/^\//, "")
              .split("/")
              .map((part) => (GLOB_CHAR.test(part) || !PRINTABLE_ASCII.test(part) ? undefined : part.toLowerCase())),
          ),
        },
      ]),
    ),
    anyDepth: anyDepth.length ? ignore().add(anyDepth) : undefined,
    named: new Map(),
    namedDirs: new Map(),
  };
}

/**
 * What one layer asks of the entries of one folder, worked out once for the folder: the folder's
 * path below the layer's (`relDir`, posix, "" at the layer's own folder) and, for split rules, the
 * anchored rules an entry there can match (those of its depth whose literal parent parts are the
 * folder's), with the literal last part each needs.
 */
interface LayerView {
  layer: IgnoreLayer;
  relDir: string;
  /** An unsplit layer's last-name needs (IgnoreLayer.lastNames), when the walk may use them here. */
  lastNames?: ReadonlyArray<NameEnds>;
  /** The layer's answer for this folder itself (what an entry no rule can match gets), once asked. */
  folderIgnored?: boolean;
  /** Split rules, when the walk may use them here. */
  split?: SplitRules;
  depthRules?: { rules: Ignore; lastParts: Array<string | undefined> };
}

/** Whether a relative path leads out of its base (`..`, `../x`); `..odd/x` is a folder named "..odd" inside it. */
export function isOutside(rel: string): boolean {
  return rel === ".." || rel.startsWith("../") || rel.startsWith(`..${path.sep}`);
}

/** The views of `layers` from a folder `dir` below all of them (a layer the folder is not below is passed over). */
function folderViews(layers: readonly IgnoreLayer[], dir: string, split: boolean, byLastName: boolean): LayerView[] {
  const views: LayerView[] = [];
  for (const layer of layers) {
    // A base that ends in a separator is a file-system root ("/", "C:\\").
    const relDir = dir === layer.base ? "" : posixRel(dir.slice(layer.base.endsWith(path.sep) ? layer.base.length : layer.base.length + 1));
    if (isOutside(relDir)) continue;
    const view: LayerView = { layer, relDir };
    // Exact with or without an ignored folder above (ignoredIn asks the folder then), so also where
    // the split rules cannot be used.
    if (byLastName && !(split && layer.split)) {
      const lastNames = layer.lastNames;
      if (lastNames) view.lastNames = lastNames;
    }
    if (split && layer.split) {
      view.split = layer.split;
      const depth = relDir === "" ? 1 : relDir.split("/").length + 1;
      const group = layer.split.byDepth.get(depth);
      if (group) {
        const lastParts: Array<string | undefined> = [];
        for (const parts of group.literals) if (!missesLiterals(relDir, parts.slice(0, -1))) lastParts.push(parts[parts.length - 1]);
        if (lastParts.length) view.depthRules = { rules: group.rules, lastParts };
      }
    }
    views.push(view);
  }
  return views;
}

/**
 * The name rules of a chain of split layers, together: without negations a path is ignored when
 * any layer ignores it, so one set answers every layer's plain names, and only the layers whose
 * glob ends let a name through ask their matcher. Kept per chain (every folder below the same
 * .gitignore files shares one).
 */
interface ChainNames {
  names: Set<string>;
  dirNames: Set<string>;
  globs: SplitRules[];
  /** Layers with rules that read more than the name (by depth, at any depth). */
  pathRules: boolean;
}

const chainNames = new WeakMap<readonly IgnoreLayer[], ChainNames>();

function namesOf(layers: readonly IgnoreLayer[]): ChainNames {
  let chain = chainNames.get(layers);
  if (!chain) {
    chain = { names: new Set(), dirNames: new Set(), globs: [], pathRules: false };
    for (const { split } of layers) {
      if (!split) continue;
      for (const n of split.names) chain.names.add(n);
      for (const n of split.dirNames) chain.dirNames.add(n);
      if (split.byName) chain.globs.push(split);
      if (split.byDepth.size || split.anyDepth) chain.pathRules = true;
    }
    chainNames.set(layers, chain);
  }
  return chain;
}

/** Whether a split layer's glob names (`*.log`) ignore `name`; answers kept per name, for files and folders apart. */
function globIgnores(split: SplitRules, name: string, isDir: boolean): boolean {
  if (!split.byName || missesNameEnds(name, split.nameEnds)) return false;
  // Folders and files apart (a rule ending in a slash matches folders only): no string built per ask.
  const named = isDir ? split.namedDirs : split.named;
  let byName = named.get(name);
  if (byName === undefined) {
    byName = split.byName.test(isDir ? `${name}/` : name).ignored;
    named.set(name, byName);
  }
  return byName;
}

/**
 * Whether an entry `name` of the folder the views were made for is ignored (git's rule: the
 * deepest layer with an opinion decides; split layers have no negations, so only ignore).
 * `chain`: every view is split and the chain's names answer for them all.
 */
function ignoredIn(views: readonly LayerView[], chain: ChainNames | undefined, name: string, isDir: boolean): boolean {
  // A name that is not ASCII is not answered from the lower-cased sets (see SplitRules.plain).
  const ascii = PRINTABLE_ASCII.test(name);
  if (chain && ascii) {
    const lower = name.toLowerCase();
    if (chain.names.has(lower) || (isDir && chain.dirNames.has(lower))) return true;
    for (const split of chain.globs) if (globIgnores(split, name, isDir)) return true;
    if (!chain.pathRules) return false;
    for (const { relDir, split, depthRules } of views) {
      let full: string | undefined;
      const fullPath = (): string => (full ??= (relDir ? `${relDir}/${name}` : name) + (isDir ? "/" : ""));
      if (depthRules && depthRules.lastParts.some((part) => part === undefined || part === lower) && depthRules.rules.test(fullPath()).ignored) return true;
      if (split?.anyDepth?.test(fullPath()).ignored) return true;
    }
    return false;
  }
  let lower: string | undefined;
  for (let i = views.length - 1; i >= 0; i--) {
    const view = views[i];
    const { layer, relDir, split, depthRules } = view;
    let full: string | undefined;
    const fullPath = (): string => (full ??= (relDir ? `${relDir}/${name}` : name) + (isDir ? "/" : ""));
    if (!split && view.lastNames && ascii && missesNameEnds(name, view.lastNames)) {
      // No rule can match the entry itself: the `ignore` package answers with the folder's result
      // when the folder is ignored (nothing is re-included below an ignored folder), else none.
      if (relDir && (view.folderIgnored ??= layer.rules.test(`${relDir}/`).ignored)) return true;
      continue;
    }
    if (!split) {
      const result = layer.rules.test(fullPath());
      if (result.ignored) return true;
      if (result.unignored) return false;
      continue;
    }
    if (split.names.size || split.dirNames.size || depthRules) {
      lower ??= name.toLowerCase();
      if (ascii ? split.names.has(lower) || (isDir && split.dirNames.has(lower)) : split.plain.test(isDir ? `${name}/` : name).ignored) return true;
    }
    if (globIgnores(split, name, isDir)) return true;
    if (depthRules && depthRules.lastParts.some((part) => part === undefined || part === lower) && depthRules.rules.test(fullPath()).ignored) return true;
    if (split.anyDepth?.test(fullPath()).ignored) return true;
  }
  return false;
}

export function isSourceFile(file: string): boolean {
  // path.extname's answer, without its parsing (asked once per file a walk lists): the part from
  // the last dot of the last name, none for a name that only starts with a dot.
  const dot = file.lastIndexOf(".");
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf(path.sep));
  if (dot <= slash + 1) return false;
  const ext = file.slice(dot);
  if (SOURCE_EXTENSIONS.has(ext) || PYTHON_SOURCE_EXTENSIONS.has(ext)) return true;
  const lower = ext.toLowerCase();
  return lower !== ext && (SOURCE_EXTENSIONS.has(lower) || PYTHON_SOURCE_EXTENSIONS.has(lower));
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

function posixRel(p: string): string {
  return path.sep === "/" ? p : toPosix(p);
}

/** A .gitignore's text, without the byte-order mark git skips (editors on Windows write one); undefined if unreadable. */
function readIgnoreText(file: string): string | undefined {
  const text = readText(file);
  return text?.startsWith("\uFEFF") ? text.slice(1) : text;
}

function readIgnoreFile(file: string, base: string): IgnoreLayer | undefined {
  const text = readIgnoreText(file);
  return text === undefined ? undefined : ignoreLayer(text, base);
}

function ignoreLayer(text: string, base: string): IgnoreLayer {
  const split = splitRules(text);
  let rules: Ignore | undefined;
  let lastNames: ReadonlyArray<NameEnds> | null | undefined;
  return {
    base,
    get rules(): Ignore {
      return (rules ??= ignore().add(text));
    },
    ...(split ? { split } : {}),
    text,
    get lastNames(): ReadonlyArray<NameEnds> | undefined {
      if (lastNames === undefined) lastNames = lastNameEnds(text) ?? null;
      return lastNames ?? undefined;
    },
  };
}

/**
 * What each rule of a .gitignore needs of the last name of a path it matches: the literal start
 * and end of its last part (`*` and `[...]` do not cross a slash, and a rule matches a path only
 * as a whole: what lies below a matched folder is its parent's answer). A plain last part must be
 * the name: it is its start. Undefined when some rule may match any name (`*`, `foo/**`), or
 * cannot be read plainly (escapes, non-ASCII, a byte-order mark): the layer is then asked whole.
 */
function lastNameEnds(text: string): NameEnds[] | undefined {
  if (text.includes("\uFEFF")) return undefined;
  const out: NameEnds[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    if (line.includes("\\") || !PRINTABLE_ASCII.test(line)) return undefined;
    const pattern = line.replace(/^!/, "").trimEnd().replace(/\/$/, "");
    // A slash inside a class (`a[b/c]d`) is not where the last part starts: asked whole.
    if (/\[[^\]]*\//.test(pattern)) return undefined;
    const last = pattern.slice(pattern.lastIndexOf("/") + 1);
    if (last === "") return undefined;
    if (!GLOB_CHAR.test(last)) {
      out.push({ start: last.toLowerCase(), end: "" });
      continue;
    }
    const ends = nameEnds(last);
    if (!ends || (ends.start === "" && ends.end === "")) return undefined;
    out.push(ends);
  }
  return out;
}

/** The git work tree root above `dir`, if any. */
/**
 * Every file below `root`, passing over hidden folders and node_modules, up to `limit` folders: a
 * quick look at a tree without its .gitignore (a repository's package.json files outside git, the
 * bench's count of languages), not the run's own files (discover).
 */
export function eachPlainFile(root: string, visit: (abs: string, name: string) => void, limit = Infinity): void {
  const stack = [root];
  for (let seen = 0; stack.length && seen < limit; seen++) {
    const dir = stack.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) stack.push(path.join(dir, e.name));
      else if (e.isFile()) visit(path.join(dir, e.name), e.name);
    }
  }
}

export function gitRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** .gitignore layers from the work tree root down to (not including) `dir`'s own. */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const root = gitRoot(dir);
  if (!root) return [];
  const layers: IgnoreLayer[] = [];
  const exclude = readIgnoreFile(path.join(root, ".git", "info", "exclude"), root);
  if (exclude) layers.push(exclude);
  const chain: string[] = [];
  for (let d = path.dirname(path.resolve(dir)); d.startsWith(root); d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root) break;
  }
  if (path.resolve(dir) !== root && !chain.includes(root)) chain.unshift(root);
  for (const d of chain) {
    const layer = readIgnoreFile(path.join(d, ".gitignore"), d);
    if (layer) layers.push(layer);
  }
  return layers;
}

/**
 * Git's rule: the deepest .gitignore that has an opinion decides. `split`: every layer's rules are
 * split (no negations anywhere), so no folder the walk entered was ignored by any of them.
 */
function isIgnored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const base = layer.base;
    const below = abs.length > base.length + 1 && abs.startsWith(base) && abs[base.length] === path.sep;
    const rel = below ? posixRel(abs.slice(base.length + 1)) : toPosix(path.relative(base, abs));
    if (!rel || isOutside(rel)) continue;
    const result = layer.rules.test(isDir ? `${rel}/` : rel);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

export function discover(
  paths: readonly string[],
  cwd: string,
  ignoreGlobs: readonly string[] = [],
  /** Off: every path is asked of the `ignore` package whole (the reference the split rules are tested against). */
  splitIgnoreRules = true,
  /** `--cache`: folders unchanged since the last walk are answered from their stamps. */
  memo?: FolderMemo,
): Discovery {
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const manifests: string[] = [];
  const tsconfigs: string[] = [];
  /** Real paths of the files taken: a path given twice (once through a link) is read once. */
  const seen = new Set<string>();
  // gitignore syntax has no "./"; `--ignore ./scripts` means the scripts folder here.
  const extra = ignore().add(ignoreGlobs.map((g) => g.replace(/^(\.\/)+/, "")));
  const userIgnored = (abs: string, isDir: boolean): boolean => {
    if (ignoreGlobs.length === 0) return false;
    const rel = toPosix(path.relative(cwd, abs));
    if (!rel || isOutside(rel)) return false;
    return extra.ignores(isDir ? `${rel}/` : rel);
  };

  // The real places of the given paths, to tell a link into them from a link out of them.
  const roots = paths.map((given) => realPath(path.resolve(cwd, given))).filter((r): r is string => r !== undefined);

  /** Takes a source file the walk found (once, whatever link led to it). */
  // One folder given, walked without following links: no file can be reached twice.
  const single = paths.length === 1;
  const take = (abs: string, real: string): void => {
    if (single) files.push(abs);
    else if (!seen.has(real)) {
      seen.add(real);
      files.push(abs);
    }
  };

  /**
   * A folder as the last walk found it, when its stamp and its .gitignore are unchanged: its files
   * are taken and its subfolders walked (each checked the same way). False: read it.
   */
  const fromMemo = (folders: Folders, dir: string, layers: IgnoreLayer[], realDir: string, depth: number, split: boolean): boolean => {
    const stamp = folders.memo.get(dir);
    if (!stamp) return false;
    let now: fs.Stats;
    try {
      now = fs.statSync(dir);
    } catch {
      return false;
    }
    if (now.mtimeMs !== stamp.mtimeMs || now.ctimeMs !== stamp.ctimeMs || now.ino !== stamp.ino) return false;
    let here = layers;
    let rules = folders.rules;
    if (stamp.ignore) {
      const text = readIgnoreText(path.join(dir, ".gitignore"));
      if (text === undefined) return false;
      here = [...layers, ignoreLayer(text, dir)];
      rules = folders.memo.hash(rules + text);
    }
    if (rules !== stamp.rules) return false;
    const below: Folders = { memo: folders.memo, rules };
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    if (stamp.manifest) manifests.push(prefix + "package.json");
    if (stamp.tsconfig) tsconfigs.push(dir);
    const realPrefix = realDir === dir ? prefix : realDir + path.sep;
    const splitHere = split && (stamp.ignore === undefined || here[here.length - 1].split !== undefined);
    // Files and folders interleave in name order in a walk: keep that order.
    let f = 0;
    for (const name of stamp.dirs) {
      while (f < stamp.files.length && stamp.files[f] < name) take(prefix + stamp.files[f], realPrefix + stamp.files[f++]);
      walk(prefix + name, here, realDir === dir ? prefix + name : realPrefix + name, depth + 1, splitHere, below);
    }
    while (f < stamp.files.length) take(prefix + stamp.files[f], realPrefix + stamp.files[f++]);
    folders.memo.keep(dir, stamp);
    return true;
  };

  const walk = (dir: string, layers: IgnoreLayer[], realDir: string, depth: number, split: boolean, folders: Folders | undefined): void => {
    if (folders && fromMemo(folders, dir, layers, realDir, depth, split)) return;
    // Stamped before reading: an entry added while the folder is read changes its time after this.
    let before: fs.Stats | undefined;
    if (folders) {
      try {
        before = fs.statSync(dir);
      } catch {
        before = undefined;
      }
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: dir, reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    // A virtual environment (any name: `venv`, `env`, `.env311`) holds installed packages, not the
    // project's code; its pyvenv.cfg is among the entries just read (no stat per folder).
    let venv = false;
    let gitignore = false;
    let manifest = false;
    let tsconfig = false;
    for (const e of entries) {
      if (e.name === "pyvenv.cfg") venv ||= !e.isDirectory();
      else if (e.name === ".gitignore") gitignore = true;
      else if (e.name === "package.json") manifest = !e.isDirectory();
      // A JavaScript project's jsconfig.json (Next.js) sets `paths` as a tsconfig.json does.
      else if (e.name === "tsconfig.json" || e.name === "jsconfig.json") tsconfig ||= !e.isDirectory();
    }
    if (depth > 0 && venv) {
      if (folders && before) keepStamp(folders.memo, dir, before, { files: [], dirs: [], rules: folders.rules });
      return;
    }
    // Only a folder that lists a .gitignore has one: no failed read per folder.
    const own = gitignore ? readIgnoreFile(path.join(dir, ".gitignore"), dir) : undefined;
    const here = own ? [...layers, own] : layers;
    const below: Folders | undefined = folders && (own ? { memo: folders.memo, rules: folders.memo.hash(folders.rules + own.text) } : folders);
    const splitHere = split && (!own || own.split !== undefined);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // The walk only asks about paths below each layer's folder, whose paths there it works out once
    // per folder (path.relative per entry resolved both paths, a third of the walk's time).
    const views = folderViews(here, dir, splitHere, splitIgnoreRules);
    const chain = splitHere && views.length === here.length ? namesOf(here) : undefined;
    // `dir` is absolute and normalized and a name holds no separator: no path.join needed (it
    // normalizes every string, a fifth of the walk on a large tree).
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const found: Omit<FolderStamp, "mtimeMs" | "ctimeMs" | "ino"> = { files: [], dirs: [], ...(own ? { ignore: true as const } : {}), ...(manifest ? { manifest: true as const } : {}), ...(tsconfig ? { tsconfig: true as const } : {}), rules: below?.rules ?? "" };
    if (manifest) manifests.push(prefix + "package.json");
    if (tsconfig) tsconfigs.push(dir);
    // A folder holding links is read each time: what a link points at can change without it.
    let links = false;
    for (const entry of entries) {
      const abs = prefix + entry.name;
      if (entry.isSymbolicLink()) {
        links = true;
        const reason = linkReason(abs, roots);
        if (reason) skipped.push({ file: abs, reason });
        continue;
      }
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (ignoredIn(views, chain, entry.name, true) || userIgnored(abs, true)) continue;
        found.dirs.push(entry.name);
        walk(abs, here, realDir === dir ? abs : path.join(realDir, entry.name), depth + 1, splitHere, below);
      } else if (entry.isFile() && isSourceFile(entry.name)) {
        if (ignoredIn(views, chain, entry.name, false) || userIgnored(abs, false)) continue;
        found.files.push(entry.name);
        // No link is followed below a given path, so the real path is the given one's plus the name.
        take(abs, realDir === dir ? abs : path.join(realDir, entry.name));
      }
    }
    if (folders && before && !links) keepStamp(folders.memo, dir, before, found);
  };

  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`path does not exist: ${given}`);
    }
    if (stat.isDirectory()) {
      const layers = ancestorLayers(abs);
      // The split rules assume no ignored parent: true below the folder given only if it is not
      // itself ignored (asked whole, its parents included).
      const split = splitIgnoreRules && layers.every((l) => l.split !== undefined) && !isIgnored(layers, abs, true);
      // Everything a folder's answer depends on besides its own entries and .gitignore.
      const key = JSON.stringify({ given: abs, cwd, ignoreGlobs, splitIgnoreRules, above: layers.map((l) => [l.base, l.text]) });
      walk(abs, layers, realPath(abs) ?? abs, 0, split, memo && { memo, rules: memo.hash(key) });
    } else if (stat.isFile()) {
      if (!isSourceFile(abs)) {
        skipped.push({ file: abs, reason: "not a JavaScript, TypeScript or Python file" });
        continue;
      }
      // A file named on the command line is read even when an ignore rule would skip it.
      const real = realPath(abs) ?? abs;
      if (!seen.has(real)) {
        seen.add(real);
        files.push(abs);
      }
    }
  }
  return { files, skipped, manifests, tsconfigs };
}

function keepStamp(memo: FolderMemo, dir: string, before: fs.Stats, found: Omit<FolderStamp, "mtimeMs" | "ctimeMs" | "ino">): void {
  memo.keep(dir, { mtimeMs: before.mtimeMs, ctimeMs: before.ctimeMs, ino: before.ino, ...found });
}

function realPath(abs: string): string | undefined {
  try {
    return fs.realpathSync(abs);
  } catch {
    return undefined;
  }
}

function isWithin(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Why a symbolic link is skipped; undefined for links to anything but folders and source files. */
export function linkReason(link: string, roots: readonly string[]): string | undefined {
  const target = realPath(link);
  if (target === undefined) return isSourceFile(link) ? "broken symbolic link (its target does not exist)" : undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return undefined;
  }
  const kind = stat.isDirectory() ? "folder" : stat.isFile() && isSourceFile(target) ? "file" : undefined;
  if (!kind) return undefined;
  return roots.some((root) => isWithin(target, root))
    ? `symbolic link to a ${kind} inside the given paths (not followed: ${target} is read at its own path)`
    : `symbolic link to a ${kind} outside the given paths (not followed: ${target})`;
}
