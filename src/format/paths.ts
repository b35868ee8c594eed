/**
 * Paths as the consumers of machine output expect them. Results name files relative to the working
 * directory; `git apply`, GitHub annotations and code scanning read paths relative to the top of
 * the repository, which differs when the command runs in a subfolder (a package of a monorepo).
 */
import * as path from "node:path";

/**
 * `file` (relative to `cwd`, or absolute) as a forward-slash path relative to `root`. Without a
 * root, or for a file outside it, the path stays as the result names it.
 */
export function fromRoot(file: string, cwd: string, root: string | undefined): string {
  if (!root) return file;
  const rel = path.relative(root, path.resolve(cwd, file));
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join("/");
}
