/**
 * `--cache`: detection results kept between runs, as ESLint's cache keeps lint results. An entry
 * is a file's detection keyed by the hash of its bytes, with the hashes of every other file the
 * answer read (the modules a cross-file receiver was settled through) and the cohere-ai aliases
 * that applied to it. A run still reads every file and runs the byte prefilter (whether a file is a
 * candidate can change with its imports); only parsing and settling are skipped for a candidate
 * whose entry still matches. The whole cache is dropped when the tool, its version or the options
 * that change detection differ.
 *
 * The file is JSON written atomically (write-file-atomic); a cache that cannot be read or parsed is
 * treated as empty, never as an error: it is an optimisation, not an input.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FileDetection } from "../detect/detect-file";

/** Bump when the shape of an entry or of a detection changes. */
const SCHEMA = 1;

const ABSENT = "absent";

export interface CacheEntry {
  hash: string;
  /** cohere-ai alias names that applied to the file (npm-alias.ts), sorted. */
  aliases: string;
  detection: FileDetection;
  /** Other files the detection depended on, with their hashes then. */
  deps: Array<[string, string]>;
}

interface CacheFile {
  key: string;
  entries: Record<string, CacheEntry>;
}

export function hashBytes(raw: Buffer | string): string {
  return createHash("sha1").update(raw).digest("base64");
}

/** What invalidates everything: this build of the tool and the options that change detection. */
function globalKey(options: Readonly<Record<string, unknown>>): string {
  let build = "unknown";
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version?: string };
    // The version alone would keep a cache across local rebuilds; this file's time stamp changes with each.
    build = `${pkg.version ?? "?"}@${fs.statSync(__filename).mtimeMs}`;
  } catch {
    // Not laid out as the package is (a test under ts-jest): the time stamp of this source file.
    build = `dev@${fs.statSync(__filename).mtimeMs}`;
  }
  return hashBytes(JSON.stringify({ schema: SCHEMA, build, options }));
}

export class DetectionCache {
  private readonly old: Map<string, CacheEntry>;
  private readonly next = new Map<string, CacheEntry>();
  /** Hashes of this run's files, filled as they are read. */
  private readonly hashes = new Map<string, string>();
  private readonly key: string;
  hits = 0;
  misses = 0;

  constructor(
    readonly location: string,
    options: Readonly<Record<string, unknown>>,
  ) {
    this.key = globalKey(options);
    this.old = new Map();
    try {
      const data = JSON.parse(fs.readFileSync(location, "utf8")) as CacheFile;
      if (data.key === this.key && data.entries && typeof data.entries === "object") {
        for (const [file, entry] of Object.entries(data.entries)) this.old.set(file, entry);
      }
    } catch {
      // No cache yet, or one this run cannot use: start empty.
    }
  }

  /** Records a file's bytes as read in this run. */
  noteRead(abs: string, raw: Buffer): string {
    const hash = hashBytes(raw);
    this.hashes.set(abs, hash);
    return hash;
  }

  /**
   * This run's hash of a file, reading it when the run did not (a module outside the given paths,
   * or one the prefilter did not keep). A file that is not there hashes as ABSENT: its appearing
   * later (a tsconfig.json, a module) changes the answer too.
   */
  private hashOf(abs: string): string {
    const known = this.hashes.get(abs);
    if (known !== undefined) return known;
    let hash = ABSENT;
    try {
      hash = hashBytes(fs.readFileSync(abs));
    } catch {
      // Stays ABSENT.
    }
    this.hashes.set(abs, hash);
    return hash;
  }

  /** The cached detection of a file, when its bytes, aliases and every dependency are as they were. */
  lookup(abs: string, aliases: string): FileDetection | undefined {
    const entry = this.old.get(abs);
    const hash = this.hashes.get(abs);
    if (!entry || hash === undefined || entry.hash !== hash || entry.aliases !== aliases || !entry.deps.every(([dep, h]) => this.hashOf(dep) === h)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.next.set(abs, entry);
    // A copy: the run may still edit the detection it is given (v6 module sites are dropped per package).
    return structuredClone(entry.detection);
  }

  /** Keeps a file's detection for the next run. */
  store(abs: string, aliases: string, detection: FileDetection, deps: readonly string[]): void {
    const hash = this.hashes.get(abs);
    if (hash === undefined) return;
    const depHashes: Array<[string, string]> = deps.filter((dep) => dep !== abs).map((dep) => [dep, this.hashOf(dep)]);
    // Python's settle facts (pending receivers, a Map of exports) are spent once settled.
    const { python: _spent, ...plain } = detection as FileDetection & { python?: unknown };
    this.next.set(abs, { hash, aliases, detection: structuredClone(plain), deps: depHashes });
  }

  /** Writes the entries of this run (files not parsed this time drop out). */
  save(): void {
    const { sync } = require("write-file-atomic") as typeof import("write-file-atomic");
    const entries: Record<string, CacheEntry> = Object.create(null) as Record<string, CacheEntry>;
    for (const [file, entry] of [...this.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) entries[file] = entry;
    fs.mkdirSync(path.dirname(this.location), { recursive: true });
    sync(this.location, JSON.stringify({ key: this.key, entries } satisfies CacheFile));
  }
}
