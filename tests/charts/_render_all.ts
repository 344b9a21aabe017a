// Renders every chart from the fixture tenant, the way the report does; shared by the snapshot and PNG tests.
import * as C from "../../lib/charts/mod.ts";
import { fixtureRows } from "../fixtures/charts/tenant.ts";

export const FROM = "2026-10-01T00:00:00Z";
export const TO = "2026-10-31T00:00:00Z";

export function renderAll(): C.Chart[] {
  const rows = fixtureRows();
  return [
    C.failedSignInsMap(rows.signin_locations),
    C.failedByCountry(rows.failed_by_country),
    C.failuresPerUserOverTime(rows.failed_per_user_daily, { from: FROM, to: TO }),
    C.failuresByHourHeatmap(rows.failures_by_hour_weekday),
    C.failureReasonsByUser(rows.failed_by_reason_by_user),
    C.suspiciousIps(rows.failures_by_ip),
    C.legacyAuthAttempts(rows.legacy_auth_attempts),
    C.interruptsByCode(rows.interrupts_by_code),
    C.successByUserByOs(rows.success_by_user_by_os),
    C.failuresByOsBrowser(rows.failures_by_os_browser),
    C.conditionalAccessOverTime(rows.ca_result_daily, { from: FROM, to: TO }),
    C.authMethodMix(rows.auth_method_mix),
    C.signInsByApp(rows.signins_by_app),
  ];
}
