/**
 * Small functions migrated code calls instead of repeating an idiom at every use: appended once to
 * a file that needs them, recognised by name on the next run (so migrating again adds nothing).
 */
import type { TransformContext } from "./kit";
import { table } from "../tables";

export interface HelperSource {
  /** The TypeScript source; the JavaScript one is derived from it (see javascriptOf). */
  ts: string;
  /** Helpers this one calls. */
  needs: string[];
}

/** Helpers by name. The doc comment says where they came from; the code says what they do. */
export const HELPERS: Readonly<Record<string, HelperSource>> = table({
  chatText: {
    needs: [],
    ts: `/** The text of a Chat v2 response: its text content parts, joined (added by cohere-migrate). */
function chatText(response: { message: { content?: Array<{ type: string; text?: string }> } }): string {
  return (response.message.content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
}`,
  },
  cutAtSequences: {
    needs: [],
    ts: `/**
 * Generate's stopSequences and endSequences, applied to a Chat v2 response (added by cohere-migrate):
 * the text ends at the earliest occurrence of any sequence, keeping a stop sequence and dropping an
 * end sequence.
 */
function cutAtSequences<T extends { message: { content?: Array<{ type: string; text?: string }> } }>(
  response: T,
  sequences: { stop?: string[]; end?: string[] },
): T {
  const parts = (response.message.content ?? []).filter((part) => part.type === "text");
  const text = parts.map((part) => part.text ?? "").join("");
  let first = Infinity;
  let cut = text.length;
  for (const [list, keep] of [[sequences.stop ?? [], true], [sequences.end ?? [], false]] as const) {
    for (const sequence of list) {
      const at = sequence ? text.indexOf(sequence) : -1;
      if (at !== -1 && at < first) {
        first = at;
        cut = keep ? at + sequence.length : at;
      }
    }
  }
  let left = cut;
  for (const part of parts) {
    const kept = (part.text ?? "").slice(0, Math.max(0, left));
    left -= (part.text ?? "").length;
    part.text = kept;
  }
  return response;
}`,
  },
});

/**
 * Asks for a helper by name and returns the name to call it by: its own, or `cohere` + Name when
 * the file already uses the name for something else. Appended when the transforms finish.
 */
export function useHelper(ctx: TransformContext, name: keyof typeof HELPERS): string {
  for (const dep of HELPERS[name].needs) useHelper(ctx, dep as keyof typeof HELPERS);
  ctx.helpers.add(name);
  return helperName(ctx.source, name);
}

/** `chatText`, unless the file binds that name to something of its own. */
export function helperName(source: string, name: string): string {
  // Ours: the helper's doc comment (with HELPER_MARK) directly above `function <name>`.
  const ours = new RegExp(`\\(added by cohere-migrate\\)(?:(?!function\\s)[\\s\\S]){0,400}\\*/\\s*function\\s+${name}\\b`).test(source);
  const taken = new RegExp(`\\b${name}\\b`).test(source);
  return taken && !ours ? `cohere${name[0].toUpperCase()}${name.slice(1)}` : name;
}

/** Names of functions the file already defines (from an earlier run). */
export function definedFunctions(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/^(?:export\s+)?function\s+([A-Za-z_$][\w$]*)/gm)) out.add(m[1]);
  return out;
}

/** Text to append for the helpers a run asked for and the file does not define yet. */
export function helperText(ctx: TransformContext, eol: string): string {
  const defined = definedFunctions(ctx.source);
  const parts: string[] = [];
  for (const name of Object.keys(HELPERS)) {
    if (!ctx.helpers.has(name)) continue;
    const actual = helperName(ctx.source, name);
    if (defined.has(actual)) continue;
    let text = ctx.typescript ? HELPERS[name].ts : javascriptOf(name);
    // Helpers that call each other use the names this file gives them.
    for (const other of Object.keys(HELPERS)) text = text.replace(new RegExp(`\\b${other}\\b(?=\\s*[(<])`, "g"), helperName(ctx.source, other));
    parts.push(text.replace(/\n/g, eol));
  }
  return parts.join(eol + eol);
}

const javascript = new Map<string, string>();

/**
 * A helper's JavaScript: its TypeScript with the types taken out by the compiler detection
 * already loads, laid out as written (the compiler adds "use strict" and indents by four).
 */
export function javascriptOf(name: keyof typeof HELPERS): string {
  let text = javascript.get(name);
  if (text === undefined) {
    // Loaded here, not at the top: transform modules must not load the compiler when imported
    // (under jscodeshift's runner, babel's require hook is still on then; see standalone.ts).
    const { ts } = require("ts-morph") as typeof import("ts-morph");
    const out = ts.transpileModule(HELPERS[name].ts, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false },
    }).outputText;
    text = out
      .replace(/^"use strict";\n/, "")
      .replace(/^( {4})+/gm, (indent) => " ".repeat(indent.length / 2))
      .trimEnd();
    javascript.set(name, text);
  }
  return text;
}
