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

/** `cohere-ai`, a subpath, Deno's `npm:cohere-ai@x`, a CDN build (`https://esm.sh/cohere-ai@x`), or an alias. */
export function isCohereSpecifier(spec: string): boolean {
  if (/^(npm:|https?:\/\/[^/]+\/(npm\/)?)?cohere-ai(@[^/]*)?(\/.*)?$/.test(spec)) return true;
  if (!aliases.size) return false;
  const parts = spec.split("/");
  return aliases.has(spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]);
}
