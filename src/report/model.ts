/**
 * What a report shows, taken from a migrate result once, so the Markdown and HTML reports cannot
 * disagree. Paths are relative to the repository top (as in a pull request) when there is one.
 */
import { manifestChanges, unifiedDiff } from "../format/diff";
import { fromRoot } from "../format/paths";
import { allRules, markerRule } from "../rules";
import type { MigrateResult, Note } from "../types";
import { explain } from "../explain";

export interface ReportTotal {
  key: keyof MigrateResult["totals"];
  label: string;
  value: number;
}

/** One thing left for a person: an unfinished marker or a call migrate could not rewrite. */
export interface ReportItem {
  file: string;
  line: number;
  column: number;
  rule: string;
  /** The marker code for markers, else undefined. */
  marker?: string;
  title: string;
  /** What to do here (the marker's text or the finding's message). */
  message: string;
  /** Why, from the rule table. */
  help: string;
  /** What to write instead (--explain's text). */
  instead: string;
}

export interface ReportFile {
  file: string;
  migrated: number;
  markersAdded: number;
  left: number;
  added: number;
  removed: number;
  /** The file's unified diff, in git's format. */
  diff: string;
}

export interface ReportNote {
  message: string;
  places: string[];
}

export interface ReportModel {
  dryRun: boolean;
  model: string;
  totals: ReportTotal[];
  files: ReportFile[];
  left: ReportItem[];
  chosen: ReportNote[];
  warnings: ReportNote[];
  dependencies: { file: string; name: string; from: string; to: string; applied: boolean; note?: string }[];
  skipped: { file: string; reason: string }[];
  failed: { file: string; line: number; column: number; message: string; sourceLine: string }[];
  suppressed: number;
  unguarded: boolean;
}

/** Totals in the order a reader asks about them. */
const TOTALS: ReadonlyArray<Omit<ReportTotal, "value">> = [
  { key: "migrated", label: "Calls migrated" },
  { key: "changed", label: "Files changed" },
  { key: "unchanged", label: "Files unchanged" },
  { key: "skipped", label: "Files skipped" },
  { key: "failed", label: "Files failed" },
  { key: "findings", label: "Left to finish by hand" },
  { key: "suppressed", label: "Suppressed by cohere-migrate-ignore" },
];

const CHOSEN: ReadonlyArray<Note["kind"]> = ["model-defaulted", "model-kept", "temperature-pinned", "dependency-updated"];
const WARNINGS: ReadonlyArray<Note["kind"]> = ["truncate-removed", "info"];

/** Added or removed lines of a diff, counted inside hunks only (not the ---/+++ header). */
function countLines(diff: string, sign: "+" | "-"): number {
  let inHunk = false;
  let n = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git")) inHunk = false;
    else if (line.startsWith("@@")) inHunk = true;
    else if (inHunk && line.startsWith(sign)) n++;
  }
  return n;
}

export function reportModel(result: MigrateResult, root?: string): ReportModel {
  const at = (file: string) => fromRoot(file, result.cwd, root);
  const rules = new Map(allRules().map((r) => [r.id, r]));
  const notes = (kinds: ReadonlyArray<Note["kind"]>): ReportNote[] => {
    const groups = new Map<string, string[]>();
    for (const f of result.files) {
      for (const n of f.notes) {
        if (!kinds.includes(n.kind)) continue;
        groups.set(n.message, [...(groups.get(n.message) ?? []), `${at(f.file)}:${n.span.start.line}`]);
      }
    }
    return [...groups].map(([message, places]) => ({ message, places }));
  };
  const left: ReportItem[] = result.files.flatMap((f) =>
    f.findings
      .filter((x) => x.rule !== "parse-error")
      .map((x) => {
        const marker = x.rule.startsWith("marker/") ? x.rule.slice("marker/".length) : undefined;
        const rule = rules.get(x.rule) ?? (marker ? markerRule(marker) : undefined);
        return {
          file: at(f.file),
          line: x.span.start.line,
          column: x.span.start.column,
          rule: x.rule,
          marker,
          title: rule?.title ?? x.rule,
          message: marker ? x.message.replace(/^unfinished migration \([^)]*\): /, "") : x.message,
          help: rule?.help ?? "",
          instead: explain(x.rule)?.instead ?? "",
        };
      }),
  );
  const files = [...result.files.filter((f) => f.status === "changed"), ...manifestChanges(result.dependencyUpdates)]
    .map((f) => {
      const diff = unifiedDiff(f, { cwd: result.cwd, root });
      return {
        file: at(f.file),
        migrated: f.migrated,
        markersAdded: f.markersAdded.length,
        left: f.findings.length,
        added: countLines(diff, "+"),
        removed: countLines(diff, "-"),
        diff,
      };
    });
  return {
    dryRun: result.dryRun,
    model: result.model,
    // "Left to finish" counts what the list below shows; a parse error is counted with the failed files.
    totals: TOTALS.map((t) => ({ ...t, value: t.key === "findings" ? left.length : result.totals[t.key] })),
    files,
    left,
    chosen: notes(CHOSEN),
    warnings: notes(WARNINGS),
    dependencies: result.dependencyUpdates.map((d) => ({ file: at(d.file), name: d.name, from: d.from, to: d.to, applied: d.applied, ...(d.note ? { note: d.note } : {}) })),
    skipped: result.files.filter((f) => f.status === "skipped").map((f) => ({ file: at(f.file), reason: f.reason ?? "skipped" })),
    failed: result.files
      .filter((f) => f.status === "failed")
      .map((f) => ({ file: at(f.file), line: f.error?.line ?? 1, column: f.error?.column ?? 1, message: f.error?.message ?? "failed", sourceLine: f.error?.sourceLine ?? "" })),
    suppressed: result.totals.suppressed,
    unguarded: result.unguarded && !result.dryRun,
  };
}
