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
import { insertMarkerOnce, isCall, referencesOf, type ScriptImportedReturn, type Transform, type TransformContext } from "../src/transform/kit";
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
    for (const imported of ctx.options.importedReturns ?? []) if (followImported(ctx, imported)) changed = true;
    return changed;
  },
};

export default asJscodeshift([generateCallersToChat]);

/** No request of this module: reads of `prompt` get a marker, nothing is cut. */
const NO_PLAN: RequestPlan = { stream: false, likelihoods: false };

function followImported(ctx: TransformContext, imported: ScriptImportedReturn): boolean {
  const [head, member] = imported.callee.split(".");
  const binding = importBinding(ctx, head);
  if (!binding) {
    record(ctx, imported.key, 0, false);
    return false;
  }
  const refs: ASTPath[] = [];
  for (const ref of referencesOf(ctx, binding)) {
    if (member === undefined) refs.push(ref);
    else {
      // `llm.draft(...)` through `import * as llm`: other members of the namespace are not this function.
      const parent = ref.parent as ASTPath | null;
      if (parent && N.MemberExpression.check(parent.node) && parent.node.object === ref.node && !parent.node.computed && N.Identifier.check(parent.node.property) && parent.node.property.name === member) refs.push(parent);
      else if (!(parent && N.MemberExpression.check(parent.node) && parent.node.object === ref.node)) refs.push(ref);
    }
  }
  let calls = 0;
  let all = true;
  let changed = false;
  for (const ref of refs) {
    const call = ref.parent as ASTPath | null;
    if (call && isCall(call.node) && call.node.callee === ref.node && (member === undefined || ref.node !== binding.node)) {
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
