/**
 * How a TypeScript type name reaches cohere-ai, read from the file's imports: `Cohere.Generation`
 * (`import { Cohere } from "cohere-ai"`), `ai.Cohere.Generation` (`import * as ai`),
 * `Generation` (`import type { Generation } from "cohere-ai/api"`), `import("cohere-ai").Cohere.X`.
 * And the rename of such a name to another path under the same namespace.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import type { TransformContext } from "../../src/transform/kit";
import { cohereSubpath, isCohereSpecifier } from "../../src/detect/specifier";

export interface TypeName {
  /** The path under cohere-ai's `Cohere` namespace: "Generation", "GenerateStreamedResponse.TextGeneration". */
  api: string;
  /** The segments before the API path (`Cohere`, `ai.Cohere`); empty for a name imported by itself. */
  prefix: string[];
  /** A name imported by itself: its import specifier (whose imported name is the API path's first segment). */
  specifier?: ASTPath<N.ImportSpecifier>;
}

type Entity = N.Identifier | N.TSQualifiedName;

/** The entity (dotted name) a type node names: a type reference, a heritage clause or an import type. */
export function entityOf(node: N.Node): Entity | undefined {
  if (N.TSTypeReference.check(node)) return node.typeName as Entity;
  if (N.TSExpressionWithTypeArguments.check(node)) return node.expression as Entity;
  if (N.TSImportType.check(node)) return (node.qualifier ?? undefined) as Entity | undefined;
  return undefined;
}

export function segments(entity: N.Node): string[] | undefined {
  if (N.Identifier.check(entity)) return [entity.name];
  if (N.TSQualifiedName.check(entity) && N.Identifier.check(entity.right)) {
    const left = segments(entity.left);
    return left && [...left, entity.right.name];
  }
  return undefined;
}

/** What a type node names under cohere-ai, or undefined when it is not a cohere-ai type. */
export function typeNameOf(ctx: TransformContext, node: N.Node): TypeName | undefined {
  const entity = entityOf(node);
  const parts = entity && segments(entity);
  if (!parts) return undefined;
  if (N.TSImportType.check(node)) {
    const spec = importTypeSpecifier(node);
    if (!spec || !isCohereSpecifier(spec)) return undefined;
    if (cohereSubpath(spec) === "") return parts[0] === "Cohere" ? { api: parts.slice(1).join("."), prefix: ["Cohere"] } : undefined;
    return { api: parts.join("."), prefix: [] };
  }
  const binding = importBinding(ctx, parts[0]);
  if (!binding) return undefined;
  const rest = parts.slice(1);
  if (binding.kind === "namespace") {
    if (cohereSubpath(binding.spec) === "") return rest[0] === "Cohere" ? { api: rest.slice(1).join("."), prefix: parts.slice(0, 2) } : undefined;
    return { api: rest.join("."), prefix: parts.slice(0, 1) };
  }
  if (cohereSubpath(binding.spec) === "" && binding.imported === "Cohere") return { api: rest.join("."), prefix: parts.slice(0, 1) };
  return { api: [binding.imported, ...rest].join("."), prefix: [], specifier: binding.specifier };
}

/**
 * Renames a cohere-ai type node to `target` (a path under `Cohere`). A name imported by itself
 * (also under an alias) becomes the target's own name; the imports are fixed once every reference
 * is known (a Generate name may still be used where a marker kept it).
 */
export function renameType(ctx: TransformContext, node: N.Node, name: TypeName, target: string): void {
  const entity = build(ctx, [...name.prefix, ...target.split(".")]);
  if (N.TSTypeReference.check(node)) node.typeName = entity as never;
  else if (N.TSExpressionWithTypeArguments.check(node)) node.expression = entity as never;
  else if (N.TSImportType.check(node)) node.qualifier = entity as never;
}

function build(ctx: TransformContext, parts: string[]): Entity {
  const { j } = ctx;
  let entity: Entity = j.identifier(parts[0]);
  for (const part of parts.slice(1)) entity = j.tsQualifiedName(entity as never, j.identifier(part));
  return entity;
}

/** The local name an import specifier binds. */
export function localName(spec: N.ImportSpecifier | N.ImportDefaultSpecifier | N.ImportNamespaceSpecifier): string | undefined {
  const local = spec.local as N.Identifier | null | undefined;
  return local ? local.name : N.ImportSpecifier.check(spec) ? importedName(spec) : undefined;
}

export function importedName(spec: N.ImportSpecifier): string {
  const imported = spec.imported as N.Identifier | N.StringLiteral;
  return N.Identifier.check(imported) ? imported.name : imported.value;
}

function importTypeSpecifier(node: N.TSImportType): string | undefined {
  const arg = node.argument as N.Node;
  if (N.StringLiteral.check(arg)) return arg.value;
  if (N.TSLiteralType.check(arg) && N.StringLiteral.check(arg.literal)) return arg.literal.value;
  return undefined;
}

type Binding =
  | { kind: "namespace"; spec: string }
  | { kind: "named"; spec: string; imported: string; specifier: ASTPath<N.ImportSpecifier> };

/**
 * The file's declarations of one kind that can only stand among a module's statements (imports,
 * `import x = require(...)`), in order. Read from the program's body (a search walks the whole
 * tree, building a path per node, and the types transform asks once per type); a file with a
 * namespace or `declare module` block, whose body may hold them too, is searched whole.
 */
function moduleDeclarations(ctx: TransformContext, type: "ImportDeclaration" | "TSImportEqualsDeclaration"): ASTPath[] {
  const program = ctx.root.get("program") as ASTPath<N.Program>;
  const out: ASTPath[] = [];
  const body = program.node.body as Array<{ type: string; declaration?: { type?: string } | null }>;
  for (let i = 0; i < body.length; i++) {
    const statement = body[i];
    if (statement.type === "TSModuleDeclaration" || statement.declaration?.type === "TSModuleDeclaration") {
      return type === "ImportDeclaration" ? ctx.root.find(ctx.j.ImportDeclaration).paths() : ctx.root.find(ctx.j.TSImportEqualsDeclaration).paths();
    }
    if (statement.type === type) out.push(program.get("body", i) as ASTPath);
  }
  return out;
}

export function importDeclarations(ctx: TransformContext): Array<ASTPath<N.ImportDeclaration>> {
  return moduleDeclarations(ctx, "ImportDeclaration") as Array<ASTPath<N.ImportDeclaration>>;
}

/**
 * The cohere-ai import that binds a local name at the top of the file. Detection has already
 * settled, with the checker's scopes, that the name at the site is this import.
 */
function importBinding(ctx: TransformContext, local: string): Binding | undefined {
  let found: Binding | undefined;
  importDeclarations(ctx).forEach((decl) => {
    const spec = decl.node.source.value;
    if (found || typeof spec !== "string" || !isCohereSpecifier(spec)) return;
    (decl.node.specifiers ?? []).forEach((s, i) => {
      if (found || localName(s) !== local) return;
      if (N.ImportNamespaceSpecifier.check(s)) found = { kind: "namespace", spec };
      else if (N.ImportSpecifier.check(s)) {
        found = { kind: "named", spec, imported: importedName(s), specifier: decl.get("specifiers", i) as ASTPath<N.ImportSpecifier> };
      }
    });
  });
  if (found) return found;
  // Handles: import ai = require("cohere-ai")
  (moduleDeclarations(ctx, "TSImportEqualsDeclaration") as Array<ASTPath<N.TSImportEqualsDeclaration>>).forEach((decl) => {
    const ref = decl.node.moduleReference;
    if (found || !N.Identifier.check(decl.node.id) || decl.node.id.name !== local || !N.TSExternalModuleReference.check(ref)) return;
    const spec = ref.expression.value;
    if (isCohereSpecifier(spec)) found = { kind: "namespace", spec };
  });
  return found;
}
