/**
 * Python before/after: a program on the real `cohere` SDK runs against the fake Generate API, is
 * migrated in place by the library, and runs again through Chat v2 only, printing the same.
 *
 * Originals written for cohere 5.x and later run on 7.3.1 and 5.21.1 and are migrated on the same
 * SDK; originals written for 4.x run on 4.57 and, migrated, on 7.3.1 and 5.21.1 (the Chat API needs
 * 5.10 or later, so a 4.x project upgrades: migrate raises its requirement).
 */
import { migrate } from "../../src/migrate";
import type { MigrateResult } from "../../src/types";
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { readProgram, removeProgram, runPython, writeProgram, type PythonSdk, type RunResult } from "../support/run-python";
import * as fs from "node:fs";
import * as path from "node:path";
import { FIXTURES } from "../support/fixtures";
import { expectSameRuns } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

interface PythonProgram {
  files: Readonly<Record<string, string>>;
  entry?: string;
}

interface PythonMigration {
  before: RunResult;
  after: RunResult;
  result: MigrateResult;
  migrated: Map<string, string>;
}

async function migrated(program: PythonProgram, before: PythonSdk, after: PythonSdk, options: { thinking?: boolean } = {}): Promise<PythonMigration> {
  const dir = writeProgram(program.files);
  const entry = program.entry ?? "main.py";
  try {
    const first = await runPython(dir, { fake, entry, sdk: before });
    const result = await migrate({ cwd: dir.app, paths: ["."], force: true });
    const texts = readProgram(dir);
    const second = await runPython(dir, { fake, entry, sdk: after, thinking: options.thinking });
    return { before: first, after: second, result, migrated: texts };
  } finally {
    removeProgram(dir);
  }
}

const LEGACY = /\.generate(_stream)?\s*\(/;

async function expectSame(program: PythonProgram, before: PythonSdk, after: PythonSdk, options: { thinking?: boolean } = {}): Promise<PythonMigration> {
  const m = await migrated(program, before, after, options);
  expectSameRuns(m, { legacyEndpoints: ["POST /v1/generate"], legacyText: LEGACY });
  return m;
}

const PROMPT = JSON.stringify("Write a haiku about the sea.");

/** Programs valid on every SDK generation (4.x's Generations also has `.generations`). */
const COMMON: Record<string, string> = {
  "keyword request, retired model, first generation's text": `import cohere

co = cohere.Client("fake-key")
response = co.generate(model="command", prompt=${PROMPT}, max_tokens=12, temperature=0.4)
print(response.generations[0].text)
`,
  "default temperature pinned (no temperature given)": `import cohere

co = cohere.Client("fake-key")
text = co.generate(prompt=${PROMPT}, max_tokens=12).generations[0].text
print(text.strip())
`,
  "num_generations=3 in a loop and a comprehension": `import cohere

co = cohere.Client("fake-key")
response = co.generate(prompt=${PROMPT}, max_tokens=12, num_generations=3)
for g in response.generations:
    print(g.text)
print(len(response.generations), [g.text[:5] for g in response.generations])
`,
  "num_generations with a prompt built by a call: built once, as Generate did (the random state after it is the same)": `import random

import cohere

random.seed(7)
co = cohere.Client("fake-key")
topics = ["tea", "coffee", "juice", "water", "milk"]
response = co.generate(prompt=f"A tagline for {random.choice(topics)}", max_tokens=8, num_generations=3)
print(random.random())
print(sorted(g.text for g in response.generations))
`,
  "generations read with enumerate, in a loop and a comprehension": `import cohere

co = cohere.Client("fake-key")
response = co.generate(prompt=${PROMPT}, max_tokens=12, num_generations=2)
for i, g in enumerate(response.generations, start=1):
    print(i, len(g.text) > 0)
print(sorted(g.text for _, g in enumerate(response.generations)))
single = co.generate(prompt=${PROMPT}, max_tokens=6)
for i, g in enumerate(single.generations):
    print(i, g.text)
`,
  "stop and end sequences trimmed as Generate trimmed": `import cohere

co = cohere.Client("fake-key")
STOP = ["."]
r = co.generate(prompt=${PROMPT}, max_tokens=40, stop_sequences=STOP)
print(repr(r.generations[0].text))
r = co.generate(prompt=${PROMPT}, max_tokens=40, end_sequences=["END", "--"])
print(repr(r.generations[0].text))
`,
  "options passed through **kwargs: the defaults go under them, the caller's temperature still wins": `import cohere
co = cohere.Client("fake-key")
def ask(prompt, **options):
    return co.generate(prompt=prompt, **options).generations[0].text
print(ask(${PROMPT}, max_tokens=12))
print(ask(${PROMPT}, max_tokens=12, temperature=0.2))
`,
  "client held on self, used from another method": `import cohere


class Writer:
    def __init__(self):
        self.client = cohere.Client("fake-key")

    def write(self, prompt):
        result = self.client.generate(prompt=prompt, max_tokens=12, k=5, p=0.5)
        return result.generations[0].text


print(Writer().write("A limerick"))
`,
  "client from another module of the project, and a factory": `from clients import co, make_client

print(co.generate(prompt="one", max_tokens=8).generations[0].text)
print(make_client().generate(prompt="two", max_tokens=8).generations[0].text)
`,
};

const FILES_FOR: Record<string, Record<string, string>> = {
  "client from another module of the project, and a factory": {
    "clients.py": `import cohere

co = cohere.Client("fake-key")


def make_client() -> cohere.Client:
    return cohere.Client("fake-key")
`,
  },
};

/** Programs in the style of cohere 5.x and later. */
const MODERN: Record<string, string> = {
  "generate_stream with text-generation and stream-end events": `import cohere

co = cohere.Client("fake-key")
for event in co.generate_stream(prompt=${PROMPT}, max_tokens=12):
    if event.event_type == "text-generation":
        print(event.text, end="|")
    elif event.event_type == "stream-end":
        print()
        print("end")
`,
  "AsyncClient with num_generations (asyncio.gather), printed sorted": `import asyncio

import cohere


async def main():
    co = cohere.AsyncClient("fake-key")
    response = await co.generate(prompt=${PROMPT}, max_tokens=12, num_generations=2)
    print(sorted(g.text for g in response.generations))


asyncio.run(main())
`,
  "AsyncClient stream": `import asyncio

import cohere

co = cohere.AsyncClient("fake-key")


async def main():
    async for event in co.generate_stream(prompt=${PROMPT}, max_tokens=12):
        if event.event_type == "text-generation":
            print(event.text, end="")
    print()


asyncio.run(main())
`,
  "stream loops that see every event: an else branch, a break at the end, a negated test": `import cohere

co = cohere.Client("fake-key")
for ev in co.generate_stream(prompt=${PROMPT}, max_tokens=12):
    if ev.is_finished:
        print("done", ev.finish_reason)
    else:
        print(repr(ev.text))
for ev in co.generate_stream(prompt=${PROMPT}, max_tokens=12):
    if ev.event_type == "stream-end":
        break
    print(ev.text, end="")
print()
for ev in co.generate_stream(prompt=${PROMPT}, max_tokens=5):
    if not ev.is_finished:
        print(ev.text, end="|")
print()
chunks = []
for ev in co.generate_stream(prompt=${PROMPT}, max_tokens=6):
    if ev.event_type != "text-generation":
        continue
    chunks.append(ev.text)
print("".join(chunks))
`,
  "a match statement on the event type": `import cohere

co = cohere.Client("fake-key")
for ev in co.generate_stream(prompt=${PROMPT}, max_tokens=12):
    match ev.event_type:
        case "text-generation":
            print(ev.text, end="|")
        case "stream-end":
            print()
            print("end", ev.finish_reason)
        case _:
            print("other")
`,
  "generations kept in a name, then indexed": `import cohere

co = cohere.Client("fake-key")
result = co.generate(prompt=${PROMPT}, max_tokens=3)
generations = result.generations
print(generations[0].text)
out = co.generate(prompt=${PROMPT}, max_tokens=4).generations
first = out[0]
print(out[-1].text, first.text)
`,
  "clients reached through a class: a method, a property, a singleton, a subclass": `import cohere


class RetryingClient(cohere.Client):
    """A cohere.Client all the same."""


class Summarizer:
    _instance = None

    def _get_client(self) -> cohere.Client:
        return cohere.Client("fake-key")

    @property
    def client(self):
        return RetryingClient("fake-key")

    @classmethod
    def shared(cls):
        if cls._instance is None:
            cls._instance = cohere.Client("fake-key")
        return cls._instance

    def run(self, text):
        a = self._get_client().generate(prompt=text, max_tokens=5)
        b = self.client.generate(prompt=text, max_tokens=6)
        c = Summarizer.shared().generate(prompt=text, max_tokens=7)
        return a.generations[0].text, b.generations[0].text, c.generations[0].text


print(Summarizer().run(${PROMPT}))
`,
  "ClientV2's generate becomes its own chat": `import cohere

co = cohere.ClientV2("fake-key")
r = co.generate(prompt=${PROMPT}, max_tokens=12)
print(r.generations[0].text)
`,
  "annotated parameter, renamed import": `from cohere import Client as CohereClient


def complete(client: CohereClient, prompt: str) -> str:
    return client.generate(prompt=prompt, max_tokens=12).generations[0].text


print(complete(CohereClient("fake-key"), "Hello"))
`,
};

/** Programs in the style of cohere 4.x. */
const LEGACY_4X: Record<string, string> = {
  "positional prompt, Generation used as a str": `import cohere

co = cohere.Client("fake-key")
prediction = co.generate(${PROMPT}, max_tokens=12)
print("Prediction:", prediction[0])
print(f"again: {prediction.generations[0]}")
print(str(prediction[0]).upper())
for generation in prediction:
    print(generation.text)
`,
  "stream=True over text chunks": `import cohere

co = cohere.Client("fake-key")
response = co.generate(prompt=${PROMPT}, max_tokens=12, stream=True)
for token in response:
    print(token.text, end="|")
print()
`,
  "r[0].text and iteration over the Generations": `import cohere

co = cohere.Client("fake-key")
r = co.generate(prompt=${PROMPT}, max_tokens=12, num_generations=2)
print(r[0].text)
print([g.text for g in r])
`,
};

const program = (name: string, source: string): PythonProgram => ({ files: { "main.py": source, ...(FILES_FOR[name] ?? {}) } });

describe.each<PythonSdk>(["cohere-7", "cohere-5"])("cohere 5+ programs on %s", (sdk) => {
  test.each(Object.entries({ ...COMMON, ...MODERN }))("%s", async (name, source) => {
    await expectSame(program(name, source), sdk, sdk);
  });

  test("a reasoning model's thinking item is skipped: the text is the first item of type text", async () => {
    await expectSame(program("thinking", COMMON["keyword request, retired model, first generation's text"]), sdk, sdk, { thinking: true });
  });
});

describe.each<PythonSdk>(["cohere-7", "cohere-5"])("cohere 4.x programs, migrated, on %s", (after) => {
  test.each(Object.entries({ ...COMMON, ...LEGACY_4X }))("%s", async (name, source) => {
    await expectSame(program(name, source), "cohere-4", after);
  });
});

test("a 4.x project's requirement is raised to a Chat-capable cohere", async () => {
  const m = await expectSame(
    { files: { "main.py": COMMON["keyword request, retired model, first generation's text"], "requirements.txt": "cohere==4.57\nrequests>=2\n" } },
    "cohere-4",
    "cohere-7",
  );
  expect(m.result.dependencyUpdates).toEqual([expect.objectContaining({ file: "requirements.txt", name: "cohere", from: expect.stringContaining("4.57"), applied: true })]);
  expect(m.migrated.get("requirements.txt")).not.toContain("cohere==4.57");
});

test("clients held by objects of other modules: an instance's attribute set from an imported factory, a class attribute", async () => {
  const files = {
    "factory.py": `import cohere\n\n\ndef make_client():\n    return cohere.Client("fake-key")\n`,
    "clients.py": `import cohere\n\n\nclass Clients:\n    co = cohere.Client("fake-key")\n`,
    "bot.py": `from factory import make_client\n\n\nclass Bot:\n    def __init__(self):\n        self.co = make_client()\n\n\nbot = Bot()\n`,
    // main.py imports no cohere: only following bot and Clients finds its calls.
    "main.py": `from bot import Bot, bot\nfrom clients import Clients\n\nprint(bot.co.generate(prompt="a", max_tokens=7).generations[0].text)\nprint(Bot().co.generate(prompt="b", max_tokens=6).generations[0].text)\nprint(Clients.co.generate(prompt="c", max_tokens=5).generations[0].text)\n`,
  };
  const m = await expectSame({ files }, "cohere-5", "cohere-7");
  expect(m.after.requests.map((r) => r.path)).toEqual(["/v2/chat", "/v2/chat", "/v2/chat"]);
});

describe("a package's modules share one helper module", () => {
  // Two modules of one package (and one of its subpackages) read text with stop sequences and
  // stream deltas; main.py, outside the package, runs them.
  const files = {
    "main.py": `from shop import titles\nfrom shop.support import replies\n\nprint(titles.title("a lamp"))\nprint(replies.reply("it broke"))\nreplies.stream("count")\n`,
    "shop/__init__.py": "",
    "shop/clients.py": `import cohere\n\nco = cohere.Client("fake-key")\n`,
    "shop/titles.py": `from .clients import co\n\n\ndef title(thing):\n    r = co.generate(prompt=f"A title for {thing}", max_tokens=20, stop_sequences=["."])\n    return r.generations[0].text\n`,
    "shop/support/__init__.py": "",
    "shop/support/replies.py": `from ..clients import co\n\n\ndef reply(text):\n    return co.generate(prompt=f"Reply to {text}", end_sequences=["\\n"]).generations[0].text\n\n\ndef stream(text):\n    for event in co.generate_stream(prompt=text):\n        if event.event_type == "text-generation":\n            print(event.text, end="|")\n    print()\n`,
  };

  it.each<PythonSdk>(["cohere-7", "cohere-5"])("prints the same on %s, with one copy of each helper", async (sdk) => {
    const m = await expectSame({ files }, sdk, sdk);
    const module = m.migrated.get("shop/_cohere_chat.py") ?? "";
    expect(module.match(/^def chat_text\(/gm)).toHaveLength(1);
    expect(module.match(/^def chat_delta_text\(/gm)).toHaveLength(1);
    expect(m.migrated.get("shop/titles.py")).toContain("from ._cohere_chat import chat_text\n");
    expect(m.migrated.get("shop/support/replies.py")).toContain("from .._cohere_chat import chat_text, chat_delta_text\n");
    for (const [file, text] of m.migrated) if (file !== "shop/_cohere_chat.py") expect({ file, defines: /^def chat_/m.test(text) }).toEqual({ file, defines: false });
    expect(m.result.files.find((f) => f.file === "shop/_cohere_chat.py")).toMatchObject({ status: "changed", created: true });
  });

  it("a module of the package that runs as a script keeps its own helpers (a relative import would fail there)", async () => {
    const script = `import cohere\n\nco = cohere.Client("fake-key")\n\nif __name__ == "__main__":\n    print(co.generate(prompt="hi", stop_sequences=["."]).generations[0].text)\n`;
    const m = await expectSame({ files: { "tool/__init__.py": "", "tool/run.py": script }, entry: "tool/run.py" }, "cohere-7", "cohere-7");
    expect(m.migrated.get("tool/run.py")).toMatch(/^def chat_text\(/m);
    expect(m.migrated.has("tool/_cohere_chat.py")).toBe(false);
  });

  it("a package under a repository root that holds a stray __init__.py gets its helper module inside the package (a relative import above it fails)", async () => {
    const files = {
      "__init__.py": "",
      "qa/__init__.py": "",
      "qa/model.py": `import cohere\n\n\ndef answer(question, co: cohere.Client):\n    return co.generate(prompt=question, max_tokens=12, stop_sequences=["."]).generations[0].text\n`,
      "cli_demo.py": `import cohere\n\nfrom qa.model import answer\n\nco = cohere.Client("fake-key")\nprint(answer("What is the capital of France?", co))\n`,
    };
    const m = await expectSame({ files, entry: "cli_demo.py" }, "cohere-5", "cohere-7");
    expect(m.migrated.get("qa/model.py")).toContain("from ._cohere_chat import chat_text\n");
    expect(m.migrated.has("qa/_cohere_chat.py")).toBe(true);
  });

  it("scripts beside a stray __init__.py, one printing at top level and one a sibling imports by bare name, keep their own helpers", async () => {
    const files = {
      "bot/__init__.py": "",
      "bot/utils.py": `import cohere\n\nco = cohere.Client("fake-key")\n\n\ndef complete(p):\n    return co.generate(prompt=p, max_tokens=12).generations[0].text\n`,
      "bot/app.py": `import cohere\nfrom utils import complete\n\nco = cohere.Client("fake-key")\nprint(co.generate(prompt="hello", max_tokens=5).generations[0].text)\nprint(complete("bye"))\n`,
    };
    const m = await expectSame({ files, entry: "bot/app.py" }, "cohere-5", "cohere-7");
    for (const file of ["bot/app.py", "bot/utils.py"]) expect(m.migrated.get(file)).toMatch(/^def chat_text\(/m);
    expect(m.migrated.has("bot/_cohere_chat.py")).toBe(false);
  });
});

test("functions that now return a Chat response: their calls in other modules are followed (through a wrapper, awaited, with num_generations)", async () => {
  const files = {
    "pkg/__init__.py": "",
    "pkg/llm.py": `import cohere\n\nco = cohere.Client("fake-key")\naco = cohere.AsyncClient("fake-key")\n\n\ndef ask(prompt):\n    return co.generate(prompt=prompt, max_tokens=12)\n\n\ndef many(prompt):\n    return co.generate(prompt=prompt, max_tokens=8, num_generations=2)\n\n\nasync def ask_async(prompt):\n    response = await aco.generate(prompt=prompt, max_tokens=9)\n    return response\n`,
    "pkg/service.py": `from .llm import ask, many, ask_async\n\n\ndef answer(q):\n    return ask(q)\n\n\ndef options(q):\n    return sorted(g.text for g in many(q).generations)\n\n\nasync def answer_async(q):\n    r = await ask_async(q)\n    return r.generations[0].text\n`,
    "main.py": `import asyncio\n\nfrom pkg import llm\nfrom pkg.service import answer, answer_async, options\n\nprint(answer("a").generations[0].text)\nprint(options("b"))\nprint(asyncio.run(answer_async("c")))\nprint(llm.ask("d").generations[0].text.strip())\n`,
  };
  const m = await expectSame({ files }, "cohere-5", "cohere-7");
  expect(m.after.requests.map((r) => r.path)).toEqual(["/v2/chat", "/v2/chat", "/v2/chat", "/v2/chat", "/v2/chat"]);
  // Every caller was followed: no module is left with a marker.
  for (const [file, text] of m.migrated) expect({ file, marked: text.includes("# cohere-migrate:") }).toEqual({ file, marked: false });
  const notes = m.result.files.flatMap((f) => f.notes.map((n) => n.message));
  expect(notes).toContain("ask() now returns a Chat v2 response: its calls in main.py and pkg/service.py were rewritten to read it (update any outside this repository)");
});

test("a retired model passed from another module to a function that sends it as the model: replaced at the caller", async () => {
  const files = {
    "pkg/__init__.py": "",
    "pkg/llm.py": `import cohere\n\nco = cohere.Client("fake-key")\n\n\ndef ask(prompt, model):\n    return co.generate(prompt=prompt, model=model, max_tokens=12).generations[0].text\n`,
    "main.py": `from pkg import llm\nfrom pkg.llm import ask\n\nprint(ask("a", "command-nightly"))\nprint(llm.ask("b", model="command-light"))\n`,
  };
  const m = await expectSame({ files }, "cohere-5", "cohere-7");
  expect(m.after.requests.map((r) => r.path)).toEqual(["/v2/chat", "/v2/chat"]);
  expect(m.migrated.get("main.py")).toBe(`from pkg import llm\nfrom pkg.llm import ask\n\nprint(ask("a", "command-a-03-2025"))\nprint(llm.ask("b", model="command-a-03-2025"))\n`);
});

test("session 31's hunt: an awaited 4.x async stream, the module name rebound to the client, providers sharing an attribute name", async () => {
  const files = {
    "providers.py": `import cohere\n\n\nclass Replay:\n    def generate(self, prompt, max_tokens=16):\n        from types import SimpleNamespace\n        return SimpleNamespace(generations=[SimpleNamespace(text="replay:" + prompt)])\n\n\nclass CohereProvider:\n    def __init__(self):\n        self.client = cohere.Client("fake-key")\n\n    def complete(self, prompt):\n        return self.client.generate(prompt=prompt, max_tokens=16).generations[0].text\n\n\nclass ReplayProvider:\n    def __init__(self):\n        self.client = Replay()\n\n    def complete(self, prompt):\n        return self.client.generate(prompt=prompt, max_tokens=16).generations[0].text\n`,
    "rebound.py": `import cohere\n\ncohere = cohere.Client("fake-key")\n\n\ndef ask(p):\n    return cohere.generate(prompt=p, max_tokens=9).generations[0].text\n`,
    "main.py": `import asyncio\n\nimport cohere\n\nfrom providers import CohereProvider, ReplayProvider\nfrom rebound import ask\n\n\nasync def stream():\n    async with cohere.AsyncClient("fake-key") as aio_co:\n        gens = await aio_co.generate(prompt="Hey", max_tokens=12, stream=True)\n        async for token in gens:\n            print(token.text, end="|")\n    print()\n\n\nprint(CohereProvider().complete("a"))\nprint(ReplayProvider().complete("b"))\nprint(ask("c"))\nasyncio.run(stream())\n`,
  };
  const m = await migrated({ files }, "cohere-4", "cohere-7");
  // The replay provider's own generate stays (its self.client is not the Cohere provider's).
  expectSameRuns(m, { legacyEndpoints: ["POST /v1/generate"], legacyText: /\b(co|cohere|aio_co)\.generate\(/ });
  expect(m.migrated.get("providers.py")?.match(/self\.client\.v2\.chat\(|self\.client\.generate\(/g)).toEqual(["self.client.v2.chat(", "self.client.generate("]);
  expect(m.migrated.get("main.py")).toContain("gens = aio_co.v2.chat_stream(");
});

test("session 33: an instance's client set after it is made, and a module function sharing its name with a method, followed to its callers", async () => {
  const files = {
    "llm.py": `import cohere\n\nco = cohere.Client("fake-key")\n\n\ndef generate_sql(question):\n    return co.generate(prompt="SQL for " + question, max_tokens=12)\n\n\nclass Helper:\n    def generate_sql(self, question):\n        return generate_sql(question).generations[0].text.upper()\n`,
    "bots.py": `import cohere\nfrom types import SimpleNamespace\n\n\nclass Bot:\n    def __init__(self):\n        self.co = None\n\n    def ask(self, prompt):\n        return self.co.generate(prompt=prompt, max_tokens=12).generations[0].text\n\n\nclass Echo:\n    def generate(self, prompt, max_tokens=0):\n        return SimpleNamespace(generations=[SimpleNamespace(text="echo:" + prompt)])\n\n\nclass Relay:\n    def __init__(self):\n        self.co = None\n\n    def ask(self, prompt):\n        return self.co.generate(prompt=prompt, max_tokens=12).generations[0].text\n\n\nbot = Bot()\nbot.co = cohere.Client("fake-key")\nrelay = Relay()\nrelay.co = Echo()\n`,
    "main.py": `from bots import bot, relay\nfrom llm import Helper, generate_sql\n\nprint(bot.ask("a"))\nprint(relay.ask("b"))\nprint(generate_sql("c").generations[0].text)\nprint(Helper().generate_sql("d"))\n`,
  };
  const m = await migrated({ files }, "cohere-5", "cohere-7");
  expectSameRuns(m, { legacyEndpoints: ["POST /v1/generate"], legacyText: /(^|[^.\w])co\.generate\(/m });
  // The relay's own client is an Echo: its generate stays.
  expect(m.migrated.get("bots.py")?.match(/self\.co\.v2\.chat\(|self\.co\.generate\(/g)).toEqual(["self.co.v2.chat(", "self.co.generate("]);
  expect(m.migrated.get("main.py")).not.toContain(".generations");
});

test("session 33: a client handed to functions as an untyped parameter, in the module and from another that does not import cohere", async () => {
  const files = {
    "qa.py": `def answer(co, question, max_tokens=12):\n    response = co.generate(prompt="Q: " + question, max_tokens=max_tokens)\n    return response.generations[0].text.strip()\n\n\ndef summarize(text, client=None):\n    return client.generate(prompt="Summarize: " + text, max_tokens=12).generations[0].text\n\n\ndef complete(model, prompt):\n    return model.generate(prompt)\n`,
    "main.py": `import cohere\n\nimport qa\nfrom qa import answer, complete\n\n\nclass Upper:\n    def generate(self, prompt):\n        return prompt.upper()\n\n\ndef local(client, prompt):\n    return client.generate(prompt=prompt, max_tokens=12).generations[0].text\n\n\nco = cohere.Client("fake-key")\nprint(answer(co, "two plus two"))\nprint(qa.summarize("a long text", client=co))\nprint(local(co, "here"))\nprint(complete(Upper(), "not cohere"))\n`,
  };
  const m = await migrated({ files }, "cohere-5", "cohere-7");
  expectSameRuns(m, { legacyEndpoints: ["POST /v1/generate"], legacyText: /\b(co|client)\.generate\(/ });
  expect(m.migrated.get("qa.py")).toContain("return model.generate(prompt)");
});

test("session 34: the request-dict and client-passed fixtures, run as they are on the real SDK, print the same after migration (cohere 5 → 7)", async () => {
  // The fixtures themselves (not a copy of their forms): the one module of request dicts, and the
  // package whose modules are handed a client (a function's parameter, a class's __init__).
  const python = path.join(FIXTURES, "python");
  const files: Record<string, string> = { "llm.py": fs.readFileSync(path.join(python, "request-dict-built-before.input.py"), "utf8") };
  const app = path.join(python, "client-passed-to-other-module", "input");
  for (const name of fs.readdirSync(path.join(app, "app"))) files[`app/${name}`] = fs.readFileSync(path.join(app, "app", name), "utf8");
  files["main.py"] = `import llm\nfrom app.main import main\n\nprint(llm.Completer("fake-key").complete("one two three", stop_sequences=["two"]))\nprint(llm.answer("a dict literal"))\nprint(llm.answer_keywords("keywords"))\nprint(llm.answer_inline("written in the call"))\nprint(llm.answer_filled("filled in", max_tokens=12))\nprint(llm.several("dict() with num_generations"))\nmain()\n`;
  const m = await migrated({ files }, "cohere-5", "cohere-7");
  // The fixture's marked cases keep their Generate calls (they are not run); what runs goes to
  // /v2/chat only, which expectSameRuns checks by the endpoints the fake saw.
  expectSameRuns(m, { legacyEndpoints: ["POST /v1/generate"], legacyText: /(?!)/ });
  expect(m.migrated.get("llm.py")).toContain('"messages": [cohere.UserChatMessageV2(content=prompt)]');
  expect(m.migrated.get("app/wrapper.py")).toContain("self.co.v2.chat(");
});
