/**
 * The dry-run diff against git's own: for simple edits, `unifiedDiff` must print what `git diff`
 * prints (less git's `index` line), headers, quoting of unusual names, hunk headers, CRLF lines and
 * missing final newlines included.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { colourDiff, unifiedDiff } from "../../src/format/diff";
import type { Painter } from "../../src/format/paint";
import type { FileResult } from "../../src/types";
import { git, gitRepo, removeTemp } from "../cli/helpers";

interface Edit {
  name: string;
  before: string;
  after: string;
}

const TEN = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);

const EDITS: Edit[] = [
  { name: "src/plain.ts", before: `${TEN.join("\n")}\n`, after: `${TEN.map((l, i) => (i === 4 ? "LINE 5" : l)).join("\n")}\n` },
  { name: "src/two-hunks.ts", before: `${[...TEN, ...TEN].join("\n")}\n`, after: `${[...TEN, ...TEN].map((l, i) => (i === 1 || i === 17 ? `${l}!` : l)).join("\n")}\n` },
  { name: "src/crlf.ts", before: `${TEN.join("\r\n")}\r\n`, after: `${TEN.map((l, i) => (i === 2 ? "changed" : l)).join("\r\n")}\r\n` },
  { name: "src/no-eol.js", before: "a\nb\nc", after: "a\nb\nC" },
  { name: "src/gains-eol.js", before: "a\nb", after: "a\nb\n" },
  { name: "src/added-lines.ts", before: "one\ntwo\n", after: "one\nnew\ntwo\nthree\n" },
  { name: "src/one-to-three.ts", before: `${TEN.slice(0, 1).join("\n")}\n`, after: "line 1\nline 1b\nline 1c\n" },
  { name: "src/eleven.ts", before: `${[...TEN, "line 11"].join("\n")}\n`, after: `${[...TEN, "line 11"].map((l) => `${l}.`).join("\n")}\n` },
  { name: "src/with space.ts", before: "x\n", after: "y\n" },
  { name: "src/naïve é.ts", before: "x\n", after: "y\n" },
  { name: 'src/say "hi".ts', before: "x\n", after: "y\n" },
];

let repo: string;
let gitDiff: Map<string, string>;

beforeAll(() => {
  repo = gitRepo(Object.fromEntries(EDITS.map((e) => [e.name, e.before])));
  for (const e of EDITS) fs.writeFileSync(path.join(repo, e.name), e.after);
  gitDiff = new Map(
    EDITS.map((e) => [
      e.name,
      git(repo, "-c", "core.quotePath=true", "diff", "--no-color", "--no-ext-diff", "--", e.name)
        .split("\n")
        .filter((l) => !l.startsWith("index "))
        // git adds the enclosing function's line after a hunk header, a hint git apply ignores.
        .map((l) => l.replace(/^(@@ [^@]+ @@) .*$/, "$1"))
        .join("\n"),
    ]),
  );
});
afterAll(() => removeTemp(repo));

function changed(e: Edit): FileResult {
  return { file: e.name, status: "changed", migrated: 1, markersAdded: [], notes: [], findings: [], before: e.before, after: e.after };
}

describe("unifiedDiff", () => {
  it.each(EDITS.map((e) => [e.name, e] as const))("%s: prints what git diff prints", (_, e) => {
    expect(unifiedDiff(changed(e))).toBe(gitDiff.get(e.name));
  });

  it("prints nothing for a file whose text did not change", () => {
    expect(unifiedDiff({ ...changed(EDITS[0]), after: EDITS[0].before })).toBe("");
  });

  it("names files from the repository top when run in a subfolder", () => {
    const sub = unifiedDiff({ ...changed(EDITS[0]), file: "plain.ts" }, { cwd: path.join(repo, "src"), root: repo });
    expect(sub).toBe(gitDiff.get("src/plain.ts"));
  });
});

describe("colourDiff", () => {
  const tag = (name: string) => (text: string) => `<${name}>${text}</${name}>`;
  const paint: Painter = { red: tag("red"), green: tag("green"), yellow: tag("yellow"), cyan: tag("cyan"), magenta: tag("magenta"), gray: tag("gray"), bold: tag("bold"), dim: tag("dim"), underline: tag("underline") };

  it("colours by line kind, a removed line that starts with -- included", () => {
    const diff = unifiedDiff(changed({ name: "a.sql", before: "-- comment\nselect 1;\n", after: "++ other\nselect 1;\n" }));
    expect(colourDiff(diff, paint).split("\n")).toEqual([
      "<bold>diff --git a/a.sql b/a.sql</bold>",
      "<bold>--- a/a.sql</bold>",
      "<bold>+++ b/a.sql</bold>",
      "<cyan>@@ -1,2 +1,2 @@</cyan>",
      "<red>--- comment</red>",
      "<green>+++ other</green>",
      " select 1;",
      "",
    ]);
  });

  it("keeps a CRLF line's carriage return last, outside the colour", () => {
    const diff = unifiedDiff(changed(EDITS[2]));
    const removed = colourDiff(diff, paint)
      .split("\n")
      .find((l) => l.startsWith("<red>"));
    expect(removed).toBe("<red>-line 3</red>\r");
  });
});
