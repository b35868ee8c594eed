/**
 * Settles by syntax alone the JavaScript/TypeScript files whose answer does not need the
 * TypeScript compiler (about a quarter of a second to load, and a program per file), which is
 * then loaded only for files where a receiver, a type or a URL has to be followed.
 *
 * Most files the byte prefilter keeps are of this kind. Babel's tokens (it loads in a tenth of the
 * time) tell names, strings and comments apart; a file is settled here when what detect-file.ts
 * starts from is either absent or of the common form:
 *
 * - every name `generate` or `generateStream` is the method of a call on a client that syntax
 *   shows (made with `new` of a class imported by name, or typed with it: syntax-sites.ts). Any
 *   other such name (a key, a destructured or private name, a JSX name) is left to the compiler,
 *   as is a string or template part that is one (`co["generate"]`, a literal type) or can end a
 *   Generate URL (`/generate`, `generate?...`);
 * - every type path whose names include a Generate type's (`Cohere.GenerateRequest`, an imported
 *   `Generation`, `import("cohere-ai").Cohere.Generation`) starts from a name syntax follows to its
 *   import, as the detector's legacyTypePath does (syntax-sites.ts);
 * - the cohere-ai module object (a default or namespace import, `const cohere = require(...)`)
 *   only constructs clients (`new cohere.CohereClient(...)`) or has its methods called (v6's
 *   `cohere.init(key)`, `cohere.generate(...)`): passed on or taken apart, it is left to the
 *   compiler, as are `import()` and `import x = require()`;
 * - no `cohere-migrate-ignore` suppression (the compiler's statements place them); markers are
 *   placed from Babel's tree where it has the same node above them (a statement, a member).
 *
 * Anything else, and any file Babel does not parse, goes to the TypeScript detector, which is the
 * reference: a test runs both on every fixture and on real code and requires the same answer for
 * each file settled here.
 */
import * as path from "node:path";
import type { ParserPlugin } from "@babel/parser";
import type { FileDetection } from "./detect-file";
import { LEGACY_TYPE_PATHS } from "./legacy-types";
import { isCohereSpecifier } from "./specifier";
import { exportTable, markerReach, syntaxFile, syntaxSites, type BabelNode, type ImportedReceiver } from "./syntax-sites";
import { findMarkers, IGNORE_LINE } from "../markers";

interface BabelToken {
  /** A TokenType (with its label), or a string for comments. */
  type: string | { label: string };
  value?: unknown;
}

/** The legacy methods: a name of one is a call syntax-sites.ts settles, or the compiler's. */
const METHOD_NAMES: ReadonlySet<string> = new Set(["generate", "generateStream"]);

/** The names of the Generate types (`Generation`, `GenerateRequest`, ...): left to the compiler. */
const LEGACY_NAMES: ReadonlySet<string> = new Set([...LEGACY_TYPE_PATHS].flatMap((p) => p.split(".")));

/**
 * A string or template part that can be a method name (`co["generate"]`, a literal type) or part of
 * a Generate URL: the REST detector joins pieces and looks for `/generate` at the end of the URL,
 * and a piece may start where `/` ended the one before (`${base}/` + "generate?x"). A name merely
 * containing the word (`"veo-3.1-generate-001"`) is neither.
 */
const GENERATE_PIECE = /(?:^|\/)generate(?:Stream)?(?:[/?]|$)/;

export { plainlyNeedsCompiler } from "./needs-compiler";

function pluginsFor(file: string): ParserPlugin[] {
  const ext = path.extname(file).toLowerCase();
  const decorators: ParserPlugin = "decorators-legacy";
  if (ext === ".ts" || ext === ".mts" || ext === ".cts") return ["typescript", decorators];
  if (ext === ".tsx") return ["typescript", "jsx", decorators];
  return ["jsx", decorators];
}

function labelOf(token: BabelToken): string {
  return typeof token.type === "string" ? token.type : token.type.label;
}

/** The tree and tokens of a file, or undefined when Babel does not parse it (the TypeScript detector will say why). */
function parseFile(file: string, text: string, tokens = true): { program: BabelNode; tokens: BabelToken[] } | undefined {
  const { parse } = require("@babel/parser") as typeof import("@babel/parser");
  try {
    const ast = parse(text, {
      sourceType: "module",
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      allowSuperOutsideMethod: true,
      allowNewTargetOutsideFunction: true,
      errorRecovery: false,
      tokens,
      plugins: pluginsFor(file),
    });
    return { program: ast.program as BabelNode, tokens: (ast.tokens ?? []) as BabelToken[] };
  } catch {
    return undefined;
  }
}

/**
 * The detection of a file that syntax settles, or undefined (then the compiler decides): a file
 * with no legacy use, or one whose Generate calls are all on receivers syntax shows to be
 * clients (syntax-sites.ts).
 */
export function settleBySyntax(file: string, text: string): FileDetection | undefined {
  // Suppressions need the compiler's statements to place; markers are placed from Babel's tree.
  if (text.includes(IGNORE_LINE)) return undefined;
  const parsed = parseFile(file, text);
  if (!parsed) return undefined;
  const markers = text.includes("cohere-migrate") ? placedMarkers(parsed.program, text) : [];
  if (!markers) return undefined;
  const { tokens } = parsed;
  let importsCohere = false;
  /** `generate` / `generateStream` names: each must be a call syntax settles. */
  let methods = 0;
  /** `require("cohere-ai")`: settled only as `const { CohereClient } = require(...)` or `const cohere = require(...)`. */
  let requires = false;
  /** `import cohere from` / `import * as cohere from "cohere-ai"`: the module object, whose uses are checked. */
  let moduleObject = false;
  /** `import("cohere-ai")`: settled only as an import type (syntax-sites.ts checks the tree). */
  let importCalls = false;
  /** A name of a Generate type (`Generation`, `GenerateRequest`): each type path is then followed. */
  let typeNames = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const label = labelOf(token);
    if (label === "name" || label === "jsxName") {
      const name = String(token.value);
      if (METHOD_NAMES.has(name)) {
        if (label !== "name") return undefined;
        methods++;
      } else if (LEGACY_NAMES.has(name)) {
        if (label !== "name") return undefined;
        typeNames = true;
      }
    } else if (label === "string" || label === "template") {
      const value = String(token.value);
      if (GENERATE_PIECE.test(value)) return undefined;
      if (label === "string" && isCohereSpecifier(value)) {
        const before = i > 0 ? tokens[i - 1] : undefined;
        const keyword = before && labelOf(before) === "name" ? String(before.value) : before ? labelOf(before) : "";
        // `import ... from "cohere-ai"`, `export ... from "cohere-ai"`, `import "cohere-ai"`.
        if (keyword === "from" || keyword === "import") {
          importsCohere = true;
          if (keyword === "from" && bindsModuleObject(tokens, i)) moduleObject = true;
        } else if (keyword === "(" && i > 1 && labelOf(tokens[i - 2]) === "name" && tokens[i - 2].value === "require") {
          requires = true;
        } else if (keyword === "(" && i > 1 && labelOf(tokens[i - 2]) === "import") {
          // `import("cohere-ai").Cohere.Generation` in a type; `import("cohere-ai")` as a value is the compiler's.
          importCalls = true;
        } else {
          // `import("cohere-ai")`, `import x = require(...)`, or a string that merely equals the
          // name: the compiler tells them apart.
          return undefined;
        }
      }
    }
  }
  if (!methods && !requires && !moduleObject && !typeNames && !importCalls) return { sites: [], undecided: [], importsCohere, markers, suppressed: 0, ignoreFile: false };
  const found = syntaxSites(parsed.program, text, methods, requires || moduleObject || importCalls, importsCohere || requires, /\.[mc]?tsx?$/i.test(file), typeNames);
  if (!found) return undefined;
  return {
    sites: found.sites,
    undecided: found.undecided,
    importsCohere: importsCohere || requires,
    markers,
    suppressed: 0,
    ignoreFile: false,
    ...(found.imported.length ? { imported: found.imported } : {}),
  };
}

/** The file's markers with their reach (detect-file.ts's withReach), or undefined when Babel's tree cannot place one. */
function placedMarkers(program: BabelNode, text: string): FileDetection["markers"] | undefined {
  const found = findMarkers(text);
  const reach = markerReach(program, text, found.map((m) => m.end));
  return reach && found.map((m, i) => (reach[i] === undefined ? m : { ...m, covers: reach[i] }));
}

/**
 * What a module exports under `name`, as the cross-file resolver would find it there: a client,
 * not a client (`export class Wrapper {}` constructed), or undefined when syntax cannot show it.
 */
export function exportedBySyntax(file: string, text: string, name: string, via: ImportedReceiver["via"]): "v1" | "v2" | "not" | undefined {
  // A module that never names it does not declare it (a barrel's other modules, asked in turn).
  if (!new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(text)) return undefined;
  const program = moduleTree(file, text);
  if (!program) return undefined;
  program.syntax ??= syntaxFile(program.tree);
  return program.syntax.exported(name, via);
}

/**
 * A few recent modules' trees (without tokens: what a module exports needs none), shared by the
 * export table and the export answers: a barrel's names are asked of the same modules one after
 * another, and a module's table and its answer are asked together (one parse, not two).
 */
function moduleTree(file: string, text: string): { text: string; tree: BabelNode; syntax?: ReturnType<typeof syntaxFile> } | undefined {
  const kept = parsedModules.get(file);
  if (kept && kept.text === text) return kept;
  const parsed = parseFile(file, text, false);
  if (!parsed) return undefined;
  const out = { text, tree: parsed.program };
  if (parsedModules.size >= 64) parsedModules.delete(parsedModules.keys().next().value as string);
  parsedModules.set(file, out);
  return out;
}

const parsedModules = new Map<string, { text: string; tree: BabelNode; syntax?: ReturnType<typeof syntaxFile> }>();

/**
 * A module's export table (syntax-sites.ts exportTable), kept by file and bytes: a barrel is asked
 * for many names. A table is small (no tree is kept). Undefined when Babel cannot parse the module.
 */
export function exportTableOf(file: string, text: string): ReturnType<typeof exportTable> | undefined {
  const kept = tables.get(file);
  if (kept && kept.text === text) return kept.table;
  const program = moduleTree(file, text);
  const table = program ? exportTable(program.tree) : undefined;
  if (tables.size >= 1024) tables.delete(tables.keys().next().value as string);
  tables.set(file, { text, table });
  return table;
}

const tables = new Map<string, { text: string; table: ReturnType<typeof exportTable> | undefined }>();

/**
 * Whether the import ending at the specifier `at` binds the module object: a default or namespace
 * import (`import cohere from`, `import * as cohere from`, `import c, { X } from`). Named imports
 * (`import { CohereClient } from`, `import type { Cohere } from`) and `export ... from` do not.
 */
function bindsModuleObject(tokens: readonly BabelToken[], at: number): boolean {
  // Back to the `import` or `export` keyword that opens the declaration.
  let start = at - 1;
  while (start >= 0 && labelOf(tokens[start]) !== "import" && labelOf(tokens[start]) !== "export") start--;
  if (start < 0 || labelOf(tokens[start]) === "export") return false;
  let depth = 0;
  for (let i = start + 1; i < at - 1; i++) {
    const label = labelOf(tokens[i]);
    if (label === "{") depth++;
    else if (label === "}") depth--;
    else if (depth === 0 && (label === "*" || (label === "name" && tokens[i].value !== "type"))) return true;
  }
  return false;
}
