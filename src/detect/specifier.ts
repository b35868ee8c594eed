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

/**
 * The bare specifiers the file at hand imports that resolve to modules of this repository
 * (tsconfig `paths` aliases, workspace packages), as the run resolved them (ImportReach).
 */
let repoSpecifiers: ReadonlySet<string> = new Set();

export function setRepoSpecifiers(specs: readonly string[] | undefined): void {
  repoSpecifiers = new Set(specs ?? []);
}

/**
 * Whether an import may name a module of this repository rather than a package: a relative or
 * absolute path, a specifier the run resolved into the repository, or one shaped like a common
 * tsconfig alias (`@/lib`, `~/lib`, `#/lib`, `$/lib`, `src/...`), which a file read on its own
 * (no tsconfig at hand) may still use.
 */
export function isRepoSpecifier(spec: string): boolean {
  if (spec.startsWith(".") || spec.startsWith("/")) return true;
  return /^[@~#$]\//.test(spec) || spec.startsWith("src/") || repoSpecifiers.has(spec);
}

/** A bare specifier the run resolved into the repository (a tsconfig alias, a workspace package): its module answers by syntax as a relative one does. */
export function isResolvedRepoSpecifier(spec: string): boolean {
  return repoSpecifiers.has(spec);
}
