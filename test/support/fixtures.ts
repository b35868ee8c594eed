/**
 * Fixture discovery and running: `fixtures/<transform>/<case>.input.<ext>` with a sibling
 * `<case>.output.<ext>` (or one `<case>.unchanged.<ext>` for a file migrate must leave as it is),
 * or a folder `<case>/input/` with `<case>/output/` for cases that need several files (cross-file
 * clients, package.json updates). A folder's output leaves out the helper module migrate creates:
 * it is held to the transform folders' one copy, and type-checked from it (helperStandIns). It
 * also leaves out every file migrate must not change: the input is that file's expected output.
 * A Python output's inline helpers (a script's, a notebook's) are one line naming them
 * (expandInlineHelpers): their text is `_cohere_chat.py`'s.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check } from "../../src/check";
import { migrate } from "../../src/migrate";
import type { CheckResult, MigrateResult } from "../../src/types";

export const FIXTURES = path.join(__dirname, "..", "..", "fixtures");

export interface FixtureCase {
  transform: string;
  name: string;
  /** Relative path → text, for inputs and expected outputs. */
  inputs: Map<string, string>;
  outputs: Map<string, string>;
  /** Absolute paths of the expected output files (for type-checking in place). */
  outputFiles: string[];
  /**
   * The helper modules (`cohere-chat.ts`, `.cjs`, `_cohere_chat.py`, ...) the transform's folder
   * holds once for all its cases, as migrate creates them in the package of a migrated file (a
   * folder case may also hold its own, which is then compared as any output); base name → text.
   */
  helperModules: Map<string, string>;
  /**
   * A folder case's files migrate leaves as they were, which its output/ does not repeat (the
   * input serves as the expected output): absolute path in output/ → text, for type-checking the
   * files there that import them.
   */
  unchanged: Map<string, string>;
}

/** The helper module migrate creates in a package (src/transform/helper-module.ts). */
export const HELPER_MODULE_FILE = /^(?:cohere-chat\.(ts|mts|cts|js|mjs|cjs)|_cohere_chat\.py)$/;

/**
 * The Python fixtures are modules of one package, as the TypeScript ones are files of one: each
 * case runs beside an `__init__.py`, so its migrated module imports the helpers from the package's
 * `_cohere_chat.py` (the folder's copy, which defines them all), unless it looks run as a script
 * (then it keeps its own definitions, which those cases test).
 */
export const PYTHON_PACKAGE_MARKER = "__init__.py";

function readTree(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(abs, base, out);
    else out.set(path.relative(base, abs).split(path.sep).join("/"), fs.readFileSync(abs, "utf8"));
  }
  return out;
}

const PAIR_RE = /^(.*)\.(input|output|unchanged)\.([a-z]+)$/;

/**
 * A line of an expected Python output that stands for the helper definitions migrate writes into a
 * script or notebook (which cannot import the package's `_cohere_chat.py`): `# fixture: chat_text,
 * chat_delta_text from _cohere_chat.py`. The definitions are the ones of that one copy, so the
 * outputs do not each repeat them; expandInlineHelpers puts them back, byte for byte, before an
 * output is compared, type-checked or compiled.
 */
const INLINE_HELPERS = /^# fixture: (\w+(?:, \w+)*) from _cohere_chat\.py$/gm;

/** `def name(...)` of the fixtures' one `_cohere_chat.py`, up to the next top-level definition. */
function helperDefinition(module: string, name: string): string {
  const start = module.indexOf(`\ndef ${name}(`);
  if (start === -1) throw new Error(`fixtures/python/_cohere_chat.py defines no ${name}`);
  const next = module.indexOf("\ndef ", start + 1);
  return module.slice(start + 1, next === -1 ? undefined : next).replace(/\s+$/, "");
}

/** In a notebook's JSON, the same line as one entry of a cell's source: `    "# fixture: chat_text from _cohere_chat.py\n",`. */
const INLINE_HELPERS_CELL = /^([ \t]*)"# fixture: (\w+(?:, \w+)*) from _cohere_chat\.py\\n"(,?)$/gm;

/**
 * An expected Python output (a `.py` file, or a notebook's JSON with `notebook`) with its
 * `# fixture: ... from _cohere_chat.py` lines replaced by the definitions they name.
 */
export function expandInlineHelpers(text: string, notebook = false): string {
  if (!text.includes("# fixture: ")) return text;
  const module = fs.readFileSync(path.join(FIXTURES, "python", "_cohere_chat.py"), "utf8");
  const definitions = (names: string): string => names.split(", ").map((n) => helperDefinition(module, n)).join("\n\n\n");
  if (!notebook) return text.replace(INLINE_HELPERS, (_line, names: string) => definitions(names));
  return text.replace(INLINE_HELPERS_CELL, (_line, indent: string, names: string, comma: string) =>
    definitions(names).split("\n").map((line) => indent + JSON.stringify(`${line}\n`)).join(",\n") + comma,
  );
}

/** A fixture file's text, as the tests compare it (a Python output's inline helpers put back). */
function readExpected(file: string): string {
  const text = fs.readFileSync(file, "utf8");
  return file.endsWith(".py") || file.endsWith(".ipynb") ? expandInlineHelpers(text, file.endsWith(".ipynb")) : text;
}

/**
 * The helper modules of every transform folder, by base name: one text per name (the folders hold
 * the same copies, so that single-file outputs type-check in place beside them).
 */
export function sharedHelperModules(): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of transformFolders()) {
    for (const entry of fs.readdirSync(path.join(FIXTURES, folder))) {
      if (!HELPER_MODULE_FILE.test(entry)) continue;
      const text = fs.readFileSync(path.join(FIXTURES, folder, entry), "utf8");
      const known = out.get(entry);
      if (known !== undefined && known !== text) throw new Error(`fixtures/${folder}/${entry} differs from another folder's ${entry}`);
      out.set(entry, text);
    }
  }
  return out;
}

/** Every fixture case under fixtures/<transform>/, plus files that have no partner. */
export function fixtureCases(transform: string): { cases: FixtureCase[]; orphans: string[] } {
  const dir = path.join(FIXTURES, transform);
  const cases: FixtureCase[] = [];
  const orphans: string[] = [];
  const pairs = new Map<string, { input?: string; output?: string; ext: string }>();
  const helperModules = sharedHelperModules();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile() && HELPER_MODULE_FILE.test(entry.name)) continue;
    if (entry.isDirectory()) {
      const input = path.join(dir, entry.name, "input");
      const output = path.join(dir, entry.name, "output");
      if (!fs.existsSync(input) || !fs.existsSync(output)) {
        orphans.push(`${transform}/${entry.name} (needs input/ and output/)`);
        continue;
      }
      const written = new Map([...readTree(output)].map(([file, text]) => [file, /\.(py|ipynb)$/.test(file) ? expandInlineHelpers(text, file.endsWith(".ipynb")) : text]));
      const inputs = readTree(input);
      // A file output/ does not hold is one migrate must leave byte for byte: its input is its expected output.
      const kept = [...inputs].filter(([file]) => !written.has(file));
      cases.push({
        transform,
        name: entry.name,
        inputs,
        outputs: new Map([...written, ...kept]),
        outputFiles: [...written.keys()].map((f) => path.join(output, f)),
        unchanged: new Map(kept.map(([file, text]) => [path.join(output, file), text])),
        // A folder case's output may leave out the helper module migrate creates in a package of it:
        // that module is checked against the transform folder's one copy, as a single file's is.
        helperModules,
      });
      continue;
    }
    const m = PAIR_RE.exec(entry.name);
    if (!m) {
      orphans.push(`${transform}/${entry.name} (not <case>.input.<ext> or <case>.output.<ext>)`);
      continue;
    }
    const key = `${m[1]}.${m[3]}`;
    const pair = pairs.get(key) ?? { ext: m[3] };
    // `<case>.unchanged.<ext>`: a file migrate must leave byte for byte, its own input and output.
    if (m[2] === "unchanged") pair.input = pair.output = path.join(dir, entry.name);
    else pair[m[2] as "input" | "output"] = path.join(dir, entry.name);
    pairs.set(key, pair);
  }
  for (const [key, pair] of pairs) {
    if (!pair.input || !pair.output) {
      orphans.push(`${transform}/${key} (missing ${pair.input ? "output" : "input"})`);
      continue;
    }
    const file = `${key.slice(0, -(pair.ext.length + 1))}.${pair.ext}`;
    const inputs = new Map([[file, fs.readFileSync(pair.input, "utf8")]]);
    if (pair.ext === "py") inputs.set(PYTHON_PACKAGE_MARKER, "");
    cases.push({
      transform,
      name: key.slice(0, -(pair.ext.length + 1)),
      inputs,
      outputs: new Map([[file, readExpected(pair.output)]]),
      outputFiles: [pair.output],
      helperModules,
      unchanged: new Map(),
    });
  }
  return { cases, orphans };
}

/**
 * The folders tempTree made in this test file. Most tests leave theirs for the file's end (one
 * `afterAll` registered when this module loads, at the file's root, so it runs whatever failed):
 * without it every run of the suite left some 400 folders in the temporary directory.
 */
const madeTrees: string[] = [];
afterAll(() => {
  for (const dir of madeTrees.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes files into a fresh temporary folder (outside any git work tree), removed after the test file. */
export function tempTree(files: Map<string, string>, prefix = "cm-fixture-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeTrees.push(dir);
  for (const [rel, text] of files) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

/**
 * Runs the whole migrate pipeline on a set of files in a temporary folder, writing (so manifests it
 * updates are part of the result); returns each file's text after.
 */
export async function migrateFiles(files: Map<string, string>, options: { model?: string } = {}): Promise<{ texts: Map<string, string>; result: MigrateResult }> {
  const dir = tempTree(files);
  try {
    const result = await migrate({ cwd: dir, paths: ["."], model: options.model });
    return { texts: readTree(dir), result };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs check on a set of files; returns its findings, file names relative to the set. */
export async function checkFiles(files: Map<string, string>): Promise<CheckResult> {
  const dir = tempTree(files, "cm-fixture-check-");
  try {
    return await check({ cwd: dir, paths: ["."] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function transformFolders(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "demo")
    .map((e) => e.name)
    .sort();
}

/**
 * The helper modules a folder case's TypeScript outputs import and do not hold (`./cohere-chat`,
 * `../cohere-chat.js`): absolute path → the shared copy's text, for typeCheck.
 */
export function helperStandIns(cases: readonly FixtureCase[]): Map<string, string> {
  const out = new Map<string, string>();
  const helper = sharedHelperModules().get("cohere-chat.ts");
  if (helper === undefined) return out;
  for (const c of cases) {
    // The files a folder case's output/ leaves out, as they were (its outputs may import them).
    for (const [abs, text] of c.unchanged) out.set(abs, text);
    for (const file of c.outputFiles.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/from\s+["'](\.{1,2}\/(?:[^"']*\/)?cohere-chat)(?:\.js)?["']/g)) {
        const abs = `${path.resolve(path.dirname(file), m[1])}.ts`;
        if (!fs.existsSync(abs) && !c.unchanged.has(abs)) out.set(abs, helper);
      }
    }
  }
  return out;
}
