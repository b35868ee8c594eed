/**
 * Which `generate` calls of a Python file are Cohere's (SPEC.md "Python"): the receiver is traced,
 * by name and scope, to a `cohere.Client` / `ClientV2` / `AsyncClient` / `AsyncClientV2` however it
 * was imported: module variables, locals, `self.x` attributes set in any method of the class (or
 * `values["x"]` in a pydantic validator), class attributes, annotated parameters and variables,
 * `with ... as` targets, functions that return a client, and names imported from another module of
 * the repository (settled by the engine once it has read that module: `pending`).
 *
 * A receiver traced to anything else (a transformers model, a LangChain LLM, an OpenAI client, a
 * local class) is never reported; one that cannot be traced is a "possible" call only in a file
 * that imports cohere.
 */
import { IGNORE_FILE, IGNORE_LINE, insideString } from "../markers";
import type { CallSite, ClientKind, SiteKind } from "../types";
import { dotted, field, nameOf, named, requestEntries, stringValue, walk, type Node } from "./syntax";
import { requestBlock } from "./request";
import { quoteAt } from "./edits";
import { isGenerateUrl } from "../detect/rest-urls";

export interface ClientType {
  client: Extract<ClientKind, "v1" | "v2">;
  async: boolean;
}

/** The client classes of the `cohere` package, by class name. */
export const CLIENT_CLASSES: ReadonlyMap<string, ClientType> = new Map([
  ["Client", { client: "v1", async: false }],
  ["AsyncClient", { client: "v1", async: true }],
  ["ClientV2", { client: "v2", async: false }],
  ["AsyncClientV2", { client: "v2", async: true }],
]);

/** Modules of the package that export the client classes. */
const COHERE_MODULES: ReadonlySet<string> = new Set(["cohere", "cohere.client", "cohere.client_v2", "cohere.client_async"]);

/** Method names of the legacy API, and the site kind a call of each is. */
const LEGACY_METHODS: ReadonlyMap<string, SiteKind> = new Map([
  ["generate", "generate"],
  ["generate_stream", "generate-stream"],
  // cohere 4.x: one Generate request per prompt of a list (request.ts marks it: no Chat counterpart).
  ["batch_generate", "generate"],
]);

/** A name imported from a module that may be part of the repository. */
export interface ImportRef {
  /** Dotted module path as written, without the leading dots. */
  module: string;
  /** Leading dots of a relative import (0: absolute). */
  level: number;
  /** The imported name, or undefined for `import a.b as m` (the module itself). */
  name?: string;
  /**
   * A pytest fixture looked for in the conftest.py beside the test (not an import written in the
   * file): where there is none, or it defines no such name, the parameter is unknown, not third-party.
   */
  fixture?: boolean;
  /** An attribute a base class of another module may set: where it does not, the receiver stays unknown (a possible call), not third-party. */
  inherited?: boolean;
}

/** What a module-level name of a file is, for the files that import it. */
export type Export =
  | { kind: "client"; type: ClientType }
  | { kind: "factory"; type: ClientType }
  | { kind: "import"; ref: ImportRef; path?: PendingSite["path"] }
  /** A member whose value this module cannot tell (`self.co = make()`, a parameter). */
  | { kind: "unknown" }
  /**
   * A class of the module (`kind: "class"`), or a module-level instance of one (`bot = Bot()`),
   * with its attributes that hold a client or a method returning one (class attributes and
   * `self.x = ...` in its methods): `Clients.co`, `bot.co`, `Bot().co` from another module.
   */
  | { kind: "class" | "instance"; members: Map<string, Export>; open: boolean };

/** A site whose receiver is a name imported from another module: the engine settles it. */
export interface PendingSite {
  site: CallSite;
  ref: ImportRef;
  /** The receiver reads an attribute of the import (`clients.co`) or calls it (`get_client()`). */
  path: Array<{ attr: string } | { call: true }>;
}

/**
 * A client handed to a function of another module (`answer(co, question)`, `answer` imported):
 * that function's parameter holds a client there (the engine re-reads the module with it).
 */
export interface PassedClient {
  /** The function called, as imported (`from qa import answer`: ref; `import qa` then `qa.answer`: ref and path). */
  callee: { ref: ImportRef; path: PendingSite["path"] };
  /** The argument's place: its position among the positional ones, or its keyword. */
  index?: number;
  keyword?: string;
  /** A client made in this module, or a name imported from another (the engine looks it up). */
  arg: { kind: "client"; type: ClientType } | { kind: "import"; ref: ImportRef; path: PendingSite["path"] };
}

/** Parameters of this module's functions that other modules pass a client to, by function name. */
export type ClientParams = ReadonlyMap<string, ReadonlyArray<{ index?: number; keyword?: string; type: ClientType }>>;

export interface PythonDetection {
  sites: CallSite[];
  pending: PendingSite[];
  passes: PassedClient[];
  importsCohere: boolean;
  suppressed: number;
  ignoreFile: boolean;
}

type Value =
  | { kind: "client"; type: ClientType }
  | { kind: "factory"; type: ClientType }
  | { kind: "other" }
  | { kind: "unknown" }
  | { kind: "import"; ref: ImportRef; path: PendingSite["path"] }
  /** A class of this file (not a client class), or an instance of one: never a client itself. */
  | { kind: "class" | "instance"; cls: Scope };

const UNKNOWN: Value = { kind: "unknown" };
const OTHER: Value = { kind: "other" };

interface Scope {
  node: Node;
  kind: "module" | "function" | "class";
  parent?: Scope;
  /** Each assignment to a name, in source order: the value node (or a resolved value). */
  bindings: Map<string, Array<{ at: number; value: () => Value }>>;
  globals: Set<string>;
  /** Class scopes: attributes set through `self.x = ...` in methods or `x = ...` in the body. */
  attributes?: Map<string, Array<() => Value>>;
  /** Function scopes: the `return` values, and the return annotation. */
  returns?: Node[];
  returnAnnotation?: Node;
  /**
   * A generator whose yielded value is what its users get: a `@contextmanager` (`with f() as co`)
   * or a pytest fixture (the test's parameter of its name). Its `yield` values.
   */
  yields?: Node[];
}

/** Decorators under which a generator's yielded value is what its users receive. */
const YIELDING_DECORATOR = /^@\s*(?:[\w.]+\.)?(?:contextmanager|asynccontextmanager|fixture)\b/;
/** pytest's fixture decorator: `@pytest.fixture`, `@fixture(scope="module")`. */
const FIXTURE_DECORATOR = /^@\s*(?:pytest\.)?fixture\b/;


export class PythonDetector {
  private readonly scopes = new Map<number, Scope>();
  private readonly module: Scope;
  /** Local names of the cohere module (`import cohere as co_mod`). */
  private readonly moduleAliases = new Set<string>();
  /** Local names of client classes (`from cohere import Client as CohereClient`). */
  /** Client subclasses of this file that define generate themselves (and their subclasses): their instances are possible clients. */
  private readonly possibleClientClasses = new Set<string>();
  private readonly classNames = new Map<string, ClientType>();
  /** The class definitions of this file that subclass a client class (by node id). */
  private readonly clientClasses = new Set<number>();
  private importsCohere = false;
  private readonly evaluating = new Set<string>();
  /**
   * Values assigned in this file to a path that is not a bare name: `st.session_state.co = ...`,
   * `state["co"] = ...`, and each constant key of a dict literal (`CLIENTS = {"cohere": ...}` gives
   * `CLIENTS["cohere"]`). A read of the same path, anywhere in the file, may be any of them.
   */
  private readonly paths = new Map<string, Array<() => Value>>();
  /** `bot.co = value` outside a method of bot's class: an instance's attribute filled from outside (attributeValue). */
  private readonly instanceFills: Array<{ object: Node; scope: Scope; attr: string; value: () => Value }> = [];
  /** Classes and attribute names whose outside fills are being evaluated (a fill's object may lead back to them). */
  private readonly fillsInProgress = new Set<string>();

  /** Calls of each module-level function of this file, by name (passedValue). */
  private readonly callsByName = new Map<string, Node[]>();

  constructor(
    private readonly root: Node,
    private readonly text: string,
    /** What other modules pass to this module's functions (engine: a second reading with them). */
    private readonly clientParams?: ClientParams,
  ) {
    this.module = this.newScope(root, "module");
    this.collect(root, this.module);
  }

  private newScope(node: Node, kind: Scope["kind"], parent?: Scope): Scope {
    const scope: Scope = { node, kind, parent, bindings: new Map(), globals: new Set() };
    if (kind === "class") scope.attributes = new Map();
    if (kind === "function") scope.returns = [];
    this.scopes.set(node.id, scope);
    return scope;
  }

  private bind(scope: Scope, name: string, at: number, value: () => Value): void {
    const target = scope.globals.has(name) ? this.module : scope;
    const list = target.bindings.get(name) ?? [];
    list.push({ at, value });
    target.bindings.set(name, list);
  }

  /** The class whose method `scope` is (for `self.x`), with the name of its first parameter. */
  private methodOf(scope: Scope): { cls: Scope; self: string } | undefined {
    if (scope.kind !== "function" || scope.parent?.kind !== "class") return undefined;
    const params = field(scope.node, "parameters");
    const first = params ? named(params).find((p) => p.type !== "comment") : undefined;
    const self = first ? (nameOf(first) ?? nameOf(field(first, "name")) ?? nameOf(named(first)[0])) : undefined;
    return self ? { cls: scope.parent, self } : undefined;
  }

  // ---- pass 1: scopes, imports, bindings --------------------------------------------------------

  private collect(node: Node, scope: Scope): void {
    switch (node.type) {
      case "import_statement":
        return this.importStatement(node, scope);
      case "import_from_statement":
        return this.importFrom(node, scope);
      case "global_statement":
      case "nonlocal_statement":
        for (const n of named(node)) if (n.type === "identifier") scope.globals.add(n.text);
        return;
      case "class_definition": {
        const name = field(node, "name");
        const inner = this.newScope(node, "class", scope);
        // Handles: class RetryingClient(cohere.Client): ...; co = RetryingClient(api_key=...) (a client)
        const bases = field(node, "superclasses");
        const base = bases ? named(bases).map((b) => this.classType(b)).find((t) => t !== undefined) : undefined;
        // A client subclass that defines generate itself (an audit log, a prompt prefix): a Chat call
        // would skip it, so its instances' calls are possible, for a person (as in TypeScript). One that
        // defines only generate_stream is still a client for generate.
        const ownGenerate = definesMethod(node, "generate");
        // (A subclass of such a class is one too: class Leaf(AuditedClient).)
        // Handles: a proxy that forwards what it lacks to what it holds (`def __getattr__(self, name):
        // return getattr(self._co, name)`, a retry wrapper): its `generate` may be a client's. Possible.
        const proxy = !ownGenerate && (definesMethod(node, "__getattr__") || definesMethod(node, "__getattribute__"));
        const possible = (base && ownGenerate) || proxy || (bases ? named(bases).some((b) => this.possibleClientClasses.has(b.text)) : false);
        if (name && possible) this.possibleClientClasses.add(name.text);
        if (name) this.bind(scope, name.text, node.startIndex, () => (possible ? UNKNOWN : { kind: "class", cls: inner }));
        if (name && base && !ownGenerate) {
          this.classNames.set(name.text, base);
          this.clientClasses.add(node.id);
        }
        const body = field(node, "body");
        if (body) this.collect(body, inner);
        return;
      }
      case "function_definition":
      case "lambda": {
        const inner = this.newScope(node, "function", scope);
        const name = field(node, "name");
        if (name) {
          this.bind(scope, name.text, node.startIndex, () => this.functionValue(inner));
          // A method is a factory when it returns a client (`self.client()`, `LLM.instance()`); a
          // property (`@property`, `@cached_property`) is what it returns (`self.client`).
          if (scope.kind === "class") {
            const property = node.parent?.type === "decorated_definition" && named(node.parent).some((d) => d.type === "decorator" && /^@\s*(?:[\w.]+\.)?(?:property|cached_property)\s*$/.test(d.text));
            this.addAttribute(scope, name.text, () => {
              const value = this.functionValue(inner);
              return value.kind === "factory" && property ? { kind: "client", type: value.type } : property ? OTHER : value;
            });
          }
        }
        inner.returnAnnotation = field(node, "return_type");
        const decorators = node.parent?.type === "decorated_definition" ? named(node.parent).filter((d) => d.type === "decorator") : [];
        if (decorators.some((d) => YIELDING_DECORATOR.test(d.text))) inner.yields = [];
        const params = field(node, "parameters");
        // Handles: def test_completion(cohere_client): a pytest test's parameters are fixtures.
        // So are a fixture's own parameters (`def generation(cohere_client)` under @pytest.fixture).
        const fixture = decorators.some((d) => FIXTURE_DECORATOR.test(d.text));
        const test = node.type === "function_definition" && (fixture || (/^test/.test(name?.text ?? "") && (scope.kind === "module" || (scope.kind === "class" && /^Test/.test(field(scope.node, "name")?.text ?? "")))));
        if (params) this.parameters(params, inner, test ? scope : undefined);
        const body = field(node, "body");
        if (body) this.collect(body, inner);
        return;
      }
      case "assignment":
        this.assignment(node, scope);
        break;
      case "augmented_assignment": {
        const left = field(node, "left");
        if (left?.type === "identifier") this.bind(scope, left.text, node.startIndex, () => OTHER);
        break;
      }
      case "named_expression": {
        const name = field(node, "name");
        const value = field(node, "value");
        if (name && value) this.bind(scope, name.text, node.startIndex, () => this.evaluate(value, scope));
        break;
      }
      case "with_item": {
        const value = field(node, "value");
        // `with cohere.Client() as co:` parses as an as_pattern inside the with_item.
        if (value?.type === "as_pattern") {
          const target = named(value).find((c) => c.type === "as_pattern_target");
          const expr = named(value)[0];
          const name = target ? named(target)[0] : undefined;
          if (name?.type === "identifier" && expr) this.bind(scope, name.text, node.startIndex, () => this.evaluate(expr, scope));
        }
        break;
      }
      case "for_statement":
      case "for_in_clause": {
        const left = field(node, "left");
        const right = field(node, "right");
        // Handles: for name, client in CLIENTS.items() with CLIENTS = {"prod": cohere.Client()}: a
        // loop over a collection this file fills with clients may give one (possible).
        const value = right && this.holdsClients(right, scope) ? UNKNOWN : OTHER;
        if (left) for (const n of identifiersOf(left)) this.bind(scope, n.text, node.startIndex, () => value);
        break;
      }
      case "return_statement":
        if (scope.kind === "function") {
          const value = named(node)[0];
          if (value) scope.returns?.push(value);
        }
        break;
      case "yield":
        if (scope.kind === "function" && scope.yields) {
          const value = named(node).find((c) => c.type !== "comment");
          if (value) scope.yields.push(value);
        }
        break;
    }
    for (const child of named(node)) this.collect(child, scope);
  }

  private importStatement(node: Node, scope: Scope): void {
    for (const item of named(node)) {
      const aliased = item.type === "aliased_import";
      const path = aliased ? field(item, "name") : item;
      const alias = aliased ? field(item, "alias") : undefined;
      if (!path || path.type !== "dotted_name") continue;
      const modulePath = path.text.replace(/\s+/g, "");
      const top = modulePath.split(".")[0];
      if (top === "cohere") {
        this.importsCohere = true;
        // `import cohere.client` binds `cohere`; `import cohere.client as cc` binds the submodule.
        if (!alias || COHERE_MODULES.has(modulePath)) this.moduleAliases.add(alias?.text ?? "cohere");
        continue;
      }
      const local = alias?.text ?? top;
      const ref: ImportRef = { module: alias ? modulePath : top, level: 0 };
      this.bind(scope, local, node.startIndex, () => ({ kind: "import", ref, path: [] }));
    }
  }

  private importFrom(node: Node, scope: Scope): void {
    const moduleNode = field(node, "module_name");
    if (!moduleNode) return;
    const raw = moduleNode.text.replace(/\s+/g, "");
    const level = /^\.*/.exec(raw)?.[0].length ?? 0;
    const modulePath = raw.slice(level);
    const fromCohere = level === 0 && modulePath.split(".")[0] === "cohere";
    // The import migrate itself adds (`from cohere import UserChatMessageV2`) is not the file
    // using cohere: an unknown receiver there is no more a possible call than before migration.
    const ownImport = modulePath === "cohere" && named(node).slice(1).every((item) => (item.type === "aliased_import" ? field(item, "name")?.text : item.text) === "UserChatMessageV2");
    if (fromCohere && !ownImport) this.importsCohere = true;
    const wildcard = named(node).some((c) => c.type === "wildcard_import");
    if (wildcard && fromCohere && COHERE_MODULES.has(modulePath)) {
      for (const [name, type] of CLIENT_CLASSES) this.classNames.set(name, type);
      return;
    }
    // Handles: from clients import * (clients.py: co = cohere.Client(key)): a name this module
    // never binds may come from there (resolveName).
    if (wildcard && !fromCohere && scope === this.module) {
      this.starImports.push({ module: modulePath, level });
      return;
    }
    for (const item of named(node)) {
      if (item.id === moduleNode.id) continue;
      const aliased = item.type === "aliased_import";
      const nameNode = aliased ? field(item, "name") : item;
      if (!nameNode || nameNode.type !== "dotted_name") continue;
      const name = nameNode.text;
      const local = (aliased ? field(item, "alias")?.text : undefined) ?? name;
      if (fromCohere) {
        const type = COHERE_MODULES.has(modulePath) ? CLIENT_CLASSES.get(name) : undefined;
        if (type) this.classNames.set(local, type);
        else if (modulePath === "cohere" && (name === "client" || name === "client_v2")) this.moduleAliases.add(local);
        continue;
      }
      const ref: ImportRef = { module: modulePath, level, name };
      this.bind(scope, local, node.startIndex, () => ({ kind: "import", ref, path: [] }));
    }
  }

  private parameters(params: Node, scope: Scope, fixturesFrom?: Scope): void {
    /** The next positional parameter's position; undefined after `*` or `*args` (keyword-only from there). */
    let position: number | undefined = 0;
    for (const p of named(params)) {
      if (p.type === "list_splat_pattern" || p.type === "keyword_separator" || p.type === "dictionary_splat_pattern") position = undefined;
      if (p.type === "positional_separator") continue;
      const at = position;
      if (position !== undefined && (p.type === "identifier" || p.type === "typed_parameter" || p.type === "default_parameter" || p.type === "typed_default_parameter")) position++;
      let nameNode: Node | undefined;
      let annotation: Node | undefined;
      let fallback: Node | undefined;
      switch (p.type) {
        case "identifier":
          nameNode = p;
          break;
        case "typed_parameter":
          nameNode = named(p).find((c) => c.type === "identifier");
          annotation = field(p, "type");
          break;
        case "default_parameter":
          nameNode = field(p, "name");
          fallback = field(p, "value");
          break;
        case "typed_default_parameter":
          nameNode = field(p, "name");
          annotation = field(p, "type");
          fallback = field(p, "value");
          break;
        default:
          continue;
      }
      if (!nameNode) continue;
      const name = nameNode.text;
      const ann = annotation;
      const def = fallback;
      this.bind(scope, nameNode.text, p.startIndex, () => {
        if (ann) return this.annotationValue(ann, scope);
        if (def) {
          const v = this.evaluate(def, scope);
          // A default imported from another module (`co=Depends(get_client)`, get_client there) is settled there.
          if (v.kind === "client" || v.kind === "import") return v;
          // Handles: def summarize(text, client=None), every call passing a client: the default is never used with a call.
          return (def.type === "none" ? this.passedValue(scope, name, at) : undefined) ?? UNKNOWN;
        }
        if (fixturesFrom) return this.fixtureValue(name, fixturesFrom);
        return this.passedValue(scope, name, at) ?? UNKNOWN;
      });
    }
  }

  private assignment(node: Node, scope: Scope): void {
    const left = field(node, "left");
    const right = field(node, "right");
    const annotation = field(node, "type");
    if (!left) return;
    const value = (): Value => {
      if (annotation) {
        const a = this.annotationValue(annotation, scope);
        if (a.kind === "client") return a;
      }
      return right ? this.evaluate(right, scope) : UNKNOWN;
    };
    if (left.type === "identifier" || left.type === "attribute" || left.type === "subscript") this.keepPath(left, value);
    if (left.type === "identifier" && right?.type === "dictionary") {
      // Handles: CLIENTS = {"cohere": cohere.Client(key)}; CLIENTS["cohere"].generate(...)
      for (const pair of named(right)) {
        const key = pair.type === "pair" ? constantKey(field(pair, "key")) : undefined;
        const entry = pair.type === "pair" ? field(pair, "value") : undefined;
        if (key !== undefined && entry) this.keepPath(left, () => this.evaluate(entry, scope), key);
      }
    }
    if (left.type === "identifier") {
      this.bind(scope, left.text, node.startIndex, value);
      if (scope.kind === "class") this.addAttribute(scope, left.text, value);
      return;
    }
    if (left.type === "attribute") {
      const object = field(left, "object");
      const attr = field(left, "attribute");
      const method = this.methodOf(scope);
      if (method && attr && nameOf(object) === method.self) this.addAttribute(method.cls, attr.text, value);
      else if (attr && object?.type === "identifier") this.instanceFills.push({ object, scope, attr: attr.text, value });
      return;
    }
    if (left.type === "subscript") {
      // Pydantic root validators set fields through the values dict: `values["client"] = cohere.Client(...)`.
      const object = field(left, "value");
      const key = stringValue(field(left, "subscript"));
      const cls = this.enclosingClass(scope);
      if (cls && key && nameOf(object) === "values") this.addAttribute(cls, key, value);
      return;
    }
    // Handles: co, key = cohere.Client(), os.environ["K"]: each name its own value, by position.
    const targets = left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern" ? named(left) : [];
    const values = right && (right.type === "expression_list" || right.type === "tuple" || right.type === "list") ? named(right).filter((c) => c.type !== "comment") : [];
    if (targets.length && targets.length === values.length && targets.every((t) => t.type === "identifier")) {
      targets.forEach((t, i) => this.bind(scope, t.text, node.startIndex, () => this.evaluate(values[i], scope)));
      return;
    }
    // Handles: co, docs = load_resources() with `return co, docs` there: each name its element of
    // the function's returned tuples.
    if (targets.length && targets.every((t) => t.type === "identifier") && right?.type === "call" && right.parent && field(right, "function")?.type === "identifier") {
      const fnName = field(right, "function")?.text ?? "";
      targets.forEach((t, i) => this.bind(scope, t.text, node.startIndex, () => this.returnedElement(fnName, i, targets.length)));
      return;
    }
    for (const n of identifiersOf(left)) this.bind(scope, n.text, node.startIndex, () => OTHER);
  }

  /**
   * Element `index` of the `count`-tuples a module-level function of this file returns: a client
   * when every return has one there, possible when some do, unknown when a return is not such a
   * tuple (or no such function is here).
   */
  private returnedElement(fnName: string, index: number, count: number): Value {
    const fn = [...this.scopes.values()].find((s) => s.kind === "function" && s.parent === this.module && field(s.node, "name")?.text === fnName);
    if (!fn?.returns?.length) return UNKNOWN;
    let type: ClientType | undefined;
    let other = false;
    for (const r of fn.returns) {
      if (r.type === "none") continue;
      const items = r.type === "expression_list" || r.type === "tuple" ? named(r).filter((c) => c.type !== "comment") : undefined;
      if (!items || items.length !== count) return UNKNOWN;
      const v = this.evaluate(items[index], fn);
      if (v.kind === "client") type = v.type;
      else other = true;
    }
    if (type) return other ? UNKNOWN : { kind: "client", type };
    return OTHER;
  }

  /** Whether an iterable is (the items or values of) a list, tuple or dict literal, or a name bound to one, that holds a client. */
  private holdsClients(iterable: Node, scope: Scope): boolean {
    let n = iterable;
    if (n.type === "call" && /^(items|values)$/.test(field(field(n, "function") ?? n, "attribute")?.text ?? "")) n = field(field(n, "function") ?? n, "object") ?? n;
    const literal = (x: Node | undefined): Node | undefined => {
      if (!x) return undefined;
      if (x.type === "list" || x.type === "tuple" || x.type === "dictionary") return x;
      if (x.type !== "identifier") return undefined;
      let found: Node | undefined;
      walk(this.root, (m) => {
        if (found) return false;
        if (m.type === "assignment" && field(m, "left")?.text === x.text) found = field(m, "right") ?? undefined;
        return true;
      });
      return found && (found.type === "list" || found.type === "tuple" || found.type === "dictionary") ? found : undefined;
    };
    const collection = literal(n);
    if (!collection) return false;
    const items = named(collection).flatMap((c) => (c.type === "pair" ? [field(c, "value")] : [c])).filter((c): c is Node => !!c && c.type !== "comment");
    return items.some((item) => this.evaluate(item, scope).kind === "client");
  }

  /** Keeps a value assigned to a path (`a.b`, `a["k"]`; `key`: one more subscript, a dict literal's entry). */
  private keepPath(target: Node, value: () => Value, key?: string): void {
    const base = pathKey(target);
    if (base === undefined || (key === undefined && target.type === "identifier")) return;
    const full = key === undefined ? base : `${base}[${key}]`;
    const list = this.paths.get(full) ?? [];
    list.push(value);
    this.paths.set(full, list);
  }

  /** A client when a value assigned to this path in the file is one; undefined when the path was never assigned. */
  private pathValue(node: Node): Value | undefined {
    const key = pathKey(node);
    const list = key === undefined ? undefined : this.paths.get(key);
    if (!list) return undefined;
    for (const v of list) {
      const value = v();
      if (value.kind === "client") return value;
    }
    return undefined;
  }

  private enclosingClass(scope: Scope): Scope | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === "class") return s;
    return undefined;
  }

  private addAttribute(cls: Scope, name: string, value: () => Value): void {
    const list = cls.attributes?.get(name) ?? [];
    list.push(value);
    cls.attributes?.set(name, list);
  }

  // ---- evaluation --------------------------------------------------------------------------------

  private scopeOf(node: Node): Scope {
    for (let n: Node | null = node.parent; n; n = n.parent) {
      const s = this.scopes.get(n.id);
      // A function's parameters and default values belong to the enclosing scope... except that
      // for our purposes (names used in the body) the function's own scope is right.
      if (s) return s;
    }
    return this.module;
  }

  /** A class reference: `cohere.Client`, `Client` imported from cohere, `cohere.client.Client`. */
  classType(node: Node | undefined): ClientType | undefined {
    const path = dotted(node);
    if (!path) return undefined;
    if (path.length === 1) return this.classNames.get(path[0]);
    const last = path[path.length - 1];
    const head = path.slice(0, -1).join(".");
    if (this.moduleAliases.has(path[0]) && (path.length === 2 || COHERE_MODULES.has(["cohere", ...path.slice(1, -1)].join(".")) || this.moduleAliases.has(head))) {
      return CLIENT_CLASSES.get(last);
    }
    return undefined;
  }

  /** An annotation naming a client class: `cohere.Client`, `Optional[Client]`, `"cohere.Client"`, `Client | None`. */
  private annotationValue(annotation: Node, scope: Scope): Value {
    const found = this.annotationType(annotation);
    // Handles: client: Union[cohere.Client, ReplayClient], cohere.Client | ReplayClient: either one (None aside).
    if (found && this.unionMembers(annotation)?.some((m) => m.text !== "None" && !this.annotationType(m))) return UNKNOWN;
    const inner = annotation.type === "type" ? (named(annotation)[0] ?? annotation) : annotation;
    if (found && inner.type === "string" && this.stringUnionHasOther(stringValue(inner) ?? "")) return UNKNOWN;
    if (found) return { kind: "client", type: found };
    void scope;
    // `Any`, `object`, `typing.Any`, `Optional[Any]`: says nothing about what the value is.
    if (/^(Optional\[)?((typing|t)\.)?(Any|object)\]?$/.test(annotation.text.replace(/\s+/g, "").replace(/^["']|["']$/g, ""))) return UNKNOWN;
    return OTHER;
  }

  /** The value a module-level `name = value` statement assigns (the last one), or undefined. */
  private moduleAssignment(name: string): Node | undefined {
    let found: Node | undefined;
    for (const stmt of named(this.root)) {
      const assign = stmt.type === "expression_statement" ? named(stmt)[0] : undefined;
      if (assign?.type === "assignment" && field(assign, "left")?.text === name) found = field(assign, "right") ?? found;
    }
    return found;
  }

  /** Whether a string annotation is a union (`"cohere.Client | ReplayClient"`) with a member other than a client or None. */
  private stringUnionHasOther(inner: string): boolean {
    const text = inner.replace(/\s+/g, "");
    if (!/\||^(typing\.)?(Union)\[/.test(text)) return false;
    const members = text.replace(/^(typing\.)?Union\[(.*)\]$/, "$2").split(/[|,]/);
    return members.some((m) => {
      if (m === "None" || m === "") return false;
      const path = m.split(".");
      if (path.length === 1) return !this.classNames.has(path[0]);
      return !(this.moduleAliases.has(path[0]) && CLIENT_CLASSES.has(path[path.length - 1]));
    });
  }

  /** The members of a union annotation (`Union[A, B]`, `A | B`), or undefined for any other. */
  private unionMembers(node: Node): Node[] | undefined {
    const n = node.type === "type" ? (named(node)[0] ?? node) : node;
    if (n.type === "binary_operator" && field(n, "operator")?.text === "|") {
      const left = field(n, "left");
      const right = field(n, "right");
      return [left, right].flatMap((side) => (side ? (this.unionMembers(side) ?? [side]) : []));
    }
    if (n.type === "subscript" && /^(typing\.)?Union$/.test(field(n, "value")?.text ?? "")) return named(n).slice(1);
    if (n.type === "generic_type" && /^(typing\.)?Union$/.test(named(n)[0]?.text ?? "")) return named(named(n)[1] ?? n).filter((c) => c.type !== "comment");
    return undefined;
  }

  private annotationType(node: Node, depth = 0): ClientType | undefined {
    const direct = this.classType(node);
    if (direct) return direct;
    // Handles: CohereDep = Annotated[cohere.Client, Depends(get_client)]; def f(co: CohereDep): a type alias of this module.
    const name = node.type === "type" ? named(node)[0] : node;
    if (name?.type === "identifier" && depth < 3) {
      const alias = this.moduleAssignment(name.text);
      if (alias) return this.annotationType(alias, depth + 1);
    }
    if (node.type === "string") {
      const inner = stringValue(node);
      if (inner === undefined) return undefined;
      const parts = inner.replace(/\s+/g, "").split(/[[\],|]/);
      for (const part of parts) {
        const path = part.split(".");
        if (path.length === 1 && this.classNames.has(path[0])) return this.classNames.get(path[0]);
        if (path.length >= 2 && this.moduleAliases.has(path[0])) {
          const type = CLIENT_CLASSES.get(path[path.length - 1]);
          if (type) return type;
        }
      }
      return undefined;
    }
    for (const child of named(node)) {
      const found = this.annotationType(child, depth);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A pytest test's parameter: the fixture of its name, defined in this module (a function under
   * `@pytest.fixture`) or in the `conftest.py` beside it (settled by the engine, as an import).
   */
  private fixtureValue(name: string, scope: Scope): Value {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const fixture = s.kind === "function" ? undefined : this.fixtureIn(s, name);
      if (fixture) return fixture.kind === "factory" ? { kind: "client", type: fixture.type } : fixture.kind === "client" ? fixture : UNKNOWN;
    }
    return { kind: "import", ref: { module: "conftest", level: 1, name, fixture: true }, path: [{ call: true }] };
  }

  private fixtureIn(scope: Scope, name: string): Value | undefined {
    for (const stmt of named(field(scope.node, "body") ?? scope.node)) {
      if (stmt.type !== "decorated_definition") continue;
      const fn = field(stmt, "definition");
      if (fn?.type !== "function_definition") continue;
      const decorators = named(stmt).filter((d) => d.type === "decorator" && FIXTURE_DECORATOR.test(d.text));
      // The fixture's name: `name="co"` in the decorator, else the function's.
      const fixtureName = decorators.map((d) => /\bname\s*=\s*["']([A-Za-z_]\w*)["']/.exec(d.text)?.[1]).find(Boolean) ?? field(fn, "name")?.text;
      if (!decorators.length || fixtureName !== name) continue;
      const inner = this.scopes.get(fn.id);
      return inner ? this.functionValue(inner) : UNKNOWN;
    }
    return undefined;
  }

  private functionValue(scope: Scope): Value {
    if (scope.yields?.length && !scope.returns?.length) {
      // A @contextmanager or fixture: what it yields is what `with f() as x` / the test receives.
      let type: ClientType | undefined;
      for (const y of scope.yields) {
        const v = this.evaluate(y, scope);
        if (v.kind !== "client") return OTHER;
        type = v.type;
      }
      return type ? { kind: "factory", type } : OTHER;
    }
    if (scope.returnAnnotation) {
      const type = this.annotationType(scope.returnAnnotation);
      return type ? { kind: "factory", type } : OTHER;
    }
    const returns = scope.returns ?? [];
    if (!returns.length) return OTHER;
    let type: ClientType | undefined;
    let other = false;
    for (const r of returns) {
      // Handles: if not key: return None ... return cohere.Client(key): a None has no generate to
      // call, so a call on the result is a call on the client.
      if (r.type === "none") continue;
      const v = this.evaluate(r, scope);
      if (v.kind === "client") type = v.type;
      else other = true;
      // Handles: client = cohere.Client(key); if debug: client = EchoLLM(); return client (the
      // name is either): a client among the name's values makes the result a possible one.
      if (v.kind === "unknown" && r.type === "identifier") {
        const client = (scope.bindings.get(r.text) ?? []).map((b) => b.value()).find((b) => b.kind === "client");
        if (client?.kind === "client") type ??= client.type;
      }
    }
    // Handles: return cohere.Client(...) on one path, EchoLLM() on another: a possible call.
    if (type && other) return UNKNOWN;
    return type ? { kind: "factory", type } : OTHER;
  }

  /** What an expression evaluates to, as far as clients go. */
  evaluate(node: Node, scope: Scope): Value {
    const key = `${node.id}`;
    if (this.evaluating.has(key)) return UNKNOWN;
    this.evaluating.add(key);
    try {
      return this.evaluateNode(node, scope);
    } finally {
      this.evaluating.delete(key);
    }
  }

  private evaluateNode(node: Node, scope: Scope): Value {
    switch (node.type) {
      case "parenthesized_expression": {
        const inner = named(node).find((c) => c.type !== "comment");
        return inner ? this.evaluate(inner, scope) : UNKNOWN;
      }
      case "await": {
        const inner = named(node)[0];
        return inner ? this.evaluate(inner, scope) : UNKNOWN;
      }
      case "named_expression": {
        // Handles: (c := cohere.Client(key)).generate(...): the walrus is its value.
        const value = field(node, "value");
        return value ? this.evaluate(value, scope) : UNKNOWN;
      }
      case "conditional_expression":
      case "boolean_operator": {
        // A client wins over None or an unknown value; beside an object of a class of this file
        // (`EchoModel() if offline else cohere.Client()`), the receiver may be either.
        const values = named(node).map((part) => this.evaluate(part, scope));
        const client = values.find((v) => v.kind === "client");
        if (client && node.type === "conditional_expression") {
          // Handles: MockCohereAPI() if mock else cohere.Client(key): a branch that is an object of
          // another class (imported, or of this file) may be the receiver.
          const [yes, , no] = named(node);
          const other = [yes, no].some((branch, i) => branch && branch.type === "call" && values[i === 0 ? 0 : 2]?.kind !== "client");
          if (other) return UNKNOWN;
        }
        if (client) return values.some((v) => v.kind === "instance") ? UNKNOWN : client;
        // Handles: self.client = client or get_client(), get_client from another module: settled there.
        if (node.type === "boolean_operator") return values.find((v) => v.kind === "import") ?? OTHER;
        return OTHER;
      }
      case "call": {
        const fn = field(node, "function");
        const type = this.classType(fn);
        if (type) return { kind: "client", type };
        if (!fn) return UNKNOWN;
        // Handles: cast(cohere.Client, self._client), typing.cast(Any, co): the type when it names a
        // client class, else the value as it is.
        if (/^(typing\.)?cast$/.test(fn.text)) {
          const [target, value] = named(field(node, "arguments") ?? node).filter((a) => a.type !== "comment");
          const named_ = target ? this.annotationType(target) : undefined;
          if (named_) return { kind: "client", type: named_ };
          return value ? this.evaluate(value, scope) : UNKNOWN;
        }
        // Handles: client: Any = field(default_factory=lambda: cohere.Client(key)) in a dataclass,
        // Field(default_factory=make_client) in a pydantic model: the field holds what the factory makes.
        if (/^((dataclasses|pydantic)\.)?(field|Field)$/.test(fn.text)) {
          const keyword = (name: string): Node | undefined => {
            const arg = named(field(node, "arguments") ?? node).find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name);
            return arg ? (field(arg, "value") ?? undefined) : undefined;
          };
          const factory = keyword("default_factory");
          if (factory?.type === "lambda") {
            const body = field(factory, "body");
            return body ? this.evaluate(body, scope) : UNKNOWN;
          }
          if (factory) {
            const made = this.evaluate(factory, scope);
            if (made.kind === "factory") return { kind: "client", type: made.type };
            if (made.kind === "class") return { kind: "instance", cls: made.cls };
            return made.kind === "import" ? { kind: "import", ref: made.ref, path: [...made.path, { call: true }] } : UNKNOWN;
          }
          const given = keyword("default");
          if (given) return this.evaluate(given, scope);
        }
        // Handles: co=Depends(get_client) (FastAPI): the value is what the dependency returns.
        const dependency = /^(fastapi\.)?Depends$/.test(fn.text) ? named(field(node, "arguments") ?? node).find((a) => a.type !== "comment" && a.type !== "keyword_argument") : undefined;
        const callee = this.evaluate(dependency ?? fn, scope);
        if (callee.kind === "factory") return { kind: "client", type: callee.type };
        if (callee.kind === "import") return { kind: "import", ref: callee.ref, path: [...callee.path, { call: true }] };
        // Handles: bot = Bot(); bot.co.generate(...), with Bot setting self.co = cohere.Client()
        if (callee.kind === "class") return { kind: "instance", cls: callee.cls };
        if (callee.kind === "unknown" && fn.type === "identifier") return UNKNOWN;
        return callee.kind === "unknown" ? UNKNOWN : OTHER;
      }
      case "identifier":
        return this.resolveName(node.text, scope, node.startIndex);
      case "subscript": {
        // Handles: st.session_state["co"] = cohere.Client(...); st.session_state["co"].generate(...)
        // Any other item is unknown: it may hold a client (a possible call in a file importing cohere).
        return this.pathValue(node) ?? UNKNOWN;
      }
      case "attribute": {
        const object = field(node, "object");
        const attr = field(node, "attribute");
        if (!object || !attr) return UNKNOWN;
        // self.x inside a method of the class that sets x (another class's `self.x` is its own,
        // which the path below would not tell apart).
        const method = this.methodOfUse(scope);
        if (method && nameOf(object) === method.self) return this.attributeValue(method.cls, attr.text);
        // Handles: st.session_state.co = cohere.Client(...); st.session_state.co.generate(...)
        const assigned = this.pathValue(node);
        if (assigned) return assigned;
        const base = this.evaluate(object, scope);
        if (base.kind === "import") return { kind: "import", ref: base.ref, path: [...base.path, { attr: attr.text }] };
        if (base.kind === "class" || base.kind === "instance") return this.attributeValue(base.cls, attr.text);
        const cls = object.type === "identifier" ? this.classScopeNamed(object.text) : undefined;
        if (cls) return this.attributeValue(cls, attr.text);
        return UNKNOWN;
      }
      default:
        return OTHER;
    }
  }

  /** The method a use is in (also from a function nested in the method). */
  private methodOfUse(scope: Scope): { cls: Scope; self: string } | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const m = this.methodOf(s);
      if (m) return m;
      if (s.kind !== "function") return undefined;
    }
    return undefined;
  }

  private classScopeNamed(name: string): Scope | undefined {
    for (const s of this.scopes.values()) {
      if (s.kind === "class" && field(s.node, "name")?.text === name) return s;
    }
    return undefined;
  }

  private attributeValue(cls: Scope, name: string, seen: Set<Scope> = new Set()): Value {
    // Handles: class Bot: co = None, filled from outside (`Bot.co = cohere.Client(key)` in a setup
    // function): what the module assigns to `Bot.co` is the attribute too.
    const className = cls.node.parent?.type === "module" || cls.parent === this.module ? field(cls.node, "name")?.text : undefined;
    // Only where the name means this class everywhere: a function's own `Bot` (a parameter, a local
    // class) would make `Bot.co = ...` there another object's.
    const unique = className !== undefined && ![...this.scopes.values()].some((s) => s !== this.module && s.bindings.has(className));
    const outside = unique ? this.paths.get(`${className}.${name}`) : undefined;
    const filled = this.filledFromOutside(cls, name);
    const values = outside || filled.length ? [...(cls.attributes?.get(name) ?? []), ...(outside ?? []), ...filled] : cls.attributes?.get(name);
    if (!values?.length) {
      // An attribute the class body annotates (`client: cohere.Client`, a dataclass or pydantic field),
      // else one a base class of this file sets (`class Child(Base)`, `self.co = cohere.Client()` in
      // Base.__init__), else one a base class imported from another module sets (`self.co = client`
      // in its `__init__`): followed to that module, as `Clients.co` is.
      return this.annotatedField(cls, name) ?? this.baseAttribute(cls, name, seen) ?? this.inheritedAttribute(cls, name) ?? UNKNOWN;
    }
    let other = false;
    let imported: Value | undefined;
    const all = values.map((v) => v());
    // Handles: self.co = MockCohereAPI() in one branch, cohere.Client(key) in the other: the
    // receiver may be the object of this file's class, whose generate is its own.
    if (all.some((v) => v.kind === "client" || v.kind === "factory") && all.some((v) => v.kind === "instance")) return UNKNOWN;
    for (const value of all) {
      // A client, or a method that returns one (`self.client()`).
      if (value.kind === "client" || value.kind === "factory") return value;
      // Handles: self.co = make_client() with make_client imported: followed to its module.
      if (value.kind === "import") imported ??= value;
      else if (value.kind !== "unknown") other = true;
    }
    return this.annotatedField(cls, name) ?? imported ?? (other ? OTHER : UNKNOWN);
  }

  /**
   * Handles: def answer(co, question): co.generate(...), called as answer(cohere.Client(key), q)
   * in this module or with a client from another (clientParams): an untyped parameter of a
   * module-level function holds what its callers pass. A client when every call seen passes one
   * client type there; unknown (a possible call) when some pass a client and others something
   * else; undefined when none passes a client.
   */
  private passedValue(fn: Scope, name: string, position: number | undefined): Value | undefined {
    const def = fn.node;
    if (def.type !== "function_definition") return undefined;
    const holder = def.parent?.type === "decorated_definition" ? def.parent.parent : def.parent;
    let fnName = field(def, "name")?.text;
    /** What the calls are calls of: the function, or (its `__init__`) the class. */
    let called: Node = def;
    if (fnName === "__init__" && holder?.type === "block" && holder.parent?.type === "class_definition") {
      // Handles: class Completer: def __init__(self, client): self.co = client, made as
      // Completer(co) here or in another module: the class's calls pass what __init__ takes after self.
      const cls = holder.parent;
      const top = cls.parent?.type === "decorated_definition" ? cls.parent.parent : cls.parent;
      if (top?.type !== "module" || position === 0) return undefined;
      fnName = field(cls, "name")?.text;
      called = cls;
      if (position !== undefined) position--;
    } else if (holder?.type !== "module") return undefined;
    if (!fnName) return undefined;
    const values: Value[] = [];
    for (const p of this.clientParams?.get(fnName) ?? []) {
      if ((p.keyword !== undefined && p.keyword === name) || (p.index !== undefined && p.index === position)) values.push({ kind: "client", type: p.type });
    }
    for (const call of this.callsOf(fnName, called)) {
      const arg = argumentAt(call, position, name);
      if (arg === "absent") continue;
      values.push(arg === "unknown" ? UNKNOWN : this.evaluate(arg, this.scopeOf(arg)));
    }
    const clients = values.filter((v): v is Extract<Value, { kind: "client" }> => v.kind === "client");
    if (!clients.length) return undefined;
    const [first] = clients;
    const one = clients.length === values.length && clients.every((c) => c.type.client === first.type.client && c.type.async === first.type.async);
    return one ? first : UNKNOWN;
  }

  /** Calls `name(...)` in this file outside the function itself (its own recursion passes its own parameter). */
  private callsOf(name: string, def: Node): Node[] {
    let calls = this.callsByName.get(name);
    if (!calls) {
      calls = [];
      const found = calls;
      walk(this.root, (n) => {
        if (n.type === "call" && field(n, "function")?.type === "identifier" && field(n, "function")?.text === name) found.push(n);
        return true;
      });
      this.callsByName.set(name, calls);
    }
    return calls.filter((c) => c.startIndex < def.startIndex || c.startIndex >= def.endIndex);
  }

  /** A call handing a client (or a name imported from another module) to a function imported from another module. */
  private passedClients(call: Node, passes: PassedClient[]): void {
    const fn = field(call, "function");
    if (!fn || (fn.type !== "identifier" && fn.type !== "attribute")) return;
    const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
    // Only a name, an attribute or a call (`cohere.Client(key)`) can be a client; most calls pass none.
    const passable = (a: Node | null | undefined): boolean => a?.type === "identifier" || a?.type === "attribute" || a?.type === "call";
    if (!args.some((a) => passable(a) || (a.type === "keyword_argument" && passable(field(a, "value"))))) return;
    const scope = this.scopeOf(call);
    const callee = this.evaluate(fn, scope);
    if (callee.kind !== "import" || callee.path.some((step) => "call" in step)) return;
    let index: number | undefined = 0;
    for (const a of args) {
      if (a.type === "list_splat" || a.type === "dictionary_splat") index = undefined;
      const keyword = a.type === "keyword_argument" ? field(a, "name")?.text : undefined;
      const value = a.type === "keyword_argument" ? field(a, "value") : a;
      const at = keyword === undefined ? index : undefined;
      if (keyword === undefined && index !== undefined) index++;
      if (!passable(value) || !value || (keyword === undefined && at === undefined)) continue;
      const v = this.evaluate(value, scope);
      const place = keyword !== undefined ? { keyword } : { index: at };
      if (v.kind === "client") passes.push({ callee: { ref: callee.ref, path: callee.path }, ...place, arg: { kind: "client", type: v.type } });
      else if (v.kind === "import" && !v.ref.fixture) passes.push({ callee: { ref: callee.ref, path: callee.path }, ...place, arg: { kind: "import", ref: v.ref, path: v.path } });
    }
  }

  /**
   * Handles: bot = Bot(); bot.co = cohere.Client(key), with Bot's own `self.co = None`: what is
   * assigned to the attribute of a name holding an instance of the class (in any scope of the file).
   */
  private filledFromOutside(cls: Scope, name: string): Array<() => Value> {
    const fills = this.instanceFills.filter((f) => f.attr === name);
    const key = `${cls.node.startIndex}.${name}`;
    if (!fills.length || this.fillsInProgress.has(key)) return [];
    this.fillsInProgress.add(key);
    try {
      return fills.filter((f) => {
        const holder = this.evaluate(f.object, f.scope);
        return holder.kind === "instance" && holder.cls === cls;
      }).map((f) => f.value);
    } finally {
      this.fillsInProgress.delete(key);
    }
  }

  /** `name` as a base class of this file sets it (the first base that does), or undefined. */
  private baseAttribute(cls: Scope, name: string, seen: Set<Scope>): Value | undefined {
    seen.add(cls);
    const bases = field(cls.node, "superclasses");
    for (const base of bases ? named(bases) : []) {
      const scope = base.type === "identifier" ? this.classScopeNamed(base.text) : undefined;
      if (!scope || seen.has(scope)) continue;
      const value = this.attributeValue(scope, name, seen);
      if (value.kind !== "unknown") return value;
    }
    return undefined;
  }

  /** `name` on a base class imported from another module (`class PromptBot(Chatbot)`, `from bots.chatbot import Chatbot`). */
  private inheritedAttribute(cls: Scope, name: string): Value | undefined {
    const bases = field(cls.node, "superclasses");
    const parent = cls.parent ?? this.module;
    for (const base of bases ? named(bases) : []) {
      if (base.type !== "identifier") continue;
      const value = this.resolveName(base.text, parent, cls.node.startIndex);
      if (value.kind === "import") return { kind: "import", ref: { ...value.ref, inherited: true }, path: [...value.path, { attr: name }] };
    }
    return undefined;
  }

  private annotatedField(cls: Scope, name: string): Value | undefined {
    const body = field(cls.node, "body");
    if (!body) return undefined;
    for (const stmt of named(body)) {
      const assign = stmt.type === "expression_statement" ? named(stmt)[0] : undefined;
      if (assign?.type !== "assignment") continue;
      const type = field(assign, "type");
      if (nameOf(field(assign, "left")) === name && type) {
        const t = this.annotationType(type);
        if (t) return { kind: "client", type: t };
      }
    }
    return undefined;
  }

  private resolveName(name: string, from: Scope, at: number): Value {
    let scope: Scope | undefined = from;
    let first = true;
    while (scope) {
      // Class bodies are not enclosing scopes for the functions inside them.
      if (scope.kind !== "class" || first) {
        const list = scope.bindings.get(name);
        if (list?.length) {
          const before = first ? list.filter((b) => b.at <= at) : list;
          const binding = (before.length ? before : list)[(before.length ? before : list).length - 1];
          const value = binding.value();
          // Several assignments (a client in one branch, None in the other): a client wins, unless
          // another is an object of a class of this file or one made by an import (`EchoModel()` or
          // `OllamaClient()` in the other branch of an if statement): the receiver may be either.
          if (list.length > 1) {
            const values = list.map((b) => b.value());
            const client = values.find((v) => v.kind === "client");
            const other = values.some((v) => v.kind === "instance" || (v.kind === "import" && v.path.some((step) => "call" in step)));
            if (client) return other ? UNKNOWN : value.kind === "client" ? value : client;
          }
          return value;
        }
      }
      first = false;
      scope = scope.parent;
    }
    // A name bound nowhere here, with `from m import *` above: m's (the last such import binds it).
    const star = this.starImports[this.starImports.length - 1];
    if (star && !BUILTINS.has(name)) return { kind: "import", ref: { module: star.module, level: star.level, name }, path: [] };
    return UNKNOWN;
  }

  /** `from m import *` at the module's top level (not from cohere), in order. */
  private readonly starImports: Array<{ module: string; level: number }> = [];

  // ---- results -----------------------------------------------------------------------------------

  detect(): PythonDetection {
    const sites: CallSite[] = [];
    const pending: PendingSite[] = [];
    const passes: PassedClient[] = [];
    const ignoreFile = hasPythonIgnoreFile(this.text);
    const ignored = pythonIgnoredLines(this.text);
    let suppressed = 0;
    const urls: Node[] = [];
    const visit = (node: Node): void => {
      if (node.type === "attribute") {
        const attr = field(node, "attribute");
        const kind = attr ? LEGACY_METHODS.get(attr.text) : undefined;
        if (kind) this.site(node, kind, sites, pending);
      } else if (node.type === "string" || node.type === "binary_operator" || node.type === "concatenated_string") {
        // Handles: COHERE_URL = "https://api.cohere.ai/v1/generate" (a request by hand: requests, httpx, aiohttp)
        // Handles: f"{BASE_URL}/generate", BASE_URL + "/generate" with BASE_URL = "https://api.cohere.ai/v1" in this file
        const outer = node.parent?.type === "binary_operator" || node.parent?.type === "concatenated_string";
        const value = node.type === "string" ? (stringValue(node) ?? this.urlText(node, 0)) : outer ? undefined : this.urlText(node, 0);
        if (value !== undefined && isGenerateUrl(value)) urls.push(node);
      } else if (node.type === "call" && field(node, "function")?.type === "identifier" && !/^urljoin$/.test(field(node, "function")?.text ?? "")) {
        // Handles: requests.post(get_cohere_url("generate")) with a helper of this module joining a Cohere base.
        const built = this.helperUrl(node);
        if (built !== undefined && isGenerateUrl(built)) urls.push(node);
      } else if (node.type === "call" && /(^|\.)urljoin$/.test(field(node, "function")?.text ?? "")) {
        // Handles: urljoin(BASE_URL, "generate") with BASE_URL a Cohere host in this file
        const args = named(field(node, "arguments") ?? node).filter((a) => a.type !== "comment");
        const base = args[0] ? this.urlText(args[0], 0) : undefined;
        const rel = args[1] ? this.urlText(args[1], 0) : undefined;
        if (args.length === 2 && base !== undefined && rel !== undefined && isGenerateUrl(urlJoin(base, rel))) urls.push(node);
      }
      if (node.type === "call") this.passedClients(node, passes);
      if (node.type === "call" && nameOf(field(node, "function")) === "getattr") {
        // Handles: getattr(co, "generate")(prompt=...): the method by its name, as `co.generate` unbound.
        const args = named(field(node, "arguments") ?? node).filter((a) => a.type !== "comment");
        if (args.length >= 2 && LEGACY_METHODS.has(stringValue(args[1]) ?? "")) this.site(node, "indirect-generate", sites, pending, args[0]);
      }
      for (const child of named(node)) visit(child);
    };
    visit(this.root);
    // One finding per URL: a literal that is whole inside a joined one (`"https://api.cohere.ai/v1/generate" + q`) is the joined one's.
    const inside = (a: Node, b: Node): boolean => a.id !== b.id && b.startIndex <= a.startIndex && a.endIndex <= b.endIndex;
    urls.splice(0, urls.length, ...urls.filter((u) => !urls.some((other) => inside(u, other))));
    // A Generate URL is a legacy use for check wherever it is (SPEC: "a Generate endpoint URL literal
    // on any Cohere host"); migrate leaves a request by hand to a person.
    for (const url of urls) {
      const span = { start: { line: url.startPosition.row + 1, column: url.startPosition.column + 1 }, end: { line: url.endPosition.row + 1, column: url.endPosition.column + 1 } };
      sites.push({ kind: "generate-url", client: "rest", certainty: "certain", start: url.startIndex, end: url.endIndex, span, callee: url.text, language: "python" });
    }
    const kept = sites.filter((site) => {
      const ignore = ignoreFile || ignored.has(site.span.start.line);
      if (ignore) suppressed++;
      return !ignore;
    });
    const waiting = new Set(pending.map((p) => p.site));
    return {
      sites: kept.filter((s) => !waiting.has(s)),
      pending: pending.filter((p) => kept.includes(p.site)),
      passes,
      importsCohere: this.importsCohere,
      suppressed,
      ignoreFile,
    };
  }

  /**
   * The text a string expression makes: a literal, an f-string, `+` and implicit concatenation,
   * and names bound once to such an expression at the module's top (`BASE_URL = "https://..."`).
   * A part that cannot be read is U+0000 (no URL pattern matches across it); undefined when the
   * expression is no string at all.
   */
  private urlText(node: Node, depth: number, params?: ReadonlyMap<string, string>): string | undefined {
    if (depth > 8) return undefined;
    switch (node.type) {
      case "string": {
        const plain = stringValue(node);
        if (plain !== undefined) return plain;
        const start = node.children.find((c) => c?.type === "string_start")?.text ?? "";
        if (/[bB]/.test(start)) return undefined;
        let out = "";
        for (const part of named(node)) {
          if (part.type === "string_content") out += part.text;
          else if (part.type === "interpolation") {
            const expr = named(part)[0];
            out += (expr && this.urlText(expr, depth + 1, params)) ?? "\0";
          } else if (part.type === "escape_sequence") out += "\0";
        }
        return out;
      }
      case "concatenated_string":
        return named(node).map((part) => this.urlText(part, depth + 1, params) ?? "\0").join("");
      case "binary_operator": {
        if (field(node, "operator")?.text !== "+") return undefined;
        const left = field(node, "left");
        const right = field(node, "right");
        const l = left ? this.urlText(left, depth + 1, params) : undefined;
        const r = right ? this.urlText(right, depth + 1, params) : undefined;
        return l === undefined && r === undefined ? undefined : (l ?? "\0") + (r ?? "\0");
      }
      case "parenthesized_expression": {
        const inner = named(node).find((c) => c.type !== "comment");
        return inner ? this.urlText(inner, depth + 1, params) : undefined;
      }
      case "identifier": {
        const param = params?.get(node.text);
        if (param !== undefined) return param;
        const bound = this.moduleStrings().get(node.text);
        return bound ? this.urlText(bound, depth + 1) : undefined;
      }
      case "attribute": {
        // Handles: f"{self.base_url}generate" with self.base_url = "https://api.cohere.ai/" (or a
        // class attribute) set once in the class.
        const object = nameOf(field(node, "object"));
        const attr = field(node, "attribute")?.text;
        let cls: Node | null = node.parent;
        while (cls && cls.type !== "class_definition") cls = cls.parent;
        const own = object === "self" || object === "cls" || (cls !== null && object === field(cls, "name")?.text);
        const bound = own && cls && attr ? classStrings(cls).get(attr) : undefined;
        return bound ? this.urlText(bound, depth + 1) : undefined;
      }
      case "call": {
        // Handles: BASE = os.getenv("COHERE_BASE_URL", "https://api.cohere.ai/v1"): the URL unless the environment says otherwise.
        const fallback = environmentDefault(node);
        if (fallback) return this.urlText(fallback, depth + 1, params);
        // Handles: urljoin(BASE, endpoint) inside a helper (see helperUrl), and as an expression.
        if (!/(^|\.)urljoin$/.test(field(node, "function")?.text ?? "")) return undefined;
        const args = named(field(node, "arguments") ?? node).filter((a) => a.type !== "comment");
        const base = args[0] ? this.urlText(args[0], depth + 1, params) : undefined;
        const rel = args[1] ? this.urlText(args[1], depth + 1, params) : undefined;
        return args.length === 2 && base !== undefined && rel !== undefined ? urlJoin(base, rel) : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * The URL a call of a small helper of this module builds: `def get_cohere_url(endpoint): return
   * urljoin("https://api.cohere.ai", endpoint)` called as `get_cohere_url("generate")`. Only a
   * module-level function whose body is one `return` (a docstring aside), its parameters bound to
   * the call's positional arguments.
   */
  private helperUrl(call: Node): string | undefined {
    const name = nameOf(field(call, "function"));
    if (!name) return undefined;
    this.moduleFunctions ??= new Map(named(this.root).filter((n) => n.type === "function_definition").map((n) => [field(n, "name")?.text ?? "", n]));
    const fn = this.moduleFunctions.get(name);
    const body = fn ? named(field(fn, "body") ?? fn).filter((n) => n.type !== "comment" && !(n.type === "expression_statement" && named(n)[0]?.type === "string")) : [];
    const returned = body.length === 1 && body[0].type === "return_statement" ? named(body[0])[0] : undefined;
    if (!fn || !returned) return undefined;
    const declared = named(field(fn, "parameters") ?? fn).filter((p) => p.type !== "comment");
    const names = declared.map((p) => (p.type === "identifier" ? p.text : field(p, "name")?.text ?? named(p).find((c) => c.type === "identifier")?.text));
    const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
    const params = new Map<string, string>();
    declared.forEach((p, i) => {
      const name = names[i];
      const arg = args[i] && args[i].type !== "keyword_argument" ? args[i] : args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name);
      // The argument the call passes, else the parameter's default (`version="v1"`).
      const source = arg ? (arg.type === "keyword_argument" ? field(arg, "value") : arg) : field(p, "value");
      const value = name && source ? this.urlText(source, 1) : undefined;
      if (name && value !== undefined) params.set(name, value);
    });
    return params.size ? this.urlText(returned, 1, params) : undefined;
  }

  /** The module's top-level functions by name, for helperUrl. */
  private moduleFunctions: Map<string, Node> | undefined;

  private moduleStringsMemo: Map<string, Node> | undefined;

  /** Names the module's top level binds exactly once, to a string expression. */
  private moduleStrings(): Map<string, Node> {
    if (this.moduleStringsMemo) return this.moduleStringsMemo;
    const count = new Map<string, number>();
    const bound = new Map<string, Node>();
    for (const stmt of named(this.root)) {
      const assignment = stmt.type === "expression_statement" ? named(stmt)[0] : undefined;
      const left = assignment?.type === "assignment" ? field(assignment, "left") : undefined;
      const right = assignment ? field(assignment, "right") : undefined;
      if (left?.type !== "identifier" || !right) continue;
      count.set(left.text, (count.get(left.text) ?? 0) + 1);
      if (right.type === "string" || right.type === "binary_operator" || right.type === "concatenated_string" || environmentDefault(right)) bound.set(left.text, right);
    }
    for (const [name, n] of count) if (n !== 1) bound.delete(name);
    return (this.moduleStringsMemo = bound);
  }

  /** `member`: `co.generate` (or the whole `getattr(co, "generate")`, with `receiver` its first argument). */
  private site(member: Node, method: SiteKind, sites: CallSite[], pending: PendingSite[], receiver?: Node): void {
    const object = receiver ?? field(member, "object");
    if (!object) return;
    const call = !receiver && member.parent?.type === "call" && member.parent.childForFieldName("function")?.id === member.id ? member.parent : undefined;
    const scope = this.scopeOf(member);
    const value = this.evaluate(object, scope);
    const node = call ?? member;
    let kind: SiteKind = method;
    if (!call) kind = "indirect-generate";
    else if (method === "generate" && streamsByFlag(call)) kind = "generate-stream";
    const base = {
      kind,
      start: node.startIndex,
      end: node.endIndex,
      span: { start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 }, end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 } },
      callee: member.text,
      receiver: object.text,
      language: "python" as const,
    };
    if (value.kind === "client") {
      sites.push({ ...base, client: value.type.client, async: value.type.async, certainty: "certain", requestVisible: call ? requestVisible(call) : false });
      return;
    }
    // A call, or a reference (`f = h.client.generate`, `partial(llm.client.generate, ...)`), on a
    // receiver that cannot be traced: possibly Cohere's. Not the target of an assignment
    // (`self.generate = ...` defines it), nor an attribute read off it (`mock.generate.return_value
    // = ...`, `.assert_called_once()`): a mock.
    const readOn = !call && member.parent?.type === "attribute" && field(member.parent, "object")?.id === member.id;
    const usedAsCall = !(!call && (readOn || isAssignmentTarget(member))) && !(receiver && !call) && !callsOwnMethod(object, member);
    // A test's fixture parameter is as untraced as any parameter until its conftest.py says otherwise.
    if (value.kind === "import" && (!value.ref.fixture || usedAsCall)) {
      const site: CallSite = { ...base, client: "v1", certainty: "possible", requestVisible: call ? requestVisible(call) : false };
      sites.push(site);
      pending.push({ site, ref: value.ref, path: value.path });
      return;
    }
    // In a file importing cohere.
    if (value.kind === "unknown" && this.importsCohere && usedAsCall) {
      sites.push({ ...base, client: "v1", certainty: "possible" });
    }
  }

  /**
   * What each module-level name is, for the modules that import it (modules.ts): asked only of
   * the modules a receiver is followed into, not of every file detected.
   */
  exports(): Map<string, Export> {
    const out = new Map<string, Export>();
    for (const [name, list] of this.module.bindings) {
      const last = list[list.length - 1];
      let value = last.value();
      if (list.length > 1 && value.kind !== "client") {
        // Handles: try: co = cohere.Client(os.environ["K"]) except KeyError: co = None (or an if/else
        // with None): a client wins, as within the module (resolveName), unless another binding is an
        // object of a class here or made by an import: then the name may be either.
        const values = list.map((b) => b.value());
        const client = values.find((v) => v.kind === "client");
        const other = values.some((v) => v.kind === "instance" || (v.kind === "import" && v.path.some((step) => "call" in step)));
        if (client && !other) value = client;
      }
      if (value.kind === "client") out.set(name, { kind: "client", type: value.type });
      else if (value.kind === "factory") out.set(name, { kind: "factory", type: value.type });
      else if (value.kind === "import" && value.path.length === 0) out.set(name, { kind: "import", ref: value.ref });
      else if (value.kind === "class" && this.clientClasses.has(value.cls.node.id) && this.classNames.has(name)) {
        // Handles: class RetryingClient(cohere.Client) here, RetryingClient("key") in another module.
        out.set(name, { kind: "factory", type: this.classNames.get(name) as ClientType });
      } else if (value.kind === "class" || value.kind === "instance") out.set(name, { kind: value.kind, members: this.clientMembers(value.cls), open: inherits(value.cls.node) });
    }
    // Handles: @pytest.fixture(name="co") def co_fixture(): tests ask for it as `co`.
    for (const [name, fn] of this.renamedFixtures()) {
      const value = out.get(fn);
      if (value && !out.has(name)) out.set(name, value);
    }
    return out;
  }

  /** `@pytest.fixture(name="co")` on a module-level function: the fixture's name, and the function's. */
  private renamedFixtures(): Map<string, string> {
    const out = new Map<string, string>();
    for (const stmt of named(this.root)) {
      if (stmt.type !== "decorated_definition") continue;
      const fn = field(stmt, "definition");
      const fnName = fn?.type === "function_definition" ? field(fn, "name")?.text : undefined;
      for (const d of named(stmt)) {
        const m = d.type === "decorator" && FIXTURE_DECORATOR.test(d.text) ? /\bname\s*=\s*["']([A-Za-z_]\w*)["']/.exec(d.text) : null;
        if (m && fnName) out.set(m[1], fnName);
      }
    }
    return out;
  }

  /**
   * A class's attributes that hold a client, a method returning one, a name imported from another
   * module (followed there), or a value this module cannot tell; the others are not clients.
   */
  private clientMembers(cls: Scope): Map<string, Export> {
    const out = new Map<string, Export>();
    for (const name of cls.attributes?.keys() ?? []) {
      const value = this.attributeValue(cls, name);
      if (value.kind === "client" || value.kind === "factory") out.set(name, { kind: value.kind, type: value.type });
      else if (value.kind === "import") out.set(name, { kind: "import", ref: value.ref, path: value.path });
      else if (value.kind === "unknown") out.set(name, { kind: "unknown" });
    }
    return out;
  }
}

/** Whether a class body defines generate / generate_stream / batch_generate (an override). */
function definesMethod(cls: Node, name: string): boolean {
  const body = field(cls, "body");
  return !!body && named(body).some((stmt) => {
    const fn = stmt.type === "decorated_definition" ? named(stmt).find((c) => c.type === "function_definition") : stmt;
    return fn?.type === "function_definition" && field(fn, "name")?.text === name;
  });
}

/**
 * A class with a base other than `object`: what it inherits (maybe from another module, maybe a
 * client) is not seen here, so a member it does not define is unknown rather than absent.
 */
function inherits(cls: Node): boolean {
  const bases = field(cls, "superclasses");
  return !!bases && named(bases).some((b) => b.type !== "comment" && b.text !== "object");
}

/** Names Python binds before any import: never a star import's. */
const BUILTINS: ReadonlySet<string> = new Set(["print", "len", "str", "int", "float", "list", "dict", "set", "tuple", "range", "open", "super", "isinstance", "getattr", "setattr", "hasattr", "type", "object", "None", "True", "False", "self", "cls", "sorted", "enumerate", "zip", "map", "filter", "min", "max", "sum", "any", "all", "input", "repr", "format", "iter", "next", "vars", "id", "abs", "round"]);

/** The string default of an environment lookup: `os.getenv("K", "...")`, `os.environ.get("K", "...")`, `getenv("K", default="...")`. */
function environmentDefault(call: Node): Node | undefined {
  if (call.type !== "call" || !/^((os\.)?getenv|os\.environ\.get)$/.test(field(call, "function")?.text ?? "")) return undefined;
  const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
  const given = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === "default");
  const value = given ? field(given, "value") : args[1]?.type !== "keyword_argument" ? args[1] : undefined;
  return value && (value.type === "string" || value.type === "concatenated_string") ? value : undefined;
}

/** `generate(..., stream=True)` (cohere 4.x streams through generate). */
export function streamsByFlag(call: Node): boolean {
  return requestEntries(call).get("stream")?.text === "True";
}

/**
 * Whether migrate can rewrite the request (request.ts says why not: `*args`, `prompt_vars`, a
 * `**spread` holding Generate-only fields, ...): a call it only marks is not fixable.
 */
function requestVisible(call: Node): boolean {
  // Inside f-strings quoted both ways no string literal can be written (before Python 3.12): migrate marks the call.
  return requestBlock(call) === undefined && quoteAt(call, '"') !== undefined;
}

function identifiersOf(node: Node): Node[] {
  if (node.type === "identifier") return [node];
  if (["pattern_list", "tuple_pattern", "list_pattern", "expression_list", "tuple", "list", "list_splat_pattern", "parenthesized_expression"].includes(node.type)) {
    return named(node).flatMap(identifiersOf);
  }
  return [];
}

/** `# cohere-migrate-ignore-file` among the comments before the first statement. */
export function hasPythonIgnoreFile(text: string): boolean {
  const head = /^(?:\uFEFF)?(?:\s+|#[^\n]*)*/.exec(text)?.[0] ?? "";
  return new RegExp(`#\\s*${IGNORE_FILE}\\b`).test(head);
}

/** The 1-based lines a `# cohere-migrate-ignore` comment suppresses: the line after it (and its own, when it trails code). */
export function pythonIgnoredLines(text: string): Set<number> {
  const lines = new Set<number>();
  const re = new RegExp(`#\\s*${IGNORE_LINE}(?!-file)\\b`, "g");
  let line = 1;
  let from = 0;
  for (const m of text.matchAll(re)) {
    for (let i = text.indexOf("\n", from); i !== -1 && i < m.index; i = text.indexOf("\n", i + 1)) {
      line++;
      from = i + 1;
    }
    // `"# cohere-migrate-ignore"` in a string is no comment.
    if (!insideString(text, m.index, true)) lines.add(line + 1);
  }
  return lines;
}

/** `self.generate(...)` inside a class that defines `generate` itself: the class's own method, not Cohere's. */
/** Whether `node` is (within) the target of an assignment: `x.generate = f`, `a.generate, b = f, g`. */
function isAssignmentTarget(node: Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === "assignment" || parent.type === "augmented_assignment") return field(parent, "left")?.id === child.id;
    if (parent.type !== "pattern_list" && parent.type !== "tuple_pattern" && parent.type !== "list_pattern" && parent.type !== "expression_list" && parent.type !== "tuple" && parent.type !== "list") return false;
  }
  return false;
}

function callsOwnMethod(object: Node, member: Node): boolean {
  if (object.type !== "identifier" || (object.text !== "self" && object.text !== "cls")) return false;
  const method = field(member, "attribute")?.text;
  let at: Node | null = member.parent;
  while (at && at.type !== "class_definition") at = at.parent;
  const body = at ? field(at, "body") : undefined;
  if (!body || !method) return false;
  return named(body).some((stmt) => {
    const def = stmt.type === "decorated_definition" ? field(stmt, "definition") : stmt;
    return def?.type === "function_definition" && field(def, "name")?.text === method;
  });
}

/** A dict key or subscript that is a constant: a plain string or an integer, as a canonical text. */
function constantKey(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const text = stringValue(node);
  if (text !== undefined) return JSON.stringify(text);
  return node.type === "integer" && /^\d+$/.test(node.text) ? node.text : undefined;
}

/** `a`, `a.b.c`, `a["k"]`, `a.b[0]`: a path of names and constant keys, as a canonical text. */
function pathKey(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "identifier") return node.text;
  if (node.type === "attribute") {
    const head = pathKey(field(node, "object"));
    const attr = field(node, "attribute");
    return head !== undefined && attr ? `${head}.${attr.text}` : undefined;
  }
  if (node.type === "subscript") {
    const head = pathKey(field(node, "value"));
    const key = constantKey(field(node, "subscript"));
    return head !== undefined && key !== undefined ? `${head}[${key}]` : undefined;
  }
  return undefined;
}

/**
 * A class's attributes set exactly once to a string expression: `base_url = "..."` in its body,
 * or `self.base_url = "..."` in one of its methods (nested classes' own attributes excluded).
 */
function classStrings(cls: Node): Map<string, Node> {
  const count = new Map<string, number>();
  const bound = new Map<string, Node>();
  const body = field(cls, "body");
  const visit = (n: Node, inBody: boolean): void => {
    if (n.type === "class_definition") return;
    if (n.type === "assignment") {
      const left = field(n, "left");
      const right = field(n, "right");
      const name = left?.type === "identifier" && inBody ? left.text : left?.type === "attribute" && nameOf(field(left, "object")) === "self" ? field(left, "attribute")?.text : undefined;
      if (name) {
        count.set(name, (count.get(name) ?? 0) + 1);
        if (right && (right.type === "string" || right.type === "binary_operator" || right.type === "concatenated_string")) bound.set(name, right);
      }
    }
    for (const c of named(n)) visit(c, inBody && n.type !== "function_definition" && n.type !== "decorated_definition");
  };
  for (const c of body ? named(body) : []) visit(c, true);
  for (const [name, n] of count) if (n !== 1) bound.delete(name);
  return bound;
}

/** urllib.parse.urljoin for the forms a base URL and a path take here. */
function urlJoin(base: string, rel: string): string {
  if (/^[a-z][\w+.-]*:/i.test(rel)) return rel;
  const origin = /^[a-z][\w+.-]*:\/\/[^/]*/i.exec(base)?.[0] ?? "";
  if (rel.startsWith("/")) return origin + rel;
  const slash = base.lastIndexOf("/");
  return (slash >= origin.length ? base.slice(0, slash + 1) : base + "/") + rel;
}

/**
 * The argument a call passes for a parameter (by keyword, else by position): "absent" when it
 * passes none (the default then holds), "unknown" when a `*args` or `**kwargs` may carry it.
 */
function argumentAt(call: Node, position: number | undefined, name: string): Node | "absent" | "unknown" {
  const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
  const keyword = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name);
  if (keyword) return field(keyword, "value") ?? "unknown";
  let index = 0;
  for (const a of args) {
    if (a.type === "keyword_argument") continue;
    if (a.type === "list_splat" || a.type === "dictionary_splat") return "unknown";
    if (index === position) return a;
    index++;
  }
  return args.some((a) => a.type === "dictionary_splat") ? "unknown" : "absent";
}
