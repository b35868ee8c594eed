/**
 * Receivers imported from another module of the repository (`from .clients import co`,
 * `from app import clients` then `clients.co`, `from app.deps import get_client` then
 * `get_client()`): the module is found as Python would find it from the importing file (relative
 * imports from its package, absolute ones from the folders above it and their `src/`), read, and
 * its module-level names looked up. A module that is not in the repository is a third-party one,
 * never a Cohere client (cohere itself is recognised by name in detect.ts).
 */
import type { CallSite } from "../types";
import { PythonDetector, type ClientType, type Export, type ImportRef, type PassedClient, type PendingSite } from "./detect";
import { withTree } from "./syntax";
import { isFile, pythonModuleFile } from "./reach";
import { readText } from "../engine/read-text";

type Resolved = { kind: "client"; type: ClientType } | { kind: "other" } | { kind: "unknown" };

export class PythonModules {
  private readonly exportsCache = new Map<string, Map<string, Export> | undefined>();

  constructor(
    /** The run's root: absolute imports are looked for at most up to here. */
    private readonly root: string,
    /** Texts of files the run already read (others are read from disk). */
    private readonly textOf: (abs: string) => string | undefined,
  ) {}

  /** The sites of a file's pending receivers, settled: certain, possible or dropped. */
  settle(file: string, pending: readonly PendingSite[], importsCohere: boolean): CallSite[] {
    const out: CallSite[] = [];
    for (const p of pending) {
      const r = this.resolve(file, p.ref, p.path, 0);
      if (r.kind === "client") out.push({ ...p.site, certainty: "certain", client: r.type.client, async: r.type.async });
      else if ((r.kind === "unknown" || (r.kind === "other" && p.ref.inherited)) && importsCohere) out.push({ ...p.site, certainty: "possible" });
    }
    return out;
  }

  /** The client a name imported by `from` is, when it is one (`from .clients import co`). */
  clientOf(from: string, ref: ImportRef, path: PendingSite["path"]): ClientType | undefined {
    const r = this.resolve(from, ref, path, 0);
    return r.kind === "client" ? r.type : undefined;
  }

  /**
   * The module and top-level function an imported callee names (`from qa import answer`,
   * `import qa` then `qa.answer`, `from app import qa` then `qa.answer`), when that module of the
   * repository defines it with `def` itself (a re-export is not followed).
   */
  functionOf(from: string, callee: PassedClient["callee"]): { module: string; fn: string } | undefined {
    const { ref, path } = callee;
    let module: string | undefined;
    let fn: string | undefined;
    if (path.length === 0 && ref.name) {
      module = this.moduleFile(from, ref.module, ref.level);
      fn = ref.name;
    } else if (path.length === 1 && "attr" in path[0]) {
      module = this.moduleFile(from, ref.name ? (ref.module ? `${ref.module}.${ref.name}` : ref.name) : ref.module, ref.level);
      fn = path[0].attr;
    }
    if (!module || !fn) return undefined;
    const text = this.textOf(module) ?? readText(module);
    // A module-level function, or a class (what its __init__ takes: detect.ts passedValue).
    const defined = text !== undefined && new RegExp(`^(?:(?:async[ \\t]+)?def[ \\t]+${fn}[ \\t]*\\(|class[ \\t]+${fn}\\b)`, "m").test(text);
    return defined ? { module, fn } : undefined;
  }

  private resolve(from: string, ref: ImportRef, rest: PendingSite["path"], depth: number): Resolved {
    if (depth > 8) return { kind: "unknown" };
    const module = this.moduleFile(from, ref.module, ref.level);
    if (ref.fixture) {
      // pytest reads the conftest.py of the test's folder and of each folder above it, nearest first.
      for (let level = 1; level <= 8 && ref.name; level++) {
        const conftest = this.moduleFile(from, "conftest", level);
        const value = conftest ? this.exportsOf(conftest)?.get(ref.name) : undefined;
        if (value && conftest) return this.walkExport(conftest, value, rest, depth);
      }
      return { kind: "unknown" };
    }
    if (!module) {
      // `from pkg import submodule`: the name is a module itself.
      if (ref.name) {
        const sub = this.moduleFile(from, ref.module ? `${ref.module}.${ref.name}` : ref.name, ref.level);
        if (sub) return this.walkModule(sub, rest, depth);
      }
      return { kind: "other" };
    }
    if (!ref.name) return this.walkModule(module, rest, depth);
    const value = this.exportsOf(module)?.get(ref.name);
    if (!value) {
      const sub = this.moduleFile(from, ref.module ? `${ref.module}.${ref.name}` : ref.name, ref.level);
      if (sub) return this.walkModule(sub, rest, depth);
      return { kind: "unknown" };
    }
    return this.walkExport(module, value, rest, depth);
  }

  private walkModule(module: string, rest: PendingSite["path"], depth: number): Resolved {
    const [first, ...more] = rest;
    if (!first || !("attr" in first)) return { kind: "other" };
    const value = this.exportsOf(module)?.get(first.attr);
    return value ? this.walkExport(module, value, more, depth) : { kind: "unknown" };
  }

  private walkExport(module: string, value: Export, rest: PendingSite["path"], depth: number): Resolved {
    if (value.kind === "import") return this.resolve(module, value.ref, [...(value.path ?? []), ...rest], depth + 1);
    if (value.kind === "unknown") return { kind: "unknown" };
    if (value.kind === "client") return rest.length === 0 ? { kind: "client", type: value.type } : { kind: "other" };
    if (value.kind === "class" || value.kind === "instance") {
      // Handles: Clients.co, bot.co, Bot().co, Bot().client() (a method returning a client).
      const [first, ...more] = value.kind === "class" && rest[0] && "call" in rest[0] ? rest.slice(1) : rest;
      // The object itself (`LocalLLM().generate(...)`), or a member it does not define: a class of
      // the repository's, unless it inherits what it lacks.
      const unseen: Resolved = value.open ? { kind: "unknown" } : { kind: "other" };
      if (!first || !("attr" in first)) return unseen;
      const member = value.members.get(first.attr);
      return member ? this.walkExport(module, member, more, depth) : unseen;
    }
    // A factory: called once, it gives a client.
    if (value.kind !== "factory") return { kind: "other" };
    return rest.length === 1 && "call" in rest[0] ? { kind: "client", type: value.type } : { kind: "other" };
  }

  private exportsOf(file: string): Map<string, Export> | undefined {
    if (this.exportsCache.has(file)) return this.exportsCache.get(file);
    this.exportsCache.set(file, undefined);
    const source = this.textOf(file) ?? readText(file);
    if (source === undefined) return undefined;
    const exports = withTree(source, (tree) => new PythonDetector(tree.rootNode, source).exports());
    this.exportsCache.set(file, exports);
    return exports;
  }

  private moduleFile(from: string, module: string, level: number): string | undefined {
    return pythonModuleFile(this.root, from, module, level, isFile);
  }
}

