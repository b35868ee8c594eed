/**
 * The prefilter must never drop a file the full analysis would flag: `check` runs with it on and
 * off over the same corpus (real code from node_modules plus generated Cohere projects in every
 * detection style) and must report the same legacy calls and markers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check } from "../../src/check";
import { hasSiteBytes } from "../../src/engine/prefilter";
import type { CheckResult, Finding } from "../../src/types";
import { cohereProject, cohereTsconfig, copyRealFiles, everyNth, PROJECT_ROOT, realSourceFiles, writeFiles, type GeneratedFile } from "../../scripts/corpus";

let root: string;
let generated: Map<string, GeneratedFile>;
let on: CheckResult;
let off: CheckResult;

const key = (f: Finding): string => `${f.file}:${f.span.start.line}:${f.span.start.column} ${f.rule}`;
const legacy = (r: CheckResult): string[] => r.findings.filter((f) => f.rule !== "parse-error").map(key).sort();
const parseErrors = (r: CheckResult): string[] => r.findings.filter((f) => f.rule === "parse-error").map(key).sort();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cm-prefilter-"));
  const nodeModules = path.join(PROJECT_ROOT, "node_modules");
  const all = realSourceFiles(nodeModules);
  // The real files the prefilter keeps, a share of those it drops although they say `generate`,
  // and a spread of the rest; small enough that parsing all of it (prefilter off) stays quick.
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const rel of all) {
    const raw = fs.readFileSync(path.join(nodeModules, rel));
    if (raw.length > 200_000 || !raw.includes("generate")) continue;
    if (hasSiteBytes(raw) || raw.includes("ohere")) kept.push(rel);
    else dropped.push(rel);
  }
  const picked = new Set([...kept, ...everyNth(dropped, 8), ...everyNth(all, 60)]);
  copyRealFiles([...picked], path.join(root, "real"));
  generated = new Map([...cohereProject("gen/p0", "@/gen/p0"), ...cohereProject("gen/p1", "@/gen/p1")]);
  writeFiles(root, generated);
  fs.writeFileSync(path.join(root, "tsconfig.json"), cohereTsconfig("gen"));
  on = await check({ cwd: root, paths: ["."] });
  off = await check({ cwd: root, paths: ["."], prefilter: false });
}, 300_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test("the corpus holds real code and every generated style", () => {
  expect(on.totals.files).toBeGreaterThan(400);
  expect(on.files.filter((f) => f.file.startsWith("gen/")).length).toBe(generated.size);
});

test("the same legacy calls and markers with and without the prefilter", () => {
  expect(legacy(on)).toEqual(legacy(off));
});

test("parse errors are reported only for files that were parsed", () => {
  // Without the prefilter every file is parsed, so it sees every syntax error; with it, only those
  // of files that could hold a Cohere call (the others are not ours to judge).
  const offErrors = new Set(parseErrors(off));
  for (const e of parseErrors(on)) expect(offErrors.has(e)).toBe(true);
});

test("each generated use is found, and nothing in the client modules", () => {
  const found = new Map<string, number>();
  for (const f of on.findings) found.set(f.file, (found.get(f.file) ?? 0) + 1);
  const missed: string[] = [];
  for (const [rel, file] of generated) {
    const n = found.get(rel) ?? 0;
    if (file.findings === 0 ? n !== 0 : n < file.findings) missed.push(`${rel}: ${n} finding(s), expected ${file.findings === 0 ? "none" : `at least ${file.findings}`}`);
  }
  expect(missed).toEqual([]);
});

test("no real file is flagged", () => {
  expect(on.findings.filter((f) => f.file.startsWith("real/") && f.rule !== "parse-error").map(key)).toEqual([]);
});
