/**
 * generate-callers-to-chat: calls, in this module, of a function of another module that migrate
 * changed to return a Chat v2 response (`export async function draft(p) { return co.generate(...) }`
 * in llm.ts, `(await draft(p)).generations[0].text` here). Its reads follow the response table as
 * they would in the function's own module. The engine tells the run which imports those are
 * (TransformOptions.importedReturns, found after every file's first migration, engine/script-callers.ts);
 * a reference that is not a call (the function passed on, re-exported) gets a `response-shape` marker,
 * and the function keeps its own.
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { insertMarkerOnce, isCall, offsets, referencesOf, type ScriptImportedReturn, type Transform, type TransformContext } from "../src/transform/kit";
import type { ImportedModelParam } from "../src/engine/cross-module";
import { RETIRED_MODELS } from "./generate-to-chat/request-table";
import { hasIgnoreFile, ignoredLines, LineMap } from "../src/markers";
import { asJscodeshift } from "../src/transform/standalone";
import { ResponseRewriter } from "./generate-to-chat/response";
import type { RequestPlan } from "./generate-to-chat/request";

export const generateCallersToChat: Transform = {
  name: "generate-callers-to-chat",
  from: "(await draft(p)).generations[0].text, where draft (another module) now returns a Chat response",
  to: "chatText(await draft(p))",
  description: "Rewrites the reads of calls to functions of other modules that migrate changed to return a Chat v2 response; marks references it cannot follow.",
  apply(ctx) {
    let changed = false;
    const followed = new Set<N.Node>();
    const named: Array<{ imported: ScriptImportedReturn; head: string; binding: ASTPath }> = [];
    for (const imported of ctx.options.importedReturns ?? []) if (followImported(ctx, imported, followed, named)) changed = true;
    // A name the file also uses where no entry followed it (a nested block's own `const draft`,
    // which ast-types scopes to the function; an object key in a test's mock; `x.draft` on an
    // object that may be the module re-exported): that function is not all followed here.
    for (const { imported, head, binding } of named) if (unaccounted(ctx, head, binding, followed)) record(ctx, imported.key, 0, false);
    for (const imported of ctx.options.importedModelParams ?? []) if (retiredModelsPassed(ctx, imported)) changed = true;
    return changed;
  },
};

export default asJscodeshift([generateCallersToChat]);

/** No request of this module: reads of `prompt` get a marker, nothing is cut. */
const NO_PLAN: RequestPlan = { stream: false, likelihoods: false };

function followImported(ctx: TransformContext, imported: ScriptImportedReturn, followed: Set<N.Node>, named: Array<{ imported: ScriptImportedReturn; head: string; binding: ASTPath }>): boolean {
  const [head, member] = imported.callee.split(".");
  const binding = importBinding(ctx, head);
  // `// cohere-migrate-ignore-file`: the file is left as it is, and the function keeps its marker.
  if (!binding || hasIgnoreFile(ctx.source)) {
    record(ctx, imported.key, 0, false);
    return false;
  }
  const ignored = ignoredLines(ctx.source);
  const lines = new LineMap(ctx.source);
  const refs: ASTPath[] = [];
  for (const ref of referencesOf(ctx, binding)) {
    if (member === undefined) refs.push(ref);
    else {
      // `llm.draft(...)` through `import * as llm`: other members of the namespace are not this function.
      const parent = ref.parent as ASTPath | null;
      if (parent && N.MemberExpression.check(parent.node) && parent.node.object === ref.node && !parent.node.computed && N.Identifier.check(parent.node.property) && parent.node.property.name === member) refs.push(parent);
      // `llm["draft"]`, `llm[name]`: maybe this function, not followed (marked).
      else if (parent && N.MemberExpression.check(parent.node) && parent.node.object === ref.node && parent.node.computed) refs.push(parent);
      else if (!(parent && N.MemberExpression.check(parent.node) && parent.node.object === ref.node)) refs.push(ref);
    }
  }
  let calls = 0;
  let all = true;
  // Checked once every entry is followed (apply); a namespace's other uses are other functions,
  // and a namespace handed on as a value is a reference, marked below.
  if (member === undefined) named.push({ imported, head, binding });
  for (const ref of refs) {
    followed.add(ref.node);
    if (N.MemberExpression.check(ref.node)) followed.add(ref.node.property);
  }
  let changed = false;
  for (const ref of refs) {
    const call = ref.parent as ASTPath | null;
    if (ignored.has(lines.location(offsets(ref.node).start).line)) {
      all = false;
      continue;
    }
    if (call && isCall(call.node) && call.node.callee === ref.node && (member === undefined || !(ref.node as N.MemberExpression).computed)) {
      const rewriter = new ResponseRewriter(ctx, imported.kind.is === "list" ? "list" : "single", NO_PLAN);
      if (imported.kind.promise) rewriter.followPromise(call);
      else rewriter.followAwaited(call);
      calls++;
      changed = true;
    } else {
      insertMarkerOnce(ctx, ref, "response-shape", `(${imported.callee} now returns a Chat v2 response: update what reads it)`);
      all = false;
      changed = true;
    }
  }
  record(ctx, imported.key, calls, all);
  return changed;
}

/**
 * Calls here of another module's exported function that sends a parameter as the model
 * (ImportedModelParam): a retired model passed there (`ask(p, "command-nightly")`, `ask({ prompt,
 * model: "command" })`) is replaced where it is written, or marked when the function reads the
 * parameter for more than the model (or its type may not take the new id).
 */
function retiredModelsPassed(ctx: TransformContext, imported: ImportedModelParam): boolean {
  const [head, member] = imported.callee.split(".");
  const binding = importBinding(ctx, head);
  if (imported.index < 0 || !binding || hasIgnoreFile(ctx.source)) return false;
  const ignored = ignoredLines(ctx.source);
  const lines = new LineMap(ctx.source);
  let changed = false;
  for (const ref of referencesOf(ctx, binding)) {
    let callee: ASTPath = ref;
    if (member !== undefined) {
      const parent = ref.parent as ASTPath | null;
      if (!parent || !N.MemberExpression.check(parent.node) || parent.node.object !== ref.node || parent.node.computed || !N.Identifier.check(parent.node.property) || parent.node.property.name !== member) continue;
      callee = parent;
    }
    const call = callee.parent as ASTPath | null;
    if (!call || !isCall(call.node) || (call.node as N.CallExpression).callee !== callee.node) continue;
    const args = (call.node as N.CallExpression).arguments;
    if (args.slice(0, imported.index + 1).some((a) => N.SpreadElement.check(a)) || ignored.has(lines.location(offsets(call.node).start).line)) continue;
    let target = args[imported.index] ? (call.get("arguments", imported.index) as ASTPath) : undefined;
    if (target && imported.property !== undefined) {
      const object = target.node;
      const at = N.ObjectExpression.check(object) ? object.properties.findIndex((p) => (N.ObjectProperty.check(p) || N.Property.check(p)) && !p.computed && N.Identifier.check(p.key) && p.key.name === imported.property) : -1;
      target = at === -1 ? undefined : (target.get("properties", at, "value") as ASTPath);
    }
    // Handles: const MODEL = "command"; ask(p, MODEL): the const's literal is what is passed; this
    // argument is replaced (the const may be read elsewhere, and keeps its value).
    const model = target && (stringLiteral(target.node) ?? constString(ctx, target.node));
    if (!target || model === undefined || !RETIRED_MODELS.has(model)) continue;
    if (imported.shared) {
      insertMarkerOnce(ctx, call, "retired-model", `("${model}" reaches the model of ${imported.callee}, which also reads, rebinds or narrowly types ${imported.property ?? imported.param}: pass a Chat model)`);
    } else {
      ctx.report.note("model-defaulted", target.node, `model: "${model}" (passed to ${imported.callee} as ${imported.property ?? imported.param}) is retired, now "${ctx.options.model}"`);
      target.replace(ctx.j.stringLiteral(ctx.options.model));
    }
    changed = true;
  }
  return changed;
}

/** The string literal a `const` of this file with that name is initialised with (declared once). */
function constString(ctx: TransformContext, node: N.Node): string | undefined {
  if (!N.Identifier.check(node)) return undefined;
  const found: string[] = [];
  let declarations = 0;
  ctx.root.find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name: node.name } }).forEach((p: ASTPath<N.VariableDeclarator>) => {
    declarations++;
    const kind = (p.parent?.node as N.VariableDeclaration | undefined)?.kind;
    const value = p.node.init ? stringLiteral(p.node.init) : undefined;
    if (kind === "const" && value !== undefined) found.push(value);
  });
  return declarations === 1 && found.length === 1 ? found[0] : undefined;
}

function stringLiteral(node: N.Node): string | undefined {
  if (N.StringLiteral.check(node)) return node.value;
  return N.Literal.check(node) && typeof node.value === "string" ? node.value : undefined;
}

/** Identifiers named `name` in the file besides the import binding and the references followed (by any entry). */
function unaccounted(ctx: TransformContext, name: string, binding: ASTPath, followed: ReadonlySet<N.Node>): number {
  const known = new Set<N.Node>([binding.node, ...followed]);
  let count = 0;
  ctx.root.find(ctx.j.Identifier, { name }).forEach((p: ASTPath<N.Identifier>) => {
    const parent = p.parent?.node;
    // The import specifier's imported name (`{ draft as d }`) and export specifiers are not uses.
    if (known.has(p.node) || N.ImportSpecifier.check(parent) || N.ExportSpecifier.check(parent)) return;
    // The key of `const { draft } = require(...)`, whose value is the binding.
    if ((N.ObjectProperty.check(parent) || N.Property.check(parent)) && parent.key === p.node && known.has(parent.value as N.Node)) return;
    // (`x.draft` counts: `x` may be the module re-exported, `export * as llm`.)
    count++;
  });
  return count;
}

/** One module may name a function twice (`import { draft }` and `import * as llm`): the answers add up. */
function record(ctx: TransformContext, key: string, calls: number, all: boolean): void {
  const prev = ctx.report.importedFollowed.get(key);
  ctx.report.importedFollowed.set(key, { calls: calls + (prev?.calls ?? 0), all: all && (prev?.all ?? true) });
}

/** The identifier an import binds `name` to: `import { name }`, `import * as name`, `const { name } = require(...)`, `const name = require(...)`. */
function importBinding(ctx: TransformContext, name: string): ASTPath | undefined {
  let found: ASTPath | undefined;
  ctx.root.find(ctx.j.Identifier, { name }).forEach((p: ASTPath<N.Identifier>) => {
    if (found) return;
    const parent = p.parent?.node;
    if ((N.ImportSpecifier.check(parent) || N.ImportNamespaceSpecifier.check(parent) || N.ImportDefaultSpecifier.check(parent)) && parent.local === p.node) found = p;
    // const { name } = require("./llm"), const name = require("./llm")
    const declarator = N.VariableDeclarator.check(parent) ? p.parent : (N.ObjectProperty.check(parent) || N.Property.check(parent)) && parent.value === p.node ? p.parent?.parent?.parent : undefined;
    const init = declarator && N.VariableDeclarator.check(declarator.node) ? declarator.node.init : undefined;
    if (init && N.CallExpression.check(init) && N.Identifier.check(init.callee) && init.callee.name === "require") found = p;
  });
  return found;
}
