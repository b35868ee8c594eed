/**
 * Which Generate stream events can reach a place in an event loop: found from the tests around
 * it (`if`/`else`, `switch` cases with their fall-through, `&&`, `||`, `?:`, and early exits such
 * as `if (event.eventType !== "text-generation") continue;`), the way TypeScript narrows the
 * event's union type. Pure analysis: nothing here changes the tree.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";

export type GenerateEvent = "text-generation" | "stream-end" | "stream-error";

export const GENERATE_EVENTS: readonly GenerateEvent[] = ["text-generation", "stream-end", "stream-error"];

export type Kinds = ReadonlySet<GenerateEvent>;

const ALL: Kinds = new Set(GENERATE_EVENTS);

/** True for the expressions that read the event's type (`event.eventType`, or a destructured `eventType`). */
export type IsDiscriminant = (node: N.Node) => boolean;

export function isGenerateEvent(value: unknown): value is GenerateEvent {
  return typeof value === "string" && (GENERATE_EVENTS as readonly string[]).includes(value);
}

/** `D === "stream-end"`, `"stream-end" !== D`, ... on a discriminant. */
export interface Comparison {
  discriminant: N.Node;
  literal: N.StringLiteral | N.Literal;
  /** The literal's event type; undefined for a string Generate never sends. */
  event: GenerateEvent | undefined;
  equal: boolean;
}

const EQUAL = new Set(["===", "=="]);
const NOT_EQUAL = new Set(["!==", "!="]);

export function stringValue(node: N.Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (N.StringLiteral.check(node)) return node.value;
  if (N.Literal.check(node) && typeof node.value === "string") return node.value;
  if (N.TemplateLiteral.check(node) && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

export function comparison(node: N.Node, isDiscriminant: IsDiscriminant): Comparison | undefined {
  if (!N.BinaryExpression.check(node)) return undefined;
  const equal = EQUAL.has(node.operator);
  if (!equal && !NOT_EQUAL.has(node.operator)) return undefined;
  const [discriminant, literal] = isDiscriminant(node.left) ? [node.left, node.right] : isDiscriminant(node.right) ? [node.right, node.left] : [];
  if (!discriminant || !literal) return undefined;
  const value = stringValue(literal);
  if (value === undefined || !(N.StringLiteral.check(literal) || N.Literal.check(literal))) return undefined;
  return { discriminant, literal, event: isGenerateEvent(value) ? value : undefined, equal };
}

function intersect(a: Kinds, b: Kinds): Kinds {
  return new Set([...a].filter((k) => b.has(k)));
}

function union(a: Kinds, b: Kinds): Kinds {
  return new Set([...a, ...b]);
}

function without(a: Kinds, b: Kinds): Kinds {
  return new Set([...a].filter((k) => !b.has(k)));
}

/** The events for which `test` evaluates to `outcome` (all of them when the test says nothing). */
export function narrow(test: N.Node, outcome: boolean, isDiscriminant: IsDiscriminant): Kinds {
  const cmp = comparison(test, isDiscriminant);
  if (cmp) {
    const matched: Kinds = cmp.event ? new Set([cmp.event]) : new Set();
    return cmp.equal === outcome ? matched : without(ALL, matched);
  }
  if (N.UnaryExpression.check(test) && test.operator === "!") return narrow(test.argument, !outcome, isDiscriminant);
  if (N.LogicalExpression.check(test) && (test.operator === "&&" || test.operator === "||")) {
    const left = narrow(test.left, outcome, isDiscriminant);
    const right = narrow(test.right, outcome, isDiscriminant);
    // a && b is true when both are; false when either is. || is the mirror image.
    return (test.operator === "&&") === outcome ? intersect(left, right) : union(left, right);
  }
  return ALL;
}

/** Whether control never continues past a statement (continue, break, return, throw). */
export function exits(stmt: N.Node | null | undefined): boolean {
  if (!stmt) return false;
  if (N.ContinueStatement.check(stmt) || N.BreakStatement.check(stmt) || N.ReturnStatement.check(stmt) || N.ThrowStatement.check(stmt)) return true;
  if (N.BlockStatement.check(stmt)) return exits(stmt.body[stmt.body.length - 1]);
  if (N.IfStatement.check(stmt)) return exits(stmt.consequent) && exits(stmt.alternate);
  return false;
}

/** The statement list a node holds, if it holds one. */
function statementList(node: N.Node): N.Node[] | undefined {
  if (N.BlockStatement.check(node) || N.Program.check(node) || N.StaticBlock.check(node)) return node.body as N.Node[];
  if (N.SwitchCase.check(node)) return node.consequent as N.Node[];
  return undefined;
}

/** Events that reach the body of case `index`, with the cases that fall through into it. */
function caseKinds(switchNode: N.SwitchStatement, index: number): Kinds {
  const labelled = (i: number): Kinds | undefined => {
    const test = switchNode.cases[i].test;
    if (!test) return undefined;
    const value = stringValue(test);
    return isGenerateEvent(value) ? new Set([value]) : new Set();
  };
  const everyLabel = switchNode.cases.reduce<Kinds>((acc, _c, i) => union(acc, labelled(i) ?? new Set()), new Set());
  let kinds: Kinds = new Set();
  for (let i = index; i >= 0; i--) {
    if (i < index && exits(switchNode.cases[i].consequent[switchNode.cases[i].consequent.length - 1])) break;
    kinds = union(kinds, labelled(i) ?? without(ALL, everyLabel));
  }
  return kinds;
}

/** Events that can reach `use`, looking at the tests between it and `stop` (the loop). */
export function reachingKinds(use: ASTPath, stop: N.Node, isDiscriminant: IsDiscriminant): Kinds {
  let kinds: Kinds = ALL;
  let child: ASTPath = use;
  let parent = use.parent as ASTPath | null;
  while (parent && child.node !== stop) {
    const node = parent.node;
    if (N.IfStatement.check(node) || N.ConditionalExpression.check(node)) {
      if (child.node === node.consequent) kinds = intersect(kinds, narrow(node.test, true, isDiscriminant));
      else if (child.node === node.alternate) kinds = intersect(kinds, narrow(node.test, false, isDiscriminant));
    } else if (N.LogicalExpression.check(node) && child.node === node.right && node.operator !== "??") {
      kinds = intersect(kinds, narrow(node.left, node.operator === "&&", isDiscriminant));
    } else if (N.SwitchCase.check(node) && parent.parent && N.SwitchStatement.check(parent.parent.node)) {
      const sw = parent.parent.node;
      if (isDiscriminant(sw.discriminant) && node.consequent.includes(child.node as never)) kinds = intersect(kinds, caseKinds(sw, sw.cases.indexOf(node)));
    }
    const list = statementList(node);
    if (list) kinds = intersect(kinds, afterEarlyExits(list, list.indexOf(child.node), isDiscriminant));
    child = parent;
    parent = parent.parent as ASTPath | null;
  }
  return kinds;
}

/** Handles: `if (event.eventType !== "text-generation") continue;` before the statement at `index`. */
function afterEarlyExits(list: N.Node[], index: number, isDiscriminant: IsDiscriminant): Kinds {
  let kinds: Kinds = ALL;
  for (let i = 0; i < index; i++) {
    const stmt = list[i];
    if (!N.IfStatement.check(stmt)) continue;
    const thenExits = exits(stmt.consequent);
    const elseExits = exits(stmt.alternate);
    if (thenExits && !elseExits) kinds = intersect(kinds, narrow(stmt.test, false, isDiscriminant));
    else if (elseExits && !thenExits) kinds = intersect(kinds, narrow(stmt.test, true, isDiscriminant));
  }
  return kinds;
}
