/**
 * Typed errors: the library throws these, and `bin/` maps them to exit codes in one place.
 */
export class CohereMigrateError extends Error {
  /** Exit code for the CLI. */
  readonly exitCode: number = 1;
}

/** Bad usage: unknown flag or format, a path that does not exist, no files matched. Exit 2. */
export class UsageError extends CohereMigrateError {
  override readonly exitCode = 2;
  override readonly name = "UsageError";
}

/** migrate refused to write into a git work tree with uncommitted changes. Exit 1. */
export class DirtyWorkTreeError extends CohereMigrateError {
  override readonly exitCode = 1;
  override readonly name = "DirtyWorkTreeError";
  constructor(
    readonly root: string,
    readonly dirty: string[],
    /** Other work trees of the run that are dirty too. */
    readonly others: string[] = [],
  ) {
    super(
      `refusing to migrate: the git work tree at ${root} has uncommitted changes (${dirty.slice(0, 5).join(", ")}${
        dirty.length > 5 ? `, and ${dirty.length - 5} more` : ""
      })${others.length ? `, and so ${others.length === 1 ? "does" : "do"} ${others.join(", ")}` : ""}. Commit or stash them so the migration can be reviewed and undone, or pass --force.`,
    );
  }
}
