/**
 * Parallel per-file work on a piscina worker pool, one thread per core. Small runs stay in-process:
 * starting a worker costs more (each loads the TypeScript compiler) than a few files take.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type Piscina from "piscina";
import type { WorkerRequest } from "./worker";
import type { DetectTask, TransformTask, detectTask, transformTask } from "./tasks";

/** The task functions, loaded on first use: they pull in the TypeScript compiler and jscodeshift. */
function tasksModule(): typeof import("./tasks") {
  return require("./tasks") as typeof import("./tasks");
}

/** Below this many files the pool is not started. */
export const PARALLEL_THRESHOLD = 24;
/** Files per message to a worker: large enough to amortise messaging, small enough to balance. */
const BATCH = 8;

export class FilePool {
  private pool: Piscina | undefined;
  private readonly workerFile = path.join(__dirname, "worker.js");

  constructor(private readonly threads = Math.max(1, os.availableParallelism())) {}

  private canUseWorkers(count: number): boolean {
    // The compiled worker exists when running from dist/ (not under ts-jest's in-memory compile).
    return count >= PARALLEL_THRESHOLD && this.threads > 1 && fs.existsSync(this.workerFile);
  }

  private get piscina(): Piscina {
    if (!this.pool) {
      // Loaded only when needed: requiring piscina costs start-up time on small runs.
      const { Piscina: PiscinaClass } = require("piscina") as typeof import("piscina");
      this.pool = new PiscinaClass({ filename: this.workerFile, maxThreads: this.threads, minThreads: this.threads, idleTimeout: 1000 });
    }
    return this.pool;
  }

  async detect(tasks: DetectTask[], onDone?: (n: number) => void): Promise<ReturnType<typeof detectTask>[]> {
    return this.map("detect", tasks, (t) => tasksModule().detectTask(t), onDone) as Promise<ReturnType<typeof detectTask>[]>;
  }

  async transform(tasks: TransformTask[], onDone?: (n: number) => void): Promise<ReturnType<typeof transformTask>[]> {
    return this.map("transform", tasks, (t) => tasksModule().transformTask(t), onDone) as Promise<ReturnType<typeof transformTask>[]>;
  }

  private async map<T>(op: WorkerRequest["op"], tasks: T[], local: (t: T) => unknown, onDone?: (n: number) => void): Promise<unknown[]> {
    if (!this.canUseWorkers(tasks.length)) {
      return tasks.map((t) => {
        const r = local(t);
        onDone?.(1);
        return r;
      });
    }
    const batches: T[][] = [];
    for (let i = 0; i < tasks.length; i += BATCH) batches.push(tasks.slice(i, i + BATCH));
    const results = await Promise.all(
      batches.map(async (batch) => {
        const r = (await this.piscina.run({ op, tasks: batch } as WorkerRequest)) as unknown[];
        onDone?.(batch.length);
        return r;
      }),
    );
    return results.flat();
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
