/**
 * SPEC.md "Streaming" as data: each Generate stream event and the Chat v2 event it becomes, and
 * what each read of a Generate event becomes on the Chat event. `$E` stands for the event.
 */
import type { GenerateEvent } from "./narrow";
import { table } from "../../src/tables";

export type ChatEvent = "content-delta" | "message-end";

/** Extra condition that tells two Generate events apart when both became message-end. */
export type Guard = "error" | "no-error";

/** SPEC.md "Streaming": each Generate event type and the Chat v2 event it becomes. */
export const EVENT_TYPES: Readonly<Record<GenerateEvent, { chat: ChatEvent; guard?: Guard }>> = {
  "text-generation": { chat: "content-delta" },
  "stream-end": { chat: "message-end" },
  // Chat has no error event: a generation that fails ends with a message-end event carrying delta.error.
  "stream-error": { chat: "message-end", guard: "error" },
};

/** The guards, as a test (`is`) and as its negation (`isNot`); $E is the event. */
export const GUARDS: Readonly<Record<Guard, { is: string; isNot: string }>> = {
  error: { is: "$E.delta?.error !== undefined", isNot: "$E.delta?.error === undefined" },
  "no-error": { is: "$E.delta?.error === undefined", isNot: "$E.delta?.error !== undefined" },
};

/** The property that holds the event type, on each side. */
export const GENERATE_TYPE_FIELD = "eventType";

export interface FieldRule {
  /** The Chat read; $E is the event. */
  code: string;
  /** Chat's field is optional where Generate's was always a string: default it to "". */
  orEmpty?: boolean;
}

/** SPEC.md "Streaming": reads of a Generate event, by the event type the read is narrowed to. */
export const EVENT_FIELDS: Readonly<Record<string, Partial<Record<GenerateEvent, FieldRule>>>> = table({
  text: { "text-generation": { code: "$E.delta?.message?.content?.text", orEmpty: true } },
  finishReason: { "stream-end": { code: "$E.delta?.finishReason" }, "stream-error": { code: "$E.delta?.finishReason" } },
  err: { "stream-error": { code: "$E.delta?.error" } },
  // false on text events, true on the end (and error) event: the event that ends a Chat stream.
  isFinished: {
    "text-generation": { code: '$E.type === "message-end"' },
    "stream-end": { code: '$E.type === "message-end"' },
    "stream-error": { code: '$E.type === "message-end"' },
  },
});

/**
 * Reads of the stream-end event's `response` (Generate's full response). Chat's message-end event
 * carries none: the full text is collected from the content-delta events instead.
 */
export const END_RESPONSE_READS: Readonly<Record<string, "full-text" | FieldRule>> = table({
  "generations.0.text": "full-text",
  "generations.0.finishReason": { code: "$E.delta?.finishReason" },
});

export const EVENT_HELP =
  '(a Chat v2 stream event now: type "content-delta" carries delta.message.content.text, "message-end" carries delta.finishReason)';

/** A snippet of this table for the event named `name`. */
export function forEvent(code: string, name: string): string {
  return code.replaceAll("$E", name);
}

/**
 * Type names of a Generate stream's events and their Chat v2 counterparts: a binding the stream is
 * followed through (a parameter, a variable, a function's return type) is retyped with them.
 */
export const STREAM_TYPES: Readonly<Record<string, string>> = table({
  GenerateStreamedResponse: "V2ChatStreamResponse",
});

/** Fields only a Chat event has: a loop that already reads them (migrated by hand) keeps those reads. */
export const CHAT_ONLY_FIELDS: ReadonlySet<string> = new Set(["type", "delta", "logprobs"]);
