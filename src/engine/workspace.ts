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

/** Every path string in an `exports` entry for ".", whatever its conditions. */
function exportedPaths(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (Array.isArray(exports)) return exports.flatMap(exportedPaths);
  if (!exports || typeof exports !== "object") return [];
  const map = new Map(Object.entries(exports as Record<string, unknown>));
  // Keys starting with "." are subpaths: only the root's is the package's own entry.
  const root = map.get(".");
  if (root !== undefined) return exportedPaths(root);
  if ([...map.keys()].some((k) => k.startsWith("."))) return [];
  return [...map.values()].flatMap(exportedPaths);
}

/** The files (without extension, as the import probe takes them) a package's name leads to. */
function entryTargets(dir: string, manifest: Manifest): string[] {
  const fields = [manifest.source, manifest.types, manifest.typings, manifest.module, manifest.main, ...exportedPaths(manifest.exports)];
  const out: string[] = [];
  for (const field of fields) {
    if (typeof field !== "string" || !field) continue;
    const stem = field.replace(BUILT_EXTENSION, "");
    out.push(path.resolve(dir, stem));
    if (BUILD_FOLDER.test(stem)) out.push(path.resolve(dir, stem.replace(BUILD_FOLDER, "src/")));
  }
  out.push(path.join(dir, "src"), dir);
  return [...new Set(out)];
}

/**
 * The repository's packages as import aliases: `name` to its entry, `name/*` to its files. Only
 * packages that can hand out a Cohere client are kept: one that installs cohere-ai, sits under a
 * package.json that does (a monorepo root's dependencies are hoisted to its packages), or depends
 * on a kept package of the repository. Any other package's imports are cut as a vendor's are:
 * a monorepo's shared core (langchainjs's @langchain/core) does not send every file that imports
 * it to the cross-file settle.
 */
export function workspaceAliases(manifests: readonly string[], root: string): PathAliases["paths"] {
  const packages = new Map<string, { dir: string; manifest: Manifest; deps: string[] }>();
  const installsCohere = new Set<string>();
  for (const file of manifests) {
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    let manifest: Manifest;
    try {
      manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    } catch {
      continue;
    }
    if (!manifest || typeof manifest !== "object") continue;
    const dir = path.dirname(file);
    if (declaresCohere(manifest as Parameters<typeof declaresCohere>[0])) installsCohere.add(dir);
    // The root package's own name is not imported by its files (they use relative paths).
    if (typeof manifest.name !== "string" || !manifest.name || dir === root || packages.has(manifest.name)) continue;
    packages.set(manifest.name, { dir, manifest, deps: dependencyNames(manifest as Parameters<typeof dependencyNames>[0]) });
  }
  const underCohere = (dir: string): boolean => [...installsCohere].some((d) => dir === d || dir.startsWith(d + path.sep));
  const kept = new Set([...packages].filter(([, p]) => underCohere(p.dir)).map(([name]) => name));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, p] of packages) {
      if (!kept.has(name) && p.deps.some((d) => kept.has(d))) {
        kept.add(name);
        grew = true;
      }
    }
  }
  const out: PathAliases["paths"] = [];
  for (const name of kept) {
    const { dir, manifest } = packages.get(name) as { dir: string; manifest: Manifest };
    out.push({ prefix: name, suffix: "", exact: true, targets: entryTargets(dir, manifest) });
    out.push({ prefix: `${name}/`, suffix: "", targets: [path.join(dir, "*"), path.join(dir, "src", "*")] });
  }
  return out;
}

/** The same aliases as tsconfig `paths` (absolute targets), for the cross-file project's module resolution. */
export function asCompilerPaths(aliases: PathAliases["paths"]): Array<[string, string[]]> {
  return aliases.map((a) => [a.exact ? a.prefix : `${a.prefix}*${a.suffix}`, a.targets]);
}

/**
 * The aliases a file's imports resolve through: its nearest tsconfig's `paths`, then the
 * repository's packages. The packages are read on first use (a run whose candidates import
 * nothing bare never reads a package.json for this).
 */
export class RepositoryAliases {
  private packageAliases: PathAliases["paths"] | undefined;
  private readonly merged = new Map<PathAliases | undefined, PathAliases | undefined>();

  constructor(
    private readonly tsconfigs: { aliasesOf(file: string): PathAliases | undefined },
    /** The package.json files of the repository (called once, on first use). */
    private readonly manifests: () => readonly string[],
    private readonly root: string,
  ) {}

  packages(): PathAliases["paths"] {
    this.packageAliases ??= workspaceAliases(this.manifests(), this.root);
    return this.packageAliases;
  }

  of(file: string): PathAliases | undefined {
    const own = this.tsconfigs.aliasesOf(file);
    if (this.merged.has(own)) return this.merged.get(own);
    const packages = this.packages();
    const out = !packages.length ? own : own ? { ...own, paths: [...own.paths, ...packages] } : { file: "", base: this.root, baseUrl: false, paths: packages };
    this.merged.set(own, out);
    return out;
  }
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
    return [];
  }
}
