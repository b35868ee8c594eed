/**
 * TypeScript programs for detection. A single-file program (no lib, no module resolution) gives
 * the checker's scopes for one file in a few milliseconds; the ts-morph project, built only for
 * the files whose receivers need other modules, lets the same resolver follow imports across files.
 */
import * as path from "node:path";
import { Project, ts } from "ts-morph";

const BASE_OPTIONS: ts.CompilerOptions = {
  noLib: true,
  noResolve: true,
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  target: ts.ScriptTarget.Latest,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: [],
  noEmit: true,
};

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const ext = path.extname(fileName).toLowerCase();
  switch (ext) {
    case ".tsx":
      return ts.ScriptKind.TSX;
    case ".jsx":
      return ts.ScriptKind.JSX;
    case ".js":
    case ".mjs":
    case ".cjs":
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

export interface SingleFile {
  sourceFile: ts.SourceFile;
  program: ts.Program;
}

export function singleFileProgram(fileName: string, text: string): SingleFile {
  const abs = path.resolve(fileName);
  const sourceFile = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, scriptKindOf(abs));
  const host: ts.CompilerHost = {
    getSourceFile: (f) => (f === abs ? sourceFile : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => path.dirname(abs),
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => f === abs,
    readFile: (f) => (f === abs ? text : undefined),
  };
  const program = ts.createProgram({ rootNames: [abs], options: BASE_OPTIONS, host });
  return { sourceFile, program };
}

/**
 * A ts-morph project over the given files only. Module resolution is the compiler's own (so
 * relative imports and tsconfig `paths` resolve), but only to files already in the project:
 * nothing from node_modules or the rest of the repository is loaded.
 */
export function crossFileProject(
  files: ReadonlyMap<string, string>,
  tsconfigPaths?: ts.CompilerOptions,
  /** "memory" keeps everything off the disk (unit tests of the analysis). */
  fileSystem: "disk" | "memory" = "disk",
): Project {
  const known = new Set([...files.keys()].map((f) => path.resolve(f)));
  const options: ts.CompilerOptions = {
    ...BASE_OPTIONS,
    noResolve: false,
    ...(tsconfigPaths ?? {}),
  };
  const project = new Project({
    useInMemoryFileSystem: fileSystem === "memory",
    compilerOptions: options,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    resolutionHost: (moduleResolutionHost, getCompilerOptions) => ({
      resolveModuleNames: (moduleNames, containingFile) =>
        moduleNames.map((name) => {
          const resolved = ts.resolveModuleName(name, containingFile, getCompilerOptions(), moduleResolutionHost)
            .resolvedModule;
          return resolved && known.has(path.resolve(resolved.resolvedFileName)) ? resolved : undefined;
        }),
    }),
  });
  for (const [file, text] of files) {
    project.createSourceFile(path.resolve(file), text, { overwrite: true, scriptKind: scriptKindOf(file) });
  }
  return project;
}

export function syntaxErrors(program: ts.Program, sourceFile: ts.SourceFile): readonly ts.Diagnostic[] {
  return program.getSyntacticDiagnostics(sourceFile);
}
