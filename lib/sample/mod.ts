/**
 * Deterministic sample tenant: realistic Microsoft Graph sign-in and directory-audit logs for a made-up
 * company (contoso.example) with planted attack patterns. See README.md for the patterns' exact parameters.
 *
 * @example
 * ```ts
 * import { ensureSampleTenant, plantedPatterns } from "./lib/sample/mod.ts";
 * const manifest = await ensureSampleTenant("data/sample");
 * const facts = plantedPatterns();
 * ```
 * @module
 */

export { generateSignIns, iterateSignIns } from "./signins.ts";
export { generateDirectoryAudits } from "./audits.ts";
export { distanceKm, type PlantedPatterns, plantedPatterns } from "./patterns.ts";
export {
  checkSampleTenant,
  type DayStats,
  denoFs,
  ensureSampleTenant,
  type FsEffects,
  GENERATOR_VERSION,
  MANIFEST_FILE,
  readSampleManifest,
  type SampleCheck,
  type SampleManifest,
  type WriteSampleOptions,
  writeSampleTenant,
} from "./writer.ts";
export { AUDITS_CONTEXT, MAX_PAGE_SIZE, pageFileName, SIGNINS_CONTEXT } from "./pages.ts";
export { DEFAULTS as SAMPLE_DEFAULTS, LIMITS as SAMPLE_LIMITS, SampleOptionError } from "./options.ts";
export { INTERRUPT_CODES, TENANT_DOMAIN, TENANT_ID } from "./catalog.ts";
export type { DirectoryAudit, SampleOptions, SignIn } from "./types.ts";
