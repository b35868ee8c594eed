/**
 * The migrated Python fixtures against the real SDK's types and the real interpreter: pyright (from
 * npm) on every `fixtures/python/*.output.py` reports no error its input did not already have, and
 * every output compiles with `python -m py_compile`. One pyright run per side, on cohere 7.3.1 (the
 * version migrate raises requirements to).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expandInlineHelpers, FIXTURES } from "../support/fixtures";
import { pythonFor } from "../support/python-env";
import { spawnCollect } from "../support/run-program";
import { pyrightDiagnostics, removeProgram, writeProgram, type ProgramDir, type PyrightDiagnostic } from "../support/run-python";

const PYTHON_FIXTURES = path.join(FIXTURES, "python");
const names = fs
  .readdirSync(PYTHON_FIXTURES)
  .filter((f) => f.endsWith(".output.py"))
  .map((f) => f.slice(0, -".output.py".length))
  .sort();

/** A case's expected output as migrate writes it (its inline helpers put back from `_cohere_chat.py`). */
function expectedOutput(name: string): string {
  return expandInlineHelpers(fs.readFileSync(path.join(PYTHON_FIXTURES, `${name}.output.py`), "utf8"));
}

/**
 * Errors keyed without their line (migration moves lines): rule and message, counted. `text` is
 * the file's, for the one kind keyed by statement instead: a call unpacking a dict of mixed values
 * (`co.generate(**params)`) is an error per parameter whose type the values' union is not, whichever
 * method it calls; migrate rewriting that dict for `co.v2.chat(**params)` changes the parameters,
 * not the error, so such a statement counts once however many parameters pyright names.
 */
function errorCounts(diagnostics: readonly PyrightDiagnostic[], file: string, text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = text.split("\n");
  const unpacking = new Set<number>();
  for (const d of diagnostics) {
    if (d.file !== file) continue;
    if (d.rule === "reportArgumentType" && /\*\*[\w{(]/.test(lines[d.line - 1] ?? "") && /^Argument of type ".*" cannot be assigned to parameter "\w+"/.test(d.message)) {
      if (unpacking.has(d.line)) continue;
      unpacking.add(d.line);
      const key = "reportArgumentType: a dict of mixed values unpacked into a call";
      counts.set(key, (counts.get(key) ?? 0) + 1);
      continue;
    }
    // A receiver pyright already could not read (`co = None` in a class body, filled from outside)
    // is as unreadable for `.v2` as it was for `.generate`: the same error, not one migration added.
    // So is a parameter defaulting to None (`client=None`, every call passing a client).
    const message = d.message.startsWith('Cannot access attribute "v2" for class "None"') || d.message === '"v2" is not a known attribute of "None"' ? d.message.replace(/"v2"/g, '"generate"') : d.message;
    const key = `${d.rule ?? "syntax"}: ${message}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe("migrated Python fixtures", () => {
  let dir: ProgramDir;
  let before: PyrightDiagnostic[];
  let after: PyrightDiagnostic[];

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const name of names) {
      // Each side in its own folder, each fixture a module of its own name, so they cannot clash.
      files[`before/${name.replace(/-/g, "_")}.py`] = fs.readFileSync(path.join(PYTHON_FIXTURES, `${name}.input.py`), "utf8");
      files[`after/${name.replace(/-/g, "_")}.py`] = expectedOutput(name);
    }
    // The outputs are modules of a package that imports the helpers from its _cohere_chat.py, as
    // the fixtures folder is (test/support/fixtures.ts).
    for (const side of ["before", "after"]) files[`${side}/__init__.py`] = "";
    files["after/_cohere_chat.py"] = fs.readFileSync(path.join(PYTHON_FIXTURES, "_cohere_chat.py"), "utf8");
    dir = writeProgram(files);
    [before, after] = await Promise.all([pyrightDiagnostics(dir, ["before"], "cohere-7"), pyrightDiagnostics(dir, ["after"], "cohere-7")]);
  }, 240_000);

  afterAll(() => removeProgram(dir));

  it("covers every fixture", () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
  });

  it.each(names)("%s: pyright finds no error migration added", (name) => {
    const module = `${name.replace(/-/g, "_")}.py`;
    const was = errorCounts(before, `before/${module}`, fs.readFileSync(path.join(PYTHON_FIXTURES, `${name}.input.py`), "utf8"));
    // A statement migrate marked is what the marker asks a person to finish (`r.meta.warnings` has
    // no Chat counterpart): its errors are the marker's, as --verify lists them for TypeScript.
    const lines = expectedOutput(name).split("\n");
    const marked = (line: number): boolean => /^\s*# cohere-migrate: /.test(lines[line - 2] ?? "");
    const added: string[] = [];
    for (const [key, count] of errorCounts(after.filter((d) => d.file !== `after/${module}` || !marked(d.line)), `after/${module}`, lines.join("\n"))) {
      const extra = count - (was.get(key) ?? 0);
      if (extra > 0) {
        const lines = after.filter((d) => d.file === `after/${module}` && `${d.rule ?? "syntax"}: ${d.message}` === key).map((d) => d.line);
        added.push(`${key} (line ${lines.join(", ")})`);
      }
    }
    expect(added).toEqual([]);
  });

  it("every output compiles with py_compile", async () => {
    const outputs = names.map((name) => path.join(dir.app, "after", `${name.replace(/-/g, "_")}.py`));
    // The byte code goes to one scratch file in the program folder, never beside the fixtures.
    const script = "import py_compile, sys\nfor f in sys.argv[2:]:\n    py_compile.compile(f, cfile=sys.argv[1], doraise=True)\nprint(len(sys.argv) - 2)\n";
    const out = await spawnCollect(pythonFor("cohere-7"), ["-c", script, path.join(dir.app, "scratch.pyc"), ...outputs], dir.app, { PATH: process.env.PATH ?? "" }, 60_000);
    expect(out.stderr).toBe("");
    expect(out.stdout.trim()).toBe(String(names.length));
  });
});
