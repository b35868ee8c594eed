/**
 * Notebooks: the code cells' Python (IPython syntax masked), locations back in the .ipynb file,
 * and edits written into the cells' `source` values with every other byte kept.
 *
 * Expected outputs are either literal text or "what Jupyter writes" for the edited notebook:
 * nbformat saves with json.dumps(indent=1, ensure_ascii=False) plus a final newline, which
 * JSON.stringify(nb, null, 1) + "\n" reproduces byte for byte (same layout, same escapes).
 */
import { applyEdits, isNotebookError, locate, notebookCode, type NotebookCode } from "../../src/python/notebook";
import { loadPython, syntaxError, withTree } from "../../src/python/syntax";
import { check } from "../../src/check";
import { migrateFiles, tempTree } from "../support/fixtures";

interface Cell {
  cell_type: string;
  source: string[] | string;
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  id?: string;
}
interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** As Jupyter saves a notebook (1-space indent, non-ASCII as is, final newline). */
const jupyterWrites = (nb: Notebook, indent: number | string = 1): string => `${JSON.stringify(nb, null, indent)}\n`;
const parse = (text: string): Notebook => JSON.parse(text) as Notebook;
/** The same file as json.dumps(ensure_ascii=True) writes it. */
const asciiEscaped = (text: string): string => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

function read(text: string): NotebookCode {
  const code = notebookCode(text);
  if (isNotebookError(code)) throw new Error(`unexpected: ${code.message} at ${code.line}:${code.column}`);
  return code;
}

/** An edit replacing the `nth` occurrence of `find` in the notebook's Python. */
function replace(code: NotebookCode, find: string, text: string, nth = 0): { start: number; end: number; text: string } {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = code.python.indexOf(find, start + 1);
  if (start === -1) throw new Error(`not in the notebook's Python: ${find}`);
  return { start, end: start + find.length, text };
}

function insertAt(offset: number, text: string): { start: number; end: number; text: string } {
  return { start: offset, end: offset, text };
}

// A notebook as Jupyter writes it: markdown between code cells, outputs with an image and text,
// an empty cell, `%pip` / `!pip` lines, a `%%bash` cell, non-ASCII text and escapes in a source.
const JUPYTER = String.raw`{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "a1",
   "metadata": {},
   "source": [
    "# Summaries with Cohere\n",
    "Café notes — naïve 😀"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "b2",
   "metadata": {},
   "outputs": [],
   "source": [
    "%pip install cohere\n",
    "import cohere\n",
    "co = cohere.Client(\"key\")"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "id": "c3",
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "Résumé: ok\n"
     ]
    },
    {
     "data": {
      "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "text/plain": [
       "<Figure size 640x480 with 1 Axes>"
      ]
     },
     "metadata": {},
     "output_type": "display_data"
    }
   ],
   "source": [
    "response = co.generate(prompt=\"Résumé:\\t\\\"café\\\"\", max_tokens=20)\n",
    "print(response.generations[0].text)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "d4",
   "metadata": {},
   "outputs": [],
   "source": []
  },
  {
   "cell_type": "markdown",
   "id": "e5",
   "metadata": {},
   "source": [
    "Shell work"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "id": "f6",
   "metadata": {},
   "outputs": [],
   "source": [
    "%%bash\n",
    "echo \"$HOME\"\n",
    "ls -la | head"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 4,
   "id": "g7",
   "metadata": {},
   "outputs": [],
   "source": [
    "!pip install -q cohere\n",
    "files = !ls *.txt\n",
    "if IN_COLAB:\n",
    "    !pip install cohere\n",
    "co.generate?"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3 (ipykernel)",
   "language": "python",
   "name": "python3"
  },
  "language_info": {
   "name": "python",
   "version": "3.11.4"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
`;

const CELL3_LINE1 = String.raw`response = co.generate(prompt="Résumé:\t\"café\"", max_tokens=20)`;

/** A small notebook in other layouts: built as a tool would write it. */
function small(sources: Array<string[] | string>): Notebook {
  return {
    cells: sources.map((source, i) => ({ cell_type: "code", execution_count: i + 1, id: `c${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

beforeAll(() => loadPython());

describe("the fixture", () => {
  test("is laid out exactly as Jupyter writes it", () => {
    expect(jupyterWrites(parse(JUPYTER))).toBe(JUPYTER);
  });
});

describe("notebookCode", () => {
  test("joins the code cells in order, each followed by a line break, with IPython syntax masked to the same length", () => {
    const code = read(JUPYTER);
    expect(code.language).toBe("python");
    expect(code.cells.map((c) => c.index)).toEqual([1, 2, 3, 5, 6]);
    expect(code.python).toBe(
      [
        `#pip install cohere\nimport cohere\nco = cohere.Client("key")\n`,
        `${CELL3_LINE1}\nprint(response.generations[0].text)\n`,
        `\n`,
        `#%bash\n#cho "$HOME"\n#s -la | head\n`,
        `#pip install -q cohere\nfiles = 0${" ".repeat(8)}\nif IN_COLAB:\n    0${" ".repeat(18)}\n#o.generate?\n`,
      ].join(""),
    );
    for (const cell of code.cells) {
      expect(cell.end - cell.start).toBe(cell.text.length);
      expect(code.python[cell.end]).toBe("\n");
    }
    expect(code.cells[0].text).toBe(`%pip install cohere\nimport cohere\nco = cohere.Client("key")`);
    expect(code.cells[3].text).toBe(`%%bash\necho "$HOME"\nls -la | head`);
    expect(code.masked.map((m) => code.python.slice(m.start, m.end))).toEqual([
      "#pip install cohere",
      `#%bash\n#cho "$HOME"\n#s -la | head`,
      "#pip install -q cohere",
      "0        ",
      `0${" ".repeat(18)}`,
      "#o.generate?",
    ]);
  });

  test("the masked Python parses, so IPython lines are never syntax errors", () => {
    const code = read(JUPYTER);
    expect(withTree(code.python, (tree) => syntaxError(tree, code.python))).toBeUndefined();
  });

  test("decodes a single-string source and JSON escapes exactly", () => {
    const text = jupyterWrites(small(['import cohere\nco = cohere.Client()\nr = co.generate(prompt="tab\\there é \\u00e9 😀 \u0001")']));
    const code = read(text);
    expect(code.cells[0].source.form).toBe("string");
    expect(code.python).toBe('import cohere\nco = cohere.Client()\nr = co.generate(prompt="tab\\there é \\u00e9 😀 \u0001")\n');
  });

  test("masks IPython syntax only where IPython sees it: at the start of a logical line", () => {
    const source = [
      'PROMPT = """Fill in:\n',
      "%s\n",
      '!important"""\n',
      "args = (1,\n",
      "        %2)\n",
      "x = a % b\n",
      "print(x)  # %pip install cohere\n",
      "%timeit \\\n",
      "  co.generate(prompt=PROMPT)\n",
      "ok = a == !b\n",
    ];
    const code = read(jupyterWrites(small([source])));
    expect(code.python).toBe(
      [
        'PROMPT = """Fill in:\n%s\n!important"""\n',
        "args = (1,\n        %2)\n",
        "x = a % b\n",
        "print(x)  # %pip install cohere\n",
        "#timeit \\\n# co.generate(prompt=PROMPT)\n",
        "ok = a == !b\n",
        "\n",
      ].join(""),
    );
  });

  test("keeps the Python statement of a %time / %timeit / %prun line; masks the magic as `0;` and spaces", () => {
    const code = read(jupyterWrites(small([["%time r = co.generate(prompt='x')\n", "if True:\n", "    %timeit co.generate(prompt='y')\n", "%timeit -n 3 co.generate(prompt='z')"]])));
    expect(code.python).toBe("0;    r = co.generate(prompt='x')\nif True:\n    0;      co.generate(prompt='y')\n#timeit -n 3 co.generate(prompt='z')\n");
  });

  test("keeps the Python body of %%time and %%capture cells; masks other cell magics whole", () => {
    const code = read(jupyterWrites(small([["%%time\n", "r = co.generate(prompt='x')"], ["\n", "%%writefile helper.py\n", "import os\n"], ["%%capture out\n", "!pip install cohere\n", "co.generate(prompt='y')"]])));
    expect(code.python).toBe("#%time\nr = co.generate(prompt='x')\n" + "\n#%writefile helper.py\n#mport os\n\n" + "#%capture out\n#pip install cohere\nco.generate(prompt='y')\n");
    expect(withTree(code.python, (tree) => syntaxError(tree, code.python))).toBeUndefined();
  });

  test("a notebook whose kernel is not Python has no cells; a cell in another language is skipped", () => {
    const r = small([["library(ggplot2)"]]);
    r.metadata = { kernelspec: { display_name: "R", language: "R", name: "ir" }, language_info: { name: "R" } };
    const code = read(jupyterWrites(r));
    expect(code).toMatchObject({ python: "", cells: [], language: "R" });

    const mixed = small([["SELECT 1"], ["import cohere"]]);
    mixed.cells[0].metadata = { vscode: { languageId: "sql" } };
    expect(read(jupyterWrites(mixed)).cells.map((c) => c.index)).toEqual([1]);
  });

  test("invalid JSON is an error with its place in the file", () => {
    expect(notebookCode('{\n "cells": []\n "metadata": {}\n}\n')).toEqual({ message: "not valid JSON: comma expected", line: 3, column: 2, offset: 16 });
    expect(notebookCode("")).toMatchObject({ message: expect.stringMatching(/^not valid JSON/), line: 1, column: 1 });
    expect(notebookCode('{"cells": [], // note\n}')).toMatchObject({ message: expect.stringMatching(/^not valid JSON/), line: 1, column: 15 });
  });

  test("JSON that is not an nbformat 4 notebook is an error", () => {
    expect(notebookCode("[1, 2]")).toMatchObject({ message: expect.stringMatching(/not a Jupyter notebook/), line: 1, column: 1 });
    expect(notebookCode('{\n "metadata": {}\n}')).toMatchObject({ message: 'not a Jupyter notebook: no "cells" array' });
    expect(notebookCode('{\n "nbformat": 3,\n "worksheets": []\n}')).toMatchObject({ message: expect.stringMatching(/nbformat 3/), line: 2, column: 14 });
    expect(notebookCode('{"cells": [{"cell_type": "code", "source": [1]}], "nbformat": 4}')).toMatchObject({ message: expect.stringMatching(/holds a number/), column: 45 });
  });
});

describe("locate", () => {
  const code = read(JUPYTER);
  const fileLines = JUPYTER.split("\n");

  test("points into the cell's JSON string, past the opening quote and the escapes before the character", () => {
    const line = fileLines.findIndex((l) => l.includes("max_tokens")) + 1;
    expect(locate(code, code.python.indexOf("max_tokens"))).toEqual({ line, column: 64, cell: 3, cellLine: 1, cellColumn: 52 });
    // The first character of a source line is just after its opening quote.
    expect(locate(code, code.python.indexOf("print(response"))).toEqual({ line: line + 1, column: 6, cell: 3, cellLine: 2, cellColumn: 1 });
    // A Python backslash is written \\ in the JSON: the location is the escape's first character.
    expect(locate(code, code.python.indexOf("\\t"))).toMatchObject({ line, column: 45, cellColumn: 39 });
  });

  test("every character of every cell maps to the JSON text that encodes it", () => {
    const notebooks = [JUPYTER, asciiEscaped(JUPYTER), JUPYTER.replace(/\n/g, "\r\n"), jupyterWrites(small(["a = 'é\\u00e9\t😀'\nb = 2"]), 2)];
    for (const text of notebooks) {
      const nb = read(text);
      const lines = text.split(/\r?\n/);
      for (const cell of nb.cells) {
        for (let k = 0; k < cell.text.length; k++) {
          const at = locate(nb, cell.start + k);
          const rest = lines[at.line - 1].slice(at.column - 1);
          const decoded = rest[0] === "\\" ? (JSON.parse(`"${rest.slice(0, rest[1] === "u" ? 6 : 2)}"`) as string) : rest[0];
          expect(decoded).toBe(cell.text[k]);
        }
      }
    }
  });

  test("a cell's end is its last string's closing quote; an empty cell is inside its []", () => {
    const line = fileLines.findIndex((l) => l.includes("print(response")) + 1;
    const cell3 = code.cells[1];
    expect(locate(code, cell3.end)).toEqual({ line, column: fileLines[line - 1].lastIndexOf('"') + 1, cell: 3, cellLine: 2, cellColumn: 36 });
    const empty = code.cells[2];
    const emptyLine = fileLines.findIndex((l) => l.includes('"source": []')) + 1;
    expect(locate(code, empty.start)).toEqual({ line: emptyLine, column: 15, cell: 4, cellLine: 1, cellColumn: 1 });
  });

  test("the end of the Python (where a parser reports a missing token) is the last cell's end; past it is an error", () => {
    expect(locate(code, code.python.length)).toEqual(locate(code, code.cells[code.cells.length - 1].end));
    expect(locate(code, code.cells[0].end + 1)).toMatchObject({ cell: 3, cellLine: 1, cellColumn: 1 });
    expect(() => locate(code, code.python.length + 1)).toThrow(RangeError);
    expect(() => locate(code, -1)).toThrow(RangeError);
  });
});

describe("applyEdits", () => {
  test("an edit of a masked IPython line (a pip pin raised) is written only when given as one, inside the line", () => {
    const code = read(JUPYTER);
    const at = code.python.indexOf("pip install cohere\n") + "pip install ".length;
    const pin = { start: at, end: at + "cohere".length, text: '"cohere>=5.8,<8"' };
    expect(() => applyEdits(JUPYTER, code, [pin])).toThrow(/touches IPython syntax/);
    expect(applyEdits(JUPYTER, code, [], [pin])).toBe(JUPYTER.replace('"%pip install cohere\\n"', '"%pip install \\"cohere>=5.8,<8\\"\\n"'));
    const python = code.python.indexOf("cohere.Client");
    expect(() => applyEdits(JUPYTER, code, [], [{ start: python, end: python + 6, text: "x" }])).toThrow(/inside one IPython line/);
  });

  test("no edits, or edits that change nothing, give back the very same text", () => {
    const code = read(JUPYTER);
    expect(applyEdits(JUPYTER, code, [])).toBe(JUPYTER);
    expect(applyEdits(JUPYTER, code, [replace(code, "import cohere", "import cohere")])).toBe(JUPYTER);
  });

  test("a change inside a line rewrites that source line only", () => {
    const code = read(JUPYTER);
    const out = applyEdits(JUPYTER, code, [replace(code, "cohere.Client", "cohere.ClientV2")]);
    expect(out).toBe(JUPYTER.replace('"co = cohere.Client(\\"key\\")"', '"co = cohere.ClientV2(\\"key\\")"'));
  });

  test("a call rewritten over several lines adds lines to the cell, escaped as Jupyter escapes them", () => {
    const code = read(JUPYTER);
    const call = code.python.slice(code.python.indexOf("co.generate("), code.python.indexOf("max_tokens=20)") + "max_tokens=20)".length);
    const chat = [
      "co.chat(",
      '    model="command-a-03-2025",',
      '    messages=[{"role": "user", "content": "Résumé:\\t\\"café\\""}],',
      "    max_tokens=20,",
      ")",
    ].join("\n");
    const out = applyEdits(JUPYTER, code, [replace(code, call, chat)]);
    const expected = JUPYTER.replace(
      String.raw`    "response = co.generate(prompt=\"Résumé:\\t\\\"café\\\"\", max_tokens=20)\n",`,
      String.raw`    "response = co.chat(\n",
    "    model=\"command-a-03-2025\",\n",
    "    messages=[{\"role\": \"user\", \"content\": \"Résumé:\\t\\\"café\\\"\"}],\n",
    "    max_tokens=20,\n",
    ")\n",`,
    );
    expect(out).toBe(expected);
    // And it is what Jupyter would write for the edited notebook.
    const nb = parse(JUPYTER);
    nb.cells[2].source = [
      "response = co.chat(\n",
      '    model="command-a-03-2025",\n',
      '    messages=[{"role": "user", "content": "Résumé:\\t\\"café\\""}],\n',
      "    max_tokens=20,\n",
      ")\n",
      "print(response.generations[0].text)",
    ];
    expect(out).toBe(jupyterWrites(nb));
  });

  test("deletions remove lines; emptying a cell writes []", () => {
    const code = read(JUPYTER);
    const cell = code.cells[1];
    const dropPrint = applyEdits(JUPYTER, code, [{ start: code.python.indexOf("\nprint(response"), end: cell.end, text: "" }]);
    const nb = parse(JUPYTER);
    nb.cells[2].source = [`${CELL3_LINE1}`];
    expect(dropPrint).toBe(jupyterWrites(nb));

    const dropImport = applyEdits(JUPYTER, code, [replace(code, "import cohere\n", "")]);
    expect(dropImport).toBe(JUPYTER.replace('    "import cohere\\n",\n', ""));

    const emptied = applyEdits(JUPYTER, code, [{ start: cell.start, end: cell.end, text: "" }]);
    nb.cells[2].source = [];
    expect(emptied).toBe(jupyterWrites(nb));
  });

  test("an empty cell that gains lines is laid out as Jupyter lays out a source", () => {
    const code = read(JUPYTER);
    const out = applyEdits(JUPYTER, code, [insertAt(code.cells[2].start, 'import os\nKEY = os.environ["CO_API_KEY"]')]);
    expect(out).toBe(JUPYTER.replace('   "source": []\n', '   "source": [\n    "import os\\n",\n    "KEY = os.environ[\\"CO_API_KEY\\"]"\n   ]\n'));
  });

  test("insertions at a cell's start and end, beside masked lines, are allowed", () => {
    const code = read(JUPYTER);
    const first = code.cells[0];
    const out = applyEdits(JUPYTER, code, [insertAt(first.start, "# setup\n"), insertAt(first.end, "\nprint(co)")]);
    const nb = parse(JUPYTER);
    nb.cells[1].source = ["# setup\n", "%pip install cohere\n", "import cohere\n", 'co = cohere.Client("key")\n', "print(co)"];
    expect(out).toBe(jupyterWrites(nb));
  });

  test("edits in several cells rewrite each of them and nothing else", () => {
    const code = read(JUPYTER);
    const out = applyEdits(JUPYTER, code, [replace(code, "response.generations[0].text", "response.message.content[0].text"), replace(code, "Client(", "ClientV2(")]);
    const nb = parse(JUPYTER);
    nb.cells[1].source = ["%pip install cohere\n", "import cohere\n", 'co = cohere.ClientV2("key")'];
    (nb.cells[2].source as string[])[1] = "print(response.message.content[0].text)";
    expect(out).toBe(jupyterWrites(nb));
  });

  test("a 2-space notebook without a final newline keeps its layout", () => {
    const nb = small([["import cohere\n", "co = cohere.Client()\n", "r = co.generate(prompt='hi')"], []]);
    const text = JSON.stringify(nb, null, 2);
    const code = read(text);
    const out = applyEdits(text, code, [replace(code, "r = co.generate(prompt='hi')", "r = co.chat(\n    messages=[{'role': 'user', 'content': 'hi'}],\n)"), insertAt(code.cells[1].start, "print(r)\nprint(1)")]);
    nb.cells[0].source = ["import cohere\n", "co = cohere.Client()\n", "r = co.chat(\n", "    messages=[{'role': 'user', 'content': 'hi'}],\n", ")"];
    nb.cells[1].source = ["print(r)\n", "print(1)"];
    expect(out).toBe(JSON.stringify(nb, null, 2));
  });

  test("a CRLF notebook keeps CRLF between its items", () => {
    const crlf = JUPYTER.replace(/\n/g, "\r\n");
    const code = read(crlf);
    const out = applyEdits(crlf, code, [replace(code, "import cohere\n", "import cohere\nimport os\n"), insertAt(code.cells[2].start, "x = 1\ny = 2")]);
    const nb = parse(JUPYTER);
    nb.cells[1].source = ["%pip install cohere\n", "import cohere\n", "import os\n", 'co = cohere.Client("key")'];
    nb.cells[3].source = ["x = 1\n", "y = 2"];
    expect(out).toBe(jupyterWrites(nb).replace(/\n/g, "\r\n"));
  });

  test("a single-string source stays a single string; its untouched escapes stay as written", () => {
    const text = jupyterWrites(small(['import cohere\nco = cohere.Client()\nr = co.generate(prompt="\\u00e9t\\u00e9")']));
    // The file writes é as \u00e9 inside Python's own escapes: \\u00e9 in JSON. Keep one written as \u00e9 by JSON too.
    const written = text.replace("import cohere", "import coh\\u0065re");
    const code = read(written);
    expect(code.cells[0].text.startsWith("import cohere\n")).toBe(true);
    const out = applyEdits(written, code, [replace(code, 'co.generate(prompt="\\u00e9t\\u00e9")', 'co.chat(\n    messages=[{"role": "user", "content": "été"}],\n)')]);
    expect(out).toBe(written.replace('co.generate(prompt=\\"\\\\u00e9t\\\\u00e9\\")"', 'co.chat(\\n    messages=[{\\"role\\": \\"user\\", \\"content\\": \\"été\\"}],\\n)"'));
  });

  test("a notebook written with ensure_ascii keeps writing non-ASCII as \\u escapes", () => {
    const ascii = asciiEscaped(JUPYTER);
    const code = read(ascii);
    const out = applyEdits(ascii, code, [replace(code, "import cohere\n", "import cohere\nprint('déjà vu 😀')\n")]);
    const nb = parse(JUPYTER);
    nb.cells[1].source = ["%pip install cohere\n", "import cohere\n", "print('déjà vu 😀')\n", 'co = cohere.Client("key")'];
    expect(out).toBe(asciiEscaped(jupyterWrites(nb)));
    expect(out).toContain(String.raw`"print('d\u00e9j\u00e0 vu \ud83d\ude00')\n",`);
  });

  test("control characters are escaped as json.dumps escapes them", () => {
    const code = read(JUPYTER);
    const out = applyEdits(JUPYTER, code, [replace(code, "import cohere", "import cohere\u0007\u001b\u007f\t")]);
    expect(out).toContain(String.raw`    "import cohere\u0007\u001b` + "\u007f" + String.raw`\t\n",`);
  });

  test("overlapping edits resolve as in a .py file: the edit added first wins", () => {
    const code = read(JUPYTER);
    const out = applyEdits(JUPYTER, code, [replace(code, "cohere.Client", "cohere.ClientV2"), replace(code, "Client(\"key\")", "X")]);
    expect(out).toBe(JUPYTER.replace("cohere.Client(", "cohere.ClientV2("));
  });

  test("an edit spanning two cells, outside the cells, or into masked IPython syntax is refused", () => {
    const code = read(JUPYTER);
    const from = code.python.indexOf("print(response");
    const to = code.python.indexOf("files");
    expect(() => applyEdits(JUPYTER, code, [{ start: from, end: to, text: "" }])).toThrow(/spans cells 3 and 7/);
    expect(() => applyEdits(JUPYTER, code, [insertAt(code.python.length + 5, "x")])).toThrow(/not inside one code cell/);
    expect(() => applyEdits(JUPYTER, code, [replace(code, "#pip install cohere", "")])).toThrow(/touches IPython syntax at line 1 of cell 2 \("%pip install cohere"\)/);
    expect(() => applyEdits(JUPYTER, code, [insertAt(code.python.indexOf("echo") + 2, "x")])).toThrow(/IPython syntax/);
    expect(() => applyEdits(JUPYTER.replace("cohere", "cohere "), code, [replace(code, "import", "from")])).toThrow(/not the one notebookCode\(\) read/);
  });
});

describe("a notebook whose code does not parse", () => {
  const nb = (code: string): string =>
    jupyterWrites({
      cells: [
        { cell_type: "markdown", metadata: {}, source: ["generate those systematically with co.generate(...)\n"] },
        { cell_type: "code", metadata: {}, source: [code], outputs: [], execution_count: null },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });

  it("is no failure when its code holds no Generate call (a placeholder like <your-key>)", async () => {
    const dir = tempTree(new Map([["notes.ipynb", nb("import os\nos.environ['K'] = <your-key>\n")], ["calls.ipynb", nb("import cohere\nco = cohere.Client(<your-key>)\nco.generate(prompt='hi')\n")]]));
    const result = await check({ cwd: dir });
    expect(result.files.map((f) => [f.file, f.status, f.findings.map((x) => x.rule)])).toEqual([
      ["calls.ipynb", "failed", ["parse-error"]],
      ["notes.ipynb", "unchanged", []],
    ]);
  });
});

test("a %time line's Generate call is migrated in place, its magic kept", async () => {
  const nb = jupyterWrites(small([["import cohere\n", "co = cohere.Client('k')"], ["%time r = co.generate(prompt='hi', max_tokens=20)\n", "print(r.generations[0].text)"]]));
  const { texts } = await migrateFiles(new Map([["n.ipynb", nb]]));
  const cells = (JSON.parse(texts.get("n.ipynb") ?? "{}") as { cells: Array<{ source: string[] }> }).cells.map((c) => c.source.join(""));
  expect(cells[1]).toBe("%time r = co.v2.chat(model='command-a-03-2025', messages=[cohere.UserChatMessageV2(content='hi')], max_tokens=20, temperature=0.75)\nprint(chat_text(r))");
});
