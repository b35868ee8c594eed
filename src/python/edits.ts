/**
 * Byte-range edits on a Python text, and what the Python rewrite shares: statement lookup, marker
 * lines (`# cohere-migrate: <code> ...`), the file's quote style. Every byte outside an edit stays.
 */
import { IGNORE_LINE, MARKER_PREFIX, MARKERS, type MarkerCode } from "../markers";
import { field, named, type Node } from "./syntax";

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits; of two overlapping ones the first added wins (it is the outer rewrite). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const kept = keptEdits(edits);
  let out = "";
  let at = 0;
  for (const e of kept) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The edits that apply, in text order: overlaps resolved for the edit added first. */
export function keptEdits(edits: readonly Edit[]): Edit[] {
  const kept: Edit[] = [];
  for (const e of edits) {
    const clash = kept.some((k) => e.start < k.end && k.start < e.end && !(e.start === e.end && (e.start === k.start || e.start === k.end)));
    if (!clash) kept.push(e);
  }
  // By start; at one offset, insertions first (in the order added), then the replacement.
  const insertion = (e: Edit): number => (e.start === e.end ? 1 : 0);
  return kept
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || insertion(b.e) - insertion(a.e) || a.i - b.i)
    .map((x) => x.e);
}

/** Python spelling of the marker texts, which name fields as the TypeScript SDK does. */
const PYTHON_SPELLING: ReadonlyArray<[RegExp, string]> = [
  [/\breturnLikelihoods\b/g, "return_likelihoods"],
  [/\blogitBias\b/g, "logit_bias"],
  [/\brawPrompting\b/g, "raw_prompting"],
  [/\bnumGenerations\b/g, "num_generations"],
  [/\bstopSequences\b/g, "stop_sequences"],
  [/\bendSequences\b/g, "end_sequences"],
  [/\bmaxTokens\b/g, "max_tokens"],
  [/\bfinishReason\b/g, "finish_reason"],
  [/\bchatStream\b/g, "chat_stream"],
  [/\bresponseFormat\b/g, "response_format"],
  [/\blogprobs: true\b/g, "logprobs=True"],
  [/\bundefined\b/g, "None"],
  [/CohereError/g, "cohere.core.ApiError"],
  [/try\/catch/g, "try/except"],
  [/\(model, messages: \[\{ role: "user", content \}\]\)/g, '(model=..., messages=[{"role": "user", "content": ...}])'],
  [/client\.v2\.chat \/ client\.chat/g, "client.v2.chat / client.chat"],
];

export function pythonMarkerText(code: MarkerCode, detail?: string): string {
  let text: string = MARKERS[code].text;
  for (const [re, to] of PYTHON_SPELLING) text = text.replace(re, to);
  return detail ? `${text} ${detail}` : text;
}

/** The statement a node belongs to: the ancestor that sits directly in a block or the module. */
export function statementOf(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type !== "block" && n.parent.type !== "module") n = n.parent;
  return n;
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

export function indentAt(text: string, offset: number): string {
  const from = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(from))?.[0] ?? "";
}

/** Collects marker lines per statement, so a statement gets each code once and one edit. */
const IGNORE_COMMENT = new RegExp(`^\\s*#\\s*${IGNORE_LINE}(?!-file)\\b`);

export class MarkerLines {
  private readonly byLine = new Map<number, { indent: string; codes: Set<string>; lines: string[] }>();

  constructor(
    private readonly text: string,
    private readonly eol: string,
  ) {}

  add(node: Node, code: MarkerCode, detail?: string): void {
    const stmt = statementOf(node);
    const at = this.above(stmt.startIndex);
    const entry = this.byLine.get(at) ?? { indent: indentAt(this.text, stmt.startIndex), codes: new Set<string>(), lines: [] };
    this.byLine.set(at, entry);
    if (entry.codes.has(code) || this.alreadyAbove(at, code)) return;
    entry.codes.add(code);
    entry.lines.push(`${entry.indent}# ${MARKER_PREFIX} ${code} ${pythonMarkerText(code, detail)}`);
  }

  /** A line of code to run right before a statement (an import it needs), once per statement. */
  addCode(node: Node, code: string): void {
    const stmt = statementOf(node);
    const at = this.above(stmt.startIndex);
    const entry = this.byLine.get(at) ?? { indent: indentAt(this.text, stmt.startIndex), codes: new Set<string>(), lines: [] };
    this.byLine.set(at, entry);
    const line = `${entry.indent}${code}`;
    if (!entry.lines.includes(line)) entry.lines.push(line);
  }

  /** A comment line to move above a statement (comments of removed arguments). */
  addComment(node: Node, comment: string): void {
    const stmt = statementOf(node);
    const at = this.above(stmt.startIndex);
    const entry = this.byLine.get(at) ?? { indent: indentAt(this.text, stmt.startIndex), codes: new Set<string>(), lines: [] };
    this.byLine.set(at, entry);
    entry.lines.push(`${entry.indent}${comment}`);
  }

  /**
   * Where lines for the statement at `start` go: the start of its line, or above the
   * `# cohere-migrate-ignore` comments right over it, which must stay next to the statement they suppress.
   */
  private above(start: number): number {
    let at = lineStart(this.text, start);
    while (at > 0) {
      const prev = lineStart(this.text, at - 1);
      if (!IGNORE_COMMENT.test(this.text.slice(prev, at - 1))) break;
      at = prev;
    }
    return at;
  }

  /** Whether the lines right above already hold this marker (a half-finished earlier run). */
  private alreadyAbove(at: number, code: string): boolean {
    let end = at - 1;
    while (end > 0) {
      const start = lineStart(this.text, end);
      const line = this.text.slice(start, end).trim();
      if (!line.startsWith("#")) return false;
      if (line.startsWith(`# ${MARKER_PREFIX} ${code} `)) return true;
      end = start - 1;
    }
    return false;
  }

  get codes(): string[] {
    return [...this.byLine.values()].flatMap((e) => [...e.codes]);
  }

  edits(): Edit[] {
    return [...this.byLine].filter(([, e]) => e.lines.length).map(([at, e]) => ({ start: at, end: at, text: e.lines.map((l) => l + this.eol).join("") }));
  }
}

/** The quote a file prefers for new string literals: the one most of its plain strings use. */
export function quoteOf(root: Node): string {
  let single = 0;
  let double = 0;
  const visit = (n: Node, depth: number): void => {
    if (depth > 60) return;
    if (n.type === "string_start") {
      if (n.text.endsWith("'")) single++;
      else if (n.text.endsWith('"')) double++;
      return;
    }
    for (const c of n.children) if (c) visit(c, depth + 1);
  };
  visit(root, 0);
  return single > double ? "'" : '"';
}

/**
 * The quote for a new string literal at `node`: the file's, unless the node stands in an f-string's
 * replacement field, where Python before 3.12 does not allow that f-string's own quote
 * (`f"{co.chat(model='x')}"`): then the other one. Undefined when enclosing f-strings take both.
 */
export function quoteAt(node: Node, preferred: string): string | undefined {
  const taken = new Set<string>();
  for (let n = node.parent; n; n = n.parent) {
    if (n.type !== "interpolation") continue;
    const start = n.parent?.children.find((c) => c?.type === "string_start")?.text;
    if (start) taken.add(start.endsWith("'") ? "'" : '"');
  }
  if (!taken.has(preferred)) return preferred;
  const other = preferred === '"' ? "'" : '"';
  return taken.has(other) ? undefined : other;
}

/** A string literal in the file's quote style. */
export function literal(value: string, quote: string): string {
  const escaped = value.replace(/\\/g, "\\\\").replace(new RegExp(quote, "g"), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** Whether `node` is `inner`, compared by identity in the tree (web-tree-sitter makes a new object per access). */
export function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

export function functionOf(call: Node): Node | undefined {
  return field(call, "function");
}

export function argumentsOf(call: Node): Node[] {
  const args = field(call, "arguments");
  return args ? named(args) : [];
}
