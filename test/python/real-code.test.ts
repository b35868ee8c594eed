/**
 * Forms seen in public Python code that calls Generate (each rewritten from scratch here, a few
 * lines each), where an earlier build was wrong: the fix for each class, and its test.
 */
import { checkFiles, migrateFiles } from "../support/fixtures";

/** Python source given as text, or as its lines (joined with "\n"; end with "" for a final newline). */
type Source = string | readonly string[];

function textOf(source: Source): string {
  return typeof source === "string" ? source : source.join("\n");
}

/** Migrates a tree of files (path → source); returns every file of it afterwards, by path. */
async function migratedTree(files: Record<string, Source>): Promise<Map<string, string>> {
  const { texts } = await migrateFiles(new Map(Object.entries(files).map(([file, source]) => [file, textOf(source)])));
  return texts;
}

async function migrated(source: Source): Promise<string> {
  return (await migratedTree({ "app.py": source })).get("app.py") ?? "";
}

async function rules(files: Record<string, Source>): Promise<string[]> {
  const r = await checkFiles(new Map(Object.entries(files).map(([file, source]) => [file, textOf(source)])));
  return r.findings.map((f) => `${f.file}:${f.span.start.line} ${f.rule}`);
}

test("a stop sequence held in a variable is never dropped silently: applied where the text is read, else marked", async () => {
  const read = await migrated(`import cohere\n\nco = cohere.Client("k")\nSTOPS = ["--"]\nprint(co.generate(prompt="hi", stop_sequences=STOPS).generations[0].text)\n`);
  expect(read).toContain("chat_text(co.v2.chat(");
  expect(read).toContain("stop_sequences=STOPS)");
  const passedOn = await migrated(`import cohere\n\n\nclass M:\n    def __init__(self):\n        self.client = cohere.Client("k")\n        self.stops = ["--"]\n\n    def run(self, p):\n        return dict(self.client.generate(prompt=p, stop_sequences=self.stops))\n`);
  expect(passedOn).toMatch(/# cohere-migrate: sequences-unapplied .*\(stop_sequences=self\.stops\)/);
});

test("an empty stop list is dropped, not carried into the read", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\nprint(co.generate(prompt="hi", stop_sequences=[]).generations[0].text)\n`);
  expect(out).toContain("print(chat_text(co.v2.chat(");
  expect(out).toMatch(/print\(chat_text\(co\.v2\.chat\([^\n]*\)\)\)\n/);
  expect(out).not.toContain("stop_sequences=[]");
});

test("an iterated likelihood read becomes an empty tuple (the loop runs no times), a plain one None", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\nr = co.generate(prompt="hi", return_likelihoods="GENERATION")\ntotal = 0\nfor t in r.generations[0].token_likelihoods:\n    total += t.likelihood\nprint(r.generations[0].likelihood, len(r.generations[0].token_likelihoods))\n`);
  expect(out).toContain("for t in ():");
  expect(out).toContain("print(None, len(()))");
});

test.each(["large", "xlarge", "medium", "command-nightly"])("the retired model %s is replaced", async (model) => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\nprint(co.generate(model="${model}", prompt="hi").generations[0].text)\n`);
  expect(out).toContain('model="command-a-03-2025"');
});

test("a call that is only marked gets no import it does not use", async () => {
  // The prompt can only be in the payload: the call is marked and stays on Generate.
  const out = await migrated(`from cohere import Client\n\nco = Client("k")\n\n\ndef run(payload):\n    return co.generate(**payload)\n`);
  expect(out).not.toMatch(/import[^\n]*UserChatMessageV2/);
  expect(out).toContain("# cohere-migrate: request-shape");
  expect(out).toContain("return co.generate(**payload)");
});

test("Generate's defaults go under a spread migrate cannot see, which still wins", async () => {
  const out = await migrated(`from cohere import Client\n\nco = Client("k")\n\n\ndef run(text, payload):\n    return co.generate(prompt=text, **payload)\n`);
  expect(out).toContain('co.v2.chat(messages=[UserChatMessageV2(content=text)], **{"model": "command-a-03-2025", "temperature": 0.75, **payload})');
});

test("a class's own generate method is not a possible Cohere call; an Any-typed receiver in a file importing cohere (even in a function) is", async () => {
  expect(await rules({ "own.py": `import cohere\n\n\nclass Wrapper:\n    def generate(self, prompt):\n        return prompt\n\n    def run(self, prompt):\n        return self.generate(prompt)\n` })).toEqual([]);
  expect(await rules({ "anyarg.py": `from typing import Any\n\n\ndef call(client: Any, **kwargs):\n    import cohere\n    return client.generate(**kwargs)\n` })).toEqual(["anyarg.py:6 possible-legacy-call"]);
});

test("a notebook: a bare `pip install` is IPython automagic, not a parse error; outputs do not make it too large or minified", async () => {
  const image = "iVBORw0KGgo".repeat(150_000); // about 1.6 MB of base64 on one line, as a plot output is
  const nb = JSON.stringify({
    cells: [
      { cell_type: "code", execution_count: 1, metadata: {}, outputs: [], source: ["pip install cohere==4.57\n"] },
      { cell_type: "code", execution_count: 2, metadata: {}, outputs: [{ data: { "image/png": image }, metadata: {}, output_type: "display_data" }], source: ["import cohere\n", "co = cohere.Client('k')\n", "print(co.generate(prompt='hi').generations[0].text)"] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
  expect(await rules({ "big.ipynb": nb })).toEqual(["big.ipynb:1 generate"]);
  const texts = await migratedTree({ "big.ipynb": nb });
  expect(texts.get("big.ipynb")).toContain("co.v2.chat(");
  expect(texts.get("big.ipynb")).toContain(image);
});

test("a reference to generate on an untraced receiver, in a file importing cohere, is a possible call as a call there is; defining one is not", async () => {
  const source = [
    "import functools",
    "import cohere",
    "",
    "",
    "def run(h, llm):",
    "    f = h.client.generate",
    "    g = functools.partial(llm.client.generate, max_tokens=20)",
    "    h.generate = f",
    "    return f(prompt='x'), g(prompt='y')",
    "",
  ];
  expect(await rules({ "refs.py": source })).toEqual(["refs.py:6 possible-legacy-call", "refs.py:7 possible-legacy-call"]);
});

test("a retired model a constructor's callers pass (stored in self.model) is replaced where it is passed, as its default is; only in the class whose field is sent", async () => {
  const out = await migrated([
    "import cohere",
    "",
    "",
    "class LLM:",
    '    def __init__(self, co: cohere.Client, model="command-light"):',
    "        self.co = co",
    "        self.model = model",
    "",
    "    def run(self, p):",
    "        return self.co.generate(prompt=p, model=self.model).generations[0].text",
    "",
    "",
    "class Transcriber:",
    '    def __init__(self, model="base"):',
    "        self.model = model",
    "",
    "",
    'llm = LLM(cohere.Client("k"), model="command-nightly")',
    'other = LLM(cohere.Client("k"), "xlarge")',
    'custom = LLM(cohere.Client("k"), model="my-fine-tune")',
    'stt = Transcriber(model="small")',
    "",
  ]);
  expect(out).toContain('def __init__(self, co: cohere.Client, model="command-a-03-2025"):');
  expect(out).toContain('llm = LLM(cohere.Client("k"), model="command-a-03-2025")');
  expect(out).toContain('other = LLM(cohere.Client("k"), "command-a-03-2025")');
  expect(out).toContain('custom = LLM(cohere.Client("k"), model="my-fine-tune")');
  // Another class's self.model (a speech model's "base", "small") is no Cohere model.
  expect(out).toContain('def __init__(self, model="base"):');
  expect(out).toContain('stt = Transcriber(model="small")');
});

test("a Generation read as an object (getattr, hasattr, vars) is marked, not turned into its text", async () => {
  const out = await migrated([
    "import cohere",
    "",
    'co = cohere.Client("k")',
    'r = co.generate(prompt="hi", max_tokens=3)',
    'print(getattr(r.generations[0], "text", ""))',
    "g = r.generations[0]",
    'print(g.text if hasattr(g, "text") else "?")',
    "",
  ]);
  expect(out).not.toContain("getattr(chat_text(");
  expect(out).not.toContain("hasattr(chat_text(");
  expect(out.match(/# cohere-migrate: response-shape/g)?.length).toBe(2);
});

test("a retired model held in a constant of another module is replaced in the call (the constant keeps its value); a current one is kept", async () => {
  const texts = await migratedTree({
    "settings.py": 'MODEL = "command"\nCURRENT: str = "command-r-08-2024"\n',
    "app/__init__.py": "",
    "app/config.py": "MODEL = 'command-light'  # the small one\n",
    "main.py": 'import cohere\nimport settings\nfrom settings import MODEL, CURRENT\n\nco = cohere.Client("k")\nprint(co.generate(prompt="a", model=MODEL).generations[0].text)\nprint(co.generate(prompt="b", model=settings.MODEL).generations[0].text)\nprint(co.generate(prompt="c", model=CURRENT).generations[0].text)\n',
    "app/use.py": 'import cohere\nfrom .config import MODEL\n\nco = cohere.Client("k")\nprint(co.generate(prompt="d", model=MODEL).generations[0].text)\n',
  });
  const main = texts.get("main.py") ?? "";
  expect(main.match(/model="command-a-03-2025"/g)?.length).toBe(2);
  expect(main).toContain("model=CURRENT");
  expect(texts.get("app/use.py")).toContain('model="command-a-03-2025"');
  expect(texts.get("settings.py")).toBe('MODEL = "command"\nCURRENT: str = "command-r-08-2024"\n');
});

test("a module's dict changed by one of its functions is not read as the keys it was written with", async () => {
  const out = await migrated([
    "import cohere",
    "",
    'co = cohere.Client("k")',
    'GEN_KWARGS = {"max_tokens": 100}',
    "",
    "",
    "def configure(m):",
    '    GEN_KWARGS["model"] = m',
    "",
    "",
    "def run(p):",
    "    return co.generate(prompt=p, **GEN_KWARGS).generations[0].text",
    "",
  ]);
  expect(out).toContain("# cohere-migrate: spread-unchecked");
  expect(out).toContain('**{"model": "command-a-03-2025", "temperature": 0.75, **GEN_KWARGS}');
});

test("under a guarded import, the message class is imported inside a one-line clause, where the call runs", async () => {
  const out = await migrated([
    "try:",
    "    import cohere",
    "except ImportError:",
    "    cohere = None",
    "",
    "",
    "def f(p, mode):",
    '    co = cohere.Client("k")',
    '    if mode == "cache": return ""',
    '    elif mode == "live": return co.generate(prompt=p).generations[0].text',
    '    else: r = co.generate(prompt=p)',
    "    return r.generations[0].text",
    "",
  ]);
  expect(out).toContain('    elif mode == "live": from cohere import UserChatMessageV2; return chat_text(co.v2.chat(');
  expect(out).toContain("    else: from cohere import UserChatMessageV2; r = co.v2.chat(");
  expect(out).not.toMatch(/^\s*from cohere import UserChatMessageV2\s*$/m);
});

test("a slice of the generations is a list, not an item: its reads are marked", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\nr = co.generate(prompt="hi")\ngens = r.generations\nfor g in gens[:1]:\n    print(g.text)\n`);
  expect(out).not.toContain("chat_text(gens[:1])");
  expect(out).toContain("# cohere-migrate: response-shape");
});

test("a mock's attributes on generate, and generate as an assignment target, are not possible calls", async () => {
  const source = [
    "import cohere",
    "from functools import partial",
    "",
    "",
    "def test_run(mock_client, fixture):",
    '    mock_client.generate.return_value = {"x": 1}',
    "    mock_client.generate.assert_called_once()",
    "    fixture.generate, fixture.other = None, None",
    "    return partial(fixture.generate, n=1)",
    "",
  ];
  expect(await rules({ "test_gen.py": source })).toEqual(["test_gen.py:9 possible-legacy-call"]);
});

test("a module with no imports (a pytest test taking its client from conftest.py) gets the helper import at its head, set off by blank lines", async () => {
  const texts = await migratedTree({
    "conftest.py": `import cohere\nimport pytest\n\n\n@pytest.fixture\ndef cohere_client():\n    return cohere.Client("k")\n`,
    "test_completion.py": `def test_joke(cohere_client):\n    res = cohere_client.generate(prompt="a joke")\n    assert res.generations[0].text\n`,
  });
  expect(texts.get("test_completion.py")).toMatch(/^from cohere import UserChatMessageV2\n\n\ndef chat_text\(/);
  expect(texts.get("test_completion.py")).toContain("\n\n\ndef test_joke(cohere_client):\n    res = cohere_client.v2.chat(");
});

test("a class attribute filled from outside (Bot.co = cohere.Client(key)) is the class's; another Bot in a function is not", async () => {
  const cls = ["import cohere", "", "", "class Bot:", "    co = None", "", "    def answer(self, p):", "        return self.co.generate(prompt=p).generations[0].text", ""];
  expect(await rules({ "a.py": [...cls, "", "def setup(key):", "    Bot.co = cohere.Client(key)", ""] })).toEqual(["a.py:8 generate"]);
  // A local class of the same name, and a parameter named Bot: their `Bot.co` is not the module class's.
  expect(await rules({ "b.py": [...cls, "Bot.co = object()", "", "", "def other(key):", "    class Bot:", "        co = None", "    Bot.co = cohere.Client(key)", "", "", "def setup(key, Bot):", "    Bot.co = cohere.Client(key)", ""] })).toEqual([]);
});

test("a one-line script (import cohere; co = ...; co.generate(...)) gets its helper above the line, not between its statements", async () => {
  const out = await migrated(`import cohere; co = cohere.Client("k"); r = co.generate(prompt="semi", max_tokens=5); print(r.generations[0].text)\n`);
  expect(out.startsWith("def chat_text(")).toBe(true);
  expect(out).toContain(`\nimport cohere; co = cohere.Client("k"); r = co.v2.chat(`);
  expect(await rules({ "app.py": out })).toEqual([]);
});

test("a Django project's folder (manage.py beside a stray __init__.py) is where it runs: the helper module goes in the app", async () => {
  const texts = await migratedTree({
    "site/__init__.py": "",
    "site/manage.py": "import sys\n",
    "site/app/__init__.py": "",
    "site/app/views.py": `import cohere\n\nco = cohere.Client("k")\n\n\ndef answer(q):\n    return co.generate(prompt=q).generations[0].text\n`,
  });
  expect(texts.get("site/app/views.py")).toContain("from ._cohere_chat import chat_text");
  expect(texts.has("site/app/_cohere_chat.py")).toBe(true);
  expect(texts.has("site/_cohere_chat.py")).toBe(false);
});

test("a proxy class forwarding through __getattr__ (a retry wrapper) makes its instance's generate a possible call", async () => {
  const wrapper = ["import cohere", "", "", "class Retrying:", "    def __init__(self, key):", "        self._co = cohere.Client(key)", "", "    def __getattr__(self, name):", "        return getattr(self._co, name)", "", "", "co = Retrying('k')", "print(co.generate(prompt='hi').generations[0].text)", ""];
  expect(await rules({ "app.py": wrapper })).toEqual(["app.py:13 possible-legacy-call"]);
});

test("a client built with max_retries (dropped in cohere 5, back in 7.0.5) raises the requirement to 7.0.5", async () => {
  const texts = await migratedTree({ "requirements.txt": "cohere>=4.0,<5\n", "app.py": `import cohere\n\nco = cohere.Client(get_key("k"), max_retries=5)\n\n\ndef complete(p):\n    return co.generate(prompt=p).generations[0].text\n` });
  expect(texts.get("requirements.txt")).toBe("cohere>=7.0.5,<8\n");
});

test("a read two bindings reach (if/else) is rewritten only when both give one shape; a cached value or a list on one path marks it", async () => {
  const fn = (a: string, b: string, read: string): string[] => ["import cohere", "", "co = cohere.Client('k')", "", "", "def f(p, n=1, cached=None):", "    if n > 1:", `        r = ${a}`, "    else:", `        r = ${b}`, `    return ${read}`, ""];
  const plain = await migrated(fn("co.generate(prompt=p, max_tokens=5)", "co.generate(prompt=p)", "r.generations[0].text"));
  expect(plain).toContain("    return chat_text(r)\n");
  const cached = await migrated(fn("co.generate(prompt=p)", "cached", "r.generations[0].text"));
  expect(cached).toMatch(/# cohere-migrate: response-shape .*another value on some paths.*\n    return r\.generations\[0\]\.text\n/);
  const list = await migrated(fn("co.generate(prompt=p, num_generations=n)", "co.generate(prompt=p)", "[g.text for g in r.generations]"));
  expect(list).toMatch(/# cohere-migrate: response-shape .*\n    return \[g\.text for g in r\.generations\]\n/);
  // A placeholder before a retry loop holds no response: the read is the call's.
  const retry = await migrated(["import cohere", "", "co = cohere.Client('k')", "", "", "def f(p):", "    r = None", "    for _ in range(3):", "        try:", "            r = co.generate(prompt=p)", "            break", "        except Exception:", "            pass", "    return r.generations[0].text", ""]);
  expect(retry).toContain("    return chat_text(r)\n");
});

test("the API's first URL form, https://api.cohere.ai/{model}/generate, is a Generate endpoint (a documentation URL is not)", async () => {
  const files = {
    "rest.py": `import requests\n\nMODEL = "xlarge"\n\n\ndef complete(prompt, model="medium"):\n    a = requests.post(f"https://api.cohere.ai/{MODEL}/generate", json={"prompt": prompt})\n    b = requests.post("https://api.cohere.ai/" + model + "/generate", json={"prompt": prompt})\n    return a, b\n\n\nDOCS = "https://docs.cohere.com/reference/generate"\n`,
  };
  expect(await rules(files)).toEqual(["rest.py:7 generate-url", "rest.py:8 generate-url"]);
});

test("a page a framework runs as a script (Streamlit, a Gradio app launched at module level, a folder named cohere-demo) keeps its own helpers beside an __init__.py", async () => {
  const call = `co = cohere.Client("k")\n\n\ndef answer(q):\n    return co.generate(prompt=q).generations[0].text\n`;
  const texts = await migratedTree({
    "app/__init__.py": "",
    "app/streamlit_app.py": `import cohere\nimport streamlit as st\n\n${call}\n\nst.write(answer(st.text_input("Prompt")))\n`,
    "ui/__init__.py": "",
    "ui/demo.py": `import cohere\nimport gradio as gr\n\n${call}\n\ndemo = gr.Interface(fn=answer, inputs="text", outputs="text")\ndemo.launch()\n`,
    "cohere-demo/__init__.py": "",
    "cohere-demo/llm.py": `import cohere\n\n${call}`,
    "pkg/__init__.py": "",
    "pkg/llm.py": `import cohere\n\n${call}`,
  });
  for (const file of ["app/streamlit_app.py", "ui/demo.py", "cohere-demo/llm.py"]) {
    expect({ file, relative: texts.get(file)?.includes("from ._cohere_chat import"), own: texts.get(file)?.includes("def chat_text(") }).toEqual({ file, relative: false, own: true });
  }
  // A module of a package that is imported keeps the package's one helper module.
  expect(texts.get("pkg/llm.py")).toContain("from ._cohere_chat import chat_text");
});

test("a name another object is assigned to in the other branch of an if statement (a class of the file, an imported client) is a possible call, not a Cohere one", async () => {
  const files = {
    "main.py": `import os\nimport cohere\nfrom ollama import Client as OllamaClient\n\n\nclass EchoModel:\n    def generate(self, prompt, **kw):\n        return "echo " + prompt\n\n\nif os.getenv("OFFLINE"):\n    llm = EchoModel()\nelse:\n    llm = cohere.Client("k")\nprint(llm.generate(prompt="branches", max_tokens=10))\n\nif os.getenv("USE_OLLAMA"):\n    other = OllamaClient()\nelse:\n    other = cohere.Client("k")\nprint(other.generate(prompt="x"))\n\nco = None\nco = cohere.Client("k")\nprint(co.generate(prompt="x").generations[0].text)\n`,
  };
  expect(await rules(files)).toEqual(["main.py:15 possible-legacy-call", "main.py:21 possible-legacy-call", "main.py:25 generate"]);
});

test("a parameter named cohere (the client) hides the module in its function: the message class is imported by name there", async () => {
  const out = await migrated(`import cohere\n\n\ndef run(cohere: cohere.Client, prompt: str) -> str:\n    return cohere.generate(prompt=prompt, max_tokens=10).generations[0].text\n\n\nprint(run(cohere.Client("k"), "x"))\n`);
  expect(out).toContain("from cohere import UserChatMessageV2");
  expect(out).toContain("messages=[UserChatMessageV2(content=prompt)]");
  expect(out).not.toContain("cohere.UserChatMessageV2");
});

test("stop sequences computed by a call (kwargs.pop) or changed in place before the read are marked, not evaluated again at each read", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\n\n\ndef complete(prompt, **kwargs):\n    r = co.generate(prompt=prompt, max_tokens=20, stop_sequences=kwargs.pop("stop", None))\n    print("raw:", r.generations[0].text)\n    return r.generations[0].text.strip()\n\n\ndef cleared(prompt):\n    stops = ["'"]\n    r = co.generate(prompt=prompt, stop_sequences=stops)\n    stops.clear()\n    return r.generations[0].text\n\n\ndef kept(prompt):\n    stops = ["'"]\n    r = co.generate(prompt=prompt, stop_sequences=stops)\n    return r.generations[0].text\n`);
  expect(out.match(/kwargs\.pop/g)?.length).toBe(2);
  expect(out).toMatch(/sequences-unapplied .*stop_sequences=kwargs\.pop\("stop", None\) is computed where the request is made/);
  expect(out).toMatch(/sequences-unapplied .*\(stop_sequences=stops: the request's value cannot be written here/);
  expect(out).toContain("return chat_text(r, stop_sequences=stops)");
});

test("a temperature or model taken with kwargs.pop(..., None) keeps Generate's defaults, the lookup run once", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\n\n\ndef complete(prompt, **kwargs):\n    r = co.generate(prompt=prompt, max_tokens=10, temperature=kwargs.pop("temperature", None), model=kwargs.pop("model", None))\n    return r.generations[0].text\n`);
  expect(out).toContain('temperature=kwargs.pop("temperature", 0.75)');
  expect(out).toContain('model=kwargs.pop("model", None) or "command-a-03-2025"');
  expect(out.match(/kwargs\.pop/g)?.length).toBe(2);
});

test("a Generation object returned, appended, passed on or stored (its .text read elsewhere) is marked, not turned into a str; printed or interpolated it is the text", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\n\n\ndef best_generation(p):\n    return co.generate(prompt=p, max_tokens=10).generations[0]\n\n\ndef collect(ps):\n    out = []\n    for p in ps:\n        r2 = co.generate(prompt=p)\n        out.append(r2.generations[0])\n    return [o.text for o in out]\n\n\nclass Keeper:\n    def keep(self, p):\n        r = co.generate(prompt=p)\n        self.best = r.generations[0]\n\n\nr = co.generate(prompt="x")\nprint(r.generations[0])\nprint(f"got {r.generations[0]}")\n`);
  expect(out.match(/a Generation object is handed on here/g)?.length).toBe(3);
  expect(out).toContain("print(chat_text(r))");
  expect(out).toContain('print(f"got {chat_text(r)}")');
});

test("reads the binding's walk does not see are marked: the previous pass's response in a loop, a global set under `global`, an enclosing name under `nonlocal`", async () => {
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\nlast = None\n\n\ndef show_last():\n    print(last.generations[0].text)\n\n\ndef ask(p):\n    global last\n    last = co.generate(prompt=p, max_tokens=10)\n    return last.generations[0].text\n\n\ndef story():\n    history = "Write a story."\n    response = None\n    for turn in range(3):\n        if response is not None:\n            history += response.generations[0].text\n        response = co.generate(prompt=history[-30:], max_tokens=10)\n    print("final:", response.generations[0].text)\n\n\ndef outer():\n    kept = None\n\n    def inner(p):\n        nonlocal kept\n        kept = co.generate(prompt=p)\n\n    inner("x")\n    print(kept.generations[0].text)\n    if kept is None:\n        print("none")\n`);
  const marked = out.split("\n").flatMap((line, i, all) => (/cohere-migrate: response-shape .*assigned a Chat v2 response elsewhere/.test(line) ? [all[i + 1].trim()] : []));
  expect(marked).toEqual(["print(last.generations[0].text)", "history += response.generations[0].text", "print(kept.generations[0].text)"]);
  expect(out).toContain('print("final:", chat_text(response))');
});

test("4.x client methods cohere 5 only stubs or moved (generate_feedback, create_dataset) and the async client's close() are marked in a migrated file", async () => {
  const out = await migrated(`import asyncio\nimport cohere\n\nco = cohere.Client("k")\ngenerations = co.generate(prompt="feedback me", max_tokens=10)\nprint(generations[0].text)\nco.generate_feedback(request_id=generations[0].id, good_response=True)\nds = co.create_dataset(name="x", data=b"")\n\n\nasync def main():\n    aio = cohere.AsyncClient("k")\n    r = await aio.generate(prompt="hi")\n    print(r.generations[0].text)\n    await aio.close()\n\nasyncio.run(main())\n`);
  expect(out).toMatch(/sdk-4x-api .*\(cohere 5 has no generate_feedback: it raises there/);
  expect(out).toMatch(/sdk-4x-api .*\(cohere 5 moved create_dataset to co\.datasets\.create\)/);
  expect(out).toMatch(/sdk-4x-api .*AsyncClient has no close\(\)/);
});

test("a retired model given as an argparse option's default or a pydantic Field's default is replaced where it is written", async () => {
  const out = await migrated(`import argparse\nimport cohere\nfrom pydantic import BaseModel, Field\n\nco = cohere.Client("k")\nparser = argparse.ArgumentParser()\nparser.add_argument("-m", "--model", default="command")\nparser.add_argument("--prompt", default="command")\nargs = parser.parse_args()\nr = co.generate(model=args.model, prompt=args.prompt, max_tokens=10)\nprint(r.generations[0].text)\n\n\nclass Settings(BaseModel):\n    cohere_model: str = Field(default="command")\n\n\nsettings = Settings()\nprint(co.generate(model=settings.cohere_model, prompt="x").generations[0].text)\n`);
  expect(out).toContain('parser.add_argument("-m", "--model", default="command-a-03-2025")');
  // Another option's default of the same text is not the model.
  expect(out).toContain('parser.add_argument("--prompt", default="command")');
  expect(out).toContain('cohere_model: str = Field(default="command-a-03-2025")');
});

test("argparse choices that list only retired models are marked beside the replaced default (the new model would be refused, and a person could pick a 404)", async () => {
  const out = await migrated(`import argparse\nimport cohere\n\nco = cohere.Client("k")\nparser = argparse.ArgumentParser()\nparser.add_argument("--model", default="command", choices=["command", "command-light"])\nargs = parser.parse_args()\nprint(co.generate(model=args.model, prompt="hi").generations[0].text)\n`);
  expect(out).toContain('default="command-a-03-2025", choices=["command", "command-light"]');
  expect(out).toMatch(/# cohere-migrate: retired-model .*the option's choices list "command", "command-light"/);
});

test("a call inside f-strings quoted both ways is not called fixable (migrate marks it), and stream= that is not a literal says so in its marker", async () => {
  const files = {
    "app.py": `import cohere\n\nco = cohere.Client("k")\nprint(f"A: {f'<{co.generate(prompt="x", max_tokens=10).generations[0].text}>'}")\nprint(co.generate(prompt="y").generations[0].text)\n`,
  };
  const r = await checkFiles(new Map(Object.entries(files)));
  expect(r.findings.map((f) => `${f.span.start.line} ${f.fixable}`)).toEqual(["4 false", "5 true"]);
  const out = await migrated(`import cohere\n\nco = cohere.Client("k")\n\n\ndef ask(p, stream=False):\n    return co.generate(prompt=p, max_tokens=10, stream=stream)\n`);
  expect(out).toMatch(/request-shape .*\(stream=stream is not True or False here: .*chat_stream/);
});
