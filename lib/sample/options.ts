import type { ResolvedOptions, SampleOptions } from "./types.ts";
import { parseInstant } from "./time.ts";

export const DEFAULTS = { users: 60, days: 30, seed: 1, end: "2026-11-01T00:00:00Z" } as const;
export const LIMITS = { users: [25, 100_000], days: [7, 3650] } as const;

/** An option of the sample generator is out of range or malformed; `option` names it. */
export class SampleOptionError extends Error {
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.name = "SampleOptionError";
    this.option = option;
  }
}

function integer(name: "users" | "days", value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  const [lo, hi] = LIMITS[name];
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new SampleOptionError(name, `Option ${name} must be an integer from ${lo} to ${hi}, got ${v}`);
  }
  return v;
}

/** Validates generator options and resolves the window to whole UTC days. */
export function resolveOptions(opts: SampleOptions = {}): ResolvedOptions {
  const users = integer("users", opts.users, DEFAULTS.users);
  const days = integer("days", opts.days, DEFAULTS.days);
  const seed = opts.seed ?? DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) {
    throw new SampleOptionError("seed", `Option seed must be a safe integer, got ${seed}`);
  }
  const endText = opts.end ?? DEFAULTS.end;
  const endSec = parseInstant(endText);
  if (Number.isNaN(endSec)) {
    throw new SampleOptionError("end", `Option end must be an ISO date or instant, got "${endText}"`);
  }
  if (endSec % 86400 !== 0) {
    throw new SampleOptionError(
      "end",
      `Option end must be midnight UTC (the window is whole days), got "${endText}"`,
    );
  }
  const endDay = endSec / 86400;
  const end = new Date(endSec * 1000).toISOString().replace(".000Z", "Z");
  return { users, days, seed, end, startDay: endDay - days, endDay };
}
