/**
 * Raising a Python project's declared `cohere` requirement when migrated code needs a newer SDK
 * (the Chat v2 calls migrate writes need 5.10.0: `Client.v2`, `ClientV2`, `UserChatMessageV2`).
 *
 * The manifests that govern a file are those of the nearest folder above it that has any:
 * `requirements*.txt` (and `requirements/*.txt`), `pyproject.toml` (PEP 621 `dependencies` and
 * optional dependencies, Poetry `[tool.poetry.*dependencies]`), `setup.cfg` (`install_requires`)
 * and `setup.py` (string literals in `install_requires`).
 *
 * The rewrite rule, per the form the project wrote: a spec that already allows the minimum is left
 * alone. Otherwise only the version bytes change:
 *   - an exact pin (`==4.57`) says "this version": it becomes the pin of the newest release the
 *     behaviour tests run on, `==7.3.1`;
 *   - any other PEP 440 spec (`>=4,<5`, `~=4.37`, `<5`) and Poetry's caret or tilde (`^4.37`)
 *     becomes `>=5.10.0,<8`: every SDK from the first one the output runs on to the newest tested
 *     major (a caret `^5.10` would forbid 6 and 7).
 * Extras (`cohere[aws]`), environment markers and `--hash` lines are kept as written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { satisfies } from "@renovatebot/pep440";

export const PYTHON_CHAT_V2_MINIMUM = "5.10.0";
/** The range written for a range or caret: from the minimum to the newest tested major. */
export const PYTHON_TARGET_RANGE = ">=5.10.0,<8";
/** The version written for an exact pin: the newest release the behaviour tests run on. */
export const PYTHON_TARGET_PIN = "7.3.1";

export interface PythonDepUpdate {
  file: string;
  name: "cohere";
  from: string;
  to: string;
  /** The whole new file text. */
  text: string;
}

const REQUIREMENTS_FILE = /^requirements.*\.txt$/i;

/** `cohere` as a distribution name (PEP 503 normalised), not `langchain-cohere` or `cohere-toolkit`. */
const NAME = "(?<![\\w.-])[Cc][Oo][Hh][Ee][Rr][Ee](?![\\w.-])";

export function pythonManifests(fromDir: string, stopDir: string): string[] {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const found = manifestsIn(dir);
    if (found.length) return found.filter((f) => new RegExp(NAME).test(safeRead(f)));
    if (dir === path.resolve(stopDir) || path.dirname(dir) === dir) return [];
  }
}

function manifestsIn(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out = names.filter((n) => REQUIREMENTS_FILE.test(n) || n === "pyproject.toml" || n === "setup.cfg" || n === "setup.py").map((n) => path.join(dir, n));
  if (names.includes("requirements")) {
    try {
      for (const n of fs.readdirSync(path.join(dir, "requirements"))) if (n.endsWith(".txt")) out.push(path.join(dir, "requirements", n));
    } catch {
      // Not a folder.
    }
  }
  return out.sort();
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Whether a PEP 440 specifier (possibly empty) allows `version`. */
function allows(spec: string, version: string): boolean {
  const s = spec.trim();
  if (!s) return true;
  try {
    return satisfies(version, s);
  } catch {
    // A spec the library cannot read: leave it to the maintainer.
    return true;
  }
}

/** Poetry's caret and tilde as PEP 440. */
function poetryToPep440(spec: string): string {
  const s = spec.trim();
  const caret = /^\^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(s);
  if (caret) {
    const [major, minor, patch] = [Number(caret[1]), caret[2], caret[3]];
    const upper = major > 0 ? `${major + 1}` : `0.${Number(minor ?? 0) + 1}`;
    return `>=${[caret[1], minor ?? "0", patch ?? "0"].join(".")},<${upper}`;
  }
  const tilde = /^~(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(s);
  if (tilde) {
    const upper = tilde[2] !== undefined ? `${tilde[1]}.${Number(tilde[2]) + 1}` : `${Number(tilde[1]) + 1}`;
    return `>=${[tilde[1], tilde[2] ?? "0", tilde[3] ?? "0"].join(".")},<${upper}`;
  }
  if (s === "*" || s === "") return "";
  return s;
}

function rewritten(spec: string): string {
  return /^\s*===?\s*[\w.]+\s*$/.test(spec) ? `==${PYTHON_TARGET_PIN}` : PYTHON_TARGET_RANGE;
}

export function planPythonUpdate(file: string, text: string, minimum: string = PYTHON_CHAT_V2_MINIMUM): PythonDepUpdate | undefined {
  const base = path.basename(file);
  if (base === "pyproject.toml") return tomlUpdate(file, text, minimum);
  // requirements files, setup.cfg and setup.py hold PEP 508 lines or strings: `cohere[extras]<spec>`.
  const re = new RegExp(`(${NAME}\\s*(?:\\[[^\\]]*\\])?\\s*)((?:[<>=!~]=?|===)\\s*[\\w.*+!-]+(?:\\s*,\\s*(?:[<>=!~]=?|===)\\s*[\\w.*+!-]+)*)`, "g");
  return firstUpdate(file, text, re, minimum, (spec) => spec);
}

function tomlUpdate(file: string, text: string, minimum: string): PythonDepUpdate | undefined {
  // PEP 621: strings in dependency arrays ("cohere>=4,<5").
  const pep621 = new RegExp(`(["']${NAME}\\s*(?:\\[[^\\]]*\\])?\\s*)((?:[<>=!~]=?|===)\\s*[\\w.*+!-]+(?:\\s*,\\s*(?:[<>=!~]=?|===)\\s*[\\w.*+!-]+)*)`, "g");
  const first = firstUpdate(file, text, pep621, minimum, (spec) => spec);
  if (first) return first;
  // Poetry: cohere = "^4.37" or cohere = { version = "^4.37", ... }.
  const poetry = new RegExp(`(^\\s*${NAME}\\s*=\\s*(?:\\{[^}\\n]*?version\\s*=\\s*)?["'])([^"'\\n]+)`, "gm");
  return firstUpdate(file, text, poetry, minimum, poetryToPep440);
}

function firstUpdate(file: string, text: string, re: RegExp, minimum: string, asPep440: (spec: string) => string): PythonDepUpdate | undefined {
  let from: string | undefined;
  let to: string | undefined;
  const out = text.replace(re, (whole, head: string, spec: string) => {
    if (allows(asPep440(spec), minimum)) return whole;
    from ??= spec;
    const next = rewritten(spec);
    to ??= next;
    return head + next;
  });
  return from !== undefined && to !== undefined && out !== text ? { file, name: "cohere", from, to, text: out } : undefined;
}

export function applyPythonUpdate(update: PythonDepUpdate): void {
  writeFileAtomic.sync(update.file, update.text);
}
