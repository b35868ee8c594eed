/**
 * What a Chat call needs around it once its request is converted: n parallel calls for
 * numGenerations, client-side trimming for stop/end sequences, then the response uses. Shared by
 * `client.generate(...)` itself and the calls that reach Generate indirectly (an alias `gen(...)`,
 * a helper `caller.call(fn, ...)`).
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { useHelper } from "../../src/transform/helpers";
import { expression, freshName, insertMarkerOnce, statementOf, type TransformContext } from "../../src/transform/kit";
import type { RequestPlan } from "./request";
import { ResponseRewriter, type ResponseOptions } from "./response";

/**
 * `producer` evaluates to a Promise of the (now Chat) response, or of the envelope
 * `responseOptions` describes (cohere-ai v6's `{ statusCode, body }`).
 */
export function finishChatCall(ctx: TransformContext, producer: ASTPath<N.CallExpression>, plan: RequestPlan, responseOptions: ResponseOptions = {}): void {
  const trim = plan.stop || plan.end ? sequences(plan) : undefined;
  const rewriter = new ResponseRewriter(ctx, plan.fanout ? "list" : "single", plan, responseOptions);
  // A likelihood read is marked where it is (response-follow.ts); with none, the request's
  // logprobs: true is said in the report, not left as a marker that keeps check red.
  if (plan.likelihoods) ctx.report.note("info", producer.node, 'returnLikelihoods "GENERATION": logprobs: true was set (Chat\'s log probabilities have another shape; reads of likelihoods are marked)');

  if (plan.fanout) {
    // Handles: numGenerations: n → n Chat calls in parallel; Promise.all keeps their order.
    // The request is evaluated once per call now: what it computes (list.shift(), build()) is
    // computed once, before the statement, as the single Generate call did.
    const { wrap } = evaluateOnce(ctx, producer, plan);
    // Handles: numGenerations: 2, seed: s: one Generate request made n different generations; n
    // Chat requests with the same seed and parameters are documented to return the same one.
    if (requestNames(producer.node, "seed")) insertMarkerOnce(ctx, producer, "seed-repeated");
    const once = plan.stop || plan.end ? sequences(plan) : undefined;
    // Generate made one generation when numGenerations was undefined.
    // A count that cannot be null or undefined takes no `?? 1`: TypeScript rejects the unreachable
    // right side (TS2869) of `(many ? 3 : 1) ?? 1`.
    const count = neverNullish(plan.fanout) ? "$0" : "$0 ?? 1";
    producer.replace(
      wrap(
        once
          ? expression(ctx, `Promise.all(Array.from({ length: ${count} }, () => $1.then((response) => ${useHelper(ctx, "cutAtSequences")}(response, ${once.code(2)}))))`, plan.fanout, producer.node, ...once.nodes)
          : expression(ctx, `Promise.all(Array.from({ length: ${count} }, () => $1))`, plan.fanout, producer.node),
      ),
    );
    rewriter.followPromise(producer);
    return;
  }
  if (trim) {
    const helper = useHelper(ctx, "cutAtSequences");
    const parent = producer.parent as ASTPath | null;
    if (parent && N.AwaitExpression.check(parent.node)) {
      // Handles: const r = await co.generate({ stopSequences }) → const r = cutAtSequences(await ..., {...}),
      // and the same in any expression. The helper returns a cut copy: the SDK's response is not changed.
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

/** Whether the call's request object names `key` (after conversion: `seed` keeps its name). */
function requestNames(call: N.CallExpression, key: string): boolean {
  const request = call.arguments[0];
  return N.ObjectExpression.check(request) && request.properties.some((p) => (N.ObjectProperty.check(p) || N.Property.check(p)) && !p.computed && N.Identifier.check(p.key) && p.key.name === key);
}

/** Expressions that do something when evaluated (a call, an assignment, `await`, `new`...). */
function hasEffects(node: N.Node): boolean {
  let effects = false;
  const visit = (n: unknown): void => {
    if (effects || !n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const t = (n as { type?: string }).type;
    if (t && /^(CallExpression|OptionalCallExpression|NewExpression|AssignmentExpression|UpdateExpression|AwaitExpression|YieldExpression|TaggedTemplateExpression)$/.test(t)) {
      effects = true;
      return;
    }
    // A function literal is not run by being written.
    if (t && /Function|ArrowFunction/.test(t)) return;
    for (const [key, value] of Object.entries(n)) if (key !== "loc" && key !== "comments" && key !== "original") visit(value);
  };
  visit(node);
  return effects;
}

/**
 * The request's computed values (and the stop/end sequences'), evaluated once for the n calls of
 * numGenerations, as the single Generate call evaluated them: moved into consts before the
 * statement where that runs exactly when the call does, else bound where the call is, as the
 * arguments of an arrow function that makes the n calls (`wrap`).
 */
export function evaluateOnce(ctx: TransformContext, call: ASTPath, plan: RequestPlan, request: N.Node | undefined = (call.node as N.CallExpression).arguments[0]): { wrap: (calls: N.Node) => N.Node } {
  const { j } = ctx;
  const targets: Array<{ holder: Record<string, unknown>; key: string; name: string }> = [];
  if (request && N.ObjectExpression.check(request)) {
    for (const prop of request.properties) {
      if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || !N.Identifier.check(prop.key)) continue;
      if (prop.key.name === "messages" && N.ArrayExpression.check(prop.value)) {
        // The prompt sits in messages[0].content.
        const first = prop.value.elements[0];
        const content = first && N.ObjectExpression.check(first) ? first.properties.find((p) => (N.ObjectProperty.check(p) || N.Property.check(p)) && N.Identifier.check(p.key) && p.key.name === "content") : undefined;
        if (content && hasEffects((content as N.ObjectProperty).value)) targets.push({ holder: content as unknown as Record<string, unknown>, key: "value", name: "prompt" });
      } else if (hasEffects(prop.value)) targets.push({ holder: prop as unknown as Record<string, unknown>, key: "value", name: prop.key.name });
    }
  }
  const sequenceKeys = (["stop", "end"] as const).filter((k) => plan[k] && hasEffects(plan[k] as N.Node));
  const same = { wrap: (calls: N.Node) => calls };
  if (!targets.length && !sequenceKeys.length) return same;
  const reserved = new Set<string>();
  const statement = statementOf(call);
  const list = statement.parent?.node;
  if (list && (N.BlockStatement.check(list) || N.Program.check(list) || N.SwitchCase.check(list)) && runsWith(call, statement)) {
    const declare = (value: N.Node, base: string): N.Identifier => {
      const name = freshName(ctx, base, reserved);
      reserved.add(name);
      statement.insertBefore(j.variableDeclaration("const", [j.variableDeclarator(j.identifier(name), value as never)]));
      return j.identifier(name);
    };
    for (const t of targets) t.holder[t.key] = declare(t.holder[t.key] as N.Node, t.name);
    for (const k of sequenceKeys) plan[k] = declare(plan[k] as N.Node, k === "stop" ? "stopSequences" : "endSequences");
    return same;
  }
  // Handles: topics.map((t) => co.generate({ prompt: build(t), numGenerations: 2 })), a call in one
  // branch of a conditional, or at module level in an exported arrow: before the statement, the
  // values would be computed out of scope, or when the call is not made.
  const params: N.Identifier[] = [];
  const args: N.Node[] = [];
  const bind = (value: N.Node, base: string): N.Identifier => {
    const name = freshName(ctx, base, reserved);
    reserved.add(name);
    params.push(j.identifier(name));
    args.push(value);
    return j.identifier(name);
  };
  for (const t of targets) t.holder[t.key] = bind(t.holder[t.key] as N.Node, t.name);
  for (const k of sequenceKeys) plan[k] = bind(plan[k] as N.Node, k === "stop" ? "stopSequences" : "endSequences");
  return { wrap: (calls) => j.callExpression(j.arrowFunctionExpression(params, calls as never), args as never) };
}

/** Simple statements, before which a value of theirs is computed exactly when they run. */
const SIMPLE_STATEMENTS = [N.ExpressionStatement, N.VariableDeclaration, N.ReturnStatement, N.ThrowStatement, N.ExportNamedDeclaration];

/** Whether `call` runs every time `statement` does, and only then: no function, branch or loop between them. */
function runsWith(call: ASTPath, statement: ASTPath): boolean {
  if (!SIMPLE_STATEMENTS.some((t) => t.check(statement.node))) return false;
  for (let child: ASTPath = call, p = call.parent as ASTPath | null; p && p !== statement; child = p, p = p.parent as ASTPath | null) {
    const node = p.node;
    if (N.Function.check(node) || N.ClassBody.check(node)) return false;
    if (N.ConditionalExpression.check(node) && node.test !== child.node) return false;
    if (N.LogicalExpression.check(node) && node.left !== child.node) return false;
    if ((N.OptionalCallExpression.check(node) || N.OptionalMemberExpression.check(node)) && (node as { optional?: boolean }).optional) return false;
  }
  return true;
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
  // `const r = await ..., first = r...`: a statement after the declaration would come too late.
  const declaration = declarator.parent?.node as N.VariableDeclaration | undefined;
  if (declaration && declaration.declarations[declaration.declarations.length - 1] !== declarator.node) return undefined;
  if (!N.Identifier.check(declarator.node.id)) return undefined;
  let statement: ASTPath | null = declarator.parent;
  if (statement && N.ExportNamedDeclaration.check(statement.parent?.node)) statement = statement.parent;
  const list = statement?.parent?.node;
  if (!statement || !list || !(N.BlockStatement.check(list) || N.Program.check(list) || N.SwitchCase.check(list))) return undefined;
  return statement;
}

/** Whether an expression's value is never null or undefined: a number, arithmetic, a conditional of such. */
function neverNullish(node: N.Node): boolean {
  if (N.NumericLiteral.check(node) || (N.Literal.check(node) && typeof node.value === "number")) return true;
  if (N.ConditionalExpression.check(node)) return neverNullish(node.consequent) && neverNullish(node.alternate);
  if (N.BinaryExpression.check(node)) return ["+", "-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"].includes(node.operator);
  if (N.UnaryExpression.check(node)) return node.operator === "-" || node.operator === "+" || node.operator === "~";
  if (N.TSAsExpression.check(node) || N.TSNonNullExpression.check(node)) return N.TSNonNullExpression.check(node) || neverNullish(node.expression);
  return false;
}
