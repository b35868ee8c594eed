/**
 * The repository's own npm packages: in a monorepo, `import { cohere } from "@acme/llm"` names
 * packages/llm, linked into node_modules by the package manager, so it is a module of this
 * repository as much as `./llm` is. Each package.json the walk found with a `name` maps that name
 * to the sources it points at: its entry fields read back from the build to the sources
 * (`dist/index.js` → `src/index`), then `src/index` and `index`; a subpath (`@acme/llm/client`)
 * to the file of that path, in the package or its `src` folder.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PathAliases } from "./prefilter";
import { declaresCohere, dependencyNames } from "./deps";
import { isCohereSpecifier } from "../detect/specifier";
import { eachPlainFile } from "./files";

/** What a package.json says of itself, as far as an import of its name needs. */
interface Manifest {
  name?: unknown;
  source?: unknown;
  types?: unknown;
  typings?: unknown;
  module?: unknown;
  main?: unknown;
  exports?: unknown;
}

/** Extensions an entry field's path carries, dropped so that probing finds the source beside the build. */
const BUILT_EXTENSION = /\.(?:d\.[cm]?ts|[cm]?[jt]sx?)$/;
/** Build output folders whose sources sit in `src` with the same layout. */
const BUILD_FOLDER = /^(?:\.\/)?(?:dist|lib|build|out|esm|cjs)(?:\/(?:esm|cjs|src))?\//;

/** Every path string of one `exports` entry, whatever its conditions (`import`, `require`, `types`, ...). */
function conditionPaths(entry: unknown): string[] {
  if (typeof entry === "string") return [entry];
  if (Array.isArray(entry)) return entry.flatMap(conditionPaths);
  if (!entry || typeof entry !== "object") return [];
  return Object.values(entry as Record<string, unknown>).flatMap(conditionPaths);
}

/**
 * The `exports` map by subpath: "." for the package itself, "./client" or "./providers/*" for the
 * others. A map of conditions alone (`{ import, require }`) is the package's own entry.
 */
function exportsBySubpath(exports: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof exports === "string" || Array.isArray(exports)) out.set(".", conditionPaths(exports));
  else if (exports && typeof exports === "object") {
    const entries = Object.entries(exports as Record<string, unknown>);
    if (!entries.some(([k]) => k.startsWith("."))) out.set(".", conditionPaths(exports));
    else for (const [k, v] of entries) if (k === "." || k.startsWith("./")) out.set(k, conditionPaths(v));
  }
  return out;
}

/**
 * A path an entry field names, without extension, and the same path in `src` when it is a
 * build's: the source first. A checkout that has been built holds `dist/` too (gitignored, or
 * committed): the cross-file project's module resolution takes the first target on disk, and a
 * build is none of the project's files, so the import would resolve to nothing.
 */
function sourcesOf(dir: string, field: string): string[] {
  const stem = field.replace(BUILT_EXTENSION, "");
  const out = BUILD_FOLDER.test(stem) ? [path.resolve(dir, stem.replace(BUILD_FOLDER, "src/"))] : [];
  out.push(path.resolve(dir, stem));
  return out;
}

/** The files (without extension, as the import probe takes them) a package's name leads to. */
function entryTargets(dir: string, manifest: Manifest, exported: readonly string[]): string[] {
  const fields = [manifest.source, manifest.types, manifest.typings, manifest.module, manifest.main, ...exported];
  const out: string[] = [];
  const built: string[] = [];
  for (const field of fields) {
    if (typeof field !== "string" || !field) continue;
    const [first, ...rest] = sourcesOf(dir, field);
    out.push(first);
    built.push(...rest);
  }
  // Every source before any build: `main` may name dist/ while `types` names a source elsewhere.
  out.push(path.join(dir, "src"), ...built, dir);
  return [...new Set(out)];
}

/** Where a package is, what it says, whom it depends on. */
interface Package {
  dir: string;
  file: string;
  manifest: Manifest;
  deps: string[];
}

/**
 * The repository's packages as import aliases: `name` to its entry, `name/sub` to what its
 * `exports` map gives for `./sub`, `name/*` to its files. Only packages that can hand out a Cohere
 * client are kept: one that installs cohere-ai; one under a package.json that does (a monorepo
 * root's dependencies are hoisted to its packages) and whose own sources name cohere-ai
 * (`namesCohere`); one that depends on a kept package of the repository. Any other package's
 * imports are cut as a vendor's are: a monorepo's shared core (langchainjs's @langchain/core) does
 * not send every file that imports it to the cross-file settle, even under a root that installs
 * cohere-ai. A package named as cohere-ai itself (Cohere's own SDK repository) is cohere-ai.
 */
export function workspaceAliases(manifests: readonly string[], root: string, namesCohere: (dir: string) => boolean = () => true): PathAliases["paths"] {
  // Read as bytes first; parsed only when they may matter: one naming cohere-ai, one under a
  // package.json that installs it, one naming a kept package (a dependency on it). A monorepo of a
  // hundred packages, none of them Cohere's, parses none (langchainjs: about 4 ms).
  const raws: Array<{ file: string; dir: string; raw: Buffer }> = [];
  // Sorted: two packages of one name (fixture copies) resolve the same whichever paths a run was given.
  for (const file of [...new Set(manifests)].sort()) {
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    try {
      raws.push({ file, dir: path.dirname(file), raw: fs.readFileSync(file) });
    } catch {
      // Unreadable: not a package of the run.
    }
  }
  const parsed = new Map<string, Manifest | null>();
  const parse = (file: string, raw: Buffer): Manifest | null => {
    let out = parsed.get(file);
    if (out === undefined) {
      try {
        // A byte-order mark is allowed, as Node and npm read package.json.
        const json: unknown = JSON.parse(raw.toString("utf8").replace(/^\uFEFF/, ""));
        out = json && typeof json === "object" && !Array.isArray(json) ? (json as Manifest) : null;
      } catch {
        out = null;
      }
      parsed.set(file, out);
    }
    return out;
  };
  const installsCohere = new Set<string>();
  for (const { file, dir, raw } of raws) {
    const manifest = raw.indexOf("cohere-ai") !== -1 ? parse(file, raw) : null;
    if (manifest && declaresCohere(manifest as Parameters<typeof declaresCohere>[0])) installsCohere.add(dir);
  }
  if (!installsCohere.size) return [];
  const packages = new Map<string, Package>();
  const add = (file: string, dir: string, raw: Buffer): void => {
    const manifest = parse(file, raw);
    const name = manifest?.name;
    // The root package's own name is not imported by its files (they use relative paths).
    if (!manifest || typeof name !== "string" || !name || dir === root || packages.has(name) || isCohereSpecifier(name)) return;
    packages.set(name, { dir, file, manifest, deps: dependencyNames(manifest as Parameters<typeof dependencyNames>[0]) });
  };
  const under = (dir: string): boolean => [...installsCohere].some((d) => dir !== d && dir.startsWith(d + path.sep));
  for (const { file, dir, raw } of raws) if (installsCohere.has(dir) || under(dir)) add(file, dir, raw);
  const kept = new Set([...packages].filter(([, p]) => installsCohere.has(p.dir) || (under(p.dir) && namesCohere(p.dir))).map(([name]) => name));
  // Packages depending on a kept one, until none is added: only a manifest naming one is parsed.
  for (let grew = true; grew; ) {
    grew = false;
    const names = [...kept].map((n) => Buffer.from(JSON.stringify(n)));
    for (const { file, dir, raw } of raws) if (!parsed.has(file) && names.some((n) => raw.indexOf(n) !== -1)) add(file, dir, raw);
    for (const [name, p] of packages) {
      if (!kept.has(name) && p.deps.some((d) => kept.has(d))) {
        kept.add(name);
        grew = true;
      }
    }
  }
  const out: PathAliases["paths"] = [];
  for (const name of kept) {
    const { dir, file, manifest } = packages.get(name) as Package;
    const exports = exportsBySubpath(manifest.exports);
    out.push({ prefix: name, suffix: "", exact: true, targets: entryTargets(dir, manifest, exports.get(".") ?? []), manifest: file });
    for (const [key, paths] of exports) {
      if (key === ".") continue;
      const star = key.indexOf("*");
      const targets = [...new Set(paths.flatMap((p) => sourcesOf(dir, p)))];
      if (star === -1) out.push({ prefix: `${name}/${key.slice(2)}`, suffix: "", exact: true, targets, manifest: file });
      else out.push({ prefix: `${name}/${key.slice(2, star)}`, suffix: key.slice(star + 1).replace(BUILT_EXTENSION, ""), targets, manifest: file });
    }
    out.push({ prefix: `${name}/`, suffix: "", targets: [path.join(dir, "*"), path.join(dir, "src", "*")], manifest: file });
  }
  return out;
}

/**
 * A file's aliases as the cross-file project's module options: `paths` with absolute targets (so
 * one set of options serves every folder that has the same aliases), and `baseUrl` when set.
 */
export interface CompilerPaths {
  baseUrl?: string;
  paths: Array<[string, string[]]>;
}

/** One answer per aliases object: every file under one tsconfig shares it (thousands in a monorepo). */
const compilerPathsMemo = new WeakMap<PathAliases, CompilerPaths>();

export function compilerPathsOf(aliases: PathAliases | undefined): CompilerPaths | undefined {
  if (!aliases) return undefined;
  let out = compilerPathsMemo.get(aliases);
  if (!out) {
    const paths = aliases.paths.map((a): [string, string[]] => [a.exact ? a.prefix : `${a.prefix}*${a.suffix}`, a.targets.map((t) => path.resolve(aliases.base, t))]);
    out = { ...(aliases.baseUrl ? { baseUrl: aliases.base } : {}), paths };
    compilerPathsMemo.set(aliases, out);
  }
  return out;
}

/**
 * The aliases a file's imports resolve through: its nearest tsconfig's `paths`, then the
 * repository's packages. The packages are read when the first file's imports are resolved (a run
 * with no candidate reads no package.json for this).
 */
export class RepositoryAliases {
  private packageAliases: PathAliases["paths"] | undefined;
  /** Merged aliases by the tsconfig's and the package.json (its `imports`) that apply. */
  private readonly merged = new Map<PathAliases | undefined, Map<string, PathAliases | undefined>>();
  /** The nearest package.json of a folder, and its `imports` as aliases ("" and [] when none). */
  private readonly nearest = new Map<string, { file: string; imports: PathAliases["paths"] }>();

  constructor(
    private readonly tsconfigs: { aliasesOf(file: string): PathAliases | undefined },
    /** The package.json files of the repository (called once, on first use). */
    private readonly manifests: () => readonly string[],
    private readonly root: string,
    /** Whether a source file under a folder names cohere-ai (for a package that does not install it). */
    private readonly namesCohere: (dir: string) => boolean,
  ) {}

  packages(): PathAliases["paths"] {
    this.packageAliases ??= workspaceAliases(this.manifests(), this.root, this.namesCohere);
    return this.packageAliases;
  }

  /** The aliases of a file's tsconfig and the repository's packages. */
  of(file: string): PathAliases | undefined {
    return this.merge(this.tsconfigs.aliasesOf(file), NO_PACKAGE);
  }

  /** of(), with the subpath imports (`#lib/*`) of the file's own package: asked only for a `#` specifier (a stat per folder). */
  withImports(file: string): PathAliases | undefined {
    return this.merge(this.tsconfigs.aliasesOf(file), this.packageOf(path.dirname(file)));
  }

  private merge(own: PathAliases | undefined, pkg: { file: string; imports: PathAliases["paths"] }): PathAliases | undefined {
    let byPackage = this.merged.get(own);
    if (!byPackage) this.merged.set(own, (byPackage = new Map()));
    if (byPackage.has(pkg.file)) return byPackage.get(pkg.file);
    const extra = [...pkg.imports, ...this.packages()];
    const out = !extra.length ? own : own ? { ...own, paths: [...own.paths, ...extra] } : { file: "", base: this.root, baseUrl: false, paths: extra };
    byPackage.set(pkg.file, out);
    return out;
  }

  /**
   * Node's subpath imports of the package a folder is in (`"imports": { "#lib/*": "./src/lib/*.js" }`
   * in its package.json): `#lib/llm` names a module of that package, as a tsconfig alias does.
   */
  private packageOf(dir: string): { file: string; imports: PathAliases["paths"] } {
    const known = this.nearest.get(dir);
    if (known) return known;
    const file = path.join(dir, "package.json");
    let found: { file: string; imports: PathAliases["paths"] } | undefined;
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) found = { file, imports: subpathImports(file) };
    else {
      const parent = path.dirname(dir);
      found = parent === dir || !dir.startsWith(this.root) ? { file: "", imports: [] } : this.packageOf(parent);
    }
    this.nearest.set(dir, found);
    return found;
  }
}

const NO_PACKAGE = { file: "", imports: [] };

/** A package.json's `imports` map as aliases (`#lib/*` to its targets, read back from a build to the sources). */
function subpathImports(file: string): PathAliases["paths"] {
  let manifest: { imports?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as { imports?: unknown };
  } catch {
    return [];
  }
  const imports = manifest && typeof manifest === "object" ? manifest.imports : undefined;
  if (!imports || typeof imports !== "object" || Array.isArray(imports)) return [];
  const dir = path.dirname(file);
  const out: PathAliases["paths"] = [];
  for (const [key, value] of Object.entries(imports as Record<string, unknown>)) {
    if (!key.startsWith("#")) continue;
    const targets = [...new Set(conditionPaths(value).filter((t) => t.startsWith("./")).flatMap((t) => sourcesOf(dir, t)))];
    const star = key.indexOf("*");
    if (star === -1) out.push({ prefix: key, suffix: "", exact: true, targets, manifest: file });
    else out.push({ prefix: key.slice(0, star), suffix: key.slice(star + 1).replace(BUILT_EXTENSION, ""), targets, manifest: file });
  }
  return out;
}

/**
 * Every package.json of the work tree under `root` that git knows (tracked, or untracked and not
 * ignored): for a run over part of the tree, whose walk saw only its own. Empty outside git.
 */
export function repositoryManifests(root: string): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "package.json", ":(glob)**/package.json"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.split("\0").filter(Boolean).map((f) => path.join(root, f));
  } catch {
    return manifestsOnDisk(root);
  }
}

/**
 * Outside git (a tarball, a Docker build context): the package.json files under `root`, found by
 * walking its folders (not node_modules or hidden ones), up to a bound a source tree stays within.
 */
function manifestsOnDisk(root: string, limit = 20_000): string[] {
  const out: string[] = [];
  eachPlainFile(
    root,
    (abs, name) => {
      if (name === "package.json") out.push(abs);
    },
    limit,
  );
  return out;
}
