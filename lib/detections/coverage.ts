import type { Store } from "../store/open_store.ts";

/**
 * What the store can show the rules, so the triage can say what it could not see instead of reporting
 * "nothing found" for data it never had: no directory audits (persistence), no sessionId (token replay),
 * no authenticationProtocol (device code, ROPC), no risk levels (risky sign-ins).
 */
export async function triageBlindSpots(store: Store): Promise<string[]> {
  const r = (await store.connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM signins) AS signins, (SELECT count(*) FROM directory_audits) AS audits, ` +
      `(SELECT count(*) FROM signins WHERE "sessionId" IS NOT NULL AND "sessionId" <> '') AS sessions, ` +
      `(SELECT count(*) FROM signins WHERE "authenticationProtocol" IS NOT NULL) AS protocols, ` +
      `(SELECT count(*) FROM signins WHERE lower("riskLevelDuringSignIn") IN ('low', 'medium', 'high', 'none')) ` +
      `AS risks`,
  )).getRowObjectsJS()[0];
  const n = (k: string) => Number(r[k]);
  if (n("signins") === 0) return ["the store has no sign-ins: nothing to triage"];
  const notes: string[] = [];
  if (n("audits") === 0) notes.push("no directory audits loaded: the persistence rule had nothing to read");
  if (n("sessions") === 0) {
    notes.push("no sign-in carries a sessionId (v1.0 or exported records): no token replay check");
  }
  if (n("protocols") === 0) {
    notes.push("no sign-in carries authenticationProtocol: device-code and ROPC checks saw only client apps");
  }
  if (n("risks") === 0) {
    notes.push("no sign-in carries riskLevelDuringSignIn (Entra ID P2): no risky sign-in check");
  }
  return notes;
}
