/**
 * A file that changes on disk between read and write is not overwritten. The change is made
 * deterministically from the progress callback, which migrate calls after a file's rewrite is
 * computed and before anything is written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { migrate } from "../../src/migrate";
import type { ProgressEvent } from "../../src/engine/analyze";

const CALL = 'import { CohereClient } from "cohere-ai";\nconst co = new CohereClient({ token: "k" });\nexport const ask = (prompt: string) => co.generate({ prompt });\n';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cm-race-"));
  fs.writeFileSync(path.join(dir, "edited.ts"), CALL);
  fs.writeFileSync(path.join(dir, "calm.ts"), CALL);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a file edited while the run computes its rewrite keeps the edit", async () => {
  const edit = `${CALL}// saved by the editor meanwhile\n`;
  const phases: string[] = [];
  const result = await migrate({
    cwd: dir,
    paths: ["."],
    updateDeps: false,
    onProgress: (event: ProgressEvent) => {
      phases.push(event.phase);
      if (event.phase === "migrate" && event.done === 1) fs.writeFileSync(path.join(dir, "edited.ts"), edit);
    },
  });
  expect(phases).toContain("migrate");
  const edited = result.files.find((f) => f.file === "edited.ts");
  expect(edited?.status).toBe("failed");
  expect(edited?.error?.message).toMatch(/changed on disk since it was read; not overwritten/);
  // Nothing of it was written: counted as no call migrated, nothing chosen for it.
  expect(edited?.migrated).toBe(0);
  expect(edited?.notes).toEqual([]);
  expect(result.totals.migrated).toBe(result.files.find((f) => f.file === "calm.ts")?.migrated);
  expect(fs.readFileSync(path.join(dir, "edited.ts"), "utf8")).toBe(edit);
  // The other file was not touched by anyone and is migrated.
  expect(result.files.find((f) => f.file === "calm.ts")?.status).toBe("changed");
  expect(fs.readFileSync(path.join(dir, "calm.ts"), "utf8")).toContain("co.v2.chat(");
});

test("a file deleted meanwhile is reported, not recreated", async () => {
  const result = await migrate({
    cwd: dir,
    paths: ["."],
    updateDeps: false,
    onProgress: (event) => {
      if (event.phase === "migrate" && event.done === 1) fs.rmSync(path.join(dir, "edited.ts"));
    },
  });
  expect(result.files.find((f) => f.file === "edited.ts")?.status).toBe("failed");
  expect(fs.existsSync(path.join(dir, "edited.ts"))).toBe(false);
});
