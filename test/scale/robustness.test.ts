/**
 * What real trees hold: byte-order marks, CRLF and mixed line endings (kept through a real
 * migration), minified and very large files, binary and non-UTF-8 files (skipped with a reason),
 * and symbolic links (never followed out of the given paths, never looping).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check } from "../../src/check";
import { migrate } from "../../src/migrate";
import { MAX_FILE_BYTES } from "../../src/engine/source";
import type { FileResult, MigrateResult } from "../../src/types";

const CALL = [
  'import { CohereClient } from "cohere-ai";',
  "// a comment the rewrite keeps",
  'const co = new CohereClient({ token: "k" });',
  "",
  "export async function ask(prompt: string) {",
  "  const r = await co.generate({ prompt });",
  "  return r.generations[0].text;",
  "}",
  "",
  "export const untouched = 1;",
];

const dirs: string[] = [];

function tree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cm-robust-"));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function fileResult(result: { files: FileResult[] }, file: string): FileResult {
  const found = result.files.find((f) => f.file === file);
  if (!found) throw new Error(`${file} is not in the result: ${result.files.map((f) => f.file).join(", ")}`);
  return found;
}

async function migrateInPlace(dir: string): Promise<MigrateResult> {
  return migrate({ cwd: dir, paths: ["."], updateDeps: false });
}

/** The terminators of each line of a text ("" for a last line without one). */
function endings(text: string): string[] {
  return [...text.matchAll(/[^\r\n]*(\r\n|\r|\n|$)/g)].map((m) => m[1]).slice(0, -1);
}

describe("line endings and byte-order marks survive a real migration", () => {
  test("a BOM is kept", async () => {
    const dir = tree({ "a.ts": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CALL.join("\n") + "\n")]) });
    const result = await migrateInPlace(dir);
    expect(fileResult(result, "a.ts").status).toBe("changed");
    const raw = fs.readFileSync(path.join(dir, "a.ts"));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.toString("utf8", 3)).toContain("co.v2.chat(");
    expect(raw.toString("utf8", 3).charCodeAt(0)).not.toBe(0xfeff);
  });

  test("CRLF stays CRLF on every line, old and new", async () => {
    const dir = tree({ "a.ts": CALL.join("\r\n") + "\r\n" });
    const result = await migrateInPlace(dir);
    expect(fileResult(result, "a.ts").status).toBe("changed");
    const text = fs.readFileSync(path.join(dir, "a.ts"), "utf8");
    expect(text).toContain("co.v2.chat(");
    expect(new Set(endings(text))).toEqual(new Set(["\r\n"]));
  });

  test("mixed endings: each untouched line keeps its own, new lines take the most common", async () => {
    // Every third line ends in LF, the others in CRLF.
    const source = CALL.map((line, i) => line + (i % 3 === 2 ? "\n" : "\r\n")).join("");
    const dir = tree({ "a.ts": source });
    const result = await migrateInPlace(dir);
    expect(fileResult(result, "a.ts").status).toBe("changed");
    const text = fs.readFileSync(path.join(dir, "a.ts"), "utf8");
    expect(text).toContain("co.v2.chat(");
    const lineEnding = (t: string, line: string): string => {
      const at = t.indexOf(line);
      return t.slice(at + line.length, at + line.length + 2).startsWith("\r\n") ? "\r\n" : "\n";
    };
    for (const line of ['import { CohereClient } from "cohere-ai";', "// a comment the rewrite keeps", 'const co = new CohereClient({ token: "k" });', "export const untouched = 1;"]) {
      expect([line, lineEnding(text, line)]).toEqual([line, lineEnding(source, line)]);
    }
    // Lines the rewrite wrote take CRLF, the file's most common ending.
    expect(lineEnding(text, "co.v2.chat({")).toBe("\r\n");
  });

  test("a file without Cohere calls keeps every byte, whatever its endings", async () => {
    const source = "const a = 1;\r\nconst b = 2;\nconst c = 3;\r";
    const dir = tree({ "a.ts": source, "b.ts": CALL.join("\r\n") });
    await migrateInPlace(dir);
    expect(fs.readFileSync(path.join(dir, "a.ts"), "utf8")).toBe(source);
  });
});

describe("files that are skipped, with a reason", () => {
  const minified = `import{CohereClient as C}from"cohere-ai";const c=new C({});${"export const x=c.generate({prompt:'a'});".repeat(200)}\n`;
  const large = `${CALL.join("\n")}\n${"// padding to make the file large\n".repeat(Math.ceil(MAX_FILE_BYTES / 34))}`;
  const binary = Buffer.concat([Buffer.from('import { CohereClient } from "cohere-ai";\nco.generate({});\n'), Buffer.from([0, 1, 2, 0])]);
  // "é" in Latin-1: one byte 0xE9, which is not valid UTF-8 here.
  const latin1 = Buffer.concat([Buffer.from(`${CALL.join("\n")}\n// caf`), Buffer.from([0xe9]), Buffer.from("\n")]);

  let dir: string;
  let before: Map<string, Buffer>;
  let result: MigrateResult;

  beforeAll(async () => {
    dir = tree({ "min.js": minified, "large.ts": large, "binary.js": binary, "latin1.ts": latin1, "ok.ts": CALL.join("\n") });
    before = new Map(["min.js", "large.ts", "binary.js", "latin1.ts"].map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    result = await migrateInPlace(dir);
  });

  test.each([
    ["min.js", /^minified/],
    ["large.ts", /^larger than 1 MiB/],
    ["binary.js", /^binary file/],
    ["latin1.ts", /^not UTF-8/],
  ])("%s is skipped (%s) and left as it was", (file, reason) => {
    const r = fileResult(result, file as string);
    expect(r.status).toBe("skipped");
    expect(r.reason).toMatch(reason as RegExp);
    expect(fs.readFileSync(path.join(dir, file as string)).equals(before.get(file as string) as Buffer)).toBe(true);
  });

  test("the rest of the run goes on", () => {
    expect(fileResult(result, "ok.ts").status).toBe("changed");
  });

  test("one that names Cohere and calls generate is a skipped-file finding, whatever the reason (check is not green over it)", async () => {
    const checked = await check({ cwd: dir, paths: ["."] });
    const skipped = checked.findings.filter((f) => f.rule === "skipped-file").map((f) => f.file).sort();
    expect(skipped).toEqual(["binary.js", "large.ts", "latin1.ts", "min.js"]);
  });
});

describe("symbolic links", () => {
  let outside: string;
  let dir: string;

  beforeAll(() => {
    outside = tree({ "lib/elsewhere.ts": CALL.join("\n"), "single.ts": CALL.join("\n") });
    dir = tree({ "src/app.ts": CALL.join("\n"), "src/nested/deep.ts": "export const deep = 1;\n" });
    fs.symlinkSync(path.join(dir, "src"), path.join(dir, "src", "nested", "loop")); // a link to a parent folder
    fs.symlinkSync(path.join(outside, "lib"), path.join(dir, "src", "outside-lib")); // a folder outside
    fs.symlinkSync(path.join(outside, "single.ts"), path.join(dir, "src", "outside-file.ts")); // a file outside
    fs.symlinkSync(path.join(dir, "src", "app.ts"), path.join(dir, "src", "alias.ts")); // a file inside
    fs.symlinkSync(path.join(dir, "missing.ts"), path.join(dir, "src", "broken.ts")); // nothing at all
  });

  test("check ends, reads each file once, and nothing from outside", async () => {
    const result = await check({ cwd: dir, paths: ["."] });
    const read = result.files.filter((f) => f.status !== "skipped").map((f) => f.file);
    expect(read.sort()).toEqual(["src/app.ts", "src/nested/deep.ts"]);
    expect(result.findings.map((f) => f.file)).toEqual(["src/app.ts"]);
  });

  test("each link is listed as skipped, with where it points", async () => {
    const result = await check({ cwd: dir, paths: ["."] });
    const reasons = Object.fromEntries(result.files.filter((f) => f.status === "skipped").map((f) => [f.file, f.reason]));
    expect(reasons["src/nested/loop"]).toMatch(/^symbolic link to a folder inside the given paths/);
    expect(reasons["src/outside-lib"]).toMatch(/^symbolic link to a folder outside the given paths/);
    expect(reasons["src/outside-file.ts"]).toMatch(/^symbolic link to a file outside the given paths/);
    expect(reasons["src/alias.ts"]).toMatch(/^symbolic link to a file inside the given paths/);
    expect(reasons["src/broken.ts"]).toMatch(/^broken symbolic link/);
  });

  test("migrate rewrites the real file once and never writes through a link out of the tree", async () => {
    const outsideBefore = fs.readFileSync(path.join(outside, "lib", "elsewhere.ts"), "utf8");
    const result = await migrateInPlace(dir);
    expect(result.files.filter((f) => f.status === "changed").map((f) => f.file)).toEqual(["src/app.ts", "src/cohere-chat.ts"]);
    expect(fs.readFileSync(path.join(outside, "lib", "elsewhere.ts"), "utf8")).toBe(outsideBefore);
    expect(fs.readFileSync(path.join(outside, "single.ts"), "utf8")).toBe(CALL.join("\n"));
    expect(fs.lstatSync(path.join(dir, "src", "alias.ts")).isSymbolicLink()).toBe(true);
  });

  test("a path given on the command line is read even when it is a link", async () => {
    const result = await check({ cwd: dir, paths: ["src/outside-lib"] });
    expect(result.findings.map((f) => f.file)).toEqual(["src/outside-lib/elsewhere.ts"]);
  });
});
