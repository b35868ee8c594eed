/** The Generate types of cohere-ai, in a module of their own: the syntax settle reads them without the compiler. */

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
