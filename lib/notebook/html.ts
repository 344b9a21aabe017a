/**
 * Static HTML export of an executed notebook: markdown rendered, code shown, outputs inlined
 * (SVG and HTML as markup, PNG/JPEG as data URIs, text escaped), one self-contained page.
 *
 * Notebook markdown and HTML outputs are the author's own and are inlined as trusted content,
 * as Jupyter does for a trusted notebook.
 *
 * @module
 */
import { Marked } from "marked";
import { type Cell, joinSource, type MimeBundle, type Notebook, type Output } from "./nbformat.ts";

const markdown = new Marked({ gfm: true, async: false });

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  )
    .replaceAll("'", "&#39;");
}

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function mimeText(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** Inline SVG may not carry an XML declaration or doctype. */
function inlineSvg(svg: string): string {
  return svg.replace(/^\s*<\?xml[^>]*\?>/, "").replace(/^\s*<!DOCTYPE[^>]*>/i, "").trim();
}

/** Renders the richest representation of a MIME bundle, in Jupyter's order of preference. */
export function renderBundle(data: MimeBundle): string {
  if ("text/html" in data) return `<div class="html">${mimeText(data["text/html"])}</div>`;
  if ("image/svg+xml" in data) return `<div class="svg">${inlineSvg(mimeText(data["image/svg+xml"]))}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (mime in data) {
      const base64 = mimeText(data[mime]).replace(/\s+/g, "");
      return `<img src="data:${mime};base64,${base64}" alt="">`;
    }
  }
  if ("text/markdown" in data) {
    return `<div class="markdown">${markdown.parse(mimeText(data["text/markdown"])) as string}</div>`;
  }
  if ("application/json" in data) return `<pre>${escapeHtml(mimeText(data["application/json"]))}</pre>`;
  if ("text/plain" in data) return `<pre>${escapeHtml(mimeText(data["text/plain"]))}</pre>`;
  return "";
}

function renderOutput(output: Output): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="stream ${output.name}">${
        escapeHtml(joinSource(output.text).replace(ANSI, ""))
      }</pre>`;
    case "display_data":
    case "execute_result":
      return renderBundle(output.data);
    case "error": {
      const traceback = output.traceback.length > 0
        ? output.traceback.join("\n")
        : `${output.ename}: ${output.evalue}`;
      return `<pre class="error">${escapeHtml(traceback.replace(ANSI, ""))}</pre>`;
    }
  }
}

function renderMarkdownCell(cell: Cell): string {
  let source = joinSource(cell.source);
  const attachments = "attachments" in cell ? cell.attachments : undefined;
  if (attachments) {
    // Pasted images are stored with the cell and referenced as attachment:NAME.
    source = source.replace(/attachment:([^\s)"']+)/g, (match, name: string) => {
      const bundle = attachments[name];
      const mime = bundle && Object.keys(bundle).find((m) => m.startsWith("image/"));
      return mime ? `data:${mime};base64,${mimeText(bundle[mime]).replace(/\s+/g, "")}` : match;
    });
  }
  return `<section class="cell markdown">${markdown.parse(source) as string}</section>`;
}

function renderCell(cell: Cell): string {
  if (cell.cell_type === "markdown") return renderMarkdownCell(cell);
  if (cell.cell_type === "raw") {
    const format = cell.metadata.format ?? cell.metadata.raw_mimetype;
    return format === "text/html" ? `<section class="cell raw">${joinSource(cell.source)}</section>` : "";
  }
  const prompt = cell.execution_count === null ? "&nbsp;" : String(cell.execution_count);
  const outputs = cell.outputs.map(renderOutput).filter((html) => html !== "");
  return [
    `<section class="cell code" id="cell-${escapeHtml(cell.id)}">`,
    `<div class="input"><span class="prompt">[${prompt}]</span><pre><code class="language-typescript">${
      escapeHtml(joinSource(cell.source))
    }</code></pre></div>`,
    outputs.length > 0 ? `<div class="outputs">${outputs.join("\n")}</div>` : "",
    `</section>`,
  ].join("\n");
}

function titleOf(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const heading = /^#\s+(.+)$/m.exec(joinSource(cell.source));
    if (heading) return heading[1].trim();
  }
  return fallback;
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
.cell { margin: 1rem 0; }
.input { display: flex; gap: .5rem; }
.prompt { color: #777; font: 12px monospace; min-width: 3rem; padding-top: .6rem; text-align: right; }
.input pre { flex: 1; background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: .5rem; overflow-x: auto; margin: 0; }
.outputs { margin-left: 3.5rem; padding: .25rem 0; overflow-x: auto; }
.outputs pre { margin: .25rem 0; white-space: pre-wrap; }
.stream.stderr { background: #fff5f5; }
.error { background: #fdecea; color: #8a1c1c; padding: .5rem; }
.outputs svg, .outputs img { max-width: 100%; height: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 2px 6px; }
`;

/** Renders an executed notebook as one self-contained HTML page. */
export function notebookToHtml(nb: Notebook, options: { title?: string } = {}): string {
  const title = options.title ?? titleOf(nb, "Notebook");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<main class="notebook">`,
    ...nb.cells.map(renderCell).filter((html) => html !== ""),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
