/**
 * `--explain <code>`: every code check or migrate can report has an explanation with a before/after
 * example whose code parses; the CLI prints it; SARIF's rule help is the same text.
 */
import { explain, explainedCodes, explainMarkdown, explainText } from "../../src/explain";
import { sarifLog } from "../../src/format/check-sarif";
import { MARKERS } from "../../src/markers";
import { PARSE_RULE, POSSIBLE_RULE, SKIPPED_RULE } from "../../src/rules";
import type { CheckResult, SiteKind } from "../../src/types";
import { syntaxErrors } from "../support/typecheck";
import { runCli, ROOT } from "./helpers";

const SITE_KINDS: SiteKind[] = ["generate", "generate-stream", "v6-generate", "v6-module", "rest-generate", "indirect-generate", "generate-type", "generate-url"];
const ALL = [...SITE_KINDS, POSSIBLE_RULE.id, SKIPPED_RULE.id, PARSE_RULE.id, ...Object.keys(MARKERS).map((c) => `marker/${c}`)];

test("every rule and marker code has an explanation, and nothing else is listed", () => {
  expect([...explainedCodes()].sort()).toEqual([...ALL].sort());
});

describe.each(ALL)("%s", (code) => {
  const e = explain(code);

  it("says what it is, what to do, and shows it", () => {
    expect(e).toBeDefined();
    for (const part of [e?.title, e?.means, e?.instead, e?.before, e?.after]) expect(part?.length).toBeGreaterThan(5);
    expect(e?.before).not.toBe(e?.after);
    if (code.startsWith("marker/")) expect(e?.why).toBeDefined();
  });

  it("has example code that parses", () => {
    if (code === PARSE_RULE.id) return expect(syntaxErrors("after.ts", `async function f() {\n${e?.after}\n}\n`)).toEqual([]);
    for (const [side, text] of [["before", e?.before], ["after", e?.after]] as const) {
      expect({ side, errors: syntaxErrors(`${side}.ts`, `async function f() {\n${text}\n}\n`) }).toEqual({ side, errors: [] });
    }
  });
});

test("a marker code is accepted with or without marker/", () => {
  expect(explain("preset")).toEqual(explain("marker/preset"));
  expect(explain("toString")).toBeUndefined();
  expect(explain("marker/constructor")).toBeUndefined();
});

test("SARIF's rule help is the explanation", () => {
  const result: CheckResult = {
    command: "check",
    cwd: ROOT,
    files: [],
    findings: [{ file: "a.ts", span: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }, rule: "marker/preset", severity: "error", message: "m", fixable: false }],
    totals: { files: 1, changed: 0, unchanged: 1, skipped: 0, failed: 0, migrated: 0, markers: 1, findings: 1, suppressed: 0 },
  };
  const log = sarifLog(result) as { runs: { tool: { driver: { rules: { id: string; help: { text: string; markdown: string } }[] } } }[] };
  const rule = log.runs[0].tool.driver.rules.find((r) => r.id === "marker/preset");
  if (!rule) throw new Error("no marker/preset rule");
  const e = explain("marker/preset");
  if (!e) throw new Error("no explanation");
  expect(rule.help).toEqual({ text: explainText(e), markdown: explainMarkdown(e) });
});

describe("on the CLI", () => {
  it("prints the explanation and exits 0", async () => {
    const r = await runCli(["--explain", "marker/stream-full-text"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(explainText(explain("stream-full-text") as NonNullable<ReturnType<typeof explain>>));
    expect(r.stdout).toMatch(/Before:[\s\S]*After:/);
    expect((await runCli(["--explain=generate"], { cwd: ROOT })).stdout).toMatch(/^generate: Legacy Generate call/);
  });

  it("says which codes exist for an unknown one (exit 2)", async () => {
    const r = await runCli(["--explain", "nope"], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/no such code: nope[\s\S]*marker\/preset/);
  });
});
