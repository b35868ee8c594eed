/**
 * A file check skips (over 1 MiB, or minified) that holds a Cohere Generate call does not pass
 * silently: it is a `skipped-file` warning (which fails check) unless it is left out.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CheckJson } from "../../src/format/check-json";
import { removeTemp, runCli, tempDir, writeTree } from "./helpers";

const CALL = `const { CohereClient } = require("cohere-ai"); const co = new CohereClient({}); co.generate({ prompt: "hi" });`;

describe("skipped files", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("cm-skipped-");
    const line = "x".repeat(6000);
    writeTree(dir, {
      // Minified: one long line holding the call.
      "vendor/bundle.min.js": `${CALL}var a="${line}";\n`,
      // Minified without Cohere: skipped quietly, as before.
      "vendor/other.min.js": `function generate(){}var a="${line}";\n`,
    });
    // Over 1 MiB, the call near its end (past the first chunk read).
    fs.writeFileSync(path.join(dir, "vendor/huge.js"), `${"// filler line\n".repeat(80_000)}${CALL}\n`);
    fs.writeFileSync(path.join(dir, "vendor/huge-clean.js"), `${"// filler line\n".repeat(80_000)}module.exports = 1;\n`);
  });
  afterAll(() => removeTemp(dir));

  it("are warnings when they hold generate and cohere, and fail check", async () => {
    const r = await runCli(["check", "--format", "json", "."], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as CheckJson;
    expect(out.findings.map((f) => `${f.file} ${f.rule} ${f.severity}`)).toEqual(["vendor/bundle.min.js skipped-file warning", "vendor/huge.js skipped-file warning"]);
    expect(out.findings[0].message).toMatch(/not checked \(minified.*\), but it names Cohere and calls generate.*--ignore/);
    // The minified file without Cohere is not a candidate at all: nothing to skip or say.
    expect(out.skipped.map((s) => s.file).sort()).toEqual(["vendor/bundle.min.js", "vendor/huge-clean.js", "vendor/huge.js"]);
  });

  it("are not counted as checked: the stylish and GitHub summaries count the files read", async () => {
    const stylish = await runCli(["check", "."], { cwd: dir });
    // Four files, three skipped (the minified one without Cohere is read: it is no candidate).
    expect(stylish.stdout).toMatch(/in 1 file checked;/);
    const github = await runCli(["check", "--format", "github", "."], { cwd: dir });
    expect(github.stdout).toMatch(/\(1 file checked; 3 files skipped\)/);
  });

  it("pass once they are left out", async () => {
    const r = await runCli(["check", "--ignore", "vendor/bundle.min.js", "--ignore", "vendor/huge.js", "."], { cwd: dir });
    expect(r.code).toBe(0);
  });
});
