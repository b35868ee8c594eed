/**
 * What a Chat call needs around it once its request is converted: n parallel calls for
 * numGenerations, client-side trimming for stop/end sequences, then the response uses. Shared by
 * `client.generate(...)` itself and the calls that reach Generate indirectly (an alias `gen(...)`,
 * a helper `caller.call(fn, ...)`).
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { useHelper } from "../../src/transform/helpers";
import { expression, insertMarkerOnce, type TransformContext } from "../../src/transform/kit";
import type { RequestPlan } from "./request";
import { ResponseRewriter, type ResponseOptions } from "./response";

/**
 * `producer` evaluates to a Promise of the (now Chat) response, or of the envelope
 * `responseOptions` describes (cohere-ai v6's `{ statusCode, body }`).
 */
export function finishChatCall(ctx: TransformContext, producer: ASTPath<N.CallExpression>, plan: RequestPlan, responseOptions: ResponseOptions = {}): void {
  const { j } = ctx;
  const trim = plan.stop || plan.end ? sequences(plan) : undefined;
  const rewriter = new ResponseRewriter(ctx, plan.fanout ? "list" : "single", plan, responseOptions);
  if (plan.likelihoods) insertMarkerOnce(ctx, producer, "likelihoods", "(logprobs: true was set for returnLikelihoods \"GENERATION\")");

  if (plan.fanout) {
    // Handles: numGenerations: n → n Chat calls in parallel; Promise.all keeps their order.
    producer.replace(
      trim
        ? expression(ctx, `Promise.all(Array.from({ length: $0 }, () => $1.then((response) => ${useHelper(ctx, "cutAtSequences")}(response, ${trim.code(2)}))))`, plan.fanout, producer.node, ...trim.nodes)
        : expression(ctx, "Promise.all(Array.from({ length: $0 }, () => $1))", plan.fanout, producer.node),
    );
    rewriter.followPromise(producer);
    return;
  }
  if (trim) {
    const helper = useHelper(ctx, "cutAtSequences");
    const parent = producer.parent as ASTPath | null;
    const statement = parent && N.AwaitExpression.check(parent.node) ? declarationHolding(parent) : undefined;
    if (statement && parent) {
      // Handles: const r = await co.generate({ stopSequences }) → the call, then cutAtSequences(r, {...});
      // The uses are followed first, so that the statement added below is not taken for one.
      const id = (parent.parent.node as N.VariableDeclarator).id as N.Identifier;
      rewriter.followAwaited(parent);
      statement.insertAfter(j.expressionStatement(expression(ctx, `${helper}(${id.name}, ${trim.code(0)})`, ...trim.nodes) as never));
      return;
    }
    if (parent && N.AwaitExpression.check(parent.node)) {
      // Handles: await co.generate({ stopSequences }) in an expression → cutAtSequences(await ..., {...})
      parent.replace(expression(ctx, `${helper}($0, ${trim.code(1)})`, parent.node, ...trim.nodes));
      rewriter.followAwaited(parent);
      return;
    }
    producer.replace(expression(ctx, `$0.then((response) => ${helper}(response, ${trim.code(1)}))`, producer.node, ...trim.nodes));
    rewriter.followPromise(producer);
    return;
  }
  rewriter.followPromise(producer);
}

/** The second argument of cutAtSequences as snippet code (placeholders from `first`) and its nodes. */
export function sequences(plan: RequestPlan): { code: (first: number) => string; nodes: N.Node[] } {
  const entries = (["stop", "end"] as const).filter((k) => plan[k]);
  return {
    code: (first) => `{ ${entries.map((k, i) => `${k}: $${first + i}`).join(", ")} }`,
    nodes: entries.map((k) => plan[k] as N.Node),
  };
}

/** The statement of `const name = await <call>` when it sits in a statement list. */
export function declarationHolding(awaitPath: ASTPath): ASTPath | undefined {
  const declarator = awaitPath.parent as ASTPath | null;
  if (!declarator || !N.VariableDeclarator.check(declarator.node) || declarator.node.init !== awaitPath.node) return undefined;
  if (!N.Identifier.check(declarator.node.id)) return undefined;
  let statement: ASTPath | null = declarator.parent;
  if (statement && N.ExportNamedDeclaration.check(statement.parent?.node)) statement = statement.parent;
  const list = statement?.parent?.node;
  if (!statement || !list || !(N.BlockStatement.check(list) || N.Program.check(list) || N.SwitchCase.check(list))) return undefined;
  return statement;
}
