/**
 * Planted attack patterns an analyst should find. Their timing and addresses do not depend on the seed
 * (only record ids and the users' names do), so the README can state them exactly; `plantedPatterns()`
 * returns the same facts as data for tests and notebooks.
 */

import { type App, APPS, type Place, PLACES, type Resource, RESOURCES } from "./catalog.ts";
import { type Base, type Ctx, identityOf, interactiveFlow, type Timed } from "./background.ts";
import { iso, Planter } from "./planter.ts";
import { type CompromiseFacts, type LookAlikeFacts, plantCompromises } from "./compromises.ts";
import { browserClient, type Client, nativeClient, unknownClient } from "./clients.ts";
import { makePlan } from "./plan.ts";
import { type Attempt, type Net, type Outcome, resultCode, type Risk } from "./record.ts";
import { buildTenant, ROLES, type User } from "./tenant.ts";
import { dateString, DAY } from "./time.ts";
import { resolveOptions } from "./options.ts";
import type { SampleOptions } from "./types.ts";

/** Spray: each of 3 addresses works through the same 24 accounts (user indices 0–23). */
export const SPRAY_TARGETS = 24;
/** An account's 6th and later failed spray attempts are logged as 50053 (smart lockout). */
export const SPRAY_LOCKOUT_AFTER = 5;
export const BRUTE_FORCE_FAILURES = 36;
export const BRUTE_FORCE_LOCKED = 14;
export const MFA_FATIGUE_DENIALS = 14;

const CHROME_WIN =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

interface SprayRound {
  ip: string;
  place: Place;
  asn: number;
  startHour: number;
  clientAppUsed: string;
  userAgent: string;
  app: App;
  resource: Resource;
  protocol: string;
  attempts: (i: number) => number;
}

const SPRAY_ROUNDS: SprayRound[] = [
  {
    ip: "192.0.2.41",
    place: PLACES.hanoi,
    asn: 45899,
    startHour: 2,
    clientAppUsed: "Browser",
    userAgent: CHROME_WIN,
    app: APPS.officeHome,
    resource: RESOURCES.officeHome,
    protocol: "none",
    attempts: () => 1,
  },
  {
    ip: "192.0.2.87",
    place: PLACES.moscow,
    asn: 48282,
    startHour: 2.9,
    clientAppUsed: "IMAP4",
    userAgent: "",
    app: APPS.exchange,
    resource: RESOURCES.exchange,
    protocol: "none",
    attempts: () => 2,
  },
  {
    ip: "192.0.2.133",
    place: PLACES.lagos,
    asn: 37148,
    startHour: 4.6,
    clientAppUsed: "Other clients",
    userAgent: "BAV2ROPC",
    app: APPS.exchange,
    resource: RESOURCES.exchange,
    protocol: "ropc",
    attempts: (i) => 1 + (i % 3),
  },
];

const MALICIOUS = [
  { ip: "192.0.2.201", place: PLACES.shenzhen, asn: 4134, users: [6, 10, 16] },
  { ip: "192.0.2.202", place: PLACES.tehran, asn: 58224, users: [7, 18] },
];

const POP3 = {
  ip: "198.51.100.210",
  place: PLACES.kyiv,
  asn: 15895,
  users: [4, 7, 10, 16, 18, 22],
  reused: 16,
};
const BRUTE = { ip: "198.51.100.23", place: PLACES.amsterdam, asn: 60781 };
const TRAVEL = { ip: "198.51.100.77", place: PLACES.bucharest, asn: 8708 };
const FATIGUE = { ip: "198.51.100.144", place: PLACES.frankfurt, asn: 24940 };
const NEW_COUNTRY = { ip: "198.51.100.150", place: PLACES.saopaulo, asn: 28573 };

interface RiskyDef {
  user: number;
  hourUtc: number;
  net: Net;
  risk: Risk;
  outcome: Outcome;
  client: (u: User) => Client;
}

const RISKY: RiskyDef[] = [
  {
    user: ROLES.riskyAnonymous,
    hourUtc: 19.3,
    net: { ip: "192.0.2.66", place: null, asn: 60729, named: null },
    risk: {
      during: "medium",
      aggregated: "medium",
      state: "remediated",
      detail: "userPassedMFADrivenByRiskBasedPolicy",
      events: ["anonymizedIPAddress"],
    },
    outcome: { kind: "auth", mfa: "push" },
    client: (u) => browserClient(u.laptop),
  },
  {
    user: ROLES.riskyHigh,
    hourUtc: 3.2,
    net: { ip: "192.0.2.67", place: null, asn: 60729, named: null },
    risk: {
      during: "high",
      aggregated: "high",
      state: "atRisk",
      detail: "none",
      events: ["anonymizedIPAddress", "unfamiliarFeatures"],
    },
    outcome: { kind: "auth", mfa: "none" },
    client: () => unknownClient("Browser", CHROME_WIN, "Windows 10", "Chrome 124.0.0"),
  },
  {
    user: ROLES.riskyMedium,
    hourUtc: 11.7,
    net: { ip: "198.51.100.201", place: PLACES.hochiminh, asn: 7552, named: null },
    risk: {
      during: "medium",
      aggregated: "medium",
      state: "atRisk",
      detail: "none",
      events: ["unfamiliarFeatures"],
    },
    outcome: { kind: "auth", mfa: "timeout" },
    client: () => unknownClient("Browser", CHROME_WIN, "Windows 10", "Chrome 124.0.0"),
  },
  {
    user: ROLES.riskyLow,
    hourUtc: 23.4,
    net: { ip: "198.51.100.202", place: PLACES.newyork, asn: 9009, named: null },
    risk: {
      during: "low",
      aggregated: "low",
      state: "atRisk",
      detail: "none",
      events: ["unfamiliarFeatures"],
    },
    outcome: { kind: "auth", mfa: "push" },
    client: (u) => browserClient(u.laptop),
  },
];

/** Great-circle distance in km. */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
) {
  const r = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * r;
  const dLon = (b.longitude - a.longitude) * r;
  const h = Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * r) * Math.cos(b.latitude * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Documented facts about the planted patterns, for README, tests and notebooks. */
export interface PlantedPatterns {
  window: { start: string; end: string };
  passwordSpray: {
    date: string;
    rounds: {
      ipAddress: string;
      city: string;
      countryOrRegion: string;
      clientAppUsed: string;
      appDisplayName: string;
      userAgent: string;
      users: number;
      attempts: number;
      first: string;
      last: string;
    }[];
    targets: string[];
    failures50126: number;
    lockouts50053: number;
    compromised: { userPrincipalName: string; ipAddress: string; createdDateTime: string; errorCode: 53003 };
  };
  bruteForce: {
    userPrincipalName: string;
    ipAddress: string;
    city: string;
    countryOrRegion: string;
    appDisplayName: string;
    first: string;
    last: string;
    failures50126: number;
    lockouts50053: number;
  };
  maliciousIps: {
    ipAddress: string;
    city: string;
    countryOrRegion: string;
    userPrincipalNames: string[];
    attempts: number;
  }[];
  legacyAuth: {
    habits: { userPrincipalName: string; clientAppUsed: string; schedule: string }[];
    pop3: {
      ipAddress: string;
      city: string;
      countryOrRegion: string;
      date: string;
      userPrincipalNames: string[];
      failures50126: number;
      blocked53003: string;
    };
  };
  impossibleTravel: {
    userPrincipalName: string;
    first: { createdDateTime: string; ipAddress: string; city: string; countryOrRegion: string };
    second: { createdDateTime: string; ipAddress: string; city: string; countryOrRegion: string };
    distanceKm: number;
    minutes: number;
  };
  mfaFatigue: {
    userPrincipalName: string;
    ipAddress: string;
    city: string;
    countryOrRegion: string;
    first: string;
    last: string;
    denials: number;
    approvedAt: string;
  };
  riskySignIns: {
    userPrincipalName: string;
    createdDateTime: string;
    ipAddress: string;
    riskLevelDuringSignIn: string;
    riskEventTypes_v2: string[];
    errorCode: number;
  }[];
  newCountry: {
    userPrincipalName: string;
    createdDateTime: string;
    ipAddress: string;
    city: string;
    countryOrRegion: string;
    homeCountry: string;
  };
  failureSpike: { date: string; userPrincipalNames: string[] };
  travelers: {
    userPrincipalName: string;
    city: string;
    countryOrRegion: string;
    from: string;
    to: string;
    ipAddress: string;
  }[];
  departedUser: { userPrincipalName: string; disabledAt: string };
  newHire: { userPrincipalName: string; firstDay: string };
  /** Complete compromise chains: sign-ins that got in, and the persistence that followed. */
  compromises: CompromiseFacts;
  /** Benign stories that look like attacks: the travelers above, a steady VPN user, new-password typos. */
  lookAlikes: LookAlikeFacts;
  /**
   * Every account an attacker got into: the three chains, the impossible-travel session theft and the MFA
   * fatigue approval (both also followed by persistence in the audits). A triage should rank these first.
   */
  compromisedAccounts: string[];
  /** Accounts with only benign oddities (travelers, VPN user, typist), to rank below the compromised. */
  lookAlikeAccounts: string[];
}

/** Generates the planted records and their description. */
export function planted(ctx: Ctx, seed: number): { records: Timed[]; facts: PlantedPatterns } {
  const { tenant, plan } = ctx;
  const users = tenant.users;
  const u = (i: number) => users[i];
  const records: Timed[] = [];
  const take = (p: Planter) => {
    records.push(...p.b.out);
  };
  const dayStart = (d: number) => d * DAY;

  // 1. Password spray: three rounds over the same 24 accounts, 02:00–06:00 UTC.
  const spray = new Planter(ctx, seed, "spray");
  const failures = new Map<number, number>();
  const rounds: PlantedPatterns["passwordSpray"]["rounds"] = [];
  let sprayFail = 0;
  let sprayLock = 0;
  let compromised: PlantedPatterns["passwordSpray"]["compromised"] | null = null;
  for (const round of SPRAY_ROUNDS) {
    let t = dayStart(plan.sprayDay) + Math.round(round.startHour * 3600);
    const net: Net = { ip: round.ip, place: round.place, asn: round.asn, named: null };
    const client = unknownClient(
      round.clientAppUsed,
      round.userAgent,
      round.clientAppUsed === "Browser" ? "Windows 10" : "",
      round.clientAppUsed === "Browser" ? "Chrome 124.0.0" : "",
    );
    let first = Infinity, last = 0, attempts = 0, targeted = 0;
    for (let i = 0; i < SPRAY_TARGETS; i++) {
      if (i === ROLES.sprayCompromised && round.clientAppUsed === "Other clients") continue;
      targeted++;
      const n = round.attempts(i);
      for (let k = 0; k < n; k++) {
        let outcome: Outcome;
        if (i === ROLES.sprayCompromised && round.clientAppUsed === "IMAP4") {
          // The sprayed password was right; only the legacy-auth block stopped it.
          if (k > 0) break;
          outcome = { kind: "auth", mfa: "none" };
        } else {
          const count = (failures.get(i) ?? 0) + 1;
          failures.set(i, count);
          if (count > SPRAY_LOCKOUT_AFTER) {
            outcome = { kind: "primaryFail", code: 50053, variant: "lockout" };
            sprayLock++;
          } else {
            outcome = { kind: "primaryFail", code: 50126 };
            sprayFail++;
          }
        }
        spray.add({
          identity: identityOf(u(i)),
          app: round.app,
          resource: round.resource,
          net,
          client,
          sec: t,
          interactive: true,
          outcome,
          protocol: round.protocol,
        });
        if (outcome.kind === "auth") {
          compromised = {
            userPrincipalName: u(i).upn,
            ipAddress: round.ip,
            createdDateTime: iso(t),
            errorCode: 53003,
          };
        }
        first = Math.min(first, t);
        last = Math.max(last, t);
        attempts++;
        t += spray.time.int(4, 12);
      }
      t += spray.time.int(45, 110);
    }
    rounds.push({
      ipAddress: round.ip,
      city: round.place.city,
      countryOrRegion: round.place.country,
      clientAppUsed: round.clientAppUsed,
      appDisplayName: round.app.name,
      userAgent: round.userAgent,
      users: targeted,
      attempts,
      first: iso(first),
      last: iso(last),
    });
  }
  take(spray);

  // 2. Brute force on one account from one address.
  const brute = new Planter(ctx, seed, "brute-force");
  const bruteStart = dayStart(plan.bruteForceDay) + 21 * 3600 + 14 * 60;
  let bt = bruteStart;
  const bruteClient = unknownClient("Mobile Apps and Desktop clients", "python-requests/2.32.3");
  for (let k = 0; k < BRUTE_FORCE_FAILURES + BRUTE_FORCE_LOCKED; k++) {
    brute.add({
      identity: identityOf(u(ROLES.bruteForce)),
      app: APPS.aadPowerShell,
      resource: RESOURCES.aad,
      net: { ip: BRUTE.ip, place: BRUTE.place, asn: BRUTE.asn, named: null },
      client: bruteClient,
      sec: bt,
      interactive: true,
      outcome: k < BRUTE_FORCE_FAILURES
        ? { kind: "primaryFail", code: 50126 }
        : { kind: "primaryFail", code: 50053, variant: "lockout" },
      protocol: "ropc",
    });
    if (k < BRUTE_FORCE_FAILURES + BRUTE_FORCE_LOCKED - 1) bt += brute.time.int(18, 32);
  }
  take(brute);

  // 3. Addresses Microsoft knows as malicious: blocked before the password is checked.
  const mal = new Planter(ctx, seed, "malicious");
  const maliciousFacts: PlantedPatterns["maliciousIps"] = [];
  for (const m of MALICIOUS) {
    let count = 0;
    for (const d of [plan.maliciousDay, Math.min(plan.maliciousDay + 1, plan.endDay - 1)]) {
      let t = dayStart(d) + Math.round(mal.time.range(1, 20) * 3600);
      for (const i of m.users) {
        const n = d === plan.maliciousDay ? 2 : 1;
        for (let k = 0; k < n; k++) {
          mal.add({
            identity: identityOf(u(i)),
            app: APPS.officeHome,
            resource: RESOURCES.officeHome,
            net: { ip: m.ip, place: m.place, asn: m.asn, named: null },
            client: unknownClient("Browser", CHROME_WIN, "Windows 10", "Chrome 124.0.0"),
            sec: t,
            interactive: true,
            outcome: { kind: "primaryFail", code: 50053, variant: "malicious" },
          });
          t += mal.time.int(30, 400);
          count++;
        }
      }
    }
    maliciousFacts.push({
      ipAddress: m.ip,
      city: m.place.city,
      countryOrRegion: m.place.country,
      userPrincipalNames: m.users.map((i) => u(i).upn),
      attempts: count,
    });
  }
  take(mal);

  // 4b. POP3 credential stuffing from one address; one reused password hits the legacy block.
  const pop = new Planter(ctx, seed, "pop3");
  let pt = dayStart(plan.pop3Day) + Math.round(13.5 * 3600);
  let popFail = 0;
  for (const i of POP3.users) {
    const reused = i === POP3.reused;
    for (let k = 0; k < 2; k++) {
      const outcome: Outcome = reused && k === 1
        ? { kind: "auth", mfa: "none" }
        : { kind: "primaryFail", code: 50126 };
      if (outcome.kind === "primaryFail") popFail++;
      pop.add({
        identity: identityOf(u(i)),
        app: APPS.exchange,
        resource: RESOURCES.exchange,
        net: { ip: POP3.ip, place: POP3.place, asn: POP3.asn, named: null },
        client: unknownClient("POP3", ""),
        sec: pt,
        interactive: true,
        outcome,
      });
      pt += pop.time.int(6, 40);
    }
  }
  take(pop);

  // 5. Impossible travel: a Chicago success, then a Bucharest success 77 minutes later (stolen session).
  const travel = new Planter(ctx, seed, "impossible-travel");
  const tu = u(ROLES.impossibleTravel);
  const t1 = dayStart(plan.impossibleTravelDay) + 13 * 3600 + 5 * 60 + 12;
  const t2 = t1 + 77 * 60 + 28;
  const chicagoNet: Net = {
    ip: "203.0.113.10",
    place: PLACES.chicago,
    asn: 7018,
    named: "Contoso HQ Chicago",
  };
  interactiveFlow(
    travel.b,
    {
      identity: identityOf(tu),
      app: APPS.officeHome,
      resource: RESOURCES.officeHome,
      net: chicagoNet,
      client: browserClient(tu.laptop),
    },
    t1,
    {},
  );
  const travelNet: Net = { ip: TRAVEL.ip, place: TRAVEL.place, asn: TRAVEL.asn, named: null };
  const travelClient = unknownClient("Browser", CHROME_WIN, "Windows 10", "Chrome 124.0.0");
  travel.add({
    identity: identityOf(tu),
    app: APPS.officeHome,
    resource: RESOURCES.officeHome,
    net: travelNet,
    client: travelClient,
    sec: t2,
    interactive: true,
    outcome: { kind: "auth", mfa: "claim" },
    risk: {
      during: "none",
      aggregated: "medium",
      state: "atRisk",
      detail: "none",
      events: ["unlikelyTravel"],
    },
  });
  for (let k = 1; k <= 3; k++) {
    travel.add({
      identity: identityOf(tu),
      app: APPS.exchange,
      resource: RESOURCES.exchange,
      net: travelNet,
      client: travelClient,
      sec: t2 + k * travel.time.int(300, 900),
      interactive: false,
      outcome: { kind: "auth", mfa: "claim" },
    });
  }
  take(travel);

  // 6. MFA fatigue: 14 declined pushes in ~45 minutes at night, then the tired user approves.
  const fat = new Planter(ctx, seed, "mfa-fatigue");
  const fu = u(ROLES.mfaFatigue);
  let ft = dayStart(plan.mfaFatigueDay) + 6 * 3600 + 10 * 60 + 4;
  const fatigueFirst = ft;
  let fatigueLastDenial = ft;
  const fatigueBase: Base = {
    identity: identityOf(fu),
    app: APPS.officeHome,
    resource: RESOURCES.officeHome,
    net: { ip: FATIGUE.ip, place: FATIGUE.place, asn: FATIGUE.asn, named: null },
    client: unknownClient("Browser", CHROME_WIN, "Windows 10", "Chrome 124.0.0"),
  };
  for (let k = 0; k < MFA_FATIGUE_DENIALS; k++) {
    fat.add({
      ...fatigueBase,
      sec: ft,
      interactive: true,
      outcome: { kind: "auth", mfa: "denied" },
      mfaDelay: 9,
    });
    fatigueLastDenial = ft;
    ft += fat.time.int(150, 230);
  }
  fat.add({
    ...fatigueBase,
    sec: ft,
    interactive: true,
    outcome: { kind: "auth", mfa: "push" },
    mfaDelay: 14,
  });
  const approvedAt = ft;
  take(fat);

  // 7. Risky sign-ins flagged in real time by Identity Protection.
  const risky = new Planter(ctx, seed, "risky");
  const riskyFacts: PlantedPatterns["riskySignIns"] = [];
  RISKY.forEach((r, k) => {
    const ru = u(r.user);
    const sec = dayStart(plan.riskyDays[k]) + Math.round(r.hourUtc * 3600);
    const attempt: Omit<Attempt, "ticks"> = {
      identity: identityOf(ru),
      app: APPS.officeHome,
      resource: RESOURCES.officeHome,
      net: r.net,
      client: r.client(ru),
      sec,
      interactive: true,
      outcome: r.outcome,
      risk: r.risk,
      mfaDelay: 12,
    };
    risky.add(attempt);
    riskyFacts.push({
      userPrincipalName: ru.upn,
      createdDateTime: iso(sec),
      ipAddress: r.net.ip,
      riskLevelDuringSignIn: r.risk.during,
      riskEventTypes_v2: r.risk.events.slice(),
      errorCode: resultCode({ ...attempt, ticks: null }),
    });
  });
  take(risky);

  // 8. A first-ever sign-in from Brazil (the user has no other sign-ins that day).
  const nc = new Planter(ctx, seed, "new-country");
  const nu = u(ROLES.newCountry);
  const ncSec = dayStart(plan.newCountryDay) + 16 * 3600 + 48 * 60 + 31;
  const ncNet: Net = { ip: NEW_COUNTRY.ip, place: NEW_COUNTRY.place, asn: NEW_COUNTRY.asn, named: null };
  interactiveFlow(
    nc.b,
    {
      identity: identityOf(nu),
      app: APPS.officeHome,
      resource: RESOURCES.officeHome,
      net: ncNet,
      client: browserClient(nu.laptop),
    },
    ncSec,
    { freshMfa: true },
  );
  const ncSuccess = nc.b.out[nc.b.out.length - 1];
  for (const [k, app] of [APPS.teams, APPS.office].entries()) {
    nc.add({
      identity: identityOf(nu),
      app,
      resource: app === APPS.teams ? RESOURCES.teamsServices : RESOURCES.exchange,
      net: ncNet,
      client: nativeClient(nu.laptop, app),
      sec: ncSec + 120 + k * 240,
      interactive: false,
      outcome: { kind: "auth", mfa: "claim" },
    });
  }
  take(nc);

  const chains = plantCompromises(ctx, seed);
  records.push(...chains.records);

  const spikeUsers = users.filter((x) =>
    x.index % 5 !== 4 &&
    !(x.index === ROLES.departed && plan.departDay < plan.spikeDay) &&
    !(x.index === ROLES.newHire && plan.hireDay > plan.spikeDay)
  );

  const facts: PlantedPatterns = {
    window: { start: iso(plan.startDay * DAY), end: iso(plan.endDay * DAY) },
    passwordSpray: {
      date: dateString(plan.sprayDay),
      rounds,
      targets: users.slice(0, SPRAY_TARGETS).map((x) => x.upn),
      failures50126: sprayFail,
      lockouts50053: sprayLock,
      compromised: compromised!,
    },
    bruteForce: {
      userPrincipalName: u(ROLES.bruteForce).upn,
      ipAddress: BRUTE.ip,
      city: BRUTE.place.city,
      countryOrRegion: BRUTE.place.country,
      appDisplayName: APPS.aadPowerShell.name,
      first: iso(bruteStart),
      last: iso(bt),
      failures50126: BRUTE_FORCE_FAILURES,
      lockouts50053: BRUTE_FORCE_LOCKED,
    },
    maliciousIps: maliciousFacts,
    legacyAuth: {
      habits: [
        {
          userPrincipalName: u(ROLES.legacyActiveSync).upn,
          clientAppUsed: "Exchange ActiveSync",
          schedule: "every weekday, 3–6 attempts 07:00–21:00 local, from the phone's mobile address",
        },
        {
          userPrincipalName: u(ROLES.legacyImap).upn,
          clientAppUsed: "IMAP4",
          schedule: "about 60% of days, 1–2 attempts 18:00–23:00 local, from home",
        },
        {
          userPrincipalName: u(ROLES.legacySmtp).upn,
          clientAppUsed: "Authenticated SMTP",
          schedule: "every weekday, 2–6 attempts 08:00–17:00 local, from the office (a scanner)",
        },
      ],
      pop3: {
        ipAddress: POP3.ip,
        city: POP3.place.city,
        countryOrRegion: POP3.place.country,
        date: dateString(plan.pop3Day),
        userPrincipalNames: POP3.users.map((i) => u(i).upn),
        failures50126: popFail,
        blocked53003: u(POP3.reused).upn,
      },
    },
    impossibleTravel: {
      userPrincipalName: tu.upn,
      first: { createdDateTime: iso(t1), ipAddress: chicagoNet.ip, city: "Chicago", countryOrRegion: "US" },
      second: {
        createdDateTime: iso(t2),
        ipAddress: TRAVEL.ip,
        city: TRAVEL.place.city,
        countryOrRegion: TRAVEL.place.country,
      },
      distanceKm: Math.round(distanceKm(PLACES.chicago, TRAVEL.place)),
      minutes: Math.round((t2 - t1) / 60),
    },
    mfaFatigue: {
      userPrincipalName: fu.upn,
      ipAddress: FATIGUE.ip,
      city: FATIGUE.place.city,
      countryOrRegion: FATIGUE.place.country,
      first: iso(fatigueFirst),
      last: iso(fatigueLastDenial),
      denials: MFA_FATIGUE_DENIALS,
      approvedAt: iso(approvedAt),
    },
    riskySignIns: riskyFacts,
    newCountry: {
      userPrincipalName: nu.upn,
      createdDateTime: iso(ncSuccess.sec),
      ipAddress: NEW_COUNTRY.ip,
      city: NEW_COUNTRY.place.city,
      countryOrRegion: NEW_COUNTRY.place.country,
      homeCountry: nu.home.country,
    },
    failureSpike: { date: dateString(plan.spikeDay), userPrincipalNames: spikeUsers.map((x) => x.upn) },
    travelers: plan.trips.map((t) => ({
      userPrincipalName: u(t.user).upn,
      city: t.dest.city,
      countryOrRegion: t.dest.country,
      from: dateString(t.fromDay),
      to: dateString(t.toDay),
      ipAddress: t.hotelIp,
    })),
    departedUser: { userPrincipalName: u(ROLES.departed).upn, disabledAt: iso(plan.disableSec) },
    newHire: { userPrincipalName: u(ROLES.newHire).upn, firstDay: dateString(plan.hireDay) },
    compromises: chains.compromises,
    lookAlikes: chains.lookAlikes,
    compromisedAccounts: [
      chains.compromises.sprayWorked.userPrincipalName,
      chains.compromises.sessionReplay.userPrincipalName,
      chains.compromises.deviceCode.userPrincipalName,
      tu.upn,
      fu.upn,
    ],
    lookAlikeAccounts: [
      ...plan.trips.map((t) => u(t.user).upn),
      chains.lookAlikes.consumerVpn.userPrincipalName,
      chains.lookAlikes.newPasswordTypos.userPrincipalName,
    ],
  };
  return { records, facts };
}

/**
 * The planted patterns of a sample tenant, with exact users, addresses and times.
 *
 * @example
 * ```ts
 * const p = plantedPatterns({ seed: 1 });
 * console.log(p.bruteForce.ipAddress); // "198.51.100.23"
 * ```
 */
export function plantedPatterns(opts: SampleOptions = {}): PlantedPatterns {
  const r = resolveOptions(opts);
  const ctx: Ctx = { tenant: buildTenant(r), plan: makePlan(r) };
  return planted(ctx, r.seed).facts;
}
