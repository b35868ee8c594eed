/**
 * Where a name a module exports is declared: through barrels (`export * from "./client"`,
 * `export { a as b } from "./client"`), as ES modules resolve it. Used to answer a receiver
 * imported from a barrel by syntax (analyze.ts) and to follow a function to its callers through
 * one (script-callers.ts).
 */
import { exportTableOf } from "../detect/syntax-settle";

/** The module that declares the name, the name there, and every module read on the way. */
export interface Origin {
  module: string;
  name: string;
  read: string[];
}

export interface BarrelReader {
  textOf(abs: string): string | undefined;
  /** The repository module a specifier of `from` names (relative, or through its aliases). */
  resolve(spec: string, from: string): string | undefined;
}

/**
 * The origin of `name` exported by `module`, or undefined when syntax cannot tell: the module's own
 * export wins; an explicit re-export is followed alone; otherwise exactly one of its `export *`
 * modules must export the name (none, two, or a star from a package leaves it to the compiler).
 */
export function originOf(reader: BarrelReader, module: string, name: string, depth = 0, seen: Set<string> = new Set()): Origin | undefined {
  const table = visit(reader, module, name, depth, seen);
  if (typeof table === "string") return undefined;
  const entry = table.names.get(name);
  if (entry?.kind === "own") return { module, name, read: [module] };
  if (entry?.kind === "opaque") return undefined;
  if (entry?.kind === "from") {
    const next = reader.resolve(entry.spec, module);
    const found = next && next !== module ? originOf(reader, next, entry.name, depth + 1, seen) : undefined;
    return found && { ...found, read: [module, ...found.read] };
  }
  // `export *` never carries `default`.
  if (name === "default" || !table.stars.length) return undefined;
  const found: Origin[] = [];
  for (const spec of table.stars) {
    const next = reader.resolve(spec, module);
    // A star from a package (or a module not found) may be where the name comes from.
    if (!next) return undefined;
    if (!exportsName(reader, next, name, depth + 1, new Set(seen))) continue;
    // It exports the name, but syntax cannot say where from: so cannot this barrel.
    const origin = originOf(reader, next, name, depth + 1, new Set(seen));
    if (!origin) return undefined;
    found.push(origin);
  }
  return found.length === 1 ? { ...found[0], read: [module, ...found[0].read] } : undefined;
}

/** Whether a module exports `name` at all (own, re-exported, or through one of its stars), as far as syntax shows; unsure counts as yes. */
function exportsName(reader: BarrelReader, module: string, name: string, depth: number, seen: Set<string>): boolean {
  const table = visit(reader, module, name, depth, seen);
  if (typeof table === "string") return table === "unknown";
  if (table.names.has(name)) return true;
  if (name === "default") return false;
  return table.stars.some((spec) => {
    const next = reader.resolve(spec, module);
    return !next || exportsName(reader, next, name, depth + 1, seen);
  });
}

/** A module's export table, once per walk: "stop" for a cycle or a chain too deep, "unknown" when it cannot be read or parsed, or is `export =`. */
function visit(reader: BarrelReader, module: string, name: string, depth: number, seen: Set<string>): NonNullable<ReturnType<typeof exportTableOf>> | "stop" | "unknown" {
  const key = `${module}\u0000${name}`;
  if (depth > 10 || seen.has(key)) return "stop";
  seen.add(key);
  const text = reader.textOf(module);
  const table = text === undefined ? undefined : exportTableOf(module, text);
  return !table || table.opaque ? "unknown" : table;
}
