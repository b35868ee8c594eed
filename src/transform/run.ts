/**
 * Runs the registered transforms over one file's text on a single parse, and prints once, only
 * when something changed (a file the transforms merely visited keeps its bytes).
 */
import * as path from "node:path";
import { createRequire } from "node:module";
import jscodeshift from "jscodeshift";
import { LineMap } from "../markers";
import type { CallSite, MarkerRecord, Note } from "../types";
import type { ModelParam } from "../engine/cross-module";
import { helperText, importHelpers } from "./helpers";
import { Splicer } from "./splice";
import { eachRawNode, type RawNode } from "./raw-walk";
import { offsets, quoteStyle, Reporter, usesTrailingCommas, type ASTPath, type ScriptReturn, type Transform, type TransformContext, type TransformOptions } from "./kit";
import { namedTypes as N } from "ast-types";

export interface TransformRun {
  output: string;
  changed: boolean;
  migrated: number;
  markers: MarkerRecord[];
  notes: Note[];
  dependencies: Map<string, string>;
  /** Helpers the output imports from the package's helper module (which must define them). */
  helpers: string[];
  /** What crosses modules (engine/script-callers.ts): exported functions returning a Chat response, and imported ones followed here. */
  returns: ScriptReturn[];
  importedFollowed: Map<string, { calls: number; all: boolean }>;
  modelParams: ModelParam[];
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
function multilineTemplates(root: TransformContext["root"], text: string, map: WhitespaceMap): string[] {
  const out: string[] = [];
  eachRawNode((root.get() as { node: RawNode }).node, (node) => {
    if (node.type !== "TemplateElement") return;
    const { start, end } = offsets(node as unknown as Parameters<typeof offsets>[0]);
    const raw = text.slice(map.toOriginal(start), map.toOriginal(end));
    if (raw.includes("\n")) out.push(raw);
  });
  return out;
}

/**
 * jscodeshift's parser for the file, wrapped to keep the text it was first given; and, to check
 * that the output parses, the same parser without tokens (recast needs them, a yes-or-no does not).
 */
function capturingParser(file: string): { parser: { parse(code: string): unknown }; parsed: () => string | undefined; validate(code: string): void } {
  const kind = parserFor(file);
  const make = require(`jscodeshift/parser/${kind}`) as () => { parse(code: string): unknown };
  const base = make();
  let first: string | undefined;
  return {
    parser: {
      parse(code: string) {
        first ??= code;
        return base.parse(code);
      },
    },
    parsed: () => first,
    validate(code: string) {
      // jscodeshift's own copy of Babel and its options, so what parses here parses for it.
      const own = createRequire(require.resolve(`jscodeshift/parser/${kind}`));
      const babel = own("@babel/parser") as typeof import("@babel/parser");
      const options = own("./tsOptions") as import("@babel/parser").ParserOptions;
      const plugins = kind === "tsx" ? ["jsx" as const, ...(options.plugins ?? [])] : options.plugins;
      babel.parse(code, { ...options, plugins, tokens: false });
    },
  };
}

/**
 * recast hands the parser its own copy of the text, with leading tabs expanded to spaces, so node
 * offsets count in that copy. Detection counted in the original: this maps between the two, line
 * by line (only leading whitespace differs).
 */
export class WhitespaceMap {
  private readonly original: Array<{ start: number; lead: number }> = [];
  private readonly parsed: Array<{ start: number; lead: number }> = [];
  readonly identity: boolean;

  constructor(original: string, parsed: string) {
    this.identity = original === parsed;
    if (this.identity) return;
    const a = original.split("\n");
    const b = parsed.split("\n");
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < a.length; i++) {
      const la = a[i].length - a[i].trimStart().length;
      const lb = (b[i] ?? "").length - (b[i] ?? "").trimStart().length;
      this.original.push({ start: sa, lead: la });
      this.parsed.push({ start: sb, lead: lb });
      sa += a[i].length + 1;
      sb += (b[i] ?? "").length + 1;
    }
  }

  toParsed(offset: number): number {
    return this.identity ? offset : this.convert(offset, this.original, this.parsed);
  }

  toOriginal(offset: number): number {
    return this.identity ? offset : this.convert(offset, this.parsed, this.original);
  }

  private convert(offset: number, from: Array<{ start: number; lead: number }>, to: Array<{ start: number; lead: number }>): number {
    let lo = 0;
    let hi = from.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (from[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - from[lo].start;
    return to[lo].start + (column >= from[lo].lead ? column - from[lo].lead + to[lo].lead : Math.min(column, to[lo].lead));
  }
}

/** Whether most indented lines of the text start with a tab. */
function indentsWithTabs(text: string): boolean {
  const tabs = text.match(/^\t/gm)?.length ?? 0;
  const spaces = text.match(/^ {2}/gm)?.length ?? 0;
  return tabs > spaces;
}

/** recast indents the code it reprints with spaces; a tab-indented file gets tabs back on those lines. */
function retab(output: string, original: string, tabWidth: number): string {
  const kept = new Set(original.split("\n"));
  return output
    .split("\n")
    .map((line) => {
      if (kept.has(line)) return line;
      const lead = /^[\t ]*/.exec(line)?.[0] ?? "";
      if (!lead.includes(" ")) return line;
      const columns = [...lead].reduce((n, ch) => (ch === "\t" ? n + tabWidth : n + 1), 0);
      return "\t".repeat(Math.floor(columns / tabWidth)) + " ".repeat(columns % tabWidth) + line.slice(lead.length);
    })
    .join("\n");
}

/** Whether the file ends statements with semicolons (a file in "standard" style has none at line ends). */
export function usesSemicolons(text: string): boolean {
  return /;[ \t]*(\/\/[^\n]*)?\r?$/m.test(text) || !/\S/.test(text);
}

/** The spliced output, when every change has an edit form and the result still parses. */
function spliced(validate: (code: string) => void, root: TransformContext["root"], parsedText: string, options: ConstructorParameters<typeof Splicer>[1]): string | undefined {
  const out = new Splicer(parsedText, options).splice(root.get().node);
  if (out === undefined) return undefined;
  try {
    // The parser alone: whether the text parses is all that is asked (recast's copy of the tree is not).
    validate(out);
  } catch {
    return undefined;
  }
  return out;
}

export function runTransforms(
  transforms: readonly Transform[],
  file: string,
  text: string,
  sites: CallSite[],
  options: TransformOptions,
): TransformRun {
  const capture = capturingParser(file);
  const j = jscodeshift.withParser(capture.parser as never);
  const root = j(text);
  // Node offsets count in the parser's copy of the text; the sites are moved there too.
  const parsedText = capture.parsed() ?? text;
  const map = new WhitespaceMap(text, parsedText);
  const report = new Reporter(new LineMap(parsedText));
  const ctx: TransformContext = {
    j,
    root,
    file,
    source: parsedText,
    typescript: isTypeScriptFile(file),
    sites: map.identity ? sites : sites.map((site) => ({ ...site, start: map.toParsed(site.start), end: map.toParsed(site.end) })),
    options,
    report,
    helpers: new Set(),
  };
  // Read the file's style before the transforms change the tree.
  const trailingComma = usesTrailingCommas(root, parsedText);
  const templates = multilineTemplates(root, text, map);
  let changed = false;
  // ast-types' scope scan fails on `catch {` (no binding, ES2019): each such clause gets a name no
  // code reads while the transforms run, taken away again before printing.
  // A raw walk, not root.find (which builds a NodePath for every node of the file), and only
  // where the text has such a clause at all.
  const unbound: N.CatchClause[] = [];
  if (/\bcatch\s*(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*\{/.test(parsedText)) {
    eachRawNode((root.get() as { node: RawNode }).node, (node) => {
      if (node.type !== "CatchClause" || node.param) return;
      const clause = node as unknown as N.CatchClause;
      clause.param = j.identifier(`cohereMigrateUnboundCatch${unbound.length}`);
      unbound.push(clause);
    });
  }
  try {
    for (const t of transforms) {
      if (t.apply(ctx)) changed = true;
    }
  } finally {
    for (const clause of unbound) clause.param = null;
  }
  const returns = [...report.returns.values()].filter((r): r is ScriptReturn => r !== "mixed");
  const unchanged: TransformRun = { output: text, changed: false, migrated: 0, markers: report.markers, notes: report.notes, dependencies: report.dependencies, helpers: [], returns, importedFollowed: report.importedFollowed, modelParams: report.modelParams };
  if (!changed && report.markers.length === 0) return unchanged;
  unshorten(ctx);
  raisePinnedSpecifiers(ctx);
  // Imported from the package's module, the helpers are part of the tree and spliced like the rest.
  const imported = importHelpers(ctx);
  const eol = lineTerminator(text);
  const tabs = indentsWithTabs(text);
  // Byte-range edits on the original text first; recast's reprint only where a change has no edit form.
  let output = spliced((code) => capture.validate(code), root, parsedText, { quote: quoteStyle(text), trailingComma, eol, semicolons: usesSemicolons(text), retab: (t) => t });
  if (output === undefined) {
    output = root.toSource({ quote: quoteStyle(text), lineTerminator: eol, trailingComma, arrowParensAlways: true });
    // recast re-indents lines it moves; inside a template literal that would change a string.
    const damaged = templates.find((t) => !output?.includes(t));
    if (damaged) throw new TransformError(`reprinting would change the multi-line template literal text ${JSON.stringify(damaged.slice(0, 40))}; file left untouched`);
  }
  if (tabs) output = retab(output, text, 4);
  const helpers = helperText(ctx, eol);
  if (helpers) {
    const trailing = /\r?\n$/.test(output);
    const body = indentsWithTabs(text) ? retab(helpers, "", 2) : helpers;
    output = output.replace(/\s*$/, "") + eol + eol + body + (trailing ? eol : "");
  }
  return {
    output,
    changed: output !== text,
    migrated: report.migrated,
    markers: report.markers,
    notes: report.notes,
    dependencies: report.dependencies,
    helpers: imported,
    returns,
    importedFollowed: report.importedFollowed,
    modelParams: report.modelParams,
  };
}

/** An import specifier that pins a release of cohere-ai itself (Deno's `npm:`, esm.sh, jsDelivr, Skypack). */
const PINNED_SPECIFIER = /^(npm:cohere-ai@|https:\/\/esm\.sh\/cohere-ai@|https:\/\/cdn\.jsdelivr\.net\/npm\/cohere-ai@|https:\/\/cdn\.skypack\.dev\/cohere-ai@)([\^~]?)(\d+)(?:\.(\d+))?(?:\.(\d+))?(\/.*|\?.*)?$/;

/**
 * Handles: `import { CohereClient } from "npm:cohere-ai@7.6.2"` (Deno, Supabase functions): no
 * package.json says which release runs, the specifier does, and `client.v2` needs the one this
 * migration asked for. A pin below it is raised in place (`@7.6.2` → `@7.12.0`, `^7.6.2` →
 * `^7.12.0`; a bare major below the needed one → that major), with a note.
 */
function raisePinnedSpecifiers(ctx: TransformContext): void {
  const minimum = ctx.report.dependencies.get("cohere-ai");
  if (!minimum) return;
  // Only a specifier holding `cohere-ai@` can match: most files are spared a walk of their tree.
  if (!ctx.source.includes("cohere-ai@")) return;
  const [maj, min, pat] = minimum.split(".").map(Number);
  ctx.root.find(ctx.j.StringLiteral).forEach((p: ASTPath<N.StringLiteral>) => {
    const m = PINNED_SPECIFIER.exec(p.node.value);
    if (!m) return;
    const parent = p.parent?.node;
    const isSource = N.ImportDeclaration.check(parent) || N.ExportNamedDeclaration.check(parent) || N.ExportAllDeclaration.check(parent) || (N.CallExpression.check(parent) && parent.arguments[0] === p.node);
    if (!isSource) return;
    const [, prefix, op, a, b, c, rest] = m;
    const version = [Number(a), b === undefined ? undefined : Number(b), c === undefined ? undefined : Number(c)] as const;
    const below = version[0] < maj || (version[1] !== undefined && version[0] === maj && (version[1] < min || (version[1] === min && (version[2] ?? 0) < pat)));
    if (!below) return;
    const to = version[1] === undefined ? `${maj}` : `${op}${minimum}`;
    const next = `${prefix}${to}${rest ?? ""}`;
    ctx.report.note("dependency-updated", p.node, `raised the import specifier ${p.node.value} to ${next}: the migrated calls need cohere-ai ${minimum}`);
    p.replace(ctx.j.stringLiteral(next));
  });
}

/**
 * A shorthand property whose value a transform replaced (`{ id }` with `id` now `response.id`)
 * prints as `{ response.id }`, a syntax error: such a property is written out, `{ id: response.id }`.
 */
function unshorten(ctx: TransformContext): void {
  const visit = (prop: N.ObjectProperty | N.Property): void => {
    const p = prop as { shorthand?: boolean };
    if (!p.shorthand) return;
    const key = prop.key;
    const value = prop.value;
    const same = N.Identifier.check(key) && N.Identifier.check(value) && key.name === value.name;
    // `{ a = 1 }` in a pattern keeps its shorthand: its value is an AssignmentPattern on the same name.
    const defaulted = N.Identifier.check(key) && N.AssignmentPattern.check(value) && N.Identifier.check(value.left) && value.left.name === key.name;
    if (!same && !defaulted) p.shorthand = false;
  };
  // The nodes alone are needed: a raw walk of the tree as the transforms left it (root.find would
  // build a NodePath for every node of the file, twice).
  eachRawNode((ctx.root.get() as { node: RawNode }).node, (node) => {
    if (node.type === "ObjectProperty" || node.type === "Property") visit(node as unknown as N.ObjectProperty | N.Property);
  });
}
