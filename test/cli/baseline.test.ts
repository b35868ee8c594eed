/**
 * `check --write-baseline` / `check --baseline`: a team turns check on in CI before everything is
 * migrated. The story of the issue, run on the built CLI for TypeScript and Python files: write a
 * baseline, add a new legacy call (exit 1, only it reported), insert lines above an old call
 * (still exit 0), migrate an old call (its entry reported as unused), in every output format.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CheckJson } from "../../src/format/check-json";
import { removeTemp, runCli, tempDir, writeTree } from "./helpers";

const TS = `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export const one = async () => (await co.generate({ prompt: "one" })).generations[0].text;
export const two = async () => (await co.generate({ prompt: "two" })).generations[0].text;
`;
const PY = `import cohere

co = cohere.Client("key")
print(co.generate(prompt="one").generations[0].text)
print(co.generate(prompt="one").generations[0].text)
`;

let dir: string;
beforeEach(() => {
  dir = tempDir("cm-baseline-");
  writeTree(dir, { "src/app.ts": TS, "svc/app.py": PY });
});
afterEach(() => removeTemp(dir));

async function checkJson(...args: string[]): Promise<{ code: number; out: CheckJson }> {
  const r = await runCli(["check", "--format", "json", ...args, "."], { cwd: dir });
  return { code: r.code, out: JSON.parse(r.stdout) as CheckJson };
}

const edit = (file: string, change: (text: string) => string): void => fs.writeFileSync(path.join(dir, file), change(fs.readFileSync(path.join(dir, file), "utf8")));

describe("a baseline", () => {
  it("is written with one entry per call (identical calls counted), and then check passes", async () => {
    const written = await runCli(["check", "--write-baseline", "ci/baseline.json", "."], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain("wrote 3 baseline entries (4 findings) to ci/baseline.json");
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, "ci/baseline.json"), "utf8")) as { version: number; entries: { file: string; rule: string; count: number }[] };
    expect(baseline.version).toBe(1);
    // Paths from the baseline's folder.
    expect(baseline.entries.map((e) => `${e.file} ${e.rule} ${e.count}`)).toEqual(["../src/app.ts generate 1", "../src/app.ts generate 1", "../svc/app.py generate 2"]);
    const { code, out } = await checkJson("--baseline", "ci/baseline.json");
    expect(code).toBe(0);
    expect(out.findings).toEqual([]);
    expect(out.baseline).toMatchObject({ matched: 4, unused: [] });
  });

  it("fails on a new call only, in TypeScript and Python", async () => {
    await runCli(["check", "--write-baseline", "baseline.json", "."], { cwd: dir });
    edit("src/app.ts", (t) => `${t}export const three = () => co.generate({ prompt: "three" });\n`);
    // One more call identical to the two baselined ones: the count catches it.
    edit("svc/app.py", (t) => `${t}print(co.generate(prompt="one").generations[0].text)\n`);
    const { code, out } = await checkJson("--baseline", "baseline.json");
    expect(code).toBe(1);
    expect(out.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(["src/app.ts:5 generate", "svc/app.py:6 generate"]);
  });

  it("still matches after lines are inserted above the calls and the code is re-indented", async () => {
    await runCli(["check", "--write-baseline", "baseline.json", "."], { cwd: dir });
    edit("src/app.ts", (t) => `// a header comment\n\n${t.replace('export const one = async () => (await co.generate({ prompt: "one" })).generations[0].text;', 'export const one = async () =>\n  (await co.generate({ prompt: "one" })).generations[0].text;')}`);
    edit("svc/app.py", (t) => `"""A docstring."""\n\n${t}`);
    const { code, out } = await checkJson("--baseline", "baseline.json");
    expect(out.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it("reports the entry of a migrated call as unused, and --write-baseline drops it", async () => {
    await runCli(["check", "--write-baseline", "baseline.json", "."], { cwd: dir });
    await runCli(["migrate", "--force", "svc"], { cwd: dir });
    const { code, out } = await checkJson("--baseline", "baseline.json");
    expect(code).toBe(0);
    expect(out.baseline?.unused.map((e) => `${e.file} ${e.rule} ${e.count}`)).toEqual(["svc/app.py generate 2"]);
    const stylish = await runCli(["check", "--baseline", "baseline.json", "."], { cwd: dir });
    expect(stylish.stdout).toMatch(/2 baseline entries of baseline\.json no longer match \(svc\/app\.py\).*--write-baseline baseline\.json/);
    await runCli(["check", "--write-baseline", "baseline.json", "."], { cwd: dir });
    expect((await checkJson("--baseline", "baseline.json")).out.baseline?.unused).toEqual([]);
  });

  it("checked on some of the paths, speaks only for those files: the others' entries are neither unused nor dropped", async () => {
    await runCli(["check", "--write-baseline", "ci/baseline.json", "."], { cwd: dir });
    const part = await runCli(["check", "--format", "json", "--baseline", "ci/baseline.json", "svc"], { cwd: dir });
    expect(part.code).toBe(0);
    expect((JSON.parse(part.stdout) as CheckJson).baseline?.unused).toEqual([]);
    await runCli(["check", "--write-baseline", "ci/baseline.json", "--ignore", "src", "."], { cwd: dir });
    const { code, out } = await checkJson("--baseline", "ci/baseline.json");
    expect(code).toBe(0);
    expect(out.baseline).toMatchObject({ matched: 4, unused: [] });
    // A file that is gone is spoken for by any run: its entries are unused.
    fs.rmSync(path.join(dir, "src/app.ts"));
    expect((await runCli(["check", "--format", "json", "--baseline", "ci/baseline.json", "svc"], { cwd: dir })).stdout).toContain('"../src/app.ts"');
  });

  it("works in the SARIF and GitHub formats", async () => {
    await runCli(["check", "--write-baseline", "baseline.json", "."], { cwd: dir });
    edit("svc/app.py", (t) => `${t}print(co.generate(prompt="new").generations[0].text)\n`);
    await runCli(["migrate", "--force", "src"], { cwd: dir });
    const sarif = await runCli(["check", "--format", "sarif", "--baseline", "baseline.json", "."], { cwd: dir });
    expect(sarif.code).toBe(1);
    const run = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; baselineState: string; partialFingerprints: Record<string, string> }[]; properties: { baseline: { matched: number; unused: unknown[] } } }[] }).runs[0];
    expect(run.results.map((r) => `${r.ruleId} ${r.baselineState}`)).toEqual(["generate new"]);
    expect(run.results[0].partialFingerprints["cohereMigrate/v1"]).toMatch(/^[0-9a-f]{16}$/);
    expect(run.properties.baseline).toMatchObject({ matched: 2, unused: [expect.objectContaining({ file: "src/app.ts" }), expect.objectContaining({ file: "src/app.ts" })] });
    const github = await runCli(["check", "--format", "github", "--baseline", "baseline.json", "."], { cwd: dir });
    expect(github.code).toBe(1);
    expect(github.stdout.split("\n").filter((l) => l.startsWith("::error"))).toEqual([expect.stringContaining("file=svc/app.py,line=6")]);
    expect(github.stdout).toMatch(/^::notice title=cohere-migrate check::1 problem left \(.*2 findings in the baseline baseline\.json\)$/m);
    expect(github.stdout).toMatch(/^::notice title=cohere-migrate baseline::2 baseline entries of baseline\.json no longer match \(src\/app\.ts\)/m);
  });

  it("that cannot be read is bad usage (exit 2)", async () => {
    const missing = await runCli(["check", "--baseline", "nope.json", "."], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the baseline nope\.json/);
    fs.writeFileSync(path.join(dir, "bad.json"), `{"version": 9}`);
    const bad = await runCli(["check", "--baseline", "bad.json", "."], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a cohere-migrate baseline/);
  });
});
