/**
 * The small functions migrated Python calls instead of repeating an idiom at every read: the text
 * of a Chat response (cut at Generate's stop and end sequences) and of a stream delta.
 *
 * Where they go (SPEC "Readable": one copy per package, never one per file):
 * - a module of a package (its folder has `__init__.py`) imports them from one module at the top of
 *   that package, `_cohere_chat.py`, which migrate creates or extends (`from .._cohere_chat import
 *   chat_text`);
 * - a script (a module outside any package or in a folder whose name is no identifier, or one that
 *   imports nothing relatively and either runs as `__main__`, has top-level code that prints or
 *   starts the program, is a Streamlit page or starts an app at module level, or sits in a folder
 *   whose modules import each other by bare name: a relative import would fail when it is run
 *   directly, `__init__.py` or not) and a notebook get their own definitions, after their imports.
 * Either way they are recognised on the next run (the docstring mark, the import), so migrating
 * again adds nothing. The module says how to remove it once nothing imports it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readText } from "../engine/read-text";

export type HelperKind = "text" | "delta";

export const HELPER_NAMES: Readonly<Record<HelperKind, string>> = { text: "chat_text", delta: "chat_delta_text" };

/** The shared module's name (a private module of the top package). */
export const HELPER_MODULE = "_cohere_chat";

const HELPER_MARK = "(added by cohere-migrate)";

/** A helper's definition under `name`; recognised on later runs by its docstring mark. */
export function helperSource(which: HelperKind, name: string, eol: string): string {
  const lines =
    which === "text"
      ? [
          `def ${name}(response, stop_sequences=(), end_sequences=()):`,
          `    """The text of a Chat v2 response ${HELPER_MARK}.`,
          ``,
          `    Its first text content item (reasoning models put a thinking item first), cut as Generate`,
          `    cut it: at the earliest stop sequence (kept) or end sequence (dropped).`,
          `    """`,
          `    text = next((item.text for item in response.message.content or [] if item.type == "text"), "")`,
          `    first = len(text) + 1`,
          `    cut = len(text)`,
          `    for sequences, keep in ((stop_sequences, True), (end_sequences, False)):`,
          `        for sequence in sequences or ():`,
          `            at = text.find(sequence) if sequence else -1`,
          `            if at != -1 and at < first:`,
          `                first = at`,
          `                cut = at + len(sequence) if keep else at`,
          `    return text[:cut]`,
        ]
      : [
          `def ${name}(event):`,
          `    """The text of a Chat v2 content-delta stream event ${HELPER_MARK}.`,
          ``,
          `    "" when it carries none (a thinking delta).`,
          `    """`,
          `    delta = event.delta`,
          `    return (delta and delta.message and delta.message.content and delta.message.content.text) or ""`,
        ];
  return lines.join(eol);
}

function escaped(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The file imports `name` from the package's helper module (as itself or as an alias). */
export function importsFromHelperModule(text: string, name: string): boolean {
  return new RegExp(`^from\\s+\\.+${HELPER_MODULE}\\s+import\\s[^\\n]*\\b${escaped(name)}\\b`, "m").test(text);
}

/** The helper's own name, or `cohere_` + it when the file uses the name for something of its own. */
export function helperNameIn(text: string, name: string): string {
  const defined = new RegExp(`def\\s+${escaped(name)}\\([^)]*\\):\\s*"""[^"]*\\${HELPER_MARK.slice(0, -1)}\\)`).test(text);
  const ours = defined || importsFromHelperModule(text, name);
  return new RegExp(`\\b${escaped(name)}\\b`).test(text) && !ours ? `cohere_${name}` : name;
}

/** Where a module's helpers come from: the top package's helper module, or (undefined) the file itself. */
export interface HelperHome {
  /** The folder of the top package, which holds `_cohere_chat.py`. */
  root: string;
  /** The dots of the relative import from the module's own package up to `root`. */
  dots: string;
}

/**
 * The helper home of a `.py` module: its package's top folder when the module is in a package and
 * can import relatively (see the file comment); undefined for scripts and notebooks.
 */
export function helperHomeOf(file: string, text: string, stopAt: string, folders: FolderMemo = new Map()): HelperHome | undefined {
  if (!file.endsWith(".py")) return undefined;
  let dir = path.dirname(file);
  // A Django project's folder (it holds manage.py) is where the program runs from, not a package,
  // whatever `__init__.py` it holds: `from .._cohere_chat import` in its apps fails there.
  const runRoot = (d: string): boolean => fs.existsSync(path.join(d, "manage.py"));
  if (!isPackage(dir) || runRoot(dir)) return undefined;
  // A module that imports relatively is run as part of its package: a relative import works there.
  if (!RELATIVE_IMPORT.test(text) && (SCRIPT_CODE.test(text) || RUN_AS_PAGE.test(text) || importsSiblingsByName(dir, folders))) return undefined;
  // A folder whose name is no Python identifier (`cohere-demo/`) is never imported as a package
  // (the run's own folder aside: a checkout's folder name is whatever it was cloned as).
  if (!/^[A-Za-z_]\w*$/.test(path.basename(dir)) && path.resolve(dir) !== path.resolve(stopAt)) return undefined;
  let dots = ".";
  const top = path.resolve(stopAt);
  // The repository's own folder is where its code runs from (on sys.path), even with a stray
  // `__init__.py` there: `from qa.model import ...` beside `qa/` finds no package above `qa`, and
  // `from .._cohere_chat import` in qa/model.py would fail ("beyond top-level package").
  // Nor is a folder whose own modules import this package by its bare name (`backend/cli_demo.py`
  // with `from qa.model import ...`): it is run from itself, whatever `__init__.py` it holds.
  while (path.dirname(dir) !== dir && dir !== top && path.dirname(dir) !== top && isPackage(path.dirname(dir)) && path.dirname(dir).startsWith(top) && !importsByBareName(path.dirname(dir), path.basename(dir), folders) && !runRoot(path.dirname(dir))) {
    dir = path.dirname(dir);
    dots += ".";
  }
  return { root: dir, dots };
}

const RELATIVE_IMPORT = /^\s*from\s+\.+\S*\s+import\b/m;

/**
 * Module-level code of a script run directly (`python app.py`, where a relative import fails even
 * beside an `__init__.py`): a `__main__` guard, or a top-level call that prints, reads input or
 * starts the program.
 */
const SCRIPT_CODE = /^(?:if\s+__name__\s*==\s*["']__main__["']\s*:|(?:print|input|main|asyncio\.run)\s*\()/m;

/**
 * A page a framework runs as a top-level script (`streamlit run app/page.py` executes the file, it
 * does not import it): a Streamlit module, or a Gradio/Flask/uvicorn app started at module level.
 */
const RUN_AS_PAGE = /^(?:import\s+streamlit\b|from\s+streamlit\b|[\w.]+\.(?:launch|run)\s*\(|uvicorn\.run\s*\()/m;

/** Whether a module directly in `dir` imports its subpackage `name` absolutely (`from qa.model import`, `import qa`). */
function importsByBareName(dir: string, name: string, folders: FolderMemo): boolean {
  const key = `${dir}${path.sep}\0${name}`;
  const known = folders.get(key);
  if (known !== undefined) return known;
  const pattern = new RegExp(`^[ \\t]*(?:from[ \\t]+${name}(?:\\.[\\w.]+)?[ \\t]+import\\b|import[ \\t]+${name}\\b)`, "m");
  // The folder's own modules, and those of its other subfolders (`backend/api/server.py` with
  // `from core.llm import ...`, run as `cd backend && python -m api.server`).
  const scan = (folder: string, depth: number): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isFile() && entry.name.endsWith(".py") && entry.name !== "__init__.py") {
        if (pattern.test(readText(full) ?? "")) return true;
      } else if (entry.isDirectory() && depth > 0 && entry.name !== name && !entry.name.startsWith(".") && entry.name !== "node_modules" && scan(full, depth - 1)) return true;
    }
    return false;
  };
  const found = scan(dir, 1);
  folders.set(key, found);
  return found;
}

/**
 * Whether a module of `dir` imports another by its bare name (`from utils import complete` beside
 * utils.py): the folder is then run from itself, on sys.path as a top level, not as a package,
 * whatever its `__init__.py` says.
 */
function importsSiblingsByName(dir: string, folders: FolderMemo): boolean {
  const known = folders.get(dir);
  if (known !== undefined) return known;
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith(".py") && n !== "__init__.py");
  } catch {
    names = [];
  }
  const modules = new Set(names.map((n) => n.slice(0, -3)));
  const imports = /^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[ \t]+import\b|import[ \t]+([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*))/gm;
  let found = false;
  for (const name of names) {
    const text = readText(path.join(dir, name));
    if (text === undefined) continue;
    for (const m of text.matchAll(imports)) {
      const imported = m[1] !== undefined ? [m[1]] : (m[2] ?? "").split(",").map((x) => x.trim());
      if (imported.some((x) => modules.has(x) && x !== name.slice(0, -3))) found = true;
    }
    if (found) break;
  }
  folders.set(dir, found);
  return found;
}

/** importsSiblingsByName's answers by folder, for one run: every migrated module of a folder asks. */
export type FolderMemo = Map<string, boolean>;

function isPackage(dir: string): boolean {
  return fs.existsSync(path.join(dir, "__init__.py"));
}

const MODULE_HEADER = [
  `"""Helpers for code migrated from Cohere's Generate API to Chat v2 ${HELPER_MARK}.`,
  ``,
  `The package's migrated modules import these. To remove this module, replace each call with what`,
  `it does (or with your own function) and delete the file once nothing imports from it.`,
  `"""`,
];

/**
 * The helper module's text with the helpers `wanted` defined: `existing` with the missing ones
 * added, or a new module; undefined when `existing` already defines them all.
 */
export function helperModuleText(existing: string | undefined, wanted: ReadonlySet<HelperKind>): string | undefined {
  const eol = existing?.includes("\r\n") ? "\r\n" : "\n";
  const missing = (["text", "delta"] as const).filter((w) => wanted.has(w) && !new RegExp(`^def\\s+${HELPER_NAMES[w]}\\(`, "m").test(existing ?? ""));
  if (!missing.length) return undefined;
  const defs = missing.map((w) => helperSource(w, HELPER_NAMES[w], eol));
  if (existing === undefined) return [MODULE_HEADER.join(eol), ...defs].join(eol + eol + eol) + eol;
  return existing.replace(/(\r?\n)*$/, "") + eol + eol + eol + defs.join(eol + eol + eol) + eol;
}
