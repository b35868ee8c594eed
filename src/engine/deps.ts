/**
 * package.json: migrated code needs cohere-ai 7.12+ (client.v2) or 8 (for code coming from v6).
 * The nearest package.json that depends on cohere-ai gets its range raised, keeping its formatting.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Semver from "semver";
import type { DependencyUpdate } from "../types";

const DEP_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;
/**
 * Fields whose cohere-ai range is raised: the dependency fields, and what pins the version
 * installed whatever they say (npm `overrides`, yarn `resolutions`, `pnpm.overrides`): left
 * behind, they install a release without client.v2, or (npm) make the raised range conflict.
 */
const RAISED_FIELDS = [...DEP_FIELDS, "overrides", "resolutions", "pnpm.overrides"] as const;

export interface DependencyNeed {
  /** Smallest version the migrated code needs. */
  minimum: string;
  /** Range to write when the current one is too old. */
  range: string;
}

/** cohere-ai 7.12 added client.v2; 7.x below it is raised within 7, v6 moves to 8. */
export const NEEDS_V2_CLIENT: DependencyNeed = { minimum: "7.12.0", range: "^7.15.0" };
export const NEEDS_V8: DependencyNeed = { minimum: "8.1.0", range: "^8.1.0" };

/** `npm:cohere-ai@<range>`: cohere-ai installed under another name (`"cohere": "npm:cohere-ai@7"`). */
const ALIAS = /^npm:cohere-ai@(.*)$/;

type Manifest = Record<string, Record<string, string> | undefined>;

/** The dependency entry that installs cohere-ai: its key, and its range without an alias prefix. */
function cohereEntry(json: Manifest, field: (typeof RAISED_FIELDS)[number]): { key: string; range: string; prefix: string } | undefined {
  const deps = field === "pnpm.overrides" ? (json.pnpm as unknown as Manifest | undefined)?.overrides : json[field];
  if (!deps || typeof deps !== "object") return undefined;
  if (Object.prototype.hasOwnProperty.call(deps, "cohere-ai") && typeof deps["cohere-ai"] === "string") {
    const value = deps["cohere-ai"];
    const alias = ALIAS.exec(value);
    return alias ? { key: "cohere-ai", range: alias[1], prefix: "npm:cohere-ai@" } : { key: "cohere-ai", range: value, prefix: "" };
  }
  for (const [key, value] of Object.entries(deps)) {
    const alias = typeof value === "string" ? ALIAS.exec(value) : null;
    if (alias) return { key, range: alias[1], prefix: "npm:cohere-ai@" };
  }
  return undefined;
}

/** Whether a package.json installs cohere-ai (under its own name or another). */
export function declaresCohere(json: Manifest): boolean {
  return DEP_FIELDS.some((f) => cohereEntry(json, f) !== undefined);
}

/** The names of every package a package.json depends on, in any dependency field. */
export function dependencyNames(json: Manifest): string[] {
  return DEP_FIELDS.flatMap((f) => {
    const deps = json[f];
    return deps && typeof deps === "object" ? Object.keys(deps) : [];
  });
}

/** Names under which a package.json installs cohere-ai other than its own (`"cohere": "npm:cohere-ai@7"`). */
export function cohereAliasesIn(json: Manifest): string[] {
  const out = new Set<string>();
  for (const field of DEP_FIELDS) {
    const deps = json[field];
    if (!deps || typeof deps !== "object") continue;
    for (const [key, value] of Object.entries(deps)) if (key !== "cohere-ai" && typeof value === "string" && ALIAS.test(value)) out.add(key);
  }
  return [...out];
}

export function nearestPackageJson(file: string, stopAt: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        const json = JSON.parse(fs.readFileSync(candidate, "utf8")) as Record<string, Record<string, string> | undefined>;
        if (DEP_FIELDS.some((f) => cohereEntry(json, f))) return candidate;
      } catch {
        return undefined;
      }
    }
    if (dir === stopAt || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The updates a package.json needs for `need`: one per dependency field whose cohere-ai range
 * does not allow it yet (a library's `peerDependencies` beside its `devDependencies`: a consumer
 * on an older release would get a client without `v2`). A tag, URL or workspace range is the
 * user's business: that entry is left.
 */
export function plannedUpdates(pkgFile: string, need: DependencyNeed): Array<Omit<DependencyUpdate, "file" | "applied">> {
  // Loaded here, not with the module: check reads aliases from this module and never needs it.
  // Only the four functions, not the package's index (which loads every one of its modules).
  const semver = {
    validRange: require("semver/ranges/valid") as typeof Semver.validRange,
    minVersion: require("semver/ranges/min-version") as typeof Semver.minVersion,
    gte: require("semver/functions/gte") as typeof Semver.gte,
    major: require("semver/functions/major") as typeof Semver.major,
  };
  const json = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as Manifest;
  const out: Array<Omit<DependencyUpdate, "file" | "applied">> = [];
  for (const field of RAISED_FIELDS) {
    const entry = cohereEntry(json, field);
    if (!entry) continue;
    const { range: from, prefix, key } = entry;
    const min = semver.validRange(from) ? semver.minVersion(from) : null;
    if (!min || semver.gte(min, need.minimum)) continue;
    // 6.x has no CohereClient at all: whatever the need, it moves to 8.
    const to = semver.major(min) < 7 ? NEEDS_V8.range : raisedRange(from, need, semver);
    // An alias keeps its name and its `npm:cohere-ai@` prefix; only the range moves.
    const update = { name: key, from: prefix + from, to: prefix + to, field };
    // Two fields with the same range are one edit (updatedManifest changes every such entry).
    if (!out.some((u) => u.name === update.name && u.from === update.from)) out.push(update);
  }
  return out;
}

/**
 * `from` with only its parts below the need raised, so that no version it allowed above them is
 * forbidden: `^7.0.0 || ^8.0.0` → `^7.15.0 || ^8.0.0`, `>=7.0.0` → `>=7.15.0`, `>=7.0.0 <9` →
 * `>=7.15.0 <9`; any other part becomes the need's range.
 */
function raisedRange(from: string, need: DependencyNeed, semver: { validRange: typeof Semver.validRange; minVersion: typeof Semver.minVersion; gte: typeof Semver.gte }): string {
  const version = need.range.replace(/^[\^~]/, "");
  const parts = from.split("||").map((part) => part.trim());
  const raised = parts.map((part) => {
    const min = semver.validRange(part) ? semver.minVersion(part) : null;
    if (min && semver.gte(min, need.minimum)) return part;
    if (/^>=?\s*v?\d+(\.\d+){0,2}(\s+<=?\s*v?\d+(\.\d+){0,2})?$/.test(part)) {
      // `>=7.0.0 <7.12.0`: an upper bound below the need leaves no release at all; the need's range then.
      const raised = part.replace(/^>=?\s*v?\d+(\.\d+){0,2}/, `>=${version}`);
      return semver.validRange(raised) && semver.minVersion(raised) ? raised : need.range;
    }
    return need.range;
  });
  return [...new Set(raised)].join(" || ");
}

/** Rewrites the version string in place, so the file's layout and key order stay as they were. */
export function applyUpdate(pkgFile: string, from: string, to: string, name = "cohere-ai"): void {
  const text = fs.readFileSync(pkgFile, "utf8");
  const next = updatedManifest(text, from, to, name);
  if (next !== text) fs.writeFileSync(pkgFile, next);
}

/** A package.json's text with the dependency's version string changed in place (in every field that holds it). */
export function updatedManifest(text: string, from: string, to: string, name = "cohere-ai"): string {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`(${escape(JSON.stringify(name))}\\s*:\\s*")${escape(from)}(")`, "g"), `$1${to}$2`);
}
