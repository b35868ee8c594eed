/**
 * The event loop of a migrated stream (SPEC.md "Streaming"): Generate's `text-generation`,
 * `stream-end` and `stream-error` events become Chat v2's `content-delta` and `message-end`
 * events. Tests on the event type are rewritten where they stand (`if`, `switch`, `&&`, `?:`);
 * each read of the event is rewritten by the event its branch narrows to (see narrow.ts), which is
 * also how TypeScript narrows the Chat event union, so the reads type-check.
 */
import type { ASTPath } from "../../src/transform/kit";
import { namedTypes as N } from "ast-types";
import { insertMarkerOnce, expression, freshName, referencesOf, type TransformContext } from "../../src/transform/kit";
import { memberName } from "../generate-to-chat/response";
import { comparison, exits, reachingKinds, stringValue, type GenerateEvent, type IsDiscriminant, type Kinds } from "./narrow";
import { isInside, isMember, statement, up } from "./scope";
import { rewriteSwitch, type Queue } from "./switch";
import { CHAT_ONLY_FIELDS, END_RESPONSE_READS, EVENT_FIELDS, EVENT_HELP, EVENT_TYPES, forEvent, GENERATE_TYPE_FIELD, GUARDS, type FieldRule } from "./tables";

/** A place that reads the loop's event: `event.<field>`, a destructured `<field>`, or the event itself. */
interface Use {
  path: ASTPath;
  field: string | undefined;
  /** Read through a destructuring pattern: it must be rewritten whatever happens, the pattern goes away. */
  destructured: boolean;
}

interface Found {
  name: string;
  uses: Use[];
  /** Replaces a destructuring pattern by the event's name. */
  rebind?: () => void;
}

export class EventLoopRewriter implements Queue {
  private readonly j;
  private readonly loops = new Set<N.Node>();
  private readonly accumulators = new Map<N.Node, string | undefined>();
  /** Changes to apply once every use is analysed: first in place, then the ones that move statements. */
  edits: Array<() => void> = [];
  moves: Array<() => void> = [];

  constructor(private readonly ctx: TransformContext) {
    this.j = ctx.j;
  }

  /** `binding` is the variable of `loop`, a `for await` over a migrated stream. */
  rewrite(loop: ASTPath, binding: ASTPath): void {
    if (this.loops.has(loop.node)) return;
    this.loops.add(loop.node);
    const found = this.uses(loop, binding);
    if (!found) return insertMarkerOnce(this.ctx, loop, "response-shape", EVENT_HELP);
    const { name, uses } = found;
    const discriminants = new Set(uses.filter((u) => u.field === GENERATE_TYPE_FIELD).map((u) => u.path.node));
    const isDiscriminant: IsDiscriminant = (n) => discriminants.has(n);
    const handlesError = uses.some((u) => u.field === GENERATE_TYPE_FIELD && testsStreamError(u.path, isDiscriminant));

    // Read before the type tests are rewritten (they are Generate's until then).
    const body = (loop.node as N.ForOfStatement).body;
    const skipOthers = N.BlockStatement.check(body) && !picksByType(body.body, isDiscriminant);

    this.edits = [];
    this.moves = [];
    for (const use of uses) {
      if (use.field === GENERATE_TYPE_FIELD) this.typeTest(use, name, isDiscriminant, handlesError);
      else this.read(use, name, loop, isDiscriminant);
    }
    found.rebind?.();
    for (const edit of this.edits) edit();
    for (const move of this.moves) move();
    // Chat's other events (message-start, content-start, content-end, ...) would reach a statement
    // that runs for every event (a counter, an else branch, `!event.isFinished`): the loop skips
    // them first, so it sees the events Generate's stream had. Not needed where the body only
    // picks events by type.
    if (skipOthers) {
      (loop.get("body", "body") as ASTPath).unshift(statement(this.ctx, `if (${name}.type !== "content-delta" && ${name}.type !== "message-end") continue;`));
    }
  }

  /** The uses of the loop variable, an identifier or an object pattern of plain names. */
  private uses(loop: ASTPath, binding: ASTPath): Found | undefined {
    const node = binding.node;
    const within = (refs: ASTPath[]): ASTPath[] => refs.filter((r) => isInside(r, loop.node));
    if (N.Identifier.check(node)) {
      return { name: node.name, uses: within(referencesOf(this.ctx, binding)).map(useOf) };
    }
    if (!N.ObjectPattern.check(node)) return undefined;
    // Handles: for await (const { eventType, text } of stream) → for await (const event of stream)
    const name = freshName(this.ctx, "event");
    const uses: Use[] = [];
    for (let i = 0; i < node.properties.length; i++) {
      const prop = node.properties[i];
      if (!(N.ObjectProperty.check(prop) || N.Property.check(prop)) || prop.computed || !N.Identifier.check(prop.value)) return undefined;
      const field = N.Identifier.check(prop.key) ? prop.key.name : stringValue(prop.key);
      const refs = within(referencesOf(this.ctx, binding.get("properties", i, "value") as ASTPath));
      uses.push(...refs.map((path) => ({ path, field, destructured: true })));
    }
    return { name, uses, rebind: () => binding.replace(this.j.identifier(name)) };
  }

  /** A read of the event type: a comparison, a switch, or anything else (kept as `event.type`, marked). */
  private typeTest(use: Use, name: string, isDiscriminant: IsDiscriminant, handlesError: boolean): void {
    const j = this.j;
    const parent = use.path.parent as ASTPath | null;
    const cmp = parent ? comparison(parent.node, isDiscriminant) : undefined;
    if (parent && cmp && cmp.discriminant === use.path.node && cmp.event) {
      const target = EVENT_TYPES[cmp.event];
      const guard = target.guard ?? (cmp.event === "stream-end" && handlesError ? "no-error" : undefined);
      if (!guard) {
        // Handles: event.eventType === "text-generation" → event.type === "content-delta", in place.
        const literal = parent.get((parent.node as N.BinaryExpression).left === cmp.literal ? "left" : "right") as ASTPath;
        this.edits.push(() => {
          replaceNode(use.path, typeRead(this.ctx, name));
          literal.replace(j.stringLiteral(target.chat));
        });
      } else {
        const code = cmp.equal ? `$E.type === "${target.chat}" && ${GUARDS[guard].is}` : `$E.type !== "${target.chat}" || ${GUARDS[guard].isNot}`;
        this.edits.push(() => parent.replace(expression(this.ctx, forEvent(code, name))));
      }
      if (cmp.event === "stream-error") this.markErrorBranch(parent, cmp.equal);
      return;
    }
    if (parent && N.SwitchStatement.check(parent.node) && parent.node.discriminant === use.path.node) {
      return rewriteSwitch(this.ctx, parent, use.path, name, this);
    }
    this.edits.push(() => replaceNode(use.path, typeRead(this.ctx, name)));
    insertMarkerOnce(this.ctx, use.path, "response-shape", EVENT_HELP);
  }

  /**
   * The stream-error marker goes on the first statement that handles the error: inside the
   * branch, or after `if (event.eventType !== "stream-error") continue;`. A comment on a compound
   * statement would make recast reprint all of it.
   */
  private markErrorBranch(test: ASTPath, equal: boolean): void {
    const owner = test.parent as ASTPath | null;
    const node = owner?.node;
    if (owner && N.IfStatement.check(node) && node.test === test.node) {
      if (equal && N.BlockStatement.check(node.consequent) && node.consequent.body.length) {
        return insertMarkerOnce(this.ctx, owner.get("consequent", "body", 0) as ASTPath, "stream-error");
      }
      const next = typeof owner.name === "number" ? (owner.parentPath as ASTPath).get(owner.name + 1) : undefined;
      if (!equal && exits(node.consequent) && !node.alternate && next?.node) return insertMarkerOnce(this.ctx, next as ASTPath, "stream-error");
    }
    insertMarkerOnce(this.ctx, test, "stream-error");
  }

  /** A read of the event other than its type, rewritten by the events that reach it. */
  private read(use: Use, name: string, loop: ASTPath, isDiscriminant: IsDiscriminant): void {
    const kinds = reachingKinds(use.path, loop.node, isDiscriminant);
    const field = use.field;
    const fallback = (): void => {
      insertMarkerOnce(this.ctx, use.path, "response-shape", EVENT_HELP);
      // A destructured name no longer exists: read the field from the event, for a person to fix.
      if (use.destructured && field) this.edits.push(() => replaceNode(use.path, this.j.memberExpression(this.j.identifier(name), this.j.identifier(field))));
    };
    if (field !== undefined && CHAT_ONLY_FIELDS.has(field) && !use.destructured) return;
    if (field === undefined || isWrite(use.path)) return fallback();
    if (field === "response" && !use.destructured) return this.responseRead(use, name, loop, kinds);
    const rule = agreed(EVENT_FIELDS[field], kinds);
    if (!rule) return fallback();
    this.edits.push(() => this.replaceRead(use.path, rule, name));
  }

  private replaceRead(path: ASTPath, rule: FieldRule, name: string): void {
    const parent = path.parent?.node;
    const defaulted = parent && N.LogicalExpression.check(parent) && parent.operator === "??" && parent.left === path.node;
    const code = forEvent(rule.code, name) + (rule.orEmpty && !defaulted ? ' ?? ""' : "");
    replaceNode(path, expression(this.ctx, code));
  }

  /** Handles: event.response.generations[0].text on stream-end (Chat sends no full text). */
  private responseRead(use: Use, name: string, loop: ASTPath, kinds: Kinds): void {
    let path = use.path;
    let key = "";
    let rule: "full-text" | FieldRule | undefined;
    for (;;) {
      const { parent, child } = up(path);
      if (!parent || !isMember(parent.node) || parent.node.object !== child.node) break;
      const segment = segmentOf(parent.node);
      if (segment === undefined) break;
      key = key ? `${key}.${segment}` : segment;
      path = parent;
      rule = END_RESPONSE_READS[key];
      if (rule) break;
    }
    const endOnly = kinds.size === 1 && kinds.has("stream-end");
    const readsText = key.startsWith("generations");
    if (!rule || !endOnly) return insertMarkerOnce(this.ctx, path, readsText ? "stream-full-text" : "response-shape", readsText ? undefined : EVENT_HELP);
    if (rule !== "full-text") {
      const fieldRule = rule;
      this.edits.push(() => this.replaceRead(path, fieldRule, name));
      return;
    }
    const text = this.accumulator(loop, name);
    if (!text) return insertMarkerOnce(this.ctx, path, "stream-full-text");
    insertMarkerOnce(this.ctx, path, "stream-full-text", `(migrate now collects them in ${text} above the loop: check that this is the text you need)`);
    this.edits.push(() => replaceNode(path, this.j.identifier(text)));
  }

  /**
   * The variable that collects the streamed text of a loop:
   *   let fullText = "";
   *   for await (const event of stream) {
   *     if (event.type === "content-delta") fullText += event.delta?.message?.content?.text ?? "";
   */
  private accumulator(loop: ASTPath, event: string): string | undefined {
    if (this.accumulators.has(loop.node)) return this.accumulators.get(loop.node);
    let labelled = loop;
    while (labelled.parent && N.LabeledStatement.check(labelled.parent.node)) labelled = labelled.parent;
    const inList = typeof labelled.name === "number";
    const text = inList ? freshName(this.ctx, "fullText") : undefined;
    this.accumulators.set(loop.node, text);
    if (!text) return undefined;
    this.moves.push(() => {
      labelled.insertBefore(statement(this.ctx, `let ${text} = "";`));
      const collect = statement(this.ctx, `if (${event}.type === "content-delta") ${text} += ${event}.delta?.message?.content?.text ?? "";`);
      const node = loop.node as N.ForOfStatement;
      if (N.BlockStatement.check(node.body)) node.body.body.unshift(collect as never);
      else node.body = this.j.blockStatement([collect as never, node.body]);
    });
    return text;
  }
}

/** Whether a read of the event type in this loop compares it with "stream-error" (if or switch). */
function testsStreamError(path: ASTPath, isDiscriminant: IsDiscriminant): boolean {
  const parent = path.parent?.node;
  if (!parent) return false;
  if (N.SwitchStatement.check(parent)) return parent.cases.some((c) => stringValue(c.test) === "stream-error");
  return comparison(parent, isDiscriminant)?.event === "stream-error";
}

/** The rule every reaching event agrees on; none when an event has no rule or they differ. */
function agreed(rules: Partial<Record<GenerateEvent, FieldRule>> | undefined, kinds: Kinds): FieldRule | undefined {
  if (!rules || kinds.size === 0) return undefined;
  const found = [...kinds].map((k) => rules[k]);
  const first = found[0];
  return first && found.every((r) => r?.code === first.code) ? first : undefined;
}

function useOf(ref: ASTPath): Use {
  const parent = ref.parent as ASTPath | null;
  if (parent && isMember(parent.node) && parent.node.object === ref.node) {
    const field = memberName(parent.node);
    if (field !== undefined) return { path: parent, field, destructured: false };
  }
  return { path: ref, field: undefined, destructured: false };
}

function typeRead(ctx: TransformContext, name: string): N.Node {
  return ctx.j.memberExpression(ctx.j.identifier(name), ctx.j.identifier("type"));
}

/** Replaces a node, un-shortening `{ text }` when the name was a shorthand property's value. */
function replaceNode(path: ASTPath, node: N.Node): void {
  const parent = path.parent?.node as (N.Node & { shorthand?: boolean; value?: N.Node }) | undefined;
  if (parent && (N.ObjectProperty.check(parent) || N.Property.check(parent)) && parent.shorthand && parent.value === path.node) parent.shorthand = false;
  path.replace(node);
}

function isWrite(path: ASTPath): boolean {
  const parent = path.parent?.node;
  if (!parent) return false;
  if (N.AssignmentExpression.check(parent) && parent.left === path.node) return true;
  if (N.UpdateExpression.check(parent)) return true;
  return N.UnaryExpression.check(parent) && parent.operator === "delete";
}

/** `generations`, `0` (for `[0]`), `text`; undefined for any other computed key. */
function segmentOf(node: N.MemberExpression): string | undefined {
  const name = memberName(node);
  if (name !== undefined) return name;
  const prop = node.property;
  if (node.computed && (N.NumericLiteral.check(prop) || (N.Literal.check(prop) && typeof prop.value === "number"))) return String(prop.value);
  return undefined;
}

/**
 * Whether a loop body only picks events by their type: `if`/`else if` chains on `eventType`
 * equal to a Generate event, without a final `else`; `switch (event.eventType)` without a
 * `default`; or, first, `if (event.eventType !== "...") continue;` (the rest then sees one event).
 */
function picksByType(body: readonly N.Node[], isDiscriminant: IsDiscriminant): boolean {
  const picks = (test: N.Node): boolean => {
    const cmp = comparison(test, isDiscriminant);
    return cmp !== undefined && cmp.equal && cmp.event !== undefined;
  };
  for (const stmt of body) {
    if (N.EmptyStatement.check(stmt)) continue;
    if (N.IfStatement.check(stmt)) {
      const cmp = comparison(stmt.test, isDiscriminant);
      if (cmp && !cmp.equal && cmp.event !== undefined && !stmt.alternate && exits(stmt.consequent)) return true;
      let branch: N.Node | null | undefined = stmt;
      let chained = true;
      while (N.IfStatement.check(branch)) {
        if (!picks(branch.test)) chained = false;
        branch = branch.alternate;
      }
      if (chained && !branch) continue;
      return false;
    }
    if (N.SwitchStatement.check(stmt) && isDiscriminant(stmt.discriminant) && stmt.cases.every((c) => c.test !== null && c.test !== undefined)) continue;
    return false;
  }
  return true;
}
