/**
 * One file, checked and (where migrate can) fixed, synchronously: what the ESLint rule runs. It is
 * check's own pipeline for a single file: detection (detect-text), receivers imported from other
 * modules settled by the same cross-file step on the file's import closure read from disk
 * (ImportReach, settleTask), findings (findingsOf), and migrate's transforms (transformTask).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findingsOf } from "./engine/findings";
import { gitRoot } from "./engine/files";
import { ImportReach, NearestTsconfig } from "./engine/prefilter";
import { detectTask, settleTask, transformTask } from "./engine/tasks";
import { readText } from "./engine/read-text";
import { compilerPathsOf } from "./engine/workspace";
import { helperHomeOf, moduleDefines } from "./transform/helper-module";
import { DEFAULT_MODEL } from "./transform/standalone";
import type { Finding, ParseFailure } from "./types";

export interface LintOptions {
  /** Where module resolution stops and tsconfig paths are read; default: the git work tree top. */
  root?: string;
  /** Outside a git work tree, the root is this folder (as for `migrate`, the run's folder). */
  cwd?: string;
  model?: string;
}

export type LintResult =
  | {
      ok: true;
      findings: Finding[];
      /** The file as migrate would write it, when a finding is fixable. */
      fixed?: string;
      /** Some receiver was settled from another module: the fix depends on other files. */
      crossFile: boolean;
      /**
       * The helper module (relative to the root) the fix would import from but that does not
       * define what it needs yet: an ESLint fix edits one file, so `migrate` has to create it.
       */
      needsModule?: string;
    }
  | { ok: false; error: ParseFailure };

/** The repository's files as the import resolver asks for them: on disk, outside node_modules. */
const ON_DISK: ReadonlySet<string> = {
  has: (file: string) => !file.split(path.sep).includes("node_modules") && fs.existsSync(file) && fs.statSync(file).isFile(),
} as ReadonlySet<string>;

export function lintFile(file: string, text: string, options: LintOptions = {}): LintResult {
  const abs = path.resolve(file);
  const root = options.root ?? gitRoot(path.dirname(abs)) ?? options.cwd ?? path.dirname(abs);
  // The linted file's own imports come from its text (an editor's unsaved buffer), not the disk.
  const textOf = (f: string): string | undefined => (f === abs ? text : readText(f));
  // The file's own tsconfig (the nearest above it), as in a run of migrate. Its `paths` aliases
  // name modules of the repository; a monorepo's workspace packages are a run's to find (analyze.ts).
  const tsconfigs = new NearestTsconfig(new Set(), []);
  const reach = new ImportReach(ON_DISK, textOf, (f) => /cohere/i.test(textOf(f) ?? ""), (f) => tsconfigs.aliasesOf(f));
  const repoSpecifiers = reach.repoSpecifiers(abs, text);
  const detected = detectTask({ file: abs, text, repoSpecifiers });
  if (!detected.ok) return { ok: false, error: detected.error };
  const detection = detected.result;
  let crossFile = false;
  if (detection.undecided.length) {
    const closure = reach.closure(abs);
    if (closure.size || detection.importsCohere) {
      const texts: Array<[string, string]> = [[abs, text]];
      for (const dep of new Set([...closure, ...reach.importsOf(abs)])) {
        const t = readText(dep);
        if (t !== undefined) texts.push([dep, t]);
      }
      const compilerPaths = compilerPathsOf(tsconfigs.aliasesOf(abs));
      const [settled] = settleTask({ texts, settle: [abs], ...(compilerPaths ? { compilerPaths } : {}), repoSpecifiers });
      crossFile = closure.size > 0 && settled.sites.filter((s) => s.certainty === "certain").length > detection.sites.filter((s) => s.certainty === "certain").length;
      detection.sites = settled.sites;
      detection.suppressed = settled.suppressed;
    }
    detection.undecided = [];
  }
  const findings = findingsOf(path.relative(root, abs).split(path.sep).join("/"), text, detection);
  if (!findings.some((f) => f.fixable)) return { ok: true, findings, crossFile };
  const model = options.model ?? DEFAULT_MODEL;
  // The same helper module migrate imports from, so that a fix and a migrate write the same file.
  const home = helperHomeOf(abs, text, root);
  const out = transformTask({
    file: abs,
    text,
    sites: detection.sites.filter((s) => s.certainty === "certain"),
    options: { model, modelFromFlag: options.model !== undefined, ...(home ? { helperImport: { specifier: home.specifier, syntax: home.syntax } } : {}) },
    repoSpecifiers,
  });
  if (!out.ok || !out.changed) return { ok: true, findings, crossFile };
  const needed = out.scriptHelpers ?? [];
  if (needed.length && home) {
    const defined = moduleDefines(readText(home.module) ?? "");
    if (needed.some((name) => !defined.has(name))) return { ok: true, findings, crossFile, needsModule: path.relative(root, home.module).split(path.sep).join("/") };
  }
  return { ok: true, findings, crossFile, fixed: out.output };
}
