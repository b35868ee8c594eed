/**
 * Follows the stream a migrated `chatStream` call returns, to the loops that read its events:
 * through `await`, `.then`, variables, `return` (to the function's callers in this file) and
 * arguments of functions declared in this file. A place the stream goes that cannot be followed
 * gets a `response-shape` marker: its events changed shape there.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { functionBinding, insertMarkerOnce, isCall, isFunction, offsets, referencesOf, type TransformContext } from "../../src/transform/kit";
import { memberName } from "../generate-to-chat/response";
import { EventLoopRewriter } from "./events";
import { EVENT_HELP, STREAM_TYPES } from "./tables";
import { isMember, localFunction, up } from "./scope";

/** Promise methods that hand the same stream on. */
const PASS_THROUGH = new Set(["catch", "finally"]);

export class StreamFollower {
  private readonly loops: EventLoopRewriter;
  /** Nodes already followed, per kind of value. */
  private readonly visited = new Map<string, Set<N.Node>>();
  /** Parameters of this file's functions that calls pass a stream to, by function and position. */
  private readonly parameters = new Map<string, { fn: ASTPath; param: ASTPath; index: number; calls: ASTPath[] }>();

  constructor(private readonly ctx: TransformContext) {
    this.loops = new EventLoopRewriter(ctx);
  }

  /** `path` evaluates to a Promise of the stream. */
  followPromise(path: ASTPath): void {
    if (this.seen(path, "promise")) return;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (N.AwaitExpression.check(node)) return this.followStream(parent);
    if (isMember(node) && node.object === child.node) {
      const method = memberName(node);
      const call = parent.parent as ASTPath | null;
      if (call && isCall(call.node) && call.node.callee === node) {
        // Handles: co.chatStream(...).then(async (stream) => { for await (...) })
        if (method === "then" && call.node.arguments[0] && isFunction(call.node.arguments[0])) {
          return this.bindStream(call.get("arguments", 0, "params", 0) as ASTPath, call);
        }
        if (method && PASS_THROUGH.has(method)) return this.followPromise(call);
      }
      return this.mark(parent);
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      const id = parent.get("id") as ASTPath;
      if (!N.Identifier.check(id.node)) return this.mark(parent);
      for (const ref of referencesOf(this.ctx, id)) this.followPromise(ref);
      return;
    }
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "promise");
    }
    if (N.ExpressionStatement.check(node)) return;
    this.mark(parent);
  }

  /** `path` evaluates to the stream itself. */
  followStream(path: ASTPath): void {
    if (this.seen(path, "stream")) return;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (N.ForOfStatement.check(node) && node.right === child.node) {
      // Handles: for await (const event of stream), for await (const { eventType, text } of stream)
      const left = parent.get("left") as ASTPath;
      if (N.VariableDeclaration.check(left.node) && left.node.declarations.length === 1) {
        return this.loops.rewrite(parent, left.get("declarations", 0, "id") as ASTPath);
      }
      return this.mark(parent);
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) return this.bindStream(parent.get("id") as ASTPath, parent);
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "value");
    }
    // The stream object is the same class on Chat (stream.controller.abort() still works); only its events changed.
    if (isMember(node) && node.object === child.node && !node.computed) return;
    if (isCall(node) && node.callee !== child.node) return this.followArgument(parent, node.arguments.indexOf(child.node as never));
    if (N.ExpressionStatement.check(node)) return;
    this.mark(parent);
  }

  /** A variable or parameter that receives the stream. */
  private bindStream(binding: ASTPath, owner: ASTPath): void {
    if (!binding.node || !N.Identifier.check(binding.node)) return this.mark(owner);
    this.retype((binding.node as { typeAnnotation?: N.Node | null }).typeAnnotation);
    for (const ref of referencesOf(this.ctx, binding)) this.followStream(ref);
  }

  /**
   * Handles: await printStream(stream), where printStream is declared in this file. Decided in
   * `finish`, once every stream of the file has been followed: the function's loop is rewritten
   * only if each of its calls passes a Chat stream there, since a helper that also reads other
   * iterables (`collect(numbers())`) would skip all their items.
   */
  private followArgument(call: ASTPath, index: number): void {
    const fn = localFunction(call.get("callee") as ASTPath);
    const param = fn && index >= 0 ? (fn.get("params", index) as ASTPath) : undefined;
    if (!fn || !param?.node || !N.Identifier.check(param.node)) return this.mark(call);
    const key = `${offsets(fn.node).start}:${index}`;
    const pending = this.parameters.get(key) ?? { fn, param, index, calls: [] };
    pending.calls.push(call);
    this.parameters.set(key, pending);
  }

  /** Settles the parameters that received a stream (see followArgument); call after the last site. */
  finish(): void {
    // A loop followed from a parameter may hand the stream to another function: settled in turn.
    for (let settled = new Set<string>(); ; ) {
      const next = [...this.parameters].find(([key]) => !settled.has(key));
      if (!next) return;
      const [key, { fn, param, calls }] = next;
      settled.add(key);
      const binding = functionBinding(fn);
      const refs = binding ? referencesOf(this.ctx, binding) : [];
      const streams = new Set(calls.map((c) => c.node));
      // A generic parameter (`AsyncIterable<T>`) is read as T: a Chat event's `type` does not type-check there.
      const why = isExported(fn)
        ? "it is exported: its callers elsewhere may pass other values"
        : (fn.node as { typeParameters?: unknown }).typeParameters
          ? "it is generic: its loop reads other values too"
          : !refs.length || !refs.every((ref) => {
                const parent = ref.parent as ASTPath | null;
                return parent !== null && isCall(parent.node) && parent.node.callee === ref.node && streams.has(parent.node);
              })
            ? "it is also called with other values"
            : undefined;
      const onlyStreams = why === undefined;
      if (onlyStreams) this.bindStream(param, calls[0]);
      else for (const call of calls) insertMarkerOnce(this.ctx, call, "response-shape", `${EVENT_HELP.slice(0, -1)}; the function it is passed to was left as it was: ${why})`);
    }
  }

  /**
   * The function's value is (a Promise of) the stream: follow its calls in this file. Callers out
   * of sight get a marker.
   */
  private followReturn(from: ASTPath, what: "promise" | "value"): void {
    let fn: ASTPath | null = from;
    while (fn && !isFunction(fn.node)) fn = fn.parent;
    if (!fn) return this.mark(from);
    const promise = what === "promise" || (fn.node as N.FunctionDeclaration).async === true;
    this.retype((fn.node as { returnType?: N.Node | null }).returnType);
    const outer = fn.parent as ASTPath | null;
    if (outer && isCall(outer.node) && isMember(outer.node.callee) && memberName(outer.node.callee) === "then") {
      // Handles: co.chatStream(...).then((s) => s) passing the stream to the next `.then`.
      return promise ? this.mark(from) : this.followPromise(outer);
    }
    const binding = functionBinding(fn);
    if (!binding) return this.mark(from);
    const refs = referencesOf(this.ctx, binding);
    let outOfSight = isExported(fn) || refs.length === 0;
    for (const ref of refs) {
      const parent = ref.parent as ASTPath | null;
      if (parent && isCall(parent.node) && parent.node.callee === ref.node) {
        if (promise) this.followPromise(parent);
        else this.followStream(parent);
      } else outOfSight = true;
    }
    if (outOfSight) insertMarkerOnce(this.ctx, from, "response-shape", "(this function now returns a Chat v2 stream: content-delta and message-end events; update its callers)");
  }

  /**
   * Handles: (stream: AsyncIterable<Cohere.GenerateStreamedResponse>) → Cohere.V2ChatStreamResponse,
   * and the same in a return type. A name imported on its own is left to generate-types-to-chat,
   * which also fixes the import.
   */
  private retype(annotation: N.Node | null | undefined): void {
    if (!annotation) return;
    this.ctx.j(annotation as never)
      .find(this.ctx.j.TSQualifiedName)
      .forEach((p: ASTPath<N.TSQualifiedName>) => {
        const right = p.node.right;
        const chat = N.Identifier.check(right) ? STREAM_TYPES[right.name] : undefined;
        if (chat && N.TSTypeReference.check(p.parent?.node)) p.node.right = this.ctx.j.identifier(chat);
      });
  }

  private mark(path: ASTPath): void {
    insertMarkerOnce(this.ctx, path, "response-shape", EVENT_HELP);
  }

  private seen(path: ASTPath, kind: string): boolean {
    let nodes = this.visited.get(kind);
    if (!nodes) this.visited.set(kind, (nodes = new Set()));
    if (nodes.has(path.node)) return true;
    nodes.add(path.node);
    return false;
  }
}




function isExported(fn: ASTPath): boolean {
  for (let p: ASTPath | null = fn.parent; p; p = p.parent) {
    if (N.ExportNamedDeclaration.check(p.node) || N.ExportDefaultDeclaration.check(p.node)) return true;
    if (N.Program.check(p.node)) break;
  }
  return false;
}
