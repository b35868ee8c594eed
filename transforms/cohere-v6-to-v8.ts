/**
 * cohere-v6-to-v8: the cohere-ai v6 module API (`cohere.init(key)`, `cohere.generate({ prompt,
 * max_tokens })`, `response.body.generations`) becomes a `CohereClientV2` from cohere-ai 8 calling
 * `chat` (SPEC.md "Other sources"). The request and response follow the same tables as
 * generate-to-chat; what differs is the client (cohere-v6-to-v8/client.ts) and the envelope v6
 * resolved with: `{ statusCode, body }`, even on errors, where cohere-ai 8 resolves with the
 * response and throws.
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { expression, insertMarkerOnce, pathAt, requireCohere, type Transform, type TransformContext } from "../src/transform/kit";
import { asJscodeshift } from "../src/transform/standalone";
import type { CallSite } from "../src/types";
import { migrateCall } from "./generate-to-chat";
import type { Envelope } from "./generate-to-chat/response";
import { markOtherCalls, moduleBinding, moduleUses, replaceModule, type ModuleBinding } from "./cohere-v6-to-v8/client";

/** v6 resolved with `{ statusCode, body }`; cohere-ai 8 resolves with the body and throws on errors. */
export const V6_ENVELOPE: Envelope = {
  via: { field: "body" },
  removed: true,
  keep: [],
  gone: {
    statusCode: {
      value: 200,
      marker: "status-code",
      detail: "(statusCode reads are now 200: a call that resolves succeeded)",
    },
  },
  // v6's error body: `{ message }` instead of generations.
  errorFields: ["message"],
};

export const cohereV6ToV8: Transform = {
  name: "cohere-v6-to-v8",
  from: "cohere.init(key); cohere.generate({ prompt, max_tokens }) on cohere-ai 6",
  to: "new CohereClientV2({ token: key }).chat({ model, messages, maxTokens }) on cohere-ai 8",
  description:
    "Migrates the cohere-ai v6 module API to a CohereClientV2 from cohere-ai 8: the client replaces init, generate becomes chat with camelCase fields, and reads of response.body follow the Chat response.",
  apply(ctx) {
    const groups = new Map<N.Node, { binding: ModuleBinding; calls: Array<{ call: ASTPath<N.CallExpression>; site: CallSite }> }>();
    let changed = false;
    for (const site of ctx.sites) {
      if (site.kind !== "v6-generate" || site.certainty !== "certain") continue;
      const call = pathAt<N.CallExpression>(ctx, site, [N.CallExpression, N.OptionalCallExpression]);
      if (!call) continue;
      modelFirst(ctx, call.node);
      const binding = moduleBinding(ctx, call);
      if (!binding) {
        // Handles: require("cohere-ai").generate(...), a module object passed around.
        insertMarkerOnce(ctx, call, "v6-api", "(create a client with new CohereClientV2({ token }) and call chat on it)");
        changed = true;
        continue;
      }
      const group = groups.get(binding.id.node) ?? { binding, calls: [] };
      group.calls.push({ call, site });
      groups.set(binding.id.node, group);
    }

    const migratedModules = new Set<N.Node>();
    for (const { binding, calls } of groups.values()) {
      // References are read on the tree as it was, before the calls are rewritten.
      const uses = moduleUses(ctx, binding);
      markOtherCalls(ctx, uses, new Set(calls.map((c) => c.call.node)));
      let migrated = false;
      for (const { call, site } of calls) {
        if (migrateCall(ctx, call, site, { envelope: V6_ENVELOPE })) migrated = true;
      }
      // The client replaces the module once a call moved to it; a call left with a marker keeps its marker.
      if (!migrated) continue;
      replaceModule(ctx, binding, uses);
      migratedModules.add(binding.id.node);
      // Its generate references now belong to a CohereClientV2: the indirect transform (next in
      // the registry) migrates them, reading v6's envelope in their calls' responses.
      for (const site of ctx.sites) {
        if (site.kind === "indirect-generate" && site.client === "v6" && site.callee.startsWith(`${binding.name}.`)) {
          site.client = "v2";
          site.via = "v6";
        }
      }
      requireCohere(ctx, "8.1.0");
      changed = true;
    }
    if (moduleOnlyCalls(ctx, migratedModules)) changed = true;
    return changed;
  },
};

export default asJscodeshift([cohereV6ToV8]);

const PASSED_ON = "(the v6 module is passed on here: its calls there fail on cohere-ai 8; pass a CohereClientV2 and migrate them to chat)";

/**
 * Handles: cohere.generate("large", { prompt, max_tokens }), the cohere-ai 2.x form still in v6
 * code: the model argument goes into the request object, which the request table then reads.
 */
function modelFirst(ctx: TransformContext, call: N.CallExpression): void {
  const [model, request] = call.arguments;
  const stringModel = N.StringLiteral.check(model) || (N.TemplateLiteral.check(model) && model.expressions.length === 0);
  if (call.arguments.length !== 2 || !stringModel || !N.ObjectExpression.check(request)) return;
  if (request.properties.some((p) => (N.ObjectProperty.check(p) || N.Property.check(p)) && !p.computed && N.Identifier.check(p.key) && p.key.name === "model")) return;
  request.properties.unshift(ctx.j.objectProperty(ctx.j.identifier("model"), model as never));
  call.arguments = [request];
}

/**
 * A file of a package that moves to cohere-ai 8 but holds no v6 Generate call of its own (the
 * engine passes `v6-module` sites only for such packages): `cohere.init(key)` becomes
 * `process.env.CO_API_KEY = key`, which cohere-ai 8 clients read on every request (so clients
 * created in other files still get the key); other v6 calls get a marker. The import goes once
 * nothing uses it.
 */
function moduleOnlyCalls(ctx: TransformContext, handled: ReadonlySet<N.Node>): boolean {
  let changed = false;
  const bindings = new Map<N.Node, ModuleBinding>();
  const seen = new Map<N.Node, ModuleBinding>();
  for (const site of ctx.sites) {
    if (site.kind !== "v6-module" || site.certainty !== "certain") continue;
    const call = pathAt<N.CallExpression>(ctx, site, [N.CallExpression, N.OptionalCallExpression]);
    if (!call) continue;
    const binding = moduleBinding(ctx, call);
    if (binding && handled.has(binding.id.node)) continue;
    if (binding) seen.set(binding.id.node, binding);
    const callee = call.node.callee;
    const method = N.MemberExpression.check(callee) && N.Identifier.check(callee.property) ? callee.property.name : undefined;
    const key = call.node.arguments[0];
    if (method === "init" && key && N.ExpressionStatement.check(call.parent?.node)) {
      // Handles: cohere.init(process.env.COHERE_KEY) → process.env.CO_API_KEY = process.env.COHERE_KEY
      call.replace(expression(ctx, "process.env.CO_API_KEY = $0", key));
      if (binding) bindings.set(binding.id.node, binding);
    } else {
      insertMarkerOnce(ctx, call, "v6-api", method === undefined ? PASSED_ON : undefined);
    }
    requireCohere(ctx, "8.1.0");
    changed = true;
  }
  // Handles: ask(prompt, cohere), the v6 module handed to code that calls its generate (often in
  // another file, where no import says it is cohere): on cohere-ai 8 that call fails.
  for (const binding of seen.values()) {
    for (const ref of moduleUses(ctx, binding).others) {
      const parent = ref.parent?.node;
      if (parent && (N.MemberExpression.check(parent) || N.OptionalMemberExpression.check(parent)) && parent.object === ref.node) continue;
      insertMarkerOnce(ctx, ref, "v6-api", PASSED_ON);
      changed = true;
    }
  }
  // The v6 import or require is dropped once nothing else reads it.
  for (const binding of bindings.values()) {
    const uses = moduleUses(ctx, binding);
    if (uses.inits.length === 0 && uses.others.length === 0) binding.statement.prune();
  }
  return changed;
}
