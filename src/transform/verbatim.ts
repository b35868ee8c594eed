/**
 * New nodes whose text a transform wrote itself, for the splicer to print as written (recast would
 * spread a short import over several lines). Apart from splice.ts so that asking for it loads no printer.
 */
export const VERBATIM = new WeakMap<object, string>();

/** Makes the splicer print a new node as `text`. */
export function printAs<T extends object>(node: T, text: string): T {
  VERBATIM.set(node, text);
  return node;
}
