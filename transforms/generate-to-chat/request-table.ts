/**
 * The Generate → Chat v2 request tables (SPEC.md's request table), without the AST code that applies
 * them (request.ts): check's detection reads them too, and must not load an AST library for it.
 */
import type { MarkerCode } from "../../src/markers";
import { table } from "../../src/tables";

export const DEFAULT_MODEL = "command-a-03-2025";

/** Base models Generate served that Chat no longer does. */
const RETIRED_IDS: ReadonlySet<string> = new Set([
  "command",
  "command-light",
  "command-nightly",
  "command-light-nightly",
  "command-r",
  "command-r-plus",
  // Generate's earlier base models, long gone (cohere-ai v6 code still names them).
  "small",
  "large",
  "base",
  "base-light",
]);

/**
 * Generate's first base models and their dated or channel variants (`xlarge`, `medium-20221108`,
 * `command-xlarge-beta`, `command-medium-nightly`): none is served by Chat.
 */
const RETIRED_FAMILIES = /^(?:command-)?(?:xlarge|medium)(?:-(?:beta|nightly|\d{8}))*$/;

/** Retired ids that are also everyday words (`size: "large"`, argparse's `dest="command"`): a string elsewhere in a file is not taken for one. */
const EVERYDAY_WORDS: ReadonlySet<string> = new Set(["small", "medium", "large", "base", "command"]);

/** A string that, anywhere in a file, can only mean a retired model (not `"large"`, `"base"`). */
export function namesRetiredModel(text: string): boolean {
  return RETIRED_MODELS.has(text) && !EVERYDAY_WORDS.has(text);
}

/** Whether a model id is a base model Chat no longer serves (custom and fine-tuned ids are kept). */
export const RETIRED_MODELS: { has(model: string): boolean } = {
  has: (model) => RETIRED_IDS.has(model) || RETIRED_FAMILIES.test(model),
};

/** Generate sampled at 0.75; Chat defaults to 0.3. */
export const GENERATE_TEMPERATURE = 0.75;
/** Chat's maximum temperature. */
export const CHAT_MAX_TEMPERATURE = 1;

type Action =
  | { do: "messages" }
  | { do: "model" }
  | { do: "copy" }
  | { do: "temperature" }
  | { do: "fanout" }
  | { do: "trim"; which: "stop" | "end" }
  | { do: "likelihoods" }
  | { do: "drop"; marker?: MarkerCode; warning?: string }
  | { do: "stream" };

export interface FieldRule {
  /** The name in the REST API and cohere-ai v6. */
  snake: string;
  action: Action;
}

/** SPEC.md "Request: Generate parameter to Chat v2", one row per Generate field. */
export const REQUEST_FIELDS: Readonly<Record<string, FieldRule>> = table({
  prompt: { snake: "prompt", action: { do: "messages" } },
  model: { snake: "model", action: { do: "model" } },
  maxTokens: { snake: "max_tokens", action: { do: "copy" } },
  k: { snake: "k", action: { do: "copy" } },
  p: { snake: "p", action: { do: "copy" } },
  seed: { snake: "seed", action: { do: "copy" } },
  frequencyPenalty: { snake: "frequency_penalty", action: { do: "copy" } },
  presencePenalty: { snake: "presence_penalty", action: { do: "copy" } },
  temperature: { snake: "temperature", action: { do: "temperature" } },
  numGenerations: { snake: "num_generations", action: { do: "fanout" } },
  endSequences: { snake: "end_sequences", action: { do: "trim", which: "end" } },
  stopSequences: { snake: "stop_sequences", action: { do: "trim", which: "stop" } },
  returnLikelihoods: { snake: "return_likelihoods", action: { do: "likelihoods" } },
  truncate: {
    snake: "truncate",
    action: {
      do: "drop",
      warning: "truncate removed: Chat returns an error for over-long input where Generate truncated it",
    },
  },
  preset: { snake: "preset", action: { do: "drop", marker: "preset" } },
  logitBias: { snake: "logit_bias", action: { do: "drop", marker: "logit-bias" } },
  rawPrompting: { snake: "raw_prompting", action: { do: "drop", marker: "raw-prompting" } },
  stream: { snake: "stream", action: { do: "stream" } },
});

/** Generate fields with no Chat counterpart (camelCase and snake_case): a request carrying one cannot be sent to Chat as is. */
export const GENERATE_ONLY: ReadonlySet<string> = new Set(
  Object.entries(REQUEST_FIELDS)
    .filter(([, rule]) => !["copy", "temperature", "model"].includes(rule.action.do))
    .flatMap(([camel, rule]) => [camel, rule.snake]),
);
