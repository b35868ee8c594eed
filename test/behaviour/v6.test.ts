/**
 * cohere-ai v6 (`cohere-v6-to-v8`), by behaviour: programs written for cohere-ai 6.2.2 (`cohere.init`,
 * snake_case requests, `response.body.generations`) run on 6.2.2, which posts with `https.request` to
 * `api.cohere.ai/v1/generate` (the preload sends that to the fake). They are migrated in place and run
 * again on cohere-ai 8.1.0, the version the migration raises `package.json` to: the harness re-links
 * `node_modules/cohere-ai` the way a user's `npm install` would after that bump. They must print the
 * same through `/v2/chat` only. See core.test.ts for the method.
 */
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { expectMarkedChange, expectSameOutput, type Migration, type Program } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

/** What a v6 project declares; the migration must raise it to cohere-ai 8. */
const PACKAGE_JSON = `${JSON.stringify({ name: "v6-app", version: "1.0.0", private: true, dependencies: { "cohere-ai": "^6.2.2" } }, null, 2)}\n`;

/**
 * No v6 call and no `init` is left in code (a line that is not a comment): cohere-ai 8's module has
 * neither, so either would throw after the dependency bump.
 */
const V6_LEFT = /^(?!\s*(\/\/|\/\*|\*)).*\.(generate|init)\s*\(/m;

function v6(entry: string, source: string, more: Readonly<Record<string, string>> = {}): Program {
  return { files: { [entry]: source, ...more, "package.json": PACKAGE_JSON }, entry, sdk: "v6", legacyText: V6_LEFT };
}

/** Runs, migrates, runs on cohere-ai 8; also checks the dependency bump the re-link stands for. */
async function expectSame(program: Program): Promise<Migration> {
  const m = await expectSameOutput(fake, program);
  expect(m.result.dependencyUpdates).toEqual([expect.objectContaining({ file: "package.json", to: "^8.1.0", applied: true })]);
  expect(JSON.parse(m.migrated.get("package.json") ?? "{}")).toMatchObject({ dependencies: { "cohere-ai": "^8.1.0" } });
  // The original really went through v6's https.request to the old host.
  expect(m.before.requests.map((r) => r.originalUrl)).toEqual(m.before.requests.map(() => "https://api.cohere.ai/v1/generate"));
  return m;
}

function chatBodies(m: Migration): Array<Record<string, unknown>> {
  return m.after.requests.filter((r) => r.path === "/v2/chat").map((r) => r.body as Record<string, unknown>);
}

describe("a bound reference to the module's generate", () => {
  it("cohere.generate.bind(cohere), called with a visible request, moves with the module in one run", async () => {
    const m = await expectSame(
      v6(
        "main.js",
        `const cohere = require("cohere-ai");
cohere.init("key");

const gen = cohere.generate.bind(cohere);

async function main() {
  const direct = await cohere.generate({ prompt: "Direct call", max_tokens: 12 });
  const bound = await gen({ prompt: "Bound call", max_tokens: 9 });
  console.log(direct.body.generations[0].text, "|", bound.body.generations[0].text);
}

main();
`,
      ),
    );
    expect(chatBodies(m)).toHaveLength(2);
  });
});

describe("where init is called", () => {
  it("require and init at the top, response.body.generations[0].text", async () => {
    const m = await expectSame(
      v6(
        "main.js",
        `const cohere = require("cohere-ai");

cohere.init("key");

// Completes a sentence for the landing page.
async function tagline(product) {
  const response = await cohere.generate({
    model: "command",
    prompt: \`Write a tagline for \${product}.\`,
    max_tokens: 40,
    temperature: 0.8,
  });
  return response.body.generations[0].text.trim();
}

tagline("a bicycle lamp").then(console.log);
`,
      ),
    );
    expect(chatBodies(m)).toEqual([expect.objectContaining({ model: "command-a-03-2025", max_tokens: 40, temperature: 0.8 })]);
  });

  it("init in a setup function called at start-up", async () => {
    await expectSame(
      v6(
        "main.js",
        `const cohere = require("cohere-ai");

// Called once at start-up with the key from the vault.
function configure(apiKey) {
  cohere.init(apiKey);
}

async function complete(prompt) {
  const response = await cohere.generate({ prompt, max_tokens: 24 });
  return response.body.generations[0].text;
}

async function main() {
  configure("key-from-vault");
  console.log(await complete("Describe autumn"));
  console.log(await complete("Describe winter"));
}

main();
`,
      ),
    );
  });

  it("TypeScript default import, temperature 0 and a stop sequence", async () => {
    await expectSame(
      v6(
        "main.ts",
        `import cohere from "cohere-ai";

cohere.init(process.env.CO_API_KEY ?? "");

/** One line about the message's tone. */
async function tone(message: string): Promise<string> {
  const response = await cohere.generate({
    model: "command-light",
    prompt: \`Friendly or hostile? \${message}\\n\`,
    max_tokens: 30,
    temperature: 0,
    stop_sequences: ["."],
  });
  return response.body.generations[0].text;
}

tone("thanks a lot!").then((t) => console.log(JSON.stringify(t)));
`,
      ),
    );
  });

  it("init in a TypeScript class constructor", async () => {
    await expectSame(
      v6(
        "main.ts",
        `import cohere from "cohere-ai";

class Writer {
  constructor(apiKey: string) {
    cohere.init(apiKey);
  }

  async draft(topic: string): Promise<string> {
    const response = await cohere.generate({
      prompt: \`Draft a paragraph about \${topic}.\`,
      max_tokens: 35,
      temperature: 0.6,
    });
    return response.body.generations[0].text;
  }
}

new Writer("key").draft("lighthouses").then(console.log);
`,
      ),
    );
  });

  it("init in the entry module, generate in another one", async () => {
    // v6 shared one key between modules; the migrated client reads CO_API_KEY (set for every run).
    await expectSame(
      v6(
        "app.js",
        `const cohere = require("cohere-ai");
const { summarize } = require("./summarize");

cohere.init(process.env.CO_API_KEY);

summarize("the minutes of the meeting").then(console.log);
`,
        {
          "summarize.js": `// The key is set once in app.js with cohere.init(...).
const cohere = require("cohere-ai");

exports.summarize = async (text) => {
  const response = await cohere.generate({ prompt: \`Summarize: \${text}\`, max_tokens: 25 });
  return response.body.generations[0].text;
};
`,
        },
      ),
    );
  });

  it("ESM default import in an .mjs module with top-level await", async () => {
    await expectSame(
      v6(
        "main.mjs",
        `import cohere from "cohere-ai";

cohere.init(process.env.CO_API_KEY);

const response = await cohere.generate({ prompt: "Name a constellation", max_tokens: 16, end_sequences: ["--"] });
console.log(JSON.stringify(response.body.generations[0].text));
`,
      ),
    );
  });

  it("the default export destructured from a dynamic import (an optional dependency loaded lazily)", async () => {
    await expectSame(
      v6(
        "main.mjs",
        `async function summarize(text) {
  const { default: cohere } = await import("cohere-ai");
  cohere.init(process.env.CO_API_KEY);
  const response = await cohere.generate({ prompt: \`Summarize: \${text}\`, max_tokens: 20 });
  return response.body.generations[0].text;
}

console.log(await summarize("a long day"));
`,
      ),
    );
  });
});

describe("requests and responses", () => {
  it("num_generations: 3 with the body destructured and mapped", async () => {
    const m = await expectSame(
      v6(
        "main.ts",
        `import cohere from "cohere-ai";

cohere.init(process.env.CO_API_KEY ?? "");

async function catNames(owner: string): Promise<string[]> {
  const { body } = await cohere.generate({
    prompt: \`Name a cat owned by \${owner}:\`,
    num_generations: 3,
    max_tokens: 10,
  });
  return body.generations.map((generation) => generation.text.trim());
}

// Sorted: the migrated program makes three Chat calls in parallel, answered in arrival order.
catNames("Ada").then((names) => console.log(names.sort().map((name) => JSON.stringify(name)).join("\\n")));
`,
      ),
    );
    expect(chatBodies(m)).toHaveLength(3);
    expect(m.before.stdout.trim().split("\n")).toHaveLength(3);
  });

  it("every sampling knob in snake_case, a custom model, end sequences and truncate", async () => {
    const m = await expectSame(
      v6(
        "main.js",
        `const cohere = require("cohere-ai");

cohere.init("key");

async function story(opening) {
  const response = await cohere.generate({
    model: "acme-stories-ft-2024",
    prompt: opening,
    max_tokens: 45,
    temperature: 0.9,
    k: 40,
    p: 0.6,
    frequency_penalty: 0.2,
    presence_penalty: 0.1,
    end_sequences: ["END"],
    truncate: "END",
  });
  return response.body.generations[0].text;
}

story("Once upon a time").then((text) => console.log(JSON.stringify(text)));
`,
      ),
    );
    expect(chatBodies(m)).toEqual([
      expect.objectContaining({ model: "acme-stories-ft-2024", max_tokens: 45, temperature: 0.9, k: 40, p: 0.6, frequency_penalty: 0.2, presence_penalty: 0.1 }),
    ]);
  });

  it(".then chain reading the generation's finish_reason and text", async () => {
    await expectSame(
      v6(
        "main.js",
        `const cohere = require("cohere-ai");

cohere.init("key");

function answer(question) {
  return cohere
    .generate({ prompt: question, max_tokens: 20, seed: 3 })
    .then((response) => {
      const generation = response.body.generations[0];
      console.log("finished because:", generation.finish_reason);
      return generation.text;
    });
}

answer("What is a fjord?").then((text) => console.log(text));
`,
      ),
    );
  });

  it("a branch on response.statusCode is marked: cohere-ai 8 throws where v6 resolved", async () => {
    // v6 resolved a rejected request with { statusCode: 400, body: { message } }; the original prints
    // the fallback. cohere-ai 8 throws instead, so the migrated program cannot print the same.
    await expectMarkedChange(
      fake,
      v6(
        "main.js",
        `const cohere = require("cohere-ai");

cohere.init("key");

async function headline(article) {
  const response = await cohere.generate({ prompt: \`Headline for: \${article}\`, max_tokens: 12, num_generations: 9 });
  if (response.statusCode !== 200) {
    return "(no headline: " + response.statusCode + ")";
  }
  return response.body.generations[0].text;
}

headline("rain expected").then(console.log);
`,
      ),
      "status-code",
    );
  });
});
