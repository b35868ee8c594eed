/**
 * `--cache`: detection results kept between runs, as ESLint's cache keeps lint results. An entry
 * is a file's detection keyed by the hash of its bytes, with the hashes of every other file the
 * answer read (the modules a cross-file receiver was settled through) and the cohere-ai aliases
 * that applied to it. A run still reads every file and runs the byte prefilter (whether a file is a
 * candidate can change with its imports); only parsing and settling are skipped for a candidate
 * whose entry still matches. The whole cache is dropped when the tool, its version or the options
 * that change detection differ.
 *
 * With the `metadata` strategy (the default, as ESLint's), the cache also keeps a stamp of each
 * file it read (size, modification and change times, inode) with what the prefilter found in its
 * bytes, and the specifiers its imports name once an import path led through it. A file whose
 * stamp still matches is not read again unless it is a candidate (its own or through its imports)
 * or holds markers (git's index works the same way). A file changed within STAMP_SETTLE_MS of being read
 * is not stamped, so an edit inside the file system's time resolution cannot hide behind an
 * unchanged stamp. `content` reads every file, as before.
 *
 * The file is JSON written atomically (write-file-atomic); a cache that cannot be read or parsed is
 * treated as empty, never as an error: it is an optimisation, not an input.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FileDetection } from "../detect/detect-file";
import type { ByteFacts } from "./prefilter";
import type { FolderMemo, FolderStamp } from "./files";

/** Bump when the shape of an entry or of a detection changes. */
const SCHEMA = 2;

/** How a run tells that a file is unchanged: by its stamp, or by reading and hashing its bytes. */
export type CacheStrategy = "metadata" | "content";

/** A file modified this recently before it was read is not stamped (coarse file-system clocks). */
const STAMP_SETTLE_MS = 2000;

/** What the cache knows of a file without reading it: its stamp and the prefilter's facts. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  facts: ByteFacts;
  /** The module specifiers the file's imports name (importSpecifiers), once an import path led through it. */
  imports?: string[];
}

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
  stamps?: Record<string, FileStamp>;
  folders?: Record<string, FolderStamp>;
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
  private readonly oldStamps = new Map<string, FileStamp>();
  private readonly nextStamps = new Map<string, FileStamp>();
  private readonly oldFolders = new Map<string, FolderStamp>();
  private readonly nextFolders = new Map<string, FolderStamp>();
  /** When this run started reading: files modified after STAMP_SETTLE_MS before it are not stamped. */
  private readonly startedAt = Date.now();
  hits = 0;
  misses = 0;
  /** Files known unchanged from their stamps and never read in the run (set by analyze). */
  unread = 0;

  constructor(
    readonly location: string,
    options: Readonly<Record<string, unknown>>,
    readonly strategy: CacheStrategy = "metadata",
    /** STAMP_SETTLE_MS, shorter in tests (which would otherwise wait two seconds for a stamp). */
    private readonly settleMs = STAMP_SETTLE_MS,
  ) {
    this.key = globalKey(options);
    this.old = new Map();
    try {
      const data = JSON.parse(fs.readFileSync(location, "utf8")) as CacheFile;
      if (data.key === this.key && data.entries && typeof data.entries === "object") {
        for (const [file, entry] of Object.entries(data.entries)) this.old.set(file, entry);
        if (strategy === "metadata" && data.stamps && typeof data.stamps === "object") {
          for (const [file, stamp] of Object.entries(data.stamps)) this.oldStamps.set(file, stamp);
          if (data.folders && typeof data.folders === "object") for (const [dir, stamp] of Object.entries(data.folders)) this.oldFolders.set(dir, stamp);
        }
      }
    } catch {
      // No cache yet, or one this run cannot use: start empty.
    }
  }

  /**
   * The prefilter's facts of a file whose stamp is as this cache last saw it (metadata strategy),
   * else undefined: the file must be read. A copy: the run may fill in facts it asks later.
   */
  unchangedFacts(abs: string): ByteFacts | undefined {
    const stamp = this.oldStamps.get(abs);
    if (!stamp) return undefined;
    const now = statOf(abs);
    if (!now || now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs || now.ctimeMs !== stamp.ctimeMs || now.ino !== stamp.ino) return undefined;
    return { ...stamp.facts };
  }

  /** Keeps an unchanged file's stamp for the next run (its bytes were not read, or read as before). */
  keepStamp(abs: string): void {
    const stamp = this.oldStamps.get(abs);
    if (stamp) this.nextStamps.set(abs, stamp);
  }

  /** Stamps a file this run read, with the facts found in its bytes. */
  stampRead(abs: string, facts: ByteFacts): void {
    if (this.strategy !== "metadata") return;
    const now = statOf(abs);
    if (!now || now.mtimeMs >= this.startedAt - this.settleMs || now.ctimeMs >= this.startedAt - this.settleMs) return;
    const stamp: FileStamp = { size: now.size, mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs, ino: now.ino, facts: { ...facts } };
    const before = this.oldStamps.get(abs);
    // The same stamp as before stays the same object (its imports too): save() then knows nothing changed.
    const same = before && before.size === stamp.size && before.mtimeMs === stamp.mtimeMs && before.ctimeMs === stamp.ctimeMs && before.ino === stamp.ino && JSON.stringify(before.facts) === JSON.stringify(stamp.facts);
    this.nextStamps.set(abs, same ? before : stamp);
  }

  /** The import specifiers of a file stamped in this run, as an earlier run found them in the same bytes. */
  importsOf(abs: string): string[] | undefined {
    return this.nextStamps.get(abs)?.imports;
  }

  /** Keeps the import specifiers found in a stamped file's bytes for the next run. */
  noteImports(abs: string, imports: readonly string[]): void {
    const stamp = this.nextStamps.get(abs);
    if (stamp && !stamp.imports) this.nextStamps.set(abs, { ...stamp, imports: [...imports] });
  }

  /**
   * The walk's memo of folders (metadata strategy): a folder whose stamp is unchanged is not read
   * again (files.ts). A folder changed within the settle time is not kept, as a file's stamp, nor
   * the folder the cache file is written to.
   */
  folders(): FolderMemo | undefined {
    if (this.strategy !== "metadata") return undefined;
    return {
      get: (dir) => this.oldFolders.get(dir),
      keep: (dir, stamp) => {
        if (stamp.mtimeMs >= this.startedAt - this.settleMs || stamp.ctimeMs >= this.startedAt - this.settleMs) return;
        // The cache file's own folder changes with each write of it: listed every run instead (one folder).
        if (dir === path.dirname(this.location)) return;
        const before = this.oldFolders.get(dir);
        this.nextFolders.set(dir, before && JSON.stringify(before) === JSON.stringify(stamp) ? before : stamp);
      },
      hash: hashBytes,
    };
  }

  /** Whether this run would write what was read: every entry and stamp the same objects as loaded. */
  private unchanged(): boolean {
    if (this.next.size !== this.old.size || this.nextStamps.size !== this.oldStamps.size || this.nextFolders.size !== this.oldFolders.size) return false;
    for (const [file, entry] of this.next) if (this.old.get(file) !== entry) return false;
    for (const [file, stamp] of this.nextStamps) if (this.oldStamps.get(file) !== stamp) return false;
    for (const [dir, stamp] of this.nextFolders) if (this.oldFolders.get(dir) !== stamp) return false;
    return true;
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
    // Nothing changed since the cache was read (a rerun on an unchanged tree): nothing to write.
    if (this.unchanged()) return;
    const { sync } = require("write-file-atomic") as typeof import("write-file-atomic");
    const entries: Record<string, CacheEntry> = Object.create(null) as Record<string, CacheEntry>;
    for (const [file, entry] of [...this.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) entries[file] = entry;
    const stamps: Record<string, FileStamp> = Object.create(null) as Record<string, FileStamp>;
    for (const [file, stamp] of this.nextStamps) stamps[file] = stamp;
    const folders: Record<string, FolderStamp> = Object.create(null) as Record<string, FolderStamp>;
    for (const [dir, stamp] of this.nextFolders) folders[dir] = stamp;
    fs.mkdirSync(path.dirname(this.location), { recursive: true });
    sync(this.location, JSON.stringify({ key: this.key, entries, stamps, folders } satisfies CacheFile));
  }
}

function statOf(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs);
  } catch {
    return undefined;
  }
}
