/**
 * Walks the parser's node objects directly, without ast-types' NodePaths. A `root.find(j.Node)`
 * builds a NodePath for every node of the file and was a third of a migrated file's time; reading
 * the file's style and finding a site's node need only the nodes (and, for a site, the path to
 * one node, built on demand from the field names).
 */

/** A parser node as it is stored: `type` plus fields, some of them nodes or arrays of nodes. */
export interface RawNode {
  type: string;
  start?: number | null;
  end?: number | null;
  [field: string]: unknown;
}

/**
 * Fields that never hold the syntax tree's own nodes: positions, recast's line data, Babel's
 * tokens and raw values, and comments (attached, not part of the tree ast-types walks for sites).
 */
const NOT_CHILDREN: ReadonlySet<string> = new Set(["loc", "start", "end", "range", "extra", "tokens", "comments", "leadingComments", "trailingComments", "innerComments", "original", "type"]);

function isNode(value: unknown): value is RawNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** The child nodes of a node, with the field (and index, for arrays) each is held in. */
function forEachChild(node: RawNode, visit: (child: RawNode, field: string, index: number | undefined) => void): void {
  for (const field of Object.keys(node)) {
    if (NOT_CHILDREN.has(field)) continue;
    const value = node[field];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isNode(value[i])) visit(value[i] as RawNode, field, i);
    } else if (isNode(value)) {
      visit(value, field, undefined);
    }
  }
}

/** Every node under (and including) `root`, in no particular order. */
export function eachRawNode(root: RawNode, visit: (node: RawNode) => void): void {
  const stack: RawNode[] = [root];
  while (stack.length) {
    const node = stack.pop() as RawNode;
    visit(node);
    forEachChild(node, (child) => stack.push(child));
  }
}

/** One step from a node to a child: the field, and the index when the field is an array. */
export type FieldStep = [field: string, index: number | undefined];

/**
 * The nodes spanning exactly `start`..`end`, outermost first, each with the field steps that lead
 * to it from `root`. With `prune`, only nodes whose span holds the range are entered (a node
 * without offsets, built by an earlier rewrite, is entered too, since it may hold original nodes);
 * without, the whole tree is searched (for a node a rewrite moved out of its old surroundings).
 */
export function nodesSpanning(root: RawNode, start: number, end: number, prune: boolean): Array<{ node: RawNode; steps: FieldStep[] }> {
  const out: Array<{ node: RawNode; steps: FieldStep[] }> = [];
  const visit = (node: RawNode, steps: FieldStep[]): void => {
    const s = node.start;
    const e = node.end;
    const known = typeof s === "number" && typeof e === "number";
    if (prune && known && (s > start || e < end)) return;
    if (known && s === start && e === end) out.push({ node, steps });
    forEachChild(node, (child, field, index) => visit(child, [...steps, [field, index]]));
  };
  visit(root, []);
  return out;
}
