/**
 * What every transform shares: the context it runs in, marker insertion (once per statement),
 * fresh names, reference lookup and site lookup. Transforms change the AST only through nodes
 * they were given by detection.
 */
import type { HelperImport } from "./helper-module";
import type { ImportedModelParam, ModelParam } from "../engine/cross-module";
import type { ASTPath as JPath, Collection, JSCodeshift } from "jscodeshift";
import { namedTypes as N } from "ast-types";
import { eachRawNode, nodesSpanning, type RawNode } from "./raw-walk";

/** A path in the jscodeshift AST; nodes are typed by ast-types' namedTypes. */
export type ASTPath<T extends N.Node = N.Node> = JPath<T>;
import { IGNORE_LINE, LineMap, markerText, MARKER_PREFIX, type MarkerCode } from "../markers";
import type { CallSite, MarkerRecord, Note, NoteKind , SiteKind } from "../types";

export interface TransformOptions {
  /** Model for calls that name none or a retired one. */
  model: string;
  /** True when the user passed --model. */
  modelFromFlag: boolean;
  /** Where the package's helper module is (migrate); without it, helpers are appended to the file. */
  helperImport?: HelperImport;
  /**
   * Exported functions of other modules that now return a Chat v2 response, as this module names
   * them: their calls here are followed as the value (transforms/imported-returns.ts).
   */
  importedReturns?: ScriptImportedReturn[];
  /** This module's exported functions whose callers in other modules were all followed there, with those modules. */
  followedElsewhere?: Record<string, string[]>;
  /** Exported functions of other modules that send a parameter as Chat's model, as this module calls them. */
  importedModelParams?: ImportedModelParam[];
}

/** What a function returns to callers in other modules (plain data: it crosses worker threads). */
export interface ScriptReturnedKind {
  is: "response" | "list";
  /** A Promise of it (an async function, or one returning the call's Promise). */
  promise: boolean;
}

export interface ScriptReturn {
  /** The name other modules import it by. */
  name: string;
  kind: ScriptReturnedKind;
  isAsync: boolean;
}

export interface ScriptImportedReturn {
  /** As this module calls it: `draft` (`import { draft } from "./llm"`) or `llm.draft` (`import * as llm`). */
  callee: string;
  kind: ScriptReturnedKind;
  isAsync: boolean;
  key: string;
}

/** What a transform run reports back, besides the new text. */
export class Reporter {
  migrated = 0;
  readonly markers: MarkerRecord[] = [];
  readonly notes: Note[] = [];
  /** package.json changes the transforms ask for ("cohere-ai" to "^8.1.0"). */
  readonly dependencies = new Map<string, string>();
  /** Exported functions that now return a Chat v2 response (for their callers in other modules). */
  readonly returns = new Map<string, ScriptReturn | "mixed">();
  /** Per ScriptImportedReturn key: the calls followed here, and whether every reference was one. */
  readonly importedFollowed = new Map<string, { calls: number; all: boolean }>();
  /** Exported functions that send a parameter as Chat's model (for their callers in other modules). */
  readonly modelParams: ModelParam[] = [];
  constructor(private readonly lines: LineMap) {}

  note(kind: NoteKind, node: N.Node, message: string): void {
    this.notes.push({ kind, span: this.span(node), message });
  }

  span(node: N.Node): MarkerRecord["span"] {
    const { start, end } = offsets(node);
    return this.lines.span(start, end);
  }
}

export interface TransformContext {
  j: JSCodeshift;
  root: Collection;
  file: string;
  source: string;
  typescript: boolean;
  /** Detected legacy sites of this file (all kinds); each transform picks its own. */
  sites: CallSite[];
  options: TransformOptions;
  report: Reporter;
  /** Names of helper functions this run must append, in order. */
  helpers: Set<string>;
}

/** The jscodeshift-style contract every registered transform fulfils. */
export interface Transform {
  /** Equals the file name under transforms/ (checked by a meta-test). */
  name: string;
  /** The legacy form it migrates, for docs and the CLI. */
  from: string;
  to: string;
  description: string;
  /** Applies to the AST in place; returns whether anything changed. */
  apply(ctx: TransformContext): boolean;
}

/** Records that migrated code needs at least this cohere-ai version (the engine updates package.json). */
export function requireCohere(ctx: TransformContext, minimum: "7.12.0" | "8.1.0"): void {
  const current = ctx.report.dependencies.get("cohere-ai");
  if (current !== "8.1.0") ctx.report.dependencies.set("cohere-ai", minimum);
}

export function offsets(node: N.Node): { start: number; end: number } {
  const n = node as N.Node & { start?: number; end?: number };
  return { start: n.start ?? 0, end: n.end ?? 0 };
}

/**
 * The node a detected site points at, as a path in the tree as it is now: found by descending
 * through the nodes whose span holds the site's (no path is built for any other node). A node an
 * earlier rewrite moved out of its old surroundings is looked for in the whole tree.
 */
export function pathAt<T extends N.Node>(
  ctx: TransformContext,
  site: CallSite,
  types: ReadonlyArray<{ check(n: unknown): boolean }>,
): ASTPath<T> | undefined {
  const root = ctx.root.get() as ASTPath;
  const rootNode = root.node as unknown as RawNode;
  const fits = (c: { node: RawNode }): boolean => types.some((t) => t.check(c.node));
  const match = nodesSpanning(rootNode, site.start, site.end, true).find(fits) ?? nodesSpanning(rootNode, site.start, site.end, false).find(fits);
  if (!match) return undefined;
  let path = root;
  for (const [field, index] of match.steps) path = (index === undefined ? path.get(field) : path.get(field, index)) as ASTPath;
  return path as ASTPath<T>;
}

/**
 * The loop every transform runs: each certain site of `kind`, in file order, with its node;
 * `migrate` says whether it changed the file. Sites whose node an earlier rewrite replaced are
 * passed over.
 */
export function forEachSite<T extends N.Node>(
  ctx: TransformContext,
  kind: SiteKind,
  types: ReadonlyArray<{ check(n: unknown): boolean }>,
  migrate: (path: ASTPath<T>, site: CallSite) => boolean,
): boolean {
  let changed = false;
  for (const site of ctx.sites) {
    if (site.kind !== kind || site.certainty !== "certain") continue;
    const path = pathAt<T>(ctx, site, types);
    if (path && migrate(path, site)) changed = true;
  }
  return changed;
}

/** The nearest ancestor that is a statement (or class member), where a comment is always legal. */
export function statementOf(path: ASTPath): ASTPath {
  let p: ASTPath | null = path;
  while (p) {
    const n = p.node;
    if (N.Statement.check(n) && !N.BlockStatement.check(n)) return enclosingStatement(p);
    if (N.ClassProperty.check(n) || N.ClassMethod.check(n) || N.MethodDefinition.check(n)) return p;
    p = p.parent;
  }
  return path;
}

/**
 * A statement that is the unbraced body of an `if`, `else` or loop is marked on that `if` chain or
 * loop (a comment between `if (x)` and its statement reads as part of the condition), and one
 * under `export` on the export.
 */
function enclosingStatement(stmt: ASTPath): ASTPath {
  let p = stmt;
  for (;;) {
    const parent = p.parent as ASTPath | null;
    const node = parent?.node;
    if (!parent || !node) return p;
    const isBody =
      (N.IfStatement.check(node) && (node.consequent === p.node || node.alternate === p.node)) ||
      ((N.ForStatement.check(node) || N.ForOfStatement.check(node) || N.ForInStatement.check(node) || N.WhileStatement.check(node) || N.DoWhileStatement.check(node) || N.LabeledStatement.check(node)) &&
        (node as { body: N.Node }).body === p.node);
    if (isBody || N.ExportNamedDeclaration.check(node) || N.ExportDefaultDeclaration.check(node)) p = parent;
    else return p;
  }
}

interface Commented {
  comments?: N.Comment[] | null;
  leadingComments?: Array<{ value: string }> | null;
}

/** The marker codes already on a node (leading comments). */
function existingMarkers(node: N.Node): string[] {
  const n = node as unknown as Commented;
  const all = [...(n.comments ?? []), ...(n.leadingComments ?? [])];
  const codes: string[] = [];
  for (const c of all) {
    const m = c.value.match(/cohere-migrate:\s*([a-z0-9-]+)/);
    if (m) codes.push(m[1]);
  }
  return codes;
}

/**
 * Puts `/* cohere-migrate: <code> ... *\/` before the statement holding `path`, unless that
 * statement already carries a marker with the same code.
 */
export function insertMarkerOnce(ctx: TransformContext, path: ASTPath, code: MarkerCode, detail?: string): void {
  const stmt = statementOf(path);
  if (existingMarkers(stmt.node).includes(code)) return;
  const node = stmt.node as unknown as Commented;
  const comment = ctx.j.commentBlock(markerText(code, detail), true, false);
  // Above the `// cohere-migrate-ignore` comments right over the statement, which must stay next to it.
  const comments = [...(node.comments ?? [])];
  let at = comments.length;
  while (at > 0 && comments[at - 1].leading && IGNORE_COMMENT.test(comments[at - 1].value)) at--;
  comments.splice(at, 0, comment);
  node.comments = comments;
  ctx.report.markers.push({ code, message: markerText(code, detail).trim().slice(MARKER_PREFIX.length).trim(), span: ctx.report.span(stmt.node) });
}

const IGNORE_COMMENT = new RegExp(`^\\s*${IGNORE_LINE}(?!-file)\\b`);

/** A node that replaces another takes over its comments (`// the prompt` above `prompt: ...`). */
export function withCommentsOf<T extends N.Node>(from: N.Node, to: T): T {
  const comments = (from as unknown as Commented).comments;
  if (comments?.length) (to as unknown as Commented).comments = comments;
  return to;
}

/** Whether a name is bound anywhere in the file (a conservative test for fresh names). */
export function isNameTaken(ctx: TransformContext, name: string): boolean {
  return ctx.root.find(ctx.j.Identifier, { name }).size() > 0;
}

/** `base`, or `base2`, `base3`... whichever is not yet used in the file. */
export function freshName(ctx: TransformContext, base: string, reserved: Set<string> = new Set()): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}${i}`;
    if (!reserved.has(name) && !isNameTaken(ctx, name)) return name;
  }
}

/** True for an identifier used as a value (not a property key, label, or type). */
export function isValueReference(path: ASTPath): boolean {
  const parent = path.parent?.node;
  const node = path.node;
  if (!parent) return true;
  if ((N.MemberExpression.check(parent) || N.OptionalMemberExpression.check(parent)) && parent.property === node && !parent.computed) return false;
  if ((N.Property.check(parent) || N.ObjectProperty.check(parent)) && parent.key === node && !parent.computed) {
    // `{ x }` shorthand: the value side is a reference.
    return Boolean((parent as { shorthand?: boolean }).shorthand) && parent.value === node;
  }
  if ((N.ClassProperty.check(parent) || N.ClassMethod.check(parent) || N.MethodDefinition.check(parent)) && parent.key === node) return false;
  if (N.LabeledStatement.check(parent) || N.BreakStatement.check(parent) || N.ContinueStatement.check(parent)) return false;
  if (N.ImportSpecifier.check(parent) || N.ExportSpecifier.check(parent)) return false;
  if (parent.type.startsWith("TS") && parent.type !== "TSAsExpression" && parent.type !== "TSNonNullExpression" && parent.type !== "TSSatisfiesExpression") return false;
  return true;
}

/**
 * References of the binding an identifier declares, in its scope, without the declaration itself.
 * ast-types scopes are function-wide, so block scoping is applied here: a `let`/`const` binding is
 * seen only inside its block, and not where a nested block declares the same name again (two
 * loops that both say `const event` are two bindings).
 */
export function referencesOf(ctx: TransformContext, declId: ASTPath): ASTPath[] {
  if (!N.Identifier.check(declId.node)) return [];
  const name = declId.node.name;
  const scope = (declId as ASTPath & { scope?: Scope }).scope?.lookup(name);
  if (!scope) return [];
  const block = lexicalBlock(declId);
  const out: ASTPath[] = [];
  ctx.j(scope.path)
    .find(ctx.j.Identifier, { name })
    .forEach((p: ASTPath) => {
      if (p.node === declId.node) return;
      if (!isValueReference(p)) return;
      const s = (p as ASTPath & { scope?: Scope }).scope?.lookup(name);
      if (s !== scope) return;
      if (block && !isLexicallyVisible(p, block, name)) return;
      out.push(p);
    });
  return out;
}

/** Whether `ref` sees the binding of `name` declared directly in `block`. */
function isLexicallyVisible(ref: ASTPath, block: N.Node, name: string): boolean {
  let inside = false;
  for (let p: ASTPath | null = ref.parent; p; p = p.parent) {
    if (p.node === block) {
      inside = true;
      break;
    }
    if (isBlockScope(p.node) && declaresLexically(p.node, name)) return false;
  }
  return inside;
}

const LOOPS = [N.ForOfStatement, N.ForInStatement, N.ForStatement];

/** Whether `node` opens a block in which `let`/`const`/`class` bind names. */
function isBlockScope(node: N.Node): boolean {
  return N.BlockStatement.check(node) || N.SwitchStatement.check(node) || N.StaticBlock.check(node) || LOOPS.some((t) => t.check(node));
}

/** Whether `block` itself declares `name` with let, const or class (not in nested blocks). */
function declaresLexically(block: N.Node, name: string): boolean {
  const declares = (decl: N.Node | null | undefined): boolean =>
    Boolean(decl) &&
    N.VariableDeclaration.check(decl) &&
    decl.kind !== "var" &&
    decl.declarations.some((d) => N.VariableDeclarator.check(d) && patternBinds(d.id, name));
  if (N.ForOfStatement.check(block) || N.ForInStatement.check(block)) return declares(block.left);
  if (N.ForStatement.check(block)) return declares(block.init);
  const list = N.SwitchStatement.check(block) ? block.cases.flatMap((c) => c.consequent) : N.BlockStatement.check(block) || N.StaticBlock.check(block) ? block.body : [];
  return list.some((s) => declares(s) || (N.ClassDeclaration.check(s) && s.id?.name === name));
}

function patternBinds(pattern: N.Node, name: string): boolean {
  if (N.Identifier.check(pattern)) return pattern.name === name;
  if (N.ObjectPattern.check(pattern)) {
    return pattern.properties.some((p) =>
      N.RestElement.check(p) ? patternBinds(p.argument, name) : (N.ObjectProperty.check(p) || N.Property.check(p)) && patternBinds(p.value as N.Node, name),
    );
  }
  if (N.ArrayPattern.check(pattern)) return pattern.elements.some((e) => e !== null && patternBinds(e, name));
  if (N.AssignmentPattern.check(pattern)) return patternBinds(pattern.left, name);
  if (N.RestElement.check(pattern)) return patternBinds(pattern.argument, name);
  return false;
}

/** The block a `let`/`const` binding lives in; undefined for `var`, parameters and functions. */
function lexicalBlock(declId: ASTPath): N.Node | undefined {
  let p: ASTPath | null = declId.parent;
  while (p && !N.VariableDeclaration.check(p.node)) {
    if (N.Function.check(p.node)) return undefined;
    p = p.parent;
  }
  if (!p || (p.node as N.VariableDeclaration).kind === "var") return undefined;
  for (let q: ASTPath | null = p.parent; q; q = q.parent) if (isBlockScope(q.node) || N.Program.check(q.node)) return q.node;
  return undefined;
}

interface Scope {
  path: ASTPath;
  lookup(name: string): Scope | undefined;
}

/**
 * An expression built from source text, with `$0`, `$1`, ... replaced by the given nodes. Printed
 * from its own text, so new code comes out as written here (one line) and moved nodes keep theirs.
 * String literals in `code` use double quotes; they are turned to the file's quote style.
 */
export function expression(ctx: TransformContext, code: string, ...nodes: N.Node[]): N.Node {
  const quoted = quoteStyle(ctx.source) === "single" ? code.replace(/"([^"'\\]*)"/g, "'$1'") : code;
  const placeholders = quoted.replace(/\$(\d+)/g, "__cm_$1__");
  const program = ctx.j(`(${placeholders});`).find(ctx.j.ExpressionStatement).paths()[0];
  if (!program) throw new Error(`internal: cannot parse snippet ${code}`);
  const stmt = program.node as N.ExpressionStatement;
  let expr = stmt.expression as N.Node & { extra?: { parenthesized?: boolean } };
  if (expr.extra) expr.extra.parenthesized = false;
  ctx.j(program)
    .find(ctx.j.Identifier)
    .forEach((p: ASTPath) => {
      const m = /^__cm_(\d+)__$/.exec((p.node as N.Identifier).name);
      if (!m) return;
      const node = nodes[Number(m[1])];
      if (p.node === expr) expr = node as typeof expr;
      else p.replace(node);
    });
  return expr;
}

/** Dominant quote style of the file, so that new string literals match it. */
export function quoteStyle(source: string): "single" | "double" {
  const singles = source.match(/'[^'\n]*'/g)?.length ?? 0;
  const doubles = source.match(/"[^"\n]*"/g)?.length ?? 0;
  return singles > doubles ? "single" : "double";
}

/**
 * Whether the file's multi-line object and array literals end with a trailing comma (as Prettier
 * writes them by default, which is also the answer when the file has none to go by).
 */
export function usesTrailingCommas(root: Collection, source: string): boolean {
  let withComma = 0;
  let without = 0;
  eachRawNode((root.get() as ASTPath).node as unknown as RawNode, (node) => {
    if (node.type !== "ObjectExpression" && node.type !== "ArrayExpression") return;
    const { start, end } = offsets(node as unknown as N.Node);
    const text = source.slice(start, end);
    if (!text.includes("\n") || (node as { properties?: unknown[] }).properties?.length === 0) return;
    // The last thing before the closing bracket, comments aside (`a: 1, // note`).
    const inner = text.slice(0, -1).replace(/\/\/[^\n]*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "").trimEnd();
    if (inner.endsWith(",")) withComma++;
    else if (!inner.endsWith("{") && !inner.endsWith("[")) without++;
  });
  return withComma >= without;
}

// AST shapes every transform's value-following meets.

/** The parent of a value, skipping wrappers that do not change it (`(x)`, `x!`, `x as T`, `x satisfies T`). */
export function up(path: ASTPath): { parent: ASTPath | null; child: ASTPath } {
  let child = path;
  let parent = path.parent as ASTPath | null;
  while (
    parent &&
    (N.ParenthesizedExpression.check(parent.node) ||
      N.TSNonNullExpression.check(parent.node) ||
      N.TSAsExpression.check(parent.node) ||
      N.TSSatisfiesExpression.check(parent.node))
  ) {
    child = parent;
    parent = parent.parent as ASTPath | null;
  }
  return { parent, child };
}

export function isMember(node: N.Node): node is N.MemberExpression {
  return N.MemberExpression.check(node) || N.OptionalMemberExpression.check(node);
}

export function isCall(node: N.Node): node is N.CallExpression {
  return N.CallExpression.check(node) || N.OptionalCallExpression.check(node);
}

/** Any function: declaration, expression, arrow, object or class method. */
export function isFunction(node: N.Node): boolean {
  return N.Function.check(node);
}

/** `x.name` or `x["name"]`. */
export function memberName(node: N.MemberExpression): string | undefined {
  const prop = node.property;
  if (!node.computed && N.Identifier.check(prop)) return prop.name;
  if (N.StringLiteral.check(prop)) return prop.value;
  return undefined;
}

/** The identifier that names a function (`function f`, `const f = () =>`), for finding its calls. */
export function functionBinding(fn: ASTPath): ASTPath | undefined {
  const node = fn.node;
  if (N.FunctionDeclaration.check(node) && node.id) return fn.get("id") as ASTPath;
  const parent = fn.parent as ASTPath | null;
  if (parent && N.VariableDeclarator.check(parent.node) && N.Identifier.check(parent.node.id)) return parent.get("id") as ASTPath;
  return undefined;
}

/**
 * The names other modules import a function by: its own name when its declaration is exported
 * (`export function ask`, `export const ask = ...`), `export { ask as query }`, and CommonJS
 * `module.exports = { ask }` / `exports.ask = ask`. `export default` is not followed (none).
 */
export function exportNames(ctx: TransformContext, fn: ASTPath, binding: ASTPath): string[] {
  const name = (binding.node as N.Identifier).name;
  const out = new Set<string>();
  for (let p: ASTPath | null = fn.parent; p; p = p.parent) {
    if (N.ExportDefaultDeclaration.check(p.node)) return [];
    if (N.ExportNamedDeclaration.check(p.node)) out.add(name);
    if (N.Program.check(p.node)) break;
  }
  ctx.root.find(ctx.j.ExportSpecifier).forEach((p: ASTPath<N.ExportSpecifier>) => {
    const local = p.node.local ?? p.node.exported;
    if (N.Identifier.check(local) && local.name === name && N.Identifier.check(p.node.exported) && !(p.parent?.node as N.ExportNamedDeclaration | undefined)?.source) out.add(p.node.exported.name);
  });
  ctx.root.find(ctx.j.AssignmentExpression).forEach((p: ASTPath<N.AssignmentExpression>) => {
    const left = p.node.left;
    const right = p.node.right;
    // exports.ask = ask, module.exports.ask = ask
    if (N.MemberExpression.check(left) && !left.computed && N.Identifier.check(left.property) && N.Identifier.check(right) && right.name === name && isExportsObject(left.object as N.Node)) out.add(left.property.name);
    // module.exports = { ask, query: ask }
    if (isExportsObject(left as N.Node) && N.ObjectExpression.check(right)) {
      for (const prop of right.properties) {
        if ((N.ObjectProperty.check(prop) || N.Property.check(prop)) && !prop.computed && N.Identifier.check(prop.key) && N.Identifier.check(prop.value) && prop.value.name === name) out.add(prop.key.name);
      }
    }
  });
  return [...out];
}

export function isExportsObject(node: N.Node): boolean {
  if (N.Identifier.check(node)) return node.name === "exports";
  return N.MemberExpression.check(node) && !node.computed && N.Identifier.check(node.object) && node.object.name === "module" && N.Identifier.check(node.property) && node.property.name === "exports";
}
