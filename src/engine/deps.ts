/**
 * package.json: migrated code needs cohere-ai 7.12+ (client.v2) or 8 (for code coming from v6).
 * The nearest package.json that depends on cohere-ai gets its range raised, keeping its formatting.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import semver from "semver";
import type { DependencyUpdate } from "../types";

const DEP_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

export interface DependencyNeed {
  /** Smallest version the migrated code needs. */
  minimum: string;
  /** Range to write when the current one is too old. */
  range: string;
}

/** cohere-ai 7.12 added client.v2; 7.x below it is raised within 7, v6 moves to 8. */
export const NEEDS_V2_CLIENT: DependencyNeed = { minimum: "7.12.0", range: "^7.15.0" };
export const NEEDS_V8: DependencyNeed = { minimum: "8.1.0", range: "^8.1.0" };

export function nearestPackageJson(file: string, stopAt: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        const json = JSON.parse(fs.readFileSync(candidate, "utf8")) as Record<string, Record<string, string> | undefined>;
        if (DEP_FIELDS.some((f) => json[f]?.["cohere-ai"])) return candidate;
      } catch {
        return undefined;
      }
    }
    if (dir === stopAt || path.dirname(dir) === dir) return undefined;
  }
}

/** The update a package.json needs for `need`, or undefined when its range already allows it. */
export function plannedUpdate(pkgFile: string, need: DependencyNeed): Omit<DependencyUpdate, "file" | "applied"> | undefined {
  const json = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as Record<string, Record<string, string> | undefined>;
  for (const field of DEP_FIELDS) {
    const from = json[field]?.["cohere-ai"];
    if (!from) continue;
    const min = semver.validRange(from) ? semver.minVersion(from) : null;
    // A tag, URL or workspace range is the user's business: leave it.
    if (!min) return undefined;
    if (semver.gte(min, need.minimum)) return undefined;
    // 6.x has no CohereClient at all: whatever the need, it moves to 8.
    const to = semver.major(min) < 7 ? NEEDS_V8.range : need.range;
    return { name: "cohere-ai", from, to };
  }
  return undefined;
}

/** Rewrites the version string in place, so the file's layout and key order stay as they were. */
export function applyUpdate(pkgFile: string, from: string, to: string): void {
  const text = fs.readFileSync(pkgFile, "utf8");
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const next = text.replace(new RegExp(`("cohere-ai"\\s*:\\s*")${escaped}(")`), `$1${to}$2`);
  if (next !== text) fs.writeFileSync(pkgFile, next);
}
