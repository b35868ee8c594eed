/**
 * The Python rewrite: each certain Cohere Generate site becomes a Chat v2 call on the client the
 * code already has (`co.v2.chat` on a `Client`, `co.chat` on a `ClientV2`; `chat_stream` for
 * streams), with its request rewritten by the table (request.ts) and the uses of its response
 * followed through assignment, tuple unpacking, loops, comprehensions and `await` (SPEC.md
 * "Response", in Python's spelling). What cannot be followed gets a `# cohere-migrate:` marker.
 *
 * The output is the original text with byte-range edits; it is parsed again before it is returned,
 * and an edit that would not parse is a failure of the file, never a broken file on disk.
 */
import { DEFAULT_MODEL } from "../transform/standalone";
import type { ImportedModelParam, ModelParam } from "../engine/cross-module";
import { RETIRED_MODELS } from "../../transforms/generate-to-chat/request-table";
import { USAGE_FIELDS } from "../../transforms/generate-to-chat/response-tables";
import { hasPythonIgnoreFile, pythonIgnoredLines } from "./detect";
import { LineMap, MARKER_PREFIX, type MarkerCode } from "../markers";
import type { CallSite, MarkerRecord, Note, Span } from "../types";
import { applyEdits, keptEdits, literal, MarkerLines, quoteAt, quoteOf, same, statementOf, type Edit } from "./edits";
import { helperNameIn, helperSource, HELPER_MODULE, HELPER_NAMES, importsFromHelperModule, type HelperKind } from "./helpers";
import { freshName, rewriteRequest, type RequestOptions, type RequestPlan } from "./request";
import { codeChildren, field, named, nameOf, requestEntries, scopeNodeOf, stringValue, syntaxError, walk, withTree, type Node } from "./syntax";

/**
 * The first cohere release the output runs on: `Client.v2` and `ClientV2` exist from 5.8.0, the
 * `UserChatMessageV2` class the messages are built with from 5.10.0 (checked on the wheels).
 */
export const PYTHON_CHAT_MINIMUM = "5.10.0";

/**
 * cohere 5 dropped the client's `max_retries` (4.x had it); 7.0.5 took it back. A module that
 * builds its client with it needs 7.0.5: on 5.x the constructor raises TypeError.
 */
const MAX_RETRIES_MINIMUM = "7.0.5";
const CLIENT_WITH_MAX_RETRIES = /\b(?:Async)?Client(?:V2)?\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*?\bmax_retries\s*=/;

export interface PythonTransformOptions {
  model?: string;
  modelFromFlag?: boolean;
  /** Line terminator for inserted lines (the file's own). */
  eol?: string;
  /** Where a notebook's code cells end in the text: an insertion never crosses one. */
  cellEnds?: readonly number[];
  /** The span in the file of an offset in the text (a notebook's cells point into its JSON). */
  spanAt?: (offset: number) => Span;
  /**
   * The package's helper module, imported with this many dots (`from ..` + HELPER_MODULE), instead
   * of helper definitions in the file; see helpers.ts for when a file has one.
   */
  helperModule?: { dots: string };
  /** RequestOptions.importedString: what a name imported from another module is bound to there. */
  importedString?: RequestOptions["importedString"];
  /** RequestOptions.envValue: what the repository's dotenv files set a variable to. */
  envValue?: RequestOptions["envValue"];
  /**
   * Functions of other modules that now return a Chat v2 response (their `returns`), as this module
   * names them: their calls here are followed as the value, as calls in their own module are.
   */
  importedReturns?: readonly ImportedReturn[];
  /**
   * This module's functions whose callers in other modules were all followed there (by
   * `importedReturns`), with those modules: they get a note, not the "update its callers" marker.
   */
  followedElsewhere?: ReadonlyMap<string, readonly string[]>;
  /** Functions of other modules that send a parameter as Chat's model, as this module calls them. */
  importedModelParams?: readonly ImportedModelParam[];
}

/** What a value returned to another module is: read there as it would be read here. Opaque outside this file. */
export type ReturnedKind = { readonly is: string };

/** A public module-level function that returns a Chat v2 response, for callers in other modules. */
export interface PythonReturn {
  name: string;
  kind: ReturnedKind;
  isAsync: boolean;
}

/** A function of another module that returns a Chat v2 response, as this module reaches it. */
export interface ImportedReturn {
  /** The callee as written here: `ask` (`from app.llm import ask`) or `llm.ask` (`from app import llm`). */
  callee: string;
  kind: ReturnedKind;
  isAsync: boolean;
  /** Names the function in the result's `importedFollowed`. */
  key: string;
}

export interface PythonTransformResult {
  output: string;
  edits: Edit[];
  migrated: number;
  markers: MarkerRecord[];
  notes: Note[];
  /** The cohere version the output needs, when it calls Chat v2. */
  needs?: string;
  /** Helpers the output calls (from its own definitions or the package's helper module). */
  helpers: HelperKind[];
  /** This module's public functions that now return a Chat v2 response and may be called from other modules. */
  returns: PythonReturn[];
  /** Per ImportedReturn key: the calls followed here, and whether every reference was such a call. */
  importedFollowed: Map<string, { calls: number; all: boolean }>;
  /** This module's public functions whose migrated call sends a parameter as the model. */
  modelParams: ModelParam[];
}

export class PythonTransformError extends Error {
  override readonly name = "PythonTransformError";
}

/** Generate stream event types and their Chat v2 counterparts. */
const EVENT_TYPES: ReadonlyMap<string, string> = new Map([
  ["text-generation", "content-delta"],
  ["stream-end", "message-end"],
  ["stream-start", "message-start"],
]);

type Kind =
  | { is: "response"; plan: RequestPlan }
  | { is: "fanout"; plan: RequestPlan }
  | { is: "generation"; plan: RequestPlan; fanout: boolean }
  | { is: "list"; plan: RequestPlan; fanout: boolean }
  | { is: "stream"; plan: RequestPlan; legacy4: boolean }
  | { is: "event"; plan: RequestPlan };

interface Step {
  node: Node;
  attr?: string;
  index?: Node;
}

export function transformPython(text: string, sites: readonly CallSite[], options: PythonTransformOptions = {}): PythonTransformResult {
  const eol = options.eol ?? (text.includes("\r\n") ? "\r\n" : "\n");
  return withTree(text, (tree) => {
    const run = new PythonRewrite(tree.rootNode, text, eol, options);
    const inText = new LineMap(text);
    const spanAt = options.spanAt ?? ((offset: number) => inText.span(offset, offset));
    for (const site of sites) if (site.certainty === "certain") run.site(site);
    for (const imported of options.importedReturns ?? []) run.followImported(imported);
    for (const imported of options.importedModelParams ?? []) run.retiredModelsPassed(imported);
    run.markRemoved4xApi();
    const edits = run.finish();
    const returns = run.exportedReturns();
    const modelParams = [...run.modelParams.values()];
    if (!edits.length) return { output: text, edits, migrated: 0, markers: [], notes: [], helpers: [], returns, importedFollowed: run.importedFollowed, modelParams };
    const output = applyEdits(text, edits);
    const broken = withTree(output, (t) => syntaxError(t, output));
    if (broken) throw new PythonTransformError(`the rewrite would not parse (${broken.message} at ${broken.line}:${broken.column}); the file was left as it was`);
    const lines = new LineMap(output);
    const markers: MarkerRecord[] = [];
    for (const code of run.markerCodes) {
      const at = output.indexOf(`# ${MARKER_PREFIX} ${code} `);
      if (at !== -1) markers.push({ code, message: "", span: lines.span(at, output.indexOf("\n", at) === -1 ? output.length : output.indexOf("\n", at)) });
    }
    return { output, edits, migrated: run.migrated, markers, notes: run.notes.map(({ at, ...n }) => ({ ...n, span: spanAt(at) })), needs: run.migrated ? (CLIENT_WITH_MAX_RETRIES.test(output) ? MAX_RETRIES_MINIMUM : PYTHON_CHAT_MINIMUM) : undefined, helpers: run.helpers(), returns, importedFollowed: run.importedFollowed, modelParams };
  });
}

/**
 * Client methods that cohere 4.x took positionally and cohere 5 takes by keyword only (checked on
 * 4.57 and 5.21.1); `wait` and the like still take positional arguments, and are not here.
 */
/**
 * Client methods cohere 5 keeps only as stubs that raise (`deprecated_function`), or moved to a
 * sub-client (`moved_function`, said with where), read off cohere/client.py; and the async client's
 * 4.x `close()`, which 5 has not (it closes as `async with`).
 */
const REMOVED_METHODS_5X: ReadonlyMap<string, string | undefined> = new Map<string, string | undefined>([
  ...["check_api_key", "loglikelihood", "batch_generate", "codebook", "batch_tokenize", "batch_detokenize", "detect_language", "generate_feedback", "generate_preference_feedback", "create_cluster_job", "get_cluster_job", "list_cluster_jobs", "wait_for_cluster_job", "create_custom_model", "wait_for_custom_model", "get_custom_model", "get_custom_model_by_name", "get_custom_model_metrics", "list_custom_models"].map((m) => [m, undefined] as [string, undefined]),
  ["create_dataset", "datasets.create"],
  ["get_dataset", "datasets.get"],
  ["list_datasets", "datasets.list"],
  ["delete_dataset", "datasets.delete"],
  ["get_dataset_usage", "datasets.get_usage"],
  ["create_embed_job", "embed_jobs.create"],
  ["list_embed_jobs", "embed_jobs.list"],
  ["get_embed_job", "embed_jobs.get"],
  ["cancel_embed_job", "embed_jobs.cancel"],
]);

const KEYWORD_ONLY_5X: ReadonlySet<string> = new Set(["tokenize", "detokenize", "embed", "classify", "summarize", "rerank", "chat", "detect_language", "generate_feedback", "batch_generate", "batch_tokenize", "batch_detokenize"]);

/** A receiver as written, in the class it is written in (`self.client` of one class is not another's). */
function receiverKey(at: Node, receiver: string): string {
  let cls: Node | null = at.parent;
  while (cls && cls.type !== "class_definition") cls = cls.parent;
  return `${cls ? `${field(cls, "name")?.text ?? ""}.` : ""}${receiver}`;
}

/** cohere 4.x names that cohere 5 no longer has (checked on 4.57 and 7.3.1). */
const ERRORS_HINT = "catch cohere.core.ApiError, or the errors of cohere.errors";
/**
 * Names cohere 4.x's package exported that cohere 5 does not, with what replaces them. The
 * modules are matched with their submodules (`cohere.responses.generation`).
 */
const REMOVED_4X_NAMES: ReadonlyMap<string, string> = new Map([
  ["CohereError", ERRORS_HINT],
  ["CohereAPIError", ERRORS_HINT],
  ["CohereConnectionError", ERRORS_HINT],
  ["ChatRequestToolResultsItem", "use cohere.ToolResult"],
  ["COHERE_API_URL", "the client's base_url defaults to https://api.cohere.com"],
  ["API_VERSION", "the client sends its own version"],
  ["SDK_VERSION", "read importlib.metadata.version(\"cohere\")"],
  ["COHERE_EMBED_BATCH_SIZE", "the embed batch size is the caller's"],
  ["RETRY_STATUS_CODES", "retries are the client's (max_retries in request_options)"],
]);
const REMOVED_4X_MODULES: ReadonlyMap<string, string> = new Map([
  ["error", ERRORS_HINT],
  ["responses", "the response classes are in cohere.types; a Chat v2 response is a cohere.V2ChatResponse"],
  ["client_async", "AsyncClient is cohere.AsyncClient"],
  ["custom_model_dataset", "datasets are created with client.datasets.create"],
  ["logging", "cohere 5 logs through the standard logging module"],
  ["classify", "classification examples are cohere.ClassifyExample(text=..., label=...)"],
]);

/** The removed 4.x module a dotted `cohere.x.y` path is in, or undefined. */
function removed4xModule(dotted: string): string | undefined {
  const [head, sub] = dotted.split(".");
  return head === "cohere" && sub !== undefined && REMOVED_4X_MODULES.has(sub) ? sub : undefined;
}

/** The marker text for a removed 4.x name or module of cohere. */
function removed4xText(what: string, name: string): string {
  const hint = REMOVED_4X_NAMES.get(name) ?? REMOVED_4X_MODULES.get(name) ?? "";
  return `(${what} is gone: ${hint})`;
}
/** Keywords of cohere 4.x's Client that cohere 5 rejects (`version`: before 4.x; `api_url`: now `base_url`). */
const REMOVED_4X_CLIENT_KEYWORDS: ReadonlySet<string> = new Set(["num_workers", "request_dict", "check_api_key", "version"]);

class PythonRewrite {
  readonly edits: Edit[] = [];
  readonly notes: Array<Omit<Note, "span"> & { at: number }> = [];
  private readonly markerLines: MarkerLines;
  private readonly quote: string;
  private readonly model: string;
  migrated = 0;
  private needsAsyncio = false;
  private needsMessageImport = false;
  private readonly helpersWanted = new Set<HelperKind>();
  private readonly sequencesApplied = new Set<RequestPlan>();
  /** Each request plan's call (where its stop/end sequence expressions mean what they say). */
  private readonly callOf = new Map<RequestPlan, Node>();
  private firstUse = Number.POSITIVE_INFINITY;
  /** Public module-level functions returning a followed value (see noteReturn). */
  private readonly returnsOut = new Map<string, { kind: Kind; isAsync: boolean } | "mixed">();
  private readonly notedReturns = new Set<string>();
  readonly importedFollowed = new Map<string, { calls: number; all: boolean }>();
  /** This module's public functions whose migrated call sends a parameter as the model, by name. */
  readonly modelParams = new Map<string, ModelParam>();
  /** The receivers (as written) of the Generate calls this file migrates: its Cohere clients. */
  private readonly clientReceivers = new Set<string>();
  /** The receivers of those calls that are async clients (whose 4.x close() cohere 5 has not). */
  private readonly asyncReceivers = new Set<string>();

  constructor(
    private readonly root: Node,
    private readonly text: string,
    private readonly eol: string,
    private readonly options: PythonTransformOptions,
  ) {
    this.markerLines = new MarkerLines(text, eol);
    this.quote = quoteOf(root);
    this.model = options.model ?? DEFAULT_MODEL;
  }

  get markerCodes(): string[] {
    return this.markerLines.codes;
  }

  private mark(node: Node, code: MarkerCode, detail?: string): void {
    this.markerLines.add(node, code, detail);
  }

  private nodeAt(start: number, end: number): Node | undefined {
    let node: Node | null = this.root.descendantForIndex(start, end);
    while (node && !(node.startIndex === start && node.endIndex === end && (node.type === "call" || node.type === "attribute"))) node = node.parent;
    return node ?? undefined;
  }

  site(site: CallSite): void {
    if (site.kind === "generate-url") {
      // Handles: requests.post(COHERE_URL, json=...) with COHERE_URL = "https://api.cohere.ai/v1/generate":
      // a request by hand, which migrate does not rewrite (SPEC's REST transform is fetch/axios).
      const url = this.root.descendantForIndex(site.start, site.end);
      if (url) this.mark(url, "rest-request", "(migrate rewrites no request that uses this URL: update the code that sends it, or that checks it)");
      return;
    }
    const node = this.nodeAt(site.start, site.end);
    if (!node) return;
    if (node.type !== "call" || site.kind === "indirect-generate") {
      this.mark(node, "indirect-call");
      return;
    }
    const callee = field(node, "function");
    const method = callee ? field(callee, "attribute") : undefined;
    if (!callee || !method) return;
    const receiver = field(callee, "object")?.text;
    if (receiver) this.clientReceivers.add(receiverKey(node, receiver));
    if (receiver && site.async) this.asyncReceivers.add(receiverKey(node, receiver));
    // Under a guard, a module-level `cohere` may be None for the type checker: import the class.
    const guarded = this.importsCohereOnlyGuarded();
    const alias = guarded ? undefined : this.cohereAliasAt(node);
    const quote = quoteAt(node, this.quote);
    if (quote === undefined) {
      // Inside f-strings quoted both ways: no string literal can be written here before Python 3.12.
      this.mark(node, "request-shape", "(inside f-strings that use both quotes: move the call out of them)");
      return;
    }
    const plan = rewriteRequest(node, this.text, {
      model: this.model,
      modelFromFlag: this.options.modelFromFlag ?? false,
      quote,
      messageClass: alias ? `${alias}.UserChatMessageV2` : "UserChatMessageV2",
      importedString: this.options.importedString,
      envValue: this.options.envValue,
    });
    if (plan.blocked) {
      this.mark(node, plan.blocked.code, plan.blocked.detail);
      return;
    }
    this.callOf.set(plan, node);
    // The bare class name needs its import, only when the request was rewritten with it: at the
    // top with the file's own `from cohere import`, else (cohere imported under a guard, or only
    // inside functions: an optional dependency) right above the statement, which runs only where
    // the call does.
    const firstMessage = plan.edits.filter((e) => e.text.includes("UserChatMessageV2(")).sort((a, b) => a.start - b.start)[0];
    if (!alias && firstMessage) {
      // Above the first statement that uses it: a request dict built before the call is one.
      const user = firstMessage.start < node.startIndex ? (this.root.descendantForIndex(firstMessage.start, firstMessage.start) ?? node) : node;
      if (guarded) this.importAbove(user, "from cohere import UserChatMessageV2");
      else this.needsMessageImport = true;
    }
    const stream = site.kind === "generate-stream" || plan.stream;
    const chat = stream ? "chat_stream" : "chat";
    this.edits.push({ start: method.startIndex, end: method.endIndex, text: site.client === "v2" ? chat : `v2.${chat}` });
    this.edits.push(...plan.edits);
    for (const m of plan.markers) this.mark(node, m.code, m.detail);
    for (const c of plan.comments) this.markerLines.addComment(node, c);
    for (const n of plan.notes) this.notes.push({ kind: n.kind, message: n.message, at: node.startIndex });
    this.migrated++;
    this.noteModelParam(node);

    let result: Node = node;
    if (result.parent?.type === "await") result = result.parent;
    while (result.parent?.type === "parenthesized_expression") result = result.parent;

    if (stream) {
      // Handles: streaming_gens = await aio_co.generate(prompt=p, stream=True) (cohere 4.x's
      // AsyncClient): AsyncClient.v2.chat_stream is an async generator, which cannot be awaited.
      if (node.parent?.type === "await") this.edits.push({ start: node.parent.startIndex, end: node.startIndex, text: "" });
      if (plan.stop || plan.end) this.mark(node, "stream-stop-sequences");
      if (plan.fanout) this.mark(node, "stream-num-generations");
      this.follow(result, { is: "stream", plan, legacy4: method.text === "generate" });
      return;
    }
    if (plan.fanout) {
      // Handles: num_generations=2, seed=s: n Chat calls with one seed are documented to return the same text.
      if (requestEntries(node).has("seed")) {
        this.mark(node, "seed-repeated");
      }
      const awaited = node.parent?.type === "await" ? node.parent : undefined;
      // `_` unless the call reads a `_` of its own (gettext's `_("...")`), which the loop would hide.
      const counter = /(?<![\w.])_(?!\w)/.test(node.text) ? freshName("n", node.text) : "_";
      const clauses = `${plan.promptOnce ? ` for ${plan.promptOnce.name} in [${plan.promptOnce.source}]` : ""} for ${counter} in range(${plan.fanout})`;
      if (site.async && awaited) {
        this.needsAsyncio = true;
        this.edits.push({ start: awaited.startIndex, end: node.startIndex, text: "await asyncio.gather(*(" });
        this.edits.push({ start: node.endIndex, end: node.endIndex, text: `${clauses}))` });
      } else if (site.async && gathered(node)) {
        // Handles: asyncio.gather(co.generate(..., num_generations=2), ...), also in a starred list
        // or comprehension: the n calls are gathered in its place (gather takes futures), and
        // gather's result holds the list of n responses where the Generations was.
        this.needsAsyncio = true;
        this.edits.push({ start: node.startIndex, end: node.startIndex, text: "asyncio.gather(*(" });
        this.edits.push({ start: node.endIndex, end: node.endIndex, text: `${clauses}))` });
        this.mark(node, "response-shape", `(num_generations=${plan.fanout}: its place in the gathered results now holds a list of ${plan.fanout} Chat v2 responses, one per generation; update what reads it)`);
        return;
      } else if (site.async) {
        // create_task / asyncio.run need a coroutine, which n gathered calls are not: one call, marked.
        this.mark(node, "response-shape", `(num_generations=${plan.fanout} was dropped: Chat gives one response per call; make ${plan.fanout} calls, e.g. await asyncio.gather(*(... for _ in range(${plan.fanout}))))`);
        return;
      } else {
        this.edits.push({ start: node.startIndex, end: node.startIndex, text: "[" });
        this.edits.push({ start: node.endIndex, end: node.endIndex, text: `${clauses}]` });
      }
      this.follow(result, { is: "fanout", plan });
      this.checkSequencesApplied(node, plan);
      return;
    }
    this.follow(result, { is: "response", plan });
    this.checkSequencesApplied(node, plan);
  }

  /** Stop/end sequences removed from the request must be applied where the text is read, or marked. */
  private checkSequencesApplied(node: Node, plan: RequestPlan): void {
    if ((plan.stop || plan.end) && !this.sequencesApplied.has(plan)) {
      this.mark(node, "sequences-unapplied", `(${[plan.stop && `stop_sequences=${plan.stop}`, plan.end && `end_sequences=${plan.end}`].filter(Boolean).join(", ")})`);
    }
  }

  /**
   * cohere 4.x API that cohere 5 (which a Chat v2 call needs, and migrate raises the requirement
   * to) no longer has, in a file migrate rewrote: the file's other calls must keep working (SPEC),
   * so each such use is marked. Only 4.x code holds them: they fail on 5.x already.
   */
  markRemoved4xApi(): void {
    if (!this.migrated) return;
    const alias = this.moduleAlias();
    const imported = new Map<string, string>();
    const visit = (n: Node): void => {
      if (n.type === "import_from_statement") {
        const module = field(n, "module_name")?.text ?? "";
        const gone = removed4xModule(module);
        const names = named(n).slice(1).map((item) => (item.type === "aliased_import" ? field(item, "name")?.text : item.text));
        const moduleNode = field(n, "module_name");
        // Handles: from cohere.client_async import AsyncClient: the same class is cohere.AsyncClient.
        if (module === "cohere.client_async" && moduleNode && names.length && names.every((name) => name === "AsyncClient")) this.replaceRange(moduleNode.startIndex, moduleNode.endIndex, "cohere");
        // Handles: from cohere.error import CohereError, from cohere.responses.generation import StreamingText
        else if (gone) this.mark(n, "sdk-4x-api", removed4xText(`the cohere.${gone} module`, gone));
        if (module === "cohere") {
          for (const item of named(n).slice(1)) {
            const name = item.type === "aliased_import" ? field(item, "name")?.text : item.type === "dotted_name" ? item.text : undefined;
            const local = item.type === "aliased_import" ? field(item, "alias")?.text : name;
            if (name && local) imported.set(local, name);
            // Handles: from cohere import CohereAPIError, from cohere import responses
            if (name && (REMOVED_4X_NAMES.has(name) || REMOVED_4X_MODULES.has(name))) this.mark(n, "sdk-4x-api", removed4xText(`cohere.${name}`, name));
          }
        }
      } else if (n.type === "import_statement") {
        // Handles: import cohere.responses.generation, import cohere.error as errors
        for (const item of named(n)) {
          const dotted = item.type === "aliased_import" ? field(item, "name")?.text : item.type === "dotted_name" ? item.text : undefined;
          const gone = dotted ? removed4xModule(dotted) : undefined;
          if (gone) this.mark(n, "sdk-4x-api", removed4xText(`the cohere.${gone} module`, gone));
        }
      } else if (n.type === "attribute" && alias !== undefined && nameOf(field(n, "object")) === alias) {
        const name = field(n, "attribute")?.text ?? "";
        if (REMOVED_4X_NAMES.has(name) || REMOVED_4X_MODULES.has(name)) this.mark(n, "sdk-4x-api", removed4xText(n.text, name));
      } else if (n.type === "call") {
        const fn = field(n, "function");
        const cls = fn?.type === "attribute" && alias !== undefined && nameOf(field(fn, "object")) === alias ? field(fn, "attribute")?.text : fn?.type === "identifier" ? imported.get(fn.text) : undefined;
        if (cls === "Client" || cls === "AsyncClient") this.markClientArguments(n);
        // Handles: co.tokenize(text), co.embed(texts) on a client whose generate migrated: cohere 5's
        // methods take keywords only (a TypeError after the upgrade). Only 4.x code passes them so.
        const method = fn?.type === "attribute" ? field(fn, "attribute")?.text : undefined;
        const receiver = fn?.type === "attribute" ? field(fn, "object")?.text : undefined;
        const onClient = method !== undefined && receiver !== undefined && this.clientReceivers.has(receiverKey(n, receiver));
        if (onClient && REMOVED_METHODS_5X.has(method)) {
          // Handles: co.generate_feedback(request_id=..., good_response=True), await aio.close(): cohere 5 raises there.
          const moved = REMOVED_METHODS_5X.get(method);
          this.mark(n, "sdk-4x-api", moved ? `(cohere 5 moved ${method} to ${receiver}.${moved})` : `(cohere 5 has no ${method}: it raises there; drop the call or use the API's current endpoint)`);
        } else if (onClient && method === "close" && this.asyncReceivers.has(receiverKey(n, receiver))) {
          this.mark(n, "sdk-4x-api", "(cohere 5's AsyncClient has no close(): use `async with cohere.AsyncClient(...) as co:`, or drop the call)");
        }
        if (method && receiver && KEYWORD_ONLY_5X.has(method) && this.clientReceivers.has(receiverKey(n, receiver))) {
          const positional = named(field(n, "arguments") ?? n).filter((a) => a.type !== "comment" && a.type !== "keyword_argument" && a.type !== "dictionary_splat");
          if (positional.length) this.mark(n, "sdk-4x-api", `(cohere 5's ${method} takes keywords only: name each argument, e.g. ${method}(${method === "tokenize" ? "text=..., model=..." : "..."}))`);
        }
      }
      for (const c of named(n)) visit(c);
    };
    visit(this.root);
  }

  /** A 4.x client construction: a second positional argument, or keywords 5.x does not take. */
  private markClientArguments(call: Node): void {
    const args = named(field(call, "arguments") ?? call).filter((a) => a.type !== "comment");
    // One marker per call, naming each change (a line holds one marker of a code).
    const changes: string[] = [];
    if (args.filter((a) => a.type !== "keyword_argument" && a.type !== "dictionary_splat").length > 1) changes.push("the client takes only the API key positionally: pass the rest by keyword");
    for (const a of args) {
      const name = a.type === "keyword_argument" ? field(a, "name")?.text : undefined;
      if (name === "api_url") changes.push("api_url is now base_url");
      else if (name && REMOVED_4X_CLIENT_KEYWORDS.has(name)) changes.push(`the client has no ${name}: drop it`);
    }
    if (changes.length) this.mark(call, "sdk-4x-api", `(${changes.join("; ")})`);
  }

  private readonly inlineImports = new Set<number>();

  /**
   * A line of code run right before the statement holding `node`: on its own line above it, or,
   * when the statement shares its line with a clause (`elif x: return co.generate(...)`), before
   * it on that line, `; `-separated, so it stays inside the clause.
   */
  private importAbove(node: Node, code: string): void {
    const stmt = statementOf(node);
    const from = this.text.lastIndexOf("\n", stmt.startIndex - 1) + 1;
    if (/^[ \t]*$/.test(this.text.slice(from, stmt.startIndex))) return this.markerLines.addCode(node, code);
    if (this.inlineImports.has(stmt.startIndex)) return;
    this.inlineImports.add(stmt.startIndex);
    this.edits.push({ start: stmt.startIndex, end: stmt.startIndex, text: `${code}; ` });
  }

  /**
   * The name `import cohere` (or `import cohere as co`) binds where `node` runs: in an enclosing
   * function before it, or anywhere at the module's level, guards included (`try: import cohere`);
   * not under `if TYPE_CHECKING:` (no import at run time), nor inside other functions.
   */
  private cohereAliasAt(node: Node): string | undefined {
    let alias: string | undefined;
    for (let scope: Node | null = node.parent; scope && !alias; scope = scope.parent) {
      if (scope.type !== "function_definition") continue;
      const body = field(scope, "body");
      alias = body ? cohereImportIn(body, node.startIndex) : undefined;
    }
    alias ??= cohereImportIn(this.root, undefined);
    // Handles: import cohere; cohere = cohere.Client(key): the name is the client from then on,
    // which has no UserChatMessageV2; the class is imported by name instead. So too where a
    // function around the call takes it as a parameter (`def run(cohere: cohere.Client, ...)`).
    if (!alias || this.rebinds(alias)) return undefined;
    for (let scope: Node | null = node.parent; scope; scope = scope.parent) {
      if ((scope.type === "function_definition" || scope.type === "lambda") && bindsLocally(scope, alias)) return undefined;
    }
    return alias;
  }

  /** Whether the file assigns `name` anywhere (`name = ...`, a loop or `with ... as name`). */
  private rebinds(name: string): boolean {
    let found = false;
    walk(this.root, (n) => {
      if (found) return false;
      if ((n.type === "assignment" || n.type === "augmented_assignment" || n.type === "for_statement") && targets(field(n, "left"), name)) found = true;
      if (n.type === "as_pattern" && named(n).some((c) => c.type === "as_pattern_target" && c.text === name)) found = true;
      return true;
    });
    return found;
  }

  /**
   * Whether the file imports cohere only under a guard or inside functions (`try: import cohere`,
   * `if TYPE_CHECKING:`, a lazy import in a validator): an optional dependency, which a new
   * top-level import would make required. A file that does not import cohere itself (its client
   * comes from another module) gets the import at the top.
   */
  private importsCohereOnlyGuarded(): boolean {
    return (this.guardedImport ??= this.findGuardedImport());
  }

  private guardedImport: boolean | undefined;

  private findGuardedImport(): boolean {
    const isCohere = (stmt: Node): boolean =>
      stmt.type === "import_from_statement" ? /^cohere(\.|$)/.test(field(stmt, "module_name")?.text ?? "") : stmt.type === "import_statement" && named(stmt).some((item) => /^cohere(\.|$)/.test((item.type === "aliased_import" ? field(item, "name") : item)?.text ?? ""));
    if (named(this.root).some(isCohere)) return false;
    let nested = false;
    walk(this.root, (n) => {
      if (nested) return false;
      if (isCohere(n)) nested = true;
      return true;
    });
    return nested;
  }

  private moduleAlias(): string | undefined {
    for (const stmt of named(this.root)) {
      if (stmt.type !== "import_statement") continue;
      for (const item of named(stmt)) {
        if (item.type === "dotted_name" && item.text === "cohere") return "cohere";
        if (item.type === "aliased_import" && field(item, "name")?.text === "cohere") return field(item, "alias")?.text;
      }
    }
    return undefined;
  }

  // ---- following values ------------------------------------------------------------------------

  /**
   * Handles: `result: cohere.Generation = co.generate(...)` (5.x named the response Generation;
   * 4.x `Generations`): the variable now holds a Chat v2 response, `cohere.V2ChatResponse`.
   */
  private retypeAnnotation(assignment: Node, expr: Node, kind: Kind): void {
    const annotation = field(assignment, "type");
    if (!annotation || kind.is !== "response" || !/^(?:[\w.]+\.)?(?:Generation|Generations|GenerateResponse)$/.test(annotation.text.replace(/\s+/g, ""))) return;
    const alias = this.importsCohereOnlyGuarded() ? undefined : this.cohereAliasAt(expr);
    if (alias) this.replaceRange(annotation.startIndex, annotation.endIndex, `${alias}.V2ChatResponse`);
    else this.mark(expr, "response-shape", `(annotated ${annotation.text}: it is now a cohere.V2ChatResponse)`);
  }

  /** `expr` holds a value of `kind`: rewrite its reads where it is used. */
  private follow(expr: Node, kind: Kind): void {
    const steps = stepsAbove(expr);
    if (steps.length) return this.read(expr, steps, kind);
    const parent = expr.parent;
    if (!parent) return;
    // An assignment to a name (or names): follow the name(s).
    if (parent.type === "assignment" && same(field(parent, "right"), expr)) {
      const left = field(parent, "left");
      this.retypeAnnotation(parent, expr, kind);
      // Handles: last = response = co.generate(...): each name holds the response.
      const outer = parent.parent;
      if (left?.type === "identifier" && outer?.type === "assignment" && same(field(outer, "right"), parent)) {
        this.followName(left, parent, kind);
        return this.follow(parent, kind);
      }
      if (left?.type === "identifier") return this.followName(left, parent, kind);
      if (left?.type === "attribute" && field(left, "object")?.text === "self" && kind.is !== "stream") return this.followSelfField(left, parent, kind);
      if (left && (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") && (kind.is === "list" || kind.is === "fanout")) {
        for (const target of named(left)) if (target.type === "identifier") this.followName(target, parent, { is: "generation", plan: kind.plan, fanout: true });
        return;
      }
      return this.mark(expr, "response-shape");
    }
    if (parent.type === "named_expression" && same(field(parent, "value"), expr)) {
      // Handles: if (r := co.generate(...)).generations: print(r.generations[0].text)
      const name = field(parent, "name");
      if (name?.type === "identifier") this.followName(name, parent, kind, parent.endIndex);
      let outer: Node = parent;
      while (outer.parent?.type === "parenthesized_expression") outer = outer.parent;
      return this.follow(outer, kind);
    }
    if (parent.type === "return_statement" && kind.is !== "stream") return this.followReturn(parent, kind);
    if (parent.type === "expression_statement") return;
    // `if r:` / `x if r else y` / `not r`: a response (or the list of them) is as truthy as Generate's was.
    if ((kind.is === "response" || kind.is === "fanout") && isTruthinessTest(expr)) return;
    if ((parent.type === "for_statement" || parent.type === "for_in_clause") && same(field(parent, "right"), expr)) return this.iterated(expr, parent, kind);
    if (kind.is === "generation") {
      if (parent.type === "argument_list" && OBJECT_READERS.has(nameOf(field(parent.parent as Node, "function")) ?? "")) return this.mark(expr, "response-shape");
      return this.text_(expr, expr, expr, {}, kind.plan);
    }
    // len(r.generations), and len(r) of a 4.x Generations: the list of n responses has as many.
    if ((kind.is === "list" || kind.is === "fanout") && parent.type === "argument_list" && nameOf(field(parent.parent as Node, "function")) === "len") return;
    this.mark(expr, "response-shape");
  }

  private iterated(expr: Node, loop: Node, kind: Kind): void {
    const target = field(loop, "left");
    const body = loop.type === "for_statement" ? loop : loop.parent;
    if (!target || !body) return;
    switch (kind.is) {
      case "stream":
        if (kind.legacy4 || !dispatchesOnType(loop, target)) {
          // The loop sees the events Generate's stream had: a 4.x stream yields text chunks only
          // (content deltas); a 5.x one text-generation and stream-end events (content deltas and
          // message-end). Chat's other events (message-start, content-start, content-end, ...)
          // would reach an `else:` branch or a bare `print(event.text)` that never saw them.
          const q = quoteAt(expr, this.quote) ?? this.quote;
          const test = kind.legacy4 ? `event.type == ${literal("content-delta", q)}` : `event.type in (${literal("content-delta", q)}, ${literal("message-end", q)})`;
          const asynchronous = loop.text.startsWith("async");
          this.edits.push({ start: expr.startIndex, end: expr.startIndex, text: `(event ${asynchronous ? "async " : ""}for event in ` });
          this.edits.push({ start: expr.endIndex, end: expr.endIndex, text: ` if ${test})` });
        }
        if (target.type === "identifier") this.followIn(target, body, { is: "event", plan: kind.plan });
        return;
      case "response":
        // 4.x: iterating the Generations gave its one Generation.
        this.edits.push({ start: expr.startIndex, end: expr.startIndex, text: "[" });
        this.edits.push({ start: expr.endIndex, end: expr.endIndex, text: "]" });
        if (target.type === "identifier") this.followIn(target, body, { is: "generation", plan: kind.plan, fanout: false });
        return;
      case "fanout":
      case "list":
        if (target.type === "identifier") this.followIn(target, body, { is: "generation", plan: kind.plan, fanout: true });
        else this.mark(expr, "response-shape");
        return;
      default:
        this.mark(expr, "response-shape");
    }
  }

  /**
   * `self.<name> = <value>` in a method: every `self.<name>` of the class is followed as the value
   * when nothing but None is ever stored there otherwise. Reads on other objects of this module
   * (`bot.last`) cannot be told from another class's attribute of that name: they get a marker.
   */
  private followSelfField(target: Node, assignment: Node, kind: Kind): void {
    const name = field(target, "attribute")?.text;
    let cls: Node | undefined = assignment.parent ?? undefined;
    while (cls && cls.type !== "class_definition") cls = cls.parent ?? undefined;
    if (!name || !cls) return this.mark(assignment, "response-shape");
    const owner = cls;
    const uses: Node[] = [];
    walk(owner, (n) => {
      if (n.type === "class_definition" && !same(n, owner)) return false;
      if (n.type === "attribute" && field(n, "object")?.text === "self" && field(n, "attribute")?.text === name) uses.push(n);
      return true;
    });
    const writes = uses.filter((u) => (u.parent?.type === "assignment" || u.parent?.type === "augmented_assignment") && same(field(u.parent, "left"), u));
    const foreign = writes.some((w) => {
      const write = w.parent as Node;
      if (same(write, assignment)) return false;
      return write.type !== "assignment" || field(write, "right")?.text !== "None";
    });
    if (foreign) return this.mark(assignment, "response-shape");
    for (const use of uses) if (!writes.some((w) => same(w, use))) this.follow(use, kind);
    walk(this.root, (n) => {
      if (n.type === "attribute" && field(n, "attribute")?.text === name && field(n, "object")?.text !== "self") {
        this.mark(n, "response-shape", "(this attribute now holds a Chat v2 response; update this read if it is one)");
      }
      return true;
    });
  }

  /**
   * `return <value>` in a function of this module: the calls of that function here are followed as
   * the value. Any other reference (the function passed on, decorated, a method) cannot be, and a
   * public module-level function may be called from other modules too: those get a marker.
   */
  private followReturn(ret: Node, kind: Kind): void {
    const fn = scopeNodeOf(ret);
    const name = fn.type === "function_definition" ? field(fn, "name")?.text : undefined;
    const definedAtTop = fn.parent?.type === "module";
    if (name && fn.type === "function_definition" && namesAMember(field(fn, "name") as Node)) return this.mark(ret, "response-shape", `(the method ${name}() now returns a Chat v2 response; update its callers)`);
    if (!name || !definedAtTop) return this.mark(ret, "response-shape");
    const calls: Node[] = [];
    let elsewhere = false;
    walk(this.root, (n) => {
      if (n.type === "identifier" && n.text === name && !same(n, field(fn, "name")) && !namesAMember(n)) {
        const call = n.parent;
        if (call?.type === "call" && same(field(call, "function"), n)) calls.push(call);
        else elsewhere = true;
      }
      return true;
    });
    const isAsync = fn.text.startsWith("async");
    this.followCalls(calls, kind, isAsync);
    const exported = !name.startsWith("_") && !elsewhere && this.noteReturn(name, kind, isAsync);
    const followers = exported ? this.options.followedElsewhere?.get(name) : undefined;
    if (followers?.length) {
      if (!this.notedReturns.has(name)) this.notes.push({ kind: "info", message: `${name}() now returns a Chat v2 response: its calls in ${listed(followers)} were rewritten to read it (update any outside this repository)`, at: ret.startIndex });
      this.notedReturns.add(name);
      return;
    }
    if (elsewhere || calls.length === 0) return this.mark(ret, "response-shape", "(this function now returns a Chat v2 response; update its callers)");
    if (!name.startsWith("_")) this.mark(ret, "response-shape", "(this function now returns a Chat v2 response: its calls in this module are rewritten; update any in other modules)");
  }

  /** Calls of a function that returns a value of `kind`, followed as that value. Returns whether each was. */
  private followCalls(calls: readonly Node[], kind: Kind, isAsync: boolean): boolean {
    let all = true;
    for (const call of calls) {
      let value: Node = call;
      if (value.parent?.type === "await") value = value.parent;
      // An async function's call not awaited here is a coroutine handed on (gather, a task): not followed.
      else if (isAsync) {
        this.mark(call, "response-shape");
        all = false;
        continue;
      }
      while (value.parent?.type === "parenthesized_expression") value = value.parent;
      this.follow(value, kind);
    }
    return all;
  }

  /**
   * A public module-level function returning `kind`, for callers in other modules: false when its
   * reads there could not be written (stop/end sequences are applied where the text is read, with
   * this module's names) or its returns disagree.
   */
  private noteReturn(name: string, kind: Kind, isAsync: boolean): boolean {
    const plan = kind.plan;
    if (plan.stop || plan.end || kind.is === "stream" || kind.is === "event") return false;
    const prev = this.returnsOut.get(name);
    if (prev === "mixed") return false;
    // `response.prompt` is rewritten to the prompt's source: only a literal means the same there.
    const portable: Kind = { ...kind, plan: { ...plan, prompt: plan.prompt && /^(['"]).*\1$/.test(plan.prompt) ? plan.prompt : undefined } } as Kind;
    if (prev && (prev.kind.is !== kind.is || prev.isAsync !== isAsync || (prev.kind.plan.fanout === undefined) !== (plan.fanout === undefined) || ("fanout" in prev.kind && "fanout" in kind && prev.kind.fanout !== kind.fanout))) {
      this.returnsOut.set(name, "mixed");
      return false;
    }
    if (!prev) this.returnsOut.set(name, { kind: portable, isAsync });
    return true;
  }

  /**
   * `def ask(prompt, model): co.generate(model=model, ...)` at module level: callers in other
   * modules may pass a retired model (cross-module.ts ModelParam). One read for more than the
   * model, or rebound before the request (what reaches it is then not only the caller's value):
   * a retired value passed is marked there instead of replaced.
   */
  private noteModelParam(call: Node): void {
    const value = requestEntries(call).get("model");
    if (value?.type === "attribute") return this.noteModelField(call, value);
    if (value?.type !== "identifier") return;
    const fn = scopeNodeOf(call);
    const name = fn.type === "function_definition" ? field(fn, "name")?.text : undefined;
    const top = fn.parent?.type === "decorated_definition" ? fn.parent.parent : fn.parent;
    if (!name || name.startsWith("_") || top?.type !== "module") return;
    const index = parameterIndex(fn, value.text);
    if (index === undefined) return;
    let reads = 0;
    let rebound = false;
    walk(field(fn, "body") ?? fn, (n) => {
      if (n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") {
        if (mentions(n, value.text)) reads++;
        return false;
      }
      if ((n.type === "assignment" || n.type === "augmented_assignment" || n.type === "for_statement") && targets(field(n, "left"), value.text)) rebound = true;
      if (isUse(n, value.text)) reads++;
      return true;
    });
    const prev = this.modelParams.get(name);
    this.modelParams.set(name, { name, param: value.text, index, shared: reads > 1 || rebound || (prev !== undefined && (prev.shared || prev.param !== value.text)) });
  }

  /**
   * Handles: class CohereLLM: def __init__(self, model="command-a-03-2025"): self.model = model,
   * its call sending model=self.model: other modules make it with CohereLLM(model="command-nightly"),
   * which reaches Chat as the model. The class is then a ModelParam (its arguments after `self`); a
   * field set elsewhere too, or a parameter read for more, makes a retired value passed marked.
   */
  private noteModelField(call: Node, value: Node): void {
    const attr = field(value, "attribute")?.text;
    if (nameOf(field(value, "object")) !== "self" || !attr) return;
    let cls: Node | null = call.parent;
    while (cls && cls.type !== "class_definition") cls = cls.parent;
    const className = cls ? field(cls, "name")?.text : undefined;
    const top = cls?.parent?.type === "decorated_definition" ? cls.parent.parent : cls?.parent;
    if (!cls || !className || className.startsWith("_") || top?.type !== "module") return;
    const body = field(cls, "body");
    const init = body ? named(body).map((n) => (n.type === "decorated_definition" ? field(n, "definition") : n)).find((n) => n?.type === "function_definition" && field(n, "name")?.text === "__init__") : undefined;
    if (!init) return;
    // Every write of self.<attr> in the class, and every read of it.
    const writes: Node[] = [];
    let reads = 0;
    walk(cls, (n) => {
      if (n.type !== "attribute" || nameOf(field(n, "object")) !== "self" || field(n, "attribute")?.text !== attr) return true;
      if (n.parent?.type === "assignment" && same(field(n.parent, "left"), n)) writes.push(n.parent);
      else reads++;
      return true;
    });
    const param = writes.length === 1 && scopeNodeOf(writes[0]).id === init.id ? field(writes[0], "right") : undefined;
    if (param?.type !== "identifier") return;
    const index = parameterIndex(init, param.text);
    if (index === undefined || index === 0) return;
    let paramReads = 0;
    walk(field(init, "body") ?? init, (n) => {
      if (isUse(n, param.text)) paramReads++;
      return true;
    });
    const prev = this.modelParams.get(className);
    this.modelParams.set(className, { name: className, param: param.text, index: index === -1 ? -1 : index - 1, shared: reads > 1 || paramReads > 1 || (prev !== undefined && (prev.shared || prev.param !== param.text)) });
  }

  /**
   * Calls here of another module's function that sends a parameter as the model: a retired model
   * passed as that argument (`ask(p, "command-nightly")`, `ask(p, model="command")`) is replaced
   * where it is written, or marked when the function reads the parameter for more than the model.
   */
  retiredModelsPassed(imported: ImportedModelParam): void {
    if (hasPythonIgnoreFile(this.text)) return;
    const ignored = pythonIgnoredLines(this.text);
    const lines = new LineMap(this.text);
    const [head] = imported.callee.split(".");
    // Handles: from app.llm import ask; def ask(prompt, model): ...: which one a call means is not followed here.
    const rebound = named(this.root).some((stmt) => {
      const def = stmt.type === "decorated_definition" ? named(stmt).find((c) => c.type === "function_definition" || c.type === "class_definition") : stmt;
      if ((def?.type === "function_definition" || def?.type === "class_definition") && field(def, "name")?.text === head) return true;
      const assign = stmt.type === "expression_statement" ? named(stmt)[0] : undefined;
      return assign?.type === "assignment" && targets(field(assign, "left"), head);
    });
    if (rebound) return;
    walk(this.root, (n) => {
      // A function that binds the name itself calls its own.
      if ((n.type === "function_definition" || n.type === "lambda") && bindsLocally(n, head)) return false;
      if (n.type !== "call" || field(n, "function")?.text !== imported.callee) return true;
      const value = argumentFor(n, imported);
      // Handles: MODEL = "command"; ask(p, MODEL): the constant's literal is what is passed (this argument is replaced; the constant keeps its value).
      const model = value?.type === "string" ? stringValue(value) : value?.type === "identifier" ? this.moduleConstant(value.text) : undefined;
      if (!value || model === undefined || !RETIRED_MODELS.has(model) || ignored.has(lines.location(n.startIndex).line)) return true;
      if (imported.shared) {
        this.mark(n, "retired-model", `("${model}" reaches the model of ${imported.callee}, which also reads or rebinds ${imported.param}: pass a Chat model)`);
        return true;
      }
      this.edits.push({ start: value.startIndex, end: value.endIndex, text: literal(this.model, quoteOf(value) ?? this.quote) });
      this.notes.push({ kind: "model-defaulted", message: `model: "${model}" (passed to ${imported.callee} as ${imported.param}) is retired, now "${this.model}"`, at: value.startIndex });
      return true;
    });
  }

  /** The string a module-level name is assigned, when it is assigned exactly once (at the top level) and nowhere else. */
  private moduleConstant(name: string): string | undefined {
    let value: string | undefined;
    let count = 0;
    walk(this.root, (n) => {
      if ((n.type === "assignment" || n.type === "augmented_assignment") && targets(field(n, "left"), name)) {
        count++;
        if (n.type === "assignment" && n.parent?.type === "expression_statement" && n.parent.parent?.type === "module") value = stringValue(field(n, "right") ?? undefined);
      }
      return true;
    });
    return count === 1 ? value : undefined;
  }

  exportedReturns(): PythonReturn[] {
    const out: PythonReturn[] = [];
    for (const [name, value] of this.returnsOut) if (value !== "mixed") out.push({ name, kind: value.kind, isAsync: value.isAsync });
    return out;
  }

  /**
   * Calls of a function of another module that now returns a Chat v2 response (`from app.llm
   * import ask`, `llm.ask(...)`): followed as its own module follows them. A name this module
   * binds itself is left alone; a reference that is not a call is marked.
   */
  followImported(imported: ImportedReturn): void {
    const kind = imported.kind as Kind;
    const [head, ...rest] = imported.callee.split(".");
    let shadowed = false;
    const refs: Node[] = [];
    walk(this.root, (n) => {
      if (n.type === "import_from_statement" || n.type === "import_statement") return false;
      // A function that binds the name itself (a parameter, `ask = ...` in it) reads its own.
      if ((n.type === "function_definition" || n.type === "lambda") && bindsLocally(n, head)) return false;
      if (n.type !== "identifier" || n.text !== head) return true;
      const p = n.parent;
      const atModule = scopeNodeOf(n).type === "module";
      if (p && (p.type === "function_definition" || p.type === "class_definition") && same(field(p, "name"), n)) shadowed ||= (p.parent?.type === "decorated_definition" ? p.parent.parent : p.parent)?.type === "module";
      else if (!isUse(n, head)) shadowed ||= atModule && !(p?.type === "attribute" || p?.type === "keyword_argument");
      else {
        // `llm.ask`, `app.llm.ask`: the attribute chain the callee names, from this name.
        let ref: Node = n;
        for (const part of rest) {
          const up = ref.parent;
          if (up?.type !== "attribute" || !same(field(up, "object"), ref) || field(up, "attribute")?.text !== part) return true;
          ref = up;
        }
        refs.push(ref);
      }
      return true;
    });
    const calls: Node[] = [];
    let all = !shadowed;
    for (const ref of refs) {
      const call = ref.parent;
      if (!shadowed && call?.type === "call" && same(field(call, "function"), ref)) calls.push(call);
      else {
        // A reference handed on, or a name this module also binds itself (which one a call means is not followed here).
        this.mark(ref, "response-shape", `(${imported.callee} now returns a Chat v2 response: update what reads it${shadowed ? `; ${head} is also bound in this module` : ""})`);
        all = false;
      }
    }
    if (!this.followCalls(calls, kind, imported.isAsync)) all = false;
    // A module may name the function twice (`from app.llm import ask` and `from app import llm`): the answers add up.
    const prev = this.importedFollowed.get(imported.key);
    this.importedFollowed.set(imported.key, { calls: calls.length + (prev?.calls ?? 0), all: all && (prev?.all ?? true) });
  }


  /** Reads of a name assigned at `binding`, in its scope, until it is assigned again (or from `from`). */
  private followName(name: Node, binding: Node, kind: Kind, from?: number): void {
    const scope = scopeNodeOf(binding);
    const after = from ?? statementOf(binding).endIndex;
    const uses: Node[] = [];
    /** Functions defined after the binding that read the name, not binding it themselves. */
    const readers: Node[] = [];
    walk(scope, (n) => {
      if ((n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") && !same(n, scope)) {
        // A nested function reading the name sees its last value: not followed. One that assigns
        // the name has its own (`def main(): r = co.generate(...)` below a module-level `r`).
        if (n.startIndex > after && mentions(n, name.text) && !(n.type !== "class_definition" && bindsLocally(n, name.text))) readers.push(n);
        return false;
      }
      if (n.startIndex >= after && isUse(n, name.text)) uses.push(n);
      return true;
    });
    for (const reader of readers) {
      // Each read is marked where it is (the function may read the response, or another value the name holds by then).
      walk(reader, (n) => {
        if (!same(n, reader) && (n.type === "function_definition" || n.type === "lambda") && bindsLocally(n, name.text)) return false;
        // A comprehension's own `for response in ...` binds its own name (Python 3).
        if (COMPREHENSIONS.has(n.type) && named(n).some((c) => c.type === "for_in_clause" && targets(field(c, "left") ?? undefined, name.text))) return false;
        if (isUse(n, name.text) && !readsNothingOf(n) && !this.followedReads.has(`${n.startIndex}:${n.endIndex}`)) this.mark(n, "response-shape", "(this function reads the name, which holds a Chat v2 response once the code above has run: update this read)");
        return true;
      });
    }
    // Which of the name's other bindings may reach each read: one that always runs between the
    // binding and the read (a statement of a block holding the read) hides the binding there; one
    // in another branch (`if n > 1: r = co.generate(..., num_generations=n) else: r = cached`) reaches
    // the read as well, and then the read's shape is not this binding's alone.
    const defs = bindingsOf(scope, name.text).filter((d) => !same(d.node, binding));
    // `a` always runs after `from` and before `use` when it is a statement of a block that holds the read.
    const hides = (a: Node, from: number, use: Node): boolean => a.startIndex >= from && a.endIndex <= use.startIndex && contains(blockOf(a), use);
    const own = signatureOf(binding);
    for (const use of uses) {
      if (defs.some((d) => hides(d.node, after, use))) continue;
      const key = `${use.startIndex}:${use.endIndex}`;
      if (this.followedReads.has(key)) continue;
      this.followedReads.add(key);
      const rivals = defs.filter((d) => d.node.endIndex <= use.startIndex && ![binding, ...defs.map((o) => o.node)].some((o) => !same(o, d.node) && hides(o, d.node.endIndex, use)));
      // A placeholder (`r = None` before a try) holds no response to read; one of the same shape
      // (the other branch's Generate call, as plain) is followed to the same rewrite.
      if (rivals.some((d) => !d.placeholder && (own === undefined || d.signature !== own))) this.mark(use, "response-shape", "(the name holds another value on some paths to here: update this read for each)");
      else if (use.type !== "identifier") this.mark(use, "response-shape");
      else this.follow(use, kind);
    }
    this.markReadsElsewhere(name.text, binding, scope, after);
  }

  /**
   * Reads of the name this binding reaches that the walk above does not see, marked:
   * - in a loop holding the binding, before it (`if r: print(r.generations[0].text)` at the top
   *   of the body reads the previous pass's response);
   * - in other functions, when the name is the module's (bound at module level, or under
   *   `global r`): a function defined before the binding, or any function reading the global;
   * - in the enclosing function, when the binding is under `nonlocal r`.
   * Only a read as a Generate response counts (`r.generations`, `r.meta`, `r[0]`): `if r is None` reads nothing of it.
   */
  private markReadsElsewhere(name: string, binding: Node, scope: Node, after: number): void {
    const detail = "(this name is assigned a Chat v2 response elsewhere, which reaches this read: update it)";
    const readsResponse = (n: Node): boolean => {
      if (!isUse(n, name)) return false;
      const p = n.parent;
      if (p?.type === "attribute" && same(field(p, "object"), n)) return GENERATE_ATTRIBUTES.has(field(p, "attribute")?.text ?? "");
      return p?.type === "subscript" && same(field(p, "value"), n);
    };
    const markIn = (root: Node, skip: (n: Node) => boolean): void => {
      walk(root, (n) => {
        if (skip(n)) return false;
        if (readsResponse(n) && !this.followedReads.has(`${n.startIndex}:${n.endIndex}`)) this.mark(n, "response-shape", detail);
        return true;
      });
    };
    // Loop-carried: reads before the binding, inside a loop of the same scope that holds it.
    for (let loop: Node | null = binding.parent; loop && !same(loop, scope); loop = loop.parent) {
      if (loop.type !== "for_statement" && loop.type !== "while_statement") continue;
      const body = field(loop, "body");
      if (body) markIn(body, (n) => n.startIndex >= after || ((n.type === "function_definition" || n.type === "lambda" || n.type === "class_definition") && !same(n, scope)));
    }
    const declared = (kind: "global_statement" | "nonlocal_statement"): boolean => {
      let found = false;
      walk(field(scope, "body") ?? scope, (n) => {
        if (found || n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") return false;
        if (n.type === kind && named(n).some((c) => c.text === name)) found = true;
        return true;
      });
      return found;
    };
    const isFunction = (n: Node): boolean => n.type === "function_definition" || n.type === "lambda";
    if (scope.type === "module" || (scope.type === "function_definition" && declared("global_statement"))) {
      // Functions that read the module's name (not binding it themselves): at call time it may hold the response.
      walk(this.root, (n) => {
        if (!isFunction(n) || same(n, scope)) return true;
        if (bindsLocally(n, name) || (scope.type === "module" && n.startIndex >= after)) return false;
        markIn(field(n, "body") ?? n, (m) => isFunction(m) && bindsLocally(m, name));
        return false;
      });
    } else if (scope.type === "function_definition" && declared("nonlocal_statement")) {
      const outer = scopeNodeOf(scope);
      if (outer.type === "function_definition") markIn(field(outer, "body") ?? outer, (n) => same(n, scope) || (isFunction(n) && bindsLocally(n, name)));
    }
  }

  /** Reads a binding's follow took, by their range: a read two bindings of one shape reach is rewritten once. */
  private readonly followedReads = new Set<string>();

  /** Reads of a loop's variable inside the loop. */
  private followIn(name: Node, within: Node, kind: Kind): void {
    const uses: Node[] = [];
    // Handles: for g in r.generations: g = g.text.strip(): from the first assignment on, the name
    // holds something else. A read of an attribute after it may still mean the generation (the
    // assignment may not run): marked, not rewritten.
    let reassigned = Infinity;
    // From an assignment that always runs (a statement of the loop's own body) on, a read is plainly the new value.
    let surely = Infinity;
    const body = within.type === "for_statement" ? field(within, "body") : undefined;
    walk(within, (n) => {
      if ((n.type === "assignment" || n.type === "augmented_assignment") && nameOf(field(n, "left")) === name.text) {
        if (n.endIndex < reassigned) reassigned = n.endIndex;
        if (body && n.parent?.type === "expression_statement" && same(n.parent.parent, body) && n.endIndex < surely) surely = n.endIndex;
      }
      return true;
    });
    walk(within, (n) => {
      if (same(n, name)) return false;
      if (isUse(n, name.text) && !same(n.parent, within)) uses.push(n);
      return true;
    });
    for (const use of uses) {
      if (same(use, name)) continue;
      if (use.startIndex < reassigned) this.follow(use, kind);
      else if (use.startIndex > surely) continue;
      else if (use.parent?.type === "attribute" && same(field(use.parent, "object"), use)) this.mark(use, "response-shape", `(${name.text} is assigned another value above: if it may still be a Chat response here, read it as one)`);
    }
  }

  /** A read `base.steps...` of a value of `kind`. */
  private read(base: Node, steps: Step[], kind: Kind): void {
    const [first, second] = steps;
    switch (kind.is) {
      case "response":
      case "fanout": {
        const fanout = kind.is === "fanout";
        if (first.attr === "generations") {
          if (second?.index) {
            // r.generations[i] → the response (n = 1) or the i-th response.
            return this.generation(base, steps.slice(2), kind.plan, fanout ? { tailFrom: first, text: `[${second.index.text}]`, end: second.node } : { tailFrom: first, text: "", end: second.node, index: second.index });
          }
          return this.list(base, steps.slice(1), kind.plan, fanout, first);
        }
        if (first.index) {
          // cohere 4.x: Generations is a list.
          return this.generation(base, steps.slice(1), kind.plan, fanout ? { tailFrom: first, text: undefined, end: first.node } : { tailFrom: first, text: "", end: first.node, index: first.index });
        }
        if (fanout) return this.mark(base, "response-shape", FANOUT_LIST);
        if (first.attr === "meta") {
          // Handles: r.meta.api_version, r.meta.warnings, print(r.meta): only billed_units and tokens are on usage.
          if (!second?.attr || !USAGE_FIELDS.has(second.attr)) return this.mark(base, "response-shape", "(meta is now response.usage: billed_units, tokens; api_version and warnings are gone)");
          return this.tail(first, first.node, ".usage");
        }
        if (first.attr === "id") return;
        if (first.attr === "prompt" && kind.plan.prompt && this.promptReadsSame(kind.plan, base)) {
          return this.replaceRange(base.startIndex, first.node.endIndex, kind.plan.prompt);
        }
        if (first.attr === "prompt") return this.mark(base, "response-shape", "(a Chat response does not carry the prompt, and what was sent cannot be written again here: keep it in a variable at the call)");
        return this.mark(base, "response-shape");
      }
      case "generation":
        return this.generation(base, steps, kind.plan, { tailFrom: undefined, text: undefined, end: undefined });
      case "list":
        // gens[0]: the list holds responses now (one, or n after a fan-out): the item is one of them.
        if (first.index) return this.generation(base, steps.slice(1), kind.plan, { tailFrom: undefined, text: undefined, end: first.node });
        return this.mark(base, "response-shape");
      case "stream":
        return this.mark(base, "response-shape", "(it is now a stream of Chat v2 events: a content-delta event's text is chat_delta_text(event))");
      case "event":
        return this.event(base, steps, kind);
    }
  }

  /** Replaces the accessors from `from` up to the end of `end` with `text`. */
  private tail(from: Step, end: Node, text: string): void {
    this.edits.push({ start: stepStart(from), end: end.endIndex, text });
  }

  private replaceRange(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  /**
   * A Generation, reached as `base` + accessors up to `via.end` (rewritten to `via.text`), read
   * on through `rest`.
   */
  private generation(base: Node, rest: Step[], plan: RequestPlan, via: { tailFrom?: Step; text?: string; end?: Node; index?: Node }): void {
    if (via.index && via.index.text !== "0" && via.index.text !== "-1") {
      // With one generation only index 0 existed.
      return this.mark(base, "response-shape");
    }
    const exprEnd = via.end ?? base;
    const rewriteVia = (): void => {
      if (via.tailFrom && via.text !== undefined && via.end) this.tail(via.tailFrom, via.end, via.text);
    };
    const [next] = rest;
    if (next?.attr === "text") {
      this.text_(base, exprEnd, next.node, via, plan);
      return;
    }
    if (next?.attr === "finish_reason" || next?.attr === "id") {
      rewriteVia();
      // Generate stopped at the sequence with COMPLETE; Chat runs on and the text is cut after.
      if (next.attr === "finish_reason" && (plan.stop || plan.end)) this.mark(base, "response-shape", "(stop/end sequences are now cut after the response: this finish_reason is Chat's for the whole text, which can be MAX_TOKENS where Generate stopped at a sequence with COMPLETE)");
      return;
    }
    if (next?.attr === "likelihood" || next?.attr === "token_likelihoods") {
      // Chat's logprobs have another shape, and a Chat response has no `generations`: the read
      // becomes `None` (it still runs and type-checks) and the marker says what to do.
      // Iterated (`for t in r.generations[0].token_likelihoods`), it becomes an empty tuple: the
      // loop runs no times instead of raising on None.
      const empty = iterated(next.node);
      const counted = empty && nameOf(field(next.node.parent?.parent ?? next.node, "function")) === "len";
      this.mark(base, "likelihoods", counted ? "(here an empty tuple: len() is 0; the output's token count is response.usage.tokens.output_tokens)" : empty ? "(here an empty tuple: a loop over it runs no times)" : undefined);
      this.replaceRange(base.startIndex, next.node.endIndex, empty ? "()" : "None");
      return;
    }
    if (next) {
      // A str method on a 4.x Generation (`r[0].strip()`): the text.
      if (next.attr && STR_METHODS.has(next.attr)) return this.text_(base, exprEnd, exprEnd, via, plan);
      return this.mark(base, "response-shape");
    }
    const parent = exprEnd.parent;
    if (parent?.type === "assignment" && same(field(parent, "right"), exprEnd) && field(parent, "left")?.type === "identifier") {
      rewriteVia();
      return this.followName(field(parent, "left") as Node, parent, { is: "generation", plan, fanout: false });
    }
    // Read as an object (`getattr(g, "text", "")`, `hasattr(g, "text")`, `vars(g)`): not as its text.
    if (parent?.type === "argument_list" && OBJECT_READERS.has(nameOf(field(parent.parent as Node, "function")) ?? "")) return this.mark(base, "response-shape");
    // Handles: return r.generations[0], out.append(r.generations[0]), show(r.generations[0]),
    // self.best = r.generations[0]: the object goes on to code that may read `.text` or
    // `.finish_reason` from it, which the text (a str) has not.
    if (handedOn(exprEnd)) return this.mark(base, "response-shape", "(a Generation object is handed on here, and Chat v2 has none: pass on the text, chat_text(response), or the response itself, and update the code that reads it)");
    // A Generation used as a value: in 4.x it is the text (a str subclass).
    this.text_(base, exprEnd, exprEnd, via, plan);
  }

  /** `list` of generations (`r.generations`): loops, comprehensions, len, unpacking. */
  private list(base: Node, rest: Step[], plan: RequestPlan, fanout: boolean, generations: Step): void {
    if (rest.length) {
      if (rest[0].index) return this.generation(base, rest.slice(1), plan, fanout ? { tailFrom: generations, text: `[${rest[0].index.text}]`, end: rest[0].node } : { tailFrom: generations, text: "", end: rest[0].node, index: rest[0].index });
      return this.mark(base, "response-shape");
    }
    const expr = generations.node;
    const toList = (): void => {
      if (fanout) this.tail(generations, generations.node, "");
      else {
        this.edits.push({ start: base.startIndex, end: base.startIndex, text: "[" });
        this.tail(generations, generations.node, "]");
      }
    };
    const parent = expr.parent;
    if (!parent) return;
    if ((parent.type === "for_statement" || parent.type === "for_in_clause") && same(field(parent, "right"), expr)) {
      toList();
      const target = field(parent, "left");
      const body = parent.type === "for_statement" ? parent : parent.parent;
      if (target?.type === "identifier" && body) this.followIn(target, body, { is: "generation", plan, fanout });
      else if (target && body) for (const t of named(target)) if (t.type === "identifier") this.followIn(t, body, { is: "generation", plan, fanout });
      return;
    }
    if (parent.type === "argument_list" && nameOf(field(parent.parent as Node, "function")) === "len") return toList();
    // Handles: for i, g in enumerate(r.generations[, start]): the second name is a generation.
    const enumerateCall = parent.type === "argument_list" && same(codeChildren(parent)[0] ?? parent, expr) && nameOf(field(parent.parent as Node, "function")) === "enumerate" ? (parent.parent as Node) : undefined;
    const loop = enumerateCall?.parent;
    if (enumerateCall && loop && (loop.type === "for_statement" || loop.type === "for_in_clause") && same(field(loop, "right"), enumerateCall)) {
      const targets = field(loop, "left");
      const items = targets && (targets.type === "pattern_list" || targets.type === "tuple_pattern") ? codeChildren(targets) : [];
      const body = loop.type === "for_statement" ? loop : loop.parent;
      if (items.length === 2 && items[1].type === "identifier" && body) {
        toList();
        return this.followIn(items[1], body, { is: "generation", plan, fanout });
      }
    }
    if (isTruthinessTest(expr)) {
      // Handles: `if r.generations:` / `x if r.generations else y`: Generate always gave at least one,
      // and the response (or the list of them) is as truthy: the test reads the value itself.
      return this.tail(generations, generations.node, "");
    }
    if (parent.type === "assignment" && same(field(parent, "right"), expr)) {
      const left = field(parent, "left");
      toList();
      if (left?.type === "identifier") return this.followName(left, parent, { is: "list", plan, fanout });
      if (left) for (const t of named(left)) if (t.type === "identifier") this.followName(t, parent, { is: "generation", plan, fanout });
      return;
    }
    // Handles: sorted(r.generations, key=lambda g: len(g.text)) after num_generations=3: a list of
    // responses now, which the marker says (it is not one Chat response).
    this.mark(base, "response-shape", fanout ? FANOUT_LIST : undefined);
  }

  /**
   * Rewrites a Generation read to its text: `chat_text(<response>)`, where the response is `base`
   * up to `expr` (its accessors rewritten by `via`), and the read runs on to the end of `end`.
   */
  private text_(base: Node, expr: Node, end: Node, via: { tailFrom?: Step; text?: string }, plan: RequestPlan): void {
    const name = this.helper(base);
    let args = this.sequencesAt(base, plan);
    if (args === undefined) {
      // Handles: def ask(p, stop): return co.generate(..., stop_sequences=stop), read by a caller
      // (`stop` is not defined there), the name rebound before the read, an f-string the
      // sequences' quotes or backslashes would end (before Python 3.12): the text is read whole, and marked.
      const computed = [plan.stop, plan.end].some((v) => v && !LITERAL_SEQUENCES.test(v) && !/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(v));
      this.mark(base, "sequences-unapplied", computed ? `(${sequenceArgs(plan).slice(2)} is computed where the request is made: bind it to a name before the call and pass that name to ${name} here)` : `(${sequenceArgs(plan).slice(2)}: the request's value cannot be written here; pass it to ${name})`);
      args = "";
    }
    this.sequencesApplied.add(plan);
    this.edits.push({ start: base.startIndex, end: base.startIndex, text: `${name}(` });
    if (via.tailFrom && via.text !== undefined) this.edits.push({ start: stepStart(via.tailFrom), end: end.endIndex, text: `${via.text}${args})` });
    else this.edits.push({ start: expr.endIndex, end: end.endIndex, text: `${args})` });
  }

  /**
   * Whether the request's prompt, written again at `at` (`response.prompt` → its source), reads
   * what was sent: a literal; or a name or attribute in the request's function, not assigned (nor
   * grown with `+=`) between the call and the read.
   */
  private promptReadsSame(plan: RequestPlan, at: Node): boolean {
    const source = plan.prompt ?? "";
    if (/^(['"]).*\1$/.test(source)) return true;
    // A plain name only: an attribute (`self.prompt`) may be grown by any method called in
    // between, and a name under `nonlocal` / `global` by an inner function.
    if (!/^[A-Za-z_]\w*$/.test(source) || new RegExp(`\\b(?:nonlocal|global)\\b[^\\n]*\\b${source}\\b`).test(this.text)) return false;
    const call = this.callOf.get(plan);
    const scope = call && scopeNodeOf(call);
    return !!call && !!scope && same(scope, scopeNodeOf(at)) && !reboundBetween(scope, source, call.endIndex, at.startIndex);
  }

  /**
   * `, stop_sequences=..., end_sequences=...` as a text read at `at` can write them, or undefined
   * when they cannot mean there what they meant in the request: a name or expression outside the
   * request's function or rebound in between, quotes or a backslash inside an f-string.
   */
  private sequencesAt(at: Node, plan: RequestPlan): string | undefined {
    let out = "";
    const call = this.callOf.get(plan);
    const inFString = insideInterpolation(at);
    for (const [key, source] of [["stop_sequences", plan.stop], ["end_sequences", plan.end]] as const) {
      if (!source) continue;
      let text = source;
      if (!LITERAL_SEQUENCES.test(text)) {
        const scope = call && scopeNodeOf(call);
        if (!call || !scope || !same(scope, scopeNodeOf(at)) || reboundBetween(scope, text, call.endIndex, at.startIndex)) return undefined;
        // Only a name or an attribute reads the same value again: a call (`kwargs.pop("stop", None)`,
        // `stops()`) would run once per read, after the request; nor a list changed in place since.
        // Handles: stop_sequences=[stop], [sep, "\n\n"], list(stop): a list made of such names and literals
        // reads the same again (a new list each time), as long as the names do.
        const items = /^(?:\[(.*)\]|\((.*),?\)|(?:list|tuple)\((.*)\))$/s.exec(text);
        const parts = items ? (items[1] ?? items[2] ?? items[3] ?? "").split(",").map((p) => p.trim()).filter(Boolean) : [text];
        const stable = (part: string): boolean => /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*$/.test(part) || /^(["'])(?:(?!\1)[^\\\n]|\\.)*\1$/.test(part);
        if (!parts.length || !parts.every(stable) || parts.some((p) => /^[A-Za-z_]/.test(p) && mutatedBetween(this.text, p, call.endIndex, at.startIndex))) return undefined;
      }
      if (inFString) {
        const q = quoteAt(at, this.quote);
        if (!q || text.includes("\\")) return undefined;
        text = text.replace(/"([^"'\n]*)"|'([^"'\n]*)'/g, (_m, a: string | undefined, b: string | undefined) => `${q}${a ?? b}${q}`);
        if (/["']/.test(text.split(q).filter((_, i) => i % 2 === 0).join(""))) return undefined;
      }
      out += `, ${key}=${text}`;
    }
    return out;
  }

  private event(base: Node, steps: Step[], kind: Extract<Kind, { is: "event" }>): void {
    const [first] = steps;
    if (!first?.attr) return this.mark(base, "response-shape");
    switch (first.attr) {
      case "event_type": {
        const cmp = first.node.parent;
        this.tail(first, first.node, ".type");
        if (cmp?.type === "match_statement") {
          // Handles: match event.event_type: case "text-generation": ... case "stream-end" | ...:
          const body = named(cmp).find((n) => n.type === "block");
          for (const clause of body ? named(body) : []) {
            if (clause.type !== "case_clause") continue;
            for (const pattern of named(clause).filter((n) => n.type === "case_pattern")) {
              walk(pattern, (n) => {
                if (n.type !== "string") return true;
                const value = stringValue(n);
                const to = value !== undefined ? EVENT_TYPES.get(value) : undefined;
                if (to) this.replaceRange(n.startIndex, n.endIndex, literal(to, n.text.endsWith("'") ? "'" : '"'));
                else if (value === "stream-error") this.mark(base, "stream-error");
                return false;
              });
            }
          }
          return;
        }
        if (cmp?.type === "comparison_operator") {
          for (const operand of named(cmp)) {
            if (same(operand, first.node)) continue;
            const strings = operand.type === "string" ? [operand] : operand.type === "tuple" || operand.type === "list" || operand.type === "set" ? named(operand) : [];
            for (const s of strings) {
              const value = stringValue(s);
              const to = value !== undefined ? EVENT_TYPES.get(value) : undefined;
              if (to) this.replaceRange(s.startIndex, s.endIndex, literal(to, s.text.endsWith("'") ? "'" : '"'));
              else if (value === "stream-error") this.mark(base, "stream-error");
            }
          }
        } else {
          this.mark(base, "response-shape");
        }
        return;
      }
      case "text": {
        const name = this.namedHelper(base, "delta");
        this.edits.push({ start: base.startIndex, end: base.startIndex, text: `${name}(` });
        return this.tail(first, first.node, ")");
      }
      case "finish_reason":
        // `delta` is Optional in the SDK's types: read it the way the type checker accepts.
        return this.replaceRange(base.startIndex, first.node.endIndex, parenthesized(first.node, `${base.text}.delta.finish_reason if ${base.text}.delta else None`));
      case "is_finished":
        return this.replaceRange(base.startIndex, first.node.endIndex, parenthesized(first.node, `${base.text}.type == ${literal("message-end", quoteAt(base, this.quote) ?? this.quote)}`));
      case "response":
        // The full text (`event.response.generations[0].text`) is not sent; its usage and id are read otherwise.
        if (steps[1]?.attr === undefined || steps[1].attr === "generations") return this.mark(base, "stream-full-text");
        return this.mark(base, "response-shape", "(a Chat v2 stream's message-end event carries delta.usage; the response id is on the message-start event)");
      default:
        void kind;
        return this.mark(base, "response-shape");
    }
  }

  /** The text helper's name, asked for by a read at `use`. */
  private helper(use: Node): string {
    return this.namedHelper(use, "text");
  }

  private namedHelper(use: Node, which: HelperKind): string {
    this.helpersWanted.add(which);
    this.firstUse = Math.min(this.firstUse, use.startIndex);
    return helperNameIn(this.text, HELPER_NAMES[which]);
  }

  helpers(): HelperKind[] {
    return [...this.helpersWanted];
  }

  finish(): Edit[] {
    const edits = [...this.edits, ...this.markerLines.edits()];
    const sources: string[] = [];
    const fromModule: string[] = [];
    const module = this.options.helperModule;
    for (const which of ["text", "delta"] as const) {
      if (!this.helpersWanted.has(which)) continue;
      const name = helperNameIn(this.text, HELPER_NAMES[which]);
      // Already here: defined by an earlier run, or imported from the package's helper module.
      if (new RegExp(`^def\\s+${name}\\(`, "m").test(this.text) || importsFromHelperModule(this.text, name)) continue;
      if (module) fromModule.push(name === HELPER_NAMES[which] ? name : `${HELPER_NAMES[which]} as ${name}`);
      else sources.push(helperSource(which, name, this.eol));
    }
    const imports: string[] = [];
    if (this.needsAsyncio && !/^import asyncio\b/m.test(this.text)) imports.push("import asyncio");
    if (this.needsMessageImport && !/^from cohere import[^\n]*\bUserChatMessageV2\b/m.test(this.text)) imports.push("from cohere import UserChatMessageV2");
    if (module && fromModule.length) imports.push(`from ${module.dots}${HELPER_MODULE} import ${fromModule.join(", ")}`);
    if (imports.length) {
      const anchor = this.importAnchor();
      const at = anchor ?? this.headEnd();
      // A file without imports gets them at its head, set off by a blank line (two before a helper's def, PEP 8).
      const after = sources.length ? this.eol + this.eol : this.eol;
      edits.push({ start: at, end: at, text: anchor !== undefined ? imports.map((i) => this.eol + i).join("") : imports.map((i) => i + this.eol).join("") + after });
    }
    // After the imports it may add (an insertion at the same offset goes after the earlier one).
    if (sources.length) edits.push(this.helperInsertion(sources.join(this.eol + this.eol + this.eol)));
    return keptEdits(edits);
  }

  /** End of the last top-level import before the first definition or use, if any. */
  private importAnchor(): number | undefined {
    let anchor: number | undefined;
    for (const stmt of named(this.root)) {
      if (stmt.startIndex > this.firstUse || stmt.type === "function_definition" || stmt.type === "class_definition" || stmt.type === "decorated_definition") break;
      if (stmt.type === "import_statement" || stmt.type === "import_from_statement" || stmt.type === "future_import_statement") {
        // Handles: import cohere; co = cohere.Client(k); ...: nothing can go between statements of
        // one line; what is added goes above that line instead (the helpers need no import).
        if (!/^[ \t]*(?:#[^\n]*)?(?:\r?\n|$)/.test(this.text.slice(stmt.endIndex, stmt.endIndex + 200))) break;
        anchor = stmt.endIndex;
      }
    }
    return anchor;
  }

  /** Where a file without imports gets new top-level code: after its docstring and leading comments. */
  private headEnd(): number {
    for (const stmt of named(this.root)) {
      if (stmt.type === "comment") continue;
      if (stmt.type === "expression_statement" && named(stmt)[0]?.type === "string") continue;
      return stmt.startIndex;
    }
    return this.text.length;
  }

  private helperInsertion(source: string): Edit {
    const eol = this.eol;
    const anchor = this.importAnchor();
    if (anchor !== undefined) {
      // The blank lines after the imports are replaced, so the helper has two above and two below
      // (PEP 8) however many the file had there. In a notebook it stays in the imports' cell, and at
      // that cell's end it needs no blank lines below.
      const limit = this.options.cellEnds?.find((e) => e >= anchor) ?? this.text.length;
      const blank = /^(?:[ \t]*\r?\n)+/.exec(this.text.slice(anchor, limit));
      const end = anchor + (blank ? blank[0].length : 0);
      const below = this.options.cellEnds && end >= limit ? "" : `${eol}${eol}${eol}`;
      return { start: anchor, end, text: `${eol}${eol}${eol}${source}${below}` };
    }
    // Before the top-level statement that holds the first use.
    const stmt = named(this.root).find((s) => s.endIndex > this.firstUse && s.type !== "comment");
    const at = stmt ? lineStartOf(this.text, stmt.startIndex) : this.headEnd();
    return { start: at, end: at, text: `${source}${eol}${eol}${eol}` };
  }
}

const ITERATING_CALLS: ReadonlySet<string> = new Set(["len", "sum", "list", "tuple", "sorted", "enumerate", "max", "min", "any", "all", "zip", "map", "filter", "iter", "set"]);

/** Whether `expr` is what a loop, comprehension or iterating builtin goes over. */
function iterated(expr: Node): boolean {
  const p = expr.parent;
  if (!p) return false;
  if ((p.type === "for_statement" || p.type === "for_in_clause") && same(field(p, "right"), expr)) return true;
  if (p.type === "argument_list") {
    const fn = p.parent && field(p.parent, "function");
    return fn?.type === "identifier" && ITERATING_CALLS.has(fn.text);
  }
  return false;
}

/** `expr` in parentheses unless it replaces a whole argument, assignment value or statement. */
function parenthesized(replaced: Node, expr: string): string {
  const p = replaced.parent?.type;
  const bare = p === "argument_list" || p === "expression_statement" || p === "return_statement" || p === "keyword_argument" || p === "parenthesized_expression" || (p === "assignment" && same(field(replaced.parent as Node, "right"), replaced));
  return bare ? expr : `(${expr})`;
}


const STR_METHODS: ReadonlySet<string> = new Set(["strip", "lstrip", "rstrip", "split", "splitlines", "lower", "upper", "replace", "startswith", "endswith", "find", "encode", "format", "join", "partition", "count", "title", "capitalize"]);

/** A string, or a list or tuple of strings: it means the same anywhere. */
const LITERAL_SEQUENCES = /^\s*(?:[[(]\s*(?:(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*,\s*)*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')?\s*,?\s*[\])]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*$/;

function insideInterpolation(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === "interpolation") return true;
  return false;
}

/** Whether a name or attribute `expression` reads is assigned in `scope` between two offsets (not in nested functions). */
function reboundBetween(scope: Node, expression: string, from: number, to: number): boolean {
  const names = new Set(expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "").match(/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g) ?? []);
  let found = false;
  walk(scope, (n) => {
    if (found || n.endIndex <= from || n.startIndex >= to) return false;
    if ((n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") && !same(n, scope)) return false;
    if ((n.type === "assignment" || n.type === "augmented_assignment" || n.type === "for_statement") && n.startIndex >= from) {
      const left = field(n, "left");
      if (left && (names.has(left.text) || [...names].some((name) => targets(left, name)))) found = true;
    }
    return true;
  });
  return found;
}

/** The response-shape detail for a value that num_generations made a list of Chat responses. */
const FANOUT_LIST = "(with num_generations it is now a list of Chat v2 responses, one per generation: iterate it, and read each one's text with chat_text(response))";

function sequenceArgs(plan: RequestPlan): string {
  let out = "";
  if (plan.stop) out += `, stop_sequences=${plan.stop}`;
  if (plan.end) out += `, end_sequences=${plan.end}`;
  return out;
}

/** A parameter's position among a function's positional parameters; -1 for a keyword-only one; undefined when it has none of that name. */
function parameterIndex(fn: Node, name: string): number | undefined {
  const params = field(fn, "parameters");
  let index = 0;
  let keywordOnly = false;
  for (const p of params ? named(params) : []) {
    if (p.type === "list_splat_pattern" || p.type === "keyword_separator") keywordOnly = true;
    const own = p.type === "identifier" ? p : (field(p, "name") ?? named(p).find((c) => c.type === "identifier"));
    if (p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern" || p.type === "keyword_separator" || p.type === "positional_separator") continue;
    if (own?.text === name) return keywordOnly ? -1 : index;
    index++;
  }
  return undefined;
}

/** The argument a call passes for a parameter (by keyword, or at its position before any `*` spread). */
function argumentFor(call: Node, param: { param: string; index: number }): Node | undefined {
  const args = field(call, "arguments");
  if (args?.type !== "argument_list") return undefined;
  let position = 0;
  let spread = false;
  let found: Node | undefined;
  for (const item of named(args)) {
    if (item.type === "comment") continue;
    if (item.type === "keyword_argument") {
      if (field(item, "name")?.text === param.param) found = field(item, "value") ?? undefined;
    } else if (item.type === "list_splat" || item.type === "dictionary_splat") spread = true;
    else if (!spread && position++ === param.index) found = item;
  }
  return found;
}

/** Whether a function binds `name` in its own scope: a parameter, or an assignment or loop in its body (not `global`). */
function bindsLocally(fn: Node, name: string): boolean {
  const params = field(fn, "parameters");
  if (params && named(params).some((p) => (p.type === "identifier" ? p.text : (field(p, "name") ?? named(p).find((c) => c.type === "identifier"))?.text) === name)) return true;
  let binds = false;
  let global = false;
  walk(field(fn, "body") ?? fn, (n) => {
    if (binds || global || n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") return false;
    if ((n.type === "global_statement" || n.type === "nonlocal_statement") && named(n).some((c) => c.text === name)) global = true;
    if ((n.type === "assignment" || n.type === "for_statement" || n.type === "augmented_assignment") && targets(field(n, "left"), name)) binds = true;
    // `with open(u) as response:` and `(response := get(u))` bind in the function too.
    if (n.type === "as_pattern_target" && named(n).some((c) => targets(c, name))) binds = true;
    if (n.type === "named_expression" && field(n, "name")?.text === name) binds = true;
    return true;
  });
  return binds && !global;
}

/** Whether a call is an awaitable handed to `asyncio.gather(...)`: an argument, or an item of a starred list or comprehension there. */
function gathered(call: Node): boolean {
  let n: Node = call;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (p.type === "argument_list") {
      const fn = p.parent && field(p.parent, "function");
      return fn !== undefined && fn !== null && /(^|\.)gather$/.test(fn.text);
    }
    if (p.type === "list_splat" || p.type === "list" || p.type === "tuple" || p.type === "parenthesized_expression") n = p;
    else if ((p.type === "list_comprehension" || p.type === "generator_expression") && same(field(p, "body"), n)) n = p;
    else return false;
  }
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Accessors above an expression: `.attr` and `[index]`, outermost last. */
function stepsAbove(expr: Node): Step[] {
  const steps: Step[] = [];
  let cur = expr;
  for (;;) {
    const parent = cur.parent;
    if (!parent) break;
    if (parent.type === "attribute" && same(field(parent, "object"), cur)) {
      steps.push({ node: parent, attr: field(parent, "attribute")?.text });
    } else if (parent.type === "subscript" && same(field(parent, "value"), cur)) {
      // A slice (`gens[:1]`) is still a list, not an item: a step with no index (reads of it are marked).
      const subscript = field(parent, "subscript");
      steps.push(subscript?.type === "slice" ? { node: parent } : { node: parent, index: subscript });
    } else break;
    cur = parent;
  }
  return steps;
}

/** Where a step's own bytes start (just after the expression it applies to). */
function stepStart(step: Step): number {
  const object = field(step.node, step.attr !== undefined ? "object" : "value");
  return object ? object.endIndex : step.node.startIndex;
}

/** An identifier that reads the name (not an attribute name, keyword or parameter). */
/**
 * An identifier that names a member, not the module's binding of that name: `obj.ask` (an
 * attribute), `f(ask=...)` (a keyword), and `def ask(self)` in a class body (a method: class
 * scope is not seen by the module or by the class's own functions).
 */
function namesAMember(n: Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === "attribute") return same(field(p, "attribute"), n);
  if (p.type === "keyword_argument") return same(field(p, "name"), n);
  if (p.type !== "function_definition" || !same(field(p, "name"), n)) return false;
  const holder = p.parent?.type === "decorated_definition" ? p.parent.parent : p.parent;
  return holder?.type === "block" && holder.parent?.type === "class_definition";
}

/** Whether the text between two offsets changes the list `name` names in place (`stops.clear()`, `stops[0] = x`, `del stops[0]`). */
function mutatedBetween(text: string, name: string, from: number, to: number): boolean {
  const escaped = name.replace(/\./g, "\\.");
  const between = text.slice(from, Math.max(from, to));
  return new RegExp(`(?<![\\w.])${escaped}\\s*(?:\\.\\s*(?:clear|append|extend|pop|remove|insert|sort|reverse)\\s*\\(|\\[[^\\]\\n]*\\]\\s*=(?!=)|\\s*\\+=)|\\bdel\\s+${escaped}\\s*\\[`).test(between);
}

function isUse(n: Node, name: string): boolean {
  if (n.type !== "identifier" || n.text !== name) return false;
  const p = n.parent;
  if (!p) return true;
  if (p.type === "attribute" && same(field(p, "attribute"), n)) return false;
  if (p.type === "keyword_argument" && same(field(p, "name"), n)) return false;
  if ((p.type === "assignment" || p.type === "augmented_assignment") && same(field(p, "left"), n)) return false;
  if (p.type === "parameters" || p.type === "default_parameter" || p.type === "typed_parameter") return false;
  if (p.type === "for_statement" && same(field(p, "left"), n)) return false;
  return true;
}

const COMPREHENSIONS: ReadonlySet<string> = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);

/** A use that reads nothing of the value: `x is None` / `x is not None`, `global x`, `del x`. */
function readsNothingOf(n: Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === "global_statement" || p.type === "nonlocal_statement" || p.type === "delete_statement") return true;
  return p.type === "comparison_operator" && /^\S+\s+is(\s+not)?\s+None$|^None\s+is(\s+not)?\s+\S+$/.test(p.text);
}

function targets(left: Node | undefined, name: string): boolean {
  if (!left) return false;
  if (left.type === "identifier") return left.text === name;
  if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") return named(left).some((c) => targets(c, name));
  return false;
}

/** A binding of a name in a scope, with what it binds when that is plain from its statement. */
interface NameBinding {
  node: Node;
  /** `x = None`: a placeholder before the value comes (a retry loop, an optional cache). */
  placeholder?: true;
  /** The shape of a Generate call it binds (signatureOf), if it binds one. */
  signature?: string;
}

/** The statements and parameters of a scope (not of its nested functions or classes) that bind `name`. */
function bindingsOf(scope: Node, name: string): NameBinding[] {
  const out: NameBinding[] = [];
  if (scope.type === "function_definition" && parameterIndex(scope, name) !== undefined) out.push({ node: field(scope, "parameters") ?? scope });
  walk(scope, (n) => {
    if ((n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") && !same(n, scope)) return false;
    if ((n.type === "assignment" || n.type === "augmented_assignment") && targets(field(n, "left"), name)) {
      const right = field(n, "right");
      out.push({ node: n, ...(right?.type === "none" ? { placeholder: true as const } : {}), ...(n.type === "assignment" && right ? withSignature(right) : {}) });
    } else if ((n.type === "for_statement" || n.type === "with_item" || n.type === "named_expression") && targets(field(n, n.type === "named_expression" ? "name" : "left") ?? (n.type === "with_item" ? field(field(n, "value") ?? n, "alias") : undefined), name)) out.push({ node: n });
    return true;
  });
  return out;
}

function withSignature(right: Node): { signature?: string } {
  const signature = callSignature(right);
  return signature === undefined ? {} : { signature };
}

/** The binding statement's Generate call shape, for a binding node given to followName. */
function signatureOf(binding: Node): string | undefined {
  const right = binding.type === "assignment" ? field(binding, "right") : undefined;
  return right ? callSignature(right) : undefined;
}

/**
 * `generate`, `generate+n` (num_generations other than a literal 1), `generate+stream`: what a read
 * of the bound name can rely on. Two bindings of one signature give reads one rewrite.
 */
function callSignature(expr: Node): string | undefined {
  const call = expr.type === "await" ? named(expr)[0] : expr;
  if (call?.type !== "call") return undefined;
  const fn = field(call, "function");
  const method = fn?.type === "attribute" ? field(fn, "attribute")?.text : undefined;
  if (method !== "generate" && method !== "generate_stream") return undefined;
  const entries = requestEntries(call);
  const n = entries.get("num_generations");
  const many = n !== undefined && n.text !== "1";
  const stream = method === "generate_stream" || entries.get("stream")?.text === "True";
  return `generate${many ? "+n" : ""}${stream ? "+stream" : ""}`;
}

/** The block (or module) a statement is a statement of. */
function blockOf(node: Node): Node {
  let n: Node | null = node.parent;
  while (n && n.type !== "block" && n.type !== "module") n = n.parent;
  return n ?? node;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

function mentions(node: Node, name: string): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (isUse(n, name)) found = true;
    return true;
  });
  return found;
}

/** Whether `expr` is only tested for truth: an if/elif/while condition, a conditional's test, `not x`, `x and ...`. */
function isTruthinessTest(expr: Node): boolean {
  const parent = expr.parent;
  if (!parent) return false;
  if ((parent.type === "if_statement" || parent.type === "elif_clause" || parent.type === "while_statement") && same(field(parent, "condition"), expr)) return true;
  if (parent.type === "conditional_expression") return same(named(parent)[1], expr);
  if (parent.type === "not_operator") return true;
  return parent.type === "boolean_operator" && field(parent, "operator")?.text === "and" && same(field(parent, "left"), expr);
}

/** Calls that read a Generation as text (what a 4.x Generation, a str, was there): printing, logging, writing, measuring. */
const TEXT_READERS = /(?:^|\.)(?:print|str|len|repr|format|write|writelines|markdown|text|code|caption|success|info|debug|warning|warn|error|exception|critical|log|echo|secho|dumps|loads|strip|join|startswith|endswith|replace|split|lower|upper|encode)$/;

/**
 * Whether a Generation value goes on as an object: returned or yielded, put in a list, tuple or
 * dict, stored in an attribute or item, or passed to a call that is not a text reader.
 */
function handedOn(expr: Node): boolean {
  let n = expr;
  while (n.parent?.type === "parenthesized_expression") n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === "return_statement" || p.type === "yield" || p.type === "list" || p.type === "tuple" || p.type === "set" || p.type === "expression_list") return true;
  if (p.type === "pair") return same(field(p, "value"), n);
  if (p.type === "assignment" && same(field(p, "right"), n)) return field(p, "left")?.type === "attribute" || field(p, "left")?.type === "subscript";
  const args = p.type === "keyword_argument" ? p.parent : p;
  if (args?.type !== "argument_list") return false;
  const fn = field(args.parent as Node, "function")?.text ?? "";
  return !TEXT_READERS.test(fn);
}

/** What code reads of a Generate response (a read of one of these on a name that may hold a Chat v2 response is that response's). */
const GENERATE_ATTRIBUTES: ReadonlySet<string> = new Set(["generations", "meta", "prompt", "id"]);

/** Builtins that read a value as an object, not as the text a 4.x Generation also was. */
const OBJECT_READERS: ReadonlySet<string> = new Set(["getattr", "hasattr", "setattr", "delattr", "vars", "dir", "isinstance", "type", "id"]);

/**
 * Whether a `for` loop's body is only `if`/`elif` chains that each pick events by type
 * (`event.event_type == "text-generation"`, `... in (...)`, `event.is_finished`), none with an
 * `else:`: Chat's other events then pass through it untouched, and need no filtering.
 */
function dispatchesOnType(loop: Node, target: Node): boolean {
  if (loop.type !== "for_statement" || target.type !== "identifier" || field(loop, "alternative")) return false;
  const statements = named(field(loop, "body") ?? loop).filter((n) => n.type !== "comment");
  const ofEvent = (n: Node | undefined, attr: string): boolean => n?.type === "attribute" && field(n, "object")?.text === target.text && field(n, "attribute")?.text === attr;
  const picks = (condition: Node | null | undefined): boolean => {
    if (!condition) return false;
    if (ofEvent(condition, "is_finished")) return true;
    if (condition.type !== "comparison_operator") return false;
    const operators = condition.children.flatMap((c) => (c && !c.isNamed ? [c.text] : []));
    return operators.length === 1 && (operators[0] === "==" || operators[0] === "in") && ofEvent(named(condition)[0], "event_type");
  };
  return (
    statements.length > 0 &&
    statements.every(
      (statement) =>
        statement.type === "if_statement" &&
        picks(field(statement, "condition")) &&
        named(statement).every((clause) => clause.type !== "else_clause" && (clause.type !== "elif_clause" || picks(field(clause, "condition")))),
    )
  );
}

/**
 * The local name of an `import cohere [as x]` among the statements of `container` (through
 * try/if/with/loop blocks, not into nested functions or classes, nor an `if TYPE_CHECKING:`),
 * and before `before` when given (a function's own import must have run).
 */
function cohereImportIn(container: Node, before: number | undefined): string | undefined {
  let found: string | undefined;
  const visit = (n: Node): void => {
    if (found !== undefined) return;
    if (n.type === "function_definition" || n.type === "class_definition" || n.type === "decorated_definition" || n.type === "lambda") return;
    if (n.type === "if_statement" && /TYPE_CHECKING/.test(field(n, "condition")?.text ?? "")) return;
    if (n.type === "import_statement") {
      if (before !== undefined && n.startIndex >= before) return;
      for (const item of named(n)) {
        if (item.type === "dotted_name" && item.text === "cohere") found = "cohere";
        else if (item.type === "aliased_import" && field(item, "name")?.text === "cohere") found = field(item, "alias")?.text;
      }
      return;
    }
    for (const child of named(n)) visit(child);
  };
  for (const child of named(container)) visit(child);
  return found;
}
