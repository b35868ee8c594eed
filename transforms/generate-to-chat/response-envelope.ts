/**
 * The envelope a migrated call may resolve with around the response (cohere-ai v6's
 * `{ statusCode, body }`, an axios response's `data`, a fetch Response's `json()`): reads through it
 * reach the response follower; envelope fields the Chat call no longer has are replaced and marked.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { expression, freshName, referencesOf } from "../../src/transform/kit";
import { inFailureBranch, keepingCall, ResponseFollower } from "./response-follow";
import { isCall, isFunction, isMember, memberName, up } from "./response-ast";
import { LIST_ENVELOPE_READS, type Envelope } from "./response-tables";
import { own } from "../../src/tables";

type Expr = N.Node;

export class ResponseRewriter extends ResponseFollower {
  /** `path` evaluates to the envelope the call resolves with (see Envelope). */
  followEnvelope(path: ASTPath): void {
    const envelope = this.options.envelope;
    if (!envelope) return this.followResponse(path);
    if (this.seen(path, "envelope")) return;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      const name = memberName(node) ?? "";
      if ("field" in envelope.via && name === envelope.via.field) return this.throughField(parent, child.node, envelope, envelope.via.field);
      // Handles: if (!res.ok) { const err = await res.json(); throw new Error(err.message); }: the error body, not a response.
      if ("method" in envelope.via && name === envelope.via.method && this.mode === "single" && inFailureBranch(parent, child.node)) return;
      if ("method" in envelope.via && name === envelope.via.method) {
        const call = parent.parent;
        if (call && isCall(call.node) && call.node.callee === node) return this.throughMethod(call, child.node, envelope, envelope.via.method);
        return this.marker(parent);
      }
      const gone = own(envelope.gone, name);
      if (gone) return this.replaceGone(parent, name, gone);
      // Handles: if (!res.ok) { throw new Error(await res.text()); }
      if (envelope.keepOnFailure?.includes(name) && this.mode === "single" && inFailureBranch(parent, child.node)) return;
      if (!envelope.keep.includes(name)) return this.marker(parent);
      if (this.mode === "single") return;
      // Handles: res.ok on the n responses of numGenerations → res.every((reply) => reply.ok)
      const method = LIST_ENVELOPE_READS[name];
      if (!method) return this.marker(parent);
      const reply = this.replyName();
      parent.replace(expression(this.ctx, `$0.${method}((${reply}) => ${reply}.${name})`, child.node));
      return;
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      return this.bindEnvelope(parent.get("id") as ASTPath, parent, envelope);
    }
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "value", "envelope");
    }
    if (N.ExpressionStatement.check(node)) return;
    this.marker(parent);
  }

  /** Handles: v6 `response.body` → `response`; axios `response.data` stays (n responses: mapped). */
  protected throughField(member: ASTPath, envelopeNode: Expr, envelope: Envelope, field: string): void {
    if (envelope.removed) {
      const read = member.parent?.node;
      const name = read && isMember(read) && read.object === member.node ? memberName(read) : undefined;
      const [goneField, gone] = Object.entries(envelope.gone ?? {})[0] ?? [];
      if (name && goneField && gone && envelope.errorFields?.includes(name)) {
        // Handles: throw new Error(response.body.message) (v6's error body; cohere-ai 8 throws instead).
        return this.replaceGone(member.parent as ASTPath, goneField, gone, this.j.identifier("undefined"));
      }
      member.replace(envelopeNode);
      return this.followResponse(member);
    }
    if (this.mode === "list") {
      const reply = this.replyName();
      const read = this.unwrapped(envelope, this.j.memberExpression(this.j.identifier(reply), this.j.identifier(field)), false);
      member.replace(expression(this.ctx, `$0.map((${reply}) => $1)`, envelopeNode, read));
      return this.followResponse(member);
    }
    const read = this.unwrapped(envelope, member.node, false);
    if (read !== member.node) member.replace(read);
    this.followResponse(member);
  }

  /** Handles: fetch's `res.json()`, a Promise of the Chat response (n responses: Promise.all). */
  protected throughMethod(call: ASTPath, envelopeNode: Expr, envelope: Envelope, method: string): void {
    if (this.mode === "list") {
      const reply = this.replyName();
      const read = this.unwrapped(envelope, expression(this.ctx, `${reply}.${method}()`), true);
      call.replace(expression(this.ctx, `Promise.all($0.map((${reply}) => $1))`, envelopeNode, read));
    } else {
      const read = this.unwrapped(envelope, call.node, true);
      if (read !== call.node) call.replace(read);
      // Handles: const data = await res.json(); if (!res.ok) { throw new Error(data.message) }:
      // there the body is the error's, which the reads keep (marker()).
      if (N.Identifier.check(envelopeNode)) this.failureGuards.add(envelopeNode.name);
    }
    this.followPromise(call, "response");
  }

  /** The parameter of the callbacks that read each of n envelopes: one fresh name, each callback its own scope. */
  protected replyName(): string {
    this.reply ??= freshName(this.ctx, "reply");
    return this.reply;
  }

  protected unwrapped(envelope: Envelope, read: Expr, promise: boolean): Expr {
    return envelope.unwrap ? envelope.unwrap(read, promise) : read;
  }

  /** Handles: response.statusCode (v6) → 200, the only status a call that resolves now has. */
  protected replaceGone(path: ASTPath, name: string, gone: NonNullable<Envelope["gone"]>[string], value: Expr = this.j.numericLiteral(gone.value)): void {
    // One marker per field and call: the first read explains them all.
    if (!this.goneMarked.has(name)) this.marker(path, gone.marker, gone.detail);
    this.goneMarked.add(name);
    path.replace(keepingCall(this.j, path.node, value));
  }

  protected bindEnvelope(binding: ASTPath, owner: ASTPath, envelope: Envelope): void {
    const node = binding.node;
    if (N.Identifier.check(node)) {
      for (const ref of referencesOf(this.ctx, binding)) this.followEnvelope(ref);
      return;
    }
    // n responses are an array; v6's envelope is gone, so `{ body }` still names them all.
    if (N.ObjectPattern.check(node) && (this.mode === "single" || envelope.removed) && "field" in envelope.via) {
      return this.destructureEnvelope(binding, owner, envelope, envelope.via.field);
    }
    this.marker(owner);
  }

  /**
   * Handles: const { statusCode, body } = await cohere.generate(...) (v6: the pattern becomes the
   * body's name) and const { data } = await axios.post(...) (the pattern stays; `data` is the response).
   */
  protected destructureEnvelope(binding: ASTPath, owner: ASTPath, envelope: Envelope, field: string): void {
    const pattern = binding.node as N.ObjectPattern;
    let body: ASTPath | undefined;
    const gone: Array<{ name: string; refs: ASTPath[] }> = [];
    for (let i = 0; i < pattern.properties.length; i++) {
      const prop = pattern.properties[i];
      if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed || !N.Identifier.check(prop.key)) return this.marker(owner);
      const value = binding.get("properties", i, "value") as ASTPath;
      const key = prop.key.name;
      if (key === field) body = value;
      else if (envelope.gone?.[key] && N.Identifier.check(value.node)) gone.push({ name: key, refs: referencesOf(this.ctx, value) });
      else if (!envelope.keep.includes(key)) return this.marker(owner);
    }
    // Trimming wraps the expression that reads the response; a pattern has none to wrap, so the
    // awaited envelope is trimmed instead (`const { data } = await axios.post(...).then(...)`).
    if (body && !envelope.removed && envelope.unwrap) {
      const init = N.VariableDeclarator.check(owner.node) ? owner.node.init : undefined;
      if (!envelope.unwrapPromise || !N.AwaitExpression.check(init) || !init.argument) return this.marker(owner);
      init.argument = envelope.unwrapPromise(init.argument) as N.AwaitExpression["argument"];
    }
    const bodyRefs = body && N.Identifier.check(body.node) ? referencesOf(this.ctx, body) : undefined;
    for (const g of gone) for (const ref of g.refs) this.replaceGone(ref, g.name, envelope.gone?.[g.name] as NonNullable<Envelope["gone"]>[string]);
    if (!body) return;
    if (!envelope.removed) return this.bindResponse(body, owner);
    binding.replace(body.node);
    if (bodyRefs) {
      for (const ref of bodyRefs) this.followResponse(ref);
      return;
    }
    this.bindResponse(binding, owner);
  }
}

