/**
 * tsconfig `paths` aliases are read from the tsconfig.json nearest above each file, as TypeScript
 * and editors read them: a monorepo's app (`apps/web/tsconfig.json`, `@/lib/cohere`) is followed
 * whichever folder the run starts from. Before, only the run's top folder's tsconfig.json was read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { readPathAliases, resolveSpecifier } from "../../src/engine/prefilter";
import { workspaceAliases } from "../../src/engine/workspace";
import { lintFile } from "../../src/lint";
import { migrate } from "../../src/migrate";
import { typeCheck } from "../support/typecheck";
import type { CheckResult } from "../../src/types";
import { gitRepo, removeTemp, tempDir, writeTree } from "../cli/helpers";

function findings(result: CheckResult): string[] {
  return result.findings.map((f) => `${f.file}:${f.span.start.line} ${f.rule}${f.fixable ? " fixable" : ""}`).sort();
}

const CLIENT = 'import { CohereClient } from "cohere-ai";\nexport const cohere = new CohereClient({ token: process.env.COHERE_API_KEY });\n';
const ROUTE = 'import { cohere } from "@/lib/cohere";\nexport async function POST(prompt: string) {\n  const r = await cohere.generate({ prompt });\n  return r.generations[0].text;\n}\n';

describe("tsconfig paths, nearest tsconfig.json first", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-tsconfig-");
  });
  afterEach(() => removeTemp(root));

  const app = (tsconfig: object, extra: Record<string, string> = {}): void =>
    writeTree(root, {
      "package.json": "{}",
      "apps/web/tsconfig.json": JSON.stringify(tsconfig),
      "apps/web/src/lib/cohere.ts": CLIENT,
      "apps/web/src/app/api/gen/route.ts": ROUTE,
      ...extra,
    });

  test.each([".", "apps/web", "apps/web/src"])("from %s, the alias import leads to the client", async (start) => {
    app({ compilerOptions: { paths: { "@/*": ["./src/*"] } } });
    const cwd = path.join(root, start);
    const on = await check({ cwd, paths: ["."] });
    expect(findings(on)).toEqual([`${path.relative(cwd, path.join(root, "apps/web/src/app/api/gen/route.ts")).split(path.sep).join("/")}:3 generate fixable`]);
    expect(findings(on)).toEqual(findings(await check({ cwd, paths: ["."], prefilter: false })));
  });

  test("paths from a config it extends, and a baseUrl there", async () => {
    app({ extends: "./tsconfig.base.json" }, { "apps/web/tsconfig.base.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["src/*"] } } }) });
    expect(findings(await check({ cwd: root, paths: ["."] }))).toEqual(["apps/web/src/app/api/gen/route.ts:3 generate fixable"]);
  });

  test("the top folder's tsconfig does not stand in for the app's own (which has no such alias)", async () => {
    app({ compilerOptions: { strict: true } }, { "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "@/*": ["./apps/web/src/*"] } } }) });
    const on = await check({ cwd: root, paths: ["."] });
    expect(findings(on)).toEqual(findings(await check({ cwd: root, paths: ["."], prefilter: false })));
  });

  test("--cache: a rerun answers the same", async () => {
    app({ compilerOptions: { paths: { "@/*": ["./src/*"] } } });
    const location = path.join(root, ".cache", "cm");
    const past = new Date(Date.now() - 60_000);
    for (const f of ["apps/web/tsconfig.json", "apps/web/src/lib/cohere.ts", "apps/web/src/app/api/gen/route.ts"]) fs.utimesSync(path.join(root, f), past, past);
    const first = findings(await check({ cwd: root, paths: ["."], cache: { location } }));
    expect(first).toEqual(["apps/web/src/app/api/gen/route.ts:3 generate fixable"]);
    expect(findings(await check({ cwd: root, paths: ["."], cache: { location } }))).toEqual(first);
  });
});

describe("tsconfig and jsconfig forms", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-tsconfig-forms-");
  });
  afterEach(() => removeTemp(root));

  const LLM = 'import { CohereClient } from "cohere-ai";\nexport const llm = new CohereClient({ token: "x" });\n';
  const PAGE = (spec: string): string => `import { llm } from "${spec}";\nexport async function page(prompt: string) {\n  const r = await llm.generate({ prompt });\n  return r.generations[0].text;\n}\n`;
  const run = async (tree: Record<string, string>): Promise<string[]> => {
    writeTree(root, { "package.json": JSON.stringify({ dependencies: { "cohere-ai": "^7.14.0" } }), "src/lib/llm.ts": LLM, "src/page.ts": PAGE("@lib/llm"), ...tree });
    return findings(await check({ cwd: root, paths: ["."] }));
  };
  const FOUND = ["src/page.ts:3 generate fixable"];

  test("a solution-style tsconfig.json: the aliases of the projects it references (create-vite)", async () => {
    expect(
      await run({
        "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./tsconfig.app.json" }, { path: "./tsconfig.node.json" }] }),
        "tsconfig.app.json": JSON.stringify({ compilerOptions: { paths: { "@lib/*": ["./src/lib/*"] } }, include: ["src"] }),
        "tsconfig.node.json": JSON.stringify({ include: ["vite.config.ts"] }),
      }),
    ).toEqual(FOUND);
  });

  test("extends as a list (the later config wins), and ${configDir}", async () => {
    expect(
      await run({
        "tsconfig.json": JSON.stringify({ extends: ["./configs/a.json", "./configs/b.json"] }),
        "configs/a.json": JSON.stringify({ compilerOptions: { paths: { "@lib/*": ["../nowhere/*"] } } }),
        "configs/b.json": JSON.stringify({ compilerOptions: { paths: { "@lib/*": ["${configDir}/src/lib/*"] } } }),
      }),
    ).toEqual(FOUND);
  });

  test("a JavaScript project's jsconfig.json, and a byte-order mark", async () => {
    expect(await run({ "jsconfig.json": `\uFEFF${JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@lib/*": ["src/lib/*"] } } })}` })).toEqual(FOUND);
  });

  test("Node's subpath imports of the file's package (package.json `imports`)", async () => {
    expect(
      await run({
        "package.json": JSON.stringify({ type: "module", imports: { "#lib/*": { types: "./dist/lib/*.d.ts", default: "./dist/lib/*.js" } }, dependencies: { "cohere-ai": "^7.14.0" } }),
        "src/page.ts": PAGE("#lib/llm"),
      }),
    ).toEqual(FOUND);
  });

  test("a malformed config is passed over, not a crash of the run", async () => {
    const malformed = { "fixtures/bad/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: 3, paths: { "@x/*": [null], "@y/*": "no" } } }), "fixtures/bad/a.ts": PAGE("@x/llm"), "fixtures/null/tsconfig.json": "null", "fixtures/null/a.ts": PAGE("@y/llm") };
    expect(await run({ "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "@lib/*": ["./src/lib/*"] } } }), ...malformed })).toEqual(FOUND);
  });
});

describe("readPathAliases", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-tsconfig-read-");
  });
  afterEach(() => removeTemp(root));

  test.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, { base: string; baseUrl: boolean; prefixes: string[] } | undefined]>([
    ["paths alone: from the config's folder", { compilerOptions: { paths: { "@/*": ["./src/*"] } } }, undefined, { base: "app", baseUrl: false, prefixes: ["@/"] }],
    ["baseUrl and paths", { compilerOptions: { baseUrl: "src", paths: { "~/*": ["*"] } } }, undefined, { base: "app/src", baseUrl: true, prefixes: ["~/"] }],
    ["paths inherited from the base", { extends: "../base.json" }, { compilerOptions: { paths: { "@/*": ["./web/*"] } } }, { base: ".", baseUrl: false, prefixes: ["@/"] }],
    ["own paths on an inherited baseUrl", { extends: "../base.json", compilerOptions: { paths: { "@/*": ["app/src/*"] } } }, { compilerOptions: { baseUrl: "." } }, { base: ".", baseUrl: true, prefixes: ["@/"] }],
    ["a package extends is not followed", { extends: "@repo/tsconfig/next.json" }, undefined, undefined],
  ])("%s", (_name, config, base, expected) => {
    writeTree(root, { "app/tsconfig.json": JSON.stringify(config), ...(base ? { "base.json": JSON.stringify(base) } : {}) });
    const read = readPathAliases(path.join(root, "app"));
    expect(read && { base: path.relative(root, read.base) || ".", baseUrl: read.baseUrl, prefixes: read.paths.map((p) => p.prefix) }).toEqual(expected);
  });
});

/**
 * A repository's modules are imported by more than `./x` and `@/x`: any tsconfig `paths` pattern
 * (`@lib/*`, an exact `llm`), a bare path under `baseUrl`, and in a monorepo the repository's own
 * packages (`@acme/llm`, linked by the package manager). Before, every one of these was taken for a
 * vendor's package: the call was missed and `check` stayed green.
 */
describe("imports through any tsconfig alias and the monorepo's own packages", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-aliases-");
  });
  afterEach(() => removeTemp(root));

  const call = (from: string, name = "cohere"): string =>
    `import { ${name} } from "${from}";\nexport async function answer(prompt: string) {\n  const r = await ${name}.generate({ prompt });\n  return r.generations[0].text;\n}\n`;
  const TREE: Record<string, string> = {
    "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["packages/*", "apps/*"] }),
    // Built to dist/; its sources are src/ (the import is followed back to them).
    "packages/llm/package.json": JSON.stringify({ name: "@acme/llm", main: "./dist/index.js", types: "./dist/index.d.ts", dependencies: { "cohere-ai": "^7.14.0" } }),
    "packages/llm/src/index.ts": 'export { cohere } from "./client";\n',
    "packages/llm/src/client.ts": CLIENT,
    // Depends on @acme/llm: it can hand out its client.
    "packages/ai/package.json": JSON.stringify({ name: "@acme/ai", main: "index.ts", dependencies: { "@acme/llm": "*" } }),
    "packages/ai/index.ts": 'export { cohere as client } from "@acme/llm";\n',
    // Neither installs cohere-ai nor depends on a package that does: cut, as a vendor's is.
    "packages/core/package.json": JSON.stringify({ name: "@acme/core", main: "index.ts" }),
    "packages/core/index.ts": "// Providers: openai, cohere, anthropic.\nexport const model = { generate: (o: { prompt: string }) => ({ generations: [{ text: o.prompt }] }) };\n",
    "apps/web/package.json": JSON.stringify({ name: "web", dependencies: { "@acme/llm": "*", "@acme/ai": "*", "@acme/core": "*", "cohere-ai": "^7.14.0" } }),
    "apps/web/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@lib/*": ["src/lib/*"], llm: ["src/lib/cohere.ts"] } } }),
    "apps/web/src/lib/cohere.ts": CLIENT,
    "apps/web/src/lib/helpers.ts": 'export const other = { generate: (o: { prompt: string }) => ({ generations: [{ text: o.prompt }] }) };\n',
    "apps/web/src/a.ts": call("@lib/cohere"),
    "apps/web/src/b.ts": call("llm"),
    "apps/web/src/c.ts": call("@acme/llm"),
    "apps/web/src/d.ts": call("@acme/llm/src/client"),
    "apps/web/src/e.ts": call("src/lib/cohere"),
    "apps/web/src/f.ts": call("@acme/ai", "client"),
    "apps/web/src/g.ts": call("@acme/core", "model"),
    // An exact alias names that specifier alone: `llm-utils` is not `llm`.
    "apps/web/src/h.ts": 'import { other } from "llm-utils";\nimport { cohere } from "@lib/cohere";\nexport const both = [other.generate({ prompt: "a" }), cohere];\n',
  };
  const EXPECTED = ["a", "b", "c", "d", "e", "f"].map((n) => `apps/web/src/${n}.ts:3 generate fixable`);

  test("check finds the calls behind each (and none behind a package that cannot hand out a client)", async () => {
    writeTree(root, TREE);
    const on = await check({ cwd: root, paths: ["."] });
    expect(findings(on)).toEqual(EXPECTED);
    expect(findings(await check({ cwd: root, paths: ["."], prefilter: false }))).toEqual(EXPECTED);
  });

  test("a package that has been built (dist/ on disk, gitignored) is still followed to its sources", async () => {
    const repo = gitRepo(
      {
        ...TREE,
        ".gitignore": "dist/\n",
        // A factory: syntax cannot answer it, the cross-file project resolves the package.
        "packages/llm/src/index.ts": 'import { cohere } from "./client";\nexport { cohere };\nexport function getClient() {\n  return cohere;\n}\n',
        "apps/web/src/j.ts": 'import { getClient } from "@acme/llm";\nexport async function viaFactory(prompt: string) {\n  const r = await getClient().generate({ prompt });\n  return r.generations[0].text;\n}\n',
        "packages/llm/dist/index.js": 'export { cohere } from "./client.js";\n',
        "packages/llm/dist/index.d.ts": 'export { cohere } from "./client";\n',
        "packages/llm/dist/client.js": 'import { CohereClient } from "cohere-ai";\nexport const cohere = new CohereClient({});\n',
        "packages/llm/dist/client.d.ts": 'import { CohereClient } from "cohere-ai";\nexport declare const cohere: CohereClient;\n',
      },
      "cm-aliases-built-",
    );
    try {
      expect(findings(await check({ cwd: repo, paths: ["."] }))).toEqual([...EXPECTED, "apps/web/src/j.ts:3 generate fixable"].sort());
    } finally {
      removeTemp(repo);
    }
  });

  test("a barrel re-exporting a package's modules is answered module by module (export *, export { a as b })", async () => {
    writeTree(root, {
      ...TREE,
      "packages/llm/src/index.ts": 'export * from "./local";\nexport { cohere } from "./client";\nexport { cohere as primary } from "./client";\n',
      "packages/llm/src/local.ts": "export class Echo { generate(o: { prompt: string }) { return { generations: [{ text: o.prompt }] }; } }\nexport const echo = new Echo();\n",
      "apps/web/src/i.ts": 'import { echo, primary } from "@acme/llm";\nexport async function both(prompt: string) {\n  const a = echo.generate({ prompt });\n  const b = await primary.generate({ prompt });\n  return [a.generations[0].text, b.generations[0].text];\n}\n',
    });
    expect(findings(await check({ cwd: root, paths: ["."] }))).toEqual([...EXPECTED, "apps/web/src/i.ts:4 generate fixable"].sort());
    expect(findings(await check({ cwd: root, paths: ["."], prefilter: false }))).toEqual([...EXPECTED, "apps/web/src/i.ts:4 generate fixable"].sort());
  });

  test("a run over the app's folder alone finds the packages it imports in the rest of the work tree", async () => {
    const repo = gitRepo(TREE, "cm-aliases-git-");
    try {
      expect(findings(await check({ cwd: path.join(repo, "apps/web"), paths: ["src"] }))).toEqual(EXPECTED.map((f) => f.replace("apps/web/", "")));
    } finally {
      removeTemp(repo);
    }
  });

  test("migrate rewrites them; the output type-checks through the same aliases; a second run changes nothing", async () => {
    writeTree(root, TREE);
    await migrate({ cwd: root, paths: ["."], force: true });
    const files = ["a", "b", "c", "d", "e", "f"].map((n) => path.join(root, `apps/web/src/${n}.ts`));
    for (const f of files) expect(fs.readFileSync(f, "utf8")).toContain(".v2.chat({");
    expect(fs.readFileSync(path.join(root, "apps/web/src/g.ts"), "utf8")).toBe(TREE["apps/web/src/g.ts"]);
    const web = path.join(root, "apps/web");
    const diagnostics = typeCheck(files, new Map(), {
      baseUrl: web,
      paths: { "@lib/*": [path.join(web, "src/lib/*")], llm: [path.join(web, "src/lib/cohere.ts")], "@acme/llm": [path.join(root, "packages/llm/src/index.ts")], "@acme/llm/*": [path.join(root, "packages/llm/*")], "@acme/ai": [path.join(root, "packages/ai/index.ts")], "cohere-ai": [path.join(__dirname, "..", "..", "node_modules", "cohere-ai")] },
    });
    expect([...diagnostics].filter(([, d]) => d.length)).toEqual([]);
    expect(findings(await check({ cwd: root, paths: ["."] }))).toEqual([]);
    const before = files.map((f) => fs.readFileSync(f, "utf8"));
    const again = await migrate({ cwd: root, paths: ["."], force: true });
    expect(again.files.filter((f) => f.migrated > 0 || f.markersAdded.length > 0)).toEqual([]);
    expect(files.map((f) => fs.readFileSync(f, "utf8"))).toEqual(before);
  });

  test("migrate follows a workspace package's functions to their callers through its barrel, and raises the package's cohere-ai", async () => {
    writeTree(root, {
      "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["packages/*", "apps/*"] }),
      "packages/ai/package.json": JSON.stringify({ name: "@acme/ai", main: "./dist/index.js", dependencies: { "cohere-ai": "^7.10.0" } }),
      "packages/ai/src/index.ts": 'export * from "./client";\n',
      "packages/ai/src/client.ts":
        'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({ token: "x" });\nexport async function ask(prompt: string, model: string) {\n  const r = await co.generate({ prompt, model });\n  return r.generations[0].text;\n}\nexport async function draft(prompt: string) {\n  return co.generate({ prompt });\n}\n',
      "apps/web/package.json": JSON.stringify({ name: "web", dependencies: { "@acme/ai": "*" } }),
      "apps/web/src/page.ts": 'import { ask, draft } from "@acme/ai";\nexport async function page(p: string): Promise<string[]> {\n  const first = await ask(p, "command-nightly");\n  const second = await draft(p);\n  return [first, second.generations[0].text];\n}\n',
    });
    const result = await migrate({ cwd: root, paths: ["."], force: true });
    const page = fs.readFileSync(path.join(root, "apps/web/src/page.ts"), "utf8");
    expect(page).toContain('ask(p, "command-a-03-2025")');
    expect(page).not.toContain(".generations");
    expect(result.dependencyUpdates.map((u) => `${u.file} ${u.from} -> ${u.to}`)).toEqual(["packages/ai/package.json ^7.10.0 -> ^7.15.0"]);
    expect(findings(await check({ cwd: root, paths: ["."] }))).toEqual([]);
  });

  test("--cache: an alias added to tsconfig.json finds the call behind it in unchanged files", async () => {
    writeTree(root, { ...TREE, "apps/web/tsconfig.json": JSON.stringify({ compilerOptions: {} }) });
    const location = path.join(root, ".cache", "cm");
    const past = new Date(Date.now() - 60_000);
    for (const f of Object.keys(TREE)) fs.utimesSync(path.join(root, f), past, past);
    const first = findings(await check({ cwd: root, paths: ["."], cache: { location } }));
    expect(first).toEqual(["c", "d", "f"].map((n) => `apps/web/src/${n}.ts:3 generate fixable`));
    writeTree(root, { "apps/web/tsconfig.json": TREE["apps/web/tsconfig.json"] });
    expect(findings(await check({ cwd: root, paths: ["."], cache: { location } }))).toEqual(EXPECTED);
  });

  test("the ESLint rule's single-file check follows the file's tsconfig aliases", () => {
    writeTree(root, TREE);
    const file = path.join(root, "apps/web/src/a.ts");
    const linted = lintFile(file, TREE["apps/web/src/a.ts"], { root });
    expect(linted.ok && linted.findings.map((f) => `${f.span.start.line} ${f.rule}${f.fixable ? " fixable" : ""}`)).toEqual(["3 generate fixable"]);
  });
});

describe("the repository's packages as import aliases", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("cm-workspace-");
  });
  afterEach(() => removeTemp(root));

  test("kept: a package installing cohere-ai, one under a root that does, one depending on a kept one; entry fields read back to sources", () => {
    writeTree(root, {
      "package.json": JSON.stringify({ name: "root" }),
      "a/package.json": JSON.stringify({ name: "@x/a", exports: { ".": { import: "./dist/esm/index.js", require: "./dist/cjs/index.cjs" } }, peerDependencies: { "cohere-ai": "*" } }),
      "b/package.json": JSON.stringify({ name: "b", devDependencies: { "@x/a": "*" } }),
      "c/package.json": JSON.stringify({ name: "c", dependencies: { react: "*" } }),
      "d/package.json": JSON.stringify({ name: "d", dependencies: { llm: "npm:cohere-ai@7" } }),
      "d/e/package.json": JSON.stringify({ name: "e" }),
      "f/package.json": "{ not json",
    });
    const manifests = ["package.json", "a/package.json", "b/package.json", "c/package.json", "d/package.json", "d/e/package.json", "f/package.json"].map((f) => path.join(root, f));
    const aliases = workspaceAliases(manifests, root);
    expect(aliases.filter((a) => a.exact).map((a) => a.prefix).sort()).toEqual(["@x/a", "b", "d", "e"]);
    const a = aliases.find((x) => x.prefix === "@x/a");
    // The sources before any build: a built checkout holds dist/ too, which the cross-file project cannot use.
    expect(a?.targets.map((t) => path.relative(root, t))).toEqual(["a/src/index", "a/src", "a/dist/esm/index", "a/dist/cjs/index", "a"]);
  });

  test("under a root that installs cohere-ai, a package is kept only if its sources name it; cohere-ai itself is never a package of the repository", () => {
    writeTree(root, {
      "package.json": JSON.stringify({ name: "root", devDependencies: { "cohere-ai": "*" } }),
      "core/package.json": JSON.stringify({ name: "@x/core" }),
      "llm/package.json": JSON.stringify({ name: "@x/llm" }),
      "sdk/package.json": JSON.stringify({ name: "cohere-ai" }),
    });
    const manifests = ["package.json", "core/package.json", "llm/package.json", "sdk/package.json"].map((f) => path.join(root, f));
    const aliases = workspaceAliases(manifests, root, (dir) => dir.endsWith(`${path.sep}llm`));
    expect(aliases.filter((a) => a.exact).map((a) => a.prefix)).toEqual(["@x/llm"]);
  });

  test("exports subpaths name their files; of two packages of one name, the first by path wins whatever paths a run was given", () => {
    writeTree(root, {
      "package.json": JSON.stringify({ name: "root", dependencies: { "cohere-ai": "*" } }),
      "b/package.json": JSON.stringify({ name: "@x/ai", exports: { ".": "./dist/index.js", "./cohere": { types: "./dist/providers/cohere.d.ts", import: "./dist/providers/cohere.js" }, "./tools/*": "./dist/tools/*.js" } }),
      "a/package.json": JSON.stringify({ name: "@x/ai", main: "main.js" }),
    });
    const manifests = (order: string[]): string[] => order.map((f) => path.join(root, f));
    const one = workspaceAliases(manifests(["b/package.json", "a/package.json", "package.json"]), root);
    const other = workspaceAliases(manifests(["package.json", "a/package.json", "b/package.json"]), root);
    expect(one).toEqual(other);
    expect(one.find((x) => x.exact && x.prefix === "@x/ai")?.manifest).toBe(path.join(root, "a/package.json"));
    writeTree(root, { "a/package.json": JSON.stringify({ name: "@x/other" }) });
    const aliases = workspaceAliases(manifests(["package.json", "b/package.json", "a/package.json"]), root);
    const known = new Set([path.join(root, "b/src/providers/cohere.ts"), path.join(root, "b/src/tools/search.ts"), path.join(root, "b/src/index.ts")]);
    const asAliases = { file: "", base: root, baseUrl: false, paths: aliases };
    expect(resolveSpecifier("@x/ai/cohere", path.join(root, "app.ts"), known, asAliases)).toBe(path.join(root, "b/src/providers/cohere.ts"));
    expect(resolveSpecifier("@x/ai/tools/search", path.join(root, "app.ts"), known, asAliases)).toBe(path.join(root, "b/src/tools/search.ts"));
    expect(resolveSpecifier("@x/ai", path.join(root, "app.ts"), known, asAliases)).toBe(path.join(root, "b/src/index.ts"));
  });

  test("an exact pattern names its specifier alone", () => {
    const known = new Set(["/r/src/llm.ts"]);
    const aliases = { file: "/r/tsconfig.json", base: "/r", baseUrl: false, paths: [{ prefix: "llm", suffix: "", exact: true as const, targets: ["src/llm.ts"] }] };
    expect(resolveSpecifier("llm", "/r/src/a.ts", known, aliases)).toBe("/r/src/llm.ts");
    expect(resolveSpecifier("llm-utils", "/r/src/a.ts", known, aliases)).toBeUndefined();
  });
});
