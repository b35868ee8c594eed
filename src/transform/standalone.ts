/**
 * Lets a registered transform run under the jscodeshift CLI (`jscodeshift -t dist/transforms/x.js`):
 * it detects the file's sites on its own (single-file analysis) and returns the new source.
 */
import type { API, FileInfo, Options } from "jscodeshift";
import type { Transform } from "./kit";

export const DEFAULT_MODEL = "command-a-03-2025";

/**
 * jscodeshift's runner (with its default `--babel`) compiles every module required after the
 * transform through @babel/register. This package is compiled JavaScript already, and babel stops
 * on ts-morph's class static blocks: the hook is turned off before the compiler loads.
 */
function revertBabelRegister(): void {
  for (const id of Object.keys(require.cache)) {
    if (!/[\\/]@babel[\\/]register[\\/]lib[\\/]index\.c?js$/.test(id)) continue;
    const register = require.cache[id]?.exports as { revert?: () => void } | undefined;
    if (typeof register?.revert === "function") register.revert();
  }
}

export function asJscodeshift(transforms: readonly Transform[]) {
  return function transform(file: FileInfo, _api: API, options: Options): string | undefined {
    revertBabelRegister();
    // Required here, not at the top: every transform module imports this file, and loading the
    // compiler and jscodeshift with it would cost the CLI half a second before it does anything.
    const { detectText } = require("../detect/detect-text") as typeof import("../detect/detect-text");
    const { runTransforms } = require("./run") as typeof import("./run");
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
