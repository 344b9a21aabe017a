import { type GivenParams } from "../query/run_query.ts";
import { resolveParams } from "../query/params.ts";
import { loadQuery } from "../query/query_library.ts";
import type { QueryResult } from "../query/result.ts";
import { RAW_SCHEMA } from "./ddl.ts";
import { runOnTrino, type TrinoRunOptions } from "./runner.ts";

export interface TrinoQueryConfig extends Partial<TrinoRunOptions> {
  /** Coordinator URL; TRINO_URL from the environment when left out. */
  url?: string;
}

/**
 * Runs queries/<name>.sql on Trino (TRINO_URL, catalog TRINO_CATALOG or hive, schema TRINO_SCHEMA or
 * signin_lens — the raw pages; signin_lens_lake is the Parquet lake) with the given parameters.
 */
export async function runQueryOnTrino(
  name: string,
  params: GivenParams = {},
  options: TrinoQueryConfig = {},
): Promise<QueryResult> {
  const env = Deno.env.toObject();
  const url = options.url ?? env.TRINO_URL;
  if (!url) {
    throw new Error("no Trino to ask: set TRINO_URL (deno task trino up prints it) or pass --trino-url");
  }
  const query = await loadQuery(name);
  return await runOnTrino(query, resolveParams(query, params), {
    ...options,
    url,
    catalog: options.catalog ?? env.TRINO_CATALOG ?? "hive",
    schema: options.schema ?? env.TRINO_SCHEMA ?? RAW_SCHEMA,
  });
}
