import type { Store } from "../store/open_store.ts";
import { runOnDuckdb } from "./duckdb_runner.ts";
import { resolveParams } from "./params.ts";
import { loadQuery } from "./query_library.ts";
import type { QueryResult } from "./result.ts";

export type GivenParams = Record<string, string | number | Date | undefined>;

/** Runs queries/<name>.sql on the store with the given parameters (defaults filled in, types checked). */
export async function runQuery(store: Store, name: string, params: GivenParams = {}): Promise<QueryResult> {
  const query = await loadQuery(name);
  return await runOnDuckdb(store.connection, query, resolveParams(query, params));
}
