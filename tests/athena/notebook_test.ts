import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { executeNotebook } from "../../lib/notebook/execute.ts";

const NOTEBOOK = fileURLToPath(new URL("../../notebooks/04_athena.ipynb", import.meta.url));

Deno.test("notebooks/04_athena.ipynb runs without AWS configuration, on the local Athena endpoint", async () => {
  const result = await executeNotebook(NOTEBOOK, {
    env: {
      AWS_REGION: "",
      AWS_DEFAULT_REGION: "",
      AWS_PROFILE: "",
      ATHENA_OUTPUT_LOCATION: "",
      ATHENA_WORKGROUP: "",
    },
  });
  assert.ok(result.cells.every((c) => !c.error), JSON.stringify(result.cells.map((c) => c.error)));
  const shown = JSON.stringify(result.cells.find((c) => c.id === "display")!.outputs);
  assert.match(shown, /No AWS configuration/);
  assert.match(shown, /Same rows as the DuckDB engine: \*\*true\*\*/);
  assert.match(shown, /country_or_region/);
});

Deno.test("notebooks never import test code: the local Athena endpoint comes from lib", async () => {
  for (const entry of Deno.readDirSync(fileURLToPath(new URL("../../notebooks/", import.meta.url)))) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const nb = JSON.parse(
      await Deno.readTextFile(fileURLToPath(new URL(`../../notebooks/${entry.name}`, import.meta.url))),
    );
    for (const cell of nb.cells) {
      const source = Array.isArray(cell.source) ? cell.source.join("") : String(cell.source);
      assert.doesNotMatch(source, /from\s+["'][^"']*tests\//, `${entry.name} imports from tests/`);
    }
  }
});
