/** The module-resolution options of the repository's tsconfig.json (baseUrl, paths), if any. */
import * as path from "node:path";
import { ts } from "ts-morph";

export function readCompilerPaths(root: string): ts.CompilerOptions | undefined {
  const file = path.join(root, "tsconfig.json");
  if (!ts.sys.fileExists(file)) return undefined;
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error || !read.config) return undefined;
  const raw = (read.config as { compilerOptions?: Record<string, unknown> }).compilerOptions ?? {};
  const { options } = ts.convertCompilerOptionsFromJson({ baseUrl: raw.baseUrl, paths: raw.paths }, root);
  return options.paths || options.baseUrl ? { baseUrl: options.baseUrl ?? (options.paths ? root : undefined), paths: options.paths } : undefined;
}
