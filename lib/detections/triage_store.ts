import { ensureIpIntel, type IpIntelResult } from "../ipintel/load_ip_intel.ts";
import { runQuery } from "../query/run_query.ts";
import type { Store } from "../store/open_store.ts";
import { triage } from "./triage.ts";
import type { TriageOptions, TriageRow } from "./types.ts";

/** The triage on a DuckDB store: builds the IP intelligence tables first (see ensureIpIntel), then ranks. */
export async function triageStore(
  store: Store,
  opts: TriageOptions = {},
): Promise<{ rows: TriageRow[]; ipIntel: IpIntelResult }> {
  const ipIntel = await ensureIpIntel(store);
  const rows = await triage(async (name, params) => (await runQuery(store, name, params)).rows, opts);
  return { rows, ipIntel };
}
