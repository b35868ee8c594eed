/**
 * The package as users get it: `npm pack`, the tarball installed into a fresh folder with
 * `npm install` (its dependencies come from the npm registry), then `npx cohere-migrate --help`,
 * `check` and `migrate --dry` run from there as npx runs them.
 *
 * It packs the dist/ that `npm test` has just built (--ignore-scripts): letting `prepack` rebuild
 * it here would rewrite dist/ while the other test files run the CLI from it.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { BIN, cleanEnv, removeTemp, ROOT, tempDir, writeTree } from "./helpers";

/** Installing fetches a few hundred packages: minutes on a slow day. */
const INSTALL_TIMEOUT = 9 * 60 * 1000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment without what an enclosing `npm test` sets (npm_config_local_prefix and others
 * would point the nested npm at this repository instead of the probe project).
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(cleanEnv()).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
}

function run(command: string, args: string[], cwd: string, timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: npmEnv(), encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface PackEntry {
  filename: string;
  files: { path: string }[];
}

let work: string;
let project: string;
let packed: PackEntry;
let installOutput: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, "dist", "src", "cli.js"))) throw new Error(`dist/ is missing: run \`npm run build\` first (npm test does); ${BIN} loads it`);
  work = tempDir("cm-npx-");
  const pack = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT, INSTALL_TIMEOUT);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  packed = (JSON.parse(pack.stdout) as PackEntry[])[0];
  project = path.join(work, "project");
  writeTree(project, {
    "package.json": JSON.stringify({ name: "npx-probe", version: "1.0.0", private: true }, null, 2) + "\n",
    "app/src/ask.ts": `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export const ask = (q: string) => co.generate({ prompt: q });
`,
    // Python is parsed by the grammar wasm the package ships in dist/grammars/.
    "app/svc.py": `import cohere\n\nco = cohere.Client("k")\nprint(co.generate(prompt="hi").generations[0].text)\n`,
  });
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(work, packed.filename)], project, INSTALL_TIMEOUT);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  installOutput = install.stdout + install.stderr;
}, 2 * INSTALL_TIMEOUT);

afterAll(() => {
  if (work) removeTemp(work);
});

describe("the packed package", () => {
  it("holds the CLI and the built library, not the sources, tests or fixtures", () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of ["bin/cohere-migrate.js", "dist/src/cli.js", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/engine/worker.js", "dist/transforms/index.js", "dist/grammars/tree-sitter-python.wasm", "package.json"]) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => /^(test|fixtures|src|transforms|scripts)\//.test(f) || f.startsWith("dist/test/"))).toEqual([]);
  });

  it("installs quietly: no install script for npm to ask about, no warning", async () => {
    // npm 11 warns about (and asks to allow) install scripts, `prepare` included: the package is
    // built when it is packed (`prepack`), so installing it runs nothing.
    const manifest = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "cohere-migrate", "package.json"), "utf8")) as { scripts?: Record<string, string> };
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect({ hook, script: manifest.scripts?.[hook] }).toEqual({ hook, script: undefined });
    expect(installOutput).not.toMatch(/allowScripts|install scripts|npm warn/i);
    const npm = await run("npm", ["--version"], project);
    expect(npm.stdout.trim()).toMatch(/^\d+\./);
  });

  it("npx cohere-migrate --help", async () => {
    const r = await run("npx", ["--no", "--", "cohere-migrate", "--help"], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: cohere-migrate");
    expect(r.stdout).toContain("check");
  });

  it("npx cohere-migrate check finds the legacy call (exit 1), and skips node_modules", async () => {
    const r = await run("npx", ["--no", "--", "cohere-migrate", "check", "--format", "json"], project);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string }[] };
    expect(out.findings.map((f) => [f.file, f.rule])).toEqual([
      ["app/src/ask.ts", "generate"],
      ["app/svc.py", "generate"],
    ]);
  });

  it("npx cohere-migrate migrate --dry prints the diff and writes nothing", async () => {
    const before = fs.readFileSync(path.join(project, "app/src/ask.ts"), "utf8");
    const r = await run("npx", ["--no", "--", "cohere-migrate", "migrate", "--dry", "--no-color", "app"], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("diff --git a/app/src/ask.ts b/app/src/ask.ts");
    expect(r.stdout).toMatch(/^\+.*co\.v2\.chat\(/m);
    expect(fs.readFileSync(path.join(project, "app/src/ask.ts"), "utf8")).toBe(before);
  });
});
