/**
 * The hunt (issue 11): small programs written the way people write Cohere code — class fields,
 * factories, closures, barrels, optional chaining, `satisfies`, decorators, JSX — each migrated in
 * place, run against the fake before and after, and (TypeScript) type-checked under `strict` on both
 * sides. Every program that found a bug also left a fixture pair under fixtures/ (named in its test).
 */
import { migrate } from "../../src/migrate";
import type { MigrateResult } from "../../src/types";
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { readProgram as readPyProgram, removeProgram as removePyProgram, runPython, writeProgram as writePyProgram, type RunResult } from "../support/run-python";
import { expectSameOutput, expectSameRuns, runMigrated, type Migration, type Program } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

function ts(files: Record<string, string>, entry = "main.ts"): Program {
  return { files, entry, typeCheck: true };
}

const expectSame = (program: Program): Promise<Migration> => expectSameOutput(fake, program);

describe("hunt: TypeScript forms", () => {
  it("a client in a class field, used by a method", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

class Writer {
  private readonly co = new CohereClient({ token: process.env.CO_API_KEY });

  async tagline(product: string): Promise<string> {
    const response = await this.co.generate({
      prompt: \`Write a tagline for \${product}.\`,
      maxTokens: 30,
    });
    return response.generations[0].text.trim();
  }
}

async function main() {
  const writer = new Writer();
  console.log(JSON.stringify(await writer.tagline("a solar kettle")));
}

main();
`,
      }),
    );
  });

  it("a client made by a factory function, its type inferred", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

function makeClient() {
  return new CohereClient({ token: process.env.CO_API_KEY ?? "" });
}

const client = makeClient();

async function main() {
  const res = await client.generate({ prompt: "Name three rivers.", temperature: 0.4, maxTokens: 40 });
  console.log(JSON.stringify(res.generations.map((g) => g.text)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
`,
      }),
    );
  });

  it("a curried closure: (co) => async (text) => ...", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const summarizer = (co: CohereClient) => async (text: string) =>
  (await co.generate({ prompt: \`Summarize:\\n\${text}\`, maxTokens: 25, endSequences: ["."] })).generations[0].text;

const summarize = summarizer(new CohereClient({ token: "k" }));

summarize("The quick brown fox jumps over the lazy dog. Then it sleeps.").then((s) => console.log(JSON.stringify(s)));
`,
      }),
    );
  });

  it("a client exported from a module and re-exported through a barrel file", async () => {
    await expectSame(
      ts({
        "lib/client.ts": `import { CohereClient } from "cohere-ai";

export const cohere = new CohereClient({ token: process.env.CO_API_KEY });
`,
        "lib/index.ts": `export * from "./client";
`,
        "main.ts": `import { cohere } from "./lib";

async function main(): Promise<void> {
  const out = await cohere.generate({ prompt: "Say hello in French.", model: "command", maxTokens: 10 });
  console.log(JSON.stringify(out.generations[0].text));
}

void main();
`,
      }),
    );
  });

  it("optional chaining on the client and through the response", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

let co: CohereClient | undefined;
if (process.env.CO_API_KEY) co = new CohereClient({ token: process.env.CO_API_KEY });

async function main() {
  const r = await co?.generate({ prompt: "One word for joy:", maxTokens: 5 });
  console.log(JSON.stringify(r?.generations[0]?.text ?? "(no client)"));
}

main();
`,
      }),
    );
  });

  // Found: the request was marked request-shape, not converted. Fixture request-satisfies.
  it("a request object checked with satisfies Cohere.GenerateRequest", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient, Cohere } from "cohere-ai";

const co = new CohereClient({ token: "k" });

const request = {
  prompt: "Write a limerick about a cat.",
  maxTokens: 50,
  temperature: 0.9,
  stopSequences: ["--"],
} satisfies Cohere.GenerateRequest;

co.generate(request).then((r) => console.log(JSON.stringify(r.generations[0].text)));
`,
      }),
    );
  });

  it("a method with a standard decorator that logs around the call", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

function logged<This, Args extends unknown[], R>(target: (this: This, ...args: Args) => Promise<R>, context: ClassMethodDecoratorContext) {
  return async function (this: This, ...args: Args): Promise<R> {
    console.log("call", String(context.name));
    const result = await target.call(this, ...args);
    console.log("done", String(context.name));
    return result;
  };
}

class Assistant {
  constructor(private readonly co: CohereClient) {}

  @logged
  async answer(question: string) {
    const { generations } = await this.co.generate({ prompt: question, maxTokens: 20, k: 5 });
    return generations[0].text;
  }
}

new Assistant(new CohereClient({ token: "k" })).answer("Why is the sky blue?").then((a) => console.log(JSON.stringify(a)));
`,
      }),
    );
  });

  it("a .tsx component rendered with its own JSX factory", async () => {
    await expectSame(
      ts(
        {
          "main.tsx": `/** @jsxRuntime classic */
/** @jsx h */
import { CohereClient } from "cohere-ai";

type Child = string | number;
function h(tag: string, props: Record<string, string> | null, ...children: Child[]): string {
  const attrs = Object.entries(props ?? {}).map(([k, v]) => \` \${k}="\${v}"\`).join("");
  return \`<\${tag}\${attrs}>\${children.join("")}</\${tag}>\`;
}

declare global {
  namespace JSX {
    type Element = string;
    interface IntrinsicElements {
      [tag: string]: { class?: string; children?: unknown };
    }
  }
}

const co = new CohereClient({ token: "k" });

async function Card(props: { topic: string }) {
  const res = await co.generate({ prompt: \`A fact about \${props.topic}\`, maxTokens: 15 });
  return <div class="card"><h2>{props.topic}</h2><p>{res.generations[0].text}</p></div>;
}

Card({ topic: "owls" }).then((html) => console.log(JSON.stringify(html)));
`,
        },
        "main.tsx",
      ),
    );
  });

  it("the response destructured in the declaration, with numGenerations", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

(async () => {
  const {
    generations: [first, second],
  } = await co.generate({ prompt: "Suggest a band name.", numGenerations: 2, maxTokens: 8 });
  console.log(JSON.stringify([first.text, second.text].sort()));
})();
`,
      }),
    );
  });

  it("Promise.all over prompts with .then on each call", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });
const prompts = ["red", "green", "blue"].map((c) => \`A poem about \${c}\`);

Promise.all(prompts.map((prompt) => co.generate({ prompt, maxTokens: 12 }).then((r) => r.generations[0].text)))
  .then((texts) => console.log(JSON.stringify(texts)));
`,
      }),
    );
  });

  it("a lazily created client behind a getter (??=)", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

class Service {
  private _client?: CohereClient;

  private get client(): CohereClient {
    return (this._client ??= new CohereClient({ token: "k" }));
  }

  async run(prompt: string) {
    const response = await this.client.generate({ prompt, maxTokens: 18, presencePenalty: 0.5 });
    return response.generations[0].text;
  }
}

new Service().run("Tell me a riddle.").then((t) => console.log(JSON.stringify(t)));
`,
      }),
    );
  });

  it("export default new CohereClient() imported under another name", async () => {
    await expectSame(
      ts({
        "cohere.ts": `import { CohereClient } from "cohere-ai";

export default new CohereClient({ token: process.env.CO_API_KEY });
`,
        "main.ts": `import llm from "./cohere";

async function ask(prompt: string) {
  const reply = await llm.generate({ prompt, maxTokens: 16, returnLikelihoods: "NONE" });
  return reply.generations[0].text;
}

ask("What is 2+2?").then((t) => console.log(JSON.stringify(t)));
`,
      }),
    );
  });

  it("an object-literal service calling this.co in a method", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const service = {
  co: new CohereClient({ token: "k" }),
  async complete(prompt: string) {
    const r = await this.co.generate({ prompt, maxTokens: 14 });
    return r.generations[0].text;
  },
};

service.complete("Finish: once upon a").then((t) => console.log(JSON.stringify(t)));
`,
      }),
    );
  });

  it(".then with a destructuring parameter mapping every generation", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

co.generate({ prompt: "Give me a color.", numGenerations: 3, maxTokens: 4 })
  .then(({ generations }) => generations.map(({ text }) => text))
  .then((texts) => console.log(JSON.stringify(texts.sort())));
`,
      }),
    );
  });

  // Found: the response was marked where it left the callback. Fixtures response-retry-*.
  it("a generic retry wrapper around the call, the response read from its result", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
    }
  }
}

const co = new CohereClient({ token: "k" });

async function main() {
  const response = await withRetry(() => co.generate({ prompt: "Name a planet.", maxTokens: 9 }));
  for (const generation of response.generations) console.log(JSON.stringify(generation.text));
  console.log(response.generations.length);
}

main();
`,
      }),
    );
  });

  // Found: a response stored on `this` was marked, not followed; then `#previous?.…` on a field that
  // starts as null became `#previous && …` (null, not undefined). Fixtures response-class-field*.
  it("the response kept in typed class fields and read later, one starting as null", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient, Cohere } from "cohere-ai";

class Session {
  private last?: Cohere.Generation;
  #previous: Cohere.Generation | null = null;
  constructor(private readonly co = new CohereClient({ token: "k" })) {}

  async ask(prompt: string): Promise<void> {
    if (this.last) this.#previous = this.last;
    this.last = await this.co.generate({ prompt, maxTokens: 11 });
  }

  get lastText(): string {
    return this.last?.generations[0]?.text ?? "";
  }

  get previousText(): string | undefined {
    return this.#previous?.generations[0].text;
  }
}

(async () => {
  const s = new Session();
  await s.ask("Describe rain.");
  // No previous answer yet: undefined, which JSON.stringify leaves out (null would print).
  console.log(JSON.stringify({ last: s.lastText, previous: s.previousText }));
  await s.ask("Describe snow.");
  console.log(JSON.stringify({ last: s.lastText, previous: s.previousText }));
})();
`,
      }),
    );
  });

  // Callers in another module of the run are followed by migrate's second pass (generate-callers-to-chat):
  // the helper's file gets a note instead of its "update its callers" marker.
  it("an exported helper typed Promise<Cohere.Generation>, its callers in another module: followed there", async () => {
    const m = await runMigrated(fake, 
      ts({
        "llm.ts": `import { CohereClient, Cohere } from "cohere-ai";

const co = new CohereClient({ token: "k" });

export function complete(prompt: string, temperature?: number): Promise<Cohere.Generation> {
  return co.generate({ prompt, temperature, maxTokens: 13 });
}
`,
        "main.ts": `import { complete } from "./llm";

async function main() {
  const a = await complete("Cold:");
  const b = await complete("Warm:", 0.1);
  console.log(JSON.stringify([a.generations[0].text, b.generations[0].text]));
}

main();
`,
      }),
    );
    expect(m.before.code).toBe(0);
    expect(m.after.stdout).toBe(m.before.stdout);
    expect(m.migrated.get("llm.ts")).toContain("Promise<Cohere.V2ChatResponse>");
    expect(m.migrated.get("llm.ts")).not.toContain("cohere-migrate:");
    expect(m.migrated.get("main.ts")).toContain("JSON.stringify([chatText(a), chatText(b)])");
    expect(m.result.files.flatMap((f) => f.notes.map((n) => n.message))).toContain("complete() now returns a Chat v2 response: its calls in main.ts were rewritten to read it (update any outside this repository)");
  });

  // A retired model passed to an exported function of another module, which sends it as the model:
  // replaced at the caller (Chat answers a retired model with a 404).
  it("a retired model passed from another module to a function that sends it as the model", async () => {
    const m = await runMigrated(fake,
      ts({
        "llm.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

export async function ask(prompt: string, model: string): Promise<string> {
  const r = await co.generate({ prompt, model, maxTokens: 11 });
  return r.generations[0].text;
}

export async function draft({ prompt, model }: { prompt: string; model?: string }): Promise<string> {
  const r = await co.generate({ prompt, model, maxTokens: 7 });
  return r.generations[0].text;
}
`,
        "main.ts": `import { ask, draft } from "./llm";

async function main() {
  console.log(await ask("Cold:", "command-nightly"));
  console.log(await draft({ prompt: "Warm:", model: "command-light" }));
}

main();
`,
      }),
    );
    expect(m.before.code).toBe(0);
    expect(m.after.code).toBe(0);
    expect(m.after.stdout).toBe(m.before.stdout);
    expect(m.migrated.get("main.ts")).toContain('ask("Cold:", "command-a-03-2025")');
    expect(m.migrated.get("main.ts")).toContain('draft({ prompt: "Warm:", model: "command-a-03-2025" })');
  });

  it("the text read inline inside a template literal", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

async function main() {
  console.log(\`Answer: \${(await co.generate({ prompt: "Capital of Peru?", maxTokens: 6 })).generations[0].text.trim()}\`);
}

main();
`,
      }),
    );
  });
});


/** Python hunt programs: the same before/after run on the real `cohere` 7.3.1 SDK. */
async function migratedPython(files: Record<string, string>): Promise<PythonMigration> {
  const dir = writePyProgram(files);
  try {
    const before = await runPython(dir, { fake, entry: "main.py", sdk: "cohere-7" });
    const result = await migrate({ cwd: dir.app, paths: ["."], force: true });
    const migrated = readPyProgram(dir);
    const after = await runPython(dir, { fake, entry: "main.py", sdk: "cohere-7" });
    return { before, after, result, migrated };
  } finally {
    removePyProgram(dir);
  }
}

async function expectSamePython(files: Record<string, string>): Promise<PythonMigration> {
  const m = await migratedPython(files);
  expectSameRuns(m, { legacyEndpoints: ["POST /v1/generate"], legacyText: /\.generate(_stream)?\s*\(|\bco\.generate\b/ });
  return m;
}

interface PythonMigration {
  before: RunResult;
  after: RunResult;
  result: MigrateResult;
  migrated: Map<string, string>;
}

describe("hunt: Python forms", () => {
  it("a client as a class attribute, read through self", async () => {
    await expectSamePython({
      "main.py": `import cohere


class Summarizer:
    client = cohere.Client("fake-key")

    def summarize(self, text: str) -> str:
        response = self.client.generate(prompt=f"Summarize: {text}", max_tokens=20)
        return response.generations[0].text.strip()


print(Summarizer().summarize("The sea is wide and deep."))
`,
    });
  });

  it("a cached client factory (functools.lru_cache)", async () => {
    await expectSamePython({
      "main.py": `import os
from functools import lru_cache

import cohere


@lru_cache(maxsize=1)
def get_client() -> cohere.Client:
    return cohere.Client(os.environ["CO_API_KEY"])


def ask(question):
    return get_client().generate(prompt=question, max_tokens=15, temperature=0.3).generations[0].text


print(ask("Why do cats purr?"))
print(ask("Why do dogs bark?"))
`,
    });
  });

  // A dict literal spread into the call, used by that call alone: its entries are the request,
  // rewritten where they are written (session 34; before, the call was marked and left).
  it("keyword arguments from a dict holding the prompt, with ** unpacking: the dict is rewritten in place", async () => {
    const m = await migratedPython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
params = {"prompt": "List three fruits.", "max_tokens": 25, "temperature": 0.6}
response = co.generate(**params)
print(response.generations[0].text)
`,
    });
    expect({ code: m.after.code, stdout: m.after.stdout }).toEqual({ code: 0, stdout: m.before.stdout });
    expect(m.migrated.get("main.py")).toContain(`params = {"model": "command-a-03-2025", "messages": [cohere.UserChatMessageV2(content="List three fruits.")], "max_tokens": 25, "temperature": 0.6}\nresponse = co.v2.chat(**params)`);
  });

  it("a dataclass of settings read into the call", async () => {
    await expectSamePython({
      "main.py": `from dataclasses import dataclass

import cohere


@dataclass
class Settings:
    model: str = "command"
    temperature: float = 0.5
    max_tokens: int = 30


settings = Settings()
co = cohere.Client("fake-key")
out = co.generate(
    model=settings.model,
    prompt="Write a slogan for tea.",
    temperature=settings.temperature,
    max_tokens=settings.max_tokens,
)
print(out.generations[0].text)
`,
    });
  });

  it("a list comprehension of calls, and a lambda", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
prompts = ["red", "green", "blue"]
texts = [co.generate(prompt=f"A poem about {p}", max_tokens=8).generations[0].text for p in prompts]
print(texts)
ask = lambda p: co.generate(prompt=p, max_tokens=6).generations[0].text
print(ask("Hello"))
`,
    });
  });

  it("a walrus in an if, and a conditional expression on the generations", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
if (r := co.generate(prompt="Pick a number.", max_tokens=5)).generations:
    print(r.generations[0].text)
text = r.generations[0].text if r.generations else ""
print(len(text))
`,
    });
  });

  it("a triple-quoted multi-line f-string prompt with stop sequences", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
topic = "owls"
prompt = f"""You are a helpful assistant.

Write one fact about {topic}.
Fact:"""
response = co.generate(prompt=prompt, max_tokens=40, stop_sequences=["."], end_sequences=["END"])
print(repr(response.generations[0].text))
`,
    });
  });

  it("a function returning the response, read by its callers", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")


def complete(prompt, **kwargs):
    return co.generate(prompt=prompt, max_tokens=12, **kwargs)


first = complete("Cold:")
second = complete("Warm:", temperature=0.1)
print(first.generations[0].text, "|", second.generations[0].text)
for g in complete("Many:").generations:
    print(g.text[:3])
`,
    });
  });

  it("a retry decorator of the project's own around the call", async () => {
    await expectSamePython({
      "main.py": `import functools

import cohere


def retry(times):
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except Exception:
                    if attempt == times - 1:
                        raise
        return inner
    return wrap


co = cohere.Client("fake-key")


@retry(3)
def generate_text(prompt: str) -> str:
    response = co.generate(prompt=prompt, max_tokens=14, k=10)
    return response.generations[0].text


print(generate_text("Tell me a joke."))
`,
    });
  });

  it("an async client with asyncio.gather over prompts", async () => {
    await expectSamePython({
      "main.py": `import asyncio

import cohere

co = cohere.AsyncClient("fake-key")


async def one(p):
    r = await co.generate(prompt=p, max_tokens=7)
    return r.generations[0].text


async def main():
    texts = await asyncio.gather(*[one(p) for p in ["a", "b", "c"]])
    print(sorted(texts))


asyncio.run(main())
`,
    });
  });

  it("a temperature parameter defaulting to None, passed through", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")


def complete(prompt, temperature=None):
    response = co.generate(prompt=prompt, max_tokens=12, temperature=temperature)
    return response.generations[0].text


print(complete("Cold:"))
print(complete("Warm:", 0.1))
`,
    });
  });
});

describe("hunt: TypeScript values passed through variables", () => {
  it("options object with optional fields, read into the request", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

interface Options {
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
}

const co = new CohereClient({ token: "k" });

async function complete(prompt: string, opts: Options = {}) {
  const r = await co.generate({ prompt, temperature: opts.temperature, maxTokens: opts.maxTokens ?? 30, stopSequences: opts.stop });
  return r.generations[0].text;
}

(async () => {
  console.log(JSON.stringify(await complete("Plain:")));
  console.log(JSON.stringify(await complete("Cool:", { temperature: 0.2, stop: ["."] })));
})();
`,
      }),
    );
  });

  it("a model from the environment with an || fallback to a retired id", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const MODEL = process.env.COHERE_MODEL || "command-light";
const co = new CohereClient({ token: "k" });

co.generate({ model: MODEL, prompt: "Hi there", maxTokens: 10 }).then((r) => console.log(JSON.stringify(r.generations[0].text)));
`,
      }),
    );
  });

  it("numGenerations from a variable, texts joined and counted", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });
const count = 3;

async function main() {
  const response = await co.generate({ prompt: "An adjective:", numGenerations: count, maxTokens: 3 });
  const texts = response.generations.map((g) => g.text);
  console.log(response.generations.length, JSON.stringify([...texts].sort().join("|")));
}

main();
`,
      }),
    );
  });

  it("a call with .catch(() => null), then optional reads", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

async function main() {
  const res = await co.generate({ prompt: "Say yes.", maxTokens: 4 }).catch(() => null);
  console.log(JSON.stringify(res?.generations[0].text ?? "failed"));
  console.log(JSON.stringify({ text: res?.generations[0]?.text }));
}

main();
`,
      }),
    );
  });

  it("CommonJS require with a namespace client and billed units", async () => {
    await expectSame({
      files: {
        "main.js": `const cohere = require("cohere-ai");

const client = new cohere.CohereClient({ token: process.env.CO_API_KEY });

async function main() {
  const response = await client.generate({ prompt: "Q: " + "What is 2+2?" + "\\nA:", maxTokens: 8 });
  console.log(JSON.stringify(response.generations[0].text));
  console.log(typeof response.meta?.billedUnits?.outputTokens);
}

main();
`,
      },
      entry: "main.js",
    });
  });

  it("an ES module with top-level await and a multi-line template prompt", async () => {
    await expectSame({
      files: {
        "main.mjs": `import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "k" });
const topic = "tides";
const { generations } = await cohere.generate({
  prompt: \`You are a teacher.
Explain \${topic} in one line.\\nAnswer:\`,
  maxTokens: 20,
  endSequences: ["END"],
});
console.log(JSON.stringify(generations[0].text.trim()));
`,
      },
      entry: "main.mjs",
    });
  });

  it("the first generation matching a test, found with .find", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "k" });

async function main() {
  const texts: string[] = [];
  for (const prompt of ["a", "b"]) {
    const r = await co.generate({ prompt, maxTokens: 6 });
    texts.push(r.generations.find((g) => g.text.length > 3)?.text ?? "(short)");
  }
  console.log(JSON.stringify(texts));
}

main();
`,
      }),
    );
  });
});

describe("hunt: Python values passed through variables", () => {
  it("settings from the environment: model with or-fallback, int max_tokens", async () => {
    await expectSamePython({
      "main.py": `import os

import cohere

co = cohere.Client(os.environ["CO_API_KEY"])
MODEL = os.environ.get("COHERE_MODEL") or "command"
MAX_TOKENS = int(os.getenv("MAX_TOKENS", "20"))
print(co.generate(model=MODEL, prompt="Hello", max_tokens=MAX_TOKENS).generations[0].text)
`,
    });
  });

  it("a constant list of stop sequences and a num_generations variable", async () => {
    await expectSamePython({
      "main.py": `import cohere

STOP = ["."]
N = 2
co = cohere.Client("fake-key")
response = co.generate(prompt="Two sentences please", max_tokens=30, stop_sequences=STOP, num_generations=N)
print(sorted(g.text for g in response.generations))
print(len(response.generations))
`,
    });
  });

  it("text post-processing chained on the read", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
response = co.generate(prompt="Lines", max_tokens=30)
lines = response.generations[0].text.strip().split(".")
print([line.strip() for line in lines if line])
print(response.generations[0].text.upper()[:10])
`,
    });
  });

  it("finish_reason and billed units", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
r = co.generate(prompt="Short", max_tokens=3)
print(r.generations[0].finish_reason)
print(type(r.meta.billed_units.output_tokens).__name__)
`,
    });
  });

  it("a response stored on self and read by another method", async () => {
    await expectSamePython({
      "main.py": `import cohere


class Chatbot:
    def __init__(self):
        self.co = cohere.Client("fake-key")
        self.last = None

    def ask(self, prompt):
        self.last = self.co.generate(prompt=prompt, max_tokens=10)

    def answer(self):
        return self.last.generations[0].text if self.last else ""


bot = Chatbot()
print(repr(bot.answer()))
bot.ask("Tell me something.")
print(bot.answer())
`,
    });
  });

  it("a try/except around the call with a fallback text", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")


def safe(prompt):
    try:
        response = co.generate(prompt=prompt, max_tokens=9)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return response.generations[0].text


print(safe("Good"))
`,
    });
  });

  it("results collected into a dict of prompt to text", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
prompts = ["x", "y"]
results = {p: co.generate(prompt=p, max_tokens=5).generations[0].text for p in prompts}
print(results)
answers = []
for p in prompts:
    answers.append(co.generate(prompt=p, max_tokens=5, temperature=0.1).generations[0].text)
print(answers)
`,
    });
  });
});

// The third batch (forms a review of public code found missed or broken), each with a fixture.
describe("hunt: third batch", () => {
  it("a call inline in an f-string (fstring-call: the new literals took the f-string's own quote)", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")
print(f"Answer: {co.generate(prompt='Name a colour', max_tokens=5).generations[0].text}")
print(f'Also: {co.generate(prompt="Name a fruit").generations[0].text.strip()}')
`,
    });
  });

  it("a retired model passed in by the callers (model-passed-by-caller: Chat got the retired model)", async () => {
    await expectSamePython({
      "main.py": `import cohere

co = cohere.Client("fake-key")


def complete(model, prompt, max_tokens=10):
    return co.generate(model=model, prompt=prompt, max_tokens=max_tokens).generations[0].text


print(complete("command", "Hello"))
print(complete(model="command-light", prompt="Hi"))
`,
    });
  });

  it("clients kept in a dict literal and on a module object's attribute (receiver-paths: not reported)", async () => {
    await expectSamePython({
      "main.py": `import types

import cohere

CLIENTS = {"cohere": cohere.Client("fake-key")}
state = types.SimpleNamespace()
state.co = cohere.Client("fake-key")
print(CLIENTS["cohere"].generate(prompt="One word", max_tokens=4).generations[0].text)
print(state.co.generate(prompt="Two words", max_tokens=4).generations[0].text)
`,
    });
  });

  it("a model that may be None: a parameter defaulting to None, an unset environment variable (model-may-be-none)", async () => {
    await expectSamePython({
      "main.py": `import os

import cohere

co = cohere.Client("fake-key")


def complete(prompt, model=None):
    return co.generate(prompt=prompt, model=model, max_tokens=8).generations[0].text


print(complete("Hello"))
print(co.generate(prompt="Hi", model=os.getenv("UNSET_COHERE_MODEL")).generations[0].text)
`,
    });
  });

  it("TypeScript: a model that may be undefined (model-may-be-undefined: TS2322, and Chat requires one)", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "fake-key" });

async function complete(prompt: string, options: { model?: string } = {}): Promise<string> {
  return (await co.generate({ prompt, model: options.model, maxTokens: 8 })).generations[0].text;
}

complete("Hello").then(console.log);
`,
      }),
    );
  });

  it("TypeScript: a retired model passed in by the callers of a function and a method", async () => {
    await expectSame(
      ts({
        "main.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "fake-key" });

async function complete(model: string, prompt: string): Promise<string> {
  const response = await co.generate({ model, prompt, maxTokens: 10 });
  return response.generations[0].text;
}

class Writer {
  async draft(model: string, topic: string): Promise<string> {
    return (await co.generate({ model, prompt: \`Draft: \${topic}\` })).generations[0].text;
  }
}

async function main(): Promise<void> {
  console.log(await complete("command", "Hello"));
  console.log(await new Writer().draft("command-light", "rivers"));
}

main();
`,
      }),
    );
  });
});
