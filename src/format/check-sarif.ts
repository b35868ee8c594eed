/**
 * `check --format sarif`: SARIF 2.1.0 for GitHub code scanning. One rule per finding kind (with
 * help text), one located result per finding. Result paths are relative to the repository top
 * (`%SRCROOT%`), which is how code scanning matches them to files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { allRules, markerRule, type Rule } from "../rules";
import type { CheckResult, Finding } from "../types";
import { fromRoot } from "./paths";
import { explain, explainMarkdown, explainText } from "../explain";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
  /** The git work tree top; without it paths are relative to the working directory. */
  root?: string;
}

/** This package's version: its package.json is two folders up from src/format/, three from dist/src/format/. */
function toolVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "cohere-migrate" && pkg.version) return pkg.version;
  }
  return "0.0.0";
}

/** "Legacy Generate call" → "LegacyGenerateCall": SARIF rule names are identifiers. */
function ruleName(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^./, (c) => c.toUpperCase());
}

/** Every known rule, plus a rule for any marker code found in the code but not in the table. */
function rulesFor(findings: readonly Finding[]): Rule[] {
  const rules = allRules();
  const known = new Set(rules.map((r) => r.id));
  for (const f of findings) {
    if (known.has(f.rule) || !f.rule.startsWith("marker/")) continue;
    rules.push(markerRule(f.rule.slice("marker/".length)));
    known.add(f.rule);
  }
  return rules;
}

/** A location relative to %SRCROOT%, or an absolute file URI for a file outside it. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

function region(f: Finding): Record<string, number> {
  const { start, end } = f.span;
  // A point (a parse error) has no end: SARIF reads an equal start and end as an empty region.
  if (start.line === end.line && start.column === end.column) return { startLine: start.line, startColumn: start.column };
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

export function sarifLog(result: CheckResult, options: SarifOptions = {}): Record<string, unknown> {
  const rules = rulesFor(result.findings);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const base = options.root ?? result.cwd;
  // Code scanning takes two results with one fingerprint for one alert: the second of two
  // identical calls in a file would be dropped. Each repeat is numbered (`hash:2`, `hash:3`), so the
  // numbers hold while the code above moves; the first keeps the bare hash, so the alerts of
  // earlier versions' uploads still match.
  const seen = new Map<string, number>();
  const fingerprints = result.findings.map((f) => {
    if (!f.fingerprint) return undefined;
    const key = `${f.file}\u0000${f.rule}\u0000${f.fingerprint}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? f.fingerprint : `${f.fingerprint}:${n}`;
  });
  return {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cohere-migrate",
            informationUri: "https://www.npmjs.com/package/cohere-migrate",
            version: toolVersion(),
            rules: rules.map((r) => {
              // The help is --explain's text: what it means, why, what to write, before and after.
              const e = explain(r.id);
              return {
              id: r.id,
              name: ruleName(r.title),
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: e ? { text: explainText(e), markdown: explainMarkdown(e) } : { text: r.help, markdown: r.help },
              defaultConfiguration: { level: r.severity },
              };
            }),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(base + path.sep).href } },
        invocations: [{ executionSuccessful: true }],
        columnKind: "utf16CodeUnits",
        results: result.findings.map((f, i) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: f.severity,
          message: { text: f.message },
          ...(fingerprints[i] ? { partialFingerprints: { "cohereMigrate/v1": fingerprints[i] } } : {}),
          // Under a baseline every result left is one the baseline does not hold.
          ...(result.baseline ? { baselineState: "new" } : {}),
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(fromRoot(f.file, result.cwd, options.root)),
                region: region(f),
              },
            },
          ],
        })),
        properties: {
          suppressed: result.totals.suppressed,
          filesChecked: result.totals.files,
          filesSkipped: result.totals.skipped,
          ...(result.baseline ? { baseline: { file: result.baseline.file, matched: result.baseline.matched, unused: result.baseline.unused } } : {}),
        },
      },
    ],
  };
}

export function formatSarif(result: CheckResult, options: SarifOptions = {}): string {
  return JSON.stringify(sarifLog(result, options), null, 2) + "\n";
}
