/**
 * The per-file work, as pure functions of plain data: run in-process or in a worker thread.
 *
 * The heavy modules (the TypeScript compiler bundled by ts-morph, jscodeshift) are required on
 * first use: a worker that only detects never loads jscodeshift, and the main thread loads
 * neither when workers do the parsing.
 */
import { plainlyNeedsCompiler, settleBySyntax } from "../detect/syntax-settle";
import { useCohereAliasesFor } from "./npm-alias";
import { setRepoSpecifiers } from "../detect/specifier";
import type { FileDetection } from "../detect/detect-file";
import type { TextDetection } from "../detect/detect-text";
import type { TransformOptions } from "../transform/kit";
import type { ModelParam } from "./cross-module";
import type { CompilerPaths } from "./workspace";
import type { CallSite, MarkerRecord, Note, ParseFailure } from "../types";
import { normalizeLineEndings, normalizeSites, restoreLineEndings } from "./line-endings";

export interface DetectTask {
  file: string;
  text: string;
  /** False: the TypeScript detector alone (a file the syntax settle answered in part, or a comparison). */
  syntax?: boolean;
  /** Bare specifiers its imports name that resolve into the repository (ImportReach.repoSpecifiers). */
  repoSpecifiers?: string[];
}

export interface TransformTask {
  file: string;
  text: string;
  sites: CallSite[];
  options: TransformOptions;
  repoSpecifiers?: string[];
}

/** Receivers that need other modules: the files to settle, with every file their imports lead through. */
export interface SettleTask {
  /** Absolute path → text, for the files to settle and the modules on their way to a Cohere client. */
  texts: Array<[string, string]>;
  settle: string[];
  /** The module options the files' imports resolve with: their tsconfig's `baseUrl` and `paths`, and the repository's packages (engine/workspace.ts). */
  compilerPaths?: CompilerPaths;
  /** The bare specifiers of these files that resolve into the repository. */
  repoSpecifiers?: string[];
}

export type SettleOutcome = Array<{ file: string; sites: CallSite[]; suppressed: number }>;

export type TransformOutcome =
  | {
      ok: true;
      output: string;
      changed: boolean;
      migrated: number;
      markers: MarkerRecord[];
      notes: Note[];
      dependencies: Array<[string, string]>;
      /** Detection on the output (what `check` would report next); absent when nothing changed. */
      after: TextDetection | undefined;
      /** Python: the helpers the output calls (which the package's helper module must define). */
      helpers?: Array<"text" | "delta">;
      /** JavaScript/TypeScript: the helpers the output imports from its package's helper module. */
      scriptHelpers?: string[];
      /** What crosses modules (python/callers.ts, engine/script-callers.ts). */
      crossModule?: {
        returns: Array<{ name: string; kind: { is: string }; isAsync: boolean }>;
        importedFollowed: Map<string, { calls: number; all: boolean }>;
        modelParams?: ModelParam[];
      };
    }
  | { ok: false; error: ParseFailure };

function detectTextModule(): typeof import("../detect/detect-text") {
  return require("../detect/detect-text") as typeof import("../detect/detect-text");
}

/** Babel's and TypeScript's errors carry a location in different shapes; others land on line 1. */
function failure(e: unknown, text: string): ParseFailure {
  const err = e as { message?: string; loc?: { line: number; column: number } };
  const line = err.loc?.line ?? 1;
  const column = (err.loc?.column ?? 0) + 1;
  return {
    message: (err.message ?? String(e)).replace(/\s*\(\d+:\d+\)$/, ""),
    line,
    column,
    sourceLine: text.split(/\r?\n/)[line - 1] ?? "",
  };
}

export function detectTask(task: DetectTask, trySyntax = task.syntax !== false): TextDetection {
  useCohereAliasesFor([task.file]);
  setRepoSpecifiers(task.repoSpecifiers);
  try {
    // Most candidates are settled from Babel's tree, without the compiler: files that hold no use,
    // and files whose calls are on clients syntax shows (syntax-sites.ts). Not tried where the
    // text plainly needs the compiler.
    if (trySyntax && !plainlyNeedsCompiler(task.text)) {
      const settled = settleBySyntax(task.file, task.text);
      if (settled) return { ok: true, result: settled };
    }
    return detectTextModule().detectText(task.file, task.text);
  } catch (e) {
    // A crash of the detector on one file is that file's failure, never the run's.
    return { ok: false, error: failure(e, task.text) };
  }
}

const PYTHON_FILE = /\.(py|pyw|ipynb)$/i;

/**
 * Detection for a file of either language, as the pool runs it: Python through its wasm parser
 * (loaded once per thread, on the first Python file), the rest through the TypeScript compiler.
 */
export async function detectAnyTask(task: DetectTask): Promise<TextDetection> {
  if (!PYTHON_FILE.test(task.file)) return detectTask(task);
  const { detectPython } = require("../python/engine") as typeof import("../python/engine");
  try {
    return await detectPython(task.file, task.text);
  } catch (e) {
    return { ok: false, error: failure(e, task.text) };
  }
}

export function transformTask(task: TransformTask): TransformOutcome {
  const { runTransforms } = require("../transform/run") as typeof import("../transform/run");
  const { TRANSFORMS } = require("../../transforms") as typeof import("../../transforms");
  // The transforms see LF-only text; lines they did not touch get their own terminators back.
  const lf = normalizeLineEndings(task.text);
  useCohereAliasesFor([task.file]);
  let run;
  try {
    run = runTransforms(TRANSFORMS, task.file, lf.text, normalizeSites(task.sites, lf.removed), task.options);
  } catch (e) {
    return { ok: false, error: failure(e, task.text) };
  }
  const output = run.changed ? restoreLineEndings(task.text, run.output) : task.text;
  const changed = output !== task.text;
  return {
    ok: true,
    output,
    changed,
    migrated: run.migrated,
    markers: run.markers,
    notes: run.notes,
    dependencies: [...run.dependencies],
    // Migrated output mostly holds nothing left to follow: syntax settles it, sooner than a program.
    after: changed ? detectTask({ file: task.file, text: output, repoSpecifiers: task.repoSpecifiers }) : undefined,
    scriptHelpers: changed ? run.helpers : [],
    crossModule: { returns: run.returns, importedFollowed: run.importedFollowed, modelParams: run.modelParams },
  };
}

/** Phase M: one ts-morph project over just these files; the same detector, now across modules. */
export function settleTask(task: SettleTask): SettleOutcome {
  const { crossFileProject } = require("../detect/program") as typeof import("../detect/program");
  const { detectInSourceFile } = require("../detect/detect-file") as typeof import("../detect/detect-file");
  useCohereAliasesFor(task.texts.map(([file]) => file));
  setRepoSpecifiers(task.repoSpecifiers);
  const project = crossFileProject(new Map(task.texts), moduleOptions(task.compilerPaths));
  const checker = project.getTypeChecker().compilerObject;
  return task.settle.map((file) => {
    const settled: FileDetection = detectInSourceFile(project.getSourceFileOrThrow(file).compilerNode, checker, true);
    return { file, sites: settled.sites, suppressed: settled.suppressed };
  });
}

/** The compiler's module options for these aliases: `paths` without `baseUrl` need a base, which absolute targets make moot. */
function moduleOptions(aliases: CompilerPaths | undefined): import("ts-morph").ts.CompilerOptions | undefined {
  if (!aliases) return undefined;
  const paths = new Map<string, string[]>();
  // The first pattern wins, as tsconfig's own come before the packages' (workspace.ts RepositoryAliases).
  for (const [pattern, targets] of aliases.paths) if (!paths.has(pattern)) paths.set(pattern, targets);
  return { ...(aliases.baseUrl !== undefined ? { baseUrl: aliases.baseUrl } : { pathsBasePath: "/" }), ...(paths.size ? { paths: Object.fromEntries(paths) } : {}) };
}
