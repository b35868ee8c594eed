/**
 * Before/after runs for behaviour tests: run a program on the real SDK against the fake, migrate it
 * in place with the library (`migrate({ cwd, paths: ["."], force: true })`), run it again.
 * `expectSameOutput` is the usual assertion; `runMigrated` / `runOnce` give the raw runs.
 */
import { migrate } from "../../src/migrate";
import type { MigrateResult } from "../../src/types";
import type { FakeCohere } from "../support/fake-cohere";
import * as path from "node:path";
import { endpoints, readProgram, removeProgram, runProgram, writeProgram, type ProgramDir, type RunResult, type Sdk } from "../support/run-program";
import { typeCheck } from "../support/typecheck";

export interface Program {
  files: Readonly<Record<string, string>>;
  /** Source path of the file to run. */
  entry: string;
  /** SDK the original runs on (default v8); the migrated program always runs on cohere-ai 8.1.0. */
  sdk?: Sdk;
  /** What the original must hit (default `["POST /v1/generate"]`; a REST program may use `POST /generate`). */
  legacyEndpoints?: readonly string[];
  /** Source text that must be gone after migration (default: a `.generate(` / `.generateStream(` call). */
  legacyText?: RegExp;
  /**
   * Type-check the TypeScript sources under `strict` against cohere-ai 8.1.0 before and after the
   * migration (`Migration.typeErrors`); `expectSameOutput` then also asserts that the migrated
   * sources have no error the original did not have.
   */
  typeCheck?: boolean;
}

export interface Migration {
  before: RunResult;
  after: RunResult;
  result: MigrateResult;
  /** Sources after migration, by relative path. */
  migrated: Map<string, string>;
  /** With `Program.typeCheck`: strict diagnostics per TypeScript source, before and after migration. */
  typeErrors?: { before: Map<string, string[]>; after: Map<string, string[]> };
}

export async function runMigrated(fake: FakeCohere, program: Program): Promise<Migration> {
  const dir = writeProgram(program.files);
  try {
    const before = await runProgram(dir, { fake, entry: program.entry, sdk: program.sdk ?? "v8" });
    // runProgram linked <root>/node_modules/cohere-ai, so the sources under app/ resolve the SDK there.
    const typeErrorsBefore = program.typeCheck ? typeCheckSources(dir) : undefined;
    const result = await migrate({ cwd: dir.app, paths: ["."], force: true });
    const migrated = readProgram(dir);
    const after = await runProgram(dir, { fake, entry: program.entry, sdk: "v8" });
    const typeErrors = typeErrorsBefore ? { before: typeErrorsBefore, after: typeCheckSources(dir) } : undefined;
    return { before, after, result, migrated, typeErrors };
  } finally {
    removeProgram(dir);
  }
}

/** Strict diagnostics of the program's TypeScript sources, keyed by their path under app/. */
function typeCheckSources(dir: ProgramDir): Map<string, string[]> {
  const sources = [...readProgram(dir).keys()].filter((rel) => /\.[cm]?tsx?$/.test(rel));
  const byAbs = typeCheck(sources.map((rel) => path.join(dir.app, rel)));
  return new Map(sources.map((rel) => [rel, byAbs.get(path.join(dir.app, rel)) ?? []]));
}

const LEGACY_CALL = /\.generate(Stream)?\s*(\?\.)?\s*\(/;

/**
 * Runs, migrates, runs again. Asserts that the original ran cleanly through the legacy endpoint, that
 * the migrated sources hold no legacy call, and that the migrated program prints exactly the same
 * through `/v2/chat` only. A failure appends both outputs and the migrated sources.
 */
export async function expectSameOutput(fake: FakeCohere, program: Program): Promise<Migration> {
  const m = await runMigrated(fake, program);
  expectSameRuns(m, { legacyEndpoints: program.legacyEndpoints ?? ["POST /v1/generate"], legacyText: program.legacyText ?? LEGACY_CALL });
  if (m.typeErrors) {
    const { before, after } = m.typeErrors;
    try {
      expect([...before].filter(([, errors]) => errors.length)).toEqual([]);
      expect([...after].filter(([, errors]) => errors.length)).toEqual([]);
    } catch (error) {
      if (error instanceof Error) error.message += `\n\n${explain(m)}`;
      throw error;
    }
  }
  return m;
}

/**
 * The assertions of a before/after comparison, for programs in any language: the original ran
 * cleanly through `legacyEndpoints`, no migrated source matches `legacyText`, and the migrated
 * program printed the same through `/v2/chat` only.
 */
export function expectSameRuns(m: Migration, expected: { legacyEndpoints: readonly string[]; legacyText: RegExp }): void {
  expect({ code: m.before.code, stderr: m.before.stderr, endpoints: endpoints(m.before) }).toEqual({
    code: 0,
    stderr: "",
    endpoints: expected.legacyEndpoints,
  });
  expect(m.before.stdout.trim()).not.toBe("");
  try {
    expect(m.result.files.filter((f) => f.status === "failed")).toEqual([]);
    expect([...m.migrated].filter(([, text]) => expected.legacyText.test(text)).map(([file]) => file)).toEqual([]);
    expect({ code: m.after.code, endpoints: endpoints(m.after), stdout: m.after.stdout, stderr: m.after.stderr }).toEqual({
      code: 0,
      endpoints: ["POST /v2/chat"],
      stdout: m.before.stdout,
      stderr: "",
    });
  } catch (error) {
    if (error instanceof Error) error.message += `\n\n${explain(m)}`;
    throw error;
  }
}

/**
 * For what SPEC lets the migration mark instead of rewrite: the original runs cleanly, the migrated
 * program prints something else (or fails), and a `cohere-migrate: <marker>` comment says why.
 */
export async function expectMarkedChange(fake: FakeCohere, program: Program, marker: string): Promise<Migration> {
  const m = await runMigrated(fake, program);
  expect({ code: m.before.code, stderr: m.before.stderr, endpoints: endpoints(m.before) }).toEqual({
    code: 0,
    stderr: "",
    endpoints: program.legacyEndpoints ?? ["POST /v1/generate"],
  });
  const same = m.after.code === 0 && m.after.stdout === m.before.stdout;
  const markers = [...m.migrated.values()].flatMap((text) => [...text.matchAll(/cohere-migrate: ([a-z-]+)/g)].map((x) => x[1]));
  expect({ same, markers }).toEqual({ same: false, markers: expect.arrayContaining([marker]) });
  return m;
}

/** Runs a program once, unmigrated. */
export async function runOnce(fake: FakeCohere, program: Program): Promise<RunResult> {
  const dir = writeProgram(program.files);
  try {
    return await runProgram(dir, { fake, entry: program.entry, sdk: program.sdk ?? "v8" });
  } finally {
    removeProgram(dir);
  }
}

/** What a failing comparison prints: both outputs and the migrated source, so the report is self-contained. */
export function explain(m: Migration): string {
  const sources = [...m.migrated].map(([file, text]) => `--- ${file}\n${text}`).join("\n");
  return [
    `before (exit ${m.before.code}):\n${m.before.stdout}${m.before.stderr}`,
    `after (exit ${m.after.code}):\n${m.after.stdout}${m.after.stderr}`,
    `migrated sources:\n${sources}`,
  ].join("\n\n");
}
