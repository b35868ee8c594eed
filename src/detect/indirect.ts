/**
 * Detection of the legacy uses that are not calls: `generate` / `generateStream` taken off a client
 * by destructuring, and TypeScript types from `cohere-ai` that name Generate shapes.
 * Pure syntax plus the checker's symbols; returns facts, changes nothing.
 */
import { ts } from "ts-morph";
import { isCohereSpecifier } from "./resolver";
import { apiPath, LEAF_NAMES, LEGACY_TYPE_PATHS, type Origin } from "./legacy-types";

/** The legacy methods a destructuring can take off a client. */
const DESTRUCTURED_METHODS: ReadonlySet<string> = new Set(["generate", "generateStream"]);

export { LEGACY_TYPE_PATHS };

/**
 * Handles: const { generate } = client, const { generate: gen, embed } = client. Returns the
 * binding element and the expression it is taken from; the caller decides whether that is a client.
 */
export function destructuredMethod(node: ts.Node): { node: ts.BindingElement; source: ts.Expression } | undefined {
  if (!ts.isBindingElement(node) || node.dotDotDotToken) return undefined;
  const pattern = node.parent;
  const holder = pattern.parent;
  if (!ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
  const key = node.propertyName ?? node.name;
  const name = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
  if (!name || !DESTRUCTURED_METHODS.has(name)) return undefined;
  return { node, source: holder.initializer };
}

/**
 * The Generate type a type node names, as a path under `Cohere` ("Generation",
 * "GenerateStreamedResponse.TextGeneration"), or undefined. Follows the name to its import:
 * `import { Cohere } from "cohere-ai"` (also renamed, `import type`), `import * as x from "cohere-ai"`
 * (`x.Cohere.Generation`), named or namespace imports from `cohere-ai/api`, and
 * `import("cohere-ai").Cohere.Generation`. A local type of the same name is not one.
 */
export function legacyTypePath(node: ts.Node, checker: ts.TypeChecker): string | undefined {
  // Most qualified type references name something else: look at the last name before asking the
  // checker. A single name may be an alias (`import type { Generation as G }`), so it always asks.
  const last = lastName(node);
  if (last === undefined || (last.qualified && !LEAF_NAMES.has(last.name))) return undefined;
  let segments: string[] | undefined;
  let origin: Origin | undefined;
  if (ts.isTypeReferenceNode(node)) {
    segments = entitySegments(node.typeName);
    origin = segments && importOrigin(firstIdentifier(node.typeName), checker);
  } else if (ts.isExpressionWithTypeArguments(node) && ts.isHeritageClause(node.parent)) {
    // Handles: interface Cached extends Cohere.Generation {}
    segments = expressionSegments(node.expression);
    const first = segments && leftmostIdentifier(node.expression);
    origin = first && importOrigin(first, checker);
  } else if (ts.isImportTypeNode(node) && node.qualifier && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
    const spec = node.argument.literal.text;
    const qualifier = entitySegments(node.qualifier);
    if (!isCohereSpecifier(spec) || !qualifier) return undefined;
    segments = ["", ...qualifier];
    origin = { spec, imported: "*" };
  }
  if (!segments || !origin) return undefined;
  const path = apiPath(origin, segments.slice(1));
  return path && LEGACY_TYPE_PATHS.has(path) ? path : undefined;
}


function lastName(node: ts.Node): { name: string; qualified: boolean } | undefined {
  let name: ts.Node | undefined;
  if (ts.isTypeReferenceNode(node)) name = node.typeName;
  else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
  else if (ts.isImportTypeNode(node)) return node.qualifier ? { name: ts.isIdentifier(node.qualifier) ? node.qualifier.text : node.qualifier.right.text, qualified: true } : undefined;
  if (!name) return undefined;
  if (ts.isIdentifier(name)) return { name: name.text, qualified: false };
  if (ts.isQualifiedName(name)) return { name: name.right.text, qualified: true };
  if (ts.isPropertyAccessExpression(name) && ts.isIdentifier(name.name)) return { name: name.name.text, qualified: true };
  return undefined;
}

/** What the first name of a type refers to: an import from a cohere-ai specifier. */
function importOrigin(id: ts.Identifier | undefined, checker: ts.TypeChecker): Origin | undefined {
  if (!id) return undefined;
  const decl = checker.getSymbolAtLocation(id)?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isImportSpecifier(decl)) {
    const spec = decl.parent.parent.parent.moduleSpecifier;
    if (!ts.isStringLiteral(spec) || !isCohereSpecifier(spec.text)) return undefined;
    return { spec: spec.text, imported: (decl.propertyName ?? decl.name).text };
  }
  if (ts.isNamespaceImport(decl)) {
    const spec = decl.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(spec) && isCohereSpecifier(spec.text) ? { spec: spec.text, imported: "*" } : undefined;
  }
  if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference)) {
    const e = decl.moduleReference.expression;
    return ts.isStringLiteral(e) && isCohereSpecifier(e.text) ? { spec: e.text, imported: "*" } : undefined;
  }
  return undefined;
}

function entitySegments(name: ts.EntityName): string[] | undefined {
  if (ts.isIdentifier(name)) return [name.text];
  const left = entitySegments(name.left);
  return left && [...left, name.right.text];
}

function firstIdentifier(name: ts.EntityName): ts.Identifier {
  return ts.isIdentifier(name) ? name : firstIdentifier(name.left);
}

function expressionSegments(e: ts.Expression): string[] | undefined {
  if (ts.isIdentifier(e)) return [e.text];
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
    const left = expressionSegments(e.expression);
    return left && [...left, e.name.text];
  }
  return undefined;
}

function leftmostIdentifier(e: ts.Expression): ts.Identifier | undefined {
  if (ts.isIdentifier(e)) return e;
  return ts.isPropertyAccessExpression(e) ? leftmostIdentifier(e.expression) : undefined;
}
