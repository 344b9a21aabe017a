/** A throw-away store loaded with the test data every Athena test compares against. */
import { fileURLToPath } from "node:url";
import { writeSampleTenant } from "../../lib/sample/mod.ts";
import { loadFiles, openStore, type Store } from "../../lib/store/mod.ts";
import { ensureIpIntel } from "../../lib/ipintel/mod.ts";

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

/** The sample tenant the comparison runs on: small enough for a test, big enough for every query to answer. */
export const SAMPLE = { users: 40, days: 14, seed: 7 } as const;

/**
 * One DuckDB thread, so arbitrary() and ties resolve the same way for both engines. With `sample`, the
 * deterministic sample tenant (lib/sample) is written to a temp folder and loaded beside the fixtures.
 */
export async function testStore(
  options: { sample?: boolean } = {},
): Promise<{ store: Store; bytes: number; records: number }> {
  const store = await openStore({ threads: 1 });
  const files = [...FIXTURE_FILES];
  let dir: string | undefined;
  if (options.sample) {
    dir = await Deno.makeTempDir({ prefix: "lens-athena-sample-" });
    await writeSampleTenant({ out: dir, ...SAMPLE });
    files.push(`${dir}/signins`, `${dir}/audits`);
  }
  try {
    const result = await loadFiles(store, files);
    // The triage's detect_* queries join the IP intelligence tables (lib/ipintel).
    await ensureIpIntel(store);
    let bytes = 0;
    for (const f of FIXTURE_FILES) bytes += (await Deno.stat(f)).size;
    if (dir) {
      for await (const e of Deno.readDir(`${dir}/signins`)) {
        for await (const p of Deno.readDir(`${dir}/signins/${e.name}`)) {
          bytes += (await Deno.stat(`${dir}/signins/${e.name}/${p.name}`)).size;
        }
      }
    }
    return { store, bytes, records: result.totalRecords };
  } finally {
    if (dir) await Deno.remove(dir, { recursive: true });
  }
}
