/**
 * `migrate --verify`: type-checks each migrated TypeScript file with the repository's own
 * tsconfig.json (the nearest one above the file) before anything is written, and compares its
 * diagnostics with those of the file before migration. An error the migration added (by code and
 * message, counted, so a moved line is not a new error) is reported with its line and column in
 * the migrated text.
 *
 * Only the migrated files are the program's roots (their imports are followed as the compiler
 * follows them), so the check costs a program of the files that changed, not of the repository.
 * A file with no tsconfig.json above it (up to the repository top) is not verified, and says so.
 */
import * as path from "node:path";
import { ts } from "ts-morph";

export interface VerifyInput {
  abs: string;
  before: string;
  after: string;
}

export interface AddedError {
  line: number;
  column: number;
  /** `TS2345: Argument of type ...` */
  message: string;
}

/**
 * `tsconfig`: the configuration checked with (a tsconfig.json, or pyright's pyrightconfig.json / pyproject.toml).
 * `untilMarker`: added errors inside a statement migrate marked: the marker already asks for the
 * change that makes it compile, so they are listed, not counted as breaking the build.
 */
export type VerifyOutcome =
  | { verified: true; tsconfig: string; added: AddedError[]; untilMarker?: Array<AddedError & { marker: string; markerLine: number }> }
  | { verified: false; reason: string };

/**
 * Splits the added errors of a migrated TypeScript text by whether they fall in a statement a
 * marker comment (`markers`: its code and 1-based line in `text`) stands above, or on the marker's line.
 */
export function errorsUnderMarkers(
  file: string,
  text: string,
  added: readonly AddedError[],
  markers: ReadonlyArray<{ code: string; line: number }>,
): { added: AddedError[]; untilMarker: Array<AddedError & { marker: string; markerLine: number }> } {
  if (!markers.length || !added.length) return { added: [...added], untilMarker: [] };
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  // Each marker's reach: its line, the outermost statement that starts right after it, and, when
  // that statement declares names (`const tokens = undefined;` for a read that has no Chat value),
  // the statements that use them.
  const reach = markers.map((m) => ({ ...m, ranges: [[m.line, m.line]] as Array<[number, number]>, names: new Set<string>(), after: -1, scopeEnd: -1 }));
  const bind = (name: ts.BindingName, into: Set<string>): void => {
    if (ts.isIdentifier(name)) into.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bind(e.name, into);
  };
  const statements: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStatement(node) || ts.isClassElement(node)) {
      statements.push(node);
      const start = lineOf(node.getStart(sf));
      for (const r of reach) {
        if ((start !== r.line && start !== r.line + 1) || r.after !== -1) continue;
        r.ranges.push([start, lineOf(node.getEnd())]);
        r.after = node.getEnd();
        r.scopeEnd = node.parent.getEnd();
        if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) bind(d.name, r.names);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const uses = (node: ts.Node, names: ReadonlySet<string>): boolean => (ts.isIdentifier(node) && names.has(node.text)) || (ts.forEachChild(node, (c) => uses(c, names) || undefined) ?? false);
  for (const r of reach) {
    if (!r.names.size) continue;
    // The innermost statements after the marked one that read a declared name.
    for (const s of statements) if (s.getStart(sf) >= r.after && s.getEnd() <= r.scopeEnd && uses(s, r.names) && !statements.some((t) => t !== s && t.pos >= s.pos && t.end <= s.end && uses(t, r.names))) r.ranges.push([lineOf(s.getStart(sf)), lineOf(s.getEnd())]);
  }
  const out = { added: [] as AddedError[], untilMarker: [] as Array<AddedError & { marker: string; markerLine: number }> };
  for (const e of added) {
    // The nearest marker above the error whose reach holds it.
    const r = reach.filter((m) => m.line <= e.line && m.ranges.some(([from, to]) => e.line >= from && e.line <= to)).sort((a, b) => b.line - a.line)[0];
    if (r) out.untilMarker.push({ ...e, marker: r.code, markerLine: r.line });
    else out.added.push(e);
  }
  return out;
}

const TYPESCRIPT = /\.(ts|tsx|mts|cts)$/;

export function isVerifiable(file: string): boolean {
  return TYPESCRIPT.test(file) && !/\.d\.(m|c)?ts$/.test(file);
}

function nearestTsconfig(file: string, stopAt: string): string | undefined {
  const top = path.resolve(stopAt);
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (ts.sys.fileExists(candidate)) return candidate;
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

interface Diagnostic {
  key: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The errors of `texts` (absolute path → text) compiled with the tsconfig's options. A ts-morph
 * project brings the compiler's own lib files (which ts-morph keeps in memory, not on disk); the
 * files' imports are read from disk.
 */
function diagnosticsOf(tsconfig: string, texts: ReadonlyMap<string, string>): Map<string, Diagnostic[]> {
  const { Project } = require("ts-morph") as typeof import("ts-morph");
  const project = new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, compilerOptions: { noEmit: true } });
  for (const [file, text] of texts) project.createSourceFile(file, text, { overwrite: true });
  const program = project.getProgram().compilerObject;
  const out = new Map<string, Diagnostic[]>();
  for (const file of texts.keys()) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const list = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.category === ts.DiagnosticCategory.Error);
    out.set(
      file,
      list.map((d) => {
        const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
        const at = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        return { key: message, line: at.line + 1, column: at.character + 1, message };
      }),
    );
  }
  return out;
}

/** The errors of `after` that `before` did not have, by code and message, counted (a moved line is not new). */
function addedErrors(before: readonly Diagnostic[] = [], after: readonly Diagnostic[] = []): AddedError[] {
  const had = new Map<string, number>();
  for (const d of before) had.set(d.key, (had.get(d.key) ?? 0) + 1);
  const added: AddedError[] = [];
  for (const d of after) {
    const n = had.get(d.key) ?? 0;
    if (n > 0) had.set(d.key, n - 1);
    else added.push({ line: d.line, column: d.column, message: d.message });
  }
  return added;
}

/** The errors each migrated file adds, by absolute path; files without a tsconfig are not verified. */
export function verifyTypeScript(files: readonly VerifyInput[], stopAt: string, created: ReadonlyArray<{ abs: string; text: string }> = []): Map<string, VerifyOutcome> {
  const out = new Map<string, VerifyOutcome>();
  const groups = new Map<string, VerifyInput[]>();
  for (const f of files) {
    const config = nearestTsconfig(f.abs, stopAt);
    if (!config) {
      out.set(f.abs, { verified: false, reason: "no tsconfig.json above it" });
      continue;
    }
    groups.set(config, [...(groups.get(config) ?? []), f]);
  }
  for (const [config, group] of groups) {
    let before: Map<string, Diagnostic[]>;
    let after: Map<string, Diagnostic[]>;
    try {
      before = diagnosticsOf(config, new Map(group.map((f) => [path.resolve(f.abs), f.before])));
      // The helper modules migrate creates or extends are part of the program the migrated files import.
      const modules = created.filter((c) => !group.some((f) => path.resolve(f.abs) === path.resolve(c.abs)));
      after = diagnosticsOf(config, new Map([...group.map((f) => [path.resolve(f.abs), f.after] as const), ...modules.map((c) => [path.resolve(c.abs), c.text] as const)]));
    } catch (e) {
      for (const f of group) out.set(f.abs, { verified: false, reason: `${config} could not be used: ${(e as Error).message.split("\n")[0]}` });
      continue;
    }
    for (const f of group) {
      const abs = path.resolve(f.abs);
      out.set(f.abs, { verified: true, tsconfig: config, added: addedErrors(before.get(abs), after.get(abs)) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Python: pyright, where the repository configures it

const PY_SKIPPED = new Set(["node_modules", ".git", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", "site-packages", "dist", "build"]);

/** The pyright configuration of the repository: pyrightconfig.json, or [tool.pyright] in pyproject.toml. */
function pyrightConfig(root: string): string | undefined {
  const json = path.join(root, "pyrightconfig.json");
  if (ts.sys.fileExists(json)) return json;
  const toml = path.join(root, "pyproject.toml");
  return ts.sys.fileExists(toml) && /^\[tool\.pyright\]/m.test(ts.sys.readFile(toml) ?? "") ? toml : undefined;
}

/** The repository's own pyright (node_modules), or one on PATH. */
function pyrightCommand(root: string): string[] | undefined {
  const local = path.join(root, "node_modules", "pyright", "index.js");
  if (ts.sys.fileExists(local)) return [process.execPath, local];
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  return spawnSync("pyright", ["--version"], { encoding: "utf8" }).status === 0 ? ["pyright"] : undefined;
}

function copyPythonTree(from: string, to: string): void {
  const fs = require("node:fs") as typeof import("node:fs");
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!PY_SKIPPED.has(entry.name) && !fs.existsSync(path.join(from, entry.name, "pyvenv.cfg"))) copyPythonTree(path.join(from, entry.name), path.join(to, entry.name));
    } else if (entry.isFile() && /\.pyi?$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
    }
  }
}

interface PyrightJson {
  generalDiagnostics?: Array<{ file: string; severity: string; message: string; rule?: string; range: { start: { line: number; character: number } } }>;
}

function runPyright(command: string[], dir: string): Map<string, Diagnostic[]> {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const r = spawnSync(command[0], [...command.slice(1), "--outputjson"], { cwd: dir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`pyright failed (exit ${String(r.status)}): ${(r.stderr || r.stdout).split("\n")[0]}`);
  const out = new Map<string, Diagnostic[]>();
  const fs = require("node:fs") as typeof import("node:fs");
  const real = fs.realpathSync(dir);
  for (const d of (JSON.parse(r.stdout) as PyrightJson).generalDiagnostics ?? []) {
    if (d.severity !== "error") continue;
    const file = path.relative(real, d.file);
    const message = `${d.rule ? `${d.rule}: ` : ""}${d.message.replace(/\s+/g, " ")}`;
    out.set(file, [...(out.get(file) ?? []), { key: message, line: d.range.start.line + 1, column: d.range.start.character + 1, message }]);
  }
  return out;
}

/**
 * The errors each migrated Python file adds, by pyright with the repository's configuration: the
 * repository's Python files are copied to a scratch folder (the originals are never touched), checked,
 * the migrated texts put in, checked again. Not verified when the repository configures no pyright
 * or none is installed.
 */
export function verifyPython(files: readonly VerifyInput[], root: string, created: ReadonlyArray<{ abs: string; text: string }> = []): Map<string, VerifyOutcome> {
  const out = new Map<string, VerifyOutcome>();
  const config = pyrightConfig(root);
  const command = config && pyrightCommand(root);
  if (!config || !command) {
    for (const f of files) out.set(f.abs, { verified: false, reason: config ? "pyright is not installed" : "the repository does not configure pyright" });
    return out;
  }
  const fs = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cohere-migrate-verify-"));
  try {
    copyPythonTree(root, scratch);
    let text = fs.readFileSync(config, "utf8");
    if (config.endsWith(".json")) {
      // Relative venv paths are the repository's: made absolute for the scratch copy.
      const json = JSON.parse(text) as { venvPath?: string };
      if (json.venvPath && !path.isAbsolute(json.venvPath)) json.venvPath = path.resolve(root, json.venvPath);
      text = JSON.stringify(json);
    }
    fs.writeFileSync(path.join(scratch, path.basename(config)), text);
    const rel = (f: VerifyInput) => path.relative(root, f.abs);
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(scratch, rel(f))), { recursive: true });
      fs.writeFileSync(path.join(scratch, rel(f)), f.before);
    }
    const before = runPyright(command, scratch);
    for (const f of files) fs.writeFileSync(path.join(scratch, rel(f)), f.after);
    // The helper modules migrate writes beside them (python/helpers.ts), as they will be.
    for (const c of created) fs.writeFileSync(path.join(scratch, path.relative(root, c.abs)), c.text);
    const after = runPyright(command, scratch);
    for (const f of files) {
      out.set(f.abs, { verified: true, tsconfig: config, added: addedErrors(before.get(rel(f)), after.get(rel(f))) });
    }
  } catch (e) {
    for (const f of files) out.set(f.abs, { verified: false, reason: (e as Error).message });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}
