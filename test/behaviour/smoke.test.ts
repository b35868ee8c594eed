/**
 * The fake and the runner serve every client the later behaviour tests need: unmigrated programs on
 * cohere-ai 8.1.0 (streaming), cohere-ai 6.2.2 (https.request) and raw REST (fetch) print the text
 * the fake generates, and the fake records which endpoint and host each program used.
 */
import { startFakeCohere, textFor, type FakeCohere } from "../support/fake-cohere";
import { endpoints, removeProgram, runProgram, writeProgram, type ProgramDir, type RunResult, type Sdk } from "../support/run-program";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

const dirs: ProgramDir[] = [];
afterAll(() => dirs.forEach(removeProgram));

async function run(files: Record<string, string>, entry: string, sdk: Sdk = "v8"): Promise<RunResult> {
  const dir = writeProgram(files);
  dirs.push(dir);
  const result = await runProgram(dir, { fake, entry, sdk });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
  return result;
}

describe("cohere-ai 8.1.0 generateStream", () => {
  it("streams text-generation events and a stream-end event with the whole generation", async () => {
    const result = await run(
      {
        "stream.ts": `import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const stream = await cohere.generateStream({ prompt: "Stream a story", maxTokens: 25, temperature: 0.4 });
  let text = "";
  let events = 0;
  for await (const event of stream) {
    if (event.eventType === "text-generation") {
      text += event.text;
      events++;
    } else if (event.eventType === "stream-end") {
      console.log("end:", event.finishReason, JSON.stringify(event.response.generations?.[0]?.text));
    }
  }
  console.log("text:", JSON.stringify(text));
  console.log("events:", events > 1);
}

main();
`,
      },
      "stream.ts",
    );
    const expected = JSON.stringify(textFor("generate", "Stream a story", { max_tokens: 25, temperature: 0.4 }));
    expect(result.stdout).toBe(`end: MAX_TOKENS ${expected}\ntext: ${expected}\nevents: true\n`);
    expect(endpoints(result)).toEqual(["POST /v1/generate"]);
    expect(result.requests[0].body).toMatchObject({ stream: true, max_tokens: 25 });
  });

  it("streams Chat v2 server-sent events to chatStream", async () => {
    const result = await run(
      {
        "chat-stream.ts": `import { CohereClientV2 } from "cohere-ai";

const cohere = new CohereClientV2({ token: "key" });

async function main() {
  const stream = await cohere.chatStream({ model: "command-a-03-2025", messages: [{ role: "user", content: "Stream a story" }], maxTokens: 25, temperature: 0.4 });
  let text = "";
  for await (const event of stream) {
    if (event.type === "content-delta") text += event.delta?.message?.content?.text ?? "";
    if (event.type === "message-end") console.log("end:", event.delta?.finishReason, event.delta?.usage?.billedUnits?.outputTokens);
  }
  console.log("text:", JSON.stringify(text));
}

main();
`,
      },
      "chat-stream.ts",
    );
    expect(result.stdout).toBe(`end: MAX_TOKENS 25\ntext: ${JSON.stringify(textFor("chat", "Stream a story", { max_tokens: 25, temperature: 0.4 }))}\n`);
    expect(endpoints(result)).toEqual(["POST /v2/chat"]);
  });
});

describe("cohere-ai 8.1.0 errors", () => {
  it("throws the SDK's typed errors for Chat requests the fake rejects", async () => {
    const result = await run(
      {
        "errors.ts": `import { CohereClient, CohereError } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });
const messages = [{ role: "user" as const, content: "Hello" }];

async function attempt(name: string, call: () => Promise<unknown>) {
  try {
    await call();
    console.log(name, "ok");
  } catch (error) {
    console.log(name, error instanceof CohereError ? \`\${error.constructor.name} \${error.statusCode}\` : String(error));
  }
}

async function main() {
  await attempt("retired", () => cohere.v2.chat({ model: "command-light", messages }));
  await attempt("too hot", () => cohere.v2.chat({ model: "command-a-03-2025", messages, temperature: 1.5 }));
  await attempt("generate-only", () => cohere.v2.chat({ model: "command-a-03-2025", messages, ...{ truncate: "END" } }));
  await attempt("fine", () => cohere.v2.chat({ model: "command-a-03-2025", messages }));
}

main();
`,
      },
      "errors.ts",
    );
    expect(result.stdout).toBe("retired NotFoundError 404\ntoo hot BadRequestError 400\ngenerate-only BadRequestError 400\nfine ok\n");
  });
});

describe("cohere-ai 6.2.2", () => {
  it("posts to api.cohere.ai/v1/generate with https.request and resolves with statusCode and the raw body", async () => {
    const result = await run(
      {
        "v6.js": `const cohere = require("cohere-ai");

cohere.init("key");

(async () => {
  const response = await cohere.generate({ prompt: "Old SDK", max_tokens: 30, temperature: 0.9, stop_sequences: ["."] });
  console.log(response.statusCode);
  console.log(JSON.stringify(response.body.generations[0].text));
})();
`,
      },
      "v6.js",
      "v6",
    );
    expect(result.stdout).toBe(`200\n${JSON.stringify(textFor("generate", "Old SDK", { max_tokens: 30, temperature: 0.9, stop_sequences: ["."] }))}\n`);
    expect(result.requests.map((r) => r.originalUrl)).toEqual(["https://api.cohere.ai/v1/generate"]);
    expect(result.requests[0].headers["request-source"]).toBe("node-sdk");
  });

  it("runs a TypeScript default import of the v6 module and sees errors as a statusCode", async () => {
    const result = await run(
      {
        "v6.ts": `import cohere from "cohere-ai";

cohere.init("key");

async function main() {
  const ok = await cohere.generate({ prompt: "Typed old SDK", max_tokens: 12 });
  console.log(ok.statusCode, JSON.stringify(ok.body.generations[0].text));
  const bad = await cohere.generate({ prompt: "Typed old SDK", num_generations: 9 });
  console.log(bad.statusCode, typeof (bad.body as { message?: string }).message);
}

main();
`,
      },
      "v6.ts",
      "v6",
    );
    expect(result.stdout).toBe(`200 ${JSON.stringify(textFor("generate", "Typed old SDK", { max_tokens: 12 }))}\n400 string\n`);
  });
});

describe("REST", () => {
  it.each([
    ["https://api.cohere.ai/generate", "POST /generate"],
    ["https://api.cohere.com/v1/generate", "POST /v1/generate"],
  ])("serves fetch(%s) with Generate's semantics", async (url, endpoint) => {
    const result = await run(
      {
        "rest.mjs": `const res = await fetch(${JSON.stringify(url)}, {
  method: "POST",
  headers: { Authorization: "Bearer key", "Content-Type": "application/json" },
  body: JSON.stringify({ prompt: "Raw call", max_tokens: 40, end_sequences: ["--"], num_generations: 2 }),
});
const data = await res.json();
for (const g of data.generations) console.log(JSON.stringify(g.text));
console.log(data.meta.billed_units.input_tokens);
`,
      },
      "rest.mjs",
    );
    const knobs = { max_tokens: 40, end_sequences: ["--"] };
    expect(result.stdout).toBe(`${JSON.stringify(textFor("generate", "Raw call", knobs, 0))}\n${JSON.stringify(textFor("generate", "Raw call", knobs, 1))}\n2\n`);
    expect(endpoints(result)).toEqual([endpoint]);
    expect(result.requests[0].originalUrl).toBe(url);
  });

  it("serves axios.post through the https.request interception", async () => {
    const result = await run(
      {
        "axios.js": `const axios = require("axios");

async function main() {
  const { data, status } = await axios.post(
    "https://api.cohere.ai/v1/generate",
    { prompt: "Axios call", max_tokens: 21, stop_sequences: ["###"] },
    { headers: { Authorization: "Bearer key" } },
  );
  console.log(status, JSON.stringify(data.generations[0].text));
}

main();
`,
      },
      "axios.js",
    );
    expect(result.stdout).toBe(`200 ${JSON.stringify(textFor("generate", "Axios call", { max_tokens: 21, stop_sequences: ["###"] }))}\n`);
    expect(result.requests.map((r) => r.originalUrl)).toEqual(["https://api.cohere.ai/v1/generate"]);
  });

  it("serves fetch to https://api.cohere.com/v2/chat and rejects a Generate body there", async () => {
    const result = await run(
      {
        "chat.mjs": `async function post(body) {
  const res = await fetch("https://api.cohere.com/v2/chat", {
    method: "POST",
    headers: { Authorization: "Bearer key", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return [res.status, await res.json()];
}
const [status, data] = await post({ model: "command-a-03-2025", messages: [{ role: "user", content: "Raw chat" }], max_tokens: 20 });
console.log(status, JSON.stringify(data.message.content[0].text), data.finish_reason);
const [rejected] = await post({ model: "command-a-03-2025", prompt: "Raw chat", max_tokens: 20 });
console.log(rejected);
`,
      },
      "chat.mjs",
    );
    expect(result.stdout).toBe(`200 ${JSON.stringify(textFor("chat", "Raw chat", { max_tokens: 20 }))} MAX_TOKENS\n400\n`);
  });
});
