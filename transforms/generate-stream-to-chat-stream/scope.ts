/**
 * AST helpers the stream transform needs on top of the kit: the function a local call resolves
 * to, where a marker reads best, and statements built from snippets.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { quoteStyle, type TransformContext } from "../../src/transform/kit";
import { own } from "../../src/tables";

export { isMember, up } from "../../src/transform/kit";

interface Scope {
  lookup(name: string): Scope | undefined;
  getBindings(): Record<string, ASTPath[]>;
}



export function isInside(path: ASTPath, ancestor: N.Node): boolean {
  for (let p: ASTPath | null = path; p; p = p.parent) if (p.node === ancestor) return true;
  return false;
}

/** The function a call's callee names, when it is declared in this file (`function f`, `const f = () =>`). */
export function localFunction(callee: ASTPath): ASTPath | undefined {
  const node = callee.node;
  if (!N.Identifier.check(node)) return undefined;
  const scope = (callee as ASTPath & { scope?: Scope }).scope?.lookup(node.name);
  const declared = own(scope?.getBindings(), node.name) ?? [];
  if (declared.length !== 1) return undefined;
  const parent = declared[0].parent;
  if (!parent) return undefined;
  if (N.FunctionDeclaration.check(parent.node) && parent.node.id === declared[0].node) return parent;
  if (N.VariableDeclarator.check(parent.node) && parent.node.id === declared[0].node) {
    const init = parent.node.init;
    if (init && (N.ArrowFunctionExpression.check(init) || N.FunctionExpression.check(init))) return parent.get("init") as ASTPath;
  }
  return undefined;
}


/**
 * A statement built from source text, printed as written (one line), like the kit's `expression`.
 * String literals in `code` use double quotes; they are turned to the file's quote style.
 */
export function statement(ctx: TransformContext, code: string): N.Node {
  const quoted = quoteStyle(ctx.source) === "single" ? code.replace(/"([^"'\\]*)"/g, "'$1'") : code;
  // Inside a loop, so that a `break` or `continue` in the snippet parses.
  const loop = ctx.j(`for (;;) {\n${quoted}\n}`).find(ctx.j.ForStatement).paths()[0]?.node;
  const body = loop && N.BlockStatement.check(loop.body) ? loop.body.body[0] : undefined;
  if (!body) throw new Error(`internal: cannot parse snippet ${code}`);
  return body;
}
