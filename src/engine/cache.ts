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
import type * as Crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CACHE_LOCATION } from "./cache-open";
import type { FileDetection } from "../detect/detect-file";
import type { ByteFacts } from "./prefilter";
import type { FolderMemo } from "./files";
import { readText } from "./read-text";

/** Bump when the shape of an entry, a stamp or a detection changes. */
const SCHEMA = 7;

/** How a run tells that a file is unchanged: by its stamp, or by reading and hashing its bytes. */
export type CacheStrategy = "metadata" | "content";

/** A file modified this recently before it was read is not stamped (coarse file-system clocks). */
const STAMP_SETTLE_MS = 2000;

/**
 * What the cache knows of a file without reading it: its stamp (size, modification and change
 * times, inode), the prefilter's facts as FACT bits, and the module specifiers its imports name
 * (importSpecifiers) once an import path led through it. A tuple: a large tree has tens of
 * thousands, and the cache file is read at every run.
 */
type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number, facts: number, imports?: string[] | null, hash?: string];

/** A folder's FolderStamp (files.ts), as a tuple for the same reason. */
type FolderTuple = [mtimeMs: number, ctimeMs: number, ino: number, rules: string, files: string[], dirs: string[], ignore: 0 | 1, manifest: 0 | 1, tsconfig: 0 | 1];

const FACT = { site: 1, cohere: 2, cohereUnknown: 4, pkg: 8, tool: 16, named: 32 } as const;

function factBits(facts: ByteFacts): number {
  return (facts.site ? FACT.site : 0) | (facts.cohere === true ? FACT.cohere : facts.cohere === undefined ? FACT.cohereUnknown : 0) | (facts.pkg ? FACT.pkg : 0) | (facts.tool ? FACT.tool : 0) | (facts.named ? FACT.named : 0);
}

function factsOf(bits: number): ByteFacts {
  return { site: (bits & FACT.site) !== 0, cohere: bits & FACT.cohereUnknown ? undefined : (bits & FACT.cohere) !== 0, pkg: (bits & FACT.pkg) !== 0, tool: (bits & FACT.tool) !== 0, named: (bits & FACT.named) !== 0 };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** An own property of a parsed JSON object (a path named `__proto__` or `toString` is a path like any other). */
function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
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

/** What a folder's stamp is made of for the Python reach's answers: null when it is not there. */
type DirStamp = [mtimeMs: number, ctimeMs: number, ino: number] | [names: string] | null;

/**
 * The Python import reach's answers (whether a file's imports lead to a Cohere module), with
 * every file they read and folder they listed, stamped: reused while none of them changed.
 */
interface PythonReachFile {
  verdicts: Record<string, 0 | 1>;
  files: Record<string, DirStamp>;
  dirs: Record<string, DirStamp>;
}

/** What analyze asks of the Python reach memo, and tells it. */
export interface PythonReachMemo {
  /** The last run's answer for a file, when nothing it read changed. */
  verdict(file: string): boolean | undefined;
  keep(file: string, reaches: boolean): void;
  read(file: string): void;
  listed(dir: string): void;
}

interface CacheFile {
  key: string;
  python?: PythonReachFile;
  entries: Record<string, CacheEntry>;
  stamps?: Record<string, FileStamp>;
  folders?: Record<string, FolderTuple>;
}

export function hashBytes(raw: Buffer | string): string {
  // Loaded on first use: a rerun on an unchanged tree hashes nothing (node:crypto costs a few ms to load).
  const { createHash } = require("node:crypto") as typeof Crypto;
  return createHash("sha1").update(raw).digest("base64");
}

/**
 * A 64-bit FNV-1a hash of a string, as 16 hex digits: the identity of a chain of .gitignore texts
 * for the folder memo. Not a content hash of anything the answers read (those are SHA-1), and cheap
 * enough that a rerun on an unchanged tree needs no node:crypto.
 */
export function fnv64(text: string): string {
  // Two 32-bit lanes of FNV-1a (offset bases of FNV-1a 64 split in halves), multiplied by the prime's halves.
  let h1 = 0xcbf29ce4;
  let h0 = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    h0 = (h0 ^ text.charCodeAt(i)) >>> 0;
    // (h1:h0) * 0x100000001b3, modulo 2^64: 0x1b3 on both halves, plus h0 << 8 (0x100 in the high half).
    const lo = h0 * 0x1b3;
    const hi = h1 * 0x1b3 + ((h0 << 8) >>> 0) + Math.floor(lo / 0x100000000);
    h0 = lo >>> 0;
    h1 = hi >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h0.toString(16).padStart(8, "0");
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
  // The text itself (it is short): hashing it would load node:crypto on every run.
  return JSON.stringify({ schema: SCHEMA, build, options });
}

/** How every cache file this tool writes begins (JSON.stringify of CacheFile, `key` first, whose text starts with the schema). */
const CACHE_START = `{"key":${JSON.stringify('{"schema":').slice(0, -1)}`;

export class DetectionCache {
  private readonly old: Map<string, CacheEntry>;
  private readonly next = new Map<string, CacheEntry>();
  /** Hashes of this run's files, filled as they are read. */
  private readonly hashes = new Map<string, string>();
  private readonly key: string;
  /** The stamps and folders of the cache file as parsed (not copied: most are only looked up once). */
  private oldStamps: Record<string, FileStamp> | undefined;
  private oldFolders: Record<string, FolderTuple> | undefined;
  private oldStampCount = 0;
  private oldFolderCount = 0;
  private readonly nextStamps = new Map<string, FileStamp>();
  private readonly nextFolders = new Map<string, FolderTuple>();
  /** Something this run keeps is not what the cache file holds (a new entry, stamp, folder or import list). */
  private dirty = false;
  /** The location holds a file that is not a cache (a source file, package.json): never written over. */
  private readonly foreign: boolean;
  private oldPython: PythonReachFile | undefined;
  /**
   * This run's Python reach answers and what they read (with the last run's, when still valid);
   * `added`: anything the last run's memo did not hold (then it is stamped again and written).
   */
  private readonly nextPython = { verdicts: new Map<string, 0 | 1>(), files: new Set<string>(), dirs: new Set<string>(), used: false, valid: false, added: false };
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
    const text = readText(location);
    // Handles: --cache-location package.json, a.py: a file that is not a cache (not even a damaged
    // one: a cache starts as this build writes it) is never written over, unless it has the default
    // cache file's name (whatever is there was meant to be the cache).
    // (An empty file too: an `__init__.py`, a `.gitkeep`.)
    this.foreign = text !== undefined && !text.startsWith(CACHE_START) && path.basename(location) !== DEFAULT_CACHE_LOCATION;
    try {
      if (text === undefined) throw new Error("no cache yet");
      const data = JSON.parse(text) as CacheFile;
      if (data.key === this.key && data.entries && typeof data.entries === "object") {
        // An entry of another shape (edited by hand, written by a broken run) is not used.
        for (const [file, entry] of Object.entries(data.entries)) if (isEntry(entry)) this.old.set(file, entry);
        if (strategy === "metadata" && data.stamps && typeof data.stamps === "object") {
          this.oldStamps = data.stamps;
          this.oldStampCount = Object.keys(data.stamps).length;
          if (data.python && typeof data.python === "object") this.oldPython = data.python;
          if (data.folders && typeof data.folders === "object") {
            this.oldFolders = data.folders;
            this.oldFolderCount = Object.keys(data.folders).length;
          }
        }
      }
    } catch {
      // No cache yet, or one this run cannot use: start empty.
    }
  }

  /**
   * The prefilter's facts of a file whose stamp is as this cache last saw it (metadata strategy),
   * else undefined: the file must be read. The stamp is kept for the next run (a file read all the
   * same is stamped again by stampRead, to the same stamp). A copy: the run may fill in facts it asks later.
   */
  unchangedFacts(abs: string): ByteFacts | undefined {
    const stamp = ownValue(this.oldStamps, abs);
    if (!Array.isArray(stamp)) return undefined;
    const now = statOf(abs);
    if (!now || now.size !== stamp[0] || now.mtimeMs !== stamp[1] || now.ctimeMs !== stamp[2] || now.ino !== stamp[3]) return undefined;
    this.nextStamps.set(abs, stamp);
    return factsOf(stamp[4]);
  }

  /** Stamps a file this run read, with the facts found in its bytes. */
  stampRead(abs: string, facts: ByteFacts): void {
    if (this.strategy !== "metadata") return;
    const now = statOf(abs);
    if (!now || now.mtimeMs >= this.startedAt - this.settleMs || now.ctimeMs >= this.startedAt - this.settleMs) {
      // Changed since its stamp was checked (or too recently to tell): not stamped, nor hashed from a stamp.
      if (this.nextStamps.delete(abs)) this.dirty = true;
      return;
    }
    const stamp: FileStamp = [now.size, now.mtimeMs, now.ctimeMs, now.ino, factBits(facts)];
    const before = ownValue(this.oldStamps, abs);
    // The same stamp as before stays the same object (its imports too): save() then knows nothing changed.
    const same = Array.isArray(before) && stamp.every((v, i) => before[i] === v);
    if (!same) this.dirty = true;
    this.nextStamps.set(abs, same ? before : stamp);
  }

  /** The import specifiers of a file stamped in this run, as an earlier run found them in the same bytes. */
  importsOf(abs: string): string[] | undefined {
    return this.nextStamps.get(abs)?.[5] ?? undefined;
  }

  /** Keeps the import specifiers found in a stamped file's bytes for the next run. */
  noteImports(abs: string, imports: readonly string[]): void {
    const stamp = this.nextStamps.get(abs);
    if (stamp && stamp[5] == null) {
      this.nextStamps.set(abs, stamp[6] === undefined ? [stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], [...imports]] : [stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], [...imports], stamp[6]]);
      this.dirty = true;
    }
  }

  /**
   * The walk's memo of folders (metadata strategy): a folder whose stamp is unchanged is not read
   * again (files.ts). A folder changed within the settle time is not kept, as a file's stamp, nor
   * the folder the cache file is written to.
   */
  folders(): FolderMemo | undefined {
    if (this.strategy !== "metadata") return undefined;
    return {
      get: (dir) => {
        const t = ownValue(this.oldFolders, dir);
        if (!Array.isArray(t) || typeof t[3] !== "string" || !Array.isArray(t[4]) || !Array.isArray(t[5])) return undefined;
        return { mtimeMs: t[0], ctimeMs: t[1], ino: t[2], rules: t[3], files: t[4], dirs: t[5], ...(t[6] ? { ignore: true as const } : {}), ...(t[7] ? { manifest: true as const } : {}), ...(t[8] ? { tsconfig: true as const } : {}) };
      },
      keep: (dir, stamp) => {
        if (stamp.mtimeMs >= this.startedAt - this.settleMs || stamp.ctimeMs >= this.startedAt - this.settleMs) return;
        // The cache file's own folder changes with each write of it: listed every run instead (one folder).
        if (dir === path.dirname(this.location)) return;
        const t: FolderTuple = [stamp.mtimeMs, stamp.ctimeMs, stamp.ino, stamp.rules, stamp.files, stamp.dirs, stamp.ignore ? 1 : 0, stamp.manifest ? 1 : 0, stamp.tsconfig ? 1 : 0];
        const before = ownValue(this.oldFolders, dir);
        const same = Array.isArray(before) && before[0] === t[0] && before[1] === t[1] && before[2] === t[2] && before[3] === t[3] && sameStrings(before[4], t[4]) && sameStrings(before[5], t[5]) && before[6] === t[6] && before[7] === t[7] && before[8] === t[8];
        if (!same) this.dirty = true;
        this.nextFolders.set(dir, same ? before : t);
      },
      hash: fnv64,
    };
  }

  /**
   * The memo of the Python import reach (metadata strategy): the last run's answers, when every file
   * they read and folder they listed is as it was (one stat each), else none; this run's answers and
   * reads are kept for the next.
   */
  pythonReach(): PythonReachMemo | undefined {
    if (this.strategy !== "metadata") return undefined;
    const next = this.nextPython;
    // One memo per run: the answers it holds are this run's.
    if (next.used) return undefined;
    next.used = true;
    const old = this.oldPython;
    if (old && typeof old.verdicts === "object" && typeof old.files === "object" && typeof old.dirs === "object") {
      const fileUnchanged = (file: string): boolean => {
        const was = ownValue(old.files, file);
        const now = this.nextStamps.get(file);
        // A file of this run, stamped: its stamp says; any other, a stat.
        const seen: DirStamp = now ? [now[1], now[2], now[3]] : dirStampOf(file);
        return sameDirStamp(was ?? null, seen);
      };
      const valid = Object.keys(old.files).every(fileUnchanged) && Object.keys(old.dirs).every((dir) => sameDirStamp(ownValue(old.dirs, dir) ?? null, this.folderStampOf(dir)));
      if (valid) {
        next.valid = true;
        for (const file of Object.keys(old.verdicts)) next.verdicts.set(file, ownValue(old.verdicts, file) === 1 ? 1 : 0);
        for (const file of Object.keys(old.files)) next.files.add(file);
        for (const dir of Object.keys(old.dirs)) next.dirs.add(dir);
      }
    }
    next.added = !next.valid;
    return {
      verdict: (file) => {
        const v = next.verdicts.get(file);
        return v === undefined ? undefined : v === 1;
      },
      keep: (file, reaches) => {
        if (next.verdicts.get(file) !== (reaches ? 1 : 0)) next.added = true;
        next.verdicts.set(file, reaches ? 1 : 0);
      },
      read: (file) => {
        if (!next.files.has(file)) next.added = true;
        next.files.add(file);
      },
      listed: (dir) => {
        if (!next.dirs.has(dir)) next.added = true;
        next.dirs.add(dir);
      },
    };
  }

  /**
   * The Python memo to write, and whether it is the one read: the last run's when this run did not
   * need it or added nothing to it; else every file and folder stamped now (none when one changed
   * since the run began).
   */
  private pythonToSave(): { python: PythonReachFile | undefined; same: boolean } {
    const next = this.nextPython;
    if (!next.used) return { python: this.oldPython, same: true };
    if (!next.added) return { python: this.oldPython, same: true };
    return { python: this.stampPython(), same: false };
  }

  private stampPython(): PythonReachFile | undefined {
    const next = this.nextPython;
    if (next.verdicts.size === 0) return undefined;
    const recent = (stamp: DirStamp): boolean => stamp !== null && stamp.length === 3 && (stamp[0] >= this.startedAt - this.settleMs || stamp[1] >= this.startedAt - this.settleMs);
    const out: PythonReachFile = { verdicts: Object.create(null) as Record<string, 0 | 1>, files: Object.create(null) as Record<string, DirStamp>, dirs: Object.create(null) as Record<string, DirStamp> };
    for (const [file, v] of next.verdicts) out.verdicts[file] = v;
    for (const file of next.files) {
      const stamp = dirStampOf(file);
      if (recent(stamp)) return undefined;
      out.files[file] = stamp;
    }
    for (const dir of next.dirs) {
      const stamp = this.folderStampOf(dir);
      if (recent(stamp)) return undefined;
      out.dirs[dir] = stamp;
    }
    return out;
  }

  /**
   * A folder's stamp for the Python memo. The cache's own folder changes with each write of the
   * cache: its names (without the cache's) stand for it instead of its times.
   */
  private folderStampOf(dir: string): DirStamp {
    if (dir !== path.dirname(this.location)) return dirStampOf(dir);
    const cacheName = path.basename(this.location);
    try {
      const names = fs.readdirSync(dir).filter((n) => !isCacheWrite(n, cacheName)).sort();
      return [fnv64(names.join("\u0000"))];
    } catch {
      return null;
    }
  }

  /**
   * Whether this run would write what was read: nothing was set that is not the object loaded under
   * its key (`dirty` says otherwise), and as many of each (so none dropped out).
   */
  private unchanged(): boolean {
    return !this.dirty && this.next.size === this.old.size && this.nextStamps.size === this.oldStampCount && this.nextFolders.size === this.oldFolderCount;
  }

  /**
   * Records a file's bytes as read in this run. A file stamped in this run (metadata strategy) keeps
   * its hash with its stamp: a later run that finds the stamp unchanged takes the hash from it
   * rather than hashing the bytes again.
   */
  noteRead(abs: string, raw: Buffer): string {
    const stamp = this.nextStamps.get(abs);
    let hash = stamp?.[6];
    if (hash === undefined) {
      hash = hashBytes(raw);
      if (stamp) {
        this.nextStamps.set(abs, [stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5] ?? null, hash]);
        this.dirty = true;
      }
    }
    this.hashes.set(abs, hash);
    return hash;
  }

  /**
   * This run's hash of a file, reading it when the run did not (a module outside the given paths,
   * or one the prefilter did not keep). A file that is not there hashes as ABSENT: its appearing
   * later (a tsconfig.json, a module) changes the answer too.
   */
  private hashOf(abs: string): string {
    const known = this.hashes.get(abs) ?? this.nextStamps.get(abs)?.[6];
    if (known !== undefined) return known;
    let hash = ABSENT;
    try {
      hash = hashBytes(fs.readFileSync(abs));
    } catch {
      // Stays ABSENT.
    }
    this.hashes.set(abs, hash);
    // Kept with the file's stamp, as a candidate's is (noteRead): a dependency that is no candidate
    // (a client module) is then not read and hashed again by every rerun on an unchanged tree.
    const stamp = this.nextStamps.get(abs);
    if (stamp && hash !== ABSENT) {
      this.nextStamps.set(abs, [stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5] ?? null, hash]);
      this.dirty = true;
    }
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
    this.dirty = true;
  }

  /** Told when the cache cannot be written (the run's results stand: the cache is an optimisation). */
  warn?: (message: string) => void;

  /** Writes the entries of this run (files not parsed this time drop out); a failure to write is told to `warn`. */
  save(): void {
    try {
      this.write();
    } catch (e) {
      this.warn?.(`cannot write the cache ${this.location} (${(e as Error).message.split("\n")[0]}): this run's results stand, the next run starts without it`);
    }
  }

  private write(): void {
    if (this.foreign) throw new Error("the file there is not a cohere-migrate cache, and is left as it is");
    const { python, same } = this.pythonToSave();
    // Nothing changed since the cache was read (a rerun on an unchanged tree): nothing to write.
    if (this.unchanged() && same) return;
    const { sync } = require("write-file-atomic") as typeof import("write-file-atomic");
    const entries: Record<string, CacheEntry> = Object.create(null) as Record<string, CacheEntry>;
    for (const [file, entry] of [...this.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) entries[file] = entry;
    const stamps: Record<string, FileStamp> = Object.create(null) as Record<string, FileStamp>;
    for (const [file, stamp] of this.nextStamps) stamps[file] = stamp;
    const folders: Record<string, FolderTuple> = Object.create(null) as Record<string, FolderTuple>;
    for (const [dir, stamp] of this.nextFolders) folders[dir] = stamp;
    fs.mkdirSync(path.dirname(this.location), { recursive: true });
    sync(this.location, JSON.stringify({ key: this.key, entries, stamps, folders, ...(python ? { python } : {}) } satisfies CacheFile));
  }
}

/** Whether a cache entry has the shape this build writes (a hand-edited or damaged one is dropped). */
function isEntry(entry: unknown): entry is CacheEntry {
  if (!entry || typeof entry !== "object") return false;
  const e = entry as Partial<CacheEntry>;
  const d = e.detection as Partial<FileDetection> | undefined;
  return (
    typeof e.hash === "string" &&
    typeof e.aliases === "string" &&
    Array.isArray(e.deps) &&
    e.deps.every((dep) => Array.isArray(dep) && typeof dep[0] === "string" && typeof dep[1] === "string") &&
    !!d &&
    typeof d === "object" &&
    Array.isArray(d.sites) &&
    Array.isArray(d.undecided) &&
    Array.isArray(d.markers) &&
    typeof d.suppressed === "number"
  );
}

/** Names that come and go in the cache's own folder as the cache is written (write-file-atomic's temporary files). */
function isCacheWrite(name: string, cacheName: string): boolean {
  return name === cacheName || name.startsWith(`${cacheName}.`);
}

function dirStampOf(p: string): DirStamp {
  const now = statOf(p);
  return now ? [now.mtimeMs, now.ctimeMs, now.ino] : null;
}

function sameDirStamp(a: DirStamp, b: DirStamp): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function statOf(abs: string): fs.Stats | undefined {
  try {
    // Most paths the Python memo stamps do not exist (a `src/` looked for beside every folder):
    // answered without an error thrown and caught, which costs more than the stat.
    return fs.statSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
