// The detections on a sample tenant of another seed, size and window: thresholds tuned on the default tenant
// must not depend on its user names, head count or 30 days.
import assert from "node:assert/strict";
import { sameInstant, sampleStore } from "./_sample_store.ts";

const { facts: P, run } = await sampleStore({ seed: 7, users: 100, days: 14 });

Deno.test("every detection finds its planted pattern on a 14-day, 100-user tenant of seed 7", async () => {
  const spray = await run("password_spray");
  assert.deepEqual(spray.map((r) => r.ip_address), P.passwordSpray.rounds.map((r) => r.ipAddress));

  const brute = await run("brute_force");
  assert.deepEqual(brute.map((r) => [r.user_principal_name, r.ip_address]), [
    [P.bruteForce.userPrincipalName, P.bruteForce.ipAddress],
  ]);

  const travel = await run("impossible_travel");
  const hop = travel.find((r) => r.user_principal_name === P.impossibleTravel.userPrincipalName);
  assert.ok(hop && sameInstant(hop.to_time, P.impossibleTravel.second.createdDateTime));
  assert.ok(travel.length <= 1 + P.travelers.length + 1, `${travel.length} impossible-travel rows`);

  const fatigue = await run("mfa_fatigue");
  assert.deepEqual(fatigue.map((r) => [r.user_principal_name, r.declined]), [
    [P.mfaFatigue.userPrincipalName, P.mfaFatigue.denials],
  ]);

  const fresh = await run("new_country_signins");
  const nc = fresh.find((r) => r.user_principal_name === P.newCountry.userPrincipalName);
  assert.ok(nc && nc.country_or_region === P.newCountry.countryOrRegion);
  assert.ok(fresh.length <= 6, `${fresh.length} new-country rows`);
});
