/**
 * The Python parser: tree-sitter's Python grammar compiled to WebAssembly (`tree-sitter-python`'s
 * own wasm, run by `web-tree-sitter`). No native build and no download at run time; the grammar is
 * error-tolerant and every node knows its exact offsets, so rewrites are byte-range edits on the
 * original text.
 *
 * Loading the wasm is asynchronous and costs a few milliseconds, so it happens once, on the first
 * Python file a run meets (`loadPython`); parsing after that is synchronous. Trees live in the wasm
 * heap, not V8's: callers free them (`withTree`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Node, Parser as ParserType, Tree } from "web-tree-sitter";
import type { ParseFailure } from "../types";

let parser: ParserType | undefined;
let loading: Promise<void> | undefined;

/**
 * The grammar's wasm: the copy the build puts in dist/grammars/ (the published package ships it, so
 * installing it runs no install script: tree-sitter-python's own package has a native one), or,
 * running from the sources, the devDependency's.
 */
function grammarPath(): string {
  const bundled = join(__dirname, "..", "..", "grammars", "tree-sitter-python.wasm");
  return existsSync(bundled) ? bundled : require.resolve("tree-sitter-python/tree-sitter-python.wasm");
}

/**
 * Loads the grammar once; later calls wait for the same load (the first call's options decide).
 *
 * `baseline`: a run that parses a few files on this thread compiles the wasm with V8's baseline
 * compiler only (Liftoff, `--liftoff-only`). Its optimising compiler otherwise works on
 * tree-sitter's large lexer and tables on the other core while those few files are parsed, and the
 * process waits for it before exiting: on langchain-community (two files parsed) that is about
 * 60 ms of a 0.4 s check. V8's flags are the process's, so this stays set for the rest of it. If
 * the baseline compiler cannot compile the grammar, it is loaded the default way.
 */
export function loadPython(options: { baseline?: boolean } = {}): Promise<void> {
  loading ??= (async () => {
    const { Parser, Language } = require("web-tree-sitter") as typeof import("web-tree-sitter");
    const v8 = require("node:v8") as typeof import("node:v8");
    const load = async (): Promise<ParserType> => {
      await Parser.init();
      // The bytes, not a path: given a path, web-tree-sitter reads it through a dynamic import(),
      // which CommonJS hosts such as jest's VM do not allow.
      const language = await Language.load(readFileSync(grammarPath()));
      const p = new Parser();
      p.setLanguage(language);
      return p;
    };
    if (options.baseline) {
      v8.setFlagsFromString("--liftoff-only");
      try {
        parser = await load();
        return;
      } catch {
        v8.setFlagsFromString("--no-liftoff-only");
      }
    }
    parser = await load();
  })();
  return loading;
}

function loaded(): ParserType {
  if (!parser) throw new Error("the Python parser is not loaded: await loadPython() first");
  return parser;
}

/**
 * Python 2 statements the grammar still accepts (it parses `print x` as a print statement): a
 * Python 3 interpreter rejects them, so they are syntax errors here.
 */
const PYTHON2_STATEMENTS: ReadonlyMap<string, string> = new Map([
  ["print_statement", "Python 2 print statement (use print(...))"],
  ["exec_statement", "Python 2 exec statement (use exec(...))"],
]);

/** The first syntax error of a tree: an ERROR or MISSING node, or a Python 2 statement. */
export function syntaxError(tree: Tree, text: string): ParseFailure | undefined {
  let found: { node: Node; message: string } | undefined;
  const visit = (node: Node): void => {
    if (found) return;
    if (node.isMissing) {
      found = { node, message: `missing ${node.type}` };
      return;
    }
    if (node.isError) {
      // An unclosed bracket swallows the rest of the statement into the ERROR node: point at the
      // bracket, as Python's own message does.
      const open = unclosedBracket(node);
      found = open ? { node: open, message: `'${open.type}' was never closed` } : { node, message: `invalid syntax near ${JSON.stringify(node.text.slice(0, 20))}` };
      return;
    }
    const py2 = PYTHON2_STATEMENTS.get(node.type);
    if (py2) {
      found = { node, message: py2 };
      return;
    }
    if (!node.hasError && !hasPython2Statement(node)) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  if (!found) return undefined;
  const { row, column } = found.node.startPosition;
  return { message: found.message, line: row + 1, column: column + 1, sourceLine: text.split(/\r?\n/)[row] ?? "" };
}

const CLOSING: ReadonlyMap<string, string> = new Map([
  ["(", ")"],
  ["[", "]"],
  ["{", "}"],
]);

/** The first bracket token under `node` that no later token closes. */
function unclosedBracket(node: Node): Node | undefined {
  const stack: Node[] = [];
  const visit = (n: Node): void => {
    if (n.childCount === 0) {
      if (CLOSING.has(n.type)) stack.push(n);
      else if (stack.length && CLOSING.get(stack[stack.length - 1].type) === n.type) stack.pop();
      return;
    }
    for (const child of n.children) if (child) visit(child);
  };
  visit(node);
  return stack[0];
}

function hasPython2Statement(node: Node): boolean {
  // Print statements are rare: one search of the subtree decides whether to walk it.
  return node.descendantsOfType([...PYTHON2_STATEMENTS.keys()]).length > 0;
}

/** Parses, hands the tree to `use`, frees it. */
export function withTree<R>(text: string, use: (tree: Tree) => R): R {
  const tree = loaded().parse(text);
  if (!tree) throw new Error("the Python parser returned no tree");
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

/** Named children without the nulls web-tree-sitter's types allow. */
export function named(node: Node): Node[] {
  // A backslash line continuation (`prompt=p, \` + newline) is a named child of wherever it falls,
  // never an argument or an item: left out, as the parser's other extras are.
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== "line_continuation");
}

export function field(node: Node, name: string): Node | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** Named children that are not comments. */
export function codeChildren(node: Node): Node[] {
  return named(node).filter((c) => c.type !== "comment");
}

/** The identifier text of a simple name node, else undefined. */
export function nameOf(node: Node | undefined): string | undefined {
  return node?.type === "identifier" ? node.text : undefined;
}

/** `a.b.c` as ["a", "b", "c"] when the expression is a plain dotted name. */
export function dotted(node: Node | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.type === "identifier") return [node.text];
  if (node.type === "attribute") {
    const head = dotted(field(node, "object"));
    const attr = field(node, "attribute");
    return head && attr ? [...head, attr.text] : undefined;
  }
  return undefined;
}

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ["\\n", "\n"],
  ["\\t", "\t"],
  ["\\\\", "\\"],
  ["\\'", "'"],
  ['\\"', '"'],
]);

/** The value of a plain string literal (no f-string, no concatenation), else undefined. */
export function stringValue(node: Node | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  if (named(node).some((c) => c.type === "interpolation")) return undefined;
  const start = node.children.find((c) => c?.type === "string_start")?.text ?? "";
  if (/[fFbB]/.test(start)) return undefined;
  const content = named(node).filter((c) => c.type === "string_content" || c.type === "escape_sequence");
  // Escapes are rare in the values compared here (model names, enum strings); decode the common ones.
  return content.map((c) => (c.type === "escape_sequence" ? (ESCAPES.get(c.text) ?? c.text) : c.text)).join("");
}

/** The function, lambda or module whose scope a node is in. */
export function scopeNodeOf(node: Node): Node {
  for (let n = node.parent; n; n = n.parent) if (n.type === "function_definition" || n.type === "lambda" || n.type === "module") return n;
  return node;
}

/** Depth-first walk; `visit` returns false to skip a node's children. */
export function walk(node: Node, visit: (n: Node) => boolean): void {
  if (!visit(node)) return;
  for (const c of named(node)) walk(c, visit);
}

/** Whether two nodes are the same node of the tree (web-tree-sitter makes a new object per access). */
function sameNode(a: Node, b: Node): boolean {
  return a.id === b.id;
}

/** Keys of a `**spread` in a call: a dict literal, or a name bound to one before it in its scope or an enclosing one. */
export function dictSpreadKeys(spread: Node): Set<string> | undefined {
  const entries = dictSpreadEntries(spread);
  return entries && new Set(entries.keys());
}

/** dictSpreadKeys, with each key's value node. */
export function dictSpreadEntries(spread: Node): Map<string, Node> | undefined {
  const entries = dictEntries(spreadDict(spread));
  return entries && !entries.partial ? entries.entries : undefined;
}

/**
 * The keys a `**spread` is seen to hold, though it may hold more: `**{**defaults, "prompt": p}`,
 * `dict(prompt=p, **more)`. A Generate-only key among them makes the Chat call fail whatever else it holds.
 */
export function dictSpreadKeysSeen(spread: Node): Set<string> {
  return new Set(dictEntries(spreadDict(spread))?.entries.keys() ?? []);
}

/**
 * The entries a name's dict literal (or `dict(...)`) holds, when the name is that module's or
 * function's dict (no parameter of that name hides it) and every read of it is a `.get(...)` /
 * `.pop(...)`: a dict read otherwise (`PRICES[config["model"]]`, passed on) is not only settings.
 */
export function dictEntriesOf(name: Node): Map<string, Node> | undefined {
  if (name.type !== "identifier") return undefined;
  for (let scope: Node | null = name.parent; scope; scope = scope.parent) {
    if (scope.type !== "function_definition" && scope.type !== "lambda") continue;
    const params = field(scope, "parameters");
    if (params && named(params).some((p) => (p.type === "identifier" ? p.text : (field(p, "name") ?? named(p).find((c) => c.type === "identifier"))?.text) === name.text)) return undefined;
  }
  let root = name;
  while (root.parent) root = root.parent;
  let other = false;
  walk(root, (n) => {
    if (other) return false;
    if (n.type !== "identifier" || n.text !== name.text) return true;
    const parent = n.parent;
    if (parent?.type === "assignment" && sameNode(field(parent, "left") ?? parent, n)) return false;
    if (parent?.type === "attribute" && sameNode(field(parent, "object") ?? parent, n) && /^(?:get|pop)$/.test(field(parent, "attribute")?.text ?? "") && parent.parent?.type === "call") return false;
    if (parent?.type === "attribute" && sameNode(field(parent, "attribute") ?? parent, n)) return false;
    other = true;
    return false;
  });
  return other ? undefined : dictEntries(dictBoundTo(name))?.entries;
}

/** The dict a `**spread` passes: a literal, `dict(...)`, or a name bound to either. */
function spreadDict(spread: Node): Node | undefined {
  const inner = named(spread)[0];
  if (!inner) return undefined;
  if (inner.type === "dictionary" || isDictCall(inner)) return inner;
  return inner.type === "identifier" ? dictBoundTo(inner) : undefined;
}

/**
 * The dict a call's only `**spread` passes when that call is all that uses it: a literal written
 * in the call, or a name assigned a dict literal (or `dict(...)`) once in its function or module,
 * before the call, and read nowhere else (not logged, not kept, not changed, not passed on):
 * rewriting that dict's entries is then rewriting the call's request. Its keys must all be
 * constant (`"prompt": p`, `prompt=p`) or spreads; a computed key says nothing of what it sends.
 */
export function ownedDict(spread: Node): Node | undefined {
  const inner = named(spread)[0];
  if (!inner) return undefined;
  let dict: Node | undefined;
  if (inner.type === "dictionary" || isDictCall(inner)) dict = inner;
  else if (inner.type === "identifier") {
    const scope = scopeNodeOf(inner);
    const assignments: Node[] = [];
    const reads: Node[] = [];
    /** `params["max_tokens"] = n` before the call: a field Chat takes as it is. */
    const fills: Node[] = [];
    // Every other occurrence of the name counts (a closure's read, a parameter or a local of the same name alike).
    walk(scope, (n) => {
      if (n.type !== "identifier" || n.text !== inner.text || sameNode(n, inner)) return true;
      const parent = n.parent;
      if (parent?.type === "attribute" && sameNode(field(parent, "attribute") ?? parent, n)) return true;
      if (parent?.type === "keyword_argument" && sameNode(field(parent, "name") ?? parent, n)) return true;
      if (parent?.type === "assignment" && sameNode(field(parent, "left") ?? parent, n) && parent.parent?.type === "expression_statement" && sameNode(scopeNodeOf(n), scope)) assignments.push(parent);
      else if (setsPassedField(n, spread)) fills.push(n);
      else reads.push(n);
      return true;
    });
    // The dict is the last assignment before the call. Handles: kwargs = self._common(); kwargs =
    // {"prompt": p, **kwargs}: earlier values may be read only in building it, and then (so that no
    // pass of a loop reads the last pass's dict) outside any loop.
    const owner = assignments.filter((a) => a.endIndex <= spread.startIndex).pop();
    const right = owner && field(owner, "right");
    const inLoop = (): boolean => {
      for (let n = spread.parent; n && !sameNode(n, scope); n = n.parent) if (n.type === "for_statement" || n.type === "while_statement") return true;
      return false;
    };
    // The dict's statement must run on every path to the call: its block holds the call (not
    // `if c: params = {...} else: params = {...}`, where the other branch's dict reaches it too).
    const block = owner?.parent?.parent;
    const dominates = !!block && block.startIndex <= spread.startIndex && spread.endIndex <= block.endIndex;
    if (
      !owner ||
      !right ||
      !dominates ||
      !(right.type === "dictionary" || isDictCall(right)) ||
      assignments.some((a) => a.startIndex > owner.startIndex) ||
      reads.some((r) => r.startIndex < right.startIndex || r.endIndex > right.endIndex) ||
      fills.some((f) => f.startIndex < owner.endIndex) ||
      (assignments.length > 1 && inLoop())
    ) {
      return undefined;
    }
    dict = right;
  }
  if (!dict) return undefined;
  const items = dict.type === "call" ? named(field(dict, "arguments") ?? dict) : named(dict);
  const constant = (item: Node): boolean =>
    item.type === "comment" || item.type === "dictionary_splat" || item.type === "keyword_argument" || (item.type === "pair" && stringValue(field(item, "key")) !== undefined);
  return items.every(constant) ? dict : undefined;
}

/** Fields a request dict may be given after it is built (`params["max_tokens"] = n`): Chat takes them as Generate did, under the same name. */
const FILLED_AS_THEY_ARE: ReadonlySet<string> = new Set(["max_tokens", "k", "p", "frequency_penalty", "presence_penalty"]);

/**
 * Handles: params = {"prompt": p}; if n: params["max_tokens"] = n; co.generate(**params): a name
 * given one of those fields by a constant key, in a statement of its own, in the call's function and before it.
 */
function setsPassedField(name: Node, spread: Node): boolean {
  const subscript = name.parent;
  if (subscript?.type !== "subscript" || !sameNode(field(subscript, "value") ?? subscript, name)) return false;
  const assignment = subscript.parent;
  if (assignment?.type !== "assignment" || !sameNode(field(assignment, "left") ?? assignment, subscript) || assignment.parent?.type !== "expression_statement") return false;
  const key = stringValue(field(subscript, "subscript") ?? undefined);
  return key !== undefined && FILLED_AS_THEY_ARE.has(key) && assignment.endIndex <= spread.startIndex && sameNode(scopeNodeOf(name), scopeNodeOf(spread));
}

/**
 * A Generate call's keyword arguments by name, each with its value: those written in the call, or
 * (`co.generate(**params)`, a dict the call alone uses: ownedDict) that dict's entries.
 */
export function requestEntries(call: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const items = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
  const owned = items.length === 1 && items[0].type === "dictionary_splat" ? ownedDict(items[0]) : undefined;
  const entries = owned ? named(owned.type === "call" ? (field(owned, "arguments") ?? owned) : owned) : items;
  for (const item of entries) {
    const name = item.type === "keyword_argument" ? field(item, "name")?.text : item.type === "pair" ? stringValue(field(item, "key")) : undefined;
    const value = field(item, "value");
    if (name !== undefined && value) out.set(name, value);
  }
  return out;
}

/** `dict(a=1, b=2)` (the builtin, with keywords and spreads only). */
function isDictCall(node: Node | undefined): boolean {
  if (node?.type !== "call" || nameOf(field(node, "function")) !== "dict") return false;
  const args = field(node, "arguments");
  return !!args && named(args).every((a) => a.type === "keyword_argument" || a.type === "dictionary_splat" || a.type === "comment");
}

/** A dict literal's or `dict(...)`'s constant keys with their values; partial when it also spreads or computes keys. */
function dictEntries(dict: Node | undefined): { entries: Map<string, Node>; partial: boolean } | undefined {
  if (!dict) return undefined;
  const entries = new Map<string, Node>();
  let partial = false;
  const items = dict.type === "call" ? named(field(dict, "arguments") ?? dict) : named(dict);
  for (const item of items) {
    if (item.type === "comment") continue;
    const key = item.type === "pair" ? stringValue(field(item, "key")) : item.type === "keyword_argument" ? field(item, "name")?.text : undefined;
    const value = field(item, item.type === "pair" ? "value" : "value");
    if (key === undefined || !value) partial = true;
    else entries.set(key, value);
  }
  return { entries, partial };
}

/** The dict literal last assigned to `name` before it, in its function or an enclosing scope. */
function dictBoundTo(name: Node): Node | undefined {
  for (let scope: Node | undefined = scopeNodeOf(name); scope; scope = scope.type === "module" ? undefined : scopeNodeOf(scope)) {
    let found: Node | undefined;
    let assigned = false;
    const inner = scope;
    walk(inner, (n) => {
      if (n.type === "assignment" && nameOf(field(n, "left")) === name.text && (n.endIndex <= name.startIndex || !sameNode(inner, scopeNodeOf(name)))) {
        assigned = true;
        const right = field(n, "right");
        found = right?.type === "dictionary" || isDictCall(right) ? right : undefined;
      }
      return !((n.type === "function_definition" || n.type === "class_definition") && !sameNode(n, inner));
    });
    // A module's dict can be changed by any function of it (`GEN["model"] = m` in configure()).
    if (assigned) return found && !mutatedIn(scope, name.text, scope.type === "module") ? found : undefined;
  }
  return undefined;
}

/** Methods of a dict that change its keys or values. */
const DICT_MUTATORS: ReadonlySet<string> = new Set(["update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"]);

/**
 * Whether `name` is changed in place somewhere in `scope` (its own statements, not nested
 * functions): `name[k] = v`, `name[k] += v`, `del name[k]`, `name |= other`, `name.update(...)`
 * and the other mutating methods, or handed to a function (`fill(name)`), which may change it. A dict literal so changed no longer says which keys a `**name`
 * spread passes (where it happens does not matter: a loop runs it before the next call).
 */
function mutatedIn(scope: Node, name: string, intoFunctions = false): boolean {
  const isName = (n: Node | null | undefined): boolean => n?.type === "identifier" && n.text === name;
  const subscriptOfName = (n: Node | null | undefined): boolean => n?.type === "subscript" && isName(field(n, "value"));
  let mutated = false;
  walk(scope, (n) => {
    if (mutated) return false;
    if ((n.type === "assignment" || n.type === "augmented_assignment") && (subscriptOfName(field(n, "left")) || (n.type === "augmented_assignment" && isName(field(n, "left"))))) mutated = true;
    else if (n.type === "delete_statement" && named(n).some((t) => subscriptOfName(t) || (t.type === "expression_list" && named(t).some(subscriptOfName)))) mutated = true;
    else if (n.type === "call") {
      const fn = field(n, "function");
      if (fn?.type === "attribute" && isName(field(fn, "object")) && DICT_MUTATORS.has(field(fn, "attribute")?.text ?? "")) mutated = true;
      // Handles: extra = {}; add_knobs(extra); co.generate(prompt=p, **extra): the function may fill it.
      else if (named(field(n, "arguments") ?? n).some((a) => isName(a) || (a.type === "keyword_argument" && isName(field(a, "value"))))) mutated = true;
    }
    return intoFunctions || !((n.type === "function_definition" || n.type === "class_definition") && !sameNode(n, scope));
  });
  return mutated;
}

export type { Node, Tree };
