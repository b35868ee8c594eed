/**
 * JavaScript/TypeScript modules that import an exported function migration changed to return a
 * Chat v2 response (cross-module.ts): `import { draft } from "./llm"`, `import * as llm from
 * "./llm"` then `llm.draft`, `const { draft } = require("./llm")`. Relative specifiers are resolved
 * as bundlers and TypeScript do (the extensions, `./llm.js` for `llm.ts`, `index` files); an import
 * migrate cannot resolve that names such a function (a path alias such as `@/lib/llm`, a
 * re-export) leaves the function its marker.
 */
import * as path from "node:path";
import { originOf } from "./barrels";
import { returnKey, type Imported, type Returned } from "./cross-module";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

interface ScriptImport {
  specifier: string;
  /** Imported name → local name (`{ draft as d }`). */
  names: Array<{ name: string; local: string }>;
  /** `import * as llm`, `const llm = require(...)`. */
  namespace?: string;
  /**
   * Not followed here: `export { draft } from "./llm"` / `export * from` (handed on), `import llm =
   * require("./llm")` and `await import("./llm")` (bindings the transforms' scopes do not see).
   */
  opaque?: boolean;
}

const ESM_IMPORT = /\bimport\s+(?!type\b)(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\*\s+as\s+([A-Za-z_$][\w$]*)|\{([^}]*)\})?\s*from\s*["']([^"']+)["']/g;
const REEXPORT = /\bexport\s+(?:\*|\{([^}]*)\})\s*from\s*["']([^"']+)["']/g;
const OPAQUE = /\bimport\s+[A-Za-z_$][\w$]*\s*=\s*require\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g;
const REQUIRE = /\b(?:const|let|var)\s+(?:\{([^}]*)\}|([A-Za-z_$][\w$]*))\s*=\s*require\(\s*["']([^"']+)["']\s*\)\s*;?/g;

/** The imports of a module's text, as written (type-only imports are left out: they hold no calls). */
export function scriptImports(text: string): ScriptImport[] {
  const out: ScriptImport[] = [];
  for (const m of text.matchAll(ESM_IMPORT)) {
    out.push({ specifier: m[4], names: bindings(m[3] ?? "", /\s+as\s+/), ...(m[2] ? { namespace: m[2] } : {}) });
  }
  for (const m of text.matchAll(REEXPORT)) out.push({ specifier: m[2], names: bindings(m[1] ?? "", /\s+as\s+/), opaque: true });
  for (const m of text.matchAll(OPAQUE)) out.push({ specifier: m[1] ?? m[2], names: [], opaque: true });
  for (const m of text.matchAll(REQUIRE)) {
    out.push({ specifier: m[3], names: bindings(m[1] ?? "", /\s*:\s*/), ...(m[2] ? { namespace: m[2] } : {}) });
  }
  return out;
}

function bindings(list: string, rename: RegExp): Array<{ name: string; local: string }> {
  const out: Array<{ name: string; local: string }> = [];
  for (const part of list.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "").split(",")) {
    const item = part.trim().replace(/^type\s+/, "");
    if (!item) continue;
    const [name, local] = item.split(rename).map((x) => x.trim());
    if (/^[A-Za-z_$][\w$]*$/.test(name ?? "")) out.push({ name, local: local && /^[A-Za-z_$][\w$]*$/.test(local) ? local : name });
  }
  return out;
}

/** The file a relative specifier names from `from`, among the run's files; undefined for a package or an alias. */
export function resolveScript(from: string, specifier: string, exists: (abs: string) => boolean): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const stems = [base];
  // ESM TypeScript writes `./llm.js` for llm.ts.
  const ext = path.extname(base);
  if (/^\.[mc]?jsx?$/.test(ext)) stems.push(base.slice(0, -ext.length));
  for (const stem of stems) {
    if (stem === base && ext && exists(stem)) return stem;
    for (const e of EXTENSIONS) if (exists(stem + e)) return stem + e;
  }
  for (const e of EXTENSIONS) if (exists(path.join(base, `index${e}`))) return path.join(base, `index${e}`);
  return undefined;
}

/**
 * The run's files that import `returns`' functions, with how each calls them. A function a file
 * names through an import migrate cannot resolve, or re-exports, is added to `unresolved`.
 */
export function scriptImportersOf(
  returns: ReadonlyMap<string, readonly Returned[]>,
  files: readonly string[],
  textOf: (abs: string) => string | undefined,
  unresolved: Set<string>,
  /** A tsconfig alias or workspace package name (`@/lib/llm`, `@acme/ai`): the repository file it names. */
  resolveBare: (spec: string, from: string) => string | undefined = () => undefined,
): Map<string, Imported[]> {
  const out = new Map<string, Imported[]>();
  const known = new Set(files);
  const byName = new Map<string, string[]>();
  for (const [module, fns] of returns) for (const fn of fns) byName.set(fn.name, [...(byName.get(fn.name) ?? []), module]);
  if (!byName.size) return out;
  for (const abs of files) {
    const text = textOf(abs);
    if (text === undefined || ![...byName.keys()].some((n) => text.includes(n))) continue;
    const found: Imported[] = [];
    for (const imp of scriptImports(text)) {
      const resolve = (spec: string, from: string): string | undefined => (spec.startsWith(".") ? resolveScript(from, spec, (f) => known.has(f)) : resolveBare(spec, from));
      const target = resolve(imp.specifier, abs);
      if (target === undefined || target === abs) continue;
      // Handles: import { ask } from "@acme/ai" (or "./lib"), a barrel that re-exports it from its
      // module (`export * from "./client"`, `export { ask } from "./client"`): called as that module's.
      if (!returns.has(target) && !imp.opaque && !imp.namespace) {
        // Only a module that re-exports can pass a function on: most modules are parsed for nothing.
        if (!REEXPORTS.test(textOf(target) ?? "")) continue;
        for (const n of imp.names) {
          const origin = originOf({ textOf, resolve }, target, n.name);
          const fn = origin && returns.get(origin.module)?.find((f) => f.name === origin.name);
          if (origin && fn) found.push({ callee: n.local, kind: fn.kind, isAsync: fn.isAsync, key: returnKey(origin.module, fn.name) });
        }
        continue;
      }
      const fns = returns.get(target);
      // A package, or a module out of the run: the mention rule below answers for it.
      if (!fns) continue;
      for (const fn of fns) {
        const key = returnKey(target as string, fn.name);
        if (imp.opaque) {
          if (!imp.names.length || imp.names.some((n) => n.name === fn.name)) unresolved.add(key);
          continue;
        }
        for (const n of imp.names) if (n.name === fn.name) found.push({ callee: n.local, kind: fn.kind, isAsync: fn.isAsync, key });
        if (imp.namespace) found.push({ callee: `${imp.namespace}.${fn.name}`, kind: fn.kind, isAsync: fn.isAsync, key });
      }
    }
    if (found.length) out.set(abs, found);
    // Any other way this file may reach a function of that name (a CommonJS default import, `export * as`, an inline require, a test's mock):
    // a mention that no followed import accounts for leaves the function its marker.
    for (const [name, modules] of byName) {
      if (!new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(text)) continue;
      for (const module of modules) {
        const key = returnKey(module, name);
        if (module !== abs && !found.some((f) => f.key === key)) unresolved.add(key);
      }
    }
  }
  return out;
}

/** `export * from`, `export { ... } from`: a barrel's re-exports (a cheap test before its tree is read). */
const REEXPORTS = /\bexport\s*(?:\*|\{[^}]*\})\s*from\b/;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
