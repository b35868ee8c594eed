/**
 * The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), exercised as
 * their runners would run them: the action's steps are its own `run:` scripts in bash, with the
 * `env:` that GitHub would set from the inputs and GITHUB_ACTION_PATH at this checkout; the hook's
 * entry runs on the staged files of a temporary git repository, filtered by its `types_or` the way
 * pre-commit's file identification tags them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { cleanEnv, git, gitRepo, removeTemp, ROOT } from "./helpers";

const LEGACY_TS = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\nexport const run = () => co.generate({ prompt: "hi" });\n`;
const LEGACY_PY = `import cohere\n\nco = cohere.Client("key")\nprint(co.generate(prompt="hi").generations[0].text)\n`;

interface Step {
  name: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as Action;

/** Runs the action's steps in order, as a composite action runs them; stops at the first failure. */
function runAction(workspace: string, inputs: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const values = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default]));
  let stdout = "";
  let stderr = "";
  for (const step of action.runs.steps) {
    // `${{ inputs.x }}` in a step's env, resolved as the runner resolves it.
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*inputs\.(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? "")]));
    const r = spawnSync(step.shell, ["-e", "-c", step.run], { cwd: workspace, env: cleanEnv({ ...env, GITHUB_ACTION_PATH: ROOT, GITHUB_WORKSPACE: workspace }), encoding: "utf8" });
    stdout += r.stdout;
    stderr += r.stderr;
    if (r.status !== 0) return { code: r.status ?? 1, stdout, stderr };
  }
  return { code: 0, stdout, stderr };
}

describe("action.yml", () => {
  it("is a composite action with the documented inputs", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["baseline", "format", "paths"]);
    expect(action.inputs.format.default).toBe("github");
  });

  it("annotates each legacy call and fails the job; passes on clean paths", () => {
    const repo = gitRepo({ "src/app.ts": LEGACY_TS, "svc/app.py": LEGACY_PY, "clean/ok.py": "print(1)\n" });
    try {
      const r = runAction(repo, {});
      expect(r.code).toBe(1);
      const errors = r.stdout.split("\n").filter((l) => l.startsWith("::error"));
      expect(errors).toEqual([expect.stringContaining("file=src/app.ts,line=3"), expect.stringContaining("file=svc/app.py,line=4")]);
      expect(runAction(repo, { paths: "clean" }).code).toBe(0);
    } finally {
      removeTemp(repo);
    }
  });

  it("takes several paths, another format and a baseline", () => {
    const repo = gitRepo({ "src/app.ts": LEGACY_TS, "svc/app.py": LEGACY_PY });
    try {
      const json = runAction(repo, { paths: "src svc", format: "json" });
      expect(json.code).toBe(1);
      expect((JSON.parse(json.stdout) as { findings: unknown[] }).findings).toHaveLength(2);
      spawnSync(process.execPath, [path.join(ROOT, "bin", "cohere-migrate.js"), "check", "--write-baseline", "baseline.json", "."], { cwd: repo, env: cleanEnv() });
      const baselined = runAction(repo, { baseline: "baseline.json" });
      expect(baselined.stdout).toMatch(/::notice title=cohere-migrate check::no legacy Cohere calls or markers .*2 findings in the baseline/);
      expect(baselined.code).toBe(0);
    } finally {
      removeTemp(repo);
    }
  });
});

interface Hook {
  id: string;
  entry: string;
  language: string;
  types_or: string[];
  pass_filenames: boolean;
}

/** The identify tags pre-commit gives a file, for the extensions that matter here. */
const TAGS: ReadonlyMap<string, string[]> = new Map([
  [".py", ["python"]],
  [".ipynb", ["jupyter"]],
  [".js", ["javascript"]],
  [".mjs", ["javascript"]],
  [".cjs", ["javascript"]],
  [".jsx", ["jsx"]],
  [".ts", ["ts"]],
  [".mts", ["ts"]],
  [".cts", ["ts"]],
  [".tsx", ["tsx"]],
]);

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
  const hook = hooks.find((h) => h.id === "cohere-migrate-check") as Hook;

  it("is a node hook running the package's own bin on Python, notebooks, JavaScript and TypeScript", () => {
    expect(hook).toMatchObject({ language: "node", pass_filenames: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(hook.entry.split(" ")[0]);
    expect([...hook.types_or].sort()).toEqual(["javascript", "jsx", "jupyter", "python", "ts", "tsx"]);
  });

  /** The hook on the staged files: pre-commit's file selection, then `entry` + the file names. */
  function runHook(repo: string): { code: number; stdout: string } {
    const staged = git(repo, "diff", "--cached", "--name-only", "--diff-filter=ACM").split("\n").filter(Boolean);
    const selected = staged.filter((f) => (TAGS.get(path.extname(f)) ?? []).some((t) => hook.types_or.includes(t)));
    const [bin, ...args] = hook.entry.split(" ");
    const r = spawnSync(process.execPath, [path.join(ROOT, JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).bin[bin] as string), ...args, ...selected], { cwd: repo, env: cleanEnv(), encoding: "utf8" });
    return { code: r.status ?? 1, stdout: r.stdout };
  }

  it("fails the commit on a staged legacy call and names it; passes when only clean files are staged", () => {
    const repo = gitRepo({ "README.md": "# app\n", "old.py": LEGACY_PY });
    try {
      // A committed legacy file that is not staged is not this commit's business.
      fs.writeFileSync(path.join(repo, "new.py"), LEGACY_PY);
      fs.writeFileSync(path.join(repo, "notes.md"), "co.generate(prompt='x')\n");
      git(repo, "add", "new.py", "notes.md");
      const failing = runHook(repo);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain("new.py");
      expect(failing.stdout).not.toContain("old.py");
      git(repo, "reset", "-q");
      fs.writeFileSync(path.join(repo, "new.py"), "print('chat only')\n");
      fs.writeFileSync(path.join(repo, "web.ts"), "export const x = 1;\n");
      git(repo, "add", "new.py", "web.ts");
      expect(runHook(repo)).toMatchObject({ code: 0 });
    } finally {
      removeTemp(repo);
    }
  });
});
