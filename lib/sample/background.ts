/**
 * Ordinary activity: one user's sign-ins on one local day, plus tenant-wide daily noise.
 * Each (seed, user, day) has its own random stream, so days can be generated in any order.
 */

import {
  type App,
  APPS,
  OFFICES,
  type Place,
  PLACES,
  PROVIDER_NETS,
  type Resource,
  RESOURCES,
  TENANT_ID,
} from "./catalog.ts";
import { browserClient, type Client, legacyClient, nativeClient, unknownClient } from "./clients.ts";
import type { Plan } from "./plan.ts";
import { hashString, Rng } from "./prng.ts";
import { type Attempt, buildSignIn, type Identity, type MfaOutcome, type Net } from "./record.ts";
import { ROLES, type Tenant, type User } from "./tenant.ts";
import { isWeekend, localToUtc, type Zone } from "./time.ts";
import type { SignIn } from "./types.ts";

/**
 * A sign-in attempt placed in time, not yet turned into a record. Records are built only when their day is
 * emitted (with a stream keyed by `key`), which keeps memory small while days are collected and sorted.
 */
export interface Timed {
  sec: number;
  ticks: number;
  attempt: Attempt;
  key: readonly number[];
}

/** Builds the Graph record of a placed attempt; the same attempt always gives the same record. */
export function materialize(tenant: Tenant, t: Timed): SignIn {
  return buildSignIn(tenant, t.attempt, new Rng(...t.key));
}

const H_DAY = hashString("user-day");
const H_TRIP = hashString("trip-arrival");
const H_TENANT = hashString("tenant-day");

const CARRIERS: Record<string, { prefix: string; asn: number }[]> = {
  US: [{ prefix: "2001:db8:a1", asn: 21928 }, { prefix: "2001:db8:a2", asn: 22394 }, {
    prefix: "2001:db8:a3",
    asn: 20057,
  }],
  GB: [{ prefix: "2001:db8:b1", asn: 25135 }, { prefix: "2001:db8:b2", asn: 12576 }],
  CA: [{ prefix: "2001:db8:c1", asn: 812 }],
};

export function identityOf(u: User): Identity {
  return { id: u.id, displayName: u.displayName, upn: u.upn, userType: "member", homeTenantId: TENANT_ID };
}

function officeNet(u: User, rng: Rng): Net {
  const o = OFFICES[u.office!];
  return { ip: rng.pick(o.ips), place: u.home, asn: o.asn, named: o.name };
}

export function homeNet(u: User): Net {
  return { ip: u.homeIp, place: u.home, asn: u.homeAsn, named: null };
}

/** A hosting or VPN provider's address as a sign-in network (geolocated at the provider's data centre). */
export function providerNet(p: (typeof PROVIDER_NETS)[keyof typeof PROVIDER_NETS]): Net {
  return { ip: p.ip, place: PLACES[p.place], asn: p.asn, named: null };
}

/** Where the user's laptop connects from at home: the consumer-VPN user always goes through the same exit. */
function laptopHomeNet(u: User): Net {
  return u.index === ROLES.consumerVpn ? providerNet(PROVIDER_NETS.consumerVpn) : homeNet(u);
}

function mobileNet(u: User, day: number): Net {
  const carriers = CARRIERS[u.home.country] ?? CARRIERS.US;
  const c = carriers[u.index % carriers.length];
  // Carriers hand out a new prefix every few days.
  const lease = Math.floor(day / 3) & 0xffff;
  return {
    ip: `${c.prefix}:${u.index.toString(16)}:${lease.toString(16)}::${(u.index * 7 + 1).toString(16)}`,
    place: u.home,
    asn: c.asn,
    named: null,
  };
}

interface Ctx {
  tenant: Tenant;
  plan: Plan;
}

/** Collects the attempts of a day; flow-level ids come from the day's stream, record ids from `key`. */
class DayBuilder {
  readonly out: Timed[] = [];
  #n = 0;
  /** `fractionRate`: share of records whose timestamp carries Graph's seven fractional digits. */
  constructor(
    readonly tenant: Tenant,
    readonly rng: Rng,
    readonly key: readonly number[],
    readonly fractionRate = 0.3,
  ) {}

  ticks(): number | null {
    return this.fractionRate > 0 && this.rng.chance(this.fractionRate) ? this.rng.int(0, 9_999_999) : null;
  }

  add(a: Omit<Attempt, "ticks"> & { ticks?: number | null }): Timed {
    const attempt: Attempt = { ...a, ticks: a.ticks === undefined ? this.ticks() : a.ticks };
    const t: Timed = { sec: attempt.sec, ticks: attempt.ticks ?? 0, attempt, key: [...this.key, this.#n++] };
    this.out.push(t);
    return t;
  }
}

type Base = Pick<Attempt, "identity" | "app" | "resource" | "net" | "client">;

export interface FlowOptions {
  typo?: boolean;
  kmsi?: boolean;
  freshMfa?: boolean;
  mfaTimeoutFirst?: boolean;
  ssoMiss?: boolean;
  passwordExpired?: number;
  enrollMfa?: boolean;
}

/** An interactive sign-in flow as Entra logs it: optional interrupts and retries, then the result. */
function interactiveFlow(b: DayBuilder, base: Base, sec: number, f: FlowOptions): void {
  const rng = b.rng;
  const correlationId = rng.guid();
  const rid = rng.requestId();
  let t = sec;
  let first = true;
  const next = (extra: Partial<Attempt>, outcome: Attempt["outcome"]) => {
    b.add({
      ...base,
      sec: t,
      interactive: true,
      outcome,
      correlationId,
      requestId: first ? rid : undefined,
      originalRequestId: rid,
      ...extra,
    });
    first = false;
    t += rng.int(4, 25);
  };
  if (f.ssoMiss) next({}, { kind: "interrupt", code: 50058 });
  if (f.passwordExpired) {
    next({}, { kind: "interrupt", code: 50055 });
    t += rng.int(40, 120);
    for (let i = 0; i < f.passwordExpired; i++) next({}, { kind: "primaryFail", code: 50126 });
  }
  if (f.typo) next({}, { kind: "primaryFail", code: 50126 });
  if (f.enrollMfa) {
    next({}, { kind: "interrupt", code: 50072 });
    t += rng.int(120, 300);
  }
  let mfa: MfaOutcome = "claim";
  if (f.mfaTimeoutFirst) {
    next({ mfaDelay: 60 }, { kind: "auth", mfa: "timeout" });
    t += rng.int(20, 90);
    mfa = "push";
  }
  if (f.freshMfa || f.passwordExpired || f.enrollMfa) {
    if (!f.mfaTimeoutFirst) next({}, { kind: "auth", mfa: "none" });
    mfa = "push";
  }
  if (f.kmsi) next({}, { kind: "interrupt", code: 50140 });
  next({ mfaDelay: mfa === "push" ? rng.int(5, 20) : undefined }, { kind: "auth", mfa });
}

function nonInteractive(b: DayBuilder, base: Base, sec: number): void {
  b.add({ ...base, sec, interactive: false, outcome: { kind: "auth", mfa: "claim" } });
}

interface Spot {
  place: Place;
  zone: Zone;
  net: (rng: Rng) => Net;
  phoneNet: Net | null;
}

function laptopApps(u: User): { app: App; resource: Resource }[] {
  const win = u.laptop.kind === "win11" || u.laptop.kind === "win10";
  const apps = [
    { app: APPS.teams, resource: RESOURCES.teamsServices },
    { app: APPS.teams, resource: RESOURCES.skype },
    { app: APPS.office, resource: RESOURCES.exchange },
    { app: APPS.edge, resource: RESOURCES.graph },
  ];
  if (win || u.laptop.kind === "mac") apps.push({ app: APPS.oneDriveSync, resource: RESOURCES.sharePoint });
  if (win) apps.push({ app: APPS.windowsSignIn, resource: RESOURCES.aad });
  return apps;
}

function browserTarget(u: User, rng: Rng): { app: App; resource: Resource } {
  const admin = u.job === "admin" || u.job === "engineer";
  const r = rng.next();
  if (admin && r < 0.3) return { app: APPS.azurePortal, resource: RESOURCES.azureManagement };
  if (r < 0.55) return { app: APPS.officeHome, resource: RESOURCES.officeHome };
  if (r < 0.8) return { app: APPS.sharePoint, resource: RESOURCES.sharePoint };
  if (r < 0.95) return { app: APPS.teamsWeb, resource: RESOURCES.teamsServices };
  return { app: APPS.mySignins, resource: RESOURCES.aad };
}

/** All of one user's ordinary sign-ins on one local calendar day. */
export function userDay(ctx: Ctx, u: User, day: number, seed: number): Timed[] {
  const { plan, tenant } = ctx;
  const rng = new Rng(seed, H_DAY, u.index, day);
  const b = new DayBuilder(tenant, rng, [seed, H_DAY + 1, u.index, day]);
  const id = identityOf(u);

  if (u.index === ROLES.newHire && day < plan.hireDay) return b.out;
  if (u.index === ROLES.newCountry && day === plan.newCountryDay) return b.out;
  if (u.index === ROLES.riskyLow && day === plan.riskyDays[3]) return b.out;
  if (u.index === ROLES.departed && day > plan.departDay) {
    departedDay(b, u, day);
    return b.out;
  }

  // Travel days (the local day before the first day away and after the last) have no sign-ins, so the
  // trips stay at airliner speed; the password-rotation Monday wins if one falls on a travel day.
  const flying = plan.trips.some((t) => t.user === u.index && (day === t.fromDay - 1 || day === t.toDay + 1));
  if (flying && day !== plan.spikeDay) return b.out;
  const trip = plan.trips.find((t) => t.user === u.index && day >= t.fromDay && day <= t.toDay);
  const weekend = isWeekend(day);
  const spot: Spot = trip
    ? {
      place: trip.dest,
      zone: trip.dest.zone,
      net: () => ({ ip: trip.hotelIp, place: trip.dest, asn: trip.asn, named: null }),
      phoneNet: { ip: trip.hotelIp, place: trip.dest, asn: trip.asn, named: null },
    }
    : {
      place: u.home,
      zone: u.home.zone,
      net: () => laptopHomeNet(u),
      phoneNet: u.phone ? mobileNet(u, day) : null,
    };
  const spike = day === plan.spikeDay && u.index % 5 !== 4 &&
    !(u.index === ROLES.departed && plan.departDay < day) &&
    !(u.index === ROLES.newHire && plan.hireDay > day);
  const firstDay = u.index === ROLES.newHire && day === plan.hireDay;
  // A business trip is work every day, weekends included: the hotel address must carry enough sign-ins to
  // look like the traveler's (the sample's tests and first_seen rely on it), whatever the draws.
  const works = spike || firstDay || trip !== undefined ||
    (weekend ? rng.chance(u.weekendRate) : rng.chance(0.93));

  if (works) {
    const inOffice = !trip && u.office !== null && !weekend && rng.chance(u.officeRate);
    const officeOrSpot = inOffice ? officeNet(u, rng) : spot.net(rng);
    const net = u.index === ROLES.consumerVpn ? laptopHomeNet(u) : officeOrSpot;
    const start = weekend ? rng.range(9.5, 15) : rng.normal(u.startHour, 0.35);
    const length = weekend ? rng.range(0.6, 3) : rng.normal(u.dayLength, 0.5);
    const at = (h: number) => localToUtc(spot.zone, day, h);
    const startSec = at(start);
    const laptopBase = (app: App, resource: Resource, client: Client): Base => ({
      identity: id,
      app,
      resource,
      net,
      client,
    });
    const win = u.laptop.kind === "win11" || u.laptop.kind === "win10";
    const browser = browserClient(u.laptop);

    // The day opens with the device unlock (Windows) or the first browser sign-in.
    if (win) {
      b.add({
        ...laptopBase(APPS.windowsSignIn, RESOURCES.aad, nativeClient(u.laptop, APPS.windowsSignIn)),
        sec: startSec,
        interactive: true,
        outcome: { kind: "auth", mfa: "claim" },
      });
    }
    if (spike) {
      interactiveFlow(
        b,
        laptopBase(APPS.officeHome, RESOURCES.officeHome, browser),
        startSec + rng.int(60, 600),
        {
          passwordExpired: rng.int(2, 4),
        },
      );
    }
    if (firstDay) {
      interactiveFlow(
        b,
        laptopBase(APPS.officeHome, RESOURCES.officeHome, browser),
        startSec + rng.int(60, 300),
        {
          enrollMfa: true,
        },
      );
    }

    const interactiveCount = weekend ? rng.int(1, 2) : rng.int(2, 5);
    for (let i = 0; i < interactiveCount; i++) {
      const sec = at(start + rng.range(0.05, Math.max(0.2, length)));
      const nativeRoll = rng.next();
      if (nativeRoll < 0.2) {
        const app = rng.chance(0.5) ? APPS.teams : APPS.office;
        const resource = app === APPS.teams ? RESOURCES.teamsServices : RESOURCES.exchange;
        interactiveFlow(b, laptopBase(app, resource, nativeClient(u.laptop, app)), sec, {
          typo: rng.chance(0.01),
        });
      } else if (nativeRoll < 0.27 && (u.job === "engineer" || u.job === "admin")) {
        const app = rng.chance(0.6) ? APPS.azureCli : APPS.vsCode;
        const resource = app === APPS.azureCli ? RESOURCES.azureManagement : RESOURCES.graph;
        interactiveFlow(b, laptopBase(app, resource, nativeClient(u.laptop, app)), sec, {
          freshMfa: rng.chance(0.3),
        });
      } else {
        const target = browserTarget(u, rng);
        interactiveFlow(b, laptopBase(target.app, target.resource, browser), sec, {
          typo: rng.chance(0.025),
          freshMfa: i === 0 && rng.chance(0.25) || (!u.laptop.isManaged && rng.chance(0.5)),
          kmsi: rng.chance(0.1),
          ssoMiss: rng.chance(0.04),
          mfaTimeoutFirst: rng.chance(0.012),
        });
      }
    }

    // Token refreshes by the desktop apps through the working day.
    const apps = laptopApps(u);
    const refreshes = Math.round(rng.int(7, 15) * Math.min(1, length / 8.5));
    for (let i = 0; i < refreshes; i++) {
      const { app, resource } = rng.pick(apps);
      const sec = at(start + rng.range(-0.1, length + 0.3));
      nonInteractive(b, laptopBase(app, resource, nativeClient(u.laptop, app)), sec);
    }
  }

  if (u.phone && spot.phoneNet && (works || rng.chance(0.5))) {
    const phoneEvents = works ? rng.int(1, 4) : rng.int(1, 3);
    for (let i = 0; i < phoneEvents; i++) {
      const h = works ? rng.range(7, 22) : rng.range(9, 21);
      const sec = localToUtc(spot.zone, day, h);
      const roll = rng.next();
      if (roll >= 0.9) {
        // Now and then a link opened in the phone's browser.
        interactiveFlow(
          b,
          {
            identity: id,
            app: APPS.officeHome,
            resource: RESOURCES.officeHome,
            net: spot.phoneNet,
            client: browserClient(u.phone),
          },
          sec,
          { kmsi: rng.chance(0.3) },
        );
        continue;
      }
      const app = roll < 0.4 ? APPS.outlookMobile : roll < 0.75 ? APPS.teams : APPS.broker;
      const resource = app === APPS.outlookMobile
        ? RESOURCES.exchange
        : app === APPS.teams
        ? RESOURCES.teamsServices
        : RESOURCES.graph;
      const base: Base = {
        identity: id,
        app,
        resource,
        net: spot.phoneNet,
        client: nativeClient(u.phone, app),
      };
      if (rng.chance(0.15)) interactiveFlow(b, base, sec, { freshMfa: rng.chance(0.2) });
      else nonInteractive(b, base, sec);
    }
  }

  if (trip && day === trip.fromDay) {
    // Arrival: the laptop signs in from the hotel and Conditional Access asks for MFA, which the user does.
    // Nothing from the hotel comes before it (the traveler is still in the air), so the first sign-in from
    // the new country is the one with MFA, as a real arrival looks.
    const arrivalSec = localToUtc(trip.dest.zone, day, 7.6);
    // A minute's margin: the arrival's MFA prompt takes some seconds to answer.
    const later = b.out.filter((t) => t.sec >= arrivalSec + 60);
    b.out.splice(0, b.out.length, ...later);
    const arrival = new DayBuilder(tenant, new Rng(seed, H_TRIP, u.index, day), [
      seed,
      H_TRIP + 1,
      u.index,
      day,
    ]);
    interactiveFlow(
      arrival,
      {
        identity: id,
        app: APPS.officeHome,
        resource: RESOURCES.officeHome,
        net: { ip: trip.hotelIp, place: trip.dest, asn: trip.asn, named: null },
        client: browserClient(u.laptop),
      },
      arrivalSec,
      { freshMfa: true },
    );
    b.out.push(...arrival.out);
  }

  legacyHabits(b, u, day);

  if (u.index === ROLES.departed && day === plan.departDay) {
    // After the account is disabled the phone keeps trying with its cached token.
    const kept = b.out.filter((t) => t.sec < plan.disableSec);
    b.out.length = 0;
    b.out.push(...kept);
    if (u.phone) {
      for (let h = 18; h <= 22; h += 2) {
        b.add({
          identity: id,
          app: APPS.outlookMobile,
          resource: RESOURCES.exchange,
          net: mobileNet(u, day),
          client: nativeClient(u.phone, APPS.outlookMobile),
          sec: localToUtc(u.home.zone, day, h + rng.range(0, 0.5)),
          interactive: false,
          outcome: { kind: "primaryFail", code: 50057 },
        });
      }
    }
  }
  return b.out;
}

/** Sign-ins of the departed user after the account was disabled: all 50057. */
function departedDay(b: DayBuilder, u: User, day: number): void {
  const rng = b.rng;
  const id = identityOf(u);
  if (u.phone) {
    for (let h = 7 + rng.range(0, 1.5); h < 22; h += rng.range(1.5, 3)) {
      b.add({
        identity: id,
        app: APPS.outlookMobile,
        resource: RESOURCES.exchange,
        net: mobileNet(u, day),
        client: nativeClient(u.phone, APPS.outlookMobile),
        sec: localToUtc(u.home.zone, day, h),
        interactive: false,
        outcome: { kind: "primaryFail", code: 50057 },
      });
    }
  }
}

/** Users whose old mail clients still speak legacy protocols; Conditional Access blocks them (53003). */
function legacyHabits(b: DayBuilder, u: User, day: number): void {
  const rng = b.rng;
  const id = identityOf(u);
  const weekend = isWeekend(day);
  const attempt = (client: Client, net: Net, h: number) =>
    b.add({
      identity: id,
      app: APPS.exchange,
      resource: RESOURCES.exchange,
      net,
      client,
      sec: localToUtc(u.home.zone, day, h),
      interactive: true,
      outcome: { kind: "auth", mfa: "none" },
    });
  if (u.index === ROLES.legacyActiveSync && !weekend) {
    const client = legacyClient("Exchange ActiveSync", "Android-SAMSUNG-SM-S928B/101.100", "Android");
    const n = rng.int(3, 6);
    for (let i = 0; i < n; i++) attempt(client, mobileNet(u, day), rng.range(7, 21));
  }
  if (u.index === ROLES.legacyImap && rng.chance(0.6)) {
    const n = rng.int(1, 2);
    for (let i = 0; i < n; i++) attempt(legacyClient("IMAP4", ""), homeNet(u), rng.range(18, 23));
  }
  if (u.index === ROLES.legacySmtp && !weekend) {
    const n = rng.int(2, 6);
    const office = OFFICES[u.office ?? "chicago"];
    const net: Net = { ip: office.ips[0], place: u.home, asn: office.asn, named: office.name };
    for (let i = 0; i < n; i++) attempt(legacyClient("Authenticated SMTP", ""), net, rng.range(8, 17));
  }
}

const PARTNERS = [
  {
    upn: "j.morales@fabrikam.example",
    name: "Javier Morales",
    tenant: "2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b",
  },
  { upn: "s.okoye@northwind.example", name: "Sade Okoye", tenant: "8c7b6a59-4d3e-4f2a-9b1c-0d9e8f7a6b5c" },
  {
    upn: "kai.lindgren@tailspin.example",
    name: "Kai Lindgren",
    tenant: "4e3d2c1b-0a9f-4e8d-b7c6-5a4f3e2d1c0b",
  },
];

/** Tenant-wide noise: partners without a guest account (90072), consent prompts (65001). */
export function tenantDay(ctx: Ctx, day: number, seed: number): Timed[] {
  const rng = new Rng(seed, H_TENANT, day);
  const b = new DayBuilder(ctx.tenant, rng, [seed, H_TENANT + 1, day]);
  if (isWeekend(day)) return b.out;
  if (rng.chance(0.3)) {
    const p = rng.pick(PARTNERS);
    const identity: Identity = {
      id: new Rng(hashString(p.upn)).guid(),
      displayName: p.name,
      upn: p.upn,
      userType: "guest",
      homeTenantId: p.tenant,
    };
    const net: Net = {
      ip: `198.51.100.${60 + PARTNERS.indexOf(p)}`,
      place: PLACES.newyork,
      asn: 3356,
      named: null,
    };
    const client = unknownClient(
      "Browser",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/152.0.0.0 Safari/537.36",
      "Windows 10",
      "Chrome 152.0.0",
    );
    const n = rng.int(1, 2);
    let sec = localToUtc(PLACES.newyork.zone, day, rng.range(9, 17));
    for (let i = 0; i < n; i++) {
      b.add({
        identity,
        app: APPS.sharePoint,
        resource: RESOURCES.sharePoint,
        net,
        client,
        sec,
        interactive: true,
        outcome: { kind: "primaryFail", code: 90072 },
      });
      sec += rng.int(20, 120);
    }
  }
  const engineers = ctx.tenant.users.filter((u) =>
    u.job === "engineer" && u.index !== ROLES.newHire && u.index !== ROLES.departed
  );
  if (engineers.length > 0 && rng.chance(0.15)) {
    const u = rng.pick(engineers);
    b.add({
      identity: identityOf(u),
      app: APPS.vsCode,
      resource: RESOURCES.graph,
      net: laptopHomeNet(u),
      client: nativeClient(u.laptop, APPS.vsCode),
      sec: localToUtc(u.home.zone, day, rng.range(10, 16)),
      interactive: true,
      outcome: { kind: "interrupt", code: 65001 },
    });
  }
  return b.out;
}

export { DayBuilder, interactiveFlow, mobileNet };
export type { Base, Ctx };
