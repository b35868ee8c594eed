/** Opens the `--cache` file of a run, loading the cache module only when a run asks for it. */
import * as path from "node:path";
import type { CacheStrategy, DetectionCache } from "./cache";

/** As ESLint's `.eslintcache`: a file in the folder the run starts in. */
export const DEFAULT_CACHE_LOCATION = ".cohere-migrate-cache";

export interface CacheOptions {
  location: string;
  /** How an unchanged file is told (cache.ts): by its stamp (the default) or by its bytes. */
  strategy?: CacheStrategy;
  /** Told when the cache cannot be written (a folder, a read-only place): the run goes on. */
  warn?: (message: string) => void;
}

export function openCache(cwd: string, cache: CacheOptions | undefined, prefilter: boolean | undefined): DetectionCache | undefined {
  if (!cache) return undefined;
  const { DetectionCache: Cache } = require("./cache") as typeof import("./cache");
  // Options that change what detection finds are part of the key; paths and ignores only choose files.
  const opened = new Cache(path.resolve(cwd, cache.location), { prefilter: prefilter ?? true }, cache.strategy ?? "metadata");
  opened.warn = cache.warn;
  return opened;
}
