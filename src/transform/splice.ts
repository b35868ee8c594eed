/**
 * Prints a transformed tree as byte-range edits on the original text. The transforms change the
 * jscodeshift AST as before; this walks the new tree beside recast's shadow copy of the original
 * (every parsed node keeps its `original`) and turns each difference into an edit of the original
 * text: a replaced node's range gets the new node's text, statements and list entries that were
 * added or removed become whole-line insertions and deletions, and a marker comment becomes a line
 * of its own above its statement. Everything outside those ranges is kept by construction, which
 * recast's reprinting does not promise (it re-wraps member chains, moves trailing comments,
 * re-indents an `if` when a marker lands inside it, and re-indents multi-line template literals).
 *
 * New code is printed by recast from a copy in which every node taken from the original text is a
 * placeholder; the placeholders are then replaced by those nodes' own bytes (with their own edits
 * applied), so a moved template literal keeps its text exactly.
 *
 * `splice` returns undefined when a difference has no edit form (a list emptied, a node gained a
 * child it did not have): the caller then prints the file with recast as before.
 */
import * as recast from "recast";
import { namedTypes as N } from "ast-types";
import { VERBATIM } from "./verbatim";

interface Edit {
  start: number;
  end: number;
  text: string;
  /** A comment the transform moved here: kept only when its old place is rewritten away. */
  moved?: { start: number; end: number };
}

interface Comment {
  type: string;
  value: string;
  leading?: boolean;
  trailing?: boolean;
  start?: number;
  end?: number;
  original?: Comment;
}

interface Node {
  type: string;
  start?: number;
  end?: number;
  original?: Node;
  comments?: Comment[] | null;
  [key: string]: unknown;
}

/** Fields that carry position, parser bookkeeping or comments (handled apart), not meaning. */
const SKIP = new Set(["loc", "start", "end", "range", "comments", "leadingComments", "trailingComments", "innerComments", "original", "tokens", "extra", "errors"]);

/** Lists of statements or members: entries are whole lines. */
function isStatementList(parent: Node, key: string): boolean {
  if (key === "body") return ["Program", "BlockStatement", "StaticBlock", "ClassBody", "TSModuleBlock", "TSInterfaceBody"].includes(parent.type);
  return key === "consequent" && parent.type === "SwitchCase";
}

/** Comma-separated lists whose entries may be spliced line by line when each starts a line. */
function isCommaList(parent: Node, key: string): boolean {
  return key === "properties" || key === "elements" || key === "arguments" || key === "specifiers" || key === "members" || key === "params";
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Whether the new node stands for the original one (recast's copy of it). */
function same(n: unknown, o: unknown): boolean {
  return isNode(n) && isNode(o) && (n === o || n.original === o);
}

export interface SpliceOptions {
  quote: "single" | "double";
  trailingComma: boolean;
  eol: string;
  /** The file ends its statements with semicolons. */
  semicolons: boolean;
  /** Re-indent printed code for a tab-indented file. */
  retab: (text: string) => string;
}

class Unsplicable extends Error {}

export class Splicer {
  /** The nodes of this file's own parse (snippets parsed for new code have `original`s too, from other text). */
  private readonly owned = new WeakSet<object>();

  constructor(
    private readonly source: string,
    private readonly options: SpliceOptions,
  ) {}

  /** The edited text, or undefined when the tree has a change with no edit form. */
  splice(file: Node): string | undefined {
    const edits: Edit[] = [];
    if (file.original) this.own(file.original);
    try {
      if (!this.diff(file, edits)) return undefined;
    } catch (error) {
      if (error instanceof Unsplicable) return undefined;
      throw error;
    }
    // A moved comment whose old place is still in the text would be there twice.
    const rewritten = edits.filter((e) => !e.moved && e.end > e.start);
    const kept = edits.filter((e) => !e.moved || rewritten.some((r) => r.start <= e.moved!.start && r.end >= e.moved!.end));
    return apply(this.source, 0, this.source.length, kept);
  }

  private own(node: Node): void {
    this.owned.add(node);
    for (const key of Object.keys(node)) {
      if (key === "loc" || key === "original" || key === "tokens") continue;
      const v = node[key];
      if (Array.isArray(v)) for (const item of v) if (isNode(item)) this.own(item);
      if (isNode(v)) this.own(v);
    }
  }

  /** The original node a new one stands for, when it is one of this file's. */
  private originalOf(n: Node): Node | undefined {
    return n.original && this.owned.has(n.original) ? n.original : undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Differences

  /** Adds the edits that turn `n.original`'s text into `n`'s; false when `n` must be printed whole. */
  private diff(n: Node, edits: Edit[], against?: Node): boolean {
    const o = against ?? this.originalOf(n);
    if (!o || o.start === undefined || o.end === undefined) return false;
    if (n.type !== o.type) return false;
    if (!this.comments(n, o, edits)) return false;
    // Parentheses lie outside a node's range: kept with a kept parent, added by `render` where needed.
    // Every field either node has, once (this runs for every node of the file: no Set per node).
    for (const key of Object.keys(n)) if (!this.field(n, o, key, edits)) return false;
    for (const key of Object.keys(o)) if (!Object.prototype.propertyIsEnumerable.call(n, key) && !this.field(n, o, key, edits)) return false;
    return true;
  }

  /** One field of `n` against the same field of `o`; false when the difference has no edit form. */
  private field(n: Node, o: Node, key: string, edits: Edit[]): boolean {
    if (SKIP.has(key)) return true;
    const nv = n[key];
    const ov = o[key];
    // recast's copy fills in defaults the parser left out (`optional: false`, `typeAnnotation: null`).
    if (isUnset(nv) && isUnset(ov)) return true;
    // A JSXText's `raw` is set on one side only (the parser keeps it under `extra`): its `value` decides.
    if (key === "raw" && n.type === "JSXText" && (nv === undefined || ov === undefined)) return true;
    if (Array.isArray(nv) || Array.isArray(ov)) {
      if (!Array.isArray(nv) || !Array.isArray(ov)) return false;
      return this.list(n, key, nv as unknown[], ov as unknown[], edits);
    }
    if (isNode(nv) || isNode(ov)) {
      if (!isNode(nv) || !isNode(ov)) return false;
      this.child(nv, ov, edits, n, key);
      return true;
    }
    return sameValue(nv, ov);
  }

  /** A child in place of `ov`: diffed when it is `ov`'s copy, printed into `ov`'s range otherwise. */
  private child(nv: Node, ov: Node, edits: Edit[], parent?: Node, key?: string): void {
    // A new node of the same type is compared field by field too (`co.generate` → `co.v2.chat`
    // keeps `co` and the line break before the dot), unless it is one of this file's other nodes.
    const against = same(nv, ov) || (nv.type === ov.type && !this.originalOf(nv)) ? ov : undefined;
    if (against) {
      const inner: Edit[] = [];
      if (this.diff(nv, inner, against)) {
        edits.push(...inner);
        return;
      }
    }
    if (ov.start === undefined || ov.end === undefined) throw new Unsplicable();
    let text = this.render(nv, this.indentAt(ov.start), false, true);
    const parenthesized = Boolean((ov.extra as { parenthesized?: boolean } | undefined)?.parenthesized);
    if (!parenthesized && !wrapped(text) && needsParens(nv, parent, key)) text = `(${text})`;
    edits.push({ start: ov.start, end: ov.end, text });
  }

  /** Marker comments added before a node become their own lines; any other comment change cannot be spliced. */
  private comments(n: Node, o: Node, edits: Edit[]): boolean {
    const now = n.comments ?? [];
    const before = o.comments ?? [];
    if (now.length === before.length && now.every((c, i) => c === before[i] || c.original === before[i])) return true;
    // Every original comment still there, in order; the rest are new leading comments.
    let k = 0;
    // Each new comment with the original comment it goes before (a marker above `// cohere-migrate-ignore`), if any.
    const added: Array<{ c: Comment; before?: Comment }> = [];
    for (const c of now) {
      if (k < before.length && (c === before[k] || c.original === before[k])) k++;
      else if (c.leading && (!c.original || this.owned.has(c.original))) added.push({ c, before: before[k] });
      else return false;
    }
    if (k !== before.length) return false;
    for (const { c, before: next } of added) {
      const start = (next?.leading && next.start !== undefined ? next.start : o.start) ?? 0;
      const lineStart = this.lineStart(start);
      const ownLine = /^[ \t]*$/.test(this.source.slice(lineStart, start));
      const indent = this.source.slice(lineStart, start);
      const text = ownLine ? indent + commentText(c) + this.options.eol : `${commentText(c)} `;
      const at = ownLine ? lineStart : start;
      const from = c.original;
      edits.push({ start: at, end: at, text, moved: from?.start !== undefined && from.end !== undefined ? { start: from.start, end: from.end } : undefined });
    }
    return true;
  }

  private list(parent: Node, key: string, now: unknown[], before: unknown[], edits: Edit[]): boolean {
    if (now.length === before.length && now.every((v, i) => v === before[i] || same(v, before[i]) || (!isNode(v) && sameValue(v, before[i])))) {
      for (let i = 0; i < now.length; i++) {
        const nv = now[i];
        const ov = before[i];
        if (isNode(nv) && isNode(ov)) this.child(nv, ov, edits);
      }
      return true;
    }
    if (!now.every(isNode) || !before.every(isNode)) {
      // Same length, some entries replaced (`arguments[0]` swapped for a new object): print each in place.
      if (now.length !== before.length) return false;
    }
    const nodesNow = now as Node[];
    const nodesBefore = before as Node[];
    const statements = isStatementList(parent, key);
    // `import X` and `import { X }` are both specifiers, written differently around the name.
    if (key === "specifiers" && !nodesNow.every((v, i) => i >= nodesBefore.length || v.type === nodesBefore[i].type)) return false;
    const byLines = statements || (isCommaList(parent, key) && this.eachOnItsOwnLine(nodesBefore));
    if (!byLines && now.length === before.length) {
      for (let i = 0; i < now.length; i++) this.child(nodesNow[i], nodesBefore[i], edits);
      return true;
    }
    if (!byLines) return false;
    if (nodesBefore.length === 0 || nodesNow.length === 0) return false;
    // Align by identity: kept entries must keep their order.
    const matched = nodesNow.map((v) => nodesBefore.findIndex((o) => same(v, o)));
    let last = -1;
    for (const m of matched) {
      if (m === -1) continue;
      if (m <= last) return false;
      last = m;
    }
    // Walk the gaps between kept entries.
    let oi = 0;
    let ni = 0;
    const hadTrailingComma = !statements && this.followedByComma(nodesBefore[nodesBefore.length - 1]);
    while (ni <= nodesNow.length) {
      const run: Node[] = [];
      while (ni < nodesNow.length && matched[ni] === -1) run.push(nodesNow[ni++]);
      const stop = ni < nodesNow.length ? matched[ni] : nodesBefore.length;
      this.gap(nodesBefore, oi, stop, run, statements, hadTrailingComma, edits);
      if (ni === nodesNow.length) break;
      this.child(nodesNow[ni], nodesBefore[stop], edits);
      oi = stop + 1;
      ni++;
    }
    return true;
  }

  /**
   * The entries `before[from, to)` were removed and `run` added between the same kept neighbours.
   * An added entry built from a removed one's parts (`messages` holding the old `prompt`'s value)
   * takes its place; the others are inserted in order, as whole lines.
   */
  private gap(before: Node[], from: number, to: number, run: Node[], statement: boolean, hadTrailingComma: boolean, edits: Edit[]): void {
    const removed = before.slice(from, to);
    const partner = run.map((n) => removed.findIndex((r) => this.holdsPartOf(n, r)));
    const used = new Set<number>();
    for (let i = 0; i < partner.length; i++) {
      if (partner[i] !== -1 && (used.has(partner[i]) || partner.slice(0, i).some((p) => p > partner[i]))) partner[i] = -1;
      if (partner[i] !== -1) used.add(partner[i]);
    }
    let cursor = from; // the next original entry, in the list, that new lines go before
    const pending: Node[] = [];
    const flush = (at: number): void => {
      if (!pending.length) return;
      // An added import joins the imports above it rather than the statement a blank line sets off below.
      if (statement && at > 0 && at < before.length && pending.every(isImportLike) && isImportLike(before[at - 1])) this.insertAfterLast(pending.splice(0), before[at - 1], true, false, edits);
      else if (at < before.length) this.insertBefore(pending.splice(0), before[at], statement, edits);
      else this.insertAfterLast(pending.splice(0), before[before.length - 1], statement, hadTrailingComma, edits);
    };
    for (let i = 0; i < run.length; i++) {
      const j = partner[i];
      if (j === -1) {
        pending.push(run[i]);
        continue;
      }
      flush(cursor);
      for (let k = cursor; k < from + j; k++) if (!used.has(k - from)) this.removeEntry(before[k], edits);
      this.replaceEntry(before[from + j], run[i], statement, edits);
      cursor = from + j + 1;
    }
    // What is left goes before the first removed entry not yet passed, or before the next kept one.
    flush(cursor < to ? cursor : to);
    for (let k = cursor; k < to; k++) if (!used.has(k - from)) this.removeEntry(before[k], edits);
  }

  /** Whether a new entry is built from an original node inside a removed entry's range. */
  private holdsPartOf(n: Node, removed: Node): boolean {
    const from = removed.start ?? 0;
    const to = removed.end ?? 0;
    let found = false;
    const walk = (node: Node): void => {
      if (found) return;
      const o = this.originalOf(node);
      if (o && (o.start ?? -1) >= from && (o.end ?? -1) <= to && o !== removed) {
        found = true;
        return;
      }
      for (const key of Object.keys(node)) {
        if (SKIP.has(key)) continue;
        const v = node[key];
        if (Array.isArray(v)) v.forEach((item) => isNode(item) && walk(item));
        else if (isNode(v)) walk(v);
      }
    };
    walk(n);
    return found;
  }

  private replaceEntry(o: Node, n: Node, statement: boolean, edits: Edit[]): void {
    const start = o.start ?? 0;
    let text = this.render(n, this.indentAt(start), statement, true);
    if (statement && !this.options.semicolons) text = text.replace(/;$/, "");
    edits.push({ start, end: o.end ?? start, text });
  }

  /** Deletes an entry's lines (its leading comments go with it: the transforms move those they keep). */
  private removeEntry(o: Node, edits: Edit[]): void {
    const from = this.leadStart(o);
    const lineStart = this.lineStart(from);
    let end = o.end ?? from;
    // The entry's own comma and a comment trailing it on its line.
    const after = /^[ \t]*,?[ \t]*(\/\/[^\n]*|\/\*[^\n]*?\*\/)?[ \t]*(\r?\n)?/.exec(this.source.slice(end));
    if (/^[ \t]*$/.test(this.source.slice(lineStart, from)) && after?.[2]) {
      edits.push({ start: lineStart, end: end + after[0].length, text: "" });
      return;
    }
    const comma = /^[ \t]*,[ \t]*/.exec(this.source.slice(end));
    if (comma) end += comma[0].length;
    edits.push({ start: from, end, text: "" });
  }

  private entryTexts(entries: Node[], indent: string, statement: boolean): string[] {
    return entries.map((e) => {
      const text = this.render(e, indent, statement, true);
      return statement && !this.options.semicolons ? text.replace(/;$/, "") : text;
    });
  }

  /** New entries as lines of their own above an original entry (and its leading comments). */
  private insertBefore(entries: Node[], anchor: Node, statement: boolean, edits: Edit[]): void {
    const lead = this.leadStart(anchor);
    const lineStart = this.lineStart(lead);
    const indent = this.indentAt(anchor.start ?? 0);
    const sep = statement ? "" : ",";
    const texts = this.entryTexts(entries, indent, statement);
    if (!/^[ \t]*$/.test(this.source.slice(lineStart, lead))) throw new Unsplicable();
    // A statement set off by a blank line stays set off from what is inserted above it.
    const blankAbove = statement && /\n[ \t]*\r?\n$/.test(this.source.slice(0, lineStart));
    const eol = this.options.eol;
    edits.push({ start: lineStart, end: lineStart, text: texts.map((t) => indent + t + sep + eol).join("") + (blankAbove ? eol : "") });
  }

  /** New entries after the list's last entry: at the end of its line, past its comma and a trailing comment. */
  private insertAfterLast(entries: Node[], anchor: Node, statement: boolean, hadTrailingComma: boolean, edits: Edit[]): void {
    const eol = this.options.eol;
    const indent = this.indentAt(anchor.start ?? 0);
    const texts = this.entryTexts(entries, indent, statement);
    const end = anchor.end ?? 0;
    const after = /^[ \t]*(,)?[ \t]*(\/\/[^\n]*|\/\*[^\n]*?\*\/)?[ \t]*(?=\r?\n|$)/.exec(this.source.slice(end));
    if (!after) throw new Unsplicable();
    const lineEnd = end + after[0].length;
    if (!statement && !after[1]) edits.push({ start: end, end, text: "," });
    const comma = (i: number): string => (statement ? "" : i < texts.length - 1 || hadTrailingComma ? "," : "");
    edits.push({ start: lineEnd, end: lineEnd, text: texts.map((t, i) => eol + indent + t + comma(i)).join("") });
  }

  // ------------------------------------------------------------------------------------------
  // Printing new code

  /**
   * The text of a node for a place whose line is indented by `indent`: an original node's bytes
   * with its own edits, or recast's print of a new one with original parts put back verbatim.
   */
  private render(n: Node, indent: string, statement: boolean, replacing = false): string {
    const fixed = VERBATIM.get(n);
    if (fixed !== undefined) return fixed;
    const original = this.originalOf(n);
    if (original && original.start !== undefined && original.end !== undefined) {
      const inner: Edit[] = [];
      if (this.diff(n, inner)) {
        const o = original;
        if (inner.every((e) => e.start >= (o.start ?? 0) && e.end <= (o.end ?? 0))) return apply(this.source, o.start ?? 0, o.end ?? 0, inner);
      }
    }
    const saved: Array<() => void> = [];
    const parts: string[] = [];
    const partIndents: Array<string | undefined> = [];
    const partTypes: string[] = [];
    const partParens: boolean[] = [];
    const swap = (holder: Record<string | number, unknown>, key: string | number, value: Node, parent: Node, field: string): void => {
      const id = parts.length;
      partParens.push(needsParens(value, parent, field));
      parts.push(this.render(value, "", false));
      const o = this.originalOf(value);
      partTypes.push(value.type);
      partIndents.push(o?.start !== undefined ? this.indentAt(o.start) : undefined);
      const name = `__cm_placeholder_${id}__`;
      const comments = (value.comments ?? []).map((c) => ({ ...c, original: undefined }));
      const stand: Node = isStatementLike(value) ? { type: "ExpressionStatement", expression: { type: "Identifier", name } } : { type: "Identifier", name };
      if (comments.length) stand.comments = comments as Comment[];
      holder[key] = stand;
      saved.push(() => {
        holder[key] = value;
      });
    };
    const walk = (node: Node): void => {
      for (const key of Object.keys(node)) {
        if (SKIP.has(key)) continue;
        const v = node[key];
        if (Array.isArray(v)) {
          v.forEach((item, i) => {
            if (!isNode(item)) return;
            if (this.originalOf(item)) swap(v as unknown as Record<number, unknown>, i, item, node, key);
            else walk(item);
          });
        } else if (isNode(v)) {
          if (this.originalOf(v)) swap(node, key, v, node, key);
          else walk(v);
        }
      }
    };
    walk(n);
    // The comments of the node it replaces stay where they are in the text: not printed twice.
    const ownComments = n.comments;
    if (replacing && ownComments?.some((c) => c.original && this.owned.has(c.original))) n.comments = ownComments.filter((c) => !(c.original && this.owned.has(c.original)));
    let printed: string;
    try {
      printed = recast.print(n as never, { quote: this.options.quote, trailingComma: this.options.trailingComma, lineTerminator: "\n", arrowParensAlways: true, wrapColumn: 120 }).code;
    } finally {
      for (const restore of saved.reverse()) restore();
      n.comments = ownComments;
    }
    if (!this.options.semicolons) printed = printed.replace(/;(?=\n|$)/g, "");
    if (statement && this.options.semicolons && isStatementLike(n) && !/[;}]$/.test(printed)) printed += ";";
    printed = this.options.retab(printed);
    const lines = printed.split("\n").map((line, i) => (i === 0 || line === "" ? line : indent + line));
    let text = lines.join(this.options.eol);
    text = text.replace(/__cm_placeholder_(\d+)__;?/g, (match, id: string, offset: number) => {
      let part = parts[Number(id)];
      // An original node moved to another depth follows it, unless a template literal's lines would change.
      const shift = partIndents[Number(id)];
      const lineAt = text.lastIndexOf("\n", offset - 1);
      const here = lineAt === -1 ? indent : (/^[ \t]*/.exec(text.slice(lineAt + 1))?.[0] ?? "");
      if (shift !== undefined && here !== shift && !part.includes("`")) {
        part = part
          .split(/\r?\n/)
          .map((line, i) => (i === 0 || !line.startsWith(shift) ? line : here + line.slice(shift.length)))
          .join(this.options.eol);
      }
      // A placeholder is a name: an operator expression put where a name was may need parentheses.
      if (partParens[Number(id)]) part = `(${part})`;
      return match.endsWith(";") && !/[;}]$/.test(part) ? `${part};` : part;
    });
    return text;
  }

  // ------------------------------------------------------------------------------------------
  // Text positions

  private lineStart(offset: number): number {
    return this.source.lastIndexOf("\n", offset - 1) + 1;
  }

  private indentAt(offset: number): string {
    const start = this.lineStart(offset);
    return /^[ \t]*/.exec(this.source.slice(start, offset))?.[0] ?? "";
  }

  /**
   * Where an entry starts with the comments on the lines right above it (read from the text: the
   * original nodes do not carry recast's comments).
   */
  private leadStart(o: Node): number {
    let at = o.start ?? 0;
    for (;;) {
      const lineStart = this.lineStart(at);
      if (!/^[ \t]*$/.test(this.source.slice(lineStart, at)) || lineStart === 0) return at;
      const prevStart = this.lineStart(lineStart - 1);
      const prev = this.source.slice(prevStart, lineStart).replace(/\r?\n$/, "");
      const line = /^([ \t]*)(\/\/.*|\/\*.*\*\/)[ \t]*$/.exec(prev);
      if (line && !(line[2].startsWith("/*") && line[2].slice(2, -2).includes("*/"))) {
        at = prevStart + line[1].length;
        continue;
      }
      // A block comment over several lines that ends on the line above.
      const end = /\*\/[ \t]*$/.exec(prev);
      if (!end) return at;
      const open = this.source.lastIndexOf("/*", prevStart + end.index);
      if (open === -1 || !/^[ \t]*$/.test(this.source.slice(this.lineStart(open), open))) return at;
      at = open;
    }
  }

  private followedByComma(o: Node): boolean {
    return /^\s*,/.test(this.source.slice(o.end ?? 0));
  }

  /** Each entry begins its own line (so entries can be added and removed as lines). */
  private eachOnItsOwnLine(list: Node[]): boolean {
    return list.length > 0 && list.every((o) => /^[ \t]*$/.test(this.source.slice(this.lineStart(this.leadStart(o)), this.leadStart(o))));
  }
}

/** Expressions that bind looser than a member access or call. */
const LOW_PRECEDENCE = new Set([
  "BinaryExpression", "LogicalExpression", "ConditionalExpression", "AssignmentExpression", "ArrowFunctionExpression", "SequenceExpression",
  "AwaitExpression", "YieldExpression", "TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion", "UnaryExpression", "UpdateExpression",
  "FunctionExpression", "ClassExpression", "ObjectExpression", "NewExpression",
]);

const BINARY_PRECEDENCE = new Map<string, number>([
  ["??", 1], ["||", 2], ["&&", 3], ["|", 4], ["^", 5], ["&", 6],
  ["==", 7], ["!=", 7], ["===", 7], ["!==", 7],
  ["<", 8], [">", 8], ["<=", 8], [">=", 8], ["in", 8], ["instanceof", 8],
  ["<<", 9], [">>", 9], [">>>", 9], ["+", 10], ["-", 10], ["*", 11], ["/", 11], ["%", 11], ["**", 12],
]);

/**
 * Whether `child`, printed where `parent[key]` is, needs parentheses: a replacement such as
 * `event.text` → `event.delta?.message?.content?.text ?? ""` inside `"<" + ... + ">"` does.
 */
export function needsParens(child: Node, parent: Node | undefined, key: string | undefined): boolean {
  if (!parent || !LOW_PRECEDENCE.has(child.type)) return false;
  const t = parent.type;
  if ((t === "MemberExpression" || t === "OptionalMemberExpression") && key === "object") return true;
  if ((t === "CallExpression" || t === "OptionalCallExpression" || t === "NewExpression") && key === "callee") return true;
  if (t === "TaggedTemplateExpression" && key === "tag") return true;
  const tight = child.type === "AwaitExpression" || child.type === "UnaryExpression" || child.type === "UpdateExpression";
  if (t === "BinaryExpression" || t === "LogicalExpression") {
    if (tight) return parent.operator === "**" && key === "left";
    if (child.type !== "BinaryExpression" && child.type !== "LogicalExpression") return true;
    const outer = BINARY_PRECEDENCE.get(String(parent.operator)) ?? 0;
    const inner = BINARY_PRECEDENCE.get(String(child.operator)) ?? 0;
    // `??` does not mix with `||` / `&&` unparenthesised.
    if ((parent.operator === "??") !== (child.operator === "??") && (outer <= 3 && inner <= 3)) return true;
    return inner < outer || (inner === outer && key === "right");
  }
  if (t === "UnaryExpression" || t === "AwaitExpression" || t === "SpreadElement" || t === "TSNonNullExpression") return !tight || t === "TSNonNullExpression";
  // `{ ... } as T` needs no parentheses of its own: where the object would open a statement or an
  // arrow body, the parentheses it had are outside the replaced span and stay.
  if (t === "TSAsExpression" || t === "TSSatisfiesExpression") return !tight && child.type !== "ObjectExpression";
  if (t === "ConditionalExpression") return key === "test" ? !tight && child.type !== "BinaryExpression" && child.type !== "LogicalExpression" : child.type === "SequenceExpression";
  return child.type === "SequenceExpression" && (t === "CallExpression" || t === "NewExpression" || t === "ArrayExpression" || t === "ObjectProperty" || t === "Property");
}

/** Whether `text` is one parenthesised expression already (the printer adds parens a node asks for). */
function wrapped(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // Inside a string the parens are text; a template or regex is not scanned (extra parens are harmless).
    if (c === "`" || c === "/") return false;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i === text.length - 1;
  }
  return false;
}

function isUnset(v: unknown): boolean {
  return v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0);
}

function isStatementLike(n: Node): boolean {
  return N.Statement.check(n) && !N.Expression.check(n);
}

function commentText(c: Comment): string {
  return c.type === "CommentLine" || c.type === "Line" ? `//${c.value}` : `/*${c.value}*/`;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `source[from, to)` with the edits applied (edits may not overlap; equal starts keep their order). */
function apply(source: string, from: number, to: number, edits: Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = "";
  let at = from;
  for (const e of sorted) {
    if (e.start < at) throw new Unsplicable();
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at, to);
}

/** `import ... from "..."` or `const ... = require("...")`: a line of a file's import block. */
function isImportLike(n: Node): boolean {
  if (n.type === "ImportDeclaration") return true;
  if (n.type !== "VariableDeclaration") return false;
  const declarations = n.declarations as Node[] | undefined;
  return !!declarations?.length && declarations.every((d) => {
    let init = d.init as Node | null | undefined;
    while (init && init.type === "MemberExpression") init = init.object as Node;
    return !!init && init.type === "CallExpression" && (init.callee as Node | undefined)?.name === "require";
  });
}
