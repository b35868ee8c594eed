/**
 * The README's "CI lint" section documents every rule check can report and every format, so the
 * docs cannot fall behind a new finding kind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CHECK_FORMATS } from "../../src/cli";
import { allRules } from "../../src/rules";

function section(title: string): string {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`README has no "${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("README, CI lint", () => {
  const text = section("CI lint");

  it.each(allRules().filter((r) => !r.id.startsWith("marker/")).map((r) => r.id))("documents the rule %s", (id) => {
    expect(text).toContain(`\`${id}\``);
  });

  it("documents markers as marker/<code>", () => {
    expect(text).toContain("`marker/<code>`");
  });

  it.each([...CHECK_FORMATS])("documents --format %s", (format) => {
    expect(text).toContain(`--format ${format}`);
  });

  it("documents every exit code", () => {
    for (const code of ["`0`", "`1`", "`2`"]) expect(text).toContain(`| ${code} |`);
  });
});
