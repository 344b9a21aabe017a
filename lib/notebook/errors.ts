/**
 * Errors of a notebook run. Each message names the notebook, the cell (1-based, "cell 4 of 12")
 * and what went wrong.
 *
 * @module
 */
import type { ExecutionResult } from "./execute.ts";

/** How a run failed: a cell raised, timed out, or the kernel died or could not start. */
export type NotebookFailure = "cell-error" | "timeout" | "kernel-died" | "kernel-startup";

export class NotebookExecutionError extends Error {
  override name = "NotebookExecutionError";
  constructor(
    message: string,
    readonly kind: NotebookFailure,
    /** Path of the notebook. */
    readonly notebookPath: string,
    /** Index (0-based) in `notebook.cells` of the cell at fault, or -1 when no cell was running. */
    readonly cellIndex: number,
    /** What ran up to the failure, with the failing cell's outputs and error filled in. */
    readonly result: ExecutionResult,
  ) {
    super(message);
  }
}
