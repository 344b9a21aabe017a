import assert from "node:assert/strict";
import { normaliseHeader, parseCsv } from "../../lib/sources/csv.ts";
import { instantText, parseInstant } from "../../lib/sources/instant.ts";
import { parseLocation } from "../../lib/sources/portal.ts";
import { isSignInCategory, signInKind } from "../../lib/sources/sign_in_kind.ts";
import { countryLookup, countryLookupFrom } from "../../lib/sources/ip_country.ts";
import { splitJson } from "../../lib/sources/json_text.ts";

Deno.test("parseCsv() reads quotes, doubled quotes, embedded line breaks, CRLF and a BOM", () => {
  const text = '\ufeffA,"B  c" ,A\r\n1,"x, ""y""\r\nz",\r\n\r\n2,,second\n';
  const { headers, rows } = parseCsv(text);
  assert.deepEqual(headers, ["a", "b c", "a"]);
  assert.deepEqual(rows.map((r) => [r.line, r.cells]), [
    [2, { a: "1", "b c": 'x, "y"\r\nz' }],
    [5, { a: "2", "b c": "" }],
  ]);
  // A repeated column keeps its first non-empty value.
  assert.equal(parseCsv("a,a\n,second\n").rows[0].cells.a, "second");
  assert.throws(() => parseCsv('a\n"open\n'), /quoted field opened on line 2 is never closed/);
  assert.equal(normaliseHeader("\ufeff Autonomous system\u00a0 number "), "autonomous system number");
});

Deno.test("parseInstant() reads ISO with offsets, zone-less values as UTC, and US-style AM/PM", () => {
  const cases: [string, string | null][] = [
    ["2026-10-03T08:22:33Z", "2026-10-03T08:22:33.000Z"],
    ["2026-10-03T03:22:33-05:00", "2026-10-03T08:22:33.000Z"],
    ["2026-10-03T10:22:33.1234567+02:00", "2026-10-03T08:22:33.123Z"],
    ["2026-10-03T08:22:33", "2026-10-03T08:22:33.000Z"],
    ["2026-10-03 08:22:33", "2026-10-03T08:22:33.000Z"],
    ["10/3/2026 8:22:33 PM", "2026-10-03T20:22:33.000Z"],
    ["10/03/2026 12:05:00 AM", "2026-10-03T00:05:00.000Z"],
    ["10/3/2026 12:05:00 PM", "2026-10-03T12:05:00.000Z"],
    ["10/3/2026, 8:22:33 AM", "2026-10-03T08:22:33.000Z"],
    ["10/3/2026 20:22", "2026-10-03T20:22:00.000Z"],
    ["2/30/2026 1:00:00 AM", null],
    ["13/3/2026 1:00:00 AM", null],
    ["10/3/2026 13:00:00 PM", null],
    ["last tuesday", null],
    ["", null],
  ];
  for (const [text, want] of cases) assert.equal(parseInstant(text), want, text);
  assert.equal(parseInstant(42), null);
  assert.equal(instantText("2026-10-03T08:22:33.1234567Z"), "2026-10-03T08:22:33.1234567Z");
  assert.equal(instantText("10/3/2026 8:22:33 PM"), "2026-10-03T20:22:33.000Z");
});

Deno.test('parseLocation() splits the admin center\'s "City, State, CC"', () => {
  assert.deepEqual(parseLocation("Redmond, Washington, US"), {
    city: "Redmond",
    state: "Washington",
    countryOrRegion: "US",
  });
  assert.deepEqual(parseLocation("Paris, FR"), { city: "Paris", countryOrRegion: "FR" });
  assert.deepEqual(parseLocation("DE"), { countryOrRegion: "DE" });
  assert.equal(parseLocation(""), undefined);
});

Deno.test("signInKind() decides by category, then signInEventTypes, then isInteractive", () => {
  assert.equal(signInKind({ category: "ADFSSignInLogs" }), "adfs");
  assert.equal(signInKind({ category: "MicrosoftServicePrincipalSignInLogs" }), "servicePrincipal");
  assert.equal(signInKind({ eventTypes: ["servicePrincipal", "managedIdentity"] }), "managedIdentity");
  assert.equal(signInKind({ eventTypes: ["nonInteractiveUser"], isInteractive: true }), "nonInteractive");
  assert.equal(signInKind({ isInteractive: false }), "nonInteractive");
  assert.equal(signInKind({}), "unknown");
  assert.ok(isSignInCategory("NonInteractiveUserSignInLogs") && isSignInCategory("adfssigninlogs"));
  assert.ok(!isSignInCategory("AuditLogs") && !isSignInCategory(undefined));
});

Deno.test("countryLookupFrom() finds inclusive ranges by binary search, IPv4 and IPv6", () => {
  const v4 = "16777216,16777471,AU\n16777472,16778239,CN\n3232235520,3232301055,ZZ\n";
  const v6 = "42540528726795050063891204319802818560,42540528806023212578155541913346768895,JP\n";
  const look = countryLookupFrom(v4, v6);
  assert.equal(look("1.0.0.0"), "AU");
  assert.equal(look("1.0.0.255"), "AU");
  assert.equal(look("1.0.1.0"), "CN");
  assert.equal(look("1.0.4.0"), null);
  assert.equal(look("192.168.1.1"), "ZZ");
  assert.equal(look("0.0.0.1"), null);
  assert.equal(look("2001:200::1"), "JP");
  assert.equal(look("::ffff:1.0.0.7"), "AU");
  assert.equal(look("not an ip"), null);
  assert.equal(look(""), null);
});

Deno.test("countryLookup() reads the pinned @ip-location-db dataset", async () => {
  const look = await countryLookup();
  assert.equal(look("8.8.8.8"), "US");
  assert.equal(look("10.1.2.3"), null, "private addresses have no country");
});

Deno.test("splitJson() reads one document or NDJSON and points at the bad lines by line and byte", () => {
  assert.deepEqual(splitJson('\ufeff{"a":1,"a":2}\r\n  ').docs, [{ value: { a: 2 }, line: 1, offset: 3 }]);
  const { docs, rejected } = splitJson('{"a":1}\n{"b":\n{"é":3}\n');
  assert.deepEqual(docs.map((d) => [d.line, d.offset]), [[1, 0], [3, 14]]);
  assert.deepEqual(rejected.map((r) => [r.line, r.offset, r.raw]), [[2, 8, '{"b":']]);
  const broken = splitJson('{\n  "value": [\n    {"id": 1},\n');
  assert.equal(broken.docs.length, 0);
  assert.equal(broken.rejected.length, 1);
});

Deno.test("readLines() streams lines with 1-based numbers and byte offsets, dropping a BOM and CRs, gz too", async () => {
  const { readLines } = await import("../../lib/sources/read_lines.ts");
  const dir = await Deno.makeTempDir();
  try {
    const text = '\ufeff{"a":"é"}\r\n\r\n{"b":2}\n{"c":3}';
    await Deno.writeTextFile(`${dir}/x.ndjson`, text);
    const gz = new Response(
      new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream("gzip")),
    );
    await Deno.writeFile(`${dir}/x.ndjson.gz`, new Uint8Array(await gz.arrayBuffer()));
    for (const f of ["x.ndjson", "x.ndjson.gz"]) {
      const got = await Array.fromAsync(readLines(`${dir}/${f}`));
      assert.deepEqual(got, [
        { text: '{"a":"é"}', line: 1, offset: 3 },
        { text: "", line: 2, offset: 15 },
        { text: '{"b":2}', line: 3, offset: 17 },
        { text: '{"c":3}', line: 4, offset: 25 },
      ], f);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("detectShape() flags a page whose first record repeats a key, so the loader reads it through JavaScript at once", async () => {
  const { detectShape } = await import("../../lib/store/detect_shape.ts");
  const docs = new URL("../fixtures/inputs/docs/", import.meta.url);
  const beta = detectShape(await Deno.readTextFile(new URL("graph_beta_signins_list.json", docs)));
  assert.deepEqual(beta, {
    shape: "graph_pages",
    format: "unstructured",
    wrapped: false,
    duplicateKeys: true,
  });
  const v1 = detectShape(await Deno.readTextFile(new URL("graph_v1_signins_list.json", docs)));
  assert.equal(v1.duplicateKeys, undefined);
});
