/**
 * Generate request → Chat v2 request, driven by one table that mirrors SPEC.md's request table.
 * Works on an object literal in place; shared by the SDK (camelCase), v6 and REST (snake_case)
 * transforms through `fieldCase`.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import type { SpreadType } from "../../src/types";
import { expression, insertMarkerOnce, offsets, referencesOf, statementOf, withCommentsOf, type TransformContext } from "../../src/transform/kit";
import * as fs from "node:fs";
import * as path from "node:path";
import { envFileValue } from "../../src/engine/env-files";
import { own } from "../../src/tables";
import { noteModelParam } from "./model-param";

// The tables themselves live apart (no AST library): check's Python detection and other readers load them alone.
export { CHAT_MAX_TEMPERATURE, DEFAULT_MODEL, GENERATE_ONLY, GENERATE_TEMPERATURE, REQUEST_FIELDS, RETIRED_MODELS, type FieldRule } from "./request-table";
import { CHAT_MAX_TEMPERATURE, GENERATE_ONLY, GENERATE_TEMPERATURE, namesRetiredModel, REQUEST_FIELDS, RETIRED_MODELS, type FieldRule } from "./request-table";

const BY_SNAKE: ReadonlyMap<string, [string, FieldRule]> = new Map(
  Object.entries(REQUEST_FIELDS).map(([camel, rule]) => [rule.snake, [camel, rule]]),
);

/** Chat fields a request may already hold (a half-migrated or hand-written request). */
const CHAT_ONLY_FIELDS = new Set(["messages", "logprobs", "safetyMode", "safety_mode", "responseFormat", "response_format", "documents", "tools", "thinking", "priority"]);

export type FieldCase = "camel" | "snake";

/** What the call site must do beyond the object itself. */
export interface RequestPlan {
  /** numGenerations: the count expression, when it is not the literal 1. */
  fanout?: N.Node;
  /** stopSequences / endSequences values, applied after the call. */
  stop?: N.Node;
  end?: N.Node;
  /** The prompt expression, for response reads of `prompt`. */
  prompt?: N.Node;
  /** `stream: true` was set (REST and v6 only). */
  stream: boolean;
  /** returnLikelihoods "GENERATION" asked for likelihoods (reads of them get a marker). */
  likelihoods: boolean;
}

type Prop = N.ObjectProperty | N.Property;

function keyName(prop: Prop): string | undefined {
  if (prop.computed) return undefined;
  const key = prop.key;
  if (N.Identifier.check(key)) return key.name;
  if (N.StringLiteral.check(key)) return key.value;
  if (N.Literal.check(key) && typeof key.value === "string") return key.value;
  return undefined;
}

function literalValue(node: N.Node): string | number | boolean | undefined {
  if (N.StringLiteral.check(node) || N.NumericLiteral.check(node) || N.BooleanLiteral.check(node)) return node.value;
  if (N.Literal.check(node) && (typeof node.value === "string" || typeof node.value === "number" || typeof node.value === "boolean")) return node.value;
  if (N.TemplateLiteral.check(node) && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

/**
 * Rewrites a Generate request object into a Chat v2 request in place and says what the call
 * must do around it. `at` is where markers go (the call's statement).
 */
export function rewriteRequest(
  ctx: TransformContext,
  objectPath: ASTPath<N.ObjectExpression>,
  at: ASTPath,
  fieldCase: FieldCase,
  /** True when the object is not inline in the call: `role: "user"` then needs `as const` in TypeScript. */
  detached = false,
): RequestPlan {
  const { j } = ctx;
  const obj = objectPath.node;
  const plan: RequestPlan = { stream: false, likelihoods: false };
  const name = (camel: string): string => (fieldCase === "camel" ? camel : REQUEST_FIELDS[camel]?.snake ?? camel);
  const out: N.ObjectExpression["properties"] = [];
  let sawModel = false;
  let sawTemperature = false;
  let sawSpread = false;
  let sawMessages = false;
  /** Fields set by spreads whose content is visible; undefined once a spread cannot be seen. */
  let spreadFields: Set<string> | undefined = new Set();
  /** Per spread (in order): the fields its type always sets, which nothing before it may set again. */
  const spreadRequired: Array<{ at: number; fields: ReadonlySet<string> }> = [];
  /**
   * model / temperature that a spread may hold as undefined (an optional field of its type:
   * `{ model: process.env.COHERE_MODEL }` passes one): a default before it would be overwritten
   * with undefined, so it goes after the last such spread, as `spread.model ?? default`.
   */
  const maybeUnset = new Map<"model" | "temperature", { arg: N.Node; spread: N.Node }>();
  const unknown: string[] = [];

  /** How many output properties existed when each input property was reached. */
  const reached: number[] = [];
  for (const prop of obj.properties) {
    reached.push(out.length);
    if (N.SpreadElement.check(prop) || N.SpreadProperty.check(prop)) {
      sawSpread = true;
      const checked = checkSpread(ctx, prop.argument, at);
      const fields = checked?.complete ? checked.always : undefined;
      if (fields && spreadFields) for (const f of fields) spreadFields.add(f);
      else spreadFields = undefined;
      if (checked?.always.size) spreadRequired.push({ at: out.length, fields: checked.always });
      for (const field of ["model", "temperature"] as const) {
        if (checked?.always.has(field)) maybeUnset.delete(field);
        else if (checked?.optional.has(field) && isPlainReference(prop.argument)) maybeUnset.set(field, { arg: prop.argument, spread: prop });
        else if (checked?.optional.has(field)) maybeUnset.delete(field);
      }
      out.push(prop);
      continue;
    }
    if (!(N.ObjectProperty.check(prop) || N.Property.check(prop))) {
      unknown.push("a method");
      out.push(prop);
      continue;
    }
    const key = keyName(prop);
    const entry = key === undefined ? undefined : REQUEST_FIELDS[key] ? [key, REQUEST_FIELDS[key]] as const : BY_SNAKE.get(key);
    if (!entry) {
      if (key !== undefined && CHAT_ONLY_FIELDS.has(key)) sawMessages ||= key === "messages";
      else unknown.push(key ?? "a computed key");
      // A computed key may set the model or the temperature: no default may override it.
      if (key === undefined) spreadFields = undefined;
      out.push(prop);
      continue;
    }
    const [camel, rule] = entry;
    const value = prop.value as N.Node;
    switch (rule.action.do) {
      case "messages": {
        plan.prompt = value;
        // A request built apart from the call loses the literal type of "user" without `as const`.
        const role = ctx.typescript && detached ? '"user" as const' : '"user"';
        out.push(withCommentsOf(prop, j.objectProperty(j.identifier("messages"), expression(ctx, `[{ role: ${role}, content: $0 }]`, value) as never)));
        break;
      }
      case "model": {
        // `model: undefined` is no model: the default applies.
        if (N.Identifier.check(value) && value.name === "undefined") break;
        sawModel = true;
        out.push(withValue(prop, mapModel(ctx, value, at)));
        break;
      }
      case "copy":
        out.push(renamed(ctx, prop, name(camel)));
        break;
      case "temperature": {
        sawTemperature = true;
        const t = literalValue(value);
        if (typeof t === "number" && t > CHAT_MAX_TEMPERATURE) insertMarkerOnce(ctx, at, "temperature-range");
        // Handles: const CREATIVE = 1.6; ... temperature: CREATIVE (a constant, a default, a caller's argument).
        if (t === undefined) {
          const numbers = modelSources(ctx, value, at, 0, (node) => typeof literalValue(node) === "number").map((p) => literalValue(p.node) as number);
          const over = numbers.find((n) => n > CHAT_MAX_TEMPERATURE);
          if (over !== undefined) insertMarkerOnce(ctx, at, "temperature-range", `(${describe(value)} can be ${over})`);
        }
        if (t === undefined && unsetBranchesPinned(ctx, value)) {
          // Handles: temperature: env.TEMP ? Number(env.TEMP) : undefined, config.temperature ?? undefined.
          ctx.report.note("temperature-pinned", prop, `temperature: undefined there falls back to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3)`);
          out.push(prop);
        } else if (t === undefined && isMaybeUndefined(value) && !isNumberConst(value, at)) {
          // Handles: temperature: options.temperature, which Generate read as 0.75 when unset.
          const shorthand = (prop as { shorthand?: boolean }).shorthand;
          out.push(withValue(prop, expression(ctx, `$0 ?? ${GENERATE_TEMPERATURE}`, shorthand ? j.identifier((value as N.Identifier).name) : value)));
          ctx.report.note("temperature-pinned", prop, `temperature: may be unset, falls back to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3)`);
        } else out.push(prop);
        break;
      }
      case "fanout": {
        const n = literalValue(value);
        if (n !== 1) plan.fanout = value;
        break;
      }
      case "trim":
        // An empty list (or null/undefined) cuts nothing: dropped, not carried into the reads (as in Python).
        if (!((N.ArrayExpression.check(value) && value.elements.length === 0) || N.NullLiteral.check(value) || (N.Identifier.check(value) && value.name === "undefined"))) plan[rule.action.which] = value;
        break;
      case "likelihoods": {
        const v = literalValue(value);
        if (v === "GENERATION") {
          plan.likelihoods = true;
          out.push(j.objectProperty(j.identifier("logprobs"), j.booleanLiteral(true)));
        } else if (v === "ALL") insertMarkerOnce(ctx, at, "return-likelihoods");
        else if (v !== "NONE") insertMarkerOnce(ctx, at, "request-likelihoods");
        break;
      }
      case "drop": {
        const { marker, warning } = rule.action;
        if (marker) insertMarkerOnce(ctx, at, marker);
        if (warning && literalValue(value) !== "NONE") ctx.report.note("truncate-removed", prop, warning);
        break;
      }
      case "stream":
        if (literalValue(value) !== false) plan.stream = true;
        break;
    }
  }

  keepCommentsOfDropped(obj.properties, reached, out, at);
  // A spread that always sets the model or temperature (seen, or by its type) needs no default for it:
  // a default before it would never be read, and strict TypeScript rejects it (TS2783).
  const alwaysSet = new Set(spreadRequired.flatMap((s) => [...s.fields]));
  if (spreadFields?.has("model") || alwaysSet.has("model")) sawModel = true;
  if (spreadFields?.has("temperature") || alwaysSet.has("temperature")) sawTemperature = true;
  // A property migrate renamed (prompt → messages, ...) that a later spread always sets is never read.
  for (let i = out.length - 1; i >= 0; i--) {
    const prop = out[i];
    if (obj.properties.includes(prop) || N.SpreadElement.check(prop) || N.SpreadProperty.check(prop)) continue;
    const key = N.ObjectProperty.check(prop) || N.Property.check(prop) ? keyName(prop) : undefined;
    if (key !== undefined && spreadRequired.some((s) => s.at > i && s.fields.has(key))) {
      out.splice(i, 1);
      for (const s of spreadRequired) if (s.at > i) s.at--;
    }
  }
  // Handles: { ...opts, prompt } with opts: { model?: string; temperature?: number }: the default
  // follows the spread, used where the spread's field is undefined (Generate's meaning of unset).
  const afterSpread = (field: "model" | "temperature", fallback: string): boolean => {
    const unset = maybeUnset.get(field);
    const index = unset ? out.indexOf(unset.spread as never) : -1;
    if (!unset || index === -1) return false;
    // `?.`: the spread may itself be undefined or null (`opts?: Opts`), which a spread allows.
    out.splice(index + 1, 0, j.objectProperty(j.identifier(field), expression(ctx, `${describeReference(unset.arg)}?.${field} ?? ${fallback}`) as never));
    return true;
  };
  // Temperature first: each goes right after its spread, so the model ends up above it.
  if (!sawTemperature && afterSpread("temperature", String(GENERATE_TEMPERATURE))) {
    sawTemperature = true;
    ctx.report.note("temperature-pinned", obj, `temperature: ${describeReference(maybeUnset.get("temperature")?.arg)}.temperature may be unset, falls back to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3)`);
  }
  if (!sawModel && afterSpread("model", JSON.stringify(ctx.options.model))) {
    sawModel = true;
    ctx.report.note("model-defaulted", obj, `model: ${describeReference(maybeUnset.get("model")?.arg)}.model may be unset, "${ctx.options.model}" when it is`);
  }
  // Pinned defaults go before the first spread, so that a spread that sets them still wins.
  const firstSpread = out.findIndex((p) => N.SpreadElement.check(p) || N.SpreadProperty.check(p));
  if (!sawModel) {
    const model = ctx.options.model;
    const where = firstSpread === -1 ? 0 : firstSpread;
    out.splice(where, 0, j.objectProperty(j.identifier("model"), j.stringLiteral(model)));
    ctx.report.note("model-defaulted", obj, `model: none given, now "${model}"${sawSpread ? " (a spread that names one still wins)" : ""}`);
  }
  if (!sawTemperature) {
    const pin = j.objectProperty(j.identifier("temperature"), j.numericLiteral(GENERATE_TEMPERATURE));
    const spreadAt = out.findIndex((p) => N.SpreadElement.check(p) || N.SpreadProperty.check(p));
    if (spreadAt === -1) out.push(pin);
    else out.splice(spreadAt, 0, pin);
    ctx.report.note("temperature-pinned", obj, `temperature: none given, pinned to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3)`);
  }
  if (unknown.length) insertMarkerOnce(ctx, at, "unknown-parameter", `(${unknown.join(", ")})`);
  if (!plan.prompt && !sawMessages && !sawSpread) insertMarkerOnce(ctx, at, "request-shape", "(no prompt)");
  obj.properties = out;
  return plan;
}

/**
 * A removed field's comments (`// stop at the blank line` above `stopSequences`) move above the
 * statement holding the call, where they still read as notes on it, rather than vanish.
 */
function keepCommentsOfDropped(input: readonly N.Node[], reached: readonly number[], out: readonly N.Node[], at: ASTPath): void {
  type Commented = { comments?: N.Comment[] | null };
  const moved: N.Comment[] = [];
  input.forEach((prop, i) => {
    const next = i + 1 < reached.length ? reached[i + 1] : out.length;
    const comments = (prop as unknown as Commented).comments;
    if (next === reached[i] && comments?.length) moved.push(...comments.map((c) => ({ ...c, leading: true, trailing: false })));
  });
  if (!moved.length) return;
  const statement = statementOf(at).node as unknown as Commented;
  statement.comments = [...moved, ...(statement.comments ?? [])];
}

function withValue(prop: Prop, value: N.Node): Prop {
  if (prop.value === value) return prop;
  prop.value = value as Prop["value"];
  (prop as { shorthand?: boolean }).shorthand = false;
  return prop;
}

/** A copied field under the output's naming (v6 snake_case becomes camelCase for the SDK). */
function renamed(ctx: TransformContext, prop: Prop, name: string): Prop {
  if (keyName(prop) === name) return prop;
  const shorthand = (prop as { shorthand?: boolean }).shorthand;
  return withCommentsOf(prop, ctx.j.objectProperty(ctx.j.identifier(name), (shorthand ? ctx.j.identifier(keyName(prop) ?? name) : prop.value) as never));
}

/**
 * The model rule: keep custom and fine-tuned IDs, replace a retired base model (also as the
 * fallback of `??` / `||`), and say what was chosen.
 */
function mapModel(ctx: TransformContext, value: N.Node, at: ASTPath): N.Node {
  const { j } = ctx;
  const literal = literalValue(value);
  // Handles: export function ask(prompt, model) { co.generate({ prompt, model }) }, called with a
  // retired model from another module (its importers replace it there: generate-callers-to-chat).
  if (N.Identifier.check(value) || N.MemberExpression.check(value)) noteModelParam(ctx, value, at);
  if (N.LogicalExpression.check(value) && (N.Identifier.check(value.left) || N.MemberExpression.check(value.left))) noteModelParam(ctx, value.left, at);
  if (typeof literal === "string") {
    if (!RETIRED_MODELS.has(literal)) return value;
    ctx.report.note("model-defaulted", value, `model: "${literal}" is retired, now "${ctx.options.model}"`);
    return j.stringLiteral(ctx.options.model);
  }
  if (N.LogicalExpression.check(value) && (value.operator === "??" || value.operator === "||")) {
    value.right = mapModel(ctx, value.right, at) as N.LogicalExpression["right"];
    return value;
  }
  if (N.ConditionalExpression.check(value)) {
    // Handles: model: fast ? "command-light" : "command"
    value.consequent = mapModel(ctx, value.consequent, at) as N.ConditionalExpression["consequent"];
    value.alternate = mapModel(ctx, value.alternate, at) as N.ConditionalExpression["alternate"];
    return value;
  }
  // Handles: model: this.model with `model = "command"` as the class's default, or a variable
  // holding a retired model: the retired literal is replaced where it is written.
  const sources = modelSources(ctx, value, at);
  const retired = sources.filter((p) => RETIRED_MODELS.has(String(literalValue(p.node))));
  // A constant that other code reads too (a log line, another API call) keeps its value: the new
  // model is written here instead.
  if (retired.length && N.Identifier.check(value) && retired.some((p) => isSharedConstant(ctx, p))) {
    ctx.report.note("model-defaulted", value, `model: "${literalValue(retired[0].node)}" (the value of ${value.name}) is retired, now "${ctx.options.model}" in this call`);
    return j.stringLiteral(ctx.options.model);
  }
  // Handles: run(prompt: string, model: Tier) with type Tier = "command" | "command-light", called
  // with "command-light": a new literal there would not be a Tier (TS2345), so this call maps the
  // retired values itself and the parameter's type and callers stay as they are.
  // (An enum member's value is replaced where it is written: it stays a member of its enum.)
  if (retired.length && N.Identifier.check(value) && literalTypedParameter(value, at) && !retired.some((p) => N.TSEnumMember.check(p.parent?.node))) {
    const names = [...new Set(retired.map((p) => String(literalValue(p.node))))];
    ctx.report.note("model-defaulted", value, `model: ${value.name} can be the retired ${names.map((n) => `"${n}"`).join(", ")} (passed by this file's calls; the parameter's type keeps it): mapped to "${ctx.options.model}" in this call`);
    return expression(ctx, `${names.map((n) => `$0 === ${JSON.stringify(n)}`).join(" || ")} ? ${JSON.stringify(ctx.options.model)} : $0`, value);
  }
  for (const p of retired) {
    ctx.report.note("model-defaulted", p.node, `model: "${literalValue(p.node)}" (the value of ${describe(value)}) is retired, now "${ctx.options.model}"`);
    p.replace(j.stringLiteral(ctx.options.model));
  }
  // Handles: model: MODEL imported from another module, whose value detection read there.
  const known = retired.length ? undefined : knownModel(ctx, value);
  if (known !== undefined && RETIRED_MODELS.has(known)) {
    ctx.report.note("model-defaulted", value, `model: "${known}" (the value of ${describe(value)}, from another module, which keeps it) is retired, now "${ctx.options.model}" in this call`);
    return j.stringLiteral(ctx.options.model);
  }
  // Handles: model: opts.model, model: process.env.COHERE_MODEL. Generate chose its own model when
  // none was given; Chat requires one (and its type a string, TS2322): the default stands in.
  // Handles: opts.model with opts = {} by default, or a caller's object without it: still optional.
  const partial = retired.length > 0 && !propertyAlwaysSet(ctx, value, at);
  // Handles: const MODELS = ["command-xlarge-nightly", "command"]; model: MODELS[i]: a choice
  // among literals migrate cannot pair with this call, marked rather than guessed.
  if (!retired.length && known === undefined) {
    const named = retiredLiteralsOf(ctx);
    const { start, end } = offsets(value);
    const shown = start >= 0 && end > start && end - start <= 60 ? ctx.source.slice(start, end).replace(/\s+/g, " ") : describe(value);
    if (named.length) insertMarkerOnce(ctx, at, "retired-model", `(${shown} can be ${named.map((m) => `"${m}"`).join(", ")}: this file names them)`);
  }
  if (!retired.length) markRetiredInEnvFile(ctx, value, at);
  if ((!retired.length && mayBeMissing(ctx, value, at, sources)) || partial) {
    ctx.report.note("model-defaulted", value, `model: ${describe(value)} may be undefined; "${ctx.options.model}" when it is (Chat requires a model; make sure the value names a Chat model)`);
    return expression(ctx, `$0 ?? ${JSON.stringify(ctx.options.model)}`, value);
  }
  if (!retired.length) ctx.report.note("model-kept", value, "model is computed: make sure it names a Chat model (retired Generate models fail on Chat)");
  return value;
}

/**
 * Handles: model: process.env.COHERE_MODEL (or a const holding it) with COHERE_MODEL=command-light
 * in the repository's .env.example: where the app runs as documented, Chat gets a model it does
 * not serve (a 404). The file is not migrate's to change (a deployment sets its own): marked.
 */
function markRetiredInEnvFile(ctx: TransformContext, value: N.Node, at: ASTPath): void {
  const json = jsonModelOf(ctx, value);
  if (json && RETIRED_MODELS.has(json.value)) {
    insertMarkerOnce(ctx, at, "retired-model", `(${json.path} is "${json.value}" in ${json.file}: set it to a Chat model there)`);
    return;
  }
  const name = envNameOf(ctx, value, 0);
  const hit = name ? envFileValue(ctx.file, name) : undefined;
  if (!name || !hit || !RETIRED_MODELS.has(hit.value)) return;
  const where = path.relative(path.dirname(path.resolve(ctx.file)), hit.file).split(path.sep).join("/");
  insertMarkerOnce(ctx, at, "retired-model", `(${name} is "${hit.value}" in ${where}: set it to a Chat model there, and wherever the app runs)`);
}

/**
 * Handles: const config = require("./config.json") (or an import of it); model: config.cohere.model:
 * the string the JSON file holds at that path, which other code may read too (so it is not changed).
 */
function jsonModelOf(ctx: TransformContext, value: N.Node): { value: string; path: string; file: string } | undefined {
  if (N.LogicalExpression.check(value)) return jsonModelOf(ctx, value.left);
  const keys: string[] = [];
  let node: N.Node = value;
  while ((N.MemberExpression.check(node) || N.OptionalMemberExpression.check(node)) && !node.computed && N.Identifier.check(node.property)) {
    keys.unshift(node.property.name);
    node = node.object;
  }
  if (!N.Identifier.check(node) || !keys.length) return undefined;
  const binding = node.name;
  let spec: string | undefined;
  ctx.root.find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name: binding } }).forEach((p: ASTPath<N.VariableDeclarator>) => {
    const init = p.node.init;
    if (init && N.CallExpression.check(init) && N.Identifier.check(init.callee) && init.callee.name === "require") {
      const arg = init.arguments[0];
      if (arg && (N.StringLiteral.check(arg) || N.Literal.check(arg)) && typeof arg.value === "string") spec = arg.value;
    }
  });
  ctx.root.find(ctx.j.ImportDeclaration).forEach((p: ASTPath<N.ImportDeclaration>) => {
    const source = p.node.source.value;
    if (typeof source === "string" && (p.node.specifiers ?? []).some((sp) => N.ImportDefaultSpecifier.check(sp) && sp.local?.name === binding)) spec = source;
  });
  if (!spec || !spec.startsWith(".") || !spec.endsWith(".json")) return undefined;
  const file = path.resolve(path.dirname(path.resolve(ctx.file)), spec);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  for (const key of keys) {
    if (typeof data !== "object" || data === null || !Object.prototype.hasOwnProperty.call(data, key)) return undefined;
    data = (data as Record<string, unknown>)[key];
  }
  return typeof data === "string" ? { value: data, path: keys.join("."), file: spec.replace(/^\.\//, "") } : undefined;
}

/** The environment variable a model value reads: process.env.X, process.env["X"], import.meta.env.X, or a const initialised so. */
function envNameOf(ctx: TransformContext, value: N.Node, depth: number): string | undefined {
  if (N.LogicalExpression.check(value)) return envNameOf(ctx, value.left, depth);
  if (N.MemberExpression.check(value) || N.OptionalMemberExpression.check(value)) {
    const object = value.object;
    const envObject =
      (N.MemberExpression.check(object) && N.Identifier.check(object.property) && object.property.name === "env" && ((N.Identifier.check(object.object) && object.object.name === "process") || N.MetaProperty.check(object.object)));
    if (!envObject) return undefined;
    if (!value.computed && N.Identifier.check(value.property)) return value.property.name;
    const key = value.property;
    return value.computed && (N.StringLiteral.check(key) || (N.Literal.check(key) && typeof key.value === "string")) ? String(key.value) : undefined;
  }
  if (N.Identifier.check(value) && depth < 2) {
    let found: string | undefined;
    ctx.root.find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name: value.name } }).forEach((p: ASTPath<N.VariableDeclarator>) => {
      const kind = (p.parent?.node as N.VariableDeclaration | undefined)?.kind;
      if (kind === "const" && p.node.init && found === undefined) found = envNameOf(ctx, p.node.init, depth + 1);
    });
    return found;
  }
  return undefined;
}

/** A conditional's or `??`'s `undefined` (or null) branch of a temperature becomes Generate's default: whether there was one. */
function unsetBranchesPinned(ctx: TransformContext, value: N.Node): boolean {
  const unset = (n: N.Node): boolean => N.NullLiteral.check(n) || (N.Identifier.check(n) && n.name === "undefined") || (N.UnaryExpression.check(n) && n.operator === "void");
  const pinned = (): N.NumericLiteral => ctx.j.numericLiteral(GENERATE_TEMPERATURE);
  let changed = false;
  if (N.ConditionalExpression.check(value)) {
    if (unset(value.consequent)) [value.consequent, changed] = [pinned(), true];
    if (unset(value.alternate)) [value.alternate, changed] = [pinned(), true];
  } else if (N.LogicalExpression.check(value) && (value.operator === "??" || value.operator === "||") && unset(value.right)) [value.right, changed] = [pinned(), true];
  return changed;
}

/** Retired model ids this file writes, other than a Generate request's own `model: "..."` (replaced there). */
function retiredLiteralsOf(ctx: TransformContext): string[] {
  const found = new Set<string>();
  ctx.root.find(ctx.j.StringLiteral).forEach((p: ASTPath<N.StringLiteral>) => {
    if (!namesRetiredModel(p.node.value)) return;
    const prop = p.parent?.node;
    const object = p.parent?.parent?.node;
    const call = p.parent?.parent?.parent?.node;
    const own = prop && (N.ObjectProperty.check(prop) || N.Property.check(prop)) && prop.value === p.node && keyName(prop as Prop) === "model" && N.ObjectExpression.check(object) && call && N.CallExpression.check(call) && call.arguments[0] === object && isGenerateCallee(call.callee);
    if (!own && !N.TSLiteralType.check(prop) && !N.ImportDeclaration.check(prop)) found.add(p.node.value);
  });
  return [...found];
}

function isGenerateCallee(callee: N.Node): boolean {
  return (N.MemberExpression.check(callee) || N.OptionalMemberExpression.check(callee)) && !callee.computed && N.Identifier.check(callee.property) && /^(generate|generateStream)$/.test(callee.property.name);
}

/**
 * Whether a model expression may be undefined: an environment variable, an optional chain, a
 * property or a name that nothing in this file shows to be a string (a const or default holding a
 * literal, an argument every call passes, the checker's literal type).
 */
function mayBeMissing(ctx: TransformContext, value: N.Node, at: ASTPath, sources: readonly ASTPath[]): boolean {
  if (knownModel(ctx, value) !== undefined) return false;
  const allStrings = sources.length > 0 && sources.every((p) => typeof literalValue(p.node) === "string");
  if (N.Identifier.check(value)) {
    if (value.name === "undefined") return false;
    // Bound in this file to strings only: a const, a default, every call's argument.
    if (allStrings) return false;
    const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(value.name);
    const declared = own(scope?.getBindings(), value.name) ?? [];
    // A name declared elsewhere (an import) or not at all: its type is out of sight, left as written.
    if (!declared.length) return false;
    return declared.some((id: ASTPath) => isOptionalBinding(id));
  }
  if (!N.MemberExpression.check(value) && !N.OptionalMemberExpression.check(value)) return false;
  // `this.model` with a class default or constructor default holding a string.
  return !allStrings;
}

/**
 * For `obj.key` on a name bound in this file (not `this`): whether every object the name holds is
 * a literal of this file that sets `key`. A parameter's object may come from callers out of sight
 * or a default without it (`opts = {}`): never.
 */
function propertyAlwaysSet(ctx: TransformContext, value: N.Node, at: ASTPath): boolean {
  if (!N.MemberExpression.check(value) || !N.Identifier.check(value.object) || value.computed || !N.Identifier.check(value.property)) return true;
  const key = value.property.name;
  const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(value.object.name);
  const declared = own(scope?.getBindings(), value.object.name) ?? [];
  return declared.length > 0 && declared.every((id: ASTPath) => {
    const declarator = id.parent?.node;
    if (!declarator || !N.VariableDeclarator.check(declarator) || declarator.id !== id.node) return false;
    // `const settings: Settings = {...}`: the declared type says what the property is (`model?: string`).
    if ((id.node as { typeAnnotation?: unknown }).typeAnnotation) return false;
    return initializerOf(ctx, id).every((init) => {
      let node = init.node;
      // `{ ... } as Options`: the asserted type says what the property is (`model?: string`); `satisfies` does not.
      if (N.TSAsExpression.check(node) && !(N.TSTypeReference.check(node.typeAnnotation) && N.Identifier.check(node.typeAnnotation.typeName) && node.typeAnnotation.typeName.name === "const")) return false;
      while (N.TSAsExpression.check(node) || N.TSSatisfiesExpression.check(node)) node = node.expression;
      return N.ObjectExpression.check(node) && node.properties.some((prop) => (N.ObjectProperty.check(prop) || N.Property.check(prop)) && !prop.computed && keyName(prop as Prop) === key);
    });
  });
}

/** A name bound by a `const` to a number literal (`const CREATIVE = 1.6`): never undefined. */
function isNumberConst(value: N.Node, at: ASTPath): boolean {
  if (!N.Identifier.check(value)) return false;
  const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(value.name);
  const declared = own(scope?.getBindings(), value.name) ?? [];
  return declared.length > 0 && declared.every((id: ASTPath) => {
    const declarator = id.parent?.node;
    const declaration = id.parent?.parent?.node;
    return Boolean(declarator && N.VariableDeclarator.check(declarator) && declarator.id === id.node && declarator.init && typeof literalValue(declarator.init) === "number" && declaration && N.VariableDeclaration.check(declaration) && declaration.kind === "const");
  });
}

/** A parameter that may be left out (`model?: string`), or a `let` declared without a value. */
function isOptionalBinding(id: ASTPath): boolean {
  const node = id.node as N.Identifier & { optional?: boolean };
  if (node.optional) return true;
  const parent = id.parent?.node;
  return Boolean(parent && N.VariableDeclarator.check(parent) && parent.id === id.node && !parent.init);
}

/** The model's value as detection's checker saw it, for an expression that is not a literal here. */
function knownModel(ctx: TransformContext, value: N.Node): string | undefined {
  const { start } = offsets(value);
  for (const site of ctx.sites) if (site.requestModel?.start === start) return site.requestModel.value;
  return undefined;
}

/** A `const` binding whose literal something besides this model read uses. */
function isSharedConstant(ctx: TransformContext, literal: ASTPath): boolean {
  const declarator = literal.parent;
  if (!declarator || !N.VariableDeclarator.check(declarator.node) || declarator.node.init !== literal.node) return false;
  // Handles: export const MODEL = "command", and export { MODEL }: other modules may read it (a
  // price table, a log line).
  if (N.ExportNamedDeclaration.check(declarator.parent?.parent?.node)) return true;
  const name = N.Identifier.check(declarator.node.id) ? declarator.node.id.name : undefined;
  if (name !== undefined && ctx.root.find(ctx.j.ExportSpecifier).some((p: ASTPath<N.ExportSpecifier>) => N.Identifier.check(p.node.local) && p.node.local.name === name)) return true;
  return referencesOf(ctx, declarator.get("id") as ASTPath).length > 1;
}

/**
 * Whether a name is a function parameter whose type annotation is neither `string` nor absent (a
 * union of literals, an alias of one, an enum): a literal written for it must be one of that type.
 */
function literalTypedParameter(id: N.Identifier, at: ASTPath): boolean {
  const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(id.name);
  const declared = own(scope?.getBindings(), id.name) ?? [];
  return declared.some((p: ASTPath) => {
    const node = p.node as N.Identifier & { typeAnnotation?: { typeAnnotation?: { type: string } } };
    const fn = N.AssignmentPattern.check(p.parent?.node) ? p.parent?.parent?.node : p.parent?.node;
    const type = node.typeAnnotation?.typeAnnotation?.type;
    return isFunctionNode(fn as N.Node) && type !== undefined && type !== "TSStringKeyword" && type !== "TSAnyKeyword" && type !== "TSUnknownKeyword";
  });
}

/** A class field's name as `this.<name>` reads it: `model`, or `#model` for a private one. */
function fieldName(key: N.Node): string | undefined {
  if (N.Identifier.check(key)) return key.name;
  const id = (key as { type: string; id?: N.Node }).type === "PrivateName" ? (key as { id?: N.Node }).id : undefined;
  return id && N.Identifier.check(id) ? `#${id.name}` : undefined;
}

/** `opts`, `this.options`, `config.gen`: read twice, it gives the same value. */
function isPlainReference(node: N.Node): boolean {
  if (N.Identifier.check(node) || N.ThisExpression.check(node)) return true;
  return N.MemberExpression.check(node) && !node.computed && N.Identifier.check(node.property) && isPlainReference(node.object as N.Node);
}

/** A plain reference as written, for a note. */
function describeReference(node: N.Node | undefined): string {
  if (!node) return "the spread";
  if (N.Identifier.check(node)) return node.name;
  if (N.ThisExpression.check(node)) return "this";
  if (N.MemberExpression.check(node) && N.Identifier.check(node.property)) return `${describeReference(node.object as N.Node)}.${node.property.name}`;
  return "the spread";
}

/** A value read from somewhere that may not hold it: a name, or a property. */
function isMaybeUndefined(value: N.Node): boolean {
  return N.Identifier.check(value) || N.MemberExpression.check(value) || N.OptionalMemberExpression.check(value);
}

function describe(value: N.Node): string {
  if (N.Identifier.check(value)) return value.name;
  const field = N.MemberExpression.check(value) && N.ThisExpression.check(value.object) && !value.computed ? fieldName(value.property as N.Node) : undefined;
  if (field !== undefined) return `this.${field}`;
  return "the expression";
}

interface ScopeLike {
  lookup(name: string): ScopeLike | undefined;
  getBindings(): Record<string, ASTPath[]>;
}

/**
 * The string literals a model expression can take, found where they are written: a variable's
 * initializer, a parameter's default, a class property's initializer or a constructor parameter
 * property's default (`private readonly model = "command"`).
 */
function modelSources(ctx: TransformContext, value: N.Node, at: ASTPath, depth = 0, leaf: (node: N.Node) => boolean = (node) => typeof literalValue(node) === "string"): ASTPath[] {
  if (depth > 4) return [];
  // Handles: const MODEL = process.env.COHERE_MODEL || "command-light" (or ??, or a ternary): the fallbacks.
  const branches = N.LogicalExpression.check(value) && (value.operator === "??" || value.operator === "||") && at.node === value
    ? [at.get("right") as ASTPath]
    : N.ConditionalExpression.check(value) && at.node === value
      ? [at.get("consequent") as ASTPath, at.get("alternate") as ASTPath]
      : undefined;
  if (branches) return branches.flatMap((b) => (leaf(b.node) ? [b] : modelSources(ctx, b.node, b, depth + 1, leaf)));
  if (N.Identifier.check(value)) {
    const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(value.name);
    const declared = own(scope?.getBindings(), value.name) ?? [];
    // Handles: model = DEFAULT_MODEL, where const DEFAULT_MODEL = "command-light"
    return declared.flatMap((id: ASTPath) =>
      initializerOf(ctx, id).flatMap((init) => (leaf(init.node) ? [init] : modelSources(ctx, init.node, init, depth + 1, leaf))),
    );
  }
  // Handles: Model.Light with enum Model { Light = "command-light" } in this file: the member's value.
  if (N.MemberExpression.check(value) && N.Identifier.check(value.object) && N.Identifier.check(value.property) && !value.computed) {
    const enumName = value.object.name;
    const member = value.property.name;
    const out: ASTPath[] = [];
    ctx.root.find(ctx.j.TSEnumDeclaration, { id: { name: enumName } }).forEach((decl: ASTPath<N.TSEnumDeclaration>) => {
      decl.node.members.forEach((m, i) => {
        if (N.Identifier.check(m.id) && m.id.name === member && m.initializer) out.push(decl.get("members", i, "initializer") as ASTPath);
      });
    });
    if (out.length) return out.filter((p) => leaf(p.node));
  }
  // Handles: model: config.model, with const config = { model: "command-r", maxTokens: 8 } in this
  // file: the property's value, where it is written.
  if (N.MemberExpression.check(value) && N.Identifier.check(value.object) && !value.computed && N.Identifier.check(value.property)) {
    const key = value.property.name;
    const scope = (at as ASTPath & { scope?: ScopeLike }).scope?.lookup(value.object.name);
    const declared = own(scope?.getBindings(), value.object.name) ?? [];
    const out: ASTPath[] = [];
    for (const id of declared) {
      for (let init of initializerOf(ctx, id)) {
        while (N.TSAsExpression.check(init.node) || N.TSSatisfiesExpression.check(init.node)) init = init.get("expression") as ASTPath;
        // Handles: draft("a", fast) with const fast = { model: "command-light" }: the object it names.
        if (N.Identifier.check(init.node)) {
          const inner = (init as ASTPath & { scope?: ScopeLike }).scope?.lookup(init.node.name);
          const named = own(inner?.getBindings(), init.node.name) ?? [];
          const objects = named.flatMap((b: ASTPath) => (N.VariableDeclarator.check(b.parent?.node) ? initializerOf(ctx, b) : []));
          if (objects.length === 1) init = objects[0];
          while (N.TSAsExpression.check(init.node) || N.TSSatisfiesExpression.check(init.node)) init = init.get("expression") as ASTPath;
        }
        if (!N.ObjectExpression.check(init.node)) continue;
        init.node.properties.forEach((prop, i) => {
          if ((N.ObjectProperty.check(prop) || N.Property.check(prop)) && !prop.computed && keyName(prop as Prop) === key) out.push(init.get("properties", i, "value") as ASTPath);
        });
      }
    }
    if (out.length) return out.flatMap((p) => (leaf(p.node) ? [p] : modelSources(ctx, p.node, p, depth + 1, leaf)));
  }
  const thisField = N.MemberExpression.check(value) && N.ThisExpression.check(value.object) && !value.computed ? fieldName(value.property as N.Node) : undefined;
  if (thisField !== undefined) {
    const name = thisField;
    let body: ASTPath | null = at;
    while (body && !N.ClassBody.check(body.node)) body = body.parent;
    if (!body) return [];
    const out: ASTPath[] = [];
    (body.node as N.ClassBody).body.forEach((member, i) => {
      const memberPath = body.get("body", i) as ASTPath;
      // Handles: model = "command", #model = "command-light"
      const property = member as { type: string; key?: N.Node; value?: N.Node | null };
      if ((property.type === "ClassProperty" || property.type === "ClassPrivateProperty") && property.key && fieldName(property.key) === name && property.value) {
        out.push(memberPath.get("value") as ASTPath);
      }
      if ((N.ClassMethod.check(member) || N.MethodDefinition.check(member)) && (member as N.ClassMethod).kind === "constructor") {
        ((member as N.ClassMethod).params ?? []).forEach((param, k) => {
          const inner = N.TSParameterProperty.check(param) ? param.parameter : undefined;
          if (inner && N.AssignmentPattern.check(inner) && N.Identifier.check(inner.left) && inner.left.name === name) {
            out.push(memberPath.get("params", k, "parameter", "right") as ASTPath);
          }
        });
        // Handles: constructor(fields) { this.model = fields?.model ?? "command"; }
        const fn = N.MethodDefinition.check(member) ? (memberPath.get("value") as ASTPath) : memberPath;
        const statements = ((fn.node as N.Function).body as N.BlockStatement | undefined)?.body ?? [];
        statements.forEach((stmt, k) => {
          const assign = N.ExpressionStatement.check(stmt) ? stmt.expression : undefined;
          if (!N.AssignmentExpression.check(assign) || assign.operator !== "=" || !N.MemberExpression.check(assign.left)) return;
          const left = assign.left;
          if (N.ThisExpression.check(left.object) && !left.computed && fieldName(left.property as N.Node) === name) {
            out.push(fn.get("body", "body", k, "expression", "right") as ASTPath);
          }
        });
      }
    });
    // Handles: private readonly model = process.env.COHERE_MODEL ?? "command": its fallbacks.
    return out.flatMap((p) => (leaf(p.node) ? [p] : modelSources(ctx, p.node, p, depth + 1, leaf)));
  }
  return [];
}

/**
 * The expressions a binding starts with: a variable's initializer; a parameter's default, and the
 * arguments this file's calls of its function pass for it.
 */
function initializerOf(ctx: TransformContext, id: ASTPath): ASTPath[] {
  const parent = id.parent;
  if (parent && N.VariableDeclarator.check(parent.node) && parent.node.id === id.node && parent.node.init) return [parent.get("init") as ASTPath];
  if (parent && N.AssignmentPattern.check(parent.node) && parent.node.left === id.node) return [parent.get("right") as ASTPath, ...passedFor(ctx, parent)];
  return passedFor(ctx, id);
}

/**
 * Handles: function complete(model: string, prompt: string) { co.generate({ model, prompt }) }
 * called as complete("command", ...): for a parameter (`param` is the parameter node's path), the
 * arguments the calls of its function in this file pass at its position. A method's calls are
 * those of a member of that name (`this.draft(...)`, `writer.draft(...)`).
 */
function passedFor(ctx: TransformContext, param: ASTPath): ASTPath[] {
  const fn = param.parent;
  if (!fn || !isFunctionNode(fn.node)) return [];
  const params = (fn.node as N.Function).params as N.Node[];
  const index = params.indexOf(param.node);
  if (index === -1 || params.slice(0, index).some((p) => N.RestElement.check(p))) return [];
  let name: string | undefined;
  let method = false;
  if (N.FunctionDeclaration.check(fn.node) && fn.node.id) name = fn.node.id.name;
  else if (fn.parent && N.VariableDeclarator.check(fn.parent.node) && N.Identifier.check(fn.parent.node.id)) name = fn.parent.node.id.name;
  else if (fn.parent && (N.ClassMethod.check(fn.parent.node) || N.MethodDefinition.check(fn.parent.node)) && N.Identifier.check((fn.parent.node as N.ClassMethod).key)) {
    name = ((fn.parent.node as N.ClassMethod).key as N.Identifier).name;
    method = true;
  } else if (N.ClassMethod.check(fn.node) && N.Identifier.check(fn.node.key)) {
    name = fn.node.key.name;
    method = true;
  }
  if (!name) return [];
  const out: ASTPath[] = [];
  for (const path of callsNamed(ctx, method ? `.${name}` : name)) {
    const args = path.node.arguments;
    if (index < args.length && !args.slice(0, index + 1).some((a) => N.SpreadElement.check(a))) out.push(path.get("arguments", index) as ASTPath);
  }
  return out;
}

/** The file's calls by callee: `f` for `f(...)`, `.m` for `x.m(...)`; one search per file, not per parameter asked about. */
const CALLS = new WeakMap<TransformContext, Map<string, Array<ASTPath<N.CallExpression>>>>();

function callsNamed(ctx: TransformContext, key: string): ReadonlyArray<ASTPath<N.CallExpression>> {
  let index = CALLS.get(ctx);
  if (!index) {
    const built = new Map<string, Array<ASTPath<N.CallExpression>>>();
    ctx.root.find(ctx.j.CallExpression).forEach((path: ASTPath<N.CallExpression>) => {
      const callee = path.node.callee;
      const name = N.Identifier.check(callee) ? callee.name : N.MemberExpression.check(callee) && !callee.computed && N.Identifier.check(callee.property) ? `.${callee.property.name}` : undefined;
      if (name !== undefined) built.set(name, [...(built.get(name) ?? []), path]);
    });
    index = built;
    CALLS.set(ctx, index);
  }
  return index.get(key) ?? [];
}

function isFunctionNode(node: N.Node): boolean {
  return N.FunctionDeclaration.check(node) || N.FunctionExpression.check(node) || N.ArrowFunctionExpression.check(node) || N.ClassMethod.check(node);
}

/** The type detection saw for the spread expression `arg` (matched by its offset), if any. */
function spreadTypeOf(ctx: TransformContext, arg: N.Node): SpreadType | undefined {
  const { start } = offsets(arg);
  for (const site of ctx.sites) {
    const found = site.requestSpreads?.find((s) => s.start === start);
    if (found) return found;
  }
  return undefined;
}

/** Whether a spread may carry this field into Chat as it is (a field Chat takes under that name). */
function carriesOver(field: string): string | undefined {
  const entry = REQUEST_FIELDS[field] ? ([field, REQUEST_FIELDS[field]] as const) : BY_SNAKE.get(field);
  const copyable = entry && (entry[1].action.do === "copy" || entry[1].action.do === "temperature" || entry[1].action.do === "model");
  return copyable ? entry[0] : undefined;
}

/**
 * A spread is kept. One whose content cannot be seen, or that holds Generate-only fields or a
 * retired model, gets a marker. Returns the (camelCase) fields the spread always sets, and whether
 * those are all it can set (`complete`): from the object literal when it is visible, else from the
 * spread's type as the checker saw it in detection (required fields are always set; an optional one
 * may be absent, so a default still goes before the spread).
 */
function checkSpread(ctx: TransformContext, arg: N.Node, at: ASTPath): { always: Set<string>; optional: Set<string>; complete: boolean } | undefined {
  const source = visibleObject(ctx, arg);
  if (!source && N.Identifier.check(arg) && constObject(ctx, arg.name) && mutatedObject(ctx, arg.name)) {
    // Its type is the literal's, as the checker inferred it: it says nothing of what was added.
    insertMarkerOnce(ctx, at, "spread-unchecked", "(it is changed after it is written)");
    return undefined;
  }
  if (!source) {
    const typed = spreadTypeOf(ctx, arg);
    // A type with no fields says nothing of what is spread: `options = {}` (inferred from the
    // default), `{ temperature, ...rest } = {}`, `this.config` set from such a parameter; callers pass the rest.
    if (!typed || "unknown" in typed || (!typed.required.length && !typed.optional.length)) {
      insertMarkerOnce(ctx, at, "spread-unchecked");
      return undefined;
    }
    const foreign = [...typed.required, ...typed.optional].filter((f) => carriesOver(f) === undefined);
    if (foreign.length) insertMarkerOnce(ctx, at, "spread-unchecked", `(its type has ${foreign.join(", ")})`);
    // As written (what a property before the spread would clash with) and as Generate's camelCase name.
    const always = new Set([...typed.required, ...typed.required.flatMap((f) => carriesOver(f) ?? [])]);
    const optional = new Set(typed.optional.flatMap((f) => carriesOver(f) ?? []));
    return { always, optional, complete: false };
  }
  const fields = new Set<string>();
  let problem: string | undefined;
  for (const prop of source.properties) {
    if (!(N.ObjectProperty.check(prop) || N.Property.check(prop))) {
      insertMarkerOnce(ctx, at, "spread-unchecked");
      return undefined;
    }
    const key = keyName(prop);
    if (key === undefined) {
      insertMarkerOnce(ctx, at, "spread-unchecked", "(it sets a computed key)");
      return undefined;
    }
    const entry = REQUEST_FIELDS[key] ? ([key, REQUEST_FIELDS[key]] as const) : BY_SNAKE.get(key);
    const value = prop.value as N.Node;
    const literal = literalValue(value);
    const retired = entry?.[0] === "model" && typeof literal === "string" && RETIRED_MODELS.has(literal);
    const copyable = entry && (entry[1].action.do === "copy" || entry[1].action.do === "temperature" || entry[1].action.do === "model");
    if (!entry || !copyable || retired) problem ??= retired ? `it sets the retired model "${literal}": change it there` : `it sets ${key}`;
    // Set whatever else it holds: a property migrate puts before the spread would be overwritten
    // (TypeScript rejects that: TS2783), so none is added for these.
    fields.add(key);
    if (entry) fields.add(entry[0]);
  }
  if (problem) insertMarkerOnce(ctx, at, "spread-unchecked", `(${problem})`);
  return { always: fields, optional: new Set(), complete: problem === undefined };
}


/**
 * The spreads a request's prompt can only be in (`{ ...opts, maxTokens: 20 }`, no `prompt` of its
 * own), as written; undefined when the request names its prompt (or messages) or spreads nothing.
 * Rewritten, such a call would send Chat no messages (and the spread's prompt, which Chat rejects).
 */
export function promptOutOfSight(ctx: TransformContext, obj: N.ObjectExpression): string | undefined {
  const spreads = obj.properties.filter((p) => N.SpreadElement.check(p) || N.SpreadProperty.check(p));
  if (!spreads.length) return undefined;
  const named = obj.properties.some((p) => (N.ObjectProperty.check(p) || N.Property.check(p)) && (keyName(p) === "prompt" || keyName(p) === "messages"));
  return named ? undefined : spreads.map((p) => ctx.j(p.argument as never).toSource()).join(", ");
}

/**
 * Generate-only fields that visible spreads of this request would carry into Chat (`{ ...request,
 * temperature }` where `request` holds a prompt). Such a call cannot be converted here.
 */
export function blockingSpreadFields(ctx: TransformContext, obj: N.ObjectExpression): string[] {
  const out: string[] = [];
  for (const prop of obj.properties) {
    if (!(N.SpreadElement.check(prop) || N.SpreadProperty.check(prop))) continue;
    const source = visibleObject(ctx, prop.argument);
    for (const p of source?.properties ?? []) {
      const key = N.ObjectProperty.check(p) || N.Property.check(p) ? keyName(p) : undefined;
      if (key !== undefined && GENERATE_ONLY.has(key)) out.push(key);
    }
  }
  return out;
}

/** The object literal an identifier is bound to by a `const` in this file, if any. */
export function visibleObject(ctx: TransformContext, node: N.Node): N.ObjectExpression | undefined {
  if (N.ObjectExpression.check(node)) return node;
  if (!N.Identifier.check(node)) return undefined;
  const found = constObject(ctx, node.name);
  return found && !mutatedObject(ctx, node.name) ? found : undefined;
}

/** The object literal a `const` of this name is initialised with, if any. */
function constObject(ctx: TransformContext, name: string): N.ObjectExpression | undefined {
  let found: N.ObjectExpression | undefined;
  ctx.root
    .find(ctx.j.VariableDeclarator, { id: { type: "Identifier", name } })
    .forEach((p: ASTPath<N.VariableDeclarator>) => {
      const decl = p.parent?.node as N.VariableDeclaration | undefined;
      // Handles: const base = { ... } as const, const base = { ... } satisfies Partial<Knobs>
      let init = p.node.init as N.Node | null | undefined;
      while (init && (init.type === "TSSatisfiesExpression" || (init.type === "TSAsExpression" && isConstAssertion(init)))) init = (init as unknown as { expression: N.Node }).expression;
      if (decl?.kind === "const" && init && N.ObjectExpression.check(init)) found = init;
    });
  return found;
}

/** `x as const`. */
function isConstAssertion(node: N.Node): boolean {
  const annotation = (node as unknown as { typeAnnotation?: { type: string; typeName?: { type: string; name?: string } } }).typeAnnotation;
  return annotation?.type === "TSTypeReference" && annotation.typeName?.type === "Identifier" && annotation.typeName.name === "const";
}

/**
 * Whether the object a `const` names is changed after it is written (`params.numGenerations = 2`,
 * `params["prompt"] = p`, `delete params.x`, `Object.assign(params, more)`): its literal then no
 * longer says which fields a spread of it sets.
 */
function mutatedObject(ctx: TransformContext, name: string, seen: Set<string> = new Set()): boolean {
  // Through another name for it: `const settings = base; settings.numGenerations = 3`.
  seen.add(name);
  const aliases: string[] = [];
  ctx.root.find(ctx.j.VariableDeclarator).forEach((p: ASTPath<N.VariableDeclarator>) => {
    if (N.Identifier.check(p.node.id) && N.Identifier.check(p.node.init) && p.node.init.name === name && !seen.has(p.node.id.name)) aliases.push(p.node.id.name);
  });
  if (aliases.some((alias) => mutatedObject(ctx, alias, seen))) return true;
  // Through casts and parentheses: `(base as any).numGenerations = 3`, `base!.x = 1`.
  const isName = (n: N.Node | null | undefined): boolean => {
    let inner = n;
    while (inner && (N.TSAsExpression.check(inner) || N.TSNonNullExpression.check(inner) || N.TSTypeAssertion.check(inner) || N.ParenthesizedExpression.check(inner) || N.TSSatisfiesExpression.check(inner))) inner = inner.expression;
    return N.Identifier.check(inner) && inner.name === name;
  };
  const memberOfName = (n: N.Node | null | undefined): boolean => (N.MemberExpression.check(n) || N.OptionalMemberExpression.check(n)) && isName(n.object);
  if (ctx.root.find(ctx.j.AssignmentExpression).some((p: ASTPath<N.AssignmentExpression>) => memberOfName(p.node.left))) return true;
  if (ctx.root.find(ctx.j.UpdateExpression).some((p: ASTPath<N.UpdateExpression>) => memberOfName(p.node.argument))) return true;
  if (ctx.root.find(ctx.j.UnaryExpression, { operator: "delete" }).some((p: ASTPath<N.UnaryExpression>) => memberOfName(p.node.argument))) return true;
  return ctx.root.find(ctx.j.CallExpression).some((p: ASTPath<N.CallExpression>) => {
    const callee = p.node.callee;
    const assign = N.MemberExpression.check(callee) && N.Identifier.check(callee.object) && callee.object.name === "Object" && N.Identifier.check(callee.property) && callee.property.name === "assign";
    return assign && isName(p.node.arguments[0]);
  });
}
