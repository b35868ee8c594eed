/**
 * generate-stream-to-chat-stream: `client.generateStream({...})` on cohere-ai 7/8 becomes
 * `client.v2.chatStream` (CohereClient) or `client.chatStream` (CohereClientV2) with the Chat
 * request of SPEC.md "Request", and the loops that read its events are rewritten to Chat's
 * `content-delta` / `message-end` events (SPEC.md "Streaming").
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { forEachSite, insertMarkerOnce, offsets, requireCohere, type Transform, type TransformContext } from "../src/transform/kit";
import { asJscodeshift } from "../src/transform/standalone";
import type { CallSite } from "../src/types";
import { renameToChat, requestPlan } from "./generate-to-chat";
import type { RequestPlan } from "./generate-to-chat/request";
import { StreamFollower } from "./generate-stream-to-chat-stream/follow";

export const generateStreamToChatStream: Transform = {
  name: "generate-stream-to-chat-stream",
  from: "client.generateStream({ prompt, ... }) on cohere-ai 7/8, and its event loop",
  to: "client.v2.chatStream / client.chatStream({ model, messages, ... }) with content-delta / message-end events",
  description:
    "Migrates streaming Generate calls made through a CohereClient or CohereClientV2 to Chat v2 streams, and rewrites the loops that read their events.",
  apply(ctx) {
    const follower = new StreamFollower(ctx);
    const changed = forEachSite<N.CallExpression>(ctx, "generate-stream", [N.CallExpression, N.OptionalCallExpression], (call, site) => migrateStream(ctx, call, site, follower));
    follower.finish();
    return changed;
  },
};

export default asJscodeshift([generateStreamToChatStream]);

/** One call: the request, the method, markers for what a stream cannot do, then its events. */
function migrateStream(ctx: TransformContext, call: ASTPath<N.CallExpression>, site: CallSite, follower: StreamFollower): boolean {
  const plan = requestPlan(ctx, call);
  if (!plan) return false;
  renameToChat(ctx, call.node, site, "chatStream");
  ctx.report.migrated++;
  requireCohere(ctx, "7.12.0");

  // Trimming needs text not yet received: a stream cannot be cut after the fact like a response.
  if (plan.stop || plan.end) insertMarkerOnce(ctx, call, "stream-stop-sequences", removedSequences(ctx, plan));
  if (plan.fanout) insertMarkerOnce(ctx, call, "stream-num-generations", `(it asked for ${sourceOf(ctx, plan.fanout)})`);
  if (plan.likelihoods) insertMarkerOnce(ctx, call, "likelihoods", '(logprobs: true was set for returnLikelihoods "GENERATION")');
  follower.followPromise(call);
  return true;
}

/** The removed values, so the marker keeps what the request asked for. */
function removedSequences(ctx: TransformContext, plan: RequestPlan): string {
  const parts: string[] = [];
  if (plan.stop) parts.push(`stopSequences ${sourceOf(ctx, plan.stop)}`);
  if (plan.end) parts.push(`endSequences ${sourceOf(ctx, plan.end)}`);
  return `(removed: ${parts.join(", ")})`;
}

/** The original text of a node, on one line. */
function sourceOf(ctx: TransformContext, node: N.Node): string {
  const { start, end } = offsets(node);
  return ctx.source.slice(start, end).replace(/\s+/g, " ");
}
