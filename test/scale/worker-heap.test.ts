/**
 * Workers run with a capped old generation (pool.ts, WORKER_OLD_GENERATION_MB), which keeps a
 * large run's memory down. A batch that does not fit runs again on the main thread: the cap may
 * cost time, never an answer. Forced here with a cap too small for the TypeScript compiler.
 */
import * as path from "node:path";
import { analyze, type Analysis } from "../../src/engine/analyze";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

const WORKER = path.join(__dirname, "..", "..", "dist", "src", "engine", "worker.js");

const sites = (a: Analysis): string[] =>
  a.files.flatMap((f) => (f.detection?.sites ?? []).map((s) => `${f.file}:${s.start} ${s.kind} ${s.certainty} ${s.client} ${String(s.requestVisible)}`)).sort();

let root: string;
beforeEach(() => {
  root = tempDir("cm-heap-");
});
afterEach(() => removeTemp(root));

test("a batch that outgrows a worker's heap runs again on the main thread, with the same answers", async () => {
  // More candidates than the in-process threshold, each needing the compiler (a request held in a constant).
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    files[`src/m${i}.ts`] = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nconst req = { prompt: "p${i}" };\nexport const f = () => co.generate(req);\n`;
  }
  writeTree(root, files);
  const here = await analyze({ cwd: root, paths: ["."], pool: { threads: 0 } });
  await here.pool.close();
  const capped = await analyze({ cwd: root, paths: ["."], pool: { threads: 1, workerFile: WORKER, workerHeapMb: 24 } });
  await capped.pool.close();
  expect(capped.pool.usesWorkers).toBe(true);
  expect(capped.pool.ranHere).toBeGreaterThan(0);
  expect(capped.files.filter((f) => f.status === "failed")).toEqual([]);
  expect(sites(capped)).toEqual(sites(here));
  expect(sites(here)).toHaveLength(40);
});
