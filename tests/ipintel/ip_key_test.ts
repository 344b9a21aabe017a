import assert from "node:assert/strict";
import { ipBucket, ipKey } from "../../lib/ipintel/ip_key.ts";

Deno.test("ipKey() maps IPv4 into IPv4-mapped IPv6, 32 hex digits", () => {
  assert.equal(ipKey("203.0.113.10"), "00000000000000000000ffffcb00710a");
  assert.equal(ipKey("::ffff:203.0.113.10"), ipKey("203.0.113.10"));
  assert.equal(ipKey(" 1.0.0.0 "), "00000000000000000000ffff01000000");
  assert.equal(ipKey("255.255.255.255"), "00000000000000000000ffffffffffff");
});

Deno.test("ipKey() expands IPv6 zero runs, zones, brackets and upper case", () => {
  assert.equal(ipKey("2001:db8::1"), "20010db8000000000000000000000001");
  assert.equal(ipKey("[2001:DB8::1]"), ipKey("2001:db8::1"));
  assert.equal(ipKey("fe80::1%eth0"), "fe800000000000000000000000000001");
  assert.equal(ipKey("::"), "0".repeat(32));
  assert.equal(ipKey("::1"), "0".repeat(31) + "1");
  assert.equal(ipKey("2001:db8:a1:0:0:0:0:5"), "20010db800a100000000000000000005");
  assert.equal(ipKey("64:ff9b::192.0.2.33"), "0064ff9b0000000000000000c0000221");
});

Deno.test("ipKey() refuses what is not an address instead of guessing", () => {
  for (
    const bad of [
      "",
      "  ",
      "256.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "a.b.c.d",
      "2001:db8:::1",
      "1::2::3",
      "12345::1",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "::ffff:1.2.3",
      "unknown",
      null,
      undefined,
    ]
  ) {
    assert.equal(ipKey(bad), null, String(bad));
  }
});

Deno.test("ipBucket() is the /16 of IPv4 and the /32 of IPv6", () => {
  assert.equal(ipBucket(ipKey("203.0.113.10")!), "00000000000000000000ffffcb00");
  assert.equal(ipBucket(ipKey("2001:db8::1")!), "20010db8");
});
