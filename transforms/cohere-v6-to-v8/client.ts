/**
 * cohere-ai v6 had one module-level client: `cohere.init(key)` set the key, `cohere.generate(...)`
 * used it. cohere-ai 8 has client objects. This module finds the v6 module binding and its uses,
 * and replaces the binding with a `CohereClientV2` placed where `init` was:
 *
 *   - one `init` that runs before every use in its block (top level or a function body):
 *     `const cohere = new CohereClientV2({ token: key })` in its place;
 *   - `init` elsewhere (a setup function, several calls): `let cohere;` next to the import, and each
 *     `init(key)` becomes `cohere = new CohereClientV2({ token: key })`, so code that configures the
 *     key late keeps working;
 *   - no `init` in the file (v6 shared the key between modules): a client made next to the import,
 *     reading CO_API_KEY, with a `v6-init` marker.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { expression, insertMarkerOnce, isFunction, isValueReference, offsets, quoteStyle, referencesOf, type TransformContext } from "../../src/transform/kit";
import { isCohereSpecifier } from "../../src/detect/specifier";
import { own } from "../../src/tables";

/** The cohere-ai 8 class v6 code moves to. */
export const CLIENT_CLASS = "CohereClientV2";

/** How the file binds the v6 module. */
export type BindingForm = "import-default" | "import-namespace" | "import-equals" | "require" | "dynamic-import";

export interface ModuleBinding {
  name: string;
  form: BindingForm;
  /** The identifier that declares the binding. */
  id: ASTPath;
  /** The import declaration, `import x = require()` or the variable declaration holding it. */
  statement: ASTPath;
}

export interface ModuleUses {
  /** `cohere.init(key)` calls. */
  inits: ASTPath<N.CallExpression>[];
  /** Every other reference (generate calls, other v6 calls, the module passed on). */
  others: ASTPath[];
}

interface Scope {
  path: ASTPath;
  lookup(name: string): Scope | undefined;
  getBindings(): Record<string, ASTPath[] | undefined>;
}

/** The declaration of the module object a `cohere.generate(...)` call goes through. */
export function moduleBinding(ctx: TransformContext, call: ASTPath<N.CallExpression>): ModuleBinding | undefined {
  const callee = call.node.callee;
  if (!(N.MemberExpression.check(callee) || N.OptionalMemberExpression.check(callee)) || !N.Identifier.check(callee.object)) return undefined;
  const name = callee.object.name;
  const scope = (call as ASTPath & { scope?: Scope }).scope?.lookup(name);
  const id = own(scope?.getBindings(), name)?.[0] ?? importEqualsId(ctx, name);
  if (!id) return undefined;
  for (let p: ASTPath | null = id.parent; p; p = p.parent) {
    const node = p.node;
    if ((N.ImportDefaultSpecifier.check(node) || N.ImportNamespaceSpecifier.check(node)) && p.parent && isCohereImport(p.parent.node)) {
      return { name, form: N.ImportDefaultSpecifier.check(node) ? "import-default" : "import-namespace", id, statement: p.parent };
    }
    if (N.TSImportEqualsDeclaration.check(node)) {
      const ref = node.moduleReference;
      if (N.TSExternalModuleReference.check(ref) && isCohereSpecifier(String(ref.expression.value))) return { name, form: "import-equals", id, statement: p };
      return undefined;
    }
    if (N.VariableDeclarator.check(node)) {
      const decl = p.parent;
      if (!decl || !N.VariableDeclaration.check(decl.node) || decl.node.declarations.length !== 1) return undefined;
      // Handles: const { default: cohere } = await import("cohere-ai") (v6's module object, loaded lazily)
      if (N.ObjectPattern.check(node.id) && defaultBinding(node.id) === id.node && isCohereDynamicImport(node.init)) return { name, form: "dynamic-import", id, statement: decl };
      if (node.id !== id.node || !isCohereRequire(node.init)) return undefined;
      return { name, form: "require", id, statement: decl };
    }
    if (N.Statement.check(node)) return undefined;
  }
  return undefined;
}

/** `import cohere = require("cohere-ai")` is not a binding jscodeshift's scopes know. */
function importEqualsId(ctx: TransformContext, name: string): ASTPath | undefined {
  let found: ASTPath | undefined;
  ctx.root.find(ctx.j.TSImportEqualsDeclaration).forEach((p: ASTPath<N.TSImportEqualsDeclaration>) => {
    if (N.Identifier.check(p.node.id) && p.node.id.name === name) found ??= p.get("id") as ASTPath;
  });
  return found;
}

function isCohereImport(node: N.Node): boolean {
  return N.ImportDeclaration.check(node) && typeof node.source.value === "string" && isCohereSpecifier(node.source.value) && node.importKind !== "type";
}

/** The identifier a destructuring binds the `default` property to (`{ default: cohere }`). */
function defaultBinding(pattern: N.ObjectPattern): N.Node | undefined {
  for (const prop of pattern.properties) {
    if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed) continue;
    const key = N.Identifier.check(prop.key) ? prop.key.name : N.StringLiteral.check(prop.key) ? prop.key.value : undefined;
    if (key === "default") return prop.value as N.Node;
  }
  return undefined;
}

/** `await import("cohere-ai")`. */
function isCohereDynamicImport(node: N.Node | null | undefined): boolean {
  const call = node && N.AwaitExpression.check(node) ? node.argument : undefined;
  if (!call || !N.CallExpression.check(call) || call.callee.type !== "Import") return false;
  const arg = call.arguments[0];
  return (N.StringLiteral.check(arg) || N.Literal.check(arg)) && typeof arg.value === "string" && isCohereSpecifier(arg.value);
}

function isCohereRequire(node: N.Node | null | undefined): boolean {
  if (!node || !N.CallExpression.check(node) || !N.Identifier.check(node.callee) || node.callee.name !== "require") return false;
  const arg = node.arguments[0];
  return (N.StringLiteral.check(arg) || N.Literal.check(arg)) && typeof arg.value === "string" && isCohereSpecifier(arg.value);
}

/** Sorts the binding's references into `init` calls and the rest; read before anything is rewritten. */
export function moduleUses(ctx: TransformContext, binding: ModuleBinding): ModuleUses {
  const uses: ModuleUses = { inits: [], others: [] };
  for (const ref of bindingReferences(ctx, binding)) {
    const member = ref.parent;
    const call = member?.parent;
    if (
      member &&
      call &&
      (N.MemberExpression.check(member.node) || N.OptionalMemberExpression.check(member.node)) &&
      member.node.object === ref.node &&
      !member.node.computed &&
      N.Identifier.check(member.node.property) &&
      member.node.property.name === "init" &&
      N.CallExpression.check(call.node) &&
      call.node.callee === member.node
    ) {
      uses.inits.push(call as ASTPath<N.CallExpression>);
    } else uses.others.push(ref);
  }
  return uses;
}

function bindingReferences(ctx: TransformContext, binding: ModuleBinding): ASTPath[] {
  if (binding.form !== "import-equals") return referencesOf(ctx, binding.id);
  // Scopes do not record `import x = require()`: every unshadowed value use of the name is one.
  const refs: ASTPath[] = [];
  ctx.root.find(ctx.j.Identifier, { name: binding.name }).forEach((p: ASTPath) => {
    if (p.node === binding.id.node || !isValueReference(p)) return;
    if (!(p as ASTPath & { scope?: Scope }).scope?.lookup(binding.name)) refs.push(p);
  });
  return refs;
}

/** The v6 module calls other than generate (embed, classify, ...): each gets a `v6-api` marker. */
export function markOtherCalls(ctx: TransformContext, uses: ModuleUses, generateCalls: ReadonlySet<N.Node>): void {
  // References to generate that are not calls (`cohere.generate.bind(cohere)`) are the indirect
  // transform's: it runs next, on the client that replaces the module.
  const indirect = ctx.sites.filter((s) => s.kind === "indirect-generate" && s.client === "v6");
  for (const ref of uses.others) {
    const member = ref.parent;
    const call = member?.parent;
    if (call && generateCalls.has(call.node)) continue;
    const { start } = offsets(ref.node);
    if (indirect.some((s) => s.start <= start && start < s.end)) continue;
    // Handles: the `cohere` in cohere.generate.bind(cohere), bound along with the reference.
    const bind = ref.parent?.node;
    const bound = bind && N.CallExpression.check(bind) && N.MemberExpression.check(bind.callee) ? offsets(bind.callee.object) : undefined;
    if (bound && indirect.some((s) => s.start === bound.start && s.end === bound.end)) continue;
    insertMarkerOnce(ctx, ref, "v6-api");
  }
}

/**
 * Rewrites the import of the v6 module into an import of CohereClientV2 and creates the client
 * (see the module comment for where).
 */
export function replaceModule(ctx: TransformContext, binding: ModuleBinding, uses: ModuleUses): void {
  const className = importClientClass(ctx, binding);
  const single = uses.inits.length === 1 ? initInPlace(uses.inits[0], uses.others) : undefined;
  if (single) {
    // Handles: cohere.init(key) before every use in its block → const cohere = new CohereClientV2({ token: key })
    const created = clientDeclaration(ctx, "const", binding.name, className, single.call.node.arguments[0]);
    keepComments(single.statement.node, created);
    single.statement.replace(created);
    return;
  }
  const holder = declarationAnchor(ctx, binding);
  if (uses.inits.length === 0) {
    // Handles: no init in this file (v6 kept the key in the module, set by another file).
    const created = clientDeclaration(ctx, "const", binding.name, className, undefined);
    holder.insertAfter(created);
    ctx.root
      .find(ctx.j.VariableDeclaration)
      .filter((p: ASTPath) => p.node === created)
      .forEach((p: ASTPath) => insertMarkerOnce(ctx, p, "v6-init"));
    return;
  }
  // Handles: init(key) in a setup function, or several inits → `let cohere;`, assigned by each init.
  const topLevelRead = uses.others.some((ref) => !insideFunction(ref));
  const declared = ctx.typescript
    ? parseStatement(ctx, `let ${binding.name}${topLevelRead ? "!" : ""}: ${className};`)
    : parseStatement(ctx, `let ${binding.name};`);
  holder.insertAfter(declared);
  for (const init of uses.inits) {
    init.replace(ctx.j.assignmentExpression("=", ctx.j.identifier(binding.name), newClient(ctx, className, init.node.arguments[0]) as never));
  }
}

/**
 * `import cohere from "cohere-ai"` → `import { CohereClientV2 } from "cohere-ai"`, and the same for
 * the require forms. A file that already imports CohereClientV2 keeps that import. Returns the
 * class's local name.
 */
function importClientClass(ctx: TransformContext, binding: ModuleBinding): string {
  const statement = binding.statement;
  const node = statement.node;
  const existing = existingClassImport(ctx, binding);
  const others = N.ImportDeclaration.check(node)
    ? (node.specifiers ?? []).filter((s) => !(N.ImportDefaultSpecifier.check(s) || N.ImportNamespaceSpecifier.check(s)))
    : [];
  if (existing) {
    if (others.length) (node as N.ImportDeclaration).specifiers = others;
    else statement.prune();
    return existing;
  }
  if (binding.form === "dynamic-import") {
    // `{ default: cohere, ...rest }` → `{ CohereClientV2, ...rest }`: the class, from the same import.
    const pattern = ((node as N.VariableDeclaration).declarations[0] as N.VariableDeclarator).id as N.ObjectPattern;
    const kept = pattern.properties.filter((prop) => !((N.ObjectProperty.check(prop) || N.Property.check(prop)) && prop.value === binding.id.node));
    const added = (((parseStatement(ctx, `const { ${CLIENT_CLASS} } = x;`) as N.VariableDeclaration).declarations[0] as N.VariableDeclarator).id as N.ObjectPattern).properties[0];
    pattern.properties = [added, ...kept];
    return CLIENT_CLASS;
  }
  if (binding.form === "require") {
    const pattern = parseStatement(ctx, `const { ${CLIENT_CLASS} } = require("cohere-ai");`) as N.VariableDeclaration;
    ((node as N.VariableDeclaration).declarations[0] as N.VariableDeclarator).id = (pattern.declarations[0] as N.VariableDeclarator).id;
    return CLIENT_CLASS;
  }
  if (binding.form === "import-equals") {
    const replacement = parseStatement(ctx, `import { ${CLIENT_CLASS} } from "cohere-ai";`);
    keepComments(node, replacement);
    statement.replace(replacement);
    return CLIENT_CLASS;
  }
  (node as N.ImportDeclaration).specifiers = [ctx.j.importSpecifier(ctx.j.identifier(CLIENT_CLASS)), ...others];
  return CLIENT_CLASS;
}

/** The local name of a CohereClientV2 the file already imports from cohere-ai, if any. */
function existingClassImport(ctx: TransformContext, binding: ModuleBinding): string | undefined {
  let found: string | undefined;
  ctx.root.find(ctx.j.ImportSpecifier).forEach((p: ASTPath<N.ImportSpecifier>) => {
    const decl = p.parent?.node;
    if (p.parent === binding.statement || !decl || !isCohereImport(decl)) return;
    if (N.Identifier.check(p.node.imported) && p.node.imported.name === CLIENT_CLASS) found ??= N.Identifier.check(p.node.local) ? p.node.local.name : CLIENT_CLASS;
  });
  return found;
}

/**
 * The init call when it can become the client's `const`: a statement of its own, in a block that
 * holds every other use, none of which runs before it (uses in nested functions run later).
 */
function initInPlace(call: ASTPath<N.CallExpression>, others: ASTPath[]): { call: ASTPath<N.CallExpression>; statement: ASTPath } | undefined {
  const statement = call.parent;
  if (!statement || !N.ExpressionStatement.check(statement.node) || statement.node.expression !== call.node) return undefined;
  const block = statement.parent?.node;
  if (!block || !(N.Program.check(block) || N.BlockStatement.check(block))) return undefined;
  const initEnd = offsets(statement.node).end;
  for (const ref of others) {
    let crossedFunction = false;
    let p: ASTPath | null = ref.parent;
    while (p && p.node !== block) {
      if (isFunction(p.node)) crossedFunction = true;
      p = p.parent;
    }
    if (!p) return undefined;
    if (!crossedFunction && offsets(ref.node).start < initEnd) return undefined;
  }
  return { call, statement };
}

/** Where a client declared apart from `init` goes: after the require, or after the last import. */
function declarationAnchor(ctx: TransformContext, binding: ModuleBinding): ASTPath {
  if (binding.form === "require" || binding.form === "dynamic-import") return binding.statement;
  let last: ASTPath | undefined;
  ctx.root.find(ctx.j.Program).forEach((program: ASTPath<N.Program>) => {
    program.node.body.forEach((stmt, i) => {
      if (N.ImportDeclaration.check(stmt) || N.TSImportEqualsDeclaration.check(stmt)) last = program.get("body", i) as ASTPath;
    });
  });
  return last ?? binding.statement;
}

function clientDeclaration(ctx: TransformContext, kind: "const" | "let", name: string, className: string, key: N.Node | undefined): N.Node {
  const { j } = ctx;
  return j.variableDeclaration(kind, [j.variableDeclarator(j.identifier(name), newClient(ctx, className, key) as never)]);
}

/** `new CohereClientV2({ token: key })`; without a key the client reads CO_API_KEY. */
function newClient(ctx: TransformContext, className: string, key: N.Node | undefined): N.Node {
  if (!key || N.SpreadElement.check(key)) return expression(ctx, `new ${className}({})`);
  if (N.Identifier.check(key) && key.name === "token") return expression(ctx, `new ${className}({ token })`);
  return expression(ctx, `new ${className}({ token: $0 })`, key);
}

/** A statement parsed from text, so it prints as written; string quotes follow the file. */
function parseStatement(ctx: TransformContext, code: string): N.Statement {
  const quoted = quoteStyle(ctx.source) === "single" ? code.replace(/"([^"'\\]*)"/g, "'$1'") : code;
  const file = ctx.j(quoted).paths()[0]?.node as N.File | undefined;
  const statement = file?.program.body[0];
  if (!statement) throw new Error(`internal: cannot parse snippet ${code}`);
  return statement;
}

function keepComments(from: N.Node, to: N.Node): void {
  const comments = (from as { comments?: N.Comment[] | null }).comments;
  if (comments?.length) (to as { comments?: N.Comment[] | null }).comments = comments;
}

function insideFunction(path: ASTPath): boolean {
  for (let p: ASTPath | null = path.parent; p; p = p.parent) if (isFunction(p.node)) return true;
  return false;
}

