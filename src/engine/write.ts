/**
 * Writing a migrated file safely: only when its text changed, never over a file that changed on
 * disk since it was read, and atomically (temp file + rename, with write-file-atomic).
 */
import * as fs from "node:fs";
import type * as WriteFileAtomic from "write-file-atomic";

export type WriteOutcome = { ok: true } | { ok: false; message: string };

export function writeIfUnchangedOnDisk(file: string, original: Buffer, next: Buffer): WriteOutcome {
  let current: Buffer;
  try {
    current = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, message: `cannot re-read before writing: ${(e as Error).message}` };
  }
  if (!current.equals(original)) return { ok: false, message: "changed on disk since it was read; not overwritten (run again)" };
  if (current.equals(next)) return { ok: true };
  try {
    const mode = fs.statSync(file).mode;
    // Loaded on the first write: a dry run writes nothing.
    const { sync } = require("write-file-atomic") as typeof WriteFileAtomic;
    sync(file, next, { mode });
  } catch (e) {
    return { ok: false, message: `cannot write: ${(e as Error).message}` };
  }
  return { ok: true };
}
