/**
 * Notebook 01 shows values from the environment (issue 15 item 9): run with a hostile environment and exported to
 * HTML, the page must show those values as text and contain no element or attribute they tried to inject.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { escapeMarkdown, md, mdCode, mdCodeBlock, mdList } from "../../lib/markdown.ts";
import { executeNotebook } from "../../lib/notebook/execute.ts";
import { notebookToHtml } from "../../lib/notebook/html.ts";
import { Marked } from "marked";

/** The little of the DOM these checks use (the project's TypeScript has no DOM lib). */
interface Element {
  outerHTML: string;
  tagName: string;
  textContent: string | null;
  attributes: Iterable<{ name: string; value: string }>;
}
interface Doc {
  querySelectorAll(selector: string): Iterable<Element>;
  body: { textContent: string | null };
}

/** linkedom's types describe a browser window without `document`; the object has one. */
function documentOf(html: string): Doc {
  return (parseHTML(html) as unknown as { document: Doc }).document;
}

const NOTEBOOKS = new URL("../../notebooks/", import.meta.url).pathname;

const HOSTILE = {
  tenant: `<img src=x onerror="globalThis.pwned=1">`,
  client: `"><script>globalThis.pwned=2</script><a href="javascript:alert(3)">x</a>`,
  // A backtick ends a code span; a newline could start an HTML block.
  envFile: "/nonexistent/`<b onclick=alert(4)>`\n<iframe src=//evil.example></iframe>.env",
};

/** Elements and attributes that a hostile value may not create in the exported page. */
function injected(html: string): string[] {
  const document = documentOf(html);
  const found: string[] = [];
  for (const el of document.querySelectorAll("img, iframe, b, a, object, embed")) found.push(el.outerHTML);
  for (const el of document.querySelectorAll("script")) {
    if (/pwned/.test(el.textContent ?? "")) found.push(el.outerHTML);
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || /^javascript:/i.test(a.value)) {
        found.push(`${el.tagName} ${a.name}=${a.value}`);
      }
    }
  }
  return found;
}

Deno.test("notebook 01's HTML export shows hostile environment values as text, never as HTML", async () => {
  const r = await executeNotebook(join(NOTEBOOKS, "01_pull_signins.ipynb"), {
    timeoutMs: 180_000,
    cwd: NOTEBOOKS,
    env: {
      SIGNIN_LENS_ENV_FILE: HOSTILE.envFile,
      AZURE_TENANT_ID: HOSTILE.tenant,
      AZURE_CLIENT_ID: HOSTILE.client,
      AZURE_CLIENT_SECRET: "",
      AZURE_CLIENT_CERTIFICATE_PATH: "",
    },
  });
  for (const c of r.cells) assert.equal(c.error, undefined, `cell ${c.index}: ${c.error?.evalue}`);
  const html = notebookToHtml(r.notebook);
  assert.deepEqual(injected(html), []);
  // The values are there, as the text they are, for the analyst to see what is wrong.
  const document = documentOf(html);
  const text = document.body.textContent ?? "";
  assert.ok(
    text.includes(`neither a GUID nor a domain name: ${JSON.stringify(HOSTILE.tenant)}`),
    "the tenant value is shown",
  );
  assert.ok(text.includes(JSON.stringify(HOSTILE.client).slice(1, -1)), "the client id is shown");
  assert.ok(text.includes("/nonexistent/`<b onclick=alert(4)>`"), "the env file name is shown");
});

Deno.test("md escapes every interpolated value, keeps the author's markdown, and builds safe code spans", () => {
  const marked = new Marked({ gfm: true, async: false });
  const out = md`**Bold** ${"*not* <i>html</i> [x](javascript:y) # no heading\n<script>s</script>"} and ${
    mdCode("a `tick` <b>")
  }\n\n${mdList(["one <img src=x>", "two\n# three"])}`;
  const html = marked.parse(out.markdown) as string;
  assert.match(
    html,
    /^<p><strong>Bold<\/strong> \*not\* &lt;i&gt;html&lt;\/i&gt; \[x\]\(javascript:y\) # no heading &lt;script&gt;/,
  );
  assert.match(html, /<code>a `tick` &lt;b&gt;<\/code>/);
  assert.match(html, /<li>one &lt;img src=x&gt;<\/li>\s*<li>two # three<\/li>/);
  assert.deepEqual(injected(`<html><body>${html}</body></html>`), []);
  assert.equal(escapeMarkdown("plain words"), "plain words");
  // In a kernel the value displays as markdown.
  const display = (out as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")]();
  assert.deepEqual(display, { "text/markdown": out.markdown });
});

Deno.test("mdCodeBlock() keeps a table with backtick fences and HTML in its cells inside the block", () => {
  const marked = new Marked({ gfm: true, async: false });
  const table = "name  city\n```\n<img src=x onerror=alert(1)>  ````\n";
  const html = marked.parse(md`Rows:\n\n${mdCodeBlock(table)}\n\nafter`.markdown) as string;
  assert.deepEqual(injected(`<html><body>${html}</body></html>`), []);
  assert.match(
    html,
    /<pre><code>name {2}city\n```\n&lt;img src=x onerror=alert\(1\)&gt; {2}````\n<\/code><\/pre>\s*<p>after<\/p>/,
  );
});
