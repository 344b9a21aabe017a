import assert from "node:assert/strict";
import { parseAthenaValue, parseNested } from "../../lib/athena/athena_values.ts";

Deno.test("parseAthenaValue() maps a missing VarCharValue to null whatever the type", () => {
  for (const t of ["varchar", "bigint", "double", "date", "timestamp with time zone", "array", "boolean"]) {
    assert.equal(parseAthenaValue(undefined, t), null);
  }
});

Deno.test("parseAthenaValue() reads integers as numbers, beyond 2^53 as strings", () => {
  assert.equal(parseAthenaValue("42", "bigint"), 42);
  assert.equal(parseAthenaValue("-7", "integer"), -7);
  assert.equal(parseAthenaValue("9007199254740993", "bigint"), "9007199254740993");
});

Deno.test("parseAthenaValue() reads doubles in Java's text form", () => {
  assert.equal(parseAthenaValue("52.0", "double"), 52);
  assert.equal(parseAthenaValue("1.0E-4", "double"), 0.0001);
  assert.equal(parseAthenaValue("1.2345E7", "double"), 12345000);
  assert.ok(Number.isNaN(parseAthenaValue("NaN", "double")));
  assert.equal(parseAthenaValue("12.50", "decimal(10,2)"), 12.5);
});

Deno.test("parseAthenaValue() gives dates as YYYY-MM-DD and timestamps as ISO instants in UTC", () => {
  assert.equal(parseAthenaValue("2026-10-03", "date"), "2026-10-03");
  assert.equal(
    parseAthenaValue("2026-10-03 11:22:34.000 UTC", "timestamp with time zone"),
    "2026-10-03T11:22:34.000Z",
  );
  assert.equal(parseAthenaValue("2026-10-03 11:22:34.5", "timestamp"), "2026-10-03T11:22:34.500Z");
  assert.equal(
    parseAthenaValue("2026-10-03 13:22:34.123 +02:00", "timestamp with time zone"),
    "2026-10-03T11:22:34.123Z",
  );
  assert.equal(
    parseAthenaValue("2026-07-01 10:00:00.000 Europe/Berlin", "timestamp(3) with time zone"),
    "2026-07-01T08:00:00.000Z",
  );
  assert.equal(
    parseAthenaValue("2026-01-15 10:00:00.000 Europe/Berlin", "timestamp with time zone"),
    "2026-01-15T09:00:00.000Z",
  );
});

Deno.test("parseAthenaValue() reads booleans and keeps varchar as is", () => {
  assert.equal(parseAthenaValue("true", "boolean"), true);
  assert.equal(parseAthenaValue("false", "boolean"), false);
  assert.equal(parseAthenaValue("[not, an array]", "varchar"), "[not, an array]");
});

Deno.test("parseNested() reads arrays, rows and maps, null elements included", () => {
  assert.deepEqual(parseAthenaValue("[]", "array"), []);
  assert.deepEqual(parseAthenaValue("[Password, Mobile app notification]", "array"), [
    "Password",
    "Mobile app notification",
  ]);
  assert.deepEqual(parseNested("[a, null, [b, c]]"), ["a", null, ["b", "c"]]);
  assert.deepEqual(parseAthenaValue("{city=Oslo, geocoordinates={latitude=59.9, longitude=10.7}}", "row"), {
    city: "Oslo",
    geocoordinates: { latitude: "59.9", longitude: "10.7" },
  });
  assert.deepEqual(parseAthenaValue("{a=1, b=2}", "map"), { a: "1", b: "2" });
  assert.deepEqual(parseNested("[{id=1, result=success}, {id=2, result=failure}]"), [
    { id: "1", result: "success" },
    { id: "2", result: "failure" },
  ]);
});
