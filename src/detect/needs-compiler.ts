/**
 * Text that the syntax settle (syntax-settle.ts) would send to the compiler anyway: a quoted method
 * name. Only a shortcut (the answer is the compiler's either way): it spares Babel's parse, and
 * tells the run early that a worker loading the compiler is worth starting. In a module of its
 * own: the main thread asks it of every candidate without loading the syntax settle.
 */
const PLAINLY_OPEN = /["'`]generate/;

export function plainlyNeedsCompiler(text: string): boolean {
  return PLAINLY_OPEN.test(text);
}
