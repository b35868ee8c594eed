/**
 * The per-file work, as pure functions of plain data: run in-process or in a worker thread.
 */
import { detectText, type TextDetection } from "../detect/detect-text";
import { runTransforms } from "../transform/run";
import type { TransformOptions } from "../transform/kit";
import { TRANSFORMS } from "../../transforms";
import type { CallSite, MarkerRecord, Note, ParseFailure } from "../types";

export interface DetectTask {
  file: string;
  text: string;
}

export interface TransformTask {
  file: string;
  text: string;
  sites: CallSite[];
  options: TransformOptions;
}

export type TransformOutcome =
  | {
      ok: true;
      output: string;
      changed: boolean;
      migrated: number;
      markers: MarkerRecord[];
      notes: Note[];
      dependencies: Array<[string, string]>;
      /** Detection on the output (what `check` would report next); absent when nothing changed. */
      after: TextDetection | undefined;
    }
  | { ok: false; error: ParseFailure };

export function detectTask(task: DetectTask): TextDetection {
  return detectText(task.file, task.text);
}

/** Babel's parse errors carry `loc`; anything else is reported at the file's start. */
function failure(e: unknown, text: string): ParseFailure {
  const err = e as { message?: string; loc?: { line: number; column: number } };
  const line = err.loc?.line ?? 1;
  const column = (err.loc?.column ?? 0) + 1;
  return {
    message: (err.message ?? String(e)).replace(/\s*\(\d+:\d+\)$/, ""),
    line,
    column,
    sourceLine: text.split(/\r?\n/)[line - 1] ?? "",
  };
}

export function transformTask(task: TransformTask): TransformOutcome {
  let run;
  try {
    run = runTransforms(TRANSFORMS, task.file, task.text, task.sites, task.options);
  } catch (e) {
    return { ok: false, error: failure(e, task.text) };
  }
  return {
    ok: true,
    output: run.output,
    changed: run.changed,
    migrated: run.migrated,
    markers: run.markers,
    notes: run.notes,
    dependencies: [...run.dependencies],
    after: run.changed ? detectText(task.file, run.output) : undefined,
  };
}
