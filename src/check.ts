/**
 * `check`: read-only. Reports every legacy call and unfinished marker as a finding.
 */
import { analyze, type ProgressEvent } from "./engine/analyze";
import { openCache, type CacheOptions } from "./engine/cache-open";
import { findingsOf } from "./engine/findings";
import { byPath, totalsOf, untouchedResult } from "./engine/results";
import type { CheckResult, FileResult } from "./types";

export interface CheckOptions {
  cwd?: string;
  paths?: readonly string[];
  ignore?: readonly string[];
  prefilter?: boolean;
  /** Reuse detections of unchanged files from this cache file, and update it (`--cache`). */
  cache?: CacheOptions;
  onProgress?: (event: ProgressEvent) => void;
}

export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const analysis = await analyze({
    cwd,
    paths: options.paths ?? [],
    ignore: options.ignore,
    prefilter: options.prefilter,
    onProgress: options.onProgress,
    cache: openCache(cwd, options.cache, options.prefilter),
  });
  await analysis.pool.close();
  let suppressed = 0;
  const files: FileResult[] = analysis.files.map((entry) => {
    if (entry.status !== "ok" || !entry.detection) return untouchedResult(entry);
    suppressed += entry.detection.suppressed;
    return untouchedResult(entry, findingsOf(entry.file, entry.text as string, entry.detection));
  });
  files.sort(byPath);
  return { command: "check", cwd, files, findings: files.flatMap((f) => f.findings), totals: totalsOf(files, suppressed) };
}
