/**
 * generate-to-chat: `client.generate({...})` on cohere-ai 7/8 becomes a Chat v2 call
 * (`client.v2.chat` on a CohereClient, `client.chat` on a CohereClientV2) with `messages`, and the
 * uses of its response are rewritten (SPEC.md "Request", "Response").
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { forEachSite, insertMarkerOnce, referencesOf, requireCohere, type Transform, type TransformContext } from "../src/transform/kit";
import { asJscodeshift } from "../src/transform/standalone";
import type { CallSite } from "../src/types";
import { finishChatCall } from "./generate-to-chat/finish";
import { renamedType } from "./generate-to-chat/type-names";
import { blockingSpreadFields, promptOutOfSight, rewriteRequest, type RequestPlan } from "./generate-to-chat/request";
import type { ResponseOptions } from "./generate-to-chat/response";
import { table } from "../src/tables";

/** Generate request type names and their Chat v2 counterparts, for a detached request's annotation. */
const REQUEST_TYPES: Readonly<Record<string, string>> = table({ GenerateRequest: "V2ChatRequest" });

export const generateToChat: Transform = {
  name: "generate-to-chat",
  from: "client.generate({ prompt, ... }) on cohere-ai 7/8",
  to: "client.v2.chat / client.chat({ model, messages, ... })",
  description: "Migrates non-streaming Generate calls made through a CohereClient or CohereClientV2 to Chat v2, with their request and response uses.",
  apply(ctx) {
    return forEachSite<N.CallExpression>(ctx, "generate", [N.CallExpression, N.OptionalCallExpression], (call, site) => migrateCall(ctx, call, site));
  },
};

export default asJscodeshift([generateToChat]);

// Shared with the other transforms that finish a Chat call (REST, v6, indirect).
export { declarationHolding, sequences } from "./generate-to-chat/finish";

/** The Chat method on the client: `client.v2.chat` (CohereClient) or `client.chat` (CohereClientV2). */
export function renameToChat(ctx: TransformContext, call: N.CallExpression, site: CallSite, method: "chat" | "chatStream"): void {
  const { j } = ctx;
  const callee = call.callee as N.MemberExpression | N.OptionalMemberExpression;
  const receiver = callee.object as N.Node;
  if (N.OptionalMemberExpression.check(callee)) {
    // Handles: client?.generate(...) → client?.v2.chat(...); the `?.` stays on the first link.
    const optional = callee.optional === true;
    const owner = site.client === "v1" ? j.optionalMemberExpression(receiver as never, j.identifier("v2"), false, optional) : receiver;
    call.callee = j.optionalMemberExpression(owner as never, j.identifier(method), false, site.client === "v1" ? false : optional) as never;
  } else {
    const owner = site.client === "v1" ? j.memberExpression(receiver as never, j.identifier("v2")) : receiver;
    call.callee = j.memberExpression(owner as never, j.identifier(method)) as never;
  }
  // Generate's generic call signature does not carry over.
  (call as { typeArguments?: unknown }).typeArguments = undefined;
  (call as { typeParameters?: unknown }).typeParameters = undefined;
}

/** The request object of a call, rewritten; undefined (with a marker) when it cannot be. */
export function requestPlan(ctx: TransformContext, call: ASTPath<N.CallExpression>): RequestPlan | undefined {
  const arg = call.node.arguments[0];
  if (arg && N.ObjectExpression.check(arg)) {
    const blocking = blockingSpreadFields(ctx, arg);
    if (blocking.length) {
      // Handles: generate({ ...request, temperature }) where `request` holds a prompt: Chat would get it.
      insertMarkerOnce(ctx, call, "spread-unchecked", `(it sets ${[...new Set(blocking)].join(", ")}: convert that object to a Chat request, then this call)`);
      return undefined;
    }
    if (promptHidden(ctx, call, arg)) return undefined;
    return rewriteRequest(ctx, call.get("arguments", 0) as ASTPath<N.ObjectExpression>, call, "camel");
  }
  if (arg && N.Identifier.check(arg)) {
    // Handles: const request = { prompt, ... }; co.generate(request), when this call is its only use.
    const held = constObjectDeclarator(ctx, arg.name, call);
    if (held) {
      const id = held.declarator.get("id") as ASTPath;
      if (referencesOf(ctx, id).length === 1 && !promptHidden(ctx, call, held.object.node)) {
        retypeRequest(ctx, id.node);
        // Handles: const request = { ... } satisfies Cohere.GenerateRequest (or `as`): the type becomes Chat's.
        if (held.object !== held.declarator.get("init")) retypeRequest(ctx, held.declarator.node.init as N.Node);
        return rewriteRequest(ctx, held.object, call, "camel", true);
      }
    }
  }
  insertMarkerOnce(ctx, call, "request-shape");
  return undefined;
}

/** Handles: generate({ ...opts, maxTokens: 20 }) with the prompt in opts: marked, not rewritten into a Chat call with no messages. */
function promptHidden(ctx: TransformContext, call: ASTPath<N.CallExpression>, obj: N.ObjectExpression): boolean {
  const where = promptOutOfSight(ctx, obj);
  if (where === undefined) return false;
  insertMarkerOnce(ctx, call, "request-shape", `(the prompt is passed inside ${where}, where migrate cannot rewrite it: Chat takes it as messages: [{ role: "user", content }], and rejects prompt)`);
  return true;
}

/** A `const` holding an object literal, bare or under `satisfies T` / `as T` (not `as const`: Chat's arrays are mutable). */
function constObjectDeclarator(ctx: TransformContext, name: string, near: ASTPath): { declarator: ASTPath<N.VariableDeclarator>; object: ASTPath<N.ObjectExpression> } | undefined {
  const scope = (near as ASTPath & { scope?: { lookup(n: string): { path: ASTPath } | undefined } }).scope?.lookup(name);
  if (!scope) return undefined;
  let found: { declarator: ASTPath<N.VariableDeclarator>; object: ASTPath<N.ObjectExpression> } | undefined;
  ctx.j(scope.path)
    .find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name } })
    .forEach((p: ASTPath<N.VariableDeclarator>) => {
      const kind = (p.parent?.node as N.VariableDeclaration | undefined)?.kind;
      if (kind !== "const" || found) return;
      const init = p.node.init;
      if (init && N.ObjectExpression.check(init)) found = { declarator: p, object: p.get("init") as ASTPath<N.ObjectExpression> };
      else if (init && (N.TSSatisfiesExpression.check(init) || N.TSAsExpression.check(init)) && N.ObjectExpression.check(init.expression) && !isConstType(init.typeAnnotation)) {
        found = { declarator: p, object: p.get("init", "expression") as ASTPath<N.ObjectExpression> };
      }
    });
  return found;
}

function isConstType(type: N.Node): boolean {
  return N.TSTypeReference.check(type) && N.Identifier.check(type.typeName) && type.typeName.name === "const";
}

/** Renames a Generate request type held by `node` (`x: T`, or `e satisfies T` / `e as T`) to Chat's. */
function retypeRequest(ctx: TransformContext, node: N.Node): void {
  const holder = node as { typeAnnotation?: N.Node & { typeAnnotation?: N.Node } };
  if (!holder.typeAnnotation) return;
  // `x: T` holds a TSTypeAnnotation around T; `e satisfies T` holds T itself.
  if (N.TSTypeAnnotation.check(holder.typeAnnotation)) {
    const inner = holder.typeAnnotation;
    const replaced = inner.typeAnnotation && renamedType(ctx.j, inner.typeAnnotation as N.Node, REQUEST_TYPES);
    if (replaced) inner.typeAnnotation = replaced as never;
    return;
  }
  const replaced = renamedType(ctx.j, holder.typeAnnotation, REQUEST_TYPES);
  if (replaced) holder.typeAnnotation = replaced as never;
}

/**
 * One call: request, method, then the wrappers the request asks for (n parallel calls, client-side
 * trimming), then the response uses. Shared with cohere-v6-to-v8, whose calls resolve with v6's
 * envelope (`responseOptions`).
 */
export function migrateCall(ctx: TransformContext, call: ASTPath<N.CallExpression>, site: CallSite, responseOptions: ResponseOptions = {}): boolean {
  const plan = requestPlan(ctx, call);
  if (!plan) return false;
  renameToChat(ctx, call.node, site, "chat");
  ctx.report.migrated++;
  requireCohere(ctx, "7.12.0");

  finishChatCall(ctx, call, plan, responseOptions);
  return true;
}
