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
import { exportNames, expression, freshName, isExportsObject, insertMarkerOnce, referencesOf, type ScriptReturn, type ScriptReturnedKind, type TransformContext } from "../../src/transform/kit";
import type { MarkerCode } from "../../src/markers";
import type { RequestPlan } from "./request";
import { renamedType } from "./type-names";
import { isRepeatable, isWriteTarget, returnsValue } from "./response-ast";
import { clone, functionBinding, functionNamed, isCall, isExported, isFunction, isMember, isPromiseAll, isPromiseAllSettled, memberName, passesThrough, typedValue, unparenthesized, up } from "./response-ast";
import { CAMEL_USAGE_FIELDS, ELEMENT_CALLBACKS, GENERATION_FIELDS, RESPONSE_FIELDS, RESPONSE_TYPES, SNAKE_CHAT_FIELDS, USAGE_FIELDS, type Envelope, type Level, type Mode, type ResponseOptions } from "./response-tables";

type Expr = N.Node;

/**
 * Follows a response value and rewrites its reads. The envelope part (v6 `{ statusCode, body }`,
 * axios `data`, fetch `json()`) lives in the subclass, ResponseRewriter (response-envelope.ts).
 */
export abstract class ResponseFollower {
  protected readonly j;
  /** Nodes already followed, per kind of value (one node can be a response and then a generation). */
  protected readonly visited = new Map<string, Set<N.Node>>();
  /** Values that may be missing (read through `?.`, a `.find()` result): their text reads keep a guard. */
  protected readonly maybeNullish = new WeakSet<N.Node>();
  /** Responses whose generations were read through `?.` (`r.generations?.[0]`): a body without them was expected. */
  private readonly generationsGuarded = new WeakSet<N.Node>();
  /** Envelope fields whose marker this call already has. */
  protected readonly goneMarked = new Set<string>();
  protected reply: string | undefined;
  /** Whether reads followed now are in the scope of the request's prompt expression (not a caller's). */
  protected promptInScope = true;

  constructor(
    protected readonly ctx: TransformContext,
    protected readonly mode: Mode,
    protected readonly plan: RequestPlan,
    protected readonly options: ResponseOptions = {},
  ) {
    this.j = ctx.j;
  }

  /** `path` evaluates to a Promise of the response (of its envelope, when the options give one). */
  followPromise(path: ASTPath, level: Level = this.options.envelope ? "envelope" : "response"): void {
    if (this.seen(path, `promise-${level}`)) return;
    if (level === "response") path = this.untype(path);
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (N.AwaitExpression.check(node)) return this.followResolved(parent, level);
    if (isMember(node) && node.object === child.node) {
      const method = memberName(node);
      const call = parent.parent;
      if (call && isCall(call.node) && call.node.callee === node) {
        if (method === "then") {
          const callback = call.node.arguments[0];
          if (callback && isFunction(callback)) {
            const fnPath = call.get("arguments", 0) as ASTPath;
            const param = fnPath.get("params", 0) as ASTPath;
            if (param.node) this.bindResolved(param, fnPath, level);
            return;
          }
          return this.marker(call);
        }
        // A `.catch` that resolves with a fallback of its own (Generate-shaped) passes that on.
        if (method === "catch" && returnsValue(call.node.arguments[0])) return this.marker(call);
        if (method === "catch" || method === "finally") return this.followPromise(call, level);
      }
      return this.marker(parent);
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      const id = parent.get("id") as ASTPath;
      if (N.Identifier.check(id.node)) {
        for (const ref of referencesOf(this.ctx, id)) this.followPromise(ref, level);
        return;
      }
      return this.marker(parent);
    }
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "promise", level);
    }
    if (level === "response" && N.ArrayExpression.check(node) && isPromiseAll(parent.parent?.node)) {
      // Handles: await Promise.all([co.generate(a), co.generate(b)])
      return this.followAll(parent.parent as ASTPath, node.elements.indexOf(child.node as never));
    }
    if (N.ExpressionStatement.check(node)) return;
    this.marker(parent);
  }

  /**
   * `all` is `Promise.all(...)`; element `which` (or each element) of its result is a response.
   * For `Promise.allSettled(...)` the element is `{ status, value }`, whose `value` is.
   */
  protected followAll(all: ASTPath, which: number | "each"): void {
    const { parent, child } = up(all);
    if (!parent) return;
    const node = parent.node;
    const settled = isPromiseAllSettled(all.node);
    if (N.AwaitExpression.check(node)) return this.followResponses(parent, which, settled);
    if (isMember(node) && node.object === child.node && memberName(node) === "then") {
      const call = parent.parent;
      const callback = call && isCall(call.node) ? call.node.arguments[0] : undefined;
      if (call && callback && isFunction(callback)) {
        const param = call.get("arguments", 0, "params", 0) as ASTPath;
        if (param.node) this.bindResponses(param, which, call, settled);
        return;
      }
    }
    if (N.ExpressionStatement.check(node)) return;
    this.marker(parent);
  }

  /** `path` evaluates to an array whose element `which` (or every element) is a response. */
  protected followResponses(path: ASTPath, which: number | "each", settled = false): void {
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (N.VariableDeclarator.check(node) && node.init === child.node) return this.bindResponses(parent.get("id") as ASTPath, which, parent, settled);
    if (isMember(node) && node.object === child.node) {
      if (node.computed) {
        const index = N.NumericLiteral.check(node.property) ? node.property.value : undefined;
        if (which === "each" || index === which) return this.followElement(parent, settled);
        if (index !== undefined) return;
        return this.marker(parent);
      }
      const method = memberName(node);
      const call = parent.parent;
      if (which === "each" && method && ELEMENT_CALLBACKS.has(method) && call && isCall(call.node) && call.node.callee === node) {
        const param = call.get("arguments", 0, "params", 0) as ASTPath;
        if (param.node) this.bindElement(param, call, settled);
        return;
      }
      if (method === "length") return;
      if (which === "each" && method === "entries" && call && isCall(call.node) && call.node.callee === node) {
        // Handles: for (const [i, response] of responses.entries())
        const loop = call.parent;
        const left = loop && N.ForOfStatement.check(loop.node) && loop.node.right === call.node ? (loop.get("left") as ASTPath) : undefined;
        const pattern = left && N.VariableDeclaration.check(left.node) ? (left.get("declarations", 0, "id") as ASTPath) : undefined;
        if (loop && pattern && N.ArrayPattern.check(pattern.node) && pattern.node.elements[1]) {
          return this.bindElement(pattern.get("elements", 1) as ASTPath, loop, settled);
        }
      }
      return this.marker(parent);
    }
    if (N.ForOfStatement.check(node) && node.right === child.node && which === "each") {
      const left = parent.get("left") as ASTPath;
      if (N.VariableDeclaration.check(left.node)) return this.bindElement(left.get("declarations", 0, "id") as ASTPath, parent, settled);
    }
    if (N.ExpressionStatement.check(node)) return;
    this.marker(parent);
  }

  /** A binding of the awaited Promise.all result: `const [a, b] = ...` or `const results = ...`. */
  protected bindResponses(binding: ASTPath, which: number | "each", owner: ASTPath, settled = false): void {
    const node = binding.node;
    if (N.ArrayPattern.check(node)) {
      node.elements.forEach((el, i) => {
        if (el && (which === "each" || which === i)) this.bindElement(binding.get("elements", i) as ASTPath, owner, settled);
      });
      return;
    }
    if (N.Identifier.check(node)) {
      for (const ref of referencesOf(this.ctx, binding)) this.followResponses(ref, which, settled);
      return;
    }
    this.marker(owner);
  }

  /** `path` evaluates to one element of a Promise.all result, or of an allSettled one (`settled`: `{ status, value }`). */
  protected followElement(path: ASTPath, settled: boolean): void {
    if (!settled) return this.followResponse(path);
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node && !node.computed) {
      const name = memberName(node);
      // Handles: r.status === "fulfilled" ? r.value.generations[0].text : String(r.reason)
      if (name === "value") return this.followResponse(parent);
      if (name === "status" || name === "reason") return;
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) return this.bindElement(parent.get("id") as ASTPath, parent, settled);
    this.marker(parent);
  }

  /** A name (or pattern) for one element of a Promise.all / allSettled result. */
  protected bindElement(binding: ASTPath, owner: ASTPath, settled: boolean): void {
    if (!settled) return this.bindResponse(binding, owner);
    const node = binding.node;
    if (N.Identifier.check(node)) {
      for (const ref of referencesOf(this.ctx, binding)) this.followElement(ref, true);
      return;
    }
    if (N.ObjectPattern.check(node)) {
      // Handles: for (const { status, value } of results)
      for (let i = 0; i < node.properties.length; i++) {
        const prop = node.properties[i];
        if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed || !N.Identifier.check(prop.key)) return this.marker(owner);
        if (prop.key.name === "value") this.bindResponse(binding.get("properties", i, "value") as ASTPath, owner);
        else if (prop.key.name !== "status" && prop.key.name !== "reason") return this.marker(owner);
      }
      return;
    }
    this.marker(owner);
  }

  /** `path` evaluates to the response itself. */
  followResponse(path: ASTPath): void {
    if (this.seen(path, "response")) return;
    path = this.untype(path);
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      const field = RESPONSE_FIELDS[memberName(node) ?? ""];
      if ((node as { optional?: boolean }).optional === true) this.maybeNullish.add(child.node);
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
          if (memberName(node) === "message" && this.errorMessageRead(parent)) return;
          return this.marker(parent);
      }
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      return this.bindResponse(parent.get("id") as ASTPath, parent);
    }
    if (N.AssignmentExpression.check(node) && node.right === child.node && node.operator === "=" && N.Identifier.check(node.left)) {
      // Handles: let r; ... r = await co.generate(...); when every value the variable takes is one.
      return this.followAssigned(parent);
    }
    if (N.AssignmentExpression.check(node) && node.right === child.node && node.operator === "=" && thisField(node.left)) {
      // Handles: this.last = await co.generate(...), read by the class's other methods.
      return this.followField(parent);
    }
    if (N.ReturnStatement.check(node) || (isFunction(node) && (node as N.ArrowFunctionExpression).body === child.node)) {
      return this.followReturn(parent, "value");
    }
    if (N.ExpressionStatement.check(node)) return;
    // A test of whether there is a response (`if (r)`, `r ? ... : ...`, `!r`, `r && ...`) reads the same on Chat's.
    if (isTruthinessTest(node, child.node)) return;
    if (this.intoTypedParameter(parent, child, "response")) return;
    this.marker(parent);
  }

  /** `r = <response>`: follow the variable's reads when nothing else is ever stored in it. */
  protected followAssigned(assignment: ASTPath): void {
    const name = ((assignment.node as N.AssignmentExpression).left as N.Identifier).name;
    const declarator = this.declaratorOf(assignment, name);
    if (!declarator || (declarator.node as N.VariableDeclarator).init) return this.marker(assignment);
    const refs = referencesOf(this.ctx, declarator.get("id") as ASTPath);
    const writes = refs.filter((r) => N.AssignmentExpression.check(r.parent?.node) && r.parent.node.left === r.node);
    // Another value stored in the variable would be read as a response too.
    if (writes.some((w) => w.parent !== assignment && !this.isMigratedValue(w.parent.node.right))) return this.marker(assignment);
    this.retype(declarator.get("id") as ASTPath, this.mode);
    for (const ref of refs) if (!writes.includes(ref)) this.followResponse(ref);
  }

  /**
   * `this.<field> = <response>` in a class: every `this.<field>` of that class is followed as the
   * response when nothing else is ever stored there (the field's declaration has no initializer
   * other than undefined or null). Reads on other objects of the file (`session.last`) cannot be
   * told apart from unrelated fields of the same name, so they get a marker, as does a field an
   * exported class leaves public.
   */
  protected followField(assignment: ASTPath): void {
    const name = thisField((assignment.node as N.AssignmentExpression).left) as string;
    const owner = classOf(assignment);
    if (!owner) return this.marker(assignment);
    const uses: ASTPath[] = [];
    let declaration: ASTPath | undefined;
    const body = owner.get("body") as ASTPath;
    (body.node as N.ClassBody).body.forEach((member, i) => {
      const at = body.get("body", i) as ASTPath;
      if (fieldName(member) === name && (N.ClassProperty.check(member) || N.ClassPrivateProperty.check(member) || member.type === "ClassAccessorProperty")) {
        declaration = at;
        const value = (member as { value?: N.Node | null }).value;
        if (value) uses.push(at.get("value") as ASTPath);
      }
      collectThisFields(at, name, uses);
    });
    const writes = uses.filter((u) => N.AssignmentExpression.check(u.parent?.node) && u.parent.node.left === u.node);
    const initial = declaration ? ((declaration.node as { value?: N.Node | null }).value ?? undefined) : undefined;
    const isEmpty = (n: N.Node | undefined): boolean => !n || N.NullLiteral.check(n) || (N.Identifier.check(n) && n.name === "undefined");
    // Another value stored in the field would be read as a response too.
    if (!isEmpty(initial) || writes.some((w) => w.parent !== assignment && !isEmpty(w.parent.node.right) && !this.isMigratedValue(w.parent.node.right))) {
      return this.marker(assignment);
    }
    // Reads of the field are updates too (`this.last += ...`, `this.last++`): not a response read.
    if (uses.some((u) => N.UpdateExpression.check(u.parent?.node) || (N.AssignmentExpression.check(u.parent?.node) && u.parent.node.left === u.node && u.parent.node.operator !== "="))) {
      return this.marker(assignment);
    }
    if (declaration) this.retype(declaration, this.mode);
    for (const use of uses) if (!writes.includes(use) && use.node !== initial) this.followResponse(use);
    const isPrivate = name.startsWith("#") || (declaration && (declaration.node as { accessibility?: string }).accessibility === "private");
    if (isPrivate) return;
    if (declaration && isExported(owner)) this.marker(declaration, "response-shape", "(this field now holds a Chat v2 response; update its reads outside this file)");
    this.ctx.root.find(this.j.MemberExpression).forEach((p: ASTPath) => {
      const m = p.node as N.MemberExpression;
      if (!m.computed && N.Identifier.check(m.property) && m.property.name === name && !N.ThisExpression.check(m.object)) {
        this.marker(p, "response-shape", "(this field now holds a Chat v2 response; update this read if it is one)");
      }
    });
  }

  protected declaratorOf(from: ASTPath, name: string): ASTPath | undefined {
    const scope = (from as ASTPath & { scope?: { lookup(n: string): { path: ASTPath } | undefined } }).scope?.lookup(name);
    if (!scope) return undefined;
    let found: ASTPath | undefined;
    this.ctx.j(scope.path)
      .find(this.ctx.j.VariableDeclarator, { id: { type: "Identifier", name } })
      .forEach((p: ASTPath) => {
        found ??= p;
      });
    return found;
  }

  /** An `await <chat call>` this run produced (another assignment of the same migrated shape). */
  protected isMigratedValue(node: N.Node): boolean {
    const inner = N.AwaitExpression.check(node) ? node.argument : node;
    if (!inner || !isCall(inner)) return false;
    const callee = inner.callee;
    return isMember(callee) && memberName(callee) === "chat";
  }

  /** `path` is `R.generations` (or a binding of it); `response` is the R node inside it. */
  protected followList(path: ASTPath, response: Expr): void {
    const j = this.j;
    const { parent, child } = up(path);
    const array = (): Expr => (this.mode === "single" ? j.arrayExpression([response as never]) : response);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      if (node.computed) {
        // Handles: r.generations[0] (single: the response itself; list: r[i]).
        if (this.mode === "single") {
          if ((node as { optional?: boolean }).optional === true || (path.node as { optional?: boolean }).optional === true) this.generationsGuarded.add(response as N.Node);
          parent.replace(response);
          return this.followGeneration(parent);
        }
        child.replace(response);
        return this.followGeneration(parent);
      }
      const method = memberName(node);
      // Handles: r.generations.at(0), .at(-1): with one generation, the response itself.
      const call = parent.parent as ASTPath | null;
      if (method === "at" && this.mode === "single" && call && isCall(call.node) && call.node.callee === node && call.node.arguments.length === 1) {
        const at = indexValue(call.node.arguments[0] as N.Node);
        if (at === 0 || at === -1) {
          call.replace(response);
          return this.followGeneration(call);
        }
      }
      if (method === "length") {
        // [r].length rather than 1: a literal would make comparisons like `=== 0` ill-typed.
        child.replace(array());
        return;
      }
      if (this.mode === "single" && (node as { optional?: boolean }).optional === true && (this.options.untyped || this.options.envelope) && isRepeatable(response)) {
        // Handles: data.generations?.map((g) => g.text) ?? [] on a body a request by hand parsed: an
        // error body has no generations, and the chain gave undefined; [data] would always map.
        child.replace(expression(this.ctx, "($0.message?.content ? [$1] : undefined)", response, clone(response)));
        return this.followArrayUse(parent, method);
      }
      child.replace(array());
      return this.followArrayUse(parent, method);
    }
    if (this.mode === "single" && testsPresence(parent, child.node)) {
      // Handles: if (!data.generations) / data.generations && ... / Array.isArray(r.generations):
      // whether the body holds generated text, which a Chat response holds as message.content
      // (an error body does not). `![r]` would never fire.
      child.replace(expression(this.ctx, "$0.message?.content", response));
      return;
    }
    child.replace(array());
    this.followArrayValue(child);
  }

  /** Tests of a parsed body's `message` (Cohere's error field) rewritten by errorMessageRead: what runs when they hold. */
  private readonly errorTests = new Set<N.Node>();

  /**
   * Handles: if (data?.message) throw new Error(data.message) on a body a request by hand parsed:
   * Cohere's error body carries a string message, a Chat response an object one, so the test
   * becomes `typeof data?.message === "string"`, and the reads it guards read the error's message.
   * Whether `member` (`<body>.message`) was one of those.
   */
  private errorMessageRead(member: ASTPath): boolean {
    if (this.mode !== "single" || !(this.options.untyped || this.options.envelope)) return false;
    for (let at = member.parent as ASTPath | null, child: N.Node = member.node; at; child = at.node, at = at.parent as ASTPath | null) {
      if (this.errorTests.has(at.node) && ((N.IfStatement.check(at.node) && at.node.consequent === child) || (N.ConditionalExpression.check(at.node) && at.node.consequent === child))) return true;
      if (isFunction(at.node)) break;
    }
    const holder = member.parent as ASTPath | null;
    if (!holder || !testsPresence(holder, member.node)) return false;
    let test: ASTPath | null = holder;
    while (test && !N.IfStatement.check(test.node) && !N.ConditionalExpression.check(test.node)) test = test.parent as ASTPath | null;
    member.replace(expression(this.ctx, `typeof $0 === "string"`, member.node));
    if (test) this.errorTests.add(test.node);
    return true;
  }

  /**
   * Replaces an optional chain's `?.text` read with a guarded value (`x ? chatText(x) : undefined`)
   * and keeps what the chain does after it optional: `x?.generations?.[0]?.text.split(" ")` skipped
   * the split on a missing value, which `(...).split(" ")` would call on undefined.
   */
  private replaceKeepingChain(read: ASTPath, guarded: N.Node): void {
    const outer = read.parent as ASTPath | null;
    const node = outer?.node;
    read.replace(guarded);
    if (!outer || !node || !isMember(node) || (node as N.MemberExpression).object !== guarded) return;
    if (N.OptionalMemberExpression.check(node)) (node as N.OptionalMemberExpression).optional = true;
    else {
      const member = node as N.MemberExpression;
      outer.replace(this.j.optionalMemberExpression(member.object as never, member.property as never, member.computed, true));
    }
  }

  /** `path` evaluates to an array of Chat responses; follow where it goes. */
  protected followArrayValue(path: ASTPath): void {
    path = this.untype(path);
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
    if (this.intoTypedParameter(parent, child, "generations")) return;
    this.marker(parent);
  }

  /** `member` is `A.method`; follow the callback and the result of the array method. */
  protected followArrayUse(member: ASTPath, method: string | undefined): void {
    const call = member.parent;
    if (!method || !call || !isCall(call.node) || call.node.callee !== member.node) return this.marker(member);
    // Handles: responses.at(-1) (n responses after num_generations): one of them, or undefined.
    if (method === "at" && call.node.arguments.length === 1) {
      this.maybeNullish.add(call.node);
      return this.followGeneration(call);
    }
    if (!ELEMENT_CALLBACKS.has(method)) return this.marker(member);
    const callback = call.node.arguments[0];
    if (callback && isFunction(callback)) {
      const fnPath = call.get("arguments", 0) as ASTPath;
      const param = fnPath.get("params", 0) as ASTPath;
      if (param.node) this.bindGeneration(param, fnPath);
    } else if (callback) this.marker(call);
    if (method === "find" || method === "findLast") {
      this.maybeNullish.add(call.node);
      this.followGeneration(call);
    }
    else if (method === "filter") this.followArrayValue(call);
  }

  /** `path` evaluates to one generation, now a Chat response. */
  followGeneration(path: ASTPath): void {
    if (this.seen(path, "generation")) return;
    path = this.untype(path);
    const j = this.j;
    const { parent, child } = up(path);
    if (!parent) return;
    const node = parent.node;
    if (isMember(node) && node.object === child.node) {
      const field = GENERATION_FIELDS[memberName(node) ?? ""];
      switch (field) {
        case "text": {
          // A write to the text (`g.text = g.text.trim()`) has no Chat counterpart to write to.
          if (isWriteTarget(parent)) return this.marker(parent);
          // Handles: g.text → chatText(g); r?.generations[0].text → r && chatText(r). A `?.`
          // guards a value that may be missing (a client that may be unset, `.find()`'s result);
          // right before `text` on the one generation of a response it guarded nothing Chat lacks.
          const helper = useHelper(this.ctx, "chatText");
          if (this.generationsGuarded.has(child.node as N.Node) && (this.options.untyped || this.options.envelope)) {
            // Handles: result.generations?.[0]?.text || "No response." on a body a request by hand
            // parsed: an error body ({ message: "..." }) read as undefined, which the fallback was
            // for; chatText throws on one. The guard stays, for the same undefined.
            const body = unparenthesized(child.node);
            if (!isRepeatable(body)) return this.marker(parent);
            return this.replaceKeepingChain(parent, expression(this.ctx, `($0.message?.content ? ${helper}($1) : undefined)`, body, clone(body)));
          }
          const chained = N.OptionalMemberExpression.check(node);
          const direct = chained && (node as { optional?: boolean }).optional === true;
          const guard = chained && (!direct || this.maybeNullish.has(child.node));
          const optional = guard && isRepeatable(child.node);
          const value = unparenthesized(child.node);
          if (guard && !optional) {
            // Handles: list.find(pred)?.text → list.filter(pred).map(chatText)[0]: undefined when none
            // matches, as before, without writing the search twice.
            const callee = isCall(value) ? value.callee : undefined;
            if (callee && isMember(callee) && memberName(callee) === "find" && !callee.computed) {
              (callee as N.MemberExpression).property = j.identifier("filter");
              parent.replace(expression(this.ctx, `$0.map(${helper})[0]`, value));
              return;
            }
            // Handles: responses.at(1)?.text → responses.slice(1, 2).map(chatText)[0], and .at(-1) → .slice(-1).
            const at = callee && isMember(callee) && memberName(callee) === "at" && !callee.computed && isCall(value) && value.arguments.length === 1 ? indexValue(value.arguments[0] as N.Node) : undefined;
            if (at !== undefined && Number.isInteger(at)) {
              (callee as N.MemberExpression).property = j.identifier("slice");
              (value as N.CallExpression).arguments = at === -1 ? [j.unaryExpression("-", j.numericLiteral(1))] : [j.numericLiteral(at), j.numericLiteral(at + 1)] as never;
              if (at < -1) (value as N.CallExpression).arguments = [j.unaryExpression("-", j.numericLiteral(-at)), j.unaryExpression("-", j.numericLiteral(-at - 1))] as never;
              parent.replace(expression(this.ctx, `$0.map(${helper})[0]`, value));
              return;
            }
            // A value that may be missing and cannot be named twice: a person picks the guard.
            return this.marker(parent);
          }
          // `a && b ?? c` does not parse: mixing && with ?? needs parentheses.
          const grand = parent.parent?.node;
          const wrap = N.LogicalExpression.check(grand) && grand.operator === "??";
          // Before `??` the two read alike; elsewhere `x?.…` is undefined where `x && …` would be null.
          const guarded = (wrap ? expression(this.ctx, `$0 && ${helper}($1)`, value, clone(value)) : expression(this.ctx, `$0 ? ${helper}($1) : undefined`, value, clone(value))) as N.Node & { extra?: { parenthesized?: boolean } };
          if (wrap) guarded.extra = { ...guarded.extra, parenthesized: true };
          if (optional) return this.replaceKeepingChain(parent, guarded);
          parent.replace(j.callExpression(j.identifier(helper), [value as never]));
          return;
        }
        case "finishReason":
          // The member node is kept, so `?.` stays where it was.
          (node as N.MemberExpression).property = j.identifier(this.chatField("finishReason"));
          (node as N.MemberExpression).computed = false;
          if (this.plan.stop || this.plan.end) this.marker(parent, "response-shape", FINISH_AFTER_CUT);
          return;
        case "id":
          return;
        case "likelihoods":
          // Chat's logprobs have another shape: the read becomes `undefined` (it still
          // type-checks) and the marker says what to do.
          this.marker(parent, "likelihoods");
          parent.replace(keepingCall(j, parent.node, j.identifier("undefined")));
          return;
        default:
          return this.marker(parent);
      }
    }
    if (N.VariableDeclarator.check(node) && node.init === child.node) {
      return this.bindGeneration(parent.get("id") as ASTPath, parent, this.maybeNullish.has(child.node));
    }
    if (N.ReturnStatement.check(node) || N.ExpressionStatement.check(node)) {
      if (N.ExpressionStatement.check(node)) return;
    }
    if (this.intoTypedParameter(parent, child, "generation")) return;
    this.marker(parent);
  }

  /** A binding (variable id or parameter) that receives the response. */
  protected bindResponse(binding: ASTPath, owner: ASTPath): void {
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
  protected destructureResponse(binding: ASTPath, owner: ASTPath): void {
    const j = this.j;
    const pattern = binding.node as N.ObjectPattern;
    const name = freshName(this.ctx, this.mode === "single" ? "response" : "responses");
    const reads: Array<{ id: ASTPath; field: string | undefined; value: ASTPath }> = [];
    for (let i = 0; i < pattern.properties.length; i++) {
      const prop = pattern.properties[i];
      const propPath = binding.get("properties", i) as ASTPath;
      if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed) return this.marker(owner);
      const key = N.Identifier.check(prop.key) ? prop.key.name : undefined;
      // Handles: const { generations = [] } = await co.generate(...): the name the default is for.
      const value = propPath.get("value") as ASTPath;
      const bound = N.AssignmentPattern.check(value.node) && N.Identifier.check(value.node.left) ? (value.get("left") as ASTPath) : value;
      // A shape that cannot be rewritten is marked before the pattern goes (its names stay bound).
      if (!N.Identifier.check(bound.node) && !N.ArrayPattern.check(bound.node)) return this.marker(owner);
      reads.push({ id: propPath, field: key, value: bound });
    }
    const annotation = (pattern as { typeAnnotation?: unknown }).typeAnnotation;
    const id = j.identifier(name);
    if (annotation) (id as { typeAnnotation?: unknown }).typeAnnotation = annotation;
    // Collect references before the pattern goes away: scopes are looked up on the old tree.
    const plans = reads.map((r) => ({
      ...r,
      refs: N.Identifier.check(r.value.node) ? referencesOf(this.ctx, r.value) : [],
      elements: N.ArrayPattern.check(r.value.node)
        ? r.value.node.elements.map((el, i) => {
            const elPath = r.value.get("elements", i) as ASTPath;
            if (!el) return { kind: "hole" as const };
            if (N.Identifier.check(el)) return { kind: "name" as const, refs: referencesOf(this.ctx, elPath) };
            if (N.ObjectPattern.check(el)) {
              const fields = this.generationFields(elPath);
              return fields ? { kind: "fields" as const, fields } : { kind: "other" as const };
            }
            return { kind: "other" as const };
          })
        : [],
    }));
    binding.replace(id);
    this.retype(binding, this.mode);
    for (const r of plans) {
      const field = RESPONSE_FIELDS[r.field ?? ""];
      const valueNode = r.value.node;
      if (field === "generations" && N.ArrayPattern.check(valueNode)) {
        // Handles: const { generations: [first] } = ..., and [{ text, finishReason }]
        r.elements.forEach((el, i) => {
          if (el.kind === "hole") return;
          if (el.kind === "other" || (this.mode === "single" && i > 0)) return this.marker(owner);
          const element = (): Expr => (this.mode === "single" ? j.identifier(name) : j.memberExpression(j.identifier(name), j.numericLiteral(i), true));
          if (el.kind === "name") {
            for (const ref of el.refs) {
              ref.replace(element());
              this.followGeneration(ref);
            }
            return;
          }
          if (N.VariableDeclarator.check(owner.node)) {
            // const { generations: [{ text }] } = await co.generate(...) → const response = ...; const text = chatText(response);
            const declarators = this.fieldDeclarators(el.fields, element);
            const declaration = owner.parent as ASTPath | null;
            const list = declaration?.parent?.node;
            if (declaration && list && (N.BlockStatement.check(list) || N.Program.check(list) || N.SwitchCase.check(list))) {
              declaration.insertAfter(j.variableDeclaration((declaration.node as N.VariableDeclaration).kind, declarators as never));
            } else owner.insertAfter(...declarators);
            return;
          }
          if (el.fields.some((f) => f.refs.some(isWriteTarget))) return this.marker(owner);
          for (const f of el.fields) for (const ref of f.refs) this.replaceFieldRead(ref, f.field, element);
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
  protected bindGeneration(binding: ASTPath, owner: ASTPath, nullish = false): void {
    const j = this.j;
    const node = binding.node;
    if (!node) return;
    if (N.Identifier.check(node)) {
      this.retype(binding, "single");
      for (const ref of referencesOf(this.ctx, binding)) {
        if (nullish) this.maybeNullish.add(ref.node);
        this.followGeneration(ref);
      }
      return;
    }
    if (N.ObjectPattern.check(node)) {
      const fields = this.generationFields(binding);
      if (!fields) return this.marker(owner);
      const declarator = binding.parent;
      const init = declarator && N.VariableDeclarator.check(declarator.node) && declarator.node.id === node ? declarator.node.init : undefined;
      if (declarator && init && isRepeatable(init)) {
        // Handles: const { text, finishReason } = r.generations[0] → const text = chatText(r), finishReason = r.finishReason
        declarator.replace(...this.fieldDeclarators(fields, () => clone(init)));
        return;
      }
      // Handles: for (const { text } of generations), .map(({ text }) => text): one name, reads of it.
      if (fields.some((f) => f.refs.some(isWriteTarget))) return this.marker(owner);
      const name = freshName(this.ctx, "response");
      binding.replace(j.identifier(name));
      for (const f of fields) for (const ref of f.refs) this.replaceFieldRead(ref, f.field, () => j.identifier(name));
      return;
    }
    this.marker(owner);
  }

  /**
   * The names a destructuring of one generation binds, with the field each takes, and their
   * references (read before the pattern is replaced). Undefined for a shape it cannot rewrite
   * (a rest element, a nested pattern).
   */
  protected generationFields(pattern: ASTPath): Array<{ local: string; field: string | undefined; refs: ASTPath[] }> | undefined {
    const node = pattern.node as N.ObjectPattern;
    const out: Array<{ local: string; field: string | undefined; refs: ASTPath[] }> = [];
    for (let i = 0; i < node.properties.length; i++) {
      const prop = node.properties[i];
      if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed || !N.Identifier.check(prop.key)) return undefined;
      // `{ text: t = "default" }`: Generate's text was never missing, so the default never applied.
      const valuePath = pattern.get("properties", i, "value") as ASTPath;
      const local = N.AssignmentPattern.check(prop.value) ? (valuePath.get("left") as ASTPath) : valuePath;
      if (!N.Identifier.check(local.node)) return undefined;
      out.push({ local: local.node.name, field: GENERATION_FIELDS[prop.key.name], refs: referencesOf(this.ctx, local) });
    }
    return out;
  }

  /** `text = chatText(g)`, `finishReason = g.finishReason`, ... for a destructuring declaration. */
  protected fieldDeclarators(fields: Array<{ local: string; field: string | undefined; refs: ASTPath[] }>, value: () => N.Node): N.VariableDeclarator[] {
    const j = this.j;
    return fields.map((f) => {
      let init: N.Node;
      if (f.field === "text") init = j.callExpression(j.identifier(useHelper(this.ctx, "chatText")), [value() as never]);
      else if (f.field === "finishReason") init = j.memberExpression(value() as never, j.identifier(this.chatField("finishReason")));
      else if (f.field === "id") init = j.memberExpression(value() as never, j.identifier("id"));
      else {
        for (const ref of f.refs.slice(0, 1)) this.marker(ref, f.field === "likelihoods" ? "likelihoods" : "response-shape");
        init = j.identifier("undefined");
      }
      return j.variableDeclarator(j.identifier(f.local), init as never);
    });
  }

  /** A read of one destructured field of a generation, as a read of the Chat response. */
  protected replaceFieldRead(ref: ASTPath, field: string | undefined, value: () => N.Node): void {
    const j = this.j;
    if (field === "text") ref.replace(j.callExpression(j.identifier(useHelper(this.ctx, "chatText")), [value() as never]));
    else if (field === "finishReason") ref.replace(j.memberExpression(value() as never, j.identifier(this.chatField("finishReason"))));
    else if (field === "id") ref.replace(j.memberExpression(value() as never, j.identifier("id")));
    else if (field === "likelihoods") {
      this.marker(ref, "likelihoods");
      ref.replace(j.identifier("undefined"));
    } else this.marker(ref);
  }


  /** Handles: r.meta.billedUnits → r.usage.billedUnits; other meta reads have no Chat counterpart. */
  protected followMeta(metaPath: ASTPath): void {
    const meta = metaPath.node as N.MemberExpression;
    const { parent, child } = up(metaPath);
    const next = parent?.node;
    const ok = this.mode === "single" && next && isMember(next) && next.object === child.node && USAGE_FIELDS.has(memberName(next) ?? "");
    if (!ok) return this.marker(metaPath);
    meta.property = this.j.identifier("usage");
    meta.computed = false;
    // v6 code read the API's snake_case JSON; cohere-ai 8 names the same fields in camelCase.
    if (parent) this.camelizeUsage(parent);
  }

  /** Handles: r.prompt → the prompt expression, when it is a name or a literal. */
  protected replacePrompt(path: ASTPath): void {
    const prompt = this.plan.prompt;
    // A literal means the same anywhere; a name only where the request was written.
    // Handles: let prompt = ...; r = await co.generate({ prompt }); prompt = "next"; r.prompt: the read is not the name's value then.
    const rebound = N.Identifier.check(prompt) && assignedAnywhere(this.ctx, prompt.name);
    if (prompt && !rebound && (((N.Identifier.check(prompt) && this.promptInScope) || N.StringLiteral.check(prompt) || N.Literal.check(prompt)))) {
      // Handles: r.prompt ?? "none", r.prompt || "none", if (r.prompt): on a literal TypeScript
      // rejects the test as always truthy or never nullish (TS2869, TS2872, by syntax: an `as`
      // does not hide the literal); String(literal) is the same value, and a call it does not judge.
      const literal = !N.Identifier.check(prompt);
      const value = literal && this.ctx.typescript && testedForTruth(path) ? this.j.callExpression(this.j.identifier("String"), [clone(prompt) as never]) : clone(prompt);
      path.replace(keepingCall(this.j, path.node, value as N.Expression));
      return;
    }
    this.marker(path);
  }

  /**
   * The function's value is (a Promise of) the response: follow its calls in this file and
   * retype its return annotation. Callers out of sight get a marker.
   */
  protected followReturn(from: ASTPath, what: "promise" | "value", level: Level = "response"): void {
    let fn: ASTPath | null = from;
    while (fn && !isFunction(fn.node)) fn = fn.parent;
    if (!fn) return this.marker(from);
    const fnNode = fn.node as N.FunctionDeclaration;
    this.retypeReturn(fn);
    const promise = what === "promise" || fnNode.async === true;

    // Handles: Promise.all(items.map((item) => co.generate({ prompt: item })))
    const mapCall = fn.parent;
    if (promise && mapCall && isCall(mapCall.node) && isMember(mapCall.node.callee) && memberName(mapCall.node.callee) === "map" && mapCall.parent && isPromiseAll(mapCall.parent.node)) {
      return this.followAll(mapCall.parent, "each");
    }
    // A `.then` callback that returns the response passes it on to the next `.then`.
    const outer = fn.parent;
    if (outer && isCall(outer.node) && isMember(outer.node.callee) && memberName(outer.node.callee) === "then") {
      // A Promise returned from a callback is flattened: the next `.then` receives what it resolves to.
      return this.followPromise(outer, level);
    }

    // Handles: await withRetry(() => co.generate(...)), a helper that resolves with its callback's value.
    if (promise && outer && passesThrough(this.ctx.root.paths()[0], outer, fnNode)) return this.followPromise(outer, level);

    const binding = functionBinding(fn);
    if (!binding) return this.marker(from);
    const refs = referencesOf(this.ctx, binding);
    // The names other modules import it by (`export function ask`, `export { ask }`, `module.exports = { ask }`).
    const exportedAs = exportNames(this.ctx, fn, binding);
    let outOfSight = (isExported(fn) && !exportedAs.length) || (refs.length === 0 && !exportedAs.length);
    // A caller's `r.prompt` cannot be the function's own prompt expression (its parameter, out of scope there).
    const promptHere = this.promptInScope;
    this.promptInScope = false;
    for (const ref of refs) {
      const parent = ref.parent;
      if (parent && isCall(parent.node) && parent.node.callee === ref.node) {
        if (promise) this.followPromise(parent, level);
        else this.followResolved(parent, level);
      } else if (!isExportReference(ref)) outOfSight = true;
    }
    this.promptInScope = promptHere;
    // Its callers in other modules read it as migrate reads it here (transforms/imported-returns.ts):
    // a plain Chat response or list of them, not an envelope (v6) or untyped JSON (REST).
    // Not with stop/end sequences: the cut is at the producer, but a finish reason read there is marked (finishReason after the cut).
    const portable = level === "response" && !this.options.envelope && !this.options.untyped && !outOfSight && !this.plan.stop && !this.plan.end;
    const kind: ScriptReturnedKind = { is: this.mode === "list" ? "list" : "response", promise };
    for (const name of exportedAs) noteReturn(this.ctx, portable ? { name, kind, isAsync: fnNode.async === true } : name);
    const followers = exportedAs.length && portable ? exportedAs.flatMap((name) => this.ctx.options.followedElsewhere?.[name] ?? []) : [];
    const allFollowed = exportedAs.length > 0 && exportedAs.every((name) => this.ctx.options.followedElsewhere?.[name]?.length);
    if (!outOfSight && allFollowed) {
      const where = [...new Set(followers)].sort();
      this.ctx.report.note("info", from.node, `${exportedAs[0]}() now returns a Chat v2 response: its calls in ${where.join(", ")} were rewritten to read it (update any outside this repository)`);
      return;
    }
    if (outOfSight || exportedAs.length) insertMarkerOnce(this.ctx, from, "response-shape", "(this function now returns a Chat v2 response; update its callers)");
  }

  /** Rewrites a binding's type annotation (`Cohere.Generation` → `Cohere.V2ChatResponse`). */
  protected retype(binding: ASTPath, mode: Mode): void {
    const annotation = (binding.node as { typeAnnotation?: { typeAnnotation?: N.Node } }).typeAnnotation;
    const type = annotation?.typeAnnotation;
    if (!type) return;
    const replaced = renamedType(this.j, type, RESPONSE_TYPES, mode === "list");
    if (replaced && annotation) annotation.typeAnnotation = replaced;
    else if (!replaced && this.isUserType(type)) (binding.node as { typeAnnotation?: unknown }).typeAnnotation = undefined;
  }

  protected retypeReturn(fn: ASTPath): void {
    const returnType = (fn.node as { returnType?: { typeAnnotation?: N.Node } }).returnType;
    const type = returnType?.typeAnnotation;
    if (!type || !returnType) return;
    // Handles: Promise<Cohere.Generation>
    if (N.TSTypeReference.check(type) && N.Identifier.check(type.typeName) && type.typeName.name === "Promise") {
      const params = (type as { typeParameters?: { params: N.Node[] } }).typeParameters?.params;
      if (params?.[0]) {
        const inner = renamedType(this.j, params[0], RESPONSE_TYPES, this.mode === "list");
        if (inner) params[0] = inner;
        else if (this.isUserType(params[0])) (fn.node as { returnType?: unknown }).returnType = undefined;
      }
      return;
    }
    const replaced = renamedType(this.j, type, RESPONSE_TYPES, this.mode === "list");
    if (replaced) returnType.typeAnnotation = replaced;
    else if (this.isUserType(type)) (fn.node as { returnType?: unknown }).returnType = undefined;
  }



  /** `path` is `await <call>`: the envelope when the options give one, else the response. */
  followAwaited(path: ASTPath): void {
    this.followResolved(path, this.options.envelope ? "envelope" : "response");
  }

  /** A resolved value at `level`: the envelope when there is one, else the response. */
  protected followResolved(path: ASTPath, level: Level): void {
    if (level === "envelope") this.followEnvelope(path);
    else this.followResponse(path);
  }

  protected bindResolved(binding: ASTPath, owner: ASTPath, level: Level): void {
    const envelope = this.options.envelope;
    if (level === "envelope" && envelope) this.bindEnvelope(binding, owner, envelope);
    else this.bindResponse(binding, owner);
  }

  /**
   * Handles: (await res.json()) as GenerateJson → await res.json(), for untyped JSON. Returns the
   * path that now holds the value.
   */
  protected untype(path: ASTPath): ASTPath {
    let value = path;
    if (!this.options.untyped) return value;
    for (let p = path.parent as ASTPath | null; p; p = p.parent as ASTPath | null) {
      const node = p.node;
      if (N.ParenthesizedExpression.check(node) || N.TSNonNullExpression.check(node)) continue;
      if (!(N.TSAsExpression.check(node) || N.TSSatisfiesExpression.check(node)) || !this.isUserType(node.typeAnnotation)) break;
      p.replace(unparenthesized(node.expression));
      value = p;
    }
    return value;
  }

  /** A type the user wrote for Generate JSON (a name, an object type, an array of them), not any/unknown. */
  protected isUserType(type: N.Node): boolean {
    if (!this.options.untyped) return false;
    if (N.TSArrayType.check(type)) return this.isUserType(type.elementType);
    return N.TSTypeReference.check(type) || N.TSTypeLiteral.check(type);
  }

  /** A Chat field name as this rewriter writes it. */
  protected chatField(camel: string): string {
    return this.options.fieldCase === "snake" ? (SNAKE_CHAT_FIELDS[camel] ?? camel) : camel;
  }

  /** Handles: v6 `meta.billed_units.output_tokens` (the API's JSON) → `usage.billedUnits.outputTokens`. */
  protected camelizeUsage(path: ASTPath): void {
    if (this.options.fieldCase === "snake") return;
    let p: ASTPath | null = path;
    while (p) {
      const node = p.node;
      if (!isMember(node)) return;
      const camel = CAMEL_USAGE_FIELDS[memberName(node) ?? ""];
      if (!camel) return;
      node.property = this.j.identifier(camel);
      node.computed = false;
      const { parent, child } = up(p);
      p = parent && isMember(parent.node) && parent.node.object === child.node ? parent : null;
    }
  }

  /**
   * A binding typed as a Generate value rather than assigned from a call: a parameter
   * `r: Cohere.Generation` (a response), `g: Cohere.SingleGeneration` (a generation) or
   * `gs: Cohere.SingleGeneration[]` (the generations list). Its annotation is retyped and its reads
   * are rewritten as a call's would be (used by generate-types-to-chat).
   */
  followBinding(binding: ASTPath, owner: ASTPath, value: "response" | "generation" | "generations"): void {
    if (value === "response") return this.bindResponse(binding, owner);
    if (value === "generation") return this.bindGeneration(binding, owner);
    if (!N.Identifier.check(binding.node)) return this.marker(owner);
    this.retype(binding, "list");
    for (const ref of referencesOf(this.ctx, binding)) this.followArrayValue(ref);
  }

  /**
   * Handles: firstText(response), with `function firstText(r: Cohere.Generation)` in this file: the
   * value goes into a parameter typed as that Generate value, which is followed like a binding
   * (the annotation says every caller passes one, and after migration each of them is Chat's).
   */
  protected intoTypedParameter(parent: ASTPath, child: ASTPath, value: "response" | "generation" | "generations"): boolean {
    const call = parent.node;
    if (!isCall(call) || call.callee === child.node || !N.Identifier.check(call.callee)) return false;
    if (value === "response" && this.mode !== "single") return false;
    const index = call.arguments.indexOf(child.node as never);
    const fn = index === -1 ? undefined : functionNamed(parent, call.callee.name);
    const param = fn && (fn.get("params", index) as ASTPath);
    if (!fn || !param?.node || typedValue(param.node) !== value) return false;
    this.followBinding(param, fn, value);
    return true;
  }

  /** Envelopes (`res` of `await res.json()`) whose failure branches read an error body, not a response. */
  protected readonly failureGuards = new Set<string>();

  protected marker(path: ASTPath, code: MarkerCode = "response-shape", detail?: string): void {
    // A read that runs only when the request failed (`if (!res.ok) { ... data.message }`) reads the error body: it is not this response's.
    if (code === "response-shape" && this.mode === "single" && [...this.failureGuards].some((name) => inFailureBranch(path, this.j.identifier(name)))) return;
    // With numGenerations the value is a list of Chat responses, which the marker must say.
    const listNote = code === "response-shape" && this.mode === "list" ? "(with numGenerations it is now a list of Chat v2 responses, one per generation)" : undefined;
    insertMarkerOnce(this.ctx, path, code, [detail, listNote].filter(Boolean).join(" ") || undefined);
  }

  protected seen(path: ASTPath, kind: string): boolean {
    let nodes = this.visited.get(kind);
    if (!nodes) this.visited.set(kind, (nodes = new Set()));
    if (nodes.has(path.node)) return true;
    nodes.add(path.node);
    return false;
  }

  /** `path` evaluates to the envelope a call resolves with (see Envelope). */
  abstract followEnvelope(path: ASTPath): void;

  /** A binding (variable, parameter) that receives the envelope. */
  protected abstract bindEnvelope(binding: ASTPath, owner: ASTPath, envelope: Envelope): void;
}

/** `this.name` (or `this.#name`): the field's name, with `#` for a private one. */
function thisField(node: N.Node): string | undefined {
  if (!isMember(node) || node.computed || !N.ThisExpression.check(node.object)) return undefined;
  const property = node.property as N.Node;
  if (N.Identifier.check(property)) return property.name;
  if (property.type === "PrivateName") return `#${(property as unknown as { id: N.Identifier }).id.name}`;
  return undefined;
}

/** The declared name of a class member (`#x` for a private one). */
function fieldName(member: N.Node): string | undefined {
  const key = (member as { key?: N.Node }).key;
  if (!key || (member as { computed?: boolean }).computed) return undefined;
  if (N.Identifier.check(key)) return key.name;
  if (key.type === "PrivateName") return `#${(key as unknown as { id: N.Identifier }).id.name}`;
  return undefined;
}

/** The class whose instance `this` is at `from`: crossing arrows (same `this`) up to a class member. */
function classOf(from: ASTPath): ASTPath | undefined {
  for (let p: ASTPath | null = from.parent; p; p = p.parent) {
    const node = p.node;
    if (N.ClassBody.check(node)) return p.parent ?? undefined;
    if (isFunction(node) && !N.ArrowFunctionExpression.check(node)) {
      // A method's function: its parent is the class member; any other function has its own `this`.
      const member = p.parent?.node;
      const isMethod = N.ClassMethod.check(node) || N.ClassPrivateMethod.check(node) || (member && (N.MethodDefinition.check(member) || N.ClassProperty.check(member)));
      if (!isMethod) return undefined;
    }
  }
  return undefined;
}

/** Every `this.<name>` under `at` whose `this` is the enclosing class's instance. */
function collectThisFields(at: ASTPath, name: string, out: ASTPath[]): void {
  const visit = (p: ASTPath, depth: number): void => {
    const node = p.node;
    if (!node || typeof node !== "object") return;
    if (depth > 0 && (N.ClassDeclaration.check(node) || N.ClassExpression.check(node))) return;
    // A non-arrow function below a class member has a `this` of its own.
    if (depth > 1 && isFunction(node) && !N.ArrowFunctionExpression.check(node)) return;
    if (thisField(node) === name) out.push(p);
    for (const key of Object.keys(node)) {
      if (key === "loc" || key === "comments" || key === "tokens" || key === "start" || key === "end") continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) value.forEach((v, i) => v && typeof v === "object" && "type" in v && visit(p.get(key, i) as ASTPath, depth + 1));
      else if (value && typeof value === "object" && "type" in value) visit(p.get(key) as ASTPath, depth + 1);
    }
  };
  visit(at, 0);
}

/**
 * Whether `parent` only tests `child` for being set: an if/while/ternary test, `!x`, or the left of
 * `&&` (not `||` or `??`: their value is the response itself when it is set).
 */
function isTruthinessTest(parent: N.Node, child: N.Node): boolean {
  if ((N.IfStatement.check(parent) || N.WhileStatement.check(parent) || N.ConditionalExpression.check(parent)) && parent.test === child) return true;
  if (N.UnaryExpression.check(parent) && parent.operator === "!") return true;
  return N.LogicalExpression.check(parent) && parent.left === child && parent.operator === "&&";
}

/** A literal index: `0`, `-1`. */
function indexValue(node: N.Node): number | undefined {
  if (N.NumericLiteral.check(node)) return node.value;
  if (N.UnaryExpression.check(node) && node.operator === "-" && N.NumericLiteral.check(node.argument)) return -node.argument.value;
  return undefined;
}

/**
 * Generate stopped at a stop or end sequence and said COMPLETE; Chat runs on (the sequences are cut
 * here, after the response), so its finish reason can be MAX_TOKENS where Generate's was COMPLETE.
 */
const FINISH_AFTER_CUT = "(the stop/end sequences are now cut after the response: this finish reason is Chat's for the whole text, which can be MAX_TOKENS where Generate stopped at a sequence with COMPLETE)";


/** A reference that only exports the name (`export { ask }`, `module.exports = { ask }`, `exports.ask = ask`). */
function isExportReference(ref: ASTPath): boolean {
  const parent = ref.parent?.node;
  if (N.ExportSpecifier.check(parent)) return true;
  if ((N.ObjectProperty.check(parent) || N.Property.check(parent)) && parent.value === ref.node) {
    const assignment = ref.parent?.parent?.parent?.node;
    return N.AssignmentExpression.check(assignment) && isExportsObject(assignment.left as N.Node);
  }
  return N.AssignmentExpression.check(parent) && parent.right === ref.node && N.MemberExpression.check(parent.left) && isExportsObject(parent.left.object as N.Node);
}

/** Records an export for the run's report; two returns that disagree (or one that cannot travel) make it "mixed". */
function noteReturn(ctx: TransformContext, entry: ScriptReturn | string): void {
  const name = typeof entry === "string" ? entry : entry.name;
  const prev = ctx.report.returns.get(name);
  if (typeof entry === "string" || prev === "mixed" || (prev && (prev.kind.is !== entry.kind.is || prev.kind.promise !== entry.kind.promise))) {
    ctx.report.returns.set(name, "mixed");
    return;
  }
  ctx.report.returns.set(name, entry);
}

/**
 * `value` in place of a read, keeping the call the read is made on (`(await co.generate(...)).generations[0].likelihood`
 * → `(await co.v2.chat(...), undefined)`): the request is still sent, and fails as it would have.
 */
export function keepingCall(j: TransformContext["j"], read: N.Node, value: N.Node): N.Node {
  let base: N.Node = read;
  while (isMember(base) || N.TSNonNullExpression.check(base)) base = (base as { object?: N.Node; expression?: N.Node }).object ?? (base as { expression: N.Node }).expression;
  if (base === read || N.Identifier.check(base) || N.ThisExpression.check(base)) return value;
  const sequence = j.sequenceExpression([unparenthesized(base) as never, value as never]) as N.SequenceExpression & { extra?: { parenthesized?: boolean } };
  // Always in parentheses: as an argument, a bare comma would make two.
  sequence.extra = { ...sequence.extra, parenthesized: true };
  return sequence;
}

/** Whether `name` is assigned anywhere in the file (`name = ...`, `name += ...`, `name++`). */
function assignedAnywhere(ctx: TransformContext, name: string): boolean {
  let found = false;
  ctx.root.find(ctx.j.AssignmentExpression).forEach((p: ASTPath<N.AssignmentExpression>) => {
    if (N.Identifier.check(p.node.left) && p.node.left.name === name) found = true;
  });
  ctx.root.find(ctx.j.UpdateExpression).forEach((p: ASTPath<N.UpdateExpression>) => {
    if (N.Identifier.check(p.node.argument) && p.node.argument.name === name) found = true;
  });
  return found;
}

/** Whether an expression's value is only tested for truth or nullishness: `x ?? y`, `x || y`, `x && y` (left), `!x`, an if, loop or ternary test. */
function testedForTruth(path: ASTPath): boolean {
  const parent = path.parent?.node as N.Node | undefined;
  const node = path.node;
  if (!parent) return false;
  if (N.LogicalExpression.check(parent)) return parent.left === node;
  if (N.UnaryExpression.check(parent)) return parent.operator === "!";
  if (N.IfStatement.check(parent) || N.WhileStatement.check(parent) || N.DoWhileStatement.check(parent) || N.ConditionalExpression.check(parent)) return (parent as { test?: unknown }).test === node;
  return false;
}

/**
 * Whether `path` only runs when the request `envelope` (an identifier) failed: inside the branch of
 * an `if` taken when `envelope.ok` is false (`if (!res.ok) {...}`, `if (res.ok) {...} else {...}`).
 */
export function inFailureBranch(path: ASTPath, envelope: Expr): boolean {
  if (!N.Identifier.check(envelope)) return false;
  const isOk = (test: Expr): boolean => isMember(test) && memberName(test) === "ok" && N.Identifier.check((test as N.MemberExpression).object) && ((test as N.MemberExpression).object as N.Identifier).name === envelope.name;
  const isStatus = (e: N.Node): boolean => isMember(e) && memberName(e) === "status" && N.Identifier.check((e as N.MemberExpression).object) && ((e as N.MemberExpression).object as N.Identifier).name === envelope.name;
  const number = (e: N.Node): number | undefined => (N.NumericLiteral.check(e) ? e.value : N.Literal.check(e) && typeof e.value === "number" ? e.value : undefined);
  /** `res.status !== 200`, `res.status >= 400`, `res.status > 299`: true when failed; `res.status === 200`: false when failed. */
  const statusFailed = (test: Expr): boolean | undefined => {
    if (!N.BinaryExpression.check(test) || !isStatus(test.left)) return undefined;
    const n = number(test.right);
    if (n === undefined) return undefined;
    if ((test.operator === "!==" || test.operator === "!=") && n === 200) return true;
    if ((test.operator === "===" || test.operator === "==") && n === 200) return false;
    if ((test.operator === ">=" && n >= 300) || (test.operator === ">" && n >= 299)) return true;
    return undefined;
  };
  for (let child: ASTPath = path, at = path.parent as ASTPath | null; at; child = at, at = at.parent as ASTPath | null) {
    const node = at.node;
    if (isFunction(node)) return false;
    if (!N.IfStatement.check(node)) continue;
    const test = node.test as Expr;
    if (child.node === node.consequent && N.UnaryExpression.check(test) && test.operator === "!" && isOk(test.argument)) return true;
    if (child.node === node.alternate && isOk(test)) return true;
    // Handles: if (res.status !== 200) { ... }, and the else of if (res.status === 200).
    const failed = statusFailed(test);
    if (failed !== undefined && child.node === (failed ? node.consequent : node.alternate)) return true;
  }
  return false;
}

/**
 * Whether `child` (a response's generations) is read only for being there: `!x`, the left of `&&`,
 * an `if` / `while` / `?:` test, `Boolean(x)`, `Array.isArray(x)`.
 */
function testsPresence(parent: ASTPath, child: N.Node): boolean {
  const node = parent.node;
  if (N.UnaryExpression.check(node)) return node.operator === "!" && node.argument === child;
  // The right of `&&` too when the whole is a test (`if (a && x.generations && ...)`).
  if (N.LogicalExpression.check(node)) return node.operator === "&&" && (node.left === child || (node.right === child && !!parent.parent && testsPresence(parent.parent as ASTPath, node)));
  if (N.IfStatement.check(node) || N.WhileStatement.check(node) || N.ConditionalExpression.check(node)) return node.test === child;
  if (isCall(node)) {
    const callee = node.callee;
    const name = N.Identifier.check(callee) ? callee.name : isMember(callee) && N.Identifier.check((callee as N.MemberExpression).object) ? `${((callee as N.MemberExpression).object as N.Identifier).name}.${memberName(callee)}` : undefined;
    return (name === "Boolean" || name === "Array.isArray") && node.arguments.length === 1 && node.arguments[0] === child;
  }
  return false;
}
