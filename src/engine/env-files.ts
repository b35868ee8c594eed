/**
 * Values the repository's dotenv files give an environment variable (`COHERE_MODEL=command-light`
 * in `.env.example`): what `process.env.COHERE_MODEL` / `os.getenv("COHERE_MODEL")` holds where the
 * project is run as it documents. Read-only; looked up from a source file's folder up to the
 * repository's root (the folder holding `.git`), nearest first.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readText } from "./read-text";

/** Dotenv files in the order a folder's are read (the local one first: it is what runs here). */
const ENV_FILES = [".env", ".env.local", ".env.development", ".env.example", ".env.sample", ".env.template", ".env.dist"] as const;

const folders = new Map<string, ReadonlyMap<string, { value: string; file: string }>>();

/** `NAME=value` lines of one folder's dotenv files (the first file to set a name wins). */
function folderValues(dir: string): ReadonlyMap<string, { value: string; file: string }> {
  let values = folders.get(dir);
  if (values) return values;
  const found = new Map<string, { value: string; file: string }>();
  for (const name of ENV_FILES) {
    const text = readText(path.join(dir, name));
    if (text === undefined) continue;
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/.exec(line);
      if (m && !found.has(m[1])) found.set(m[1], { value: m[2] ?? m[3] ?? m[4] ?? "", file: path.join(dir, name) });
    }
  }
  folders.set(dir, (values = found));
  return values;
}

/** What the nearest dotenv file above `file` sets `name` to, and that file; undefined when none does. */
export function envFileValue(file: string, name: string): { value: string; file: string } | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 12; depth++) {
    const hit = folderValues(dir).get(name);
    if (hit) return hit;
    if (fs.existsSync(path.join(dir, ".git"))) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}
