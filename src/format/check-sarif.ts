/**
 * `check --format sarif`: SARIF 2.1.0 for GitHub code scanning. One rule per finding kind (with
 * help text), one located result per finding.
 */
import { allRules } from "../rules";
import type { CheckResult } from "../types";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export function formatSarif(result: CheckResult): string {
  const rules = allRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const version = (require("../../package.json") as { version: string }).version;
  const sarif = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cohere-migrate",
            informationUri: "https://www.npmjs.com/package/cohere-migrate",
            version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")),
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: { text: r.help, markdown: r.help },
              defaultConfiguration: { level: r.severity === "error" ? "error" : "warning" },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule) ?? 0,
          level: f.severity === "error" ? "error" : "warning",
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: "%SRCROOT%" },
                region: {
                  startLine: f.span.start.line,
                  startColumn: f.span.start.column,
                  endLine: f.span.end.line,
                  endColumn: f.span.end.column,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
