/**
 * A Python Generate call's arguments → Chat v2 keyword arguments, edited in place: each argument
 * is renamed, replaced or removed where it stands, so the call keeps its layout and comments. The
 * table is the TypeScript one (transforms/generate-to-chat/request.ts), read by snake_case name.
 */
import type { MarkerCode } from "../markers";
import type { Note } from "../types";
import { CHAT_MAX_TEMPERATURE, GENERATE_TEMPERATURE, namesRetiredModel, REQUEST_FIELDS, RETIRED_MODELS } from "../../transforms/generate-to-chat/request-table";
import { indentAt, literal, type Edit } from "./edits";
import { dictEntriesOf, dictSpreadEntries, dictSpreadKeys, dictSpreadKeysSeen, field, named, ownedDict, stringValue, walk, type Node } from "./syntax";

type FieldRule = (typeof REQUEST_FIELDS)[keyof typeof REQUEST_FIELDS];

/** Generate's fields by their Python (snake_case) name. */
const BY_SNAKE: ReadonlyMap<string, FieldRule> = new Map(Object.values(REQUEST_FIELDS).map((rule) => [rule.snake, rule]));

/** cohere 4.x `Client.generate` took its parameters positionally, in this order (4.57's signature). */
const POSITIONAL_4X: readonly string[] = [
  "prompt",
  "prompt_vars",
  "model",
  "preset",
  "num_generations",
  "max_tokens",
  "temperature",
  "k",
  "p",
  "frequency_penalty",
  "presence_penalty",
  "end_sequences",
  "stop_sequences",
  "return_likelihoods",
  "truncate",
  "stream",
];

/** Keywords both APIs' Python methods accept that are not request fields. */
const PASS_THROUGH: ReadonlySet<string> = new Set(["request_options"]);

/** Chat fields a request may already hold (hand-written or half-migrated). */
const CHAT_FIELDS: ReadonlySet<string> = new Set(["messages", "logprobs", "safety_mode", "response_format", "documents", "tools", "thinking", "priority", "citation_options", "tool_choice", "strict_tools"]);

export interface RequestOptions {
  model: string;
  modelFromFlag: boolean;
  quote: string;
  /** How the file names cohere's user message class (`cohere.UserChatMessageV2`). */
  messageClass: string;
  /**
   * The string a name imported from another module of the repository is bound to there
   * (`from settings import MODEL`, `settings.MODEL`), with where, when it can be read.
   */
  importedString?: (value: Node) => { value: string; where: string; field?: boolean } | undefined;
  /** What the repository's dotenv files (`.env.example`) set an environment variable to, and which file (engine/env-files.ts). */
  envValue?: (name: string) => { value: string; file: string } | undefined;
}

export interface RequestPlan {
  edits: Edit[];
  markers: Array<{ code: MarkerCode; detail?: string }>;
  notes: Array<{ kind: Note["kind"]; message: string }>;
  /** Comments of removed arguments, to move above the statement. */
  comments: string[];
  /** num_generations: the count's source, when not the literal 1. */
  fanout?: string;
  stop?: string;
  end?: string;
  /** The prompt's source, for reads of `response.prompt`. */
  prompt?: string;
  /**
   * With `fanout`: a prompt that calls something (`build_prompt()`, `random.choice(...)`) is
   * evaluated once, as Generate did, by the comprehension's first clause: `for <name> in [<source>]`.
   */
  promptOnce?: { name: string; source: string };
  /** `stream=True` was passed (cohere 4.x). */
  stream: boolean;
  /** The call cannot be rewritten (its request is built where migrate cannot see it): the marker it gets. */
  blocked?: RequestBlock;
}

export interface RequestBlock {
  code: MarkerCode;
  detail?: string;
}

interface Arg {
  node: Node;
  name?: string;
  value: Node;
  positional: boolean;
}

/** Fields a `**spread` may hold that a Chat call takes under the same name. */
const SAME_IN_SPREAD: ReadonlySet<string> = new Set(["model", "max_tokens", "k", "p", "seed", "frequency_penalty", "presence_penalty", "temperature"]);

interface ParsedArgs {
  /** The call's argument list, or (a `**params` the call alone uses: ownedDict) that dict or `dict(...)`'s. */
  argList: Node;
  /** Entries written `"name": value` (a dict literal the call's `**` passes), not `name=value`. */
  dictLiteral: boolean;
  /** The request is a dict built before the call (evaluated once, whatever the call becomes). */
  owned: boolean;
  items: Node[];
  args: Arg[];
  spreads: Node[];
  /** Keys the `**spreads` hold, as far as they can be seen (dict literals in reach). */
  spreadKeys: Set<string>;
  spreadUnseen: boolean;
  /** The spreads whose keys cannot be seen. */
  unseen: Node[];
}

/** The call's arguments, by Generate's names (4.x positions included), or why they cannot be rewritten. */
function parseArgs(call: Node): ParsedArgs | RequestBlock {
  const argList = field(call, "arguments");
  if (!argList || argList.type !== "argument_list") return { code: "request-shape" };
  // cohere 4.x's batch_generate(prompts=[...]): Chat takes one message list per call.
  if (field(field(call, "function") ?? call, "attribute")?.text === "batch_generate") {
    return { code: "request-shape", detail: "(batch_generate sent one Generate request per prompt: make one Chat call per prompt, e.g. a list comprehension of co.v2.chat(...))" };
  }
  const callItems = named(argList).filter((n) => n.type !== "comment");
  // Handles: params = {"prompt": p, "max_tokens": 50}; co.generate(**params), the dict used by
  // this call only: its entries are the request, rewritten where they are written.
  const owned = callItems.length === 1 && callItems[0].type === "dictionary_splat" ? ownedDict(callItems[0]) : undefined;
  const target = owned?.type === "call" ? field(owned, "arguments") : owned;
  if (owned && target) return parseItems(target, owned.type === "dictionary", true);
  return parseItems(argList, false, false);
}

function parseItems(argList: Node, dictLiteral: boolean, owned: boolean): ParsedArgs | RequestBlock {
  const items = named(argList).filter((n) => n.type !== "comment");
  const args: Arg[] = [];
  let position = 0;
  const spreads: Node[] = [];
  for (const item of items) {
    if (item.type === "pair") {
      const name = stringValue(field(item, "key"));
      const value = field(item, "value");
      if (name !== undefined && value) args.push({ node: item, name, value, positional: false });
    } else if (item.type === "keyword_argument") {
      const name = field(item, "name")?.text;
      const value = field(item, "value");
      if (name && value) args.push({ node: item, name, value, positional: false });
    } else if (item.type === "dictionary_splat") {
      spreads.push(item);
    } else if (item.type === "list_splat") {
      return { code: "request-shape" };
    } else {
      args.push({ node: item, name: POSITIONAL_4X[position++], value: item, positional: true });
    }
  }
  const spreadKeys = new Set<string>();
  const unseen: Node[] = [];
  for (const s of spreads) {
    const keys = dictSpreadKeys(s);
    if (keys) keys.forEach((k) => spreadKeys.add(k));
    else unseen.push(s);
  }
  const spreadUnseen = unseen.length > 0;
  // Keys seen in a spread that may hold more (`**{**defaults, "prompt": p}`) count too.
  const seen = new Set([...spreadKeys, ...unseen.flatMap((u) => [...dictSpreadKeysSeen(u)])]);
  const generateOnly = [...seen].filter((k) => BY_SNAKE.has(k) && !SAME_IN_SPREAD.has(k));
  if (generateOnly.length) return { code: "spread-unchecked", detail: `(here it can be seen, and it sets ${generateOnly.join(", ")}: move ${generateOnly.length === 1 ? "it" : "them"} into the call, or drop ${generateOnly.length === 1 ? "it" : "them"})` };
  const streamArg = args.find((a) => a.name === "stream");
  if (streamArg && streamArg.value.text !== "True" && streamArg.value.text !== "False") {
    // Handles: co.generate(..., stream=stream): the request is in sight, whether it streams is not.
    return { code: "request-shape", detail: `(stream=${streamArg.value.text} is not True or False here: Chat streams through another method, so split the call into co.v2.chat(...) and co.v2.chat_stream(...) by that value)` };
  }
  if (args.some((a) => a.name === "prompt_vars")) return { code: "request-shape", detail: "(prompt_vars has no Chat counterpart: fill the prompt's variables into the text before the call)" };
  // Handles: params["prompt"] = p; co.generate(**params), co.generate(**req.dict()): the prompt is
  // in what the spread holds, and a Chat call needs it as messages (it would send prompt= and fail).
  if (spreadUnseen && !args.some((a) => a.name === "prompt")) {
    const where = unseen.map((u) => named(u)[0]?.text ?? "the spread").join(", ");
    return { code: "request-shape", detail: `(the prompt is passed inside ${where}, where migrate cannot rewrite it: Chat takes it as messages=[UserChatMessageV2(content=...)], and rejects prompt=)` };
  }
  // A positional argument past Generate's fields (or one with no known field) cannot be named.
  if (args.some((a) => a.positional && !(a.name && BY_SNAKE.has(a.name)))) return { code: "request-shape" };
  return { argList, dictLiteral, owned, items, args, spreads, spreadKeys, spreadUnseen, unseen };
}

/**
 * Why migrate cannot rewrite this Generate call's request (the marker it gets instead), or
 * undefined: what `check` asks to tell a fixable call from one migrate will only mark.
 */
export function requestBlock(call: Node): RequestBlock | undefined {
  const parsed = parseArgs(call);
  return "code" in parsed ? parsed : undefined;
}

export function rewriteRequest(call: Node, text: string, options: RequestOptions): RequestPlan {
  const plan: RequestPlan = { edits: [], markers: [], notes: [], comments: [], stream: false };
  const parsed = parseArgs(call);
  if ("code" in parsed) return { ...plan, blocked: parsed };
  const { argList, dictLiteral, owned, items, args, spreads, spreadKeys, spreadUnseen, unseen } = parsed;
  const multiline = items.length > 0 && text.slice(argList.startIndex, items[0].startIndex).includes("\n");
  const eol = multiline && text.slice(argList.startIndex, items[0].startIndex).includes("\r\n") ? "\r\n" : "\n";
  const separator = multiline ? `,${eol}${indentAt(text, items[0].startIndex)}` : ", ";
  const removed = new Set<Node>();
  const replace = (arg: Arg, source: string): void => {
    plan.edits.push({ start: arg.node.startIndex, end: arg.node.endIndex, text: source });
  };
  const q = options.quote;
  /** One request field as the request writes them: a keyword argument, or a dict literal's entry. */
  const kw = (name: string, value: string): string => (dictLiteral ? `${literal(name, q)}: ${value}` : `${name}=${value}`);
  const modelArg = args.find((a) => a.name === "model");
  if (!modelArg) {
    // Handles: GEN = {"model": "command", ...}; co.generate(prompt=p, **GEN): the retired value is
    // replaced where it is written, as for a constant passed as model=.
    for (const s of spreads) {
      const model = dictSpreadEntries(s)?.get("model");
      const retired = model ? (model.type === "string" && RETIRED_MODELS.has(stringValue(model) ?? "") ? [model] : retiredSources(model)) : [];
      for (const f of retired) plan.edits.push({ start: f.startIndex, end: f.endIndex, text: literal(options.model, quoteOf(f) ?? q) });
      if (retired.length) plan.notes.push({ kind: "model-defaulted", message: `model: the retired value in ${named(s)[0]?.text ?? "the spread"} replaced by "${options.model}"` });
    }
  }
  if (!args.some((a) => a.name === "temperature")) {
    // Handles: gen_kwargs = {"temperature": self.temperature, ...}; co.generate(prompt=p, **gen_kwargs),
    // the dict this call alone uses: a None there meant Generate's 0.75; Chat would use 0.3.
    for (const s of spreads) {
      const temperature = ownedDict(s) ? dictSpreadEntries(s)?.get("temperature") : undefined;
      if (!temperature) continue;
      const text = temperature.text;
      if (temperature.type === "none") plan.edits.push({ start: temperature.startIndex, end: temperature.endIndex, text: String(GENERATE_TEMPERATURE) });
      else if ((temperature.type === "identifier" || temperature.type === "attribute") && !onlyNumbers(temperature)) {
        plan.edits.push({ start: temperature.startIndex, end: temperature.endIndex, text: `${GENERATE_TEMPERATURE} if ${text} is None else ${text}` });
      }
    }
  }
  let modelSource: string | undefined;
  // Defaults a dict literal takes first, where every later entry and spread overrides them.
  const front: string[] = [];
  const unseenText = unseen.map((u) => named(u)[0]?.text ?? "").join(", ");
  if (dictLiteral && !modelArg && !spreadKeys.has("model")) {
    front.push(kw("model", literal(options.model, q)));
    plan.notes.push({ kind: "model-defaulted", message: `model: none given, now "${options.model}"${spreadUnseen ? ` (a model in ${unseenText} still wins)` : ""}` });
  }
  // Behind a spread migrate cannot see, `model=` could be given twice (a TypeError): none is added.
  if (!dictLiteral && !modelArg && !spreadKeys.has("model") && !spreadUnseen) {
    modelSource = kw("model", literal(options.model, q));
    plan.notes.push({ kind: "model-defaulted", message: `model: none given, now "${options.model}"` });
  }

  for (const arg of args) {
    const name = arg.name;
    if (!name) continue;
    const rule = BY_SNAKE.get(name);
    if (!rule) {
      if (!PASS_THROUGH.has(name) && !CHAT_FIELDS.has(name)) plan.markers.push({ code: "unknown-parameter", detail: `(${name})` });
      continue;
    }
    // A positional `prompt := "..."` becomes a keyword's value, where an assignment expression needs parentheses.
    const value = arg.positional && arg.value.type === "named_expression" ? `(${arg.value.text})` : arg.value.text;
    switch (rule.action.do) {
      case "messages": {
        plan.prompt = value;
        // Not with an assignment expression in it: Python rejects one in a comprehension's iterable.
        // (A dict built before the call is built once already.)
        if (!owned && fanoutOf(args) !== undefined && callsSomething(arg.value) && !containsType(arg.value, "named_expression")) {
          // Handles: co.generate(prompt=build_prompt(), num_generations=3): built once, sent three times.
          const name = freshName("prompt", call.text);
          plan.promptOnce = { name, source: value };
          const messages = kw("messages", `[${options.messageClass}(content=${name})]`);
          replace(arg, modelSource ? `${modelSource}${separator}${messages}` : messages);
          modelSource = undefined;
          break;
        }
        // The SDK's message class, not a dict: pyright rejects a dict literal for `messages`
        // (a list of pydantic models), and the class sends the same JSON.
        const messages = kw("messages", `[${options.messageClass}(content=${value})]`);
        replace(arg, modelSource ? `${modelSource}${separator}${messages}` : messages);
        modelSource = undefined;
        break;
      }
      case "model": {
        const literalModel = stringValue(arg.value);
        // Handles: model=os.getenv("COHERE_MODEL") with COHERE_MODEL=command in .env.example: where
        // the app runs as documented, Chat gets a model it does not serve. Not migrate's file to change.
        const envName = literalModel === undefined ? environmentName(arg.value) : undefined;
        const envHit = envName ? options.envValue?.(envName) : undefined;
        if (envName && envHit && RETIRED_MODELS.has(envHit.value)) plan.markers.push({ code: "retired-model", detail: `(${envName} is "${envHit.value}" in ${envHit.file}: set it to a Chat model there, and wherever the app runs)` });
        const choices = literalModel === undefined ? retiredChoices(arg.value) : [];
        if (choices.length) plan.markers.push({ code: "retired-model", detail: `(the option's choices list ${choices.map((m) => `"${m}"`).join(", ")}: put Chat models there)` });
        if (literalModel !== undefined && RETIRED_MODELS.has(literalModel)) {
          const to = kw("model", literal(options.model, q));
          replace(arg, to);
          plan.notes.push({ kind: "model-defaulted", message: `model: "${literalModel}" is retired, now "${options.model}"` });
        } else if (arg.value.type === "boolean_operator" || arg.value.type === "conditional_expression") {
          // `model=name or "command"`: the retired fallback is replaced where it stands.
          const fallbacks = named(arg.value).filter((n) => n.type === "string" && RETIRED_MODELS.has(stringValue(n) ?? ""));
          for (const f of fallbacks) plan.edits.push({ start: f.startIndex, end: f.endIndex, text: literal(options.model, q) });
          if (arg.positional) plan.edits.push({ start: arg.node.startIndex, end: arg.node.startIndex, text: "model=" });
          if (fallbacks.length) plan.notes.push({ kind: "model-defaulted", message: `model: retired fallback replaced by "${options.model}"` });
        } else if (literalModel === undefined && retiredSources(arg.value).length && readElsewhere(arg.value, retiredSources(arg.value))) {
          // Handles: MODEL = "command" also read by other code (PRICES[MODEL], a test asserting
          // engine == "command"): the constant keeps its value, this call gets the new model.
          replace(arg, kw("model", literal(options.model, q)));
          plan.notes.push({ kind: "model-defaulted", message: `model: ${value} is the retired "${stringValue(retiredSources(arg.value)[0])}", which other code reads too (kept), now "${options.model}" in this call` });
        } else if (literalModel === undefined && retiredSources(arg.value).length) {
          // `model=settings.model` with `model: str = "command"` in this file, `model=MODEL`,
          // `model=os.getenv("COHERE_MODEL", "command")`: the retired value is replaced where it is written.
          for (const f of retiredSources(arg.value)) plan.edits.push({ start: f.startIndex, end: f.endIndex, text: literal(options.model, q) });
          if (arg.positional) plan.edits.push({ start: arg.node.startIndex, end: arg.node.startIndex, text: "model=" });
          plan.notes.push({ kind: "model-defaulted", message: `model: the retired value of ${value} replaced by "${options.model}"` });
        } else if (literalModel === undefined && importedRetired(arg.value, options)?.field) {
          // Handles: settings.model with `model: str = "command"` in the Settings class of another
          // module: a default the instance may override (an environment, a config file), so the
          // call is marked and the class left to a person.
          const imported = importedRetired(arg.value, options);
          if (arg.positional) replace(arg, `model=${value}`);
          plan.markers.push({ code: "retired-model", detail: `(${value} is "${imported?.value}" unless set: the default of ${imported?.where})` });
        } else if (literalModel === undefined && importedRetired(arg.value, options)) {
          // Handles: from settings import MODEL (MODEL = "command" there): that constant keeps its
          // value (other code may read it); this call gets the new model, as in TypeScript.
          const imported = importedRetired(arg.value, options);
          replace(arg, kw("model", literal(options.model, q)));
          plan.notes.push({ kind: "model-defaulted", message: `model: ${value} is the retired "${imported?.value}" (${imported?.where}), now "${options.model}" here` });
        } else if (mayBeNone(arg.value)) {
          // `model=os.getenv("COHERE_MODEL")`, `model=model` with `model=None` upstream: Generate chose its
          // own model for None; Chat requires one.
          const model = arg.value.type === "none" ? literal(options.model, q) : `${value} or ${literal(options.model, q)}`;
          replace(arg, kw("model", model));
          plan.notes.push({ kind: "model-defaulted", message: `model: ${value} may be None; "${options.model}" when it is (Chat requires a model)` });
        } else {
          // Handles: def ask(prompt, model): a public function's callers in other modules may pass None
          // (`ask(p, os.getenv("M"))`), which Generate took as its default model and Chat rejects.
          if (literalModel === undefined && arg.value.type === "identifier" && publicParameter(arg.value)) replace(arg, kw("model", `${value} or ${literal(options.model, q)}`));
          else if (arg.positional) replace(arg, `model=${value}`);
          if (literalModel !== undefined) plan.notes.push({ kind: "model-kept", message: `model ${literalModel} kept` });
          else {
            // Handles: MODELS = ["command-xlarge-nightly", ...]; model=st.selectbox("Model", MODELS):
            // a choice among literals migrate cannot pair with this call, said rather than guessed.
            const listed = retiredLiterals(call);
            if (listed.length) plan.markers.push({ code: "retired-model", detail: `(${value} can be ${listed.map((m) => `"${m}"`).join(", ")}: this module names them)` });
            plan.notes.push({
              kind: "model-kept",
              message: listed.length
                ? `model is computed, and this module names retired models (${listed.join(", ")}): replace them with Chat models (they fail on Chat)`
                : "model is computed: make sure it names a Chat model (retired Generate models fail on Chat)",
            });
          }
        }
        break;
      }
      case "copy":
        if (arg.positional) replace(arg, `${name}=${value}`);
        break;
      case "temperature": {
        // Handles: CREATIVE = 1.4; temperature=CREATIVE, and a parameter defaulting to 2.0 (or passed it).
        if (arg.value.type === "identifier" || arg.value.type === "attribute") {
          const written = valuesWritten(arg.value);
          const over = written.find((n) => (n.type === "float" || n.type === "integer") && Number(n.text) > CHAT_MAX_TEMPERATURE);
          // Handles: temperature = st.slider("Temperature", 0.0, 5.0, 0.75): Generate's 0-5 range, which a person picks from.
          const widest = written.map(widgetMaximum).find((n) => n !== undefined && Number(n.text) > CHAT_MAX_TEMPERATURE);
          if (over) plan.markers.push({ code: "temperature-range", detail: `(${value} can be ${over.text})` });
          else if (widest) plan.markers.push({ code: "temperature-range", detail: `(${value} comes from a widget that goes up to ${widest.text}: cap it at ${CHAT_MAX_TEMPERATURE})` });
        }
        if (value === "None") {
          // Generate read None as its default, 0.75; Chat would use its own, 0.3.
          replace(arg, kw("temperature", String(GENERATE_TEMPERATURE)));
          break;
        }
        if (/^[A-Za-z_][\w.]*$/.test(value) && !/^(True|False)$/.test(value) && !onlyNumbers(arg.value)) {
          // Handles: temperature=temperature with `temperature=None` upstream: None meant Generate's 0.75.
          replace(arg, kw("temperature", `${GENERATE_TEMPERATURE} if ${value} is None else ${value}`));
          break;
        }
        const noneDefault = noneDefaultOf(arg.value);
        if (noneDefault) {
          // Handles: temperature=kwargs.pop("temperature", None): the lookup runs once (a pop must),
          // falling back to Generate's 0.75 where it fell back to None.
          plan.edits.push({ start: noneDefault.startIndex, end: noneDefault.endIndex, text: String(GENERATE_TEMPERATURE) });
          if (arg.positional) plan.edits.push({ start: arg.node.startIndex, end: arg.node.startIndex, text: "temperature=" });
          break;
        }
        if (isBareEnvironmentLookup(arg.value)) {
          // Handles: temperature=SETTINGS.get("temperature"): None when the key is missing, which Generate read as 0.75.
          replace(arg, kw("temperature", `${GENERATE_TEMPERATURE} if ${value} is None else ${value}`));
          break;
        }
        if (arg.value.type === "conditional_expression") {
          // Handles: temperature=float(t) if t else None: that None meant Generate's 0.75 too.
          const nones = named(arg.value).filter((n, i) => i !== 1 && n.type === "none");
          for (const none of nones) plan.edits.push({ start: none.startIndex, end: none.endIndex, text: String(GENERATE_TEMPERATURE) });
          if (arg.positional) plan.edits.push({ start: arg.node.startIndex, end: arg.node.startIndex, text: "temperature=" });
          if (nones.length) break;
        }
        if (arg.positional) replace(arg, `temperature=${value}`);
        const n = Number(value);
        if (/^[\d.]+$/.test(value) && n > CHAT_MAX_TEMPERATURE) plan.markers.push({ code: "temperature-range" });
        break;
      }
      case "fanout":
        removed.add(arg.node);
        // Handles: num_generations=n with n=None by default: Generate made one generation then (range(None) would raise).
        // A public function's parameter: callers in other modules may pass None.
        if (value !== "1" && value !== "None") plan.fanout = mayBeNone(arg.value) || (arg.value.type === "identifier" && publicParameter(arg.value)) ? `${/^[\w.]+$/.test(value) ? value : `(${value})`} or 1` : value;
        break;
      case "trim":
        removed.add(arg.node);
        // An empty list trims nothing: it is dropped, not carried into the reads.
        if (value !== "None" && !/^[[(]\s*[\])]$/.test(value)) plan[rule.action.which] = value;
        break;
      case "likelihoods": {
        // Handles: return_likelihoods=self.return_likelihoods with `return_likelihoods = "NONE"` in
        // the class (the only value this file writes there): read as that literal.
        // An attribute only: a parameter's default says nothing of what its callers pass.
        const written = arg.value.type === "attribute" ? valuesWritten(arg.value) : [];
        const only = written.length > 0 && written.every((n) => n.type === "string" && stringValue(n) === stringValue(written[0])) ? stringValue(written[0]) : undefined;
        const v = stringValue(arg.value) ?? only;
        if (v === "GENERATION") {
          replace(arg, kw("logprobs", "True"));
        } else {
          removed.add(arg.node);
          if (v === "ALL") plan.markers.push({ code: "return-likelihoods" });
          else if (v !== "NONE" && value !== "None") plan.markers.push({ code: "request-likelihoods" });
        }
        break;
      }
      case "drop":
        removed.add(arg.node);
        if (rule.action.marker) plan.markers.push({ code: rule.action.marker });
        if (rule.action.warning) plan.notes.push({ kind: "truncate-removed", message: rule.action.warning });
        break;
      case "stream":
        removed.add(arg.node);
        plan.stream = value === "True";
        break;
    }
  }
  if (spreads.length && spreadUnseen) plan.markers.push({ code: "spread-unchecked" });

  // Removals: an argument goes with the separator after it (or, last, the one before it), and a
  // comment among the removed bytes moves above the statement.
  const kept = items.filter((i) => !removed.has(i));
  const children = named(argList);
  const cuts: Array<[number, number]> = [];
  items.forEach((item, i) => {
    if (!removed.has(item)) return;
    let start: number;
    let end: number;
    if (i + 1 < items.length) {
      start = item.startIndex;
      end = items[i + 1].startIndex;
    } else {
      const before = [...kept].reverse().find((k) => k.startIndex < item.startIndex);
      start = before ? before.endIndex : item.startIndex;
      end = item.endIndex;
      // One argument per line: the kept one keeps its comma and its comment (`max_tokens=30,  # budget`);
      // the removed one goes from the next line, with its own comma and comment.
      const keptTail = multiline && before ? /^[ \t]*,[ \t]*#[^\r\n]*(?=\r?\n)/.exec(text.slice(before.endIndex, item.startIndex)) : null;
      if (before && keptTail) {
        start = before.endIndex + keptTail[0].length;
        end += /^[ \t]*,?[ \t]*(?:#[^\r\n]*)?/.exec(text.slice(end, argList.endIndex))?.[0].length ?? 0;
        cuts.push([start, end]);
        return;
      }
      // A comment on the removed argument's line goes with it (and is moved above the statement).
      const trailing = /^(\s*,)?[ \t]*#[^\r\n]*/.exec(text.slice(end, argList.endIndex));
      if (trailing && before) {
        const commentStart = end + (trailing[1]?.length ?? 0);
        cuts.push([commentStart, end + trailing[0].length]);
      }
      // A trailing comma after the last argument stays, as the file wrote it, only if something is kept.
      if (!before) {
        const rest = text.slice(end, argList.endIndex - 1);
        const comma = /^\s*,/.exec(rest);
        if (comma) end += comma[0].length;
      }
    }
    cuts.push([start, end]);
  });
  // Neighbouring removals overlap (the last one reaches back to the kept argument): one cut each.
  cuts.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const c of cuts) {
    const last = merged[merged.length - 1];
    if (last && c[0] <= last[1]) last[1] = Math.max(last[1], c[1]);
    else merged.push([c[0], c[1]]);
  }
  for (const [start, end] of merged) {
    for (const c of children) if (c.type === "comment" && c.startIndex >= start && c.endIndex <= end && !PRAGMA.test(c.text)) plan.comments.push(c.text);
    plan.edits.push({ start, end, text: "" });
  }

  // One `**kwargs` migrate cannot see: the defaults go into it as a dict it overrides
  // (`**{"model": ..., "temperature": 0.75, **kwargs}`), the keyword form of "before the spread": a
  // plain `model=` next to it would be a TypeError whenever kwargs holds one too.
  const splat = unseen.length === 1 && !dictLiteral ? unseen[0] : undefined;
  const splatValue = splat ? named(splat)[0] : undefined;
  if (splat && splatValue) {
    const defaults: string[] = [];
    if (!modelArg && !spreadKeys.has("model")) {
      defaults.push(`${literal("model", q)}: ${literal(options.model, q)}`);
      plan.notes.push({ kind: "model-defaulted", message: `model: none given, now "${options.model}" (a model in ${splatValue.text} still wins)` });
    }
    if (!args.some((a) => a.name === "temperature") && !spreadKeys.has("temperature")) {
      defaults.push(`${literal("temperature", q)}: ${GENERATE_TEMPERATURE}`);
      plan.notes.push({ kind: "temperature-pinned", message: `temperature: none given, pinned to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3; a temperature in ${splatValue.text} still wins)` });
    }
    if (defaults.length) plan.edits.push({ start: splat.startIndex, end: splat.endIndex, text: `**{${defaults.join(", ")}, **${splatValue.text}}` });
  }

  const temperaturePresent = args.some((a) => a.name === "temperature") || spreadKeys.has("temperature") || (spreadUnseen && !dictLiteral);
  if (dictLiteral && !temperaturePresent) {
    front.push(kw("temperature", String(GENERATE_TEMPERATURE)));
    plan.notes.push({ kind: "temperature-pinned", message: `temperature: none given, pinned to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3${spreadUnseen ? `; a temperature in ${unseenText} still wins` : ""})` });
  }
  if (front.length) {
    const first = items[0];
    if (first) plan.edits.push({ start: first.startIndex, end: first.startIndex, text: front.join(separator) + separator });
    else plan.edits.push({ start: argList.startIndex + 1, end: argList.startIndex + 1, text: front.join(", ") });
    return plan;
  }
  const additions: string[] = [];
  if (modelSource) additions.push(modelSource);
  if (!temperaturePresent) {
    additions.push(kw("temperature", String(GENERATE_TEMPERATURE)));
    plan.notes.push({ kind: "temperature-pinned", message: `temperature: none given, pinned to ${GENERATE_TEMPERATURE} (Generate's default; Chat's is 0.3)` });
  }
  if (additions.length) {
    const last = [...kept].reverse()[0];
    // One argument per line, the last kept one with a comment after it: the new ones go on lines
    // of their own below it, so the comment stays with the argument it was written for.
    const tail = last && multiline ? /^([ \t]*,)?[ \t]*#[^\r\n]*(?=\r?\n)/.exec(text.slice(last.endIndex, argList.endIndex)) : null;
    if (last && tail) {
      const indent = separator.slice(separator.indexOf("\n") + 1);
      if (!tail[1]) plan.edits.push({ start: last.endIndex, end: last.endIndex, text: "," });
      const trailingComma = tail[1] ? "," : "";
      plan.edits.push({ start: last.endIndex + tail[0].length, end: last.endIndex + tail[0].length, text: additions.map((a) => `${eol}${indent}${a}`).join(",") + trailingComma });
    } else if (last) plan.edits.push({ start: last.endIndex, end: last.endIndex, text: separator + additions.join(separator) });
    else plan.edits.push({ start: argList.startIndex + 1, end: argList.startIndex + 1, text: additions.join(", ") });
  }
  return plan;
}

/**
 * The retired model literals a `model=` value takes in this file: for a name or an attribute
 * (`MODEL`, `self.model`, `settings.model`), the string literals assigned to that name (`MODEL =
 * "command"`, a dataclass field `model: str = "command"`, `self.model = "command"`) or given as a
 * parameter's default (`def __init__(self, model="command")`); for an environment lookup, its
 * fallback (`os.getenv("MODEL", "command")`, `os.environ.get(...)`).
 */
function retiredSources(value: Node): Node[] {
  return valuesWritten(value).flatMap(fallbacks).filter((n) => n.type === "string" && RETIRED_MODELS.has(stringValue(n) ?? ""));
}

/**
 * Whether a module constant (`MODEL = "command"` at the top level, assigned nowhere else, not a
 * parameter's default or an environment fallback, which the call site decides) is read by code
 * other than Generate calls' `model=`: its value is then not only the model (`PRICES[MODEL]`, a log
 * line), so it keeps it. Attributes and names that may hold other values (a dataclass field, a
 * setting, a reassigned name) are replaced where they are written, as before.
 */
function readElsewhere(value: Node, sources: readonly Node[]): boolean {
  if (value.type !== "identifier" || sources.length !== 1) return false;
  const key = value.text;
  const source = sources[0];
  const assignment = source.parent;
  if (assignment?.type !== "assignment" || !same(field(assignment, "right"), source) || assignment.parent?.type !== "expression_statement" || assignment.parent.parent?.type !== "module") return false;
  let root = value;
  while (root.parent) root = root.parent;
  let writes = 0;
  let found = false;
  walk(root, (n) => {
    if (n.type !== "identifier" || n.text !== key) return true;
    const parent = n.parent;
    // `obj.MODEL`: another object's attribute, not this name.
    if (parent?.type === "attribute" && same(field(parent, "attribute"), n)) return false;
    if (parent && (parent.type === "assignment" || parent.type === "augmented_assignment" || parent.type === "global_statement" || parent.type === "for_statement") && (same(field(parent, "left"), n) || parent.type === "global_statement")) {
      writes++;
      return false;
    }
    // A keyword's name, a parameter of that name, a definition's name.
    if (parent?.type === "keyword_argument" && same(field(parent, "name"), n)) return false;
    if (parent && ["parameters", "default_parameter", "typed_parameter", "typed_default_parameter", "function_definition", "class_definition"].includes(parent.type)) return false;
    // `model=MODEL` of a Generate or Chat call: the call this rewrite serves.
    if (parent?.type === "keyword_argument" && field(parent, "name")?.text === "model" && isModelCall(parent.parent?.parent)) return false;
    found = true;
    return false;
  });
  return found && writes === 1;
}

/** A call of generate / generate_stream / batch_generate / chat / chat_stream on something. */
function isModelCall(call: Node | null | undefined): boolean {
  const fn = call?.type === "call" ? field(call, "function") : undefined;
  return fn?.type === "attribute" && /^(?:generate|generate_stream|batch_generate|chat|chat_stream)$/.test(field(fn, "attribute")?.text ?? "");
}

function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** The retired model names written as string literals anywhere in the call's module, in order, once each. */
function retiredLiterals(call: Node): string[] {
  let root = call;
  while (root.parent) root = root.parent;
  const found = new Set<string>();
  let replaced: Set<number> | undefined;
  walk(root, (n) => {
    if (n.type === "string") {
      const value = stringValue(n);
      if (value !== undefined && namesRetiredModel(value) && !(replaced ??= replacedLiterals(root)).has(n.startIndex)) found.add(value);
      return false;
    }
    return true;
  });
  return [...found];
}

/**
 * The retired literals the module's Generate calls read through their `model=` (a constant, a
 * field, a default, an environment fallback): migrate replaces those where they are written, so
 * they say nothing of a computed model.
 */
function replacedLiterals(root: Node): Set<number> {
  const out = new Set<number>();
  walk(root, (n) => {
    if (n.type !== "call") return true;
    const method = field(field(n, "function") ?? n, "attribute")?.text;
    if (method !== "generate" && method !== "generate_stream") return true;
    for (const arg of named(field(n, "arguments") ?? n)) {
      const value = arg.type === "keyword_argument" && field(arg, "name")?.text === "model" ? field(arg, "value") : undefined;
      if (value) for (const s of value.type === "string" ? [value] : retiredSources(value)) out.add(s.startIndex);
    }
    return true;
  });
  return out;
}

/**
 * A checker's pragma (`# type: ignore[...]`, `# pyright: ignore[...]`, `# noqa: E501`, `# pylint:
 * disable=...`): it applied to the removed argument's line, and above the statement it would
 * silence something else, so it goes with the argument.
 */
const PRAGMA = /^#\s*(?:type:\s*ignore|pyright:\s*ignore|noqa\b|pylint:\s*disable|mypy:|ruff:\s*noqa)/;

/** num_generations' source when it asks for more than one generation. */
function fanoutOf(args: readonly Arg[]): string | undefined {
  const value = args.find((a) => a.name === "num_generations")?.value.text;
  return value === undefined || value === "1" || value === "None" ? undefined : value;
}

/** Whether evaluating the expression calls something (or awaits): running it n times is not running it once. */
function callsSomething(node: Node): boolean {
  if (node.type === "call" || node.type === "await" || node.type === "yield") return true;
  // A lambda's body runs only when called.
  if (node.type === "lambda") return false;
  return named(node).some(callsSomething);
}

function containsType(node: Node, type: string): boolean {
  return node.type === type || named(node).some((c) => containsType(c, type));
}

/** `_base`, `_base2`, ...: the first name the text does not use. */
export function freshName(base: string, text: string): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? `_${base}` : `_${base}${i + 1}`;
    if (!new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(text)) return name;
  }
}

/**
 * A lookup without a default, None when the key is missing: `os.getenv("M")`, `os.environ.get("M")`,
 * and a mapping's `config.get("model")`.
 */
function isBareEnvironmentLookup(n: Node): boolean {
  if (n.type !== "call" || !/(^|\.)(getenv|get)$/.test(field(n, "function")?.text ?? "")) return false;
  const args = named(field(n, "arguments") ?? n).filter((a) => a.type !== "comment");
  return args.length === 1 && args[0].type !== "keyword_argument" && args[0].type !== "list_splat" && args[0].type !== "dictionary_splat";
}

/**
 * The `None` a lookup falls back to when the key is missing, as written: `kwargs.pop("t", None)`,
 * `options.get("t", None)`, `getattr(o, "t", None)` (a wrapper's usual way to take an option).
 */
function noneDefaultOf(n: Node): Node | undefined {
  if (n.type !== "call" || !/(^|\.)(pop|get)$|^getattr$/.test(field(n, "function")?.text ?? "")) return undefined;
  const args = named(field(n, "arguments") ?? n).filter((a) => a.type !== "comment");
  const last = args[args.length - 1];
  const wanted = field(n, "function")?.text === "getattr" ? 3 : 2;
  return args.length === wanted && last?.type === "none" ? last : undefined;
}

/** Whether a value may be None: `None`, a bare environment lookup, a conditional with such a branch, or a name this file sets to one of those. */
function mayBeNone(value: Node): boolean {
  if (value.type === "none" || isBareEnvironmentLookup(value) || noneDefaultOf(value)) return true;
  if (value.type === "conditional_expression") return named(value).some((n, i) => i !== 1 && mayBeNone(n));
  if (value.type !== "identifier" && value.type !== "attribute") return false;
  return valuesWritten(value).some((n) => n.type === "none" || isBareEnvironmentLookup(n));
}

/** The literals a written value may end as: itself, an `or` fallback, a conditional's branches, a getenv default. */
function fallbacks(n: Node): Node[] {
  if (n.type === "string") return [n];
  if (n.type === "boolean_operator" && field(n, "operator")?.text === "or") {
    const right = field(n, "right");
    return right ? fallbacks(right) : [];
  }
  if (n.type === "conditional_expression") {
    const parts = named(n);
    return [parts[0], parts[2]].filter((x): x is Node => x !== undefined).flatMap(fallbacks);
  }
  if (n.type === "call" || n.type === "parenthesized_expression") return n.type === "call" ? valuesWritten(n) : named(n).flatMap(fallbacks);
  return [];
}

/**
 * Whether every value this file writes to the name (or attribute) is a number: `TEMPERATURE = 0.5`,
 * a dataclass field `temperature: float = 0.5`. Then it is never None and needs no guard.
 */
function onlyNumbers(value: Node): boolean {
  // A parameter of a public module-level function: callers in other modules may pass anything
  // (`ask(p, temperature=cfg.get("temperature"))`, None when the key is missing).
  if (value.type === "identifier" && publicParameter(value)) return false;
  const written = valuesWritten(value);
  return written.length > 0 && written.every((n) => n.type === "float" || n.type === "integer");
}

/** Whether a name is a parameter of the module-level function, not `_private`, it is read in. */
function publicParameter(name: Node): boolean {
  let fn: Node | null = name.parent;
  while (fn && fn.type !== "function_definition") fn = fn.parent;
  if (!fn) return false;
  const holder = fn.parent?.type === "decorated_definition" ? fn.parent.parent : fn.parent;
  const fnName = field(fn, "name")?.text ?? "_";
  if (holder?.type !== "module" || fnName.startsWith("_")) return false;
  return named(field(fn, "parameters") ?? fn).some((p) => parameterName(p) === name.text);
}

/**
 * The literal-or-not values this file writes to a name or attribute: the right side of its
 * assignments (`X = ...`, `x: T = ...`, `self.x = ...`) and its parameter defaults; for an
 * environment lookup (`os.getenv("X", "command")`), its arguments.
 */
/**
 * Handles: @click.option("--model", default="command") def main(model): the default of the option
 * that fills the parameter `name` is read in (click names it from its longest flag, `--max-tokens`
 * → max_tokens, or from a bare name among the declarations).
 */
function clickDefaults(name: Node): Node[] {
  let fn: Node | null = name.parent;
  while (fn && fn.type !== "function_definition") fn = fn.parent;
  const decorated = fn?.parent?.type === "decorated_definition" ? fn.parent : undefined;
  if (!decorated) return [];
  const out: Node[] = [];
  for (const decorator of named(decorated).filter((d) => d.type === "decorator")) {
    const call = named(decorator)[0];
    if (call?.type !== "call" || !/(^|\.)(option|argument)$/.test(field(call, "function")?.text ?? "")) continue;
    const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
    const decls = args.filter((a) => a.type === "string").map((a) => stringValue(a) ?? "");
    const bare = decls.find((d) => /^[A-Za-z_]\w*$/.test(d));
    const longest = decls.filter((d) => d.startsWith("-")).sort((a, b) => b.length - a.length)[0];
    const dest = bare ?? longest?.replace(/^-+/, "").replace(/-/g, "_");
    if (dest !== name.text) continue;
    const given = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === "default");
    const value = given ? field(given, "value") : undefined;
    if (value) out.push(value);
  }
  return out;
}

/** The `default=` of each argparse option whose destination is `dest` (`--model`, `-m/--model`, `dest="model"`). */
function argparseDefaults(root: Node, dest: string, option = "default"): Node[] {
  const out: Node[] = [];
  walk(root, (n) => {
    if (n.type !== "call" || !/\.add_argument$/.test(field(n, "function")?.text ?? "")) return true;
    const args = named(field(n, "arguments") ?? n).filter((a) => a.type !== "comment");
    const keyword = (name: string): Node | undefined => {
      const arg = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name);
      return arg ? (field(arg, "value") ?? undefined) : undefined;
    };
    const explicit = stringValue(keyword("dest"));
    const options = args.filter((a) => a.type === "string").map((a) => stringValue(a) ?? "");
    const long = options.find((o) => o.startsWith("--")) ?? options.find((o) => !o.startsWith("-"));
    const name = explicit ?? long?.replace(/^-+/, "").replace(/-/g, "_");
    const given = keyword(option);
    if (name === dest && given) out.push(given);
    return true;
  });
  return out;
}

/**
 * Handles: parser.add_argument("--model", default="command", choices=["command", "command-light"]):
 * the retired models the option's `choices` list (its default is replaced; the choices would still
 * refuse the new model and let a person pick a retired one).
 */
function retiredChoices(value: Node): string[] {
  if (value.type !== "attribute") return [];
  const key = field(value, "attribute")?.text;
  let root = value;
  while (root.parent) root = root.parent;
  if (!key) return [];
  return argparseDefaults(root, key, "choices").flatMap((list) => (list.type === "list" || list.type === "tuple" ? named(list) : [])).map((n) => stringValue(n) ?? "").filter((m) => RETIRED_MODELS.has(m));
}

/** The environment variable a model value reads: os.getenv("X"), os.environ.get("X"), os.environ["X"], or a name assigned one. */
function environmentName(value: Node): string | undefined {
  const direct = (n: Node): string | undefined => {
    if (n.type === "call" && /^((os\.)?getenv|os\.environ\.get)$/.test(field(n, "function")?.text ?? "")) return stringValue(named(field(n, "arguments") ?? n).find((a) => a.type !== "comment"));
    if (n.type === "subscript" && field(n, "value")?.text === "os.environ") return stringValue(field(n, "subscript") ?? undefined);
    if (n.type === "boolean_operator") {
      const left = field(n, "left");
      return left ? direct(left) : undefined;
    }
    return undefined;
  };
  const own = direct(value);
  if (own !== undefined || (value.type !== "identifier" && value.type !== "attribute")) return own;
  for (const written of valuesWritten(value)) {
    const name = direct(written);
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * The literal maximum of a Streamlit input a value is read from: `st.slider(label, min, max, ...)`,
 * `st.sidebar.number_input(..., max_value=5.0)`.
 */
function widgetMaximum(call: Node): Node | undefined {
  if (call.type !== "call" || !/(^|\.)(slider|number_input|select_slider)$/.test(field(call, "function")?.text ?? "")) return undefined;
  const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
  const keyword = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === "max_value");
  const positional = args.filter((a) => a.type !== "keyword_argument");
  const max = keyword ? field(keyword, "value") : positional[2];
  return max && (max.type === "float" || max.type === "integer") ? max : undefined;
}

function valuesWritten(value: Node): Node[] {
  if (value.type === "call") {
    const fn = field(value, "function")?.text ?? "";
    const args = named(field(value, "arguments") ?? value).filter((a) => a.type !== "comment");
    if (/(^|\.)(getenv|environ\.get)$/.test(fn)) return args;
    // Handles: config.get("model", "command"), kwargs.pop("model", "command"), request.json.get(...):
    // the default is what the call gives when the key is missing.
    if (/\.(get|pop)$/.test(fn) && args.length === 2 && args.every((a) => a.type !== "keyword_argument" && a.type !== "list_splat" && a.type !== "dictionary_splat")) {
      // Handles: config = {"model": "command"}; config.get("model", "command"): the entry too.
      const object = field(field(value, "function") ?? value, "object");
      const key = stringValue(args[0]);
      const entry = object && key !== undefined ? dictEntriesOf(object)?.get(key) : undefined;
      return entry ? [args[1], entry] : [args[1]];
    }
    // Handles: model: str = Field(default="command") (pydantic), Field("command", description=...).
    if (/(^|\.)Field$/.test(fn)) {
      const byKeyword = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === "default");
      const first = args[0] && args[0].type !== "keyword_argument" ? args[0] : undefined;
      const given = byKeyword ? field(byKeyword, "value") : first;
      return given ? [given] : [];
    }
    return [];
  }
  const key = value.type === "identifier" ? value.text : value.type === "attribute" ? field(value, "attribute")?.text : undefined;
  if (!key) return [];
  // `x.model` is written as a field (`model = ...` in a class body), on `self`, or on the same
  // object (`settings.model = ...`); another object's `.model` (`local.model = ...`) is its own.
  const objectText = value.type === "attribute" ? field(value, "object")?.text : undefined;
  const names = (n: Node | undefined): boolean =>
    n !== undefined &&
    ((n.type === "identifier" && n.text === key) ||
      (n.type === "attribute" && field(n, "attribute")?.text === key && (value.type !== "attribute" || ["self", "cls", objectText].includes(field(n, "object")?.text))));
  const found: Node[] = [];
  const visit = (n: Node): void => {
    const right = n.type === "assignment" && names(field(n, "left")) ? field(n, "right") : undefined;
    if (right) found.push(right);
    const byDefault = (n.type === "default_parameter" || n.type === "typed_default_parameter") && names(field(n, "name")) ? field(n, "value") : undefined;
    if (byDefault) found.push(byDefault);
    for (const child of named(n)) visit(child);
  };
  let root = value;
  while (root.parent) root = root.parent;
  // `self.model`: what the class of the method writes to it (its methods, its body), not any
  // other class's `self.model` (a speech model's "base" is no Cohere model).
  let owner: Node | null = null;
  if (value.type === "attribute" && ["self", "cls"].includes(field(value, "object")?.text ?? "")) {
    owner = value.parent;
    while (owner && owner.type !== "class_definition") owner = owner.parent;
  }
  // A name read in a function that binds it itself (a parameter, an assignment there): that
  // function's values, not a class field or another function's local of the same name.
  const scope = value.type === "identifier" ? localScopeOf(value, key) : undefined;
  // `settings.model` with settings a `Settings(...)` or a parameter typed `Settings`: that class's
  // body when this module defines it; nothing here when it is imported (imported.ts reads it there).
  const cls = value.type === "attribute" && !owner ? objectClass(value) : undefined;
  if (scope) visit(scope);
  else if (value.type === "identifier") visitModuleLevel(root, key, visit);
  else if (cls) {
    const body = named(root).map((n) => (n.type === "decorated_definition" ? field(n, "definition") : n)).find((n) => n?.type === "class_definition" && field(n, "name")?.text === cls);
    if (body) visit(body);
    // And what this module assigns to that object's attribute (`settings.model = "command-nightly"`).
    const object = field(value, "object")?.text;
    walk(root, (n) => {
      const left = n.type === "assignment" ? field(n, "left") : undefined;
      const right = n.type === "assignment" ? field(n, "right") : undefined;
      if (left?.type === "attribute" && field(left, "attribute")?.text === key && field(left, "object")?.text === object && right) found.push(right);
      return true;
    });
  } else visit(owner ?? root);
  if (value.type === "identifier") found.push(...passedValues(value, root), ...clickDefaults(value));
  // Handles: args.model with parser.add_argument("--model", default="command"): the option's default.
  if (value.type === "attribute" && !owner) found.push(...argparseDefaults(root, key));
  // Handles: self.model = model in __init__(self, model="command-light"), LLM(co, model="command-nightly"):
  // what the callers pass for the parameter a field was set from.
  else for (const right of [...found]) if (right.type === "identifier") found.push(...passedValues(right, root));
  // Handles: s = Settings(model=os.getenv("APP_MODEL", "command")); s.model, with Settings a class
  // of this module (a dataclass, a settings model): what its constructor calls pass for the field.
  if (value.type === "attribute" && !owner) {
    const classes = new Set(named(root).map((n) => (n.type === "decorated_definition" ? field(n, "definition") : n)).filter((n): n is Node => n?.type === "class_definition").map((n) => field(n, "name")?.text));
    walk(root, (n) => {
      if (n.type !== "keyword_argument" || field(n, "name")?.text !== key) return true;
      const call = n.parent?.parent;
      const passed = field(n, "value");
      if (passed && call?.type === "call" && classes.has(field(call, "function")?.text)) found.push(passed);
      return true;
    });
  }
  return found;
}

/**
 * The class the object of `obj.attr` is an instance of, where the code says so: a parameter typed
 * with it (`settings: Settings`), or a name assigned from its constructor (`s = Settings(...)`) in
 * the function or at the module's top. Undefined when it cannot be told.
 */
export function objectClass(value: Node): string | undefined {
  const object = field(value, "object");
  if (object?.type !== "identifier") return undefined;
  const name = object.text;
  let fn: Node | null = value.parent;
  while (fn && fn.type !== "function_definition") fn = fn.parent;
  const params = fn ? field(fn, "parameters") : undefined;
  for (const p of params ? named(params) : []) {
    if ((p.type === "typed_parameter" || p.type === "typed_default_parameter") && parameterName(p) === name) {
      const type = field(p, "type");
      const id = type && (type.type === "identifier" ? type : named(type).find((c) => c.type === "identifier"));
      return id && /^[A-Z]/.test(id.text) ? id.text : undefined;
    }
  }
  let root = value;
  while (root.parent) root = root.parent;
  let cls: string | undefined;
  let conflict = false;
  const look = (scopeNode: Node): void =>
    walk(scopeNode, (n) => {
      if (n.type === "function_definition" || n.type === "class_definition") return n === scopeNode;
      if (n.type === "assignment" && field(n, "left")?.type === "identifier" && field(n, "left")?.text === name) {
        const right = field(n, "right");
        const callee = right?.type === "call" ? field(right, "function") : undefined;
        const found = callee?.type === "identifier" && /^[A-Z]/.test(callee.text) ? callee.text : undefined;
        if (!found || (cls !== undefined && cls !== found)) conflict = true;
        cls = found;
      }
      return true;
    });
  if (fn) look(fn);
  if (cls === undefined && !conflict) look(root);
  return conflict ? undefined : cls;
}

/** The function `name` is read in, when that function binds the name itself (parameter or assignment). */
function localScopeOf(name: Node, key: string): Node | undefined {
  let fn: Node | null = name.parent;
  while (fn && fn.type !== "function_definition") fn = fn.parent;
  if (!fn) return undefined;
  const params = field(fn, "parameters");
  if (params && named(params).some((p) => parameterName(p) === key)) return fn;
  if (declaresGlobal(fn, key)) return undefined;
  let binds = false;
  walk(field(fn, "body") ?? fn, (n) => {
    if (binds || n.type === "function_definition" || n.type === "class_definition") return false;
    if ((n.type === "assignment" || n.type === "augmented_assignment" || n.type === "for_statement") && bindsName(field(n, "left"), key)) binds = true;
    return true;
  });
  return binds ? fn : undefined;
}

/** Whether a function declares `global key` (or `nonlocal key`) in its own body. */
function declaresGlobal(fn: Node, key: string): boolean {
  let found = false;
  walk(field(fn, "body") ?? fn, (n) => {
    if (found || n.type === "function_definition" || n.type === "class_definition") return false;
    if ((n.type === "global_statement" || n.type === "nonlocal_statement") && named(n).some((c) => c.text === key)) found = true;
    return true;
  });
  return found;
}

function bindsName(left: Node | undefined | null, key: string): boolean {
  if (!left) return false;
  if (left.type === "identifier") return left.text === key;
  if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") return named(left).some((c) => bindsName(c, key));
  return false;
}

/** The module's own statements, not the bodies of its classes and functions (their names are their own). */
function visitModuleLevel(root: Node, key: string, visit: (n: Node) => void): void {
  const outer = (n: Node): void => {
    // Handles: def init(): global MODEL; MODEL = os.getenv("MODEL", "command")
    if (n.type === "function_definition" && declaresGlobal(n, key)) return visit(n);
    if (n.type === "class_definition" || n.type === "function_definition") return;
    if (n.type === "assignment" || n.type === "default_parameter" || n.type === "typed_default_parameter") return visit(n);
    for (const child of named(n)) outer(child);
  };
  outer(root);
}

/** A parameter's name in a function's parameter list (`x`, `x: T`, `x=1`, `x: T = 1`). */
function parameterName(p: Node): string | undefined {
  if (p.type === "identifier") return p.text;
  return (field(p, "name") ?? named(p).find((c) => c.type === "identifier"))?.text;
}

/**
 * Handles: def ask(model, prompt): return co.generate(model=model, ...) called as ask("command", ...).
 * When `name` is a parameter of the function it is read in, the arguments this file's calls of that
 * function pass for it (by position, `self` skipped for a method called on an object, or by keyword).
 */
function passedValues(name: Node, root: Node): Node[] {
  let fn: Node | null = name.parent;
  while (fn && fn.type !== "function_definition" && fn.type !== "lambda") fn = fn.parent;
  if (!fn || fn.type !== "function_definition") return [];
  const fnName = field(fn, "name")?.text;
  const params = named(field(fn, "parameters") ?? fn).filter((p) => p.type !== "comment");
  const index = params.findIndex((p) => parameterName(p) === name.text);
  if (!fnName || index === -1 || params.slice(0, index + 1).some((p) => p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern")) return [];
  const method = ["self", "cls"].includes(parameterName(params[0]) ?? "");
  // A constructor is called by its class's name (`LLM(co, model=...)`, `models.LLM(...)`).
  let cls: Node | null = fnName === "__init__" ? fn.parent : null;
  while (cls && cls.type !== "class_definition") cls = cls.type === "function_definition" ? null : cls.parent;
  const className = cls ? field(cls, "name")?.text : undefined;
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === "call") {
      const callee = field(n, "function");
      const named_ = className
        ? (callee?.type === "identifier" && callee.text === className) || (callee?.type === "attribute" && field(callee, "attribute")?.text === className)
        : method
          ? callee?.type === "attribute" && field(callee, "attribute")?.text === fnName
          : callee?.type === "identifier" && callee.text === fnName;
      if (named_) {
        const args = named(field(n, "arguments") ?? n).filter((a) => a.type !== "comment");
        const keyword = args.find((a) => a.type === "keyword_argument" && field(a, "name")?.text === name.text);
        const position = method ? index - 1 : index;
        const positional = args.filter((a) => a.type !== "keyword_argument" && a.type !== "dictionary_splat" && a.type !== "list_splat");
        const passed = keyword ? field(keyword, "value") : args.some((a) => a.type === "list_splat") ? undefined : positional[position];
        if (passed) out.push(passed);
      }
    }
    for (const child of named(n)) visit(child);
  };
  visit(root);
  return out;
}

/** The quote a string literal is written with (for a replacement written in its place). */
function quoteOf(n: Node): '"' | "'" | undefined {
  const last = n.text[n.text.length - 1];
  return last === "'" ? "'" : last === '"' ? '"' : undefined;
}

/** The retired model a name imported from another module holds there, if it does. */
function importedRetired(value: Node, options: RequestOptions): { value: string; where: string; field?: boolean } | undefined {
  if (value.type !== "identifier" && value.type !== "attribute") return undefined;
  const found = options.importedString?.(value);
  return found && RETIRED_MODELS.has(found.value) ? found : undefined;
}
