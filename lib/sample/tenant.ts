/**
 * The sample tenant's directory: users, their homes, working habits and devices.
 * Names, ids and devices depend on the seed; the roles planted patterns use are fixed user indices.
 */

import {
  FIRST_NAMES,
  HOME_PLAN,
  type JobKind,
  LAST_NAMES,
  OFFICES,
  type Place,
  PLACES,
  TENANT_DOMAIN,
} from "./catalog.ts";
import { hashString, Rng } from "./prng.ts";
import type { ResolvedOptions } from "./types.ts";

/** User indices that planted patterns refer to (see README.md). Every tenant has at least 25 users. */
export const ROLES = {
  admin: 0,
  consumerVpn: 1,
  travelerLondon: 2,
  bruteForce: 3,
  newPasswordTypos: 4,
  impossibleTravel: 5,
  sprayCompromised: 6,
  sessionReplay: 7,
  mfaFatigue: 8,
  legacyActiveSync: 9,
  riskyAnonymous: 11,
  legacyImap: 12,
  travelerTokyo: 13,
  riskyHigh: 14,
  legacySmtp: 15,
  riskyMedium: 17,
  deviceCodePhish: 18,
  travelerNewYork: 19,
  riskyLow: 20,
  newCountry: 21,
  sprayWorked: 22,
  departed: 23,
  newHire: 24,
} as const;

/** Broadband providers by country (one pick per user, so the PRNG stream is the same for every list). */
const HOME_ASNS: Record<string, readonly number[]> = {
  US: [7922, 7018, 701, 20115, 22773, 209],
  GB: [2856, 5607, 5089, 13285],
  CA: [577, 812, 852],
};

export type DeviceKind = "win11" | "win10" | "mac" | "linux" | "iphone" | "android";

export interface Device {
  kind: DeviceKind;
  deviceId: string;
  displayName: string;
  operatingSystem: string;
  isCompliant: boolean;
  isManaged: boolean;
  trustType: string;
  /** Browser family used on this device: "Edge", "Chrome", "Safari", "Firefox", "Mobile Safari". */
  browser: string;
  /** Major browser version, fixed per device for the window (auto-update is not modelled). */
  browserVersion: number;
}

export interface User {
  index: number;
  id: string;
  displayName: string;
  upn: string;
  home: Place;
  /** Office key when the user's home city has an office, else null (remote worker). */
  office: string | null;
  job: JobKind;
  /** Usual start of the working day, local hours. */
  startHour: number;
  /** Usual working-day length in hours. */
  dayLength: number;
  /** Chance of working on a weekend day. */
  weekendRate: number;
  /** Chance of being in the office on a working weekday (office users only). */
  officeRate: number;
  laptop: Device;
  phone: Device | null;
  /** Home broadband address and its autonomous system. */
  homeIp: string;
  homeAsn: number;
}

export interface Tenant {
  opts: ResolvedOptions;
  users: User[];
  /** Tenant-specific service principal object ids, keyed by app/resource id. */
  servicePrincipalIds: Map<string, string>;
}

function device(rng: Rng, kind: DeviceKind, owner: string, n: number): Device {
  const deviceId = rng.guid();
  switch (kind) {
    case "win11":
    case "win10":
      return {
        kind,
        deviceId,
        displayName: `CONTOSO-LT-${String(1000 + n).padStart(4, "0")}`,
        operatingSystem: kind === "win11" ? "Windows 11" : "Windows 10",
        isCompliant: rng.chance(0.96),
        isManaged: true,
        trustType: rng.chance(0.7) ? "Azure AD joined" : "Hybrid Azure AD joined",
        browser: rng.chance(0.75) ? "Edge" : "Chrome",
        browserVersion: rng.int(150, 154),
      };
    case "mac":
      return {
        kind,
        deviceId,
        displayName: `${owner}'s MacBook Pro`,
        operatingSystem: "MacOs",
        isCompliant: rng.chance(0.9),
        isManaged: true,
        trustType: "Azure AD registered",
        browser: rng.chance(0.6) ? "Safari" : "Chrome",
        browserVersion: rng.int(150, 154),
      };
    case "linux":
      return {
        kind,
        deviceId: "",
        displayName: "",
        operatingSystem: "Linux",
        isCompliant: false,
        isManaged: false,
        trustType: "",
        browser: rng.chance(0.6) ? "Firefox" : "Chrome",
        browserVersion: rng.int(150, 156),
      };
    case "iphone":
      return {
        kind,
        deviceId,
        displayName: `${owner}'s iPhone`,
        operatingSystem: "Ios",
        isCompliant: rng.chance(0.95),
        isManaged: true,
        trustType: "Azure AD registered",
        browser: "Mobile Safari",
        browserVersion: 26,
      };
    case "android":
      return {
        kind,
        deviceId,
        displayName: rng.pick(["SM-S928B", "Pixel 9", "SM-A556B", "Pixel 8a"]),
        operatingSystem: "Android",
        isCompliant: rng.chance(0.93),
        isManaged: true,
        trustType: "Azure AD registered",
        browser: "Chrome Mobile",
        browserVersion: rng.int(150, 154),
      };
  }
}

function names(seed: number, count: number): { first: string; last: string }[] {
  const rng = new Rng(seed, hashString("names"));
  const firsts = rng.shuffle(FIRST_NAMES);
  const lasts = rng.shuffle(LAST_NAMES);
  const out: { first: string; last: string }[] = [];
  // Walk the first×last grid diagonally so early users get distinct first and last names.
  const grid = firsts.length * lasts.length;
  for (let i = 0; i < count; i++) {
    const k = i % grid;
    const first = firsts[k % firsts.length];
    const last = lasts[(k + Math.floor(k / firsts.length)) % lasts.length];
    const round = Math.floor(i / grid);
    out.push({ first, last: round === 0 ? last : `${last}${round + 1}` });
  }
  return out;
}

/** Builds the tenant directory for resolved options. Pure: same options, same tenant. */
export function buildTenant(opts: ResolvedOptions): Tenant {
  const people = names(opts.seed, opts.users);
  const users: User[] = [];
  for (let i = 0; i < opts.users; i++) {
    const rng = new Rng(opts.seed, hashString("user"), i);
    const { first, last } = people[i];
    const home = PLACES[HOME_PLAN[i % HOME_PLAN.length]];
    const office = home.key in OFFICES ? home.key : null;
    const job: JobKind = i === ROLES.admin ? "admin" : rng.weighted(
      ["office", "engineer", "sales"] as const,
      [0.6, 0.25, 0.15],
    );
    const id = rng.guid();
    const laptopKind: DeviceKind = i === ROLES.legacyActiveSync
      ? "win11"
      : job === "engineer"
      ? rng.weighted(["win11", "mac", "linux"] as const, [0.45, 0.35, 0.2])
      : rng.weighted(["win11", "win10", "mac"] as const, [0.55, 0.27, 0.18]);
    const phoneKind: DeviceKind | null = i === ROLES.legacyActiveSync
      ? "android"
      : rng.weighted(["iphone", "android", null] as const, [0.55, 0.4, 0.05]);
    const laptop = device(rng, laptopKind, first, i);
    const phone = phoneKind === null ? null : device(rng, phoneKind, first, i);
    users.push({
      index: i,
      id,
      displayName: `${first} ${last}`,
      upn: `${first}.${last}@${TENANT_DOMAIN}`.toLowerCase(),
      home,
      office,
      job,
      startHour: rng.range(7.25, 9.5),
      dayLength: rng.range(7.75, 9.5),
      weekendRate: rng.chance(0.25) ? rng.range(0.15, 0.35) : rng.range(0.01, 0.08),
      officeRate: office ? rng.range(0.4, 0.85) : 0,
      laptop,
      phone,
      homeIp: i < 140 ? `203.0.113.${100 + i}` : `2001:db8:1:${(i - 140).toString(16)}::1`,
      homeAsn: rng.pick(HOME_ASNS[home.country] ?? HOME_ASNS.US),
    });
  }
  return { opts, users, servicePrincipalIds: new Map() };
}

/** The tenant's object id for a first-party service principal (stable per tenant, independent of seed). */
export function servicePrincipalId(tenant: Tenant, appId: string): string {
  let id = tenant.servicePrincipalIds.get(appId);
  if (id === undefined) {
    id = new Rng(hashString("sp:" + appId)).guid();
    tenant.servicePrincipalIds.set(appId, id);
  }
  return id;
}
