/** The human summary printed after `migrate`. */
import type { MigrateResult, Note } from "../types";
import { plain, type Painter } from "./paint";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Notes of one kind, grouped by message, each with the places it applies to. */
function groupNotes(result: MigrateResult, kinds: ReadonlyArray<Note["kind"]>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const f of result.files) {
    for (const n of f.notes) {
      if (!kinds.includes(n.kind)) continue;
      const places = groups.get(n.message) ?? [];
      places.push(`${f.file}:${n.span.start.line}`);
      groups.set(n.message, places);
    }
  }
  return groups;
}

function places(list: string[], max = 4): string {
  return list.length <= max ? list.join(", ") : `${list.slice(0, max).join(", ")} and ${list.length - max} more`;
}

export function formatSummary(result: MigrateResult, paint: Painter = plain): string {
  const t = result.totals;
  const out: string[] = [];
  const head = result.dryRun ? "dry run, nothing written" : result.verify?.blocked ? "nothing written: --verify found type errors" : "written";
  const withCalls = result.files.filter((f) => f.migrated > 0).length;
  // Files changed only by markers (a request by hand to the Generate URL): said, so "changed" adds up.
  const markedOnly = result.files.filter((f) => f.status === "changed" && f.migrated === 0 && f.markersAdded.length > 0).length;
  const marked = markedOnly ? `, markers added in ${plural(markedOnly, "other file")}` : "";
  // Modules whose only change is reading what a migrated function of another module now returns.
  const callersOnly = result.files.filter((f) => f.status === "changed" && f.migrated === 0 && f.markersAdded.length === 0 && !f.helperModule).length;
  const callers = callersOnly ? `, callers updated in ${plural(callersOnly, "other file")}` : "";
  out.push(paint.bold(`cohere-migrate: ${plural(t.migrated, "call")} migrated in ${plural(withCalls, "file")}${callers}${marked} (${head})`));
  out.push("");
  out.push(`  ${paint.green("changed  ")}  ${plural(t.changed, "file")}`);
  out.push(`  ${"unchanged"}  ${plural(t.unchanged, "file")}`);
  const skipped = result.files.filter((f) => f.status === "skipped");
  out.push(`  ${paint.yellow("skipped  ")}  ${plural(t.skipped, "file")}`);
  for (const f of skipped) out.push(paint.dim(`    ${f.file}: ${f.reason}`));
  const failed = result.files.filter((f) => f.status === "failed");
  out.push(`  ${t.failed ? paint.red("failed   ") : "failed   "}  ${plural(t.failed, "file")}`);
  for (const f of failed) {
    const e = f.error;
    out.push(paint.red(`    ${f.file}:${e?.line ?? 1}:${e?.column ?? 1}  ${e?.message ?? "failed"}`));
    if (e?.sourceLine) out.push(paint.dim(`      ${e.sourceLine.trim()}`));
  }

  if (result.verify) out.push(...verifyLines(result, paint));

  const left = result.files.flatMap((f) => f.findings.filter((x) => x.rule !== "parse-error"));
  if (left.length) {
    out.push("");
    out.push(paint.bold(`Left for you to finish (${left.length}):`));
    for (const x of left) out.push(`  ${paint.cyan(`${x.file}:${x.span.start.line}:${x.span.start.column}`)}  ${paint.yellow(x.rule)}  ${x.message}`);
    // Marked TypeScript may not compile until it is finished; only a type check can say which.
    const markedTs = left.some((x) => x.rule.startsWith("marker/") && /\.(m|c)?tsx?$/.test(x.file));
    if (markedTs && !result.verify) out.push(paint.dim("  (--verify lists the marked code that will not compile until its marker is resolved)"));
  }

  const chosen = groupNotes(result, ["model-defaulted", "model-kept", "temperature-pinned", "dependency-updated"]);
  const deps = result.dependencyUpdates;
  const helperModules = result.files.filter((f) => f.status === "changed" && f.helperModule);
  if (chosen.size || deps.length || helperModules.length) {
    out.push("");
    out.push(paint.bold("Chosen for you:"));
    for (const [message, where] of chosen) out.push(`  ${message} ${paint.dim(`(${places(where)})`)}`);
    for (const f of helperModules) out.push(`  ${f.file}: ${f.created ? "created" : "extended"}: the helpers this package's migrated modules import (delete it once nothing imports it)`);
    for (const d of deps) {
      out.push(`  ${d.file}: ${d.name} ${d.from} → ${d.to}${d.field && d.field !== "dependencies" ? ` (${d.field})` : ""}${d.applied ? "" : paint.dim(" (not written: --dry or --no-update-deps)")}`);
      if (d.note) out.push(`    ${paint.dim(`then: ${d.note}`)}`);
    }
  }
  const warnings = groupNotes(result, ["truncate-removed", "info"]);
  if (warnings.size) {
    out.push("");
    out.push(paint.bold("Warnings:"));
    for (const [message, where] of warnings) out.push(`  ${paint.yellow(message)} ${paint.dim(`(${places(where)})`)}`);
  }
  if (result.unguarded && !result.dryRun && t.changed) {
    out.push("");
    const where = result.unguardedPaths?.filter((p) => p !== ".") ?? [];
    out.push(paint.yellow(where.length ? `Not in a git work tree: ${where.join(", ")}; nothing guards the change there. Keep a copy to compare against.` : "Not a git work tree: nothing guards this change. Keep a copy to compare against."));
  }
  if (t.suppressed) out.push(paint.dim(`${plural(t.suppressed, "finding")} suppressed by cohere-migrate-ignore comments.`));
  return out.join("\n") + "\n";
}

/** --verify: what was type-checked, and each error a migration would add. */
function verifyLines(result: MigrateResult, paint: Painter): string[] {
  const v = result.verify;
  if (!v) return [];
  const out = [""];
  const unverified = result.files.filter((f) => f.verify && !f.verify.verified);
  const marked = result.files.some((f) => f.verify?.verified && f.verify.untilMarker?.length);
  if (!v.breaking) out.push(paint.green(`--verify: ${plural(v.checked, "migrated file")} type-checked with the repository's own configuration (tsconfig.json, pyright), no new errors${marked ? " outside the code markers ask you to finish" : ""}`));
  else {
    out.push(paint.bold(paint.red(`Would break the build (--verify: ${plural(v.breaking, "file")} of ${v.checked} gain type errors${v.blocked ? "; nothing written, --force writes anyway" : ""}):`)));
    for (const f of result.files) {
      if (!f.verify?.verified) continue;
      for (const e of f.verify.added) out.push(`  ${paint.cyan(`${f.file}:${e.line}:${e.column}`)}  ${e.message}`);
    }
  }
  const pending = result.files.flatMap((f) => (f.verify?.verified ? (f.verify.untilMarker ?? []).map((e) => ({ f, e })) : []));
  if (pending.length) {
    out.push(paint.bold(`Will not compile until the marker is resolved (${pending.length}):`));
    for (const { f, e } of pending) out.push(`  ${paint.cyan(`${f.file}:${e.line}:${e.column}`)}  ${e.message} (marker ${e.marker} at line ${e.markerLine})`);
  }
  for (const f of unverified) if (f.verify && !f.verify.verified) out.push(paint.dim(`  not verified: ${f.file} (${f.verify.reason})`));
  return out;
}
