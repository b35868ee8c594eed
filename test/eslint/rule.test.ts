/**
 * The rule with @typescript-eslint/rule-tester: valid code (Chat calls, other libraries'
 * generate, suppressed calls), invalid code with its findings and the fix, which the tester
 * applies again until the output is stable (the fixed output must be valid: nothing left to fix).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import plugin = require("../../src/eslint");

// The package declares its types behind "exports", which this repository's node10 resolution does
// not read: the tester's surface used here, typed by hand.
const { RuleTester } = require("@typescript-eslint/rule-tester") as { RuleTester: new () => { run(name: string, rule: unknown, tests: { valid: unknown[]; invalid: unknown[] }): void } };
const rule = plugin.rules?.["no-legacy-cohere"];
const tester = new RuleTester();

const CLIENT = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\n`;

// A client module on disk, for a file whose receiver is imported from it (the cross-file case).
// Under this checkout (.cache/ is ignored by git): ESLint lints no file outside its working folder.
fs.mkdirSync(path.join(__dirname, "..", "..", ".cache"), { recursive: true });
const project = fs.mkdtempSync(path.join(__dirname, "..", "..", ".cache", "cm-rule-"));
fs.writeFileSync(path.join(project, "clients.ts"), `import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({});\n`);
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
const CROSS = `import { co } from "./clients";\nexport const ask = async (q: string) => (await co.generate({ prompt: q, temperature: 0.2, model: "command-a-03-2025" })).generations[0].text;\n`;

tester.run("no-legacy-cohere", rule, {
  valid: [
    `${CLIENT}export const ask = (q: string) => co.v2.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: q }] });\n`,
    `class Llm { generate(p: string) { return p; } }\nexport const x = new Llm().generate("hi");\n`,
    `import { OpenAI } from "openai";\nconst ai = new OpenAI();\nexport const x = ai.generate({ prompt: "hi" });\n`,
    `${CLIENT}// cohere-migrate-ignore compared on purpose\nexport const old = co.generate({ prompt: "hi" });\n`,
    `${CLIENT}export const s = (p: { toString(): string }) => p.toString();\n`,
  ],
  invalid: [
    {
      code: `${CLIENT}export async function ask(q: string): Promise<string> {\n  const r = await co.generate({ prompt: q, maxTokens: 20 });\n  return r.generations[0].text;\n}\n`,
      errors: [{ messageId: "finding", line: 4, column: 19, data: { rule: "generate", message: "legacy Cohere Generate call `co.generate(...)`: migrate rewrites it to `co.v2.chat(...)`" } }],
      output: `${CLIENT}export async function ask(q: string): Promise<string> {\n  const r = await co.v2.chat({\n    model: "command-a-03-2025",\n    messages: [{ role: "user", content: q }],\n    maxTokens: 20,\n    temperature: 0.75,\n  });\n  return chatText(r);\n}\n\n/** The text of a Chat v2 response: its text content parts, joined (added by cohere-migrate). */\nfunction chatText(response: { message: { content?: Array<{ type: string; text?: string }> } }): string {\n  return (response.message.content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");\n}\n`,
    },
    {
      // Two calls, one fix for both: the fix sits on the first finding.
      code: `${CLIENT}export const a = async () => (await co.generate({ prompt: "a", model: "command-r" })).generations[0].text;\nexport const b = async () => (await co.generate({ prompt: "b", model: "command-r" })).generations[0].text;\n`,
      errors: [
        { messageId: "finding", line: 3 },
        { messageId: "finding", line: 4 },
      ],
      // command-r is retired: the call gets the default model, as migrate does.
      output: `${CLIENT}export const a = async () => chatText(await co.v2.chat({\n  messages: [{ role: "user", content: "a" }],\n  model: "command-a-03-2025",\n  temperature: 0.75,\n}));\nexport const b = async () => chatText(await co.v2.chat({\n  messages: [{ role: "user", content: "b" }],\n  model: "command-a-03-2025",\n  temperature: 0.75,\n}));\n\n/** The text of a Chat v2 response: its text content parts, joined (added by cohere-migrate). */\nfunction chatText(response: { message: { content?: Array<{ type: string; text?: string }> } }): string {\n  return (response.message.content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");\n}\n`,
    },
    {
      // The receiver comes from another module (read from disk, as check reads it): found, and the
      // rewrite is a suggestion, since it rests on a file this fix does not touch.
      code: CROSS,
      filename: path.join(project, "ask.ts"),
      errors: [
        {
          messageId: "finding",
          line: 2,
          data: { rule: "generate", message: "legacy Cohere Generate call `co.generate(...)`: migrate rewrites it to `co.v2.chat(...)`" },
          suggestions: [
            {
              messageId: "migrate",
              output: `import { co } from "./clients";\nexport const ask = async (q: string) => chatText(await co.v2.chat({ messages: [{ role: "user", content: q }], temperature: 0.2, model: "command-a-03-2025" }));\n\n/** The text of a Chat v2 response: its text content parts, joined (added by cohere-migrate). */\nfunction chatText(response: { message: { content?: Array<{ type: string; text?: string }> } }): string {\n  return (response.message.content ?? []).map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");\n}\n`,
            },
          ],
        },
      ],
      output: null,
    },
    {
      // A marker is unfinished work: reported, nothing to fix.
      code: `${CLIENT}/* cohere-migrate: preset Chat has no presets: write the preset's parameters (model, temperature, ...) into this call. */\nexport const x = 1;\n`,
      errors: [{ messageId: "finding", line: 3, data: { rule: "marker/preset", message: "unfinished migration (preset): Chat has no presets: write the preset's parameters (model, temperature, ...) into this call." } }],
      output: null,
    },
    {
      // A receiver nobody can identify: a warning-level finding check also reports, no fix.
      code: `import type { CohereClient } from "cohere-ai";\nexport type C = CohereClient;\nexport const maybe = (client: any) => client.generate({ prompt: "x" });\n`,
      errors: [{ messageId: "finding", line: 3, data: { rule: "possible-legacy-call", message: "possible legacy Cohere call `client.generate(...)`: the receiver could not be identified as a Cohere client; check it, or add // cohere-migrate-ignore above it" } }],
      output: null,
    },
  ],
});

test("the plugin's recommended flat config enables the rule", () => {
  expect(plugin.configs.recommended.rules).toEqual({ "cohere-migrate/no-legacy-cohere": "error" });
  expect(plugin.rules?.["no-legacy-cohere"]).toBeDefined();
  expect(plugin.configs.recommended.plugins?.["cohere-migrate"]).toBe(plugin);
});
