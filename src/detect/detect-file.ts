/**
 * The one detection pass behind `check` and `migrate`: finds every legacy Generate use in a source
 * file and returns plain data (offsets, spans, kinds), never nodes, so it can cross worker threads.
 */
import { ts } from "ts-morph";
import { findMarkers, hasIgnoreFile, ignoredLines, LineMap } from "../markers";
import type { CallSite, ClientKind, ParseFailure, SiteKind, Span, SpreadType } from "../types";
import { CohereResolver, isCohereRequire, isCohereSpecifier, skipOuter } from "./resolver";
import { destructuredMethod, legacyTypePath } from "./indirect";
import { RENAMED_TYPE_PATHS } from "./legacy-types";
import { restSite } from "./rest";
import { isGenerateUrl } from "./rest-urls";
import { table } from "../tables";
import { GENERATE_ONLY } from "../../transforms/generate-to-chat/request-table";
import type { ImportedSite } from "./syntax-sites";

export interface FileDetection {
  sites: CallSite[];
  /** Offsets of receivers only the cross-file project can settle. */
  undecided: number[];
  importsCohere: boolean;
  /** Existing marker comments. */
  markers: { code: string; message: string; start: number; end: number; span?: Span; covers?: number }[];
  /** Sites and markers left alone by `cohere-migrate-ignore` comments. */
  suppressed: number;
  ignoreFile: boolean;
  /**
   * Set by the syntax settle: calls on receivers imported from the repository's modules (each also
   * in `undecided`), answered from the exporting module before the compiler is asked.
   */
  imported?: ImportedSite[];
}

/** Method names of the legacy API, and the site kind a call of each is. */
const LEGACY_METHODS: Readonly<Record<string, SiteKind>> = table({
  generate: "generate",
  generateStream: "generate-stream",
});

export function parseFailure(sf: ts.SourceFile, diagnostics: readonly ts.Diagnostic[]): ParseFailure | undefined {
  const d = diagnostics[0];
  if (!d) return undefined;
  const pos = sf.getLineAndCharacterOfPosition(d.start ?? 0);
  const lines = new LineMap(sf.text);
  return {
    message: ts.flattenDiagnosticMessageText(d.messageText, " "),
    line: pos.line + 1,
    column: pos.character + 1,
    sourceLine: lines.lineText(pos.line + 1),
  };
}

/** Cheap syntactic test: does the file hold any `.generate`-like member or a REST candidate? */
function memberName(node: ts.Node, checker?: ts.TypeChecker): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    return node.argumentExpression.text;
  }
  // `co[method](...)` with `const method = "generate"` (or a parameter typed "generate"): the name's
  // literal type says which method it is.
  if (checker && ts.isElementAccessExpression(node) && !ts.isNumericLiteral(node.argumentExpression)) {
    const type = checker.getTypeAtLocation(node.argumentExpression);
    if (type.isStringLiteral()) return type.value;
  }
  return undefined;
}

/** Site kinds whose first argument is the Generate request. */
const REQUEST_CALLS: ReadonlySet<SiteKind> = new Set(["generate", "generate-stream", "v6-generate"]);

/**
 * Whether migrate can rewrite the call's request: an object literal, or a const bound to one that
 * this call alone uses (the same rule the transform applies; a spread is checked there).
 */
function requestVisible(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const first = requestArgument(call);
  const arg = first ? skipOuter(first) : undefined;
  if (!arg) return false;
  // A spread of a literal in view that carries Generate-only fields (`{ ...base }` with a prompt in
  // base): the transform marks the call (blockingSpreadFields).
  const request = requestObject(call, checker);
  if (request && spreadsGenerateOnlyFields(request, checker)) return false;
  // A prompt only a spread can hold (`{ ...opts, maxTokens: 20 }`): the transform marks the call (promptOutOfSight).
  if (request && request.properties.some(ts.isSpreadAssignment) && !request.properties.some((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && (p.name.text === "prompt" || p.name.text === "messages"))) return false;
  if (ts.isObjectLiteralExpression(arg)) return true;
  if (!ts.isIdentifier(arg)) return false;
  const symbol = checker.getSymbolAtLocation(arg);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isObjectLiteralExpression(skipOuter(decl.initializer))) return false;
  if (!ts.isVariableDeclarationList(decl.parent) || (decl.parent.flags & ts.NodeFlags.Const) === 0) return false;
  let uses = 0;
  const count = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === arg.text && node !== decl.name && checker.getSymbolAtLocation(node) === symbol) uses++;
    ts.forEachChild(node, count);
  };
  count(call.getSourceFile());
  return uses === 1;
}

/** Whether a spread in the request is a const object literal holding a field Chat does not take. */
function spreadsGenerateOnlyFields(request: ts.ObjectLiteralExpression, checker: ts.TypeChecker): boolean {
  return request.properties.some((p) => {
    if (!ts.isSpreadAssignment(p)) return false;
    const e = skipOuter(p.expression);
    const decl = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e)?.valueDeclaration : undefined;
    const source = ts.isObjectLiteralExpression(e) ? e : decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const ? literalOf(decl.initializer) : undefined;
    if (!source || !ts.isObjectLiteralExpression(source)) return false;
    return source.properties.some((q) => (ts.isPropertyAssignment(q) || ts.isShorthandPropertyAssignment(q)) && (ts.isIdentifier(q.name) || ts.isStringLiteral(q.name)) && GENERATE_ONLY.has(q.name.text));
  });
}

/** A const's literal as the transform reads it (request.ts constObject): through `as const` and `satisfies`. */
function literalOf(init: ts.Expression): ts.Expression {
  let e = skipOuter(init);
  while (ts.isSatisfiesExpression(e) || (ts.isAsExpression(e) && ts.isConstTypeReference(e.type))) e = skipOuter(e.expression);
  return e;
}

/**
 * The argument holding the request: the first, or the second in cohere-ai 2.x's
 * `cohere.generate("large", { prompt })` (the model first, as a string), which migrate folds into
 * one request (cohere-v6-to-v8).
 */
function requestArgument(call: ts.CallExpression): ts.Expression | undefined {
  const [model, request] = call.arguments;
  if (call.arguments.length === 2 && model && ts.isStringLiteralLike(skipOuter(model)) && request && ts.isObjectLiteralExpression(skipOuter(request))) return request;
  return model;
}

/** The request object literal of a call: its first argument, or the const it names. */
function requestObject(call: ts.CallExpression, checker: ts.TypeChecker): ts.ObjectLiteralExpression | undefined {
  const first = requestArgument(call);
  const arg = first ? skipOuter(first) : undefined;
  if (!arg) return undefined;
  if (ts.isObjectLiteralExpression(arg)) return arg;
  if (!ts.isIdentifier(arg)) return undefined;
  const decl = checker.getSymbolAtLocation(arg)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  const init = skipOuter(decl.initializer);
  return ts.isObjectLiteralExpression(init) ? init : undefined;
}

/** The properties an object type always has and may have; undefined when it cannot be known. */
function propertiesOf(type: ts.Type, checker: ts.TypeChecker): { required: Set<string>; optional: Set<string> } | undefined {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never)) return undefined;
  if (type.isUnion()) {
    // `...(flag ? a : {})`, `...(x ?? {})`: always set only if every member sets it.
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.BooleanLiteral)));
    const parts = members.map((t) => propertiesOf(t, checker));
    if (!parts.length || parts.some((p) => p === undefined)) return undefined;
    const known = parts as Array<{ required: Set<string>; optional: Set<string> }>;
    const required = new Set([...known[0].required].filter((name) => known.every((p) => p.required.has(name))));
    const optional = new Set(known.flatMap((p) => [...p.required, ...p.optional]).filter((name) => !required.has(name)));
    return { required, optional };
  }
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return undefined;
  if (type.getStringIndexType() || type.getNumberIndexType()) return undefined;
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const symbol of checker.getPropertiesOfType(type)) {
    (symbol.flags & ts.SymbolFlags.Optional ? optional : required).add(symbol.getName());
  }
  return { required, optional };
}

/** The spreads of the call's request, typed. */
function requestSpreads(call: ts.CallExpression, checker: ts.TypeChecker): SpreadType[] | undefined {
  const obj = requestObject(call, checker);
  const spreads = obj?.properties.filter(ts.isSpreadAssignment) ?? [];
  if (!spreads.length) return undefined;
  return spreads.map((s) => {
    const start = s.expression.getStart(call.getSourceFile());
    const props = propertiesOf(checker.getTypeAtLocation(s.expression), checker);
    return props ? { start, required: [...props.required].sort(), optional: [...props.optional].sort() } : { start, unknown: true as const };
  });
}

/** The value of the request's `model` when it is not written as a literal here (`model: MODEL`). */
function modelExpression(call: ts.CallExpression, checker: ts.TypeChecker): ts.Expression | undefined {
  const obj = requestObject(call, checker);
  for (const p of obj?.properties ?? []) {
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === "model") return p.name;
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "model") {
      const value = skipOuter(p.initializer);
      return ts.isStringLiteralLike(value) ? undefined : value;
    }
  }
  return undefined;
}

/** Whether an expression reads a name imported from another module (`MODEL`, `config.MODEL`). */
function readsImport(node: ts.Expression, checker: ts.TypeChecker): boolean {
  const head = ts.isPropertyAccessExpression(node) ? node.expression : node;
  if (!ts.isIdentifier(head)) return false;
  const symbol = ts.isShorthandPropertyAssignment(head.parent) ? checker.getShorthandAssignmentValueSymbol(head.parent) : checker.getSymbolAtLocation(head);
  return symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0;
}

function requestFacts(call: ts.CallExpression, checker: ts.TypeChecker): Pick<CallSite, "requestVisible" | "requestSpreads" | "requestModel"> {
  const spreads = requestSpreads(call, checker);
  const model = modelExpression(call, checker);
  const type = model ? checker.getTypeAtLocation(model) : undefined;
  const requestModel = model && type?.isStringLiteral() ? { start: model.getStart(call.getSourceFile()), value: type.value } : undefined;
  return { requestVisible: requestVisible(call, checker), ...(spreads ? { requestSpreads: spreads } : {}), ...(requestModel ? { requestModel } : {}) };
}

/**
 * A marker comment stands above the code it is about: `covers` is the end of the outermost node
 * that starts right after it (a statement, a declaration, a class member), so that a site anywhere
 * inside that node (`interface X extends Omit<GenerateRequest, ...>`) counts as marked.
 */
function withReach<M extends { end: number }>(sf: ts.SourceFile, marker: M): M & { covers?: number } {
  const text = sf.text;
  let at = marker.end;
  while (at < text.length && /\s/.test(text[at])) at++;
  let covers: number | undefined;
  const visit = (node: ts.Node): void => {
    if (covers !== undefined || node.getEnd() <= at || node.pos > at) return;
    if (node.getStart(sf) === at && node.kind !== ts.SyntaxKind.SourceFile && !ts.isToken(node)) {
      covers = node.getEnd();
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return covers === undefined ? marker : { ...marker, covers };
}

export function fileImportsCohere(sf: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteralLike(node.moduleSpecifier) &&
      isCohereSpecifier(node.moduleSpecifier.text)
    ) {
      found = true;
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteralLike(e) && isCohereSpecifier(e.text)) found = true;
      return;
    }
    if (ts.isCallExpression(node) && isCohereRequire(node)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Finds the legacy sites of one file. `checker` comes from a single-file program (crossFile false)
 * or from the cross-file project (crossFile true); the logic is the same.
 */
export function detectInSourceFile(sf: ts.SourceFile, checker: ts.TypeChecker, crossFile: boolean): FileDetection {
  const text = sf.text;
  const lines = new LineMap(text);
  const resolver = new CohereResolver(checker, crossFile);
  const importsCohere = fileImportsCohere(sf);
  const sites: CallSite[] = [];
  const undecided: number[] = [];
  const urls: ts.StringLiteralLike[] = [];

  const site = (kind: SiteKind, client: ClientKind, node: ts.Node, callee: ts.Node, certainty: CallSite["certainty"]) => {
    const start = node.getStart(sf);
    const receiver = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression.getText(sf) : undefined;
    sites.push({
      kind,
      client,
      certainty,
      start,
      end: node.getEnd(),
      span: lines.span(start, node.getEnd()),
      callee: callee.getText(sf),
      ...(receiver !== undefined ? { receiver } : {}),
      ...(ts.isCallExpression(node) && REQUEST_CALLS.has(kind) ? requestFacts(node, checker) : {}),
    });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      // Handles: ask("hi", cohere), the v6 module handed to code that calls its API elsewhere (cohere-ai 8 has none).
      // Not `cohere.generate.bind(cohere)`: the module bound to its own method (indirect-generate's).
      const bound = ts.isPropertyAccessExpression(node.expression) && ts.isPropertyAccessExpression(node.expression.expression) && ts.isIdentifier(node.expression.expression.expression) ? node.expression.expression.expression.text : undefined;
      for (const arg of node.arguments) if (ts.isIdentifier(arg) && arg.text !== bound && resolver.isCohereModule(arg)) site("v6-module", "v6", node, arg, "certain");
      const callee = skipOuter(node.expression);
      const method = memberName(callee, checker);
      const kind = method ? LEGACY_METHODS[method] : undefined;
      if (kind && (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee))) {
        const receiver = callee.expression;
        const verdict = resolver.receiver(receiver);
        if (verdict.kind === "module" && method === "generate") site("v6-generate", "v6", node, callee, "certain");
        else if (verdict.kind === "client") {
          site(kind, verdict.client, node, callee, "certain");
          // A model imported from another module: only the cross-file project knows its value.
          const model = REQUEST_CALLS.has(kind) && !crossFile ? modelExpression(node, checker) : undefined;
          if (model && readsImport(model, checker)) undecided.push(model.getStart(sf));
        }
        else if (verdict.kind === "unknown") {
          if (verdict.crossFile && !crossFile) undecided.push(receiver.getStart(sf));
          else if (importsCohere) site(kind, "v1", node, callee, "possible");
        }
      } else if (method && ts.isPropertyAccessExpression(callee) && resolver.isCohereModule(callee.expression)) {
        // Handles: cohere.init(key), cohere.embed(...): the v6 module API, gone in cohere-ai 8.
        site("v6-module", "v6", node, callee, "certain");
      } else {
        const rest = restSite(node, checker);
        if (rest) {
          site("rest-generate", "rest", node, node.expression, rest.certain ? "certain" : "possible");
          sites[sites.length - 1].requestVisible = rest.requestVisible;
        }
      }
    } else if (
      (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
      memberName(node) === "generate" &&
      !isCallee(node)
    ) {
      // Handles: client.generate.bind(client), const gen = client.generate, helper(client.generate)
      const verdict = resolver.receiver(node.expression);
      if (verdict.kind === "client") site("indirect-generate", verdict.client, node, node, "certain");
      else if (verdict.kind === "module") site("indirect-generate", "v6", node, node, "certain");
      else if (verdict.kind === "unknown" && verdict.crossFile && !crossFile) undecided.push(node.expression.getStart(sf));
    }
    // Handles: const { generate } = client, client.generateStream passed on (src/detect/indirect.ts)
    const taken = destructuredMethod(node) ?? streamReference(node);
    if (taken) {
      const verdict = resolver.receiver(taken.source);
      if (verdict.kind === "client") site("indirect-generate", verdict.client, taken.node, taken.node, "certain");
      else if (verdict.kind === "module") site("indirect-generate", "v6", taken.node, taken.node, "certain");
      else if (verdict.kind === "unknown" && verdict.crossFile && !crossFile) undecided.push(taken.source.getStart(sf));
    }
    // Handles: "https://api.cohere.ai/v1/generate" anywhere (a constant for the project's own HTTP wrapper)
    if (ts.isStringLiteralLike(node) && isGenerateUrl(node.text)) urls.push(node);
    // Handles: Cohere.Generation, Cohere.GenerateRequest, ... in TypeScript types
    const typePath = legacyTypePath(node, checker);
    if (typePath) {
      site("generate-type", "v1", node, node, "certain");
      sites[sites.length - 1].typeRenamed = RENAMED_TYPE_PATHS.has(typePath) && !ts.isExpressionWithTypeArguments(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // A Generate URL is a legacy use wherever it is; in a file with a REST Generate call, that call's
  // site already says so (the URL is usually its constant).
  if (!sites.some((s) => s.kind === "rest-generate")) {
    for (const url of urls) {
      const at = url.getStart(sf);
      if (!sites.some((s) => s.start <= at && at < s.end)) site("generate-url", "rest", url, url, "certain");
    }
  }

  const ignoreFile = hasIgnoreFile(text);
  const ignored = ignoredLines(text);
  const markers = findMarkers(text);
  const kept = ignoreFile ? [] : sites.filter((s) => !isSuppressed(s, sf, ignored));
  const keptMarkers = ignoreFile ? [] : markers.filter((m) => !ignored.has(lines.location(m.start).line)).map((m) => withReach(sf, m));
  return {
    sites: kept.sort((a, b) => a.start - b.start),
    undecided: ignoreFile ? [] : undecided,
    importsCohere,
    markers: keptMarkers,
    suppressed: sites.length - kept.length + (markers.length - keptMarkers.length),
    ignoreFile,
  };
}

/** Handles: helper(client.generateStream), const s = client.generateStream.bind(client) */
function streamReference(node: ts.Node): { node: ts.Node; source: ts.Expression } | undefined {
  if (!(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))) return undefined;
  return memberName(node) === "generateStream" && !isCallee(node) ? { node, source: node.expression } : undefined;
}

function isCallee(node: ts.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  return ts.isCallExpression(parent) && parent.expression === child;
}

/** `// cohere-migrate-ignore` on the line before the call, or before the statement holding it. */
function isSuppressed(s: CallSite, sf: ts.SourceFile, ignored: Set<number>): boolean {
  if (ignored.size === 0) return false;
  if (ignored.has(s.span.start.line)) return true;
  let node = findNodeAt(sf, s.start);
  while (node && !isStatementLike(node)) node = node.parent;
  if (!node) return false;
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  return ignored.has(line);
}

function isStatementLike(node: ts.Node): boolean {
  return ts.isStatement(node) || ts.isClassElement(node) || ts.isPropertyAssignment(node);
}

export function findNodeAt(sf: ts.SourceFile, start: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sf) <= start && start < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return found;
}
