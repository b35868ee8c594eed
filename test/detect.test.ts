import { singleFileProgram } from "../src/detect/program";
import { detectInSourceFile } from "../src/detect/detect-file";

function detect(text: string, file = "/virtual/a.ts") {
  const { sourceFile, program } = singleFileProgram(file, text);
  return detectInSourceFile(sourceFile, program.getTypeChecker(), false);
}

test("named import", () => {
  const d = detect(`import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({ token: "x" });\nco.generate({ prompt: "hi" });\n`);
  expect(d.sites.map((s) => [s.kind, s.client, s.certainty])).toEqual([["generate", "v1", "certain"]]);
});

test("require destructured in JS", () => {
  const d = detect(`const { CohereClientV2: C } = require("cohere-ai");\nconst co = new C({});\nco.generate({ prompt: "hi" });\n`, "/v/a.js");
  expect(d.sites.map((s) => [s.kind, s.client])).toEqual([["generate", "v2"]]);
});
