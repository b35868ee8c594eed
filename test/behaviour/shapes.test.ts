/**
 * More code shapes found in real repositories, by behaviour (see core.test.ts for the method):
 * request objects built apart from the call, spreads, generation variables, several calls, optional
 * reads, JavaScript classes. Programs that print several generations sort them (parallel Chat calls
 * arrive in any order).
 */
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { expectSameOutput, runMigrated, type Migration, type Program } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

const expectSame = (program: Program): Promise<Migration> => expectSameOutput(fake, program);
const ts = (source: string): Program => ({ files: { "main.ts": source }, entry: "main.ts" });
const js = (source: string): Program => ({ files: { "main.js": source }, entry: "main.js" });

describe("requests", () => {
  it("request object in a variable, used once", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const request = { prompt: "Write a product description", maxTokens: 19, stopSequences: ["."] };
  const response = await cohere.generate(request);
  console.log(response.generations[0].text);
}

main();
`),
    );
  });

  it("a spread that sets temperature wins over the pin", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });
const defaults = { temperature: 0.4, maxTokens: 16 };

async function main() {
  const response = await cohere.generate({ ...defaults, prompt: "Explain rainbows" });
  console.log(response.generations[0].text);
}

main();
`),
    );
    expect(m.after.requests.map((r) => (r.body as { temperature?: number }).temperature)).toEqual([0.4]);
  });

  it("a spread whose optional model and temperature are present but undefined: Generate's defaults still apply", async () => {
    const m = await expectSame({
      entry: "main.ts",
      typeCheck: true,
      files: {
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "key" });

interface GenOptions {
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

async function ask(prompt: string, opts: GenOptions = {}): Promise<string> {
  const res = await co.generate({ ...opts, prompt });
  return res.generations[0].text;
}

async function main() {
  // COHERE_MODEL and the temperature are unset: both keys are there, holding undefined.
  console.log(await ask("Name a colour", { model: process.env.COHERE_MODEL, temperature: undefined, maxTokens: 9 }));
  console.log(await ask("Name a fruit", { temperature: 0.2 }));
}

main();
`,
      },
    });
    expect(m.after.requests.map((r) => (r.body as { temperature?: number }).temperature)).toEqual([0.75, 0.2]);
  });

  it("a retired model as the fallback of an environment variable", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ model: process.env.COHERE_MODEL ?? "command", prompt: "Rewrite more formally: hi", maxTokens: 16 });
  console.log(response.generations[0].text);
}

main();
`),
    );
    expect(m.after.requests.map((r) => (r.body as { model?: string }).model)).toEqual(["command-a-03-2025"]);
  });

  it("two identical calls in a row get two samples, before and after", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const first = await cohere.generate({ prompt: "Pick a name", maxTokens: 6 });
  const second = await cohere.generate({ prompt: "Pick a name", maxTokens: 6 });
  console.log(first.generations[0].text);
  console.log(second.generations[0].text);
}

main();
`),
    );
  });

  it("numGenerations from a variable, with a stop sequence, read in for...of", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function ideas(count: number): Promise<string[]> {
  const response = await cohere.generate({ prompt: "Blog post ideas", numGenerations: count, stopSequences: ["\\n"], maxTokens: 24 });
  const out: string[] = [];
  for (const generation of response.generations) out.push(generation.text.trim());
  return out;
}

async function main() {
  // Sorted: parallel calls arrive in any order.
  console.log((await ideas(3)).sort().join("\\n"));
}

main();
`),
    );
  });
});

describe("responses", () => {
  it("a generation held in a variable", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Rhyme with moon", maxTokens: 14 });
  const first = response.generations[0];
  console.log(first.text);
}

main();
`),
    );
  });

  it("nested destructuring: const { generations: [first] } = await ...", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function oneLiner(subject: string): Promise<string> {
  const {
    generations: [first],
  } = await cohere.generate({ prompt: \`One line about \${subject}\`, maxTokens: 10 });
  return first.text;
}

oneLiner("the moon").then(console.log);
`),
    );
  });

  it("responses annotated with Cohere.Generation and Cohere.SingleGeneration", async () => {
    await expectSame(
      ts(`import { CohereClient, Cohere } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function typed(prompt: string): Promise<string> {
  const response: Cohere.Generation = await cohere.generate({ prompt, maxTokens: 7 });
  const first: Cohere.SingleGeneration = response.generations[0];
  return first.text;
}

typed("Typed call").then(console.log);
`),
    );
  });

  it("optional reads with a fallback", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Optional reads", maxTokens: 17 });
  const text = response.generations[0]?.text ?? "(nothing)";
  console.log(text.trim());
}

main();
`),
    );
  });

  it(".then with a destructured parameter (JavaScript)", async () => {
    await expectSame(
      js(`const { CohereClient } = require("cohere-ai");

const cohere = new CohereClient({ token: "key" });

cohere
  .generate({ prompt: "Destructure me", maxTokens: 13, endSequences: ["--"] })
  .then(({ generations }) => {
    console.log(generations[0].text);
  });
`),
    );
  });
});

describe("clients", () => {
  it("a JavaScript class assigning the client in its constructor", async () => {
    await expectSame(
      js(`const { CohereClient } = require("cohere-ai");

class Assistant {
  constructor() {
    this.cohere = new CohereClient({ token: "key" });
  }

  async answer(question) {
    const response = await this.cohere.generate({ prompt: question, temperature: 0.2, maxTokens: 15 });
    return response.generations[0].text;
  }
}

new Assistant().answer("Why is the sky blue?").then(console.log);
`),
    );
  });

  it("a parameter typed as CohereClient", async () => {
    await expectSame({
      entry: "main.ts",
      files: {
        "summarise.ts": `import type { CohereClient } from "cohere-ai";

export async function summarise(client: CohereClient, text: string): Promise<string> {
  const response = await client.generate({ prompt: \`Summarise: \${text}\`, maxTokens: 20, k: 3 });
  return response.generations[0].text;
}
`,
        "main.ts": `import { CohereClient } from "cohere-ai";
import { summarise } from "./summarise";

summarise(new CohereClient({ token: "key" }), "a long report").then((s) => console.log(s));
`,
      },
    });
  });

  it("JavaScript clients typed by JSDoc: a parameter, a nullable constructor parameter stored on this, a let", async () => {
    await expectSame({
      entry: "main.js",
      files: {
        "summarise.js": `// @ts-check
/** @param {import("cohere-ai").CohereClient} client @param {string} text */
async function summarise(client, text) {
  const response = await client.generate({ prompt: \`Summarise: \${text}\`, maxTokens: 20 });
  return response.generations[0].text;
}

class Tagger {
  /** @param {?import("cohere-ai").CohereClient} co */
  constructor(co) {
    this.co = co;
  }

  /** @param {string} text */
  async tag(text) {
    if (!this.co) return "";
    const r = await this.co.generate({ prompt: \`Tag: \${text}\`, k: 2 });
    return r.generations[0].text;
  }
}

/** @type {import("cohere-ai").CohereClient | undefined} */
let shared;
async function shout(text) {
  const r = await shared.generate({ prompt: text, maxTokens: 9 });
  return r.generations[0].text.toUpperCase();
}
function use(client) {
  shared = client;
}

module.exports = { summarise, Tagger, shout, use };
`,
        "main.js": `const { CohereClient } = require("cohere-ai");
const { summarise, Tagger, shout, use } = require("./summarise");

async function main() {
  const co = new CohereClient({ token: "key" });
  use(co);
  console.log(await summarise(co, "a long report"));
  console.log(await new Tagger(co).tag("a cat on a mat"));
  console.log(await shout("hello"));
}
main();
`,
      },
    });
  });

  it("a namespace import and an ESM module with a default-exported function", async () => {
    await expectSame({
      entry: "main.mjs",
      files: {
        "generate.mjs": `import * as cohereAi from "cohere-ai";

const cohere = new cohereAi.CohereClient({ token: "key" });

export default async function complete(prompt) {
  const response = await cohere.generate({ prompt, maxTokens: 11, presencePenalty: 0.5 });
  return response.generations[0].text;
}
`,
        "main.mjs": `import complete from "./generate.mjs";

console.log(await complete("Finish this sentence"));
`,
      },
    });
  });
});

// SPEC follows responses through await, .then, destructuring, for...of, .map and returns, and rewrites
// requests it can see; a request built out of reach gets a marker and is left as it was.
describe("shapes at the edge of what migrate follows", () => {
  it("Promise.allSettled over prompts: each fulfilled value is a response, status and reason stay", async () => {
    await expectSame({
      entry: "main.ts",
      typeCheck: true,
      files: {
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "key" });
const prompts = ["Name a river", "Name a mountain"];

async function main() {
  const results = await Promise.allSettled(prompts.map((prompt) => co.generate({ prompt, maxTokens: 10 })));
  for (const r of results) {
    if (r.status === "fulfilled") console.log("ok", r.value.generations[0].text);
    else console.log("err", String(r.reason));
  }
  const [first] = results;
  if (first.status === "fulfilled") console.log(first.value.generations.length);
  const texts = results.flatMap((r) => (r.status === "fulfilled" ? r.value.generations.map((g) => g.text) : []));
  console.log(texts.length);
}

main();
`,
      },
    });
  });

  it("several calls awaited together with Promise.all, read through .entries(), are followed", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const topics = ["bees", "clouds", "trains"];
  const responses = await Promise.all(topics.map((topic) => cohere.generate({ prompt: \`One fact about \${topic}\`, maxTokens: 12 })));
  for (const [i, response] of responses.entries()) console.log(topics[i], "=>", response.generations[0].text);
}

main();
`),
    );
  });

  it("one typed request object shared by two calls and a spread of it: both calls are left on Generate, marked", async () => {
    const m = await runMigrated(
      fake,
      ts(`import { CohereClient, Cohere } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });
const request: Cohere.GenerateRequest = { prompt: "Say hello", maxTokens: 9, endSequences: ["END"] };

async function main() {
  const first = await cohere.generate(request);
  const second = await cohere.generate({ ...request, temperature: 0.1 });
  console.log(first.generations[0].text);
  console.log(second.generations[0].text);
}

main();
`),
    );
    // The shared request holds a prompt and end sequences: Chat would reject both calls as
    // written, so they stay on Generate (and keep working), marked: the typed request object
    // (request-shape), the call that passes it (request-shape), the call that spreads it.
    const markers = [...m.migrated.values()].flatMap((text) => [...text.matchAll(/cohere-migrate: ([a-z-]+)/g)].map((x) => x[1]));
    expect(markers.sort()).toEqual(["request-shape", "request-shape", "spread-unchecked"]);
    expect({ code: m.after.code, stdout: m.after.stdout }).toEqual({ code: 0, stdout: m.before.stdout });
  });
});
