/**
 * The core transform, by behaviour: small programs on cohere-ai 8.1.0 run against the fake API, are
 * migrated in place, run again, and must print exactly what they printed before — now through
 * `/v2/chat` only. Programs print the texts themselves (not lengths), so a lost knob, a wrong model
 * family, a missing temperature pin or wrong trimming changes the output.
 *
 * Programs that print several generations sort them: the migrated program makes n Chat calls in
 * parallel, and the fake hands out samples in the order the calls arrive.
 */
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { endpoints } from "../support/run-program";
import { expectMarkedChange, expectSameOutput, explain, runMigrated, runOnce, type Migration, type Program } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

const expectSame = (program: Program): Promise<Migration> => expectSameOutput(fake, program);

/** The JSON bodies a run sent, by path. */
function bodies(run: Migration["before"], path: string): Array<Record<string, unknown>> {
  return run.requests.filter((r) => r.path === path).map((r) => r.body as Record<string, unknown>);
}

/** The text of each Chat response the fake sent in a run (before the program trimmed it). */
function chatReplies(run: Migration["after"]): string[] {
  return run.requests
    .filter((r) => r.path === "/v2/chat" && r.status === 200)
    .map((r) => (r.response as { message: { content: Array<{ text: string }> } }).message.content.map((c) => c.text).join(""));
}

const ts = (source: string): Program => ({ files: { "main.ts": source }, entry: "main.ts" });

describe("request mapping", () => {
  it("plain call with a retired model", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ model: "command", prompt: "Write a haiku about rivers" });
  console.log(response.generations[0].text);
}

main();
`),
    );
    expect(bodies(m.after, "/v2/chat")).toEqual([expect.objectContaining({ model: "command-a-03-2025" })]);
  });

  it("custom fine-tuned model id is kept", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({
    model: "2f9ae1c3-7e0b-4a77-support-ft",
    prompt: "Reply to: my order is late",
    maxTokens: 24,
  });
  console.log(response.generations[0].text);
}

main();
`),
    );
    expect(bodies(m.after, "/v2/chat")).toEqual([expect.objectContaining({ model: "2f9ae1c3-7e0b-4a77-support-ft" })]);
  });

  it("no model and no temperature: default model, Generate's temperature pinned", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Name three colours" });
  console.log(response.generations[0].text);
}

main();
`),
    );
    expect(bodies(m.after, "/v2/chat")).toEqual([expect.objectContaining({ model: "command-a-03-2025", temperature: 0.75 })]);
  });

  it("temperature present is copied", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ model: "command-light", prompt: "Describe the sea", temperature: 0.2 });
  console.log(response.generations[0].text);
}

main();
`),
    );
  });

  it("maxTokens, k, p, seed and both penalties are copied", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({
    prompt: "Summarise the meeting",
    maxTokens: 18,
    temperature: 0.6,
    k: 20,
    p: 0.5,
    seed: 11,
    frequencyPenalty: 0.3,
    presencePenalty: 0.2,
  });
  console.log(response.generations[0].text);
}

main();
`),
    );
    expect(bodies(m.after, "/v2/chat")).toEqual([
      expect.objectContaining({ max_tokens: 18, temperature: 0.6, k: 20, p: 0.5, seed: 11, frequency_penalty: 0.3, presence_penalty: 0.2 }),
    ]);
  });

  it("prompt from a template and a shorthand property", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function describe(city: string) {
  const prompt = \`Describe \${city} in one sentence\`;
  const response = await cohere.generate({ prompt, maxTokens: 25 });
  return response.generations[0].text;
}

async function main() {
  console.log(await describe("Lisbon"));
  console.log(await describe("Oslo"));
}

main();
`),
    );
  });

  it("numGenerations: 3 becomes three Chat calls (printed sorted)", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Suggest a product name", numGenerations: 3, maxTokens: 12 });
  console.log(response.generations.length);
  // Sorted: the migrated program's three calls may come back in any order.
  const texts = [response.generations[0].text, response.generations[1].text, response.generations[2].text];
  console.log(texts.sort().join("\\n~~\\n"));
}

main();
`),
    );
    expect(bodies(m.after, "/v2/chat")).toHaveLength(3);
  });

  it("stopSequences: cut after the earliest stop sequence, which is kept", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Write until the end", stopSequences: ["END", "###"] });
  console.log(JSON.stringify(response.generations[0].text));
}

main();
`),
    );
    const printed = JSON.parse(m.before.stdout) as string;
    expect(printed.endsWith("END") || printed.endsWith("###")).toBe(true);
    // Chat sent the whole text; the migrated program trimmed it.
    expect(chatReplies(m.after)[0].length).toBeGreaterThan(printed.length);
  });

  it("endSequences: cut before the earliest end sequence, which is dropped", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Write a heading", endSequences: ["###"], temperature: 0.9 });
  console.log(JSON.stringify(response.generations[0].text));
}

main();
`),
    );
    const printed = JSON.parse(m.before.stdout) as string;
    expect(printed).not.toContain("###");
    expect(chatReplies(m.after)[0]).toContain(`${printed}###`);
  });

  it("stopSequences and endSequences together: the earliest of either wins", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  for (const topic of ["tea", "rain", "maps"]) {
    const response = await cohere.generate({
      prompt: \`A line about \${topic}\`,
      stopSequences: ["--", "END"],
      endSequences: ["\\n", "."],
      maxTokens: 26,
    });
    console.log(JSON.stringify(response.generations[0].text));
  }
}

main();
`),
    );
    expect(chatReplies(m.after).join("").length).toBeGreaterThan(m.before.stdout.length);
  });
});

describe("response mapping", () => {
  it("destructuring: const { generations } = await ...", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const { generations } = await cohere.generate({ prompt: "Give me a tagline", maxTokens: 20 });
  console.log(generations[0].text);
}

main();
`),
    );
  });

  it(".then(r => ...)", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

cohere
  .generate({ prompt: "Write a limerick", temperature: 0.4 })
  .then((r) => console.log(r.generations[0].text));
`),
    );
  });

  it("for (const g of r.generations) with numGenerations: 2", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const r = await cohere.generate({ prompt: "Name a cat", numGenerations: 2, maxTokens: 8 });
  const lines: string[] = [];
  for (const g of r.generations) {
    lines.push(g.text.toUpperCase());
  }
  // Sorted: parallel calls arrive in any order.
  console.log(lines.sort().join(" | "));
}

main();
`),
    );
  });

  it(".map(g => g.text) with numGenerations: 4 and an end sequence", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Short slogans", numGenerations: 4, endSequences: ["."] });
  // Sorted: parallel calls arrive in any order.
  const slogans = response.generations.map((g) => g.text).sort();
  console.log(slogans.join("\\n"));
}

main();
`),
    );
  });

  it("a helper returns the response and the caller reads it", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function ask(question: string) {
  return cohere.generate({ prompt: question, maxTokens: 21, temperature: 0.5 });
}

async function main() {
  const response = await ask("What is a fjord?");
  console.log(response.generations[0].text);
}

main();
`),
    );
  });

  it("meta.billedUnits reads (derived from the texts by the fake)", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Count these words please", maxTokens: 27 });
  console.log(response.generations[0].text);
  console.log("input", response.meta?.billedUnits?.inputTokens);
  console.log("output", response.meta?.billedUnits?.outputTokens);
}

main();
`),
    );
  });

  it("finish_reason of a generation (JavaScript)", async () => {
    await expectSame({
      entry: "main.js",
      files: {
        "main.js": `const { CohereClient } = require("cohere-ai");

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Tell a long story", maxTokens: 6 });
  console.log(response.generations[0].text);
  console.log(response.generations[0].finish_reason);
}

main();
`,
      },
    });
  });
});

describe("module systems and client shapes", () => {
  it("CommonJS .js with require", async () => {
    await expectSame({
      entry: "index.js",
      files: {
        "index.js": `const cohereAi = require("cohere-ai");

const cohere = new cohereAi.CohereClient({ token: "key" });

cohere.generate({ prompt: "Say hello in French", maxTokens: 10 }).then((response) => {
  console.log(response.generations[0].text);
});
`,
      },
    });
  });

  it("ESM .mjs with top-level await", async () => {
    await expectSame({
      entry: "main.mjs",
      files: {
        "main.mjs": `import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });
const response = await cohere.generate({ prompt: "Name a planet", temperature: 0.1, stopSequences: ["."] });
console.log(response.generations[0].text);
`,
      },
    });
  });

  it("a CohereClientV2 program", async () => {
    const source = (client: string) => `import { ${client} } from "cohere-ai";

const cohere = new ${client}({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Tell me a joke about databases", maxTokens: 24 });
  console.log(response.generations[0].text);
}

main();
`;
    // cohere-ai 8.1.0 binds CohereClientV2.generate to the V2 client, which lacks __generate, so
    // the original only ran on 7.x, where it was CohereClient's Generate call. That call is the reference.
    const reference = await runOnce(fake, ts(source("CohereClient")));
    expect({ code: reference.code, endpoints: endpoints(reference) }).toEqual({ code: 0, endpoints: ["POST /v1/generate"] });
    const m = await runMigrated(fake, ts(source("CohereClientV2")));
    expect(m.before.stderr).toContain("this.__generate is not a function");
    try {
      expect(m.migrated.get("main.ts")).toContain("cohere.chat(");
      expect({ code: m.after.code, endpoints: endpoints(m.after), stdout: m.after.stdout, stderr: m.after.stderr }).toEqual({
        code: 0,
        endpoints: ["POST /v2/chat"],
        stdout: reference.stdout,
        stderr: "",
      });
    } catch (error) {
      if (error instanceof Error) error.message += `\n\n${explain(m)}`;
      throw error;
    }
  });

  it("a client on a class property (this.client.generate)", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

class Writer {
  private client: CohereClient;

  constructor(token: string) {
    this.client = new CohereClient({ token });
  }

  async write(topic: string): Promise<string> {
    const response = await this.client.generate({ prompt: \`Write about \${topic}\`, temperature: 0.5, maxTokens: 20 });
    return response.generations[0].text;
  }
}

async function main() {
  const writer = new Writer("key");
  console.log(await writer.write("autumn"));
}

main();
`),
    );
  });

  it("a client exported from one module and used by another", async () => {
    const m = await expectSame({
      entry: "main.ts",
      files: {
        "client.ts": `import { CohereClient } from "cohere-ai";

export const cohere = new CohereClient({ token: "key" });
`,
        "main.ts": `import { cohere } from "./client";

async function main() {
  const response = await cohere.generate({ prompt: "Plan a picnic", maxTokens: 22, seed: 5 });
  console.log(response.generations[0].text);
}

main();
`,
      },
    });
    expect(m.migrated.get("main.ts")).not.toBe(undefined);
  });
});

describe("where the output cannot be kept, a marker says so", () => {
  const expectMarked = (program: Program, marker: string): Promise<Migration> => expectMarkedChange(fake, program, marker);

  it("billed units of a numGenerations call (n Chat calls bill the prompt n times)", async () => {
    await expectMarked(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Short slogans", numGenerations: 2, maxTokens: 20 });
  console.log(response.generations.map((g) => g.text).sort().join("\\n"));
  console.log(response.meta?.billedUnits?.inputTokens, response.meta?.billedUnits?.outputTokens);
}

main();
`),
      "response-shape",
    );
  });

  it("a temperature above Chat's maximum of 1", async () => {
    await expectMarked(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const response = await cohere.generate({ prompt: "Be wild", temperature: 1.8, maxTokens: 15 });
  console.log(response.generations[0].text);
}

main();
`),
      "temperature-range",
    );
  });
});

describe("callers in other modules", () => {
  it("an exported function that now returns a Chat response: its calls in other modules read it (named and namespace imports, a chain through another module, numGenerations)", async () => {
    const m = await expectSame({
      entry: "main.ts",
      typeCheck: true,
      files: {
        "llm.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: "key" });

export async function draft(prompt: string) {
  return co.generate({ prompt, maxTokens: 8 });
}

export function many(prompt: string) {
  return co.generate({ prompt, maxTokens: 6, numGenerations: 2 });
}
`,
        "report.ts": `import * as llm from "./llm";

export async function report(topic: string): Promise<string> {
  return (await llm.draft(topic)).generations[0].text.trim();
}
`,
        "main.ts": `import { draft, many } from "./llm";
import * as llm from "./llm";
import { report } from "./report";

async function main(): Promise<void> {
  const r = await draft("Name a river");
  console.log(r.generations[0].text);
  console.log((await llm.draft("Name a lake")).generations[0].text);
  const options = await many("Name a dog");
  console.log(options.generations.map((g) => g.text).sort());
  console.log(await report("Name a sea"));
}

main();
`,
      },
    });
    for (const [file, text] of m.migrated) expect({ file, marked: text.includes("cohere-migrate:") }).toEqual({ file, marked: false });
  });
});
