/**
 * tsconfig `paths` aliases are read from the tsconfig.json nearest above each file, as TypeScript
 * and editors read them: a monorepo's app (`apps/web/tsconfig.json`, `@/lib/cohere`) is followed
 * whichever folder the run starts from. Before, only the run's top folder's tsconfig.json was read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../../src/check";
import { readPathAliases } from "../../src/engine/prefilter";
import type { CheckResult } from "../../src/types";
import { removeTemp, tempDir, writeTree } from "../cli/helpers";

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
