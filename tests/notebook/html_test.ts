import assert from "node:assert/strict";
import { executeNotebook, type Notebook, notebookToHtml } from "../../lib/notebook/mod.ts";

const FIXTURES = new URL("../fixtures/notebooks/", import.meta.url).pathname;

const handmade: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "markdown", id: "m", metadata: {}, source: ["# Sign-ins\n", "\n", "Some **bold** text."] },
    {
      cell_type: "code",
      id: "c",
      metadata: {},
      source: "chart()",
      execution_count: 7,
      outputs: [
        {
          output_type: "display_data",
          data: {
            "image/svg+xml": ['<?xml version="1.0"?>\n', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
          },
          metadata: {},
        },
        {
          output_type: "display_data",
          data: { "image/png": "iVBORw0KGgo=\n", "text/plain": "png" },
          metadata: {},
        },
        { output_type: "stream", name: "stdout", text: ["<b>not bold</b>\n"] },
        { output_type: "execute_result", execution_count: 7, data: { "text/plain": "a < b" }, metadata: {} },
        { output_type: "error", ename: "Error", evalue: "x", traceback: ["\u001b[31mError: x\u001b[0m"] },
      ],
    },
    { cell_type: "raw", id: "r", metadata: {}, source: "hidden raw" },
  ],
};

Deno.test("notebookToHtml() renders markdown, code, inline SVG, PNG data URIs and escaped text", () => {
  const html = notebookToHtml(handmade);
  assert.match(html, /<title>Sign-ins<\/title>/);
  assert.match(html, /<h1>Sign-ins<\/h1>/);
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(
    html,
    /<span class="prompt">\[7\]<\/span><pre><code class="language-typescript">chart\(\)<\/code>/,
  );
  assert.match(html, /<div class="svg"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"><\/svg><\/div>/);
  assert.doesNotMatch(html, /<\?xml/);
  assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="">/);
  assert.match(html, /&lt;b&gt;not bold&lt;\/b&gt;/);
  assert.match(html, /<pre>a &lt; b<\/pre>/);
  assert.match(html, /<pre class="error">Error: x<\/pre>/);
  assert.doesNotMatch(html, /hidden raw/);
});

Deno.test("notebookToHtml() of an executed notebook shows its SVG chart and HTML table", async () => {
  const result = await executeNotebook(`${FIXTURES}display.ipynb`, { timeoutMs: 60_000 });
  const html = notebookToHtml(result.notebook);
  assert.match(html, /<div class="svg"><svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="60"/);
  assert.match(html, /<table class="t"><tr><td>cell html<\/td><\/tr><\/table>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; as text/);
  assert.match(html, /<img src="data:image\/png;base64,iVBOR/);
  assert.match(html, /<title>Display export<\/title>/);
});
