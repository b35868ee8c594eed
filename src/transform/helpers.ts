/**
 * Small functions migrated code calls instead of repeating an idiom at every use. Under `migrate`
 * they live in one module per package that the migrated files import (helper-module.ts); where a
 * transform runs on one file alone (jscodeshift's runner, the ESLint fix) they are appended to the
 * file. Either way they are recognised by name on the next run, so migrating again adds nothing,
 * and none of them changes the response it is given.
 */
import { quoteStyle, type TransformContext } from "./kit";
import { printAs } from "./verbatim";

export interface HelperSource {
  /** The TypeScript source. */
  ts: string;
  /**
   * The JavaScript source: what the compiler makes of the TypeScript, laid out as written. Built
   * from the same text (see helper()), not transpiled per run, so that migrate never loads the
   * compiler for it; a test holds it to the compiler's output (test/transforms/helpers-javascript.test.ts).
   */
  js: string;
  /** Helpers this one calls. */
  needs: string[];
}

/** In every helper's doc comment: how a later run knows the definition is ours. */
export const HELPER_MARK = "(added by cohere-migrate)";

export type HelperName = "chatText" | "cutAtSequences";

/**
 * One helper, written once: its doc comment, its signature in each language, and its body, whose
 * TypeScript-only parts (an `as const`) are passed through `typed`, which JavaScript drops.
 */
function helper(
  doc: string,
  signature: { ts: string; js: string },
  body: (typed: (text: string) => string) => string,
  needs: string[] = [],
): HelperSource {
  return { ts: doc + signature.ts + body((text) => text), js: doc + signature.js + body(() => ""), needs };
}

/** The part a Chat v2 response's text comes from, typed as the helpers take it. */
const RESPONSE_TYPE = "{ message: { content?: Array<{ type: string; text?: string }> } }";

/** Helpers by name, in the order they are written. The doc comment says where they came from. */
export const HELPERS: ReadonlyMap<string, HelperSource> = new Map<HelperName, HelperSource>([
  [
    "chatText",
    helper(
      `/** The text of a Chat v2 response: its text content parts, joined ${HELPER_MARK}. */
`,
      { ts: `function chatText(response: ${RESPONSE_TYPE}): string {`, js: "function chatText(response) {" },
      () => `
  // An error body ({ message: "..." } from a request by hand that checked no status) is no response:
  // it throws, as reading Generate's generations from it did.
  if (typeof response.message !== "object" || response.message === null) {
    throw new TypeError(\`not a Chat v2 response: \${JSON.stringify(response)}\`);
  }
  return (response.message.content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
}`,
    ),
  ],
  [
    "cutAtSequences",
    helper(
      `/**
 * Generate's stopSequences and endSequences, applied to a Chat v2 response ${HELPER_MARK}:
 * a copy whose text ends at the earliest occurrence of any sequence, keeping a stop sequence and
 * dropping an end sequence. The response given is not changed.
 */
`,
      {
        ts: `function cutAtSequences<T extends ${RESPONSE_TYPE}>(
  response: T,
  sequences: { stop?: string[]; end?: string[] },
): T {`,
        js: "function cutAtSequences(response, sequences) {",
      },
      (typed) => `
  // An error body ({ message: "..." } from a request by hand that checked no status) is no
  // response: it is returned as it is, for the code that reads its message.
  if (typeof response.message !== "object" || response.message === null) {
    return response;
  }
  const content = response.message.content ?? [];
  const text = content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
  let first = Infinity;
  let cut = text.length;
  for (const [list, keep] of [[sequences.stop ?? [], true], [sequences.end ?? [], false]]${typed(" as const")}) {
    for (const sequence of list) {
      const at = sequence ? text.indexOf(sequence) : -1;
      if (at !== -1 && at < first) {
        first = at;
        cut = keep ? at + sequence.length : at;
      }
    }
  }
  let left = cut;
  const kept = content.map((part) => {
    if (part.type !== "text") {
      return part;
    }
    const whole = part.text ?? "";
    const piece = whole.slice(0, Math.max(0, left));
    left -= whole.length;
    return { ...part, text: piece };
  });
  return { ...response, message: { ...response.message, content: kept } };
}`,
    ),
  ],
]);

function helperSource(name: string): HelperSource {
  const helper = HELPERS.get(name);
  if (!helper) throw new Error(`no helper named ${name}`);
  return helper;
}

/**
 * Asks for a helper by name and returns the name to call it by: its own, or `cohere` + Name when
 * the file already uses the name for something else.
 */
export function useHelper(ctx: TransformContext, name: HelperName): string {
  for (const dep of helperSource(name).needs) useHelper(ctx, dep as HelperName);
  ctx.helpers.add(name);
  return helperName(ctx.source, name, ctx.options.helperImport?.specifier);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The local name the file imports helper `name` by from the helper module, if it does. */
export function importedHelperLocal(source: string, name: string, specifier: string | undefined): string | undefined {
  const from = specifier ? escaped(specifier) : `[./]*cohere-chat(?:\\.[cm]?[jt]s)?`;
  const lists = [
    ...source.matchAll(new RegExp(`\\bimport\\s*\\{([^}]*)\\}\\s*from\\s*["']${from}["']`, "g")),
    ...source.matchAll(new RegExp(`\\{([^}]*)\\}\\s*=\\s*require\\(\\s*["']${from}["']\\s*\\)`, "g")),
  ];
  for (const list of lists) {
    for (const entry of list[1].split(",")) {
      const m = /^\s*([\w$]+)\s*(?:(?:as|:)\s*([\w$]+))?\s*$/.exec(entry);
      if (m && m[1] === name) return m[2] ?? m[1];
    }
  }
  return undefined;
}

/** `chatText`, unless the file binds that name to something of its own. */
export function helperName(source: string, name: string, specifier?: string): string {
  const imported = importedHelperLocal(source, name, specifier);
  if (imported) return imported;
  // Ours: the helper's doc comment (with HELPER_MARK) directly above `function <name>`.
  const ours = new RegExp(`${escaped(HELPER_MARK)}(?:(?!function\\s)[\\s\\S]){0,400}\\*/\\s*function\\s+${name}\\b`).test(source);
  const taken = new RegExp(`\\b${name}\\b`).test(source);
  return taken && !ours ? `cohere${name[0].toUpperCase()}${name.slice(1)}` : name;
}

/** Names of functions the file already defines (from an earlier run). */
export function definedFunctions(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/^(?:export\s+)?function\s+([A-Za-z_$][\w$]*)/gm)) out.add(m[1]);
  return out;
}

/** The helpers the run asked for (with what they call), in table order. */
function asked(ctx: TransformContext): string[] {
  return [...HELPERS.keys()].filter((name) => ctx.helpers.has(name));
}

/**
 * Where the file gets its helpers from a package module: adds the import (or the names to an
 * import it has) and returns the helpers that module must define. Helpers the file defines itself
 * (an earlier version of this tool appended them) are used as they are.
 */
export function importHelpers(ctx: TransformContext): string[] {
  const home = ctx.options.helperImport;
  if (!home) return [];
  const { j } = ctx;
  const defined = definedFunctions(ctx.source);
  const wanted: string[] = [];
  const missing: string[] = [];
  for (const name of asked(ctx)) {
    if (importedHelperLocal(ctx.source, name, home.specifier)) wanted.push(name);
    else if (!defined.has(helperName(ctx.source, name, home.specifier))) {
      wanted.push(name);
      missing.push(name);
    }
  }
  if (!missing.length) return wanted;
  const body = ctx.root.get().node.program.body as Array<Record<string, unknown>>;
  const entries = missing.map((name) => ({ name, local: helperName(ctx.source, name, home.specifier) }));
  const q = quoteStyle(ctx.source) === "single" ? "'" : '"';
  const from = `${q}${home.specifier}${q}`;
  if (home.syntax === "esm") {
    const specifiers = entries.map((e) => j.importSpecifier(j.identifier(e.name), e.local === e.name ? null : j.identifier(e.local)));
    const at = body.findIndex((s) => s.type === "ImportDeclaration" && (s.source as { value?: unknown }).value === home.specifier && s.importKind !== "type");
    const existing = at === -1 ? undefined : (body[at] as { specifiers: Array<{ type: string; end?: number }>; start?: number; end?: number });
    const last = existing?.specifiers[existing.specifiers.length - 1];
    const oneLine = existing?.start !== undefined && existing.end !== undefined && !/[\r\n]/.test(ctx.source.slice(existing.start, existing.end));
    if (existing && oneLine && last?.type === "ImportSpecifier" && existing.start !== undefined && last.end !== undefined) {
      // The names go after the last one, in the import's own bytes: a reprint of a one-line
      // declaration with a new specifier lost the ones it had (one name per line is spliced).
      const added = entries.map((e) => (e.local === e.name ? e.name : `${e.name} as ${e.local}`)).join(", ");
      const text = ctx.source.slice(existing.start, last.end) + `, ${added}` + ctx.source.slice(last.end, existing.end);
      body[at] = printAs({ ...existing, specifiers: [...existing.specifiers, ...specifiers] }, text) as never;
    } else if (existing) existing.specifiers.push(...specifiers);
    else {
      const list = entries.map((e) => (e.local === e.name ? e.name : `${e.name} as ${e.local}`)).join(", ");
      const declaration = printAs(j.importDeclaration(specifiers, j.stringLiteral(home.specifier)), `import { ${list} } from ${from};`);
      body.splice(afterLast(body, (s) => s.type === "ImportDeclaration"), 0, declaration as never);
    }
  } else {
    const properties = entries.map((e) => {
      const p = j.objectProperty(j.identifier(e.name), j.identifier(e.local));
      if (e.local === e.name) p.shorthand = true;
      return p;
    });
    const list = entries.map((e) => (e.local === e.name ? e.name : `${e.name}: ${e.local}`)).join(", ");
    const declaration = printAs(
      j.variableDeclaration("const", [j.variableDeclarator(j.objectPattern(properties), j.callExpression(j.identifier("require"), [j.stringLiteral(home.specifier)]))]),
      `const { ${list} } = require(${from});`,
    );
    body.splice(afterLast(body, isRequireStatement), 0, declaration as never);
  }
  return wanted;
}

/** The index after the last statement of the file's leading run that `test` accepts (after directives when none). */
function afterLast(body: ReadonlyArray<Record<string, unknown>>, test: (s: Record<string, unknown>) => boolean): number {
  let at = -1;
  for (let i = 0; i < body.length; i++) if (test(body[i])) at = i;
  if (at !== -1) return at + 1;
  let i = 0;
  while (i < body.length && body[i].type === "ExpressionStatement" && typeof body[i].directive === "string") i++;
  return i;
}

/** `const x = require("...")` / `const { a } = require("...")` (optionally `.member`). */
function isRequireStatement(s: Record<string, unknown>): boolean {
  if (s.type !== "VariableDeclaration") return false;
  const declarations = s.declarations as Array<{ init?: Record<string, unknown> | null }>;
  return declarations.some((d) => {
    let init = d.init;
    while (init && init.type === "MemberExpression") init = init.object as Record<string, unknown>;
    return !!init && init.type === "CallExpression" && (init.callee as { name?: string }).name === "require";
  });
}

/** Text to append for the helpers a run asked for and the file does not define yet (no helper module). */
export function helperText(ctx: TransformContext, eol: string): string {
  if (ctx.options.helperImport) return "";
  const defined = definedFunctions(ctx.source);
  const parts: string[] = [];
  for (const name of asked(ctx)) {
    const actual = helperName(ctx.source, name);
    if (defined.has(actual)) continue;
    let text = ctx.typescript ? helperSource(name).ts : javascriptOf(name);
    // Helpers that call each other use the names this file gives them.
    for (const other of HELPERS.keys()) text = text.replace(new RegExp(`\\b${other}\\b(?=\\s*[(<])`, "g"), helperName(ctx.source, other));
    parts.push(text.replace(/\n/g, eol));
  }
  return parts.join(eol + eol);
}

/** A helper's JavaScript (its TypeScript without the types). */
export function javascriptOf(name: string): string {
  return helperSource(name).js;
}
