/**
 * AST shapes the response follower recognises: wrappers a value passes through unchanged, calls,
 * members, functions and where they are bound.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";

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

/** The parent of a value, skipping wrappers that do not change it (`x!`, `(x)`, `x as T`). */
export function up(path: ASTPath): { parent: ASTPath | null; child: ASTPath } {
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

/** `Promise.all(...)`: its result keeps the order of what it was given. */
export function isPromiseAll(node: N.Node | undefined): boolean {
  if (!node || !isCall(node)) return false;
  const callee = node.callee;
  return isMember(callee) && N.Identifier.check(callee.object) && callee.object.name === "Promise" && memberName(callee) === "all";
}

export function isMember(node: N.Node): node is N.MemberExpression {
  return N.MemberExpression.check(node) || N.OptionalMemberExpression.check(node);
}

export function isCall(node: N.Node): node is N.CallExpression {
  return N.CallExpression.check(node) || N.OptionalCallExpression.check(node);
}

export function isFunction(node: N.Node): boolean {
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
export function functionBinding(fn: ASTPath): ASTPath | undefined {
  const node = fn.node;
  if (N.FunctionDeclaration.check(node) && node.id) return fn.get("id") as ASTPath;
  const parent = fn.parent;
  if (parent && N.VariableDeclarator.check(parent.node) && N.Identifier.check(parent.node.id)) return parent.get("id") as ASTPath;
  return undefined;
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
