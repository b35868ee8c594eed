/** The safety check before writing: is the work tree clean where migrate will write? */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { gitRoot, isOutside } from "./files";

export interface WorkTree {
  root: string;
  /** Uncommitted changes under the given paths (modified, staged, untracked), relative to root. */
  dirty: string[];
}

export interface GitState {
  /** The work trees the paths are in, each asked about its own paths. */
  trees: WorkTree[];
  /** Paths in no git work tree: nothing guards the change there. */
  unguarded: string[];
}

/** The manifests migrate may update (cohere-ai's and cohere's ranges) in a folder. */
const MANIFESTS = ["package.json", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "requirements*.txt", "requirements*.in", "requirements/*.txt", "requirements/*.in"];

/**
 * The manifests above each path, up to the work tree top: migrate may update their ranges, so
 * their uncommitted changes count too.
 */
function manifestsAbove(root: string, scopes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const scope of scopes) {
    for (let dir = path.dirname(scope); ; dir = path.dirname(dir)) {
      const rel = path.relative(root, dir);
      if (isOutside(rel) || path.isAbsolute(rel)) break;
      for (const m of MANIFESTS) out.add(path.join(dir, m));
      if (!rel) break;
    }
  }
  return [...out];
}

function dirtyIn(root: string, given: readonly string[]): string[] | undefined {
  const scopes = [...given, ...manifestsAbove(root, given)];
  let out: string;
  try {
    out = execFileSync("git", ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...scopes], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    // git missing or the folder is not really a work tree: treat as unguarded.
    return undefined;
  }
  return out
    .split("\0")
    .filter(Boolean)
    .filter((entry) => /^[ MADRCU?!]{2} /.test(entry))
    .map((entry) => entry.slice(3));
}

/**
 * Uncommitted changes under the paths migrate will rewrite (and the manifests it may update),
 * each path asked of its own work tree: a path in another repository, or several repositories in
 * one run, are each guarded by theirs.
 */
export function gitState(cwd: string, paths: readonly string[], own: readonly string[] = []): GitState {
  // This tool's own files (the --cache file) are not the user's changes.
  const ours = new Set(own.map((p) => path.resolve(cwd, p)));
  // A link given on the command line is guarded where migrate writes: the file it points to, in its own work tree.
  const given = (paths.length ? paths : ["."]).map((p) => {
    const abs = path.resolve(cwd, p);
    try {
      return fs.lstatSync(abs).isSymbolicLink() ? fs.realpathSync(abs) : abs;
    } catch {
      return abs;
    }
  });
  const byRoot = new Map<string, string[]>();
  const unguarded: string[] = [];
  for (const p of given) {
    let dir = p;
    try {
      if (!fs.statSync(p).isDirectory()) dir = path.dirname(p);
    } catch {
      dir = path.dirname(p);
    }
    const root = gitRoot(dir);
    if (root) byRoot.set(root, [...(byRoot.get(root) ?? []), p]);
    else unguarded.push(path.relative(cwd, p) || ".");
  }
  const trees: WorkTree[] = [];
  for (const [root, scopes] of byRoot) {
    const dirty = dirtyIn(root, scopes);
    if (dirty === undefined) unguarded.push(...scopes.map((p) => path.relative(cwd, p) || "."));
    else trees.push({ root, dirty: dirty.filter((entry) => !ours.has(path.join(root, entry))) });
  }
  return { trees, unguarded };
}
