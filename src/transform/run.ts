/**
 * Runs the registered transforms over one file's text on a single parse, and prints once, only
 * when something changed (a file the transforms merely visited keeps its bytes).
 */
import * as path from "node:path";
import jscodeshift from "jscodeshift";
import { LineMap } from "../markers";
import type { CallSite, MarkerRecord, Note } from "../types";
import { helperText } from "./helpers";
import { offsets, quoteStyle, Reporter, usesTrailingCommas, type Transform, type TransformContext, type TransformOptions } from "./kit";

export interface TransformRun {
  output: string;
  changed: boolean;
  migrated: number;
  markers: MarkerRecord[];
  notes: Note[];
  dependencies: Map<string, string>;
}

/** SPEC: pick the parser by extension; `ts` for .ts/.mts/.cts (so `<T>x` casts parse), `tsx` otherwise. */
export function parserFor(file: string): "ts" | "tsx" {
  const ext = path.extname(file).toLowerCase();
  return ext === ".ts" || ext === ".mts" || ext === ".cts" ? "ts" : "tsx";
}

export function isTypeScriptFile(file: string): boolean {
  return /\.(ts|tsx|mts|cts)$/i.test(file);
}

/** The line terminator most of the file uses. */
export function lineTerminator(text: string): "\r\n" | "\n" {
  const crlf = text.split("\r\n").length - 1;
  const lf = text.split("\n").length - 1 - crlf;
  return crlf > lf ? "\r\n" : "\n";
}

/** A transform could not produce output it can vouch for. */
export class TransformError extends Error {
  override readonly name = "TransformError";
}

/**
 * The static parts of template literals that span lines: re-indenting would change them. (The
 * `${...}` parts may legitimately be rewritten, so only the quasis are compared.)
 */
function multilineTemplates(j: TransformContext["j"], root: TransformContext["root"], text: string): string[] {
  const out: string[] = [];
  root.find(j.TemplateElement).forEach((p) => {
    const { start, end } = offsets(p.node);
    const raw = text.slice(start, end);
    if (raw.includes("\n")) out.push(raw);
  });
  return out;
}

export function runTransforms(
  transforms: readonly Transform[],
  file: string,
  text: string,
  sites: CallSite[],
  options: TransformOptions,
): TransformRun {
  const j = jscodeshift.withParser(parserFor(file));
  const root = j(text);
  const report = new Reporter(new LineMap(text));
  const ctx: TransformContext = {
    j,
    root,
    file,
    source: text,
    typescript: isTypeScriptFile(file),
    sites,
    options,
    report,
    helpers: new Set(),
  };
  // Read the file's style before the transforms change the tree.
  const trailingComma = usesTrailingCommas(j, root, text);
  const templates = multilineTemplates(j, root, text);
  let changed = false;
  for (const t of transforms) {
    if (t.apply(ctx)) changed = true;
  }
  const unchanged: TransformRun = { output: text, changed: false, migrated: 0, markers: report.markers, notes: report.notes, dependencies: report.dependencies };
  if (!changed && report.markers.length === 0) return unchanged;
  const eol = lineTerminator(text);
  let output = root.toSource({ quote: quoteStyle(text), lineTerminator: eol, trailingComma, arrowParensAlways: true });
  // recast re-indents lines it moves; inside a template literal that would change a string.
  const damaged = templates.find((t) => !output.includes(t));
  if (damaged) throw new TransformError(`reprinting would change the multi-line template literal text ${JSON.stringify(damaged.slice(0, 40))}; file left untouched`);
  const helpers = helperText(ctx, eol);
  if (helpers) {
    const trailing = /\r?\n$/.test(output);
    output = output.replace(/\s*$/, "") + eol + eol + helpers + (trailing ? eol : "");
  }
  return {
    output,
    changed: output !== text,
    migrated: report.migrated,
    markers: report.markers,
    notes: report.notes,
    dependencies: report.dependencies,
  };
}
