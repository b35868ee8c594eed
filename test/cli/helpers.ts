/**
 * Support for tests that run the built CLI as a child process (the way users and CI run it) in
 * small temporary trees and git repositories.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Location, Span } from "../../src/types";

export const ROOT = path.resolve(__dirname, "..", "..");
export const BIN = path.join(ROOT, "bin", "cohere-migrate.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Added to a clean environment (no CI, colour or TTY hints from the machine running the tests). */
  env?: NodeJS.ProcessEnv;
  /** Run as another user (only possible as root): files chmod 000 are then really unreadable. */
  uid?: number;
  gid?: number;
}

/** Variables that change the CLI's output, removed so each test says what it wants. */
const OUTPUT_VARIABLES = ["CI", "NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "TERM"];

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of OUTPUT_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

function assertBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, "dist", "src", "cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before the CLI tests (npm test does)");
  }
}

/** Runs `node bin/cohere-migrate.js ...args` and collects its output and exit code. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      uid: options.uid,
      gid: options.gid,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A fresh temporary folder; removed by `removeTemp`. */
export function tempDir(prefix = "cm-cli-"): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes files (relative path → text) under `dir`. */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** A temporary git repository holding `files`, all committed, with a local identity. */
export function gitRepo(files: Readonly<Record<string, string>>, prefix = "cm-git-"): string {
  const dir = tempDir(prefix);
  git(dir, "init", "-q");
  git(dir, "config", "user.email", "ci-review@example.com");
  git(dir, "config", "user.name", "ci-review");
  // Line endings exactly as written: the CRLF tests need git to keep \r\n in the work tree.
  git(dir, "config", "core.autocrlf", "false");
  writeTree(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

/** 1-based line and column (UTF-16 code units) of an offset, computed independently of src/. */
export function locationAt(text: string, offset: number): Location {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** The span of the `occurrence`-th (0-based) appearance of `needle` in `text`; the end is just past it. */
export function spanOf(text: string, needle: string, occurrence = 0): Span {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`"${needle}" occurs fewer than ${occurrence + 1} times`);
  }
  return { start: locationAt(text, at), end: locationAt(text, at + needle.length) };
}

/** An ANSI colour or style code. */
export const ANSI = /\u001b\[[0-9;]*m/;
