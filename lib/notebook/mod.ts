/**
 * Headless execution of the project's Deno notebooks through the real Deno Jupyter kernel, over the
 * Jupyter messaging protocol v5.3 on ZeroMQ (no Python), plus a static HTML export.
 *
 * @example
 * ```ts
 * import { cellOutputs, executeNotebook, notebookToHtml, outputText } from "../lib/notebook/mod.ts";
 * const run = await executeNotebook("notebooks/overview.ipynb", { timeoutMs: 120_000 });
 * console.log(outputText(cellOutputs(run, { tag: "totals" })));
 * await Deno.writeTextFile("overview.html", notebookToHtml(run.notebook));
 * ```
 *
 * @module
 */
export {
  type CellError,
  type CellResult,
  executeNotebook,
  type ExecuteOptions,
  type ExecutionResult,
  type ExecutionStats,
} from "./execute.ts";
export { NotebookExecutionError, type NotebookFailure } from "./errors.ts";
export { escapeHtml, notebookToHtml } from "./html.ts";
export {
  type Cell,
  type CodeCell,
  type MarkdownCell,
  type MimeBundle,
  type Notebook,
  NotebookFormatError,
  type Output,
  parseNotebook,
  stringifyNotebook,
} from "./nbformat.ts";
export { cellOutputs, type CellSelector, findCell, outputMime, outputMimes, outputText } from "./outputs.ts";
export { KernelError, KernelSession, killAllKernels } from "./kernel.ts";
export { writeFileAtomic, writeNotebook } from "./write.ts";
