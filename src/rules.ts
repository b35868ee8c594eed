/**
 * The rules `check` reports, one per finding kind, with the help text SARIF and the report show.
 */
import { MARKERS } from "./markers";
import type { CallSite, SiteKind } from "./types";
import { own } from "./tables";

export interface Rule {
  id: string;
  title: string;
  help: string;
  severity: "error" | "warning";
}

const SITE_RULES: Readonly<Record<SiteKind, Omit<Rule, "id">>> = {
  generate: {
    title: "Legacy Generate call",
    help: "The Generate API is legacy and its default model is retired. `cohere-migrate` rewrites the call to Chat v2 (`client.v2.chat` on a CohereClient, `client.chat` on a CohereClientV2) with `messages`, and its response reads.",
    severity: "error",
  },
  "generate-stream": {
    title: "Legacy Generate stream",
    help: "`generateStream` becomes `chatStream`; the event loop is rewritten from text-generation/stream-end to content-delta/message-end.",
    severity: "error",
  },
  "v6-generate": {
    title: "cohere-ai v6 Generate call",
    help: "The cohere-ai v6 module API (`cohere.init`, `cohere.generate`) becomes a CohereClientV2 from cohere-ai 8 calling `chat`.",
    severity: "error",
  },
  "v6-module": {
    title: "cohere-ai v6 module call",
    help: "`cohere.init(key)`, `cohere.embed(...)` and the other calls of the v6 module API do not exist in cohere-ai 8, which migrating this package's v6 Generate calls moves it to. migrate passes the key of `init(key)` as `token` to the clients the file creates, or, in a file that creates none, turns it into `process.env.CO_API_KEY = key` (cohere-ai 8 clients read that variable on each request), and marks the other calls. Reported only in a package that has v6 Generate calls.",
    severity: "error",
  },
  "rest-generate": {
    title: "Request to the Generate REST endpoint",
    help: "A POST to /v1/generate becomes a POST to https://api.cohere.com/v2/chat with a Chat v2 body.",
    severity: "error",
  },
  "indirect-generate": {
    title: "Reference to a Generate method",
    help: "`client.generate` is bound, aliased or passed on; migrate rewrites the call when the request is visible and leaves a marker otherwise.",
    severity: "error",
  },
  "generate-url": {
    title: "Generate endpoint URL",
    help: "A URL of Cohere's legacy Generate endpoint, outside any request migrate rewrites (a constant passed to the project's own HTTP wrapper, a config object built elsewhere). Requests to it must go to https://api.cohere.com/v2/chat with a Chat v2 body (model, messages) and read message.content; change the code that sends it, then the URL.",
    severity: "error",
  },
  "generate-type": {
    title: "Generate API type",
    help: "A type from cohere-ai that names a Generate shape (`Cohere.Generation`, `Cohere.GenerateRequest`, `Cohere.GenerateStreamedResponse`, ...). migrate renames it to its Chat v2 counterpart and rewrites the reads of values so typed; where it cannot, it leaves a marker.",
    severity: "error",
  },
};

export const POSSIBLE_RULE: Rule = {
  id: "possible-legacy-call",
  title: "Possible legacy Generate call",
  help: "A `.generate()` call in a file that imports cohere-ai, on a receiver that could not be identified. Check it; add `// cohere-migrate-ignore` on the line before if it is not a Cohere call.",
  severity: "warning",
};

export const SKIPPED_RULE: Rule = {
  id: "skipped-file",
  title: "Skipped file that may hold a Generate call",
  help: "A file too large to parse (over 1 MiB) or minified was not checked, but it names Cohere (`cohere-ai`, a Cohere host, `import cohere`) and calls `generate`: a legacy call in it would otherwise pass unseen. Check it by hand, then leave it out with `--ignore <glob>` (or `.gitignore`) if it is generated or vendored code.",
  severity: "warning",
};

export const PARSE_RULE: Rule = {
  id: "parse-error",
  title: "File could not be parsed or read",
  help: "The file has a syntax error, or could not be read (or written, or it changed on disk while migrate ran); it was left untouched. Fix the cause and run again.",
  severity: "error",
};

export function siteRuleOf(kind: SiteKind): Rule {
  return { id: kind, ...SITE_RULES[kind] };
}

export function siteRule(site: CallSite): Rule {
  if (site.certainty === "possible") return POSSIBLE_RULE;
  return { id: site.kind, ...SITE_RULES[site.kind] };
}

export function markerRule(code: string): Rule {
  const kind: { title: string; help: string } | undefined = own(MARKERS, code);
  return {
    id: `marker/${code}`,
    title: kind ? `Unfinished migration: ${kind.title}` : `Unfinished migration: ${code}`,
    help: kind?.help ?? "A cohere-migrate marker left for a person to finish.",
    severity: "error",
  };
}

/** Every rule that can appear, for SARIF's rule table and the docs. */
export function allRules(): Rule[] {
  return [
    ...Object.entries(SITE_RULES).map(([id, r]) => ({ id, ...r })),
    POSSIBLE_RULE,
    SKIPPED_RULE,
    ...Object.keys(MARKERS).map(markerRule),
    PARSE_RULE,
  ];
}
