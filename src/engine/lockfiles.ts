/**
 * Lock files a raised dependency leaves behind: the manifest now admits the new SDK, but a lock file
 * that pins the old release keeps installing it (`npm ci`, `poetry install`, `pipenv sync` install
 * what the lock says), so the migrated code would run on an SDK without Chat v2. Migrate does not
 * rewrite lock files (their hashes and resolved trees are the package manager's to compute); it
 * names the lock and the command that refreshes it next to the dependency update.
 *
 * Which lock: the nearest one from the manifest's folder up to `stopDir` (a workspace's lock sits at
 * its root), among the locks of that manifest's package managers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readText } from "./read-text";

/** Lock file name → the command that brings it in line with its manifest, by manifest kind. */
const LOCKS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  [
    "package.json",
    new Map([
      ["package-lock.json", "npm install"],
      ["npm-shrinkwrap.json", "npm install"],
      ["yarn.lock", "yarn install"],
      ["pnpm-lock.yaml", "pnpm install"],
      ["bun.lock", "bun install"],
      ["bun.lockb", "bun install"],
    ]),
  ],
  [
    "pyproject.toml",
    new Map([
      ["poetry.lock", "poetry lock"],
      ["uv.lock", "uv lock"],
      ["pdm.lock", "pdm lock"],
    ]),
  ],
  ["Pipfile", new Map([["Pipfile.lock", "pipenv lock"]])],
]);

/** `poetry.lock still holds the old release: run poetry lock`, or undefined when no lock applies. */
export function lockNote(manifest: string, stopDir: string): string | undefined {
  const found = lockOf(manifest, stopDir);
  return found && `${found.shown} still locks the old release: run ${found.command}`;
}

/**
 * For a manifest whose range already admits what migrated code needs (`cohere = "*"`): the lock
 * beside it when it pins `cohere` below `minimum` (Pipfile.lock `"==4.45"`, poetry.lock, uv.lock,
 * pdm.lock), which `pipenv sync` / `poetry install` would install all the same.
 */
export function staleLockNote(manifest: string, stopDir: string, minimum: string): string | undefined {
  const found = lockOf(manifest, stopDir);
  if (!found) return undefined;
  const text = readText(found.lock);
  if (text === undefined) return undefined;
  let version: string | undefined;
  if (path.basename(found.lock) === "Pipfile.lock") {
    try {
      const data = JSON.parse(text) as { default?: Record<string, { version?: string }> };
      version = data.default?.cohere?.version?.replace(/^==/, "");
    } catch {
      return undefined;
    }
  } else version = /\[\[package\]\]\s*\r?\nname\s*=\s*"cohere"\s*\r?\nversion\s*=\s*"([^"]+)"/.exec(text)?.[1];
  if (!version || !older(version, minimum)) return undefined;
  return `${found.shown} locks cohere ${version}, which has no Chat v2 (the migrated code needs ${minimum}): run ${found.command}`;
}

/** Whether dotted version `a` is below `b` (numeric parts; a pre-release suffix ignored). */
function older(a: string, b: string): boolean {
  const pa = a.split(".").map((x) => parseInt(x, 10) || 0);
  const pb = b.split(".").map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) < (pb[i] ?? 0);
  return false;
}

/** The lock file that governs a manifest, as shown from its folder, and the command that refreshes it. */
function lockOf(manifest: string, stopDir: string): { lock: string; shown: string; command: string } | undefined {
  const locks = LOCKS.get(path.basename(manifest));
  if (!locks) return undefined;
  const stop = path.resolve(stopDir);
  for (let dir = path.dirname(path.resolve(manifest)); ; dir = path.dirname(dir)) {
    for (const [name, command] of locks) {
      const lock = path.join(dir, name);
      // A lock above the manifest's folder is a workspace's only when it names that folder
      // (`"packages/app"` in package-lock.json, pnpm's importers, uv's editable sources): the
      // repository's own lock file does not lock a fixture or example project below it.
      if (isFile(lock) && (dir === path.dirname(path.resolve(manifest)) || namesFolder(lock, path.relative(dir, path.dirname(path.resolve(manifest)))))) {
        const shown = path.relative(path.dirname(path.resolve(manifest)), lock).split(path.sep).join("/");
        return { lock, shown, command };
      }
    }
    if (dir === stop || !isInside(dir, stop) || path.dirname(dir) === dir) return undefined;
  }
}

/** Two notes for one update, either of which may be absent. */
export function joinNotes(...notes: Array<string | undefined>): string | undefined {
  const present = notes.filter((n): n is string => !!n);
  return present.length ? present.join("; ") : undefined;
}

function isInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Whether the lock in a folder above covers `folder` (relative to it): the lock names the folder
 * (package-lock's `"packages/app"`, pnpm's importers, uv's editable sources), or the folder's
 * package.json `workspaces` / pnpm-workspace.yaml list it (yarn's lock names no workspace paths).
 */
function namesFolder(lock: string, folder: string): boolean {
  const rel = folder.split(path.sep).join("/");
  const root = path.dirname(lock);
  const text = (file: string): string => readText(file) ?? "";
  if (text(lock).includes(rel)) return true;
  const patterns: string[] = [];
  try {
    const pkg = JSON.parse(text(path.join(root, "package.json")) || "{}") as { workspaces?: string[] | { packages?: string[] } };
    const ws = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages;
    if (Array.isArray(ws)) patterns.push(...ws.filter((w): w is string => typeof w === "string"));
  } catch {
    // Not JSON: no workspaces there.
  }
  for (const m of text(path.join(root, "pnpm-workspace.yaml")).matchAll(/^\s*-\s*["']?([^"'\n#]+?)["']?\s*$/gm)) patterns.push(m[1]);
  return patterns.some((pattern) => globMatches(pattern.replace(/^\.\//, "").replace(/\/$/, ""), rel));
}

/** A workspace pattern's match: `*` is one path segment, `**` any number. */
function globMatches(pattern: string, rel: string): boolean {
  const re = pattern.split("/").map((part) => (part === "**" ? "(?:[^/]+/)*[^/]+" : part.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*"))).join("/");
  return new RegExp(`^${re}$`).test(rel);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
