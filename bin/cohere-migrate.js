#!/usr/bin/env node
"use strict";
// The only place that decides the process exit code.
const { main } = require("../dist/src/cli.js");

// A reader that stops early (`cohere-migrate migrate --dry | head`) closes the pipe: what is left
// to print is dropped, and the run (a migration writing files) still finishes as it would.
const closed = new Set();
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error && error.code === "EPIPE") closed.add(stream);
    else throw error;
  });
}
const writeTo = (stream) => (text) => {
  if (!closed.has(stream)) stream.write(text);
};

main(process.argv.slice(2), {
  stdout: writeTo(process.stdout),
  stderr: writeTo(process.stderr),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // A rejection need not be an Error (a worker can reject with a plain object): show what it holds.
    const shown = error && error.stack ? error.stack : require("node:util").inspect(error, { depth: 4 });
    process.stderr.write(`cohere-migrate: internal error: ${shown}\n`);
    process.exitCode = 1;
  },
);
