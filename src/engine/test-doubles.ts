/**
 * Tests that stub a client's generate: once migrate rewrote the calls of the code under test, the
 * stub is never called (the code calls the Chat method), a MagicMock answers instead, and the test
 * fails or passes on nothing. Such a stub is marked (test-double), so that check stays red until
 * the test stubs the Chat method with a Chat v2 response.
 *
 * Read by text: a test file (by its name or folder) that names Cohere or a module migrate
 * rewrote, and a line that stubs or asserts on `generate` the way unittest.mock, pytest-mock,
 * Jest and Vitest are written.
 */
import * as path from "node:path";
import { MARKER_PREFIX, MARKERS } from "../markers";

const PYTHON_TEST = /(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_test|conftest)\.py$|[\\/]tests?[\\/][^\\/]*\.py$/;
const SCRIPT_TEST = /\.(?:test|spec)\.[cm]?[jt]sx?$|[\\/]__(?:tests|mocks)__[\\/][^\\/]*\.[cm]?[jt]sx?$/;

/**
 * A line that stubs generate or checks its calls; in Python also a fake client's own method
 * (`class FakeCohere: def generate(self, **kw)`, patched over the client migrate rewrote); in a
 * script test a nock interceptor of the Generate path (`nock("https://api.cohere.ai").post("/v1/generate")`),
 * which the request sent to Chat no longer matches, and a fixture shaped as a Generate response
 * (`generations: [...]`: a fetch mock's body, a manual mock's resolved value), which chatText rejects.
 */
const PYTHON_STUB = /\.generate\.(?:return_value|side_effect|assert_\w+|call_args(?:_list)?|call_count|called)\b|\bgenerate\s*=\s*(?:\w+\.)?(?:Mock|MagicMock|AsyncMock)\(|patch\.object\([^)\n]*["']generate["']|^\s*(?:async\s+)?def\s+generate\s*\(\s*self\b/m;
const SCRIPT_STUB = /\bgenerate(?:Stream)?\s*:\s*(?:(?:jest|vi)\.fn\b|[\w$]*(?:mock|Mock|stub|Stub|fake|Fake|spy|Spy)[\w$]*)|(?:\.generate\b|\b[\w$]*[Gg]enerate[\w$]*)[^\n]*\.mock(?:Resolved|Rejected|Return)?(?:Value|Implementation)(?:Once)?\(|spyOn\([^,\n]+,\s*["']generate["']\)|expect\(\s*[^)\n]*[.\s]?[\w$]*[Gg]enerate[\w$]*\s*\)\.toHaveBeenCalled|\.(?:post|intercept)\(\s*["'`](?:\/v1)?\/generate["'`]|\bgenerations\s*:\s*\[\s*\{/;

export function isTestFile(file: string): boolean {
  return PYTHON_TEST.test(file) || SCRIPT_TEST.test(file);
}

/**
 * The test file's text with a test-double marker above each stub of generate, and how many, or
 * undefined when it has none (or each already has its marker). `migrated`: the module paths
 * (without extension, `/`-separated, relative to the repository) of files migrate rewrote.
 */
export function markTestDoubles(file: string, text: string, migrated: readonly string[]): { output: string; lines: number[] } | undefined {
  const python = file.endsWith(".py");
  const stub = python ? PYTHON_STUB : SCRIPT_STUB;
  if (!stub.test(text)) return undefined;
  // The test must be about code migrate rewrote: it names Cohere, or one of those modules
  // (`patch("app.llm.co")`, `import { summarize } from "../src/summarize"`).
  const names = migrated.flatMap((m) => [m.split("/").join("."), path.posix.basename(m)]);
  // A manual mock of the package (`__mocks__/cohere-ai.js`) is about Cohere by its name.
  if (!/cohere/i.test(text) && !/[\\/]__mocks__[\\/]cohere-ai\./.test(file) && !names.some((n) => new RegExp(`(?<![\\w])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w])`).test(text))) return undefined;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  const marked: number[] = [];
  const body = `${MARKER_PREFIX} test-double ${MARKERS["test-double"].text}`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (stub.test(line) && !callsItself(line, text) && !(out[out.length - 1] ?? "").includes(`${MARKER_PREFIX} test-double`)) {
      const indent = /^[ \t]*/.exec(line)?.[0] ?? "";
      out.push(python ? `${indent}# ${body}` : `${indent}/* ${body} */`);
      marked.push(out.length);
    }
    out.push(line);
  }
  return marked.length ? { output: out.join(eol), lines: marked } : undefined;
}

/**
 * Whether the test calls the stubbed object's generate itself (`fake.generate.return_value = "x"`,
 * then `fake.generate()`): a mock the test exercises, not one standing in for the migrated client.
 */
function callsItself(line: string, text: string): boolean {
  const object = /([\w$.]+)\.generate\.(?:return_value|side_effect|assert_|call|mock)/.exec(line)?.[1];
  if (!object) return false;
  const escaped = object.replace(/[.$]/g, "\\$&");
  return new RegExp(`(?<![\\w$.])${escaped}\\.generate\\s*\\(`).test(text);
}
