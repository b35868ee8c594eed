/** The Generate types of cohere-ai, in a module of their own: the syntax settle reads them without the compiler. */
import { cohereSubpath } from "./specifier";

/**
 * The Generate API types of cohere-ai, as paths under its `Cohere` namespace. Mirrors the table in
 * transforms/generate-types-to-chat.ts (a test holds the two together); types that only describe a
 * request field (`GenerateRequestTruncate`, ...) are not listed: they still exist and mean nothing
 * after the field is gone.
 */
export const LEGACY_TYPE_PATHS: ReadonlySet<string> = new Set([
  "GenerateRequest",
  "GenerateStreamRequest",
  "Generation",
  "SingleGeneration",
  "GenerateStreamedResponse",
  "GenerateStreamedResponse.TextGeneration",
  "GenerateStreamedResponse.StreamEnd",
  "GenerateStreamedResponse.StreamError",
  "GenerateStreamText",
  "GenerateStreamEnd",
  "GenerateStreamError",
  "GenerateStreamEndResponse",
  "SingleGenerationInStream",
  "SingleGenerationTokenLikelihoodsItem",
]);

/**
 * The paths migrate renames where they stand (transforms/generate-types-to-chat.ts: the response
 * and its generations, whose reads follow). The others it converts only in narrow cases and marks
 * elsewhere, so check does not call them fixable.
 */
export const RENAMED_TYPE_PATHS: ReadonlySet<string> = new Set(["Generation", "SingleGeneration"]);

/** The last name of each path: `Generation`, `TextGeneration`, ... */
export const LEAF_NAMES: ReadonlySet<string> = new Set([...LEGACY_TYPE_PATHS].map((p) => p.slice(p.lastIndexOf(".") + 1)));

/** What the first name of a type refers to: an import from a cohere-ai specifier. */
export interface Origin {
  spec: string;
  /** The imported name, or "*" for a namespace import / `require`. */
  imported: string;
}

/** The path under `Cohere` that a type names, from its first name's import and the names after it. */
export function apiPath(origin: Origin, rest: readonly string[]): string | undefined {
  // The package's root module, under any name it is imported by (`npm:cohere-ai@7`, an npm alias).
  const root = cohereSubpath(origin.spec) === "";
  if (origin.imported === "*") {
    // The root module holds the API types under its `Cohere` export; deep modules hold them directly.
    if (root) return rest[0] === "Cohere" ? rest.slice(1).join(".") : undefined;
    return rest.join(".");
  }
  if (root && origin.imported === "Cohere") return rest.join(".");
  return [origin.imported, ...rest].join(".");
}
