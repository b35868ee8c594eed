/**
 * Names from user code are never looked up through Object.prototype: every Object.prototype name
 * (toString, constructor, valueOf, hasOwnProperty, __proto__, ...) is put in each position where
 * a name from the user's code meets one of our tables: a method called on a client and on other
 * receivers (detection), a request field and a model id (request mapping), reads of the response,
 * its generations and stream events and an event type (response following), and a marker code.
 * With tables that answered through the prototype, these were findings, crashes or rewrites.
 */
import { checkFiles, migrateFiles } from "./support/fixtures";
import { syntaxErrors } from "./support/typecheck";

const NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));

function typescriptProgram(name: string): string {
  return `import { CohereClient } from "cohere-ai";

const co = new CohereClient({});

export async function run(content: { ${name}(): string }): Promise<unknown> {
  const other = content.${name}();
  const direct = (co as unknown as Record<string, () => unknown>)["${name}"];
  const r = await co.generate({ prompt: "x", model: "${name}", ${name}: 1 });
  const s = await co.generateStream({ prompt: "y" });
  for await (const event of s) {
    if (event.eventType === ("${name}" as never)) console.log((event as unknown as Record<string, unknown>).${name});
  }
  return [other, direct, r.${name}, r.generations[0].${name}, r.generations[0].text];
}

/* cohere-migrate: ${name.toLowerCase().replace(/_/g, "")} a marker code nobody defined */
`;
}

function pythonProgram(name: string): string {
  return `import cohere

co = cohere.Client("key")
other = "text".${name}
co.${name}()
r = co.generate(prompt="x", model="${name}", ${name}=1)
print(r.${name}, r.generations[0].${name}, r.generations[0].text)
for event in co.generate_stream(prompt="y"):
    if event.event_type == "${name}":
        print(event.${name})

# cohere-migrate: ${name.toLowerCase().replace(/_/g, "")} a marker code nobody defined
`;
}

describe.each(NAMES)("the name %s", (name) => {
  const files = new Map([
    ["app.ts", typescriptProgram(name)],
    ["app.py", pythonProgram(name)],
  ]);

  it("is no finding in check: only the Generate calls and the marker are", async () => {
    const result = await checkFiles(files);
    const rules = result.findings.map((f) => `${f.file}:${f.span.start.line} ${f.rule}`).sort();
    const code = name.toLowerCase().replace(/_/g, "");
    expect(rules).toEqual([`app.py:12 marker/${code}`, "app.py:6 generate", "app.py:8 generate-stream", `app.ts:16 marker/${code}`, "app.ts:8 generate", "app.ts:9 generate-stream"].sort());
    expect(result.findings.find((f) => f.rule === `marker/${code}`)?.message).toContain("a marker code nobody defined");
  });

  it("is no table entry in migrate: the calls are rewritten, the file parses, and the run converges", async () => {
    const { texts, result } = await migrateFiles(files);
    expect(result.files.filter((f) => f.status === "failed").map((f) => f.error?.message)).toEqual([]);
    const ts = texts.get("app.ts") ?? "";
    expect(ts).not.toMatch(/\bco\.generate(Stream)?\(/);
    expect(ts).toContain(`content.${name}()`);
    expect(syntaxErrors("app.ts", ts)).toEqual([]);
    const py = texts.get("app.py") ?? "";
    expect(py).not.toMatch(/\bco\.generate(_stream)?\(/);
    expect(py).toContain(`co.${name}()`);
    const again = await migrateFiles(texts);
    expect(again.texts).toEqual(texts);
    const left = await checkFiles(texts);
    expect(left.findings.filter((f) => f.fixable || f.rule === "possible-legacy-call").map((f) => `${f.file}:${f.span.start.line} ${f.rule} ${f.message}`)).toEqual([]);
  });
});

describe("tables in the sources", () => {
  // A table typed as a Record keyed by any string must be made with table() (no prototype): this
  // keeps a new plain object literal table from bringing the bug back.
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const root = path.join(__dirname, "..");
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));

  it("are never plain object literals", () => {
    const plain: string[] = [];
    for (const file of [...sources(path.join(root, "src")), ...sources(path.join(root, "transforms"))]) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/const (\w+): Readonly<(?:Partial<)?Record<string,[^\n]*= \{/g)) plain.push(`${path.relative(root, file)}: ${m[1]}`);
    }
    expect(plain).toEqual([]);
  });
});
