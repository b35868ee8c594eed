/**
 * `--explain <code>`: what a finding or marker code means, why migrate could not decide it (for
 * markers), and what to write instead, with a before/after example. The same text is the SARIF
 * rules' help and the HTML report's help for each code, so it is said once, here.
 *
 * Codes are a marker code (`preset`, or `marker/preset` as check names the rule) or a rule id
 * (`generate`, `possible-legacy-call`, ...).
 */
import { MARKERS, type MarkerCode } from "./markers";
import { POSSIBLE_RULE, PARSE_RULE, siteRuleOf, SKIPPED_RULE } from "./rules";
import { own, table } from "./tables";
import type { SiteKind } from "./types";

export interface Explanation {
  code: string;
  title: string;
  /** What it is. */
  means: string;
  /** Why migrate left it to a person; undefined for what migrate fixes itself. */
  why?: string;
  /** What to write instead. */
  instead: string;
  before: string;
  after: string;
}

interface Example {
  instead: string;
  before: string;
  after: string;
}

/** For each marker: what to write, shown on a small program. */
const MARKER_EXAMPLES: Readonly<Record<MarkerCode, Example>> = table({
  preset: {
    instead: "Write the preset's parameters into the call (open the preset in the Cohere dashboard to see them).",
    before: `await co.generate({ prompt, preset: "support-v2" });`,
    after: `await co.v2.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: prompt }], temperature: 0.3, maxTokens: 200 });`,
  },
  "logit-bias": {
    instead: "Say what to avoid or prefer in the message, or constrain the output with responseFormat.",
    before: `await co.generate({ prompt, logitBias: { "1234": -10 } });`,
    after: `await co.v2.chat({ model, messages: [{ role: "user", content: \`\${prompt}\\nDo not mention prices.\` }] });`,
  },
  "raw-prompting": {
    instead: "Check the prompt as a user message; move template parts (system text, turns) into messages of their roles.",
    before: `await co.generate({ prompt: "<|SYSTEM|>Be brief.<|USER|>" + q, rawPrompting: true });`,
    after: `await co.v2.chat({ model, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: q }] });`,
  },
  "return-likelihoods": {
    instead: "Drop the prompt likelihoods, or ask for logprobs of the generated tokens.",
    before: `await co.generate({ prompt, returnLikelihoods: "ALL" });`,
    after: `await co.v2.chat({ model, messages: [{ role: "user", content: prompt }], logprobs: true });`,
  },
  "request-likelihoods": {
    instead: 'Set logprobs: true where the value was "GENERATION"; leave it out where it was "NONE".',
    before: `await co.generate({ prompt, returnLikelihoods: wantScores ? "GENERATION" : "NONE" });`,
    after: `await co.v2.chat({ model, messages: [{ role: "user", content: prompt }], logprobs: wantScores });`,
  },
  likelihoods: {
    instead: "Compute what you need from response.logprobs (log probabilities per generated token).",
    before: `const score = response.generations[0].likelihood;`,
    after: `const score = (response.logprobs ?? []).reduce((sum, t) => sum + (t.logprobs?.[0] ?? 0), 0);`,
  },
  "temperature-range": {
    instead: "Choose a temperature from 0 to 1.",
    before: `await co.generate({ prompt, temperature: 2 });`,
    after: `await co.v2.chat({ model, messages: [{ role: "user", content: prompt }], temperature: 1 });`,
  },
  "response-shape": {
    instead: "Update the code that receives the value to read a Chat v2 response: the text is the first content item of type text.",
    before: `log(response); // log reads response.generations[0].text`,
    after: `log(response); // log reads response.message.content?.find((c) => c.type === "text")?.text`,
  },
  "spread-unchecked": {
    instead: "Make sure the spread object holds only Chat fields and a current model; convert it where it is built.",
    before: `const base = { prompt: "Hi", numGenerations: 2 };\nawait co.generate({ ...base, temperature: 0.1 });`,
    after: `const base = { model: "command-a-03-2025", messages: [{ role: "user" as const, content: "Hi" }] };\nawait co.v2.chat({ ...base, temperature: 0.1 });`,
  },
  "request-shape": {
    instead: "Convert the request where it is built: model, and messages with the prompt as the user message.",
    before: `const request = { prompt: "Say hello", maxTokens: 5 };\nawait co.generate(request);`,
    after: `const request = { model: "command-a-03-2025", messages: [{ role: "user" as const, content: "Say hello" }], maxTokens: 5 };\nawait co.v2.chat(request);`,
  },
  "unknown-parameter": {
    instead: "Look the field up in the Chat v2 API reference; remove it, or rename it to its Chat field.",
    before: `await co.generate({ prompt, tone: "formal" });`,
    after: `await co.v2.chat({ model, messages: [{ role: "user", content: \`\${prompt} (formal tone)\` }] });`,
  },
  "stream-stop-sequences": {
    instead: "Stop reading the stream when the accumulated text contains the sequence (and cut it there).",
    before: `for await (const e of await co.generateStream({ prompt, stopSequences: ["\\n"] })) if (e.eventType === "text-generation") out += e.text;`,
    after: `for await (const e of await co.v2.chatStream({ model, messages })) {\n  if (e.type !== "content-delta") continue;\n  out += e.delta?.message?.content?.text ?? "";\n  if (out.includes("\\n")) { out = out.slice(0, out.indexOf("\\n") + 1); break; }\n}`,
  },
  "sequences-unapplied": {
    instead: "Cut the text at the sequences where it is read (the chatText / chat_text helper does it as Generate did).",
    before: `const r = await co.generate({ prompt, stopSequences: stops });\nreturn summarize(r);`,
    after: `const r = await co.v2.chat({ model, messages: [{ role: "user", content: prompt }] });\nreturn summarize(r); // summarize now cuts chatText(r) at stops`,
  },
  "stream-full-text": {
    instead: "Accumulate the content-delta texts while reading the stream and use that at message-end.",
    before: `if (e.eventType === "stream-end") save(e.response.generations[0].text);`,
    after: `if (e.type === "content-delta") text += e.delta?.message?.content?.text ?? "";\nif (e.type === "message-end") save(text);`,
  },
  "stream-num-generations": {
    instead: "Start one chatStream per generation you need (in parallel with Promise.all if you like).",
    before: `await co.generateStream({ prompt, numGenerations: 3 });`,
    after: `await Promise.all([0, 1, 2].map(() => co.v2.chatStream({ model, messages })));`,
  },
  "stream-error": {
    instead: "Handle a message-end with delta.error, and wrap the loop in try/catch for the CohereError the SDK throws.",
    before: `if (e.eventType === "stream-error") report(e.err);`,
    after: `try {\n  for await (const e of stream) if (e.type === "message-end" && e.delta?.error) report(e.delta.error);\n} catch (err) {\n  report(err);\n}`,
  },
  "status-code": {
    instead: "Move the status check into a try/catch around the call.",
    before: `const r = await cohere.generate({ prompt });\nif (r.statusCode !== 200) fail(r.body.message);`,
    after: `try {\n  await co.chat({ model, messages: [{ role: "user", content: prompt }] });\n} catch (err) {\n  if (err instanceof CohereError) fail(err.message);\n}`,
  },
  "rest-request": {
    instead: "POST to https://api.cohere.com/v2/chat with a Chat v2 body and read message.content.",
    before: `await fetch(url, { method: "POST", body: JSON.stringify(body) }); // url ends in /v1/generate`,
    after: `await fetch("https://api.cohere.com/v2/chat", { method: "POST", body: JSON.stringify({ model, messages: [{ role: "user", content: prompt }] }) });`,
  },
  "indirect-call": {
    instead: "Call chat directly, with a Chat request, where the request is built.",
    before: `const gen = co.generate.bind(co);\nawait retry(gen, { prompt });`,
    after: `await retry((req) => co.v2.chat(req), { model, messages: [{ role: "user", content: prompt }] });`,
  },
  "generate-type": {
    instead: "Type the value with its Chat v2 type and update the code that reads it.",
    before: `function logEnd(end: Cohere.GenerateStreamedResponse.StreamEnd) { console.log(end.finishReason); }`,
    after: `function logEnd(end: Cohere.ChatMessageEndEvent) { console.log(end.delta?.finishReason); }`,
  },
  "v6-init": {
    instead: "Give the client its key where it is created (or set CO_API_KEY).",
    before: `// another module: cohere.init(KEY)\ncohere.generate({ prompt });`,
    after: `const co = new CohereClientV2({ token: KEY });\nawait co.chat({ model, messages: [{ role: "user", content: prompt }] });`,
  },
  "test-double": {
    instead: "Stub the Chat method instead of generate, with a Chat v2 response: its text in message.content.",
    before: `mock_co.generate.return_value = SimpleNamespace(generations=[SimpleNamespace(text="short")])`,
    after: `mock_co.v2.chat.return_value = SimpleNamespace(message=SimpleNamespace(content=[SimpleNamespace(type="text", text="short")]))`,
  },
  "sdk-4x-api": {
    instead: "Write it the cohere 5 way: the API key alone positionally, base_url for api_url, cohere.core.ApiError for the 4.x errors.",
    before: `co = cohere.Client(KEY, api_url=URL)\nApiError = cohere.CohereAPIError`,
    after: `co = cohere.Client(KEY, base_url=URL)\nApiError = cohere.core.ApiError`,
  },
  "v6-api": {
    instead: "Call the method on a CohereClientV2 with camelCase fields; it resolves with the response and throws on errors.",
    before: `const r = await cohere.embed({ texts, model: "embed-english-v3.0" });\nuse(r.body.embeddings);`,
    after: `const r = await co.embed({ texts, model: "embed-english-v3.0", inputType: "search_document", embeddingTypes: ["float"] });\nuse(r.embeddings.float);`,
  },
  "seed-repeated": {
    instead: "Give each call its own seed (the request's plus the call's index), or drop the seed.",
    before: `const r = await co.generate({ prompt, numGenerations: 2, seed: 7 });`,
    after: `const r = await Promise.all(Array.from({ length: 2 }, (_, i) => co.v2.chat({ model, messages: [{ role: "user", content: prompt }], seed: 7 + i })));`,
  },
  "deep-import": {
    instead: "Import from \"cohere-ai\": its types are under the Cohere namespace.",
    before: `import type { cohereResponse, generateResponse } from "cohere-ai/dist/models";\ntype Reply = cohereResponse<generateResponse>;`,
    after: `import type { Cohere } from "cohere-ai";\ntype Reply = Cohere.V2ChatResponse;`,
  },
  "retired-model": {
    instead: "Offer or configure Chat models where the value comes from.",
    before: `const MODELS = ["command-xlarge-nightly", "command-light"];\nawait co.generate({ model: MODELS[choice], prompt });`,
    after: `const MODELS = ["command-a-03-2025", "command-r7b-12-2024"];\nawait co.v2.chat({ model: MODELS[choice] ?? "command-a-03-2025", messages: [{ role: "user", content: prompt }] });`,
  },
});

/** For each rule of a finding migrate fixes by itself: what it writes. */
const SITE_EXAMPLES: Readonly<Record<SiteKind, Example>> = table({
  generate: {
    instead: "Run `cohere-migrate migrate`: the call becomes Chat v2 and its response reads follow.",
    before: `const r = await co.generate({ prompt, maxTokens: 50 });\nconsole.log(r.generations[0].text);`,
    after: `const r = await co.v2.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: prompt }], maxTokens: 50, temperature: 0.75 });\nconsole.log(chatText(r));`,
  },
  "generate-stream": {
    instead: "Run `cohere-migrate migrate`: the stream becomes chatStream and the event loop follows.",
    before: `for await (const e of await co.generateStream({ prompt })) if (e.eventType === "text-generation") out += e.text;`,
    after: `for await (const e of await co.v2.chatStream({ model: "command-a-03-2025", messages: [{ role: "user", content: prompt }], temperature: 0.75 }))\n  if (e.type === "content-delta") out += e.delta?.message?.content?.text ?? "";`,
  },
  "v6-generate": {
    instead: "Run `cohere-migrate migrate`: the module call becomes a CohereClientV2 chat call on cohere-ai 8.",
    before: `cohere.init(KEY);\nconst r = await cohere.generate({ prompt });\nconsole.log(r.body.generations[0].text);`,
    after: `process.env.CO_API_KEY = KEY;\nconst cohere = new CohereClientV2({});\nconst r = await cohere.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: prompt }], temperature: 0.75 });\nconsole.log(chatText(r));`,
  },
  "v6-module": {
    instead: "migrate turns `init(key)` into `process.env.CO_API_KEY = key`; convert the other v6 calls by hand (see --explain v6-api).",
    before: `cohere.init(process.env.KEY);`,
    after: `process.env.CO_API_KEY = process.env.KEY;`,
  },
  "rest-generate": {
    instead: "Run `cohere-migrate migrate`: the request goes to /v2/chat with a Chat body and the reads follow.",
    before: `await fetch("https://api.cohere.ai/v1/generate", { method: "POST", headers, body: JSON.stringify({ prompt }) });`,
    after: `await fetch("https://api.cohere.com/v2/chat", { method: "POST", headers, body: JSON.stringify({ model: "command-a-03-2025", messages: [{ role: "user", content: prompt }], temperature: 0.75 }) });`,
  },
  "indirect-generate": {
    instead: "Run `cohere-migrate migrate`: the reference becomes a chat call where the request is visible, and gets a marker where it is not.",
    before: `const gen = co.generate.bind(co);\nawait gen({ prompt });`,
    after: `await co.v2.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: prompt }], temperature: 0.75 });`,
  },
  "generate-url": {
    instead: "Convert the request the URL is used for to a Chat v2 request to /v2/chat (model, messages), and its reads of the response; then the URL.",
    before: `const GENERATE_URL = "https://api.cohere.ai/v1/generate";\nconst r = await post(GENERATE_URL, { prompt });\nreturn r.generations[0].text;`,
    after: `const CHAT_URL = "https://api.cohere.com/v2/chat";\nconst r = await post(CHAT_URL, { model: "command-a-03-2025", messages: [{ role: "user", content: prompt }] });\nreturn r.message.content[0].text;`,
  },
  "generate-type": {
    instead: "Run `cohere-migrate migrate`: the type is renamed to its Chat v2 counterpart and the typed values' reads follow.",
    before: `function first(r: Cohere.Generation): string { return r.generations[0].text; }`,
    after: `function first(r: Cohere.V2ChatResponse): string { return chatText(r); }`,
  },
});

const POSSIBLE_EXAMPLE: Example = {
  instead: "If the receiver is a Cohere client, give it a type or build it where check can see it; if it is not, suppress the finding.",
  before: `async function maybe(client: any) { return client.generate({ prompt }); }`,
  after: `async function maybe(client: CohereClient) { return client.generate({ prompt }); } // now a generate finding migrate fixes\n// or, when it is not Cohere's:\n// cohere-migrate-ignore a local LLM wrapper\nreturn client.generate({ prompt });`,
};

const SKIPPED_EXAMPLE: Example = {
  instead: "Look for Generate calls in the file; if it is built or vendored code, fix its source and leave the file out.",
  before: `// vendor/cohere-bundle.min.js: one 80 000-character line holding co.generate({...})`,
  after: `// the source it was built from, migrated; the bundle rebuilt, or left out:
// npx cohere-migrate check --ignore "vendor/**"`,
};

const PARSE_EXAMPLE: Example = {
  instead: "Fix the syntax error (or the read permission) at the position given, then run again; the file was left untouched.",
  before: `co.generate({ prompt: "unclosed" ;`,
  after: `co.generate({ prompt: "closed" });`,
};

const MARKER_WHY = "migrate cannot decide this by itself: ";

/** The explanation of a code, or undefined for a code nobody defined. */
export function explain(code: string): Explanation | undefined {
  const bare = code.replace(/^marker\//, "");
  const marker = own(MARKERS, bare);
  const markerExample = own(MARKER_EXAMPLES, bare);
  if (marker && markerExample) {
    return { code: `marker/${bare}`, title: marker.title, means: `A \`cohere-migrate: ${bare}\` marker: ${marker.text}`, why: MARKER_WHY + marker.help, ...markerExample };
  }
  const site = own(SITE_EXAMPLES, code);
  const rule = site ? siteRuleOf(code as SiteKind) : undefined;
  if (site && rule) return { code, title: rule.title, means: rule.help, ...site };
  if (code === POSSIBLE_RULE.id) return { code, title: POSSIBLE_RULE.title, means: POSSIBLE_RULE.help, why: "the receiver could not be traced to a Cohere client, and a `.generate()` of another library must not be touched.", ...POSSIBLE_EXAMPLE };
  if (code === SKIPPED_RULE.id) return { code, title: SKIPPED_RULE.title, means: SKIPPED_RULE.help, why: "parsing a bundle or a minified file costs more than it tells, so it is skipped; its bytes say it may still call Generate.", ...SKIPPED_EXAMPLE };
  if (code === PARSE_RULE.id) return { code, title: PARSE_RULE.title, means: PARSE_RULE.help, why: "a file that does not parse cannot be rewritten safely.", ...PARSE_EXAMPLE };
  return undefined;
}

/** Every code `--explain` knows: rules first, then markers. */
export function explainedCodes(): string[] {
  return [...Object.keys(SITE_EXAMPLES), POSSIBLE_RULE.id, SKIPPED_RULE.id, PARSE_RULE.id, ...Object.keys(MARKER_EXAMPLES).map((c) => `marker/${c}`)];
}

/** The explanation as plain text (the terminal). */
export function explainText(e: Explanation): string {
  const indent = (code: string) => code.split("\n").map((l) => `    ${l}`).join("\n");
  return [
    `${e.code}: ${e.title}`,
    "",
    e.means,
    ...(e.why ? ["", `Why: ${e.why}`] : []),
    "",
    `What to do: ${e.instead}`,
    "",
    "  Before:",
    indent(e.before),
    "",
    "  After:",
    indent(e.after),
    "",
  ].join("\n");
}

/** The explanation as Markdown (SARIF rule help, reports). */
export function explainMarkdown(e: Explanation): string {
  return [e.means, ...(e.why ? ["", `**Why:** ${e.why}`] : []), "", `**What to do:** ${e.instead}`, "", "Before:", "", "```ts", e.before, "```", "", "After:", "", "```ts", e.after, "```"].join("\n");
}
