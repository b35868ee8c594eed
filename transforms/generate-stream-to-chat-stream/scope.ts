/**
 * AST helpers the stream transform needs on top of the kit: the function a local call resolves
 * to, where a marker reads best, and statements built from snippets.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import type { MarkerCode } from "../../src/markers";
import { insertMarkerOnce, quoteStyle, statementOf, type TransformContext } from "../../src/transform/kit";

export { isMember, up } from "../../src/transform/kit";

interface Scope {
  lookup(name: string): Scope | undefined;
  getBindings(): Record<string, ASTPath[]>;
}

const LOOPS = [N.ForOfStatement, N.ForInStatement, N.ForStatement];

function isLoop(node: N.Node): node is N.ForOfStatement | N.ForInStatement | N.ForStatement {
  return LOOPS.some((t) => t.check(node));
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
  const declared = scope?.getBindings()[node.name] ?? [];
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
 * Marks the statement holding `path`; a statement that is the body of an `if`, `else` or loop
 * marks the whole `if` chain or loop, so the comment never lands between `else` and `if`.
 */
export function markAt(ctx: TransformContext, path: ASTPath, code: MarkerCode, detail?: string): void {
  let stmt = statementOf(path);
  while (N.Statement.check(stmt.node)) {
    const parent = stmt.parent;
    if (!parent) break;
    const node = parent.node;
    const isBody =
      (N.IfStatement.check(node) && (node.consequent === stmt.node || node.alternate === stmt.node)) ||
      ((isLoop(node) || N.WhileStatement.check(node) || N.DoWhileStatement.check(node) || N.LabeledStatement.check(node)) &&
        (node as { body: N.Node }).body === stmt.node);
    if (!isBody) break;
    stmt = parent;
  }
  insertMarkerOnce(ctx, stmt, code, detail);
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
