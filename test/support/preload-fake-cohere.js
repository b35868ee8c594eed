/**
 * Loaded with `node --require` before a test program: sends its Cohere traffic to the fake API.
 *
 * - `globalThis.fetch`: cohere-ai 8.1.0 looks the global up on every request
 *   (`core/fetcher/getFetchFn.js` returns `fetch`), and REST programs call it directly.
 * - `https.request` / `https.get` (and their `http` twins): cohere-ai 6.2.2 posts with
 *   `https.request({ hostname: "api.cohere.ai", path: "/v1/generate", ... })`, and axios-style
 *   clients go through the same functions. ESM named imports of `node:https` are re-synced.
 *
 * Requests to any other host are left alone. Each redirected request carries the run id and the URL
 * the program asked for, so a test can tell runs apart and see which host a REST program used.
 *
 * Environment: COHERE_FAKE_ORIGIN (`http://127.0.0.1:<port>`, required), COHERE_FAKE_RUN (run id).
 */
"use strict";
const http = require("node:http");
const https = require("node:https");
const { syncBuiltinESMExports } = require("node:module");

const origin = process.env.COHERE_FAKE_ORIGIN;
if (!origin) throw new Error("preload-fake-cohere: COHERE_FAKE_ORIGIN is not set");
const fake = new URL(origin);
const run = process.env.COHERE_FAKE_RUN || "";
const COHERE_HOSTS = new Set(["api.cohere.com", "api.cohere.ai"]);

/** The fake's URL for a Cohere URL, or undefined for any other host. */
function redirect(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!COHERE_HOSTS.has(parsed.hostname)) return undefined;
  return new URL(parsed.pathname + parsed.search, fake).href;
}

function markHeaders(headers, original) {
  headers.set("x-cohere-fake-run", run);
  headers.set("x-cohere-fake-original-url", original);
  return headers;
}

const realFetch = globalThis.fetch;
globalThis.fetch = function fetch(input, init) {
  const original = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const target = redirect(original);
  if (!target) return realFetch(input, init);
  if (input instanceof Request) {
    const request = new Request(target, input);
    markHeaders(request.headers, original);
    return realFetch(request, init);
  }
  const headers = markHeaders(new Headers(init && init.headers), original);
  return realFetch(target, { ...init, headers });
};

/** Normalises the (url?, options?, callback?) forms of http(s).request into options + callback. */
function requestArgs(args, defaultProtocol) {
  let url;
  let options = {};
  let callback;
  for (const arg of args) {
    if (typeof arg === "function") callback = arg;
    else if (typeof arg === "string" || arg instanceof URL) url = new URL(arg);
    else if (arg && typeof arg === "object") options = arg;
  }
  const protocol = options.protocol || (url && url.protocol) || defaultProtocol;
  const hostname = options.hostname || (options.host && String(options.host).replace(/:\d+$/, "")) || (url && url.hostname) || "localhost";
  const path = options.path || (url ? url.pathname + url.search : "/");
  return { url, options, callback, protocol, hostname, path };
}

function patch(module, defaultProtocol) {
  const realRequest = module.request;
  function request(...args) {
    const a = requestArgs(args, defaultProtocol);
    if (!COHERE_HOSTS.has(a.hostname)) return realRequest.apply(module, args);
    const original = `${a.protocol}//${a.hostname}${a.path}`;
    const headers = { ...(a.options.headers || {}), "x-cohere-fake-run": run, "x-cohere-fake-original-url": original };
    const options = {
      method: a.options.method || "GET",
      path: a.path,
      headers,
      timeout: a.options.timeout,
      signal: a.options.signal,
      protocol: "http:",
      hostname: fake.hostname,
      port: Number(fake.port),
    };
    return http.request.call(http, options, a.callback);
  }
  function get(...args) {
    const req = request(...args);
    req.end();
    return req;
  }
  module.request = request;
  module.get = get;
}

// The redirected request goes out through http.request, which passes 127.0.0.1 through untouched.
patch(https, "https:");
patch(http, "http:");
syncBuiltinESMExports();
