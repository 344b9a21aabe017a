// Ticks for axes and legends that count things: whole numbers only (nobody had 0.2 failed sign-ins), and an
// axis end at or above the largest value so the top point sits under a labelled tick.
import { formatCount } from "./svg_text.ts";

/** A step of 1, 2 or 5 × 10^k, at least 1, giving about `count` steps up to `max`. */
export function countStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(1, Math.round(step));
}

/** Whole-number ticks 0, step, 2·step, … covering `max` (the last tick is ≥ max). */
export function countTicks(max: number, count = 5): number[] {
  const step = countStep(max, count);
  const top = Math.max(step, Math.ceil(Math.max(max, 1) / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

/** The axis end for counts: the last of {@link countTicks}. */
export function countDomainMax(max: number, count = 5): number {
  const ticks = countTicks(max, count);
  return ticks[ticks.length - 1];
}

/** 1, 2, 5, 10, 20, 50 … up to the first value ≥ max: every tick of a log count axis, each one labelled. */
export function logCountTicks(max: number): number[] {
  const ticks: number[] = [];
  for (let magnitude = 1; ticks.length < 40; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      ticks.push(m * magnitude);
      if (m * magnitude >= max) return ticks;
    }
  }
  return ticks;
}

/** A y axis of counts from 0 to `yMax` (a countDomainMax), gridded, its whole-number ticks formatted as counts. */
export function countYAxis(label: string, yMax: number) {
  return {
    label,
    labelArrow: "up" as const,
    grid: true,
    domain: [0, yMax],
    ticks: countTicks(yMax).filter((v) => v <= yMax),
    tickFormat: formatCount,
  };
}
