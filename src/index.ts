/** The library: every command returns data; `src/cli.ts` prints it. */
export { check, type CheckOptions } from "./check";
export { migrate, type MigrateOptions } from "./migrate";
export { CohereMigrateError, DirtyWorkTreeError, UsageError } from "./errors";
export { MARKERS, type MarkerCode } from "./markers";
export { allRules, type Rule } from "./rules";
export { TRANSFORMS } from "../transforms";
export * from "./types";
