import assert from "node:assert/strict";
import {
  distanceKm,
  generateDirectoryAudits,
  generateSignIns,
  plantedPatterns,
  type SignIn,
} from "../../lib/sample/mod.ts";
import { PLACES, PROVIDER_NETS } from "../../lib/sample/catalog.ts";

const ALL = generateSignIns();
const AUDITS = generateDirectoryAudits();
const P = plantedPatterns();
const C = P.compromises;
const time = (s: SignIn) => Date.parse(s.createdDateTime);
const ofUser = (upn: string) =>
  ALL.filter((s) => s.userPrincipalName === upn).sort((a, b) => time(a) - time(b));
const byIp = (ip: string) => ALL.filter((s) => s.ipAddress === ip).sort((a, b) => time(a) - time(b));
const mfaByClaim = (s: SignIn) =>
  s.authenticationDetails.some((d) =>
    d.authenticationStepResultDetail === "MFA requirement satisfied by claim in the token"
  );
/** Audit records at the stated second (the records carry Graph's seven fractional digits). */
const auditsAt = (iso: string, activity: string) =>
  AUDITS.filter((a) =>
    a.activityDisplayName === activity && a.activityDateTime.slice(0, 19) === iso.slice(0, 19)
  );

Deno.test("provider addresses carry Entra's autonomousSystemNumber as Graph beta writes it", () => {
  for (const p of Object.values(PROVIDER_NETS)) {
    const recs = byIp(p.ip);
    assert.ok(recs.length > 0, p.ip);
    assert.ok(recs.every((s) => s.autonomousSystemNumber === p.asn), p.ip);
    assert.ok(recs.every((s) => s.location.city === PLACES[p.place].city), p.ip);
  }
});

Deno.test("chain A: a spray from a DigitalOcean droplet whose password worked, then MFA registration and consent", () => {
  const a = C.sprayWorked;
  assert.equal(a.autonomousSystemNumber, 14061);
  assert.equal(a.asOrganization, "DigitalOcean, LLC");
  const recs = byIp(a.ipAddress);
  const spray = recs.filter((s) => time(s) <= Date.parse(a.spray.last));
  assert.equal(spray[0].createdDateTime, a.spray.first);
  assert.equal(spray.length, a.spray.users);
  assert.equal(new Set(spray.map((s) => s.userPrincipalName)).size, a.spray.users);
  assert.equal(spray.filter((s) => s.status.errorCode === 50126).length, a.spray.failures50126);
  const accepted = spray.find((s) => s.status.errorCode !== 50126)!;
  assert.equal(accepted.userPrincipalName, a.userPrincipalName);
  assert.equal(accepted.createdDateTime, a.spray.passwordAcceptedAt);
  assert.equal(accepted.status.errorCode, 50072, "password right, no MFA method registered yet");
  // Only the victim afterwards: enrollment interrupt, MFA required, success with the attacker's authenticator.
  const after = recs.filter((s) => time(s) > Date.parse(a.spray.last));
  assert.ok(after.every((s) => s.userPrincipalName === a.userPrincipalName));
  assert.deepEqual(after.filter((s) => s.isInteractive).map((s) => s.status.errorCode), [50072, 50074, 0]);
  const success = after.find((s) => s.status.errorCode === 0 && s.isInteractive)!;
  assert.equal(success.createdDateTime, a.signedInAt);
  assert.equal(success.sessionId, a.sessionId);
  assert.equal(success.mfaDetail.authMethod, "Mobile app notification");
  const uses = after.filter((s) => !s.isInteractive);
  assert.equal(uses.length, a.tokenUses);
  assert.ok(uses.every((s) => s.sessionId === a.sessionId && s.status.errorCode === 0));
  const [mfa, consent] = a.audits;
  assert.ok(Date.parse(mfa.activityDateTime) < Date.parse(a.signedInAt), "registered before the success");
  assert.ok(Date.parse(consent.activityDateTime) - Date.parse(a.signedInAt) < 30 * 60_000);
  for (const e of a.audits) {
    const found = auditsAt(e.activityDateTime, e.activityDisplayName);
    assert.equal(found.length, 1, e.activityDisplayName);
    assert.equal(found[0].initiatedBy.user!.userPrincipalName, a.userPrincipalName);
    assert.equal(found[0].initiatedBy.user!.ipAddress, a.ipAddress);
  }
  const granted = auditsAt(consent.activityDateTime, "Consent to application")[0];
  assert.equal(granted.targetResources[0].displayName, "Secure PDF Viewer");
});

Deno.test("chain B: a stolen session replayed from an OVH server minutes after a genuine MFA sign-in", () => {
  const b = C.sessionReplay;
  const session = ALL.filter((s) => s.sessionId === b.sessionId).sort((x, y) => time(x) - time(y));
  const [genuine, ...replayed] = session;
  assert.equal(genuine.createdDateTime, b.genuine.createdDateTime);
  assert.equal(genuine.ipAddress, b.genuine.ipAddress);
  assert.equal(genuine.autonomousSystemNumber, b.genuine.autonomousSystemNumber);
  assert.ok(
    genuine.authenticationDetails.some((d) =>
      d.authenticationStepResultDetail === "MFA successfully completed"
    ),
  );
  assert.equal(genuine.deviceDetail.deviceId !== "", true, "the victim's own device");
  assert.equal(replayed.length, b.replay.signIns);
  assert.ok(replayed.every((s) => s.ipAddress === b.replay.ipAddress && s.autonomousSystemNumber === 16276));
  assert.ok(replayed.every((s) => s.userPrincipalName === b.userPrincipalName && s.status.errorCode === 0));
  assert.ok(replayed.every(mfaByClaim));
  assert.ok(replayed.every((s) => s.location.countryOrRegion === "FR"));
  assert.equal(replayed[0].createdDateTime, b.replay.first);
  assert.equal(replayed[replayed.length - 1].createdDateTime, b.replay.last);
  assert.ok(replayed[0].isInteractive);
  const minutes = (time(replayed[0]) - time(genuine)) / 60_000;
  assert.ok(minutes > 5 && minutes < 7, `${minutes} min`);
  assert.deepEqual(byIp(b.replay.ipAddress).map((s) => s.id).sort(), replayed.map((s) => s.id).sort());
  const [e] = b.audits;
  assert.equal(
    auditsAt(e.activityDateTime, e.activityDisplayName)[0].initiatedBy.user!.ipAddress,
    b.replay.ipAddress,
  );
});

Deno.test("chain C: device-code phishing, tokens redeemed from Vultr, a device registered", () => {
  const c = C.deviceCode;
  const phished = ALL.filter((s) => s.authenticationProtocol === "deviceCode" && s.status.errorCode === 0);
  assert.equal(phished.length, 1, "the only successful device-code sign-in");
  const [p] = phished;
  assert.equal(p.userPrincipalName, c.userPrincipalName);
  assert.equal(p.createdDateTime, c.phishedAt);
  assert.equal(p.ipAddress, c.victim.ipAddress);
  assert.equal(p.autonomousSystemNumber, c.victim.autonomousSystemNumber);
  assert.equal(p.originalTransferMethod, "deviceCodeFlow");
  assert.equal(p.appDisplayName, "Microsoft Authentication Broker");
  assert.equal(p.sessionId, c.sessionId);
  const uses = byIp(c.tokenUse.ipAddress);
  assert.ok(uses.every((s) => s.userPrincipalName === c.userPrincipalName && !s.isInteractive));
  assert.ok(uses.every((s) => s.autonomousSystemNumber === c.tokenUse.autonomousSystemNumber));
  assert.notEqual(c.tokenUse.autonomousSystemNumber, c.victim.autonomousSystemNumber);
  assert.equal(uses[0].createdDateTime, c.tokenUse.first);
  assert.equal(uses[uses.length - 1].createdDateTime, c.tokenUse.last);
  const rt = uses.filter((s) => s.incomingTokenType === "refreshToken");
  assert.equal(rt.length, c.tokenUse.refreshTokenUses);
  assert.ok(rt.every((s) => s.originalTransferMethod === "deviceCodeFlow" && s.sessionId === c.sessionId));
  const prt = uses.filter((s) => s.incomingTokenType === "primaryRefreshToken");
  assert.equal(prt.length, c.tokenUse.primaryRefreshTokenUses);
  assert.ok(prt.every((s) => s.deviceDetail.deviceId === c.device.deviceId));
  assert.ok(prt.every((s) => Date.parse(s.createdDateTime) > Date.parse(c.device.registeredAt)));
  const reg = auditsAt(c.device.registeredAt, "Register device");
  assert.equal(reg.length, 1);
  assert.equal(reg[0].loggedByService, "Core Directory");
  assert.equal(reg[0].initiatedBy.app!.displayName, "Device Registration Service");
  assert.ok(reg[0].targetResources.some((t) => t.userPrincipalName === c.userPrincipalName));
  assert.ok(reg[0].targetResources.some((t) => t.id === c.device.deviceId && t.type === "Device"));
  assert.equal(auditsAt(c.device.registeredAt, "Add registered owner to device").length, 1);
});

Deno.test("compromisedAccounts lists the chains' victims and the two older stories, lookAlikeAccounts the rest", () => {
  assert.deepEqual(P.compromisedAccounts, [
    C.sprayWorked.userPrincipalName,
    C.sessionReplay.userPrincipalName,
    C.deviceCode.userPrincipalName,
    P.impossibleTravel.userPrincipalName,
    P.mfaFatigue.userPrincipalName,
  ]);
  assert.equal(new Set([...P.compromisedAccounts, ...P.lookAlikeAccounts]).size, 10);
  // Look-alikes have no sign-in from a hosting address and no persistence.
  const hosting = new Set<string>([
    PROVIDER_NETS.sprayVps.ip,
    PROVIDER_NETS.replayVps.ip,
    PROVIDER_NETS.deviceCodeVps.ip,
  ]);
  for (const upn of P.lookAlikeAccounts) {
    assert.ok(ofUser(upn).every((s) => !hosting.has(s.ipAddress) || s.status.errorCode !== 0), upn);
    assert.ok(
      !AUDITS.some((a) =>
        ["Consent to application", "Register device", "User registered security info"].includes(
          a.activityDisplayName,
        ) &&
        a.initiatedBy.user?.userPrincipalName === upn
      ),
      upn,
    );
  }
});

Deno.test("look-alike: the consumer-VPN user's laptop uses the same Mullvad exit all window long", () => {
  const v = P.lookAlikes.consumerVpn;
  assert.equal(v.autonomousSystemNumber, 39351);
  const recs = ofUser(v.userPrincipalName).filter((s) => s.status.errorCode === 0);
  const viaVpn = recs.filter((s) => s.ipAddress === v.ipAddress);
  const days = new Set(viaVpn.map((s) => s.createdDateTime.slice(0, 10)));
  assert.ok(days.size >= 20, `${days.size} days through the VPN`);
  assert.ok(viaVpn[0].createdDateTime.slice(0, 10) <= "2026-10-05", "from the first days of the window");
  assert.ok(viaVpn.every((s) => s.location.countryOrRegion === "SE"));
  // The phone stays on its carrier at home: the trap for a naive impossible-travel rule.
  assert.ok(recs.some((s) => s.location.countryOrRegion === v.homeCountry));
  const laptops = new Set(viaVpn.map((s) => s.deviceDetail.deviceId).filter((d) => d !== ""));
  assert.equal(laptops.size, 1, "one laptop");
  assert.ok(
    recs.filter((s) => laptops.has(s.deviceDetail.deviceId)).every((s) => s.ipAddress === v.ipAddress),
  );
});

Deno.test("look-alike: five typos of a freshly changed password, then a normal MFA sign-in from home", () => {
  const t = P.lookAlikes.newPasswordTypos;
  const change = AUDITS.filter((a) =>
    a.activityDisplayName === "Change password (self-service)" &&
    a.initiatedBy.user?.userPrincipalName === t.userPrincipalName
  );
  assert.ok(change.some((a) => a.activityDateTime.slice(0, 19) === t.passwordChangedAt.slice(0, 19)));
  const flow = ofUser(t.userPrincipalName).filter((s) =>
    time(s) >= Date.parse(t.first) && time(s) <= Date.parse(t.signedInAt) && s.isInteractive
  );
  assert.deepEqual(flow.map((s) => s.status.errorCode), [50126, 50126, 50126, 50126, 50126, 50074, 0]);
  assert.ok(
    flow.every((s) => s.ipAddress === t.ipAddress && s.autonomousSystemNumber === t.autonomousSystemNumber),
  );
  assert.ok(flow.every((s) => s.deviceDetail.deviceId !== "" && s.correlationId === flow[0].correlationId));
  assert.ok(
    ofUser(t.userPrincipalName).some((s) => s.ipAddress === t.ipAddress && time(s) < Date.parse(t.first)),
  );
});

Deno.test("look-alike: business trips are flown at airliner speed, with MFA on arrival, on the own laptop", () => {
  for (const trip of P.travelers) {
    const recs = ofUser(trip.userPrincipalName).filter((s) => s.status.errorCode === 0);
    const abroad = recs.filter((s) => s.ipAddress === trip.ipAddress);
    assert.ok(abroad.length > 0);
    const first = abroad[0];
    const before = recs.filter((s) => time(s) < time(first)).pop()!;
    const after = recs.find((s) => time(s) > time(abroad[abroad.length - 1]))!;
    for (const [a, b] of [[before, first], [abroad[abroad.length - 1], after]]) {
      const km = distanceKm(a.location.geoCoordinates as never, b.location.geoCoordinates as never);
      const hours = (time(b) - time(a)) / 3_600_000;
      assert.ok(km / hours < 900, `${trip.userPrincipalName}: ${Math.round(km)} km in ${hours.toFixed(1)} h`);
    }
    assert.ok(
      abroad.some((s) =>
        s.mfaDetail.authMethod === "Mobile app notification" && s.deviceDetail.deviceId !== ""
      ),
      `${trip.userPrincipalName} completes MFA abroad on a known device`,
    );
  }
});

Deno.test("the chains do not depend on the seed except for names and ids", () => {
  const other = plantedPatterns({ seed: 2 }).compromises;
  assert.equal(other.sprayWorked.signedInAt, C.sprayWorked.signedInAt);
  assert.equal(other.sessionReplay.replay.first, C.sessionReplay.replay.first);
  assert.equal(other.deviceCode.device.registeredAt, C.deviceCode.device.registeredAt);
  assert.notEqual(other.deviceCode.sessionId, C.deviceCode.sessionId);
});
