/**
 * The HTML report: one self-contained page (diff2html's stylesheet inlined, no script, a content
 * security policy that forbids every request) with the totals, what is left to finish by hand,
 * and each changed file's diff rendered by diff2html, marker comments highlighted.
 */
import * as fs from "node:fs";
import type { MigrateResult } from "../types";
import { reportModel, type ReportFile, type ReportItem, type ReportModel, type ReportNote } from "./model";
import { table } from "../tables";

const ENTITIES: Readonly<Record<string, string>> = table({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" });

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A message with its `code` spans shown as code, as in the Markdown report. */
function prose(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** Text of a rendered diff row: tags dropped, the entities diff2html writes decoded. */
function rowText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCharCode(Number(dec)))
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

// A marker comment in a diff row: /* ... */ in JavaScript and TypeScript, # ... in Python.
const MARKER_IN_ROW = /(?:\/\*|#)\s*cohere-migrate:\s*([a-z0-9-]+)/;

/**
 * Marks the diff rows that hold a marker comment. diff2html splits a changed line into word-level
 * <ins>/<del> pieces, so the row's text is matched rather than its HTML.
 */
function highlightMarkers(html: string): string {
  return html
    .split("<tr>")
    .map((row, i) => {
      if (i === 0) return row;
      // A deleted line is not where a marker is added: its row is kept as it was, `<tr>` included.
      if (row.includes('class="d2h-del')) return `<tr>${row}`;
      const end = row.indexOf("</tr>");
      const m = MARKER_IN_ROW.exec(rowText(end === -1 ? row : row.slice(0, end)));
      return m ? `<tr class="cm-marker-row" data-marker="${esc(m[1])}" title="cohere-migrate marker: ${esc(m[1])}">${row}` : `<tr>${row}`;
    })
    .join("");
}

function renderDiff(file: ReportFile): string {
  const { html } = require("diff2html") as typeof import("diff2html");
  return highlightMarkers(html(file.diff, { drawFileList: false, outputFormat: "line-by-line", matching: "none" }));
}

function stylesheet(): string {
  return fs.readFileSync(require.resolve("diff2html/bundles/css/diff2html.min.css"), "utf8");
}

const OWN_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.mode { color: #59636e; margin: 0 0 16px; }
.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0; }
.total { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 12px; }
.total dt { color: #59636e; font-size: 12px; }
.total dd { margin: 0; font-size: 22px; font-weight: 600; }
.total.attention dd { color: #9a6700; }
.total.bad dd { color: #d1242f; }
table.items { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d1d9e0; }
table.items th, table.items td { text-align: left; vertical-align: top; padding: 6px 10px; border-top: 1px solid #d1d9e0; }
table.items th { background: #f6f8fa; font-size: 12px; color: #59636e; }
.code-tag { display: inline-block; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 12px; padding: 0 8px; font-size: 12px; white-space: nowrap; }
.help { color: #59636e; font-size: 12px; }
ul.plain { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 12px 8px 32px; margin: 0; }
.file { margin: 16px 0; }
.file h3 { font-size: 14px; margin: 0 0 4px; }
.stat-add { color: #1a7f37; } .stat-del { color: #d1242f; }
.d2h-file-collapse { display: none; }
tr.cm-marker-row td { background: #fff8c5 !important; }
tr.cm-marker-row td.d2h-code-linenumber { box-shadow: inset 4px 0 0 #d4a72c; }
tr.cm-marker-row .d2h-code-line-ctn { font-weight: 600; white-space: pre-wrap; word-break: break-word; }
tr.cm-marker-row ins, tr.cm-marker-row del { background: transparent; text-decoration: none; }
.warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; }
`;

function totals(m: ReportModel): string {
  const tone = (key: string, value: number): string => {
    if (value === 0) return "";
    if (key === "failed") return " bad";
    if (key === "findings" || key === "skipped") return " attention";
    return "";
  };
  return `<dl class="totals">${m.totals
    .map((t) => `<div class="total${tone(t.key, t.value)}" data-total="${t.key}"><dt>${esc(t.label)}</dt><dd>${t.value}</dd></div>`)
    .join("")}</dl>`;
}

function leftTable(items: ReportItem[], anchors: Map<string, string>): string {
  if (items.length === 0) return `<p id="nothing-left">Nothing: every legacy call was migrated.</p>`;
  const rows = items.map((x) => {
    const where = `${x.file}:${x.line}:${x.column}`;
    const anchor = anchors.get(x.file);
    const place = anchor ? `<a href="#${anchor}"><code>${esc(where)}</code></a>` : `<code>${esc(where)}</code>`;
    return `<tr class="left-item" data-rule="${esc(x.rule)}"><td>${place}</td><td><span class="code-tag">${esc(x.marker ?? x.rule)}</span><div class="help">${prose(x.title)}</div></td><td>${prose(x.message)}${x.help ? `<div class="help">Why: ${prose(x.help)}</div>` : ""}${x.instead ? `<div class="help">What to do: ${prose(x.instead)} (<code>cohere-migrate --explain ${esc(x.marker ?? x.rule)}</code>)</div>` : ""}</td></tr>`;
  });
  return `<table class="items" id="left-table"><thead><tr><th>Where</th><th>Kind</th><th>What to do</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function notes(title: string, id: string, list: ReportNote[], extra: string[] = []): string {
  if (!list.length && !extra.length) return "";
  const items = [...list.map((n) => `<li>${esc(n.message)} <span class="help">(${n.places.map((p) => `<code>${esc(p)}</code>`).join(", ")})</span></li>`), ...extra];
  return `<section id="${id}"><h2>${esc(title)}</h2><ul class="plain">${items.join("")}</ul></section>`;
}

export function htmlReport(result: MigrateResult, root?: string): string {
  const m = reportModel(result, root);
  const anchors = new Map(m.files.map((f, i) => [f.file, `file-${i + 1}`]));
  const deps = m.dependencies.map(
    (d) => `<li><code>${esc(d.file)}</code>: ${esc(d.name)} <code>${esc(d.from)}</code> → <code>${esc(d.to)}</code>${d.applied ? "" : ' <span class="help">(not written: dry run or --no-update-deps)</span>'}${d.note ? `; then: ${esc(d.note)}` : ""}</li>`,
  );
  const failed = m.failed.map((f) => `<li><code>${esc(`${f.file}:${f.line}:${f.column}`)}</code>: ${esc(f.message)}${f.sourceLine ? ` <code>${esc(f.sourceLine.trim())}</code>` : ""}</li>`);
  const skipped = m.skipped.map((f) => `<li><code>${esc(f.file)}</code>: ${esc(f.reason)}</li>`);
  const files = m.files.map(
    (f) =>
      `<section class="file" id="${anchors.get(f.file)}" data-file="${esc(f.file)}"><h3><code>${esc(f.file)}</code> <span class="stat-add">+${f.added}</span> <span class="stat-del">−${f.removed}</span> · ${f.migrated} migrated${
        f.left ? ` · ${f.left} left to finish` : ""
      }</h3>${renderDiff(f)}</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>cohere-migrate report</title>
<style>${stylesheet()}</style>
<style>${OWN_CSS}</style>
</head>
<body>
<main>
<h1>cohere-migrate report</h1>
<p class="mode" id="mode">${m.dryRun ? "Dry run: nothing was written." : "Changes written to disk."} Model for calls that named none: <code>${esc(m.model)}</code>.</p>
${m.unguarded ? '<p class="warning">Not a git work tree: nothing guards this change. Keep a copy to compare against.</p>' : ""}
<section id="totals"><h2>Totals</h2>${totals(m)}</section>
<section id="left"><h2>Left to finish by hand (${m.left.length})</h2>${leftTable(m.left, anchors)}</section>
${notes("Chosen for you", "chosen", m.chosen, deps)}
${notes("Warnings", "warnings", m.warnings)}
${failed.length ? `<section id="failed"><h2>Failed (left untouched)</h2><ul class="plain">${failed.join("")}</ul></section>` : ""}
${skipped.length ? `<section id="skipped"><h2>Skipped</h2><ul class="plain">${skipped.join("")}</ul></section>` : ""}
<section id="files"><h2>Changed files (${m.files.length})</h2>${files.join("\n") || "<p>No file changed.</p>"}</section>
</main>
</body>
</html>
`;
}
