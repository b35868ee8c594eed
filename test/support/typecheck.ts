/**
 * Type-checks files under `strict` against the real cohere-ai package installed in this repo
 * (node_modules/cohere-ai, 8.1.0). Every file is its own module, so fixtures cannot collide.
 */
import * as path from "node:path";
import * as ts from "typescript";

export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  moduleDetection: ts.ModuleDetectionKind.Force,
  esModuleInterop: true,
  skipLibCheck: true,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: ["node"],
  jsx: ts.JsxEmit.ReactJSX,
  ignoreDeprecations: "6.0",
  // `"cohere": "npm:cohere-ai@7"` installs cohere-ai as node_modules/cohere: the alias fixtures import it so.
  paths: { cohere: [path.join(__dirname, "..", "..", "node_modules", "cohere-ai")], "cohere/*": [path.join(__dirname, "..", "..", "node_modules", "cohere-ai", "*")] },
};

/**
 * Diagnostics per file, as readable lines. `standIns` (absolute path → text) are files the program
 * reads as if they were on disk: a folder fixture's helper module, held once for all cases.
 * `extra`: options of the tree checked (a tree's own `paths`), over the strict ones.
 */
export function typeCheck(files: readonly string[], standIns: ReadonlyMap<string, string> = new Map(), extra: ts.CompilerOptions = {}): Map<string, string[]> {
  const options: ts.CompilerOptions = { ...STRICT_OPTIONS, ...extra, paths: { ...STRICT_OPTIONS.paths, ...extra.paths } };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => standIns.has(f) || fileExists.call(host, f);
  // A folder only stand-ins fill (a fixture's unchanged lib/) exists for module resolution too.
  const { directoryExists } = host;
  const standInFolders = new Set([...standIns.keys()].flatMap((f) => {
    const out: string[] = [];
    for (let d = path.dirname(f); d !== path.dirname(d); d = path.dirname(d)) out.push(d);
    return out;
  }));
  host.directoryExists = (d) => standInFolders.has(path.resolve(d)) || (directoryExists ? directoryExists.call(host, d) : ts.sys.directoryExists(d));
  host.readFile = (f) => standIns.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => {
    const text = standIns.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, language) : getSourceFile.call(host, f, language, ...rest);
  };
  const program = ts.createProgram({ rootNames: [...files], options, host });
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? "(global)";
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const line = `${at ? `${at.line + 1}:${at.character + 1} ` : ""}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    const key = [...out.keys()].find((f) => f === file || ts.sys.resolvePath(f) === file) ?? file;
    out.set(key, [...(out.get(key) ?? []), line]);
  }
  return out;
}

/** Syntax errors only (for JavaScript outputs, and as a first check for TypeScript). */
export function syntaxErrors(file: string, text: string): string[] {
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.(m|c)?ts$/.test(file) ? ts.ScriptKind.TS : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const diags = (ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { jsx: ts.JsxEmit.Preserve, allowJs: true } }).diagnostics ?? []);
  void sf;
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
}
