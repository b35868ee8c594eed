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
  const locks = LOCKS.get(path.basename(manifest));
  if (!locks) return undefined;
  const stop = path.resolve(stopDir);
  for (let dir = path.dirname(path.resolve(manifest)); ; dir = path.dirname(dir)) {
    for (const [name, command] of locks) {
      if (isFile(path.join(dir, name))) {
        const shown = path.relative(path.dirname(path.resolve(manifest)), path.join(dir, name)).split(path.sep).join("/");
        return `${shown} still locks the old release: run ${command}`;
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

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
