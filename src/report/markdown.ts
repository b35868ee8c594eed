/**
 * A PR-ready Markdown summary of a migrate run: totals, the changed files, a checklist of what is
 * left to finish by hand (file:line and what to do), choices made, and each file's diff folded.
 */
import type { MigrateResult } from "../types";
import { reportModel } from "./model";

/** Text in a table cell: a pipe would end the cell, a newline the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function fenced(text: string, lang: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\r\n/g, "\n").replace(/\n$/, "")}\n${fence}`;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

export function markdownReport(result: MigrateResult, root?: string): string {
  const m = reportModel(result, root);
  const out: string[] = [];
  out.push("# cohere-migrate report");
  out.push("");
  out.push(m.dryRun ? "_Dry run: nothing was written._" : "_Changes written to disk._");
  out.push("");
  out.push("| | |");
  out.push("|---|---:|");
  for (const t of m.totals) out.push(`| ${t.label} | ${t.value} |`);
  out.push("");

  if (m.files.length) {
    out.push(`## Changed files (${m.files.length})`);
    out.push("");
    out.push("| File | Calls migrated | Markers added | Left to finish | Lines |");
    out.push("|---|---:|---:|---:|---|");
    for (const f of m.files) out.push(`| ${cell(code(f.file))} | ${f.migrated} | ${f.markersAdded} | ${f.left} | +${f.added} −${f.removed} |`);
    out.push("");
  }

  out.push(`## Left to finish by hand (${m.left.length})`);
  out.push("");
  if (m.left.length === 0) out.push("Nothing: every legacy call was migrated.");
  for (const x of m.left) {
    out.push(`- [ ] ${code(`${x.file}:${x.line}:${x.column}`)} **${x.marker ?? x.rule}** (${x.title}): ${x.marker ? inline(x.message) : x.message}`);
    if (x.help) out.push(`  <br>_Why:_ ${x.help}`);
    if (x.instead) out.push(`  <br>_What to do:_ ${x.instead} (\`cohere-migrate --explain ${x.marker ?? x.rule}\` shows an example)`);
  }
  out.push("");

  const helperModules = result.files.filter((f) => f.status === "changed" && f.helperModule);
  if (m.chosen.length || m.dependencies.length || helperModules.length) {
    out.push("## Chosen for you");
    out.push("");
    for (const n of m.chosen) out.push(`- ${n.message} (${n.places.map(code).join(", ")})`);
    for (const f of helperModules) out.push(`- ${code(f.file)}: ${f.created ? "created" : "extended"}: the helpers this package's migrated modules import (delete it once nothing imports it)`);
    for (const d of m.dependencies) {
      out.push(`- ${code(d.file)}: ${d.name} ${code(d.from)} → ${code(d.to)}${d.applied ? "" : " (not written: dry run or --no-update-deps)"}${d.note ? `; then: ${d.note}` : ""}`);
    }
    out.push("");
  }
  if (result.verify?.breaking) {
    out.push("## Would break the build (`--verify`)");
    out.push("");
    out.push(`${result.verify.breaking} of ${result.verify.checked} type-checked files gain errors with their own tsconfig.json${result.verify.blocked ? "; nothing was written" : ""}:`);
    out.push("");
    for (const f of result.files) {
      if (!f.verify?.verified) continue;
      for (const e of f.verify.added) out.push(`- ${code(`${f.file}:${e.line}:${e.column}`)} ${e.message}`);
    }
    out.push("");
  }
  if (m.warnings.length) {
    out.push("## Warnings");
    out.push("");
    for (const n of m.warnings) out.push(`- ${n.message} (${n.places.map(code).join(", ")})`);
    out.push("");
  }
  if (m.failed.length) {
    out.push(`## Failed (${plural(m.failed.length, "file")}, left untouched)`);
    out.push("");
    for (const f of m.failed) out.push(`- ${code(`${f.file}:${f.line}:${f.column}`)}: ${f.message}${f.sourceLine ? ` — ${code(f.sourceLine.trim())}` : ""}`);
    out.push("");
  }
  if (m.skipped.length) {
    out.push(`## Skipped (${plural(m.skipped.length, "file")})`);
    out.push("");
    for (const f of m.skipped) out.push(`- ${code(f.file)}: ${f.reason}`);
    out.push("");
  }
  if (m.unguarded) {
    out.push("> Not a git work tree: nothing guards this change. Keep a copy to compare against.");
    out.push("");
  }

  if (m.files.length) {
    out.push("## Diffs");
    out.push("");
    for (const f of m.files) {
      out.push(`<details><summary><code>${f.file.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</code> (+${f.added} −${f.removed})</summary>`);
      out.push("");
      out.push(fenced(f.diff, "diff"));
      out.push("");
      out.push("</details>");
      out.push("");
    }
  }
  return out.join("\n").replace(/\n+$/, "") + "\n";
}

/**
 * Text from the user's files (a marker's words) as one Markdown line: HTML and Markdown syntax in it
 * shown as written (an unclosed `<details>` would swallow the rest of the report on GitHub), a new
 * line kept from ending the list item.
 */
function inline(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_{}[\]<>#|~]/g, (c) => `\\${c}`).replace(/&/g, "&amp;");
}
