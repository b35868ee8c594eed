/**
 * The progress bar: drawn on stderr for a run over many files when stderr is a terminal, never
 * without a terminal or in CI. The terminal side runs the CLI under util-linux `script`, which
 * gives it a pseudo-terminal, as an interactive shell would.
 */
import { execFileSync } from "node:child_process";
import { BIN, cleanEnv, removeTemp, runCli, tempDir, writeTree } from "./helpers";

/** More files than the CLI's threshold for drawing a bar (PROGRESS_MIN_FILES in src/cli.ts). */
const MANY = 240;
const BAR = new RegExp(`\\d+/${MANY} files`);

let dir: string;
beforeAll(() => {
  dir = tempDir("cm-progress-");
  const files: Record<string, string> = {};
  for (let i = 0; i < MANY; i++) files[`src/m${String(i).padStart(3, "0")}.ts`] = `export const n${i} = ${i};\n`;
  writeTree(dir, files);
});
afterAll(() => removeTemp(dir));

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs the CLI on a pseudo-terminal; returns everything the terminal showed. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return execFileSync("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    env: cleanEnv({ TERM: "xterm", ...env }),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("without a terminal", () => {
  it("prints no progress bar (stderr stays empty)", async () => {
    const r = await runCli(["check", "."], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toMatch(BAR);
    expect(r.stdout).toContain(`${MANY} files checked`);
  });
});

describe("on a terminal", () => {
  it("draws a progress bar over many files", () => {
    const screen = onTerminal(["check", "--no-color", "."]);
    expect(screen).toMatch(BAR);
    expect(screen).toContain(`${MANY} files checked`);
  });

  it("draws none in CI", () => {
    const screen = onTerminal(["check", "--no-color", "."], { CI: "true" });
    expect(screen).not.toMatch(BAR);
    expect(screen).toContain(`${MANY} files checked`);
  });

  it("draws none for a few files", () => {
    const screen = onTerminal(["check", "--no-color", "src/m000.ts", "src/m001.ts"]);
    expect(screen).not.toMatch(/\d+\/\d+ files/);
    expect(screen).toContain("2 files checked");
  });
});
