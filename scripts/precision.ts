/**
 * `npm run precision -- <dir> [--json]`: how `check` and `migrate` do on a real repository, so
 * anyone can repeat the figures in the README.
 *
 * 1. `check` on the tree: the findings by rule, each Generate call with its place.
 * 2. A textual cross-check that shares no code with detection: every line holding `.generate(`,
 *    `.generateStream(` or a Generate URL in a file that mentions Cohere. A line of it with no
 *    finding is a possible miss; a Generate finding on no such line is a possible false positive
 *    (a call split over lines, a bound reference). Both lists are printed for a person to judge.
 * 3. `migrate --verify` on a copy (no .git, no node_modules; this tool's cohere-ai 8.1.0 linked in): files changed, whether each changed
 *    TypeScript file still type-checks with the repository's own tsconfig.json (errors the
 *    migration adds, compared with the file before), errors listed under markers.
 * 4. `check` on the migrated copy: what it still calls fixable (must be 0) and what is left.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check } from "../src/check";
import { migrate } from "../src/migrate";
import type { Finding } from "../src/types";

const SOURCE = /\.(m|c)?[jt]sx?$|\.py$/;
const CANDIDATE = /\.generate(Stream|_stream)?\s*\(|\/v1\/generate\b/;

/**
 * A fetched checkout has no node_modules, so its imports of cohere-ai would be unresolved before and
 * after migration alike and the type check could not see a wrong use of the SDK. The copy gets this
 * tool's cohere-ai (8.1.0, what migrated code targets) at its top, where every package resolves it.
 */
function linkSdk(copy: string): void {
  const target = path.join(copy, "node_modules", "cohere-ai");
  if (fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // cohere-ai's exports do not include package.json: look for the folder itself, up from here.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "node_modules", "cohere-ai")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  fs.symlinkSync(path.join(dir, "node_modules", "cohere-ai"), target, "dir");
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !["node_modules", ".git"].includes(path.basename(src)),
  });
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const GENERATE_RULES = new Set(["generate", "generate-stream", "v6-generate", "rest-generate", "indirect-generate", "generate-url"]);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const dir = args.find((a) => !a.startsWith("--"));
  if (!dir) {
    console.error("usage: npm run precision -- <dir> [--json]");
    process.exitCode = 2;
    return;
  }
  const root = path.resolve(dir);
  const started = Date.now();
  const checked = await check({ cwd: root, paths: ["."] });
  const findings = checked.findings.filter((f) => !f.rule.startsWith("marker/"));
  const generate = findings.filter((f) => GENERATE_RULES.has(f.rule));

  // The textual cross-check.
  const at = new Set(findings.map((f) => `${f.file}:${f.span.start.line}`));
  const candidates: string[] = [];
  for (const f of checked.files) {
    if (!SOURCE.test(f.file) || f.status === "skipped") continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, f.file), "utf8");
    } catch {
      continue;
    }
    if (!/cohere/i.test(text)) continue;
    text.split("\n").forEach((line, i) => {
      if (CANDIDATE.test(line)) candidates.push(`${f.file}:${i + 1}`);
    });
  }
  const candidateSet = new Set(candidates);
  const unreported = candidates.filter((c) => !at.has(c));
  const offText = generate.filter((f) => !candidateSet.has(`${f.file}:${f.span.start.line}`));

  // migrate --verify on a copy, then check on the result.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "cm-precision-"));
  let migrated;
  let after;
  try {
    copyTree(root, copy);
    linkSdk(copy);
    migrated = await migrate({ cwd: copy, paths: ["."], verify: true, force: true, updateDeps: false });
    after = await check({ cwd: copy, paths: ["."] });
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  const changed = migrated.files.filter((f) => f.status === "changed");
  const verified = changed.filter((f) => f.verify?.verified);
  const breaking = verified.filter((f) => f.verify?.verified && f.verify.added.length);
  const untilMarker = verified.flatMap((f) => (f.verify?.verified ? (f.verify.untilMarker ?? []).map((e) => `${f.file}:${e.line}:${e.column} ${e.message} (marker ${e.marker})`) : []));
  const fixableAfter = after.findings.filter((f) => f.fixable);
  const place = (f: Finding): string => `${f.file}:${f.span.start.line}:${f.span.start.column} ${f.rule}`;

  const figures = {
    dir: root,
    files: checked.files.length,
    findings: countBy(findings, (f) => f.rule),
    generateCalls: generate.map(place),
    textualCandidates: candidates.length,
    candidatesUnreported: unreported,
    findingsOffTextualCandidates: offText.map(place),
    migrate: {
      changed: changed.map((f) => f.file),
      migrated: migrated.totals.migrated,
      typeChecked: verified.length,
      notVerified: changed.filter((f) => f.verify && !f.verify.verified).map((f) => `${f.file} (${f.verify && !f.verify.verified ? f.verify.reason : ""})`),
      breaking: breaking.flatMap((f) => (f.verify?.verified ? f.verify.added.map((e) => `${f.file}:${e.line}:${e.column} ${e.message}`) : [])),
      untilMarker,
    },
    after: { fixable: fixableAfter.map(place), left: countBy(after.findings, (f) => f.rule) },
    seconds: (Date.now() - started) / 1000,
  };
  if (json) {
    console.log(JSON.stringify(figures, null, 2));
    return;
  }
  const list = (title: string, items: readonly string[]): void => {
    console.log(`${title} (${items.length})${items.length ? ":" : ""}`);
    for (const i of items) console.log(`  ${i}`);
  };
  console.log(`precision run on ${root}: ${figures.files} files, ${figures.seconds.toFixed(1)} s`);
  console.log(`check findings by rule: ${figures.findings.map(([r, n]) => `${r} ${n}`).join(", ") || "none"}`);
  list("Generate uses reported", figures.generateCalls);
  console.log(`textual candidates (lines with .generate( or a Generate URL in files mentioning Cohere): ${candidates.length}`);
  list("candidates check did not report (possible misses: judge each)", unreported);
  list("Generate findings on no candidate line (possible false positives: judge each)", figures.findingsOffTextualCandidates);
  console.log(`migrate on a copy: ${figures.migrate.migrated} calls migrated, ${changed.length} files changed, ${verified.length} type-checked with the repository's tsconfig.json`);
  list("type errors migrate adds", figures.migrate.breaking);
  list("will not compile until the marker is resolved", untilMarker);
  list("not verified", figures.migrate.notVerified);
  list("check after migrate: still fixable (must be 0)", figures.after.fixable);
  console.log(`check after migrate: ${figures.after.left.map(([r, n]) => `${r} ${n}`).join(", ") || "nothing left"}`);
  if (fixableAfter.length || breaking.length) process.exitCode = 1;
}

void main();
