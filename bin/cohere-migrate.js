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
    process.stderr.write(`cohere-migrate: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
