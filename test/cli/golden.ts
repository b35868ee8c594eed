/**
 * The golden finding set: a small repository with one instance of each kind of finding `check`
 * reports, plus suppressed, ignored and non-Cohere code. The expected findings are derived from
 * the input texts (where each call or marker is) and SPEC.md (which rule, severity and fixability
 * each kind has), never from what the formatters print.
 */
import type { Span } from "../../src/types";
import { spanOf } from "./helpers";

export interface ExpectedFinding {
  file: string;
  span: Span;
  rule: string;
  severity: "error" | "warning";
  fixable: boolean;
  /** Text the message must mention: the callee of a call, the marker's instruction. */
  mentions: string;
}

export interface Golden {
  files: Record<string, string>;
  findings: ExpectedFinding[];
  /** Findings silenced by cohere-migrate-ignore comments. */
  suppressed: number;
  /** Source files check reads. */
  checked: number;
}

const PRESET = "Chat has no presets: write the preset's parameters (model, temperature, ...) into this call.";

const FILES: Record<string, string> = {
  // A CohereClient (v1 surface): one Generate call and one stream. The emoji before the first call
  // makes its column differ between code points and UTF-16 units (SARIF's columnKind).
  "src/client.ts": `import { CohereClient } from "cohere-ai";

const co = new CohereClient({ token: process.env.COHERE_API_KEY });

export async function hello(): Promise<string> {
  const wave = "👋"; const r = await co.generate({ prompt: wave });
  const stream = await co.generateStream({ prompt: "Count to three" });
  for await (const event of stream) console.log(event);
  return r.generations[0].text;
}
`,
  // An unfinished migration: the marker a previous run left.
  "src/marker.js": `const { CohereClientV2 } = require("cohere-ai");
const co = new CohereClientV2({});
async function urgent(ticket) {
  /* cohere-migrate: preset ${PRESET} */
  return co.chat({ model: "command-a-03-2025", messages: [{ role: "user", content: ticket }] });
}
module.exports = { urgent };
`,
  // A receiver nobody can identify, in a file importing cohere-ai: a possible legacy call.
  "src/possible.ts": `import type { CohereClient } from "cohere-ai";

export type Client = CohereClient;

export async function maybe(client: any): Promise<unknown> {
  return client.generate({ prompt: "maybe" });
}
`,
  // The cohere-ai v6 module API.
  "src/v6.js": `const cohere = require("cohere-ai");
cohere.init(process.env.COHERE_API_KEY);
exports.old = () => cohere.generate({ prompt: "Once upon a time" });
`,
  // One call suppressed with a reason, one not; one marker suppressed.
  "src/suppressed.ts": `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export async function both() {
  // cohere-migrate-ignore compared against the legacy output on purpose
  const before = await co.generate({ prompt: "old" });
  const after = await co.generate({ prompt: "new" });
  // cohere-migrate-ignore
  /* cohere-migrate: preset ${PRESET} */
  return [before, after];
}
`,
  // The whole file opts out: its call and its marker are suppressed.
  "src/ignored-file.ts": `// cohere-migrate-ignore-file: vendored example kept on the legacy API
import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export const legacy = () => co.generate({ prompt: "x" });
/* cohere-migrate: preset ${PRESET} */
`,
  // Not Cohere: a local class with a generate method.
  "src/local.ts": `class Llm {
  generate(prompt: string): string {
    return prompt;
  }
}
export const local = new Llm().generate("x");
`,
  // The same kinds of finding in Python, beside the TypeScript ones in one run. The emoji makes the
  // column differ between code points and UTF-16 units here too.
  "svc/client.py": `import cohere

co = cohere.Client("key")


def hello() -> str:
    wave = "👋"; r = co.generate(prompt=wave)
    for event in co.generate_stream(prompt="Count to three"):
        print(event)
    return r.generations[0].text
`,
  "svc/marker.py": `import cohere

co = cohere.ClientV2("key")


def urgent(ticket):
    # cohere-migrate: preset ${PRESET}
    return co.chat(model="command-a-03-2025", messages=[{"role": "user", "content": ticket}])
`,
  "svc/possible.py": `import cohere


def maybe(client):
    return client.generate(prompt="maybe")
`,
  "svc/suppressed.py": `import cohere

co = cohere.Client("key")
# cohere-migrate-ignore compared against the legacy output on purpose
before = co.generate(prompt="old")
after = co.generate(prompt="new")
`,
  // Not Cohere: transformers' generate.
  "svc/local.py": `from transformers import AutoModelForCausalLM

model = AutoModelForCausalLM.from_pretrained("gpt2")
out = model.generate(max_new_tokens=5)
`,
  // A notebook: its position is the call's line and column in the .ipynb file itself.
  "notebooks/explore.ipynb": `${JSON.stringify(
    {
      cells: [
        { cell_type: "markdown", metadata: {}, source: ["# Exploring Generate"] },
        {
          cell_type: "code",
          execution_count: null,
          metadata: {},
          outputs: [],
          source: ["import cohere\n", "co = cohere.Client('key')\n", "r = co.generate(prompt='hi')\n", "print(r.generations[0].text)"],
        },
      ],
      metadata: { language_info: { name: "python" } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`,
  "src/clean.ts": `export const answer = 42;\n`,
  "README.md": "not a source file\n",
};

function finding(file: string, needle: string, rule: string, severity: "error" | "warning", fixable: boolean, mentions: string): ExpectedFinding {
  return { file, span: spanOf(FILES[file], needle), rule, severity, fixable, mentions };
}

/** SPEC: legacy calls on a known client are errors migrate fixes; markers are unfinished work it cannot. */
export function golden(): Golden {
  return {
    files: FILES,
    findings: [
      finding("src/client.ts", `co.generate({ prompt: wave })`, "generate", "error", true, "co.generate"),
      finding("src/client.ts", `co.generateStream({ prompt: "Count to three" })`, "generate-stream", "error", true, "co.generateStream"),
      finding("src/marker.js", `/* cohere-migrate: preset ${PRESET} */`, "marker/preset", "error", false, PRESET),
      finding("src/possible.ts", `client.generate({ prompt: "maybe" })`, "possible-legacy-call", "warning", false, "client.generate"),
      finding("src/suppressed.ts", `co.generate({ prompt: "new" })`, "generate", "error", true, "co.generate"),
      // The v6 module's init goes with its Generate calls (cohere-ai 8 has no module API).
      finding("src/v6.js", `cohere.init(process.env.COHERE_API_KEY)`, "v6-module", "error", true, "cohere.init"),
      finding("src/v6.js", `cohere.generate({ prompt: "Once upon a time" })`, "v6-generate", "error", true, "cohere.generate"),
      finding("svc/client.py", `co.generate(prompt=wave)`, "generate", "error", true, "co.generate"),
      finding("svc/client.py", `co.generate_stream(prompt="Count to three")`, "generate-stream", "error", true, "co.generate_stream"),
      finding("svc/marker.py", `# cohere-migrate: preset ${PRESET}`, "marker/preset", "error", false, PRESET),
      finding("svc/possible.py", `client.generate(prompt="maybe")`, "possible-legacy-call", "warning", false, "client.generate"),
      finding("svc/suppressed.py", `co.generate(prompt="new")`, "generate", "error", true, "co.generate"),
      finding("notebooks/explore.ipynb", `co.generate(prompt='hi')`, "generate", "error", true, "co.generate"),
    ],
    suppressed: 5,
    checked: Object.keys(FILES).filter((f) => /\.(ts|js|py|ipynb)$/.test(f)).length,
  };
}

/** Findings in the order check reports them: by file, then position. */
export function sortFindings<T extends { file: string; line: number; column: number }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
