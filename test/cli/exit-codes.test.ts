/**
 * The exit-code table of SPEC.md ("Commands") and issue 4, row by row, on the built CLI run as a
 * child process: 0 nothing left, 1 legacy calls or markers left or a file that could not be read
 * or parsed (check) / a file failed (migrate), 2 bad usage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { golden } from "./golden";
import { gitRepo, removeTemp, runCli, tempDir, writeTree, type CliRun } from "./helpers";

const LEGACY = `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export const run = () => co.generate({ prompt: "hi" });
`;
const CHAT = `import { CohereClientV2 } from "cohere-ai";
const co = new CohereClientV2({});
export const run = () => co.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: "hi" }] });
`;

let dir: string;

beforeAll(() => {
  dir = tempDir("cm-exit-");
  writeTree(dir, {
    "clean/chat.ts": CHAT,
    "clean/other.js": "module.exports = 1;\n",
    "legacy/call.ts": LEGACY,
    "marker/left.ts": `${CHAT}/* cohere-migrate: logit-bias Chat has no logit bias: steer the output with instructions. */\n`,
    "broken/syntax.ts": `${LEGACY}export const oops = co.generate({ prompt: "unclosed" ;\n`,
    "suppressed/call.ts": LEGACY.replace("export const run", "// cohere-migrate-ignore on purpose\nexport const run"),
    "docs/readme.md": "# not source\n",
  });
  writeTree(path.join(dir, "golden"), golden().files);
});
afterAll(() => removeTemp(dir));

interface Row {
  name: string;
  args: string[];
  code: 0 | 1 | 2;
  /** Text the output (stdout + stderr) must contain: the reason, said plainly. */
  says?: RegExp;
}

const CHECK_ROWS: Row[] = [
  { name: "check: nothing left", args: ["check", "clean"], code: 0, says: /no legacy Cohere calls or markers/ },
  { name: "check: a legacy call left", args: ["check", "legacy"], code: 1, says: /legacy\/call\.ts/ },
  { name: "check: a marker left", args: ["check", "marker"], code: 1, says: /marker\/logit-bias/ },
  { name: "check: a file that does not parse", args: ["check", "broken"], code: 1, says: /parse-error/ },
  { name: "check: the only call is suppressed", args: ["check", "suppressed"], code: 0, says: /1 suppressed/ },
  { name: "check: only a warning (possible legacy call) left", args: ["check", "golden/src/possible.ts"], code: 1, says: /possible-legacy-call/ },
  { name: "check --format json with findings", args: ["check", "--format", "json", "legacy"], code: 1 },
  { name: "check --format sarif, nothing left", args: ["check", "--format", "sarif", "clean"], code: 0 },
  { name: "check --format github with findings", args: ["check", "--format", "github", "golden"], code: 1 },
  { name: "check: unknown flag", args: ["check", "--frobnicate", "clean"], code: 2, says: /unknown option '--frobnicate'/ },
  { name: "check: unknown format", args: ["check", "--format", "xml", "clean"], code: 2, says: /xml.*(stylish|choices)/s },
  { name: "check: --format without a value", args: ["check", "--format"], code: 2, says: /argument missing/ },
  { name: "check: a path that does not exist", args: ["check", "nope"], code: 2, says: /path does not exist: nope/ },
  { name: "check: no files matched", args: ["check", "docs"], code: 2, says: /no JavaScript, TypeScript or Python files found in docs/ },
  { name: "check: all files matched are ignored", args: ["check", "--ignore", "*.ts", "--ignore", "*.js", "clean"], code: 2, says: /no JavaScript, TypeScript or Python files/ },
];

const MIGRATE_ROWS: Row[] = [
  { name: "migrate --dry: calls migrated", args: ["migrate", "--dry", "legacy"], code: 0, says: /1 call migrated/ },
  { name: "migrate --dry: the default command", args: ["--dry", "legacy"], code: 0, says: /1 call migrated/ },
  { name: "migrate --dry: nothing to do", args: ["migrate", "--dry", "clean"], code: 0, says: /0 calls migrated/ },
  { name: "migrate --dry: a file fails to parse", args: ["migrate", "--dry", "broken"], code: 1, says: /failed\s+1 file/ },
  { name: "migrate: unknown flag", args: ["migrate", "--frobnicate", "legacy"], code: 2, says: /unknown option/ },
  { name: "migrate: a path that does not exist", args: ["migrate", "--dry", "nope"], code: 2, says: /path does not exist/ },
  { name: "migrate: an unknown command is a path that does not exist", args: ["chek", "legacy"], code: 2, says: /path does not exist: chek/ },
  { name: "migrate: no files matched", args: ["migrate", "--dry", "docs"], code: 2, says: /no JavaScript, TypeScript or Python files/ },
  { name: "migrate: an empty --model", args: ["migrate", "--dry", "--model", "", "legacy"], code: 2, says: /argument '' is invalid\. a Chat model id/ },
  { name: "migrate: a --model with a quote", args: ["migrate", "--dry", "--model", 'a"b', "legacy"], code: 2, says: /a Chat model id/ },
  { name: "migrate: a report type it cannot write", args: ["migrate", "--dry", "--report", "out.pdf", "legacy"], code: 2, says: /--report must end in \.md, \.json, \.html/ },
  { name: "--help", args: ["--help"], code: 0, says: /Usage: cohere-migrate/ },
  { name: "check --help", args: ["check", "--help"], code: 0, says: /--format <format>/ },
  { name: "--version", args: ["--version"], code: 0, says: /^\d+\.\d+\.\d+/ },
];

async function run(row: Row): Promise<CliRun> {
  return runCli(row.args, { cwd: dir });
}

describe.each([...CHECK_ROWS, ...MIGRATE_ROWS])("exit code: $name", (row) => {
  it(`exits ${row.code}`, async () => {
    const r = await run(row);
    const output = r.stdout + r.stderr;
    expect({ code: r.code, output }).toEqual({ code: row.code, output: expect.stringMatching(row.says ?? /[\s\S]*/) as unknown });
    // Bad usage is reported on stderr, never as a result on stdout.
    if (row.code === 2) expect(r.stdout).toBe("");
  });
});

describe("what cannot be read", () => {
  type Checked = { code: number; findings: { file: string; rule: string; message: string }[]; failed: number };

  /** `check --format json` on a tree where `locked` has mode 000, run as a user the mode stops. */
  async function checkLocked(files: Record<string, string>, locked: string): Promise<Checked> {
    const dir = tempDir("cm-unreadable-");
    try {
      writeTree(dir, files);
      fs.chmodSync(path.join(dir, locked), 0o000);
      fs.chmodSync(dir, 0o755);
      // root reads anything whatever its mode, so the child runs as an unprivileged user then.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const r = await runCli(["check", "--format", "json", "."], { cwd: dir, ...asNobody });
      const out = JSON.parse(r.stdout) as { findings: Checked["findings"]; summary: { failed: number } };
      return { code: r.code, findings: out.findings, failed: out.summary.failed };
    } finally {
      fs.chmodSync(path.join(dir, locked), 0o755);
      removeTemp(dir);
    }
  }

  it("a file: check exits 1 and names the file", async () => {
    const r = await checkLocked({ "ok.ts": CHAT, "secret.ts": LEGACY }, "secret.ts");
    expect(r.code).toBe(1);
    expect(r.failed).toBe(1);
    expect(r.findings).toEqual([expect.objectContaining({ file: "secret.ts", message: expect.stringMatching(/cannot read/) as unknown })]);
  });

  it("a folder: check exits 1 with a skipped-file finding for it", async () => {
    const r = await checkLocked({ "ok.ts": CHAT, "locked/call.ts": LEGACY }, "locked");
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([expect.objectContaining({ file: "locked", rule: "skipped-file", message: expect.stringMatching(/cannot read folder.*may hold legacy Cohere calls/) as unknown })]);
  });
});

describe("migrate in a git work tree with uncommitted changes", () => {
  it("exits 1 and says why", async () => {
    const repo = gitRepo({ "src/call.ts": LEGACY });
    try {
      fs.appendFileSync(path.join(repo, "src/call.ts"), "// edited\n");
      const r = await runCli(["migrate", "."], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refusing to migrate: .*uncommitted changes \(src\/call\.ts\).*--force/s);
    } finally {
      removeTemp(repo);
    }
  });
});

describe("Python files that do not parse", () => {
  const GOOD = `import cohere\n\nco = cohere.Client("key")\nprint(co.generate(prompt="hi").generations[0].text)\n`;
  // Python 2: a print statement (tree-sitter parses it without an ERROR node), and a stray bracket.
  const PY2 = `import cohere\n\nco = cohere.Client("key")\nr = co.generate(prompt="hi")\nprint r.generations[0].text\n`;
  const BRACKET = `import cohere\n\nco = cohere.Client("key")\nr = co.generate(prompt="hi"\n`;
  const NOTEBOOK = `${JSON.stringify({ cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: ["import cohere\n", "co = cohere.Client('k')\n", "print co.generate(prompt='hi')"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
  const files = { "good.py": GOOD, "py2.py": PY2, "bracket.py": BRACKET, "nb.ipynb": NOTEBOOK };

  it("check reports each at file:line:col and exits 1; the good file's call is still found", async () => {
    const tree = tempDir("cm-pybroken-");
    try {
      writeTree(tree, files);
      const r = await runCli(["check", "--format", "json", "."], { cwd: tree });
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; column: number; rule: string; message: string }[] };
      const at = out.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`).sort();
      expect(at).toEqual(["bracket.py:4:16 parse-error", "good.py:4:7 generate", "nb.ipynb:11:6 parse-error", "py2.py:5:1 parse-error"]);
      expect(out.findings.find((f) => f.file === "nb.ipynb")?.message).toMatch(/cell 1, line 3/);
    } finally {
      removeTemp(tree);
    }
  });

  it("migrate leaves them byte for byte, migrates the rest, and exits 1", async () => {
    const tree = tempDir("cm-pybroken-");
    try {
      writeTree(tree, files);
      const r = await runCli(["migrate", "."], { cwd: tree });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/py2\.py:5:1/);
      for (const name of ["py2.py", "bracket.py", "nb.ipynb"] as const) expect(fs.readFileSync(path.join(tree, name), "utf8")).toBe(files[name]);
      expect(fs.readFileSync(path.join(tree, "good.py"), "utf8")).toContain("co.v2.chat(");
    } finally {
      removeTemp(tree);
    }
  });
});
