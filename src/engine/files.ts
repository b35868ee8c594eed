/**
 * Which files a run reads: source files under the given paths, minus .gitignore'd ones (nested
 * files too), node_modules and --ignore globs. Symbolic links found while walking are not
 * followed (a linked folder inside the tree is walked at its real place; one outside is not ours).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import { UsageError } from "../errors";

export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);

/** Folders never walked: installed packages and version-control data. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(["node_modules", ".git", ".hg", ".svn"]);

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
  return SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
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
    const rel = toPosix(path.relative(base, abs));
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
  const seen = new Set<string>();
  const extra = ignore().add([...ignoreGlobs]);
  const userIgnored = (abs: string, isDir: boolean): boolean => {
    if (ignoreGlobs.length === 0) return false;
    const rel = toPosix(path.relative(cwd, abs));
    if (!rel || rel.startsWith("..")) return false;
    return extra.ignores(isDir ? `${rel}/` : rel);
  };

  const walk = (dir: string, layers: IgnoreLayer[]): void => {
    const own = readIgnoreFile(path.join(dir, ".gitignore"));
    const here = own ? [...layers, { base: dir, rules: own }] : layers;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: dir, reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        if (isSourceFile(entry.name) || isDirLink(abs)) skipped.push({ file: abs, reason: "symbolic link (not followed)" });
        continue;
      }
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (isIgnored(here, abs, true) || userIgnored(abs, true)) continue;
        walk(abs, here);
      } else if (entry.isFile() && isSourceFile(entry.name)) {
        if (isIgnored(here, abs, false) || userIgnored(abs, false)) continue;
        if (!seen.has(abs)) {
          seen.add(abs);
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
      walk(abs, ancestorLayers(abs));
    } else if (stat.isFile()) {
      if (!isSourceFile(abs)) {
        skipped.push({ file: abs, reason: "not a JavaScript or TypeScript file" });
        continue;
      }
      // A file named on the command line is read even when an ignore rule would skip it.
      if (!seen.has(abs)) {
        seen.add(abs);
        files.push(abs);
      }
    }
  }
  return { files, skipped };
}

function isDirLink(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
