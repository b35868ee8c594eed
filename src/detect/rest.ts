/**
 * REST detection: `fetch` / `axios` calls to the Generate endpoint on a Cohere host.
 *
 * Handles: fetch(url, init), globalThis.fetch(...), axios.post(url, data, config), axios(config),
 * axios(url, config), axios.request(config), and the same on an instance made by
 * `axios.create({ baseURL })`; URLs as literals, templates, `+`, `new URL(path, base)` and consts.
 */
import { ts } from "ts-morph";
import { skipOuter } from "./resolver";
import { COHERE_HOST_RE, COHERE_ORIGIN_RE, GENERATE_PATH_RE, joinBaseUrl, PLACEHOLDER } from "./rest-urls";

export { COHERE_HOST_RE, COHERE_ORIGIN_RE, GENERATE_PATH_RE, joinBaseUrl, PLACEHOLDER };


/** HTTP methods an axios instance or the axios function exposes, and which argument holds what. */
const AXIOS_BODY_METHODS = new Set(["post"]);
const AXIOS_CONFIG_METHODS = new Set(["request"]);

export interface RestMatch {
  /** True when the call certainly goes to Cohere's Generate endpoint (the host is visible). */
  certain: boolean;
  /**
   * Whether migrate can rewrite it (rest-generate-to-chat marks it otherwise): the Cohere origin and
   * Generate path in sight, a JSON body it can see, and no `stream` flag.
   */
  requestVisible: boolean;
}

/**
 * The URL text of an expression, with PLACEHOLDER where a part cannot be seen. Follows const
 * bindings in the same file, template literals, `+` concatenation, `new URL(path, base)`, and the
 * fallback of `??` / `||` (the part before it is out of sight).
 */
export function staticText(expr: ts.Expression, checker: ts.TypeChecker, depth = 0, thisFields = false): string | undefined {
  if (depth > 8) return PLACEHOLDER;
  const e = skipOuter(expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    let out = e.head.text;
    for (const span of e.templateSpans) out += (staticText(span.expression, checker, depth + 1, thisFields) ?? PLACEHOLDER) + span.literal.text;
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (staticText(e.left, checker, depth + 1, thisFields) ?? PLACEHOLDER) + (staticText(e.right, checker, depth + 1, thisFields) ?? PLACEHOLDER);
  }
  if (
    ts.isBinaryExpression(e) &&
    (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    // Handles: process.env.COHERE_URL ?? "https://api.cohere.ai/v1/generate": a Cohere URL by default.
    const fallback = staticText(e.right, checker, depth + 1, thisFields);
    return fallback === undefined ? undefined : PLACEHOLDER + fallback;
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "URL" && e.arguments?.length) {
    const [rel, base] = e.arguments;
    const relText = staticText(rel, checker, depth + 1, thisFields);
    if (!base) return relText;
    const baseText = staticText(base, checker, depth + 1, thisFields);
    if (relText === undefined || baseText === undefined) return PLACEHOLDER;
    try {
      return new URL(relText, baseText).toString();
    } catch {
      return PLACEHOLDER;
    }
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e, checker);
    if (init) return staticText(init, checker, depth + 1, thisFields);
  }
  if (thisFields && ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) {
    // Handles: `${this.baseUrl}generate` with baseUrl set once in the class to a Cohere URL.
    const init = thisFieldValue(e);
    if (init) return staticText(init, checker, depth + 1, thisFields);
  }
  return undefined;
}

/**
 * The one value a class gives `this.<name>`: its initializer or the right side of its one
 * assignment (`this.baseUrl = "https://api.cohere.ai/"` in the constructor), when nothing else in
 * the class writes it.
 */
function thisFieldValue(access: ts.PropertyAccessExpression): ts.Expression | undefined {
  let cls: ts.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const name = access.name.text;
  const values: ts.Expression[] = [];
  let writes = 0;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name.getText() === name && member.initializer) {
      writes++;
      values.push(member.initializer);
    }
  }
  const visit = (n: ts.Node): void => {
    if (ts.isClassLike(n) && n !== cls) return;
    if (ts.isBinaryExpression(n) && ts.isPropertyAccessExpression(n.left) && n.left.expression.kind === ts.SyntaxKind.ThisKeyword && n.left.name.text === name) {
      writes++;
      if (n.operatorToken.kind === ts.SyntaxKind.EqualsToken) values.push(n.right);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(cls, visit);
  return writes === 1 && values.length === 1 ? values[0] : undefined;
}

function constInitializer(id: ts.Identifier, checker: ts.TypeChecker): ts.Expression | undefined {
  const symbol = checker.getSymbolAtLocation(id);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && isConstDeclaration(decl)) return decl.initializer;
  return undefined;
}

function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The URL expression of a call to a known HTTP client, and the base URL it is relative to. */
interface UrlSource {
  url: ts.Expression;
  base?: ts.Expression;
}

function urlSource(call: ts.CallExpression, checker: ts.TypeChecker): UrlSource | undefined {
  const callee = skipOuter(call.expression);
  const first = call.arguments[0];
  if (!first) return undefined;
  // A config written in the call, or in a const it names: `const options = { url, data }; axios(options)`.
  const config = configObject(first, checker);
  const fromConfig = (base?: ts.Expression): UrlSource | undefined => {
    const url = config ? configProperty(config, "url") : undefined;
    const configBase = config ? configProperty(config, "baseURL") : undefined;
    return url ? { url, base: configBase ?? base } : undefined;
  };
  if (ts.isIdentifier(callee)) {
    if (callee.text === "fetch") return { url: first };
    if (callee.text === "axios") return config ? fromConfig() : { url: first };
    // Handles: const api = axios.create({ baseURL }); api({ url: "/generate", ... })
    const base = instanceBase(callee, checker);
    if (base) return config ? fromConfig(base.base) : { url: first, base: base.base };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const owner = skipOuter(callee.expression);
  const method = callee.name.text;
  if (method === "fetch" && ts.isIdentifier(owner) && /^(globalThis|window|self|global)$/.test(owner.text)) return { url: first };
  if (!ts.isIdentifier(owner)) return undefined;
  const base = owner.text === "axios" ? { base: undefined } : instanceBase(owner, checker);
  if (!base) return undefined;
  if (AXIOS_BODY_METHODS.has(method)) return { url: first, base: base.base };
  if (AXIOS_CONFIG_METHODS.has(method)) return fromConfig(base.base);
  return undefined;
}

/** An object literal, or the one a const it names is initialised with. */
function configObject(expr: ts.Expression, checker: ts.TypeChecker): ts.ObjectLiteralExpression | undefined {
  const e = skipOuter(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  const init = ts.isIdentifier(e) ? constInitializer(e, checker) : undefined;
  const value = init && skipOuter(init);
  return value && ts.isObjectLiteralExpression(value) ? value : undefined;
}

/** For an identifier bound to `axios.create(config)`: the config's baseURL (undefined when none). */
function instanceBase(id: ts.Identifier, checker: ts.TypeChecker): { base: ts.Expression | undefined } | undefined {
  const init = constInitializer(id, checker);
  if (!init) return undefined;
  const e = skipOuter(init);
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
  const target = skipOuter(e.expression.expression);
  if (!ts.isIdentifier(target) || target.text !== "axios" || e.expression.name.text !== "create") return undefined;
  const config = e.arguments[0];
  return { base: config && ts.isObjectLiteralExpression(config) ? configProperty(config, "baseURL") : undefined };
}

function configProperty(config: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of config.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

export function restSite(call: ts.CallExpression, checker: ts.TypeChecker): RestMatch | undefined {
  const source = urlSource(call, checker);
  if (!source) return undefined;
  let path = staticText(source.url, checker);
  let base = source.base ? (staticText(source.base, checker) ?? PLACEHOLDER) : undefined;
  let url = path === undefined ? undefined : joinBaseUrl(base, path);
  // As the transform sees it (rest-generate-to-chat/http.ts): the whole URL, or its Cohere origin and Generate path.
  let urlVisible = url !== undefined && (COHERE_HOST_RE.test(url) || (COHERE_ORIGIN_RE.test(url.split(PLACEHOLDER)[0]) && GENERATE_PATH_RE.test(url)));
  if (!urlVisible) {
    // Handles: `${this.baseUrl}generate`: a Cohere call the transform cannot rewrite (it marks it).
    const withFields = staticText(source.url, checker, 0, true);
    if (withFields !== undefined && withFields !== path) {
      path = withFields;
      base = source.base ? (staticText(source.base, checker, 0, true) ?? PLACEHOLDER) : undefined;
      url = joinBaseUrl(base, path);
    }
  }
  if (path === undefined || url === undefined) return undefined;
  const body = requestBody(call, checker);
  const requestVisible = urlVisible && body !== undefined && !streams(body);
  if (!url.includes(PLACEHOLDER)) return COHERE_HOST_RE.test(url) ? { certain: true, requestVisible } : undefined;
  // Handles: fetch(`https://api.cohere.ai/v1/${endpoint}`) in a helper called as callCohere("generate", body):
  // the endpoint is out of sight, and may be Generate. A possible call, for a person to check.
  if (/\/\u0000\/?$/.test(url) && COHERE_ORIGIN_RE.test(url.split(PLACEHOLDER)[0]) && /api\.cohere\.(ai|com)/.test(url)) return { certain: false, requestVisible: false };
  if (!GENERATE_PATH_RE.test(url)) return undefined;
  // Part of the URL is out of sight. A Cohere host in sight makes it a Cohere call: migrate rewrites
  // it, or marks it when it cannot see enough. A hidden host is reported for a person to check.
  const visible = url.split(PLACEHOLDER).join("");
  if (url.split(PLACEHOLDER).some((part) => COHERE_ORIGIN_RE.test(part))) return { certain: true, requestVisible };
  if (/api\.cohere\.(ai|com)/.test(visible)) return { certain: false, requestVisible: false };
  return undefined;
}

/**
 * The request object the call sends, when it can be seen as the transform sees it: fetch's
 * `body: JSON.stringify(obj)`, axios' `data` (the object, or its JSON text), in the call or in
 * consts it names.
 */
function requestBody(call: ts.CallExpression, checker: ts.TypeChecker): ts.ObjectLiteralExpression | undefined {
  const callee = skipOuter(call.expression);
  const [first, second] = call.arguments;
  if (!first) return undefined;
  const jsonOf = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
    const x = e && skipOuter(e);
    if (!x || !ts.isCallExpression(x) || x.expression.getText() !== "JSON.stringify" || !x.arguments[0]) return undefined;
    return configObject(x.arguments[0], checker);
  };
  const dataOf = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => (e ? (jsonOf(e) ?? configObject(e, checker)) : undefined);
  const fetchLike = ts.isIdentifier(callee) ? callee.text === "fetch" : ts.isPropertyAccessExpression(callee) && callee.name.text === "fetch";
  if (fetchLike) {
    const init = second && configObject(second, checker);
    const body = init ? configProperty(init, "body") : undefined;
    return jsonOf(body);
  }
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (method !== undefined && AXIOS_BODY_METHODS.has(method)) return dataOf(second);
  const config = configObject(first, checker) ?? (method === undefined && second ? configObject(second, checker) : undefined);
  return config ? dataOf(configProperty(config, "data")) : undefined;
}

/** `stream: <anything but false>` in a request: Chat's event stream has another shape. */
function streams(request: ts.ObjectLiteralExpression): boolean {
  return request.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "stream" && p.initializer.kind !== ts.SyntaxKind.FalseKeyword);
}
