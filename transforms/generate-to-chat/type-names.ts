/**
 * Renaming a Generate type annotation to its Chat v2 counterpart, keeping how it was written
 * (`Generation`, `Cohere.Generation`, `ai.Cohere.Generation`).
 */
import type { JSCodeshift } from "jscodeshift";
import { namedTypes as N } from "ast-types";

/**
 * The renamed type, or undefined when `type` names none of `table`'s types. `list` wraps it in an
 * array (the responses of numGenerations); a `X[]` annotation keeps its array.
 */
export function renamedType(j: JSCodeshift, type: N.Node, table: Readonly<Record<string, string>>, list = false): N.Node | undefined {
  if (N.TSArrayType.check(type)) {
    // Handles: Cohere.SingleGeneration[] (the generations list) → Cohere.V2ChatResponse[]
    const element = renamedType(j, type.elementType, table);
    return element ? j.tsArrayType(element as never) : undefined;
  }
  if (N.TSUnionType.check(type)) {
    // Handles: Cohere.Generation | undefined (a field or variable not set yet) → Cohere.V2ChatResponse | undefined
    let changed = false;
    const types = type.types.map((member) => {
      const renamed = renamedType(j, member, table, list);
      if (renamed) changed = true;
      return (renamed ?? member) as never;
    });
    return changed ? j.tsUnionType(types) : undefined;
  }
  if (!N.TSTypeReference.check(type)) return undefined;
  const name = type.typeName;
  let replaced: N.TSTypeReference | undefined;
  if (N.Identifier.check(name) && table[name.name]) {
    replaced = j.tsTypeReference(j.identifier(table[name.name]));
  } else if (N.TSQualifiedName.check(name) && N.Identifier.check(name.right) && table[name.right.name]) {
    replaced = j.tsTypeReference(j.tsQualifiedName(name.left as never, j.identifier(table[name.right.name])));
  }
  if (!replaced) return undefined;
  return list ? j.tsArrayType(replaced) : replaced;
}
