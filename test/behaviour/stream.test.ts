/**
 * Streaming (`generate-stream-to-chat-stream`), by behaviour: programs that read a Generate stream on
 * cohere-ai 8.1.0 (newline-delimited JSON from `/v1/generate`) are migrated in place and must print
 * exactly the same text from Chat's server-sent events on `/v2/chat`. See core.test.ts for the method.
 *
 * The originals use `CohereClient`: cohere-ai 8.1.0 declares `CohereClientV2.generateStream`, but it
 * fails at run time (`this.__generate is not a function`), so no working program calls it.
 *
 * Programs print the pieces as they arrive (or joined with a separator), not only the whole text, so
 * a migrated loop that drops, doubles or reorders deltas shows. The fake splits a Generate stream and
 * a Chat stream into the same pieces for the same sampling knobs.
 */
import { startFakeCohere, type FakeCohere } from "../support/fake-cohere";
import { expectMarkedChange, expectSameOutput, type Migration, type Program } from "./harness";

let fake: FakeCohere;
beforeAll(async () => {
  fake = await startFakeCohere();
});
afterAll(() => fake.close());

const expectSame = (program: Program): Promise<Migration> => expectSameOutput(fake, program);
const ts = (source: string): Program => ({ files: { "main.ts": source }, entry: "main.ts" });
const js = (source: string): Program => ({ files: { "main.js": source }, entry: "main.js" });

/** The bodies the migrated program sent to Chat: each must ask for a stream. */
function chatBodies(m: Migration): Array<Record<string, unknown>> {
  return m.after.requests.filter((r) => r.path === "/v2/chat").map((r) => r.body as Record<string, unknown>);
}

describe("event loops", () => {
  it("for await with if / else if on eventType, finish reason printed at stream-end", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const stream = await cohere.generateStream({ model: "command", prompt: "Write a short poem about tides", maxTokens: 22 });
  for await (const event of stream) {
    if (event.eventType === "text-generation") {
      process.stdout.write(event.text);
    } else if (event.eventType === "stream-end") {
      console.log(\`\\n[finished: \${event.finishReason}]\`);
    }
  }
}

main();
`),
    );
    expect(chatBodies(m)).toEqual([expect.objectContaining({ stream: true, model: "command-a-03-2025", max_tokens: 22, temperature: 0.75 })]);
    // The original stopped at maxTokens: the migrated program must print the same finish reason.
    expect(m.before.stdout).toContain("[finished: MAX_TOKENS]");
  });

  it("isFinished tells the end event apart, as message-end does", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const stream = await cohere.generateStream({ prompt: "Count the tides", maxTokens: 9 });
  let events = 0;
  for await (const event of stream) {
    if (event.eventType === "text-generation") process.stdout.write(event.text);
    if (event.isFinished) console.log(\`\\n[done after \${events} text events]\`);
    if (!event.isFinished) events++;
  }
}

main();
`),
    );
    expect(m.before.stdout).toContain("[done after");
  });

  it("a switch on eventType with a fine-tuned model and a stream-error case", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const client = new CohereClient({ token: "key" });

async function run(prompt: string): Promise<void> {
  const stream = await client.generateStream({ model: "acme-poems-ft-7", prompt, temperature: 0.5 });
  for await (const event of stream) {
    switch (event.eventType) {
      case "text-generation":
        process.stdout.write(event.text + "|");
        break;
      case "stream-end":
        // The finish reason tells whether the output was cut short.
        console.log(\`\\n[\${event.finishReason}]\`);
        break;
      case "stream-error":
        console.log("stream failed");
        break;
    }
  }
}

run("Describe a lighthouse");
`),
    );
    expect(chatBodies(m)).toEqual([expect.objectContaining({ model: "acme-poems-ft-7", temperature: 0.5 })]);
  });

  it("text accumulated and printed at the end (CommonJS, namespace require)", async () => {
    await expectSame(
      js(`const cohere = require("cohere-ai");

const client = new cohere.CohereClient({ token: "key" });

async function main() {
  const stream = await client.generateStream({ prompt: "Write a limerick", k: 5, maxTokens: 30 });
  let text = "";
  let pieces = 0;
  for await (const ev of stream) {
    if (ev.eventType === "text-generation") {
      text += ev.text;
      pieces++;
    } else if (ev.eventType === "stream-end") {
      text += "\\n";
    }
  }
  console.log(JSON.stringify(text), pieces);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
`),
    );
  });

  it("finish reason kept from the stream-end event with && and a ternary", async () => {
    await expectSame(
      js(`const { CohereClient } = require("cohere-ai");

const co = new CohereClient({ token: "key" });

async function run(prompt) {
  let reason = null;
  for await (const event of await co.generateStream({ prompt, model: "command-r", temperature: 0.9 })) {
    event.eventType === "text-generation" && process.stdout.write(event.text);
    reason = event.eventType === "stream-end" ? event.finishReason : reason;
  }
  console.log("\\n" + reason);
}

run("Explain tides to a child");
`),
    );
  });

  it("continue on other events; pieces collected in an array", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({});

async function collect(prompt: string): Promise<string[]> {
  const pieces: string[] = [];
  const stream = await cohere.generateStream({ prompt, maxTokens: 26, temperature: 0.3 });
  for await (const event of stream) {
    // Only text matters here.
    if (event.eventType !== "text-generation") continue;
    pieces.push(event.text);
  }
  return pieces;
}

collect("List some rivers").then((pieces) => console.log(pieces.join("|")));
`),
    );
  });

  it("destructured loop variable", async () => {
    await expectSame(
      js(`const { CohereClient } = require("cohere-ai");

const cohere = new CohereClient({ token: "key" });

async function echo(prompt) {
  const stream = await cohere.generateStream({ prompt, maxTokens: 18 });
  for await (const { eventType, text: piece } of stream) {
    if (eventType === "text-generation") process.stdout.write("<" + piece + ">");
  }
  process.stdout.write("\\n");
}

echo("Echo this back");
`),
    );
  });
});

describe("where the stream comes from", () => {
  it("a stream returned by a helper function", async () => {
    await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

function startStream(prompt: string) {
  return cohere.generateStream({ prompt, model: "command-light", maxTokens: 20 });
}

async function printAnswer(question: string): Promise<void> {
  const stream = await startStream(question);
  for await (const event of stream) {
    if (event.eventType === "text-generation") process.stdout.write(event.text);
  }
  process.stdout.write("\\n");
}

async function main() {
  await printAnswer("Why is the sea salty?");
  await printAnswer("Why is the sky blue?");
}

main();
`),
    );
  });

  it("a stream passed to a printing function", async () => {
    await expectSame(
      js(`const { CohereClient } = require("cohere-ai");

const cohere = new CohereClient({ token: "key" });

// Prints a stream of Generate events as they arrive.
async function printStream(stream) {
  for await (const event of stream) {
    if (event.eventType === "text-generation") process.stdout.write(event.text);
  }
  process.stdout.write("\\n");
}

async function main() {
  const stream = await cohere.generateStream({ prompt: "Describe the sea", p: 0.8, maxTokens: 24 });
  await printStream(stream);
}

main();
`),
    );
  });

  it("a stream passed to a function typed AsyncIterable<Cohere.GenerateStreamedResponse>", async () => {
    await expectSame({
      ...ts(`import { Cohere, CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

/** Writes the text of a stream as it arrives, then why it ended. */
async function printStream(stream: AsyncIterable<Cohere.GenerateStreamedResponse>): Promise<void> {
  for await (const event of stream) {
    if (event.eventType === "text-generation") process.stdout.write(event.text);
    else if (event.eventType === "stream-end") console.log(\` (\${event.finishReason})\`);
  }
}

async function main(): Promise<void> {
  const stream = await cohere.generateStream({ prompt: "Name three rivers", frequencyPenalty: 0.2, maxTokens: 40 });
  await printStream(stream);
}

main();
`),
      // The Generate event type must be gone too, or the migrated file does not type-check.
      legacyText: /\.generateStream\s*\(|GenerateStreamedResponse/,
    });
  });

  it("a .then callback that iterates the stream", async () => {
    await expectSame(
      js(`const { CohereClient } = require("cohere-ai");

const co = new CohereClient({ token: "key" });

co.generateStream({ prompt: "Count to five", maxTokens: 20 }).then(async (stream) => {
  for await (const chunk of stream) {
    if (chunk.eventType == "text-generation") process.stdout.write(chunk.text);
  }
  process.stdout.write("\\n");
});
`),
    );
  });
});

describe("what Chat's stream cannot carry", () => {
  it("the full text read from stream-end: collected from the deltas, with a marker to check", async () => {
    const m = await expectSame(
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function summarise(text: string): Promise<string> {
  const stream = await cohere.generateStream({ prompt: \`Summarise: \${text}\`, maxTokens: 28 });
  let summary = "";
  for await (const event of stream) {
    if (event.eventType === "text-generation") {
      process.stdout.write(event.text);
    } else if (event.eventType === "stream-end") {
      summary = event.response.generations?.[0]?.text ?? "";
    }
  }
  return summary;
}

summarise("the quarterly report").then((summary) => console.log("\\nsummary:", JSON.stringify(summary)));
`),
    );
    expect(m.migrated.get("main.ts")).toContain("cohere-migrate: stream-full-text");
  });

  it("stop sequences on a stream are removed with a marker (trimming a stream is stateful)", async () => {
    await expectMarkedChange(
      fake,
      ts(`import { CohereClient } from "cohere-ai";

const cohere = new CohereClient({ token: "key" });

async function main() {
  const stream = await cohere.generateStream({ prompt: "List three colours:", stopSequences: ["."] });
  let out = "";
  for await (const event of stream) {
    if (event.eventType === "text-generation") out += event.text;
  }
  console.log(out);
}

main();
`),
      "stream-stop-sequences",
    );
  });
});
