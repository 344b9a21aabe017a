import type { Store } from "../store/open_store.ts";
import { ensureIpIntelFresh } from "../ipintel/load_ip_intel.ts";
import { stripLiterals } from "./query_file.ts";
import { runOnDuckdb } from "./duckdb_runner.ts";
import { resolveParams } from "./params.ts";
import { loadQuery } from "./query_library.ts";
import type { QueryResult } from "./result.ts";

export type GivenParams = Record<string, string | number | Date | undefined>;

/**
 * Runs queries/<name>.sql on the store with the given parameters (defaults filled in, types checked). A query
 * that joins ip_intel (the triage's detect_* queries) gets the IP intelligence tables built or refreshed first.
 */
export async function runQuery(store: Store, name: string, params: GivenParams = {}): Promise<QueryResult> {
  const query = await loadQuery(name);
  if (/\b(ip_intel|ip_addresses|asn_ranges|asn_classes)\b/i.test(stripLiterals(query.sql))) {
    await ensureIpIntelFresh(store);
  }
  return await runOnDuckdb(store.connection, query, resolveParams(query, params));
}
