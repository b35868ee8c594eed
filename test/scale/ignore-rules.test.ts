/**
 * The walk answers most .gitignore questions from rules grouped by what they can match
 * (files.ts, splitRules): by last name, by depth, or at any depth. The `ignore` package asked about
 * each path whole is the reference: the same files must be found either way, on trees written to
 * sit at the edge of each group, and on this repository and a generated tree.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { relativePath } from "../../src/engine/analyze";
import { discover, isOutside } from "../../src/engine/files";
import { PROJECT_ROOT, writeTree as writeGeneratedTree } from "../../scripts/corpus";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

let root: string;
beforeEach(() => {
  root = tempDir("cm-ignore-");
  execFileSync("git", ["init", "-q"], { cwd: root });
});
afterEach(() => removeTemp(root));

/** Files found (relative), with the split rules and with every path asked whole; they must agree. */
function foundBothWays(paths: readonly string[] = ["."]): string[] {
  const split = discover(paths, root, [], true);
  const whole = discover(paths, root, [], false);
  expect(split).toEqual(whole);
  return split.files.map((f) => path.relative(root, f).split(path.sep).join("/")).sort();
}

const SOURCES = ["a.ts", "dist/b.ts", "src/dist/c.ts", "src/x/build/d.ts", "examples/e1/build/e.ts", "examples/e1/src/build/f.ts", "deep/a/b/c/g.ts", "deep/a/b/c/gen.generated.ts", "logs/h.ts", "src/keep.ts", "src/tmp/i.ts", "public/dist/j.ts", "src/public/dist/k.ts"];

function tree(ignores: Readonly<Record<string, string>>): void {
  writeTree(root, { ...Object.fromEntries(SOURCES.map((f) => [f, "export const x = 1;\n"])), ...ignores });
}

test.each<[string, Record<string, string>]>([
  ["names, folder-only names and globs", { ".gitignore": "dist/\n*.generated.ts\nlogs\n# a comment\n\n" }],
  ["anchored names and paths", { ".gitignore": "/dist\n/src/tmp/\npublic/dist\nexamples/*/build\n" }],
  ["double stars", { ".gitignore": "**/build\ndeep/**/c\n" }],
  ["a negation (asked whole)", { ".gitignore": "dist\n!src/dist\n" }],
  ["a nested .gitignore with a negation under split rules", { ".gitignore": "build\n", "src/.gitignore": "!build\ntmp\n" }],
  ["nested files, each split", { ".gitignore": "*.generated.ts\n", "src/.gitignore": "/x\ndist/\n", "examples/.gitignore": "*/build/\n" }],
  ["escapes and trailing spaces", { ".gitignore": "\\#x.ts\nlogs   \na\\ b.ts\n" }],
  ["plain names in another case, a folder-only plain name that is also a file's, a leading space", { ".gitignore": "DIST\nA.TS/\nKeep.ts\n logs\n.env\n" }],
  ["globs by their literal ends, in another case, folder-only, with classes and question marks", { ".gitignore": "*.GENERATED.ts\nde*p/\ng?.ts\nk[0-9x].ts\n[ab].ts\ngen.*\n*\u00e9.ts\nk[.ts\n" }],
  ["stray brackets in globs", { ".gitignore": "x]*.ts\n*[.ts\na]b[c.ts\nlo]gs\n[\n" }],
  ["anchored paths by their literal parts, in another case, with a glob part", { ".gitignore": "SRC/X/build\nexamples/E1/*\npublic/?ist/\ndeep/a/B/c\n/Src/Tmp\n" }],
  ["negations with a slash inside a class (the last part is not after it)", { ".gitignore": "a[b/c]d[e]f.ts\n!keep.ts\n", "abdef.ts": "", "acdef.ts": "" }],
])("%s: the same files with the rules split and asked whole", (_name, ignores) => {
  tree(ignores);
  expect(foundBothWays().length).toBeGreaterThan(0);
});

test("names match at any depth and anchored paths only at theirs", () => {
  tree({ ".gitignore": "dist/\n/src/tmp/\nexamples/*/build\n*.generated.ts\n" });
  expect(foundBothWays()).toEqual(["a.ts", "deep/a/b/c/g.ts", "examples/e1/src/build/f.ts", "logs/h.ts", "src/keep.ts", "src/x/build/d.ts"]);
});

test("globs are matched whatever their literal ends say about which names to ask", () => {
  tree({ ".gitignore": "*.GENERATED.ts\nl*s/\n[a-c].ts\n[jk]*.ts\nSRC/X/*\n" });
  expect(foundBothWays()).toEqual(["deep/a/b/c/g.ts", "examples/e1/build/e.ts", "examples/e1/src/build/f.ts", "src/tmp/i.ts"]);
});

test("a folder whose name starts with \"..\" lies inside its parent: the rules above apply to it", () => {
  writeTree(root, { ".gitignore": "*.gen.ts\nbuild\n", "..odd/a.gen.ts": "x;\n", "..odd/b.ts": "x;\n", "..odd/build/c.ts": "x;\n", "..odd/.gitignore": "b.ts\n", "ok/d.gen.ts": "x;\n", "ok/e.ts": "x;\n" });
  expect(foundBothWays()).toEqual(["ok/e.ts"]);
});

test("names that are not ASCII are matched as the ignore package matches them, not by lower-casing", () => {
  // The Kelvin sign lower-cases to k but the package does not match it with k; ẞ lower-cases to ß.
  writeTree(root, { ".gitignore": "k.js\nσ.js\nß.js\n", "\u212a.js": "x;\n", "ς.js": "x;\n", "ẞ.js": "x;\n", "k.js": "x;\n", "K.js": "x;\n", "keep.js": "x;\n" });
  const found = foundBothWays();
  expect(found).toContain("\u212a.js");
  expect(found).not.toContain("K.js");
  expect(found).toContain("keep.js");
});

test("a .gitignore's byte-order mark is not part of its first rule; one inside it is asked whole", () => {
  writeTree(root, { ".gitignore": "\uFEFF/x/*.js\n", "x/a.js": "x;\n", "y/b.js": "x;\n" });
  expect(foundBothWays()).toEqual(["y/b.js"]);
  writeTree(root, { ".gitignore": "x\n\uFEFF*.js\n", "x/a.js": "x;\n", "y/b.js": "x;\n" });
  foundBothWays();
});

test("\"..\" leads out of a folder only as a whole name", () => {
  expect([".", "..", "../x", "..odd", "..odd/x", "x/.."].map(isOutside)).toEqual([false, true, true, false, false, false]);
  expect(relativePath("/r", "/r/..odd/a.ts")).toBe("..odd/a.ts");
  expect(relativePath("/r/x", "/r/y.ts")).toBe("/r/y.ts");
});

test("folders given twice, or one inside another: each file once", () => {
  tree({ ".gitignore": "dist/\n" });
  const files = foundBothWays([".", "src", "src/x"]);
  expect(new Set(files).size).toBe(files.length);
  expect(files).toContain("src/x/build/d.ts");
});

test("a given folder that its .gitignore ignores is walked as before", () => {
  tree({ ".gitignore": "dist/\nsrc/\n" });
  foundBothWays(["src"]);
  foundBothWays(["dist"]);
});

test("this repository and a generated tree: the same files with the rules split and asked whole", () => {
  expect(discover(["."], PROJECT_ROOT, [], true)).toEqual(discover(["."], PROJECT_ROOT, [], false));
  writeGeneratedTree(root, 300);
  writeTree(root, { ".gitignore": "node_modules\n/packages/pkg-000/python\n*.tmp.ts\n" });
  expect(foundBothWays().length).toBeGreaterThan(200);
});

/**
 * Random trees with .gitignore files at several depths, drawn from rules that sit at the edges of
 * the shortcuts: negations (which re-include below an ignored folder's rules, and make a layer
 * unsplittable), `**`, anchored paths, folder-only rules, classes, `?`, case, a folder named like a
 * file rule. Seeded, so a failure names a tree that can be made again.
 */
test("random trees with negations and globs: the same files with the shortcuts and asked whole", () => {
  let seed = 20261207;
  const rng = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const folders = ["src", "dist", "lib", "build", "Build", "a", "b", "tmp", "test", "Src", "x.d", "foo.js", "node"];
  const files = ["a.ts", "b.js", "c.d.ts", "D.TS", "x.cjs", "index.js", "m.py", "n.tsx", "lib.ts", "build.ts", "t.mjs", "foo.js", "abc.jsx"];
  const rules = ["*.js", "**/*.js", "!**/src/**/*.js", "!*.js", "dist", "dist/", "!dist", "/dist", "src/*.ts", "!src/a.ts", "**/build", "!**/build/", "*.d.ts", "!c.d.ts", "lib", "!lib/", "a/**", "!a/b/", "*", "!*.ts", "b*", "?.ts", "[ab].ts", "!x.*", "*.TS", "Src/", "**/tmp/**", "!tmp/keep.ts", "foo.js/", "build.ts", "!**/*.d.ts", "test/**/*.ts", "/a/b", "x.d/", "*.cjs", "!index.js", "node*", "l?b"];
  const differing: string[] = [];
  for (let t = 0; t < 200; t++) {
    const base = path.join(root, `t${t}`);
    const dirs = [""];
    const entries: Record<string, string> = {};
    for (let i = 0; i < 6; i++) dirs.push(path.posix.join(pick(dirs), pick(folders)));
    const dirSet = new Set(dirs);
    for (let i = 0; i < 25; i++) {
      const file = path.posix.join(pick(dirs), pick(files));
      if (!dirSet.has(file)) entries[file] = "x\n";
    }
    for (const d of dirs) if (rng() < 0.45) entries[path.posix.join(d, ".gitignore")] = Array.from({ length: 1 + Math.floor(rng() * 5) }, () => pick(rules)).join("\n") + "\n";
    for (const d of dirs) if (d) entries[path.posix.join(d, ".keep")] = "";
    writeTree(base, entries);
    execFileSync("git", ["init", "-q"], { cwd: base });
    // A folder given below the top: the rules above it may ignore it, and a deeper one re-include it.
    const given = rng() < 0.6 ? pick(dirs) || "." : ".";
    const split = discover([given], base, [], true);
    const whole = discover([given], base, [], false);
    if (JSON.stringify(split.files) !== JSON.stringify(whole.files)) differing.push(`t${t} (given ${given})`);
  }
  expect(differing).toEqual([]);
});
