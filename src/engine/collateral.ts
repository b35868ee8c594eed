/**
 * Collateral changes of a rewrite: what changed in a file that no rewrite asked for. Measured on
 * tokens, not lines, so that it needs no idea of where the rewritten spans are: the before and
 * after texts are cut into tokens (comments included) and aligned; then
 *
 * - two tokens kept next to each other on both sides whose whitespace between them changed
 *   (re-indented, re-wrapped, a line break added or taken away) are a reformat;
 * - a `;` or `,` added or dropped on its own between kept tokens is a style change;
 * - a comment removed at one place and added at another has moved (always collateral: a comment
 *   belongs next to the code it was written beside, also inside a rewritten request).
 *
 * Each counts at its line in the original text. The rewrite proper never counts: replaced tokens
 * and the whitespace next to them, inserted lines, and the layout of a bracketed list the rewrite
 * added to or took from (a one-line request object that gains `model` and `messages` may be
 * wrapped; the statements around it may not). Used by the fixture test (goal: none)
 * and by `npm run precision` over real code.
 */
import { diffArrays } from "diff";
import type * as TS from "typescript";
import { LineMap } from "../markers";

interface Token {
  text: string;
  /** The whitespace between the previous token and this one. */
  space: string;
  /** 1-based line of the token's start. */
  line: number;
  /** A `{` that opens a list of statements or members (a block, a class body), not an object or type literal. */
  block?: boolean;
}

const OPENERS = new Set(["{", "(", "["]);
const CLOSERS = new Set(["}", ")", "]"]);

/**
 * For each token, the bracket group the gap before it lies in (0: top level). A template's
 * `${ ... }` is a group too.
 */
function gapGroups(list: readonly Token[]): { group: number[]; depth: number[]; blocks: Set<number> } {
  const group: number[] = [];
  const depth: number[] = [];
  const blocks = new Set<number>([0]);
  const stack: number[] = [0];
  let next = 1;
  for (const t of list) {
    const opens = OPENERS.has(t.text) || (t.text.startsWith("`") && t.text.endsWith("${")) || (t.text.startsWith("}") && t.text.endsWith("${"));
    const closes = CLOSERS.has(t.text) || (t.text.startsWith("}") && t.text.length > 1 && t.text.endsWith("`")) || (t.text.startsWith("}") && t.text.endsWith("${"));
    // The gap before a closer is inside the group it closes.
    group.push(stack[stack.length - 1]);
    depth.push(stack.length - (closes ? 1 : 0));
    if (closes && stack.length > 1) stack.pop();
    if (opens) {
      if (t.block) blocks.add(next);
      stack.push(next++);
    }
  }
  return { group, depth, blocks };
}

export interface Collateral {
  line: number;
  kind: "reformat" | "punctuation" | "moved-comment";
  text: string;
}

const COMMENT_RE = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

function scriptKind(ts: typeof TS, file: string): TS.ScriptKind {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.(m|c)?ts$/i.test(file)) return ts.ScriptKind.TS;
  return /\.jsx$/i.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.TSX;
}

/** Tokens of a JS/TS text, comments as tokens of their own, each with the whitespace before it. */
export function tokens(file: string, text: string): Token[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(ts, file));
  const out: Token[] = [];
  const lines = new LineMap(text);
  const lineOf = (offset: number): number => lines.location(offset).line;
  let last = 0;
  const trivia = (end: number): void => {
    const gap = text.slice(last, end);
    let at = 0;
    for (const m of gap.matchAll(COMMENT_RE)) {
      const index = m.index ?? 0;
      out.push({ text: m[0], space: gap.slice(at, index), line: lineOf(last + index) });
      at = index + m[0].length;
    }
    pendingSpace = gap.slice(at);
  };
  let pendingSpace = "";
  const BLOCKS = new Set([ts.SyntaxKind.Block, ts.SyntaxKind.CaseBlock, ts.SyntaxKind.ModuleBlock, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression, ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.EnumDeclaration]);
  const visit = (node: TS.Node): void => {
    const children = node.getChildren(sf);
    if (children.length === 0 || ts.isJsxText(node)) {
      const start = node.getStart(sf);
      if (node.kind === ts.SyntaxKind.EndOfFileToken) {
        trivia(start);
        return;
      }
      trivia(start);
      const token: Token = { text: text.slice(start, node.end), space: pendingSpace, line: lineOf(start) };
      if (node.kind === ts.SyntaxKind.OpenBraceToken && node.parent && BLOCKS.has(node.parent.kind)) token.block = true;
      out.push(token);
      last = node.end;
      return;
    }
    for (const child of children) visit(child);
  };
  visit(sf);
  return out;
}

/** Every collateral change from `before` to `after` (empty when the rewrite kept the rest). */
export function collateral(file: string, before: string, after: string): Collateral[] {
  if (before === after) return [];
  const a = tokens(file, before);
  const b = tokens(file, after);
  const changes = diffArrays(
    a.map((t) => t.text),
    b.map((t) => t.text),
  );
  const out: Collateral[] = [];
  const ga = gapGroups(a);
  const gb = gapGroups(b);
  const groupAt = (index: number): number => (index < ga.group.length ? ga.group[index] : 0);
  // The bracketed lists an edit happened in, directly (comments and lone punctuation aside): their
  // own layout may change. Blocks of statements are never such lists.
  const edited = new Set<number>();
  {
    let at = 0;
    for (const change of changes) {
      const count = change.count ?? change.value.length;
      const substantive = change.value.some((t) => t !== ";" && t !== "," && !/^\/[/*]/.test(t));
      if (substantive && change.removed) for (let k = 0; k <= count; k++) edited.add(groupAt(at + k));
      else if (substantive && change.added) edited.add(groupAt(at));
      if (!change.added) at += count;
    }
  }
  for (const block of ga.blocks) edited.delete(block);
  const candidates: Array<Collateral & { group: number }> = [];
  const removedComments = new Map<string, number>();
  // Comments whose code (the next token) was rewritten away: moving them is part of the rewrite.
  const keptA = new Array<boolean>(a.length).fill(false);
  {
    let at = 0;
    for (const change of changes) {
      const count = change.count ?? change.value.length;
      if (!change.added && !change.removed) for (let k = 0; k < count; k++) keptA[at + k] = true;
      if (!change.added) at += count;
    }
  }
  const codeAfterKept = (index: number): boolean => {
    let k = index + 1;
    while (k < a.length && /^\/[/*]/.test(a[k].text)) k++;
    return k < a.length && keptA[k];
  };
  const addedComments = new Set<string>();
  let i = 0;
  let j = 0;
  // Whether the previous token was kept on both sides (so the space before this one is not next to an edit).
  let previousKept = false;
  for (let c = 0; c < changes.length; c++) {
    const change = changes[c];
    const count = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      for (let k = 0; k < count; k++) {
        const ta = a[i + k];
        const tb = b[j + k];
        // A token the rewrite nested deeper or shallower (moved into a new block) is re-indented by it.
        const renested = ga.depth[i + k] !== gb.depth[j + k];
        // `co\n  .generate` → `co.v2\n  .chat`: the alignment may pair the original `.` with the new
        // one; the same token with the original whitespace just after is the real partner.
        const next = changes[c + 1]?.removed ? changes[c + 2] : changes[c + 1];
        const partnerAfter = k === count - 1 && next?.added === true && b.slice(j + count, j + count + (next.count ?? next.value.length)).some((t) => t.text === ta.text && t.space === ta.space);
        if ((k > 0 || previousKept) && ta.space !== tb.space && !renested && !partnerAfter) candidates.push({ line: ta.line, kind: "reformat", text: ta.text, group: groupAt(i + k) });
      }
      i += count;
      j += count;
      previousKept = true;
      continue;
    }
    const neighbourKept = previousKept && c + 1 < changes.length && !changes[c + 1].added && !changes[c + 1].removed;
    const onlyPunctuation = change.value.every((t) => t === ";" || t === ",");
    if (change.removed) {
      if (onlyPunctuation && neighbourKept) candidates.push({ line: a[i].line, kind: "punctuation", text: change.value.join(""), group: groupAt(i) });
      for (let k = 0; k < count; k++) if (/^\/[/*]/.test(a[i + k].text) && codeAfterKept(i + k)) removedComments.set(a[i + k].text, a[i + k].line);
      i += count;
    } else {
      if (onlyPunctuation && neighbourKept) candidates.push({ line: a[Math.max(0, i - 1)].line, kind: "punctuation", text: change.value.join(""), group: groupAt(i) });
      for (let k = 0; k < count; k++) if (/^\/[/*]/.test(b[j + k].text)) addedComments.add(b[j + k].text);
      j += count;
    }
    previousKept = false;
  }
  for (const { group, ...entry } of candidates) if (!edited.has(group)) out.push(entry);
  for (const [comment, line] of removedComments) if (addedComments.has(comment)) out.push({ line, kind: "moved-comment", text: comment });
  return out.sort((x, y) => x.line - y.line);
}
