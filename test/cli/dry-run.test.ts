/**
 * `migrate --dry`: writes nothing, prints a unified diff per changed file that `git apply` accepts
 * when saved with --no-color, and applying it gives exactly the files a real run writes (CRLF
 * line endings, a missing final newline, a BOM and a file name with a space included).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ANSI, BIN, cleanEnv, git, gitRepo, removeTemp, runCli, tempDir, writeTree } from "./helpers";

const LEGACY = `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: process.env.COHERE_API_KEY });

export async function ask(question: string): Promise<string> {
  const response = await co.generate({ prompt: question, maxTokens: 50 });
  return response.generations[0].text;
}
`;

const FILES: Record<string, string> = {
  "src/lf.ts": LEGACY,
  "src/crlf.ts": LEGACY.replace(/\n/g, "\r\n"),
  // The call is on the last line, which has no newline: the hunk must say so.
  "src/no-eol.js": `const { CohereClient } = require("cohere-ai");
const co = new CohereClient({});
module.exports = (p) => co.generate({ prompt: p }).then((r) => r.generations[0].text);`,
  // The hunk reaches line 1, which starts with the BOM.
  "src/bom.ts": `\uFEFF${LEGACY.split("\n").slice(0, 6).join("\n")}\n  return response.generations[0].text;\n}\n`,
  "src/with space.ts": LEGACY,
  "src/untouched.ts": "export const answer = 42;\n",
  // Raised by the run (client.v2 needs 7.12): the patch carries that edit too.
  "package.json": `{\n  "name": "app",\n  "dependencies": {\n    "cohere-ai": "^7.3.0"\n  }\n}\n`,
};

/** Files that change, by what SPEC says migrates; untouched.ts holds no Cohere call. */
const CHANGED = Object.keys(FILES).filter((f) => f !== "src/untouched.ts");
/** With the helper modules the migrated files import: CommonJS for no-eol.js, TypeScript for the rest. */
const DIFFED = [...CHANGED, "src/cohere-chat.cjs", "src/cohere-chat.ts"];

/** The given files' bytes; one that is not there reads as empty (a helper module before the run). */
function snapshot(dir: string, files: readonly string[] = Object.keys(FILES)): Map<string, Buffer> {
  return new Map(files.map((f) => [f, fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)) : Buffer.alloc(0)]));
}

function savePatch(text: string): string {
  const file = path.join(tempDir("cm-patch-"), "migration.patch");
  fs.writeFileSync(file, text);
  return file;
}

interface Hunk {
  file: string;
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The hunk's lines, as many as its header counts, each with its prefix. */
  body: string[];
}

/**
 * Hunks of a unified diff, read by the format's rules: a missing count means 1, and a hunk ends
 * when its counts are used up (so text after the last hunk, like the summary, is not read).
 */
function hunks(diff: string): Hunk[] {
  const out: Hunk[] = [];
  let file = "";
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split("\n")) {
    const inHunk = oldLeft > 0 || newLeft > 0;
    if (inHunk) {
      const body = out[out.length - 1].body;
      if (line.startsWith("\\")) continue;
      body.push(line);
      if (!line.startsWith("+")) oldLeft--;
      if (!line.startsWith("-")) newLeft--;
      continue;
    }
    const name = /^\+\+\+ b\/(.*?)\t?$/.exec(line);
    if (name) file = name[1];
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!m) continue;
    const h = { file, header: line, oldStart: Number(m[1]), oldLines: Number(m[2] ?? 1), newStart: Number(m[3]), newLines: Number(m[4] ?? 1), body: [] };
    out.push(h);
    oldLeft = h.oldLines;
    newLeft = h.newLines;
  }
  return out;
}

/** Lines of a text as a diff shows them: split after each \n, a CRLF line keeping its \r. */
function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

let repo: string;
let before: Map<string, Buffer>;
/** The files as a real (not dry) run writes them, in a clone of the repository. */
let written: Map<string, Buffer>;
let plain: string;

beforeAll(async () => {
  repo = gitRepo(FILES);
  before = snapshot(repo);
  const r = await runCli(["migrate", "--dry", "--no-color", "."], { cwd: repo });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  plain = r.stdout;
  const clone = tempDir("cm-written-");
  try {
    git(clone, "clone", "-q", repo, ".");
    git(clone, "config", "core.autocrlf", "false");
    const real = await runCli(["migrate", "."], { cwd: clone });
    expect(real.code).toBe(0);
    written = snapshot(clone, [...Object.keys(FILES), ...DIFFED]);
  } finally {
    removeTemp(clone);
  }
});
afterAll(() => removeTemp(repo));

describe("migrate --dry", () => {
  it("writes nothing", () => {
    expect(snapshot(repo)).toEqual(before);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("prints one diff per changed file, with git's header", () => {
    const headers = plain.split("\n").filter((l) => l.startsWith("diff --git"));
    // The migrated files by path, then the manifests the run raises.
    expect(headers).toEqual([...DIFFED.filter((f) => f !== "package.json").sort(), "package.json"].map((f) => `diff --git a/${f} b/${f}`));
    expect(plain).toContain("--- a/src/with space.ts\t\n+++ b/src/with space.ts\t\n");
  });

  it("has hunk headers that point at the lines they show, in the file before and after", () => {
    const list = hunks(plain);
    expect(new Set(list.map((h) => h.file))).toEqual(new Set(DIFFED));
    for (const h of list) {
      const oldSide = h.body.filter((l) => !l.startsWith("+")).map((l) => l.slice(1));
      const newSide = h.body.filter((l) => !l.startsWith("-")).map((l) => l.slice(1));
      const beforeLines = linesOf((before.get(h.file) ?? Buffer.alloc(0)).toString("utf8"));
      const afterLines = linesOf((written.get(h.file) as Buffer).toString("utf8"));
      expect({ at: `${h.file} ${h.header}`, lines: oldSide }).toEqual({ at: `${h.file} ${h.header}`, lines: beforeLines.slice(h.oldStart - 1, h.oldStart - 1 + h.oldLines) });
      expect({ at: `${h.file} ${h.header}`, lines: newSide }).toEqual({ at: `${h.file} ${h.header}`, lines: afterLines.slice(h.newStart - 1, h.newStart - 1 + h.newLines) });
    }
  });

  it("marks the missing final newline and keeps CRLF line endings", () => {
    const noEol = plain.slice(plain.indexOf("diff --git a/src/no-eol.js"));
    expect(noEol.split("\n").filter((l) => l === "\\ No newline at end of file")).toHaveLength(2);
    const crlf = plain.slice(plain.indexOf("diff --git a/src/crlf.ts"), plain.indexOf("diff --git a/src/lf.ts"));
    const body = hunks(crlf).flatMap((h) => h.body);
    expect(body.length).toBeGreaterThan(0);
    for (const line of body) expect(line.endsWith("\r")).toBe(true);
  });

  it("is accepted by git apply --check, and applying it gives what a real run writes", () => {
    const patch = savePatch(plain);
    const applied = tempDir("cm-applied-");
    try {
      git(repo, "apply", "--check", patch);
      git(applied, "clone", "-q", repo, ".");
      git(applied, "config", "core.autocrlf", "false");
      git(applied, "apply", patch);
      expect(snapshot(applied, [...Object.keys(FILES), ...DIFFED])).toEqual(written);
      expect(written.get("src/untouched.ts")).toEqual(before.get("src/untouched.ts"));
      for (const f of CHANGED) expect({ f, changed: !(written.get(f) as Buffer).equals(before.get(f) as Buffer) }).toEqual({ f, changed: true });
    } finally {
      removeTemp(applied);
      removeTemp(path.dirname(patch));
    }
  });

  it("run from a subfolder, names files from the repository top so git apply still takes it", async () => {
    const r = await runCli(["migrate", "--dry", "--no-color", "."], { cwd: path.join(repo, "src") });
    expect(r.stdout).toContain("diff --git a/src/lf.ts b/src/lf.ts");
    const patch = savePatch(r.stdout);
    try {
      git(repo, "apply", "--check", patch);
      git(path.join(repo, "src"), "apply", "--check", "-v", patch);
    } finally {
      removeTemp(path.dirname(patch));
    }
  });

  it("outside a git work tree, names files from the working directory", async () => {
    const loose = tempDir("cm-loose-");
    try {
      writeTree(loose, { "lf.ts": LEGACY });
      const r = await runCli(["migrate", "--dry", "--no-color"], { cwd: loose });
      expect(r.stdout).toContain("diff --git a/lf.ts b/lf.ts");
      const patch = savePatch(r.stdout);
      execFileSync("git", ["apply", "--check", patch], { cwd: loose });
      removeTemp(path.dirname(patch));
    } finally {
      removeTemp(loose);
    }
  });

  it("colours the diff when asked, and the colours are all that differ", async () => {
    const r = await runCli(["migrate", "--dry", "--color", "."], { cwd: repo });
    expect(r.stdout).toMatch(ANSI);
    expect(r.stdout.replace(new RegExp(ANSI.source, "g"), "")).toBe(plain);
  });
});

describe("a reader that stops early (`cohere-migrate migrate --dry | head`)", () => {
  /** Runs the CLI with its stdout pipe closed before anything is written: each write then fails with EPIPE. */
  function runClosed(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
  }

  it.each([
    ["migrate --dry", ["migrate", "--dry", "--no-color", "."], 0],
    ["check", ["check", "."], 1],
  ])("%s ends its output quietly, with its usual exit code", async (_name, args, code) => {
    const dir = tempDir();
    try {
      writeTree(dir, FILES);
      const r = await runClosed(args, dir);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: "" });
    } finally {
      removeTemp(dir);
    }
  });

  it("migrate still writes every file, as a run whose output is read", async () => {
    const read = tempDir();
    const closed = tempDir();
    try {
      writeTree(read, FILES);
      writeTree(closed, FILES);
      const expected = await runCli(["migrate", "--no-color", "."], { cwd: read });
      const r = await runClosed(["migrate", "--no-color", "."], closed);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: expected.code, stderr: "" });
      expect(snapshot(closed, DIFFED)).toEqual(snapshot(read, DIFFED));
      expect(snapshot(closed, DIFFED)).not.toEqual(new Map(DIFFED.map((f) => [f, Buffer.from(FILES[f] ?? "")])));
    } finally {
      removeTemp(read);
      removeTemp(closed);
    }
  });
});
