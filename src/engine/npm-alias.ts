/**
 * cohere-ai installed under another name (`"cohere": "npm:cohere-ai@7"` in package.json): the code
 * then imports it as `"cohere"`, and detection must take that specifier for cohere-ai's. The names
 * come from every package.json from the file's folder up (Node looks for node_modules that way),
 * read once per folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cohereAliasesIn } from "./deps";
import { setCohereAliases } from "../detect/specifier";

const byDir = new Map<string, readonly string[]>();

function aliasesOfDir(dir: string): readonly string[] {
  const cached = byDir.get(dir);
  if (cached) return cached;
  let own: string[] = [];
  try {
    own = cohereAliasesIn(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Parameters<typeof cohereAliasesIn>[0]);
  } catch {
    // No package.json here, or one that does not parse: no aliases from it.
  }
  const parent = path.dirname(dir);
  const all = parent === dir ? own : [...new Set([...own, ...aliasesOfDir(parent)])];
  byDir.set(dir, all);
  return all;
}

/** Makes detection and the transforms take the aliases that apply to these files for cohere-ai. */
export function useCohereAliasesFor(files: readonly string[]): void {
  setCohereAliases(new Set(files.flatMap((f) => aliasesOfDir(path.dirname(path.resolve(f))))));
}

/** The aliases that apply to one file, as a stable string (a part of its cache key). */
export function cohereAliasKey(file: string): string {
  return [...aliasesOfDir(path.dirname(path.resolve(file)))].sort().join(",");
}

/** The bytes a package.json that installs cohere-ai under another name holds. */
const ALIAS_VALUE = Buffer.from("npm:cohere-ai@");

/**
 * Every name cohere-ai is installed under for the files of a run: the aliases the run's package.json
 * files declare (`declares` says, from its bytes, whether one may), and those of the folders above
 * the given paths. A union: a file outside the package that declares a name is only parsed for
 * nothing (detection then asks the file's own folders).
 */
export function cohereAliasesOfRun(manifests: readonly string[], given: readonly string[], declares: (manifest: string) => boolean): string[] {
  const names = new Set<string>();
  for (const file of manifests) {
    if (!declares(file)) continue;
    for (const name of aliasesOfDir(path.dirname(file))) names.add(name);
  }
  for (const abs of given) for (const name of aliasesOfDir(path.dirname(abs))) names.add(name);
  return [...names].sort();
}

/** Whether a package.json's bytes can declare an alias of cohere-ai. */
export function mayDeclareCohereAlias(raw: Buffer): boolean {
  return raw.indexOf(ALIAS_VALUE) !== -1;
}
