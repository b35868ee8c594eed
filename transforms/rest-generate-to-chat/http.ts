/**
 * The shape of a detected REST call on the jscodeshift AST: which HTTP client, where its URL is
 * written, and the Generate request object it sends (when it can be seen). Detection
 * (src/detect/rest.ts) decided that the call goes to Generate; this finds what to rewrite.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { referencesOf, type TransformContext } from "../../src/transform/kit";
import { COHERE_HOST_RE, COHERE_ORIGIN_RE, GENERATE_PATH_RE, joinBaseUrl, PLACEHOLDER } from "../../src/detect/rest-urls";
import type { Envelope } from "../generate-to-chat/response";
import { own } from "../../src/tables";

export type HttpClient = "fetch" | "axios";

/** What a call of each client resolves with, and what of it stays valid after migration. */
export const ENVELOPES: Readonly<Record<HttpClient, Envelope>> = {
  // fetch: a Response; `res.json()` is the Generate JSON, now the Chat JSON.
  fetch: { via: { method: "json" }, removed: false, keep: ["ok", "status", "statusText", "headers", "url", "redirected"], keepOnFailure: ["text"] },
  // axios: `{ data, status, ... }`; `res.data` is the parsed JSON.
  axios: { via: { field: "data" }, removed: false, keep: ["status", "statusText", "headers", "config", "request"] },
};

export interface HttpCall {
  client: HttpClient;
  /** The URL expression to replace with the Chat URL (a const's initializer when the call names a const). */
  urlTarget: ASTPath;
  /** True when the whole URL, or its Cohere origin and Generate path, can be seen. */
  urlVisible: boolean;
  /** The Generate request object, when it is written in this file and used only here. */
  request?: ASTPath<N.ObjectExpression>;
}

interface Scope {
  lookup(name: string): Scope | undefined;
  getBindings(): Record<string, ASTPath[] | undefined>;
}

/** The parts of a call: URL, base URL, and the request body, by client and call form. */
export function httpCall(ctx: TransformContext, call: ASTPath<N.CallExpression>): HttpCall | undefined {
  const callee = call.node.callee;
  const args = (i: number): ASTPath | undefined => (call.node.arguments[i] ? (call.get("arguments", i) as ASTPath) : undefined);
  const first = args(0);
  if (!first) return undefined;

  if (isFetch(callee)) {
    const init = objectOf(ctx, args(1));
    return describe(ctx, "fetch", first, undefined, init ? jsonBody(ctx, property(init, "body")) : undefined);
  }
  let base: ASTPath | undefined;
  let method: string | undefined;
  if (N.Identifier.check(callee)) {
    if (callee.name !== "axios") {
      const instance = axiosInstance(ctx, call.get("callee") as ASTPath);
      if (!instance) return undefined;
      base = instance.base;
    }
  } else if (N.MemberExpression.check(callee) && N.Identifier.check(callee.object) && N.Identifier.check(callee.property) && !callee.computed) {
    method = callee.property.name;
    if (callee.object.name !== "axios") {
      const instance = axiosInstance(ctx, call.get("callee", "object") as ASTPath);
      if (!instance) return undefined;
      base = instance.base;
    }
  } else return undefined;

  if (method === "post") return describe(ctx, "axios", first, base, dataBody(ctx, args(1)));
  // axios(config), axios.request(config), instance(config): everything is in the config, written
  // in the call or in a const it names (`const options = { url, data }; axios(options)`).
  const firstConfig = objectOf(ctx, first);
  const configFirst = firstConfig !== undefined || method === "request";
  const config = configFirst ? firstConfig : objectOf(ctx, args(1));
  const url = configFirst ? (config ? property(config, "url") : undefined) : first;
  if (!url) return undefined;
  const configBase = config ? property(config, "baseURL") : undefined;
  return describe(ctx, "axios", url, configBase ?? base, config ? dataBody(ctx, property(config, "data")) : undefined);
}

function describe(ctx: TransformContext, client: HttpClient, url: ASTPath, base: ASTPath | undefined, request: ASTPath<N.ObjectExpression> | undefined): HttpCall {
  const path = urlText(ctx, url);
  const full = joinBaseUrl(base ? urlText(ctx, base) : undefined, path);
  const urlVisible = COHERE_HOST_RE.test(full) || (COHERE_ORIGIN_RE.test(full.split(PLACEHOLDER)[0]) && GENERATE_PATH_RE.test(full));
  // A URL relative to an instance's base, or partly out of sight, is replaced where it is written;
  // a whole URL held by a const, in the const.
  const urlTarget = base || full.includes(PLACEHOLDER) ? url : constTarget(ctx, url);
  return { client, urlTarget, urlVisible, request };
}

function isFetch(callee: N.Node): boolean {
  if (N.Identifier.check(callee)) return callee.name === "fetch";
  return (
    N.MemberExpression.check(callee) &&
    N.Identifier.check(callee.object) &&
    /^(globalThis|window|self|global)$/.test(callee.object.name) &&
    N.Identifier.check(callee.property) &&
    callee.property.name === "fetch"
  );
}

/** For a name bound to `axios.create(config)`: the config's baseURL, if any. */
function axiosInstance(ctx: TransformContext, id: ASTPath): { base?: ASTPath } | undefined {
  const init = constInit(id);
  if (!init || !N.CallExpression.check(init.node)) return undefined;
  const callee = init.node.callee;
  if (!N.MemberExpression.check(callee) || !N.Identifier.check(callee.object) || callee.object.name !== "axios") return undefined;
  if (!N.Identifier.check(callee.property) || callee.property.name !== "create") return undefined;
  const config = objectOf(ctx, init.node.arguments[0] ? (init.get("arguments", 0) as ASTPath) : undefined);
  return { base: config ? property(config, "baseURL") : undefined };
}

/** fetch's `body: JSON.stringify(request)`. */
function jsonBody(ctx: TransformContext, body: ASTPath | undefined): ASTPath<N.ObjectExpression> | undefined {
  const node = body?.node;
  if (!body || !node || !N.CallExpression.check(node) || !isJsonStringify(node.callee) || !node.arguments[0]) return undefined;
  return requestObject(ctx, body.get("arguments", 0) as ASTPath);
}

/** axios' `data`: the request object itself, or its JSON text. */
function dataBody(ctx: TransformContext, data: ASTPath | undefined): ASTPath<N.ObjectExpression> | undefined {
  if (!data) return undefined;
  if (N.CallExpression.check(data.node) && isJsonStringify(data.node.callee)) return jsonBody(ctx, data);
  return requestObject(ctx, data);
}

function isJsonStringify(callee: N.Node): boolean {
  return (
    N.MemberExpression.check(callee) &&
    N.Identifier.check(callee.object) &&
    callee.object.name === "JSON" &&
    N.Identifier.check(callee.property) &&
    callee.property.name === "stringify"
  );
}

/** An object literal, or a const bound to one that this call is the only user of (so it can change). */
function requestObject(ctx: TransformContext, path: ASTPath): ASTPath<N.ObjectExpression> | undefined {
  const node = unwrapped(path);
  if (N.ObjectExpression.check(node.node)) return node as ASTPath<N.ObjectExpression>;
  if (!N.Identifier.check(node.node)) return undefined;
  const declarator = constDeclarator(node);
  const init = declarator?.get("init") as ASTPath | undefined;
  if (!declarator || !init || !N.ObjectExpression.check(init.node)) return undefined;
  if (referencesOf(ctx, declarator.get("id") as ASTPath).length !== 1) return undefined;
  return init as ASTPath<N.ObjectExpression>;
}

/** An object literal, or the object a const names (read only: options, config). */
function objectOf(ctx: TransformContext, path: ASTPath | undefined): ASTPath<N.ObjectExpression> | undefined {
  if (!path) return undefined;
  const node = unwrapped(path);
  if (N.ObjectExpression.check(node.node)) return node as ASTPath<N.ObjectExpression>;
  const init = N.Identifier.check(node.node) ? constInit(node) : undefined;
  return init && N.ObjectExpression.check(init.node) ? (init as ASTPath<N.ObjectExpression>) : undefined;
}

function property(object: ASTPath<N.ObjectExpression>, name: string): ASTPath | undefined {
  const props = object.node.properties;
  for (let i = 0; i < props.length; i++) {
    const p = props[i];
    if (!(N.ObjectProperty.check(p) || N.Property.check(p)) || p.computed) continue;
    const key = N.Identifier.check(p.key) ? p.key.name : N.StringLiteral.check(p.key) ? p.key.value : undefined;
    if (key === name) return object.get("properties", i, "value") as ASTPath;
  }
  return undefined;
}

/** The URL text, with PLACEHOLDER for what cannot be seen (same rules as detection). */
export function urlText(ctx: TransformContext, path: ASTPath, depth = 0): string {
  const node = unwrapped(path).node;
  if (depth > 8) return PLACEHOLDER;
  if (N.StringLiteral.check(node) || (N.Literal.check(node) && typeof node.value === "string")) return String(node.value);
  if (N.TemplateLiteral.check(node)) {
    let out = "";
    node.quasis.forEach((q, i) => {
      out += q.value.cooked ?? q.value.raw;
      if (i < node.expressions.length) out += urlText(ctx, path.get("expressions", i) as ASTPath, depth + 1);
    });
    return out;
  }
  if (N.BinaryExpression.check(node) && node.operator === "+") {
    return urlText(ctx, path.get("left") as ASTPath, depth + 1) + urlText(ctx, path.get("right") as ASTPath, depth + 1);
  }
  if (N.LogicalExpression.check(node) && (node.operator === "??" || node.operator === "||")) {
    return PLACEHOLDER + urlText(ctx, path.get("right") as ASTPath, depth + 1);
  }
  if (N.NewExpression.check(node) && N.Identifier.check(node.callee) && node.callee.name === "URL" && node.arguments.length) {
    const rel = urlText(ctx, path.get("arguments", 0) as ASTPath, depth + 1);
    if (node.arguments.length === 1) return rel;
    const base = urlText(ctx, path.get("arguments", 1) as ASTPath, depth + 1);
    if (rel.includes(PLACEHOLDER) || base.includes(PLACEHOLDER)) return PLACEHOLDER;
    try {
      return new URL(rel, base).toString();
    } catch {
      return PLACEHOLDER;
    }
  }
  if (N.Identifier.check(node)) {
    const init = constInit(unwrapped(path));
    if (init) return urlText(ctx, init, depth + 1);
  }
  return PLACEHOLDER;
}

/** Where a URL held by consts is written: the last const's initializer. */
function constTarget(ctx: TransformContext, path: ASTPath): ASTPath {
  const node = unwrapped(path);
  if (!N.Identifier.check(node.node)) return path;
  const init = constInit(node);
  return init ? constTarget(ctx, init) : path;
}

function constDeclarator(id: ASTPath): ASTPath<N.VariableDeclarator> | undefined {
  if (!N.Identifier.check(id.node)) return undefined;
  const name = id.node.name;
  const scope = (id as ASTPath & { scope?: Scope }).scope?.lookup(name);
  const declId = own(scope?.getBindings(), name)?.[0];
  const declarator = declId?.parent;
  if (!declarator || !N.VariableDeclarator.check(declarator.node) || declarator.node.id !== declId.node) return undefined;
  const kind = (declarator.parent?.node as N.VariableDeclaration | undefined)?.kind;
  return kind === "const" ? (declarator as ASTPath<N.VariableDeclarator>) : undefined;
}

function constInit(id: ASTPath): ASTPath | undefined {
  const declarator = constDeclarator(id);
  return declarator?.node.init ? (declarator.get("init") as ASTPath) : undefined;
}

/** Looks through `(x)`, `x as T`, `x!`. */
function unwrapped(path: ASTPath): ASTPath {
  let p = path;
  while (N.TSAsExpression.check(p.node) || N.TSNonNullExpression.check(p.node) || N.ParenthesizedExpression.check(p.node) || N.TSSatisfiesExpression.check(p.node)) {
    p = p.get("expression") as ASTPath;
  }
  return p;
}
