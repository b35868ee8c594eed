/**
 * `migrate --verify`: type-checks each migrated TypeScript file with the repository's own
 * tsconfig.json (the nearest one above the file) before anything is written, and compares its
 * diagnostics with those of the file before migration. An error the migration added (by code and
 * message, counted, so a moved line is not a new error) is reported with its line and column in
 * the migrated text.
 *
 * Only the migrated files are the program's roots (their imports are followed as the compiler
 * follows them), so the check costs a program of the files that changed, not of the repository.
 * A file with no tsconfig.json above it (up to the repository top) is not verified, and says so.
 */
import * as path from "node:path";
import { ts } from "ts-morph";

export interface VerifyInput {
  abs: string;
  before: string;
  after: string;
}

export interface AddedError {
  line: number;
  column: number;
  /** `TS2345: Argument of type ...` */
  message: string;
}

export type VerifyOutcome = { verified: true; tsconfig: string; added: AddedError[] } | { verified: false; reason: string };

const TYPESCRIPT = /\.(ts|tsx|mts|cts)$/;

export function isVerifiable(file: string): boolean {
  return TYPESCRIPT.test(file) && !/\.d\.(m|c)?ts$/.test(file);
}

function nearestTsconfig(file: string, stopAt: string): string | undefined {
  const top = path.resolve(stopAt);
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (ts.sys.fileExists(candidate)) return candidate;
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

interface Diagnostic {
  key: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The errors of `texts` (absolute path → text) compiled with the tsconfig's options. A ts-morph
 * project brings the compiler's own lib files (which ts-morph keeps in memory, not on disk); the
 * files' imports are read from disk.
 */
function diagnosticsOf(tsconfig: string, texts: ReadonlyMap<string, string>): Map<string, Diagnostic[]> {
  const { Project } = require("ts-morph") as typeof import("ts-morph");
  const project = new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, compilerOptions: { noEmit: true } });
  for (const [file, text] of texts) project.createSourceFile(file, text, { overwrite: true });
  const program = project.getProgram().compilerObject;
  const out = new Map<string, Diagnostic[]>();
  for (const file of texts.keys()) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const list = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.category === ts.DiagnosticCategory.Error);
    out.set(
      file,
      list.map((d) => {
        const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
        const at = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        return { key: message, line: at.line + 1, column: at.character + 1, message };
      }),
    );
  }
  return out;
}

/** The errors each migrated file adds, by absolute path; files without a tsconfig are not verified. */
export function verifyTypeScript(files: readonly VerifyInput[], stopAt: string): Map<string, VerifyOutcome> {
  const out = new Map<string, VerifyOutcome>();
  const groups = new Map<string, VerifyInput[]>();
  for (const f of files) {
    const config = nearestTsconfig(f.abs, stopAt);
    if (!config) {
      out.set(f.abs, { verified: false, reason: "no tsconfig.json above it" });
      continue;
    }
    groups.set(config, [...(groups.get(config) ?? []), f]);
  }
  for (const [config, group] of groups) {
    let before: Map<string, Diagnostic[]>;
    let after: Map<string, Diagnostic[]>;
    try {
      before = diagnosticsOf(config, new Map(group.map((f) => [path.resolve(f.abs), f.before])));
      after = diagnosticsOf(config, new Map(group.map((f) => [path.resolve(f.abs), f.after])));
    } catch (e) {
      for (const f of group) out.set(f.abs, { verified: false, reason: `${config} could not be used: ${(e as Error).message.split("\n")[0]}` });
      continue;
    }
    for (const f of group) {
      const abs = path.resolve(f.abs);
      const had = new Map<string, number>();
      for (const d of before.get(abs) ?? []) had.set(d.key, (had.get(d.key) ?? 0) + 1);
      const added: AddedError[] = [];
      for (const d of after.get(abs) ?? []) {
        const n = had.get(d.key) ?? 0;
        if (n > 0) had.set(d.key, n - 1);
        else added.push({ line: d.line, column: d.column, message: d.message });
      }
      out.set(f.abs, { verified: true, tsconfig: config, added });
    }
  }
  return out;
}
