/** The investigation on a DuckDB store: builds the IP intelligence tables first (see ensureIpIntel). */
import { ensureIpIntel } from "../ipintel/load_ip_intel.ts";
import { runQuery } from "../query/run_query.ts";
import type { Store } from "../store/open_store.ts";
import { investigateAccount, type InvestigateOptions } from "./investigate_account.ts";
import type { Investigation } from "./types.ts";

/**
 * Investigates one account of a store.
 *
 * @example
 * ```ts
 * const story = await investigateStore(store, "yusuf.wilber@contoso.example", { findings: row.findings });
 * ```
 */
export async function investigateStore(
  store: Store,
  upn: string,
  options: InvestigateOptions = {},
): Promise<Investigation> {
  await ensureIpIntel(store);
  return await investigateAccount(
    async (name, params) => (await runQuery(store, name, params)).rows,
    upn,
    options,
  );
}
