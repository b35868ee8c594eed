/**
 * Where a reference to `generate` goes, found before anything changes: the reference itself (bound,
 * unbound or destructured), then every call that ends up running it with its request. A reference
 * is rewritten only when every such call is visible and its request is an object migrate can
 * convert; otherwise the answer is the reason, for the marker.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { referencesOf, type TransformContext } from "../../src/transform/kit";
import { table } from "../../src/tables";

/**
 * Helpers that call the function they are given with the argument after it and resolve with its
 * result, by method name: LangChain's AsyncCaller (`this.caller.call(fn, req)`,
 * `this.caller.callWithOptions(options, fn, req)`), recognised on a receiver named `caller`.
 */
export const PASS_THROUGH: Readonly<Record<string, { receiver: string; fn: number }>> = table({
  call: { receiver: "caller", fn: 0 },
  callWithOptions: { receiver: "caller", fn: 1 },
});

type Member = N.MemberExpression | N.OptionalMemberExpression;

export type MethodReference =
  /** `client.generate.bind(client)`; `value` is the bind call. */
  | { shape: "bound"; member: ASTPath<Member>; value: ASTPath<N.CallExpression> }
  /** `client.generate`, not called. */
  | { shape: "unbound"; member: ASTPath<Member>; value: ASTPath<Member> }
  /** `const { generate } = client`; `binding` is the local name. */
  | { shape: "destructured"; property: ASTPath<N.ObjectProperty>; declarator: ASTPath<N.VariableDeclarator>; binding: ASTPath<N.Identifier> };

export type RequestArgument =
  | { kind: "inline"; object: ASTPath<N.ObjectExpression> }
  /** `const request = {...}; gen(request)`, the request's only use. */
  | { kind: "detached"; declarator: ASTPath<N.VariableDeclarator> };

export interface ChatCall {
  /** The call whose value is a Promise of the response (the alias call or the helper call). */
  producer: ASTPath<N.CallExpression>;
  request: RequestArgument;
}

export type Uses = { ok: true; reference: MethodReference; calls: ChatCall[] } | { ok: false; reason: string };

/** The reference at a detected site, or why it is not one of the shapes this transform rewrites. */
export function methodReference(ctx: TransformContext, path: ASTPath): MethodReference | { reason: string } {
  const node = path.node;
  if (N.ObjectProperty.check(node) || N.Property.check(node)) {
    const pattern = path.parent as ASTPath | null;
    const declarator = pattern?.parent as ASTPath<N.VariableDeclarator> | null;
    if (!pattern || !declarator || !N.ObjectPattern.check(pattern.node) || !N.VariableDeclarator.check(declarator.node)) return { reason: "" };
    if (!N.Identifier.check(node.value)) return { reason: "" };
    return {
      shape: "destructured",
      property: path as ASTPath<N.ObjectProperty>,
      declarator,
      binding: path.get("value") as ASTPath<N.Identifier>,
    };
  }
  if (!isMember(node)) return { reason: "" };
  const member = path as ASTPath<Member>;
  const parent = path.parent as ASTPath | null;
  const call = parent?.parent as ASTPath | null;
  if (parent && isMember(parent.node) && parent.node.object === node && propertyName(parent.node) === "bind") {
    // Handles: client.generate.bind(client); binding to anything else, or binding arguments, is not followed.
    if (!call || !N.CallExpression.check(call.node) || call.node.callee !== parent.node) return { reason: "" };
    const args = call.node.arguments;
    if (args.length !== 1 || !sameExpression(ctx, args[0], node.object)) return { reason: "(it is bound to another object or with arguments)" };
    return { shape: "bound", member, value: call as ASTPath<N.CallExpression> };
  }
  if (parent && isMember(parent.node) && parent.node.object === node) return { reason: "" };
  return { shape: "unbound", member, value: member };
}

/** Every call that runs the referenced method, with its request; or why they cannot all be seen. */
export function usesOf(ctx: TransformContext, reference: MethodReference): Uses {
  const calls: ChatCall[] = [];
  if (reference.shape === "destructured") {
    const found = aliasCalls(ctx, reference.binding, calls);
    return found === true ? { ok: true, reference, calls } : { ok: false, reason: found };
  }
  const value = reference.value;
  const parent = value.parent as ASTPath | null;
  if (!parent) return { ok: false, reason: "" };
  const node = parent.node;
  if (N.VariableDeclarator.check(node) && node.init === value.node && N.Identifier.check(node.id)) {
    // Handles: const gen = client.generate.bind(client); await gen({ prompt })
    const found = aliasCalls(ctx, parent.get("id") as ASTPath<N.Identifier>, calls);
    return found === true ? { ok: true, reference, calls } : { ok: false, reason: found };
  }
  if ((N.ClassProperty.check(node) || N.ClassPrivateProperty.check(node)) && node.value === value.node) {
    // Handles: private gen = this.client.generate.bind(this.client); await this.gen({ prompt })
    const found = memberCalls(ctx, parent, calls);
    return found === true ? { ok: true, reference, calls } : { ok: false, reason: found };
  }
  if (N.CallExpression.check(node) && node.arguments.includes(value.node as never)) {
    // Handles: this.caller.call(client.generate.bind(client), { prompt })
    const helper = passThrough(node, node.arguments.indexOf(value.node as never));
    if (helper === undefined) return { ok: false, reason: "(it is passed to a function migrate does not know)" };
    const request = requestArgument(ctx, parent as ASTPath<N.CallExpression>, helper + 1);
    if (!request) return { ok: false, reason: "(the request passed with it is not visible)" };
    calls.push({ producer: parent as ASTPath<N.CallExpression>, request });
    return { ok: true, reference, calls };
  }
  return { ok: false, reason: "" };
}

/** The calls of a local alias; `true` when every use is a call with a convertible request. */
function aliasCalls(ctx: TransformContext, id: ASTPath<N.Identifier>, calls: ChatCall[]): true | string {
  if (isExported(ctx, id)) return `(${id.node.name} is exported: its calls are in other modules)`;
  for (const ref of referencesOf(ctx, id)) {
    const call = ref.parent as ASTPath | null;
    if (!call || !N.CallExpression.check(call.node) || call.node.callee !== ref.node) {
      return `(${id.node.name} is used other than in a call)`;
    }
    const request = requestArgument(ctx, call as ASTPath<N.CallExpression>, 0);
    if (!request) return `(a call of ${id.node.name} passes a request migrate cannot see)`;
    calls.push({ producer: call as ASTPath<N.CallExpression>, request });
  }
  return true;
}

/**
 * The calls `this.<name>(...)` of a class property holding the method. Only a private property
 * (TypeScript `private` or `#name`) has all its uses in the class.
 */
function memberCalls(ctx: TransformContext, property: ASTPath, calls: ChatCall[]): true | string {
  const node = property.node as N.ClassProperty | N.ClassPrivateProperty;
  const key = node.key;
  const isPrivate = N.ClassPrivateProperty.check(node) || N.PrivateName.check(key) || (node as { accessibility?: string }).accessibility === "private";
  const name = N.Identifier.check(key) ? key.name : N.PrivateName.check(key) ? key.id.name : undefined;
  if (!isPrivate || !name) return "(the property can be used outside its class)";
  const body = property.parent;
  if (!body) return "";
  let reason: string | undefined;
  ctx
    .j(body)
    .find(ctx.j.Node)
    .forEach((p: ASTPath) => {
      const n = p.node;
      if (reason !== undefined || !isMember(n) || !N.ThisExpression.check(n.object)) return;
      const prop = n.property;
      const named = N.PrivateName.check(prop) ? prop.id.name : !n.computed && N.Identifier.check(prop) ? prop.name : undefined;
      if (named !== name || N.PrivateName.check(prop) !== N.PrivateName.check(key)) return;
      const call = p.parent as ASTPath | null;
      if (!call || !N.CallExpression.check(call.node) || call.node.callee !== n) {
        reason = `(this.${name} is used other than in a call)`;
        return;
      }
      const request = requestArgument(ctx, call as ASTPath<N.CallExpression>, 0);
      if (!request) reason = `(a call of this.${name} passes a request migrate cannot see)`;
      else calls.push({ producer: call as ASTPath<N.CallExpression>, request });
    });
  return reason ?? true;
}

/** Handles: export const gen = ..., export { gen }: its callers are in other modules. */
function isExported(ctx: TransformContext, id: ASTPath<N.Identifier>): boolean {
  for (let p: ASTPath | null = id.parent; p; p = p.parent) {
    if (N.ExportNamedDeclaration.check(p.node)) return true;
    if (N.Program.check(p.node) || N.Function.check(p.node)) break;
  }
  const name = id.node.name;
  return ctx.root.find(ctx.j.ExportSpecifier).some((p: ASTPath<N.ExportSpecifier>) => {
    const local = (p.node.local ?? p.node.exported) as N.Identifier;
    return local.name === name && !(p.parent?.node as N.ExportNamedDeclaration).source;
  });
}

/** The argument index of the function in a known pass-through helper call, if it is one. */
function passThrough(call: N.CallExpression, index: number): number | undefined {
  const callee = call.callee;
  if (!isMember(callee)) return undefined;
  const rule = PASS_THROUGH[propertyName(callee) ?? ""];
  if (!rule || rule.fn !== index) return undefined;
  const receiver = callee.object;
  const receiverName = N.Identifier.check(receiver) ? receiver.name : isMember(receiver) ? propertyName(receiver) : undefined;
  return receiverName === rule.receiver ? index : undefined;
}

/** The request at `index` when migrate can convert it: an object literal, or a const object used only there. */
function requestArgument(ctx: TransformContext, call: ASTPath<N.CallExpression>, index: number): RequestArgument | undefined {
  const arg = call.node.arguments[index];
  if (arg && N.ObjectExpression.check(arg)) return { kind: "inline", object: call.get("arguments", index) as ASTPath<N.ObjectExpression> };
  if (!arg || !N.Identifier.check(arg)) return undefined;
  const scope = (call as ASTPath & { scope?: { lookup(n: string): { path: ASTPath } | undefined } }).scope?.lookup(arg.name);
  if (!scope) return undefined;
  let found: ASTPath<N.VariableDeclarator> | undefined;
  ctx
    .j(scope.path)
    .find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name: arg.name } })
    .forEach((p: ASTPath<N.VariableDeclarator>) => {
      const kind = (p.parent?.node as N.VariableDeclaration | undefined)?.kind;
      if (kind === "const" && p.node.init && N.ObjectExpression.check(p.node.init)) found ??= p;
    });
  if (!found || referencesOf(ctx, found.get("id") as ASTPath).length !== 1) return undefined;
  return { kind: "detached", declarator: found };
}

export function isMember(node: N.Node): node is Member {
  return N.MemberExpression.check(node) || N.OptionalMemberExpression.check(node);
}

export function propertyName(node: Member): string | undefined {
  const prop = node.property;
  if (!node.computed && N.Identifier.check(prop)) return prop.name;
  if (N.StringLiteral.check(prop)) return prop.value;
  return undefined;
}

/** Same source text, ignoring whitespace: `this.client` and `this.client`. */
function sameExpression(ctx: TransformContext, a: N.Node, b: N.Node): boolean {
  const text = (n: N.Node): string => ctx.j(n as never).toSource().replace(/\s+/g, "");
  return text(a) === text(b);
}
