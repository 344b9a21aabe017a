import { DATE, DuckDBResultReader } from "@duckdb/node-api";
import { ensureIpIntelFresh } from "../ipintel/load_ip_intel.ts";
import type { Store } from "../store/open_store.ts";
import { duckdbBindings, inReadOnlyTransaction, prepareSelect, QueryRefusedError } from "./duckdb_runner.ts";
import { resolveParams } from "./params.ts";
import { stripLiterals } from "./query_file.ts";
import { loadQuery } from "./query_library.ts";
import type { QueryResult } from "./result.ts";
import type { GivenParams } from "./run_query.ts";
import { toPlain } from "./to_js.ts";

/**
 * Runs queries/<name>.sql like runQuery() but keeps only the first `limit` rows in JavaScript, in the query's
 * own order, and counts the rest chunk by chunk without converting them: `query signins_flat` on ten million
 * sign-ins shows its first rows without holding ten million row objects. `total` is the full row count.
 */
export async function runQueryLimited(
  store: Store,
  name: string,
  params: GivenParams,
  limit: number,
): Promise<{ result: QueryResult; total: number }> {
  const started = performance.now();
  const query = await loadQuery(name);
  if (/\b(ip_intel|ip_addresses|asn_ranges|asn_classes)\b/i.test(stripLiterals(query.sql))) {
    await ensureIpIntelFresh(store);
  }
  const [values, types] = duckdbBindings(query, resolveParams(query, params));
  try {
    const prepared = await prepareSelect(store.connection, query);
    try {
      prepared.bind(values, types);
      return await inReadOnlyTransaction(store.connection, async () => {
        const stream = await prepared.stream();
        const reader = new DuckDBResultReader(stream);
        await reader.readUntil(limit);
        let total = reader.currentRowCount;
        if (!reader.done) {
          for (
            let chunk = await stream.fetchChunk();
            chunk && chunk.rowCount > 0;
            chunk = await stream.fetchChunk()
          ) {
            total += chunk.rowCount;
          }
        }
        const names = reader.columnNames().map((n) => n.toLowerCase());
        const typeNames = reader.columnTypes().map((t) => t.toString());
        const rows = reader.getRowsJS().slice(0, limit).map((row) =>
          Object.fromEntries(
            row.map((v, i) => [names[i], toPlain(v, typeNames[i] === DATE.toString() ? "DATE" : "")]),
          )
        );
        const result: QueryResult = {
          name: query.name,
          columns: names.map((n, i) => ({ name: n, type: typeNames[i] })),
          rows,
          engine: "duckdb",
          stats: { seconds: (performance.now() - started) / 1000 },
        };
        return { result, total };
      });
    } finally {
      prepared.destroySync();
    }
  } catch (e) {
    if (e instanceof QueryRefusedError) throw e;
    throw new Error(`query ${query.name} failed on DuckDB: ${(e as Error).message}`);
  }
}
