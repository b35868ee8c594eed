/**
 * The Python side of the behaviour-test infrastructure: programs on the real `cohere` SDK from PyPI
 * (7.3.1, 5.21.1, 4.57, in the virtual environments `python-env.ts` makes) run against the fake API
 * unchanged (`cohere.Client("key")`, no base URL), and a Chat v2 program prints what the Generate
 * program with the same knobs prints. That pairing is what the Python before/after comparisons rely on.
 */
import { textFor, thinkingFor, startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { endpoints, pyrightDiagnostics, removeProgram, runPython, writeProgram, type PythonSdk, type RunResult } from "../support/run-python";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

const PROMPT = "Write a haiku about the sea.";
const GENERATE = ["POST /v1/generate"];
const CHAT = ["POST /v2/chat"];

/** What Generate prints for `max_tokens=12` (its default temperature, 0.75): the i-th sample. */
const generated = (variant = 0): string => textFor("generate", PROMPT, { max_tokens: 12 }, variant);

async function python(sdk: PythonSdk, source: string, options: { thinking?: boolean } = {}): Promise<RunResult> {
  const dir = writeProgram({ "main.py": source });
  try {
    return await runPython(dir, { fake, entry: "main.py", sdk, ...options });
  } finally {
    removeProgram(dir);
  }
}

/** The run exited cleanly, printed nothing on stderr and hit exactly `expected`; returns stdout. */
function cleanRun(result: RunResult, expected: readonly string[]): string {
  expect({ code: result.code, stderr: result.stderr, endpoints: endpoints(result) }).toEqual({ code: 0, stderr: "", endpoints: expected });
  return result.stdout;
}

const lines = (...texts: string[]): string => texts.map((t) => `${t}\n`).join("");

describe.each<PythonSdk>(["cohere-7", "cohere-5", "cohere-4"])("Generate on %s", (sdk) => {
  const v4 = sdk === "cohere-4";
  /** How a program reads the first generation's text on this SDK. */
  const first = v4 ? "r[0].text" : "r.generations[0].text";

  it("co.generate(prompt=..., max_tokens=...) prints the first generation", async () => {
    const result = await python(
      sdk,
      `import cohere

co = cohere.Client("fake-key")
r = co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12)
print(${first})
`,
    );
    expect(cleanRun(result, GENERATE)).toBe(lines(generated()));
    expect(result.requests[0].body).toMatchObject({ prompt: PROMPT, max_tokens: 12 });
  });

  it("reads the API key from CO_API_KEY when the client is built without one", async () => {
    const result = await python(sdk, `import cohere\n\nco = cohere.Client()\nr = co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12)\nprint(${first})\n`);
    expect(cleanRun(result, GENERATE)).toBe(lines(generated()));
  });

  it("num_generations=3 returns three distinct samples, in order", async () => {
    const result = await python(
      sdk,
      `import cohere

co = cohere.Client("fake-key")
r = co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12, num_generations=3)
for g in r${v4 ? "" : ".generations"}:
    print(g.text)
`,
    );
    expect(cleanRun(result, GENERATE)).toBe(lines(generated(0), generated(1), generated(2)));
    expect(new Set([0, 1, 2].map(generated)).size).toBe(3);
  });

  it("streams the same text piece by piece", async () => {
    const loop = v4
      ? `for token in co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12, stream=True):
    print(token.text, end="|")`
      : `for event in co.generate_stream(prompt=${JSON.stringify(PROMPT)}, max_tokens=12):
    if event.event_type == "text-generation":
        print(event.text, end="|")
    elif event.event_type == "stream-end":
        print()
        print(event.finish_reason)`;
    const result = await python(sdk, `import cohere\n\nco = cohere.Client("fake-key")\n${loop}\n`);
    const out = cleanRun(result, GENERATE);
    expect(out.split("\n")[0].split("|").join("")).toBe(generated());
    expect(out.split("|").length).toBeGreaterThan(5);
    if (!v4) expect(out.split("\n")[1]).toBe("MAX_TOKENS");
    expect(result.requests[0].body).toMatchObject({ stream: true });
  });

  it("AsyncClient with asyncio prints the same text", async () => {
    // 4.x's AsyncClient holds an aiohttp session: `async with` (or `await co.close()`) closes it.
    const body = v4
      ? `    async with cohere.AsyncClient("fake-key") as co:
        r = await co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12)
        print(r[0].text)`
      : `    co = cohere.AsyncClient("fake-key")
    r = await co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12)
    print(r.generations[0].text)`;
    const result = await python(sdk, `import asyncio\n\nimport cohere\n\n\nasync def main():\n${body}\n\n\nasyncio.run(main())\n`);
    expect(cleanRun(result, GENERATE)).toBe(lines(generated()));
  });

  if (v4) {
    it("4.x: positional prompt; a Generation is a str; r.generations and r[0] agree; finish_reason and meta", async () => {
      const result = await python(
        sdk,
        `import cohere

co = cohere.Client("fake-key")
r = co.generate(${JSON.stringify(PROMPT)}, max_tokens=12)
print(r[0])
print(r.generations[0].text)
print(isinstance(r[0], str), r[0] == r[0].text, list(r) == r.generations, len(r))
print(r[0].finish_reason, r.meta["billed_units"]["output_tokens"])
s = co.generate(${JSON.stringify(PROMPT)}, max_tokens=12, stream=True)
texts = [t.text for t in s]
print(s.finish_reason, s.generations[0].text == "".join(texts), s.texts == ["".join(texts)])
`,
      );
      expect(cleanRun(result, GENERATE)).toBe(lines(generated(), generated(), "True True True 1", "MAX_TOKENS 12", "MAX_TOKENS True True"));
    });

    it("4.x: AsyncClient closed with await co.close(), stream=True read with async for", async () => {
      const result = await python(
        sdk,
        `import asyncio

import cohere


async def main():
    co = cohere.AsyncClient()
    s = await co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12, stream=True)
    async for token in s:
        print(token.text, end="")
    print()
    await co.close()


asyncio.run(main())
`,
      );
      expect(cleanRun(result, GENERATE)).toBe(lines(generated()));
    });
  }
});

describe("redirection", () => {
  it.each<[PythonSdk, string]>([
    ["cohere-7", `base_url="https://api.cohere.com"`],
    ["cohere-4", `api_url="https://api.cohere.ai"`],
  ])("a %s client given an explicit Cohere URL fails loudly instead of reaching the real API", async (sdk, url) => {
    const result = await python(sdk, `import cohere\n\ncohere.Client("fake-key", ${url}, max_retries=0).generate(prompt="hi")\n`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("bypassed CO_API_URL");
    expect(result.requests).toEqual([]);
  });
});

/** Chat v2: the migrated shapes, written by hand, on the SDKs that have it. */
describe.each<PythonSdk>(["cohere-7", "cohere-5"])("Chat v2 on %s", (sdk) => {
  const MESSAGES = `[{"role": "user", "content": ${JSON.stringify(PROMPT)}}]`;
  const TEXT = `next((c.text for c in r.message.content or [] if c.type == "text"), "")`;
  /** The delta's text without an Optional access pyright rejects; thinking deltas give "". */
  const DELTA = `(event.delta and event.delta.message and event.delta.message.content and event.delta.message.content.text) or ""`;

  it("co.v2.chat on a Client prints what co.generate prints with the same knobs", async () => {
    const before = await python(sdk, `import cohere\n\nco = cohere.Client("fake-key")\nr = co.generate(prompt=${JSON.stringify(PROMPT)}, max_tokens=12)\nprint(r.generations[0].text)\n`);
    const after = await python(
      sdk,
      `import cohere

co = cohere.Client("fake-key")
r = co.v2.chat(model="command-a-03-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12)
print(${TEXT})
print(r.finish_reason, r.usage.billed_units.output_tokens if r.usage and r.usage.billed_units else None)
`,
    );
    const text = cleanRun(before, GENERATE);
    expect(cleanRun(after, CHAT)).toBe(`${text}MAX_TOKENS 12.0\n`);
    expect(after.requests[0].body).toEqual({ model: "command-a-03-2025", messages: [{ role: "user", content: PROMPT }], temperature: 0.75, max_tokens: 12, stream: false });
  });

  it("every sampling knob carries over: same knobs, same text; a lost temperature shows", async () => {
    const knobs = "max_tokens=20, temperature=0.4, k=10, p=0.5, seed=3, frequency_penalty=0.1, presence_penalty=0.2";
    const before = await python(sdk, `import cohere\n\nprint(cohere.Client().generate(prompt=${JSON.stringify(PROMPT)}, ${knobs}).generations[0].text)\n`);
    const chat = (args: string): string =>
      `import cohere\n\nr = cohere.ClientV2().chat(model="command-a-03-2025", messages=${MESSAGES}, ${args})\nprint(${TEXT})\n`;
    const after = await python(sdk, chat(knobs));
    expect(cleanRun(after, CHAT)).toBe(cleanRun(before, GENERATE));
    const noTemperature = await python(sdk, chat("max_tokens=12"));
    expect(cleanRun(noTemperature, CHAT)).not.toBe(lines(generated()));
  });

  it("ClientV2.chat with typed messages (UserChatMessageV2) sends the same request", async () => {
    const result = await python(
      sdk,
      `import cohere

co = cohere.ClientV2("fake-key")
r = co.chat(model="command-a-03-2025", messages=[cohere.UserChatMessageV2(content=${JSON.stringify(PROMPT)})], temperature=0.75, max_tokens=12)
print(${TEXT})
`,
    );
    expect(cleanRun(result, CHAT)).toBe(lines(generated()));
    expect(result.requests[0].body).toMatchObject({ messages: [{ role: "user", content: PROMPT }] });
  });

  it("three Chat calls print what num_generations=3 printed", async () => {
    const result = await python(
      sdk,
      `import cohere

co = cohere.ClientV2("fake-key")
for _ in range(3):
    r = co.chat(model="command-a-03-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12)
    print(${TEXT})
`,
    );
    expect(cleanRun(result, CHAT)).toBe(lines(generated(0), generated(1), generated(2)));
  });

  it("chat_stream: content-delta pieces join to the same text; message-end carries finish_reason", async () => {
    const result = await python(
      sdk,
      `import cohere

co = cohere.ClientV2("fake-key")
for event in co.chat_stream(model="command-a-03-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12):
    if event.type == "content-delta":
        print(event.delta.message.content.text, end="|")
    elif event.type == "message-end":
        print()
        print(event.delta.finish_reason)
`,
    );
    const [pieces, finish] = cleanRun(result, CHAT).split("\n");
    expect(pieces.split("|").join("")).toBe(generated());
    expect(finish).toBe("MAX_TOKENS");
    expect(result.requests[0].body).toMatchObject({ stream: true });
  });

  it("AsyncClientV2 with asyncio.gather: three parallel calls, printed sorted", async () => {
    const result = await python(
      sdk,
      `import asyncio

import cohere


async def one(co):
    r = await co.chat(model="command-a-03-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12)
    return ${TEXT}


async def main():
    co = cohere.AsyncClientV2("fake-key")
    for text in sorted(await asyncio.gather(*(one(co) for _ in range(3)))):
        print(text)


asyncio.run(main())
`,
    );
    expect(cleanRun(result, CHAT)).toBe(lines(...[0, 1, 2].map(generated).sort()));
  });

  it("a thinking item comes first when asked for: the first item of type text is still the text", async () => {
    const result = await python(
      sdk,
      `import cohere

co = cohere.ClientV2("fake-key")
r = co.chat(model="command-a-03-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12)
print([c.type for c in r.message.content or []])
print(${TEXT})
for event in co.chat_stream(model="command-a-03-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12):
    if event.type == "content-delta":
        print(${DELTA}, end="")
print()
`,
      { thinking: true },
    );
    expect(cleanRun(result, CHAT)).toBe(lines("['thinking', 'text']", generated(0), generated(1)));
    expect(result.requests[0].response).toMatchObject({ message: { content: [{ type: "thinking", thinking: thinkingFor(PROMPT).join("") }, { type: "text" }] } });
  });

  it("a reasoning model thinks unless the request disables it", async () => {
    const call = (extra: string): string =>
      `r = co.chat(model="command-a-reasoning-08-2025", messages=${MESSAGES}, temperature=0.75, max_tokens=12${extra})\nprint([c.type for c in r.message.content or []], ${TEXT})\n`;
    const result = await python(sdk, `import cohere\n\nco = cohere.ClientV2("fake-key")\n${call("")}${call(`, thinking={"type": "disabled"}`)}`);
    expect(cleanRun(result, CHAT)).toBe(lines(`['thinking', 'text'] ${generated(0)}`, `['text'] ${generated(1)}`));
  });
});

describe("pyrightDiagnostics", () => {
  // Spellings of reading a Chat v2 response: the ones that check cleanly, and the direct reads that
  // pyright rejects (content is Optional and a union with thinking items; stream deltas are Optional).
  const GOOD = `import cohere

co = cohere.ClientV2("fake-key")
r = co.chat(model="command-a-03-2025", messages=[cohere.UserChatMessageV2(content="hi")], temperature=0.75)
text: str = next((c.text for c in r.message.content or [] if c.type == "text"), "")
for event in co.chat_stream(model="command-a-03-2025", messages=[cohere.UserChatMessageV2(content="hi")]):
    if event.type == "content-delta":
        piece: str = (event.delta and event.delta.message and event.delta.message.content and event.delta.message.content.text) or ""
`;
  const BAD = `import cohere

co = cohere.ClientV2("fake-key")
r = co.chat(model="command-a-03-2025", messages=[cohere.UserChatMessageV2(content="hi")], temperature=0.75)
print(r.message.content[0].text)
for event in co.chat_stream(model="command-a-03-2025", messages=[{"role": "user", "content": "hi"}]):
    if event.type == "content-delta":
        print(event.delta.message.content.text)
`;

  it.each<PythonSdk>(["cohere-7", "cohere-5"])("reports the wrong reads and nothing for the right ones on %s", async (sdk) => {
    const dir = writeProgram({ "good.py": GOOD, "pkg/bad.py": BAD });
    try {
      const diagnostics = await pyrightDiagnostics(dir, ["good.py", "pkg/bad.py"], sdk);
      expect(diagnostics.filter((d) => d.file === "good.py")).toEqual([]);
      expect(diagnostics.map((d) => `${d.file}:${d.line} ${d.rule ?? ""}`)).toEqual([
        "pkg/bad.py:5 reportOptionalSubscript",
        "pkg/bad.py:5 reportAttributeAccessIssue",
        "pkg/bad.py:6 reportArgumentType",
        "pkg/bad.py:8 reportOptionalMemberAccess",
        "pkg/bad.py:8 reportOptionalMemberAccess",
        "pkg/bad.py:8 reportOptionalMemberAccess",
      ]);
      expect(diagnostics[1].message).toContain('Cannot access attribute "text" for class "ThinkingAssistantMessageResponseContentItem"');
    } finally {
      removeProgram(dir);
    }
  });
});
