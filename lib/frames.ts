import pl from "nodejs-polars";
import { join } from "node:path";
import {
  duckdbBindings,
  type GivenParams,
  inReadOnlyTransaction,
  loadQuery,
  prepareSelect,
  resolveParams,
  toDuckdbSql,
} from "./query/mod.ts";
import type { Store } from "./store/mod.ts";
import { withNotebookDisplay } from "./frame_display.ts";

/**
 * Runs queries/<name>.sql and returns a nodejs-polars DataFrame. The rows travel DuckDB → Parquet →
 * pl.readParquet: typed and fast, and never through JS BigInt, which nodejs-polars silently corrupts. In a
 * notebook the frame displays as a table with ISO times (polars' own view prints JS Date strings).
 */
export async function queryFrame(
  store: Store,
  name: string,
  params: GivenParams = {},
): Promise<pl.DataFrame> {
  const query = await loadQuery(name);
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-frame-" });
  const file = join(dir, "result.parquet");
  const c = store.connection;
  try {
    const [values, types] = duckdbBindings(query, resolveParams(query, params));
    // Checked as the runner checks it (one SELECT by DuckDB's parser), and run where it cannot write the store.
    (await prepareSelect(c, query)).destroySync();
    await inReadOnlyTransaction(c, async () => {
      await c.run(`CREATE OR REPLACE TEMP TABLE lens_frame AS ${toDuckdbSql(query.sql)}`, values, types);
      // Lower-case names, as every runner returns them; the path is ours (a fresh temp dir), quoted for SQL.
      const cols = (await c.runAndReadAll(`SELECT * FROM lens_frame LIMIT 0`)).columnNames();
      const select = cols.map((n) =>
        `"${n.replaceAll('"', '""')}" AS "${n.toLowerCase().replaceAll('"', '""')}"`
      ).join(", ");
      await c.run(
        `COPY (SELECT ${select} FROM lens_frame) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
      );
    });
    return withNotebookDisplay(pl.readParquet(file));
  } finally {
    await c.run(`DROP TABLE IF EXISTS lens_frame`).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
