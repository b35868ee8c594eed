/**
 * The rule with @typescript-eslint/rule-tester: valid code (Chat calls, other libraries'
 * generate, suppressed calls), invalid code with its findings and the fix, which the tester
 * applies again until the output is stable (the fixed output must be valid: nothing left to fix).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import plugin = require("../../src/eslint");
import { helperModuleText } from "../../src/transform/helper-module";

// The package declares its types behind "exports", which this repository's node10 resolution does
// not read: the tester's surface used here, typed by hand.
const { RuleTester } = require("@typescript-eslint/rule-tester") as { RuleTester: new () => { run(name: string, rule: unknown, tests: { valid: unknown[]; invalid: unknown[] }): void } };
const rule = plugin.rules?.["no-legacy-cohere"];
const tester = new RuleTester();

const CLIENT = `import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({});\n`;

// Projects on disk, under this checkout (.cache/ is ignored by git): ESLint lints no file outside
// its working folder. `project` has a client module (for a file whose receiver is imported from
// it, the cross-file case) and the helper module migrate would have created; `bare` has neither.
fs.mkdirSync(path.join(__dirname, "..", "..", ".cache"), { recursive: true });
const project = fs.mkdtempSync(path.join(__dirname, "..", "..", ".cache", "cm-rule-"));
const bare = fs.mkdtempSync(path.join(__dirname, "..", "..", ".cache", "cm-rule-bare-"));
for (const dir of [project, bare]) fs.writeFileSync(path.join(dir, "package.json"), `{ "name": "${path.basename(dir)}" }\n`);
fs.writeFileSync(path.join(project, "clients.ts"), `import { CohereClient } from "cohere-ai";\nexport const co = new CohereClient({});\n`);
fs.writeFileSync(path.join(project, "cohere-chat.ts"), helperModuleText(undefined, new Set(["chatText"]), "ts") ?? "");
afterAll(() => {
  for (const dir of [project, bare]) fs.rmSync(dir, { recursive: true, force: true });
});
const CROSS = `import { co } from "./clients";\nexport const ask = async (q: string) => (await co.generate({ prompt: q, temperature: 0.2, model: "command-a-03-2025" })).generations[0].text;\n`;
const IMPORT = `import { chatText } from "./cohere-chat";\n`;
const CLIENT_IMPORTING = `import { CohereClient } from "cohere-ai";\n${IMPORT}const co = new CohereClient({});\n`;
const ASK = `${CLIENT}export async function ask(q: string): Promise<string> {\n  const r = await co.generate({ prompt: q, maxTokens: 20 });\n  return r.generations[0].text;\n}\n`;

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
      code: ASK,
      filename: path.join(project, "ask.ts"),
      errors: [{ messageId: "finding", line: 4, column: 19, data: { rule: "generate", message: "legacy Cohere Generate call `co.generate(...)`: migrate rewrites it to `co.v2.chat(...)`" } }],
      output: `${CLIENT_IMPORTING}export async function ask(q: string): Promise<string> {\n  const r = await co.v2.chat({\n    model: "command-a-03-2025",\n    messages: [{ role: "user", content: q }],\n    maxTokens: 20,\n    temperature: 0.75,\n  });\n  return chatText(r);\n}\n`,
    },
    {
      // Two calls, one fix for both: the fix sits on the first finding.
      filename: path.join(project, "two.ts"),
      code: `${CLIENT}export const a = async () => (await co.generate({ prompt: "a", model: "command-r" })).generations[0].text;\nexport const b = async () => (await co.generate({ prompt: "b", model: "command-r" })).generations[0].text;\n`,
      errors: [
        { messageId: "finding", line: 3 },
        { messageId: "finding", line: 4 },
      ],
      // command-r is retired: the call gets the default model, as migrate does.
      output: `${CLIENT_IMPORTING}export const a = async () => chatText(await co.v2.chat({\n  messages: [{ role: "user", content: "a" }],\n  model: "command-a-03-2025",\n  temperature: 0.75,\n}));\nexport const b = async () => chatText(await co.v2.chat({\n  messages: [{ role: "user", content: "b" }],\n  model: "command-a-03-2025",\n  temperature: 0.75,\n}));\n`,
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
              output: `import { co } from "./clients";\n${IMPORT}export const ask = async (q: string) => chatText(await co.v2.chat({ messages: [{ role: "user", content: q }], temperature: 0.2, model: "command-a-03-2025" }));\n`,
            },
          ],
        },
      ],
      output: null,
    },
    {
      // The rewrite imports from the package's helper module, which is not there yet: a fix edits
      // one file, so there is none; the report says that migrate creates the module.
      code: ASK,
      filename: path.join(bare, "ask.ts"),
      errors: [{ messageId: "findingNeedsModule", line: 4, data: { rule: "generate", message: "legacy Cohere Generate call `co.generate(...)`: migrate rewrites it to `co.v2.chat(...)`", module: `${path.relative(path.join(__dirname, "..", ".."), bare)}/cohere-chat.ts` } }],
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
