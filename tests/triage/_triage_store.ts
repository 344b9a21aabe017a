// A sample tenant with its directory audits and IP intelligence, in an in-memory store shared by one test file.
import {
  ensureIpIntel,
  ensureSampleTenant,
  loadFiles,
  openStore,
  type PlantedPatterns,
  plantedPatterns,
  runQuery,
  type SampleOptions,
  type Store,
} from "../../lib/mod.ts";
import type { DetectionRunner } from "../../lib/detections/types.ts";

export interface TriageStore {
  store: Store;
  facts: PlantedPatterns;
  run: DetectionRunner;
}

/** Builds and loads the tenant once per test file; store and folder go when the test process ends. */
export async function triageSampleStore(opts: SampleOptions = {}): Promise<TriageStore> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-triage-" });
  await ensureSampleTenant(dir, opts);
  const store = await openStore({ path: ":memory:", threads: 1 });
  await loadFiles(store, [`${dir}/signins`, `${dir}/audits`]);
  await ensureIpIntel(store);
  globalThis.addEventListener("unload", () => {
    store.close();
    Deno.removeSync(dir, { recursive: true });
  });
  return {
    store,
    facts: plantedPatterns(opts),
    run: async (name, params) => (await runQuery(store, name, params)).rows,
  };
}
