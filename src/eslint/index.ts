/**
 * `cohere-migrate/eslint`: an ESLint plugin (flat config first) whose one rule reports what
 * `cohere-migrate check` reports (legacy Generate calls, Generate types, unfinished markers) with
 * the same detection (src/lint.ts runs check's pipeline on the file), and offers migrate's rewrite
 * of the file's calls: as an autofix when everything it needs is in the file, as a suggestion when
 * a receiver was settled from another module (the rewrite then rests on files ESLint is not
 * fixing). A rewrite that imports helpers from the package's helper module (cohere-chat.ts and
 * kin) is offered once that module defines them; until then the report says that `migrate`
 * creates it, since a fix edits one file. Python files are check's business, not ESLint's.
 *
 *   // eslint.config.js
 *   const cohereMigrate = require("cohere-migrate/eslint");
 *   module.exports = [cohereMigrate.configs.recommended];
 */
import type { ESLint, Linter, Rule } from "eslint";
import { lintFile } from "../lint";

const RULE = "no-legacy-cohere";

/** The smallest range that turns `before` into `after` (common prefix and suffix kept). */
function changedRange(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

const rule: Rule.RuleModule = {
  meta: {
    type: "problem",
    docs: {
      description: "Legacy Cohere Generate calls and unfinished cohere-migrate markers, as `cohere-migrate check` reports them",
      url: "https://www.npmjs.com/package/cohere-migrate",
    },
    fixable: "code",
    hasSuggestions: true,
    schema: [{ type: "object", properties: { model: { type: "string" } }, additionalProperties: false }],
    messages: {
      finding: "{{message}} ({{rule}})",
      findingNeedsModule: "{{message}}; `cohere-migrate migrate` fixes it and creates {{module}}, the helper module the rewrite imports, which a fix of one file cannot ({{rule}})",
      migrate: "Migrate this file's Cohere Generate calls as `cohere-migrate migrate` would",
    },
  },
  create(context) {
    return {
      "Program:exit"() {
        const text = context.sourceCode.text;
        const options = (context.options[0] ?? {}) as { model?: string };
        const result = lintFile(context.physicalFilename, text, { model: options.model, cwd: context.cwd });
        // A file that does not parse is ESLint's parser's to report.
        if (!result.ok) return;
        let offered = false;
        for (const f of result.findings) {
          const loc = { start: { line: f.span.start.line, column: f.span.start.column - 1 }, end: { line: f.span.end.line, column: f.span.end.column - 1 } };
          const needsModule = f.fixable && result.needsModule !== undefined;
          const report: Rule.ReportDescriptor = needsModule
            ? { loc, messageId: "findingNeedsModule", data: { message: f.message, rule: f.rule, module: result.needsModule ?? "" } }
            : { loc, messageId: "finding", data: { message: f.message, rule: f.rule } };
          // One rewrite covers every call of the file: it goes on the first fixable finding.
          if (f.fixable && result.fixed !== undefined && !offered) {
            offered = true;
            const change = changedRange(text, result.fixed);
            const fix: Rule.ReportFixer = (fixer) => fixer.replaceTextRange([change.start, change.end], change.text);
            if (result.crossFile) report.suggest = [{ messageId: "migrate", fix }];
            else report.fix = fix;
          }
          context.report(report);
        }
      },
    };
  },
};

/** This package's version, from its package.json (found upwards: dist/src/eslint or src/eslint). */
function ownVersion(): string {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "cohere-migrate") return pkg.version ?? "0.0.0";
  }
  return "0.0.0";
}

const version = ownVersion();

const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config } } = {
  meta: { name: "cohere-migrate", version },
  rules: { [RULE]: rule },
  configs: { recommended: {} as Linter.Config },
};
plugin.configs.recommended = {
  name: "cohere-migrate/recommended",
  files: ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"],
  plugins: { "cohere-migrate": plugin },
  rules: { [`cohere-migrate/${RULE}`]: "error" },
};

export = plugin;
