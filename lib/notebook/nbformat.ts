/**
 * nbformat 4.5 types, parsing and the pure steps that turn kernel messages into stored outputs.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Text as nbformat stores it: one string or a list of lines that are joined as-is. */
export type MultilineString = string | string[];

/** A MIME bundle: `text/plain`, `text/html`, `image/svg+xml`, `image/png` (base64), … */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}

export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  outputs: Output[];
  execution_count: number | null;
}

export interface MarkdownCell {
  cell_type: "markdown";
  id: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}

export interface RawCell {
  cell_type: "raw";
  id: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}

export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** Raised when a file is not a notebook this executor can run. */
export class NotebookFormatError extends Error {
  override name = "NotebookFormatError";
}

/** Joins nbformat's line lists back into one string. */
export function joinSource(source: MultilineString | undefined): string {
  if (source === undefined) return "";
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into lines that keep their "\n", the way Jupyter writes multiline strings. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

function cellId(index: number, source: string, taken: Set<string>): string {
  // Derived from content so re-running a notebook that lacked ids gives the same ids (no churn in git).
  let id = createHash("sha256").update(`${index}\n${source}`).digest("hex").slice(0, 12);
  while (taken.has(id)) id = createHash("sha256").update(id).digest("hex").slice(0, 12);
  return id;
}

/**
 * Parses notebook JSON into nbformat 4.5: fills missing cell ids and metadata, keeps everything else.
 * `name` is used in error messages (usually the file path).
 */
export function parseNotebook(text: string, name: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new NotebookFormatError(`${name} is not a notebook: expected a JSON object`);
  }
  const nb = raw as Record<string, unknown>;
  if (nb.nbformat !== 4) {
    throw new NotebookFormatError(
      `${name} has nbformat ${String(nb.nbformat)}, only nbformat 4 is supported`,
    );
  }
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError(`${name} has no "cells" list`);
  const taken = new Set<string>();
  const cells: Cell[] = nb.cells.map((value: unknown, index: number) => {
    if (value === null || typeof value !== "object") {
      throw new NotebookFormatError(`${name}: cell ${index + 1} is not an object`);
    }
    const cell = { ...(value as Record<string, unknown>) };
    const type = cell.cell_type;
    if (type !== "code" && type !== "markdown" && type !== "raw") {
      throw new NotebookFormatError(
        `${name}: cell ${index + 1} has unknown cell_type ${JSON.stringify(type)}`,
      );
    }
    const source = cell.source ?? "";
    if (
      typeof source !== "string" && !(Array.isArray(source) && source.every((s) => typeof s === "string"))
    ) {
      throw new NotebookFormatError(`${name}: cell ${index + 1} has a source that is not text`);
    }
    cell.source = source;
    if (cell.metadata === null || typeof cell.metadata !== "object") cell.metadata = {};
    let id = typeof cell.id === "string" && CELL_ID.test(cell.id) && !taken.has(cell.id) ? cell.id : "";
    if (id === "") id = cellId(index, joinSource(source as MultilineString), taken);
    taken.add(id);
    cell.id = id;
    if (type === "code") {
      if (!Array.isArray(cell.outputs)) cell.outputs = [];
      if (typeof cell.execution_count !== "number") cell.execution_count = null;
    }
    return cell as unknown as Cell;
  });
  const metadata = nb.metadata !== null && typeof nb.metadata === "object" && !Array.isArray(nb.metadata)
    ? nb.metadata as Record<string, unknown>
    : {};
  const minor = typeof nb.nbformat_minor === "number" ? nb.nbformat_minor : 0;
  return { ...nb, nbformat: 4, nbformat_minor: Math.max(minor, 5), metadata, cells } as Notebook;
}

/** Serializes a notebook the way Jupyter does (one-space indent, trailing newline). */
export function stringifyNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Tags from a cell's `metadata.tags`. */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

function storedBundle(data: unknown): MimeBundle {
  const bundle: MimeBundle = {};
  if (data === null || typeof data !== "object") return bundle;
  for (const [mime, value] of Object.entries(data as Record<string, unknown>)) {
    // JSON mime types stay structured; text is stored as a line list like Jupyter does.
    const isJson = mime === "application/json" || mime.endsWith("+json");
    bundle[mime] = typeof value === "string" && !isJson ? splitLines(value) : value;
  }
  return bundle;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/** One iopub message as the output builder needs it. */
export interface IopubEvent {
  msgType: string;
  content: Record<string, unknown>;
}

/**
 * Builds a cell's outputs from its iopub messages in arrival order, as a notebook frontend would:
 * adjacent stream chunks merge, `clear_output` (including `wait: true`) clears, and
 * `update_display_data` rewrites earlier outputs with the same `display_id`.
 */
export function buildOutputs(events: readonly IopubEvent[]): Output[] {
  let outputs: Output[] = [];
  const displayIds = new Map<Output, string>();
  let clearPending = false;
  const push = (output: Output) => {
    if (clearPending) {
      outputs = [];
      clearPending = false;
    }
    const last = outputs.at(-1);
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      last.text = joinSource(last.text) + joinSource(output.text);
      return;
    }
    outputs.push(output);
  };
  for (const { msgType, content } of events) {
    const displayId = asRecord(content.transient).display_id;
    switch (msgType) {
      case "stream":
        push({
          output_type: "stream",
          name: content.name === "stderr" ? "stderr" : "stdout",
          text: String(content.text ?? ""),
        });
        break;
      case "display_data":
      case "execute_result": {
        const output: Output = msgType === "display_data"
          ? {
            output_type: "display_data",
            data: storedBundle(content.data),
            metadata: asRecord(content.metadata),
          }
          : {
            output_type: "execute_result",
            execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
            data: storedBundle(content.data),
            metadata: asRecord(content.metadata),
          };
        push(output);
        if (typeof displayId === "string") displayIds.set(output, displayId);
        break;
      }
      case "update_display_data":
        for (const [output, id] of displayIds) {
          if (
            id === displayId &&
            (output.output_type === "display_data" || output.output_type === "execute_result")
          ) {
            output.data = storedBundle(content.data);
            output.metadata = asRecord(content.metadata);
          }
        }
        break;
      case "error":
        push({
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        break;
      case "clear_output":
        if (content.wait === true) clearPending = true;
        else {
          outputs = [];
          clearPending = false;
        }
        break;
    }
  }
  // Stream text is stored as lines only at the end so merging above works on plain strings.
  return outputs.map((o) => o.output_type === "stream" ? { ...o, text: splitLines(joinSource(o.text)) } : o);
}

/** The iopub message types that carry cell output (what a lost message would cost). */
export const OUTPUT_MSG_TYPES: ReadonlySet<string> = new Set([
  "stream",
  "display_data",
  "execute_result",
  "update_display_data",
  "error",
  "clear_output",
]);
