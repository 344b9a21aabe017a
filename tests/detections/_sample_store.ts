// A sample tenant built into a temp folder and loaded into an in-memory store, shared by one test file.
import {
  ensureSampleTenant,
  loadFiles,
  openStore,
  type PlantedPatterns,
  plantedPatterns,
  runQuery,
  type SampleOptions,
  type Store,
} from "../../lib/mod.ts";

export interface SampleStore {
  store: Store;
  facts: PlantedPatterns;
  run(name: string, params?: Record<string, string | number>): Promise<Record<string, unknown>[]>;
}

/**
 * Builds and loads the tenant once per test file; the store and folder go when the test process ends
 * (a DuckDB connection is no Deno resource, so the sanitizers do not see it).
 */
export async function sampleStore(opts: SampleOptions = {}): Promise<SampleStore> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-detections-" });
  await ensureSampleTenant(dir, opts);
  const store = await openStore({ path: ":memory:" });
  await loadFiles(store, [`${dir}/signins`]);
  globalThis.addEventListener("unload", () => {
    store.close();
    Deno.removeSync(dir, { recursive: true });
  });
  return {
    store,
    facts: plantedPatterns(opts),
    run: async (name, params = {}) => (await runQuery(store, name, params)).rows,
  };
}

/** Same instant? Stores print milliseconds, the planted facts whole seconds. */
export function sameInstant(a: unknown, b: string): boolean {
  return typeof a === "string" && Date.parse(a) === Date.parse(b);
}
