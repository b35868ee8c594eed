/**
 * The benchmark compares against jscodeshift running this project's own transform: that only
 * means something if the compiled transform's default export really runs under jscodeshift's
 * runner and migrates a file the way `migrate` does.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../scripts/corpus";

const SOURCE = 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({ token: "k" });\nexport async function ask() {\n  const r = await co.generate({ prompt: "hi" });\n  return r.generations[0].text;\n}\n';

test("dist/transforms/generate-to-chat.js migrates a file under the jscodeshift runner", () => {
  const transform = path.join(PROJECT_ROOT, "dist", "transforms", "generate-to-chat.js");
  if (!fs.existsSync(transform)) throw new Error("build first: npm run build");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cm-jscodeshift-"));
  try {
    fs.writeFileSync(path.join(dir, "a.ts"), SOURCE);
    fs.writeFileSync(path.join(dir, "plain.ts"), "export const a = 1;\n");
    const jscodeshift = path.join(PROJECT_ROOT, "node_modules", ".bin", "jscodeshift");
    // jscodeshift's defaults, babel included: the transform turns @babel/register off before it
    // loads the compiler (see src/transform/standalone.ts).
    const out = execFileSync(jscodeshift, ["-t", transform, "--dry", "--print", "--extensions=ts", "--parser=tsx", "."], { cwd: dir, encoding: "utf8" });
    expect(out).toContain("await co.v2.chat({");
    expect(out).toMatch(/1 ok/);
    // A file without a Cohere call: the transform returns nothing, which jscodeshift counts as skipped.
    expect(out).toMatch(/1 skipped/);
    expect(out).toMatch(/0 errors/);
    // --dry: nothing written.
    expect(fs.readFileSync(path.join(dir, "a.ts"), "utf8")).toBe(SOURCE);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
