import assert from "node:assert/strict";
import {
  buildOutputs,
  NotebookFormatError,
  parseNotebook,
  splitLines,
  stringifyNotebook,
} from "../../lib/notebook/nbformat.ts";

Deno.test("parseNotebook() upgrades to nbformat 4.5 with stable cell ids", () => {
  const text = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 2,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# Hi" },
      { cell_type: "code", metadata: {}, source: ["1 +", " 1"] },
      { cell_type: "code", id: "keep-me", source: "2" },
    ],
  });
  const a = parseNotebook(text, "a.ipynb");
  const b = parseNotebook(text, "a.ipynb");
  assert.equal(a.nbformat_minor, 5);
  assert.deepEqual(a.cells.map((c) => c.id), b.cells.map((c) => c.id));
  assert.equal(a.cells[2].id, "keep-me");
  assert.equal(new Set(a.cells.map((c) => c.id)).size, 3);
  const code = a.cells[1];
  assert.ok(code.cell_type === "code");
  assert.deepEqual(code.outputs, []);
  assert.equal(code.execution_count, null);
  assert.ok(stringifyNotebook(a).endsWith("}\n"));
});

Deno.test("parseNotebook() names the file and cell at fault", () => {
  assert.throws(() => parseNotebook("{", "x.ipynb"), /x\.ipynb is not valid JSON/);
  assert.throws(() => parseNotebook('{"nbformat":3,"cells":[]}', "x.ipynb"), /nbformat 3/);
  assert.throws(
    () => parseNotebook('{"nbformat":4,"cells":[{"cell_type":"weird"}]}', "x.ipynb"),
    (e: Error) => e instanceof NotebookFormatError && /cell 1 has unknown cell_type/.test(e.message),
  );
});

Deno.test("splitLines() keeps newlines the way Jupyter stores text", () => {
  assert.deepEqual(splitLines("a\nb\n"), ["a\n", "b\n"]);
  assert.deepEqual(splitLines("a"), ["a"]);
  assert.deepEqual(splitLines(""), []);
});

Deno.test("buildOutputs() merges adjacent streams and keeps the standard shapes", () => {
  const outputs = buildOutputs([
    { msgType: "stream", content: { name: "stdout", text: "a\n" } },
    { msgType: "stream", content: { name: "stdout", text: "b\n" } },
    { msgType: "stream", content: { name: "stderr", text: "warn\n" } },
    {
      msgType: "display_data",
      content: { data: { "image/svg+xml": "<svg>\n</svg>" }, metadata: {}, transient: {} },
    },
    {
      msgType: "execute_result",
      content: { execution_count: 3, data: { "text/plain": "42" }, metadata: {} },
    },
    { msgType: "error", content: { ename: "Error", evalue: "boom", traceback: ["Error: boom"] } },
  ]);
  assert.deepEqual(outputs, [
    { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] },
    { output_type: "stream", name: "stderr", text: ["warn\n"] },
    { output_type: "display_data", data: { "image/svg+xml": ["<svg>\n", "</svg>"] }, metadata: {} },
    { output_type: "execute_result", execution_count: 3, data: { "text/plain": ["42"] }, metadata: {} },
    { output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] },
  ]);
});

Deno.test("buildOutputs() applies clear_output and update_display_data", () => {
  const outputs = buildOutputs([
    { msgType: "stream", content: { name: "stdout", text: "gone" } },
    { msgType: "clear_output", content: { wait: false } },
    { msgType: "display_data", content: { data: { "text/plain": "v1" }, transient: { display_id: "d" } } },
    {
      msgType: "update_display_data",
      content: { data: { "text/plain": "v2" }, transient: { display_id: "d" } },
    },
    { msgType: "stream", content: { name: "stdout", text: "x" } },
    { msgType: "clear_output", content: { wait: true } },
    { msgType: "stream", content: { name: "stdout", text: "after wait" } },
  ]);
  assert.deepEqual(outputs, [{ output_type: "stream", name: "stdout", text: ["after wait"] }]);
  const updated = buildOutputs([
    { msgType: "display_data", content: { data: { "text/plain": "v1" }, transient: { display_id: "d" } } },
    {
      msgType: "update_display_data",
      content: { data: { "text/plain": "v2" }, transient: { display_id: "d" } },
    },
  ]);
  assert.deepEqual(updated, [{ output_type: "display_data", data: { "text/plain": ["v2"] }, metadata: {} }]);
});

Deno.test("buildOutputs() keeps JSON mime values structured", () => {
  const [output] = buildOutputs([
    { msgType: "display_data", content: { data: { "application/json": { k: 1 }, "text/plain": "k" } } },
  ]);
  assert.ok(output.output_type === "display_data");
  assert.deepEqual(output.data["application/json"], { k: 1 });
});
