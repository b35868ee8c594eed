/**
 * Reading a file as the migration sees it: raw bytes (kept, to write back only what changed and to
 * notice a file that changed meanwhile), the text without its BOM, and the reasons a file is
 * skipped rather than parsed.
 */
import * as fs from "node:fs";
import { isUtf8 } from "node:buffer";

/** Files above this size are generated or bundled code, not something to migrate by hand. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Minified: the average line is longer than this... */
export const MINIFIED_AVERAGE_LINE = 300;
/** ...or a single line this long holds most of the file. */
export const MINIFIED_LONG_LINE = 5000;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type Source =
  | { kind: "read"; raw: Buffer }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; message: string };

export function readSource(file: string): Source {
  let raw: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) return { kind: "skipped", reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB (generated or bundled code)` };
    raw = fs.readFileSync(file);
  } catch (e) {
    return { kind: "failed", message: `cannot read: ${(e as Error).message}` };
  }
  if (raw.indexOf(0) !== -1) return { kind: "skipped", reason: "binary file" };
  if (!isUtf8(raw)) return { kind: "skipped", reason: "not UTF-8 text" };
  return { kind: "read", raw };
}

export interface Decoded {
  text: string;
  bom: boolean;
}

export function decode(raw: Buffer): Decoded {
  const bom = raw.length >= 3 && raw[0] === BOM[0] && raw[1] === BOM[1] && raw[2] === BOM[2];
  return { text: raw.toString("utf8", bom ? 3 : 0), bom };
}

export function encode(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, "utf8");
  return bom ? Buffer.concat([BOM, body]) : body;
}

/** Why a text is not worth parsing (minified), or undefined. */
export function minifiedReason(text: string): string | undefined {
  if (text.length < 2048) return undefined;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf("\n"); ; i = text.indexOf("\n", i + 1)) {
    const end = i === -1 ? text.length : i;
    longest = Math.max(longest, end - start);
    if (i === -1) break;
    lines++;
    start = i + 1;
  }
  if (text.length / lines > MINIFIED_AVERAGE_LINE) return `minified (average line over ${MINIFIED_AVERAGE_LINE} characters)`;
  if (longest > MINIFIED_LONG_LINE && longest * 2 > text.length) return `minified (one line of ${longest} characters)`;
  return undefined;
}
