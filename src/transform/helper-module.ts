/**
 * Where migrated JavaScript and TypeScript get their helpers from (SPEC "Readable": one copy per
 * package, never one per file): a module `cohere-chat.<ext>` that migrate creates or extends, at
 * the top of the package's `src/` when the file lies under it, else at the package's top (the
 * folder of the nearest package.json, or the repository's top when there is none). The migrated
 * file imports what it calls from there; the module's header says how to remove it later.
 *
 * One module per language and module system, because each must load where its importers run:
 * `.ts` (imported by .ts/.tsx), `.mts`/`.cts` (by .mts/.cts, which Node resolves by exact
 * extension), `.js` as an ES module (by .js/.jsx files written with `import`), `.mjs`, and `.cjs`
 * for CommonJS (`require`), whose extension makes it CommonJS whatever the package's "type" says.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HELPERS, javascriptOf, HELPER_MARK } from "./helpers";
import { stripJsonComments } from "../engine/prefilter";
import { readText } from "../engine/read-text";

export const HELPER_MODULE_BASE = "cohere-chat";

export type HelperSyntax = "ts" | "esm" | "cjs";

/** What a migrated file needs to know to import its helpers (plain data: it goes to workers). */
export interface HelperImport {
  /** The import specifier, relative to the importing file (`./cohere-chat`, `../cohere-chat.cjs`). */
  specifier: string;
  /** `import { ... } from` or `const { ... } = require(...)`. */
  syntax: "esm" | "cjs";
}

export interface HelperHome extends HelperImport {
  /** Absolute path of the module. */
  module: string;
  /** How the module itself is written. */
  moduleSyntax: HelperSyntax;
}

/** Module extension and specifier suffix by the importer's extension (JS split by its syntax). */
const BY_IMPORTER = new Map<string, { ext: string; suffix: string | undefined; moduleSyntax: HelperSyntax }>([
  // undefined suffix: follow the file's own relative imports.
  [".ts", { ext: ".ts", suffix: undefined, moduleSyntax: "ts" }],
  [".tsx", { ext: ".ts", suffix: undefined, moduleSyntax: "ts" }],
  [".mts", { ext: ".mts", suffix: ".mjs", moduleSyntax: "ts" }],
  [".cts", { ext: ".cts", suffix: ".cjs", moduleSyntax: "ts" }],
  ["esm", { ext: ".js", suffix: undefined, moduleSyntax: "esm" }],
  [".mjs", { ext: ".mjs", suffix: ".mjs", moduleSyntax: "esm" }],
  ["cjs", { ext: ".cjs", suffix: ".cjs", moduleSyntax: "cjs" }],
]);

/** A file written as an ES module: a top-level import or export statement. */
export function writtenAsEsm(text: string): boolean {
  return /^[ \t]*(import\s*[\w*{$"']|export\s+[\w*{$]|export\s+default\b)/m.test(text);
}

function packageOf(file: string, top: string, outside: string): { dir: string; typeModule: boolean } {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      let typeModule = false;
      try {
        typeModule = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module";
      } catch {
        // An unreadable manifest still marks the package's top.
      }
      return { dir, typeModule };
    }
    if (dir === top || path.dirname(dir) === dir || !isInside(dir, top)) return { dir: outside, typeModule: false };
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * A Deno module: it imports through `npm:` or `jsr:` specifiers, uses Deno's global (`Deno.serve`,
 * `Deno.env`: a Supabase edge function that imports nothing), or its package folder has a deno.json.
 */
function isDeno(text: string, dir: string): boolean {
  if (/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)["'](?:npm|jsr):/m.test(text)) return true;
  if (/(?<![\w$.])Deno\.(?:serve|env|readTextFile|args|exit)\b/.test(text)) return true;
  return fs.existsSync(path.join(dir, "deno.json")) || fs.existsSync(path.join(dir, "deno.jsonc"));
}

/** The extension the file's own relative imports end with ("" for none), if they agree on one. */
function importSuffixStyle(text: string): string | undefined {
  const seen = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s*)["'](\.\.?\/[^"'\n]*)["']/gm)) {
    const ext = /\.(m|c)?[jt]sx?$/.exec(m[1])?.[0];
    // `./cfg.json`, `./style.css`: another kind of file, which says nothing of how modules are named.
    if (ext === undefined && /\.[\w-]+$/.test(m[1].split("/").pop() ?? "")) continue;
    // `./util.mjs`: written with its extension, as Node's ES loader wants (`.js` for the helper module).
    seen.add(ext === undefined || ext === ".jsx" || ext === ".tsx" ? "" : ext === ".ts" ? ".ts" : ".js");
  }
  if (seen.has(".js")) return ".js";
  if (seen.has(".ts")) return ".ts";
  return seen.size ? "" : undefined;
}

/** A CommonJS module: it requires or exports through `module.exports` / `exports.x`. */
function writtenAsCommonJs(text: string): boolean {
  return /\brequire\s*\(|\bmodule\.exports\b|^[ \t]*exports\.[\w$]+\s*=/m.test(text);
}

/**
 * Where `file`'s helpers live and how it imports them; undefined for a JavaScript file written in
 * no module system (no import, export or require: a browser's classic script, or a script Node may
 * run as either kind, as its package's "type" says): no import form loads everywhere such a file
 * runs (`require` throws in an ES module and in a browser, `import` in a classic script), so its
 * helpers are written into it. `top` is where the search for a package
 * stops (the repository's top, or the run's folder outside a repository); `outside`, the folder
 * for a file in no package (migrate: the folder the run was given it in; by default `top`, or the
 * file's own folder when it is not under `top`).
 */
export function helperHomeOf(file: string, text: string, top: string, outside = isInside(file, top) ? top : path.dirname(file)): HelperHome | undefined {
  const ext = path.extname(file).toLowerCase();
  if ((ext === ".js" || ext === ".jsx") && !writtenAsEsm(text) && !writtenAsCommonJs(text)) return undefined;
  const key = ext === ".js" || ext === ".jsx" ? (writtenAsEsm(text) ? "esm" : "cjs") : ext === ".cjs" ? "cjs" : ext;
  const rule = BY_IMPORTER.get(key) ?? { ext: ".ts", suffix: undefined, moduleSyntax: "ts" as const };
  const pkg = packageOf(file, top, outside);
  const src = path.join(pkg.dir, "src");
  const folder = sourceRootOf(pkg.dir, file) ?? (isInside(file, src) ? src : pkg.dir);
  const base = helperBase(folder);
  const module = path.join(folder, base + rule.ext);
  // Node's ES loader needs the extension; TypeScript maps `.js` to the `.ts` file in every mode.
  // Deno (`npm:` / `jsr:` imports, a deno.json) resolves only the file's own name, `.ts` included.
  const suffix = rule.suffix ?? importSuffixStyle(text) ?? (isDeno(text, pkg.dir) ? rule.ext : pkg.typeModule ? ".js" : "");
  let specifier = path.relative(path.dirname(file), path.join(folder, base)).split(path.sep).join("/") + suffix;
  if (!specifier.startsWith(".")) specifier = `./${specifier}`;
  return { module, specifier, syntax: rule.moduleSyntax === "cjs" ? "cjs" : "esm", moduleSyntax: rule.moduleSyntax };
}

/**
 * The folder the package's tsconfig.json compiles from, when the file is in it: its `rootDir`, or
 * the one folder every `include` pattern starts with (`server` for `server/**`). A module outside it fails the
 * build (TS6059 under rootDir) or moves the output (`dist/server/index.js` for `dist/index.js`).
 */
function sourceRootOf(pkgDir: string, file: string): string | undefined {
  let config: { compilerOptions?: { rootDir?: unknown }; include?: unknown };
  try {
    config = JSON.parse(stripJsonComments(fs.readFileSync(path.join(pkgDir, "tsconfig.json"), "utf8"))) as typeof config;
  } catch {
    return undefined;
  }
  const inside = (dir: string): string | undefined => (dir !== pkgDir && isInside(file, dir) ? dir : undefined);
  const rootDir = config?.compilerOptions?.rootDir;
  if (typeof rootDir === "string") return inside(path.resolve(pkgDir, rootDir));
  const include = Array.isArray(config?.include) ? config.include.filter((p): p is string => typeof p === "string") : [];
  const tops = new Set(include.map((p) => p.replace(/^\.\//, "").split(/[\\/]/)[0]));
  const [only] = tops;
  return tops.size === 1 && only && !/[*?{]/.test(only) && include.every((p) => /[\\/]/.test(p.replace(/^\.\//, ""))) ? inside(path.resolve(pkgDir, only)) : undefined;
}

/** The names the helper module may take, in order: another when a module of the project already has the name. */
const HELPER_BASES = [HELPER_MODULE_BASE, `${HELPER_MODULE_BASE}-helpers`, `${HELPER_MODULE_BASE}-migrated`];
const MODULE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".d.ts"];

/**
 * The helper module's name in `folder`: `cohere-chat`, unless a module of that name there is the
 * project's own (it lacks the helpers' mark): appending to it would redeclare its names, and its
 * `chatText` is not ours.
 */
function helperBase(folder: string): string {
  const theirs = (base: string): boolean =>
    MODULE_EXTENSIONS.some((ext) => {
      const text = readText(path.join(folder, base + ext));
      return text !== undefined && !text.includes(HELPER_MARK);
    });
  return HELPER_BASES.find((base) => !theirs(base)) ?? HELPER_BASES[HELPER_BASES.length - 1];
}

const HEADER = [
  "/**",
  ` * Helpers for code migrated from Cohere's Generate API to Chat v2 ${HELPER_MARK}.`,
  " * The files cohere-migrate rewrote in this package import them from here, so there is one copy.",
  " * Once nothing imports from this module any more, delete it.",
  " */",
];

/** Names of the helpers a module already defines. */
export function moduleDefines(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^(?:export\s+)?function\s+([A-Za-z_$][\w$]*)/gm)) out.add(m[1]);
  return out;
}

/** The module's text with `wanted` defined, or undefined when it defines them all already. */
export function helperModuleText(existing: string | undefined, wanted: ReadonlySet<string>, syntax: HelperSyntax): string | undefined {
  const eol = existing?.includes("\r\n") ? "\r\n" : "\n";
  const defined = moduleDefines(existing ?? "");
  // A helper another one calls comes with it.
  const names = new Set<string>();
  const add = (name: string): void => {
    const helper = HELPERS.get(name);
    if (!helper || names.has(name)) return;
    for (const dep of helper.needs) add(dep);
    names.add(name);
  };
  for (const name of wanted) add(name);
  const missing = [...HELPERS.keys()].filter((name) => names.has(name) && !defined.has(name));
  if (!missing.length) return undefined;
  const defs = missing.map((name) => {
    const helper = HELPERS.get(name);
    if (!helper) throw new Error(`no helper ${name}`);
    if (syntax === "ts") return helper.ts.replace(/^function /m, "export function ");
    const js = javascriptOf(name);
    return syntax === "esm" ? js.replace(/^function /m, "export function ") : `${js}\nexports.${name} = ${name};`;
  });
  const body = defs.join("\n\n").replace(/\n/g, eol);
  if (existing === undefined) return HEADER.join(eol) + eol + eol + body + eol;
  return existing.replace(/(\r?\n)*$/, "") + eol + eol + body + eol;
}
