/**
 * The repository the report tests (Markdown/JSON/HTML, and the HTML page in Chromium) migrate:
 * a plain call, a call that leaves a preset marker, and a file that does not parse.
 */
export const REPORTED_FILES: Readonly<Record<string, string>> = {
  "src/plain.ts": `import { CohereClient } from "cohere-ai";
const co = new CohereClient({});
export async function plain(q: string): Promise<string> {
  const r = await co.generate({ prompt: q });
  return r.generations[0].text;
}
`,
  "src/preset.ts": `import { CohereClientV2 } from "cohere-ai";
const co = new CohereClientV2({});
export async function preset(q: string): Promise<string> {
  const r = await co.generate({ prompt: q, preset: "support-v2" });
  return r.generations[0].text;
}
`,
  "src/broken.ts": `import { CohereClient } from "cohere-ai";\nexport const x = new CohereClient({}).generate({ prompt: "x" ;\n`,
};
