/**
 * indirect-generate-to-chat: a Generate method taken off a cohere-ai 7/8 client instead of called on
 * it (`client.generate.bind(client)`, `const gen = client.generate`, `const { generate } = client`,
 * `this.caller.call(client.generate.bind(client), {...})`) becomes the Chat method of the same
 * client, and each call it reaches gets a Chat request and Chat response reads (SPEC.md "Request",
 * "Response"). All or nothing per reference: a reference is rewritten only when every call that
 * runs it is visible with a request migrate can convert, since a Chat method given a Generate
 * request fails; otherwise the reference gets an `indirect-call` marker.
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { expression, forEachSite, isNameTaken, referencesOf, requireCohere, type Transform, type TransformContext } from "../src/transform/kit";
import { asJscodeshift } from "../src/transform/standalone";
import type { CallSite } from "../src/types";
import { rewriteRequest, type RequestPlan } from "./generate-to-chat/request";
import { retypeToChat } from "./generate-types-to-chat";
import { markStatement } from "./generate-types-to-chat/markers";
import { V6_ENVELOPE } from "./cohere-v6-to-v8";
import { finishChatCall } from "./generate-to-chat/finish";
import { methodReference, propertyName, usesOf, type ChatCall, type MethodReference } from "./indirect-generate-to-chat/uses";

export const indirectGenerateToChat: Transform = {
  name: "indirect-generate-to-chat",
  from: "client.generate.bind(client), const gen = client.generate, caller.call(client.generate.bind(client), {...})",
  to: "client.v2.chat.bind(client.v2) / client.chat ... with Chat requests at every call",
  description: "Migrates references to a Generate method (bound, aliased, destructured, passed to a call helper) when every call they reach is visible; marks them otherwise.",
  apply(ctx) {
    return forEachSite(ctx, "indirect-generate", [N.MemberExpression, N.OptionalMemberExpression, N.ObjectProperty, N.Property], (path, site) => migrateReference(ctx, path, site));
  },
};

export default asJscodeshift([indirectGenerateToChat]);

/** One reference: analyse every use first, then rewrite all of them or mark the reference. */
function migrateReference(ctx: TransformContext, path: ASTPath, site: CallSite): boolean {
  const reference = methodReference(ctx, path);
  const method = "shape" in reference ? methodName(reference) : undefined;
  // generateStream references and the v6 module's generate are left to a person: their calls have
  // another shape (an event stream, a v6 client) than the Chat call this transform writes.
  if (!("shape" in reference) || method !== "generate" || (site.client !== "v1" && site.client !== "v2")) {
    return markStatement(ctx, path, "indirect-call", "reason" in reference && reference.reason ? reference.reason : undefined);
  }
  const uses = usesOf(ctx, reference);
  const blocked = uses.ok ? destructuringBlocked(reference, site) : uses.reason || undefined;
  if (!uses.ok || blocked !== undefined) {
    return markStatement(ctx, path, "indirect-call", blocked);
  }
  // Requests first: converting them reads the tree as it was.
  const plans: Array<{ call: ChatCall; plan: RequestPlan }> = uses.calls.map((call) => ({ call, plan: convertRequest(ctx, call) }));
  rewriteReference(ctx, reference, site);
  for (const { call, plan } of plans) finishChatCall(ctx, call.producer, plan, site.via === "v6" ? { envelope: V6_ENVELOPE } : {});
  ctx.report.migrated++;
  requireCohere(ctx, site.via === "v6" ? "8.1.0" : "7.12.0");
  return true;
}

function methodName(reference: MethodReference): string | undefined {
  if (reference.shape === "destructured") {
    const key = reference.property.node.key;
    return N.Identifier.check(key) ? key.name : N.StringLiteral.check(key) ? key.value : undefined;
  }
  return propertyName(reference.member.node);
}

/**
 * `const { generate, embed } = client` cannot take `chat` from `client.v2` without moving `embed`
 * too; on a CohereClientV2 `chat` sits beside the others.
 */
function destructuringBlocked(reference: MethodReference, site: CallSite): string | undefined {
  if (reference.shape !== "destructured" || site.client !== "v1") return undefined;
  const pattern = reference.declarator.node.id as N.ObjectPattern;
  return pattern.properties.length === 1 ? undefined : "(other methods are destructured from the client in the same pattern)";
}

function convertRequest(ctx: TransformContext, call: ChatCall): RequestPlan {
  const { request, producer } = call;
  if (request.kind === "inline") return rewriteRequest(ctx, request.object, producer, "camel");
  retypeToChat(ctx, request.declarator.get("id") as ASTPath);
  return rewriteRequest(ctx, request.declarator.get("init") as ASTPath<N.ObjectExpression>, producer, "camel", true);
}

/** The reference itself: Generate's method becomes Chat's, on `client.v2` for a CohereClient. */
function rewriteReference(ctx: TransformContext, reference: MethodReference, site: CallSite): void {
  const { j } = ctx;
  const v1 = site.client === "v1";
  switch (reference.shape) {
    case "bound": {
      // Handles: client.generate.bind(client) → client.v2.chat.bind(client.v2)
      const receiver = reference.member.node.object as N.Node;
      const bindArg = reference.value.node.arguments[0] as N.Node;
      reference.value.replace(expression(ctx, v1 ? "$0.v2.chat.bind($1.v2)" : "$0.chat.bind($1)", receiver, bindArg));
      return;
    }
    case "unbound": {
      // Handles: const gen = client.generate → const gen = client.v2.chat
      const receiver = reference.member.node.object as N.Node;
      reference.value.replace(expression(ctx, v1 ? "$0.v2.chat" : "$0.chat", receiver));
      return;
    }
    case "destructured": {
      // Handles: const { generate } = client → const { chat } = client.v2
      const property = reference.property.node;
      const local = reference.binding.node.name;
      const rename = local === "generate" && !isNameTaken(ctx, "chat");
      if (rename) {
        for (const ref of referencesOf(ctx, reference.binding)) ref.replace(j.identifier("chat"));
        reference.binding.replace(j.identifier("chat"));
      }
      property.key = j.identifier("chat");
      (property as { shorthand?: boolean }).shorthand = rename;
      const declarator = reference.declarator.node;
      if (v1 && declarator.init) declarator.init = expression(ctx, "$0.v2", declarator.init) as N.VariableDeclarator["init"];
      return;
    }
  }
}
