/** A throw-away store loaded with the test data every Athena test compares against. */
import { fileURLToPath } from "node:url";
import { loadFiles, openStore, type Store } from "../../lib/store/mod.ts";

const INPUTS = fileURLToPath(new URL("../fixtures/inputs/", import.meta.url));

/** Every loadable input fixture (the bad/ ones excluded): Graph pages, NDJSON, Azure Monitor, Log Analytics. */
export const FIXTURE_FILES = [
  "graph_page.json",
  "graph_page_pretty.json",
  "signins.ndjson",
  "signins_gz.ndjson.gz",
  "azure_monitor.json",
  "azure_monitor_lines.json",
  "log_analytics.json",
  "log_analytics.ndjson",
  "seed_merged.json",
].map((f) => `${INPUTS}${f}`);

/** One DuckDB thread, so arbitrary() and ties resolve the same way for both engines. */
export async function testStore(): Promise<{ store: Store; bytes: number; records: number }> {
  const store = await openStore({ threads: 1 });
  const result = await loadFiles(store, FIXTURE_FILES);
  let bytes = 0;
  for (const f of FIXTURE_FILES) bytes += (await Deno.stat(f)).size;
  return { store, bytes, records: result.totalRecords };
}
