import assert from "node:assert/strict";
import { PLACES } from "../../lib/sample/catalog.ts";
import {
  epochDayOf,
  graphTimestamp,
  isoWeekday,
  localToUtc,
  parseInstant,
  utcOffset,
} from "../../lib/sample/time.ts";

const at = (iso: string) => Date.parse(iso) / 1000;

Deno.test("utcOffset() follows US daylight time, which ends on 2026-11-01 at 02:00 local", () => {
  const z = PLACES.chicago.zone;
  assert.equal(utcOffset(z, at("2026-10-31T12:00:00Z")), -5);
  assert.equal(utcOffset(z, at("2026-11-01T06:59:59Z")), -5);
  assert.equal(utcOffset(z, at("2026-11-01T07:00:00Z")), -6);
  assert.equal(utcOffset(z, at("2026-03-08T07:59:59Z")), -6);
  assert.equal(utcOffset(z, at("2026-03-08T08:00:00Z")), -5);
});

Deno.test("utcOffset() follows EU summer time, which ends on 2026-10-25 at 01:00 UTC", () => {
  assert.equal(utcOffset(PLACES.london.zone, at("2026-10-25T00:59:59Z")), 1);
  assert.equal(utcOffset(PLACES.london.zone, at("2026-10-25T01:00:00Z")), 0);
  assert.equal(utcOffset(PLACES.berlin.zone, at("2026-07-01T00:00:00Z")), 2);
  assert.equal(utcOffset(PLACES.tokyo.zone, at("2026-07-01T00:00:00Z")), 9);
  assert.equal(utcOffset(PLACES.tehran.zone, at("2026-07-01T00:00:00Z")), 3.5);
});

Deno.test("localToUtc() maps a Seattle morning to UTC across the daylight-time change", () => {
  const z = PLACES.seattle.zone;
  assert.equal(localToUtc(z, epochDayOf(2026, 10, 30), 9), at("2026-10-30T16:00:00Z"));
  assert.equal(localToUtc(z, epochDayOf(2026, 11, 2), 9), at("2026-11-02T17:00:00Z"));
});

Deno.test("isoWeekday() numbers Monday 1 to Sunday 7", () => {
  assert.equal(isoWeekday(epochDayOf(2026, 10, 19)), 1);
  assert.equal(isoWeekday(epochDayOf(2026, 11, 1)), 7);
  assert.equal(isoWeekday(epochDayOf(1970, 1, 1)), 4);
});

Deno.test("graphTimestamp() writes whole seconds or seven fractional digits", () => {
  assert.equal(graphTimestamp(at("2026-10-14T08:12:33Z"), null), "2026-10-14T08:12:33Z");
  assert.equal(graphTimestamp(at("2026-10-14T08:12:33Z"), 1234567), "2026-10-14T08:12:33.1234567Z");
  assert.equal(graphTimestamp(at("2026-10-14T00:00:00Z"), 42), "2026-10-14T00:00:00.0000042Z");
});

Deno.test("parseInstant() accepts ISO dates and instants and rejects other text", () => {
  assert.equal(parseInstant("2026-11-01"), at("2026-11-01T00:00:00Z"));
  assert.equal(parseInstant("2026-11-01T00:00:00Z"), at("2026-11-01T00:00:00Z"));
  assert.equal(parseInstant("2026-11-01T02:00:00+02:00"), at("2026-11-01T00:00:00Z"));
  assert.ok(Number.isNaN(parseInstant("yesterday")));
  assert.ok(Number.isNaN(parseInstant("2026-13-45")));
});
