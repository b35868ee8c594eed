/**
 * Marker comments: `/* cohere-migrate: <code> <what to do> *\/`, left where a person must finish the
 * migration. One table holds every code with its help text; transforms, `check`, SARIF rules and
 * the report all read it.
 */
import type { Location, Span } from "./types";

export interface MarkerKind {
  /** Short title, used as the SARIF rule name and report heading. */
  title: string;
  /** The text written into the code after the code word. */
  text: string;
  /** Longer help for SARIF and the report: why this needs a person. */
  help: string;
}

export const MARKERS = {
  preset: {
    title: "Generate preset removed",
    text: "Chat has no presets: write the preset's parameters (model, temperature, ...) into this call.",
    help: "Generate could load a stored preset by id. Chat has no presets, so migrate removed `preset`; the parameters it held are no longer applied.",
  },
  "logit-bias": {
    title: "logitBias removed",
    text: "Chat has no logit bias: steer the output with instructions in the message or response_format instead.",
    help: "Chat v2 does not accept `logit_bias`; migrate removed it. Output may now contain tokens the bias suppressed.",
  },
  "raw-prompting": {
    title: "rawPrompting removed",
    text: "Chat v2 has no raw prompting: the prompt is now sent as a user message with Chat's own template.",
    help: "`raw_prompting` sent the prompt without pre-processing. Chat v2 always applies its chat template; check that the prompt still works as a user message.",
  },
  "return-likelihoods": {
    title: "returnLikelihoods has no Chat equivalent",
    text: 'returnLikelihoods "ALL" (prompt likelihoods) has no Chat equivalent; Chat only returns logprobs of generated tokens (logprobs: true).',
    help: "Generate could return likelihoods of the prompt tokens (`ALL`). Chat returns log probabilities of generated tokens only, with `logprobs: true`.",
  },
  "request-likelihoods": {
    title: "returnLikelihoods not a literal",
    text: "returnLikelihoods is not a literal: set logprobs: true on this Chat call if it was \"GENERATION\".",
    help: "migrate maps `returnLikelihoods: \"GENERATION\"` to `logprobs: true`; a computed value must be mapped by hand.",
  },
  likelihoods: {
    title: "Likelihood read",
    text: "likelihoods are now response.logprobs (per token, as log probabilities): this read now gives undefined; compute what you need from logprobs.",
    help: "Generate returned `likelihood` and `token_likelihoods` per generation. Chat returns `logprobs` on the response (when requested) in a different shape.",
  },
  "temperature-range": {
    title: "Temperature above Chat's maximum",
    text: "Chat accepts temperature 0 to 1 (Generate allowed up to 5): choose a value in range.",
    help: "Chat v2 rejects a temperature above 1.0. The value was kept so that the choice stays with you.",
  },
  "response-shape": {
    title: "Response used in a way migrate cannot follow",
    text: "this value is now a Chat v2 response (message.content, finishReason, usage), not a Generate response: update this use.",
    help: "migrate rewrites reads of `generations[i].text`, `finish_reason`, `meta` and `id` where it can follow the value. This use passes the value on, so its readers must be updated by hand.",
  },
  "spread-unchecked": {
    title: "Request spread not checked",
    text: "the spread may carry what Chat rejects: make sure it names a Chat model and holds no Generate-only field (prompt, numGenerations, stopSequences, endSequences, returnLikelihoods, truncate, preset, logitBias, rawPrompting).",
    help: "A spread may carry Generate-only fields that Chat rejects, or a retired model. migrate keeps the spread and asks for a check.",
  },
  "request-shape": {
    title: "Request built out of reach",
    text: "the request object is built where migrate cannot rewrite it: convert it to a Chat request (model, messages: [{ role: \"user\", content }]).",
    help: "The Generate request is not an object literal migrate can see (or it is shared with other code), so it was not converted.",
  },
  "unknown-parameter": {
    title: "Unknown request field",
    text: "this request has a field that is neither a Generate nor a Chat parameter: check it against the Chat v2 API.",
    help: "migrate copies the fields it knows; an unknown field is kept but the Chat API may reject it.",
  },
  "stream-stop-sequences": {
    title: "Stop/end sequences on a stream",
    text: "stop/end sequences were removed: Chat has no end sequences and trimming a stream is stateful; stop reading the stream when a sequence appears.",
    help: "On a non-streaming call migrate trims the text client-side. On a stream the trim depends on text not yet received, so it must be written by hand.",
  },
  "sequences-unapplied": {
    title: "Stop/end sequences not applied",
    text: "stop/end sequences were removed from the request (Chat would cut without keeping a stop sequence) and migrate could not apply them to this text read: cut the text where it is read, with chat_text(response, stop_sequences=..., end_sequences=...).",
    help: "Generate cut its text at stop sequences (kept) and end sequences (dropped). migrate applies that client-side where it rewrites the text read, passing the request's own value again. Where that value cannot be written there (the response is passed on, the name is rebound or changed in place before the read, or the value is computed by a call that must run once), the cut must be written by hand.",
  },
  "stream-full-text": {
    title: "Full text read at stream end",
    text: "Chat's message-end event carries no text: accumulate the content-delta texts instead.",
    help: "Generate's stream-end event carried the full response (`response.generations[0].text`). Chat's `message-end` only carries the finish reason and usage.",
  },
  "stream-num-generations": {
    title: "numGenerations on a stream",
    text: "Chat streams one response: numGenerations was removed, so this stream now carries one generation; start one chatStream per generation if you need several.",
    help: "Generate could stream several generations in one stream, telling their events apart by `index`. A Chat stream carries a single response, and running n streams in parallel changes how their events interleave, so it must be written by hand.",
  },
  "stream-error": {
    title: "stream-error event",
    text: "Chat has no stream-error event: this code now runs on a message-end event that reports an error (delta.error), and a stream that fails can also throw a CohereError from the loop: handle that with try/catch.",
    help: "Generate reported a failed generation with a `stream-error` event (`err`, `finishReason`). Chat ends it with `message-end` carrying `delta.error` and `finishReason: \"ERROR\"`, and the SDK throws on an error event of the stream, so error handling may have to move around the loop.",
  },
  "status-code": {
    title: "cohere-ai v6 status code check",
    text: "cohere-ai 8 throws on an API error (CohereError with statusCode) where v6 resolved with { statusCode, body }: move this check into a try/catch.",
    help: "The v6 SDK resolved every call with `{ statusCode, body }`. cohere-ai 8 resolves with the body and throws `CohereError` on error statuses.",
  },
  "rest-request": {
    title: "REST request not rewritten",
    text: "migrate did not rewrite this Generate request: send it to https://api.cohere.com/v2/chat with a Chat v2 body (model, messages).",
    help: "migrate rewrites fetch/axios calls whose URL and JSON body it can see (and that do not stream). This one, or the code that sends this URL, must be converted by hand; the marker says why.",
  },
  "indirect-call": {
    title: "Generate method passed on",
    text: "Generate is called indirectly here and the request is not visible: call chat (client.v2.chat / client.chat) with a Chat request instead.",
    help: "A reference to `generate` (bind, alias, callback) hides the request from migrate.",
  },
  "generate-type": {
    title: "Generate type left in place",
    text: "this type names a Generate API shape that migrate cannot convert here: after migration its values are Chat v2 values (Cohere.V2ChatResponse, Cohere.V2ChatStreamResponse, ...); change the type and the code that reads it.",
    help: "Generate types such as `GenerateStreamedResponse` or `GenerateStreamEndResponse` have no Chat v2 counterpart of the same shape, or sit where migrate cannot follow the values they describe. The type was kept so the code still compiles; it no longer matches what the API returns.",
  },
  "v6-init": {
    title: "cohere-ai v6 key set in another module",
    text: "cohere.init was not called in this file: cohere-ai v6 shared one key between modules, a cohere-ai 8 client takes its own (this one reads the CO_API_KEY environment variable): pass token if the key comes from elsewhere.",
    help: "In cohere-ai v6, `cohere.init(key)` in one module set the key for every module. A cohere-ai 8 client is configured where it is created; without `token` it reads `CO_API_KEY`.",
  },
  "test-double": {
    title: "Test stub of generate",
    text: "this test stubs generate (or checks its calls), which the migrated code no longer calls: stub the Chat method (v2.chat / chat) and give it a Chat v2 response (message.content), or the test fails.",
    help: "migrate rewrote a Generate call in the code this test covers. A mock that answers `generate` (`mock_co.generate.return_value = ...`, `generate: jest.fn()`) is no longer called: the code calls the Chat method, which the mock answers with nothing (MagicMock) or not at all, and the assertions on generate fail. Its fake response must become a Chat v2 one: `message.content` holds the text parts.",
  },
  "sdk-4x-api": {
    title: "cohere 4.x API the upgrade removes",
    text: "this is cohere 4.x API, which cohere 5 and later do not have (Chat v2 needs cohere 5.10 or later; migrate raises the requirement files it finds).",
    help: "A file migrate rewrote for Chat v2 needs cohere 5.10 or later, and migrate raised the project's cohere requirement. cohere 5 rewrote the SDK: the client takes only the API key positionally, `api_url` became `base_url`, `num_workers`, `request_dict` and `check_api_key` are gone, and the `cohere.error` module with `CohereError`, `CohereAPIError` and `CohereConnectionError` became `cohere.core.ApiError` and the errors of `cohere.errors`. These uses would fail after the upgrade.",
  },
  "v6-api": {
    title: "Other cohere-ai v6 call",
    text: "this cohere-ai v6 call was not migrated: on cohere-ai 8 it is a method of the client (CohereClientV2) with camelCase fields, resolves with the response itself (no { statusCode, body }) and throws on errors.",
    help: "migrate converts `cohere.generate`. Other v6 module calls (embed, classify, tokenize, ...) have cohere-ai 8 counterparts with other request and response shapes; convert them by hand.",
  },
  "seed-repeated": {
    title: "One seed for several calls",
    text: "numGenerations became several Chat calls that send the same seed: Chat returns the same text for the same seed and parameters, where one Generate request made different generations; give each call its own seed, or drop it.",
    help: "Generate's numGenerations with a seed made that many different generations, reproducibly. migrate makes one Chat call per generation, and each sends the request's seed: Cohere documents that requests with the same seed and parameters return the same result, so the generations may all be alike.",
  },
  "deep-import": {
    title: "Import path cohere-ai 8 does not export",
    text: "migrate raised this package's cohere-ai to 8 (its v6 calls need it), which exports only \"cohere-ai\" and \"cohere-ai/aws\": this import of another path of the package fails there (TS2307; ERR_PACKAGE_PATH_NOT_EXPORTED when it runs); import from \"cohere-ai\" instead.",
    help: "cohere-ai 5 and 6 were read through their files (`cohere-ai/dist/models` for the response types). cohere-ai 8 declares its entry points in package.json `exports`, and Node and TypeScript reject any other path. Its types are under the `Cohere` namespace of \"cohere-ai\": a Chat response is `Cohere.V2ChatResponse`.",
  },
  "retired-model": {
    title: "Model may be one Chat no longer serves",
    text: "this call's model is computed, and the values it can take include base models Chat no longer serves (a 404 there): make them Chat models.",
    help: "Chat v2 serves none of Generate's base models (command, command-light, command-r, command-r-plus, xlarge, medium, ...). migrate replaces a retired model where it can see the value the call gets; where the model comes from a choice, a setting or another module, it marks the call with the retired names it found.",
  },
} as const satisfies Record<string, MarkerKind>;

export type MarkerCode = keyof typeof MARKERS;

export const MARKER_PREFIX = "cohere-migrate:";
export const IGNORE_LINE = "cohere-migrate-ignore";
export const IGNORE_FILE = "cohere-migrate-ignore-file";

/** The body of a block comment (without `/*` and `*\/`) for a marker. */
export function markerText(code: MarkerCode, detail?: string): string {
  const text = detail ? `${MARKERS[code].text} ${detail}` : MARKERS[code].text;
  // A `*/` inside would end the comment early.
  return ` ${MARKER_PREFIX} ${code} ${text.replace(/\*\//g, "* /")} `;
}

export interface FoundMarker {
  code: string;
  message: string;
  start: number;
  end: number;
}

// The marker form: a block comment that starts a line (as migrate writes it, above a statement),
// so prose mentioning the tool, or the same text inside a string, is not taken for one.
// (Or right after a `{` or `;` on its line: a statement that shares the line with its block's
// opening, `function f() { return co.generate(...) }`, gets its marker there.)
const MARKER_RE = /(?:^[ \t]*|[{;][ \t]*)\/\*\s*cohere-migrate:\s*([a-z0-9-]+)\s*([\s\S]*?)\*\//gm;

/** Every marker comment in a text, with offsets. */
export function findMarkers(text: string): FoundMarker[] {
  const out: FoundMarker[] = [];
  for (const m of text.matchAll(MARKER_RE)) {
    const indent = m[0].indexOf("/*");
    out.push({
      code: m[1],
      message: m[2].trim(),
      start: m.index + indent,
      end: m.index + m[0].length,
    });
  }
  return out;
}

/** Whether the file opts out with `// cohere-migrate-ignore-file` before its first statement. */
export function hasIgnoreFile(text: string): boolean {
  // What may come before the first statement: a shebang, blank space, comments, and directive
  // prologues ("use strict", "use client"). The directive counts only in that leading part.
  const head = /^(?:#![^\n]*)?(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(["'])use [\w ]+\1;?)*/.exec(text)?.[0] ?? "";
  return new RegExp(`(//|/\\*)\\s*${IGNORE_FILE}\\b`).test(head);
}

/**
 * Line-level suppressions: the 1-based lines that `// cohere-migrate-ignore` (optionally followed by
 * a reason) suppresses, which is the line after the comment.
 */
export function ignoredLines(text: string): Set<number> {
  const lines = new Set<number>();
  const re = new RegExp(`(//|/\\*)\\s*${IGNORE_LINE}(?!-file)\\b`, "g");
  for (const m of text.matchAll(re)) {
    // `"// cohere-migrate-ignore"` in a string is no comment.
    if (insideString(text, m.index, false)) continue;
    const line = lineOfOffset(text, m.index);
    lines.add(line + 1);
  }
  return lines;
}

/** 1-based line of an offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Converts offsets to 1-based line/column positions; built once per file. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  location(offset: number): Location {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  offset(location: Location): number {
    return (this.starts[location.line - 1] ?? this.text.length) + location.column - 1;
  }
  span(start: number, end: number): Span {
    return { start: this.location(start), end: this.location(end) };
  }
  lineText(line: number): string {
    const from = this.starts[line - 1] ?? this.text.length;
    const to = this.starts[line] ?? this.text.length;
    return this.text.slice(from, to).replace(/\r?\n$/, "");
  }
}

/**
 * Whether `offset` lies inside a string literal that opened earlier on its line: the line is read
 * from its start, quotes and escapes followed, up to the first comment outside a string (`//` or
 * `/*`, or `#` in Python). A string that opened on an earlier line (a template literal, a
 * triple-quoted docstring) is not seen: its lines read as code.
 */
export function insideString(text: string, offset: number, python: boolean): boolean {
  let quote: string | undefined;
  for (let i = text.lastIndexOf("\n", offset - 1) + 1; i < offset; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || (!python && c === "`")) quote = c;
    else if (python ? c === "#" : c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) return false;
  }
  return quote !== undefined;
}
