/**
 * The classes a Cohere client is made from, by exported name. Apart from the resolver so that the
 * syntax settle (which runs without the compiler) can read it without loading ts-morph.
 */
import { table } from "../tables";

export const CLIENT_CLASSES: Readonly<Record<string, "v1" | "v2">> = table({
  CohereClient: "v1",
  CohereClientV2: "v2",
});
