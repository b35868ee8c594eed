/**
 * The tables and types the response follower walks: SPEC.md's response table (what each read of a
 * response or a generation becomes), and the envelopes a call may resolve with around it.
 */
import type { namedTypes as N } from "ast-types";
import type { MarkerCode } from "../../src/markers";
import type { FieldCase } from "./request";
import { table } from "../../src/tables";

export type Mode = "single" | "list";

/** Which value a path holds: the envelope a call resolves with (see Envelope), or the response. */
export type Level = "envelope" | "response";

/**
 * What a call resolves with around the Generate response, when that is not the response itself:
 * cohere-ai v6's `{ statusCode, body }`, an axios response (`data`), a fetch Response (`json()`).
 */
export interface Envelope {
  /** The field holding the response (`body`, `data`), or the method whose Promise resolves to it (`json`). */
  via: { field: string } | { method: string };
  /** True when the migrated call resolves with the response itself (v6): reads of the field are dropped. */
  removed: boolean;
  /** Envelope fields that keep their meaning after migration (axios `status`, fetch `ok`): left as they are. */
  keep: readonly string[];
  /** Envelope fields a migrated call no longer has: each read becomes `value`, with a marker (v6 `statusCode`). */
  gone?: Readonly<Record<string, { value: number; marker: MarkerCode; detail?: string }>>;
  /**
   * Fields only an error response had (v6 `body.message`), read where the code handled a failed
   * status: each read becomes `undefined`, under the marker of the first `gone` field.
   */
  errorFields?: readonly string[];
  /**
   * Envelope members that read the raw body (fetch `text()`), which stay as they are where the code
   * handles a failed request (`if (!res.ok) { ... await res.text() ... }`): the text of an error,
   * whichever API sent it. Anywhere else they read the success body, whose shape changed: marked.
   */
  keepOnFailure?: readonly string[];
  /** Wraps the expression that reads one response out of one envelope (client-side trimming); `promise` when it is `json()`. */
  unwrap?: (read: N.Node, promise: boolean) => N.Node;
  /**
   * With `unwrap`: wraps the Promise of the envelope so that its `via.field` is already trimmed
   * (`axios.post(...).then((res) => ({ ...res, data: cutAtSequences(res.data, ...) }))`), for a
   * pattern that takes the field apart (`const { data } = await ...`), which has no read to wrap.
   */
  unwrapPromise?: (promise: N.Node) => N.Node;
}

export interface ResponseOptions {
  /** How Chat fields are written: camelCase for the SDKs (the default), snake_case for REST JSON. */
  fieldCase?: FieldCase;
  envelope?: Envelope;
  /**
   * The response is untyped JSON (REST): annotations and casts that gave it the user's own
   * Generate shape are dropped where the value is followed, since that shape no longer fits.
   */
  untyped?: boolean;
}

/** Chat field names this module writes, in REST's snake_case. */
export const SNAKE_CHAT_FIELDS: Readonly<Record<string, string>> = table({ finishReason: "finish_reason" });

/** Usage fields of the API's JSON (read by v6 code) and their cohere-ai 8 names. */
export const CAMEL_USAGE_FIELDS: Readonly<Record<string, string>> = table({
  billed_units: "billedUnits",
  cached_tokens: "cachedTokens",
  input_tokens: "inputTokens",
  output_tokens: "outputTokens",
  search_units: "searchUnits",
});

/** Envelope reads on the n envelopes of numGenerations, and the array method that combines them. */
export const LIST_ENVELOPE_READS: Readonly<Record<string, "every">> = table({ ok: "every" });

/** SPEC.md "Response": what each read of a generation becomes. */
export const GENERATION_FIELDS: Readonly<Record<string, "text" | "finishReason" | "id" | "likelihoods" | "index">> = table({
  text: "text",
  finish_reason: "finishReason",
  finishReason: "finishReason",
  id: "id",
  likelihood: "likelihoods",
  tokenLikelihoods: "likelihoods",
  token_likelihoods: "likelihoods",
  index: "index",
});

/** What each read of the response object becomes. */
export const RESPONSE_FIELDS: Readonly<Record<string, "generations" | "id" | "meta" | "prompt">> = table({
  generations: "generations",
  id: "id",
  meta: "meta",
  prompt: "prompt",
});

/** `meta` children that exist on Chat's `usage`. */
export const USAGE_FIELDS: ReadonlySet<string> = new Set(["billedUnits", "billed_units", "tokens", "cachedTokens", "cached_tokens"]);

/** Array methods whose callback receives one element. */
export const ELEMENT_CALLBACKS = new Set(["map", "forEach", "filter", "find", "findLast", "some", "every", "flatMap"]);

/** Generate response type names and their Chat v2 counterparts. */
export const RESPONSE_TYPES: Readonly<Record<string, string>> = table({
  Generation: "V2ChatResponse",
  SingleGeneration: "V2ChatResponse",
});
