/**
 * The transform registry is the single list the CLI and docs are derived from: every registered
 * transform lives in transforms/<name>.ts, runs under jscodeshift on its own, and has fixtures;
 * every transform file is registered.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TRANSFORMS } from "../transforms";
import { MARKERS } from "../src/markers";
import { fixtureCases } from "./support/fixtures";

const ROOT = path.join(__dirname, "..");

test.each(TRANSFORMS.map((t) => [t.name, t] as const))("%s is a file with a jscodeshift entry and fixtures", async (name, t) => {
  const file = path.join(ROOT, "transforms", `${name}.ts`);
  expect(fs.existsSync(file)).toBe(true);
  const mod = (await import(file)) as { default?: unknown };
  expect(typeof mod.default).toBe("function");
  expect(t.description.length).toBeGreaterThan(20);
  expect(fixtureCases(name).cases.length).toBeGreaterThan(0);
});

test("every transform file is registered", () => {
  const files = fs
    .readdirSync(path.join(ROOT, "transforms"))
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .map((f) => f.replace(/\.ts$/, ""));
  expect(files.sort()).toEqual(TRANSFORMS.map((t) => t.name).sort());
});

test("transform names are unique", () => {
  expect(new Set(TRANSFORMS.map((t) => t.name)).size).toBe(TRANSFORMS.length);
});

test("the README's Transforms table lists every registered transform", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Transforms"), readme.indexOf("\n## ", readme.indexOf("## Transforms") + 1));
  for (const t of TRANSFORMS) expect({ transform: t.name, listed: section.includes(`| \`${t.name}\` |`) }).toEqual({ transform: t.name, listed: true });
});

test("the README names every marker code", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  for (const code of Object.keys(MARKERS)) expect({ code, named: readme.includes(`\`${code}\``) }).toEqual({ code, named: true });
});
