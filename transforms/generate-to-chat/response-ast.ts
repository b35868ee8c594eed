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


/** `Promise.all(...)`: its result keeps the order of what it was given. */
export function isPromiseAll(node: N.Node | undefined): boolean {
  if (!node || !isCall(node)) return false;
  const callee = node.callee;
  return isMember(callee) && N.Identifier.check(callee.object) && callee.object.name === "Promise" && memberName(callee) === "all";
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