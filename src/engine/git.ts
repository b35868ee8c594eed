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

export function gitState(cwd: string, paths: readonly string[]): GitState {
  const root = gitRoot(cwd);
  if (!root) return { root: undefined, dirty: [] };
  const scopes = (paths.length ? paths : ["."]).map((p) => path.resolve(cwd, p));
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
