/**
 * Precision at scale: in real code almost every `.generate(` belongs to something else (parser
 * generators, code generators, other SDKs, and cohere-ai's own sources). On all the JS/TS files of
 * this project's node_modules, `check` reports nothing but the one Cohere call added to them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check } from "../../src/check";
import type { CheckResult } from "../../src/types";
import { copyRealFiles, realSourceFiles } from "../../scripts/corpus";

const SERVICE = [
  'import { CohereClient } from "cohere-ai";',
  "",
  "export class Titles {",
  "  constructor(private readonly client: CohereClient) {}",
  "}",
  "",
  "export class Summaries {",
  "  private client: CohereClient;",
  "",
  "  constructor(client: CohereClient) {",
  "    this.client = client;",
  "  }",
  "",
  "  async summarise(text: string): Promise<string> {",
  "    const response = await this.client.generate({ prompt: `Summarise: ${text}` });",
  "    return response.generations[0].text;",
  "  }",
  "}",
  "",
].join("\n");

let root: string;
let result: CheckResult;
let copied: number;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cm-precision-"));
  copied = copyRealFiles(realSourceFiles(), path.join(root, "vendor")).length;
  fs.mkdirSync(path.join(root, "app"));
  fs.writeFileSync(path.join(root, "app", "summaries.ts"), SERVICE);
  result = await check({ cwd: root, paths: ["."] });
}, 300_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test("the corpus is every JS/TS file of node_modules", () => {
  expect(copied).toBeGreaterThan(5000);
  expect(result.totals.files).toBe(copied + 1);
});

test("only the call on a property typed CohereClient is reported", () => {
  const legacy = result.findings.filter((f) => f.rule !== "parse-error");
  expect(legacy.map((f) => [f.file, f.span.start.line, f.rule])).toEqual([["app/summaries.ts", 15, "generate"]]);
});
