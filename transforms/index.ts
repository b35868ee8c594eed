/**
 * The registry: every migration the tool performs, in the order it runs on a file. The CLI's
 * `--help`, the README table and a meta-test are derived from this list.
 */
import type { Transform } from "../src/transform/kit";
import { generateToChat } from "./generate-to-chat";
import { generateStreamToChatStream } from "./generate-stream-to-chat-stream";
import { cohereV6ToV8 } from "./cohere-v6-to-v8";
import { restGenerateToChat } from "./rest-generate-to-chat";
import { indirectGenerateToChat } from "./indirect-generate-to-chat";
import { generateTypesToChat } from "./generate-types-to-chat";
import { generateCallersToChat } from "./generate-callers-to-chat";

// generate-types-to-chat stays last: it renames only the Generate types the others did not retype.
// cohere-v6-to-v8 runs before indirect-generate-to-chat: once it replaces the v6 module with a
// CohereClientV2, the module's generate references are migrated in the same run.
// generate-callers-to-chat follows calls of other modules' migrated functions (the engine's second pass).
export const TRANSFORMS: readonly Transform[] = [generateToChat, generateStreamToChatStream, cohereV6ToV8, indirectGenerateToChat, restGenerateToChat, generateCallersToChat, generateTypesToChat];
