/**
 * Markdown for notebook outputs with values from the environment, files or Graph in it. Markdown passes inline
 * HTML through, so a value such as `AZURE_TENANT_ID="<img src=x onerror=…>"` would run in an exported page:
 * every interpolated value is escaped to show as the literal text it is.
 *
 * @example
 * ```ts
 * import { md, mdCode } from "./markdown.ts";
 * const out = md`Set these in ${mdCode(".env")}: ${"<b>not bold</b>"}`;
 * out.markdown; // "Set these in `.env`: &lt;b&gt;not bold&lt;/b&gt;"
 * ```
 * @module
 */

/** A value to show as an inline code span, not as text. */
export interface MarkdownCode {
  readonly code: string;
}

/** Markdown text ready for display; in a Jupyter kernel it displays as `text/markdown`. */
export interface Markdown {
  readonly markdown: string;
  [Symbol.toPrimitive](): string;
}

/**
 * Escapes text so markdown shows it literally, escaping no more than that (the raw markdown stays readable):
 * HTML's `& < > "` become entities, so no tag or attribute can start; the characters that make emphasis,
 * code, links, strikethrough and tables get a backslash (`_` only where it could emphasize: not inside a word
 * such as AZURE_TENANT_ID); what would open a block at the start of a line (`#`, `-`, `+`, `1.`) is escaped
 * there; and line breaks become spaces, so a value never starts a block of its own.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, " ")
    .replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"))
    .replace(/[\\`*[\]~|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\$&")
    .replace(/^(\s*)([#+-])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

/** Marks `value` to be shown as an inline code span by {@linkcode md}. */
export function mdCode(value: unknown): MarkdownCode {
  return { code: String(value) };
}

/**
 * An inline code span that no backtick in the value can close: the fence is longer than any backtick run in it.
 * Code spans show their content literally (no HTML, no entities), so nothing else needs escaping.
 */
function codeSpan(value: string): string {
  const flat = value.replace(/\r\n?|\n/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.startsWith(" ") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Tagged template: the literal parts are the author's markdown, every `${value}` is escaped with
 * {@linkcode escapeMarkdown} (or rendered as a safe code span when wrapped in {@linkcode mdCode}); arrays are
 * joined with the markdown between them kept as written, so a list can be built from values.
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): Markdown {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return markdownOf(out);
}

/**
 * A fenced code block showing `text` literally (a table, a log excerpt): the fence is longer than any backtick
 * run in the text, so no line of it can close the block early and turn the rest into live markdown.
 */
export function mdCodeBlock(text: string): Markdown {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return markdownOf(`${fence}\n${text.replace(/\n$/, "")}\n${fence}`);
}

/** A bulleted list, one escaped item a line. */
export function mdList(items: readonly unknown[]): Markdown {
  return markdownOf(items.map((item) => `- ${render(item)}`).join("\n"));
}

function render(value: unknown): string {
  if (isMarkdown(value)) return value.markdown;
  if (value !== null && typeof value === "object" && "code" in value) {
    return codeSpan(String((value as MarkdownCode).code));
  }
  return escapeMarkdown(String(value));
}

function isMarkdown(value: unknown): value is Markdown {
  return value !== null && typeof value === "object" && typeof (value as Markdown).markdown === "string" &&
    Symbol.for("Jupyter.display") in (value as object);
}

function markdownOf(markdown: string): Markdown {
  return {
    markdown,
    [Symbol.toPrimitive]: () => markdown,
    // The Deno kernel's display protocol: the cell shows this as rendered markdown.
    [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": markdown }),
  } as Markdown;
}
