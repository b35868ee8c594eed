/**
 * Raw REST calls (`rest-generate-to-chat`), by behaviour: programs that POST to the Generate endpoint
 * with `fetch` or `axios` (the preload sends `api.cohere.ai` / `api.cohere.com` traffic to the fake,
 * and records the URL each asked for) are migrated in place and must print the same through a POST to
 * `https://api.cohere.com/v2/chat` only. No SDK is involved. See core.test.ts for the method.
 */
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { endpoints } from "../support/run-program";
import { expectSameOutput, runMigrated, type Migration, type Program } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

const CHAT_URL = "https://api.cohere.com/v2/chat";

/** A Generate URL left in code, on either host, with or without /v1. */
const GENERATE_URL_LEFT = /api\.cohere\.(ai|com)(\/v1)?\/generate\b|["'`]\/generate["'`]/;

function rest(entry: string, source: string, legacyEndpoints: readonly string[] = ["POST /v1/generate"]): Program {
  return { files: { [entry]: source }, entry, legacyEndpoints, legacyText: GENERATE_URL_LEFT };
}

/** Runs, migrates, runs again; the migrated program asked for the Chat URL itself, not a redirect of another one. */
async function expectSame(program: Program): Promise<Migration> {
  const m = await expectSameOutput(fake, program);
  expect([...new Set(m.after.requests.map((r) => r.originalUrl))]).toEqual([CHAT_URL]);
  return m;
}

function chatBodies(m: Migration): Array<Record<string, unknown>> {
  return m.after.requests.filter((r) => r.path === "/v2/chat").map((r) => r.body as Record<string, unknown>);
}

describe("fetch", () => {
  it("await res.json() and data.generations[0].text", async () => {
    const m = await expectSame(
      rest(
        "main.js",
        `async function generateReply(message) {
  const res = await fetch("https://api.cohere.ai/v1/generate", {
    method: "POST",
    headers: {
      Authorization: \`Bearer \${process.env.CO_API_KEY}\`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      model: "command",
      prompt: \`Reply politely to: \${message}\`,
      max_tokens: 30,
    }),
  });
  const data = await res.json();
  return data.generations[0].text;
}

generateReply("where is my parcel?").then(console.log);
`,
      ),
    );
    expect(chatBodies(m)).toEqual([expect.objectContaining({ model: "command-a-03-2025", max_tokens: 30, temperature: 0.75 })]);
  });

  it("a top-level-await script in a \"type\": \"module\" package, importing nothing: its helpers are written into it (require would throw there)", async () => {
    const program = rest(
      "script.js",
      `const res = await fetch("https://api.cohere.ai/v1/generate", {
  method: "POST",
  headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\`, "Content-Type": "application/json" },
  body: JSON.stringify({ prompt: "Name a colour.", max_tokens: 12 }),
});
const data = await res.json();
console.log(data.generations[0].text);
`,
    );
    const m = await expectSame({ ...program, files: { ...program.files, "package.json": JSON.stringify({ name: "tla", type: "module" }) } });
    expect(m.migrated.get("script.js")).not.toMatch(/\brequire\(|^import /m);
  });

  it("an error answer read without a status check still fails where Generate's did (a missing key: the catch runs)", async () => {
    await expectSame(
      rest(
        "main.js",
        `async function reply(prompt) {
  try {
    const res = await fetch("https://api.cohere.ai/v1/generate", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt, max_tokens: 12 }),
    });
    const data = await res.json();
    return data.generations[0].text;
  } catch (error) {
    return "Sorry, something went wrong: " + error.name;
  }
}

reply("Name a colour.").then(console.log);
`,
      ),
    );
  });

  it(".then(res => res.json()) chain to the unversioned URL (ESM)", async () => {
    await expectSame(
      rest(
        "main.mjs",
        `const API_KEY = process.env.CO_API_KEY;

export function suggestTitle(text) {
  return fetch("https://api.cohere.ai/generate", {
    method: "POST",
    headers: { Authorization: \`Bearer \${API_KEY}\`, "Content-Type": "application/json" },
    body: JSON.stringify({ prompt: \`Title for: \${text}\`, max_tokens: 12, model: "command-nightly" }),
  })
    .then((res) => res.json())
    .then((data) => data.generations[0].text.trim());
}

console.log(await suggestTitle("a walk along the harbour"));
`,
        ["POST /generate"],
      ),
    );
  });

  it("num_generations: 3 with a res.ok check, mapped over the generations", async () => {
    const m = await expectSame(
      rest(
        "main.js",
        `async function slogans(brand) {
  const res = await fetch("https://api.cohere.com/v1/generate", {
    method: "POST",
    headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\`, "Content-Type": "application/json" },
    body: JSON.stringify({ prompt: \`A slogan for \${brand}:\`, max_tokens: 15, num_generations: 3 }),
  });
  if (!res.ok) throw new Error("Cohere request failed");
  const data = await res.json();
  return data.generations.map((g) => g.text.trim());
}

// Sorted: the migrated program makes three Chat calls in parallel, answered in arrival order.
slogans("Acme Tea").then((list) => console.log(list.sort().map((s) => JSON.stringify(s)).join("\\n")));
`,
      ),
    );
    expect(chatBodies(m)).toHaveLength(3);
  });

  it("stop and end sequences cut the text client-side", async () => {
    const m = await expectSame(
      rest(
        "main.js",
        `async function firstLine(prompt) {
  const res = await fetch("https://api.cohere.ai/v1/generate", {
    method: "POST",
    headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\`, "Content-Type": "application/json" },
    body: JSON.stringify({
      prompt,
      max_tokens: 80,
      stop_sequences: ["."],
      end_sequences: ["###"],
    }),
  });
  const data = await res.json();
  return data.generations[0].text;
}

async function main() {
  for (const prompt of ["Describe a garden", "Describe a harbour", "Describe a summit"]) {
    console.log(JSON.stringify(await firstLine(prompt)));
  }
}

main();
`,
      ),
    );
    for (const body of chatBodies(m)) expect(Object.keys(body)).not.toContain("stop_sequences");
  });

  it("URL in a const, payload in a variable, text and finish reason returned (TypeScript)", async () => {
    await expectSame(
      rest(
        "main.ts",
        `const COHERE_GENERATE_URL = "https://api.cohere.com/v1/generate";

async function complete(prompt: string): Promise<{ text: string; reason: string }> {
  const payload = { prompt, max_tokens: 20, temperature: 0.3 };
  const res = await fetch(COHERE_GENERATE_URL, {
    method: "POST",
    headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\`, "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  if (!res.ok) {
    throw new Error(\`Cohere request failed: \${res.status}\`);
  }
  const data = await res.json();
  return { text: data.generations[0].text, reason: data.generations[0].finish_reason };
}

complete("Explain compound interest").then((out) => console.log(out.reason, JSON.stringify(out.text)));
`,
      ),
    );
  });
});

describe("axios", () => {
  it("axios.post and response.data (CommonJS)", async () => {
    await expectSame(
      rest(
        "main.js",
        `const axios = require("axios");

async function describe(product) {
  const response = await axios.post(
    "https://api.cohere.ai/v1/generate",
    {
      model: "command-r",
      prompt: \`Describe \${product} in one sentence.\`,
      max_tokens: 25,
      temperature: 0.5,
    },
    { headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\` } },
  );
  return response.data.generations[0].text;
}

describe("a paper kite").then(console.log);
`,
      ),
    );
  });

  it("destructured { data } with billed units (TypeScript default import)", async () => {
    await expectSame(
      rest(
        "main.ts",
        `import axios from "axios";

async function billedTokens(prompt: string): Promise<number> {
  const { data } = await axios.post(
    "https://api.cohere.com/v1/generate",
    { prompt, max_tokens: 30, seed: 42 },
    { headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\` } },
  );
  console.log(data.generations[0].text);
  return data.meta.billed_units.output_tokens;
}

billedTokens("Write a weather report").then((tokens) => console.log("billed:", tokens));
`,
      ),
    );
  });

  it("destructured { data } with stop and end sequences: the awaited response is cut before it is taken apart", async () => {
    const m = await expectSame(
      rest(
        "main.ts",
        `import axios from "axios";

async function complete(prompt: string): Promise<string> {
  const { data, status } = await axios.post(
    "https://api.cohere.com/v1/generate",
    { prompt, max_tokens: 40, stop_sequences: ["."], end_sequences: ["\\n"] },
    { headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\` } },
  );
  return \`\${status}: \${data.generations[0].text}\`;
}

complete("Describe the sea").then(console.log);
`,
      ),
    );
    expect(m.migrated.get("main.ts")).toContain("cutAtSequences(res.data,");
  });

  it("axios(config) with the URL in a const, .then(res => res.data...)", async () => {
    await expectSame(
      rest(
        "main.js",
        `const axios = require("axios");

const GENERATE_URL = "https://api.cohere.ai/v1/generate";

function outline(topic) {
  return axios({
    method: "post",
    url: GENERATE_URL,
    headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\` },
    data: { prompt: \`Outline an essay on \${topic}\`, max_tokens: 26, return_likelihoods: "NONE" },
  }).then((res) => res.data.generations[0].text);
}

outline("canals").then(console.log);
`,
      ),
    );
  });

  it("axios(options) and axios.request(options) with the config in a const", async () => {
    await expectSame(
      rest(
        "main.js",
        `const axios = require("axios");

const options = {
  method: "POST",
  url: "https://api.cohere.ai/v1/generate",
  headers: { authorization: \`Bearer \${process.env.CO_API_KEY}\` },
  data: { model: "command", prompt: "Name a river", max_tokens: 12 },
};
const again = {
  method: "POST",
  url: "https://api.cohere.ai/v1/generate",
  headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\` },
  data: { prompt: "Name a lake", max_tokens: 12, stop_sequences: ["."] },
};

async function main() {
  const first = await axios(options);
  console.log(first.data.generations[0].text);
  const second = await axios.request(again);
  console.log(second.status, second.data.generations[0].text);
}

main();
`,
      ),
    );
  });

  it("fetch with the error body read as text when the request failed", async () => {
    await expectSame(
      rest(
        "main.mjs",
        `async function complete(prompt) {
  const res = await fetch("https://api.cohere.ai/v1/generate", {
    method: "POST",
    headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\`, "Content-Type": "application/json" },
    body: JSON.stringify({ prompt, max_tokens: 15 }),
  });
  if (!res.ok) {
    const detail = await res.text();
    throw new Error(\`failed: \${detail}\`);
  }
  const data = await res.json();
  return data.generations[0].text;
}

console.log(await complete("A word for dusk"));
`,
      ),
    );
  });

  it("session 34: error bodies read as JSON (in the failure branch, before the status check with stop sequences, through ?. with a fallback) say what they said", async () => {
    await expectSame(
      rest(
        "main.mjs",
        `const headers = { "Content-Type": "application/json" };

async function thrown(prompt) {
  const res = await fetch("https://api.cohere.ai/v1/generate", { method: "POST", headers, body: JSON.stringify({ prompt, max_tokens: 12 }) });
  if (!res.ok) {
    const err = await res.json();
    throw new Error(err.message);
  }
  const { generations } = await res.json();
  return generations[0].text;
}

async function route(prompt) {
  const response = await fetch("https://api.cohere.ai/v1/generate", { method: "POST", headers, body: JSON.stringify({ prompt, max_tokens: 12, stop_sequences: ["."] }) });
  const data = await response.json();
  if (!response.ok) return { status: response.status, error: data.message };
  return { status: 200, text: data.generations[0].text };
}

async function fallback(prompt) {
  const response = await fetch("https://api.cohere.ai/v1/generate", { method: "POST", headers, body: JSON.stringify({ prompt, max_tokens: 12 }) });
  const result = await response.json();
  return result.generations?.[0]?.text || "No response.";
}

console.log(await thrown("A word for dusk").catch((e) => "caught: " + e.message));
console.log(JSON.stringify(await route("A word for dawn")));
console.log(await fallback("A word for noon"));
`,
      ),
    );
  });

  it("an axios instance with a Cohere baseURL and a status check", async () => {
    await expectSame(
      rest(
        "main.mjs",
        `import axios from "axios";

const cohereApi = axios.create({
  baseURL: "https://api.cohere.ai/v1",
  headers: { Authorization: \`Bearer \${process.env.CO_API_KEY}\` },
});

async function tagline(product) {
  const res = await cohereApi.post("/generate", { prompt: \`Tagline for \${product}\`, max_tokens: 20, stop_sequences: ["--"] });
  if (res.status !== 200) return null;
  return res.data.generations[0].text;
}

console.log(JSON.stringify(await tagline("solar lanterns")));
`,
      ),
    );
  });
});

describe("what the transform cannot see", () => {
  it("a URL from the environment: marked, and the call left as it was", async () => {
    // The endpoint is only known at run time: rewriting the body without the URL could send a Chat
    // body to a Generate proxy. SPEC: a marker, never a silent change, so the program still works.
    const m = await runMigrated(
      fake,
      rest(
        "main.js",
        `const axios = require("axios");

// Overridable for a proxy in staging.
const GENERATE_URL = process.env.COHERE_GENERATE_URL ?? "https://api.cohere.ai/v1/generate";

async function echo(prompt) {
  const { data } = await axios.post(GENERATE_URL, { prompt, max_tokens: 9 }, { headers: { Authorization: "Bearer key" } });
  return data.generations[0].text;
}

echo("Say hi").then(console.log);
`,
      ),
    );
    expect(m.migrated.get("main.js")).toContain("cohere-migrate: rest-request");
    const run = (r: Migration["before"]) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr, endpoints: endpoints(r) });
    expect(run(m.before)).toEqual({ code: 0, stdout: expect.stringMatching(/\S/), stderr: "", endpoints: ["POST /v1/generate"] });
    expect(run(m.after)).toEqual(run(m.before));
  });
});
