/** The safety check before writing: is the work tree clean where migrate will write? */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { gitRoot } from "./files";

export interface GitState {
  /** The work tree root, or undefined outside git (nothing guards the change). */
  root: string | undefined;
  /** Uncommitted changes under the given paths (modified, staged, untracked), relative to root. */
  dirty: string[];
}

/**
 * The package.json files above each path, up to the work tree top: migrate may update their
 * cohere-ai range, so their uncommitted changes count too.
 */
function manifestsAbove(root: string, scopes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const scope of scopes) {
    for (let dir = path.dirname(scope); ; dir = path.dirname(dir)) {
      const rel = path.relative(root, dir);
      if (rel.startsWith("..") || path.isAbsolute(rel)) break;
      out.add(path.join(dir, "package.json"));
      if (!rel) break;
    }
  }
  return [...out];
}

/** Uncommitted changes under the paths migrate will rewrite (and the manifests it may update). */
export function gitState(cwd: string, paths: readonly string[]): GitState {
  const root = gitRoot(cwd);
  if (!root) return { root: undefined, dirty: [] };
  const given = (paths.length ? paths : ["."]).map((p) => path.resolve(cwd, p));
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
    return { root: undefined, dirty: [] };
  }
  const dirty = out
    .split("\0")
    .filter(Boolean)
    .filter((entry) => /^[ MADRCU?!]{2} /.test(entry))
    .map((entry) => entry.slice(3));
  return { root, dirty };
}
