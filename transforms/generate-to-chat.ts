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
import { blockingSpreadFields, rewriteRequest, type RequestPlan } from "./generate-to-chat/request";
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
    return rewriteRequest(ctx, call.get("arguments", 0) as ASTPath<N.ObjectExpression>, call, "camel");
  }
  if (arg && N.Identifier.check(arg)) {
    // Handles: const request = { prompt, ... }; co.generate(request), when this call is its only use.
    const declarator = constObjectDeclarator(ctx, arg.name, call);
    if (declarator) {
      const id = declarator.get("id") as ASTPath;
      if (referencesOf(ctx, id).length === 1) {
        retypeRequest(ctx, id);
        return rewriteRequest(ctx, declarator.get("init") as ASTPath<N.ObjectExpression>, call, "camel", true);
      }
    }
  }
  insertMarkerOnce(ctx, call, "request-shape");
  return undefined;
}

function constObjectDeclarator(ctx: TransformContext, name: string, near: ASTPath): ASTPath<N.VariableDeclarator> | undefined {
  const scope = (near as ASTPath & { scope?: { lookup(n: string): { path: ASTPath } | undefined } }).scope?.lookup(name);
  if (!scope) return undefined;
  let found: ASTPath<N.VariableDeclarator> | undefined;
  ctx.j(scope.path)
    .find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name } })
    .forEach((p: ASTPath<N.VariableDeclarator>) => {
      const kind = (p.parent?.node as N.VariableDeclaration | undefined)?.kind;
      if (kind === "const" && p.node.init && N.ObjectExpression.check(p.node.init)) found ??= p;
    });
  return found;
}

function retypeRequest(ctx: TransformContext, id: ASTPath): void {
  const annotation = (id.node as { typeAnnotation?: { typeAnnotation?: N.Node } }).typeAnnotation;
  const replaced = annotation?.typeAnnotation && renamedType(ctx.j, annotation.typeAnnotation, REQUEST_TYPES);
  if (annotation && replaced) annotation.typeAnnotation = replaced;
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
