/**
 * Measures how often stock `jupyter nbconvert --execute` loses outputs of the Deno kernel, and whether a
 * cell-side workaround makes it reliable. Variants: `stock` (the notebook as it is), `awaited` (each cell ends
 * with `await Deno.jupyter.display(value);` instead of a bare expression), `settled` (the same, then
 * `await new Promise((r) => setTimeout(r, 10));` so the kernel's output queue drains before the cell ends).
 * Slow (10–60 s a run), so not part of the test suite:
 *
 *   deno run -A tools/nbconvert_reliability.ts [--runs 25] [--variant stock|awaited|settled] [NOTEBOOK]
 *
 * Needs `jupyter nbconvert` (Debian: jupyter-nbconvert python3-ipykernel) and the Deno kernelspec
 * (`deno task kernel-install`). The expected outputs of every cell come from this project's executor
 * (lib/notebook), which keeps reading after idle; a run "lost" outputs when a cell has fewer outputs of a kind
 * than expected. Prints one line per run and a summary; exits 1 when any run lost outputs.
 */
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { executeNotebook } from "../lib/notebook/execute.ts";
import { type Notebook, parseNotebook, stringifyNotebook } from "../lib/notebook/nbformat.ts";
import { PROJECT_ROOT } from "../lib/paths.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { runs: { type: "string" }, variant: { type: "string" } },
});
const runs = Number(values.runs ?? 25);
const variant = values.variant ?? "stock";
if (!["stock", "awaited", "settled"].includes(variant)) {
  throw new Error(`--variant ${variant}: stock, awaited or settled`);
}
const source = positionals[0] ?? join(PROJECT_ROOT, "notebooks", "03_detections.ipynb");

const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/**
 * The awaited variant: a cell whose last statement is a bare expression (Jupyter's execute_result) ends with
 * `await Deno.jupyter.display(expr);` instead, so the output is published before the cell finishes.
 */
function awaitDisplays(source: string): string {
  const lines = source.replace(/\s+$/, "").split("\n");
  // The last statement starts at the last line that begins in column 0 and is not a continuation.
  let start = lines.length - 1;
  while (start > 0 && /^(\s|[)\]}.?:]|\+|-|\*|&&|\|\|)/.test(lines[start])) start--;
  const tail = lines.slice(start).join("\n");
  if (
    tail.trimEnd().endsWith(";") || tail.trimEnd().endsWith("}") ||
    /^(const|let|var|import|export|for|if|while|function|class|return|try|\/\/)\b/.test(tail)
  ) return source;
  return [...lines.slice(0, start), `await Deno.jupyter.display(${tail.replace(/^await\s+/, "await ")});`]
    .join("\n");
}

function variantOf(nb: Notebook): Notebook {
  const copy = structuredClone(nb);
  for (const cell of copy.cells) {
    if (cell.cell_type !== "code") continue;
    let src = text(cell.source).replaceAll('"../lib/mod.ts"', '"../../lib/mod.ts"');
    if (variant !== "stock") src = awaitDisplays(src);
    if (variant === "settled") src += "\nawait new Promise((r) => setTimeout(r, 10));";
    cell.source = src;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return copy;
}

/** "execute_result", "display_data:text/html", "stream:stdout" … per cell, sorted. */
function kinds(outputs: Record<string, unknown>[]): string[] {
  return outputs.map((o) =>
    o.output_type === "stream" ? `stream:${o.name}` : o.output_type === "error" ? "error" : "rich"
  ).sort();
}

// Inside the project (deno.json must sit above the notebook), in a folder git ignores.
const dir = join(PROJECT_ROOT, "reports", "nbconvert-measure");
await Deno.mkdir(dir, { recursive: true });
const input = join(dir, `${basename(source, ".ipynb")}.${variant}.ipynb`);
await Deno.writeTextFile(
  input,
  stringifyNotebook(variantOf(parseNotebook(await Deno.readTextFile(source), source))),
);

const truth = await executeNotebook(input, { timeoutMs: 300_000 });
const expected = truth.cells.map((c) => kinds(c.outputs as unknown as Record<string, unknown>[]));
const expectedTotal = expected.reduce((a, k) => a + k.length, 0);
console.log(`${source} (${variant}): ${truth.cells.length} code cells, ${expectedTotal} outputs expected`);

let lossyRuns = 0;
let lostTotal = 0;
for (let run = 1; run <= runs; run++) {
  const output = join(dir, `run-${variant}.ipynb`);
  const started = performance.now();
  const r = await new Deno.Command("jupyter", {
    args: ["nbconvert", "--to", "notebook", "--execute", input, "--output", output],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) {
    console.log(
      `run ${run}: nbconvert failed: ${new TextDecoder().decode(r.stderr).trim().split("\n").at(-1)}`,
    );
    lossyRuns++;
    continue;
  }
  const got = (JSON.parse(await Deno.readTextFile(output)) as Notebook).cells.filter((c) =>
    c.cell_type === "code"
  );
  const lost: string[] = [];
  got.forEach((cell, i) => {
    const have = kinds((cell as unknown as { outputs: Record<string, unknown>[] }).outputs);
    const want = [...expected[i]];
    for (const k of have) {
      const at = want.indexOf(k);
      if (at >= 0) want.splice(at, 1);
    }
    for (const k of want) lost.push(`cell ${i + 1} ${k}`);
  });
  if (lost.length > 0) lossyRuns++;
  lostTotal += lost.length;
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`run ${run}: ${lost.length === 0 ? "complete" : `LOST ${lost.join(", ")}`} (${secs} s)`);
}
console.log(`${variant}: ${lossyRuns} of ${runs} runs lost outputs (${lostTotal} outputs in all)`);
Deno.exit(lossyRuns > 0 ? 1 : 0);
