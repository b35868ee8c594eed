/**
 * rest-generate-to-chat: a `fetch` / `axios` POST to Cohere's Generate endpoint becomes a POST to
 * `https://api.cohere.com/v2/chat` with a Chat v2 body in snake_case, and reads of the JSON it
 * returns follow SPEC.md's response table in snake_case (SPEC.md "Other sources"). The request
 * and response tables are generate-to-chat's; this file finds the URL and body
 * (rest-generate-to-chat/http.ts) and wraps the call for numGenerations and trimming.
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { useHelper } from "../src/transform/helpers";
import { expression, forEachSite, insertMarkerOnce, type Transform, type TransformContext } from "../src/transform/kit";
import { asJscodeshift } from "../src/transform/standalone";
import { sequences } from "./generate-to-chat";
import { evaluateOnce } from "./generate-to-chat/finish";
import { rewriteRequest, type RequestPlan } from "./generate-to-chat/request";
import { ResponseRewriter, type Envelope } from "./generate-to-chat/response";
import { ENVELOPES, httpCall, type HttpCall } from "./rest-generate-to-chat/http";

export const CHAT_URL = "https://api.cohere.com/v2/chat";

export const restGenerateToChat: Transform = {
  name: "rest-generate-to-chat",
  from: 'fetch / axios POST to https://api.cohere.ai/v1/generate with { prompt, max_tokens, ... }',
  to: 'POST to https://api.cohere.com/v2/chat with { model, messages, max_tokens, ... }',
  description:
    "Migrates REST calls to the Generate endpoint (fetch, axios, axios instances) to Chat v2: URL, JSON body in snake_case, and the reads of the JSON response.",
  apply(ctx) {
    const rewritten = forEachSite<N.CallExpression>(ctx, "rest-generate", [N.CallExpression], (call) => migrateRestCall(ctx, call));
    // Handles: got.post(GENERATE_URL, ...), new Request(URL), a wrapper of the project's own: a
    // Generate URL migrate cannot follow to a request it rewrites is left to a person, marked.
    const marked = forEachSite<N.Node>(ctx, "generate-url", [N.StringLiteral, N.Literal, N.TemplateLiteral], (url) => {
      insertMarkerOnce(ctx, url, "rest-request", "(migrate rewrites no request that uses this URL: update the code that sends it, or that checks it)");
      return true;
    });
    return rewritten || marked;
  },
};

export default asJscodeshift([restGenerateToChat]);

/** Why a call cannot be rewritten, as the detail of its `rest-request` marker. */
const UNSEEN = {
  url: "(the URL is built where migrate cannot see it)",
  body: "(the request body is built where migrate cannot see it, or is shared)",
  stream: "(stream: true: Chat streams server-sent events of another shape; rewrite the stream reader by hand)",
} as const;

/** Returns true when the call was rewritten or marked. */
function migrateRestCall(ctx: TransformContext, call: ASTPath<N.CallExpression>): boolean {
  const http = httpCall(ctx, call);
  if (!http) return false;
  const problem = !http.urlVisible ? UNSEEN.url : !http.request ? UNSEEN.body : streams(http.request.node) ? UNSEEN.stream : undefined;
  if (problem || !http.request) {
    // The URL and the body must change together: a half-migrated request would fail.
    insertMarkerOnce(ctx, call, "rest-request", problem);
    return true;
  }
  const plan = rewriteRequest(ctx, http.request, call, "snake");
  http.urlTarget.replace(ctx.j.stringLiteral(CHAT_URL));
  ctx.report.migrated++;
  if (plan.likelihoods) insertMarkerOnce(ctx, call, "likelihoods", "(logprobs: true was set for return_likelihoods \"GENERATION\")");

  // axios.post<GenerateJson>(...): the type argument described the Generate JSON.
  const typed = call.node as { typeParameters?: unknown; typeArguments?: unknown };
  typed.typeParameters = undefined;
  typed.typeArguments = undefined;

  const rewriter = new ResponseRewriter(ctx, plan.fanout ? "list" : "single", plan, {
    fieldCase: "snake",
    envelope: envelope(ctx, http, plan),
    untyped: true,
  });
  if (plan.fanout) {
    // Handles: num_generations: n → n requests in parallel; Promise.all keeps their order.
    // The body's computed values (queue.shift(), build()) once, as the one Generate request computed them.
    const { wrap } = evaluateOnce(ctx, call, plan, http.request.node);
    call.replace(wrap(expression(ctx, "Promise.all(Array.from({ length: $0 }, () => $1))", plan.fanout, call.node)));
  }
  rewriter.followPromise(call);
  return true;
}

/** `stream: true` in the body (anything but a literal false). */
function streams(request: N.ObjectExpression): boolean {
  return request.properties.some((p) => {
    if (!(N.ObjectProperty.check(p) || N.Property.check(p)) || !N.Identifier.check(p.key) || p.key.name !== "stream") return false;
    return !(N.BooleanLiteral.check(p.value) && p.value.value === false);
  });
}

/**
 * The client's envelope; with stop/end sequences, each read of the JSON is cut client-side:
 * `res.json()` → `res.json().then((response) => cutAtSequences(response, {...}))`,
 * `res.data` → `cutAtSequences(res.data, {...})`.
 */
function envelope(ctx: TransformContext, http: HttpCall, plan: RequestPlan): Envelope {
  const base = ENVELOPES[http.client];
  if (!plan.stop && !plan.end) return base;
  const trim = sequences(plan);
  let uses = 0;
  const trimNodes = (): N.Node[] => (uses++ === 0 ? trim.nodes : trim.nodes.map(clone));
  const field = "field" in base.via ? base.via.field : undefined;
  return {
    ...base,
    unwrap: (read, promise) => {
      const helper = useHelper(ctx, "cutAtSequences");
      return promise
        ? expression(ctx, `$0.then((response) => ${helper}(response, ${trim.code(1)}))`, read, ...trimNodes())
        : expression(ctx, `${helper}($0, ${trim.code(1)})`, read, ...trimNodes());
    },
    ...(field
      ? {
          unwrapPromise: (promise: N.Node) => {
            const helper = useHelper(ctx, "cutAtSequences");
            return expression(ctx, `$0.then((res) => ({ ...res, ${field}: ${helper}(res.${field}, ${trim.code(1)}) }))`, promise, ...trimNodes());
          },
        }
      : {}),
  };
}

/** A copy of a node for a second place in the tree (positions dropped, so it prints fresh). */
function clone<T extends N.Node>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === "loc" || key === "start" || key === "end" || key === "tokens" ? undefined : value))) as T;
}
