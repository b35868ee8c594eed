/**
 * A marker before the whole statement that holds a path, `export` included: kit's statementOf
 * stops at the declaration inside `export const ...`, and a comment there prints after `export`.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import type { MarkerCode } from "../../src/markers";
import { insertMarkerOnce, statementOf, type TransformContext } from "../../src/transform/kit";

/** Inserts the marker once; true when it was inserted by this call. */
export function markStatement(ctx: TransformContext, path: ASTPath, code: MarkerCode, detail?: string): boolean {
  const statement = statementOf(path);
  const holder = statement.parent as ASTPath | null;
  const exported = holder && (N.ExportNamedDeclaration.check(holder.node) || N.ExportDefaultDeclaration.check(holder.node));
  const before = ctx.report.markers.length;
  insertMarkerOnce(ctx, exported ? holder : path, code, detail);
  return ctx.report.markers.length > before;
}
