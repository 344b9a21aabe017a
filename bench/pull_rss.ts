/**
 * Peak RSS and wall time of `tasks/pull.ts` against the fake Graph at several sizes, to tell a leak (RSS that
 * grows with the records pulled) from garbage-collector slack:
 * `deno run -A bench/pull_rss.ts 10000,100000 [v8-flags…]`.
 *
 * Without V8 flags the pull runs with the ones `deno task pull` sets in deno.json (what users get); pass your
 * own to compare, or `default` for V8's defaults.
 */
import { join } from "node:path";
import { makeSignIns, startFakeGraph } from "../tests/fakes/graph_server.ts";
import { measure } from "./measure.ts";

const PULL = new URL("../tasks/pull.ts", import.meta.url).pathname;
const DENO_JSON = new URL("../deno.json", import.meta.url);

/**
 * The Graph pull both benches time (this one and bench.ts): tasks/pull.ts with every permission, the given V8
 * flags, a window of [fromMs, toMs), pacing off and no summary line; run it with the fake Graph's env.
 */
export function pullCommand(
  o: { fromMs: number; toMs: number; out: string; v8Flags: string[] },
): { cmd: string; args: string[] } {
  return {
    cmd: Deno.execPath(),
    args: [
      "run",
      "-A",
      ...(o.v8Flags.length ? [`--v8-flags=${o.v8Flags.join(",")}`] : []),
      PULL,
      "--from",
      new Date(o.fromMs).toISOString(),
      "--to",
      new Date(o.toMs).toISOString(),
      "--out",
      o.out,
      "--pace",
      "off",
      "--quiet",
    ],
  };
}

/** The `--v8-flags=…` of the pull task in deno.json, as a list (empty when it sets none). */
export async function pullTaskV8Flags(): Promise<string[]> {
  const task = String(JSON.parse(await Deno.readTextFile(DENO_JSON)).tasks?.pull ?? "");
  const m = /\s--v8-flags=(\S+)/.exec(task);
  return m ? m[1].split(",") : [];
}

if (import.meta.main) {
  const sizes = (Deno.args[0] ?? "10000,100000").split(",").map(Number);
  const given = Deno.args.slice(1);
  const v8 = given.length === 0 ? await pullTaskV8Flags() : given.filter((f) => f !== "default");
  const label = v8.join(" ") || "default";
  const origin = given.length === 0 && v8.length > 0 ? " (deno task pull's)" : "";
  const to = Date.parse("2026-11-01T00:00:00Z");
  const from = to - 7 * 86_400_000;
  for (const n of sizes) {
    const fake = await startFakeGraph({ signIns: makeSignIns({ count: n, from, to, seed: 7 }) });
    const out = await Deno.makeTempDir({ prefix: "pull-rss-" });
    try {
      const { cmd, args } = pullCommand({ fromMs: from, toMs: to, out: join(out, "raw"), v8Flags: v8 });
      const m = await measure(cmd, args, { env: { ...fake.env } });
      console.log(
        `${n} records, v8 ${label}${origin}: ${m.ok ? "ok" : m.error}, ` +
          `${Math.round((m.peakRssBytes ?? 0) / 2 ** 20)} MiB, ${m.wallSeconds.toFixed(1)} s`,
      );
    } finally {
      await fake.close();
      await Deno.remove(out, { recursive: true });
    }
  }
}
