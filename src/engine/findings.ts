/** Detection results as findings: the common currency of check formats and reports. */
import type * as Crypto from "node:crypto";
import { LineMap } from "../markers";
import { markerRule, PARSE_RULE, siteRule, SKIPPED_RULE } from "../rules";
import type { FileDetection } from "../detect/detect-file";
import type { CallSite, Finding, ParseFailure, Span } from "../types";

function chatCallee(site: CallSite): string {
  const receiver = site.receiver ?? site.callee.replace(/(\?\.|\.)?\[?["']?generate(Stream|_stream)?["']?\]?$/, "");
  const python = site.language === "python";
  const method = site.kind === "generate-stream" ? (python ? "chat_stream" : "chatStream") : "chat";
  return site.client === "v1" ? `${receiver}.v2.${method}` : `${receiver}.${method}`;
}

/** A generate-type site migrate renames (detection says which: src/detect/legacy-types.ts RENAMED_TYPE_PATHS). */
function renamedByMigrate(site: CallSite): boolean {
  return site.typeRenamed !== false;
}

function siteMessage(site: CallSite): string {
  if (site.certainty === "possible") {
    const ignore = site.language === "python" ? "# cohere-migrate-ignore" : "// cohere-migrate-ignore";
    if (site.kind === "rest-generate") return `possible request to the legacy Generate endpoint \`${site.callee}(...)\`: its URL is on the Cohere API with the endpoint out of sight (it may be generate); check it, or add ${ignore} above it`;
    return `possible legacy Cohere call \`${site.callee}(...)\`: the receiver could not be identified as a Cohere client; check it, or add ${ignore} above it`;
  }
  switch (site.kind) {
    case "generate":
    case "generate-stream":
      return site.requestVisible === false
        ? `legacy Cohere ${site.kind === "generate" ? "Generate" : "Generate stream"} call \`${site.callee}(...)\`: its request is built where migrate cannot rewrite it; convert it by hand to \`${chatCallee(site)}(${site.language === "python" ? "model=..., messages=[...]" : "{ model, messages }"})\``
        : `legacy Cohere ${site.kind === "generate" ? "Generate" : "Generate stream"} call \`${site.callee}(...)\`: migrate rewrites it to \`${chatCallee(site)}(...)\``;
    case "v6-generate":
      return `cohere-ai v6 call \`${site.callee}(...)\`: migrate rewrites it to a CohereClientV2 \`chat\` call on cohere-ai 8`;
    case "v6-module":
      if (!site.callee.includes(".")) return `the cohere-ai v6 module \`${site.callee}\` is passed on here: what receives it calls the v6 API, which cohere-ai 8 does not have; pass a CohereClientV2 and migrate those calls`;
      return /\.init$/.test(site.callee)
        ? `cohere-ai v6 call \`${site.callee}(...)\`: cohere-ai 8 has no init; migrate passes the key to the clients this file creates (token), or sets CO_API_KEY where it creates none`
        : `cohere-ai v6 call \`${site.callee}(...)\`: cohere-ai 8 has no module API; call it on a CohereClientV2 instead`;
    case "rest-generate":
      return site.requestVisible === false
        ? "request to the legacy Generate endpoint: migrate cannot rewrite it (its URL or JSON body is built out of sight, or it streams); send a Chat v2 request to https://api.cohere.com/v2/chat by hand"
        : "request to the legacy Generate endpoint: migrate rewrites it to POST https://api.cohere.com/v2/chat";
    case "indirect-generate":
      return `reference to a Generate method \`${site.callee}\`: call chat instead`;
    case "generate-type":
      return renamedByMigrate(site)
        ? `Generate API type \`${site.callee}\`: migrate renames it to its Chat v2 counterpart`
        : `Generate API type \`${site.callee}\`: migrate marks it (a stream event or a shape Chat has not got has no counterpart; a request type is renamed only where the request it types is already a Chat request); change it and the code that uses it by hand`;
    case "generate-url":
      return `legacy Generate endpoint URL ${site.callee}: the request sent to it must become a Chat v2 request to https://api.cohere.com/v2/chat; convert it by hand`;
  }
}

/**
 * The code of a marker migrate left on the site: a marker on the line above the site, or before it on
 * its own line. Such a site is one migrate looked at and
 * could not finish, so a second run would not fix it either: it is not fixable.
 */
function markerOn(site: CallSite, markers: ReadonlyArray<{ code: string; span: Span; end: number; covers?: number }>): string | undefined {
  const { line, column } = site.span.start;
  // Anywhere inside the node the marker stands above.
  const above = markers.find((m) => m.covers !== undefined && site.start >= m.end && site.start < m.covers);
  if (above) return above.code;
  const inline = markers.find((m) => m.span.end.line === line && m.span.end.column <= column);
  if (inline) return inline.code;
  return markers.find((m) => m.span.start.line <= line - 1 && m.span.end.line >= line - 1)?.code;
}

export function findingsOf(file: string, text: string, detection: FileDetection): Finding[] {
  const lines = new LineMap(text);
  const out: Finding[] = [];
  const markers = detection.markers.map((m) => ({ ...m, span: m.span ?? lines.span(m.start, m.end) }));
  for (const site of detection.sites) {
    const rule = siteRule(site);
    const marked = site.certainty === "certain" ? markerOn(site, markers) : undefined;
    // A v6 call on the module object another module of the repo exports (`import co from "./lib/co"`):
    // migrate marks it (v6-api) rather than rewriting it there.
    // Likewise a v6 call on the module reached through a call or an object (`getCohere().generate`,
    // `svc.co.generate`): the v6 transform rewrites calls on a name bound to the module only.
    const v6Elsewhere = site.kind === "v6-generate" && (!detection.importsCohere || !/^[\w$]+\s*\??\.\s*generate(Stream)?$/.test(site.callee));
    // `client.generate.call(client, {...})` / `.apply(...)`: migrate marks it (indirect-call).
    const calledThrough = site.kind === "indirect-generate" && /^\s*\.\s*(call|apply)\s*\(/.test(text.slice(site.end, site.end + 16));
    const fixable = !marked && !v6Elsewhere && !calledThrough && site.certainty === "certain" && site.requestVisible !== false && site.kind !== "generate-url" && (site.kind !== "v6-module" || /\.init$/.test(site.callee)) && (site.kind !== "generate-type" || renamedByMigrate(site));
    const base = siteMessage(site).replace(/: migrate (rewrites|renames|marks) .*$/, "");
    const message = marked
      ? `${base}: migrate marked it (${marked}); finish it by hand as the marker says`
      : v6Elsewhere && site.certainty === "certain"
        ? `${base}: migrate cannot rewrite a v6 call on the module reached through a call or an object, and marks it (v6-api) for you to finish`
        : calledThrough
          ? `${base}: migrate cannot rewrite a call through .call or .apply, and marks it (indirect-call): call the client's chat method directly`
          : siteMessage(site);
    out.push({ file, span: site.span, rule: rule.id, severity: rule.severity, message, fixable });
  }
  for (const m of markers) {
    const rule = markerRule(m.code);
    out.push({ file, span: m.span, rule: rule.id, severity: rule.severity, message: `unfinished migration (${m.code}): ${m.message}`, fixable: false });
  }
  for (const f of out) f.fingerprint = fingerprint(f.rule, text.slice(lines.offset(f.span.start), lines.offset(f.span.end)));
  return out.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.column - b.span.start.column);
}

/** The rule and the text, whitespace runs collapsed (re-indenting a block keeps the fingerprint). */
export function fingerprint(rule: string, text: string): string {
  // Loaded here: a run with no findings (most CI runs) never needs it (a few ms of start-up).
  const { createHash } = require("node:crypto") as typeof Crypto;
  return createHash("sha256").update(`${rule}\0${text.replace(/\s+/g, " ").trim()}`).digest("hex").slice(0, 16);
}

export function skippedFinding(file: string, reason: string): Finding {
  const at = { line: 1, column: 1 };
  const message = reason.startsWith("cannot read folder")
    ? `not checked (${reason}): its files may hold legacy Cohere calls; make it readable, or leave it out with --ignore`
    : `not checked (${reason}), but it names Cohere and calls generate: it may hide a legacy Cohere call; check it by hand, or leave it out with --ignore`;
  return { file, span: { start: at, end: at }, rule: SKIPPED_RULE.id, severity: SKIPPED_RULE.severity, message, fixable: false, fingerprint: fingerprint(SKIPPED_RULE.id, file) };
}

export function parseFinding(file: string, error: ParseFailure): Finding {
  const at = { line: error.line, column: error.column };
  const message = error.kind === "io" ? error.message : `cannot parse: ${error.message}`;
  return { file, span: { start: at, end: at }, rule: PARSE_RULE.id, severity: "error", message, fixable: false, fingerprint: fingerprint(PARSE_RULE.id, message) };
}
