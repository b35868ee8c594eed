import { dominantEol, normalizedOffset, normalizeLineEndings, restoreLineEndings } from "../../src/engine/line-endings";

test("CRLF becomes LF; offsets move back by the carriage returns before them", () => {
  const { text, removed } = normalizeLineEndings("a\r\nbc\r\nd\re");
  expect(text).toBe("a\nbc\nd\ne");
  expect(removed).toEqual([1, 5]);
  // "d" sits at 7 in the original and at 5 once two "\r" before it are gone; a lone "\r" keeps its length.
  expect(normalizedOffset(removed, 7)).toBe(5);
  expect(normalizedOffset(removed, 0)).toBe(0);
  expect(normalizedOffset(removed, 2)).toBe(1);
});

test("kept lines get their own terminators back; new lines the most common one", () => {
  const original = "one\r\ntwo\nthree\r\nfour\r\n";
  const rewritten = "one\ntwo\nTHREE\nextra\nfour\n";
  expect(restoreLineEndings(original, rewritten)).toBe("one\r\ntwo\nTHREE\r\nextra\r\nfour\r\n");
});

test("a missing final newline stays missing, and LF-only text is returned as it is", () => {
  expect(restoreLineEndings("a\r\nb", "a\nB")).toBe("a\r\nB");
  expect(restoreLineEndings("a\nb\n", "a\nc\n")).toBe("a\nc\n");
});

test("the dominant terminator", () => {
  expect(dominantEol("a\r\nb\r\nc\n")).toBe("\r\n");
  expect(dominantEol("a\nb")).toBe("\n");
  expect(dominantEol("no line break")).toBe("\n");
});
