/**
 * Where migrated Python gets its helpers (src/python/helpers.ts): one module per package, created
 * or extended, imported with the right number of dots; scripts and notebooks keep their own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { migrate } from "../../src/migrate";
import { helperHomeOf, helperModuleText } from "../../src/python/helpers";
import { formatDiffs } from "../../src/format/diff";
import { git, gitRepo, removeTemp, tempDir, writeTree } from "../cli/helpers";

const READ = `from .clients import co\n\n\ndef f():\n    return co.generate(prompt="x", stop_sequences=["."]).generations[0].text\n`;
const STREAM = `from .clients import co\n\n\ndef g():\n    for e in co.generate_stream(prompt="x"):\n        print(e.text)\n`;
const CLIENTS = `import cohere\n\nco = cohere.Client("k")\n`;

/** Runs `check` on a fresh tree of `files`, removed afterwards. */
function inTree(files: Record<string, string>, check: (tree: string) => void): void {
  const tree = tempDir("cm-pyhome-tree-");
  try {
    writeTree(tree, files);
    check(tree);
  } finally {
    removeTemp(tree);
  }
}

describe("helperHomeOf", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("cm-pyhome-");
    writeTree(dir, { "pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/deep/__init__.py": "", "scripts/run.py": "" });
  });
  afterAll(() => removeTemp(dir));

  it("is the top package, with one dot per level below it", () => {
    expect(helperHomeOf(path.join(dir, "pkg/m.py"), READ, dir)).toEqual({ root: path.join(dir, "pkg"), dots: "." });
    expect(helperHomeOf(path.join(dir, "pkg/sub/deep/m.py"), READ, dir)).toEqual({ root: path.join(dir, "pkg"), dots: "..." });
  });

  it("is none for a script, a __main__ module without relative imports, and a notebook", () => {
    expect(helperHomeOf(path.join(dir, "scripts/run.py"), READ, dir)).toBeUndefined();
    expect(helperHomeOf(path.join(dir, "pkg/cli.py"), `import cohere\nif __name__ == "__main__":\n    pass\n`, dir)).toBeUndefined();
    expect(helperHomeOf(path.join(dir, "pkg/cli.py"), `from . import x\nif __name__ == "__main__":\n    pass\n`, dir)).toEqual({ root: path.join(dir, "pkg"), dots: "." });
    expect(helperHomeOf(path.join(dir, "pkg/nb.ipynb"), READ, dir)).toBeUndefined();
  });

  it("is none for a module run directly beside a stray __init__.py: top-level code that prints or starts the program", () => {
    for (const top of ['print(co.generate(prompt="hi").generations[0].text)', "main()", "asyncio.run(main())"]) {
      expect(helperHomeOf(path.join(dir, "pkg/app.py"), `import cohere\n${top}\n`, dir)).toBeUndefined();
      // Imported relatively elsewhere in it: the module runs inside its package.
      expect(helperHomeOf(path.join(dir, "pkg/app.py"), `from .config import KEY\n${top}\n`, dir)).toEqual({ root: path.join(dir, "pkg"), dots: "." });
    }
    // Indented or a method call of that name: not module-level script code.
    expect(helperHomeOf(path.join(dir, "pkg/app.py"), `def f():\n    print(1)\nlogger.main()\n`, dir)).toEqual({ root: path.join(dir, "pkg"), dots: "." });
  });

  it("is none in a folder whose modules import each other by bare name (run from that folder), whatever its __init__.py", () => {
    inTree(
      {
        "bot/__init__.py": "",
        "bot/utils.py": "import cohere\n",
        "bot/app.py": "from utils import complete\nimport os, json\n",
        "lib/__init__.py": "",
        "lib/utils.py": "import cohere\n",
        // `json` is no sibling, and a module naming itself is not evidence.
        "lib/app.py": "import json\nfrom app import x\n",
      },
      (tree) => {
        const plain = `import cohere\nco = cohere.Client()\n`;
        expect(helperHomeOf(path.join(tree, "bot/utils.py"), plain, tree)).toBeUndefined();
        expect(helperHomeOf(path.join(tree, "lib/utils.py"), plain, tree)).toEqual({ root: path.join(tree, "lib"), dots: "." });
      },
    );
  });

  it("stops at the repository top", () => {
    expect(helperHomeOf(path.join(dir, "pkg/sub/m.py"), READ, path.join(dir, "pkg/sub"))).toEqual({ root: path.join(dir, "pkg/sub"), dots: "." });
  });

  it("does not climb into the repository's own folder, nor into a folder whose modules import the package by its bare name (a stray __init__.py there)", () => {
    inTree(
      {
        "__init__.py": "",
        "qa/__init__.py": "",
        "backend/__init__.py": "",
        "backend/core/__init__.py": "",
        "backend/api/__init__.py": "",
        "backend/api/server.py": "from core.llm import answer\n",
        "other/__init__.py": "",
        "other/pkg/__init__.py": "",
        "other/pkg/inner/__init__.py": "",
      },
      (tree) => {
        // The root's __init__.py: qa is a top-level package (cli_demo.py beside it imports qa.model).
        expect(helperHomeOf(path.join(tree, "qa/model.py"), READ, tree)).toEqual({ root: path.join(tree, "qa"), dots: "." });
        // backend/api/server.py imports core by its bare name: backend is on sys.path, not a package.
        expect(helperHomeOf(path.join(tree, "backend/core/llm.py"), READ, tree)).toEqual({ root: path.join(tree, "backend/core"), dots: "." });
        // Nothing imports pkg by its bare name: other is the top package.
        expect(helperHomeOf(path.join(tree, "other/pkg/inner/m.py"), READ, tree)).toEqual({ root: path.join(tree, "other"), dots: "..." });
      },
    );
  });
});

describe("helperModuleText", () => {
  it("creates a module with what is wanted, extends one with what it lacks, and leaves a complete one", () => {
    const created = helperModuleText(undefined, new Set(["text"])) ?? "";
    expect(created).toMatch(/^"""Helpers for code migrated/);
    expect(created).toMatch(/^def chat_text\(/m);
    expect(created).not.toMatch(/^def chat_delta_text\(/m);
    const extended = helperModuleText(created, new Set(["text", "delta"])) ?? "";
    expect(extended.startsWith(created.trimEnd())).toBe(true);
    expect(extended.match(/^def chat_text\(/gm)).toHaveLength(1);
    expect(extended).toMatch(/\n\n\ndef chat_delta_text\(/);
    expect(helperModuleText(extended, new Set(["text", "delta"]))).toBeUndefined();
  });
});

describe("migrate and the package's helper module", () => {
  it("extends the module a previous run created when a newly migrated module needs another helper", async () => {
    const dir = tempDir("cm-pyext-");
    try {
      writeTree(dir, { "pkg/__init__.py": "", "pkg/clients.py": CLIENTS, "pkg/a.py": READ });
      await migrate({ cwd: dir, paths: ["."] });
      const first = fs.readFileSync(path.join(dir, "pkg/_cohere_chat.py"), "utf8");
      writeTree(dir, { "pkg/b.py": STREAM });
      const second = await migrate({ cwd: dir, paths: ["."] });
      const module = fs.readFileSync(path.join(dir, "pkg/_cohere_chat.py"), "utf8");
      expect(module.startsWith(first.trimEnd())).toBe(true);
      expect(module).toMatch(/^def chat_delta_text\(/m);
      expect(second.files.find((f) => f.file === "pkg/_cohere_chat.py")).toMatchObject({ status: "changed" });
      expect(second.files.find((f) => f.file === "pkg/_cohere_chat.py")?.created).toBeUndefined();
      expect(fs.readFileSync(path.join(dir, "pkg/b.py"), "utf8")).toContain("from ._cohere_chat import chat_delta_text\n");
      // Converged: a third run changes nothing.
      const third = await migrate({ cwd: dir, paths: ["."] });
      expect(third.files.filter((f) => f.status === "changed")).toEqual([]);
    } finally {
      removeTemp(dir);
    }
  });

  it("--dry prints the new module as a new file, and git apply takes the diff", async () => {
    const repo = gitRepo({ "pkg/__init__.py": "", "pkg/clients.py": CLIENTS, "pkg/a.py": READ });
    const patchDir = tempDir("cm-pypatch-");
    try {
      const result = await migrate({ cwd: repo, paths: ["."], dry: true });
      expect(fs.existsSync(path.join(repo, "pkg/_cohere_chat.py"))).toBe(false);
      const diff = formatDiffs(result.files, undefined, { cwd: repo, root: repo });
      expect(diff).toContain("diff --git a/pkg/_cohere_chat.py b/pkg/_cohere_chat.py\nnew file mode 100644\n--- /dev/null\n+++ b/pkg/_cohere_chat.py\n");
      const patch = path.join(patchDir, "p.patch");
      fs.writeFileSync(patch, diff);
      git(repo, "apply", patch);
      const written = await migrate({ cwd: repo, paths: ["."], dry: true });
      expect(written.files.filter((f) => f.status === "changed")).toEqual([]);
    } finally {
      removeTemp(repo);
      removeTemp(patchDir);
    }
  });
});
