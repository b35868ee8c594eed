/** The module-resolution options of a tsconfig.json (baseUrl, paths), its `extends` followed, if any. */
import * as path from "node:path";
import { ts } from "ts-morph";

/** Reads configs and follows `extends`, but lists no folder: the files come from the run, not `include`. */
const CONFIG_HOST: ts.ParseConfigHost = {
  useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
  fileExists: (file) => ts.sys.fileExists(file),
  readFile: (file) => ts.sys.readFile(file),
  readDirectory: () => [],
};

export function readCompilerPaths(root: string): ts.CompilerOptions | undefined {
  const file = path.join(root, "tsconfig.json");
  if (!ts.sys.fileExists(file)) return undefined;
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error || !read.config) return undefined;
  const { options } = ts.parseJsonConfigFileContent(read.config, CONFIG_HOST, root, undefined, file);
  // `paths` without a `baseUrl` resolve from the folder of the config that sets them (pathsBasePath).
  const pathsBase = typeof options.pathsBasePath === "string" ? options.pathsBasePath : root;
  return options.paths || options.baseUrl ? { baseUrl: options.baseUrl ?? (options.paths ? pathsBase : undefined), paths: options.paths } : undefined;
}
