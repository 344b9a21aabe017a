/**
 * Where in the window each planted pattern sits. Positions are fractions of the window so that any
 * window length (7 days or more) carries every pattern; they do not depend on the seed.
 */

import { type Place, PLACES } from "./catalog.ts";
import { ROLES } from "./tenant.ts";
import { isoWeekday, localToUtc } from "./time.ts";
import type { ResolvedOptions } from "./types.ts";

export interface Trip {
  user: number;
  dest: Place;
  /** First and last (inclusive) local day away. */
  fromDay: number;
  toDay: number;
  hotelIp: string;
  asn: number;
}

export interface Plan {
  startDay: number;
  endDay: number;
  sprayDay: number;
  bruteForceDay: number;
  maliciousDay: number;
  impossibleTravelDay: number;
  mfaFatigueDay: number;
  riskyDays: [number, number, number, number];
  newCountryDay: number;
  pop3Day: number;
  /** Compromise chains: a spray whose password worked, a session-cookie replay, a device-code phish. */
  sprayWorkedDay: number;
  replayDay: number;
  deviceCodeDay: number;
  /** Look-alike: a user mistypes a freshly changed password several times, then signs in from home. */
  typoDay: number;
  /** Monday of the failure spike (password rotation). */
  spikeDay: number;
  /** Local day the departed user is disabled, and the UTC second it happens. */
  departDay: number;
  disableSec: number;
  /** Monday the new hire starts. */
  hireDay: number;
  trips: Trip[];
}

function dayAt(o: ResolvedOptions, f: number): number {
  return o.startDay + Math.min(o.days - 1, Math.max(0, Math.round(f * o.days)));
}

function mondayAtOrAfter(o: ResolvedOptions, day: number): number {
  let d = day;
  while (isoWeekday(d) !== 1) d++;
  if (d >= o.endDay) d -= 7;
  return Math.max(d, o.startDay);
}

export function makePlan(o: ResolvedOptions): Plan {
  const departDay = dayAt(o, 0.45);
  const departed = PLACES.seattle; // HOME_PLAN[23 % 20]
  const trip = (user: number, dest: Place, f: number, nights: number, ip: string, asn: number): Trip => {
    const fromDay = dayAt(o, f);
    return { user, dest, fromDay, toDay: Math.min(fromDay + nights, o.endDay - 1), hotelIp: ip, asn };
  };
  return {
    startDay: o.startDay,
    endDay: o.endDay,
    sprayDay: dayAt(o, 0.3),
    bruteForceDay: dayAt(o, 0.5),
    maliciousDay: dayAt(o, 0.62),
    impossibleTravelDay: dayAt(o, 0.4),
    mfaFatigueDay: dayAt(o, 0.77),
    riskyDays: [dayAt(o, 0.2), dayAt(o, 0.45), dayAt(o, 0.66), dayAt(o, 0.85)],
    newCountryDay: dayAt(o, 0.9),
    pop3Day: dayAt(o, 0.7),
    sprayWorkedDay: dayAt(o, 0.34),
    replayDay: dayAt(o, 0.6),
    deviceCodeDay: dayAt(o, 0.82),
    typoDay: dayAt(o, 0.42),
    spikeDay: mondayAtOrAfter(o, dayAt(o, 0.57)),
    departDay,
    disableSec: localToUtc(departed.zone, departDay, 17.5),
    hireDay: mondayAtOrAfter(o, dayAt(o, 0.8)),
    trips: [
      trip(ROLES.travelerLondon, PLACES.london, 0.17, 4, "198.51.100.11", 5089),
      trip(ROLES.travelerTokyo, PLACES.tokyo, 0.52, 5, "198.51.100.12", 2516),
      trip(ROLES.travelerNewYork, PLACES.newyork, 0.72, 3, "198.51.100.13", 701),
    ],
  };
}
