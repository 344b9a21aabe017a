/**
 * Complete compromise chains (sign-ins whose attacker got in, then what the attacker did next) and the
 * benign look-alikes a triage must rank below them. Times and addresses do not depend on the seed; record
 * ids, session ids and user names do. The audit side (security info, consent, device registration,
 * password change) is written by audits.ts from the facts returned here.
 */

import { APPS, type Place, PLACES, PROVIDER_NETS, RESOURCES } from "./catalog.ts";
import { type Base, type Ctx, homeNet, identityOf, providerNet, type Timed } from "./background.ts";
import { browserClient, type Client, unknownClient } from "./clients.ts";
import { iso, Planter } from "./planter.ts";
import type { Attempt, Outcome } from "./record.ts";
import { ROLES, type User } from "./tenant.ts";
import { dateString, DAY, localToUtc } from "./time.ts";

/** Accounts the spray tries, in this order (user indices); the new hire does not exist yet. */
const SPRAY_WORKED_TARGETS = 24;
export const SPRAY_WORKED_START_HOUR = 1 + 10 / 60;
export const TYPO_FAILURES = 5;

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const CHROME_WIN =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const TOOL_UA = "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.6";

type ProviderNet = (typeof PROVIDER_NETS)[keyof typeof PROVIDER_NETS];

/** Where a fact's address sits, as Graph and the ASN dataset describe it. */
export interface NetFacts {
  ipAddress: string;
  autonomousSystemNumber: number;
  asOrganization: string;
  city: string;
  countryOrRegion: string;
}

function netFacts(p: ProviderNet): NetFacts {
  const place: Place = PLACES[p.place];
  return {
    ipAddress: p.ip,
    autonomousSystemNumber: p.asn,
    asOrganization: p.org,
    city: place.city,
    countryOrRegion: place.country,
  };
}

/** A directory-audit event a chain leads to, for audits.ts to write and tests to find. */
export interface PlantedAudit {
  activityDateTime: string;
  activityDisplayName: string;
  /** The account the event is about (initiator, or the target when a service initiates it). */
  userPrincipalName: string;
  /** initiatedBy.user.ipAddress, null when a service (Device Registration Service) initiates it. */
  ipAddress: string | null;
  detail: string;
}

export interface CompromiseFacts {
  /** Spray from a DigitalOcean droplet; the password works for one account that had not registered MFA yet. */
  sprayWorked: NetFacts & {
    userPrincipalName: string;
    date: string;
    spray: { first: string; last: string; users: number; failures50126: number; passwordAcceptedAt: string };
    /** The attacker's success (after registering its own authenticator). */
    signedInAt: string;
    sessionId: string;
    tokenUses: number;
    audits: PlantedAudit[];
  };
  /** A session cookie stolen by an AiTM proxy, replayed from an OVH server minutes after a genuine MFA. */
  sessionReplay: {
    userPrincipalName: string;
    date: string;
    sessionId: string;
    genuine: { createdDateTime: string; ipAddress: string; autonomousSystemNumber: number; city: string };
    replay: NetFacts & { first: string; last: string; signIns: number; minutesAfterMfa: number };
    audits: PlantedAudit[];
  };
  /** Device-code phishing: the victim signs in with a code the attacker requested; tokens redeemed on Vultr. */
  deviceCode: {
    userPrincipalName: string;
    date: string;
    phishedAt: string;
    victim: { ipAddress: string; autonomousSystemNumber: number };
    sessionId: string;
    tokenUse: NetFacts & {
      first: string;
      last: string;
      refreshTokenUses: number;
      primaryRefreshTokenUses: number;
    };
    device: { deviceId: string; displayName: string; registeredAt: string };
    audits: PlantedAudit[];
  };
}

export interface LookAlikeFacts {
  /** Works through Mullvad the whole window (laptop only; the phone stays on its carrier). */
  consumerVpn: NetFacts & { userPrincipalName: string; homeCountry: string };
  /** Changes the password, mistypes the new one five times, then signs in with MFA from home. */
  newPasswordTypos: {
    userPrincipalName: string;
    date: string;
    ipAddress: string;
    autonomousSystemNumber: number;
    passwordChangedAt: string;
    first: string;
    failures50126: number;
    signedInAt: string;
  };
}

/** Adds one flow (shared correlation id) whose steps are spaced by the seed-independent stream. */
function flow(
  p: Planter,
  base: Base & Partial<Attempt>,
  sec: number,
  steps: { outcome: Outcome; gap?: [number, number]; extra?: Partial<Attempt> }[],
): number[] {
  const correlationId = p.b.rng.guid();
  const rid = p.b.rng.requestId();
  const times: number[] = [];
  let t = sec;
  steps.forEach((s, k) => {
    if (k > 0) t += p.time.int(...(s.gap ?? [6, 20]));
    p.add({
      interactive: true,
      ...base,
      sec: t,
      outcome: s.outcome,
      correlationId,
      requestId: k === 0 ? rid : undefined,
      originalRequestId: rid,
      ...s.extra,
    });
    times.push(t);
  });
  return times;
}

/** Generates the chains' and look-alikes' sign-ins and their description. */
export function plantCompromises(
  ctx: Ctx,
  seed: number,
): { records: Timed[]; compromises: CompromiseFacts; lookAlikes: LookAlikeFacts } {
  const { tenant, plan } = ctx;
  const u = (i: number): User => tenant.users[i];
  const records: Timed[] = [];
  const dayStart = (d: number) => d * DAY;

  // A. Spray that worked: one attempt per account from a droplet; the victim's password is right but the
  // account has no MFA method yet (50072), so the attacker comes back, registers its own authenticator and
  // signs in, reads mail, and consents to an app.
  const sw = new Planter(ctx, seed, "spray-worked");
  const swNet = providerNet(PROVIDER_NETS.sprayVps);
  const swClient = unknownClient("Browser", FIREFOX_LINUX, "Linux", "Firefox 128.0");
  const victimA = u(ROLES.sprayWorked);
  let t = dayStart(plan.sprayWorkedDay) + Math.round(SPRAY_WORKED_START_HOUR * 3600);
  let swFirst = Infinity, swLast = 0, swFail = 0, accepted = 0;
  for (let i = 0; i < SPRAY_WORKED_TARGETS; i++) {
    const outcome: Outcome = i === ROLES.sprayWorked
      ? { kind: "interrupt", code: 50072 }
      : { kind: "primaryFail", code: 50126 };
    sw.add({
      identity: identityOf(u(i)),
      app: APPS.officeHome,
      resource: RESOURCES.officeHome,
      net: swNet,
      client: swClient,
      sec: t,
      interactive: true,
      outcome,
    });
    if (i === ROLES.sprayWorked) accepted = t;
    else swFail++;
    swFirst = Math.min(swFirst, t);
    swLast = Math.max(swLast, t);
    t += sw.time.int(50, 140);
  }
  const swBase: Base = {
    identity: identityOf(victimA),
    app: APPS.officeHome,
    resource: RESOURCES.officeHome,
    net: swNet,
    client: swClient,
  };
  const swSession = sw.b.rng.guid();
  const back = swLast + sw.time.int(400, 600);
  const [swEnroll, , swSuccess] = flow(sw, swBase, back, [
    { outcome: { kind: "interrupt", code: 50072 } },
    { outcome: { kind: "auth", mfa: "none" }, gap: [150, 200] },
    { outcome: { kind: "auth", mfa: "push" }, extra: { mfaDelay: 11, sessionId: swSession } },
  ]);
  const swRegistered = swEnroll + 120;
  let swUses = 0;
  for (
    const [k, target] of [
      { app: APPS.exchange, resource: RESOURCES.exchange },
      { app: APPS.exchange, resource: RESOURCES.exchange },
      { app: APPS.officeHome, resource: RESOURCES.graph },
      { app: APPS.exchange, resource: RESOURCES.exchange },
    ].entries()
  ) {
    sw.add({
      ...swBase,
      ...target,
      sec: swSuccess + 90 + k * sw.time.int(420, 780),
      interactive: false,
      outcome: { kind: "auth", mfa: "claim" },
      sessionId: swSession,
    });
    swUses++;
  }
  const swConsent = swSuccess + 14 * 60 + 22;
  records.push(...sw.b.out);

  // B. Session replay: the victim completes MFA at home through an AiTM phishing page; 5 min 47 s later the
  // stolen session cookie signs in from an OVH server (MFA "satisfied by claim in the token") and reads mail.
  const sr = new Planter(ctx, seed, "session-replay");
  const victimB = u(ROLES.sessionReplay);
  const srHome = homeNet(victimB);
  const srSession = sr.b.rng.guid();
  const genuineStart = localToUtc(victimB.home.zone, plan.replayDay, 9.2);
  const [, srGenuine] = flow(
    sr,
    {
      identity: identityOf(victimB),
      app: APPS.officeHome,
      resource: RESOURCES.officeHome,
      net: srHome,
      client: browserClient(victimB.laptop),
    },
    genuineStart,
    [
      { outcome: { kind: "auth", mfa: "none" } },
      { outcome: { kind: "auth", mfa: "push" }, extra: { mfaDelay: 13, sessionId: srSession } },
    ],
  );
  const srNet = providerNet(PROVIDER_NETS.replayVps);
  const srClient = unknownClient("Browser", CHROME_WIN, "Windows 10", "Chrome 124.0.0");
  const replayFirst = srGenuine + 5 * 60 + 47;
  sr.add({
    identity: identityOf(victimB),
    app: APPS.officeHome,
    resource: RESOURCES.officeHome,
    net: srNet,
    client: srClient,
    sec: replayFirst,
    interactive: true,
    outcome: { kind: "auth", mfa: "claim" },
    sessionId: srSession,
  });
  let replayLast = replayFirst;
  let replays = 1;
  for (const minutes of [3, 9, 17, 31, 48]) {
    replayLast = replayFirst + minutes * 60 + sr.time.int(0, 40);
    sr.add({
      identity: identityOf(victimB),
      app: minutes === 17 ? APPS.sharePoint : APPS.exchange,
      resource: minutes === 17 ? RESOURCES.sharePoint : RESOURCES.exchange,
      net: srNet,
      client: srClient,
      sec: replayLast,
      interactive: false,
      outcome: { kind: "auth", mfa: "claim" },
      sessionId: srSession,
    });
    replays++;
  }
  const srRegistered = replayFirst + 22 * 60 + 9;
  records.push(...sr.b.out);

  // C. Device-code phishing: the attacker (Vultr, Amsterdam) requests a code for the Authentication Broker and
  // sends it to the victim, who enters it at microsoft.com/devicelogin from home and approves MFA. The
  // attacker redeems the refresh token, registers a device and keeps using its primary refresh token.
  const dc = new Planter(ctx, seed, "device-code");
  const victimC = u(ROLES.deviceCodePhish);
  const dcHome = homeNet(victimC);
  const dcSession = dc.b.rng.guid();
  const victimBrowser = browserClient(victimC.laptop);
  const phishClient: Client = { ...victimBrowser, clientAppUsed: "Mobile Apps and Desktop clients" };
  const [, dcPhished] = flow(
    dc,
    {
      identity: identityOf(victimC),
      app: APPS.broker,
      resource: RESOURCES.deviceRegistration,
      net: dcHome,
      client: phishClient,
      protocol: "deviceCode",
      originalTransferMethod: "deviceCodeFlow",
    },
    localToUtc(victimC.home.zone, plan.deviceCodeDay, 10 + 40 / 60),
    [
      { outcome: { kind: "auth", mfa: "none" } },
      {
        outcome: { kind: "auth", mfa: "push" },
        extra: { mfaDelay: 17, sessionId: dcSession, incomingTokenType: "none" },
      },
    ],
  );
  const dcNet = providerNet(PROVIDER_NETS.deviceCodeVps);
  const tool = unknownClient("Mobile Apps and Desktop clients", TOOL_UA, "Windows 10", "");
  const dcFirst = dcPhished + 100;
  let dcLast = dcFirst;
  let rtUses = 0;
  for (
    const [k, target] of [
      { app: APPS.broker, resource: RESOURCES.deviceRegistration },
      { app: APPS.broker, resource: RESOURCES.graph },
    ].entries()
  ) {
    dcLast = dcFirst + k * dc.time.int(40, 70);
    dc.add({
      identity: identityOf(victimC),
      ...target,
      net: dcNet,
      client: tool,
      sec: dcLast,
      interactive: false,
      outcome: { kind: "auth", mfa: "claim" },
      protocol: "none",
      incomingTokenType: "refreshToken",
      originalTransferMethod: "deviceCodeFlow",
      sessionId: dcSession,
    });
    rtUses++;
  }
  const registeredAt = dcFirst + 3 * 60 + 10;
  const device = {
    deviceId: dc.b.rng.guid(),
    displayName: "DESKTOP-7QK2M4N",
  };
  const prtClient: Client = {
    clientAppUsed: "Mobile Apps and Desktop clients",
    userAgent: "Windows-AzureAD-Authentication-Provider/1.0",
    deviceDetail: {
      deviceId: device.deviceId,
      displayName: device.displayName,
      operatingSystem: "Windows 10",
      browser: "",
      isCompliant: false,
      isManaged: false,
      trustType: "Azure AD registered",
    },
  };
  const prtSession = dc.b.rng.guid();
  let prtUses = 0;
  for (
    const [k, target] of [
      { app: APPS.office, resource: RESOURCES.exchange },
      { app: APPS.office, resource: RESOURCES.sharePoint },
      { app: APPS.teams, resource: RESOURCES.teamsServices },
      { app: APPS.office, resource: RESOURCES.exchange },
    ].entries()
  ) {
    dcLast = registeredAt + 150 + k * dc.time.int(1200, 2400);
    dc.add({
      identity: identityOf(victimC),
      ...target,
      net: dcNet,
      client: prtClient,
      sec: dcLast,
      interactive: false,
      outcome: { kind: "auth", mfa: "claim" },
      incomingTokenType: "primaryRefreshToken",
      sessionId: prtSession,
    });
    prtUses++;
  }
  records.push(...dc.b.out);

  // Look-alike: a freshly changed password mistyped five times at home, then a normal MFA sign-in.
  const ty = new Planter(ctx, seed, "new-password-typos");
  const typist = u(ROLES.newPasswordTypos);
  const changed = localToUtc(typist.home.zone, plan.typoDay, 8 + 35 / 60);
  const typoTimes = flow(
    ty,
    {
      identity: identityOf(typist),
      app: APPS.officeHome,
      resource: RESOURCES.officeHome,
      net: homeNet(typist),
      client: browserClient(typist.laptop),
    },
    changed + 6 * 60 + 12,
    [
      ...Array.from({ length: TYPO_FAILURES }, () => ({
        outcome: { kind: "primaryFail", code: 50126 } as Outcome,
        gap: [9, 30] as [number, number],
      })),
      { outcome: { kind: "auth", mfa: "none" }, gap: [20, 45] },
      { outcome: { kind: "auth", mfa: "push" }, extra: { mfaDelay: 12 } },
    ],
  );
  records.push(...ty.b.out);

  const vpnUser = u(ROLES.consumerVpn);
  const vpn = netFacts(PROVIDER_NETS.consumerVpn);
  const date = dateString;

  const compromises: CompromiseFacts = {
    sprayWorked: {
      userPrincipalName: victimA.upn,
      date: date(plan.sprayWorkedDay),
      ...netFacts(PROVIDER_NETS.sprayVps),
      spray: {
        first: iso(swFirst),
        last: iso(swLast),
        users: SPRAY_WORKED_TARGETS,
        failures50126: swFail,
        passwordAcceptedAt: iso(accepted),
      },
      signedInAt: iso(swSuccess),
      sessionId: swSession,
      tokenUses: swUses,
      audits: [
        {
          activityDateTime: iso(swRegistered),
          activityDisplayName: "User registered security info",
          userPrincipalName: victimA.upn,
          ipAddress: swNet.ip,
          detail: "Authenticator App",
        },
        {
          activityDateTime: iso(swConsent),
          activityDisplayName: "Consent to application",
          userPrincipalName: victimA.upn,
          ipAddress: swNet.ip,
          detail: "Secure PDF Viewer: Mail.ReadWrite Files.ReadWrite.All offline_access User.Read",
        },
      ],
    },
    sessionReplay: {
      userPrincipalName: victimB.upn,
      date: date(plan.replayDay),
      sessionId: srSession,
      genuine: {
        createdDateTime: iso(srGenuine),
        ipAddress: srHome.ip,
        autonomousSystemNumber: srHome.asn,
        city: victimB.home.city,
      },
      replay: {
        ...netFacts(PROVIDER_NETS.replayVps),
        first: iso(replayFirst),
        last: iso(replayLast),
        signIns: replays,
        minutesAfterMfa: Math.round((replayFirst - srGenuine) / 60),
      },
      audits: [{
        activityDateTime: iso(srRegistered),
        activityDisplayName: "User registered security info",
        userPrincipalName: victimB.upn,
        ipAddress: srNet.ip,
        detail: "Mobile Phone",
      }],
    },
    deviceCode: {
      userPrincipalName: victimC.upn,
      date: date(plan.deviceCodeDay),
      phishedAt: iso(dcPhished),
      victim: { ipAddress: dcHome.ip, autonomousSystemNumber: dcHome.asn },
      sessionId: dcSession,
      tokenUse: {
        ...netFacts(PROVIDER_NETS.deviceCodeVps),
        first: iso(dcFirst),
        last: iso(dcLast),
        refreshTokenUses: rtUses,
        primaryRefreshTokenUses: prtUses,
      },
      device: { ...device, registeredAt: iso(registeredAt) },
      audits: [
        {
          activityDateTime: iso(registeredAt),
          activityDisplayName: "Register device",
          userPrincipalName: victimC.upn,
          ipAddress: null,
          detail: device.displayName,
        },
        {
          activityDateTime: iso(registeredAt),
          activityDisplayName: "Add registered owner to device",
          userPrincipalName: victimC.upn,
          ipAddress: null,
          detail: device.displayName,
        },
      ],
    },
  };
  const lookAlikes: LookAlikeFacts = {
    consumerVpn: { userPrincipalName: vpnUser.upn, ...vpn, homeCountry: vpnUser.home.country },
    newPasswordTypos: {
      userPrincipalName: typist.upn,
      date: date(plan.typoDay),
      ipAddress: typist.homeIp,
      autonomousSystemNumber: typist.homeAsn,
      passwordChangedAt: iso(changed),
      first: iso(typoTimes[0]),
      failures50126: TYPO_FAILURES,
      signedInAt: iso(typoTimes[typoTimes.length - 1]),
    },
  };
  return { records, compromises, lookAlikes };
}
