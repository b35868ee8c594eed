/**
 * Which module specifiers name cohere-ai. Apart from the resolver so that code which only needs
 * this (the npm alias lookup every task runs, Python detection in a worker) does not load the
 * TypeScript compiler with it.
 */

/** Names cohere-ai is installed under in the package.json files of the file at hand (engine/npm-alias.ts). */
let aliases: ReadonlySet<string> = new Set();

export function setCohereAliases(names: ReadonlySet<string>): void {
  aliases = names;
}

const PACKAGE_SPECIFIER = /^(?:npm:|https?:\/\/[^/]+\/(?:npm\/)?)?cohere-ai(?:@[^/]*)?(\/.*)?$/;

/** `cohere-ai`, a subpath, Deno's `npm:cohere-ai@x`, a CDN build (`https://esm.sh/cohere-ai@x`), or an alias. */
export function isCohereSpecifier(spec: string): boolean {
  return cohereSubpath(spec) !== undefined;
}

/**
 * The part of a cohere-ai specifier after the package: "" for the package's root module (also as
 * `npm:cohere-ai@7`, a CDN build or an alias), "/api" for `cohere-ai/api` (`llm/api` under the
 * alias `llm`); undefined for a specifier that is not cohere-ai's.
 */
export function cohereSubpath(spec: string): string | undefined {
  const match = PACKAGE_SPECIFIER.exec(spec);
  if (match) return match[1] ?? "";
  if (!aliases.size) return undefined;
  const parts = spec.split("/");
  const named = spec.startsWith("@") ? 2 : 1;
  if (!aliases.has(parts.slice(0, named).join("/"))) return undefined;
  const rest = parts.slice(named).join("/");
  return rest ? `/${rest}` : "";
}
