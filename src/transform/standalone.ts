/**
 * Lets a registered transform run under the jscodeshift CLI (`jscodeshift -t dist/transforms/x.js`):
 * it detects the file's sites on its own (single-file analysis) and returns the new source.
 */
import type { API, FileInfo, Options } from "jscodeshift";
import { detectText } from "../detect/detect-text";
import type { Transform } from "./kit";
import { runTransforms } from "./run";

export const DEFAULT_MODEL = "command-a-03-2025";

export function asJscodeshift(transforms: readonly Transform[]) {
  return function transform(file: FileInfo, _api: API, options: Options): string | undefined {
    const detection = detectText(file.path, file.source);
    if (!detection.ok || detection.result.sites.length === 0) return undefined;
    const model = typeof options.model === "string" ? options.model : DEFAULT_MODEL;
    const run = runTransforms(transforms, file.path, file.source, detection.result.sites, {
      model,
      modelFromFlag: typeof options.model === "string",
    });
    return run.changed ? run.output : undefined;
  };
}
