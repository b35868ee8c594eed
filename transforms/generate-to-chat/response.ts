/**
 * Generate response → Chat v2 response: follows the value a migrated call returns through `await`,
 * `.then`, variables, destructuring, `for...of`, array callbacks and `return`, and rewrites each
 * read by SPEC.md's response table. A use it cannot follow gets a `response-shape` marker.
 *
 * Split in a folder of its own kind: response-tables.ts (the tables), response-follow.ts (the
 * follower), response-envelope.ts (v6/axios/fetch envelopes), response-ast.ts (AST shapes).
 */
export { ResponseRewriter } from "./response-envelope";
export type { Envelope, Level, Mode, ResponseOptions } from "./response-tables";
export { memberName } from "./response-ast";
