/**
 * Generate response → Chat v2 response: follows the value a migrated call returns through `await`,
 * `.then`, variables, destructuring, `for...of`, array callbacks and `return`, and rewrites each
 * read by SPEC.md's response table. A use it cannot follow gets a `response-shape` marker.
 *
 * Three kinds of value are followed:
 *   R: a Generate response, now a Chat response (single) or an array of them (numGenerations);
 *   L: `R.generations`, now an array of Chat responses;
 *   G: one generation, now one Chat response.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { useHelper } from "../../src/transform/helpers";
import { expression, freshName, insertMarkerOnce, referencesOf, type TransformContext } from "../../src/transform/kit";
import type { RequestPlan } from "./request";

export type Mode = "single" | "list";

/** SPEC.md "Response": what each read of a generation becomes. */
const GENERATION_FIELDS: Readonly<Record<string, "text" | "finishReason" | "id" | "likelihoods" | "index">> = {
  text: "text",
  finish_reason: "finishReason",
  finishReason: "finishReason",
  id: "id",
  likelihood: "likelihoods",
  tokenLikelihoods: "likelihoods",
  token_likelihoods: "likelihoods",
  index: "index",
};

/** What each read of the response object becomes. */
const RESPONSE_FIELDS: Readonly<Record<string, "generations" | "id" | "meta" | "prompt">> = {
  generations: "generations",
  id: "id",
  meta: "meta",
  prompt: "prompt",
};

/** `meta` children that exist on Chat's `usage`. */
const USAGE_FIELDS = new Set(["billedUnits", "billed_units", "tokens", "cachedTokens"]);

/** Array methods whose callback receives one element. */
const ELEMENT_CALLBACKS = new Set(["map", "forEach", "filter", "find", "findLast", "some", "every", "flatMap"]);

/** Generate response type names and their Chat v2 counterparts. */
const RESPONSE_TYPES: Readonly<Record<string, string>> = {
  Generation: "V2ChatResponse",
  SingleGeneration: "V2ChatResponse",
};

type Expr = N.Node;

export class ResponseRewriter {
  private readonly j;
  /** Nodes already followed, per kind of value (one node can be a response and then a generation). */
  private readonly visited = new Map<string, Set<N.Node>>();

  constructor(
    private readonly ctx: TransformContext,
    private readonly mode: Mode,
    private readonly plan: RequestPlan,
  ) {
    this.j = ctx.j;
  }

  /** `path` evaluates to a Promise of the response. */
  followPromise(path: ASTPath): void {
    if (this.seen(path, "promise")) return;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (N.AwaitExpression.check(node)) return this.followResponse(parent);
    if (isMember(node) && node.object === child.node) {
      const method = memberName(node);
      const call = parent.parent;
      if (call && isCall(call.node) && call.node.callee === node) {
        if (method === "then") {
          const callback = call.node.arguments[0];
          if (callback && isFunction(callback)) {
            const fnPath = call.get("arguments", 0) as ASTPath;
            const param = fnPath.get("params", 0) as ASTPath;
            if (param.node) this.bindResponse(param, fnPath);
            return;
          }
          return this.marker(call);
        }
        if (method === "catch" || method === "finally") return this.followPromise(call);
      }
      return this.marker(parent);
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      const id = parent.get("id") as ASTPath;
      if (N.Identifier.check(id.node)) {
        for (const ref of referencesOf(this.ctx, id)) this.followPromise(ref);
        return;
      }
      return this.marker(parent);
    }
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "promise");
    }
    if (N.ExpressionStatement.check(node)) return;
    this.marker(parent);
  }

  /** `path` evaluates to the response itself. */
  followResponse(path: ASTPath): void {
    if (this.seen(path, "response")) return;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      const field = RESPONSE_FIELDS[memberName(node) ?? ""];
      switch (field) {
        case "generations":
          return this.followList(parent, child.node);
        case "id":
          if (this.mode === "list") this.marker(parent);
          return;
        case "meta":
          return this.followMeta(parent);
        case "prompt":
          return this.replacePrompt(parent);
        default:
          return this.marker(parent);
      }
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      return this.bindResponse(parent.get("id") as ASTPath, parent);
    }
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "value");
    }
    if (N.ExpressionStatement.check(node)) return;
    this.marker(parent);
  }

  /** `path` is `R.generations` (or a binding of it); `response` is the R node inside it. */
  private followList(path: ASTPath, response: Expr): void {
    const j = this.j;
    const { parent, child } = up(path);
    const array = (): Expr => (this.mode === "single" ? j.arrayExpression([response as never]) : response);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      if (node.computed) {
        // Handles: r.generations[0] (single: the response itself; list: r[i]).
        if (this.mode === "single") {
          parent.replace(response);
          return this.followGeneration(parent);
        }
        child.replace(response);
        return this.followGeneration(parent);
      }
      const method = memberName(node);
      if (method === "length") {
        // [r].length rather than 1: a literal would make comparisons like `=== 0` ill-typed.
        child.replace(array());
        return;
      }
      child.replace(array());
      return this.followArrayUse(parent, method);
    }
    child.replace(array());
    this.followArrayValue(child);
  }

  /** `path` evaluates to an array of Chat responses; follow where it goes. */
  private followArrayValue(path: ASTPath): void {
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      if (node.computed) return this.followGeneration(parent);
      const method = memberName(node);
      if (method === "length") return;
      return this.followArrayUse(parent, method);
    }
    if (N.ForOfStatement.check(node) && node.right === child.node) {
      const left = parent.get("left") as ASTPath;
      if (N.VariableDeclaration.check(left.node)) {
        const id = left.get("declarations", 0, "id") as ASTPath;
        return this.bindGeneration(id, parent);
      }
      return this.marker(parent);
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      const id = parent.get("id") as ASTPath;
      this.retype(parent.get("id") as ASTPath, "list");
      if (N.Identifier.check(id.node)) {
        for (const ref of referencesOf(this.ctx, id)) this.followArrayValue(ref);
        return;
      }
      if (N.ArrayPattern.check(id.node)) {
        id.node.elements.forEach((_, i) => this.bindGeneration(id.get("elements", i) as ASTPath, parent));
        return;
      }
      return this.marker(parent);
    }
    if (N.ReturnStatement.check(node) || N.ExpressionStatement.check(node)) {
      if (N.ExpressionStatement.check(node)) return;
    }
    this.marker(parent);
  }

  /** `member` is `A.method`; follow the callback and the result of the array method. */
  private followArrayUse(member: ASTPath, method: string | undefined): void {
    const call = member.parent;
    if (!method || !call || !isCall(call.node) || call.node.callee !== member.node) return this.marker(member);
    if (!ELEMENT_CALLBACKS.has(method)) return this.marker(member);
    const callback = call.node.arguments[0];
    if (callback && isFunction(callback)) {
      const fnPath = call.get("arguments", 0) as ASTPath;
      const param = fnPath.get("params", 0) as ASTPath;
      if (param.node) this.bindGeneration(param, fnPath);
    } else if (callback) this.marker(call);
    if (method === "find" || method === "findLast") this.followGeneration(call);
    else if (method === "filter") this.followArrayValue(call);
  }

  /** `path` evaluates to one generation, now a Chat response. */
  followGeneration(path: ASTPath): void {
    if (this.seen(path, "generation")) return;
    const j = this.j;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      const field = GENERATION_FIELDS[memberName(node) ?? ""];
      switch (field) {
        case "text": {
          // Handles: g.text → chatText(g); r?.generations[0].text → r && chatText(r)
          const helper = useHelper(this.ctx, "chatText");
          const optional = N.OptionalMemberExpression.check(node) && N.Identifier.check(child.node);
          const value = unparenthesized(child.node);
          parent.replace(optional ? expression(this.ctx, `$0 && ${helper}($1)`, value, clone(value)) : j.callExpression(j.identifier(helper), [value as never]));
          return;
        }
        case "finishReason":
          // The member node is kept, so `?.` stays where it was.
          (node as N.MemberExpression).property = j.identifier("finishReason");
          (node as N.MemberExpression).computed = false;
          return;
        case "id":
          return;
        case "likelihoods":
          // Chat's logprobs have another shape: the read becomes `undefined` (it still
          // type-checks) and the marker says what to do.
          this.marker(parent, "likelihoods");
          parent.replace(j.identifier("undefined"));
          return;
        default:
          return this.marker(parent);
      }
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      return this.bindGeneration(parent.get("id") as ASTPath, parent);
    }
    if (N.ReturnStatement.check(node) || N.ExpressionStatement.check(node)) {
      if (N.ExpressionStatement.check(node)) return;
    }
    this.marker(parent);
  }

  /** A binding (variable id or parameter) that receives the response. */
  private bindResponse(binding: ASTPath, owner: ASTPath): void {
    const node = binding.node;
    if (N.Identifier.check(node)) {
      this.retype(binding, this.mode);
      for (const ref of referencesOf(this.ctx, binding)) this.followResponse(ref);
      return;
    }
    if (N.ObjectPattern.check(node)) return this.destructureResponse(binding, owner);
    this.marker(owner);
  }

  /**
   * Handles: const { generations, meta } = await co.generate(...), and the same in a parameter.
   * The pattern becomes one name; every name it bound is rewritten as a read of that name.
   */
  private destructureResponse(binding: ASTPath, owner: ASTPath): void {
    const j = this.j;
    const pattern = binding.node as N.ObjectPattern;
    const name = freshName(this.ctx, this.mode === "single" ? "response" : "responses");
    const reads: Array<{ id: ASTPath; field: string | undefined; value: ASTPath }> = [];
    for (let i = 0; i < pattern.properties.length; i++) {
      const prop = pattern.properties[i];
      const propPath = binding.get("properties", i) as ASTPath;
      if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed) return this.marker(owner);
      const key = N.Identifier.check(prop.key) ? prop.key.name : undefined;
      reads.push({ id: propPath, field: key, value: propPath.get("value") as ASTPath });
    }
    const annotation = (pattern as { typeAnnotation?: unknown }).typeAnnotation;
    const id = j.identifier(name);
    if (annotation) (id as { typeAnnotation?: unknown }).typeAnnotation = annotation;
    // Collect references before the pattern goes away: scopes are looked up on the old tree.
    const plans = reads.map((r) => ({
      ...r,
      refs: N.Identifier.check(r.value.node) ? referencesOf(this.ctx, r.value) : [],
      elements: N.ArrayPattern.check(r.value.node)
        ? r.value.node.elements.map((el, i) => (el && N.Identifier.check(el) ? referencesOf(this.ctx, r.value.get("elements", i) as ASTPath) : undefined))
        : [],
    }));
    binding.replace(id);
    this.retype(binding, this.mode);
    for (const r of plans) {
      const field = RESPONSE_FIELDS[r.field ?? ""];
      const valueNode = r.value.node;
      if (field === "generations" && N.ArrayPattern.check(valueNode)) {
        // Handles: const { generations: [first] } = ...
        r.elements.forEach((refs, i) => {
          if (!refs || (this.mode === "single" && i > 0)) return this.marker(owner);
          const element = (): Expr => (this.mode === "single" ? j.identifier(name) : j.memberExpression(j.identifier(name), j.numericLiteral(i), true));
          for (const ref of refs) {
            ref.replace(element());
            this.followGeneration(ref);
          }
        });
        continue;
      }
      if (!N.Identifier.check(valueNode)) return this.marker(owner);
      for (const ref of r.refs) {
        switch (field) {
          case "generations":
            this.followList(ref, j.identifier(name));
            break;
          case "id":
            if (this.mode === "list") this.marker(ref);
            else ref.replace(j.memberExpression(j.identifier(name), j.identifier("id")));
            break;
          case "meta":
            if (this.mode === "list") this.marker(ref);
            else ref.replace(j.memberExpression(j.identifier(name), j.identifier("usage")));
            break;
          case "prompt":
            this.replacePrompt(ref);
            break;
          default:
            this.marker(ref);
        }
      }
    }
  }

  /** A binding that receives one generation (loop variable, callback parameter, array pattern element). */
  private bindGeneration(binding: ASTPath, owner: ASTPath): void {
    const j = this.j;
    const node = binding.node;
    if (!node) return;
    if (N.Identifier.check(node)) {
      this.retype(binding, "single");
      for (const ref of referencesOf(this.ctx, binding)) this.followGeneration(ref);
      return;
    }
    if (N.ObjectPattern.check(node)) {
      // Handles: for (const { text } of generations), .map(({ text }) => text)
      const name = freshName(this.ctx, "response");
      const plans: Array<{ field: string | undefined; refs: ASTPath[] }> = [];
      for (let i = 0; i < node.properties.length; i++) {
        const prop = node.properties[i];
        if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || !N.Identifier.check(prop.value)) return this.marker(owner);
        const key = N.Identifier.check(prop.key) ? prop.key.name : undefined;
        plans.push({ field: key, refs: referencesOf(this.ctx, binding.get("properties", i, "value") as ASTPath) });
      }
      binding.replace(j.identifier(name));
      for (const p of plans) {
        const field = GENERATION_FIELDS[p.field ?? ""];
        for (const ref of p.refs) {
          if (field === "text") ref.replace(j.callExpression(j.identifier(useHelper(this.ctx, "chatText")), [j.identifier(name)]));
          else if (field === "finishReason") ref.replace(j.memberExpression(j.identifier(name), j.identifier("finishReason")));
          else if (field === "id") ref.replace(j.memberExpression(j.identifier(name), j.identifier("id")));
          else if (field === "likelihoods") {
            this.marker(ref, "likelihoods");
            ref.replace(j.identifier("undefined"));
          } else this.marker(ref);
        }
      }
      return;
    }
    this.marker(owner);
  }

  /** Handles: r.meta.billedUnits → r.usage.billedUnits; other meta reads have no Chat counterpart. */
  private followMeta(metaPath: ASTPath): void {
    const meta = metaPath.node as N.MemberExpression;
    const { parent, child } = up(metaPath);
    const next = parent?.node;
    const ok = this.mode === "single" && next && isMember(next) && next.object === child.node && USAGE_FIELDS.has(memberName(next) ?? "");
    if (!ok) return this.marker(metaPath);
    meta.property = this.j.identifier("usage");
    meta.computed = false;
  }

  /** Handles: r.prompt → the prompt expression, when it is a name or a literal. */
  private replacePrompt(path: ASTPath): void {
    const prompt = this.plan.prompt;
    if (prompt && (N.Identifier.check(prompt) || N.StringLiteral.check(prompt) || N.Literal.check(prompt))) {
      path.replace(clone(prompt));
      return;
    }
    this.marker(path);
  }

  /**
   * The function's value is (a Promise of) the response: follow its calls in this file and
   * retype its return annotation. Callers out of sight get a marker.
   */
  private followReturn(from: ASTPath, what: "promise" | "value"): void {
    let fn: ASTPath | null = from;
    while (fn && !isFunction(fn.node)) fn = fn.parent;
    if (!fn) return this.marker(from);
    const fnNode = fn.node as N.FunctionDeclaration;
    this.retypeReturn(fn);
    const promise = what === "promise" || fnNode.async === true;

    // A `.then` callback that returns the response passes it on to the next `.then`.
    const outer = fn.parent;
    if (outer && isCall(outer.node) && isMember(outer.node.callee) && memberName(outer.node.callee) === "then") {
      return promise ? this.marker(from) : this.followPromise(outer);
    }

    const binding = functionBinding(fn);
    if (!binding) return this.marker(from);
    const refs = referencesOf(this.ctx, binding);
    let outOfSight = isExported(fn) || refs.length === 0;
    for (const ref of refs) {
      const parent = ref.parent;
      if (parent && isCall(parent.node) && parent.node.callee === ref.node) {
        if (promise) this.followPromise(parent);
        else this.followResponse(parent);
      } else outOfSight = true;
    }
    if (outOfSight) insertMarkerOnce(this.ctx, from, "response-shape", "(this function now returns a Chat v2 response; update its callers)");
  }

  /** Rewrites a binding's type annotation (`Cohere.Generation` → `Cohere.V2ChatResponse`). */
  private retype(binding: ASTPath, mode: Mode): void {
    const annotation = (binding.node as { typeAnnotation?: { typeAnnotation?: N.Node } }).typeAnnotation;
    const type = annotation?.typeAnnotation;
    if (!type) return;
    const replaced = this.chatType(type, mode);
    if (replaced && annotation) annotation.typeAnnotation = replaced;
  }

  private retypeReturn(fn: ASTPath): void {
    const returnType = (fn.node as { returnType?: { typeAnnotation?: N.Node } }).returnType;
    const type = returnType?.typeAnnotation;
    if (!type || !returnType) return;
    // Handles: Promise<Cohere.Generation>
    if (N.TSTypeReference.check(type) && N.Identifier.check(type.typeName) && type.typeName.name === "Promise") {
      const params = (type as { typeParameters?: { params: N.Node[] } }).typeParameters?.params;
      if (params?.[0]) {
        const inner = this.chatType(params[0], this.mode);
        if (inner) params[0] = inner;
      }
      return;
    }
    const replaced = this.chatType(type, this.mode);
    if (replaced) returnType.typeAnnotation = replaced;
  }

  /** The Chat type for a Generate response type node, or undefined when it is not one. */
  private chatType(type: N.Node, mode: Mode): N.Node | undefined {
    const j = this.j;
    if (N.TSArrayType.check(type)) {
      // Handles: Cohere.SingleGeneration[] (the generations list) → Cohere.V2ChatResponse[]
      const element = this.chatType(type.elementType, "single");
      return element ? j.tsArrayType(element as never) : undefined;
    }
    if (!N.TSTypeReference.check(type)) return undefined;
    const name = type.typeName;
    let replaced: N.TSTypeReference | undefined;
    if (N.Identifier.check(name) && RESPONSE_TYPES[name.name]) {
      replaced = j.tsTypeReference(j.identifier(RESPONSE_TYPES[name.name]));
    } else if (N.TSQualifiedName.check(name) && N.Identifier.check(name.right) && RESPONSE_TYPES[name.right.name]) {
      replaced = j.tsTypeReference(j.tsQualifiedName(name.left as never, j.identifier(RESPONSE_TYPES[name.right.name])));
    }
    if (!replaced) return undefined;
    return mode === "list" ? j.tsArrayType(replaced) : replaced;
  }

  private marker(path: ASTPath, code: "response-shape" | "likelihoods" = "response-shape"): void {
    insertMarkerOnce(this.ctx, path, code);
  }

  private seen(path: ASTPath, kind: string): boolean {
    let nodes = this.visited.get(kind);
    if (!nodes) this.visited.set(kind, (nodes = new Set()));
    if (nodes.has(path.node)) return true;
    nodes.add(path.node);
    return false;
  }
}

/** The parent of a value, skipping wrappers that do not change it (`x!`, `(x)`, `x as T`). */
function up(path: ASTPath): { parent: ASTPath | null; child: ASTPath } {
  let child = path;
  let parent = path.parent as ASTPath | null;
  while (
    parent &&
    (N.TSNonNullExpression.check(parent.node) || N.ParenthesizedExpression.check(parent.node) || N.TSAsExpression.check(parent.node))
  ) {
    child = parent;
    parent = parent.parent as ASTPath | null;
  }
  return { parent, child };
}

function isMember(node: N.Node): node is N.MemberExpression {
  return N.MemberExpression.check(node) || N.OptionalMemberExpression.check(node);
}

function isCall(node: N.Node): node is N.CallExpression {
  return N.CallExpression.check(node) || N.OptionalCallExpression.check(node);
}

function isFunction(node: N.Node): boolean {
  return (
    N.ArrowFunctionExpression.check(node) ||
    N.FunctionExpression.check(node) ||
    N.FunctionDeclaration.check(node) ||
    N.ClassMethod.check(node) ||
    N.ObjectMethod.check(node)
  );
}

export function memberName(node: N.MemberExpression): string | undefined {
  const prop = node.property;
  if (!node.computed && N.Identifier.check(prop)) return prop.name;
  if (N.StringLiteral.check(prop)) return prop.value;
  return undefined;
}

/** The identifier that names a function, for finding its calls. */
function functionBinding(fn: ASTPath): ASTPath | undefined {
  const node = fn.node;
  if (N.FunctionDeclaration.check(node) && node.id) return fn.get("id") as ASTPath;
  const parent = fn.parent;
  if (parent && N.VariableDeclarator.check(parent.node) && N.Identifier.check(parent.node.id)) return parent.get("id") as ASTPath;
  return undefined;
}

function isExported(fn: ASTPath): boolean {
  for (let p: ASTPath | null = fn.parent; p; p = p.parent) {
    if (N.ExportNamedDeclaration.check(p.node) || N.ExportDefaultDeclaration.check(p.node)) return true;
    if (N.Program.check(p.node)) break;
  }
  return false;
}

/** A node moved into a call's arguments does not need the parentheses it had in place. */
function unparenthesized(node: N.Node): N.Node {
  const extra = (node as { extra?: { parenthesized?: boolean } }).extra;
  if (extra?.parenthesized) extra.parenthesized = false;
  return node;
}

function clone<T extends N.Node>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === "loc" || key === "start" || key === "end" || key === "tokens" ? undefined : value))) as T;
}
