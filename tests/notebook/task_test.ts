import assert from "node:assert/strict";
import { runScript } from "../fakes/run_script.ts";
import { okLine } from "../../lib/notebook/summary_line.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURES = `${ROOT}tests/fixtures/notebooks`;

function task(...args: string[]) {
  return runScript(`${ROOT}tasks/notebooks.ts`, args, { cwd: ROOT });
}

Deno.test("tasks/notebooks.ts --help prints options and an example", async () => {
  const { code, stdout } = await task("--help");
  assert.equal(code, 0);
  assert.match(stdout, /--timeout SECONDS/);
  assert.match(stdout, /Example:\n {2}deno task notebooks/);
});

Deno.test("tasks/notebooks.ts rejects a wrong option with a one-line error, usage and exit 2", async () => {
  const bad = await task("--bogus");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: Unknown option '--bogus'/);
  assert.match(bad.stderr, /Usage: deno task notebooks/);
  assert.doesNotMatch(bad.stderr, /^ {4}at /m);
  const timeout = await task("--timeout", "soon", "--dir", FIXTURES, "display");
  assert.equal(timeout.code, 2);
  assert.match(timeout.stderr, /--timeout must be a positive number/);
  const missing = await task("--dir", FIXTURES, "no_such_notebook");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no notebook named no_such_notebook/);
});

Deno.test("tasks/notebooks.ts writes executed notebooks and HTML, and fails naming the cell", async () => {
  const out = await Deno.makeTempDir();
  try {
    const { code, stderr } = await task(
      "--dir",
      FIXTURES,
      "display",
      "unhandled_rejection",
      "--html",
      "--out",
      out,
    );
    assert.equal(code, 1);
    assert.match(stderr, /ok {3}.*display\.ipynb/);
    assert.match(stderr, /FAIL .*unhandled_rejection\.ipynb, cell 2 of 3 .*nobody awaited me/);
    assert.match(stderr, /notebooks: 1 ok, 1 failed/);
    const executed = JSON.parse(await Deno.readTextFile(`${out}/display.ipynb`));
    assert.equal(executed.nbformat_minor, 5);
    assert.equal(executed.cells[1].execution_count, 1);
    assert.equal(executed.cells[1].outputs[0].output_type, "execute_result");
    assert.match(await Deno.readTextFile(`${out}/display.html`), /<svg/);
    // The failed notebook is written to --out with its error in place, for reading in context.
    const failed = JSON.parse(await Deno.readTextFile(`${out}/unhandled_rejection.ipynb`));
    assert.equal(failed.cells[1].outputs.at(-1).output_type, "error");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("tasks/notebooks.ts --in-place overwrites the source with its executed version", async () => {
  const dir = await Deno.makeTempDir({ dir: FIXTURES, prefix: ".inplace-" });
  try {
    await Deno.copyFile(`${FIXTURES}/display.ipynb`, `${dir}/display.ipynb`);
    const { code } = await task("--dir", dir, "--in-place");
    assert.equal(code, 0);
    const executed = JSON.parse(await Deno.readTextFile(`${dir}/display.ipynb`));
    assert.ok(executed.cells[1].outputs.length > 0);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["display.ipynb"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tasks/notebooks.ts --help's example names a notebook that exists", async () => {
  const { stdout } = await task("--help");
  const example = /Example:\n {2}deno task notebooks (\S+)/.exec(stdout)?.[1];
  assert.ok(example, stdout);
  await Deno.stat(`${ROOT}notebooks/${example}.ipynb`);
});

Deno.test("tasks/notebooks.ts --out x.html is refused (exit 2) and creates no directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const out of [`${dir}/x.html`, `${dir}/x.ipynb`]) {
      const r = await task("--dir", FIXTURES, "display", "--out", out);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^error: --out .*: --out names a folder/);
      await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    }
    await Deno.writeTextFile(`${dir}/file`, "");
    const r = await task("--dir", FIXTURES, "display", "--out", `${dir}/file`);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is a file, not a folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("okLine() counts in singular and plural: 1 code cell, 1 output, 2 outputs", () => {
  assert.equal(
    okLine("a.ipynb", { codeCells: 1, seconds: 2, lateOutputs: 1 }, ["out/a.ipynb"]),
    "ok   a.ipynb (1 code cell, 2.0 s, 1 output arrived after idle) → out/a.ipynb",
  );
  assert.match(
    okLine("a.ipynb", { codeCells: 3, seconds: 2, lateOutputs: 2 }, []),
    /3 code cells, 2\.0 s, 2 outputs/,
  );
  assert.doesNotMatch(okLine("a.ipynb", { codeCells: 3, seconds: 2, lateOutputs: 0 }, []), /arrived/);
});
