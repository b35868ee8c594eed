/**
 * Which files can hold a legacy Cohere use, decided from bytes before any parsing.
 *
 * Every site the detector reports is a member named `generate` or `generateStream` (a call, or a
 * reference such as `client.generate.bind(client)` or `const { generate } = client`), a request
 * whose URL ends in `/generate`, or something only a file importing `cohere-ai` can hold (the v6
 * module API such as `cohere.init(key)`, Generate API types such as `Cohere.Generation`, and
 * "possible" calls on receivers it cannot identify). So a file is parsed only when:
 *   1. it names `cohere-ai`; or
 *   2. its bytes hold `generate` / `generateStream` where such a name can stand: after `.` (which
 *      covers `?.`, `client.generate<T>(` and a line break before the dot), as a key after `{` or
 *      `,` (destructuring), quoted after `[`, `{` or `,` (`client["generate"](`), or anywhere in
 *      a file naming the Cohere host `cohere.` (any Cohere host) (a URL path, however it is put together: the
 *      REST detector needs the host in sight); a comment in between keeps the file too; lines
 *      that are comments (`//`, or `*` inside a JSDoc block) are passed over; and it mentions Cohere
 *      (`cohere` or `Cohere`: `CohereClient`, `api.cohere.`), or its relative / tsconfig-`paths`
 *      imports lead, through any number of modules (re-exporting index files included), to a
 *      file that does.
 * Files holding `cohere-migrate` comments are read for their markers even when not parsed.
 *
 * The bytes are searched as written: a method name spelt with escapes (`gen\u0065rate`) is not
 * recognised, as by grep-based tools. A new shape the detector learns must be added here and to
 * the equivalence corpus (scripts/corpus.ts, test/scale/prefilter-equivalence.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SOURCE_EXTENSIONS } from "./files";
import { LEGACY_TYPE_PATHS } from "../detect/legacy-types";
import { isCohereSpecifier } from "../detect/specifier";

const GENERATE_LENGTH = "generate".length;
const STREAM = Buffer.from("Stream");
/**
 * `generate` and `ohere` (`cohere` and `Cohere` in one search) are searched by a part that starts
 * with a byte rare in code, then checked around it. Buffer#indexOf finds a needle shorter than
 * seven bytes by memchr on its first byte: `gener` is found at memchr's speed, while `generate`
 * goes through a general string search and `ohere` stops at every `o`. Measured over vercel/ai's
 * 25 MB: 4.1 ms against 8.3 ms, and 6.2 ms against 12.3 ms.
 */
const GENER = Buffer.from("gener");
const HERE = Buffer.from("here");
const LOWER_A = 0x61;
const LOWER_E = 0x65;
const LOWER_O = 0x6f;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const LOWER_C = 0x63;
const UPPER_S = 0x53;
const LOWER_U = 0x75;
const LOWER_X = 0x78;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const BACKSLASH = 0x5c;
const PACKAGE = Buffer.from("cohere-ai");
/**
 * The Cohere API host, which a request to the Generate endpoint spells out in its file: any
 * host under cohere.ai or cohere.com (api.cohere.ai, api.cohere.com, ...), as rest.ts requires.
 */
const HOST_AI = Buffer.from("cohere.ai");
const HOST_COM = Buffer.from("cohere.com");
/** Marker and suppression comments hold `cohere-migrate`. */
const TOOL_TOKEN = Buffer.from("cohere-migrate");

export interface ByteFacts {
  /** `generate` / `generateStream` stands as a member, key or URL path somewhere. */
  site: boolean;
  /** The file mentions Cohere (undefined when not searched). */
  cohere: boolean | undefined;
  /** The file names the `cohere-ai` package. */
  pkg: boolean;
  /** The file holds `cohere-migrate` comments (markers, suppressions). */
  tool: boolean;
  /**
   * Generate is named some other way than a site: a Generate API type (`GenerateRequest`,
   * `Generation`, ...), or `generate` as a whole string (`const METHOD = "generate"`, which
   * `co[METHOD](...)` calls). Searched only in files naming `cohere-ai`.
   */
  named: boolean;
}

const SLASH = 0x2f;
const STAR = 0x2a;
const DOT = 0x2e;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;

/** Index of the first `generate` at or after `from`, or -1. */
export function indexOfGenerate(raw: Buffer, from = 0): number {
  for (let i = raw.indexOf(GENER, from); i !== -1; i = raw.indexOf(GENER, i + 1)) {
    if (raw[i + 5] === LOWER_A && raw[i + 6] === LOWER_T && raw[i + 7] === LOWER_E) return i;
  }
  return -1;
}

/** Where the name starting with the `generate` at `i` ends: after `generateStream`, else after `generate`. */
function generateEnd(raw: Buffer, i: number): number {
  const end = i + GENERATE_LENGTH;
  // A bounded comparison: indexOf would search the rest of the file for the next "Stream".
  const stream = raw[end] === UPPER_S && end + STREAM.length <= raw.length && raw.compare(STREAM, 0, STREAM.length, end, end + STREAM.length) === 0;
  return stream ? end + STREAM.length : end;
}

/** Index of the first `ohere` at or after `from`, or -1. */
function indexOfOhere(raw: Buffer, from = 0): number {
  for (let i = raw.indexOf(HERE, from + 1); i !== -1; i = raw.indexOf(HERE, i + 1)) {
    if (raw[i - 1] === LOWER_O) return i - 1;
  }
  return -1;
}

function isIdentifierByte(b: number | undefined): boolean {
  if (b === undefined) return false;
  return (
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x5f || // _
    b === 0x24 || // $
    b === 0x5c || // \ (an escape continues the identifier)
    b >= 0x80 // non-ASCII identifier characters
  );
}

function isSpaceByte(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

function isQuoteByte(b: number): boolean {
  return b === 0x22 || b === 0x27 || b === 0x60;
}

/**
 * Index of the last code byte before `end`: spaces and block comments are skipped (so
 * `client./* why *\/ generate` and a JSDoc block before a method read alike). `hidden` is true
 * when a line break was crossed and that line holds `//`: what comes before may be a comment.
 */
function previousByte(raw: Buffer, end: number): { at: number; hidden: boolean } {
  let at = end - 1;
  let hidden = false;
  for (;;) {
    while (at >= 0 && isSpaceByte(raw[at])) {
      if (raw[at] === NEWLINE && lineHasComment(raw, at - 1)) hidden = true;
      at--;
    }
    if (at >= 1 && raw[at] === SLASH && raw[at - 1] === STAR) {
      const open = raw.lastIndexOf("/*", at - 2);
      if (open === -1) return { at, hidden: true };
      at = open - 1;
      continue;
    }
    return { at, hidden };
  }
}

/** True when the line that ends at `at` holds `//` (a line comment may hide what comes before). */
function lineHasComment(raw: Buffer, at: number): boolean {
  // A loop over the line itself: Buffer#indexOf would search on to the end of the file.
  for (let i = at; i > 0 && raw[i] !== NEWLINE; i--) {
    if (raw[i] === SLASH && raw[i - 1] === SLASH) return true;
  }
  return false;
}

/**
 * Whether the line holding `i` is a comment line: it starts with `//`, or with `*` (the inside
 * of a JSDoc block, where `await client.generate({` examples live) and the block does not end
 * before `i` on that line. A line of code cannot start with either, short of a multiplication
 * continued on a new line.
 */
function onCommentLine(raw: Buffer, i: number): boolean {
  let at = raw.lastIndexOf(NEWLINE, i) + 1;
  while (at < i && (raw[at] === 0x20 || raw[at] === 0x09)) at++;
  if (raw[at] === SLASH && raw[at + 1] === SLASH) return true;
  if (raw[at] !== STAR) return false;
  for (let j = at; j < i - 1; j++) if (raw[j] === STAR && raw[j + 1] === SLASH) return false; // `*/ co.generate(`
  return true;
}

/** Whether the `generate` at `i` can be a member name, a key or a URL path the detector reports. */
function isSiteAt(raw: Buffer, i: number, hasHost: () => boolean): boolean {
  if (isIdentifierByte(raw[i - 1])) return false; // regenerate, _generate
  const end = generateEnd(raw, i);
  if (isIdentifierByte(raw[end])) return false; // generated, generateText
  if (onCommentLine(raw, i)) return false;
  const before = previousByte(raw, i);
  if (before.hidden) return true; // `client // why` + line break + `.generate(`
  if (before.at < 0) return false;
  const b = raw[before.at];
  // .generate, ?.generate
  if (b === DOT) return true;
  // const { generate } = client, { embed, generate: g = fallback } (not a method `{ generate() {`)
  if ((b === OPEN_BRACE || b === COMMA) && isKeyEnd(raw, end)) return true;
  if (isQuoteByte(b)) {
    // client["generate"](...), client[`generateStream`], const { "generate": g } = client
    const quoted = previousByte(raw, before.at);
    if (quoted.hidden) return true;
    const q = raw[quoted.at];
    if (q === OPEN_BRACKET || ((q === OPEN_BRACE || q === COMMA) && isKeyEnd(raw, end + 1))) return true;
  }
  // A URL path, however it is put together ("/v1/generate", `${BASE}generate`, BASE + "generate"):
  // the REST detector needs the Cohere host in sight, so only a file naming it is kept.
  return hasHost();
}

/** Whether what follows `end` (spaces skipped) ends a destructuring key: `}`, `,`, `:` or `=`. */
function isKeyEnd(raw: Buffer, end: number): boolean {
  let at = end;
  while (at < raw.length && isSpaceByte(raw[at])) at++;
  const b = raw[at];
  // A comment after the key is rare; keep the file rather than read past it.
  return b === CLOSE_BRACE || b === COMMA || b === COLON || b === EQUALS || b === SLASH;
}

export function hasSiteBytes(raw: Buffer): boolean {
  // Whether the file names the Cohere host: searched once, and only if a URL path needs it.
  let host: boolean | undefined;
  // The REST detector's hosts (rest.ts): cohere.ai and cohere.com, not any "cohere." (an icon's `cohere.svg`).
  const hasHost = (): boolean => (host ??= raw.indexOf(HOST_AI) !== -1 || raw.indexOf(HOST_COM) !== -1);
  for (let i = indexOfGenerate(raw); i !== -1; i = indexOfGenerate(raw, i + 1)) {
    if (isSiteAt(raw, i, hasHost)) return true;
  }
  return false;
}


const UNDERSCORE = 0x5f;
const STREAM_SUFFIX = Buffer.from("_stream");
const BATCH_PREFIX = Buffer.from("batch_");

/**
 * The Python half of hasSiteBytes: whether `generate`, `generate_stream` or `batch_generate`
 * stands where the Python detector (python/detect.ts) can report it. It reports an attribute
 * of one of those names (`co.generate`, `await self.client.generate_stream(`), a string naming
 * one (`getattr(co, "generate")`), and a Generate URL (`".../v1/generate"`): the name follows a
 * `.`, a quote or a `/`, spaces and tabs skipped. Python also allows a line break, a comment or a
 * backslash continuation between the dot and the name (inside brackets), so a name that starts
 * its line counts too. `_generate`, `generated`, `generate_text`, and "to generate" in prose
 * (most of a LangChain repository's `generate`s) do not. A non-ASCII byte next to the name keeps
 * the file, as hasSiteBytes does.
 */
export function hasPythonSiteBytes(raw: Buffer): boolean {
  for (let i = indexOfGenerate(raw); i !== -1; i = indexOfGenerate(raw, i + 1)) {
    if (isPythonSiteAt(raw, i)) return true;
  }
  return false;
}

function isPythonSiteAt(raw: Buffer, i: number): boolean {
  let end = i + GENERATE_LENGTH;
  if (raw[end] === UNDERSCORE && raw.compare(STREAM_SUFFIX, 0, STREAM_SUFFIX.length, end, Math.min(raw.length, end + STREAM_SUFFIX.length)) === 0) end += STREAM_SUFFIX.length;
  const after = raw[end];
  if (isPythonNameByte(after)) return false; // generated, generate_text
  let at = i - 1;
  if (raw[at] === UNDERSCORE) {
    // batch_generate (cohere 4.x), as a whole name; any other `_generate` is not the SDK's.
    const start = i - BATCH_PREFIX.length;
    if (start < 0 || raw.compare(BATCH_PREFIX, 0, BATCH_PREFIX.length, start, i) !== 0) return false;
    if (isPythonNameByte(raw[start - 1])) return false;
    at = start - 1;
  } else if (isPythonNameByte(raw[at])) return isJsonEscapeEnd(raw, at); // regenerate, but `\tgenerate` in a notebook
  while (at >= 0 && (raw[at] === 0x20 || raw[at] === 0x09 || raw[at] === 0x0c)) at--;
  if (at < 0) return true;
  const b = raw[at];
  // `}`: an f-string's path after a base (`f"{BASE}generate"`).
  if (b === DOT || b === 0x22 || b === 0x27 || b === SLASH || b === CLOSE_BRACE || b === NEWLINE || b === 0x0d || b === BACKSLASH || b >= 0x80) return true;
  return isJsonEscapeEnd(raw, at);
}

/**
 * Whether the letter or digit at `at` ends a JSON escape (`\n`, `\t`, `\u000c`): in a notebook a
 * line break, tab or form feed before the name is written so. Any escape counts (a `\\` before a
 * letter is rare); so a few non-notebook files are kept that need not be.
 */
function isJsonEscapeEnd(raw: Buffer, at: number): boolean {
  return raw[at - 1] === BACKSLASH || (raw[at - 4] === LOWER_U && raw[at - 5] === BACKSLASH);
}

/** An ASCII byte of a Python name; a non-ASCII one may be too, but is kept (the file is parsed). */
function isPythonNameByte(b: number | undefined): boolean {
  return b !== undefined && b < 0x80 && b !== 0x24 && b !== BACKSLASH && isIdentifierByte(b);
}

/**
 * `cohere` or `Cohere` as a name, not inside "coherent" or "coherence": prose in docs and tests
 * says those (LangChain's own tests and prompts do) and they name no client. A file that holds
 * only those is still read when its imports lead to a Cohere module.
 */
export function mentionsCohere(raw: Buffer): boolean {
  for (let i = indexOfOhere(raw); i !== -1; i = indexOfOhere(raw, i + 1)) {
    const after = i + 5;
    if (!(raw[after] === LOWER_N && (raw[after + 1] === LOWER_T || raw[after + 1] === LOWER_C))) return true;
  }
  return false;
}

/** mentionsCohere, on decoded text. */
export function textMentionsCohere(text: string): boolean {
  return /ohere(?!n[tc])/.test(text);
}

export function byteFacts(raw: Buffer): ByteFacts {
  // Two quick searches over every file: `cohere-ai` and `cohere-migrate` both hold "ohere", so
  // they are looked for only in the few files that do; the slower checks run only where needed.
  const generate = indexOfGenerate(raw) !== -1;
  const ohere = indexOfOhere(raw) !== -1;
  const pkg = ohere && raw.indexOf(PACKAGE) !== -1;
  return {
    site: generate && hasSiteBytes(raw),
    cohere: ohere && mentionsCohere(raw),
    pkg,
    tool: ohere && raw.indexOf(TOOL_TOKEN) !== -1,
    named: pkg && namesGenerateElsewhere(raw, generate),
  };
}

/** Whether the bytes name the cohere-ai package (ByteFacts' `pkg`, asked alone). */
export function namesCoherePackage(raw: Buffer): boolean {
  return raw.indexOf(PACKAGE) !== -1;
}

/** ByteFacts' `named` (asked only where the file names the package): `generate`, when known, says whether the bytes hold one. */
export function namesGenerateElsewhere(raw: Buffer, generate = indexOfGenerate(raw) !== -1): boolean {
  return (generate && namesGenerateOtherwise(raw)) || hasApiTypeBytes(raw) || hasLetterEscape(raw);
}

/**
 * Whether the bytes import one of these specifiers, the names cohere-ai is installed under
 * (npm-alias.ts): a quoted name, whole or followed by a subpath (`"llm"`, `'llm/api'`).
 */
export function importsCohereAlias(raw: Buffer, aliases: readonly Buffer[]): boolean {
  for (const alias of aliases) {
    for (let i = raw.indexOf(alias, 1); i !== -1; i = raw.indexOf(alias, i + 1)) {
      const after = raw[i + alias.length];
      if (isQuoteByte(raw[i - 1]) && after !== undefined && (isQuoteByte(after) || after === SLASH)) return true;
    }
  }
  return false;
}

/**
 * Whether the bytes name a Cohere API host (`cohere.ai`, `cohere.com`) as a host: followed by a
 * path, a port, a quote or the end, not by more of a name (`cohere.command-r`, an OCI model id).
 */
export function namesCohereHost(raw: Buffer): boolean {
  for (const host of [HOST_AI, HOST_COM]) {
    for (let i = raw.indexOf(host); i !== -1; i = raw.indexOf(host, i + 1)) {
      const after = raw[i + host.length];
      if (after === undefined || after === SLASH || after === COLON || isQuoteByte(after)) return true;
    }
  }
  return false;
}

/** Whether the file's own bytes make it a candidate (no imports needed). */
export function isOwnCandidate(facts: ByteFacts): boolean {
  return (facts.pkg && !isQuiet(facts)) || (facts.site && facts.cohere === true);
}

/**
 * A file that names `cohere-ai` and nothing else detection reports: no `generate` where a site can
 * stand, Generate named no other way (`named`), no marker. All it can hold are calls of the v6 module object
 * (`cohere.init(key)`), and those count only in a package whose v6 Generate calls migrate
 * (analyze.ts): such a file is parsed only in a run that finds one. LangChain's Cohere chat model
 * (38 KB, `_generate` and `ChatGeneration`) is one: most of the parsing `check` did there.
 */
export function isQuiet(facts: ByteFacts): boolean {
  return facts.pkg && !facts.site && !facts.named && !facts.tool;
}

/**
 * Whether a `generate` or `generateStream` the site search passed over may still name the method:
 * - as a whole string (`"generate"`, `'generateStream'`, a template without substitutions), the
 *   literal type the compiler reads a computed member's name from (`co[METHOD]` with
 *   `const METHOD = "generate"`);
 * - next to a non-ASCII byte or a backslash, which the site search reads as part of a longer name
 *   but may be a space the parser skips (`co.generate\u00a0(`, a no-break space pasted from a web
 *   page) or an escape.
 */
function namesGenerateOtherwise(raw: Buffer): boolean {
  for (let i = indexOfGenerate(raw); i !== -1; i = indexOfGenerate(raw, i + 1)) {
    const before = raw[i - 1];
    const after = raw[generateEnd(raw, i)];
    if (isQuoteByte(before) && isQuoteByte(after)) return true;
    if (before >= 0x80 || before === BACKSLASH || after >= 0x80 || after === BACKSLASH) return true;
  }
  return false;
}

/**
 * Whether the file holds an escape that can spell a letter (`\u0067`, `\u{67}`, `\x67`, `\147`):
 * a method or type name written so (`co["\x67enerate"]`, `co.\u0067enerate`) has no plain
 * spelling to find. Rare in code; such a file naming cohere-ai is parsed.
 */
function hasLetterEscape(raw: Buffer): boolean {
  for (let i = raw.indexOf(BACKSLASH); i !== -1; i = raw.indexOf(BACKSLASH, i + 2)) {
    const next = raw[i + 1];
    if (next === LOWER_U || next === LOWER_X || (next >= DIGIT_0 && next <= DIGIT_9)) return true;
  }
  return false;
}

/** A byte of an ASCII name: the only ones a type name is read from (anything else ends it, conservatively). */
function isAsciiNameByte(b: number | undefined): boolean {
  return b !== undefined && b < 0x80 && b !== BACKSLASH && isIdentifierByte(b);
}

/** The first names of the Generate API types (LEGACY_TYPE_PATHS): a type reference spells one out. */
const API_TYPE_NAMES: ReadonlySet<string> = new Set([...LEGACY_TYPE_PATHS].map((p) => p.split(".")[0]));
const GENERAT = Buffer.from("Generat");

/**
 * Whether one of API_TYPE_NAMES stands in the bytes as a whole name (`Cohere.GenerateRequest`,
 * `import { Generation as G }`, `Cohere["GenerateRequest"]`), comments and prose included. Each
 * holds `Generat`; `ChatGeneration` and `Generates` are other names.
 */
export function hasApiTypeBytes(raw: Buffer): boolean {
  for (let i = raw.indexOf(GENERAT); i !== -1; i = raw.indexOf(GENERAT, i + 1)) {
    let start = i;
    while (start > 0 && isAsciiNameByte(raw[start - 1])) start--;
    let end = i + GENERAT.length;
    while (end < raw.length && isAsciiNameByte(raw[end])) end++;
    if (API_TYPE_NAMES.has(raw.toString("latin1", start, end))) return true;
  }
  return false;
}

// import ... from "x", export ... from "x", import("x"), require("x"), import "x"
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["'`]([^"'`\n]+)["'`]/g;

export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1]);
  return out;
}

/** tsconfig `paths` as prefix rewrites ("@/*" → ["src/*"]), relative to its base folder. */
export interface PathAliases {
  /** The tsconfig.json they were read from. */
  file: string;
  base: string;
  /** True when tsconfig sets `baseUrl`: bare specifiers may then name files under it. */
  baseUrl: boolean;
  /** `exact`: a pattern without `*` ("llm"), which names that specifier alone, not "llm-utils". */
  /** `manifest`: the package.json a workspace package's alias was read from (what an answer through it depends on). */
  paths: Array<{ prefix: string; suffix: string; exact?: true; targets: string[]; manifest?: string }>;
}

/** The config of a folder: its tsconfig.json, else (a JavaScript project, Next.js's) its jsconfig.json. */
export function configFileOf(dir: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const file = path.join(dir, name);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return file;
  }
  return undefined;
}

const CONFIG_NAMES = ["tsconfig.json", "jsconfig.json"];

export function readPathAliases(root: string): PathAliases | undefined {
  const file = configFileOf(root);
  return file ? readTsconfigPaths(file, 0, root) : undefined;
}

/** A tsconfig's JSON (comments, trailing commas and a byte-order mark allowed); undefined when it is not an object. */
function readConfig(file: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(stripJsonComments(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "")));
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A relative `extends` or `references` path as the file it names (a folder names its tsconfig.json). */
function configPath(dir: string, ref: string): string {
  const abs = path.resolve(dir, ref);
  if (abs.endsWith(".json")) return abs;
  return fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ? path.join(abs, "tsconfig.json") : `${abs}.json`;
}

/**
 * A tsconfig's `baseUrl` and `paths`, its own or from the configs it `extends` by relative path
 * (one, or a list whose later entries win), as TypeScript reads them: `paths` relative to the
 * `baseUrl` of the config that sets it, else to that config's folder; `${configDir}` is the folder
 * of the config the run started from. A config with none of its own that lists `references`
 * (create-vite's `tsconfig.json` holding only `tsconfig.app.json` and `tsconfig.node.json`) takes
 * the referenced projects' aliases together. A package `extends` (`@repo/tsconfig/base.json`) is
 * not followed. Values of the wrong type are passed over, as the compiler reports them.
 */
function readTsconfigPaths(file: string, depth: number, configDir: string): PathAliases | undefined {
  const config = readConfig(file);
  if (!config || depth > 4) return undefined;
  const dir = path.dirname(file);
  const refs = (Array.isArray(config.extends) ? config.extends : [config.extends]).filter((e): e is string => typeof e === "string" && /^\.\.?\//.test(e));
  let inherited: PathAliases | undefined;
  for (const ref of refs) {
    const parent = readTsconfigPaths(configPath(dir, ref), depth + 1, configDir);
    if (!parent) continue;
    inherited = inherited ? { ...parent, paths: parent.paths.length ? parent.paths : inherited.paths, baseUrl: parent.baseUrl || inherited.baseUrl, base: parent.baseUrl ? parent.base : inherited.base } : parent;
  }
  const raw = config.compilerOptions;
  const options = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const expand = (p: string): string => p.replace(/\$\{configDir\}/g, configDir);
  const ownBaseUrl = typeof options.baseUrl === "string" ? expand(options.baseUrl) : undefined;
  const ownPaths = options.paths && typeof options.paths === "object" && !Array.isArray(options.paths) ? (options.paths as Record<string, unknown>) : undefined;
  if (ownPaths === undefined && ownBaseUrl === undefined) {
    if (inherited) return { ...inherited, file };
    return depth === 0 ? referencedPaths(config, file, configDir) : undefined;
  }
  // `baseUrl` is inherited like any option; `paths` resolve from it when one is set, else from the
  // folder of the config that sets them.
  const baseUrl = ownBaseUrl !== undefined ? path.resolve(dir, ownBaseUrl) : inherited?.baseUrl ? inherited.base : undefined;
  const base = baseUrl ?? (ownPaths !== undefined ? dir : (inherited?.base ?? dir));
  const paths = ownPaths
    ? Object.entries(ownPaths).map(([pattern, value]) => {
        const targets = (Array.isArray(value) ? value : []).filter((t): t is string => typeof t === "string").map(expand);
        const star = pattern.indexOf("*");
        return star === -1 ? { prefix: pattern, suffix: "", exact: true as const, targets } : { prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), targets };
      })
    : (inherited?.paths ?? []);
  return { file, base, baseUrl: baseUrl !== undefined, paths };
}

/** The aliases of the projects a solution-style tsconfig lists in `references`, together (targets made absolute). */
function referencedPaths(config: Record<string, unknown>, file: string, configDir: string): PathAliases | undefined {
  const references = Array.isArray(config.references) ? config.references : [];
  const dir = path.dirname(file);
  let out: PathAliases | undefined;
  for (const r of references) {
    const ref = r && typeof r === "object" ? (r as Record<string, unknown>).path : undefined;
    if (typeof ref !== "string") continue;
    const read = readTsconfigPaths(configPath(dir, ref), 1, configDir);
    if (!read) continue;
    const paths = read.paths.map((p) => ({ ...p, targets: p.targets.map((t) => path.resolve(read.base, t)) }));
    out = out ? { ...out, paths: [...out.paths, ...paths], baseUrl: out.baseUrl || read.baseUrl, base: out.baseUrl ? out.base : read.base } : { file, base: read.base, baseUrl: read.baseUrl, paths };
  }
  return out;
}

/**
 * The tsconfig.json that governs a file: the nearest one in its folder or above, as an editor and
 * `tsc -p` in a monorepo's app find it (`apps/web/tsconfig.json` for `apps/web/src/...`). `walked`:
 * the folders the walk saw holding one; folders above the walk's given folders are asked of the disk.
 */
export class NearestTsconfig {
  private readonly byDir = new Map<string, string | null>();
  private readonly aliases = new Map<string, PathAliases | null>();

  constructor(
    private readonly walked: ReadonlySet<string>,
    /** Folders whose every subfolder the walk listed (the given folders). */
    private readonly roots: readonly string[],
  ) {}

  /** The folder of the tsconfig.json that governs `file`, if any. */
  dirOf(file: string): string | undefined {
    return this.lookup(path.dirname(file)) ?? undefined;
  }

  private lookup(dir: string): string | null {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known;
    const walked = this.roots.some((root) => dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
    let found: string | null;
    if (walked ? this.walked.has(dir) : configFileOf(dir) !== undefined) found = dir;
    else {
      const parent = path.dirname(dir);
      found = parent === dir ? null : this.lookup(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }

  /** The import aliases of the tsconfig that governs `file`. */
  aliasesOf(file: string): PathAliases | undefined {
    const dir = this.dirOf(file);
    if (dir === undefined) return undefined;
    let aliases = this.aliases.get(dir);
    if (aliases === undefined) {
      aliases = readPathAliases(dir) ?? null;
      this.aliases.set(dir, aliases);
    }
    return aliases ?? undefined;
  }
}

/**
 * tsconfig.json is JSON with comments and trailing commas. Strings are copied as they are: a
 * `paths` pattern such as "@/*" must not start a comment.
 */
export function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

const PROBE_EXTENSIONS = [...SOURCE_EXTENSIONS, ".d.ts"];

/** The files imports may resolve to: the run's, and for a run over part of the tree the repository's others on disk. */
export interface KnownFiles {
  has(abs: string): boolean;
}

/** The repository file a specifier names, among `known` files; undefined for packages. */
export function resolveSpecifier(spec: string, fromFile: string, known: KnownFiles, aliases?: PathAliases): string | undefined {
  if (spec.startsWith(".") || spec.startsWith("/")) return probe(path.resolve(path.dirname(fromFile), spec), known);
  if (!aliases) return undefined;
  for (const alias of aliasesFor(aliases, spec)) {
    if (alias.exact ? spec !== alias.prefix : !spec.startsWith(alias.prefix) || !spec.endsWith(alias.suffix)) continue;
    const middle = spec.slice(alias.prefix.length, spec.length - alias.suffix.length);
    for (const target of alias.targets) {
      const found = probe(path.resolve(aliases.base, target.replace("*", middle)), known);
      if (found) return found;
    }
  }
  return aliases.baseUrl || !aliases.paths.length ? probe(path.resolve(aliases.base, spec), known) : undefined;
}

/** The repository file an absolute path names as an import does (with an extension, or a folder's index). */
function probe(c: string, known: KnownFiles): string | undefined {
  const noJs = c.replace(/\.(m|c)?js$/, "");
  const bases = noJs === c ? [c] : [c, noJs];
  for (const b of bases) {
    if (known.has(b)) return b;
    // `b` is absolute and normalized: a separator and a name need no path.join.
    const folder = b.endsWith(path.sep) ? b : b + path.sep;
    for (const ext of PROBE_EXTENSIONS) {
      if (known.has(b + ext)) return b + ext;
      const index = `${folder}index${ext}`;
      if (known.has(index)) return index;
    }
  }
  return undefined;
}

/**
 * The aliases that may match a specifier: tsconfig's patterns (any), and a workspace package's or
 * subpath import's only for its own name. A package with a large `exports` map (langchainjs's
 * has hundreds of subpaths) is then not scanned for every import of every other package.
 */
function aliasesFor(aliases: PathAliases, spec: string): PathAliases["paths"] {
  let index = aliasIndex.get(aliases);
  if (!index) {
    index = { generic: [], byPackage: new Map() };
    for (const a of aliases.paths) {
      if (a.manifest === undefined) index.generic.push(a);
      else {
        const name = packageNameOf(a.prefix);
        const list = index.byPackage.get(name) ?? [];
        list.push(a);
        index.byPackage.set(name, list);
      }
    }
    aliasIndex.set(aliases, index);
  }
  const own = index.byPackage.get(packageNameOf(spec));
  return own ? [...index.generic, ...own] : index.generic;
}

const aliasIndex = new WeakMap<PathAliases, { generic: PathAliases["paths"]; byPackage: Map<string, PathAliases["paths"]> }>();

/** `@scope/name` or `name`: the package a bare specifier names (`@acme/llm/client` → `@acme/llm`). */
function packageNameOf(spec: string): string {
  const parts = spec.split("/");
  return parts.slice(0, spec.startsWith("@") ? 2 : 1).join("/");
}

const manifestsMemo = new WeakMap<PathAliases, Map<string, string>>();

/** The workspace packages among a file's aliases, by name, with the package.json each was read from. */
function manifestsByPackage(aliases: PathAliases): Map<string, string> {
  let out = manifestsMemo.get(aliases);
  if (!out) {
    out = new Map();
    for (const a of aliases.paths) if (a.manifest !== undefined && !out.has(packageNameOf(a.prefix))) out.set(packageNameOf(a.prefix), a.manifest);
    manifestsMemo.set(aliases, out);
  }
  return out;
}

/**
 * Import edges between repository files, read on demand, and which files lead to a file that
 * mentions Cohere. Only the files on the import paths of candidates are ever read here.
 */
export class ImportReach {
  private readonly imports = new Map<string, string[]>();
  private readonly reaches = new Map<string, boolean>();
  /** Specifier resolutions by importing folder (null: not a repository file). */
  private readonly resolved = new Map<string, string | null>();
  /** resolvedThrough's answers by file. */
  private readonly through = new Map<string, string[]>();

  constructor(
    private readonly known: KnownFiles,
    /** The text of a known file (from memory, or read again from disk), undefined if unreadable. */
    private readonly readText: (file: string) => string | undefined,
    /** Whether a known file mentions Cohere (a client module, a re-export of one, a typed wrapper). */
    private readonly isCohere: (file: string) => boolean,
    /** The tsconfig `paths` a file's imports resolve through (its nearest tsconfig.json's). */
    private readonly aliasesOf?: (file: string) => PathAliases | undefined,
    /** `--cache`: the specifiers of files whose bytes an earlier run read, and where to keep new ones. */
    private readonly specifiers?: { get(file: string): string[] | undefined; set(file: string, specs: readonly string[]): void },
    /** The aliases a `#` specifier resolves through (its package's subpath imports besides the file's aliases). */
    private readonly hashAliasesOf?: (file: string) => PathAliases | undefined,
  ) {}

  /**
   * The bare specifiers of a file's imports that name a module of this repository (a tsconfig
   * `paths` alias such as `@lib/llm`, a workspace package such as `@acme/llm`), not cohere-ai's.
   * Detection of the file takes them for the repository's, as it takes `./llm`.
   */
  repoSpecifiers(file: string, text: string): string[] {
    const aliases = this.aliasesOf?.(file);
    const any = (aliases?.paths.length ?? 0) > 0 || aliases?.baseUrl === true;
    const out = new Set<string>();
    for (const spec of importSpecifiers(text)) {
      if (spec.startsWith(".") || spec.startsWith("/") || isCohereSpecifier(spec) || (!any && !spec.startsWith("#"))) continue;
      if (this.resolve(spec, file, aliases)) out.add(spec);
    }
    return [...out].sort();
  }

  /** The repository file a specifier of `file` names, through its aliases; undefined for a package. */
  target(spec: string, file: string): string | undefined {
    return this.resolve(spec, file, this.aliasesOf?.(file)) ?? undefined;
  }

  private resolve(spec: string, file: string, given: PathAliases | undefined): string | null {
    // Subpath imports are the package's own: resolved per folder, through its package.json.
    const hash = spec.startsWith("#") && this.hashAliasesOf !== undefined;
    const aliases = hash ? this.hashAliasesOf?.(file) : given;
    const key = spec.startsWith(".") || spec.startsWith("/") || hash ? `${path.dirname(file)}\u0000${spec}` : `${aliases?.file ?? ""}\u0000${spec}`;
    let target = this.resolved.get(key);
    if (target === undefined) {
      target = resolveSpecifier(spec, file, this.known, aliases) ?? null;
      this.resolved.set(key, target);
    }
    return target;
  }

  /**
   * The files besides its imports that decide where a file's imports lead: its tsconfig.json
   * (`paths`), and the package.json of each workspace package a bare specifier of it names.
   */
  resolvedThrough(file: string): string[] {
    let out = this.through.get(file);
    if (!out) {
      out = this.resolvedThroughOnce(file);
      this.through.set(file, out);
    }
    return out;
  }

  private resolvedThroughOnce(file: string): string[] {
    const aliases = this.aliasesOf?.(file);
    if (!aliases) return [];
    const out = new Set<string>();
    if (aliases.file) out.add(aliases.file);
    const manifests = manifestsByPackage(aliases);
    if (!manifests.size) return [...out];
    const specs = this.specifiers?.get(file) ?? importSpecifiers(this.readText(file) ?? "");
    for (const spec of specs) {
      if (spec.startsWith(".") || spec.startsWith("/")) continue;
      const manifest = manifests.get(packageNameOf(spec));
      if (manifest) out.add(manifest);
    }
    return [...out];
  }

  /** The repository files a file imports. */
  importsOf(file: string): string[] {
    let out = this.imports.get(file);
    if (out) return out;
    let specs = this.specifiers?.get(file);
    if (!specs) {
      const text = this.readText(file);
      specs = text === undefined ? [] : importSpecifiers(text);
      if (text !== undefined) this.specifiers?.set(file, specs);
    }
    out = [];
    // Files of one folder import the same specifiers (a sibling): resolved once per folder. A bare
    // specifier (a package, a tsconfig alias) resolves the same from every folder under one
    // tsconfig: once per tsconfig.
    const aliases = specs.length ? this.aliasesOf?.(file) : undefined;
    for (const spec of specs) {
      const target = this.resolve(spec, file, aliases);
      if (target) out.push(target);
    }
    this.imports.set(file, out);
    return out;
  }

  /**
   * Breadth-first over imports, with no depth limit; cycles end on the visited set. When nothing
   * is found, no file visited leads to Cohere either (its imports were all visited): all are noted.
   */
  reachesCohere(file: string): boolean {
    const cached = this.reaches.get(file);
    if (cached !== undefined) return cached;
    const visited = new Set([file]);
    let frontier = [file];
    let found = false;
    while (frontier.length && !found) {
      const next: string[] = [];
      for (const f of frontier) {
        for (const target of this.importsOf(f)) {
          if (visited.has(target)) continue;
          visited.add(target);
          if (this.reaches.get(target) === true || this.isCohere(target)) {
            found = true;
            break;
          }
          if (this.reaches.get(target) === false) continue;
          next.push(target);
        }
        if (found) break;
      }
      frontier = next;
    }
    if (found) this.reaches.set(file, true);
    else for (const f of visited) this.reaches.set(f, false);
    return found;
  }

  /** Every repository file `file` imports, directly or through others (what an answer that none leads to Cohere depends on). */
  imported(file: string): Set<string> {
    const visited = new Set<string>();
    const out = new Set<string>();
    const stack = [file];
    while (stack.length) {
      const from = stack.pop() as string;
      // The tsconfig.json whose `paths` resolved its imports, and the package.json files its
      // package names led through: another alias target is another answer.
      for (const d of this.resolvedThrough(from)) out.add(d);
      for (const target of this.importsOf(from)) {
        if (visited.has(target) || target === file) continue;
        visited.add(target);
        out.add(target);
        stack.push(target);
      }
    }
    return out;
  }

  /** Whether one of the files a file imports is a Cohere file or leads to one (its closure is not empty). */
  leadsToCohere(file: string): boolean {
    return this.importsOf(file).some((target) => target !== file && (this.isCohere(target) || this.reachesCohere(target)));
  }

  /** The imported files that are Cohere files or lead to one (the cross-file project's files). */
  closure(file: string): Set<string> {
    return this.closureOf([file]);
  }

  /** closure() of several files in one walk: their imported files that are Cohere files or lead to one. */
  closureOf(files: readonly string[]): Set<string> {
    const out = new Set<string>();
    const visited = new Set(files);
    const stack = [...files];
    while (stack.length) {
      const f = stack.pop() as string;
      for (const target of this.importsOf(f)) {
        if (visited.has(target)) continue;
        visited.add(target);
        if (this.isCohere(target) || this.reachesCohere(target)) {
          out.add(target);
          stack.push(target);
        }
      }
    }
    return out;
  }
}
