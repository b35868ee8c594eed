/**
 * Which files can hold a legacy Cohere use, decided from bytes before any parsing.
 *
 * A Generate call needs the word `generate` (generate, generateStream, /v1/generate), so a file
 * without it is out. It also needs a Cohere client, which comes from `cohere-ai`, a `CohereClient`
 * type, a Cohere URL, or an import of a repository module that leads to one of those: a file with
 * `generate` but none of these is kept only when its imports reach such a module.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SOURCE_EXTENSIONS } from "./files";

const GENERATE = Buffer.from("generate");
/** Words only a file that reaches Cohere contains. */
const COHERE_TOKENS = ["cohere-ai", "CohereClient", "api.cohere."].map((t) => Buffer.from(t));
/** Marker and suppression comments. */
const TOOL_TOKEN = Buffer.from("cohere-migrate");

export interface ByteFacts {
  generate: boolean;
  cohere: boolean;
  tool: boolean;
}

export function byteFacts(raw: Buffer): ByteFacts {
  return {
    generate: raw.indexOf(GENERATE) !== -1,
    cohere: COHERE_TOKENS.some((t) => raw.indexOf(t) !== -1),
    tool: raw.indexOf(TOOL_TOKEN) !== -1,
  };
}

// import ... from "x", export ... from "x", import("x"), require("x"), import "x"
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["'`]([^"'`\n]+)["'`]/g;

export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1]);
  return out;
}

/** tsconfig `paths` as prefix rewrites ("@/*" → ["src/*"]), relative to its base folder. */
export interface PathAliases {
  base: string;
  paths: Array<{ prefix: string; suffix: string; targets: string[] }>;
}

export function readPathAliases(root: string): PathAliases | undefined {
  const file = path.join(root, "tsconfig.json");
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let config: { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
  try {
    // tsconfig allows comments and trailing commas.
    config = JSON.parse(raw.replace(/\/\*[\s\S]*?\*\/|(^|[^:"'])\/\/.*$/gm, "$1").replace(/,(\s*[}\]])/g, "$1"));
  } catch {
    return undefined;
  }
  const options = config.compilerOptions ?? {};
  const base = path.resolve(root, options.baseUrl ?? ".");
  const paths = Object.entries(options.paths ?? {}).map(([pattern, targets]) => {
    const star = pattern.indexOf("*");
    return star === -1
      ? { prefix: pattern, suffix: "", targets }
      : { prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), targets };
  });
  return { base, paths };
}

const PROBE_EXTENSIONS = [...SOURCE_EXTENSIONS, ".d.ts"];

/** The repository file a specifier names, among `known` files; undefined for packages. */
export function resolveSpecifier(spec: string, fromFile: string, known: ReadonlySet<string>, aliases?: PathAliases): string | undefined {
  const candidates: string[] = [];
  if (spec.startsWith(".") || spec.startsWith("/")) candidates.push(path.resolve(path.dirname(fromFile), spec));
  else if (aliases) {
    for (const alias of aliases.paths) {
      if (!spec.startsWith(alias.prefix) || !spec.endsWith(alias.suffix)) continue;
      const middle = spec.slice(alias.prefix.length, spec.length - alias.suffix.length);
      for (const target of alias.targets) candidates.push(path.resolve(aliases.base, target.replace("*", middle)));
    }
    if (!aliases.paths.length) candidates.push(path.resolve(aliases.base, spec));
  }
  for (const c of candidates) {
    const noJs = c.replace(/\.(m|c)?js$/, "");
    const bases = noJs === c ? [c] : [c, noJs];
    for (const b of bases) {
      if (known.has(b)) return b;
      for (const ext of PROBE_EXTENSIONS) {
        if (known.has(b + ext)) return b + ext;
        const index = path.join(b, `index${ext}`);
        if (known.has(index)) return index;
      }
    }
  }
  return undefined;
}

/**
 * Files with `generate` but no Cohere word are kept when their imports reach a Cohere file within
 * a few hops (a client created in one module, re-exported by another, used in a third).
 */
export class ImportReach {
  private readonly imports = new Map<string, string[]>();
  private readonly reaches = new Map<string, boolean>();

  constructor(
    private readonly known: ReadonlySet<string>,
    private readonly cohereFiles: ReadonlySet<string>,
    private readonly readText: (file: string) => string | undefined,
    private readonly aliases?: PathAliases,
  ) {}

  /** The repository files a file imports. */
  importsOf(file: string): string[] {
    let out = this.imports.get(file);
    if (out) return out;
    const text = this.readText(file) ?? "";
    out = [];
    for (const spec of importSpecifiers(text)) {
      const target = resolveSpecifier(spec, file, this.known, this.aliases);
      if (target) out.push(target);
    }
    this.imports.set(file, out);
    return out;
  }

  /** Breadth-first over imports, at most `depth` hops; import cycles end on the visited set. */
  reachesCohere(file: string, depth = 6): boolean {
    const cached = this.reaches.get(file);
    if (cached !== undefined) return cached;
    const visited = new Set([file]);
    let frontier = [file];
    let found = false;
    for (let d = 0; d < depth && frontier.length && !found; d++) {
      const next: string[] = [];
      for (const f of frontier) {
        for (const target of this.importsOf(f)) {
          if (this.cohereFiles.has(target)) found = true;
          if (!visited.has(target)) {
            visited.add(target);
            next.push(target);
          }
        }
      }
      frontier = next;
    }
    this.reaches.set(file, found);
    return found;
  }

  /** The files on the way from `file` to Cohere files (for the cross-file project). */
  closure(file: string, depth = 6): Set<string> {
    const out = new Set<string>();
    const visit = (f: string, d: number): void => {
      for (const target of this.importsOf(f)) {
        if (out.has(target)) continue;
        if (this.cohereFiles.has(target) || (d > 1 && this.reachesCohere(target, d - 1))) {
          out.add(target);
          visit(target, d - 1);
        }
      }
    };
    visit(file, depth);
    return out;
  }
}
