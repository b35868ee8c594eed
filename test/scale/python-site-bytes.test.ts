/**
 * The Python prefilter's site search (prefilter.ts hasPythonSiteBytes) against the Python
 * detector: a file whose bytes it passes over must hold nothing the detector reports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { hasPythonSiteBytes } from "../../src/engine/prefilter";
import { detectPython, type PythonDetection } from "../../src/python/engine";
import { tempTree } from "../support/fixtures";

const site = (text: string): boolean => hasPythonSiteBytes(Buffer.from(text));

/** What the detector reports in a file that imports cohere: its legacy uses, or an empty list. */
async function detected(file: string, text: string): Promise<string[]> {
  const out = await detectPython(file, text);
  if (!out.ok) throw new Error(`${file} does not parse: ${out.error.message}`);
  return out.result.sites.map((s) => s.kind);
}

const IMPORT = "import cohere\nco = cohere.Client('k')\n";

const SITES: Array<[string, string]> = [
  ["a call", "co.generate(prompt='x')"],
  ["an awaited call on a field", "async def f(self):\n    return await self.client.generate(prompt='x')"],
  ["the stream method", "for e in co.generate_stream(prompt='x'):\n    print(e)"],
  ["cohere 4.x batch_generate", "co.batch_generate(prompts=['a', 'b'])"],
  ["getattr with the name", 'getattr(co, "generate")(prompt="x")'],
  ["getattr, single quotes", "getattr(co, 'generate_stream')(prompt='x')"],
  ["spaces around the dot", "co . generate(prompt='x')"],
  ["a tab after the dot", "co.\tgenerate(prompt='x')"],
  ["a line break inside brackets", "r = (co\n     .generate(prompt='x'))"],
  ["a comment between the dot and the name", "r = (co.  # legacy\n     generate(prompt='x'))"],
  ["a backslash continuation after the dot", "r = co. \\\n    generate(prompt='x')"],
  ["a backslash continuation before the call", "r = co.generate\\\n    (prompt='x')"],
  ["in an f-string", 'print(f"{co.generate(prompt=\'x\').generations[0].text}")'],
  ["a bound method", "g = co.generate\ng(prompt='x')"],
  ["the Generate URL", 'requests.post("https://api.cohere.ai/v1/generate", json={})'],
  ["the Generate path after a base in an f-string", 'BASE = "https://api.cohere.ai/v1/"\nrequests.post(f"{BASE}generate", json={})'],
  ["at the end of the file", "g = co.generate"],
];

const NOT_SITES: Array<[string, string]> = [
  ["a method of one's own", "class LLM:\n    def _generate(self, prompts):\n        return prompts"],
  ["longer names", "regenerate(); generated = 1; co.generate_text(); x.generateThing()"],
  ["prose in a docstring", 'def f():\n    """We generate text here."""\n    return 1'],
  ["a keyword argument", "run(generate=True)"],
  ["a function of one's own", "def generate(prompt):\n    return prompt\n\nprint(generate('x'))"],
];

describe("Python byte prefilter: where `generate` can be a site", () => {
  test.each(SITES)("%s", async (_name, body) => {
    const text = IMPORT + body + "\n";
    expect(site(text)).toBe(true);
    // The form is one the detector reports: the search is not asked about shapes nobody finds.
    expect((await detected("t.py", text)).length).toBeGreaterThan(0);
  });

  test.each(NOT_SITES)("not a site: %s", async (_name, body) => {
    const text = IMPORT + body + "\n";
    expect(site(text)).toBe(false);
    expect(await detected("t.py", text)).toEqual([]);
  });

  test("a notebook whose continuation line is indented with a tab (the JSON escape `\\t`)", () => {
    expect(site(JSON.stringify({ source: ["r = (co.\n", '\tgenerate(prompt="x"))'] }))).toBe(true);
    expect(site(JSON.stringify({ source: 'r = (co.\n\tgenerate(prompt="x"))' }))).toBe(true);
    expect(site('{"source": ["r = (co.\\u000c generate(prompt=1))"]}')).toBe(true);
  });

  test("a notebook whose cell source is one JSON string (lines joined by \\n escapes)", () => {
    const cell = JSON.stringify({ cells: [{ cell_type: "code", source: "r = (co.  # legacy\n     generate(prompt='x'))" }] });
    expect(site(cell)).toBe(true);
  });
});

describe("Python byte prefilter: every fixture the detector reports in is kept", () => {
  const root = path.join(__dirname, "..", "..", "fixtures");
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (/\.(py|ipynb)$/.test(entry.name)) files.push(abs);
    }
  };
  walk(root);

  test("the fixtures hold Python files, most with sites", async () => {
    expect(files.length).toBeGreaterThan(40);
    const missed: string[] = [];
    let withSites = 0;
    for (const abs of files) {
      const raw = fs.readFileSync(abs);
      const out = await detectPython(abs, raw.toString("utf8"));
      if (!out.ok) throw new Error(`${abs} does not parse: ${out.error.message}`);
      // Sites on names imported from other modules wait in `python.pending` until the engine settles them.
      const sites = out.result.sites.length + ((out.result as Partial<PythonDetection>).python?.pending.length ?? 0);
      if (sites === 0) continue;
      withSites++;
      if (!hasPythonSiteBytes(raw)) missed.push(path.relative(root, abs));
    }
    expect(withSites).toBeGreaterThan(30);
    expect(missed).toEqual([]);
  });
});

describe("Python byte prefilter: files the detector reads as importing cohere are parsed", () => {
  const notebook = (source: string[]): string =>
    JSON.stringify({ cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source }], metadata: {}, nbformat: 4, nbformat_minor: 5 });

  test.each([
    ["a byte-order mark before the import on the first line", "\uFEFFfrom cohere import Client\nco = Client('k')\nprint(co.generate(prompt='x').generations[0].text)\n"],
    ["a form feed before the import (a page break)", "\fimport cohere\nco = cohere.Client('k')\nr = co.generate(prompt='x')\n"],
  ])("%s: found with the prefilter as without", async (_name, text) => {
    const dir = tempTree(new Map([["main.py", text]]));
    const on = await check({ cwd: dir, paths: ["."] });
    const off = await check({ cwd: dir, paths: ["."], prefilter: false });
    expect(on.findings.map((f) => `${f.file}:${f.span.start.line} ${f.rule}`)).toEqual(["main.py:3 generate"]);
    expect(on.findings.map((f) => f.rule)).toEqual(off.findings.map((f) => f.rule));
  });

  test("a notebook cell with a tab-indented continuation line", async () => {
    const dir = tempTree(new Map([["nb.ipynb", notebook(["import cohere\n", 'co = cohere.Client("k")\n', "r = (co.\n", '\tgenerate(prompt="hello"))\n'])]]));
    const on = await check({ cwd: dir, paths: ["."] });
    expect(on.findings.map((f) => f.rule)).toEqual(["generate"]);
  });
});
