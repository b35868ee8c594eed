/**
 * REST detection: `fetch` / `axios` calls to the Generate endpoint on a Cohere host.
 */
import { ts } from "ts-morph";
import { skipOuter } from "./resolver";

/** Cohere API hosts, with or without the version prefix. */
export const COHERE_HOST_RE = /^https?:\/\/api\.cohere\.(ai|com)(\/v1)?\/generate\/?(\?.*)?$/;
const PLACEHOLDER = "\u0000";

export interface RestMatch {
  /** True when the whole URL is visible; false when only part of it is (the call gets a marker). */
  certain: boolean;
}

/**
 * The URL text of an expression, with PLACEHOLDER where a part cannot be seen. Follows const
 * bindings in the same file, template literals, `+` concatenation and `new URL(path, base)`.
 */
export function staticText(expr: ts.Expression, checker: ts.TypeChecker, depth = 0): string | undefined {
  if (depth > 8) return PLACEHOLDER;
  const e = skipOuter(expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    let out = e.head.text;
    for (const span of e.templateSpans) out += (staticText(span.expression, checker, depth + 1) ?? PLACEHOLDER) + span.literal.text;
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (staticText(e.left, checker, depth + 1) ?? PLACEHOLDER) + (staticText(e.right, checker, depth + 1) ?? PLACEHOLDER);
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "URL" && e.arguments?.length) {
    const [rel, base] = e.arguments;
    const relText = staticText(rel, checker, depth + 1);
    if (!base) return relText;
    const baseText = staticText(base, checker, depth + 1);
    if (relText === undefined || baseText === undefined) return PLACEHOLDER;
    try {
      return new URL(relText, baseText).toString();
    } catch {
      return PLACEHOLDER;
    }
  }
  if (ts.isIdentifier(e)) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && isConstDeclaration(decl)) {
      return staticText(decl.initializer, checker, depth + 1);
    }
  }
  return undefined;
}

function isConstDeclaration(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** Which argument of a call holds the URL, for the HTTP clients we know. */
function urlArgument(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuter(call.expression);
  const first = call.arguments[0];
  if (!first) return undefined;
  if (ts.isIdentifier(callee) && (callee.text === "fetch" || callee.text === "axios")) {
    return callee.text === "axios" && ts.isObjectLiteralExpression(first) ? configUrl(first) : first;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const owner = skipOuter(callee.expression);
    const method = callee.name.text;
    if (method === "fetch" && ts.isIdentifier(owner) && /^(globalThis|window|self|global)$/.test(owner.text)) return first;
    if (ts.isIdentifier(owner) && owner.text === "axios") {
      if (method === "post") return first;
      if (method === "request" && ts.isObjectLiteralExpression(first)) return configUrl(first);
    }
  }
  return undefined;
}

function configUrl(config: ts.ObjectLiteralExpression): ts.Expression | undefined {
  for (const p of config.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === "url") return p.initializer;
  }
  return undefined;
}

export function restSite(call: ts.CallExpression, checker: ts.TypeChecker): RestMatch | undefined {
  const urlExpr = urlArgument(call);
  if (!urlExpr) return undefined;
  const url = staticText(urlExpr, checker);
  if (url === undefined) return undefined;
  if (!url.includes(PLACEHOLDER)) return COHERE_HOST_RE.test(url) ? { certain: true } : undefined;
  // Part of the URL is out of sight: a Cohere host with a hidden path, or a hidden host with the
  // Generate path in a file that talks about Cohere, is reported for a person to check.
  const visible = url.split(PLACEHOLDER).join("");
  if (/api\.cohere\.(ai|com)/.test(visible) && /\/generate\/?$/.test(url)) return { certain: false };
  return undefined;
}
