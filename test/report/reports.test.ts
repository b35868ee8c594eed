/**
 * `--report <file>` by extension: Markdown (PR-ready), JSON (the library's result) and HTML (one
 * self-contained page). Expectations come from the input repository: which files hold legacy
 * calls, which fail or are skipped, and where the migrated text holds markers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { migrate } from "../../src/migrate";
import { htmlReport } from "../../src/report/html";
import { markdownReport } from "../../src/report/markdown";
import type { MigrateResult } from "../../src/types";
import { git, gitRepo, removeTemp, runCli, tempDir, writeTree } from "../cli/helpers";
import { REPORTED_FILES } from "./repository";

const INPUT: Record<string, string> = {
  "package.json": JSON.stringify({ name: "app", dependencies: { "cohere-ai": "^7.0.0" } }, null, 2) + "\n",
  // Still locks the old release once package.json is raised: the reports say to refresh it.
  "package-lock.json": JSON.stringify({ name: "app", lockfileVersion: 3, packages: {} }, null, 2) + "\n",
  ...REPORTED_FILES,
  "src/binary.ts": "export const x = 1;\u0000\n",
  "src/untouched.ts": "export const answer = 42;\n",
  // A Python service beside the TypeScript: its file, its marker and its requirement are reported too.
  "worker/requirements.txt": "cohere==4.57\n",
  "worker/preset.py": `import cohere

co = cohere.Client("key")


def preset(q):
    return co.generate(prompt=q, preset="support-v2").generations[0].text
`,
};
const CHANGED = ["src/plain.ts", "src/preset.ts", "worker/preset.py"];
/** With the helper module the two migrated TypeScript files import chatText from. */
const WRITTEN = ["src/cohere-chat.ts", ...CHANGED];
/** And the manifests the run raises (a --dry report shows their edits after the files'). */
const DIFFED = [...WRITTEN, "package.json", "worker/requirements.txt"];

let repo: string;
let result: MigrateResult;

beforeAll(async () => {
  repo = gitRepo(INPUT);
  result = await migrate({ cwd: repo, paths: ["."], dry: true });
});
afterAll(() => removeTemp(repo));

/** Lines (1-based) of the migrated text that hold a marker comment, with the marker's code. */
function markersIn(file: string): { line: number; code: string }[] {
  const after = result.files.find((f) => f.file === file)?.after ?? "";
  return after.split("\n").flatMap((text, i) => {
    const m = /(?:\/\*|#)\s*cohere-migrate:\s*([a-z0-9-]+)/.exec(text);
    return m ? [{ line: i + 1, code: m[1] }] : [];
  });
}

describe("the input, as migrate sees it", () => {
  it("changes the two files with calls, fails the broken one, skips the binary one", () => {
    const status = Object.fromEntries(result.files.map((f) => [f.file, f.status]));
    expect(status).toEqual({ "src/binary.ts": "skipped", "src/broken.ts": "failed", "src/cohere-chat.ts": "changed", "src/plain.ts": "changed", "src/preset.ts": "changed", "src/untouched.ts": "unchanged", "worker/preset.py": "changed" });
    expect(markersIn("src/preset.ts").map((m) => m.code)).toContain("preset");
    expect(markersIn("worker/preset.py").map((m) => m.code)).toContain("preset");
  });
});

describe("Markdown report", () => {
  let md: string;
  beforeAll(() => {
    md = markdownReport(result, repo);
  });

  it("starts with the totals", () => {
    const rows: [string, number][] = [
      ["Calls migrated", 3],
      ["Files changed", WRITTEN.length],
      ["Files unchanged", 1],
      ["Files skipped", 1],
      ["Files failed", 1],
      // The markers left; the parse error is counted with the failed file.
      ["Left to finish by hand", CHANGED.flatMap(markersIn).length],
    ];
    for (const [label, value] of rows) expect(md).toContain(`| ${label} | ${value} |`);
    expect(md).toContain("_Dry run: nothing was written._");
  });

  it("lists each changed file and each marker to finish by hand, with file:line and what to do", () => {
    for (const f of CHANGED) expect(md).toMatch(new RegExp(`^\\| \`${f}\` \\| 1 \\|`, "m"));
    const preset = markersIn("src/preset.ts").find((m) => m.code === "preset");
    expect(md).toMatch(new RegExp(`^- \\[ \\] \`src/preset\\.ts:${preset?.line}:\\d+\` \\*\\*preset\\*\\* .*Chat has no presets`, "m"));
    expect(md).toMatch(/_Why:_ Generate could load a stored preset/);
    const py = markersIn("worker/preset.py").find((m) => m.code === "preset");
    expect(md).toMatch(new RegExp(`^- \\[ \\] \`worker/preset\\.py:${py?.line}:\\d+\` \\*\\*preset\\*\\* .*Chat has no presets`, "m"));
  });

  it("names the failed and skipped files with their reasons", () => {
    const broken = result.files.find((f) => f.file === "src/broken.ts");
    expect(md).toContain(`\`src/broken.ts:${broken?.error?.line}:${broken?.error?.column}\``);
    expect(md).toMatch(/`src\/binary\.ts`: binary file/);
  });

  it("shows the planned cohere-ai and cohere updates", () => {
    // CohereClient.v2 needs cohere-ai 7.12 or later (SPEC: output type-checks on 7.x from 7.15).
    expect(md).toMatch(/`package\.json`: cohere-ai `\^7\.0\.0` → `\^(7|8)\.\d+\.\d+` \(not written: dry run or --no-update-deps\); then: package-lock\.json still locks the old release: run npm install\n/);
    expect(htmlReport(result, repo)).toContain("(not written: dry run or --no-update-deps)</span>; then: package-lock.json still locks the old release: run npm install</li>");
    expect(md).toContain("`worker/requirements.txt`: cohere `==4.57` → `==7.3.1` (not written");
  });

  it("folds each file's diff, and the diffs apply with git apply", () => {
    const diffs = [...md.matchAll(/```diff\n([\s\S]*?)\n```/g)].map((m) => `${m[1]}\n`);
    expect(diffs.map((d) => /^diff --git a\/(\S+)/.exec(d)?.[1])).toEqual(DIFFED);
    const patch = path.join(tempDir("cm-md-patch-"), "p.patch");
    fs.writeFileSync(patch, diffs.join(""));
    git(repo, "apply", "--check", patch);
    removeTemp(path.dirname(patch));
  });
});

describe("HTML report", () => {
  let html: string;
  beforeAll(() => {
    html = htmlReport(result, repo);
  });

  it("is one self-contained page: inlined styles, no script, nothing fetched", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(".d2h-wrapper");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("shows the totals", () => {
    const shown = { ...result.totals, findings: CHANGED.flatMap(markersIn).length };
    for (const [key, value] of Object.entries(shown)) {
      if (key === "files" || key === "markers") continue;
      expect(html).toContain(`data-total="${key}"`);
      expect(html).toMatch(new RegExp(`data-total="${key}"><dt>[^<]*</dt><dd>${value}</dd>`));
    }
  });

  it("renders a diff per changed file with diff2html, marker lines highlighted", () => {
    for (const f of DIFFED) expect(html).toContain(`data-file="${f}"`);
    expect(html.match(/class="d2h-file-wrapper"/g)).toHaveLength(DIFFED.length);
    const markers = CHANGED.flatMap((f) => markersIn(f));
    expect(html.match(/<tr class="cm-marker-row"/g)).toHaveLength(markers.length);
    for (const m of markers) expect(html).toContain(`data-marker="${m.code}"`);
  });

  it("keeps every diff row whole: as many rows opened as closed, deleted lines included", () => {
    expect(html).toContain('class="d2h-del');
    expect((html.match(/<tr[\s>]/g) ?? []).length).toBe((html.match(/<\/tr>/g) ?? []).length);
  });

  it("lists what is left to finish, linking to the file's diff", () => {
    const preset = markersIn("src/preset.ts").find((m) => m.code === "preset");
    // Diffs are numbered in path order from 1: cohere-chat.ts, plain.ts, preset.ts.
    expect(html).toMatch(new RegExp(`<a href="#file-3"><code>src/preset\\.ts:${preset?.line}:\\d+</code></a>`));
  });

  it("escapes text from the code", () => {
    const odd: MigrateResult = JSON.parse(JSON.stringify(result)) as MigrateResult;
    const f = odd.files.find((x) => x.file === "src/plain.ts");
    if (!f?.after) throw new Error("plain.ts has no migrated text");
    f.after = f.after.replace("export async function", "// <script>alert(1)</script>\nexport async function");
    expect(htmlReport(odd, repo)).not.toContain("<script>alert(1)</script>");
  });
});

describe("--report on the CLI", () => {
  it.each([".md", ".json", ".html"])("writes the %s report, creating its folder", async (ext) => {
    const out = tempDir("cm-report-");
    try {
      const file = path.join(out, "nested", `report${ext}`);
      const r = await runCli(["migrate", "--dry", "--report", file, "."], { cwd: repo });
      expect(r.code).toBe(1);
      expect(fs.existsSync(file)).toBe(true);
      expect(git(repo, "status", "--porcelain")).toBe("");
    } finally {
      removeTemp(out);
    }
  });

  it("the JSON report is the result the library returns (and --json prints)", async () => {
    const out = tempDir("cm-report-");
    try {
      const file = path.join(out, "report.json");
      const r = await runCli(["migrate", "--dry", "--json", "--report", file, "."], { cwd: repo });
      expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(JSON.parse(r.stdout));
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(result)));
    } finally {
      removeTemp(out);
    }
  });
});

describe("Markdown report of markers written in the user's files", () => {
  it("shows their HTML and Markdown as text, on one line of the checklist", async () => {
    const hostile = tempDir("cm-md-hostile-");
    try {
      writeTree(hostile, { "m.ts": `export const x = 1;\n/* cohere-migrate: preset see <b>this</b> <details><summary>click\n## not a heading */\nexport const y = 2;\n` });
      const r = await migrate({ cwd: hostile, dry: true });
      const md = markdownReport(r, hostile);
      const line = md.split("\n").find((l) => l.includes("**preset**")) ?? "";
      expect(line).toContain("see \\<b\\>this\\</b\\> \\<details\\>\\<summary\\>click \\#\\# not a heading");
      expect(md).not.toMatch(/^## not a heading/m);
    } finally {
      removeTemp(hostile);
    }
  });
});
