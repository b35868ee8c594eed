/** Detection for one file's text on its own (no other modules): the first pass of every run. */
import { detectInSourceFile, parseFailure, type FileDetection } from "./detect-file";
import { singleFileProgram, syntaxErrors } from "./program";
import type { ParseFailure } from "../types";

export type TextDetection = { ok: true; result: FileDetection } | { ok: false; error: ParseFailure };

export function detectText(file: string, text: string): TextDetection {
  const { sourceFile, program } = singleFileProgram(file, text);
  const error = parseFailure(sourceFile, syntaxErrors(program, sourceFile));
  if (error) return { ok: false, error };
  return { ok: true, result: detectInSourceFile(sourceFile, program.getTypeChecker(), false) };
}
