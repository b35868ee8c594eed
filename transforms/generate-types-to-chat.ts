/**
 * generate-types-to-chat: TypeScript types from cohere-ai that name Generate shapes become their
 * Chat v2 counterparts, together with the code that reads values of them, so that typed code
 * still compiles and means the same. Runs last: the other transforms retype what they follow, and
 * what is left here is typed code they did not reach (helper functions taking a response, request
 * defaults, type-only modules).
 *
 * A type is renamed only where the values it describes are converted too:
 *   - a parameter typed as a response or generation: its reads are rewritten (ResponseRewriter);
 *   - a const request object whose fields mean the same in Chat (`Partial<GenerateRequest>` defaults);
 * anywhere else the type is kept (it still exists in cohere-ai 8) and gets a marker.
 */
import type { ASTPath } from "../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { forEachSite, isFunction, referencesOf, type Transform, type TransformContext } from "../src/transform/kit";
import { eachRawNode, type RawNode } from "../src/transform/raw-walk";
import { asJscodeshift } from "../src/transform/standalone";
import { REQUEST_FIELDS, RETIRED_MODELS } from "./generate-to-chat/request";
import { ResponseRewriter } from "./generate-to-chat/response";
import { markStatement } from "./generate-types-to-chat/markers";
import { entityOf, importDeclarations, importedName, localName, renameType, segments, typeNameOf, type TypeName } from "./generate-types-to-chat/names";
import { table } from "../src/tables";
import { cohereSubpath } from "../src/detect/specifier";

/** What a value of the type is, which decides how its uses are converted. */
export type TypeValue = "request" | "response" | "generation" | "event" | "none";

/**
 * Generate types of cohere-ai (paths under `Cohere`) and their Chat v2 counterparts (SPEC.md
 * "Request", "Response", "Streaming"). A generation becomes a whole Chat response, as in the
 * response table. No counterpart: Chat streams throw instead of sending an error event, and send
 * no full response at the end.
 */
export const TYPE_MAP: Readonly<Record<string, { chat?: string; value: TypeValue }>> = table({
  GenerateRequest: { chat: "V2ChatRequest", value: "request" },
  GenerateStreamRequest: { chat: "V2ChatStreamRequest", value: "request" },
  Generation: { chat: "V2ChatResponse", value: "response" },
  SingleGeneration: { chat: "V2ChatResponse", value: "generation" },
  GenerateStreamedResponse: { chat: "V2ChatStreamResponse", value: "event" },
  "GenerateStreamedResponse.TextGeneration": { chat: "V2ChatStreamResponse.ContentDelta", value: "event" },
  "GenerateStreamedResponse.StreamEnd": { chat: "V2ChatStreamResponse.MessageEnd", value: "event" },
  "GenerateStreamedResponse.StreamError": { value: "none" },
  GenerateStreamText: { chat: "ChatContentDeltaEvent", value: "event" },
  GenerateStreamEnd: { chat: "ChatMessageEndEvent", value: "event" },
  GenerateStreamError: { value: "none" },
  GenerateStreamEndResponse: { value: "none" },
  SingleGenerationInStream: { value: "none" },
  SingleGenerationTokenLikelihoodsItem: { value: "none" },
});

/** Generate's SDK methods: a request passed to one of them is still a Generate request. */
const LEGACY_METHODS = new Set(["generate", "generateStream"]);

/**
 * Modules a renamed type can be imported from by name (the Chat types are not in every deep module),
 * as subpaths of cohere-ai: `cohere-ai/api`, and `llm/api` under an npm alias `llm`.
 */
const NAMED_IMPORT_SUBPATHS = new Set(["/api"]);

function isNamedImportModule(spec: unknown): boolean {
  if (typeof spec !== "string") return false;
  const subpath = cohereSubpath(spec);
  return subpath !== undefined && NAMED_IMPORT_SUBPATHS.has(subpath);
}

/** Request fields that mean the same in a Chat request (SPEC.md request table: copied unchanged). */
const SAME_IN_CHAT = new Set([
  ...Object.entries(REQUEST_FIELDS)
    .filter(([, rule]) => rule.action.do === "copy" || rule.action.do === "temperature")
    .map(([camel]) => camel),
  "model",
  "messages",
]);

export const generateTypesToChat: Transform = {
  name: "generate-types-to-chat",
  from: "Cohere.GenerateRequest, Cohere.Generation, Cohere.SingleGeneration, Cohere.GenerateStreamedResponse, ...",
  to: "Cohere.V2ChatRequest, Cohere.V2ChatResponse, Cohere.V2ChatStreamResponse, ...",
  description: "Renames Generate types from cohere-ai to their Chat v2 counterparts where the values they type are converted (rewriting the reads of typed parameters); marks the others.",
  apply(ctx) {
    if (!ctx.sites.some((s) => s.kind === "generate-type" && s.certainty === "certain")) return false;
    // A node an earlier transform replaced (it retyped what it followed) is no longer in the tree.
    let changed = forEachSite(ctx, "generate-type", [N.TSTypeReference, N.TSExpressionWithTypeArguments, N.TSImportType], (path) => {
      const name = typeNameOf(ctx, path.node);
      const rule = name && TYPE_MAP[name.api];
      return Boolean(name && rule && convert(ctx, path, name, rule));
    });
    if (fixImports(ctx)) changed = true;
    return changed;
  },
};

export default asJscodeshift([generateTypesToChat]);

/** Renames the Generate request types in a binding's annotation (for a request another transform converted). */
export function retypeToChat(ctx: TransformContext, binding: ASTPath): void {
  const annotation = (binding.node as { typeAnnotation?: N.Node | null }).typeAnnotation;
  if (!annotation) return;
  ctx.j(annotation as never).find(ctx.j.TSTypeReference).forEach((p: ASTPath) => {
    const name = typeNameOf(ctx, p.node);
    const rule = name && TYPE_MAP[name.api];
    if (name && rule?.chat && rule.value === "request" && renamable(name)) renameType(ctx, p.node, name, rule.chat);
  });
}

/** One type use: converted (renamed with its values) or kept with a marker. */
function convert(ctx: TransformContext, path: ASTPath, name: TypeName, rule: (typeof TYPE_MAP)[string]): boolean {
  const written = `Cohere.${name.api}`;
  if (!rule.chat || rule.value === "none" || rule.value === "event" || !renamable(name)) {
    // Stream events are read with another vocabulary (eventType/text vs type/delta): the stream
    // transform rewrites them inside the loops it migrates; a typed event elsewhere is left to a person.
    return markStatement(ctx, path, "generate-type", `(${written})`);
  }
  if (rule.value === "request") {
    // A request still sent to a Generate call (one migrate marked) is typed right, but it is
    // unfinished work all the same: marked, so check does not call it fixable.
    if (onlyFeedsGenerateCalls(ctx, path)) return markStatement(ctx, path, "request-shape", `(typed ${written}; the Generate calls it is sent to are marked too)`);
    if (!requestIsChatAlready(path)) return markStatement(ctx, path, typesValue(path) ? "request-shape" : "generate-type", `(typed ${written})`);
    renameType(ctx, path.node, name, rule.chat);
    return true;
  }
  const owner = typedParameter(path, rule.value);
  if (!owner) return markStatement(ctx, path, typesValue(path) ? "response-shape" : "generate-type", `(${written}: only parameters of that type are rewritten)`);
  // Handles: function firstText(response: Cohere.Generation) { return response.generations[0].text; }
  const rewriter = new ResponseRewriter(ctx, "single", { stream: false, likelihoods: false });
  rewriter.followBinding(owner.param, owner.fn, owner.value);
  // The rewriter retypes the names it knows; anything it left (a renamed import) is renamed here.
  const still = typeNameOf(ctx, path.node);
  if (still && TYPE_MAP[still.api]) renameType(ctx, path.node, still, rule.chat);
  return true;
}

/** A name imported by itself can be renamed only from a module that also exports the Chat types. */
function renamable(name: TypeName): boolean {
  if (!name.specifier) return true;
  const decl = name.specifier.parent?.node as N.ImportDeclaration | undefined;
  return isNamedImportModule(decl?.source.value);
}

/**
 * The parameter a type annotates, when a value of it is followed as a whole: `r: Cohere.Generation`,
 * `g: Cohere.SingleGeneration`, `gs: Cohere.SingleGeneration[]` (also destructured).
 */
function typedParameter(path: ASTPath, value: TypeValue): { param: ASTPath; fn: ASTPath; value: "response" | "generation" | "generations" } | undefined {
  let p = path.parent as ASTPath | null;
  let kind: "response" | "generation" | "generations" | undefined = value === "response" ? "response" : value === "generation" ? "generation" : undefined;
  if (!kind || !p) return undefined;
  if (N.TSArrayType.check(p.node)) {
    if (kind !== "generation") return undefined;
    kind = "generations";
    p = p.parent as ASTPath | null;
  }
  if (!p || !N.TSTypeAnnotation.check(p.node)) return undefined;
  const param = p.parent as ASTPath | null;
  const fn = param?.parent as ASTPath | null;
  if (!param || !fn || !(N.Identifier.check(param.node) || N.ObjectPattern.check(param.node))) return undefined;
  const fnNode = fn.node as { params?: N.Node[]; body?: N.Node | null };
  if (!isFunction(fn.node) || !fnNode.params?.includes(param.node)) return undefined;
  return { param, fn, value: kind };
}

/** Handles: const request: Cohere.GenerateRequest = {...}; co.generate(request) twice (left to the call's marker). */
function onlyFeedsGenerateCalls(ctx: TransformContext, path: ASTPath): boolean {
  let p = path.parent as ASTPath | null;
  while (p && !N.TSTypeAnnotation.check(p.node)) p = p.parent as ASTPath | null;
  const binding = p?.parent as ASTPath | null;
  if (!binding || !N.Identifier.check(binding.node)) return false;
  const refs = referencesOf(ctx, binding);
  return (
    refs.length > 0 &&
    refs.every((ref) => {
      const call = ref.parent?.node as N.Node | undefined;
      if (!call || !N.CallExpression.check(call) || !call.arguments.includes(ref.node as never)) return false;
      const callee = call.callee;
      return (N.MemberExpression.check(callee) || N.OptionalMemberExpression.check(callee)) && N.Identifier.check(callee.property) && LEGACY_METHODS.has(callee.property.name);
    })
  );
}

/**
 * Whether the type annotates a value (a variable, parameter, property or a function's result), so
 * that the marker can speak of a value; a type alias or an interface's `extends` only names a shape.
 */
function typesValue(path: ASTPath): boolean {
  for (let p = path.parent as ASTPath | null; p; p = p.parent as ASTPath | null) {
    if (N.TSTypeAnnotation.check(p.node)) return !N.TSPropertySignature.check(p.parent?.node);
    if (!p.node.type.startsWith("TS")) return false;
  }
  return false;
}


/**
 * Handles: const defaults: Partial<Cohere.GenerateRequest> = { maxTokens: 300, temperature: 0.2 }.
 * The annotation of a const object whose every field means the same in Chat can name the Chat
 * request; an object with Generate-only fields (prompt, stopSequences, ...) needs its uses converted.
 */
function requestIsChatAlready(path: ASTPath): boolean {
  let p = path.parent as ASTPath | null;
  while (p && !N.TSTypeAnnotation.check(p.node)) {
    if (!(N.TSTypeParameterInstantiation.check(p.node) || N.TSTypeReference.check(p.node) || N.TSIntersectionType.check(p.node))) return false;
    p = p.parent as ASTPath | null;
  }
  const id = p?.parent as ASTPath | null;
  const declarator = id?.parent as ASTPath | null;
  if (!id || !declarator || !N.VariableDeclarator.check(declarator.node) || declarator.node.id !== id.node) return false;
  const kind = (declarator.parent?.node as N.VariableDeclaration | undefined)?.kind;
  const init = declarator.node.init;
  if (kind !== "const" || !init || !N.ObjectExpression.check(init)) return false;
  return init.properties.every((prop) => {
    if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed) return false;
    const key = N.Identifier.check(prop.key) ? prop.key.name : N.StringLiteral.check(prop.key) ? prop.key.value : undefined;
    if (!key || !SAME_IN_CHAT.has(key)) return false;
    const value = prop.value as N.Node;
    return !(key === "model" && N.StringLiteral.check(value) && RETIRED_MODELS.has(value.value));
  });
}

/**
 * Named imports of Generate types from cohere-ai modules: a name no longer used is removed, and a
 * Chat type now referenced by its own name is imported beside it.
 */
function fixImports(ctx: TransformContext): boolean {
  const { j } = ctx;
  const generateNames = new Set(Object.keys(TYPE_MAP).map((k) => k.split(".")[0]));
  const chatNames = new Set(Object.values(TYPE_MAP).flatMap((r) => (r.chat ? [r.chat.split(".")[0]] : [])));
  const used = rootTypeNames(ctx);
  const bound = new Set<string>();
  const imports = importDeclarations(ctx);
  for (const d of imports) {
    for (const s of d.node.specifiers ?? []) {
      const local = localName(s);
      if (local) bound.add(local);
    }
  }
  let changed = false;
  imports.forEach((decl) => {
    const spec = decl.node.source.value;
    if (!isNamedImportModule(spec)) return;
    const specifiers = decl.node.specifiers ?? [];
    const hadGenerate = specifiers.some((s) => N.ImportSpecifier.check(s) && generateNames.has(importedName(s)));
    if (!hadGenerate) return;
    const kept = specifiers.filter((s) => !(N.ImportSpecifier.check(s) && generateNames.has(importedName(s)) && !used.has(localName(s) ?? "")));
    const added = [...chatNames].filter((n) => used.has(n) && !bound.has(n)).sort();
    for (const n of added) {
      kept.push(j.importSpecifier(j.identifier(n)));
      bound.add(n);
    }
    if (kept.length === specifiers.length && added.length === 0) return;
    changed = true;
    if (kept.length === 0) decl.prune();
    else decl.node.specifiers = kept;
  });
  return changed;
}

/** The first names of every type reference in the file (`Cohere` of `Cohere.X`, `V2ChatResponse`). */
function rootTypeNames(ctx: TransformContext): Set<string> {
  const out = new Set<string>();
  // The parser's nodes themselves (raw-walk.ts): a path per node of the file is not needed here.
  eachRawNode(ctx.root.get().node as RawNode, (raw) => {
    const node = raw as unknown as N.Node;
    const entity = entityOf(node);
    const parts = entity && !N.TSImportType.check(node) ? segments(entity) : undefined;
    if (parts) out.add(parts[0]);
  });
  return out;
}
