/**
 * Runs a notebook's code cells, in order, in a fresh Deno Jupyter kernel and returns the executed
 * notebook. The pipeline per cell: execute → wait for reply and idle → silent rejection probe; at the
 * end: a settling probe, then iopub is drained before outputs are built, so nothing late is lost.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { NotebookExecutionError } from "./errors.ts";
import { diagnoseCell, isOpaqueFailure } from "./diagnose.ts";
import { guardProbeCode, guardSetupCode, parseProbeError, REJECTION_ENAME } from "./guard.ts";
import { KernelError, KernelSession } from "./kernel.ts";
import {
  buildOutputs,
  type Cell,
  cellTags,
  type CodeCell,
  type ErrorOutput,
  joinSource,
  type Notebook,
  type Output,
  OUTPUT_MSG_TYPES,
  parseNotebook,
} from "./nbformat.ts";

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CellResult {
  /** Index (0-based) in `notebook.cells`. */
  index: number;
  id: string;
  tags: string[];
  /** null when the cell was not run (empty, or after a failure). */
  executionCount: number | null;
  outputs: Output[];
  error?: CellError;
  durationMs: number;
  /** Outputs the kernel published after reporting idle (kept here; a stop-at-idle client drops them). */
  lateOutputs: number;
}

export interface ExecutionStats {
  /** Output messages received in total. */
  outputMessages: number;
  /** Output messages that came after their cell's idle status. */
  lateOutputs: number;
  /** iopub messages addressed to no request of ours. */
  orphanMessages: number;
  /** Malformed or wrongly signed messages (expected: none). */
  wireErrors: string[];
}

export interface ExecutionResult {
  notebook: Notebook;
  /** One entry per code cell, in notebook order. */
  cells: CellResult[];
  durationMs: number;
  stats: ExecutionStats;
  /** Process id (and process group id) the kernel had. */
  kernelPid: number;
}

export interface ExecuteOptions {
  /** Per-cell limit; a cell that runs longer fails the run and the kernel is killed. Default 300 s. */
  timeoutMs?: number;
  /** Kernel working directory; defaults to the notebook's directory (as in Jupyter). */
  cwd?: string;
  /** Extra kernel environment (`NO_COLOR=1` is always set). */
  env?: Record<string, string>;
  /** Keep going after a cell error and return (instead of throwing), like nbconvert --allow-errors. */
  allowErrors?: boolean;
  /** iopub must be quiet this long before the final outputs are built. Default 200 ms. */
  drainMs?: number;
  /** How long the last probe waits for late rejections (timers started by the last cells). Default 100 ms. */
  settleMs?: number;
  startupTimeoutMs?: number;
  execPath?: string;
  /** Progress callback after each code cell. */
  onCell?: (cell: { index: number; total: number; durationMs: number; ok: boolean }) => void;
}

function cellLabel(nb: Notebook, index: number): string {
  return `cell ${index + 1} of ${nb.cells.length}`;
}

function firstLine(cell: Cell): string {
  const line = joinSource(cell.source).trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function errorText(error: CellError): string {
  return error.evalue === "" ? error.ename : `${error.ename}: ${error.evalue}`;
}

/**
 * Executes the notebook at `path` and returns it with outputs, execution counts and per-cell results.
 * Throws {@link NotebookExecutionError} (carrying the partial result) when a cell fails, times out
 * or the kernel dies; the kernel's process group is killed in every case.
 */
export async function executeNotebook(path: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  const started = performance.now();
  const notebook = parseNotebook(await Deno.readTextFile(path), path);
  const cwd = resolve(options.cwd ?? dirname(path));
  const timeoutMs = options.timeoutMs ?? 300_000;
  const codeCells = notebook.cells
    .map((cell, index) => ({ cell, index }))
    .filter((c): c is { cell: CodeCell; index: number } => c.cell.cell_type === "code");
  for (const { cell } of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  const results: CellResult[] = codeCells.map(({ cell, index }) => ({
    index,
    id: cell.id,
    tags: cellTags(cell),
    executionCount: null,
    outputs: [],
    durationMs: 0,
    lateOutputs: 0,
  }));
  const requestOf = new Map<number, string>();
  const extraErrors = new Map<number, ErrorOutput>();

  let kernel: KernelSession | undefined;
  const result = (): ExecutionResult => {
    const stats: ExecutionStats = { outputMessages: 0, lateOutputs: 0, orphanMessages: 0, wireErrors: [] };
    if (kernel) {
      for (const [i, { cell }] of codeCells.entries()) {
        const msgId = requestOf.get(i);
        if (msgId === undefined) continue;
        const events = kernel.events(msgId).filter((e) => OUTPUT_MSG_TYPES.has(e.msgType));
        const outputs = buildOutputs(events);
        const extra = extraErrors.get(i);
        if (extra) outputs.push(extra);
        cell.outputs = outputs;
        results[i].outputs = outputs;
        results[i].lateOutputs = events.filter((e) => e.afterIdle).length;
        stats.outputMessages += events.length;
        stats.lateOutputs += results[i].lateOutputs;
      }
      stats.orphanMessages = kernel.orphanMessages;
      stats.wireErrors = [...kernel.wireErrors];
    }
    return {
      notebook,
      cells: results,
      durationMs: performance.now() - started,
      stats,
      kernelPid: kernel?.pid ?? -1,
    };
  };
  const fail = (message: string, kind: NotebookExecutionError["kind"], cellIndex: number): never => {
    throw new NotebookExecutionError(message, kind, path, cellIndex, result());
  };

  try {
    kernel = await KernelSession.start({
      cwd,
      env: options.env,
      execPath: options.execPath,
      startupTimeoutMs: options.startupTimeoutMs,
    });
  } catch (error) {
    fail(`${path}: the Deno kernel did not start: ${(error as Error).message}`, "kernel-startup", -1);
  }
  const session = kernel!;
  let running = -1;
  try {
    const metadata = notebook.metadata;
    metadata.kernelspec ??= { display_name: "Deno", language: "typescript", name: "deno" };
    if (session.kernelInfo.language_info) metadata.language_info = session.kernelInfo.language_info;

    const probe = async (code: string) => {
      const reply = await session.execute(code, { silent: true, timeoutMs });
      if (reply.status === "error" && reply.ename === REJECTION_ENAME) {
        return parseProbeError(reply.evalue ?? "");
      }
      if (reply.status === "error") {
        throw new Error(`The executor's own probe failed: ${reply.ename}: ${reply.evalue}`);
      }
      return [];
    };
    const recordError = (i: number, error: CellError, asOutput: boolean) => {
      results[i].error ??= error;
      if (asOutput) extraErrors.set(i, { output_type: "error", ...error });
    };
    const rejectionError = (text: string): CellError => ({
      ename: "UnhandledPromiseRejection",
      evalue: text.split("\n")[0],
      traceback: text.split("\n"),
    });
    const positionOf = new Map(codeCells.map(({ index }, i) => [index, i]));
    const reportRejections = (found: { cell: number; text: string }[], fallback: number) => {
      for (const rejection of found) {
        const i = positionOf.get(rejection.cell) ?? fallback;
        recordError(i, rejectionError(rejection.text), true);
      }
      return found.length > 0;
    };
    const failOnError = (i: number) => {
      const error = results[i].error;
      if (!error || options.allowErrors) return;
      const { index } = codeCells[i];
      fail(
        `${path}, ${cellLabel(notebook, index)} (${firstLine(notebook.cells[index])}): ${errorText(error)}`,
        "cell-error",
        index,
      );
    };

    await session.execute(guardSetupCode(codeCells[0]?.index ?? 0), { silent: true, timeoutMs });
    for (const [i, { cell, index }] of codeCells.entries()) {
      const code = joinSource(cell.source);
      if (code.trim() === "") continue;
      running = index;
      const cellStarted = performance.now();
      const next = codeCells[i + 1]?.index ?? index;
      const msgId = crypto.randomUUID();
      requestOf.set(i, msgId);
      const reply = await session.execute(code, { timeoutMs, msgId });
      results[i].executionCount = reply.executionCount;
      cell.execution_count = reply.executionCount;
      if (reply.status === "error") {
        const opaque = isOpaqueFailure(reply.ename, reply.evalue, reply.traceback);
        let error: CellError = {
          ename: reply.ename!,
          evalue: reply.evalue!,
          traceback: reply.traceback ?? [],
        };
        if (opaque) {
          const found = await diagnoseCell(code, {
            cwd,
            env: options.env,
            execPath: options.execPath,
            label: `cell ${index + 1}`,
          });
          error = found
            ? { ename: found.ename, evalue: found.evalue, traceback: [`${found.ename}: ${found.evalue}`] }
            : {
              ...error,
              evalue:
                "Execution failed (the kernel gave no detail and deno check finds no syntax or import error)",
            };
        }
        // The kernel publishes an error output for exceptions but none for syntax or import failures.
        recordError(i, error, opaque);
      }
      reportRejections(await probe(guardProbeCode(next)), i);
      results[i].durationMs = performance.now() - cellStarted;
      options.onCell?.({
        index,
        total: notebook.cells.length,
        durationMs: results[i].durationMs,
        ok: results[i].error === undefined,
      });
      if (results[i].error) {
        await session.drain(options.drainMs ?? 200);
        failOnError(i);
      }
    }
    running = -1;
    const last = codeCells.length - 1;
    if (last >= 0) {
      if (reportRejections(await probe(guardProbeCode(-1, options.settleMs ?? 100)), last)) {
        await session.drain(options.drainMs ?? 200);
        for (let i = 0; i <= last; i++) failOnError(i);
      }
    }
    await session.drain(options.drainMs ?? 200);
    return result();
  } catch (error) {
    if (error instanceof NotebookExecutionError) throw error;
    if (error instanceof KernelError) {
      const where = running >= 0
        ? `${cellLabel(notebook, running)} (${firstLine(notebook.cells[running])})`
        : "between cells";
      const kind = error.kind === "timeout" ? "timeout" : "kernel-died";
      const position = codeCells.findIndex((c) => c.index === running);
      if (position >= 0) {
        results[position].error ??= {
          ename: error.kind === "timeout" ? "TimeoutError" : "KernelDiedError",
          evalue: error.message,
          traceback: [],
        };
      }
      const what = error.kind === "timeout"
        ? `timed out after ${timeoutMs / 1000} s; the kernel was killed`
        : `${error.message}${session.output.trim() ? `\n${session.output.trim().slice(-2000)}` : ""}`;
      fail(`${path}, ${where}: ${what}`, kind, running);
    }
    throw error;
  } finally {
    await session.shutdown();
  }
}
