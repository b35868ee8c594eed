/**
 * Safety on a real work tree: migrate refuses a git work tree with uncommitted changes unless
 * --force (--dry and check always run); .gitignore (nested, negated), node_modules and --ignore
 * are skipped; files are written atomically and only when their text changed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeIfUnchangedOnDisk } from "../../src/engine/write";
import { git, gitRepo, removeTemp, runCli, tempDir, writeTree } from "./helpers";

const LEGACY = `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export const run = () => co.generate({ prompt: "hi" });
`;

describe("migrate and uncommitted changes", () => {
  let repo: string;
  beforeEach(() => {
    repo = gitRepo({ "src/call.ts": LEGACY, "src/other.ts": LEGACY, "docs/notes.ts": "export const notes = 1;\n" });
  });
  afterEach(() => removeTemp(repo));

  const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");

  it.each([
    ["a modified tracked file", (dir: string) => fs.appendFileSync(path.join(dir, "src/other.ts"), "// edited\n"), "src/other.ts"],
    ["a staged change", (dir: string) => (fs.appendFileSync(path.join(dir, "src/other.ts"), "// staged\n"), git(dir, "add", "src/other.ts")), "src/other.ts"],
    ["an untracked file", (dir: string) => fs.writeFileSync(path.join(dir, "src/new.ts"), "export {};\n"), "src/new.ts"],
  ])("refuses with %s (exit 1, says why), writes nothing", async (_, dirty: (dir: string) => unknown, named) => {
    dirty(repo);
    const callBefore = read("src/call.ts");
    const r = await runCli(["migrate", "."], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to migrate");
    expect(r.stderr).toContain(named);
    expect(r.stderr).toContain("--force");
    expect(read("src/call.ts")).toBe(callBefore);
  });

  it("runs with --force", async () => {
    fs.appendFileSync(path.join(repo, "src/other.ts"), "// edited\n");
    const r = await runCli(["migrate", "--force", "."], { cwd: repo });
    expect(r.code).toBe(0);
    expect(read("src/call.ts")).toContain("co.v2.chat(");
  });

  it("--dry and check run on a dirty tree and change nothing", async () => {
    fs.appendFileSync(path.join(repo, "src/other.ts"), "// edited\n");
    const status = git(repo, "status", "--porcelain");
    const dry = await runCli(["migrate", "--dry", "."], { cwd: repo });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("dry run, nothing written");
    const check = await runCli(["check", "."], { cwd: repo });
    expect(check.code).toBe(1);
    expect(git(repo, "status", "--porcelain")).toBe(status);
  });

  it("counts a package.json above the paths, whose cohere-ai range it may update", async () => {
    fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify({ dependencies: { "cohere-ai": "^7.0.0" } }));
    const r = await runCli(["migrate", "src"], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("package.json");
  });

  it("only looks at changes under the paths it will rewrite", async () => {
    fs.appendFileSync(path.join(repo, "docs/notes.ts"), "// edited\n");
    const r = await runCli(["migrate", "src"], { cwd: repo });
    expect(r.code).toBe(0);
    expect(read("src/call.ts")).toContain("co.v2.chat(");
  });

  it("on a clean tree writes the change, after which the tree is dirty and a second run refuses", async () => {
    const first = await runCli(["migrate", "."], { cwd: repo });
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("nothing guards");
    expect(git(repo, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([" M src/call.ts", " M src/other.ts"]);
    const second = await runCli(["migrate", "."], { cwd: repo });
    expect(second.code).toBe(1);
  });

  it("outside a git work tree, runs and says that nothing guards the change", async () => {
    const loose = tempDir("cm-loose-");
    try {
      writeTree(loose, { "call.ts": LEGACY });
      const r = await runCli(["migrate", "."], { cwd: loose });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Not a git work tree: nothing guards this change");
    } finally {
      removeTemp(loose);
    }
  });
});

describe("which files are read", () => {
  const TREE: Record<string, string> = {
    ".gitignore": "generated/\n*.gen.ts\n!keep.gen.ts\n",
    "src/app.ts": LEGACY,
    "src/x.gen.ts": LEGACY,
    "src/keep.gen.ts": LEGACY,
    "generated/client.ts": LEGACY,
    "packages/p/.gitignore": "legacy-*.ts\n!legacy-keep.ts\n!special.gen.ts\n",
    "packages/p/legacy-one.ts": LEGACY,
    "packages/p/legacy-keep.ts": LEGACY,
    "packages/p/special.gen.ts": LEGACY,
    "packages/p/other.gen.ts": LEGACY,
    "packages/p/src/deep/legacy-two.ts": LEGACY,
    "scripts/seed.ts": LEGACY,
    "src/app.test.ts": LEGACY,
  };
  /** Written after the commit: node_modules (skipped without a .gitignore line) and a file info/exclude names. */
  const NOT_IN_GIT: Record<string, string> = {
    "local-only.ts": LEGACY,
    "node_modules/cohere-wrapper/index.js": LEGACY,
    "packages/p/node_modules/dep/index.ts": LEGACY,
  };
  let repo: string;

  beforeAll(() => {
    repo = gitRepo(TREE);
    writeTree(repo, NOT_IN_GIT);
    fs.appendFileSync(path.join(repo, ".git", "info", "exclude"), "local-only.ts\n");
  });
  afterAll(() => removeTemp(repo));

  async function filesWithFindings(args: string[], cwd = repo): Promise<string[]> {
    const r = await runCli(["check", "--format", "json", ...args], { cwd });
    const out = JSON.parse(r.stdout) as { findings: { file: string }[] };
    return [...new Set(out.findings.map((f) => f.file))].sort();
  }

  /** git's own answer: tracked and untracked files that no ignore rule excludes. */
  function gitSees(): string[] {
    return git(repo, "ls-files", "--cached", "--others", "--exclude-standard")
      .split("\n")
      .filter((f) => /\.(ts|js)$/.test(f) && !f.split("/").includes("node_modules"))
      .sort();
  }

  it("follows .gitignore files as git does: nested files, negations, info/exclude", async () => {
    const expected = ["packages/p/legacy-keep.ts", "packages/p/special.gen.ts", "scripts/seed.ts", "src/app.test.ts", "src/app.ts", "src/keep.gen.ts"];
    expect(gitSees()).toEqual(expected);
    expect(await filesWithFindings(["."])).toEqual(expected);
  });

  it("applies the .gitignore files above a folder it is pointed at", async () => {
    expect(await filesWithFindings(["packages"])).toEqual(["packages/p/legacy-keep.ts", "packages/p/special.gen.ts"]);
    expect(await filesWithFindings(["."], path.join(repo, "packages", "p"))).toEqual(["legacy-keep.ts", "special.gen.ts"]);
  });

  it("skips --ignore globs on top (repeatable)", async () => {
    expect(await filesWithFindings([".", "--ignore", "scripts/", "--ignore", "*.test.ts"])).toEqual(["packages/p/legacy-keep.ts", "packages/p/special.gen.ts", "src/app.ts", "src/keep.gen.ts"]);
    expect(await filesWithFindings([".", "--ignore", "packages/**"])).toEqual(["scripts/seed.ts", "src/app.test.ts", "src/app.ts", "src/keep.gen.ts"]);
    expect(await filesWithFindings([".", "--ignore", "./packages"])).toEqual(["scripts/seed.ts", "src/app.test.ts", "src/app.ts", "src/keep.gen.ts"]);
  });

  it("migrate skips the same files", async () => {
    const r = await runCli(["migrate", "--dry", "--json", "."], { cwd: repo });
    const out = JSON.parse(r.stdout) as { files: { file: string; status: string }[] };
    expect(out.files.filter((f) => f.status === "changed").map((f) => f.file).sort()).toEqual(gitSees());
  });
});

describe("writing files", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("cm-write-");
  });
  afterEach(() => removeTemp(dir));

  it("writes only files whose text changed; the others keep their inode and mtime", async () => {
    writeTree(dir, { "call.ts": LEGACY, "chat.ts": "export const x = 1;\n", "other.ts": LEGACY.replace("co.generate", "co.chat") });
    const old = new Date("2020-01-01T00:00:00Z");
    for (const f of ["call.ts", "chat.ts", "other.ts"]) fs.utimesSync(path.join(dir, f), old, old);
    const stat = (f: string) => fs.statSync(path.join(dir, f));
    const before = { chat: stat("chat.ts"), other: stat("other.ts"), call: stat("call.ts") };
    const r = await runCli(["migrate", "."], { cwd: dir });
    expect(r.code).toBe(0);
    for (const f of ["chat", "other"] as const) {
      expect(stat(`${f}.ts`).mtimeMs).toBe(before[f].mtimeMs);
      expect(stat(`${f}.ts`).ino).toBe(before[f].ino);
    }
    expect(stat("call.ts").mtimeMs).toBeGreaterThan(before.call.mtimeMs);
  });

  it("replaces a file by rename (atomic), keeping its mode", () => {
    const file = path.join(dir, "run.js");
    fs.writeFileSync(file, "old\n");
    fs.chmodSync(file, 0o755);
    const ino = fs.statSync(file).ino;
    expect(writeIfUnchangedOnDisk(file, Buffer.from("old\n"), Buffer.from("new\n"))).toEqual({ ok: true });
    expect(fs.readFileSync(file, "utf8")).toBe("new\n");
    expect(fs.statSync(file).ino).not.toBe(ino);
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(dir)).toEqual(["run.js"]);
  });

  it("does not touch a file whose new text is the same", () => {
    const file = path.join(dir, "same.js");
    fs.writeFileSync(file, "same\n");
    const ino = fs.statSync(file).ino;
    expect(writeIfUnchangedOnDisk(file, Buffer.from("same\n"), Buffer.from("same\n"))).toEqual({ ok: true });
    expect(fs.statSync(file).ino).toBe(ino);
  });

  it("refuses to overwrite a file that changed on disk since it was read", () => {
    const file = path.join(dir, "raced.js");
    fs.writeFileSync(file, "edited meanwhile\n");
    const outcome = writeIfUnchangedOnDisk(file, Buffer.from("as read\n"), Buffer.from("migrated\n"));
    expect(outcome.ok).toBe(false);
    expect(fs.readFileSync(file, "utf8")).toBe("edited meanwhile\n");
  });
});
