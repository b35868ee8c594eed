/**
 * A fake Cohere API for behaviour tests: a real HTTP server on 127.0.0.1 (port 0) that serves the
 * legacy Generate endpoint and Chat v2 closely enough that a migrated program which lost or changed a
 * parameter prints something different.
 *
 * Routes (what each client sends, read from the SDK sources):
 * - `POST /v1/generate` — cohere-ai 8.1.0 `generate` (`stream: false`) and `generateStream`
 *   (`stream: true`, newline-delimited JSON events), cohere-ai 6.2.2 (`https.request` to
 *   `api.cohere.ai` + `/v1/generate`), and REST programs.
 * - `POST /generate` — REST programs that call the unversioned legacy URL.
 * - `POST /v2/chat` — cohere-ai 8.1.0 `v2.chat` / `CohereClientV2.chat` (`stream: false`) and
 *   `chatStream` (`stream: true`, server-sent events), and REST programs.
 *
 * Python clients (the `cohere` package, read from its sources) hit the same routes:
 * - 4.57 `Client.generate` / `AsyncClient.generate` post `{api_url}/v1/generate` with every keyword,
 *   unset ones as `null`, plus `prompt_vars: {}`, and `Authorization: BEARER <key>`; `stream=True`
 *   reads the newline-delimited events with `iter_lines()` (aiohttp: `async for line in content`).
 * - 5.21.1 and 7.3.1 `generate` / `generate_stream` (httpx) post `{base_url}/v1/generate` with unset
 *   keywords omitted; `generate_stream` reads newline-delimited JSON. `v2.chat` / `ClientV2.chat`
 *   post `/v2/chat` (`stream: false`); `chat_stream` reads SSE `data:` lines until `[DONE]`.
 * Python programs are one run through the base URL instead of a header: `CO_API_URL` (read by every
 * one of those clients) is `baseUrlFor(run)`, `http://127.0.0.1:<port>/_run/<run>`, and the fake
 * takes the run from that prefix and strips it before routing and recording.
 *
 * Texts: a generation is a deterministic function of the prompt, the model family (a custom or
 * fine-tuned id is its own family; every `command*` base model is one family, so the model swap the
 * migration makes does not change the text) and every sampling knob after defaults (temperature, p,
 * k, seed, penalties, logit bias, raw prompting), cut at `max_tokens`. Generate applies its defaults
 * (temperature 0.75), Chat applies its own (temperature 0.3), so a lost `temperature: 0.75` pin shows.
 * Every full generation contains each of `SEQUENCE_TOKENS`, so stop/end trimming is exercised.
 *
 * Repeated samples: within one program run (the `x-cohere-fake-run` header the preload adds), the
 * i-th generation produced for a given request — counting across calls — is variant i. Generate with
 * `num_generations: 3` therefore returns variants 0, 1, 2, and three identical Chat calls return the
 * same three texts, in arrival order. Parallel calls arrive in any order: programs that print several
 * generations print them sorted.
 *
 * Thinking: a Chat response starts with a `thinking` content item (streams: a thinking content block at
 * index 0, the text at index 1) when the request enables `thinking`, when the model is a reasoning
 * model (its id contains `reasoning`) and thinking is not disabled, or when the run was configured
 * with `configureRun(run, { thinking: true })`. It never changes the text item.
 *
 * Chat is strict where the real API is, and stricter where the migration promises something: it
 * rejects a missing or retired `model`, Generate-only fields (in snake_case or, as the SDK's
 * pass-through would send them, camelCase), any other unknown field, `stop_sequences` (the real API
 * accepts it, but cohere-migrate never sends it: Chat's stop semantics differ from Generate's), and
 * `temperature` above 1. Errors are JSON `{ message }` with status 400/404, which the SDK throws.
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** Headers the preload adds to intercepted requests. */
export const RUN_HEADER = "x-cohere-fake-run";
export const ORIGINAL_URL_HEADER = "x-cohere-fake-original-url";
/** Path prefix that names the run for clients that cannot add a header (Python: `CO_API_URL`). */
export const RUN_PATH_PREFIX = "/_run/";

/** Base models Chat v2 no longer serves (SPEC, "model" row). */
export const RETIRED_MODELS: readonly string[] = [
  "command",
  "command-light",
  "command-nightly",
  "command-light-nightly",
  "command-r",
  "command-r-plus",
];

/** Substrings every full generation contains at least once (each is a plausible stop/end sequence). */
export const SEQUENCE_TOKENS: readonly string[] = [".", "\n", "END", "###", "--"];

type Endpoint = "generate" | "chat";

interface FieldRule {
  kind: "string" | "number" | "boolean" | "string[]" | "object" | "array" | "enum";
  min?: number;
  max?: number;
  values?: readonly string[];
}

/**
 * Generate's request fields (snake_case, as on the wire) with the ranges its reference documents
 * (`GenerateRequest.d.ts` in cohere-ai 8.1.0).
 */
const GENERATE_FIELDS: Readonly<Record<string, FieldRule>> = {
  prompt: { kind: "string" },
  model: { kind: "string" },
  num_generations: { kind: "number", min: 1, max: 5 },
  max_tokens: { kind: "number", min: 0 },
  truncate: { kind: "enum", values: ["NONE", "START", "END"] },
  temperature: { kind: "number", min: 0, max: 5 },
  seed: { kind: "number" },
  preset: { kind: "string" },
  end_sequences: { kind: "string[]" },
  stop_sequences: { kind: "string[]" },
  k: { kind: "number", min: 0, max: 500 },
  p: { kind: "number", min: 0, max: 0.99 },
  frequency_penalty: { kind: "number", min: 0, max: 1 },
  presence_penalty: { kind: "number", min: 0, max: 1 },
  return_likelihoods: { kind: "enum", values: ["GENERATION", "ALL", "NONE"] },
  raw_prompting: { kind: "boolean" },
  logit_bias: { kind: "object" },
  stream: { kind: "boolean" },
  // The Python SDK 4.x always sends `prompt_vars: {}` (its default); anything else is rejected below.
  prompt_vars: { kind: "object" },
};

/** Chat v2's request fields (`V2ChatRequest` in cohere-ai 8.1.0), minus `stop_sequences` (see above). */
const CHAT_FIELDS: Readonly<Record<string, FieldRule>> = {
  model: { kind: "string" },
  messages: { kind: "array" },
  tools: { kind: "array" },
  strict_tools: { kind: "boolean" },
  documents: { kind: "array" },
  citation_options: { kind: "object" },
  response_format: { kind: "object" },
  safety_mode: { kind: "enum", values: ["CONTEXTUAL", "STRICT", "OFF"] },
  max_tokens: { kind: "number", min: 1 },
  temperature: { kind: "number", min: 0, max: 1 },
  seed: { kind: "number" },
  frequency_penalty: { kind: "number", min: 0, max: 1 },
  presence_penalty: { kind: "number", min: 0, max: 1 },
  k: { kind: "number", min: 0, max: 500 },
  p: { kind: "number", min: 0.01, max: 0.99 },
  logprobs: { kind: "boolean" },
  tool_choice: { kind: "enum", values: ["REQUIRED", "NONE"] },
  thinking: { kind: "object" },
  priority: { kind: "number" },
  stream: { kind: "boolean" },
};

/** Fields a Chat request must not carry, with the reason the error message gives. */
const CHAT_REJECTED: Readonly<Record<string, string>> = {
  prompt: "Chat takes messages, not prompt",
  num_generations: "Chat has no num_generations: make n calls",
  numGenerations: "Chat has no num_generations: make n calls",
  end_sequences: "Chat has no end_sequences: trim client-side",
  endSequences: "Chat has no end_sequences: trim client-side",
  stop_sequences: "cohere-migrate never sends stop_sequences to Chat (its semantics differ from Generate's): trim client-side",
  stopSequences: "cohere-migrate never sends stop_sequences to Chat: trim client-side",
  return_likelihoods: "Chat has no return_likelihoods (use logprobs)",
  returnLikelihoods: "Chat has no return_likelihoods (use logprobs)",
  truncate: "Chat has no truncate",
  preset: "Chat has no preset",
  logit_bias: "Chat has no logit_bias",
  logitBias: "Chat has no logit_bias",
  raw_prompting: "Chat v2 has no raw_prompting",
  rawPrompting: "Chat v2 has no raw_prompting",
  maxTokens: "unknown field maxTokens (the wire format is snake_case: max_tokens)",
  frequencyPenalty: "unknown field frequencyPenalty (the wire format is snake_case)",
  presencePenalty: "unknown field presencePenalty (the wire format is snake_case)",
};

/** Sampling defaults each endpoint documents (Generate: GenerateRequest.d.ts; Chat: the Chat API reference). */
const DEFAULTS: Readonly<Record<Endpoint, Readonly<Record<"temperature" | "p" | "k" | "frequency_penalty" | "presence_penalty", number>>>> = {
  generate: { temperature: 0.75, p: 0.75, k: 0, frequency_penalty: 0, presence_penalty: 0 },
  chat: { temperature: 0.3, p: 0.75, k: 0, frequency_penalty: 0, presence_penalty: 0 },
};

const WORDS: readonly string[] = [
  "amber", "basil", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper",
  "kestrel", "lantern", "meadow", "nimbus", "orchid", "pebble", "quartz", "raven", "saffron",
  "thistle", "umber", "velvet", "willow", "xenon", "yarrow", "zephyr", "copper", "linen", "maple",
  "onyx", "prairie", "summit",
];

/** Everything that decides a text, after the endpoint's defaults. */
export interface Sampling {
  prompt: string;
  /** "base" for every `command*` model (and none); the id itself for custom and fine-tuned models. */
  family: string;
  temperature: number;
  p: number;
  k: number;
  frequencyPenalty: number;
  presencePenalty: number;
  seed: number | null;
  /** Generate-only knobs that change sampling (absent on Chat). */
  logitBias: string | null;
  rawPrompting: boolean;
  maxTokens: number | null;
}

export interface Sample {
  /** The text split where a stream would send it: one piece per token. */
  pieces: string[];
  finishReason: "COMPLETE" | "MAX_TOKENS";
}

export interface RecordedRequest {
  /** The program run that sent it (from the preload's header), if any. */
  run: string | undefined;
  method: string;
  path: string;
  /** The URL the program asked for before the preload redirected it. */
  originalUrl: string | undefined;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  status: number;
  /** The JSON the fake answered with (for streams: every event, in order). */
  response: unknown;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function familyOf(model: string | undefined): string {
  return model === undefined || /^command(-|$)/.test(model) ? "base" : model;
}

/** A small seeded generator (mulberry32) over a SHA-256 of the inputs: stable across runs and Node versions. */
function random(...parts: unknown[]): () => number {
  let state = createHash("sha256").update(JSON.stringify(parts)).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stableId(...parts: unknown[]): string {
  const hex = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The variant-th sample for these knobs. Temperature 0 is greedy: every variant is the same text.
 * `max_tokens` only shortens the text (it does not change what is sampled).
 */
export function sample(s: Sampling, variant: number): Sample {
  const { maxTokens, ...knobs } = s;
  const rand = random(knobs, s.temperature === 0 ? 0 : variant);
  const tokens: string[] = [];
  const length = 28 + Math.floor(rand() * 20);
  while (tokens.length < length) {
    const prev = tokens[tokens.length - 1];
    const roll = rand();
    if (prev !== undefined && prev !== "." && prev !== "\n" && roll < 0.14) tokens.push(".");
    else if (prev === "." && roll < 0.35) tokens.push("\n");
    else tokens.push(WORDS[Math.floor(rand() * WORDS.length)]);
  }
  // Every sequence a test may trim at appears somewhere, at a place that moves with the knobs.
  for (const token of SEQUENCE_TOKENS) {
    if (!tokens.includes(token)) tokens.splice(1 + Math.floor(rand() * (tokens.length - 1)), 0, token);
  }
  const kept = maxTokens !== null && maxTokens < tokens.length ? tokens.slice(0, maxTokens) : tokens;
  const pieces = kept.map((token, i) => (i === 0 || token === "." || token === "\n" || kept[i - 1] === "\n" ? token : ` ${token}`));
  return { pieces, finishReason: kept.length < tokens.length ? "MAX_TOKENS" : "COMPLETE" };
}

/**
 * Generate's trimming: the text ends at the earliest occurrence (lowest start) of any sequence; a stop
 * sequence is kept, an end sequence is dropped; on a tie stop sequences win, then earlier entries.
 */
export function cutAtSequences(text: string, stop: readonly string[], end: readonly string[]): string {
  let first = Infinity;
  let cut = text.length;
  for (const [list, keep] of [[stop, true], [end, false]] as const) {
    for (const sequence of list) {
      const at = sequence ? text.indexOf(sequence) : -1;
      if (at !== -1 && at < first) {
        first = at;
        cut = keep ? at + sequence.length : at;
      }
    }
  }
  return text.slice(0, cut);
}

/** Tokens of a prompt, for billed units (whitespace-separated words). */
function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Output tokens of a (possibly trimmed) text: the pieces it still covers. */
function countPieces(pieces: readonly string[], text: string): number {
  let length = 0;
  let n = 0;
  for (const piece of pieces) {
    if (length >= text.length) break;
    length += piece.length;
    n++;
  }
  return n;
}

function validate(body: Record<string, unknown>, rules: Readonly<Record<string, FieldRule>>): void {
  for (const [key, value] of Object.entries(body)) {
    const rule = rules[key];
    if (!rule) throw new ApiError(400, `invalid request: unknown field '${key}'`);
    if (value === undefined || value === null) continue;
    const ok =
      rule.kind === "string[]"
        ? Array.isArray(value) && value.every((v) => typeof v === "string")
        : rule.kind === "array"
          ? Array.isArray(value)
          : rule.kind === "object"
            ? typeof value === "object" && !Array.isArray(value)
            : rule.kind === "enum"
              ? typeof value === "string" && (rule.values ?? []).includes(value)
              : typeof value === rule.kind;
    if (!ok) throw new ApiError(400, `invalid request: ${key} must be ${rule.kind === "enum" ? `one of ${rule.values?.join("|")}` : `a ${rule.kind}`}`);
    if (typeof value === "number" && ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max))) {
      throw new ApiError(400, `invalid request: ${key} must be between ${rule.min ?? "-inf"} and ${rule.max ?? "inf"}, got ${value}`);
    }
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

function samplingOf(endpoint: Endpoint, body: Record<string, unknown>, prompt: string): Sampling {
  const d = DEFAULTS[endpoint];
  return {
    prompt,
    family: familyOf(typeof body.model === "string" ? body.model : undefined),
    temperature: numberOr(body.temperature, d.temperature),
    p: numberOr(body.p, d.p),
    k: numberOr(body.k, d.k),
    frequencyPenalty: numberOr(body.frequency_penalty, d.frequency_penalty),
    presencePenalty: numberOr(body.presence_penalty, d.presence_penalty),
    seed: typeof body.seed === "number" ? body.seed : null,
    logitBias: body.logit_bias ? JSON.stringify(body.logit_bias) : null,
    rawPrompting: body.raw_prompting === true,
    maxTokens: typeof body.max_tokens === "number" ? body.max_tokens : null,
  };
}

/**
 * The text the fake answers with for a prompt and request knobs (snake_case, as on the wire) as the
 * `variant`-th sample: trimmed at the knobs' stop/end sequences for Generate, untrimmed for Chat. For
 * tests that check what an unmigrated program prints.
 */
export function textFor(endpoint: Endpoint, prompt: string, knobs: Record<string, unknown> = {}, variant = 0): string {
  const text = sample(samplingOf(endpoint, knobs, prompt), variant).pieces.join("");
  if (endpoint === "chat") return text;
  return cutAtSequences(text, (knobs.stop_sequences as string[] | undefined) ?? [], (knobs.end_sequences as string[] | undefined) ?? []);
}

/** The text of a Chat message's content: a string or a list of text parts. */
function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part: unknown) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : "")).join("");
  }
  throw new ApiError(400, "invalid request: message content must be a string or a list of content parts");
}

/** The reasoning a `thinking` content item carries: fixed per prompt, split into stream pieces. */
export function thinkingFor(prompt: string): string[] {
  return `The user asks for "${prompt.slice(0, 40)}". I will answer plainly.`.split(/(?= )/);
}

/** Whether a Chat request gets a leading thinking item (see the header). */
function wantsThinking(body: Record<string, unknown>, config: RunConfig | undefined): boolean {
  const mode = isObject(body.thinking) ? body.thinking.type : undefined;
  if (mode === "enabled") return true;
  if (mode === "disabled") return false;
  return config?.thinking === true || (typeof body.model === "string" && body.model.includes("reasoning"));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How the fake answers one run (set with `configureRun`). */
export interface RunConfig {
  /** Chat responses start with a thinking content item, whatever the model. */
  thinking?: boolean;
}

export interface FakeCohere {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The base URL that makes every request under it part of `run`: `<origin>/_run/<run>`. */
  baseUrlFor(run: string): string;
  /** Changes how the fake answers `run` (until `reset`). */
  configureRun(run: string, config: RunConfig): void;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests of one program run (by the run id the preload sends). */
  requestsOf(run: string): RecordedRequest[];
  /** Forgets recorded requests, sample counters and run configurations. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with a free port. Call `close()` in `afterAll`. */
export async function startFakeCohere(): Promise<FakeCohere> {
  const requests: RecordedRequest[] = [];
  /** run id + request knobs → how many samples were handed out so far. */
  const counters = new Map<string, number>();
  const runConfigs = new Map<string, RunConfig>();

  function nextVariants(run: string | undefined, s: Sampling, n: number): number[] {
    const key = JSON.stringify([run ?? "", s]);
    const start = counters.get(key) ?? 0;
    counters.set(key, start + n);
    return Array.from({ length: n }, (_, i) => start + i);
  }

  function handleGenerate(run: string | undefined, body: Record<string, unknown>, res: http.ServerResponse): unknown {
    validate(body, GENERATE_FIELDS);
    if (typeof body.prompt !== "string") throw new ApiError(400, "invalid request: prompt must be a string");
    if (isObject(body.prompt_vars) && Object.keys(body.prompt_vars).length > 0) {
      throw new ApiError(400, "invalid request: the fake does not fill prompt_vars");
    }
    // 4.x sends every unset keyword as null.
    if (body.preset !== undefined && body.preset !== null) throw new ApiError(404, `preset '${String(body.preset)}' not found`);
    const s = samplingOf("generate", body, body.prompt);
    const stop = (body.stop_sequences as string[] | undefined) ?? [];
    const end = (body.end_sequences as string[] | undefined) ?? [];
    const n = numberOr(body.num_generations, 1);
    const withLikelihoods = body.return_likelihoods === "GENERATION" || body.return_likelihoods === "ALL";
    const generations = nextVariants(run, s, n).map((variant, index) => {
      const out = sample(s, variant);
      const full = out.pieces.join("");
      const text = cutAtSequences(full, stop, end);
      return {
        id: stableId("generation", s, variant),
        text,
        index,
        finish_reason: text.length < full.length ? "COMPLETE" : out.finishReason,
        ...(withLikelihoods ? { likelihood: -0.5 * countPieces(out.pieces, text) } : {}),
        pieces: out.pieces,
      };
    });
    const id = stableId("generate", s, generations.map((g) => g.id));
    const outputTokens = generations.reduce((sum, g) => sum + countPieces(g.pieces, g.text), 0);
    const units = { input_tokens: countTokens(body.prompt), output_tokens: outputTokens };
    const wire = generations.map(({ pieces: _pieces, ...g }) => g);

    if (body.stream === true) {
      // cohere-ai 8.1.0 reads this as newline-delimited JSON (`eventShape: { type: "json", messageTerminator: "\n" }`).
      const events: unknown[] = [];
      for (const g of generations) {
        let left = g.text.length;
        for (const piece of g.pieces) {
          if (left <= 0) break;
          const text = piece.slice(0, left);
          left -= piece.length;
          events.push({ is_finished: false, event_type: "text-generation", text, ...(n > 1 ? { index: g.index } : {}) });
        }
      }
      events.push({
        is_finished: true,
        event_type: "stream-end",
        finish_reason: wire[0].finish_reason,
        response: { id, prompt: body.prompt, generations: wire.map(({ likelihood: _l, ...g }) => g) },
      });
      res.writeHead(200, { "content-type": "application/stream+json" });
      res.end(events.map((e) => JSON.stringify(e) + "\n").join(""));
      return events;
    }
    const response = { id, generations: wire, prompt: body.prompt, meta: { api_version: { version: "1" }, billed_units: units, tokens: units } };
    sendJson(res, 200, response);
    return response;
  }

  function handleChat(run: string | undefined, body: Record<string, unknown>, res: http.ServerResponse): unknown {
    for (const key of Object.keys(body)) {
      if (key in CHAT_REJECTED) throw new ApiError(400, `invalid request: ${key}: ${CHAT_REJECTED[key]}`);
    }
    validate(body, CHAT_FIELDS);
    if (typeof body.model !== "string" || body.model === "") throw new ApiError(400, "invalid request: model is required");
    if (RETIRED_MODELS.includes(body.model)) {
      throw new ApiError(404, `model '${body.model}' not found, make sure the correct model ID was used and that you have access to the model`);
    }
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) throw new ApiError(400, "invalid request: messages must be a non-empty list");
    let prompt: string | undefined;
    let inputTokens = 0;
    for (const message of messages) {
      if (!isObject(message) || !["user", "assistant", "system", "tool"].includes(String(message.role))) {
        throw new ApiError(400, "invalid request: each message needs a role of user, assistant, system or tool");
      }
      const text = messageText(message.content);
      inputTokens += countTokens(text);
      if (message.role === "user") prompt = text;
    }
    if (prompt === undefined) throw new ApiError(400, "invalid request: no user message");
    const s = samplingOf("chat", body, prompt);
    const [variant] = nextVariants(run, s, 1);
    const out = sample(s, variant);
    const text = out.pieces.join("");
    const id = stableId("chat", s, variant);
    const units = { input_tokens: inputTokens, output_tokens: out.pieces.length };
    const usage = { billed_units: units, tokens: units };
    const thinking = wantsThinking(body, run === undefined ? undefined : runConfigs.get(run)) ? thinkingFor(prompt) : null;
    const textIndex = thinking ? 1 : 0;
    const logprobs = body.logprobs === true ? out.pieces.map((piece, i) => ({ text: piece, token_ids: [i], logprobs: [-0.5] })) : undefined;

    if (body.stream === true) {
      // cohere-ai 8.1.0's chatStream reads SSE `data:` lines (`eventShape: { type: "sse", streamTerminator: "[DONE]" }`).
      const events: Array<Record<string, unknown>> = [
        { id, type: "message-start", delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } },
        ...(thinking
          ? [
              { type: "content-start", index: 0, delta: { message: { content: { type: "thinking", thinking: "" } } } },
              ...thinking.map((piece) => ({ type: "content-delta", index: 0, delta: { message: { content: { thinking: piece } } } })),
              { type: "content-end", index: 0 },
            ]
          : []),
        { type: "content-start", index: textIndex, delta: { message: { content: { type: "text", text: "" } } } },
        ...out.pieces.map((piece) => ({ type: "content-delta", index: textIndex, delta: { message: { content: { text: piece } } } })),
        { type: "content-end", index: textIndex },
        { id, type: "message-end", delta: { finish_reason: out.finishReason, usage } },
      ];
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
      return events;
    }
    const response = {
      id,
      finish_reason: out.finishReason,
      message: { role: "assistant", content: [...(thinking ? [{ type: "thinking", thinking: thinking.join("") }] : []), { type: "text", text }] },
      usage,
      ...(logprobs ? { logprobs } : {}),
    };
    sendJson(res, 200, response);
    return response;
  }

  const ROUTES: Readonly<Record<string, Endpoint>> = {
    "POST /v1/generate": "generate",
    "POST /generate": "generate",
    "POST /v2/chat": "chat",
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let run = typeof req.headers[RUN_HEADER] === "string" ? req.headers[RUN_HEADER] : undefined;
      let originalUrl = typeof req.headers[ORIGINAL_URL_HEADER] === "string" ? req.headers[ORIGINAL_URL_HEADER] : undefined;
      let path = (req.url ?? "/").split("?")[0];
      // Handles: `CO_API_URL=<origin>/_run/<run>` (Python clients): the prefix names the run.
      if (path.startsWith(RUN_PATH_PREFIX)) {
        const rest = path.slice(RUN_PATH_PREFIX.length);
        const slash = rest.indexOf("/");
        run = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
        path = slash === -1 ? "/" : rest.slice(slash);
        originalUrl ??= `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
      }
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // Kept as text: recorded, then rejected below.
      }
      const record: RecordedRequest = { run, method: req.method ?? "GET", path, originalUrl, headers: req.headers, body, status: 200, response: undefined };
      requests.push(record);
      try {
        const endpoint = ROUTES[`${record.method} ${path}`];
        if (!endpoint) throw new ApiError(404, `no route for ${record.method} ${path}`);
        const auth = req.headers.authorization;
        // The scheme is case-insensitive: the Python SDK 4.x sends `BEARER <key>`.
        if (typeof auth !== "string" || !/^Bearer \S+/i.test(auth)) throw new ApiError(401, "no api key supplied");
        if (!isObject(body)) throw new ApiError(400, "invalid request: the body must be a JSON object");
        record.response = endpoint === "generate" ? handleGenerate(run, body, res) : handleChat(run, body, res);
      } catch (error) {
        const status = error instanceof ApiError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        record.status = status;
        record.response = { message };
        sendJson(res, status, { message });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    baseUrlFor: (run) => `http://127.0.0.1:${port}${RUN_PATH_PREFIX}${encodeURIComponent(run)}`,
    configureRun(run, config) {
      runConfigs.set(run, { ...runConfigs.get(run), ...config });
    },
    requestsOf: (run) => requests.filter((r) => r.run === run),
    reset() {
      requests.length = 0;
      counters.clear();
      runConfigs.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
