/**
 * AST shapes the response follower recognises: wrappers a value passes through unchanged, calls,
 * members, functions and where they are bound.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";

export { functionBinding, isCall, isFunction, isMember, memberName, up } from "../../src/transform/kit";
import { isCall, isFunction, isMember, memberName } from "../../src/transform/kit";

/** The function a name is bound to in the scope of `from`: a declaration or a const function expression. */
export function functionNamed(from: ASTPath, name: string): ASTPath | undefined {
  const scope = (from as ASTPath & { scope?: { lookup(n: string): { path: ASTPath } | undefined } }).scope?.lookup(name);
  if (!scope) return undefined;
  let found: ASTPath | undefined;
  const body = scope.path.get("body") as ASTPath;
  // `.value`, not `.node`: a path to a statement list has no node of its own.
  const statements = (N.BlockStatement.check(body.value) ? body.get("body") : N.Program.check(scope.path.value) ? body : undefined) as ASTPath | undefined;
  const list = statements?.value as N.Node[] | undefined;
  if (!statements || !Array.isArray(list)) return undefined;
  list.forEach((stmt, i) => {
    const at = statements.get(i) as ASTPath;
    const decl = N.ExportNamedDeclaration.check(stmt) ? (at.get("declaration") as ASTPath) : at;
    const node = decl.node;
    if (N.FunctionDeclaration.check(node) && node.id?.name === name) found ??= decl;
    if (N.VariableDeclaration.check(node)) {
      node.declarations.forEach((d, k) => {
        if (N.VariableDeclarator.check(d) && N.Identifier.check(d.id) && d.id.name === name && d.init && isFunction(d.init)) {
          found ??= decl.get("declarations", k, "init") as ASTPath;
        }
      });
    }
  });
  return found;
}

/** What a parameter's annotation says it holds: a Generate response, one generation, or the list of them. */
export function typedValue(param: N.Node): "response" | "generation" | "generations" | undefined {
  const type = (param as { typeAnnotation?: { typeAnnotation?: N.Node } }).typeAnnotation?.typeAnnotation;
  const name = (t: N.Node | undefined): string | undefined => {
    if (!t || !N.TSTypeReference.check(t)) return undefined;
    const n = t.typeName;
    return N.Identifier.check(n) ? n.name : N.TSQualifiedName.check(n) && N.Identifier.check(n.right) ? n.right.name : undefined;
  };
  if (type && N.TSArrayType.check(type)) return name(type.elementType) === "SingleGeneration" ? "generations" : undefined;
  const named = name(type);
  return named === "Generation" ? "response" : named === "SingleGeneration" ? "generation" : undefined;
}


/**
 * Retry and backoff helpers whose Promise resolves with what their callback resolves with, by the
 * module they are imported from and the name exported there ("default" for a default export).
 */
const PASS_THROUGH_IMPORTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["p-retry", new Set(["default"])],
  ["async-retry", new Set(["default"])],
  ["exponential-backoff", new Set(["backOff"])],
]);

/**
 * Whether `call` resolves with what its callback argument `fn` resolves with: a retry helper from
 * PASS_THROUGH_IMPORTS, or a generic function of this file declared so, e.g.
 * `function withRetry<T>(fn: () => Promise<T>): Promise<T>`.
 */
export function passesThrough(root: ASTPath, call: ASTPath, fn: N.Node): boolean {
  const node = call.node;
  if (!isCall(node) || !N.Identifier.check(node.callee)) return false;
  const index = node.arguments.indexOf(fn as never);
  if (index === -1) return false;
  const name = node.callee.name;
  const imported = importedName(root, name);
  if (imported) return PASS_THROUGH_IMPORTS.get(imported.source)?.has(imported.name) === true;
  const declared = functionNamed(call, name)?.node as (N.Node & { typeParameters?: { params?: N.Node[] }; params?: N.Node[]; returnType?: { typeAnnotation?: N.Node } }) | undefined;
  if (!declared) return false;
  const typeParams = new Set((declared.typeParameters?.params ?? []).map((t) => (t as { name?: string | N.Identifier }).name).map((n) => (typeof n === "string" ? n : n?.name)));
  const resolved = promised(declared.returnType?.typeAnnotation);
  if (!resolved || !typeParams.has(resolved)) return false;
  const param = declared.params?.[index] as (N.Node & { typeAnnotation?: { typeAnnotation?: N.Node } }) | undefined;
  const type = param && (N.AssignmentPattern.check(param) ? (param.left as typeof param) : param).typeAnnotation?.typeAnnotation;
  if (!type || !N.TSFunctionType.check(type)) return false;
  const returned = (type as { returnType?: { typeAnnotation?: N.Node }; typeAnnotation?: { typeAnnotation?: N.Node } });
  const result = (returned.returnType ?? returned.typeAnnotation)?.typeAnnotation;
  return result !== undefined && (promised(result) === resolved || typeName(result) === resolved);
}

/** `Promise<T>` / `PromiseLike<T>` → "T"; a union of `T` and `Promise<T>` too. */
function promised(type: N.Node | undefined): string | undefined {
  if (!type) return undefined;
  if (N.TSUnionType.check(type)) {
    const names = new Set(type.types.map((t) => promised(t) ?? typeName(t)));
    return names.size === 1 ? [...names][0] : undefined;
  }
  if (!N.TSTypeReference.check(type) || !N.Identifier.check(type.typeName) || !["Promise", "PromiseLike"].includes(type.typeName.name)) return undefined;
  const params = (type as { typeParameters?: { params?: N.Node[] } }).typeParameters?.params;
  return params?.length === 1 ? typeName(params[0]) : undefined;
}

function typeName(type: N.Node): string | undefined {
  return N.TSTypeReference.check(type) && N.Identifier.check(type.typeName) && !(type as { typeParameters?: unknown }).typeParameters ? type.typeName.name : undefined;
}

/** The module and exported name a local name is imported as (`import pRetry from "p-retry"` → p-retry, default). */
function importedName(root: ASTPath, local: string): { source: string; name: string } | undefined {
  const program = root.node as N.Program | N.File;
  const body = N.File.check(program) ? program.program.body : (program as N.Program).body;
  for (const stmt of body) {
    if (!N.ImportDeclaration.check(stmt) || typeof stmt.source.value !== "string") continue;
    for (const spec of stmt.specifiers ?? []) {
      if (spec.local?.name !== local) continue;
      if (N.ImportDefaultSpecifier.check(spec)) return { source: stmt.source.value, name: "default" };
      if (N.ImportSpecifier.check(spec)) {
        const imported = spec.imported as N.Node;
        return { source: stmt.source.value, name: N.Identifier.check(imported) ? imported.name : String((imported as { value?: unknown }).value) };
      }
      return { source: stmt.source.value, name: "*" };
    }
  }
  return undefined;
}

/** `Promise.all(...)`: its result keeps the order of what it was given. */
export function isPromiseAll(node: N.Node | undefined): boolean {
  if (!node || !isCall(node)) return false;
  const callee = node.callee;
  return isMember(callee) && N.Identifier.check(callee.object) && callee.object.name === "Promise" && (memberName(callee) === "all" || memberName(callee) === "allSettled");
}

/** `Promise.allSettled(...)`: each element of its result is `{ status, value | reason }`. */
export function isPromiseAllSettled(node: N.Node | undefined): boolean {
  return !!node && isPromiseAll(node) && isCall(node) && isMember(node.callee) && memberName(node.callee) === "allSettled";
}






export function isExported(fn: ASTPath): boolean {
  for (let p: ASTPath | null = fn.parent; p; p = p.parent) {
    if (N.ExportNamedDeclaration.check(p.node) || N.ExportDefaultDeclaration.check(p.node)) return true;
    if (N.Program.check(p.node)) break;
  }
  return false;
}

/** A node moved into a call's arguments does not need the parentheses it had in place. */
export function unparenthesized(node: N.Node): N.Node {
  const extra = (node as { extra?: { parenthesized?: boolean } }).extra;
  if (extra?.parenthesized) extra.parenthesized = false;
  return node;
}

export function clone<T extends N.Node>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === "loc" || key === "start" || key === "end" || key === "tokens" ? undefined : value))) as T;
}

/** Whether a member read is written to: `x.text = ...`, `x.text += ...`, `x.text++`, `delete x.text`. */
export function isWriteTarget(path: ASTPath): boolean {
  const parent = path.parent?.node;
  if (!parent) return false;
  if (N.AssignmentExpression.check(parent) && parent.left === path.node) return true;
  if (N.UpdateExpression.check(parent)) return true;
  return N.UnaryExpression.check(parent) && parent.operator === "delete";
}

/** An expression that can be written twice without doing anything twice: a name or a member chain. */
export function isRepeatable(node: N.Node): boolean {
  if (N.Identifier.check(node) || N.ThisExpression.check(node)) return true;
  if (N.MemberExpression.check(node) || N.OptionalMemberExpression.check(node)) {
    return isRepeatable(node.object) && (!node.computed || N.NumericLiteral.check(node.property) || N.StringLiteral.check(node.property) || N.Identifier.check(node.property));
  }
  return false;
}

/** Whether a `.catch` handler resolves with a value of its own (a fallback), rather than nothing. */
export function returnsValue(handler: N.Node | undefined): boolean {
  if (!handler || !(N.ArrowFunctionExpression.check(handler) || N.FunctionExpression.check(handler))) return handler !== undefined;
  const empty = (n: N.Node | null | undefined): boolean =>
    !n || N.NullLiteral.check(n) || (N.Identifier.check(n) && n.name === "undefined") || (N.UnaryExpression.check(n) && n.operator === "void");
  if (!N.BlockStatement.check(handler.body)) return !empty(handler.body);
  let found = false;
  const visit = (n: unknown): void => {
    if (found || !n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const node = n as N.Node;
    if (N.Function.check(node)) return;
    if (N.ReturnStatement.check(node) && !empty(node.argument)) found = true;
    for (const [key, value] of Object.entries(node)) if (key !== "loc" && key !== "comments") visit(value);
  };
  handler.body.body.forEach(visit);
  return found;
}