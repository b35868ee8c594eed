/**
 * Indirect calls and Generate types (`indirect-generate-to-chat`, `generate-types-to-chat`), by
 * behaviour: programs on cohere-ai 8.1.0 that reach `generate` through a bound method or a helper
 * that receives it, or that hand Generate-typed values around, are migrated in place and must print
 * the same through `/v2/chat` only. See core.test.ts for the method.
 *
 * The originals use `CohereClient`: `CohereClientV2.generate` is declared in cohere-ai 8.1.0 but fails
 * at run time (`this.__generate is not a function`), so no working program binds it.
 */
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { endpoints } from "../support/run-program";
import { expectSameOutput, explain, runMigrated, type Migration, type Program } from "./harness";


/**
 * The LangChain shape both caller.call programs share, up to the request's last fields: an
 * AsyncCaller that runs `fn`, and an LLM class whose default model is the retired "command".
 */
const LANGCHAIN_LLM = `import { CohereClient } from "cohere-ai";

/** A minimal AsyncCaller (LangChain's retries and limits concurrency, then resolves with fn's result). */
class AsyncCaller {
  async call<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    return fn(...args);
  }
}

class CohereLLM {
  constructor(
    private readonly client: CohereClient,
    private readonly caller: AsyncCaller,
    private readonly model = "command",
  ) {}

  async complete(prompt: string): Promise<string> {
    const response = await this.caller.call(this.client.generate.bind(this.client), {
      prompt,
      model: this.model,
      maxTokens: 24,`;
let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

/** Any reach of Generate left in code: a call, a bound or referenced method, or a Generate type. */
const GENERATE_LEFT = /\.generate(Stream)?\b|\bCohere\.(Generation|SingleGeneration|GenerateRequest|GenerateStreamRequest|GenerateStreamedResponse)\b/;

function ts(source: string): Program {
  return { files: { "main.ts": source }, entry: "main.ts", legacyText: GENERATE_LEFT };
}

const expectSame = (program: Program): Promise<Migration> => expectSameOutput(fake, program);

/**
 * SPEC's contract where the migration cannot know a value: the migrated program prints the same, or
 * the file carries a `cohere-migrate:` marker saying what to check. The original must run cleanly.
 */
async function expectSameOrMarked(program: Program): Promise<Migration> {
  const m = await runMigrated(fake, program);
  expect({ code: m.before.code, stderr: m.before.stderr, endpoints: endpoints(m.before) }).toEqual({ code: 0, stderr: "", endpoints: ["POST /v1/generate"] });
  const same = m.after.code === 0 && m.after.stdout === m.before.stdout && endpoints(m.after).join() === "POST /v2/chat";
  const marked = [...m.migrated.values()].some((text) => text.includes("cohere-migrate: "));
  try {
    expect({ sameOrMarked: same || marked }).toEqual({ sameOrMarked: true });
  } catch (error) {
    if (error instanceof Error) error.message += `\n\n${explain(m)}`;
    throw error;
  }
  return m;
}

describe("indirect calls", () => {
  it("client.generate.bind(client) held in a const, then called for one and for three generations", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

// One bound method, reused by every helper below.
const generate = cohere.generate.bind(cohere);

async function tagline(product: string): Promise<string> {
  const response = await generate({
    prompt: \`Write a tagline for \${product}\`,
    maxTokens: 20,
  });
  return response.generations[0].text;
}

async function slogans(product: string): Promise<string[]> {
  const response = await generate({
    model: "command-light",
    prompt: \`Write a slogan for \${product}\`,
    numGenerations: 3,
    maxTokens: 12,
  });
  return response.generations.map((generation) => generation.text);
}

async function main() {
  console.log(JSON.stringify(await tagline("a tea shop")));
  // Sorted: the migrated program makes three Chat calls in parallel, answered in arrival order.
  console.log((await slogans("a tea shop")).sort().map((s) => JSON.stringify(s)).join("\\n"));
}

main();
`),
    );
    expect(m.after.requests.filter((r) => r.path === "/v2/chat")).toHaveLength(4);
  });

  it("LangChain's caller.call(client.generate.bind(client), request) pattern, with end sequences", async () => {
    await expectSame(
      ts(`${LANGCHAIN_LLM}
      temperature: 0.4,
    });
    return response.generations[0].text;
  }

  async completeUntil(prompt: string, stop: string[]): Promise<string> {
    const response = await this.caller.call(this.client.generate.bind(this.client), {
      prompt,
      model: this.model,
      endSequences: stop,
    });
    return response.generations[0].text;
  }
}

async function main() {
  const llm = new CohereLLM(new CohereClient({ token: "key" }), new AsyncCaller(), "acme-owls-ft-3");
  console.log(JSON.stringify(await llm.complete("Tell me about owls")));
  console.log(JSON.stringify(await llm.completeUntil("Tell me about owls", ["."])));
}

main();
`),
    );
  });

  it("the same pattern with the class's default model, a retired one: same output, or a marker", async () => {
    // `model: this.model` cannot be read at the call, but the field's only visible value is the
    // retired "command", which Chat rejects. SPEC: behaviour is preserved, or the site is marked.
    await expectSameOrMarked(
      ts(`${LANGCHAIN_LLM}
    });
    return response.generations[0].text;
  }
}

new CohereLLM(new CohereClient({ token: "key" }), new AsyncCaller()).complete("Tell me about owls").then(console.log);
`),
    );
  });

  it("a bound method in a private class field", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

class Summarizer {
  // Bound once, so that it can be handed to a queue later.
  readonly #generate = cohere.generate.bind(cohere);

  async summarize(text: string): Promise<string> {
    const { generations } = await this.#generate({
      prompt: \`Summarize in one sentence:\\n\${text}\`,
      temperature: 0.2,
      maxTokens: 18,
    });
    return generations[0].text;
  }
}

new Summarizer().summarize("The board met and agreed on the budget.").then(console.log);
`),
    );
  });
});

describe("Generate types", () => {
  it("a function taking a Cohere.Generation-typed parameter", async () => {
    await expectSame(
      ts(`import { Cohere, CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

/** The first generation's text, without surrounding blank lines. */
function firstText(response: Cohere.Generation): string {
  return response.generations[0].text.trim();
}

async function haiku(season: string): Promise<string> {
  const response = await cohere.generate({
    prompt: \`Write a haiku about \${season}\`,
    maxTokens: 21,
  });
  return firstText(response);
}

async function main() {
  for (const season of ["spring", "winter"]) console.log(JSON.stringify(await haiku(season)));
}

main();
`),
    );
  });

  it("a list of Cohere.SingleGeneration through a namespace import", async () => {
    await expectSame(
      ts(`import * as ai from "cohere-ai";

const client = new ai.CohereClient({ token: "key" });

function label(generation: ai.Cohere.SingleGeneration): string {
  return \`- \${JSON.stringify(generation.text)}\`;
}

function labels(generations: ai.Cohere.SingleGeneration[]): string[] {
  return generations.map((generation) => label(generation));
}

async function names(product: string): Promise<string[]> {
  const result = await client.generate({
    prompt: \`Suggest a name for \${product}\`,
    numGenerations: 2,
    maxTokens: 8,
  });
  return labels(result.generations);
}

// Sorted: the migrated program makes two Chat calls in parallel, answered in arrival order.
names("a bakery").then((list) => console.log(list.sort().join("\\n")));
`),
    );
  });

  it("shared defaults typed Partial<Cohere.GenerateRequest> spread into the call", async () => {
    const m = await expectSame(
      ts(`import type { Cohere } from "cohere-ai";
import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

/** Sampling settings shared by every question. */
const defaults: Partial<Cohere.GenerateRequest> = { maxTokens: 16, temperature: 0.3 };

async function answer(question: string): Promise<string> {
  const response = await cohere.generate({ ...defaults, prompt: question });
  return response.generations[0].text;
}

answer("What is the capital of France?").then(console.log);
`),
    );
    expect(m.after.requests.map((r) => r.body)).toEqual([expect.objectContaining({ max_tokens: 16, temperature: 0.3 })]);
  });
});
