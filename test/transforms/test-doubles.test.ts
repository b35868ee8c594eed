/**
 * Tests that stub generate for code migrate rewrote get a test-double marker on each stub
 * (src/engine/test-doubles.ts, called by migrate): the stub is no longer called after migration.
 */
import { isTestFile, markTestDoubles } from "../../src/engine/test-doubles";
import { migrateFiles } from "../support/fixtures";
import { findMarkers } from "../../src/markers";

const PY_TEST = `from types import SimpleNamespace\nfrom unittest.mock import patch\n\nfrom app import llm\n\n\n@patch("app.llm.co")\ndef test_summarize(mock_co):\n    mock_co.generate.return_value = SimpleNamespace(generations=[SimpleNamespace(text=" short ")])\n    assert llm.summarize("long text") == "short"\n    mock_co.generate.assert_called_once()\n`;
const JS_TEST = `const mockGenerate = jest.fn();\njest.mock("cohere-ai", () => ({\n  CohereClient: jest.fn().mockImplementation(() => ({ generate: mockGenerate })),\n}));\nconst { summarize } = require("./summarize");\n\ntest("summarize", async () => {\n  mockGenerate.mockResolvedValue({ generations: [{ text: " short " }] });\n  await expect(summarize("long text")).resolves.toBe("short");\n  expect(mockGenerate).toHaveBeenCalled();\n});\n`;

test.each([
  ["tests/test_llm.py", true],
  ["app/llm_test.py", true],
  ["conftest.py", true],
  ["src/summarize.test.ts", true],
  ["src/__tests__/summarize.js", true],
  ["app/llm.py", false],
  ["src/summarize.ts", false],
])("%s is a test file: %s", (file, expected) => {
  expect(isTestFile(file)).toBe(expected);
});

test("each stub of generate in a test of a migrated module gets a marker, once", () => {
  const py = markTestDoubles("tests/test_llm.py", PY_TEST, ["app/llm"]);
  expect(py?.lines.length).toBe(2);
  expect(markTestDoubles("tests/test_llm.py", py?.output ?? "", ["app/llm"])).toBeUndefined();
  const js = markTestDoubles("src/summarize.test.js", JS_TEST, ["src/summarize"]);
  expect(js?.lines.length).toBe(3);
  expect(findMarkers(js?.output ?? "").map((m) => m.code)).toEqual(["test-double", "test-double", "test-double"]);
});

test("a test that stubs another library's generate, naming neither Cohere nor a migrated module, is left alone", () => {
  const text = `from unittest.mock import MagicMock\nfrom model import pipeline\n\n\ndef test_pipeline():\n    lm = MagicMock()\n    lm.generate.return_value = [[1, 2]]\n    assert pipeline(lm) == [[1, 2]]\n`;
  expect(markTestDoubles("tests/test_model.py", text, ["app/llm"])).toBeUndefined();
});

test("migrate marks the tests of the modules it rewrote, and check then reports them", async () => {
  const { texts, result } = await migrateFiles(
    new Map([
      ["app/__init__.py", ""],
      ["app/llm.py", `import cohere\n\nco = cohere.Client("k")\n\n\ndef summarize(text):\n    return co.generate(prompt="Summarize: " + text).generations[0].text.strip()\n`],
      ["tests/test_llm.py", PY_TEST],
    ]),
  );
  expect(texts.get("tests/test_llm.py")?.match(/# cohere-migrate: test-double /g)?.length).toBe(2);
  expect(result.files.find((f) => f.file === "tests/test_llm.py")?.markersAdded.map((m) => m.code)).toEqual(["test-double", "test-double"]);
});

test("a hand-written fake client whose own generate stands in for the migrated client is marked (its file names no `.generate`)", async () => {
  const fake = `from types import SimpleNamespace\nfrom unittest import mock\n\nfrom app import llm\n\n\nclass FakeCohere:\n    def generate(self, **kwargs):\n        return SimpleNamespace(generations=[SimpleNamespace(text=" short ")])\n\n\ndef test_summarize():\n    with mock.patch.object(llm, "co", FakeCohere()):\n        assert llm.summarize("long text") == "short"\n`;
  const { texts } = await migrateFiles(
    new Map([
      ["app/__init__.py", ""],
      ["app/llm.py", `import cohere\n\nco = cohere.Client("k")\n\n\ndef summarize(text):\n    return co.generate(prompt="Summarize: " + text).generations[0].text.strip()\n`],
      ["tests/test_llm.py", fake],
    ]),
  );
  expect(texts.get("tests/test_llm.py")?.match(/# cohere-migrate: test-double /g)?.length).toBe(1);
  expect(texts.get("tests/test_llm.py")).toContain("    # cohere-migrate: test-double ");
});

test("a nock interceptor of the Generate path on a Cohere host is marked (the request now goes to /v2/chat)", () => {
  const text = `const nock = require("nock");\nconst { summarize } = require("../src/gen");\n\ntest("rest", async () => {\n  nock("https://api.cohere.ai").post("/v1/generate").reply(200, { generations: [{ text: "short" }] });\n  expect(await summarize("long")).toBe("short");\n});\n`;
  const marked = markTestDoubles("test/gen.test.js", text, ["src/gen"]);
  expect(marked?.lines.length).toBe(1);
  expect(findMarkers(marked?.output ?? "").map((m) => m.code)).toEqual(["test-double"]);
});

test("a fetch mock whose body is a Generate response, and a manual mock of cohere-ai, are marked in a migrated package", async () => {
  const source = `async function complete(prompt) {\n  const res = await fetch("https://api.cohere.ai/v1/generate", { method: "POST", body: JSON.stringify({ prompt }) });\n  const data = await res.json();\n  return data.generations[0].text;\n}\nmodule.exports = { complete };\n`;
  const test = `const { complete } = require("./cohere");\n\nglobal.fetch = jest.fn(() =>\n  Promise.resolve({ ok: true, json: () => Promise.resolve({ generations: [{ text: "Hello" }] }) }),\n);\n\ntest("complete", async () => {\n  expect(await complete("hi")).toBe("Hello");\n});\n`;
  const manual = `const generate = jest.fn().mockResolvedValue({ generations: [{ text: "mocked" }] });\nmodule.exports = { CohereClient: jest.fn().mockImplementation(() => ({ generate })) };\n`;
  const { texts } = await migrateFiles(
    new Map([
      ["package.json", `{ "name": "app" }\n`],
      ["src/cohere.js", source],
      ["src/cohere.test.js", test],
      ["__mocks__/cohere-ai.js", manual],
    ]),
  );
  expect(findMarkers(texts.get("src/cohere.test.js") ?? "").map((m) => m.code)).toEqual(["test-double"]);
  expect(findMarkers(texts.get("__mocks__/cohere-ai.js") ?? "").map((m) => m.code)).toEqual(["test-double"]);
});

test("LangChain's own result shape (generations: [[...]]) in a test is not a Generate fixture", () => {
  const text = `const { CohereLLM } = require("./llm");\n\ntest("result", () => {\n  expect(format(result)).toEqual({ generations: [[{ text: "a" }]] });\n});\n`;
  expect(markTestDoubles("src/llm.test.js", text, ["src/llm"])).toBeUndefined();
});
