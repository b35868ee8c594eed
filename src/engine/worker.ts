/** Worker thread entry (piscina): runs batches of per-file tasks, or one cross-file settle. */
import { detectTask, settleTask, transformTask, type DetectTask, type SettleTask, type TransformTask } from "./tasks";

export type WorkerRequest =
  | { op: "detect"; tasks: DetectTask[] }
  | { op: "transform"; tasks: TransformTask[] }
  | { op: "settle"; task: SettleTask };

export default function run(request: WorkerRequest): unknown {
  switch (request.op) {
    case "detect":
      return request.tasks.map(detectTask);
    case "transform":
      return request.tasks.map(transformTask);
    case "settle":
      return settleTask(request.task);
  }
}
