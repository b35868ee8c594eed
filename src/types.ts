/**
 * The data the library returns. Only `src/cli.ts` turns it into text, and only `bin/` into an exit
 * code, so every command's outcome can be tested as a value.
 */

/** A 1-based line and column, as editors and CI annotations count them. */
export interface Location {
  line: number;
  column: number;
}

export interface Span {
  start: Location;
  end: Location;
}

/** What kind of legacy usage a detected site is; each kind is one `check` rule. */
export type SiteKind =
  | "generate" // client.generate({...}) on cohere-ai 7/8
  | "generate-stream" // client.generateStream({...}) on cohere-ai 7/8
  | "v6-generate" // cohere.generate({...}) on the cohere-ai 6 default export
  | "v6-module" // any other call on the v6 module (cohere.init(key), cohere.embed(...)): counted only in a package whose v6 Generate calls move it to cohere-ai 8
  | "rest-generate" // fetch/axios POST to the Generate endpoint
  | "indirect-generate" // client.generate.bind(client), const gen = client.generate
  | "generate-type" // Cohere.Generation, Cohere.GenerateRequest, ... (TypeScript types of the Generate API)
  | "generate-url"; // a Generate endpoint URL literal outside any request migrate rewrites

/** Which client surface a call goes through; decides `client.v2.chat` vs `client.chat`. */
export type ClientKind = "v1" | "v2" | "v6" | "rest";

/** A legacy call found by detection. Offsets index the file text without its BOM. */
export interface CallSite {
  kind: SiteKind;
  client: ClientKind;
  /** "certain": the receiver is a Cohere client; "possible": unknown receiver in a file importing cohere-ai. */
  certainty: "certain" | "possible";
  start: number;
  end: number;
  span: Span;
  /** The source of the callee, for messages (`this.client.generate`). */
  callee: string;
  /** The source of the receiver (`this.client`), when the callee is a member. */
  receiver?: string;
  /** For calls with a request: whether migrate can see and rewrite it (else it leaves a marker). */
  requestVisible?: boolean;
  /**
   * generate-type: whether migrate renames the type where it stands (a response or generation type
   * outside a heritage clause); request types, stream events and shapes Chat lacks it marks.
   */
  typeRenamed?: boolean;
  /**
   * The request's spreads as the type checker sees them (by the spread expression's start offset):
   * which properties their type always sets and which it may set, or that the type is unknown (any,
   * unresolved, an index signature). Migrate decides from it what it may add before a spread.
   */
  requestSpreads?: SpreadType[];
  /** The request's `model` written as an expression whose value the checker knows (`model: MODEL`). */
  requestModel?: { start: number; value: string };
  /**
   * Set by cohere-v6-to-v8 on a reference to the v6 module's generate once that module became a
   * CohereClientV2 in this run: the reference is now a v2 client's, whose calls still read v6's
   * `{ statusCode, body }` envelope.
   */
  via?: "v6";
  /** Set on sites found in Python code (`.py`, notebook cells). */
  language?: "python";
  /** Python: the client is an AsyncClient / AsyncClientV2 (its calls are awaited). */
  async?: boolean;
}

export type SpreadType = { start: number; required: string[]; optional: string[] } | { start: number; unknown: true };

export type Severity = "error" | "warning";

/** One line of `check` output, and one result in SARIF/JSON/GitHub formats. */
export interface Finding {
  file: string;
  span: Span;
  /** Rule id: a site kind, `possible-legacy-call`, `marker/<code>` or `parse-error`. */
  rule: string;
  severity: Severity;
  message: string;
  /** True when `migrate` rewrites this finding without help. */
  fixable: boolean;
  /**
   * A hash of the rule and the finding's source text (whitespace collapsed): the same while the code
   * around it is edited, so baselines and SARIF's partialFingerprints can follow it.
   */
  fingerprint?: string;
}

/** Something migrate chose on the user's behalf, shown in the summary and the report. */
export interface Note {
  kind: NoteKind;
  span: Span;
  message: string;
}

export type NoteKind =
  | "model-defaulted"
  | "model-kept"
  | "temperature-pinned"
  | "truncate-removed"
  | "dependency-updated"
  | "info";

/** A marker comment left in the code for a person to finish. */
export interface MarkerRecord {
  code: string;
  message: string;
  span: Span;
}

export interface ParseFailure {
  /** "io": the file could not be read or written (or changed on disk meanwhile); absent: a syntax error. */
  kind?: "io";
  message: string;
  line: number;
  column: number;
  /** The offending source line, for the error message. */
  sourceLine: string;
}

export type FileStatus = "changed" | "unchanged" | "skipped" | "failed";

export interface FileResult {
  /** Path relative to the working directory, with forward slashes. */
  file: string;
  status: FileStatus;
  /** Why a file was skipped (binary, too large, minified, symbolic link, ...). */
  reason?: string;
  /** Parse error, write race, unreadable file. */
  error?: ParseFailure;
  /** Legacy calls migrated in this file. */
  migrated: number;
  /** Markers this run inserted. */
  markersAdded: MarkerRecord[];
  notes: Note[];
  /** Findings left after the run: unfinished markers, calls that could not be rewritten. */
  findings: Finding[];
  /** --verify: the type errors this file's migration adds (or why it was not verified). */
  verify?: import("./verify").VerifyOutcome;
  /** A file this run created (the Python helper module): `before` is empty. */
  created?: boolean;
  /** The package's helper module (created or extended), not a migrated file. */
  helperModule?: boolean;
  /** Texts before and after, kept only for changed files (diffs and reports need them). */
  before?: string;
  after?: string;
}

export interface DependencyUpdate {
  file: string;
  name: string;
  /** The package.json field the entry is in (`peerDependencies`); Python manifests have none. */
  field?: string;
  from: string;
  to: string;
  applied: boolean;
  /**
   * What the manifest edit does not finish by itself: a lock file beside it that still holds the old
   * release (`poetry.lock: run poetry lock`), or `--hash` options of the old release's files.
   */
  note?: string;
  /** The manifest's text before and after the edit: a --dry diff shows it with the files' own. */
  before?: string;
  after?: string;
}

export interface RunTotals {
  files: number;
  changed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  migrated: number;
  markers: number;
  findings: number;
  suppressed: number;
}

export interface MigrateResult {
  command: "migrate";
  dryRun: boolean;
  cwd: string;
  model: string;
  files: FileResult[];
  dependencyUpdates: DependencyUpdate[];
  /** Set when migrate wrote outside a git work tree: nothing guards the change there. */
  unguarded: boolean;
  /** The paths (as given, from the working directory) that are in no git work tree. */
  unguardedPaths?: string[];
  /** --verify: files type-checked, files whose migration adds errors, and whether writing was held back. */
  verify?: { checked: number; breaking: number; blocked: boolean };
  totals: RunTotals;
}

export interface CheckResult {
  command: "check";
  cwd: string;
  files: FileResult[];
  findings: Finding[];
  totals: RunTotals;
  /** Set when a baseline was applied: `findings` then holds only the findings it does not cover. */
  baseline?: import("./baseline").BaselineOutcome;
}
