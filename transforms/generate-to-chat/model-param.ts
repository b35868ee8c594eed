/**
 * `export async function ask(prompt: string, model: string) { co.generate({ prompt, model }) }`:
 * a caller in another module may pass a retired Generate model (`ask(p, "command-nightly")`),
 * which Chat answers with a 404. The function is reported (engine/cross-module.ts ModelParam) and
 * its importers replace such literals (generate-callers-to-chat); this module only says which
 * functions those are.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { exportNames, functionBinding, isFunction, referencesOf, type TransformContext } from "../../src/transform/kit";
import { own } from "../../src/tables";

interface ScopeLike {
  lookup(name: string): ScopeLike | undefined;
  getBindings(): Record<string, ASTPath[]>;
}

type Annotated = { typeAnnotation?: { typeAnnotation?: N.Node } | null };

/**
 * Reports `value` (the request's `model`) when it is a parameter of an exported function, or a
 * property of an object-pattern parameter (`{ prompt, model }: Options`).
 */
export function noteModelParam(ctx: TransformContext, value: N.Identifier | N.MemberExpression, at: ASTPath): void {
  // Handles: function ask(opts: Options) { co.generate({ prompt: opts.prompt, model: opts.model }) },
  // called as ask({ prompt, model: "command" }): the model is that property of the parameter.
  const member = N.MemberExpression.check(value) ? value : undefined;
  if (member && (member.computed || !N.Identifier.check(member.object) || !N.Identifier.check(member.property))) return;
  const name = member ? (member.object as N.Identifier).name : (value as N.Identifier).name;
  const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(name);
  const declared = own(scope?.getBindings(), name) ?? [];
  if (declared.length !== 1) return;
  const decl = declared[0];
  let holder: ASTPath = decl;
  let parent = decl.parent as ASTPath | null;
  let property: string | undefined = member ? (member.property as N.Identifier).name : undefined;
  let type: N.Node | undefined = (decl.node as Annotated).typeAnnotation?.typeAnnotation;
  if (property !== undefined) type = memberType(ctx, type, property);
  if (parent && N.AssignmentPattern.check(parent.node) && parent.node.left === holder.node) [holder, parent] = [parent, parent.parent as ASTPath | null];
  if (!member && parent && (N.ObjectProperty.check(parent.node) || N.Property.check(parent.node)) && parent.node.value === holder.node && N.ObjectPattern.check(parent.parent?.node)) {
    const key = parent.node.key;
    if (parent.node.computed || !N.Identifier.check(key)) return;
    property = key.name;
    holder = parent.parent as ASTPath;
    parent = holder.parent as ASTPath | null;
    type = memberType(ctx, (holder.node as Annotated).typeAnnotation?.typeAnnotation, property);
    if (parent && N.AssignmentPattern.check(parent.node) && parent.node.left === holder.node) [holder, parent] = [parent, parent.parent as ASTPath | null];
  }
  if (!parent || !isFunction(parent.node)) return;
  const index = (parent.node as N.Function).params.indexOf(holder.node as N.Function["params"][number]);
  const binding = functionBinding(parent);
  if (index < 0 || !binding) return;
  const names = exportNames(ctx, parent, binding);
  const refs = referencesOf(ctx, decl);
  if (!names.length) return;
  // Read for more than the model, rebound before the request (what reaches it is then not only
  // the caller's value), or of a literal type (`model: Tier`, which the new id is not: TS2345):
  // a retired value passed is marked there instead.
  // The parameter object: read only for its members (`opts.prompt`), the model's member once and
  // never written; anything else (`log(opts)`, `{ ...opts }`, `opts.model = x`) shares it.
  const shared = member
    ? refs.some((r) => isWritten(r) || !isMemberRead(r)) || refs.filter((r) => memberName(r) === property).length > 1 || (type !== undefined && !stringish(type))
    : refs.length > 1 || refs.some((r) => isWritten(r)) || (type !== undefined && !stringish(type));
  for (const exported of names) {
    const prev = ctx.report.modelParams.find((p) => p.name === exported);
    if (!prev) ctx.report.modelParams.push({ name: exported, param: name, index, property, shared });
    else prev.shared ||= shared || prev.param !== name || prev.index !== index || prev.property !== property;
  }
}

/** `ref.x`, read (not assigned, updated or deleted): the member's name; else undefined. */
function memberName(ref: ASTPath): string | undefined {
  const parent = ref.parent;
  const node = parent?.node;
  if (!N.MemberExpression.check(node) || node.object !== ref.node || node.computed || !N.Identifier.check(node.property)) return undefined;
  const above = parent?.parent?.node;
  if ((N.AssignmentExpression.check(above) && above.left === node) || N.UpdateExpression.check(above)) return undefined;
  if (N.UnaryExpression.check(above) && above.operator === "delete") return undefined;
  return node.property.name;
}

function isMemberRead(ref: ASTPath): boolean {
  return memberName(ref) !== undefined;
}

function isWritten(ref: ASTPath): boolean {
  const parent = ref.parent?.node;
  return (N.AssignmentExpression.check(parent) && parent.left === ref.node) || N.UpdateExpression.check(parent);
}

/** `string`, `string | undefined`, `any`: a type any model id is. */
function stringish(type: N.Node): boolean {
  if (N.TSStringKeyword.check(type) || N.TSAnyKeyword.check(type) || N.TSUnknownKeyword.check(type)) return true;
  if (N.TSUnionType.check(type)) return type.types.every((t) => stringish(t) || N.TSUndefinedKeyword.check(t) || N.TSNullKeyword.check(t));
  return false;
}

/**
 * The type of `property` in an object type (a type literal, or an interface or type alias of this
 * file): undefined when it has none; the object type itself when the member cannot be seen, which
 * then counts as not a string.
 */
function memberType(ctx: TransformContext, type: N.Node | undefined, property: string): N.Node | undefined {
  if (!type) return undefined;
  let members: N.Node[] | undefined;
  if (N.TSTypeLiteral.check(type)) members = type.members;
  else if (N.TSTypeReference.check(type) && N.Identifier.check(type.typeName)) {
    const name = type.typeName.name;
    ctx.root.find(ctx.j.TSInterfaceDeclaration).forEach((p: ASTPath<N.TSInterfaceDeclaration>) => {
      if (N.Identifier.check(p.node.id) && p.node.id.name === name) members = p.node.body.body;
    });
    ctx.root.find(ctx.j.TSTypeAliasDeclaration).forEach((p: ASTPath<N.TSTypeAliasDeclaration>) => {
      if (p.node.id.name === name && N.TSTypeLiteral.check(p.node.typeAnnotation)) members = p.node.typeAnnotation.members;
    });
  }
  if (!members) return type;
  for (const m of members) {
    if (N.TSPropertySignature.check(m) && !m.computed && N.Identifier.check(m.key) && m.key.name === property) return m.typeAnnotation?.typeAnnotation ?? undefined;
  }
  return type;
}
