/**
 * Line endings through a rewrite. The transforms see LF-only text (recast re-splits lines and
 * hands the parser "\n"-joined source, so offsets of a CRLF file would not match detection's);
 * afterwards every line that was not rewritten gets its own terminator back, and new lines get
 * the file's most common one. CRLF to LF is meaning-preserving in JavaScript: string literals
 * cannot hold a raw line break, and template literals read CRLF as LF.
 */
import type { CallSite } from "../types";

export interface Normalized {
  text: string;
  /** Offsets (in the original) of each `\r` removed from a `\r\n`, ascending. */
  removed: number[];
}

export function normalizeLineEndings(text: string): Normalized {
  const removed: number[] = [];
  for (let i = text.indexOf("\r"); i !== -1; i = text.indexOf("\r", i + 1)) {
    if (text.charCodeAt(i + 1) === 10) removed.push(i);
  }
  // A lone "\r" (old Mac ending) becomes "\n": same length, so offsets after it do not move.
  return { text: text.replace(/\r\n?/g, "\n"), removed };
}

/** The offset in the normalized text of an offset in the original. */
export function normalizedOffset(removed: readonly number[], offset: number): number {
  let lo = 0;
  let hi = removed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (removed[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return offset - lo;
}

export function normalizeSites(sites: readonly CallSite[], removed: readonly number[]): CallSite[] {
  if (!removed.length) return [...sites];
  return sites.map((s) => ({ ...s, start: normalizedOffset(removed, s.start), end: normalizedOffset(removed, s.end) }));
}

const LINE_RE = /[^\r\n]*(\r\n|\r|\n|$)/g;

/** Lines with their terminators ("" for the last line when the text does not end with one). */
function splitLines(text: string): Array<{ body: string; eol: string }> {
  const out: Array<{ body: string; eol: string }> = [];
  for (const m of text.matchAll(LINE_RE)) {
    const eol = m[1];
    out.push({ body: m[0].slice(0, m[0].length - eol.length), eol });
    if (!eol) break;
  }
  return out;
}

/** The terminator most lines of the text end with. */
export function dominantEol(text: string): string {
  const counts = new Map<string, number>();
  for (const { eol } of splitLines(text)) if (eol) counts.set(eol, (counts.get(eol) ?? 0) + 1);
  let best = "\n";
  let most = 0;
  for (const [eol, n] of counts) {
    if (n > most) {
      best = eol;
      most = n;
    }
  }
  return best;
}

/**
 * `output` (LF-only, from the transforms) with the terminators of `original` on the lines the
 * rewrite kept; lines it added or changed take the original's dominant terminator.
 */
export function restoreLineEndings(original: string, output: string): string {
  if (!original.includes("\r")) return output;
  const before = splitLines(original);
  const after = splitLines(output);
  const fallback = dominantEol(original);
  // Loaded here: detection loads this module too (tasks.ts), and only a transform needs the diff.
  const { diffArrays } = require("diff") as typeof import("diff");
  const changes = diffArrays(
    before.map((l) => l.body),
    after.map((l) => l.body),
  );
  let i = 0; // index in before
  let j = 0; // index in after
  let out = "";
  for (const change of changes) {
    const n = change.value.length;
    if (change.removed) {
      i += n;
      continue;
    }
    for (let k = 0; k < n; k++, j++) {
      const line = after[j];
      const eol = !line.eol ? "" : change.added ? fallback : before[i + k].eol || fallback;
      out += line.body + eol;
    }
    if (!change.added) i += n;
  }
  return out;
}
