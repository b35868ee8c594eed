/**
 * Which Generate stream events reach a read of the event, found from the code around it: the
 * analysis behind the stream transform's rewrites (transforms/generate-stream-to-chat-stream/narrow.ts).
 * Each case marks the read with `HERE` and lists the events that can reach it.
 */
import jscodeshift from "jscodeshift";
import { namedTypes as N } from "ast-types";
import type { ASTPath } from "../src/transform/kit";
import { reachingKinds } from "../transforms/generate-stream-to-chat-stream/narrow";

const j = jscodeshift.withParser("ts");

/** The events that reach `HERE` inside the `for await` loop of `body`. */
function reaching(body: string): string[] {
  const root = j(`async function f(stream: AsyncIterable<unknown>) {\n  for await (const event of stream) {\n${body}\n  }\n}`);
  const loop = root.find(j.ForOfStatement).paths()[0];
  const here = root.find(j.Identifier, { name: "HERE" }).paths()[0];
  if (!loop || !here) throw new Error("test case needs a loop and HERE");
  const isDiscriminant = (n: N.Node): boolean =>
    N.MemberExpression.check(n) && N.Identifier.check(n.object) && n.object.name === "event" && N.Identifier.check(n.property) && n.property.name === "eventType";
  return [...reachingKinds(here as ASTPath, loop.node, isDiscriminant)].sort();
}

const ALL = ["stream-end", "stream-error", "text-generation"];

test.each([
  ["no test at all", `use(HERE);`, ALL],
  ["if, then branch", `if (event.eventType === "text-generation") use(HERE);`, ["text-generation"]],
  ["literal on the left, loose equality", `if ("stream-end" == event.eventType) use(HERE);`, ["stream-end"]],
  ["else branch", `if (event.eventType === "text-generation") {} else use(HERE);`, ["stream-end", "stream-error"]],
  ["else-if chain", `if (event.eventType === "text-generation") {} else if (event.eventType === "stream-end") {} else { use(HERE); }`, ["stream-error"]],
  ["negated test", `if (!(event.eventType !== "stream-end")) use(HERE);`, ["stream-end"]],
  ["either of two", `if (event.eventType === "stream-end" || event.eventType === "stream-error") use(HERE);`, ["stream-end", "stream-error"]],
  ["&& with another condition", `if (event.eventType === "text-generation" && ok) use(HERE);`, ["text-generation"]],
  ["else of && says nothing", `if (event.eventType === "text-generation" && ok) {} else use(HERE);`, ALL],
  ["right side of &&", `event.eventType === "text-generation" && use(HERE);`, ["text-generation"]],
  ["right side of ||", `event.eventType !== "stream-end" || use(HERE);`, ["stream-end"]],
  ["ternary", `const x = event.eventType === "stream-end" ? HERE : null;`, ["stream-end"]],
  ["early continue", `if (event.eventType !== "text-generation") continue;\nuse(HERE);`, ["text-generation"]],
  ["early exit in a block", `if (event.eventType === "stream-end") { done(); break; }\nuse(HERE);`, ["stream-error", "text-generation"]],
  ["an if that does not exit says nothing after it", `if (event.eventType !== "text-generation") log();\nuse(HERE);`, ALL],
  ["switch case", `switch (event.eventType) { case "stream-end": use(HERE); break; }`, ["stream-end"]],
  ["switch fall-through", `switch (event.eventType) { case "stream-end": case "stream-error": use(HERE); break; }`, ["stream-end", "stream-error"]],
  ["switch after a case that breaks", `switch (event.eventType) { case "text-generation": a(); break; case "stream-end": use(HERE); }`, ["stream-end"]],
  ["switch default", `switch (event.eventType) { case "text-generation": break; default: use(HERE); }`, ["stream-end", "stream-error"]],
  ["a test on something else", `if (event.text === "stream-end") use(HERE);`, ALL],
  ["an event Generate never sends", `if (event.eventType === "stream-start") use(HERE);`, []],
])("%s", (_name, body, expected) => {
  expect(reaching(body)).toEqual(expected);
});
