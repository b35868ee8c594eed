/**
 * Colours follow --color / --no-color, then NO_COLOR, then FORCE_COLOR, then whether stdout is a
 * terminal; machine formats (json, sarif, github, --json, reports) never hold colour codes, even
 * when colours are forced.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { golden } from "./golden";
import { ANSI, removeTemp, runCli, tempDir, writeTree } from "./helpers";

let dir: string;
beforeAll(() => {
  dir = tempDir("cm-colour-");
  writeTree(dir, golden().files);
});
afterAll(() => removeTemp(dir));

describe("human output", () => {
  it.each([
    ["--color", ["--color"], {}, true],
    ["--no-color", ["--no-color"], {}, false],
    ["NO_COLOR=1", [], { NO_COLOR: "1" }, false],
    ["FORCE_COLOR=1", [], { FORCE_COLOR: "1" }, true],
    ["--color over NO_COLOR", ["--color"], { NO_COLOR: "1" }, true],
    ["--no-color over FORCE_COLOR", ["--no-color"], { FORCE_COLOR: "1" }, false],
    ["a pipe (no terminal), no flag", [], {}, false],
    ["NO_COLOR empty is not set", [], { NO_COLOR: "" }, false],
  ] as const)("check stylish with %s", async (_, flags, env, coloured) => {
    const r = await runCli(["check", ...flags, "."], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(ANSI.test(r.stdout)).toBe(coloured);
  });

  it("migrate --dry colours its diff and summary on --color only", async () => {
    const on = await runCli(["migrate", "--dry", "--color", "."], { cwd: dir });
    const off = await runCli(["migrate", "--dry", "--no-color", "."], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(ANSI.test(on.stdout)).toBe(true);
    expect(ANSI.test(off.stdout)).toBe(false);
  });
});

describe("machine output never holds colour codes", () => {
  const FORCED = { FORCE_COLOR: "3" };

  it.each(["json", "sarif", "github"])("check --format %s --color", async (format) => {
    const r = await runCli(["check", "--format", format, "--color", "."], { cwd: dir, env: FORCED });
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(ANSI.test(r.stdout)).toBe(false);
    if (format !== "github") expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });

  it("migrate --dry --json --color", async () => {
    const r = await runCli(["migrate", "--dry", "--json", "--color", "."], { cwd: dir, env: FORCED });
    expect(ANSI.test(r.stdout)).toBe(false);
    expect((JSON.parse(r.stdout) as { command: string }).command).toBe("migrate");
  });

  it.each([".md", ".json", ".html"])("the %s report, written with --color", async (ext) => {
    const out = tempDir("cm-colour-report-");
    try {
      const report = path.join(out, `report${ext}`);
      const r = await runCli(["migrate", "--dry", "--color", "--report", report, "."], { cwd: dir, env: FORCED });
      expect(r.code).toBe(0);
      expect(ANSI.test(r.stdout)).toBe(true);
      const text = fs.readFileSync(report, "utf8");
      expect(text.length).toBeGreaterThan(100);
      expect(text).not.toContain("\u001b");
    } finally {
      removeTemp(out);
    }
  });
});
