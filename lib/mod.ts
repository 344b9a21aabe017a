/**
 * signin-lens: the one face notebooks and tasks import.
 *
 * @example
 * ```ts
 * import { openSignins, queryFrame, runQuery, failedSignInsMap } from "../lib/mod.ts";
 * const { store } = await openSignins(); // your data/signins.duckdb, else the bundled sample tenant
 * const df = await queryFrame(store, "signins_flat", { from: "2026-10-01" });
 * failedSignInsMap((await runQuery(store, "signin_locations")).rows);
 * ```
 * @module
 */
export * from "./store/mod.ts";
export * from "./query/mod.ts";
export * from "./schema/mod.ts";
export * from "./charts/mod.ts";
export * from "./report/mod.ts";
export {
  ensureSampleTenant,
  generateDirectoryAudits,
  generateSignIns,
  iterateSignIns,
  type PlantedPatterns,
  plantedPatterns,
  SAMPLE_DEFAULTS,
  type SampleOptions,
  type SignIn,
  TENANT_DOMAIN,
  writeSampleTenant,
} from "./sample/mod.ts";
export * from "./graph/mod.ts";
export * from "./athena/mod.ts";
export { queryFrame } from "./frames.ts";
export { cellText, frameToHtml, withNotebookDisplay } from "./frame_display.ts";
export {
  ConfigError,
  configSecrets,
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  type GraphConfig,
  type GraphCredential,
  normalizeConfig,
  readConfig,
} from "./config.ts";
export { loadEnvFile, parseEnvFile } from "./env_file.ts";
export { openReportSource as openSignins, reportRange, type ReportSource } from "./report_data.ts";
export { DEFAULT_DB, PROJECT_ROOT, SAMPLE_DB, SAMPLE_DIR } from "./paths.ts";
export * from "./detections/mod.ts";
export * from "./ipintel/mod.ts";
export * from "./coverage/mod.ts";
export * from "./sources/mod.ts";
export * from "./storage/mod.ts";
export * from "./investigate/mod.ts";
export { accountTimeline, type AccountTimelineOptions, networkLabel } from "./charts/account_timeline.ts";
