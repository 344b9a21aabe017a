import assert from "node:assert/strict";
import {
  cellOutputs,
  executeNotebook,
  NotebookExecutionError,
  outputMime,
  outputText,
} from "../../lib/notebook/mod.ts";
import { expectedStressOutputs } from "../fixtures/notebooks/make_stress.ts";

const FIXTURES = new URL("../fixtures/notebooks/", import.meta.url).pathname;
const fixture = (name: string) => `${FIXTURES}${name}.ipynb`;

async function failureOf(name: string, options = {}): Promise<NotebookExecutionError> {
  try {
    await executeNotebook(fixture(name), { timeoutMs: 60_000, ...options });
  } catch (error) {
    if (error instanceof NotebookExecutionError) return error;
    throw error;
  }
  throw new Error(`${name} was expected to fail`);
}

/** True while the process exists and is not a zombie (a zombie has exited; only its parent may reap it). */
function isRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function markerOf(output: ReturnType<typeof cellOutputs>[number]): string {
  if (output.output_type === "stream") {
    return output.text instanceof Array ? output.text.join("") : output.text;
  }
  if (output.output_type === "error") return output.evalue;
  return Object.values(output.data).map((v) => Array.isArray(v) ? v.join("") : JSON.stringify(v)).join(" ");
}

Deno.test("executeNotebook() loses no output over 5 runs of a 100-cell display stress notebook", async () => {
  const runs: string[] = [];
  for (let run = 1; run <= 5; run++) {
    const result = await executeNotebook(fixture("stress"), { timeoutMs: 60_000 });
    assert.equal(result.cells.length, 100);
    let outputs = 0;
    for (const [k, cell] of result.cells.entries()) {
      const expected = expectedStressOutputs(k);
      assert.deepEqual(
        cell.outputs.map((o) => o.output_type),
        expected.map(([type]) => type),
        `run ${run}, stress cell ${k}: got ${JSON.stringify(cell.outputs)}`,
      );
      for (const [i, [, marker]] of expected.entries()) {
        assert.ok(markerOf(cell.outputs[i]).includes(marker), `run ${run}, cell ${k}: missing "${marker}"`);
      }
      assert.equal(cell.executionCount, k + 1);
      outputs += cell.outputs.length;
    }
    const expectedTotal = result.cells.reduce((sum, _, k) => sum + expectedStressOutputs(k).length, 0);
    assert.equal(outputs, expectedTotal);
    assert.deepEqual(result.stats.wireErrors, []);
    assert.equal(result.stats.orphanMessages, 0);
    runs.push(
      `run ${run}: ${result.stats.outputMessages} output messages, ${result.stats.lateOutputs} after idle ` +
        `(a stop-at-idle client loses them), 0 lost here, ${Math.round(result.durationMs)} ms`,
    );
  }
  console.log(runs.join("\n"));
});

Deno.test("executeNotebook() reports a syntax error with notebook, cell and the parser's message", async () => {
  const error = await failureOf("syntax_error");
  assert.equal(error.kind, "cell-error");
  assert.equal(error.cellIndex, 2);
  assert.match(error.message, /syntax_error\.ipynb, cell 3 of 4/);
  assert.match(error.message, /SyntaxError: Expression expected/);
  assert.doesNotMatch(error.message, /Execution failed/);
  // The error is also in the executed notebook, where the kernel itself published nothing.
  assert.match(outputText(cellOutputs(error.result, 2)), /SyntaxError: Expression expected/);
  assert.equal(outputText(cellOutputs(error.result, 1)), "1");
  assert.deepEqual(cellOutputs(error.result, 3), []);
});

Deno.test("executeNotebook() reports an unresolvable npm import with the resolver's message", async () => {
  const error = await failureOf("bad_import");
  assert.equal(error.cellIndex, 1);
  assert.match(error.message, /bad_import\.ipynb, cell 2 of 3/);
  assert.match(error.message, /zeromq.*999\.0\.0/);
  assert.doesNotMatch(error.message, /Execution failed/);
});

Deno.test("executeNotebook() reports an import missing from the import map", async () => {
  const error = await failureOf("unmapped_import");
  assert.equal(error.cellIndex, 1);
  assert.match(error.message, /not-a-package-in-any-import-map/);
});

Deno.test("executeNotebook() fails on an un-awaited rejected promise", async () => {
  const error = await failureOf("unhandled_rejection");
  assert.equal(error.cellIndex, 1);
  assert.match(error.message, /unhandled_rejection\.ipynb, cell 2 of 3/);
  assert.match(error.message, /UnhandledPromiseRejection: Error: nobody awaited me/);
  assert.deepEqual(cellOutputs(error.result, 2), []);
});

Deno.test("executeNotebook() catches a rejection that happens after the last cell returned", async () => {
  const error = await failureOf("late_rejection");
  assert.equal(error.cellIndex, 1);
  assert.match(error.message, /late rejection from a timer/);
});

Deno.test("executeNotebook() times out a hung cell and leaves no process behind", async () => {
  const error = await failureOf("hang", { timeoutMs: 3000 });
  assert.equal(error.kind, "timeout");
  assert.equal(error.cellIndex, 2);
  assert.match(error.message, /hang\.ipynb, cell 3 of 3 \(while \(true\) \{\): timed out after 3 s/);
  const child = Number(/child pid (\d+)/.exec(outputText(cellOutputs(error.result, 1)))?.[1]);
  assert.ok(child > 0, "the fixture printed the pid of the process it started");
  assert.ok(error.result.kernelPid > 0);
  assert.equal(isRunning(error.result.kernelPid), false, "kernel process is gone");
  assert.equal(isRunning(child), false, "the cell's child process is gone");
});

Deno.test("executeNotebook() reports a kernel that exits mid-cell", async () => {
  const error = await failureOf("dies");
  assert.equal(error.kind, "kernel-died");
  assert.equal(error.cellIndex, 1);
  assert.match(
    error.message,
    /dies\.ipynb, cell 2 of 3 \(Deno\.exit\(3\);\): Kernel process exited with code 3/,
  );
  assert.equal(isRunning(error.result.kernelPid), false);
});

Deno.test("executeNotebook() with allowErrors runs on and records each cell's error", async () => {
  const result = await executeNotebook(fixture("syntax_error"), { timeoutMs: 60_000, allowErrors: true });
  assert.match(result.cells[1].error?.evalue ?? "", /Expression expected/);
  assert.equal(outputText(cellOutputs(result, 3)), "never runs\n");
});

Deno.test("cellOutputs() finds cells by tag, id and index", async () => {
  const result = await executeNotebook(fixture("display"), { timeoutMs: 60_000 });
  assert.ok(outputMime(cellOutputs(result, { tag: "chart" }), "image/svg+xml").startsWith("<svg"));
  assert.match(outputMime(cellOutputs(result, { id: "c2" }), "text/html"), /cell html/);
  assert.match(outputText(cellOutputs(result, 4)), /answer: 42/);
  assert.throws(() => cellOutputs(result, { tag: "nope" }), /No code cell with tag "nope"/);
  assert.equal(result.notebook.nbformat_minor, 5);
  assert.deepEqual((result.notebook.metadata.language_info as { name: string }).name, "typescript");
});
