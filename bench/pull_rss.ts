/**
 * Peak RSS of `tasks/pull.ts` against the fake Graph at several sizes and V8 settings, to tell a leak (RSS that
 * grows with the records pulled) from garbage-collector slack:
 * `deno run -A bench/pull_rss.ts 10000,100000 [v8-flags…]`.
 */
import { join } from "node:path";
import { makeSignIns, startFakeGraph } from "../tests/fakes/graph_server.ts";
import { measure } from "./measure.ts";

const PULL = new URL("../tasks/pull.ts", import.meta.url).pathname;
const sizes = (Deno.args[0] ?? "10000,100000").split(",").map(Number);
const v8 = Deno.args.slice(1);
const to = Date.parse("2026-11-01T00:00:00Z");
const from = to - 7 * 86_400_000;
for (const n of sizes) {
  const fake = await startFakeGraph({ signIns: makeSignIns({ count: n, from, to, seed: 7 }) });
  const out = await Deno.makeTempDir({ prefix: "pull-rss-" });
  try {
    const m = await measure(Deno.execPath(), [
      "run",
      "-A",
      ...(v8.length ? [`--v8-flags=${v8.join(",")}`] : []),
      PULL,
      "--from",
      new Date(from).toISOString(),
      "--to",
      new Date(to).toISOString(),
      "--out",
      join(out, "raw"),
      "--pace",
      "off",
      "--quiet",
    ], { env: { ...fake.env } });
    console.log(
      `${n} records, v8 ${v8.join(" ") || "default"}: ${m.ok ? "ok" : m.error}, ` +
        `${Math.round((m.peakRssBytes ?? 0) / 2 ** 20)} MiB, ${m.wallSeconds.toFixed(1)} s`,
    );
  } finally {
    await fake.close();
    await Deno.remove(out, { recursive: true });
  }
}
