/**
 * The fake Cohere API itself: Generate's defaults and trimming, Chat's strictness, and the pairing of
 * Generate samples with Chat samples that the before/after comparisons rely on.
 */
import { cutAtSequences, RUN_HEADER, SEQUENCE_TOKENS, startFakeCohere, type FakeCohere } from "../support/fake-cohere";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

async function post(path: string, body: unknown, run = "fake-test", auth = "Bearer k"): Promise<Reply> {
  const res = await fetch(fake.origin + path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth, [RUN_HEADER]: run },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface GenerateJson {
  generations: Array<{ text: string; finish_reason: string }>;
  meta: { billed_units: { input_tokens: number; output_tokens: number } };
}
interface ChatJson {
  finish_reason: string;
  message: { content: Array<{ type: string; text: string }> };
}

async function generate(body: Record<string, unknown>, run?: string): Promise<GenerateJson> {
  const reply = await post("/v1/generate", body, run);
  expect(reply.status).toBe(200);
  return reply.json as unknown as GenerateJson;
}

async function chat(body: Record<string, unknown>, run?: string): Promise<ChatJson> {
  const reply = await post("/v2/chat", body, run);
  expect(reply).toMatchObject({ status: 200 });
  return reply.json as unknown as ChatJson;
}

const chatText = (r: ChatJson): string => r.message.content.map((c) => c.text).join("");

describe("Generate", () => {
  it("applies its documented defaults: temperature 0.75, p 0.75, k 0", async () => {
    const implicit = await generate({ prompt: "defaults" }, "a");
    const explicit = await generate({ prompt: "defaults", temperature: 0.75, p: 0.75, k: 0 }, "b");
    const other = await generate({ prompt: "defaults", temperature: 0.3 }, "c");
    expect(implicit.generations[0].text).toBe(explicit.generations[0].text);
    expect(other.generations[0].text).not.toBe(implicit.generations[0].text);
  });

  it("changes the text with the prompt and with every sampling knob", async () => {
    const base = { prompt: "knobs", temperature: 0.5 };
    const texts = new Set<string>();
    const variants = [base, { ...base, prompt: "knobs!" }, { ...base, temperature: 0.6 }, { ...base, p: 0.5 }, { ...base, k: 10 }, { ...base, seed: 3 }, { ...base, frequency_penalty: 0.2 }, { ...base, presence_penalty: 0.2 }, { ...base, max_tokens: 5 }];
    for (const [i, body] of variants.entries()) texts.add((await generate(body, `knobs-${i}`)).generations[0].text);
    expect(texts.size).toBe(variants.length);
  });

  it("keeps a custom model's text apart from the base models, which all sample alike", async () => {
    const command = await generate({ prompt: "family", model: "command" }, "f1");
    const light = await generate({ prompt: "family", model: "command-light" }, "f2");
    const custom = await generate({ prompt: "family", model: "acme-1234-ft" }, "f3");
    expect(light.generations[0].text).toBe(command.generations[0].text);
    expect(custom.generations[0].text).not.toBe(command.generations[0].text);
  });

  it("cuts at max_tokens and says so", async () => {
    const full = await generate({ prompt: "max tokens" }, "m1");
    const short = await generate({ prompt: "max tokens", max_tokens: 4 }, "m2");
    expect(full.generations[0].text.startsWith(short.generations[0].text)).toBe(true);
    expect(short.generations[0].finish_reason).toBe("MAX_TOKENS");
    expect(short.meta.billed_units.output_tokens).toBe(4);
  });

  it("writes every sequence token into a full generation", async () => {
    const { generations } = await generate({ prompt: "sequences", num_generations: 5 }, "s");
    for (const g of generations) for (const token of SEQUENCE_TOKENS) expect(g.text).toContain(token);
  });

  it("keeps a stop sequence, drops an end sequence, and cuts at the earliest", async () => {
    const full = (await generate({ prompt: "trim" }, "t0")).generations[0].text;
    const stop = (await generate({ prompt: "trim", stop_sequences: ["END"] }, "t1")).generations[0].text;
    const end = (await generate({ prompt: "trim", end_sequences: ["END"] }, "t2")).generations[0].text;
    const both = (await generate({ prompt: "trim", stop_sequences: ["###"], end_sequences: ["--"] }, "t3")).generations[0].text;
    const at = full.indexOf("END");
    expect(stop).toBe(full.slice(0, at + "END".length));
    expect(end).toBe(full.slice(0, at));
    // Both "###" and "--" occur in every full generation; the earlier one decides.
    const hash = full.indexOf("###");
    const dash = full.indexOf("--");
    expect(both).toBe(hash < dash ? full.slice(0, hash + "###".length) : full.slice(0, dash));
  });

  it("breaks a tie in favour of stop sequences, then earlier entries", () => {
    expect(cutAtSequences("one. two", ["."], ["."])).toBe("one.");
    expect(cutAtSequences("one. two", [], [". t", "."])).toBe("one");
    expect(cutAtSequences("one. two", ["o", "on"], [])).toBe("o");
  });

  it("returns num_generations distinct generations", async () => {
    const { generations } = await generate({ prompt: "many", num_generations: 3 }, "n");
    expect(new Set(generations.map((g) => g.text)).size).toBe(3);
  });

  it("rejects what the real API rejects", async () => {
    expect((await post("/v1/generate", { prompt: "x", num_generations: 6 })).status).toBe(400);
    expect((await post("/v1/generate", { prompt: "x", temperature: 6 })).status).toBe(400);
    expect((await post("/v1/generate", { model: "command" })).status).toBe(400);
    expect((await post("/v1/generate", { prompt: "x" }, "r", "")).status).toBe(401);
  });
});

describe("Chat v2", () => {
  const messages = (text: string) => [{ role: "user", content: text }];

  it("returns, for the same effective knobs, the text Generate returns before trimming", async () => {
    const g = await generate({ prompt: "pair", temperature: 0.75, max_tokens: 30, seed: 4 }, "p1");
    const c = await chat({ model: "command-a-03-2025", messages: messages("pair"), temperature: 0.75, max_tokens: 30, seed: 4 }, "p2");
    expect(chatText(c)).toBe(g.generations[0].text);
    const trimmed = await generate({ prompt: "pair", temperature: 0.75, max_tokens: 30, seed: 4, end_sequences: ["."] }, "p3");
    expect(chatText(c)).not.toBe(trimmed.generations[0].text);
  });

  it("defaults temperature to 0.3, not Generate's 0.75", async () => {
    const g = await generate({ prompt: "temperature" }, "d1");
    const unpinned = await chat({ model: "command-a-03-2025", messages: messages("temperature") }, "d2");
    const pinned = await chat({ model: "command-a-03-2025", messages: messages("temperature"), temperature: 0.75 }, "d3");
    expect(chatText(pinned)).toBe(g.generations[0].text);
    expect(chatText(unpinned)).not.toBe(g.generations[0].text);
  });

  it("hands the i-th identical call the i-th generation of num_generations", async () => {
    const g = await generate({ prompt: "variants", num_generations: 3 }, "v1");
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) texts.push(chatText(await chat({ model: "command-a-03-2025", messages: messages("variants"), temperature: 0.75 }, "v2")));
    expect(texts).toEqual(g.generations.map((x) => x.text));
  });

  it("reads the last user message, as a string or as text parts", async () => {
    const a = await chat({ model: "command-a-03-2025", messages: [{ role: "user", content: [{ type: "text", text: "parts" }] }] }, "u1");
    const b = await chat({ model: "command-a-03-2025", messages: messages("parts") }, "u2");
    expect(chatText(a)).toBe(chatText(b));
  });

  it.each([
    ["no model", { messages: messages("x") }, 400],
    ["a retired model", { model: "command", messages: messages("x") }, 404],
    ["command-r-plus", { model: "command-r-plus", messages: messages("x") }, 404],
    ["prompt", { model: "command-a-03-2025", prompt: "x", messages: messages("x") }, 400],
    ["num_generations", { model: "command-a-03-2025", messages: messages("x"), num_generations: 2 }, 400],
    ["numGenerations passed through camelCase", { model: "command-a-03-2025", messages: messages("x"), numGenerations: 2 }, 400],
    ["end_sequences", { model: "command-a-03-2025", messages: messages("x"), end_sequences: ["."] }, 400],
    ["stop_sequences", { model: "command-a-03-2025", messages: messages("x"), stop_sequences: ["."] }, 400],
    ["return_likelihoods", { model: "command-a-03-2025", messages: messages("x"), return_likelihoods: "GENERATION" }, 400],
    ["truncate", { model: "command-a-03-2025", messages: messages("x"), truncate: "END" }, 400],
    ["preset", { model: "command-a-03-2025", messages: messages("x"), preset: "p" }, 400],
    ["logit_bias", { model: "command-a-03-2025", messages: messages("x"), logit_bias: { "1": 2 } }, 400],
    ["raw_prompting", { model: "command-a-03-2025", messages: messages("x"), raw_prompting: true }, 400],
    ["temperature above 1", { model: "command-a-03-2025", messages: messages("x"), temperature: 1.2 }, 400],
    ["no messages", { model: "command-a-03-2025", messages: [] }, 400],
  ])("rejects a request with %s", async (_name, body, status) => {
    const reply = await post("/v2/chat", body);
    expect(reply.status).toBe(status);
    expect(typeof reply.json.message).toBe("string");
  });

  it("accepts a custom or fine-tuned model id", async () => {
    const c = await chat({ model: "acme-1234-ft", messages: messages("custom") }, "c1");
    expect(chatText(c).length).toBeGreaterThan(0);
  });
});

describe("what the Python clients send", () => {
  const messages = [{ role: "user", content: "python" }];

  async function postTo(url: string, body: unknown, auth = "Bearer k"): Promise<Reply> {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: auth }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it("takes the run from a /_run/<run> base-URL prefix and strips it before routing and recording", async () => {
    const viaHeader = await generate({ prompt: "prefix", num_generations: 2 }, "h-run");
    const first = await postTo(`${fake.baseUrlFor("p-run")}/v1/generate`, { prompt: "prefix" });
    const second = await postTo(`${fake.baseUrlFor("p-run")}/v1/generate`, { prompt: "prefix" });
    expect([first, second].map((r) => (r.json as unknown as GenerateJson).generations[0].text)).toEqual(viaHeader.generations.map((g) => g.text));
    expect(fake.requestsOf("p-run").map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/generate", "POST /v1/generate"]);
    expect((await postTo(`${fake.baseUrlFor("p-run")}/v1/nothing`, {})).status).toBe(404);
  });

  it("accepts 4.x's body (every unset keyword null, prompt_vars {}) and its BEARER scheme", async () => {
    const nulls = { model: null, preset: null, num_generations: null, temperature: null, k: null, p: null, end_sequences: null, stop_sequences: null, return_likelihoods: null, truncate: null };
    const v4 = await post("/v1/generate", { prompt: "v4", prompt_vars: {}, ...nulls, max_tokens: 5, stream: false }, "v4a", "BEARER k");
    const plain = await generate({ prompt: "v4", max_tokens: 5 }, "v4b");
    expect(v4.status).toBe(200);
    expect((v4.json as unknown as GenerateJson).generations[0].text).toBe(plain.generations[0].text);
    expect((await post("/v1/generate", { prompt: "v4", prompt_vars: { name: "x" } })).status).toBe(400);
  });

  it("puts a thinking item first when the request enables thinking, the model reasons, or the run asks", async () => {
    const types = async (body: Record<string, unknown>, run: string) => (await chat({ model: "command-a-03-2025", messages, ...body }, run)).message.content.map((c) => c.type);
    fake.configureRun("thinking-run", { thinking: true });
    expect(await types({}, "plain-run")).toEqual(["text"]);
    expect(await types({ thinking: { type: "enabled" } }, "t-a")).toEqual(["thinking", "text"]);
    expect(await types({ model: "command-a-reasoning-08-2025" }, "t-b")).toEqual(["thinking", "text"]);
    expect(await types({ model: "command-a-reasoning-08-2025", thinking: { type: "disabled" } }, "t-c")).toEqual(["text"]);
    expect(await types({}, "thinking-run")).toEqual(["thinking", "text"]);
    const withThinking = await chat({ model: "command-a-03-2025", messages, temperature: 0.75 }, "thinking-run");
    const without = await chat({ model: "command-a-03-2025", messages, temperature: 0.75 }, "t-d");
    expect(withThinking.message.content[1].text).toBe(without.message.content[0].text);
  });

  it("streams the thinking as its own content block before the text", async () => {
    const res = await fetch(`${fake.baseUrlFor("t-stream")}/v2/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body: JSON.stringify({ model: "command-a-reasoning-08-2025", messages, stream: true }),
    });
    const events = (await res.text())
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice("data: ".length)) as { type: string; index?: number; delta?: { message?: { content?: Record<string, string> } } });
    const starts = events.filter((e) => e.type === "content-start").map((e) => [e.index, e.delta?.message?.content?.type]);
    expect(starts).toEqual([
      [0, "thinking"],
      [1, "text"],
    ]);
    const deltas = events.filter((e) => e.type === "content-delta");
    expect(deltas.filter((e) => e.index === 0).every((e) => typeof e.delta?.message?.content?.thinking === "string" && e.delta.message.content.text === undefined)).toBe(true);
    expect(deltas.filter((e) => e.index === 1).every((e) => typeof e.delta?.message?.content?.text === "string")).toBe(true);
  });
});
