/**
 * The common case of a file with Generate calls, settled from Babel's tree without the compiler:
 * every `generate` / `generateStream` in it is the method of a call on a receiver that syntax
 * alone shows to be a Cohere client, in the forms the issue calls common:
 *
 * - a name bound once in the file to `new CohereClient(...)` (or `CohereClientV2`), the class
 *   imported by name from cohere-ai (`import { CohereClient as C }`, `const { CohereClient } =
 *   require("cohere-ai")`), or annotated with that class (a `const`, a parameter);
 * - `this.client` in a class whose `client` property is annotated with the class, or initialised
 *   with `new` of it (a field, a constructor parameter property).
 *
 * The answer must be exactly the TypeScript detector's (detect-file.ts with resolver.ts), which
 * stays the reference: a test compares both on every fixture, on real code and on edge forms.
 * So the rules here are the resolver's, restricted to forms where the two cannot differ, and
 * anything else (a name bound twice, an assignment to it, a spread in the request, a `model` that
 * is not a literal, a receiver from another module) returns undefined: the compiler decides.
 */
import { LineMap } from "../markers";
import type { CallSite, SiteKind } from "../types";
import { own, table } from "../tables";
import { CLIENT_CLASSES } from "./client-classes";
import { isCohereSpecifier } from "./specifier";

/** A Babel node, as far as this module reads it. */
export interface BabelNode {
  type: string;
  start: number;
  end: number;
  extra?: { parenthesized?: boolean };
}

type Fields = BabelNode & Record<string, unknown>;

/** Where a node sits: its parent and the parent's field that holds it. */
interface Place {
  node: BabelNode;
  parent: BabelNode | undefined;
  key: string;
}

const LEGACY_METHODS: Readonly<Record<string, SiteKind>> = table({
  generate: "generate",
  generateStream: "generate-stream",
});

/** Fields of a Babel node that hold no child nodes (or hold copies of them). */
const NOT_CHILDREN: ReadonlySet<string> = new Set(["type", "start", "end", "loc", "range", "extra", "leadingComments", "trailingComments", "innerComments", "comments", "tokens"]);

const FUNCTIONS: ReadonlySet<string> = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ClassMethod", "ClassPrivateMethod", "ObjectMethod"]);

function isNode(value: unknown): value is BabelNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

function field(node: BabelNode, key: string): unknown {
  return (node as Fields)[key];
}

function childNode(node: BabelNode, key: string): BabelNode | undefined {
  const value = field(node, key);
  return isNode(value) ? value : undefined;
}

function childNodes(node: BabelNode, key: string): BabelNode[] {
  const value = field(node, key);
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function nameOf(node: BabelNode | undefined): string | undefined {
  return node?.type === "Identifier" ? String(field(node, "name")) : undefined;
}

/** Node types any of whose fields holding a name read it as a value. */
const READS: ReadonlySet<string> = new Set([
  "CallExpression",
  "OptionalCallExpression",
  "NewExpression",
  "ReturnStatement",
  "AwaitExpression",
  "ExpressionStatement",
  "ArrayExpression",
  "ConditionalExpression",
  "LogicalExpression",
  "BinaryExpression",
  "UnaryExpression",
  "TemplateLiteral",
  "TaggedTemplateExpression",
  "SpreadElement",
  "SequenceExpression",
  "YieldExpression",
  "ThrowStatement",
  "IfStatement",
  "TSNonNullExpression",
  "TSAsExpression",
  "TSSatisfiesExpression",
  "TSTypeAssertion",
  "JSXExpressionContainer",
  "JSXSpreadAttribute",
  // Types: a name there is a type's, or (`typeof x`) a read.
  "TSTypeReference",
  "TSTypeQuery",
  "TSQualifiedName",
  "TSExpressionWithTypeArguments",
  "TSClassImplements",
  "TSInterfaceHeritage",
]);

/** Node types whose one named field reads a name (the others bind or name something). */
const READ_FIELD: ReadonlyMap<string, string> = new Map([
  ["VariableDeclarator", "init"],
  ["ArrowFunctionExpression", "body"],
  ["AssignmentExpression", "right"],
  ["AssignmentPattern", "right"],
  ["ClassProperty", "value"],
  ["ExportDefaultDeclaration", "declaration"],
  ["ForOfStatement", "right"],
  ["ClassDeclaration", "superClass"],
  ["ClassExpression", "superClass"],
]);

/** Node types whose non-computed `key` is a property name, never a reference. */
const KEYED: ReadonlySet<string> = new Set(["ObjectProperty", "ClassProperty", "ClassMethod", "ObjectMethod", "TSPropertySignature", "TSMethodSignature"]);

/** One binding of a name: how it was declared. */
type Binding =
  | { kind: "import"; place: Place; declaration: BabelNode; imported: string }
  /** `import { co } from "./client"`: a value of another module of the repository. */
  | { kind: "module-import"; place: Place; spec: string; imported: string }
  | { kind: "required"; place: Place; imported: string }
  | { kind: "variable"; place: Place; declarator: BabelNode; declaration: BabelNode }
  | { kind: "parameter"; place: Place; fn: BabelNode };

type ClientVerdict = "v1" | "v2" | undefined;

/** A receiver imported by name from a module of the repository: answered there (syntaxExportedClient). */
export interface ImportedReceiver {
  spec: string;
  name: string;
}

/** A call whose receiver is imported: its site (with the client still to settle) and where it comes from. */
export interface ImportedSite extends ImportedReceiver {
  site: CallSite;
}

export interface SyntaxSites {
  sites: CallSite[];
  /** The receivers' offsets of the imported sites, as the single-file detector reports them. */
  undecided: number[];
  imported: ImportedSite[];
}

class SyntaxFile {
  private readonly places = new Map<BabelNode, Place>();
  private readonly byName = new Map<string, Place[]>();
  private readonly methods: Place[] = [];
  private readonly bindings = new Map<string, Binding | null>();
  /** String literals naming cohere-ai. */
  private readonly specifiers: Place[] = [];

  constructor(program: BabelNode) {
    this.index(program, undefined, "");
  }

  private index(node: BabelNode, parent: BabelNode | undefined, key: string): void {
    const place: Place = { node, parent, key };
    this.places.set(node, place);
    if (node.type === "Identifier") {
      const name = String(field(node, "name"));
      const list = this.byName.get(name);
      if (list) list.push(place);
      else this.byName.set(name, [place]);
      if (own(LEGACY_METHODS, name)) this.methods.push(place);
    } else if (node.type === "StringLiteral" && isCohereSpecifier(String(field(node, "value")))) {
      this.specifiers.push(place);
    }
    for (const k of Object.keys(node)) {
      if (NOT_CHILDREN.has(k)) continue;
      const value = field(node, k);
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.index(item, node, k);
      } else if (isNode(value)) this.index(value, node, k);
    }
  }

  get methodCount(): number {
    return this.methods.length;
  }

  /**
   * Whether every string naming cohere-ai is an import's or export's source, or the module of a
   * `const { CohereClient, CohereClientV2: V2 } = require(...)` (no module object, no nested pattern).
   */
  requiresBindNamesOnly(): boolean {
    return this.specifiers.every(({ parent, key }) => {
      if (!parent) return false;
      if (key === "source") return parent.type === "ImportDeclaration" || parent.type === "ExportNamedDeclaration" || parent.type === "ExportAllDeclaration";
      if (parent.type !== "CallExpression" || key !== "arguments" || nameOf(childNode(parent, "callee")) !== "require") return false;
      const call = this.places.get(parent);
      const pattern = call?.key === "init" && call.parent?.type === "VariableDeclarator" ? childNode(call.parent, "id") : undefined;
      if (pattern?.type !== "ObjectPattern") return false;
      return childNodes(pattern, "properties").every((p) => p.type === "ObjectProperty" && field(p, "computed") !== true && childNode(p, "value")?.type === "Identifier");
    });
  }

  /**
   * Every `generate` / `generateStream` name in the file, as call sites; undefined when any is not
   * one this module settles. Calls on receivers imported from the repository's modules come apart,
   * as the single-file detector leaves them (undecided), with what answers them.
   */
  sites(text: string): SyntaxSites | undefined {
    const lines = new LineMap(text);
    const out: SyntaxSites = { sites: [], undecided: [], imported: [] };
    for (const place of this.methods) {
      const found = this.site(place, text, lines);
      if (!found) return undefined;
      if (found.from) {
        out.imported.push({ ...found.from, site: found.site });
        out.undecided.push(found.receiverStart);
      } else out.sites.push(found.site);
    }
    out.sites.sort((a, b) => a.start - b.start);
    return out;
  }

  private site(place: Place, text: string, lines: LineMap): { site: CallSite; from?: ImportedReceiver; receiverStart: number } | undefined {
    const member = place.parent;
    if (!member || place.key !== "property" || (member.type !== "MemberExpression" && member.type !== "OptionalMemberExpression")) return undefined;
    if (field(member, "computed") === true || member.extra?.parenthesized) return undefined;
    const memberPlace = this.places.get(member);
    const call = memberPlace?.parent;
    if (!call || memberPlace.key !== "callee" || (call.type !== "CallExpression" && call.type !== "OptionalCallExpression")) return undefined;
    const receiver = childNode(member, "object");
    if (!receiver || receiver.extra?.parenthesized) return undefined;
    const verdict = this.receiverKind(receiver);
    if (!verdict) return undefined;
    const request = this.requestFacts(call);
    if (!request) return undefined;
    const kind = LEGACY_METHODS[String(field(place.node, "name"))];
    const site: CallSite = {
      kind,
      // An imported receiver's client is its module's answer; set when that is known.
      client: typeof verdict === "string" ? verdict : "v1",
      certainty: "certain",
      start: call.start,
      end: call.end,
      span: lines.span(call.start, call.end),
      callee: text.slice(member.start, member.end),
      receiver: text.slice(receiver.start, receiver.end),
      ...request,
    };
    return { site, receiverStart: receiver.start, ...(typeof verdict === "string" ? {} : { from: verdict }) };
  }

  /** The resolver's requestFacts for a request written in place (a literal without spreads), or undefined. */
  private requestFacts(call: BabelNode): Pick<CallSite, "requestVisible" | "requestModel"> | undefined {
    const arg = childNodes(call, "arguments")[0];
    if (!arg) return { requestVisible: false };
    const request = skipNonNull(arg);
    // A name bound to a literal is the checker's to follow (a const used once); a spread's type too.
    if (request.type === "Identifier") return undefined;
    if (request.type !== "ObjectExpression") return { requestVisible: false };
    for (const property of childNodes(request, "properties")) {
      if (property.type === "SpreadElement") return undefined;
    }
    for (const property of childNodes(request, "properties")) {
      if (property.type !== "ObjectProperty" || field(property, "computed") === true) continue;
      const key = childNode(property, "key");
      const name = key?.type === "Identifier" ? nameOf(key) : key?.type === "StringLiteral" ? String(field(key, "value")) : undefined;
      if (name !== "model") continue;
      if (field(property, "shorthand") === true) return undefined;
      const value = childNode(property, "value");
      const literal = value && (value.type === "StringLiteral" || (value.type === "TemplateLiteral" && childNodes(value, "expressions").length === 0));
      // A model that is an expression: the checker may know its value (`model: MODEL`).
      return literal ? { requestVisible: true } : undefined;
    }
    return { requestVisible: true };
  }

  /** The client a receiver is, or the module that says, when syntax shows it (else undefined: the compiler decides). */
  private receiverKind(expr: BabelNode): ClientVerdict | ImportedReceiver {
    const e = skipNonNull(expr);
    if (e.type === "Identifier") return this.valueKind(e);
    if ((e.type === "MemberExpression" || e.type === "OptionalMemberExpression") && field(e, "computed") !== true) {
      const object = childNode(e, "object");
      const property = nameOf(childNode(e, "property"));
      if (object?.type === "ThisExpression" && !object.extra?.parenthesized && property !== undefined) return this.classMemberKind(e, property);
    }
    return undefined;
  }

  /** A name read as a value: bound once, in scope, to a client (or imported from a module that may say). */
  private valueKind(id: BabelNode): ClientVerdict | ImportedReceiver {
    const binding = this.binding(String(field(id, "name")));
    if (!binding || !this.inScope(binding, id)) return undefined;
    if (binding.kind === "variable") return this.variableKind(binding.declarator);
    if (binding.kind === "module-import") return { spec: binding.spec, name: binding.imported };
    if (binding.kind === "parameter") {
      const annotation = typeAnnotationOf(binding.place.node);
      return annotation ? this.typeKind(annotation) : undefined;
    }
    // A name imported from cohere-ai is a class or a namespace there, never a client.
    return undefined;
  }

  /** A `const` or `let`: its annotation, else the class its initialiser makes with `new`. */
  private variableKind(declarator: BabelNode): ClientVerdict {
    const annotation = typeAnnotationOf(childNode(declarator, "id"));
    if (annotation) return this.typeKind(annotation);
    const init = childNode(declarator, "init");
    const created = init ? skipNonNull(init) : undefined;
    if (created?.type !== "NewExpression" || created.extra?.parenthesized) return undefined;
    const callee = childNode(created, "callee");
    return callee ? this.classKind(callee) : undefined;
  }

  /**
   * The client a module exports under `name`, written `export const name = new CohereClient(...)`
   * (or typed with the class) at its top level, as the cross-file resolver follows it there.
   */
  exportedClient(name: string): ClientVerdict {
    const binding = this.binding(name);
    if (binding?.kind !== "variable") return undefined;
    const statement = this.places.get(binding.declaration)?.parent;
    if (statement?.type !== "ExportNamedDeclaration" || this.places.get(statement)?.parent?.type !== "Program") return undefined;
    return this.variableKind(binding.declarator);
  }

  /** The client a class expression constructs: a class imported by name from cohere-ai. */
  private classKind(expr: BabelNode): ClientVerdict {
    if (expr.type !== "Identifier" || expr.extra?.parenthesized) return undefined;
    const binding = this.binding(String(field(expr, "name")));
    if (!binding || (binding.kind !== "import" && binding.kind !== "required")) return undefined;
    return own(CLIENT_CLASSES, binding.imported);
  }

  /** The client a type annotation names: the class imported by name, written plainly. */
  private typeKind(annotation: BabelNode): ClientVerdict {
    if (annotation.type !== "TSTypeReference") return undefined;
    const typeName = childNode(annotation, "typeName");
    const name = nameOf(typeName);
    // Promise<...>, InstanceType<...> and Awaited<...> are the resolver's own forms.
    if (!typeName || name === undefined || name === "Promise" || name === "InstanceType" || name === "Awaited") return undefined;
    const binding = this.binding(name);
    if (!binding || binding.kind !== "import") return undefined;
    return own(CLIENT_CLASSES, binding.imported);
  }

  /** `this.name` inside a class: its declared member, as the resolver's classMember reads it. */
  private classMemberKind(member: BabelNode, name: string): ClientVerdict {
    const cls = this.enclosingClass(member);
    const body = cls ? childNode(cls, "body") : undefined;
    if (!body) return undefined;
    for (const m of childNodes(body, "body")) {
      const key = field(m, "computed") === true ? undefined : nameOf(childNode(m, "key"));
      if (m.type === "ClassProperty" && key === name) {
        const annotation = typeAnnotationOf(m);
        if (annotation) return this.typeKind(annotation);
        const value = childNode(m, "value");
        const created = value ? skipNonNull(value) : undefined;
        if (created?.type !== "NewExpression" || created.extra?.parenthesized) return undefined;
        const callee = childNode(created, "callee");
        return callee ? this.classKind(callee) : undefined;
      }
      // An accessor or a getter of that name: the compiler's to read.
      if ((m.type === "ClassAccessorProperty" || (m.type === "ClassMethod" && field(m, "kind") === "get")) && key === name) return undefined;
      if (m.type === "ClassMethod" && field(m, "kind") === "constructor") {
        for (const param of childNodes(m, "params")) {
          if (param.type !== "TSParameterProperty") continue;
          const inner = childNode(param, "parameter");
          // `private client: CohereClient = make()`: the resolver reads the type; left to it.
          if (inner?.type === "AssignmentPattern" && nameOf(childNode(inner, "left")) === name) return undefined;
          if (nameOf(inner) !== name) continue;
          const annotation = inner ? typeAnnotationOf(inner) : undefined;
          return annotation ? this.typeKind(annotation) : undefined;
        }
      }
    }
    return undefined;
  }

  /** The class whose `this` a node sees (arrow functions and methods see it; a plain function has its own). */
  private enclosingClass(node: BabelNode): BabelNode | undefined {
    for (let n = this.places.get(node)?.parent; n; n = this.places.get(n)?.parent) {
      if (n.type === "ClassDeclaration" || n.type === "ClassExpression") return n;
      if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") return undefined;
    }
    return undefined;
  }

  /**
   * Whether an occurrence of a name reads a value or is no reference at all (a property key, the
   * member of `a.b`, a type). Anything not listed (a binding, an assignment target, a pattern, a
   * label) makes the name one this module does not follow.
   */
  private isReadOrNotReference(place: Place): boolean {
    const { parent, key } = place;
    if (!parent) return false;
    const computed = field(parent, "computed") === true;
    if (KEYED.has(parent.type) && key === "key") return !computed;
    if (parent.type === "MemberExpression" || parent.type === "OptionalMemberExpression") return key === "object" || (key === "property" && !computed);
    // `{ a: co }` and `{ co }` read it in an object literal; in a pattern they bind.
    if (parent.type === "ObjectProperty") return key === "value" && this.places.get(parent)?.parent?.type === "ObjectExpression";
    if (parent.type === "ExportSpecifier") {
      // `export { co }` reads the local name; `export { co } from "./m"` names another module's.
      const declaration = this.places.get(parent)?.parent;
      return declaration?.type === "ExportNamedDeclaration" && childNode(declaration, "source") === undefined;
    }
    if (parent.type === "ImportSpecifier") return key === "imported";
    if (READS.has(parent.type)) return true;
    return READ_FIELD.get(parent.type) === key;
  }

  /**
   * The one binding of a name in the file, when every other occurrence only reads it; null when
   * it has none, several, or is assigned, destructured or declared some other way.
   */
  private binding(name: string): Binding | null {
    const cached = this.bindings.get(name);
    if (cached !== undefined) return cached;
    let found: Binding | null = null;
    let count = 0;
    for (const place of this.byName.get(name) ?? []) {
      const binding = this.asBinding(place);
      if (binding) {
        found = binding;
        count++;
      } else if (!this.isReadOrNotReference(place)) {
        count = Infinity;
        break;
      }
    }
    const answer = count === 1 ? found : null;
    this.bindings.set(name, answer);
    return answer;
  }

  private asBinding(place: Place): Binding | undefined {
    const { parent, key } = place;
    if (!parent) return undefined;
    if (parent.type === "ImportSpecifier" && key === "local") {
      const declaration = this.places.get(parent)?.parent;
      const source = declaration ? childNode(declaration, "source") : undefined;
      if (!declaration || declaration.type !== "ImportDeclaration" || !source) return undefined;
      const imported = childNode(parent, "imported");
      const name = imported?.type === "StringLiteral" ? String(field(imported, "value")) : nameOf(imported);
      if (name === undefined) return undefined;
      const spec = String(field(source, "value"));
      if (isCohereSpecifier(spec)) return { kind: "import", place, declaration, imported: name };
      // A value imported from a module of this repository (not a type-only import: no value).
      const typeOnly = field(declaration, "importKind") === "type" || field(parent, "importKind") === "type";
      if ((spec.startsWith("./") || spec.startsWith("../")) && !typeOnly) return { kind: "module-import", place, spec, imported: name };
      return undefined;
    }
    if (parent.type === "VariableDeclarator" && key === "id") {
      const declaration = this.places.get(parent)?.parent;
      if (!declaration || declaration.type !== "VariableDeclaration" || field(declaration, "declare") === true) return undefined;
      const kind = field(declaration, "kind");
      return kind === "const" || kind === "let" ? { kind: "variable", place, declarator: parent, declaration } : undefined;
    }
    if (FUNCTIONS.has(parent.type) && key === "params") return { kind: "parameter", place, fn: parent };
    // const { CohereClient, CohereClientV2: V2 } = require("cohere-ai")
    if (parent.type === "ObjectProperty" && key === "value" && field(parent, "computed") !== true) {
      const pattern = this.places.get(parent)?.parent;
      const declarator = pattern ? this.places.get(pattern) : undefined;
      if (pattern?.type !== "ObjectPattern" || declarator?.key !== "id" || declarator.parent?.type !== "VariableDeclarator") return undefined;
      const init = childNode(declarator.parent, "init");
      const arg = init?.type === "CallExpression" && nameOf(childNode(init, "callee")) === "require" ? childNodes(init, "arguments")[0] : undefined;
      if (arg?.type !== "StringLiteral" || !isCohereSpecifier(String(field(arg, "value")))) return undefined;
      const key = childNode(parent, "key");
      const imported = key?.type === "StringLiteral" ? String(field(key, "value")) : nameOf(key);
      return imported === undefined ? undefined : { kind: "required", place, imported };
    }
    return undefined;
  }

  /** Whether a read of the name sees this binding (and not a global of the same name). */
  private inScope(binding: Binding, use: BabelNode): boolean {
    if (binding.kind === "parameter") return binding.fn.start <= use.start && use.end <= binding.fn.end;
    if (binding.kind !== "variable") return true;
    // The block (or the module) the declaration is a statement of.
    let holder = this.places.get(binding.declaration)?.parent;
    if (holder?.type === "ExportNamedDeclaration") holder = this.places.get(holder)?.parent;
    if (!holder || (holder.type !== "Program" && holder.type !== "BlockStatement")) return false;
    return holder.start <= use.start && use.end <= holder.end;
  }
}

function skipNonNull(node: BabelNode): BabelNode {
  let e = node;
  while (e.type === "TSNonNullExpression") {
    const inner = childNode(e, "expression");
    if (!inner) break;
    e = inner;
  }
  return e;
}

/** The type written after `name:` (a variable, a parameter, a class property). */
function typeAnnotationOf(node: BabelNode | undefined): BabelNode | undefined {
  const wrapper = node ? childNode(node, "typeAnnotation") : undefined;
  return wrapper?.type === "TSTypeAnnotation" ? childNode(wrapper, "typeAnnotation") : undefined;
}

/**
 * The Generate call sites of a parsed file, when syntax settles every one of them. `methodNames`
 * is how many `generate` / `generateStream` names the tokens hold (each must be a settled call);
 * `requires` says they hold `require("cohere-ai")`, which must bind classes by name only.
 */
export function syntaxSites(program: BabelNode, text: string, methodNames: number, requires: boolean): SyntaxSites | undefined {
  const file = new SyntaxFile(program);
  if (file.methodCount !== methodNames) return undefined;
  if (requires && !file.requiresBindNamesOnly()) return undefined;
  return file.sites(text);
}

/** What a module exports under `name`, when syntax shows it is a client. */
export function syntaxExportedClient(program: BabelNode, name: string): "v1" | "v2" | undefined {
  return new SyntaxFile(program).exportedClient(name);
}
