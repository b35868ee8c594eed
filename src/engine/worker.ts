/** Worker thread entry (piscina): runs batches of per-file tasks (JavaScript, TypeScript and Python), or one cross-file settle. */
import { detectAnyTask, settleTask, transformTask, type DetectTask, type SettleTask, type TransformTask } from "./tasks";

export type WorkerRequest =
  | { op: "detect"; tasks: DetectTask[] }
  | { op: "transform"; tasks: TransformTask[] }
  | { op: "settle"; task: SettleTask };

export default function run(request: WorkerRequest): unknown {
  switch (request.op) {
    case "detect":
      // Python detection is asynchronous (its parser loads once); a batch resolves when all have.
      return Promise.all(request.tasks.map(detectAnyTask));
    case "transform":
      return request.tasks.map(transformTask);
    case "settle":
      return settleTask(request.task);
  }
}
