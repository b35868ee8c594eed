/**
 * Reading a file as the migration sees it: raw bytes (kept, to write back only what changed and to
 * notice a file that changed meanwhile), the text without its BOM, and the reasons a file is
 * skipped rather than parsed.
 */
import * as fs from "node:fs";
import { isUtf8 } from "node:buffer";

/**
 * Files above this size are generated or bundled code (the TypeScript compiler itself is 9 MB),
 * not something a person migrates by hand; hand-written modules stay far below it.
 */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Minified: the average line is longer than this... */
export const MINIFIED_AVERAGE_LINE = 300;
/** ...or a single line this long holds most of the file. */
export const MINIFIED_LONG_LINE = 5000;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type Source =
  | { kind: "read"; raw: Buffer }
  | { kind: "skipped"; reason: string; mentionsGenerate?: boolean }
  | { kind: "failed"; message: string };

function tooLarge(size: number, file: string): Source {
  return { kind: "skipped", reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB (${(size / 1024 / 1024).toFixed(1)} MiB: generated or bundled code)`, mentionsGenerate: mentionsCohereGenerate(file) };
}

/** The SDK or the API named: `cohere-ai`, a Cohere host, `import cohere`/`from cohere` (not "coherent"). */
export const COHERE_MENTION = /cohere-ai|cohere\.(ai|com)\b|\b(import|from)\s+cohere\b|\bCohereClient/;
/** A Generate call or endpoint: `.generate(`, `.generateStream(`, `generate_stream(`, `/generate`. */
export const GENERATE_MENTION = /\.generate(Stream|_stream)?\s*\(|\/v1\/generate\b/;

/**
 * Whether a file too large to parse names Cohere's SDK or API and calls Generate: then skipping it
 * could hide a legacy call, and check says so. Read in chunks (with an overlap for a word cut in two).
 */
function mentionsCohereGenerate(file: string): boolean {
  let generate = false;
  let cohere = false;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const chunk = Buffer.allocUnsafe(1 << 20);
      let tail = "";
      for (;;) {
        const n = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        const text = tail + chunk.toString("latin1", 0, n);
        generate ||= GENERATE_MENTION.test(text);
        cohere ||= COHERE_MENTION.test(text);
        if (generate && cohere) return true;
        tail = text.slice(-32);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * A file skipped for its bytes (not UTF-8, NUL bytes): check says so when it names Cohere and
 * calls Generate (a Latin-1 module with a legacy call must not leave check green).
 */
function skippedText(reason: string, raw: Buffer): Source {
  const text = raw.toString("latin1");
  return { kind: "skipped", reason, mentionsGenerate: GENERATE_MENTION.test(text) && COHERE_MENTION.test(text) };
}

/** Whether the bytes are source text: no NUL byte (never in JS/TS) and valid UTF-8. */
function textReason(raw: Buffer): string | undefined {
  if (raw.indexOf(0) !== -1) return "binary file (holds NUL bytes)";
  if (!isUtf8(raw)) return "not UTF-8 text (rewriting it could corrupt its encoding)";
  return undefined;
}

/**
 * A notebook's size is mostly its outputs (images as base64): one holding a Cohere call is read up
 * to this size, and only its code cells are parsed.
 */
export const MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024;

/** Reads one file into a fresh buffer (files read again later, and single reads). */
export function readSource(file: string, maxBytes = MAX_FILE_BYTES): Source {
  let raw: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > maxBytes) return tooLarge(size, file);
    raw = fs.readFileSync(file);
  } catch (e) {
    return { kind: "failed", message: `cannot read: ${(e as Error).message}` };
  }
  const reason = textReason(raw);
  return reason ? skippedText(reason, raw) : { kind: "read", raw };
}

/**
 * Reads many files through one reusable buffer: no allocation, no stat and no garbage per file,
 * which on a large tree is a good part of the time spent around the reads themselves. A file
 * that fills the buffer is too large. The `raw` it returns is only valid until the next read:
 * `keep` copies it.
 */
export class SourceReader {
  private readonly scratch = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);

  read(file: string): Source {
    if (file.endsWith(".ipynb")) {
      const first = this.readInto(file);
      return first.kind === "skipped" && first.reason.startsWith("larger than") ? readSource(file, MAX_NOTEBOOK_BYTES) : first;
    }
    return this.readInto(file);
  }

  private readInto(file: string): Source {
    let length = 0;
    try {
      const fd = fs.openSync(file, "r");
      try {
        // Read until a read returns nothing: a short read is not always the end (FUSE file systems
        // with direct I/O, network mounts, a file still being written).
        for (;;) {
          const n = fs.readSync(fd, this.scratch, length, this.scratch.length - length, null);
          if (n === 0) break;
          length += n;
          if (length === this.scratch.length) return tooLarge(fs.fstatSync(fd).size, file);
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      return { kind: "failed", message: `cannot read: ${(e as Error).message}` };
    }
    const raw = this.scratch.subarray(0, length);
    const reason = textReason(raw);
    return reason ? skippedText(reason, raw) : { kind: "read", raw };
  }

  /** A copy of bytes returned by `read`, to keep past the next read. */
  keep(raw: Buffer): Buffer {
    return Buffer.from(raw);
  }
}

export interface Decoded {
  text: string;
  bom: boolean;
}

export function hasBom(raw: Buffer): boolean {
  return raw.length >= 3 && raw[0] === BOM[0] && raw[1] === BOM[1] && raw[2] === BOM[2];
}

export function decode(raw: Buffer): Decoded {
  const bom = hasBom(raw);
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
