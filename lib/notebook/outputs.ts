/**
 * Helpers for tests that execute notebooks and assert on what cells showed.
 *
 * @example
 * ```ts
 * const run = await executeNotebook("notebooks/failed_signins.ipynb");
 * const chart = cellOutputs(run, { tag: "by-country" });
 * assert.match(outputText(chart), /50126/);
 * assert.ok(outputMime(chart, "image/svg+xml").includes("<svg"));
 * ```
 *
 * @module
 */
import type { CellResult, ExecutionResult } from "./execute.ts";
import { joinSource, type Output } from "./nbformat.ts";

/** A code cell by notebook index (0-based, as in `notebook.cells`), cell id, or `metadata.tags` entry. */
export type CellSelector = number | { tag: string } | { id: string };

/** Finds one executed code cell; throws naming the selector when there is none or (by tag) several. */
export function findCell(result: ExecutionResult, selector: CellSelector): CellResult {
  let matches: CellResult[];
  let what: string;
  if (typeof selector === "number") {
    matches = result.cells.filter((c) => c.index === selector);
    what = `index ${selector}`;
  } else if ("tag" in selector) {
    matches = result.cells.filter((c) => c.tags.includes(selector.tag));
    what = `tag "${selector.tag}"`;
  } else {
    matches = result.cells.filter((c) => c.id === selector.id);
    what = `id "${selector.id}"`;
  }
  if (matches.length === 0) throw new Error(`No code cell with ${what}`);
  if (matches.length > 1) throw new Error(`${matches.length} code cells have ${what}, expected one`);
  return matches[0];
}

/** The outputs of one code cell. */
export function cellOutputs(result: ExecutionResult, selector: CellSelector): Output[] {
  return findCell(result, selector).outputs;
}

/** All text a person would read in the outputs: streams, text/plain, and errors, joined. */
export function outputText(outputs: readonly Output[]): string {
  return outputs.map((output) => {
    switch (output.output_type) {
      case "stream":
        return joinSource(output.text);
      case "display_data":
      case "execute_result": {
        const plain = output.data["text/plain"];
        return plain === undefined ? "" : Array.isArray(plain) ? plain.join("") : String(plain);
      }
      case "error":
        return `${output.ename}: ${output.evalue}`;
    }
  }).filter((text) => text !== "").join("\n");
}

/** The values of one MIME type across the outputs (e.g. every `image/svg+xml` a cell displayed). */
export function outputMimes(outputs: readonly Output[], mime: string): string[] {
  const found: string[] = [];
  for (const output of outputs) {
    if (output.output_type !== "display_data" && output.output_type !== "execute_result") continue;
    const value = output.data[mime];
    if (value === undefined) continue;
    found.push(
      Array.isArray(value) ? value.join("") : typeof value === "string" ? value : JSON.stringify(value),
    );
  }
  return found;
}

/** The first value of a MIME type in the outputs, or "" when no output has it. */
export function outputMime(outputs: readonly Output[], mime: string): string {
  return outputMimes(outputs, mime)[0] ?? "";
}
