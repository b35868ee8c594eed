/**
 * Per-file work, in-process or on a piscina worker pool of cores − 1 threads (as jscodeshift's
 * runner): the main thread keeps a core for reading files and collecting results, and V8's own
 * background threads (garbage collection, optimising compilation) use what is left. Measured on
 * 2 cores, a second worker made runs slower and added about 250 MB.
 *
 * Tasks can be submitted while files are still being read: once the pool runs, a worker loads
 * the TypeScript compiler and parses the first candidates while the main thread reads on. Small
 * runs stay in-process, because starting a worker (each loads the compiler, about half a second
 * of CPU) costs more than a few files take. The main thread never loads the compiler when the
 * workers run, which keeps the process's memory at the workers' share.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type Piscina from "piscina";
import type { TextDetection } from "../detect/detect-text";
import type { WorkerRequest } from "./worker";
import type { DetectTask, SettleOutcome, SettleTask, TransformOutcome, TransformTask } from "./tasks";

/** The task functions, loaded on first use: they pull in the TypeScript compiler and jscodeshift. */
function tasksModule(): typeof import("./tasks") {
  return require("./tasks") as typeof import("./tasks");
}

/**
 * A worker's old generation at most. Its live data is small (one file's trees at a time, the
 * parsers); without a cap V8 lets garbage build up to hundreds of megabytes before collecting it
 * (measured: a 20k-file migrate --dry peaked at 456 MB, 353 MB with this cap, 4% slower). A batch
 * that does not fit (a cross-file project over many modules, a huge file) runs again on the main
 * thread, which has no cap: the cap costs time there, never an answer.
 */
export const WORKER_OLD_GENERATION_MB = 256;

/** Below this many files of work the pool is not started. */
export const PARALLEL_THRESHOLD = 24;
/** A batch is sent when it holds this many files... */
const BATCH_FILES = 8;
/** ...or this many characters: large enough to amortise messaging, small enough to balance. */
const BATCH_CHARS = 192 * 1024;
/**
 * Work waiting for a worker above which more workers (on machines with cores to spare) are worth
 * their start-up: each loads the compiler, about as much work as parsing a megabyte of source or
 * a few hundred small files, and parses slowly until the JIT has warmed up.
 */
const MORE_WORKERS = { chars: 1024 * 1024, files: 256 };

export interface PoolOptions {
  /** Worker threads at most (default: cores − 1; none on a single core). */
  threads?: number;
  /** A worker's old-generation heap at most, in MB (default WORKER_OLD_GENERATION_MB). */
  workerHeapMb?: number;
  /** The compiled worker entry; workers run only where it exists (not under ts-jest). */
  workerFile?: string;
}

type Op = WorkerRequest["op"];

interface Queued {
  request: WorkerRequest;
  chars: number;
  files: number;
  resolve: (results: unknown) => void;
  reject: (e: unknown) => void;
}

interface Pending<T, R> {
  task: T;
  size: number;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/** Collects tasks of one kind into batches for the workers. */
class Batcher<T, R> {
  private open: Pending<T, R>[] = [];
  private chars = 0;

  constructor(
    private readonly op: Op,
    private readonly send: (op: Op, batch: Pending<T, R>[]) => void,
  ) {}

  add(item: Pending<T, R>): void {
    this.open.push(item);
    this.chars += item.size;
    if (this.open.length >= BATCH_FILES || this.chars >= BATCH_CHARS) this.flush();
  }

  flush(): void {
    if (!this.open.length) return;
    const batch = this.open;
    this.open = [];
    this.chars = 0;
    this.send(this.op, batch);
  }
}

export class FilePool {
  private pool: Piscina | undefined;
  private parallel = false;
  private readonly threads: number;
  private readonly workerHeapMb: number;
  private readonly workerFile: string;
  private readonly detects: Batcher<DetectTask, TextDetection>;
  private readonly transforms: Batcher<TransformTask, TransformOutcome>;
  /** Requests not yet handed to piscina: it starts one worker per request in flight. */
  private readonly queue: Queued[] = [];
  private queuedChars = 0;
  private queuedFiles = 0;
  private inFlight = 0;
  /** Requests that ran out of a worker's heap and were run on this thread instead. */
  ranHere = 0;
  /** Requests in flight at most: one worker until the waiting work pays for more. */
  private allowed = 1;

  constructor(options: PoolOptions = {}) {
    this.threads = Math.max(0, options.threads ?? os.availableParallelism() - 1);
    this.workerHeapMb = options.workerHeapMb ?? WORKER_OLD_GENERATION_MB;
    this.workerFile = options.workerFile ?? path.join(__dirname, "worker.js");
    this.detects = new Batcher("detect", (op, batch) => this.sendBatch(op, batch));
    this.transforms = new Batcher("transform", (op, batch) => this.sendBatch(op, batch));
  }

  /** Whether workers can run here: a thread to spare, and the compiled worker file exists. */
  get canRunWorkers(): boolean {
    return this.threads > 0 && fs.existsSync(this.workerFile);
  }

  get usesWorkers(): boolean {
    return this.parallel;
  }

  /** From now on, tasks go to worker threads (when they can run here). */
  useWorkers(): void {
    if (this.canRunWorkers) this.parallel = true;
  }

  private get piscina(): Piscina {
    if (!this.pool) {
      // Loaded only when needed: requiring piscina costs start-up time on small runs.
      const { Piscina: PiscinaClass } = require("piscina") as typeof import("piscina");
      // One thread at first; piscina adds one when another request is in flight (see pump).
      // A small young generation: parsing allocates fast and V8 would otherwise let each worker
      // grow by tens of megabytes between scavenges (measured: 35 MB less at peak, same speed).
      this.pool = new PiscinaClass({
        filename: this.workerFile,
        minThreads: 1,
        maxThreads: this.threads,
        idleTimeout: 2000,
        resourceLimits: { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: this.workerHeapMb },
      });
      // A worker that fails with no task of ours in it (piscina replaces it) is not the run's failure;
      // a task's own failure comes back through its promise.
      this.pool.on("error", () => undefined);
    }
    return this.pool;
  }

  private sendBatch<T, R>(op: Op, batch: Pending<T, R>[]): void {
    const request = { op, tasks: batch.map((b) => b.task) } as WorkerRequest;
    const chars = batch.reduce((n, b) => n + b.size, 0);
    this.enqueue(request, chars, batch.length).then(
      (results) => batch.forEach((b, i) => b.resolve((results as R[])[i])),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
  }

  private enqueue(request: WorkerRequest, chars: number, files: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, chars, files, resolve, reject });
      this.queuedChars += chars;
      this.queuedFiles += files;
      this.pump();
    });
  }

  private pump(): void {
    if (this.queuedChars >= MORE_WORKERS.chars || this.queuedFiles >= MORE_WORKERS.files) this.allowed = this.threads;
    while (this.inFlight < this.allowed && this.queue.length) {
      const next = this.queue.shift() as Queued;
      this.queuedChars -= next.chars;
      this.queuedFiles -= next.files;
      this.inFlight++;
      this.piscina.run(next.request).then(
        (r: unknown) => this.finished(() => next.resolve(r)),
        (e: unknown) => {
          if (!isOutOfMemory(e)) return this.finished(() => next.reject(e));
          // Over the worker's heap cap: the same request, here (the worker is replaced by piscina).
          this.ranHere++;
          return runHere(next.request).then(
            (r) => this.finished(() => next.resolve(r)),
            (again: unknown) => this.finished(() => next.reject(again)),
          );
        },
      );
    }
  }

  private finished(settle: () => void): void {
    this.inFlight--;
    settle();
    this.pump();
  }

  detectOne(task: DetectTask): Promise<TextDetection> {
    if (!this.parallel) return tasksModule().detectAnyTask(task);
    return new Promise((resolve, reject) => this.detects.add({ task, size: task.text.length, resolve, reject }));
  }

  transformOne(task: TransformTask): Promise<TransformOutcome> {
    if (!this.parallel) return settled(() => tasksModule().transformTask(task));
    return new Promise((resolve, reject) => this.transforms.add({ task, size: task.text.length, resolve, reject }));
  }

  /** Results in the order of `tasks`; `onDone` counts finished files. */
  detect(tasks: readonly DetectTask[], onDone?: (n: number) => void): Promise<TextDetection[]> {
    return mapAll(this, tasks, (t) => this.detectOne(t), onDone);
  }

  transform(tasks: readonly TransformTask[], onDone?: (n: number) => void): Promise<TransformOutcome[]> {
    return mapAll(this, tasks, (t) => this.transformOne(t), onDone);
  }

  /** Phase M is one task: one ts-morph project over the files involved. */
  settle(task: SettleTask): Promise<SettleOutcome> {
    if (!this.parallel) return settled(() => tasksModule().settleTask(task));
    const chars = task.texts.reduce((n, [, text]) => n + text.length, 0);
    return this.enqueue({ op: "settle", task }, chars, task.texts.length) as Promise<SettleOutcome>;
  }

  /** Sends the batches still filling (call when no more tasks are coming for now). */
  flush(): void {
    this.detects.flush();
    this.transforms.flush();
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}

function isOutOfMemory(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY";
}

/** A worker request, run on this thread by the worker's own entry. */
function runHere(request: WorkerRequest): Promise<unknown> {
  return settled(() => (require("./worker") as typeof import("./worker")).default(request));
}

/** Runs in-process work as a promise, so callers treat both modes alike. */
function settled<R>(work: () => R): Promise<R> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Maps over items with the pool, sending every batch before waiting. */
async function mapAll<T, R>(pool: FilePool, items: readonly T[], run: (item: T) => Promise<R>, onDone?: (n: number) => void): Promise<R[]> {
  const promises = items.map((item) =>
    run(item).then((r) => {
      onDone?.(1);
      return r;
    }),
  );
  pool.flush();
  return Promise.all(promises);
}
