/**
 * What a name imported from another module of the repository is bound to there, when it is a
 * plain string constant: `from settings import MODEL` or `import settings` then `settings.MODEL`,
 * with `MODEL = "command"` at the top of settings.py. The transform asks it of a `model=` value it
 * cannot see in the file (request.ts), so that a retired model kept in a config module does not
 * reach Chat.
 *
 * The module is found as detection finds modules (reach.ts pythonModuleFile: relative imports from
 * the package, absolute ones from the folders above, up to the git root). Only module-level
 * assignments of one string literal count, and only when every assignment of the name there
 * agrees; anything else (an environment lookup, a computed value) is no answer.
 */
import * as path from "node:path";
import { gitRoot } from "../engine/files";
import { isFile, pythonModuleFile } from "./reach";
import { objectClass } from "./request";
import { field, named, type Node } from "./syntax";
import { readText } from "../engine/read-text";

export interface ImportedString {
  value: string;
  /** The module file, relative to the importing file's folder (for the note). */
  where: string;
  /** A class's default for the attribute (`Settings.model`), which the instance may override. */
  field?: boolean;
}

/** A resolver for one importing file (module texts are read once per file). */
export function importedStrings(file: string): (value: Node) => ImportedString | undefined {
  const dir = path.dirname(file);
  const root = gitRoot(dir) ?? dir;
  const texts = new Map<string, string | undefined>();
  const textOf = (module: string): string | undefined => {
    if (!texts.has(module)) {
      texts.set(module, readText(module));
    }
    return texts.get(module);
  };
  return (value) => {
    // Handles: settings.model with settings = Settings() (or a parameter typed Settings), the class
    // imported from a module whose body gives `model: str = "command"`.
    const attr = value.type === "attribute" ? field(value, "attribute")?.text : undefined;
    const object = value.type === "attribute" ? field(value, "object") : undefined;
    // The class's module, and the class: imported itself (`s = Settings()`, `s: Settings`), or the
    // type of an instance (`from app.config import settings`) or a getter (`s = get_settings()`,
    // `def get_settings() -> Settings`) that module defines.
    let owner: { module: string; cls: string } | undefined;
    const cls = value.type === "attribute" ? objectClass(value) : undefined;
    const classTarget = cls !== undefined ? fromImportOf(value, cls) : undefined;
    if (classTarget) {
      const module = pythonModuleFile(root, file, classTarget.module, classTarget.level, isFile);
      if (module) owner = { module, cls: classTarget.name };
    } else if (object?.type === "identifier" && attr) {
      const getter = calledName(value, object.text);
      const target = fromImportOf(value, getter ?? object.text);
      const module = target ? pythonModuleFile(root, file, target.module, target.level, isFile) : undefined;
      const text = module ? textOf(module) : undefined;
      const found = text === undefined || !target ? undefined : getter ? returnClass(text, target.name) : instanceClass(text, target.name);
      if (module && found) owner = { module, cls: found };
    }
    if (owner && attr) {
      const text = textOf(owner.module);
      const found = text !== undefined ? classField(text, owner.cls, attr) : undefined;
      return found === undefined ? undefined : { value: found, where: `${owner.cls}.${attr} in ${path.relative(dir, owner.module).split(path.sep).join("/")}`, field: true };
    }
    const target = importTarget(value);
    if (!target) return undefined;
    const module = pythonModuleFile(root, file, target.module, target.level, isFile);
    const text = module ? textOf(module) : undefined;
    const found = text === undefined ? undefined : moduleConstant(text, target.name);
    return found === undefined || !module ? undefined : { value: found, where: path.relative(dir, module).split(path.sep).join("/") };
  };
}

/** The module and name a value reads: `MODEL` from `from m import MODEL`, `m.MODEL` after `import m` (or `from pkg import m`). */
function importTarget(value: Node): { module: string; level: number; name: string } | undefined {
  let root = value;
  while (root.parent) root = root.parent;
  const imports = named(root).filter((n) => n.type === "import_statement" || n.type === "import_from_statement");
  if (value.type === "identifier") return fromImportOf(value, value.text);
  const object = field(value, "object");
  const name = field(value, "attribute")?.text;
  if (object?.type !== "identifier" || !name) return undefined;
  for (const stmt of imports) {
    if (stmt.type === "import_statement") {
      for (const item of named(stmt)) {
        // `import settings`, `import app.settings as settings`.
        if (item.type === "dotted_name" && item.text === object.text) return { module: item.text, level: 0, name };
        if (item.type === "aliased_import" && field(item, "alias")?.text === object.text) {
          const module = field(item, "name")?.text;
          if (module) return { module, level: 0, name };
        }
      }
    } else {
      // `from app import settings`, `from . import settings`: a submodule.
      const from = moduleOf(stmt);
      for (const item of named(stmt).slice(1)) {
        const sub = item.type === "aliased_import" ? field(item, "name")?.text : item.type === "dotted_name" ? item.text : undefined;
        const local = item.type === "aliased_import" ? field(item, "alias")?.text : sub;
        if (from && sub && local === object.text) return { module: from.module ? `${from.module}.${sub}` : sub, level: from.level, name };
      }
    }
  }
  return undefined;
}

/** The module and name a local name was imported as (`from m import a as local`), in the file holding `at`. */
function fromImportOf(at: Node, local: string): { module: string; level: number; name: string } | undefined {
  let root = at;
  while (root.parent) root = root.parent;
  // At the top or inside a function (`from .config import settings` where it is used).
  const statements: Node[] = [];
  const collect = (n: Node): void => {
    if (n.type === "import_from_statement") statements.push(n);
    else if (n.type === "module" || n.type === "block" || n.type === "function_definition" || n.type === "decorated_definition" || n.type === "if_statement" || n.type === "try_statement") for (const c of named(n)) collect(c);
  };
  collect(root);
  for (const stmt of statements) {
    const from = moduleOf(stmt);
    for (const item of named(stmt).slice(1)) {
      const name = item.type === "aliased_import" ? field(item, "name")?.text : item.type === "dotted_name" ? item.text : undefined;
      const bound = item.type === "aliased_import" ? field(item, "alias")?.text : name;
      if (from && name && bound === local) return { ...from, name };
    }
  }
  return undefined;
}

/** The string a class of a module's text gives an attribute in its body (`model: str = "command"`), if one. */
export function classField(text: string, cls: string, attr: string): string | undefined {
  const escape = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const head = new RegExp(`^class[ \\t]+${escape(cls)}\\b[^\\n]*:[ \\t]*(?:#[^\\n]*)?\\r?\\n`, "m").exec(text);
  if (!head) return undefined;
  // The class's block: the lines after its header, up to the next line that is not indented.
  const rest = text.slice(head.index + head[0].length);
  const end = /^\S/m.exec(rest);
  const body = end ? rest.slice(0, end.index) : rest;
  // At the body's own indentation: not a local of one of its methods.
  const indent = /^([ \t]+)\S/m.exec(body)?.[1];
  if (!indent) return undefined;
  // `model: str = "command"`, and a dataclass or pydantic `Field(default="command")`.
  const field_ = new RegExp(`^${indent}${escape(attr)}[ \\t]*(?::[^=\\n]*)?=[ \\t]*(?:\\w+(?:\\.\\w+)*\\(\\s*(?:default\\s*=\\s*)?)?(["'])([^"'\\\\\\n]*)\\1`, "m").exec(body);
  return field_?.[2];
}

/** The class a module-level `name = Cls(...)` of a module's text makes, if one. */
function instanceClass(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped}[ \\t]*(?::[^=\\n]*)?=[ \\t]*([A-Z]\\w*)\\(`, "m").exec(text)?.[1];
}

/** The class a module-level function of a module's text is annotated to return (`def get_settings() -> Settings:`). */
function returnClass(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${escaped}[ \\t]*\\([^)]*\\)[ \\t]*->[ \\t]*["']?([A-Z]\\w*)["']?[ \\t]*:`, "m").exec(text)?.[1];
}

/** The function `name` is assigned a call of (`s = get_settings()`), in the function holding `at` or at the module's top. */
function calledName(at: Node, name: string): string | undefined {
  let root = at;
  while (root.parent) root = root.parent;
  let fn: Node | null = at.parent;
  while (fn && fn.type !== "function_definition") fn = fn.parent;
  for (const scope of fn ? [fn, root] : [root]) {
    let found: string | undefined;
    const visit = (n: Node): void => {
      if (found !== undefined || ((n.type === "function_definition" || n.type === "class_definition") && n !== scope)) return;
      const left = n.type === "assignment" ? field(n, "left") : undefined;
      const right = n.type === "assignment" ? field(n, "right") : undefined;
      const callee = right?.type === "call" ? field(right, "function") : undefined;
      if (left?.type === "identifier" && left.text === name && callee?.type === "identifier") found = callee.text;
      for (const c of named(n)) visit(c);
    };
    visit(scope);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `from ..pkg.mod import ...`: the module as written, and its leading dots. */
function moduleOf(stmt: Node): { module: string; level: number } | undefined {
  const node = field(stmt, "module_name");
  if (!node) return undefined;
  if (node.type === "relative_import") {
    const dots = named(node).find((n) => n.type === "import_prefix")?.text.length ?? 0;
    const rest = named(node).find((n) => n.type === "dotted_name")?.text ?? "";
    return { module: rest, level: dots };
  }
  return { module: node.text, level: 0 };
}

/** The string every top-level `NAME = "..."` (or `NAME: str = "..."`) of a module's text agrees on. */
export function moduleConstant(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const assignment = new RegExp(`^${escaped}[ \\t]*(?::[^=\\n]*)?=(?!=)[ \\t]*(.*)$`, "gm");
  let found: string | undefined;
  for (const m of text.matchAll(assignment)) {
    const literal = /^(["'])([^"'\\\n]*)\1[ \t]*(?:#.*)?\r?$/.exec(m[1] ?? "");
    if (!literal) return undefined;
    if (found !== undefined && found !== literal[2]) return undefined;
    found = literal[2];
  }
  return found;
}
