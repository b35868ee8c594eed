/**
 * `migrate --verify`: the migrated TypeScript is type-checked with the repository's own
 * tsconfig.json (the nearest one per file) before anything is written. A migration that would
 * break the user's build (here: the project's cohere-ai types are a version without the v2
 * client, and its tsconfig has noUnusedLocals) is reported with the error, exit 1, and nothing is
 * written without --force; with --dry the errors are in the summary and the report.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitRepo, removeTemp, ROOT, runCli } from "./helpers";

const CALL = `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

export async function hello(): Promise<string> {
  const r = await co.generate({ prompt: "hi" });
  return r.generations[0].text;
}
`;

/** cohere-ai types as an old 7.x declared them: a CohereClient with generate and no v2. */
const OLD_TYPES = `export declare class CohereClient {
  constructor(options: { token?: string });
  generate(request: { prompt: string; model?: string }): Promise<{ generations: { text: string }[] }>;
}
`;
const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: [] } }, null, 2);

function project(files: Record<string, string>): string {
  return gitRepo({
    "node_modules/cohere-ai/package.json": JSON.stringify({ name: "cohere-ai", version: "7.9.0", types: "index.d.ts" }),
    "node_modules/cohere-ai/index.d.ts": OLD_TYPES,
    ".gitignore": "node_modules\n",
    ...files,
  });
}

describe("migrate --verify", () => {
  it("reports the error a migration adds with the user's tsconfig, writes nothing, exits 1", async () => {
    const repo = project({ "tsconfig.json": TSCONFIG, "src/hello.ts": CALL });
    try {
      const r = await runCli(["migrate", "--verify", "."], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("nothing written: --verify found type errors");
      expect(r.stdout).toMatch(/Would break the build \(--verify: 1 file of 1 gain type errors; nothing written/);
      expect(r.stdout).toMatch(/src\/hello\.ts:\d+:\d+ +TS2339: Property 'v2' does not exist on type 'CohereClient'/);
      expect(fs.readFileSync(path.join(repo, "src/hello.ts"), "utf8")).toBe(CALL);
      expect(git(repo, "status", "--porcelain")).toBe("");
    } finally {
      removeTemp(repo);
    }
  });

  it("writes anyway with --force, still reporting the error", async () => {
    const repo = project({ "tsconfig.json": TSCONFIG, "src/hello.ts": CALL });
    try {
      const r = await runCli(["migrate", "--verify", "--force", "."], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/TS2339/);
      expect(fs.readFileSync(path.join(repo, "src/hello.ts"), "utf8")).toContain("co.v2.chat(");
    } finally {
      removeTemp(repo);
    }
  });

  it("with --dry, shows the errors in the summary and the Markdown report", async () => {
    const repo = project({ "tsconfig.json": TSCONFIG, "src/hello.ts": CALL });
    try {
      const report = path.join(repo, "..", `${path.basename(repo)}-report.md`);
      const r = await runCli(["migrate", "--dry", "--verify", "--report", report, "."], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^diff --git/m);
      expect(r.stdout).toMatch(/TS2339/);
      expect(fs.readFileSync(report, "utf8")).toMatch(/## Would break the build \(`--verify`\)[\s\S]*`src\/hello\.ts:\d+:\d+` TS2339/);
      fs.rmSync(report);
    } finally {
      removeTemp(repo);
    }
  });

  it("uses the nearest tsconfig per file, and passes (exit 0, written) when nothing breaks", async () => {
    // packages/new has the real cohere-ai 8 through its own tsconfig's paths: no error there.
    const real = path.join(ROOT, "node_modules", "cohere-ai");
    const repo = project({
      "packages/new/tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: [], esModuleInterop: true, baseUrl: ".", paths: { "cohere-ai": [real] } } }),
      "packages/new/src/hello.ts": CALL,
      "loose/hello.ts": CALL,
    });
    try {
      const r = await runCli(["migrate", "--verify", "."], { cwd: repo });
      expect(r.stdout).toMatch(/--verify: 1 migrated file type-checked with the repository's own configuration \(tsconfig\.json, pyright\), no new errors/);
      expect(r.stdout).toMatch(/not verified: loose\/hello\.ts \(no tsconfig\.json above it\)/);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(repo, "packages/new/src/hello.ts"), "utf8")).toContain("co.v2.chat(");
    } finally {
      removeTemp(repo);
    }
  });
});

describe("migrate --verify on Python, with the repository's pyright configuration", () => {
  // pyright from the repository's node_modules (here: a link to this checkout's), on the SDK
  // environment pyrightconfig.json names.
  const { venvDir } = require("../support/python-env") as typeof import("../support/python-env");
  const PY = `import cohere\n\nco = cohere.Client("key")\n\n\ndef ask(q):\n    return co.generate(prompt=q, stop_sequences=["."]).generations[0].text\n`;

  function pythonProject(sdk: "cohere-4" | "cohere-7"): string {
    const venv = venvDir(sdk);
    const repo = gitRepo({
      "pyrightconfig.json": JSON.stringify({ venvPath: path.dirname(venv), venv: path.basename(venv) }),
      "app/__init__.py": "",
      "app/ask.py": PY,
      ".gitignore": "node_modules\n",
    });
    fs.mkdirSync(path.join(repo, "node_modules"));
    fs.symlinkSync(path.join(ROOT, "node_modules", "pyright"), path.join(repo, "node_modules", "pyright"));
    return repo;
  }

  it("reports what migration breaks against the project's cohere 4 (no v2 client), and writes nothing", async () => {
    const repo = pythonProject("cohere-4");
    try {
      const r = await runCli(["migrate", "--verify", "."], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/app\/ask\.py:\d+:\d+ +reportAttributeAccessIssue: Cannot access attribute "v2" for class "Client"/);
      expect(fs.readFileSync(path.join(repo, "app/ask.py"), "utf8")).toBe(PY);
      expect(fs.existsSync(path.join(repo, "app/_cohere_chat.py"))).toBe(false);
    } finally {
      removeTemp(repo);
    }
  }, 120_000);

  it("passes on cohere 7 (the helper module it creates included), and writes", async () => {
    const repo = pythonProject("cohere-7");
    try {
      const r = await runCli(["migrate", "--verify", "."], { cwd: repo });
      expect(r.stdout).toMatch(/--verify: 1 migrated file type-checked/);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(repo, "app/ask.py"), "utf8")).toContain("co.v2.chat(");
    } finally {
      removeTemp(repo);
    }
  }, 120_000);

  it("lists an error inside code a marker asks to finish as \"will not compile until the marker is resolved\", not as breaking", async () => {
    // A read with no Chat value becomes `undefined` under a marker; the use after it stops compiling.
    const real = path.join(ROOT, "node_modules", "cohere-ai");
    const marked = `import { CohereClient } from "cohere-ai";
const co = new CohereClient({ token: "k" });
export async function first(p: string): Promise<string> {
  const r = await co.generate({ prompt: p });
  return r.generations[0].text;
}
export async function tokens(p: string): Promise<string> {
  const r = await co.generate({ prompt: p });
  const tokens = r.generations[0].tokenLikelihoods;
  return String(tokens?.length) + r.id;
}
`;
    const repo = project({
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: [], esModuleInterop: true, baseUrl: ".", paths: { "cohere-ai": [real] } } }),
      "src/marked.ts": marked,
    });
    try {
      const r = await runCli(["migrate", "--verify", "--no-color", "."], { cwd: repo });
      expect(r.stdout).not.toMatch(/Would break the build/);
      expect(r.stdout).toMatch(/no new errors outside the code markers ask you to finish/);
      const after = fs.readFileSync(path.join(repo, "src/marked.ts"), "utf8");
      const markerLine = after.split("\n").findIndex((l) => l.includes("cohere-migrate: likelihoods")) + 1;
      const useLine = after.split("\n").findIndex((l) => l.includes("tokens?.length")) + 1;
      expect(markerLine).toBeGreaterThan(0);
      expect(r.stdout).toMatch(new RegExp(`Will not compile until the marker is resolved \\(1\\):\\n  src/marked\\.ts:${useLine}:\\d+  TS2339: .* \\(marker likelihoods at line ${markerLine}\\)`));
    } finally {
      removeTemp(repo);
    }
  });
});
