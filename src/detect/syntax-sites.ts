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
import type { CallSite, SiteKind, SpreadType } from "../types";
import { own, table } from "../tables";
import { CLIENT_CLASSES } from "./client-classes";
import { isCohereSpecifier, isRepoSpecifier, isResolvedRepoSpecifier } from "./specifier";
import { apiPath, LEAF_NAMES, LEGACY_TYPE_PATHS, RENAMED_TYPE_PATHS, type Origin } from "./legacy-types";

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
  /** A name imported from a package (not cohere-ai): the resolver never follows it (not a client). */
  | { kind: "package-import"; place: Place }
  | { kind: "required"; place: Place; imported: string; statement: BabelNode }
  /** The cohere-ai module object: `const cohere = require("cohere-ai")`, `import * as cohere`, `import cohere`. */
  | { kind: "cohere-module"; place: Place; statement: BabelNode }
  | { kind: "variable"; place: Place; declarator: BabelNode; declaration: BabelNode }
  | { kind: "parameter"; place: Place; fn: BabelNode }
  | { kind: "class"; place: Place; node: BabelNode }
  | { kind: "interface"; place: Place; node: BabelNode }
  | { kind: "type-alias"; place: Place; node: BabelNode };

/**
 * What a receiver is, as the resolver's Verdict: a client of either kind, not a client, unknown
 * (in this file: a global, an untyped parameter), the cohere-ai module object (v6's API), or
 * imported from a module of the repository.
 * undefined: syntax cannot tell it the resolver's way; the compiler decides.
 */
type Verdict = "v1" | "v2" | "not" | "unknown" | "module" | ImportedReceiver | undefined;

/** A receiver imported by name from a module of the repository: answered there (syntaxExportedClient). */
export interface ImportedReceiver {
  spec: string;
  name: string;
  /** "class": the receiver is made with `new` of the imported class (`new Wrapper()`); else it is the imported value. */
  via?: "class";
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

/** The resolver's `combine`: a client anywhere wins (two kinds: unknown); else unknown; else not. */
function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.some((v) => v === undefined || typeof v === "object")) return undefined;
  const clients = verdicts.filter((v) => v === "v1" || v === "v2");
  if (clients.some((c) => c !== clients[0])) return "unknown";
  if (clients.length) return clients[0];
  if (verdicts.includes("unknown")) return "unknown";
  return verdicts.includes("module") ? "module" : "not";
}

/** The resolver's `either`: a client or another object is not known to be a client. */
function either(verdicts: readonly Verdict[]): Verdict {
  const all = combine(verdicts);
  return (all === "v1" || all === "v2") && verdicts.includes("not") ? "unknown" : all;
}

const NULLISH_TYPES: ReadonlySet<string> = new Set(["TSUndefinedKeyword", "TSNullKeyword", "TSVoidKeyword", "TSNeverKeyword"]);

function isNullishNode(n: BabelNode | undefined): boolean {
  if (!n) return false;
  if (n.type === "NullLiteral" || (n.type === "Identifier" && field(n, "name") === "undefined")) return true;
  return n.type === "UnaryExpression" && field(n, "operator") === "void";
}

/** Type annotations the resolver's typeKind answers "not a client" for, whatever they hold. */
const NOT_CLIENT_TYPES: ReadonlySet<string> = new Set([
  "TSTypeLiteral",
  "TSFunctionType",
  "TSConstructorType",
  "TSArrayType",
  "TSTupleType",
  "TSTypeQuery",
  "TSLiteralType",
  "TSStringKeyword",
  "TSNumberKeyword",
  "TSBooleanKeyword",
  "TSObjectKeyword",
  "TSVoidKeyword",
  "TSNeverKeyword",
  "TSSymbolKeyword",
  "TSBigIntKeyword",
  "TSNullKeyword",
  "TSUndefinedKeyword",
  "TSTypeOperator",
  "TSIndexedAccessType",
]);

/**
 * Names a program without lib files still declares (`globalThis`, `undefined`), or that JavaScript
 * files treat as CommonJS's own (`require`, `module`, `exports`): never taken for unresolved.
 */
const INTRINSIC_NAMES: ReadonlySet<string> = new Set(["globalThis", "undefined", "arguments", "require", "module", "exports"]);

/** Babel's nodes that name a type by a path: the compiler's TypeReference, ExpressionWithTypeArguments and ImportType. */
const TYPE_PATH_NODES: ReadonlySet<string> = new Set(["TSTypeReference", "TSExpressionWithTypeArguments", "TSInterfaceHeritage", "TSClassImplements", "TSImportType"]);

/** Values the resolver answers "not a client" for: literals (`ts.isLiteralExpression`), objects, arrays. */
const NOT_CLIENT_VALUES: ReadonlySet<string> = new Set(["ObjectExpression", "ArrayExpression", "StringLiteral", "NumericLiteral", "BigIntLiteral", "RegExpLiteral"]);

/**
 * Where a `generate` name makes no site: a key, a method declaration, a plain function or
 * variable of that name (declared, called, read, exported), an import or export. The detector
 * looks only at members (`x.generate`) and destructuring patterns (`const { generate } = x`).
 */
function namesNoSite(place: Place, parentOf: (node: BabelNode) => BabelNode | undefined): boolean {
  const { parent, key } = place;
  if (!parent) return false;
  const computed = field(parent, "computed") === true;
  switch (parent.type) {
    case "ClassMethod":
    case "ClassProperty":
    case "ObjectMethod":
    case "TSMethodSignature":
    case "TSPropertySignature":
      return key === "key" && !computed;
    case "ObjectProperty":
      // A key of an object literal, or a value read there; in a pattern it destructures the method
      // (detect-file's indirect sites).
      return !computed && field(parent, "shorthand") !== true && parentOf(parent)?.type === "ObjectExpression";
    case "MemberExpression":
    case "OptionalMemberExpression":
      // `generate.generations[0]`: a variable read (its own member is another name).
      return key === "object";
    case "ImportSpecifier":
    case "ExportSpecifier":
      return true;
    case "FunctionDeclaration":
    case "ClassDeclaration":
      return key === "id";
    case "VariableDeclarator":
      // `const generate = ...` (a pattern holds the name deeper, never here).
      return key === "id" || key === "init";
    case "TSQualifiedName":
      return key === "right";
    default:
      return READS.has(parent.type) || READ_FIELD.get(parent.type) === key || (FUNCTIONS.has(parent.type) && key === "params");
  }
}

class SyntaxFile {
  private readonly places = new Map<BabelNode, Place>();
  private readonly byName = new Map<string, Place[]>();
  private readonly methods: Place[] = [];
  private readonly bindings = new Map<string, Binding[] | null>();
  /** String literals naming cohere-ai. */
  private readonly specifiers: Place[] = [];
  /** Calls of the cohere-ai module object's other methods (`cohere.init(key)`): v6 module sites. */
  private readonly moduleCalls: Array<{ call: BabelNode; member: BabelNode }> = [];
  /** `this.x = value` assignments, by the class member they set. */
  private readonly thisAssignments: Array<{ name: string; node: BabelNode }> = [];
  private readonly program: BabelNode;
  /** Types and values being followed (a type alias naming itself ends as undefined). */
  private readonly following = new Set<BabelNode>();
  /** Type references, heritage clauses, import types and classes with a base: where a Generate type may be named. */
  private readonly typePaths: BabelNode[] = [];
  /** Names of type parameters anywhere in the file (Babel keeps them as strings, not identifiers). */
  private readonly typeParameters = new Set<string>();

  constructor(
    program: BabelNode,
    /** The file imports cohere-ai (an unknown receiver is then a possible site). */
    private readonly importsCohere = false,
    /** TypeScript, not JavaScript (where an untyped parameter may have a JSDoc type). */
    private readonly typescript = false,
  ) {
    this.program = program;
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
    } else if (TYPE_PATH_NODES.has(node.type) || ((node.type === "ClassDeclaration" || node.type === "ClassExpression") && childNode(node, "superClass"))) {
      this.typePaths.push(node);
    }
    if (node.type === "TSTypeParameter") {
      const name = field(node, "name");
      this.typeParameters.add(typeof name === "string" ? name : String(nameOf(isNode(name) ? name : undefined)));
    } else if (node.type === "StringLiteral" && isCohereSpecifier(String(field(node, "value")))) {
      this.specifiers.push(place);
    } else if (node.type === "AssignmentExpression" && field(node, "operator") === "=") {
      const left = childNode(node, "left");
      const name = left && (left.type === "MemberExpression" || left.type === "OptionalMemberExpression") && childNode(left, "object")?.type === "ThisExpression" && field(left, "computed") !== true ? nameOf(childNode(left, "property")) : undefined;
      if (name !== undefined) this.thisAssignments.push({ name, node });
    }
    for (const k of Object.keys(node)) {
      if (NOT_CHILDREN.has(k)) continue;
      const value = field(node, k);
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.index(item, node, k);
      } else if (isNode(value)) this.index(value, node, k);
    }
  }

  /** How many `generate` names the file holds, as tokens count them (`import { generate }` is one name, two nodes). */
  get methodCount(): number {
    return new Set(this.methods.map((p) => p.node.start)).size;
  }

  /**
   * Whether every string naming cohere-ai is an import's or export's source, or the module of a
   * `require` bound whole or destructured by name (`const { CohereClient, CohereClientV2: V2 } =`,
   * no nested pattern), and the module object, where bound, only constructs clients.
   */
  cohereBindingsSettle(): boolean {
    return this.specifiers.every(({ parent, key }) => {
      if (!parent) return false;
      // `import("cohere-ai").Cohere.Generation`: a type (typeSites() reads it), not a value.
      if (parent.type === "TSImportType" && key === "argument") return true;
      if (key === "source") {
        if (parent.type === "ExportNamedDeclaration" || parent.type === "ExportAllDeclaration") return true;
        if (parent.type !== "ImportDeclaration") return false;
        return childNodes(parent, "specifiers").every((spec) => spec.type === "ImportSpecifier" || this.moduleUsesSettle(childNode(spec, "local")));
      }
      if (parent.type !== "CallExpression" || key !== "arguments" || nameOf(childNode(parent, "callee")) !== "require") return false;
      const call = this.places.get(parent);
      const id = call?.key === "init" && call.parent?.type === "VariableDeclarator" ? childNode(call.parent, "id") : undefined;
      if (id?.type === "Identifier") return this.moduleUsesSettle(id);
      if (id?.type !== "ObjectPattern") return false;
      return childNodes(id, "properties").every((p) => p.type === "ObjectProperty" && field(p, "computed") !== true && childNode(p, "value")?.type === "Identifier");
    });
  }

  /**
   * Whether every use of the module object bound by `id` is one syntax answers: `new
   * cohere.CohereClient(...)`, or a call of one of its methods (`cohere.init(key)`, a v6 module
   * site; `cohere.generate(...)`, v6's Generate call). Anything else (passed on, a method taken
   * without a call, a computed member) is the compiler's. The method calls are kept for sites().
   */
  private moduleUsesSettle(id: BabelNode | undefined): boolean {
    const name = nameOf(id);
    if (!id || name === undefined) return false;
    const binding = this.resolve(name, id);
    if (!binding || binding === "none" || binding.kind !== "cohere-module" || binding.place.node !== id) return false;
    return (this.byName.get(name) ?? []).every((place) => {
      // Another binding of the name, or a use that sees another one: not this module object's.
      if (place.node === id || this.asBinding(place) || this.resolve(name, place.node) !== binding) return true;
      const member = place.parent;
      // A type under the namespace (`cohere.Cohere.Generation`): typeSites() follows it.
      if (member?.type === "TSQualifiedName" && place.key === "left") return true;
      if (place.key !== "object" || (member?.type !== "MemberExpression" && member?.type !== "OptionalMemberExpression")) return false;
      const method = nameOf(childNode(member, "property"));
      if (field(member, "computed") === true || member.extra?.parenthesized || method === undefined) return false;
      const use = this.places.get(member);
      // `class Mine extends cohere.CohereClient {}`: a base class, which classKind() follows.
      if (use?.key === "superClass" && member.type === "MemberExpression") return true;
      if (use?.key !== "callee") return false;
      if (use.parent?.type === "NewExpression") return member.type === "MemberExpression";
      if (use.parent?.type !== "CallExpression" && use.parent?.type !== "OptionalCallExpression") return false;
      // generate / generateStream are sites of their own (the "module" verdict); the others are v6 module sites.
      if (!own(LEGACY_METHODS, method)) this.moduleCalls.push({ call: use.parent, member });
      return true;
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
      if (place.key !== "property" && namesNoSite(place, (n) => this.places.get(n)?.parent)) continue;
      const found = this.site(place, text, lines);
      if (!found) return undefined;
      if (found === "none") continue;
      if (found.from) {
        out.imported.push({ ...found.from, site: found.site });
        out.undecided.push(found.receiverStart);
      } else out.sites.push(found.site);
    }
    for (const { call, member } of this.moduleCalls) {
      const receiver = childNode(member, "object") as BabelNode;
      out.sites.push({
        kind: "v6-module",
        client: "v6",
        certainty: "certain",
        start: call.start,
        end: call.end,
        span: lines.span(call.start, call.end),
        callee: text.slice(member.start, member.end),
        receiver: text.slice(receiver.start, receiver.end),
      });
    }
    out.sites.sort((a, b) => a.start - b.start);
    return out;
  }

  /**
   * The Generate types the file names (`Cohere.GenerateRequest`, `import("cohere-ai").Cohere.Generation`,
   * an imported `Generation`), as the detector's legacyTypePath finds them; undefined when a name's
   * first part cannot be followed here (the compiler's).
   */
  typeSites(text: string): CallSite[] | undefined {
    const lines = new LineMap(text);
    const sites: CallSite[] = [];
    for (const node of this.typePaths) {
      const found = this.typePath(node);
      if (found === undefined) return undefined;
      if (found === "none") continue;
      sites.push({ kind: "generate-type", client: "v1", certainty: "certain", start: found.start, end: found.end, span: lines.span(found.start, found.end), callee: text.slice(found.start, found.end), typeRenamed: found.renamed });
    }
    return sites;
  }

  /** The span of a Generate type a node names, "none" when it names none, undefined when the compiler must tell. */
  private typePath(node: BabelNode): { start: number; end: number; renamed: boolean } | "none" | undefined {
    let head: BabelNode | undefined;
    let start = node.start;
    let end = node.end;
    let valueSpace = false;
    if (node.type === "TSImportType") {
      // `typeof import("cohere-ai")...`: the compiler's node starts at `typeof`.
      if (this.places.get(node)?.parent?.type === "TSTypeQuery") return undefined;
      const argument = childNode(node, "argument");
      const qualifier = childNode(node, "qualifier");
      const spec = argument?.type === "StringLiteral" ? String(field(argument, "value")) : undefined;
      if (!qualifier) return "none";
      const rest = pathNames(qualifier);
      if (spec === undefined || !rest) return undefined;
      if (!LEAF_NAMES.has(rest[rest.length - 1]) || !isCohereSpecifier(spec)) return "none";
      const path = apiPath({ spec, imported: "*" }, rest);
      return isLegacyPath(path) ? { start, end, renamed: RENAMED_TYPE_PATHS.has(path ?? "") } : "none";
    }
    if (node.type === "ClassDeclaration" || node.type === "ClassExpression") {
      // `class A extends B<T>`: the compiler's ExpressionWithTypeArguments spans the base and its type arguments.
      head = childNode(node, "superClass");
      if (!head || head.extra?.parenthesized) return head ? undefined : "none";
      start = head.start;
      end = childNode(node, "superTypeParameters")?.end ?? head.end;
      valueSpace = true;
    } else head = childNode(node, node.type === "TSTypeReference" ? "typeName" : "expression");
    const names = head && pathNames(head);
    // A base that is a call or a computed member names no type.
    if (!names) return valueSpace ? "none" : undefined;
    if (names.length > 1 && !LEAF_NAMES.has(names[names.length - 1])) return "none";
    let first = head as BabelNode;
    while (first.type !== "Identifier") first = (childNode(first, "left") ?? childNode(first, "object")) as BabelNode;
    const origin = this.typeOrigin(first, valueSpace, names.length > 1);
    if (origin === undefined || origin === "none") return origin;
    const path = apiPath(origin, names.slice(1));
    // A heritage clause (`interface Cached extends Cohere.Generation`) keeps its type, marked.
    const heritage = valueSpace || node.type === "TSExpressionWithTypeArguments" || node.type === "TSInterfaceHeritage";
    return isLegacyPath(path) ? { start, end, renamed: RENAMED_TYPE_PATHS.has(path ?? "") && !heritage } : "none";
  }

  /**
   * The cohere-ai import a type's first name refers to, as the checker's symbol declarations show
   * it: a named import, or a namespace import ("*"). "none": another declaration, or none (a
   * global, a type parameter). undefined: a value that a type name would look through (the
   * checker's meanings differ from one scope list), or anything not followed here.
   */
  private typeOrigin(first: BabelNode, valueSpace: boolean, qualified: boolean): Origin | "none" | undefined {
    const name = String(field(first, "name"));
    if (!valueSpace && this.typeParameters.has(name)) return undefined;
    const binding = this.resolve(name, first);
    if (binding === "none") return "none";
    if (!binding) return undefined;
    switch (binding.kind) {
      case "import":
        return { spec: String(field(childNode(binding.declaration, "source") as BabelNode, "value")), imported: binding.imported };
      case "cohere-module":
        // Only `import * as x` is a namespace import; a default import or a require is not.
        if (binding.place.parent?.type === "ImportNamespaceSpecifier") return { spec: String(field(childNode(binding.statement, "source") as BabelNode, "value")), imported: "*" };
        return binding.place.parent?.type === "ImportDefaultSpecifier" ? "none" : undefined;
      case "package-import":
      case "module-import":
        return "none";
      // A type name looks past a value binding (and a value past a type's) to an outer one, and the
      // first name of `A.B` past anything that is no namespace (an interface, an alias, a class).
      case "class":
        return qualified && !valueSpace ? undefined : "none";
      case "interface":
      case "type-alias":
        return valueSpace || qualified ? undefined : "none";
      default:
        return valueSpace ? "none" : undefined;
    }
  }

  private site(place: Place, text: string, lines: LineMap): { site: CallSite; from?: ImportedReceiver; receiverStart: number } | "none" | undefined {
    const member = place.parent;
    if (!member || place.key !== "property" || (member.type !== "MemberExpression" && member.type !== "OptionalMemberExpression")) return undefined;
    if (field(member, "computed") === true || member.extra?.parenthesized) return undefined;
    const memberPlace = this.places.get(member);
    const call = memberPlace?.parent;
    if (!call || memberPlace.key !== "callee" || (call.type !== "CallExpression" && call.type !== "OptionalCallExpression")) return undefined;
    const receiver = childNode(member, "object");
    if (!receiver || receiver.extra?.parenthesized) return undefined;
    const verdict = this.receiverValue(receiver);
    if (verdict === undefined) return undefined;
    // Not a client, or unknown in a file that does not import cohere-ai: the detector reports nothing.
    if (verdict === "not" || (verdict === "unknown" && !this.importsCohere)) return "none";
    const method = LEGACY_METHODS[String(field(place.node, "name"))];
    // The module object: v6's `cohere.generate(...)`; it has no generateStream.
    if (verdict === "module" && method !== "generate") return "none";
    const request = this.requestFacts(call);
    if (!request) return undefined;
    const kind: SiteKind = verdict === "module" ? "v6-generate" : method;
    const site: CallSite = {
      kind,
      // An imported receiver's client is its module's answer; set when that is known.
      client: verdict === "v2" ? "v2" : verdict === "module" ? "v6" : "v1",
      certainty: verdict === "unknown" ? "possible" : "certain",
      start: call.start,
      end: call.end,
      span: lines.span(call.start, call.end),
      callee: text.slice(member.start, member.end),
      receiver: text.slice(receiver.start, receiver.end),
      ...request,
    };
    return { site, receiverStart: receiver.start, ...(typeof verdict === "object" ? { from: verdict } : {}) };
  }

  /** The resolver's requestFacts for a request written in place (a literal without spreads), or undefined. */
  private requestFacts(call: BabelNode): Pick<CallSite, "requestVisible" | "requestSpreads" | "requestModel"> | undefined {
    const args = childNodes(call, "arguments");
    // cohere-ai 2.x: cohere.generate("large", { prompt }), the model first (see detect-file's requestArgument).
    const arg = args.length === 2 && (args[0].type === "StringLiteral" || (args[0].type === "TemplateLiteral" && literalText(args[0]) !== undefined)) && args[1].type === "ObjectExpression" ? args[1] : args[0];
    if (!arg) return { requestVisible: false };
    const request = skipNonNull(arg);
    // A name bound to a literal is the checker's to follow (a const used once); a spread's type too.
    if (request.type === "Identifier") return undefined;
    if (request.type !== "ObjectExpression") return { requestVisible: false };
    // A spread is the checker's to type, unless its type is plainly `any` there (unknown to migrate).
    const spreads: SpreadType[] = [];
    for (const property of childNodes(request, "properties")) {
      if (property.type !== "SpreadElement") continue;
      const argument = childNode(property, "argument");
      if (!argument || !this.anyTyped(argument)) return undefined;
      spreads.push({ start: argument.start, unknown: true });
    }
    const withSpreads = spreads.length ? { requestSpreads: spreads } : {};
    for (const property of childNodes(request, "properties")) {
      if (property.type !== "ObjectProperty" || field(property, "computed") === true) continue;
      const key = childNode(property, "key");
      const name = key?.type === "Identifier" ? nameOf(key) : key?.type === "StringLiteral" ? String(field(key, "value")) : undefined;
      if (name !== "model") continue;
      const value = childNode(property, "value");
      if (!value) return undefined;
      if (literalText(value) !== undefined) return { requestVisible: true, ...withSpreads };
      // `model: MODEL`, `{ model }`: the checker's type of the name, where syntax shows it.
      const known = value.type === "Identifier" ? this.modelNamed(value) : undefined;
      // Written shorthand, the checker sees the object literal's property, whose type is widened (string).
      const literal = field(property, "shorthand") === true ? undefined : known?.value;
      return known && { requestVisible: true, ...withSpreads, ...(literal !== undefined ? { requestModel: { start: value.start, value: literal } } : {}) };
    }
    return { requestVisible: true, ...withSpreads };
  }

  /**
   * Whether a value's type is `any` in the single-file program of the compiler's detector, where
   * no import resolves and no lib file is loaded: a name imported (from a package or a module of
   * the repository) or declared nowhere, a call of one or of its method (`Object.fromEntries(...)`),
   * an untyped parameter of a TypeScript function or method, a const bound to such a value, or
   * `this.method(...)` whose every return is one. False: the compiler types it.
   */
  private anyTyped(e: BabelNode): boolean {
    if (e.extra?.parenthesized || this.following.has(e)) return false;
    this.following.add(e);
    try {
      switch (e.type) {
        case "AwaitExpression": {
          const argument = childNode(e, "argument");
          return argument !== undefined && this.anyTyped(argument);
        }
        case "Identifier":
          return this.anyName(e);
        case "CallExpression": {
          const callee = childNode(e, "callee");
          if (!callee || callee.extra?.parenthesized) return false;
          if (callee.type === "Identifier") return this.unresolvedName(callee);
          if (callee.type !== "MemberExpression" || field(callee, "computed") === true) return false;
          const object = childNode(callee, "object");
          if (object?.type === "Identifier") return !object.extra?.parenthesized && this.unresolvedName(object);
          const method = nameOf(childNode(callee, "property"));
          return object?.type === "ThisExpression" && method !== undefined && this.anyMethodResult(callee, method);
        }
        default:
          return false;
      }
    } finally {
      this.following.delete(e);
    }
  }

  /** A name the single-file checker cannot resolve: imported, or declared nowhere (no lib is loaded). */
  private unresolvedName(id: BabelNode): boolean {
    const name = String(field(id, "name"));
    const binding = this.resolve(name, id);
    // The names a program without lib files still knows (or treats specially in JavaScript).
    if (binding === "none") return !INTRINSIC_NAMES.has(name);
    return binding !== null && (binding.kind === "package-import" || binding.kind === "module-import");
  }

  /** A name whose value is `any` to the single-file checker. */
  private anyName(id: BabelNode): boolean {
    if (this.unresolvedName(id)) return true;
    const binding = this.resolve(String(field(id, "name")), id);
    if (!binding || binding === "none") return false;
    if (binding.kind === "parameter") {
      if (binding.place.node.type !== "Identifier") return false;
      const annotation = typeAnnotationOf(binding.place.node);
      if (annotation) return this.anyType(annotation);
      // Untyped: any in a declared function or method; an arrow or expression may be contextually typed.
      return this.typescript && (binding.fn.type === "FunctionDeclaration" || binding.fn.type === "ClassMethod");
    }
    if (binding.kind !== "variable" || field(binding.declaration, "kind") !== "const") return false;
    // In JavaScript a JSDoc `@type` above the const would be its type.
    if (!this.typescript && hasDocComment(binding.declaration)) return false;
    const annotation = typeAnnotationOf(childNode(binding.declarator, "id"));
    if (annotation) return this.anyType(annotation);
    const init = childNode(binding.declarator, "init");
    return init !== undefined && this.anyTyped(init);
  }

  /**
   * Whether a JSDoc comment sits on a function or on what holds it (`/** ... *\/ const f = (co) =>`,
   * a method, `exports.f = function`, an object's method): there it can type the parameters.
   */
  private jsDocAbove(fn: BabelNode, param: string): boolean {
    for (let node: BabelNode | undefined = fn, hops = 0; node && hops < 5; node = this.places.get(node)?.parent, hops++) {
      if (jsDocTypes(docCommentText(node), param)) return true;
      if (node.type === "Program" || node.type === "BlockStatement" || node.type === "ClassBody") return false;
    }
    return false;
  }

  /** A type annotation that is `any` to the single-file checker: `any`, or a name it cannot resolve (`Partial<Imported>`). */
  private anyType(annotation: BabelNode): boolean {
    if (annotation.type === "TSAnyKeyword") return true;
    if (annotation.type !== "TSTypeReference") return false;
    let head = childNode(annotation, "typeName");
    while (head?.type === "TSQualifiedName") head = childNode(head, "left");
    const name = nameOf(head);
    // A type parameter has no binding here (Babel keeps its name as a string): never taken for a global.
    return head !== undefined && name !== undefined && !this.typeParameters.has(name) && this.unresolvedName(head);
  }

  /**
   * `this.method(...)` in an instance method of a class whose one member of that name is a plain
   * instance method without a return type, every `return` of which gives an `any` value: the
   * checker infers `any` for it.
   */
  private anyMethodResult(callee: BabelNode, method: string): boolean {
    let fn: BabelNode | undefined;
    for (let n = this.places.get(callee)?.parent; n; n = this.places.get(n)?.parent) {
      if (n.type === "ArrowFunctionExpression") continue;
      if (FUNCTIONS.has(n.type) || n.type === "ClassDeclaration" || n.type === "ClassExpression" || n.type === "ClassProperty") {
        fn = n;
        break;
      }
    }
    if (fn?.type !== "ClassMethod" || field(fn, "kind") !== "method" || field(fn, "static") === true) return false;
    const body = this.places.get(fn)?.parent;
    if (body?.type !== "ClassBody") return false;
    const members = childNodes(body, "body").filter((m) => field(m, "computed") !== true && nameOf(childNode(m, "key")) === method);
    const target = members[0];
    if (members.length !== 1 || target.type !== "ClassMethod" || field(target, "kind") !== "method" || field(target, "static") === true) return false;
    if (field(target, "async") === true || field(target, "generator") === true || childNode(target, "returnType")) return false;
    const returns: BabelNode[] = [];
    const collect = (node: BabelNode): void => {
      if (node.type === "ReturnStatement") returns.push(node);
      if (FUNCTIONS.has(node.type) || node.type === "ClassDeclaration" || node.type === "ClassExpression") return;
      for (const k of Object.keys(node)) {
        if (NOT_CHILDREN.has(k)) continue;
        const value = field(node, k);
        if (Array.isArray(value)) value.filter(isNode).forEach(collect);
        else if (isNode(value)) collect(value);
      }
    };
    const block = childNode(target, "body");
    if (!block) return false;
    collect(block);
    return returns.length > 0 && returns.every((r) => {
      const argument = childNode(r, "argument");
      return argument !== undefined && this.anyTyped(argument);
    });
  }

  /**
   * What the checker's type of a model name says, where syntax shows it: a `const` bound to a
   * string has that literal type (the request's model); an untyped parameter in TypeScript (any)
   * or one typed `string` has none. undefined: the compiler decides (a `let`, an import, JSDoc).
   */
  private modelNamed(id: BabelNode): { value: string | undefined } | undefined {
    const binding = this.resolve(String(field(id, "name")), id);
    if (!binding || binding === "none") return undefined;
    if (binding.kind === "variable") {
      if (field(binding.declaration, "kind") !== "const" || typeAnnotationOf(childNode(binding.declarator, "id"))) return undefined;
      // In JavaScript a JSDoc `@type` above the const would be its type.
      if (!this.typescript && hasDocComment(binding.declaration)) return undefined;
      const init = childNode(binding.declarator, "init");
      const value = init && !init.extra?.parenthesized ? literalText(init) : undefined;
      return value === undefined ? undefined : { value };
    }
    if (binding.kind === "parameter" && binding.place.node.type === "Identifier") {
      const annotation = typeAnnotationOf(binding.place.node);
      if (annotation) return annotation.type === "TSStringKeyword" ? { value: undefined } : undefined;
      // Untyped: any, unless the function is contextually typed (an arrow or function passed on
      // or assigned takes its parameters' types from there), or JSDoc types it (JavaScript).
      const declared = binding.fn.type === "FunctionDeclaration" || binding.fn.type === "ClassMethod";
      return this.typescript && declared ? { value: undefined } : undefined;
    }
    return undefined;
  }

  /** A value, as the resolver's classify reads it. */
  private receiverValue(expr: BabelNode): Verdict {
    if (this.following.has(expr)) return undefined;
    this.following.add(expr);
    try {
      return this.classify(skipNonNull(expr));
    } finally {
      this.following.delete(expr);
    }
  }

  private classify(e: BabelNode): Verdict {
    switch (e.type) {
      case "AwaitExpression": {
        const argument = childNode(e, "argument");
        return argument ? this.receiverValue(argument) : undefined;
      }
      case "TSAsExpression":
      case "TSTypeAssertion":
      case "TSSatisfiesExpression": {
        const type = childNode(e, "typeAnnotation");
        const inner = childNode(e, "expression");
        const asType = type ? this.typeKind(type) : undefined;
        return asType === "not" && inner ? this.receiverValue(inner) : asType;
      }
      case "NewExpression": {
        const callee = childNode(e, "callee");
        return callee ? this.classKind(callee) : undefined;
      }
      case "Identifier":
        return this.valueKind(e);
      case "ThisExpression": {
        // `this` is a client only in a class that extends one; a class extending nothing is not.
        const cls = this.enclosingClass(e);
        return cls && !childNode(cls, "superClass") ? "not" : undefined;
      }
      case "MemberExpression":
      case "OptionalMemberExpression": {
        const object = childNode(e, "object");
        const property = nameOf(childNode(e, "property"));
        if (field(e, "computed") !== true && object?.type === "ThisExpression" && property !== undefined) return this.classMemberKind(e, property);
        return undefined;
      }
      case "ConditionalExpression":
        return either([childNode(e, "consequent"), childNode(e, "alternate")].filter((b) => !isNullishNode(b)).map((b) => (b ? this.receiverValue(b) : undefined)));
      case "LogicalExpression":
        return combine([childNode(e, "left"), childNode(e, "right")].map((b) => (b ? this.receiverValue(b) : undefined)));
      case "TemplateLiteral":
        return childNodes(e, "expressions").length === 0 ? "not" : undefined;
      case "CallExpression":
        return this.callResult(e);
      default:
        return NOT_CLIENT_VALUES.has(e.type) ? "not" : undefined;
    }
  }

  /**
   * What a call returns, as the resolver's callResult answers it in a single-file program, where
   * no import resolves and no lib is loaded: `pkg.make()`, `Imported.fromTexts()` or `Global.x()`
   * name a method the checker has no symbol for (unknown), and a function imported from a package
   * makes no client. Anything declared in the file (its function's returns), a function of a
   * repository module (the cross-file project's), or `require` is the compiler's.
   */
  private callResult(call: BabelNode): Verdict {
    const callee = childNode(call, "callee");
    if (!callee || callee.extra?.parenthesized) return undefined;
    if (callee.type === "Identifier") {
      const binding = this.resolve(String(field(callee, "name")), callee);
      if (binding === "none") return this.unresolvedName(callee) ? "unknown" : undefined;
      // A package function handed a function or a type argument may return a client made there
      // (`useMemo(() => new CohereClient(...))`): the compiler's to say (resolver.handedAClient).
      if (binding?.kind === "package-import") return this.handsSomething(call) ? undefined : "not";
      return undefined;
    }
    if (callee.type !== "MemberExpression" || field(callee, "computed") === true) return undefined;
    const object = childNode(callee, "object");
    if (object?.type !== "Identifier" || object.extra?.parenthesized || nameOf(childNode(callee, "property")) === undefined) return undefined;
    return this.unresolvedName(object) ? "unknown" : undefined;
  }

  /** A call given type arguments or a function argument. */
  private handsSomething(call: BabelNode): boolean {
    if (childNode(call, "typeParameters") || childNode(call, "typeArguments")) return true;
    return childNodes(call, "arguments").some((a) => a.type === "ArrowFunctionExpression" || a.type === "FunctionExpression");
  }

  /** A name read as a value, as the resolver's identifier() answers it. */
  private valueKind(id: BabelNode): Verdict {
    const name = String(field(id, "name"));
    const binding = this.resolve(name, id);
    // A name bound nowhere around it (a global): the checker knows nothing of it.
    if (binding === "none") return name === "arguments" ? undefined : "unknown";
    if (!binding) return undefined;
    switch (binding.kind) {
      case "variable":
        return this.variableKind(binding.declarator);
      case "parameter": {
        const annotation = typeAnnotationOf(binding.place.node);
        if (annotation) return this.typeKind(annotation);
        // In JavaScript a JSDoc `@param {CohereClient} co` types it: the compiler reads it.
        if (this.typescript) return "unknown";
        // `/** @type {CohereClient} */ co` on the parameter itself, or a tag above the function.
        const param = String(field(binding.place.node, "name"));
        return /@type\b/.test(docCommentText(binding.place.node)) || this.jsDocAbove(binding.fn, param) ? undefined : "unknown";
      }
      case "module-import":
        return { spec: binding.spec, name: binding.imported };
      // A name cohere-ai exports (a class, a namespace) is not a client; nor is a package's, or a class.
      case "import":
      case "required":
      case "package-import":
      case "class":
        return "not";
      // The module object itself: v6's API.
      case "cohere-module":
        return "module";
      default:
        return undefined;
    }
  }

  /** A `const` or `let`: its annotation, else its initialiser. */
  private variableKind(declarator: BabelNode): Verdict {
    const annotation = typeAnnotationOf(childNode(declarator, "id"));
    if (annotation) {
      const declared = this.typeKind(annotation);
      // As the resolver: `const cohere: LLM = new CohereClient(...)` holds a client its type does not name (possible).
      const init = childNode(declarator, "init");
      if (declared === "not" && init?.type === "NewExpression") {
        const made = this.receiverValue(init);
        if (made === undefined || typeof made === "object") return undefined;
        if (made === "v1" || made === "v2") return "unknown";
      }
      return declared;
    }
    // In JavaScript a JSDoc `@type` above the declaration is its type: the compiler reads it.
    const declaration = this.places.get(declarator)?.parent;
    // (On `export const co = ...` the comment is the export statement's.)
    const statement = declaration ? this.places.get(declaration)?.parent : undefined;
    if (!this.typescript && declaration && /@type\b/.test(docCommentText(declaration) + (statement?.type === "ExportNamedDeclaration" ? docCommentText(statement) : ""))) return undefined;
    const init = childNode(declarator, "init");
    return init ? this.receiverValue(init) : undefined;
  }

  /**
   * What a module exports under `name`, as the cross-file resolver follows it there: a value
   * (`export const co = new CohereClient(...)`, or typed with the class), or with `via` "class" an
   * exported class (`export class Wrapper {}`: what `new Wrapper()` makes). Only a client or not a
   * client; anything else (unknown, from yet another module) is the compiler's.
   */
  exported(name: string, via: ImportedReceiver["via"]): "v1" | "v2" | "not" | undefined {
    const binding = this.resolve(name, this.program);
    if (!binding || binding === "none") return undefined;
    const declaration = binding.kind === "variable" ? binding.declaration : binding.kind === "class" ? binding.node : undefined;
    const statement = declaration ? this.places.get(declaration)?.parent : undefined;
    if (statement?.type !== "ExportNamedDeclaration" || this.places.get(statement)?.parent?.type !== "Program") return undefined;
    let verdict: Verdict;
    if (via === "class") verdict = binding.kind === "class" ? this.classDeclarationKind(binding.node) : undefined;
    else verdict = binding.kind === "variable" ? this.variableKind(binding.declarator) : undefined;
    return verdict === "v1" || verdict === "v2" || verdict === "not" ? verdict : undefined;
  }

  /** What `new` of a class declared here makes: what its base makes, or not a client without one. */
  private classDeclarationKind(cls: BabelNode): Verdict {
    const base = childNode(cls, "superClass");
    if (!base) return "not";
    if (this.following.has(cls)) return undefined;
    this.following.add(cls);
    try {
      const kind = this.classKind(base);
      // Its own generate (class AuditedClient extends CohereClient { generate(req) {...} }): as the resolver says, possible.
      if ((kind === "v1" || kind === "v2") && childNodes(childNode(cls, "body") ?? cls, "body").some((m) => nameOf(childNode(m, "key")) === "generate")) return "unknown";
      return kind;
    } finally {
      this.following.delete(cls);
    }
  }

  /** The client a class expression constructs (the resolver's classKind, for a plain name). */
  private classKind(expr: BabelNode): Verdict {
    if (expr.extra?.parenthesized) return undefined;
    // Handles: new cohere.CohereClient(...), `cohere` the module object.
    if (expr.type === "MemberExpression" && field(expr, "computed") !== true) {
      const object = childNode(expr, "object");
      const name = nameOf(object);
      const binding = name === undefined || !object ? undefined : this.resolve(name, object);
      const property = nameOf(childNode(expr, "property"));
      if (!object || object.extra?.parenthesized || property === undefined || !binding || binding === "none" || binding.kind !== "cohere-module") return undefined;
      return own(CLIENT_CLASSES, property) ?? "not";
    }
    if (expr.type !== "Identifier") return undefined;
    const binding = this.resolve(String(field(expr, "name")), expr);
    // A global class (`Map`, `URL`): the checker has no declaration for it.
    if (binding === "none") return "not";
    if (!binding) return undefined;
    switch (binding.kind) {
      case "import":
      case "required":
        return own(CLIENT_CLASSES, binding.imported) ?? "not";
      case "package-import":
        return "not";
      // Handles: class MyClient extends CohereClient {}, class Agent extends Base {} (Base a package's).
      case "class":
        return this.classDeclarationKind(binding.node);
      // Handles: new Wrapper() with Wrapper from "./wrapper": answered from that module.
      case "module-import":
        return { spec: binding.spec, name: binding.imported, via: "class" };
      default:
        return undefined;
    }
  }

  /** A type annotation, as the resolver's typeKind reads it. */
  private typeKind(annotation: BabelNode): Verdict {
    if (NOT_CLIENT_TYPES.has(annotation.type)) return "not";
    if (annotation.type === "TSAnyKeyword" || annotation.type === "TSUnknownKeyword") return "unknown";
    if (annotation.type === "TSUnionType") return either(childNodes(annotation, "types").filter((t) => !NULLISH_TYPES.has(t.type)).map((t) => this.typeKind(t)));
    if (annotation.type !== "TSTypeReference") return undefined;
    const typeName = childNode(annotation, "typeName");
    // `a.B`: a client only under a cohere-ai namespace import, which the settle never admits.
    if (typeName?.type === "TSQualifiedName") return "not";
    const name = nameOf(typeName);
    // Promise<...>, InstanceType<...> and Awaited<...> are the resolver's own forms.
    if (!typeName || name === undefined || name === "Promise" || name === "InstanceType" || name === "Awaited") return undefined;
    const binding = this.resolve(name, typeName);
    // A name declared nowhere around it (a global type, a type parameter): the resolver answers not.
    if (binding === "none") return "not";
    if (!binding) return undefined;
    switch (binding.kind) {
      case "import":
        return own(CLIENT_CLASSES, binding.imported) ?? "not";
      case "package-import":
      case "interface":
        return "not";
      case "class":
        return childNode(binding.node, "superClass") ? undefined : "not";
      case "type-alias": {
        const aliased = childNode(binding.node, "typeAnnotation");
        if (!aliased || this.following.has(aliased)) return undefined;
        this.following.add(aliased);
        try {
          return this.typeKind(aliased);
        } finally {
          this.following.delete(aliased);
        }
      }
      default:
        return undefined;
    }
  }

  /** `this.name` inside a class: its declared member, as the resolver's classMember reads it. */
  private classMemberKind(member: BabelNode, name: string): Verdict {
    const cls = this.enclosingClass(member);
    const body = cls ? childNode(cls, "body") : undefined;
    if (!cls || !body) return undefined;
    for (const m of childNodes(body, "body")) {
      const key = field(m, "computed") === true ? undefined : nameOf(childNode(m, "key"));
      if (m.type === "ClassProperty" && key === name) {
        const annotation = typeAnnotationOf(m);
        if (annotation) return this.typeKind(annotation);
        const value = childNode(m, "value");
        if (value) return this.receiverValue(value);
        return this.assignedInClass(cls, name, undefined);
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
          return annotation ? this.typeKind(annotation) : "unknown";
        }
      }
    }
    // Handles: constructor() { this.client = new CohereClient(...) } in JavaScript.
    return this.assignedInClass(cls, name, childNode(cls, "superClass") ? "unknown" : "not");
  }

  /** The values `this.name = ...` sets inside a class (not a nested one), combined; `none` when there are none. */
  private assignedInClass(cls: BabelNode, name: string, none: Verdict): Verdict {
    const values: Verdict[] = [];
    for (const { name: set, node } of this.thisAssignments) {
      if (set !== name || node.start < cls.start || node.end > cls.end || this.nearestClass(node) !== cls) continue;
      const right = childNode(node, "right");
      values.push(right ? this.receiverValue(right) : undefined);
    }
    return values.length ? combine(values) : none;
  }

  /** The innermost class around a node, whatever functions lie between. */
  private nearestClass(node: BabelNode): BabelNode | undefined {
    for (let n = this.places.get(node)?.parent; n; n = this.places.get(n)?.parent) {
      if (n.type === "ClassDeclaration" || n.type === "ClassExpression") return n;
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
   * Every binding of a name in the file, when every other occurrence only reads it; null when one
   * occurrence binds it some way not followed here (assigned, destructured, a function, a `var`).
   */
  private bindingsOf(name: string): Binding[] | null {
    const cached = this.bindings.get(name);
    if (cached !== undefined) return cached;
    const found: Binding[] = [];
    let answer: Binding[] | null = found;
    for (const place of this.byName.get(name) ?? []) {
      const binding = this.asBinding(place);
      if (binding) found.push(binding);
      else if (!this.isReadOrNotReference(place)) {
        answer = null;
        break;
      }
    }
    this.bindings.set(name, answer);
    return answer;
  }

  /**
   * The binding a use of the name sees: the one whose scope is the innermost around the use (a
   * name declared again inside a function or block shadows the outer one); "none" when no
   * binding's scope holds the use (a global); null when that cannot be told here.
   */
  private resolve(name: string, use: BabelNode): Binding | "none" | null {
    const all = this.bindingsOf(name);
    if (!all) return null;
    let best: Binding | undefined;
    let bestScope: BabelNode | undefined;
    let tie = false;
    for (const binding of all) {
      const scope = this.scopeOf(binding);
      if (!scope) return null;
      if (scope.start > use.start || use.end > scope.end) continue;
      if (!bestScope || scope.end - scope.start < bestScope.end - bestScope.start) {
        best = binding;
        bestScope = scope;
        tie = false;
      } else if (scope === bestScope) tie = true;
    }
    // Two bindings of one scope (an import and an interface merged, say): the checker's to join.
    if (tie) return null;
    return best ?? "none";
  }

  /** The node a binding is visible in: its function (a parameter), its block, or the module. */
  private scopeOf(binding: Binding): BabelNode | undefined {
    if (binding.kind === "parameter") return binding.fn;
    const statement =
      binding.kind === "variable" ? binding.declaration : binding.kind === "cohere-module" || binding.kind === "required" ? binding.statement : "node" in binding ? binding.node : undefined;
    // Imports are the module's.
    if (!statement) return this.program;
    let holder = this.places.get(statement)?.parent;
    if (holder?.type === "ExportNamedDeclaration" || holder?.type === "ExportDefaultDeclaration") holder = this.places.get(holder)?.parent;
    return holder && (holder.type === "Program" || holder.type === "BlockStatement") ? holder : undefined;
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
      if ((spec.startsWith("./") || spec.startsWith("../") || isResolvedRepoSpecifier(spec)) && !typeOnly) return { kind: "module-import", place, spec, imported: name };
      return isPackageSpecifier(spec) ? { kind: "package-import", place } : undefined;
    }
    if ((parent.type === "ImportDefaultSpecifier" || parent.type === "ImportNamespaceSpecifier") && key === "local") {
      const declaration = this.places.get(parent)?.parent;
      const source = declaration ? childNode(declaration, "source") : undefined;
      const spec = source ? String(field(source, "value")) : "";
      if (declaration?.type !== "ImportDeclaration") return undefined;
      if (isCohereSpecifier(spec)) return { kind: "cohere-module", place, statement: declaration };
      return isPackageSpecifier(spec) ? { kind: "package-import", place } : undefined;
    }
    if (key === "id" && parent.type === "ClassDeclaration") return { kind: "class", place, node: parent };
    if (key === "id" && parent.type === "TSInterfaceDeclaration") return { kind: "interface", place, node: parent };
    if (key === "id" && parent.type === "TSTypeAliasDeclaration") return { kind: "type-alias", place, node: parent };
    if (parent.type === "VariableDeclarator" && key === "id") {
      const declaration = this.places.get(parent)?.parent;
      const init = childNode(parent, "init");
      const arg = init?.type === "CallExpression" && nameOf(childNode(init, "callee")) === "require" ? childNodes(init, "arguments")[0] : undefined;
      if (arg?.type === "StringLiteral" && isCohereSpecifier(String(field(arg, "value")))) {
        const kind = declaration ? field(declaration, "kind") : undefined;
        return declaration?.type === "VariableDeclaration" && (kind === "const" || kind === "let") ? { kind: "cohere-module", place, statement: declaration } : undefined;
      }
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
      const statement = this.places.get(declarator.parent)?.parent;
      const kind = statement ? field(statement, "kind") : undefined;
      if (imported === undefined || statement?.type !== "VariableDeclaration" || (kind !== "const" && kind !== "let")) return undefined;
      return { kind: "required", place, imported, statement };
    }
    return undefined;
  }

}

/** `a.b.c` as its names, from a type name (`TSQualifiedName`) or an expression (non-computed members); undefined for anything else. */
function pathNames(node: BabelNode): string[] | undefined {
  if (node.type === "Identifier") return [String(field(node, "name"))];
  if (node.extra?.parenthesized) return undefined;
  if (node.type === "TSQualifiedName" || (node.type === "MemberExpression" && field(node, "computed") !== true)) {
    const left = childNode(node, node.type === "TSQualifiedName" ? "left" : "object");
    const right = nameOf(childNode(node, node.type === "TSQualifiedName" ? "right" : "property"));
    const names = left && pathNames(left);
    return names && right !== undefined ? [...names, right] : undefined;
  }
  return undefined;
}

function isLegacyPath(path: string | undefined): boolean {
  return path !== undefined && LEGACY_TYPE_PATHS.has(path);
}

/** A package's specifier (`react`, `@langchain/core`): the resolver never follows it (specifier.ts isRepoSpecifier). */
function isPackageSpecifier(spec: string): boolean {
  return !isRepoSpecifier(spec);
}

/** The text of a string literal or a template without substitutions (its cooked value); else undefined. */
function literalText(node: BabelNode): string | undefined {
  if (node.type === "StringLiteral") return String(field(node, "value"));
  if (node.type !== "TemplateLiteral" || childNodes(node, "expressions").length) return undefined;
  const cooked = (childNodes(node, "quasis")[0] as (BabelNode & { value?: { cooked?: unknown } }) | undefined)?.value?.cooked;
  return typeof cooked === "string" ? cooked : undefined;
}

/** Whether a doc comment (`/** ... *\/`) stands right above a node. */
/**
 * Whether JSDoc text types the parameter `name`: an `@param` / `@arg` / `@argument` tag that names
 * it (`co`, `[co]`, `` `co` ``) and holds a type in braces, before or after the name (TypeScript
 * reads `@param co {T}` too), or an `@type` tag, which types the whole function.
 */
function jsDocTypes(doc: string, name: string): boolean {
  if (!doc) return false;
  if (/@type\b/.test(doc)) return true;
  const escaped = name.replace(/\$/g, "\\$");
  for (const tag of doc.split(/(?=@[A-Za-z])/)) {
    if (!/^@(?:param|arg|argument)\b/.test(tag) || !tag.includes("{")) continue;
    // The tag's name: the first word outside the braces (nested braces removed innermost first).
    let bare = tag.replace(/^@\w+/, "");
    for (let i = 0; i < 8 && /\{[^{}]*\}/.test(bare); i++) bare = bare.replace(/\{[^{}]*\}/g, " ");
    if (new RegExp(`^[\\s*]*[\\[\`]?\\s*${escaped}(?![\\w$])`).test(bare)) return true;
  }
  return false;
}

/** The text of the `/** ... *\/` comments before a node, joined. */
function docCommentText(node: BabelNode): string {
  const comments = field(node, "leadingComments");
  if (!Array.isArray(comments)) return "";
  return comments
    .filter((c) => (c as { type?: string }).type === "CommentBlock" && String((c as { value?: string }).value).startsWith("*"))
    .map((c) => String((c as { value?: string }).value))
    .join("\n");
}

function hasDocComment(node: BabelNode): boolean {
  const comments = field(node, "leadingComments");
  return Array.isArray(comments) && comments.some((c) => (c as { type?: string; value?: string }).type === "CommentBlock" && String((c as { value?: string }).value).startsWith("*"));
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
 * `requires` says they bind cohere-ai by `require`, as the module object or in an import type, which must only
 * bind classes by name or construct clients.
 */
export function syntaxSites(program: BabelNode, text: string, methodNames: number, requires: boolean, importsCohere: boolean, typescript: boolean, typeNames: boolean): SyntaxSites | undefined {
  const file = new SyntaxFile(program, importsCohere, typescript);
  if (file.methodCount !== methodNames) return undefined;
  if (requires && !file.cohereBindingsSettle()) return undefined;
  const found = file.sites(text);
  // A Generate type can only be named where the tokens hold one of its names.
  const types = found && typeNames ? file.typeSites(text) : [];
  if (!found || !types) return undefined;
  if (types.length) found.sites = [...found.sites, ...types].sort((a, b) => a.start - b.start);
  return found;
}

/**
 * The nodes a marker may stand above whose span Babel and the compiler agree on (a statement, a
 * declaration, a class member, an object property).
 */
const MARKED_NODES: ReadonlySet<string> = new Set([
  "ExpressionStatement",
  "VariableDeclaration",
  "ReturnStatement",
  "IfStatement",
  "ForStatement",
  "ForOfStatement",
  "ForInStatement",
  "WhileStatement",
  "DoWhileStatement",
  "TryStatement",
  "ThrowStatement",
  "BlockStatement",
  "SwitchStatement",
  "FunctionDeclaration",
  "ClassDeclaration",
  "TSInterfaceDeclaration",
  "TSTypeAliasDeclaration",
  "TSEnumDeclaration",
  "ExportNamedDeclaration",
  "ExportDefaultDeclaration",
  "ExportAllDeclaration",
  "ImportDeclaration",
  "ClassMethod",
  "ClassProperty",
  "ClassPrivateMethod",
  "ClassPrivateProperty",
  "ObjectProperty",
  "ObjectMethod",
]);

/**
 * Where each marker's reach ends, as detect-file.ts's withReach finds it: the end of the outermost
 * node that starts at the first code after the marker (undefined: none starts there, as before a
 * closing bracket). undefined for the whole list when a marker stands above anything else (a
 * parenthesised expression, a decorator, a clause Babel has no node for): the compiler's to place.
 */
export function markerReach(program: BabelNode, text: string, ends: readonly number[]): Array<number | undefined> | undefined {
  const out: Array<number | undefined> = [];
  for (const end of ends) {
    let at = end;
    while (at < text.length && /\s/.test(text[at])) at++;
    if (at >= text.length) {
      out.push(undefined);
      continue;
    }
    let found: BabelNode | undefined;
    let node: BabelNode | undefined = program;
    while (node && !found) {
      let inside: BabelNode | undefined;
      for (const k of Object.keys(node)) {
        if (NOT_CHILDREN.has(k)) continue;
        const value = field(node, k);
        for (const child of Array.isArray(value) ? value : [value]) {
          if (!isNode(child) || child.start > at || child.end <= at) continue;
          inside = child;
          break;
        }
        if (inside) break;
      }
      node = inside;
      if (node && node.start === at) found = node;
    }
    if (found) {
      if (!MARKED_NODES.has(found.type)) return undefined;
      out.push(found.end);
    } else if (/[}\])\],;]/.test(text[at])) out.push(undefined);
    else return undefined;
  }
  return out;
}

/** What a module exports under `name` (a value, or a class to construct), when syntax shows it is a client or not one. */
/** A module's syntax, asked what names it exports are (`exported(name, via)`); kept for several questions. */
export function syntaxFile(program: BabelNode): { exported(name: string, via: ImportedReceiver["via"]): "v1" | "v2" | "not" | undefined } {
  return new SyntaxFile(program);
}

/** What a module says of one name it exports: declared or exported from its own scope, re-exported from another module, or in a way syntax does not follow. */
export type ExportEntry = { kind: "own" } | { kind: "from"; spec: string; name: string } | { kind: "opaque" };

/**
 * A module's ES exports by name, and the modules it re-exports whole (`export * from`): what a
 * barrel leads to, read from the tree (comments and strings are not exports). Type-only exports
 * carry no value and are left out; `export * as ns from`, `export =` and `export import` are
 * opaque. A module's own export of a name wins over every `export *`, as in ES modules.
 */
export function exportTable(program: BabelNode): { names: Map<string, ExportEntry>; stars: string[]; opaque: boolean } {
  const names = new Map<string, ExportEntry>();
  const stars: string[] = [];
  let opaque = false;
  const exportedName = (node: BabelNode | undefined): string | undefined => (node?.type === "StringLiteral" ? String(field(node, "value")) : nameOf(node));
  for (const statement of childNodes(program, "body")) {
    const typeOnly = field(statement, "exportKind") === "type";
    if (statement.type === "ExportAllDeclaration") {
      if (typeOnly) continue;
      const exported = exportedName(childNode(statement, "exported"));
      const spec = childNode(statement, "source");
      if (exported !== undefined) names.set(exported, { kind: "opaque" });
      else if (spec) stars.push(String(field(spec, "value")));
      continue;
    }
    if (statement.type === "ExportDefaultDeclaration") {
      names.set("default", { kind: "own" });
      continue;
    }
    if (statement.type === "TSExportAssignment" || statement.type === "TSImportEqualsDeclaration") {
      if (statement.type === "TSExportAssignment" || field(statement, "isExport") === true) opaque = true;
      continue;
    }
    if (statement.type !== "ExportNamedDeclaration" || typeOnly) continue;
    const source = childNode(statement, "source");
    const declaration = childNode(statement, "declaration");
    if (declaration) {
      if (declaration.type === "VariableDeclaration") {
        for (const d of childNodes(declaration, "declarations")) {
          const id = childNode(d, "id");
          const n = nameOf(id);
          if (n !== undefined) names.set(n, { kind: "own" });
          else opaque = true;
        }
      } else if (!/^TS(Interface|TypeAlias)Declaration$/.test(declaration.type) && field(declaration, "declare") !== true) {
        const n = nameOf(childNode(declaration, "id"));
        if (n !== undefined) names.set(n, { kind: "own" });
      }
    }
    for (const s of childNodes(statement, "specifiers")) {
      if (field(s, "exportKind") === "type") continue;
      const exported = exportedName(childNode(s, "exported"));
      if (exported === undefined) continue;
      if (s.type !== "ExportSpecifier") names.set(exported, { kind: "opaque" });
      else if (source) names.set(exported, { kind: "from", spec: String(field(source, "value")), name: exportedName(childNode(s, "local")) ?? exported });
      else names.set(exported, { kind: "own" });
    }
  }
  return { names, stars, opaque };
}
