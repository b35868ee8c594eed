#!/usr/bin/env node
"use strict";
// The only place that decides the process exit code.
const { main } = require("../dist/src/cli.js");

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
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
