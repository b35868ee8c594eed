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

export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);
/** Python sources and Jupyter notebooks (their code cells), read beside the JavaScript ones. */
export const PYTHON_SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([".py", ".pyw", ".ipynb"]);

/** Folders never walked: installed packages and version-control data. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__", ".venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ipynb_checkpoints", "site-packages"]);

export interface Skipped {
  file: string;
  reason: string;
}

export interface Discovery {
  /** Absolute paths, in a stable order. */
  files: string[];
  skipped: Skipped[];
}

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

export function isSourceFile(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return SOURCE_EXTENSIONS.has(ext) || PYTHON_SOURCE_EXTENSIONS.has(ext);
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

function posixRel(p: string): string {
  return path.sep === "/" ? p : toPosix(p);
}

function readIgnoreFile(file: string): Ignore | undefined {
  try {
    return ignore().add(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** The git work tree root above `dir`, if any. */
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
  const exclude = readIgnoreFile(path.join(root, ".git", "info", "exclude"));
  if (exclude) layers.push({ base: root, rules: exclude });
  const chain: string[] = [];
  for (let d = path.dirname(path.resolve(dir)); d.startsWith(root); d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root) break;
  }
  if (path.resolve(dir) !== root && !chain.includes(root)) chain.unshift(root);
  for (const d of chain) {
    const rules = readIgnoreFile(path.join(d, ".gitignore"));
    if (rules) layers.push({ base: d, rules });
  }
  return layers;
}

/** Git's rule: the deepest .gitignore that has an opinion decides. */
function isIgnored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const { base, rules } = layers[i];
    // The walk only asks about paths below each layer's folder: slicing is enough (path.relative
    // resolves both paths, a third of the walk's time on a large tree).
    const below = abs.length > base.length + 1 && abs.startsWith(base) && abs[base.length] === path.sep;
    const rel = below ? posixRel(abs.slice(base.length + 1)) : toPosix(path.relative(base, abs));
    if (!rel || rel.startsWith("..")) continue;
    const result = rules.test(isDir ? `${rel}/` : rel);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

export function discover(paths: readonly string[], cwd: string, ignoreGlobs: readonly string[] = []): Discovery {
  const files: string[] = [];
  const skipped: Skipped[] = [];
  /** Real paths of the files taken: a path given twice (once through a link) is read once. */
  const seen = new Set<string>();
  // gitignore syntax has no "./"; `--ignore ./scripts` means the scripts folder here.
  const extra = ignore().add(ignoreGlobs.map((g) => g.replace(/^(\.\/)+/, "")));
  const userIgnored = (abs: string, isDir: boolean): boolean => {
    if (ignoreGlobs.length === 0) return false;
    const rel = toPosix(path.relative(cwd, abs));
    if (!rel || rel.startsWith("..")) return false;
    return extra.ignores(isDir ? `${rel}/` : rel);
  };

  // The real places of the given paths, to tell a link into them from a link out of them.
  const roots = paths.map((given) => realPath(path.resolve(cwd, given))).filter((r): r is string => r !== undefined);

  const walk = (dir: string, layers: IgnoreLayer[], realDir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: dir, reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    // A virtual environment (any name: `venv`, `env`, `.env311`) holds installed packages, not the
    // project's code; its pyvenv.cfg is among the entries just read (no stat per folder).
    if (depth > 0 && entries.some((e) => e.name === "pyvenv.cfg" && !e.isDirectory())) return;
    // Only a folder that lists a .gitignore has one: no failed read per folder.
    const own = entries.some((e) => e.name === ".gitignore") ? readIgnoreFile(path.join(dir, ".gitignore")) : undefined;
    const here = own ? [...layers, { base: dir, rules: own }] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // `dir` is absolute and normalized and a name holds no separator: no path.join needed (it
    // normalizes every string, a fifth of the walk on a large tree).
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const entry of entries) {
      const abs = prefix + entry.name;
      if (entry.isSymbolicLink()) {
        const reason = linkReason(abs, roots);
        if (reason) skipped.push({ file: abs, reason });
        continue;
      }
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (isIgnored(here, abs, true) || userIgnored(abs, true)) continue;
        walk(abs, here, realDir === dir ? abs : path.join(realDir, entry.name), depth + 1);
      } else if (entry.isFile() && isSourceFile(entry.name)) {
        if (isIgnored(here, abs, false) || userIgnored(abs, false)) continue;
        // No link is followed below a given path, so the real path is the given one's plus the name.
        const real = realDir === dir ? abs : path.join(realDir, entry.name);
        if (!seen.has(real)) {
          seen.add(real);
          files.push(abs);
        }
      }
    }
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
      walk(abs, ancestorLayers(abs), realPath(abs) ?? abs, 0);
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
  return { files, skipped };
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
