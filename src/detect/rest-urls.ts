/**
 * The URL facts of REST detection, apart from rest.ts (which reads the compiler's tree) so that the
 * REST transform can use them without loading the TypeScript compiler.
 */

/** A complete Generate URL on a Cohere host, with or without the version prefix. */
export const COHERE_HOST_RE = /^https?:\/\/([a-z0-9-]+\.)*cohere\.(ai|com)(\/v1)?\/generate\/?(\?.*)?$/i;
/**
 * The API's first form, before versioned paths: `https://api.cohere.ai/{model}/generate` (2021
 * code, `f"https://api.cohere.ai/{MODEL}/generate"`). Only on the API host: a documentation page's
 * URL (`https://docs.cohere.com/reference/generate`) is no request.
 */
export const MODEL_PATH_GENERATE_RE = /^https?:\/\/api\.cohere\.(ai|com)\/[^/?#]+\/generate\/?(\?.*)?$/i;

/** A Generate URL in either form. */
export function isGenerateUrl(url: string): boolean {
  return COHERE_HOST_RE.test(url) || MODEL_PATH_GENERATE_RE.test(url);
}
/** A URL that starts on a Cohere host, any subdomain (the rest may be out of sight). */
export const COHERE_ORIGIN_RE = /^https?:\/\/([a-z0-9-]+\.)*cohere\.(ai|com)(\/|$)/i;
/** The Generate path at the end of a URL. */
export const GENERATE_PATH_RE = /\/generate\/?(\?.*)?$/;
/** Stands for a part of a URL that cannot be seen. */
export const PLACEHOLDER = "\u0000";

/** axios' own joining of `baseURL` and a relative URL (an absolute URL ignores the base). */
export function joinBaseUrl(base: string | undefined, url: string): string {
  if (base === undefined || /^[a-z][a-z\d+.-]*:\/\//i.test(url)) return url;
  return `${base.replace(/\/+$/, "")}/${url.replace(/^\/+/, "")}`;
}
