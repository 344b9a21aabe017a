// The sample tenant (sign-ins and directory audits) in an in-memory store with the offline IP intelligence,
// built once per test file.
import {
  ensureSampleTenant,
  loadFiles,
  openStore,
  type PlantedPatterns,
  plantedPatterns,
  runQuery,
} from "../../lib/mod.ts";
import { ensureIpIntel } from "../../lib/ipintel/mod.ts";
import type { DetectionRunner } from "../../lib/detections/types.ts";
import type { Store } from "../../lib/store/mod.ts";

export interface InvestigationStore {
  store: Store;
  facts: PlantedPatterns;
  run: DetectionRunner;
}

export async function investigationStore(): Promise<InvestigationStore> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-investigate-" });
  await ensureSampleTenant(dir);
  const store = await openStore({ path: ":memory:" });
  await loadFiles(store, [`${dir}/signins`, `${dir}/audits`]);
  await ensureIpIntel(store);
  globalThis.addEventListener("unload", () => {
    store.close();
    Deno.removeSync(dir, { recursive: true });
  });
  return {
    store,
    facts: plantedPatterns(),
    run: async (name, params) => (await runQuery(store, name, params)).rows,
  };
}
