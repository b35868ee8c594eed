/**
 * The dirty-tree guard asks each target path's own work tree: a path in another repository run
 * from outside it, several repositories in one run, and a path in no repository, said per path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gitRepo, removeTemp, runCli, tempDir, writeTree } from "./helpers";

const LEGACY = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nexport const run = () => co.generate({ prompt: "hi" });\n`;
const PY = `import cohere\n\nco = cohere.Client("k")\nprint(co.generate(prompt="hi").generations[0].text)\n`;

describe("migrate's guard", () => {
  const made: string[] = [];
  afterAll(() => made.forEach(removeTemp));
  const repo = (files: Record<string, string>): string => {
    const dir = gitRepo(files);
    made.push(dir);
    return dir;
  };

  it("refuses a dirty repository given by path from outside it", async () => {
    const other = repo({ "src/call.ts": LEGACY });
    fs.appendFileSync(path.join(other, "src/call.ts"), "// edited\n");
    const outside = tempDir("cm-outside-");
    made.push(outside);
    const r = await runCli(["migrate", path.join(other, "src")], { cwd: outside });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to migrate: the git work tree at .* has uncommitted changes \(src\/call\.ts\)/);
    expect(fs.readFileSync(path.join(other, "src/call.ts"), "utf8")).toContain("co.generate(");
  });

  it("guards a file given through a link where the file is: its own work tree, and its changes", async () => {
    const other = repo({ "a.py": PY });
    fs.appendFileSync(path.join(other, "a.py"), "# my uncommitted work\n");
    const here = repo({ "z.py": "x = 1\n" });
    fs.symlinkSync(path.join(other, "a.py"), path.join(here, "link.py"));
    const r = await runCli(["migrate", "link.py"], { cwd: here });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the git work tree at .* has uncommitted changes \(a\.py\)/);
    expect(fs.readFileSync(path.join(other, "a.py"), "utf8")).toContain("co.generate(");
  });

  it("checks every repository of the run: a clean one does not vouch for a dirty one", async () => {
    const clean = repo({ "a.ts": LEGACY });
    const dirty = repo({ "b.py": PY });
    fs.writeFileSync(path.join(dirty, "requirements.txt"), "cohere==5.21.1\n");
    const r = await runCli(["migrate", path.join(clean, "a.ts"), dirty], { cwd: clean });
    expect(r.code).toBe(1);
    // An uncommitted manifest migrate may update counts (here a Python requirements file).
    expect(r.stderr).toMatch(/uncommitted changes \(requirements\.txt\)/);
    expect(fs.readFileSync(path.join(clean, "a.ts"), "utf8")).toBe(LEGACY);
  });

  it("counts the manifests above a given folder that migrate may raise: a Pipfile, a requirements/ file", async () => {
    for (const manifest of ["Pipfile", "requirements/base.txt", "requirements-dev.in"]) {
      const dirty = repo({ "app/b.py": PY });
      fs.mkdirSync(path.dirname(path.join(dirty, manifest)), { recursive: true });
      fs.writeFileSync(path.join(dirty, manifest), manifest === "Pipfile" ? '[packages]\ncohere = "==4.57"\n' : "cohere==4.57\n");
      const r = await runCli(["migrate", "app"], { cwd: dirty });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`uncommitted changes (${manifest})`);
      expect(fs.readFileSync(path.join(dirty, "app/b.py"), "utf8")).toBe(PY);
    }
  });

  it("says which paths are in no work tree, and still guards the one that is", async () => {
    const inRepo = repo({ "a.ts": LEGACY });
    const loose = tempDir("cm-loose-");
    made.push(loose);
    writeTree(loose, { "b.ts": LEGACY });
    const r = await runCli(["migrate", loose, inRepo], { cwd: inRepo });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Not in a git work tree: ${path.relative(inRepo, loose).replace(/[.]/g, "\\.")}; nothing guards the change there`));
    fs.appendFileSync(path.join(inRepo, "a.ts"), "// edited\n");
    fs.writeFileSync(path.join(loose, "b.ts"), LEGACY);
    const refused = await runCli(["migrate", loose, inRepo], { cwd: inRepo });
    expect(refused.code).toBe(1);
    expect(fs.readFileSync(path.join(loose, "b.ts"), "utf8")).toBe(LEGACY);
  });
});
