/**
 * Issue 10's correctness side: the Python prefilter (a file holding `generate` but no Cohere word
 * is parsed only when its imports lead to a module that imports cohere), Python detection on the
 * worker pool, and `--cache` (a second run reuses detections of unchanged files, and a change in a
 * file or in a module its answer read is seen).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { analyze, type Analysis } from "../../src/engine/analyze";
import { DetectionCache, fnv64 } from "../../src/engine/cache";
import { discover } from "../../src/engine/files";
import { aliasTargets, pythonImports, PythonImportReach } from "../../src/python/reach";
import type { CheckResult, Finding } from "../../src/types";
import { removeTemp, runCli, tempDir, writeTree } from "../cli/helpers";

const WORKER = path.join(__dirname, "..", "..", "dist", "src", "engine", "worker.js");

const key = (f: Finding): string => `${f.file}:${f.span.start.line}:${f.span.start.column} ${f.rule} ${f.fixable}`;
const keys = (r: CheckResult): string[] => r.findings.map(key).sort();

let root: string;
beforeEach(() => {
  root = tempDir("cm-reach-");
});
afterEach(() => removeTemp(root));

/** A package whose calls reach their client through other modules, and files that reach none. */
const PACKAGE: Readonly<Record<string, string>> = {
  "app/__init__.py": "",
  "app/clients.py": 'import cohere\n\nco = cohere.Client("key")\n',
  // Re-exports the client: no Cohere word here either.
  "app/reexport.py": "from .clients import co\n",
  "app/use.py": 'from .reexport import co\n\n\ndef ask(p):\n    return co.generate(prompt=p).generations[0].text\n',
  // Absolute import from the package, through a cycle (a imports b, b imports a and the client).
  "app/a.py": 'from app import b\n\n\ndef run():\n    return b.co.generate(prompt="x")\n',
  "app/b.py": "from app import a\nfrom app.clients import co\n",
  // Parenthesised, multi-line import of a submodule.
  "app/multi.py": 'from app import (\n    util,\n    clients,\n)\n\nclients.co.generate(prompt="y")\n',
  // `generate` on something that is not Cohere's, with no import leading to cohere.
  "app/util.py": "class Thing:\n    def generate(self):\n        return 1\n\n\nthing = Thing()\n",
  "app/other.py": "from .util import thing\n\nthing.generate()\n",
  "tools/gen.py": "import random\n\n\ndef generate():\n    return random.random()\n\n\nprint(generate())\n",
  // A name bound to an imported one, then imported elsewhere (modules.ts follows `alias = co`).
  "app/aliased.py": "from .clients import co\n\nclient = co\n",
  "app/via_alias.py": 'from .aliased import client\n\nclient.generate(prompt="z")\n',
  // Another name from a package whose other module imports cohere: not followed to it.
  "app/helpers.py": "import cohere\n\n\ndef fmt(x):\n    return str(x)\n",
  "app/side.py": "from .util import Thing\nfrom . import helpers\n\nThing().generate()\n",
  // An object of a class whose constructor stores a client another module made (no Cohere word).
  "app/holder.py": "from . import clients\n\n\nclass Holder:\n    def __init__(self):\n        self.co = clients.co\n\n\nholder = Holder()\n",
  "app/via_holder.py": 'from .holder import holder, Holder\n\nholder.co.generate(prompt="h")\nHolder().co.generate(prompt="i")\n',
  // The object bound under a condition, and in parentheses over several lines: still followed.
  "app/holder2.py": "import sys\n\nfrom . import clients\n\n\nclass Holder:\n    def __init__(self):\n        self.co = clients.co\n\n\nif sys.version_info >= (3, 8):\n    holder = Holder()\nelse:\n    holder = (\n        Holder()\n    )\n",
  "app/via_holder2.py": 'from .holder2 import holder\n\nholder.co.generate(prompt="j")\n',
};

describe("Python prefilter", () => {
  test("imports are read in every form Python writes them", () => {
    const imports = pythonImports("from . import x\nfrom ..pkg.mod import (a,\n  b as c)  # note\nimport os, app.clients as ac\n  from x import y; import z\nif t: from w import *\n");
    expect(imports).toEqual(
      expect.arrayContaining([
        { kind: "from", module: "", level: 1, names: [{ name: "x", as: "x" }], star: false },
        { kind: "from", module: "pkg.mod", level: 2, names: [{ name: "a", as: "a" }, { name: "b", as: "c" }], star: false },
        { kind: "from", module: "x", level: 0, names: [{ name: "y", as: "y" }], star: false },
        { kind: "from", module: "w", level: 0, names: [], star: true },
        { kind: "plain", module: "os", as: "os" },
        { kind: "plain", module: "app.clients", as: "ac" },
        { kind: "plain", module: "z", as: "z" },
      ]),
    );
  });

  /** aliasTargets as it searched the decoded text before (the reference for the byte search). */
  const aliasTargetsInText = (text: string, name: string): string[] => {
    const line = /[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*\(*[ \t]*([A-Za-z_]\w*)[ \t]*\)*[ \t]*(?:#[^\n]*)?$/my;
    const out: string[] = [];
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
      let start = at;
      while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
      const before = start === 0 ? "\n" : text[start - 1];
      if (before !== "\n" && before !== "\r" && before !== "\u2028" && before !== "\u2029") continue;
      line.lastIndex = start;
      const m = line.exec(text);
      if (m && m[1] === name) out.push(m[2]);
    }
    return out;
  };

  test.each([
    ["co = client", "co"],
    ["  co = (client)  # the shared one", "co"],
    ["x = 1\r\nco = client\r\nco: Client = other\r\n", "co"],
    ["é = 1; s = 'naïve'\u2028co = client\u2029co = other", "co"],
    ["deco = client\nco = client2\nco.x = 3\nco == other", "co"],
    ["def f():\n    co = inner\nco =\nco = last", "co"],
    ["co = a\rco = b\nco = c", "co"],
  ])("aliasTargets in the bytes equals the search in the text: %j", (text, name) => {
    expect(aliasTargets(Buffer.from(text), name)).toEqual(aliasTargetsInText(text, name));
  });

  test("a module written with a BOM is read without it: its first import counts", () => {
    writeTree(root, { "app/__init__.py": "", "app/use.py": "from .clients import co\n\nco.generate(prompt='x')\n" });
    fs.writeFileSync(path.join(root, "app/clients.py"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('import cohere\n\nco = cohere.Client("k")\n')]));
    expect(new PythonImportReach(root, () => undefined).reachesCohere(path.join(root, "app/use.py"))).toBe(true);
    fs.writeFileSync(path.join(root, "app/plain.py"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("from .clients import co\n")]));
    fs.writeFileSync(path.join(root, "app/use.py"), "from .plain import co\n\nco.generate(prompt='x')\n");
    expect(new PythonImportReach(root, () => undefined).reachesCohere(path.join(root, "app/use.py"))).toBe(true);
  });

  test("a chain of imports to a module that imports cohere is followed, cycles included; others are not", () => {
    writeTree(root, PACKAGE);
    const reach = new PythonImportReach(root, () => undefined);
    const at = (rel: string): string => path.join(root, rel);
    expect(reach.reachesCohere(at("app/use.py"))).toBe(true);
    expect(reach.reachesCohere(at("app/a.py"))).toBe(true);
    expect(reach.reachesCohere(at("app/multi.py"))).toBe(true);
    expect(reach.reachesCohere(at("app/other.py"))).toBe(false);
    expect(reach.reachesCohere(at("app/via_alias.py"))).toBe(true);
    expect(reach.reachesCohere(at("app/via_holder.py"))).toBe(true);
    expect(reach.reachesCohere(at("app/via_holder2.py"))).toBe(true);
    expect(reach.reachesCohere(at("tools/gen.py"))).toBe(false);
  });

  test("check finds the same calls with the prefilter on and off, and parses only what can hold one", async () => {
    writeTree(root, PACKAGE);
    const on = await check({ cwd: root, paths: ["."] });
    const off = await check({ cwd: root, paths: ["."], prefilter: false });
    expect(keys(on)).toEqual(keys(off));
    expect(new Set(on.findings.map((f) => f.file))).toEqual(new Set(["app/use.py", "app/a.py", "app/multi.py", "app/via_alias.py", "app/via_holder.py", "app/via_holder2.py"]));
    const analysis = await analyze({ cwd: root, paths: ["."] });
    await analysis.pool.close();
    const parsed = analysis.files.filter((f) => f.detection).map((f) => f.file).sort();
    // Not app/other.py nor tools/gen.py (their imports lead to no cohere), nor app/clients.py (no `generate`).
    expect(parsed).toEqual(["app/a.py", "app/multi.py", "app/side.py", "app/use.py", "app/via_alias.py", "app/via_holder.py", "app/via_holder2.py"]);
  });
});

/** The files with findings, after requiring the same findings with the prefilter on and off. */
async function filesFoundAlikeOnAndOff(): Promise<Set<string>> {
  const on = await check({ cwd: root, paths: ["."] });
  const off = await check({ cwd: root, paths: ["."], prefilter: false });
  expect(keys(on)).toEqual(keys(off));
  return new Set(on.findings.map((f) => f.file));
}

test("a file whose only Cohere-like word is prose (\"coherent\") is still found through its imports, in both languages", async () => {
  writeTree(root, {
    "package.json": '{ "name": "svc", "dependencies": { "cohere-ai": "^7.10.0" } }\n',
    "src/client.ts": 'import { CohereClient } from "cohere-ai";\n\nexport const co = new CohereClient({ token: "k" });\n',
    "src/coherent.ts": '// Keeps answers coherent.\nimport { co } from "./client";\n\nexport const ask = (prompt: string) => co.generate({ prompt });\n',
    "src/prose.ts": "// A coherent summary.\nexport const run = (llm: { generate(p: string[]): Promise<unknown> }) => llm.generate([\"x\"]);\n",
    "app/clients.py": 'import cohere\n\nco = cohere.Client("k")\n',
    "app/coherent.py": "# coherent answers\nfrom .clients import co\n\n\ndef ask(p):\n    return co.generate(prompt=p).generations[0].text\n",
    "app/__init__.py": "",
  });
  expect(await filesFoundAlikeOnAndOff()).toEqual(new Set(["src/coherent.ts", "app/coherent.py"]));
});

test("a Python file that names Cohere but does not import cohere is parsed only when its imports lead to a Cohere module", async () => {
  writeTree(root, {
    "app/__init__.py": "",
    "app/clients.py": 'import cohere\n\nco = cohere.Client("k")\n',
    // Names Cohere (a provider table) and calls generate on something of its own: never parsed.
    "app/providers.py": 'PROVIDERS = ["cohere", "openai"]\n\n\nclass Local:\n    def generate(self, p):\n        return p\n\n\nprint(Local().generate("x"))\n',
    // Names Cohere and gets its client from a module that imports cohere: parsed, and found.
    "app/wrapper.py": '"""A Cohere wrapper."""\nfrom .clients import co\n\n\ndef ask(p):\n    return co.generate(prompt=p).generations[0].text\n',
    // Imports cohere on a continued line (one line of text does not show it): parsed, and found.
    "app/continued.py": 'import os, \\\n    cohere\n\nclient = cohere.Client(os.environ["K"])\nprint(client.generate(prompt="p").generations[0].text)\n',
  });
  expect(await filesFoundAlikeOnAndOff()).toEqual(new Set(["app/wrapper.py", "app/continued.py"]));
  const analysis = await analyze({ cwd: root, paths: ["."] });
  await analysis.pool.close();
  expect(analysis.files.filter((f) => f.detection).map((f) => f.file).sort()).toEqual(["app/continued.py", "app/wrapper.py"]);
});

describe("Python on the worker pool", () => {
  test("workers find what the main thread finds", async () => {
    // More candidates than the in-process threshold, so the pool starts its worker.
    const files: Record<string, string> = { ...PACKAGE };
    for (let i = 0; i < 40; i++) files[`svc/m${i}.py`] = `import cohere\n\nco = cohere.Client("k")\nprint(co.generate(prompt="p${i}", max_tokens=5).generations[0].text)\n`;
    writeTree(root, files);
    const sites = (a: Analysis): string[] =>
      a.files.flatMap((f) => (f.detection?.sites ?? []).map((s) => `${f.file}:${s.start} ${s.kind} ${s.certainty} ${s.client}`)).sort();
    const inProcess = await analyze({ cwd: root, paths: ["."], pool: { threads: 0 } });
    await inProcess.pool.close();
    expect(fs.existsSync(WORKER)).toBe(true);
    const pooled = await analyze({ cwd: root, paths: ["."], pool: { threads: 1, workerFile: WORKER } });
    await pooled.pool.close();
    expect(pooled.pool.usesWorkers).toBe(true);
    expect(sites(pooled)).toEqual(sites(inProcess));
    expect(sites(pooled).length).toBeGreaterThanOrEqual(43);
  });
});

test("the folder memo's hash is FNV-1a 64 (the published test vectors)", () => {
  expect(fnv64("")).toBe("cbf29ce484222325");
  expect(fnv64("a")).toBe("af63dc4c8601ec8c");
  expect(fnv64("foobar")).toBe("85944171f73967e8");
  expect(fnv64("node_modules/\ndist/\n")).not.toBe(fnv64("node_modules/\ndist/\n "));
});

describe("--cache", () => {
  const TS: Readonly<Record<string, string>> = {
    "package.json": '{ "name": "svc", "dependencies": { "cohere-ai": "^7.10.0" } }\n',
    "src/client.ts": 'import { CohereClient } from "cohere-ai";\n\nexport const co = new CohereClient({ token: "k" });\n',
    "src/use.ts": 'import { co } from "./client";\n\nexport async function ask(prompt: string): Promise<string> {\n  const r = await co.generate({ prompt });\n  return r.generations[0].text;\n}\n',
    "src/local.ts": 'import { CohereClient } from "cohere-ai";\n\nconst client = new CohereClient({ token: "k" });\nexport const go = () => client.generate({ prompt: "hi" });\n',
  };

  async function cachedAnalysis(location: string): Promise<{ analysis: Analysis; cache: DetectionCache }> {
    const cache = new DetectionCache(location, { prefilter: true });
    const analysis = await analyze({ cwd: root, paths: ["."], cache });
    await analysis.pool.close();
    return { analysis, cache };
  }

  test("a second run reuses every detection and reports the same", async () => {
    writeTree(root, { ...TS, ...PACKAGE });
    const location = path.join(root, ".cohere-migrate-cache");
    const first = await check({ cwd: root, paths: ["."], cache: { location } });
    expect(fs.existsSync(location)).toBe(true);
    const plain = await check({ cwd: root, paths: ["."] });
    expect(keys(first)).toEqual(keys(plain));
    const second = await check({ cwd: root, paths: ["."], cache: { location } });
    expect(keys(second)).toEqual(keys(plain));

    const { analysis, cache } = await cachedAnalysis(location);
    expect(cache.misses).toBe(0);
    expect(cache.hits).toBe(analysis.files.filter((f) => f.detection && f.cached).length);
    expect(analysis.files.filter((f) => f.file === "src/use.ts" || f.file === "app/use.py").every((f) => f.cached)).toBe(true);
  });

  test("a file none of whose imports led to Cohere is asked again when one of them, or tsconfig.json's paths, changes", async () => {
    const local = "class Local { generate(x: unknown) { return x; } }\nexport const co = new Local();\n";
    const client = 'import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({ token: "x" });\n';
    writeTree(root, {
      // "cohere" in a comment and in a specifier: candidates on their own bytes.
      "src/use.ts": '// our cohere wrapper\nimport { co } from "./llm";\nexport const f = () => co.generate({ prompt: "a" });\n',
      "src/llm.ts": local,
      "tsconfig.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/x/*": ["src/other/*"] } } }\n',
      "src/other/cohere.ts": local,
      "src/lib/cohere.ts": client,
      "src/alias.ts": 'import { co } from "@/x/cohere";\nexport const g = () => co.generate({ prompt: "b" });\n',
    });
    const location = path.join(root, ".cohere-migrate-cache");
    expect(keys(await check({ cwd: root, paths: ["."], cache: { location } }))).toEqual([]);
    fs.writeFileSync(path.join(root, "src/llm.ts"), client);
    fs.writeFileSync(path.join(root, "tsconfig.json"), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/x/*": ["src/lib/*"] } } }\n');
    const cached = await check({ cwd: root, paths: ["."], cache: { location } });
    expect(keys(cached)).toEqual(keys(await check({ cwd: root, paths: ["."] })));
    expect(cached.findings.map((f) => f.file).sort()).toEqual(["src/alias.ts", "src/use.ts"]);
  });

  test("a cache that cannot be written is a warning, not a failure; an entry of another shape is not used", async () => {
    writeTree(root, TS);
    const plain = keys(await check({ cwd: root, paths: ["."] }));
    const warnings: string[] = [];
    // A folder where the cache file would go: the write fails, the findings stand.
    const result = await check({ cwd: root, paths: ["."], cache: { location: path.join(root, "src"), warn: (m) => warnings.push(m) } });
    expect(keys(result)).toEqual(plain);
    expect(warnings).toEqual([expect.stringMatching(/^cannot write the cache .*src .*this run's results stand/)]);

    const location = path.join(root, ".cohere-migrate-cache");
    await check({ cwd: root, paths: ["."], cache: { location } });
    const data = JSON.parse(fs.readFileSync(location, "utf8")) as { entries: Record<string, { detection: { sites: unknown } }> };
    for (const entry of Object.values(data.entries)) entry.detection.sites = "zz";
    fs.writeFileSync(location, JSON.stringify(data));
    expect(keys(await check({ cwd: root, paths: ["."], cache: { location } }))).toEqual(plain);
  });

  test("a location that holds another file (a source file, package.json) is never written over; a damaged cache is", async () => {
    writeTree(root, TS);
    const plain = keys(await check({ cwd: root, paths: ["."] }));
    const warnings: string[] = [];
    const location = path.join(root, "src/use.ts");
    const before = fs.readFileSync(location, "utf8");
    expect(keys(await check({ cwd: root, paths: ["."], cache: { location, warn: (m) => warnings.push(m) } }))).toEqual(plain);
    expect(fs.readFileSync(location, "utf8")).toBe(before);
    expect(warnings).toEqual([expect.stringMatching(/^cannot write the cache .*use\.ts \(the file there is not a cohere-migrate cache, and is left as it is\)/)]);
    // An empty file (an __init__.py) is no cache either.
    const empty = path.join(root, "src/__init__.py");
    fs.writeFileSync(empty, "");
    await check({ cwd: root, paths: ["."], cache: { location: empty, warn: () => undefined } });
    expect(fs.readFileSync(empty, "utf8")).toBe("");
    // A cache cut short (a run killed while writing it by another tool) is still the cache's place.
    const damaged = path.join(root, ".cohere-migrate-cache");
    await check({ cwd: root, paths: ["."], cache: { location: damaged } });
    fs.writeFileSync(damaged, fs.readFileSync(damaged, "utf8").slice(0, 40));
    expect(keys(await check({ cwd: root, paths: ["."], cache: { location: damaged } }))).toEqual(plain);
    expect(JSON.parse(fs.readFileSync(damaged, "utf8"))).toHaveProperty("entries");
  });

  test("a change in a module that a settled answer read is seen, and only the changed answers are redone", async () => {
    writeTree(root, { ...TS, ...PACKAGE });
    const location = path.join(root, "cache", "data.json");
    await check({ cwd: root, paths: ["."], cache: { location } });
    expect(keys(await check({ cwd: root, paths: ["."], cache: { location } })).some((k) => k.startsWith("src/use.ts:"))).toBe(true);
    // The client module now exports something else: use.ts is unchanged but its answer is not.
    fs.writeFileSync(path.join(root, "src/client.ts"), "export const co = { generate: async (r: { prompt: string }) => ({ generations: [{ text: r.prompt }] }) };\n");
    fs.appendFileSync(path.join(root, "app/use.py"), "\n# touched\n");
    const { analysis, cache } = await cachedAnalysis(location);
    const cachedFiles = analysis.files.filter((f) => f.cached).map((f) => f.file);
    expect(cachedFiles).toContain("src/local.ts");
    expect(cachedFiles).not.toContain("src/use.ts");
    expect(cachedFiles).not.toContain("app/use.py");
    // use.ts no longer reaches a Cohere module: the prefilter (run every time) drops it before the cache is asked.
    expect(analysis.files.find((f) => f.file === "src/use.ts")?.detection).toBeUndefined();
    expect(cache.misses).toBe(1);
    const after = await check({ cwd: root, paths: ["."], cache: { location } });
    expect(keys(after)).toEqual(keys(await check({ cwd: root, paths: ["."] })));
    expect(after.findings.some((f) => f.file === "src/use.ts")).toBe(false);
  });

  test("a cache file that does not parse, or was written with other options, is started afresh", async () => {
    writeTree(root, TS);
    const location = path.join(root, ".cohere-migrate-cache");
    fs.writeFileSync(location, "{ not json");
    const plain = await check({ cwd: root, paths: ["."] });
    expect(keys(await check({ cwd: root, paths: ["."], cache: { location } }))).toEqual(keys(plain));
    expect(JSON.parse(fs.readFileSync(location, "utf8"))).toHaveProperty("entries");
    const other = new DetectionCache(location, { prefilter: false });
    const analysis = await analyze({ cwd: root, paths: ["."], cache: other, prefilter: false });
    await analysis.pool.close();
    expect(other.hits).toBe(0);
  });

  test("--cache and --cache-location on the command line", async () => {
    writeTree(root, TS);
    const first = await runCli(["check", "--cache", "--cache-location", "c.json", "--format", "json", "."], { cwd: root });
    expect(first.code).toBe(1);
    expect(fs.existsSync(path.join(root, "c.json"))).toBe(true);
    const second = await runCli(["check", "--cache", "--cache-location", "c.json", "--format", "json", "."], { cwd: root });
    expect(second).toEqual(first);
    expect((await runCli(["check", "--cache", "--format", "json", "."], { cwd: root })).code).toBe(1);
    expect(fs.existsSync(path.join(root, ".cohere-migrate-cache"))).toBe(true);
    const dry = await runCli(["migrate", "--dry", "--cache", "."], { cwd: root });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("co.v2.chat(");
  });

  test("the cache file does not count as an uncommitted change for migrate's work-tree guard", async () => {
    writeTree(root, TS);
    const git = (...args: string[]): string => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: root, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "start");
    expect((await runCli(["check", "--cache", "."], { cwd: root })).code).toBe(1);
    const run = await runCli(["migrate", "--cache", "."], { cwd: root });
    expect(run.stderr).not.toContain("uncommitted");
    expect(run.code).toBe(0);
    expect(git("status", "--porcelain")).toContain("M src/local.ts");
  });

  describe("--cache-strategy metadata: an unchanged file is known by its stamp, not read", () => {
    const SETTLE_MS = 200;
    const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 100));
    const TREE: Readonly<Record<string, string>> = {
      ...TS,
      "src/plain.ts": "export const a = 1;                                                                   \n",
      "src/other.ts": 'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n',
    };

    async function stamped(location: string, strategy: "metadata" | "content" = "metadata"): Promise<{ analysis: Analysis; cache: DetectionCache }> {
      const cache = new DetectionCache(location, { prefilter: true }, strategy, SETTLE_MS);
      const analysis = await analyze({ cwd: root, paths: ["."], cache });
      await analysis.pool.close();
      return { analysis, cache };
    }
    const findingsOf = (analysis: Analysis): string[] => analysis.files.flatMap((f) => (f.detection?.sites ?? []).map((s) => `${f.file}:${s.start} ${s.kind}`)).sort();

    test("files that are neither candidates nor hold markers are not read again, and the findings stay the same", async () => {
      writeTree(root, TREE);
      await settled();
      const location = path.join(root, ".cohere-migrate-cache");
      const first = await stamped(location);
      expect(first.cache.unread).toBe(0);
      const second = await stamped(location);
      // package.json is no source file; local.ts and use.ts hold calls, and client.ts names
      // cohere-ai (its bytes say whether it is minified, though it is not parsed): read.
      expect(second.cache.unread).toBe(2);
      expect(findingsOf(second.analysis)).toEqual(findingsOf(first.analysis));
      expect(findingsOf(second.analysis).length).toBeGreaterThan(0);
      // The content strategy reads every file whatever the stamps say.
      expect((await stamped(location, "content")).cache.unread).toBe(0);
    });

    test("a file edited to the same size is read again (its times changed), and its new call is found", async () => {
      writeTree(root, TREE);
      await settled();
      const location = path.join(root, ".cohere-migrate-cache");
      await stamped(location);
      expect((await stamped(location)).cache.unread).toBe(2);
      const before = fs.readFileSync(path.join(root, "src/plain.ts"), "utf8");
      const call = 'import { co } from "./client"; export const b = co.generate({ prompt: "x" });';
      const edited = call + " ".repeat(before.length - call.length - 1) + "\n";
      expect(edited.length).toBe(before.length);
      fs.writeFileSync(path.join(root, "src/plain.ts"), edited);
      const after = await stamped(location);
      expect(after.cache.unread).toBe(1);
      expect(findingsOf(after.analysis).some((f) => f.startsWith("src/plain.ts:"))).toBe(true);
      expect(keys(await check({ cwd: root, paths: ["."] })).some((k) => k.startsWith("src/plain.ts:"))).toBe(true);
    });

    test("a file changed just before a run is not stamped: an edit within the clock's resolution cannot hide", async () => {
      writeTree(root, TREE);
      const location = path.join(root, ".cohere-migrate-cache");
      // Written moments ago: read, but no stamp kept, so the next run reads it again.
      await stamped(location);
      const saved = JSON.parse(fs.readFileSync(location, "utf8")) as { stamps: Record<string, unknown> };
      expect(Object.keys(saved.stamps)).toEqual([]);
      expect((await stamped(location)).cache.unread).toBe(0);
      await settled();
      await stamped(location);
      const later = JSON.parse(fs.readFileSync(location, "utf8")) as { stamps: Record<string, unknown> };
      // package.json too: whether it declares an npm alias of cohere-ai is kept with its stamp.
      expect(Object.keys(later.stamps).map((f) => path.relative(root, f)).sort()).toEqual(["package.json", "src/client.ts", "src/local.ts", "src/other.ts", "src/plain.ts", "src/use.ts"]);
    });

    /** The paths a run opens or lists under the tree (what it reads from the disk). */
    async function touched(run: () => Promise<unknown>): Promise<string[]> {
      // The module object itself (the compiled sources reach its functions through it at each call).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodeFs = require("node:fs") as typeof fs;
      const spies = [jest.spyOn(nodeFs, "openSync"), jest.spyOn(nodeFs, "readFileSync"), jest.spyOn(nodeFs, "readdirSync")];
      try {
        await run();
        const calls = spies.flatMap((spy) => (spy.mock.calls as unknown[][]).map(([p]) => (typeof p === "string" ? path.relative(root, p) || "." : "..")));
        return [...new Set(calls.filter((p) => !p.startsWith("..") && !p.startsWith(".cohere-migrate-cache")))].sort();
      } finally {
        spies.forEach((spy) => spy.mockRestore());
      }
    }
    type Stamped = { analysis: Analysis; cache: DetectionCache };
    /** Writes the tree, lets it settle, runs `runs` times to fill the cache, then once more watching what that run reads. */
    async function rerunWatched(tree: Readonly<Record<string, string>>, runs = 1): Promise<{ location: string; first: Stamped; again: Stamped; read: string[] }> {
      writeTree(root, tree);
      await settled();
      const location = path.join(root, ".cohere-migrate-cache");
      const first = await stamped(location);
      for (let i = 1; i < runs; i++) await stamped(location);
      let again: Stamped | undefined;
      const read = await touched(async () => {
        again = await stamped(location);
      });
      return { location, first, again: again as Stamped, read };
    }
    const listed = (analysis: Analysis): string[] => analysis.files.map((f) => f.file).sort();
    const walked = (): string[] => discover(["."], root).files.map((f) => path.relative(root, f)).sort();

    test("a module a cached answer depends on, that is no candidate itself, keeps its content hash with its stamp", async () => {
      // use.ts's answer depends on client.ts (the client it imports), which names cohere-ai and
      // nothing else detection reports: no candidate, so only the dependency check hashes it.
      const { location, first, again } = await rerunWatched(TREE, 2);
      const saved = JSON.parse(fs.readFileSync(location, "utf8")) as { stamps: Record<string, unknown[]> };
      const stamp = saved.stamps[path.join(root, "src/client.ts")];
      expect(typeof stamp?.[6]).toBe("string");
      expect(again.cache.hits).toBeGreaterThan(0);
      expect(findingsOf(again.analysis)).toEqual(findingsOf(first.analysis));
    });

    test("a file whose generate call leads nowhere is not read again, nor are the modules it imports", async () => {
      const { location, first, again, read } = await rerunWatched({ ...TREE, "src/gen.ts": 'import { sum } from "./other";\nexport const g = (x: { run(n: number): number }) => x.run(sum([1])) + gen.generate();\ndeclare const gen: { generate(): number };\n' });
      expect(read).not.toContain("src/gen.ts");
      expect(read).not.toContain("src/other.ts");
      expect(read).not.toContain("src");
      expect(again.cache.unread).toBe(3);
      expect(findingsOf(again.analysis)).toEqual(findingsOf(first.analysis));
      // Once it imports the client, it is read and its call is found.
      fs.writeFileSync(path.join(root, "src/gen.ts"), 'import { co } from "./client";\nexport const g = () => co.generate({ prompt: "x" });\n');
      expect(findingsOf((await stamped(location)).analysis).some((f) => f.startsWith("src/gen.ts:"))).toBe(true);
    });

    test("an unchanged folder is not listed again; a file added to it and a .gitignore written or edited are seen", async () => {
      const { location, first, again, read } = await rerunWatched(TREE);
      // The root holds the cache file, whose writes change it: it alone is listed each run.
      expect(read.filter((p) => p === "src")).toEqual([]);
      expect(read).toContain(".");
      expect(listed(again.analysis)).toEqual(listed(first.analysis));
      // A file added: its folder's time changed, so the folder is listed again.
      fs.writeFileSync(path.join(root, "src/added.ts"), 'import { co } from "./client";\nexport const x = () => co.generate({ prompt: "x" });\n');
      const added = await stamped(location);
      expect(findingsOf(added.analysis).some((f) => f.startsWith("src/added.ts:"))).toBe(true);
      expect(listed(added.analysis)).toEqual(walked());
      // A .gitignore written at the root ignores it.
      fs.writeFileSync(path.join(root, ".gitignore"), "src/added.ts\n");
      const ignored = await stamped(location);
      expect(listed(ignored.analysis)).not.toContain("src/added.ts");
      expect(listed(ignored.analysis)).toEqual(walked());
      // Edited in place (the root's time does not change), it ignores another file instead.
      await settled();
      await stamped(location);
      await stamped(location);
      fs.writeFileSync(path.join(root, ".gitignore"), "src/plain.ts\n");
      const edited = await stamped(location);
      expect(listed(edited.analysis)).toContain("src/added.ts");
      expect(listed(edited.analysis)).not.toContain("src/plain.ts");
      expect(listed(edited.analysis)).toEqual(walked());
    });

    test("the Python reach's answers are reused while what they read is unchanged; a module that comes to import cohere is seen", async () => {
      const { location, first, again: third, read } = await rerunWatched(PACKAGE, 2);
      // other.py's `thing.generate()` leads to util.py, which imports nothing of Cohere's: other.py is
      // not read again, nor are the folders listed (util.py is still read: multi.py's cached answer
      // depends on its bytes).
      expect(read).not.toContain(path.join("app", "other.py"));
      expect(read).not.toContain(path.join("tools", "gen.py"));
      expect(read.filter((p) => p === "app" || p === "tools")).toEqual([]);
      expect(findingsOf(third.analysis)).toEqual(findingsOf(first.analysis));
      expect(findingsOf(first.analysis).some((f) => f.startsWith("app/other.py:"))).toBe(false);
      // util.py now hands out the client: other.py's call is Cohere's, as a run without the cache finds.
      fs.writeFileSync(path.join(root, "app/util.py"), "from .clients import co\n\nthing = co\n");
      const after = await stamped(location);
      expect(findingsOf(after.analysis).some((f) => f.startsWith("app/other.py:"))).toBe(true);
      const fresh = await analyze({ cwd: root, paths: ["."] });
      await fresh.pool.close();
      expect(findingsOf(after.analysis)).toEqual(findingsOf(fresh));
    });

    test("a rerun that changes nothing does not rewrite the cache file", async () => {
      writeTree(root, TREE);
      await settled();
      const location = path.join(root, ".cohere-migrate-cache");
      await stamped(location);
      await stamped(location);
      const written = fs.statSync(location).mtimeMs;
      const bytes = fs.readFileSync(location, "utf8");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await stamped(location);
      expect(fs.statSync(location).mtimeMs).toBe(written);
      expect(fs.readFileSync(location, "utf8")).toBe(bytes);
    });

    test("--cache-strategy on the command line takes metadata or content, nothing else", async () => {
      writeTree(root, TS);
      const metadata = await runCli(["check", "--cache", "--cache-strategy", "metadata", "--format", "json", "."], { cwd: root });
      const content = await runCli(["check", "--cache", "--cache-strategy", "content", "--format", "json", "."], { cwd: root });
      expect(metadata.code).toBe(1);
      expect(content).toEqual(metadata);
      const wrong = await runCli(["check", "--cache", "--cache-strategy", "mtime", "."], { cwd: root });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain("metadata, content");
    });
  });
});
