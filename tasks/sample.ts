/**
 * deno task sample — writes the deterministic sample tenant as Graph response pages.
 */

import { parseArgs } from "node:util";
import {
  checkSampleTenant,
  SAMPLE_DEFAULTS,
  SAMPLE_LIMITS,
  SampleOptionError,
  type WriteSampleOptions,
  writeSampleTenant,
} from "../lib/sample/mod.ts";

const USAGE = `Usage: deno task sample [options]

Writes a deterministic sample Entra ID tenant (sign-ins and directory audits as Microsoft Graph
response pages) to <out>/signins/dt=YYYY-MM-DD/page-NNNNN.json and <out>/audits/…, then manifest.json.
An existing complete sample with the same parameters is kept unless --force is given.

Options:
  --users N      member users, ${SAMPLE_LIMITS.users[0]}–${
  SAMPLE_LIMITS.users[1]
} (default ${SAMPLE_DEFAULTS.users})
  --days N       days in the window, ${SAMPLE_LIMITS.days[0]}–${
  SAMPLE_LIMITS.days[1]
} (default ${SAMPLE_DEFAULTS.days})
  --seed N       seed of the generator (default ${SAMPLE_DEFAULTS.seed})
  --end ISO      exclusive end of the window, midnight UTC (default ${SAMPLE_DEFAULTS.end})
  --page-size N  records per page, 1–999 (default 999)
  --out DIR      output folder (default data/sample)
  --force        rebuild even if a complete sample is present
  -h, --help     show this help

Example:
  deno task sample --users 120 --days 30 --seed 7 --out data/sample-120`;

class UsageError extends Error {}

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`Option --${name} must be an integer, got "${value}"`);
  return Number(value);
}

export function parseSampleArgs(args: string[]): (WriteSampleOptions & { force: boolean }) | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        users: { type: "string" },
        days: { type: "string" },
        seed: { type: "string" },
        end: { type: "string" },
        "page-size": { type: "string" },
        out: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    // node:util's messages are already one sentence; drop its trailing hints.
    throw new UsageError(String((e as Error).message).split("\n")[0].replace(/\.$/, ""));
  }
  const v = parsed.values;
  if (v.help) return "help";
  return {
    out: v.out ?? "data/sample",
    users: intOption("users", v.users),
    days: intOption("days", v.days),
    seed: intOption("seed", v.seed),
    end: v.end,
    pageSize: intOption("page-size", v["page-size"]),
    force: v.force ?? false,
  };
}

async function main(args: string[]): Promise<number> {
  let opts;
  try {
    opts = parseSampleArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts === "help") {
    console.log(USAGE);
    return 0;
  }
  const { force, ...write } = opts;
  try {
    if (!force) {
      const check = await checkSampleTenant(write.out, write);
      if (check.complete) {
        const t = check.manifest.totals;
        console.log(
          `Sample tenant in ${write.out} is complete: ${t.signIns} sign-ins, ${t.audits} audits ` +
            `(${check.manifest.window.start} to ${check.manifest.window.end}); use --force to rebuild`,
        );
        return 0;
      }
    }
    const t0 = performance.now();
    const m = await writeSampleTenant(write);
    const seconds = (performance.now() - t0) / 1000;
    const t = m.totals;
    console.log(
      `Wrote ${t.signIns} sign-ins and ${t.audits} audits in ${t.pages} pages ` +
        `(${(t.bytes / 1e6).toFixed(1)} MB) to ${write.out} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(t.signIns / seconds)} records/s); window ${m.window.start} to ${m.window.end}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SampleOptionError) {
      const flag = e.option === "pageSize" ? "page-size" : e.option;
      console.error(`error: ${e.message.replace(`Option ${e.option}`, `Option --${flag}`)}\n\n${USAGE}`);
      return 2;
    }
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
