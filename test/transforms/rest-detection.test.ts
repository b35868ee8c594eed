/**
 * REST detection (src/detect/rest.ts): which fetch/axios calls are Generate calls on a Cohere
 * host, and how sure detection is. A call whose URL or body migrate cannot see is still a site
 * after migrate marks it, so `check` keeps reporting it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { detectText } from "../../src/detect/detect-text";
import { FIXTURES } from "../support/fixtures";

function sites(source: string, file = "/virtual/rest.ts"): Array<[string, string]> {
  const d = detectText(file, source);
  if (!d.ok) throw new Error(`parse error: ${d.error.message}`);
  return d.result.sites.map((s) => [s.callee, s.certainty]);
}

test.each([
  ["fetch, v1 on .ai", `fetch("https://api.cohere.ai/v1/generate", { method: "POST" });`, [["fetch", "certain"]]],
  ["fetch, no version on .com", `fetch("https://api.cohere.com/generate", { method: "POST" });`, [["fetch", "certain"]]],
  ["globalThis.fetch with new URL", `globalThis.fetch(new URL("/v1/generate", "https://api.cohere.ai"), {});`, [["globalThis.fetch", "certain"]]],
  ["template on a const base", `const BASE = "https://api.cohere.ai/v1";\nfetch(\`\${BASE}/generate\`, {});`, [["fetch", "certain"]]],
  ["axios.post", `import axios from "axios";\naxios.post("https://api.cohere.ai/v1/generate", {});`, [["axios.post", "certain"]]],
  ["axios(config)", `import axios from "axios";\naxios({ method: "post", url: "https://api.cohere.com/v1/generate", data: {} });`, [["axios", "certain"]]],
  ["axios(url, config)", `import axios from "axios";\naxios("https://api.cohere.com/v1/generate", { method: "post", data: {} });`, [["axios", "certain"]]],
  [
    "axios instance with a Cohere baseURL",
    `import axios from "axios";\nconst api = axios.create({ baseURL: "https://api.cohere.ai/v1" });\napi.post("/generate", {});\napi.request({ url: "generate", method: "post" });\napi.post("/embed", {});`,
    [["api.post", "certain"], ["api.request", "certain"]],
  ],
  ["Cohere host with a hidden version", "declare const v: string;\nfetch(`https://api.cohere.ai/${v}/generate`, {});", [["fetch", "certain"]]],
  ["Cohere URL as the fallback of an environment variable", `fetch(process.env.URL ?? "https://api.cohere.ai/v1/generate", {});`, [["fetch", "certain"]]],
  // SPEC: the config object is followed through constants (axios.request(options)).
  ["an axios config object in a const", `import axios from "axios";\nconst options = { method: "POST", url: "https://api.cohere.ai/v1/generate", data: {} };\naxios.request(options);`, [["axios.request", "certain"]]],
  ["axios(config) with the config in a const", `import axios from "axios";\nconst options = { url: "https://api.cohere.ai/v1/generate", data: { prompt: "x" } };\naxios(options);`, [["axios", "certain"]]],
] as const)("%s is a Generate call", (_name, source, expected) => {
  expect(sites(source)).toEqual(expected);
});

test.each([
  ["another provider's /generate", `fetch("https://api.example.com/v1/generate", {});`],
  ["Chat v2", `fetch("https://api.cohere.com/v2/chat", {});`],
  ["a hidden host", `fetch(\`\${process.env.HOST}/generate\`, {});`],
  ["an axios instance on another host", `import axios from "axios";\nconst api = axios.create({ baseURL: "https://llm.example.com" });\napi.post("/generate", {});`],
] as const)("%s is not", (_name, source) => {
  expect(sites(source)).toEqual([]);
});

test.each([
  ["a GET to it", `import axios from "axios";\naxios.get("https://api.cohere.ai/v1/generate");`],
  ["a constant for the project's own HTTP wrapper", `import { post } from "./http";\nconst GENERATE_URL = "https://api.cohere.ai/v1/generate";\npost(GENERATE_URL, { prompt: "x" });`],
  ["another Cohere host", `export const URL = "https://generate.cohere.com/v1/generate";`],
] as const)("a Generate URL in %s is a legacy use (not fixable)", (_name, source) => {
  const d = detectText("/virtual/rest.ts", source);
  if (!d.ok) throw new Error(d.error.message);
  expect(d.result.sites.map((s) => [s.kind, s.callee])).toEqual([["generate-url", expect.stringMatching(/cohere\.com\/v1\/generate|cohere\.ai\/v1\/generate/)]]);
});

test("the API's first URL form (https://api.cohere.ai/{model}/generate) is a legacy use; a documentation URL is not", () => {
  const d = detectText("/virtual/rest.ts", `export const URL = "https://api.cohere.ai/xlarge/generate";\nexport const DOCS = "https://docs.cohere.com/reference/generate";`);
  if (!d.ok) throw new Error(d.error.message);
  expect(d.result.sites.map((s) => [s.kind, s.callee])).toEqual([["generate-url", '"https://api.cohere.ai/xlarge/generate"']]);
});

test("a call migrate marks instead of rewriting stays a site, next to its marker", () => {
  const file = path.join(FIXTURES, "rest-generate-to-chat", "url-from-environment-marked.output.js");
  const d = detectText(file, fs.readFileSync(file, "utf8"));
  if (!d.ok) throw new Error(d.error.message);
  expect(d.result.sites.map((s) => [s.kind, s.certainty])).toEqual([["rest-generate", "certain"]]);
  expect(d.result.markers.map((m) => m.code)).toEqual(["rest-request"]);
});

// check calls a REST request fixable only where rest-generate-to-chat rewrites it rather than marks it.
test.each([
  ["an inline JSON body", `fetch("https://api.cohere.ai/v1/generate", { method: "POST", body: JSON.stringify({ prompt: "x" }) });`, true],
  ["a body in a const", `const request = { prompt: "x" };\nfetch("https://api.cohere.ai/v1/generate", { method: "POST", body: JSON.stringify(request) });`, true],
  ["axios data, and a config in a const", `import axios from "axios";\nconst options = { url: "https://api.cohere.ai/v1/generate", data: { prompt: "x" } };\naxios.post("https://api.cohere.ai/v1/generate", { prompt: "y" });\naxios(options);`, true],
  ["a body from the caller", `export function send(request: object) { return fetch("https://api.cohere.ai/v1/generate", { body: JSON.stringify(request) }); }`, false],
  ["a streamed request", `fetch("https://api.cohere.ai/v1/generate", { body: JSON.stringify({ prompt: "x", stream: true }) });`, false],
  ["a URL overridable by the environment", `fetch(process.env.URL ?? "https://api.cohere.ai/v1/generate", { body: JSON.stringify({ prompt: "x" }) });`, false],
] as const)("%s: rewritable is %p", (_name, source, visible) => {
  const d = detectText("/virtual/rest.ts", source);
  if (!d.ok) throw new Error(d.error.message);
  expect(d.result.sites.filter((s) => s.kind === "rest-generate").map((s) => s.requestVisible)).toEqual(d.result.sites.filter((s) => s.kind === "rest-generate").map(() => visible));
  expect(d.result.sites.some((s) => s.kind === "rest-generate")).toBe(true);
});

test("a request to the Cohere API whose endpoint is a parameter (callCohere(\"generate\", body)) is a possible call, not left silent", () => {
  const d = detectText("/virtual/rest.js", `export async function callCohere(endpoint, data) {\n  const res = await fetch(\`https://api.cohere.ai/v1/\${endpoint}\`, { method: "POST", body: JSON.stringify(data) });\n  return res.json();\n}\nexport const s = (text) => callCohere("generate", { prompt: text });\n`);
  if (!d.ok) throw new Error(d.error.message);
  expect(d.result.sites.map((s) => [s.kind, s.certainty])).toEqual([["rest-generate", "possible"]]);
});
