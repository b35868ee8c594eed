/**
 * Corpora for the benchmark and the scale tests: real code from the installed node_modules,
 * copied into a folder not named node_modules (the walk skips those), and generated projects
 * that use Cohere's Generate API in every way detection knows.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const SOURCE_RE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The project folder, from scripts/ (ts-jest) or dist/scripts/ (the compiled benchmark). */
export const PROJECT_ROOT = path.basename(path.dirname(__dirname)) === "dist" ? path.resolve(__dirname, "..", "..") : path.resolve(__dirname, "..");

/** The JS/TS files of the project's node_modules, relative to it, in a stable order. */
export function realSourceFiles(nodeModules = path.join(PROJECT_ROOT, "node_modules")): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), relPath);
      else if (e.isFile() && SOURCE_RE.test(e.name)) out.push(relPath);
    }
  };
  walk(nodeModules, "");
  return out;
}

/**
 * Copies real files into `to`; nested `node_modules` folders are renamed `nm` so the copy is
 * walked like a repository. Returns the relative paths written.
 */
export function copyRealFiles(files: readonly string[], to: string, nodeModules = path.join(PROJECT_ROOT, "node_modules")): string[] {
  const written: string[] = [];
  const made = new Set<string>();
  for (const rel of files) {
    const target = rel.split("/").map((part) => (part === "node_modules" ? "nm" : part)).join("/");
    const abs = path.join(to, target);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.copyFileSync(path.join(nodeModules, rel), abs);
    written.push(target);
  }
  return written;
}

/**
 * Files of Cohere's own SDK packages (cohere-ai, and the cohere-ai-v6 alias). Their sources and
 * tests call `generate` on Cohere clients: a corpus "with no Cohere calls" leaves them out.
 */
export function isCohereSdk(rel: string): boolean {
  return /(^|\/)cohere-ai(-v6)?\//.test(rel);
}

/** Every `step`-th file, starting at `offset`: a slice that spans all packages. */
export function everyNth<T>(items: readonly T[], step: number, offset = 0): T[] {
  return items.filter((_, i) => i % step === offset);
}

export interface GeneratedFile {
  text: string;
  /** Findings `check` must report in this file (0 for client modules and re-exports). */
  findings: number;
}

/**
 * One generated project under `dir` (relative to the corpus root): each file uses the Generate
 * API in one way detection knows. `alias` is the tsconfig `paths` prefix that maps to the
 * corpus's generated folder (see `cohereTsconfig`), e.g. "@/gen/p0".
 */
export function cohereProject(dir: string, alias: string): Map<string, GeneratedFile> {
  const files = new Map<string, GeneratedFile>();
  const add = (name: string, findings: number, lines: string[]): void => {
    files.set(`${dir}/${name}`, { text: lines.join("\n") + "\n", findings });
  };
  const named = ['import { CohereClient } from "cohere-ai";', 'const co = new CohereClient({ token: process.env.CO_API_KEY });'];
  add("named-import.ts", 1, [...named, "export async function ask(prompt: string) {", "  const r = await co.generate({ prompt });", "  return r.generations[0].text;", "}"]);
  add("renamed-import.ts", 1, [
    'import { CohereClient as LLM } from "cohere-ai";',
    'const llm = new LLM({ token: "k" });',
    'export const answer = () => llm.generate({ prompt: "Why?", maxTokens: 20 });',
  ]);
  add("namespace-import.ts", 1, [
    'import * as cohere from "cohere-ai";',
    'const client = new cohere.CohereClient({ token: "k" });',
    'export async function run() { return (await client.generate({ prompt: "x" })).generations[0].text; }',
  ]);
  add("require.js", 1, [
    'const cohere = require("cohere-ai");',
    'const co = new cohere.CohereClient({ token: "k" });',
    'module.exports = async () => (await co.generate({ prompt: "a" })).generations[0].text;',
  ]);
  add("destructured-require.cjs", 1, [
    'const { CohereClientV2 } = require("cohere-ai");',
    'const co = new CohereClientV2({ token: "k" });',
    'exports.run = () => co.generate({ prompt: "b", temperature: 0.2 });',
  ]);
  add("class-property.ts", 1, [
    'import { CohereClient } from "cohere-ai";',
    "export class Summaries {",
    "  private client: CohereClient;",
    "  constructor(client: CohereClient) {",
    "    this.client = client;",
    "  }",
    "  async summary(text: string) {",
    "    const r = await this.client.generate({ prompt: `Summarise: ${text}` });",
    "    return r.generations[0].text;",
    "  }",
    "}",
  ]);
  add("parameter-typed.ts", 1, [
    'import type { CohereClient } from "cohere-ai";',
    "export async function title(client: CohereClient, topic: string) {",
    "  return (await client.generate({ prompt: topic })).generations[0].text;",
    "}",
  ]);
  add("optional-call.ts", 1, [...named, 'export const maybe = () => co?.generate({ prompt: "o" });']);
  add("element-access.ts", 1, [...named, 'export const quoted = () => co["generate"]({ prompt: "e" });']);
  add("generic-call.ts", 1, [...named, 'export const typed = () => co.generate<unknown>({ prompt: "g" });']);
  add("bind.ts", 1, [...named, "export const generate = co.generate.bind(co);"]);
  add("split-lines.ts", 1, [...named, "export const later = () =>", "  co // the shared client", '    .generate({ prompt: "s" });']);
  add("comment-between.ts", 1, [...named, 'export const odd = () => co./* legacy */ generate({ prompt: "c" });']);
  add("stream.ts", 1, [
    ...named,
    "export async function print() {",
    '  for await (const event of await co.generateStream({ prompt: "s" })) {',
    '    if (event.eventType === "text-generation") process.stdout.write(event.text);',
    "  }",
    "}",
  ]);
  add("v6-module.js", 1, [
    'const cohere = require("cohere-ai");',
    'cohere.init("key");',
    'module.exports = () => cohere.generate({ prompt: "v6" });',
  ]);
  add("v6-init-only.js", 1, ['const cohere = require("cohere-ai");', "cohere.init(process.env.CO_API_KEY);", "module.exports = cohere;"]);
  add("destructured-method.ts", 1, [...named, "const { generate } = co;", 'export const take = () => generate({ prompt: "d" });']);
  add("generate-types.ts", 1, [
    'import type { Cohere } from "cohere-ai";',
    "export function first(response: Cohere.Generation): string {",
    "  return response.generations[0].text;",
    "}",
  ]);
  add("rest-fetch.ts", 1, [
    "export async function rest(prompt: string) {",
    '  const res = await fetch("https://api.cohere.ai/v1/generate", {',
    '    method: "POST",',
    '    headers: { Authorization: "Bearer k", "Content-Type": "application/json" },',
    "    body: JSON.stringify({ prompt }),",
    "  });",
    "  return res.json();",
    "}",
  ]);
  add("marker-left.ts", 1, [
    'import { CohereClientV2 } from "cohere-ai";',
    'const co = new CohereClientV2({ token: "k" });',
    '/* cohere-migrate: preset The preset\'s parameters must be written into the call. */',
    'export const chat = () => co.chat({ model: "command-a-03-2025", messages: [] });',
  ]);
  add("not-cohere.ts", 0, [
    "interface Model { generate(input: { prompt: string }): Promise<string> }",
    "export function run(model: Model) {",
    '  return model.generate({ prompt: "not ours" });',
    "}",
  ]);
  // Cross-file: the client is made in one module and used elsewhere, by a relative import, through
  // a re-exporting index file, and through a tsconfig `paths` alias. The users never say "Cohere".
  add("lib/client.ts", 0, ['import { CohereClient } from "cohere-ai";', 'export const shared = new CohereClient({ token: "k" });']);
  add("lib/index.ts", 0, ['export { shared } from "./client";']);
  add("use-relative.ts", 1, ['import { shared } from "./lib/client";', 'export const viaFile = () => shared.generate({ prompt: "r" });']);
  add("use-index.ts", 1, ['import { shared } from "./lib";', 'export const viaIndex = () => shared.generate({ prompt: "i" });']);
  add("use-alias.ts", 1, [`import { shared } from "${alias}/lib/client";`, 'export const viaAlias = () => shared.generate({ prompt: "a" });']);
  return files;
}

/** The tsconfig.json of a corpus whose generated projects live under `generatedDir`. */
export function cohereTsconfig(generatedDir: string): string {
  return JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["*"] }, strict: true }, include: [`${generatedDir}/**/*`] }, null, 2) + "\n";
}

/** Writes generated files under `root`; returns their relative paths. */
export function writeFiles(root: string, files: ReadonlyMap<string, GeneratedFile>): string[] {
  for (const [rel, file] of files) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, file.text);
  }
  return [...files.keys()];
}

// ---------------------------------------------------------------------------------------------
// A mixed TypeScript / JavaScript / Python tree, for the benchmark's scaling figures.
//
// File i depends only on i, so the first N files of a 20,000-file tree are the same at every size
// and each size is a prefix of the next. Within every run of 50 files: 30 are .ts, 10 .js and 10
// .py, and five hold one legacy Generate call each (3 .ts, 1 .js, 1 .py), so any size that is a
// multiple of 50 has exactly 10% call files, in every language. The rest is ordinary code of a
// few KB, some of which calls `.generate(` on objects that are not Cohere clients (an id
// generator, a PDF renderer, a local text model) and says "generate" in comments, as real code
// does: a grep for the word finds far more than the Cohere calls.

export type TreeLanguage = "ts" | "js" | "py";

export interface TreeFile {
  /** Path relative to the tree's root, with forward slashes. */
  rel: string;
  text: string;
  language: TreeLanguage;
  /** Legacy Cohere Generate calls the file holds (0 or 1). */
  calls: number;
}

const TREE_BLOCK = 50;
/** Where in each block of 50 the call files sit: position % 5 is 0-2 for .ts, 3 for .js, 4 for .py. */
const TS_CALL_POSITIONS = [0, 16, 32];
const JS_CALL_POSITION = 23;
const PY_CALL_POSITION = 24;
/** Files per package folder: packages hold a mix of languages, as a monorepo's do. */
const TREE_PACKAGE = 200;

const DOMAINS = ["order", "invoice", "customer", "shipment", "ticket", "payment", "catalog", "report", "session", "inventory", "review", "booking"];
const KINDS = ["service", "repository", "handler", "mapper", "validator", "scheduler", "client", "store"];

/** A small deterministic generator (mulberry32): the same index always gives the same file. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pascal = (s: string): string => s[0].toUpperCase() + s.slice(1);

function treeLanguage(i: number): TreeLanguage {
  const p = i % TREE_BLOCK;
  return p % 5 === 4 ? "py" : p % 5 === 3 ? "js" : "ts";
}

function treeHasCall(i: number): boolean {
  const p = i % TREE_BLOCK;
  return TS_CALL_POSITIONS.includes(p) || p === JS_CALL_POSITION || p === PY_CALL_POSITION;
}

interface TreeMeta {
  rel: string;
  language: TreeLanguage;
  domain: string;
  kind: string;
  /** The function the module exports, which later modules of its package import. */
  exported: string;
  /** The import specifier of the module from the package's source root (no extension). */
  module: string;
}

/** Path and exported name of file i, from a stream of its own so the text's choices do not move them. */
function treeMeta(i: number): TreeMeta {
  const rng = seeded(i * 7919 + 17);
  const language = treeLanguage(i);
  const domain = DOMAINS[Math.floor(rng() * DOMAINS.length)];
  const kind = KINDS[Math.floor(rng() * KINDS.length)];
  const pkg = `packages/pkg-${String(Math.floor(i / TREE_PACKAGE)).padStart(3, "0")}`;
  if (language === "py") {
    const module = `${domain}_${kind}_${i}`;
    return { rel: `${pkg}/python/${domain}/${module}.py`, language, domain, kind, exported: `describe_${domain}_${i}`, module: `${domain}.${module}` };
  }
  const module = `${domain}/${kind}-${i}`;
  return { rel: `${pkg}/src/${module}.${language}`, language, domain, kind, exported: `describe${pascal(domain)}${i}`, module };
}

/** Earlier files of the same package and language, for imports (TypeScript does not import the .js files). */
function earlierNeighbours(i: number, rng: () => number, count: number): TreeMeta[] {
  const start = Math.floor(i / TREE_PACKAGE) * TREE_PACKAGE;
  const language = treeLanguage(i);
  const out: TreeMeta[] = [];
  for (let tries = 0; tries < 12 && out.length < count && i > start; tries++) {
    const j = start + Math.floor(rng() * (i - start));
    if (treeLanguage(j) !== language || out.some((m) => m.rel === treeMeta(j).rel)) continue;
    out.push(treeMeta(j));
  }
  return out;
}

interface BlockContext {
  rng: () => number;
  domain: string;
  Domain: string;
  i: number;
  /** A fresh number for each block's names, so blocks never collide in one file. */
  next: () => number;
  ts: boolean;
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** `: type` in TypeScript, nothing in JavaScript. */
const ty = (c: BlockContext, annotation: string): string => (c.ts ? annotation : "");

/** Ordinary JS/TS blocks. None mentions Cohere; some call `.generate(` on something else. */
const JS_BLOCKS: ReadonlyArray<(c: BlockContext) => string[]> = [
  (c) => {
    const n = c.next();
    const fields = ["id: string;", "createdAt: Date;", "status: Status" + n + ";", "amountCents: number;", "tags: string[];", "ownerId?: string;", "notes?: string;"];
    return c.ts
      ? [
          `export type Status${n} = "draft" | "open" | "closed" | "archived";`,
          "",
          `export interface ${c.Domain}Record${n} {`,
          ...fields.slice(0, 4 + Math.floor(c.rng() * 4)).map((f) => `  ${f}`),
          "}",
        ]
      : ["/**", ` * @typedef {{ id: string, createdAt: Date, status: string, amountCents: number, tags: string[] }} ${c.Domain}Record${n}`, " */"];
  },
  (c) => {
    const n = c.next();
    const rec = c.ts ? `${c.Domain}Row${n}` : "";
    return [
      ...(c.ts ? [`interface ${rec} { id: string; status: string; amountCents: number; updatedAt: Date }`, ""] : []),
      `export class ${c.Domain}${pick(c.rng, ["Service", "Repository", "Store", "Cache"])}${n} {`,
      ...(c.ts ? [`  private readonly rows = new Map<string, ${rec}>();`, "  private hits = 0;"] : ["  constructor() {", "    this.rows = new Map();", "    this.hits = 0;", "  }"]),
      "",
      `  async find(id${ty(c, ": string")})${ty(c, `: Promise<${rec} | undefined>`)} {`,
      "    this.hits += 1;",
      "    const row = this.rows.get(id);",
      `    if (!row) return undefined;`,
      "    return { ...row };",
      "  }",
      "",
      `  list(status${ty(c, ": string")}, limit = 50)${ty(c, `: ${rec}[]`)} {`,
      "    return [...this.rows.values()]",
      "      .filter((row) => row.status === status)",
      "      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())",
      "      .slice(0, limit);",
      "  }",
      "",
      `  save(row${ty(c, `: ${rec}`)})${ty(c, ": void")} {`,
      "    this.rows.set(row.id, { ...row, updatedAt: new Date() });",
      "  }",
      "",
      `  totalCents()${ty(c, ": number")} {`,
      "    return [...this.rows.values()].reduce((sum, row) => sum + row.amountCents, 0);",
      "  }",
      "}",
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `const ${c.domain.toUpperCase()}_ID_${n} = /^[A-Z]{3}-\\d{6}$/;`,
      "",
      `export function validate${c.Domain}${n}(input${ty(c, ": Record<string, unknown>")})${ty(c, ": string[]")} {`,
      `  const errors${ty(c, ": string[]")} = [];`,
      `  if (typeof input.id !== "string" || !${c.domain.toUpperCase()}_ID_${n}.test(input.id)) errors.push("id must look like ABC-123456");`,
      '  if (typeof input.amountCents !== "number" || input.amountCents < 0) errors.push("amountCents must be a positive number");',
      "  switch (input.status) {",
      '    case "draft":',
      '    case "open":',
      "      break;",
      '    case "closed":',
      '      if (!input.closedAt) errors.push("a closed record needs closedAt");',
      "      break;",
      "    default:",
      "      errors.push(`unknown status ${String(input.status)}`);",
      "  }",
      "  return errors;",
      "}",
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `export function register${c.Domain}Routes${n}(router${ty(c, ": { get: Function; post: Function }")}, service${ty(c, ": { find(id: string): Promise<unknown>; save(row: unknown): void }")}) {`,
      `  router.get("/${c.domain}s/:id", async (req${ty(c, ": { params: { id: string } }")}, res${ty(c, ": { status(code: number): { json(body: unknown): void } }")}) => {`,
      "    try {",
      "      const row = await service.find(req.params.id);",
      "      if (!row) return res.status(404).json({ error: \"not found\" });",
      "      return res.status(200).json(row);",
      "    } catch (error) {",
      "      return res.status(500).json({ error: error instanceof Error ? error.message : String(error) });",
      "    }",
      "  });",
      `  router.post("/${c.domain}s", async (req${ty(c, ": { body: unknown }")}, res${ty(c, ": { status(code: number): { json(body: unknown): void } }")}) => {`,
      "    service.save(req.body);",
      "    res.status(201).json({ ok: true });",
      "  });",
      "}",
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `export function chunk${n}${c.ts ? "<T>" : ""}(items${ty(c, ": readonly T[]")}, size${ty(c, ": number")})${ty(c, ": T[][]")} {`,
      `  const out${ty(c, ": T[][]")} = [];`,
      "  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));",
      "  return out;",
      "}",
      "",
      `export async function withRetry${n}${c.ts ? "<T>" : ""}(run${ty(c, ": () => Promise<T>")}, attempts = 3, delayMs = 200)${ty(c, ": Promise<T>")} {`,
      `  let last${ty(c, ": unknown")};`,
      "  for (let attempt = 0; attempt < attempts; attempt++) {",
      "    try {",
      "      return await run();",
      "    } catch (error) {",
      "      last = error;",
      "      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** attempt));",
      "    }",
      "  }",
      "  throw last;",
      "}",
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `export const ${c.domain.toUpperCase()}_LABELS_${n} = {`,
      '  draft: "Draft",',
      '  open: "Open",',
      '  closed: "Closed",',
      '  archived: "Archived",',
      `}${c.ts ? " as const" : ""};`,
      "",
      `export function groupByStatus${n}(rows${ty(c, ": { status: string; amountCents: number }[]")}) {`,
      `  const groups${ty(c, ": Record<string, { count: number; cents: number }>")} = {};`,
      "  for (const row of rows) {",
      "    const g = (groups[row.status] ??= { count: 0, cents: 0 });",
      "    g.count += 1;",
      "    g.cents += row.amountCents;",
      "  }",
      "  return Object.entries(groups).map(([status, g]) => ({ status, ...g, average: g.cents / Math.max(1, g.count) }));",
      "}",
    ];
  },
];

/** Ordinary Python blocks, in the same spirit. */
const PY_BLOCKS: ReadonlyArray<(c: BlockContext) => string[]> = [
  (c) => {
    const n = c.next();
    return [
      "@dataclass",
      `class ${c.Domain}Record${n}:`,
      "    id: str",
      "    status: str",
      "    amount_cents: int = 0",
      "    tags: list[str] = field(default_factory=list)",
      "    created_at: datetime = field(default_factory=datetime.utcnow)",
      "",
      "    def is_open(self) -> bool:",
      '        return self.status in ("draft", "open")',
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `class ${c.Domain}Repository${n}:`,
      `    """Keeps ${c.domain} rows in memory; the real one talks to Postgres."""`,
      "",
      "    def __init__(self) -> None:",
      "        self._rows: dict[str, dict] = {}",
      "        self._hits = 0",
      "",
      "    def find(self, row_id: str) -> dict | None:",
      "        self._hits += 1",
      "        row = self._rows.get(row_id)",
      "        return dict(row) if row else None",
      "",
      "    def list(self, status: str, limit: int = 50) -> list[dict]:",
      '        rows = [r for r in self._rows.values() if r["status"] == status]',
      '        rows.sort(key=lambda r: r["updated_at"], reverse=True)',
      "        return rows[:limit]",
      "",
      "    def save(self, row: dict) -> None:",
      '        self._rows[row["id"]] = {**row, "updated_at": datetime.utcnow()}',
      '        logger.debug("saved %s", row["id"])',
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `_${c.domain.toUpperCase()}_ID_${n} = re.compile(r"^[A-Z]{3}-\\d{6}$")`,
      "",
      "",
      `def validate_${c.domain}_${n}(data: dict) -> list[str]:`,
      "    errors = []",
      `    if not _${c.domain.toUpperCase()}_ID_${n}.match(str(data.get("id", ""))):`,
      '        errors.append("id must look like ABC-123456")',
      '    if not isinstance(data.get("amount_cents"), int) or data["amount_cents"] < 0:',
      '        errors.append("amount_cents must be a positive integer")',
      '    status = data.get("status")',
      '    if status == "closed" and not data.get("closed_at"):',
      '        errors.append("a closed record needs closed_at")',
      '    elif status not in ("draft", "open", "closed"):',
      '        errors.append(f"unknown status {status!r}")',
      "    return errors",
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `async def fetch_${c.domain}s_${n}(session, base_url: str, ids: list[str]) -> list[dict]:`,
      "    results = []",
      "    for chunk_start in range(0, len(ids), 20):",
      "        chunk = ids[chunk_start : chunk_start + 20]",
      `        async with session.get(f"{base_url}/${c.domain}s", params={"ids": ",".join(chunk)}) as resp:`,
      "            if resp.status != 200:",
      '                logger.warning("batch failed: %s", resp.status)',
      "                continue",
      "            results.extend(await resp.json())",
      "    return results",
    ];
  },
  (c) => {
    const n = c.next();
    return [
      `def summarise_totals_${n}(rows: list[dict]) -> dict[str, dict]:`,
      "    groups: dict[str, dict] = {}",
      "    for row in rows:",
      '        g = groups.setdefault(row["status"], {"count": 0, "cents": 0})',
      '        g["count"] += 1',
      '        g["cents"] += row["amount_cents"]',
      '    return {k: {**v, "average": v["cents"] / max(1, v["count"])} for k, v in groups.items()}',
    ];
  },
];

/** A `.generate(` call on something that is not a Cohere client, with a comment that says "generate". */
const jsOtherGenerate = (c: BlockContext): string[] => {
  const n = c.next();
  switch (Math.floor(c.rng() * 4)) {
    case 0:
      return [
        `// Generate a short, unique reference for each ${c.domain}; the generator is passed in so tests can fix it.`,
        `export function nextReference${n}(ids${ty(c, ": { generate(size: number): string }")}, prefix${ty(c, ": string")})${ty(c, ": string")} {`,
        "  return `${prefix}-${ids.generate(12)}`;",
        "}",
      ];
    case 1:
      return [
        ...(c.ts ? [`interface PdfRenderer${n} { generate(options: { template: string; data: unknown; pageSize: string }): Promise<{ bytes: Uint8Array }> }`, ""] : []),
        `/** Renders the ${c.domain} as a PDF; the renderer's generate() does the layout. */`,
        `export async function render${c.Domain}Pdf${n}(pdf${ty(c, `: PdfRenderer${n}`)}, data${ty(c, ": unknown")}) {`,
        `  const doc = await pdf.generate({ template: "${c.domain}", data, pageSize: "A4" });`,
        "  return doc.bytes;",
        "}",
      ];
    case 2:
      return [
        ...(c.ts ? [`interface LocalModel${n} { generate(input: { inputs: string; parameters: { max_new_tokens: number } }): Promise<{ generated_text: string }[]> }`, ""] : []),
        "// A local text model (not a hosted API): we generate a one-line label for the dashboard.",
        `export async function label${c.Domain}${n}(model${ty(c, `: LocalModel${n}`)}, text${ty(c, ": string")}) {`,
        "  const [out] = await model.generate({ inputs: text, parameters: { max_new_tokens: 24 } });",
        '  return out ? out.generated_text.trim() : "";',
        "}",
      ];
    default:
      return [
        `// We generate the nightly ${c.domain} report lazily: nothing is built until someone asks.`,
        `export function sitemapFor${c.Domain}${n}(routes${ty(c, ": string[]")}, sitemap${ty(c, ": { generate(urls: string[]): string }")}) {`,
        `  return sitemap.generate(routes.map((r) => "https://example.com/${c.domain}/" + r));`,
        "}",
      ];
  }
};

/** The same in Python. */
const pyOtherGenerate = (c: BlockContext): string[] => {
  const n = c.next();
  return c.rng() < 0.5
    ? [
        `def label_${c.domain}_${n}(model, tokenizer, text: str) -> str:`,
        '    """A local model (not a hosted API): generate a short label for the dashboard."""',
        '    input_ids = tokenizer(text, return_tensors="pt").input_ids',
        "    outputs = model.generate(input_ids, max_new_tokens=24)",
        "    return tokenizer.decode(outputs[0], skip_special_tokens=True)",
      ]
    : [
        `# Generate a unique reference for each ${c.domain}; the generator is passed in so tests can fix it.`,
        `def next_reference_${n}(ids, prefix: str) -> str:`,
        '    return f"{prefix}-{ids.generate(12)}"',
      ];
};

/** Shares of files with a `.generate(` call on something else, and with a comment saying "generate". */
const OTHER_GENERATE_RATE = 0.06;
const GENERATE_COMMENT_RATE = 0.2;

/** Comments that say "generate" (lower case, as `rg generate` matches) where no call is made. */
const GENERATE_COMMENTS = [
  "Regenerate the cache when the schema version changes.",
  "We generate ids on the client so that retries stay idempotent.",
  "Totals are generated lazily, on the first read.",
  "Do not regenerate this table by hand: the migration job owns it.",
];

interface CallBlock {
  /** Lines that go with the file's imports. */
  imports: string[];
  /** Lines after the imports (a module-level client), possibly none. */
  setup: string[];
  body: string[];
}

/** One legacy Generate (or GenerateStream) call, in the common forms. */
function jsCall(i: number, c: BlockContext): CallBlock {
  const p = i % TREE_BLOCK;
  const block = Math.floor(i / TREE_BLOCK);
  if (c.ts) {
    const form = (TS_CALL_POSITIONS.indexOf(p) + block) % 3;
    const named = ['import { CohereClient } from "cohere-ai";'];
    const client = ['const co = new CohereClient({ token: process.env.COHERE_API_KEY ?? "" });'];
    if (form === 0)
      return {
        imports: named,
        setup: client,
        body: [
          `/** Drafts a short ${c.domain} summary for the weekly digest. */`,
          `export async function draft${c.Domain}Summary${i}(notes: string[]): Promise<string> {`,
          `  const prompt = \`Summarise these ${c.domain} notes in two sentences:\\n\${notes.join("\\n")}\`;`,
          "  const response = await co.generate({ prompt, maxTokens: 200, temperature: 0.4 });",
          "  return response.generations[0].text.trim();",
          "}",
        ],
      };
    if (form === 1)
      return {
        imports: named,
        setup: [],
        body: [
          `export class ${c.Domain}Assistant${i} {`,
          "  private client: CohereClient;",
          "",
          "  constructor(token: string) {",
          "    this.client = new CohereClient({ token });",
          "  }",
          "",
          "  async reply(question: string): Promise<string> {",
          `    const response = await this.client.generate({ prompt: \`Answer as the ${c.domain} desk: \${question}\`, maxTokens: 300 });`,
          "    return response.generations[0].text;",
          "  }",
          "}",
        ],
      };
    return {
      imports: named,
      setup: client,
      body: [
        `export async function stream${c.Domain}Answer${i}(prompt: string, write: (chunk: string) => void): Promise<void> {`,
        "  const stream = await co.generateStream({ prompt, maxTokens: 400 });",
        "  for await (const event of stream) {",
        '    if (event.eventType === "text-generation") write(event.text);',
        "  }",
        "}",
      ],
    };
  }
  if (block % 2 === 0)
    return {
      imports: ['const { CohereClient } = require("cohere-ai");'],
      setup: ["const co = new CohereClient({ token: process.env.COHERE_API_KEY });"],
      body: [
        `async function suggest${c.Domain}Title${i}(text) {`,
        "  const response = await co.generate({ prompt: `Suggest a title for: ${text}`, maxTokens: 30 });",
        "  return response.generations[0].text.trim();",
        "}",
        `module.exports.suggest${c.Domain}Title${i} = suggest${c.Domain}Title${i};`,
      ],
    };
  return {
    imports: ['const cohere = require("cohere-ai");'],
    setup: [],
    body: [
      `class ${c.Domain}Classifier${i} {`,
      "  constructor(token) {",
      "    this.client = new cohere.CohereClient({ token });",
      "  }",
      "",
      "  async classify(text) {",
      '    const response = await this.client.generate({ prompt: `Label as urgent or routine: ${text}\\nLabel:`, maxTokens: 5, temperature: 0 });',
      "    return response.generations[0].text.trim();",
      "  }",
      "}",
      `module.exports.${c.Domain}Classifier${i} = ${c.Domain}Classifier${i};`,
    ],
  };
}

function pyCall(i: number, c: BlockContext): CallBlock {
  if (Math.floor(i / TREE_BLOCK) % 2 === 0)
    return {
      imports: ["import cohere"],
      setup: ['api_key = os.environ.get("COHERE_API_KEY", "")', "co = cohere.Client(api_key)"],
      body: [
        `def summarise_${c.domain}_${i}(text: str) -> str:`,
        `    response = co.generate(prompt=f"Summarise this ${c.domain} note: {text}", max_tokens=200)`,
        "    return response.generations[0].text",
      ],
    };
  return {
    imports: ["import cohere"],
    setup: [],
    body: [
      `class ${c.Domain}Writer${i}:`,
      "    def __init__(self, api_key: str) -> None:",
      "        self.co = cohere.Client(api_key)",
      "",
      "    def write(self, topic: str) -> str:",
      '        response = self.co.generate(prompt=f"Write a short update about {topic}", max_tokens=300, temperature=0.5)',
      "        return response.generations[0].text.strip()",
    ],
  };
}

/** File i of the mixed tree. */
export function treeFile(i: number): TreeFile {
  const meta = treeMeta(i);
  const rng = seeded(i * 104729 + 3);
  let counter = 0;
  const c: BlockContext = { rng, domain: meta.domain, Domain: pascal(meta.domain), i, next: () => ++counter, ts: meta.language === "ts" };
  const py = meta.language === "py";
  const call = treeHasCall(i) ? (py ? pyCall(i, c) : jsCall(i, c)) : undefined;
  const target = 1800 + Math.floor(rng() * 3400);
  const blocks = py ? PY_BLOCKS : JS_BLOCKS;

  const body: string[][] = [];
  let size = 0;
  while (size < target && body.length < 40) {
    const lines = blocks[Math.floor(rng() * blocks.length)](c);
    body.push(lines);
    size += lines.join("\n").length + 2;
  }
  // Real repositories call `.generate(` on something else in a few files in a hundred and say
  // "generate" in one file in five (langchainjs: 24 and 284 of 2,165 JS/TS files; vercel/ai: 59
  // and 1,781 of 6,295); the tree has a little more of the first.
  if (rng() < OTHER_GENERATE_RATE) body.splice(Math.floor(rng() * (body.length + 1)), 0, (py ? pyOtherGenerate : jsOtherGenerate)(c));
  if (rng() < GENERATE_COMMENT_RATE) {
    const at = Math.floor(rng() * body.length);
    body[at] = [`${py ? "#" : "//"} ${pick(rng, GENERATE_COMMENTS)}`, ...body[at]];
  }
  if (call) body.splice(Math.floor(rng() * (body.length + 1)), 0, call.body);

  const neighbours = earlierNeighbours(i, rng, Math.floor(rng() * 3));
  const lines: string[] = [];
  if (py) {
    lines.push(`"""${pascal(meta.domain)} ${meta.kind}: part of the ${meta.domain} pipeline."""`, "");
    lines.push("from __future__ import annotations", "", "import logging", "import os", "import re", "from dataclasses import dataclass, field", "from datetime import datetime");
    lines.push(...(call?.imports ?? []));
    for (const m of neighbours) lines.push(`from ${m.module} import ${m.exported}`);
    lines.push("", "logger = logging.getLogger(__name__)", ...(call?.setup ?? []));
    for (const b of body) lines.push("", "", ...b);
    lines.push("", "", `def ${meta.exported}(row_id: str) -> str:`, `    return f"${meta.domain}:{row_id}"`);
  } else {
    const rel = (m: TreeMeta): string => {
      const r = path.posix.relative(path.posix.dirname(meta.module), m.module);
      return r.startsWith(".") ? r : `./${r}`;
    };
    lines.push("/**", ` * ${pascal(meta.domain)} ${meta.kind}: part of the ${meta.domain} pipeline.`, " */");
    if (c.ts) {
      lines.push('import { createHash } from "node:crypto";', ...(call?.imports ?? []));
      for (const m of neighbours) lines.push(`import { ${m.exported} } from "${rel(m)}";`);
    } else {
      lines.push('"use strict";', 'const { createHash } = require("node:crypto");', ...(call?.imports ?? []));
      for (const m of neighbours) lines.push(`const { ${m.exported} } = require("${rel(m)}");`);
    }
    if (call && call.setup.length > 0) lines.push("", ...call.setup);
    for (const b of body) lines.push("", ...b);
    // The module's own export, and a use of what it imported, so the imports are not dead code.
    const uses = neighbours.map((m) => `${m.exported}(id)`).join(", ");
    lines.push(
      "",
      `${c.ts ? "export " : ""}function ${meta.exported}(id${ty(c, ": string")})${ty(c, ": string")} {`,
      `  const digest = createHash("sha1").update(${uses ? `[id, ${uses}].join("|")` : "id"}).digest("hex").slice(0, 8);`,
      `  return \`${meta.domain}:\${id}:\${digest}\`;`,
      "}",
    );
    if (!c.ts) lines.push(`module.exports.${meta.exported} = ${meta.exported};`);
  }
  return { rel: meta.rel, text: lines.join("\n") + "\n", language: meta.language, calls: call ? 1 : 0 };
}

/** Manifests at the tree's root: cohere-ai 7 (CohereClient) and the Python SDK 5, both before Chat v2. */
export const TREE_MANIFESTS: ReadonlyMap<string, string> = new Map([
  ["package.json", JSON.stringify({ name: "mixed-tree", private: true, workspaces: ["packages/*"], dependencies: { "cohere-ai": "^7.10.0" } }, null, 2) + "\n"],
  ["requirements.txt", "cohere==5.5.8\nrequests>=2.31\n"],
]);

export interface TreeSummary {
  files: number;
  bytes: number;
  byLanguage: Record<TreeLanguage, number>;
  callFiles: Record<TreeLanguage, number>;
}

/** Writes the first `count` files of the tree (and its manifests) under `root`. */
export function writeTree(root: string, count: number): TreeSummary {
  const summary: TreeSummary = { files: 0, bytes: 0, byLanguage: { ts: 0, js: 0, py: 0 }, callFiles: { ts: 0, js: 0, py: 0 } };
  const made = new Set<string>();
  for (let i = 0; i < count; i++) {
    const f = treeFile(i);
    const abs = path.join(root, f.rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(abs, f.text);
    summary.files++;
    summary.bytes += Buffer.byteLength(f.text);
    summary.byLanguage[f.language]++;
    summary.callFiles[f.language] += f.calls;
  }
  for (const [rel, text] of TREE_MANIFESTS) fs.writeFileSync(path.join(root, rel), text);
  return summary;
}
