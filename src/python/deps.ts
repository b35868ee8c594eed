/**
 * Python manifests: migrated code calls `client.v2.chat(...)` / `cohere.ClientV2`, so a project whose
 * declared `cohere` requirement admits no SDK that has them gets that requirement raised. This is
 * `engine/deps.ts`'s job for package.json, done for requirements files, pyproject.toml, Pipfile,
 * setup.cfg and setup.py. A lock file beside them (poetry.lock, Pipfile.lock) is not rewritten:
 * the update names it and its command (`engine/lockfiles.ts`).
 *
 * Which manifests: those of the nearest folder, from the Python file's folder up to the git root
 * (or the run's folder), that has a requirements file (`requirements*.txt`, `*-requirements.txt`,
 * their pip-tools `.in` sources, and `requirements/*.txt`), a `pyproject.toml` with `[project]`,
 * `[tool.poetry]` or `[dependency-groups]`, a `Pipfile`, a `setup.cfg` with `[options]`, or a `setup.py`; of
 * those, the ones that declare the `cohere` distribution itself (PEP 503 names: `Cohere` is it,
 * `langchain-cohere`, `cohere-toolkit` and `llama-index-llms-cohere` are not). A pyproject.toml or
 * setup.cfg that only configures tools does not make its folder a project.
 *
 * When: when the declared spec admits no release from the minimum on (`==4.57`, `~=4.37`, `<5`,
 * `>=4,<5`, `^4.37`: rewritten as below), or declares a floor below it (`>=4`, `>=5,<6`, `^5.2`:
 * only the floor is raised, `>=5.8`, `>=5.8,<6`, `^5.8`, since an environment that holds the old
 * release satisfies the old floor and pip keeps it). `cohere`, `cohere<8`, `*` (no floor) and
 * `cohere==6.0.0` are left alone.
 *
 * The rewrite, keeping the form the maintainer chose. With M the minimum (5.8.0 unless the transform
 * asks for more), T = PYTHON_TARGET (7.3.1, the newest release, which the behaviour tests run on)
 * and U the major after T (8):
 *   - an exact pin (`==4.57`, `===4.57`, Poetry's bare `4.57`) stays a pin, of T: `==7.3.1`;
 *   - a Poetry caret stays carets, one per major from M's to T's: `^4.37` -> `^5.8 || ^6.0 || ^7.0`
 *     (a single `^5.8` would forbid 6 and 7);
 *   - anything else (`>=4,<5`, `~=4.37`, `<5`, `==4.*`, Poetry's `~4.37`) becomes `>=M,<U`:
 *     `>=5.8,<8`. A compatible-release `~=5.8` would forbid 6 and 7, and an open `>=5.8` admits
 *     majors nobody has tested.
 * Versions keep the original's precision (`>=4.0.0,<5.0.0` -> `>=5.8.0,<8.0.0`, `>=4,<5` ->
 * `>=5.8,<8`) and its spacing (`>= 4.0, < 5` -> `>= 5.8, < 8`). So every result but a pin admits
 * 5.8.0 through 7.x, 5.21.1 (the last 5.x) included.
 *
 * Only the specifier's bytes change: names, extras (`cohere[aws]`), markers (`; python_version >=
 * "3.9"`), `--hash` options, comments, order and line endings are kept. `-r`/`-c` includes are not
 * followed: each file is planned on its own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { explain, gte, satisfies, validRange } from "@renovatebot/pep440";
import { readText } from "../engine/read-text";

/** `Client.v2` and `ClientV2` exist from 5.8.0; the transform passes more when its output needs more. */
export const PYTHON_CHAT_V2_MINIMUM = "5.8.0";
/** The release pins are moved to, and whose major bounds the ranges written: the newest one tested. */
export const PYTHON_TARGET = "7.3.1";

export interface PythonDepUpdate {
  file: string;
  name: "cohere";
  /** The first raised specifier as written, `==4.57`, `^4.37`. */
  from: string;
  to: string;
  /** The whole new file text. */
  text: string;
  /** Set when the new text is not the whole job: `--hash` options that name the old release. */
  note?: string;
}

/** One place a manifest declares `cohere`, with the byte range of its specifier (empty for a bare name). */
interface Declaration {
  start: number;
  end: number;
  spec: string;
  /** Poetry's own constraint syntax (carets, tildes, bare versions) rather than PEP 440. */
  poetry: boolean;
  /** A direct URL (`cohere @ https://...`) or a VCS/path dependency: the user's business. */
  pinnedElsewhere: boolean;
  /** The requirements line carries `--hash` options. */
  hashed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Which manifests

const REQUIREMENTS_FILE = /^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.(?:txt|in)$/i;
const REQUIREMENTS_DIR_FILE = /\.(?:txt|in)$/i;

export function pythonManifests(fromDir: string, stopDir: string): string[] {
  const stop = path.resolve(stopDir);
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    // A Dockerfile or conda environment counts only where it installs cohere: one beside the code
    // that does not (a base image, other tools) does not end the search for the requirements.
    const found = manifestsIn(dir).filter((file) => !INSTALL_FILE.test(path.basename(file)) || declarations(file, readText(file) ?? "").length > 0);
    if (found.length) return [...new Set([...found.filter((file) => declarations(file, readText(file) ?? "").length > 0), ...testInstalls(dir, stop)])];
    if (dir === stop || path.dirname(dir) === dir) return testInstalls(undefined, stop);
  }
}

/**
 * Where the project's tests install cohere besides its manifests: a CI workflow's
 * `pip install cohere==4.57` (.github/workflows at the repository's top) and tox.ini's `deps`
 * (beside the manifest, or at the top). Under a 4.x pin there, CI runs the migrated code on 4.x.
 */
function testInstalls(dir: string | undefined, stop: string): string[] {
  const out: string[] = [];
  const workflows = path.join(stop, ".github", "workflows");
  for (const name of list(workflows)) if (/\.ya?ml$/i.test(name)) out.push(path.join(workflows, name));
  for (const folder of new Set([dir, stop])) if (folder) out.push(path.join(folder, "tox.ini"));
  // Images and services built from other files than the one beside the code: docker/Dockerfile,
  // deploy/Dockerfile.prod, a compose file's `pip install` (an image run on the old pin fails on client.v2).
  for (const folder of new Set([dir, stop])) {
    if (!folder) continue;
    for (const name of list(folder)) if (COMPOSE_FILE.test(name) || DOCKERFILE.test(name)) out.push(path.join(folder, name));
    for (const sub of DOCKER_FOLDERS) for (const name of list(path.join(folder, sub))) if (DOCKERFILE.test(name) || COMPOSE_FILE.test(name)) out.push(path.join(folder, sub, name));
  }
  return [...new Set(out)].filter((file) => isFile(file) && declarations(file, readText(file) ?? "").length > 0);
}

/** Folders beside a project's manifest where its container builds usually live. */
const DOCKER_FOLDERS = ["docker", "deploy", "deployment", ".devcontainer", "build", "ops", "infra"] as const;

function manifestsIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of list(dir)) {
    const file = path.join(dir, name);
    if (REQUIREMENTS_FILE.test(name) && isFile(file)) out.push(file);
    else if (name === "setup.py" && isFile(file)) out.push(file);
    else if (name === "pyproject.toml" && /^\s*\[\s*(?:project|tool\s*\.\s*poetry|dependency-groups)\s*[\].]/m.test(readText(file) ?? "")) out.push(file);
    else if (name === "setup.cfg" && /^\s*\[\s*options\s*[\].]/m.test(readText(file) ?? "")) out.push(file);
    else if (name === "Pipfile" && isFile(file)) out.push(file);
    // A conda environment's pip section, and a Dockerfile's `RUN pip install`: what the program is
    // installed with there.
    else if (/^environment\.ya?ml$/i.test(name) && isFile(file)) out.push(file);
    else if (DOCKERFILE.test(name) && isFile(file)) out.push(file);
  }
  const sub = path.join(dir, "requirements");
  for (const name of list(sub)) if (REQUIREMENTS_DIR_FILE.test(name) && isFile(path.join(sub, name))) out.push(path.join(sub, name));
  return out.sort();
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Planning and writing

/** The last cohere release that installs on Python 3.9 (5.21.1: Requires-Python >=3.9; 6 and 7 need 3.10). */
export const PYTHON_39_TARGET = "5.21.1";

/**
 * The Python the project says it runs below 3.10, with where it says so: `requires-python` or
 * `python_requires` capped below 3.10 or starting below it (`>=3.8`), runtime.txt, .python-version,
 * a Dockerfile's `FROM python:3.9`.
 * Looked for beside the manifest.
 */
export function olderPython(dir: string): { version: string; where: string } | undefined {
  const below310 = (v: string): boolean => /^3\.[0-9](?:\.|$)/.test(v) && !/^3\.1\d/.test(v);
  const checks: Array<[string, RegExp]> = [
    ["runtime.txt", /^\s*python-(3\.\d+)/m],
    [".python-version", /^\s*(3\.\d+)/m],
    ["Dockerfile", /^\s*FROM\s+(?:\S+\/)?python:(3\.\d+)/im],
  ];
  for (const [name, re] of checks) {
    const version = re.exec(readText(path.join(dir, name)) ?? "")?.[1];
    if (version && below310(version)) return { version, where: name };
  }
  for (const name of ["pyproject.toml", "setup.py", "setup.cfg"]) {
    const capped = /(?:requires-python|python_requires)\s*[=:]\s*["']?[^"'\n]*<\s*=?\s*3\.(\d+)/.exec(readText(path.join(dir, name)) ?? "");
    if (capped && (Number(capped[1]) < 10 || (Number(capped[1]) === 10 && !/<=/.test(capped[0])))) return { version: `<3.${capped[1]}`, where: name };
    // Handles: requires-python = ">=3.8" (poetry `python = "^3.9"`): it says it installs on 3.8 and 3.9 too.
    const floor = /^\s*(?:requires-python|python_requires|python)\s*[=:]\s*["']?\s*(?:>=|~=|\^|==)\s*3\.(\d+)/m.exec(readText(path.join(dir, name)) ?? "");
    if (floor && Number(floor[1]) < 10) return { version: `>=3.${floor[1]}`, where: name };
  }
  return undefined;
}

export function planPythonUpdate(file: string, text: string, minimum: string): PythonDepUpdate | undefined {
  // Handles: cohere==4.57 in a project on Python 3.9: a pin of 7.3.1 would not install there.
  const older = gte(PYTHON_39_TARGET, minimum) ? olderPython(path.dirname(file)) : undefined;
  const olderNote = older && `the project runs Python ${older.version} (${older.where}): cohere 6 and 7 need 3.10, so the pin is ${PYTHON_39_TARGET}, the last release for 3.9`;
  const pinFor = (to: string): string => (older ? to.replace(new RegExp(`^(===?\\s*)?${PYTHON_TARGET.replace(/\./g, "\\.")}$`), `$1${PYTHON_39_TARGET}`) : to);
  if (isShellInstalls(file)) {
    const raised = dockerfileEdits(text, minimum).map((e) => ({ ...e, text: e.text.replace(e.to, pinFor(e.to)), to: pinFor(e.to) }));
    if (!raised.length) return undefined;
    let out = text;
    for (const e of [...raised].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    const update: PythonDepUpdate = { file, name: "cohere", from: raised[0].from, to: raised[0].to, text: out };
    if (olderNote && raised.some((e) => e.to.endsWith(PYTHON_39_TARGET))) update.note = olderNote;
    return update;
  }
  const edits: { start: number; end: number; to: string; from: string; hashed: boolean }[] = [];
  for (const d of declarations(file, text)) {
    const raised = raisedSpec(d, minimum);
    const to = raised === undefined ? undefined : pinFor(raised);
    if (to !== undefined) edits.push({ start: d.start, end: d.end, from: d.spec, to, hashed: d.hashed });
  }
  const first = edits[0];
  if (!first) return undefined;
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.to + out.slice(e.end);
  const update: PythonDepUpdate = { file, name: "cohere", from: first.from, to: first.to, text: out };
  const hashed = edits.find((e) => e.hashed);
  // The hashes are of the old release's files: pip's hash-checking mode would refuse the new one.
  if (hashed) update.note = `its --hash values are for cohere${hashed.from}: regenerate them (pip-compile --generate-hashes)`;
  if (olderNote && edits.some((e) => e.to.endsWith(PYTHON_39_TARGET))) update.note = update.note ? `${update.note}; ${olderNote}` : olderNote;
  return update;
}

/** Atomically (temp file + rename; write-file-atomic keeps the file's mode and owner). */
export function applyPythonUpdate(update: PythonDepUpdate): void {
  writeFileAtomic.sync(update.file, update.text);
}

const DOCKERFILE = /^(?:Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.dockerfile)$/i;
/** A file whose shell commands install packages, raised as a Dockerfile's are: a Dockerfile, a GitHub Actions workflow. */
/** docker-compose.yml, compose.yaml, docker-compose.prod.yml: a service's `command:` may pip install. */
const COMPOSE_FILE = /^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/i;
const isShellInstalls = (file: string): boolean => DOCKERFILE.test(path.basename(file)) || COMPOSE_FILE.test(path.basename(file)) || /[\\/]\.github[\\/]workflows[\\/][^\\/]+\.ya?ml$/i.test(file);
const INSTALL_FILE = /^(?:Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.dockerfile|environment\.ya?ml)$/i;

/** `pip install` inside a shell command (a Dockerfile's RUN, after `&&` or `;`, or opening a quoted `sh -c "..."`). */
const PIP_IN_SHELL = /(?:^|[\s;&|("'])((?:python[\d.]*\s+-m\s+)?(?:uv\s+)?pip3?(?:\s+-{1,2}[\w-]+)*\s+install\s)/g;

/** The raises of a Dockerfile's `pip install` pins of cohere, as a notebook's are raised (quoted where the shell needs it). */
function dockerfileEdits(text: string, minimum: string): PipEdit[] {
  const out: PipEdit[] = [];
  for (const line of physicalLines(text)) {
    if (!/cohere/i.test(line.body)) continue;
    for (const m of line.body.matchAll(PIP_IN_SHELL)) {
      const at = (m.index ?? 0) + m[0].length - (m[1] ?? "").length;
      // Up to the next command of the line (`&& apt-get ...`).
      const command = line.body.slice(at).split(/\s(?:&&|\|\||;)\s/)[0] ?? "";
      for (const e of raisePipInstall(command, minimum)) out.push({ ...e, start: line.start + at + e.start, end: line.start + at + e.end });
    }
  }
  return out;
}

/** tox.ini's `deps` entries: `deps = cohere==4.57`, and one requirement per continuation line. */
function toxDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  let inDeps = false;
  for (const line of physicalLines(text)) {
    const head = /^(deps\s*=\s*)/.exec(line.body);
    if (head) inDeps = true;
    else if (!/^\s+\S/.test(line.body)) inDeps = false;
    if (!inDeps) continue;
    const lead = head ? head[1].length : (/^\s*/.exec(line.body)?.[0].length ?? 0);
    const d = requirementAt(text, line.start + lead, line.start + line.body.length, /^(?:\s*(?:;[^]*)?|\s+#[^]*)$/);
    if (d) out.push(d);
  }
  return out;
}

/** A conda environment.yml's pip entries (`- cohere==4.37` under `- pip:`). */
function environmentDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  for (const line of physicalLines(text)) {
    const item = /^(\s*-\s+)(?=[A-Za-z])/.exec(line.body);
    if (!item) continue;
    const d = requirementAt(text, line.start + item[1].length, line.start + line.body.length, /^(?:\s*(?:;[^]*)?|\s+#[^]*)$/);
    if (d) out.push(d);
  }
  return out;
}

function declarations(file: string, text: string): Declaration[] {
  const base = path.basename(file);
  if (/^environment\.ya?ml$/i.test(base)) return environmentDeclarations(text);
  if (base === "tox.ini") return toxDeclarations(text);
  // A Dockerfile's pins are raised as shell words (dockerfileEdits); here, that it has one.
  if (isShellInstalls(file)) return dockerfileEdits(text, "0").length || /pip3?[^\n]*\binstall\b[^\n]*\bcohere\b/i.test(text) ? [{ start: 0, end: 0, spec: "", poetry: false, pinnedElsewhere: true, hashed: false }] : [];
  if (base === "pyproject.toml") return pyprojectDeclarations(text);
  if (base === "setup.cfg") return setupCfgDeclarations(text);
  if (base === "setup.py") return setupPyDeclarations(text);
  if (base === "Pipfile") return pipfileDeclarations(text);
  return requirementsDeclarations(text);
}

// ---------------------------------------------------------------------------------------------
// Versions and specifiers

/** Whether the spec admits some release at or after `minimum` (a spec we cannot read is left alone). */
function admitsFrom(d: Declaration, minimum: string): boolean {
  const alternatives = d.poetry ? poetryAsPep440(d.spec) : [d.spec.replace(/\s+/g, "")];
  if (!alternatives) return true;
  return alternatives.some((spec) => {
    if (!spec) return true;
    if (!validRange(spec)) return true;
    return candidates(spec, minimum).some((v) => gte(v, minimum) && satisfies(v, spec));
  });
}

/**
 * Releases to try against a spec: the minimum, the target, and each version the spec names with its
 * successor (`>6.0` admits 6.1). Enough for the specs people write; a spec that admits only
 * releases none of these hit (`>5.20,<5.20.5`) is raised although it did not need to be.
 */
function candidates(spec: string, minimum: string): string[] {
  const out = [minimum, PYTHON_TARGET];
  for (const m of spec.matchAll(/[\d][\w.!+-]*/g)) {
    const v = m[0].replace(/\.\*$/, "");
    out.push(v);
    const release = /^\d+(?:\.\d+)*/.exec(v)?.[0];
    if (release) out.push(release.replace(/\d+$/, (n) => String(Number(n) + 1)));
  }
  return out.filter((v) => explain(v) !== null);
}

const PEP440_CLAUSE = /(===|==|!=|<=|>=|~=|<|>)\s*([\w.*+!-]+)/g;

/** Poetry constraints as PEP 440, one spec per `||` alternative; undefined when unreadable. */
function poetryAsPep440(spec: string): string[] | undefined {
  const out: string[] = [];
  for (const alternative of spec.split(/\|\|?/)) {
    const clauses: string[] = [];
    const rest = alternative.replace(/(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*([\w.*+!-]+)/g, (_, op: string | undefined, v: string) => {
      clauses.push(poetryClause(op ?? "", v));
      return "";
    });
    if (/[^\s,]/.test(rest) || clauses.some((c) => c === "?")) return undefined;
    out.push(clauses.filter(Boolean).join(","));
  }
  return out;
}

function poetryClause(op: string, v: string): string {
  const release = (/^\d+(?:\.\d+)*$/.exec(v)?.[0] ?? "").split(".").filter(Boolean).map(Number);
  if (v === "*") return "";
  if (op === "^" || op === "~") {
    if (!release.length) return "?";
    const [major = 0, minor = 0] = release;
    let upper: string;
    if (op === "~") upper = release.length === 1 ? `${major + 1}` : `${major}.${minor + 1}`;
    else {
      // Caret: the left-most non-zero part may not change (^0.2.3 is <0.3.0, ^0.0.3 is <0.0.4).
      const nonZero = release.findIndex((n) => n !== 0);
      const keep = nonZero === -1 ? release.length - 1 : nonZero;
      upper = [...release.slice(0, keep), (release[keep] ?? 0) + 1].join(".");
    }
    return `>=${v},<${upper}`;
  }
  if (op === "" || op === "=") return /[*xX]/.test(v) ? `==${v.replace(/[xX]/g, "*")}` : `==${v}`;
  return op + v;
}

function rewrite(d: Declaration, minimum: string): string {
  const pin = gte(minimum, PYTHON_TARGET) ? minimum : PYTHON_TARGET;
  const nextMajor = Math.max(majorOf(pin), majorOf(minimum)) + 1;
  const spec = d.spec.trim();
  const firstVersion = /\d[\w.]*/.exec(spec)?.[0] ?? "";
  const precision = releaseOf(firstVersion).length || 1;
  const spaced = /(?:[<>=!~^]=?|===)\s+\d/.test(spec) ? " " : "";

  // Handles: ==4.57, ===4.57, and Poetry's bare 4.57.
  const exact = d.poetry ? /^(==|===|=)?\s*\d[\w.+!-]*$/.exec(spec) : /^(==|===)\s*\d[\w.+!-]*$/.exec(spec);
  if (exact) return `${exact[1] ?? ""}${spaced}${pin}`;

  // Handles: ^4.37, ^4 || ^5 (Poetry carets).
  if (d.poetry && spec.split(/\s*\|\|?\s*/).every((alt) => /^\^\s*\d[\w.]*$/.test(alt))) {
    const carets = [`^${spaced}${withPrecision(minimum, precision)}`];
    for (let major = majorOf(minimum) + 1; major < nextMajor; major++) carets.push(`^${spaced}${[major, ...Array<number>(precision - 1).fill(0)].join(".")}`);
    return carets.join(" || ");
  }

  // Everything else: a range from the minimum to the next untested major.
  const upperVersion = /<=?\s*(\d[\w.]*)/.exec(spec)?.[1];
  // `<5.0.0` is a major bound written long, so `<8.0.0`; `<5.8` bounds a minor, which says nothing of style.
  const upperRelease = upperVersion ? releaseOf(upperVersion) : [];
  const upperPrecision = upperRelease.length > 1 && upperRelease.slice(1).every((n) => n === 0) ? upperRelease.length : 1;
  const comma = /,\s/.test(spec) ? ", " : ",";
  return `>=${spaced}${withPrecision(minimum, precision)}${comma}<${spaced}${[nextMajor, ...Array<number>(upperPrecision - 1).fill(0)].join(".")}`;
}

/**
 * What a declaration's spec becomes, or undefined when it stays: a spec that admits no release
 * from the minimum is rewritten (rewrite); one that admits it but declares a lower floor has that
 * floor raised (an environment already holding the old release satisfies it, and pip keeps it).
 */
function raisedSpec(d: Declaration, minimum: string): string | undefined {
  if (d.pinnedElsewhere) return undefined;
  return admitsFrom(d, minimum) ? raisedFloor(d, minimum) : rewrite(d, minimum);
}

/**
 * A spec that admits the minimum but declares a lower floor, with only that floor raised, keeping
 * its upper bound and style: `>=4` → `>=5.10`, `>4.2, <8` → `>=5.10, <8`, `~=5.5` → `~=5.10`,
 * Poetry `^5.5` → `^5.10`. undefined when the spec states no floor (`cohere`, `<8`, `*`: any
 * release, as a bare name is) or its floor is already at the minimum.
 */
function raisedFloor(d: Declaration, minimum: string): string | undefined {
  const spec = d.spec.trim();
  if (d.poetry && /\|/.test(spec)) {
    // Handles: ^4.0 || ^5.0: an alternative that admits no release from the minimum goes, the
    // others have their floors raised; the separator stays as written (`||` or `|`).
    const separator = /\s*\|\|?\s*/.exec(spec)?.[0] ?? " || ";
    const alternatives = spec.split(/\s*\|\|?\s*/);
    const kept = alternatives.filter((alt) => admitsFrom({ ...d, spec: alt }, minimum)).map((alt) => raisedFloor({ ...d, spec: alt }, minimum) ?? alt);
    const out = kept.join(separator);
    return kept.length && out !== alternatives.join(separator) ? out : undefined;
  }
  const major = majorOf(minimum);
  // Handles: ==5.* (PEP 440), 5.* and ~5 (Poetry): every 5.x, the old ones included.
  const wildcard = /^(==)?\s*(\d+)\.\*$/.exec(spec);
  if (wildcard && Number(wildcard[2]) === major) return d.poetry && !wildcard[1] ? `>=${withPrecision(minimum, 2)},<${major + 1}` : `${spec},>=${withPrecision(minimum, 2)}`;
  const tilde = d.poetry ? /^~\s*(\d+)$/.exec(spec) : null;
  if (tilde && Number(tilde[1]) === major) return `>=${withPrecision(minimum, 2)},<${major + 1}`;
  const lower = /(>=|>|~=|\^|~|===|==)?\s*(\d[\w.]*)/g;
  const spaced = /(?:[<>=!~^]=?|===)\s+\d/.test(spec) ? " " : "";
  let changed = false;
  const out = spec.replace(lower, (whole: string, op: string | undefined, version: string, at: number) => {
    const release = releaseOf(version);
    if (!release.length || !op || op.startsWith("=") || !/^(>=|>|~=|\^)$/.test(op)) return whole;
    // A release, or one with its pre/post/dev part attached (`4.0rc1`); a version written with a
    // separator, a local part or an epoch (`4.0-rc1`, `4.0+local`, `1!4.0`) is left as it is.
    if (!/^\d+(?:\.\d+)*(?:(?:a|b|rc|\.?dev|\.?post)\d*)?$/.test(version) || /^[-+!]/.test(spec.slice(at + whole.length))) return whole;
    if (op === "^" && !d.poetry) return whole;
    if (!explain(version) || gte(version.replace(/\.\*$/, ""), minimum)) return whole;
    // A caret or compatible release keeps its reach only within the minimum's major.
    if ((op === "^" || op === "~=") && majorOf(version) !== majorOf(minimum)) return whole;
    changed = true;
    const precision = op === "~=" ? Math.max(release.length, 2) : release.length || 1;
    return `${op === ">" ? ">=" : op}${spaced}${withPrecision(minimum, precision)}`;
  });
  return changed && out !== spec ? out : undefined;
}

function releaseOf(version: string): number[] {
  return (/^\d+(?:\.\d+)*/.exec(version)?.[0] ?? "").split(".").filter(Boolean).map(Number);
}

function majorOf(version: string): number {
  return releaseOf(version)[0] ?? 0;
}

/** `5.8.0` written with at least `precision` parts and no fewer than it needs: 5.8, 5.8.0, 5.8.1. */
function withPrecision(version: string, precision: number): string {
  const release = releaseOf(version);
  if (version !== release.join(".")) return version;
  let needed = release.length;
  while (needed > 1 && release[needed - 1] === 0) needed--;
  const parts = Math.max(needed, precision);
  return [...release, ...Array<number>(Math.max(0, parts - release.length)).fill(0)].slice(0, parts).join(".");
}

// ---------------------------------------------------------------------------------------------
// PEP 508 requirements, as written in requirements files, PEP 621 arrays, setup.cfg and setup.py

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

/** PEP 503: case-insensitive, runs of `-_.` equal. */
function isCohere(name: string): boolean {
  return name.toLowerCase().replace(/[-_.]+/g, "-") === "cohere";
}

/**
 * Reads `cohere[extras] spec` (or `cohere (spec)`, or `cohere @ url`) at `text[start..end)`, where the
 * requirement must be followed by something `tail` accepts (a marker, end of string, an option…).
 */
function requirementAt(text: string, start: number, end: number, tail: RegExp, hashed = false): Declaration | undefined {
  const s = text.slice(start, end);
  const name = NAME.exec(s);
  if (!name?.[1] || !isCohere(name[1])) return undefined;
  let i = name[0].length;
  const extras = /^\s*\[[^\]]*\]/.exec(s.slice(i));
  if (extras) i += extras[0].length;
  const url = /^\s*@/.exec(s.slice(i));
  if (url) return { start: start + i, end: start + i, spec: "", poetry: false, pinnedElsewhere: true, hashed };
  const paren = /^\s*\(/.exec(s.slice(i));
  if (paren) i += paren[0].length;
  const spec = new RegExp(`^\\s*((?:${PEP440_CLAUSE.source})(?:\\s*,\\s*(?:${PEP440_CLAUSE.source}))*)`).exec(s.slice(i));
  const lead = spec ? spec[0].length - (spec[1] ?? "").length : 0;
  const specStart = i + lead;
  const specEnd = specStart + (spec?.[1]?.length ?? 0);
  let after = s.slice(specEnd);
  if (paren) {
    const close = /^\s*\)/.exec(after);
    if (!close) return undefined;
    after = after.slice(close[0].length);
  }
  if (!tail.test(after)) return undefined;
  return { start: start + specStart, end: start + specEnd, spec: spec?.[1] ?? "", poetry: false, pinnedElsewhere: false, hashed };
}

/** After a whole-string requirement: nothing, or an environment marker. */
const STRING_TAIL = /^\s*(?:;[^]*)?$/;

function requirementsDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  const lines = physicalLines(text);
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (!first) continue;
    // A logical line runs on while its physical lines end in a backslash (hash lines do).
    let j = i;
    while (/\\$/.test(lines[j]?.body ?? "") && j + 1 < lines.length) j++;
    const logical = lines.slice(i, j + 1).map((l) => l.body).join("\n");
    i = j;
    // Options (-r, -c, -e, --index-url) and comments declare no requirement we rewrite.
    if (/^\s*(?:-|#|$)/.test(first.body)) continue;
    const d = requirementAt(text, first.start, first.start + first.body.length, /^(?:\s*(?:;[^]*)?|\s+(?:#|-)[^]*|\s*\\)$/, /(?:^|\s)--hash[=\s]/.test(logical));
    if (d) out.push(d);
  }
  return out;
}

/** Lines with their offsets, without their terminators (so CRLF and CR files read like LF ones). */
function physicalLines(text: string): { start: number; body: string }[] {
  const out: { start: number; body: string }[] = [];
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  // A BOM is not part of the first line's requirement.
  re.lastIndex = text.startsWith("\uFEFF") ? 1 : 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start: m.index, body: m[1] ?? "" });
    if (!m[2]) break;
  }
  return out;
}

const SETUP_CFG_KEYS = /^(?:install_requires|setup_requires|tests_require)$/;

/** setup.cfg: `install_requires =` values (on the key's line and indented below) and extras_require. */
function setupCfgDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  let section = "";
  let inList = false;
  for (const line of physicalLines(text)) {
    const header = /^\s*\[([^\]]+)\]/.exec(line.body);
    if (header?.[1]) {
      section = header[1].trim().toLowerCase();
      inList = false;
      continue;
    }
    // configparser comments are whole lines, indented or not.
    if (/^\s*(?:[#;]|$)/.test(line.body)) continue;
    let valueAt = -1;
    const key = /^([^\s=:][^=:]*?)\s*[=:]\s*/.exec(line.body);
    if (key?.[1] && !/^\s/.test(line.body)) {
      inList = (section === "options" && SETUP_CFG_KEYS.test(key[1].trim())) || section === "options.extras_require";
      valueAt = key[0].length;
    } else if (inList && /^\s/.test(line.body)) valueAt = /^\s*/.exec(line.body)?.[0].length ?? 0;
    if (!inList || valueAt < 0 || valueAt >= line.body.length) continue;
    const d = requirementAt(text, line.start + valueAt, line.start + line.body.length, STRING_TAIL);
    if (d) out.push(d);
  }
  return out;
}

/** setup.py: every plain string literal that is a whole cohere requirement (install_requires, extras…). */
function setupPyDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  for (const s of pythonStrings(text)) {
    const d = requirementAt(text, s.start, s.end, STRING_TAIL);
    if (d) out.push(d);
  }
  return out;
}

/** The contents of Python string literals that are neither bytes nor f-strings, skipping comments. */
function pythonStrings(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c === "#") {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 64))?.[0] ?? c;
      const quote = text[i + word.length];
      if ((quote === '"' || quote === "'") && /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
        i = stringEnd(text, i + word.length, /[bBfF]/.test(word) ? undefined : out);
      } else i += word.length;
      continue;
    }
    if (c === '"' || c === "'") {
      i = stringEnd(text, i, out);
      continue;
    }
    i++;
  }
  return out;
}

function stringEnd(text: string, open: number, out?: { start: number; end: number }[]): number {
  const q = text[open] ?? "";
  const triple = text.startsWith(q.repeat(3), open);
  const delimiter = triple ? q.repeat(3) : q;
  const start = open + delimiter.length;
  let i = start;
  while (i < text.length && !text.startsWith(delimiter, i)) {
    if (text[i] === "\\") i++;
    else if (!triple && (text[i] === "\n" || text[i] === "\r")) return i;
    i++;
  }
  out?.push({ start, end: Math.min(i, text.length) });
  return i + delimiter.length;
}

// ---------------------------------------------------------------------------------------------
// pyproject.toml: PEP 508 strings in dependency arrays, and Poetry's dependency tables

type TomlValue =
  | { kind: "string"; start: number; end: number }
  | { kind: "array"; items: TomlValue[] }
  | { kind: "table"; entries: [string[], TomlValue][] }
  | { kind: "other" };

const POETRY_TABLE = /^tool\.poetry\.(?:dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/;
/** A key path that holds PEP 508 strings: project.dependencies, optional-dependencies, dependency-groups, tool.uv.dev-dependencies… */
const PEP508_PATH = /depend|requires|requirements/i;

function pyprojectDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  tomlStrings(text, (keys, value, inArray) => {
    const poetry = poetryDeclaration(keys, value);
    if (poetry) out.push(poetry);
    else if (inArray && keys.some((k) => PEP508_PATH.test(k))) {
      const d = requirementAt(text, value.start, value.end, STRING_TAIL);
      if (d) out.push(d);
    }
  });
  return out;

  // Handles: cohere = "^4.37", cohere = { version = "^4.37", optional = true }, [tool.poetry.dependencies.cohere] version = ...
  function poetryDeclaration(keys: string[], value: { start: number; end: number }): Declaration | undefined {
    const last = keys[keys.length - 1] ?? "";
    const name = last === "version" ? keys[keys.length - 2] : last;
    const table = keys.slice(0, last === "version" ? -2 : -1).join(".");
    if (name === undefined || !isCohere(name) || !POETRY_TABLE.test(table)) return undefined;
    return specAt(text, value, true);
  }
}

/**
 * Calls `visit` with each string value of a TOML text, its key path and whether it is an array's
 * item. TOML this reader cannot read visits nothing: the file is left alone rather than guessed at.
 */
function tomlStrings(text: string, visit: (keys: string[], value: { start: number; end: number }, inArray: boolean) => void): void {
  let entries: [string[], TomlValue][];
  try {
    entries = new TomlReader(text).document();
  } catch {
    return;
  }
  const walkValue = (keys: string[], value: TomlValue, inArray: boolean): void => {
    if (value.kind === "table") for (const [sub, v] of value.entries) walkValue([...keys, ...sub], v, inArray);
    else if (value.kind === "array") for (const item of value.items) walkValue(keys, item, true);
    else if (value.kind === "string") visit(keys, value, inArray);
  };
  for (const [keys, value] of entries) walkValue(keys, value, false);
}

/** A whole string value as a spec (`"^4.37"`, `" ==4.57 "`), its range without the spaces around it. */
function specAt(text: string, value: { start: number; end: number }, poetry: boolean): Declaration {
  const raw = text.slice(value.start, value.end);
  const lead = /^\s*/.exec(raw)?.[0].length ?? 0;
  const spec = raw.trim();
  return { start: value.start + lead, end: value.start + lead + spec.length, spec, poetry, pinnedElsewhere: false, hashed: false };
}

// ---------------------------------------------------------------------------------------------
// Pipfile: TOML whose package tables map names to PEP 440 specs (`cohere = "==4.57"`) or to inline
// tables (`cohere = {version = "==4.57", extras = ["aws"]}`); `"*"` admits every release.

/** Pipfile tables that are not package categories (pipenv 2022.10 allows custom categories). */
const PIPFILE_NOT_PACKAGES = new Set(["source", "requires", "pipenv", "scripts"]);

function pipfileDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  tomlStrings(text, (keys, value, inArray) => {
    const [category, name, field, ...rest] = keys;
    if (inArray || category === undefined || PIPFILE_NOT_PACKAGES.has(category) || name === undefined || !isCohere(name) || rest.length) return;
    if (field !== undefined && field !== "version") return;
    out.push(specAt(text, value, false));
  });
  return out;
}

/**
 * Just enough TOML to find string values and the key paths that hold them, with their byte offsets:
 * tables, arrays of tables, dotted and quoted keys, the four string forms, arrays, inline tables.
 * Other scalars are skipped; a string's escapes are left undecoded (requirement specs have none).
 */
class TomlReader {
  private i = 0;

  constructor(private readonly text: string) {
    if (text.startsWith("\uFEFF")) this.i = 1;
  }

  document(): [string[], TomlValue][] {
    const out: [string[], TomlValue][] = [];
    let table: string[] = [];
    for (;;) {
      this.skip(true);
      if (this.i >= this.text.length) return out;
      if (this.text[this.i] === "[") {
        const double = this.text.startsWith("[[", this.i);
        this.i += double ? 2 : 1;
        table = this.keys();
        this.expect(double ? "]]" : "]");
        continue;
      }
      const keys = this.keys();
      this.expect("=");
      out.push([[...table, ...keys], this.value()]);
    }
  }

  private keys(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skip(false);
      const c = this.text[this.i];
      if (c === '"' || c === "'") {
        const v = this.string();
        keys.push(this.text.slice(v.start, v.end));
      } else {
        const bare = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.i, this.i + 256))?.[0];
        if (!bare) throw new Error(`TOML key expected at ${this.i}`);
        keys.push(bare);
        this.i += bare.length;
      }
      this.skip(false);
      if (this.text[this.i] !== ".") return keys;
      this.i++;
    }
  }

  private value(): TomlValue {
    this.skip(false);
    const c = this.text[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === "[") {
      this.i++;
      const items: TomlValue[] = [];
      for (;;) {
        this.skip(true);
        if (this.text[this.i] === "]") break;
        items.push(this.value());
        this.skip(true);
        if (this.text[this.i] === ",") this.i++;
        else if (this.text[this.i] !== "]") throw new Error(`TOML "," or "]" expected at ${this.i}`);
      }
      this.i++;
      return { kind: "array", items };
    }
    if (c === "{") {
      this.i++;
      const entries: [string[], TomlValue][] = [];
      for (;;) {
        this.skip(true);
        if (this.text[this.i] === "}") break;
        const keys = this.keys();
        this.expect("=");
        entries.push([keys, this.value()]);
        this.skip(true);
        if (this.text[this.i] === ",") this.i++;
        else if (this.text[this.i] !== "}") throw new Error(`TOML "," or "}" expected at ${this.i}`);
      }
      this.i++;
      return { kind: "table", entries };
    }
    // Numbers, booleans, dates: up to the next delimiter.
    const other = /^[^,\]}\r\n#]+/.exec(this.text.slice(this.i))?.[0];
    if (!other?.trim()) throw new Error(`TOML value expected at ${this.i}`);
    this.i += other.length;
    return { kind: "other" };
  }

  private string(): { kind: "string"; start: number; end: number } {
    const q = this.text[this.i] ?? "";
    const delimiter = this.text.startsWith(q.repeat(3), this.i) ? q.repeat(3) : q;
    const start = this.i + delimiter.length;
    let j = start;
    while (j < this.text.length && !this.text.startsWith(delimiter, j)) j += q === '"' && this.text[j] === "\\" ? 2 : 1;
    if (j >= this.text.length) throw new Error(`unterminated TOML string at ${this.i}`);
    // A multi-line string may end in up to two extra quotes ("""a"""").
    while (delimiter.length === 3 && this.text[j + 3] === q) j++;
    this.i = j + delimiter.length;
    return { kind: "string", start, end: j };
  }

  /** Whitespace and comments; newlines too when `lines`. */
  private skip(lines: boolean): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === " " || c === "\t" || (lines && (c === "\n" || c === "\r"))) this.i++;
      else if (c === "#") while (this.i < this.text.length && this.text[this.i] !== "\n") this.i++;
      else return;
    }
  }

  private expect(token: string): void {
    this.skip(false);
    if (!this.text.startsWith(token, this.i)) throw new Error(`TOML "${token}" expected at ${this.i}`);
    this.i += token.length;
  }
}

// ---------------------------------------------------------------------------------------------
// A notebook's `pip install` lines

/** One raised requirement in a command line: the bytes [start, end) of `line` become `text`. */
export interface PipEdit {
  start: number;
  end: number;
  text: string;
  /** The specifier as written and as raised (`==4.57`, `==7.3.1`). */
  from: string;
  to: string;
}

/**
 * `pip install` as a notebook runs it: `%pip`, `!pip`, `!pip3`, automagic `pip`, `!python -m pip`,
 * `!{sys.executable} -m pip`, `!uv pip`. Options may stand before `install` (`pip -q install`).
 */
const PIP_INSTALL = /^\s*[!%]?\s*(?:(?:\{[^}\n]*\}|python[\d.]*|py)\s+-m\s+)?(?:uv\s+)?pip3?(?:\s+-{1,2}[\w-]+)*\s+install(?=\s)/;

/** A shell word: quoted in double or single quotes, or bare. A `#` word starts a comment. */
const SHELL_WORD = /"([^"\n]*)"|'([^'\n]*)'|([^\s"']+)/g;

/** What a bare shell word must not hold unquoted: redirections, pipes, globs. */
const SHELL_SPECIAL = /[<>|&;*?[\]()$`!{}]/;

/**
 * The edits raising a `cohere` requirement of one notebook `pip install` command (the masked text
 * of an IPython line: notebook.ts) whose specifier admits no release from `minimum`, as a
 * requirements file's is raised (`==4.57` -> `==7.3.1`, `<5` -> `>=5.8,<8`). A raised range holds
 * `<`, which the shell reads as a redirection: a bare word is quoted when its new text needs it
 * (`cohere<5` unquoted was a redirection already; pip saw a bare `cohere`). Other packages,
 * options, `-r` files and words after a `#` are left alone.
 */
export function raisePipInstall(line: string, minimum: string): PipEdit[] {
  const head = PIP_INSTALL.exec(line);
  if (!head) return [];
  const out: PipEdit[] = [];
  SHELL_WORD.lastIndex = head[0].length;
  for (let m = SHELL_WORD.exec(line); m; m = SHELL_WORD.exec(line)) {
    const bare = m[3];
    if (bare?.startsWith("#")) break;
    const word = m[1] ?? m[2] ?? bare ?? "";
    const at = m.index + (bare === undefined ? 1 : 0);
    const d = requirementAt(word, 0, word.length, STRING_TAIL);
    const to = d && d.spec ? raisedSpec(d, minimum) : undefined;
    if (!d || to === undefined) continue;
    if (bare !== undefined && SHELL_SPECIAL.test(to)) {
      const raised = word.slice(0, d.start) + to + word.slice(d.end);
      out.push({ start: m.index, end: m.index + bare.length, text: `"${raised}"`, from: d.spec, to });
    } else out.push({ start: at + d.start, end: at + d.end, text: to, from: d.spec, to });
  }
  return out;
}
