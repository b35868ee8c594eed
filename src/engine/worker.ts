/** Worker thread entry (piscina): runs batches of per-file tasks. */
import { detectTask, transformTask, type DetectTask, type TransformTask } from "./tasks";

export type WorkerRequest = { op: "detect"; tasks: DetectTask[] } | { op: "transform"; tasks: TransformTask[] };

export default function run(request: WorkerRequest): unknown[] {
  return request.op === "detect" ? request.tasks.map(detectTask) : request.tasks.map(transformTask);
}
