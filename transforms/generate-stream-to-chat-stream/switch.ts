/**
 * `switch (event.eventType)` on a migrated stream: the discriminant becomes `event.type` and each
 * case label its Chat event. `case "stream-error":` has no label of its own on Chat (a failed
 * generation also ends with message-end), so its body moves into the message-end case behind a
 * test of `delta.error`.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { insertMarkerOnce, expression, quoteStyle, type TransformContext } from "../../src/transform/kit";
import { exits, isGenerateEvent, stringValue } from "./narrow";
import { statement } from "./scope";
import { EVENT_HELP, EVENT_TYPES, forEvent, GUARDS } from "./tables";

/** Changes queued until every use of the event is analysed: in place first, then the ones that move statements. */
export interface Queue {
  edits: Array<() => void>;
  moves: Array<() => void>;
}

/** `switchPath` switches on the event type of the event named `name`; `discriminant` is its test. */
export function rewriteSwitch(ctx: TransformContext, switchPath: ASTPath, discriminant: ASTPath, name: string, queue: Queue): void {
  const j = ctx.j;
  const sw = switchPath.node as N.SwitchStatement;
  queue.edits.push(() => discriminant.replace(j.memberExpression(j.identifier(name), j.identifier("type"))));
  sw.cases.forEach((clause, i) => {
    if (!clause.test) return;
    const value = stringValue(clause.test);
    if (!isGenerateEvent(value)) return insertMarkerOnce(ctx, firstStatement(switchPath, i), "response-shape", EVENT_HELP);
    if (value === "stream-error") return;
    const test = switchPath.get("cases", i, "test") as ASTPath;
    queue.edits.push(() => test.replace(j.stringLiteral(EVENT_TYPES[value].chat)));
  });
  const errorAt = sw.cases.findIndex((c) => stringValue(c.test) === "stream-error");
  if (errorAt !== -1) mergeErrorCase(ctx, switchPath, errorAt, name, queue);
}

function mergeErrorCase(ctx: TransformContext, switchPath: ASTPath, errorAt: number, name: string, queue: Queue): void {
  const j = ctx.j;
  const sw = switchPath.node as N.SwitchStatement;
  const cases = sw.cases;
  const errorCase = cases[errorAt];
  const endAt = cases.findIndex((c) => stringValue(c.test) === "stream-end");
  const endCase = endAt === -1 ? undefined : cases[endAt];
  const body = errorCase.consequent;
  const pad = caseIndent(ctx, sw);
  const markFirst = (detail?: string): void => insertMarkerOnce(ctx, firstStatement(switchPath, errorAt), "stream-error", detail);
  const reprint = (): void => {
    // Removing a case makes recast print the whole switch, with its cases flush with `switch`.
    const indented = pad ? indentedSwitch(ctx, sw, pad) : undefined;
    if (indented) switchPath.replace(indented);
  };

  // Handles: case "stream-end": case "stream-error": ... (one body: a single message-end label).
  if (endCase && groupOf(cases, endAt) === groupOf(cases, errorAt)) {
    queue.moves.push(() => {
      if (errorCase.consequent.length === 0) removeCase(cases, errorCase, endCase);
      else {
        removeCase(cases, endCase, errorCase);
        errorCase.test = j.stringLiteral("message-end");
      }
      reprint();
    });
    return markFirst();
  }
  const fallsIn = errorAt > 0 && !exits(last(cases[errorAt - 1].consequent));
  const leaves = exits(last(body)) || errorAt === cases.length - 1;
  const endAlone = endCase !== undefined && endCase.consequent.length > 0 && (endAt === 0 || exits(last(cases[endAt - 1].consequent)));
  if (body.length === 0 || fallsIn || !leaves || (endCase && !endAlone)) {
    // The cases share code in a way a delta.error test cannot split: a person must.
    return markFirst("(this stream-error case could not be moved into the message-end case: its label is left for you)");
  }
  if (!endCase && cases.some((c) => c.test === null || c.test === undefined)) {
    // Handles: case "stream-error": R; default: D. Generate's stream-end ran D; Chat's message-end,
    // errors included, still reaches default while this label is left as it is.
    return markFirst("(Generate's stream-end ran the default case, and Chat's message-end still does; an error now arrives there too, as delta.error: move this case's code into default under that test)");
  }
  markFirst();
  if (endCase) {
    // Handles: case "stream-end": E; break; case "stream-error": R; break;
    //   → case "message-end": if (event.delta?.error !== undefined) { R; break; } E; break;
    queue.moves.push(() => {
      const moved = [...body];
      if (!exits(last(moved))) moved.push(j.breakStatement());
      const guard = j.ifStatement(expression(ctx, forEvent(GUARDS.error.is, name)) as never, j.blockStatement(moved as never));
      endCase.consequent.unshift(guard);
      removeCase(cases, errorCase, guard);
      reprint();
    });
    return;
  }
  // Handles: case "stream-error": R → case "message-end": if (event.delta?.error === undefined) break; R
  queue.moves.push(() => {
    errorCase.test = j.stringLiteral("message-end");
    errorCase.consequent.unshift(statement(ctx, `if (${forEvent(GUARDS["no-error"].is, name)}) break;`) as never);
  });
}

/**
 * The first statement case `i` runs (its own, or that of the case it falls into); the switch when
 * there is none. Markers go there: a comment on the switch would make recast reprint all of it.
 */
function firstStatement(switchPath: ASTPath, i: number): ASTPath {
  const cases = (switchPath.node as N.SwitchStatement).cases;
  for (let k = i; k < cases.length; k++) {
    if (cases[k].consequent.length) return switchPath.get("cases", k, "consequent", 0) as ASTPath;
  }
  return switchPath;
}

interface Commented {
  comments?: N.Comment[] | null;
}

/** Removes a case; its comments go to `heir` (the case or statement that took over its code). */
function removeCase(cases: N.SwitchCase[], gone: N.SwitchCase, heir: N.Node): void {
  const from = gone as Commented;
  const to = heir as Commented;
  if (from.comments?.length) to.comments = [...from.comments, ...(to.comments ?? [])];
  cases.splice(cases.indexOf(gone), 1);
}

function last<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

/** The index of the first case of the fall-through group (cases sharing one body) holding case `i`. */
function groupOf(cases: readonly N.SwitchCase[], i: number): number {
  // A case with an empty body belongs to the group of the next case that has one.
  let end = i;
  while (end < cases.length - 1 && cases[end].consequent.length === 0) end++;
  let first = end;
  while (first > 0 && cases[first - 1].consequent.length === 0) first--;
  return first;
}

/** How far the file indents `case` under `switch` ("" when it does not). */
function caseIndent(ctx: TransformContext, sw: N.SwitchStatement): string {
  const first = sw.cases[0];
  if (!sw.loc || !first?.loc || first.loc.start.line === sw.loc.start.line) return "";
  const lines = ctx.source.split(/\r?\n/);
  const indent = (line: number): string => /^[ \t]*/.exec(lines[line - 1] ?? "")?.[0] ?? "";
  const outer = indent(sw.loc.start.line);
  const inner = indent(first.loc.start.line);
  return inner.startsWith(outer) ? inner.slice(outer.length) : "";
}

/**
 * The switch printed on its own, its cases indented by `pad`, parsed back: a node parsed from
 * text prints as that text. Lines inside template literals keep their bytes.
 */
function indentedSwitch(ctx: TransformContext, sw: N.SwitchStatement, pad: string): N.Node | undefined {
  const j = ctx.j;
  const printed = j(sw).toSource({ quote: quoteStyle(ctx.source), lineTerminator: "\n", tabWidth: pad.length, useTabs: pad.startsWith("\t") });
  // Parsed inside a loop carrying the labels its jumps name, so that `continue` and `break label` parse.
  const labels = new Set<string>();
  j(sw)
    .find(j.Node)
    .forEach((p: ASTPath) => {
      const node = p.node;
      if ((N.BreakStatement.check(node) || N.ContinueStatement.check(node)) && N.Identifier.check(node.label)) labels.add(node.label.name);
    });
  const wrap = (text: string): string => `${[...labels].map((l) => `${l}: `).join("")}for (;;) {\n${text}\n}`;
  const parse = (text: string): ReturnType<typeof j> | undefined => {
    try {
      return j(wrap(text));
    } catch {
      // Code that parses only in its own context (a `yield` of a generator): keep recast's layout.
      return undefined;
    }
  };
  const original = parse(printed);
  if (!original) return undefined;
  const literal = new Set<number>();
  original
    .find(j.TemplateLiteral)
    .forEach((p: ASTPath<N.TemplateLiteral>) => {
      const loc = p.node.loc;
      // Lines after the first one of a literal are its content (the wrapper adds one line before).
      if (loc) for (let line = loc.start.line + 1; line <= loc.end.line; line++) literal.add(line - 1);
    });
  const lines = printed.split("\n");
  const text = lines.map((line, i) => (i === 0 || i === lines.length - 1 || line === "" || literal.has(i + 1) ? line : pad + line)).join("\n");
  const reparsed = parse(text);
  if (!reparsed) return undefined;
  // recast indents a reused multi-line literal with the code around it; a new one keeps its lines.
  reparsed.find(j.TemplateLiteral).forEach((p: ASTPath<N.TemplateLiteral>) => {
    const loc = p.node.loc;
    if (loc && loc.end.line > loc.start.line) p.replace(j.templateLiteral(p.node.quasis, p.node.expressions));
  });
  return reparsed.find(j.SwitchStatement).paths()[0]?.node;
}
