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
