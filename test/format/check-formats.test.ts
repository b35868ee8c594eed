/**
 * `check --format stylish|json|sarif|github` against the golden finding set (test/cli/golden.ts):
 * every format must carry exactly the expected findings, at the expected places. SARIF is also
 * validated against the SARIF 2.1.0 JSON schema and GitHub code scanning's own requirements.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { check } from "../../src/check";
import { formatCheckJson, type CheckJson } from "../../src/format/check-json";
import { formatGithub } from "../../src/format/check-github";
import { formatSarif } from "../../src/format/check-sarif";
import { formatStylish } from "../../src/format/check-stylish";
import type { CheckResult } from "../../src/types";
import { golden, sortFindings, type ExpectedFinding } from "../cli/golden";
import { git, gitRepo, removeTemp, tempDir, writeTree } from "../cli/helpers";

const G = golden();
let dir: string;
let result: CheckResult;

beforeAll(async () => {
  dir = tempDir("cm-formats-");
  writeTree(dir, G.files);
  result = await check({ cwd: dir, paths: ["."] });
});
afterAll(() => removeTemp(dir));

/** A finding reduced to what every format must carry. */
interface Flat {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
}

function flatExpected(list: readonly ExpectedFinding[], prefix = ""): Flat[] {
  return sortFindings(
    list.map((f) => ({
      file: prefix + f.file,
      line: f.span.start.line,
      column: f.span.start.column,
      endLine: f.span.end.line,
      endColumn: f.span.end.column,
      rule: f.rule,
      severity: f.severity,
    })),
  );
}

const errors = G.findings.filter((f) => f.severity === "error").length;
const warnings = G.findings.length - errors;

describe("the golden set through the library", () => {
  it("finds exactly the expected findings", () => {
    expect(sortFindings(result.findings.map((f) => ({ file: f.file, line: f.span.start.line, column: f.span.start.column, endLine: f.span.end.line, endColumn: f.span.end.column, rule: f.rule, severity: f.severity })))).toEqual(flatExpected(G.findings));
    expect(result.totals.suppressed).toBe(G.suppressed);
    expect(result.totals.files).toBe(G.checked);
  });
});

describe("--format json", () => {
  let out: CheckJson;
  beforeAll(() => {
    out = JSON.parse(formatCheckJson(result)) as CheckJson;
  });

  it("holds every finding with file, position, end, rule, severity, message and fixable", () => {
    expect(out.version).toBe(1);
    expect(sortFindings(out.findings.map(({ file, line, column, endLine, endColumn, rule, severity }) => ({ file, line, column, endLine, endColumn, rule, severity })))).toEqual(flatExpected(G.findings));
    for (const e of G.findings) {
      const f = out.findings.find((x) => x.file === e.file && x.line === e.span.start.line && x.column === e.span.start.column);
      expect(f?.fixable).toBe(e.fixable);
      expect(f?.message).toContain(e.mentions);
    }
  });

  it("has a summary that adds up", () => {
    expect(out.summary).toEqual({
      files: G.checked,
      findings: G.findings.length,
      errors,
      warnings,
      fixable: G.findings.filter((f) => f.fixable).length,
      suppressed: G.suppressed,
      skipped: 0,
      failed: 0,
    });
    expect(out.skipped).toEqual([]);
  });

  it("keeps exactly the documented keys", () => {
    expect(Object.keys(out).sort()).toEqual(["findings", "skipped", "summary", "version"]);
    for (const f of out.findings) expect(Object.keys(f).sort()).toEqual(["column", "endColumn", "endLine", "file", "fingerprint", "fixable", "line", "message", "rule", "severity"]);
  });
});

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  help: { text: string; markdown?: string };
  defaultConfiguration: { level: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine?: number; endColumn?: number } } }[];
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: SarifRule[] } }; columnKind: string; results: SarifResult[] }[];
}

function sarifValidator(): (data: unknown) => { valid: boolean; errors: string } {
  const schemaFile = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
  // The schema has a pattern (language tags) that is valid only without the regular-expression u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (data) => ({ valid: validate(data) === true, errors: ajv.errorsText(validate.errors) });
}

function flatSarif(log: SarifLog): Flat[] {
  return sortFindings(
    log.runs[0].results.map((r) => {
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      return {
        file: decodeURIComponent(artifactLocation.uri),
        line: region.startLine,
        column: region.startColumn,
        endLine: region.endLine ?? region.startLine,
        endColumn: region.endColumn ?? region.startColumn,
        rule: r.ruleId,
        severity: r.level,
      };
    }),
  );
}

describe("--format sarif", () => {
  const validate = sarifValidator();
  let log: SarifLog;
  beforeAll(() => {
    log = JSON.parse(formatSarif(result)) as SarifLog;
  });

  it("is valid SARIF 2.1.0 by the schema", () => {
    const verdict = validate(log);
    expect(verdict.errors).toBe("No errors");
    expect(verdict.valid).toBe(true);
    expect(log.version).toBe("2.1.0");
  });

  it("the validator does reject a log that breaks the schema", () => {
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { level: string }[] }[] };
    broken.runs[0].results[0].level = "fatal";
    expect(validate(broken).valid).toBe(false);
  });

  it("names the tool and this package's version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(log.runs[0].tool.driver).toEqual(expect.objectContaining({ name: "cohere-migrate", version: pkg.version }));
  });

  it("has one located result per finding, with columns in UTF-16 units", () => {
    expect(log.runs[0].columnKind).toBe("utf16CodeUnits");
    expect(flatSarif(log)).toEqual(flatExpected(G.findings));
    for (const r of log.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe("%SRCROOT%");
  });

  it("has one rule per finding kind, with help text, that each result points to", () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.help.text.length).toBeGreaterThan(20);
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
    for (const res of log.runs[0].results) {
      expect(rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.message.text.length).toBeGreaterThan(0);
    }
    for (const kind of new Set(G.findings.map((f) => f.rule))) expect(rules.map((r) => r.id)).toContain(kind);
  });

  it("gives two identical calls in a file different fingerprints (code scanning would merge them into one alert)", () => {
    const twin: CheckResult = { ...result, findings: [result.findings[0], { ...result.findings[0], span: { start: { line: 40, column: 1 }, end: { line: 40, column: 9 } } }] };
    const prints = (JSON.parse(formatSarif(twin)) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }).runs[0].results.map((r) => r.partialFingerprints["cohereMigrate/v1"]);
    expect(prints).toEqual([result.findings[0].fingerprint, `${result.findings[0].fingerprint}:2`]);
  });

  it("adds a rule for a marker code the table does not know, instead of pointing at another rule", () => {
    const odd: CheckResult = {
      ...result,
      findings: [{ ...result.findings[0], rule: "marker/from-a-newer-version", severity: "error", message: "x", fixable: false }],
    };
    const oddLog = JSON.parse(formatSarif(odd)) as SarifLog;
    const r = oddLog.runs[0].results[0];
    expect(oddLog.runs[0].tool.driver.rules[r.ruleIndex].id).toBe("marker/from-a-newer-version");
    expect(validate(oddLog).valid).toBe(true);
  });
});

/** `::error file=a,line=1,col=2,endLine=1,endColumn=9,title=t::message` → its parts. */
function parseAnnotation(line: string): { level: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const props = Object.fromEntries(m[2].split(",").map((kv) => kv.split("=", 2).map(decodeURIComponent) as [string, string]));
  return { level: m[1], props, message: decodeURIComponent(m[3]) };
}

describe("--format github", () => {
  let lines: string[];
  beforeAll(() => {
    lines = formatGithub(result).trimEnd().split("\n");
  });

  it("prints one annotation per finding, located", () => {
    const annotations = lines.filter((l) => l.startsWith("::error") || l.startsWith("::warning")).map(parseAnnotation);
    expect(
      sortFindings(
        annotations.map((a) => ({
          file: a.props.file,
          line: Number(a.props.line),
          column: Number(a.props.col),
          endLine: Number(a.props.endLine),
          endColumn: Number(a.props.endColumn),
          rule: a.props.title.replace(/^cohere-migrate /, ""),
          severity: a.level,
        })),
      ),
    ).toEqual(flatExpected(G.findings));
    for (const e of G.findings) {
      const a = annotations.find((x) => x.props.file === e.file && Number(x.props.line) === e.span.start.line);
      expect(a?.message).toContain(e.mentions);
    }
  });

  it("ends with one notice that gives the totals and the suppressed count", () => {
    expect(lines).toHaveLength(G.findings.length + 1);
    const notice = parseAnnotation(lines[lines.length - 1]);
    expect(notice.level).toBe("notice");
    expect(notice.message).toContain(`${G.findings.length} problems`);
    expect(notice.message).toContain(`${G.suppressed} suppressed`);
  });

  it("escapes what would end a property or the message", () => {
    const odd: CheckResult = { ...result, findings: [{ ...result.findings[0], file: "a,b:c.ts", message: "100% sure\nsecond line" }] };
    const [first] = formatGithub(odd).split("\n");
    expect(first).toContain("file=a%2Cb%3Ac.ts,");
    expect(first.endsWith("::100%25 sure%0Asecond line")).toBe(true);
  });
});

describe("--format stylish", () => {
  let text: string;
  beforeAll(() => {
    text = formatStylish(result);
  });

  it("groups findings under their file, each with line:col, severity and rule", () => {
    const blocks = text.split("\n\n");
    for (const file of new Set(G.findings.map((f) => f.file))) {
      const block = blocks.find((b) => b.startsWith(`${file}\n`));
      expect(block).toBeDefined();
      const rows = (block as string).split("\n").slice(1);
      const mine = G.findings.filter((f) => f.file === file);
      expect(rows).toHaveLength(mine.length);
      mine.forEach((f, i) => {
        expect(rows[i]).toMatch(new RegExp(`^\\s+${f.span.start.line}:${f.span.start.column}\\s+${f.severity}\\s`));
        expect(rows[i].trimEnd().endsWith(f.rule)).toBe(true);
        expect(rows[i]).toContain(f.mentions);
      });
    }
  });

  it("ends with a one-line total and the suppressed count", () => {
    expect(text).toContain(`✖ ${G.findings.length} problems (${errors} errors, ${warnings} warning${warnings === 1 ? "" : "s"})`);
    expect(text).toContain(`${G.checked} files checked`);
    expect(text).toContain(`${G.suppressed} suppressed by cohere-migrate-ignore comments`);
  });
});

describe("paths when check runs in a subfolder of a git repository", () => {
  let repo: string;
  let sub: CheckResult;
  beforeAll(async () => {
    repo = gitRepo({ "packages/app/src/client.ts": G.files["src/client.ts"], "package.json": "{}\n" });
    sub = await check({ cwd: path.join(repo, "packages", "app"), paths: ["."] });
  });
  afterAll(() => removeTemp(repo));

  it("SARIF and GitHub annotations name files from the repository top; JSON from the working directory", () => {
    expect(git(repo, "rev-parse", "--show-toplevel").trim()).toBe(repo);
    const log = JSON.parse(formatSarif(sub, { root: repo })) as SarifLog;
    const uris = log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(new Set(uris)).toEqual(new Set(["packages/app/src/client.ts"]));
    const annotation = parseAnnotation(formatGithub(sub, { root: repo }).split("\n")[0]);
    expect(annotation.props.file).toBe("packages/app/src/client.ts");
    const json = JSON.parse(formatCheckJson(sub)) as CheckJson;
    expect(new Set(json.findings.map((f) => f.file))).toEqual(new Set(["src/client.ts"]));
  });
});
