// Shared color scales: the same category gets the same color in every chart, the report and the PNGs.
// Result colors come from the Okabe–Ito palette, which stays distinguishable for common color-vision deficiencies:
// failures are vermillion, successes dark blue and interrupts (prompts that usually end in a success) sky blue, so
// the two classes the map draws side by side differ in hue, not only in shade (tests/charts/colors_test.ts).
import type { LegendItem } from "./chart.ts";

export type SignInResult = "success" | "failure" | "interrupt";

export const RESULTS: readonly SignInResult[] = ["success", "failure", "interrupt"];

export const RESULT_COLORS: Readonly<Record<SignInResult, string>> = {
  success: "#0072B2",
  failure: "#D55E00",
  interrupt: "#56B4E9",
};

export const RESULT_LABELS: Readonly<Record<SignInResult, string>> = {
  success: "Success",
  failure: "Failure",
  interrupt: "Interrupt",
};

export const OTHER_COLOR = "#B8B8B8";
export const NEUTRAL_COLOR = "#8C8C8C";

/** Color for a result class; anything unexpected (a future value) is neutral gray. */
export function resultColor(result: string): string {
  return (RESULT_COLORS as Record<string, string>)[result] ?? NEUTRAL_COLOR;
}

export function resultLabel(result: string): string {
  return (RESULT_LABELS as Record<string, string>)[result] ?? result;
}

export function resultLegend(
  results: readonly string[] = RESULTS,
  shape: LegendItem["shape"] = "square",
): LegendItem[] {
  return results.map((r) => ({ label: resultLabel(r), color: resultColor(r), shape }));
}

// Conditional Access: success/failure reuse the result colors, "not applied" is a quiet gray.
const CA_COLORS: Readonly<Record<string, string>> = {
  success: RESULT_COLORS.success,
  failure: RESULT_COLORS.failure,
  notApplied: "#C9C9C9",
  reportOnlySuccess: "#56B4E9",
  reportOnlyFailure: "#CC79A7",
  reportOnlyNotApplied: "#E3D3A8", // pale sand, not a second gray beside "not applied"
  reportOnlyInterrupted: "#E6C200",
  unknownFutureValue: NEUTRAL_COLOR,
};

export function caStatusColor(status: string): string {
  return CA_COLORS[status] ?? NEUTRAL_COLOR;
}

/**
 * Twelve categorical colours for error codes, operating systems and other classes drawn side by side: picked from
 * Kelly's 22 colours of maximum contrast and the Okabe–Ito / Tol palettes by greedy max–min CIEDE2000, so every
 * pair differs by ΔE₀₀ > 20 and each one by > 20 from the gray of "other" buckets (checked in colors_test.ts).
 */
export const CATEGORY_PALETTE: readonly string[] = [
  "#BE0032", // red
  "#0067A5", // blue
  "#F38400", // orange
  "#117733", // green
  "#875692", // purple
  "#56B4E9", // sky blue
  "#654522", // brown
  "#E68FAC", // pink
  "#8DB600", // yellow-green
  "#332288", // indigo
  "#F3C300", // yellow
  "#44AA99", // teal
];

const [RED, BLUE, ORANGE, GREEN, PURPLE, SKY, BROWN, PINK, LIME, INDIGO, YELLOW, TEAL] = CATEGORY_PALETTE;

// The commonest codes keep one colour in every chart and report; failure codes and interrupt codes each use six
// distinct slots, because the failure-reasons chart shows both sets at once.
const REASON_COLORS: Readonly<Record<string, string>> = {
  // failures
  "50126": RED, // invalid username or password
  "53003": PURPLE, // blocked by Conditional Access
  "50057": BROWN, // account disabled
  "500121": ORANGE, // strong authentication failed
  "50053": INDIGO, // account locked / sign-in from malicious IP
  "90072": PINK, // account not in tenant
  // interrupts
  "50074": BLUE, // strong authentication required
  "50140": SKY, // keep me signed in interrupt
  "50058": GREEN, // session information not sufficient
  "50072": TEAL, // must enroll for MFA
  "50055": YELLOW, // password expired
  "65001": LIME, // consent required
};

/** FNV-1a: a tiny stable hash so unknown codes always map to the same palette slot. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Color for an error code on its own (the shared "reason" scale); charts use {@link reasonColors}. */
export function reasonColor(errorCode: string | number | null): string {
  if (errorCode === null || errorCode === "") return NEUTRAL_COLOR;
  const code = String(errorCode);
  return REASON_COLORS[code] ?? CATEGORY_PALETTE[stableHash(code) % CATEGORY_PALETTE.length];
}

/**
 * Colours for the codes one chart draws together: the common codes keep their fixed colour, the others take the
 * palette slots nobody else in this chart uses (in the order given), so no two codes in a chart share a colour
 * while at most 12 are drawn. Beyond 12 the palette repeats; charts fold the rest into "other reasons" first.
 */
export function reasonColors(codes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const code of codes) {
    const fixed = REASON_COLORS[code];
    if (fixed && !used.has(fixed)) {
      out.set(code, fixed);
      used.add(fixed);
    }
  }
  let next = 0;
  for (const code of codes) {
    if (out.has(code)) continue;
    if (code === "") {
      out.set(code, NEUTRAL_COLOR);
      continue;
    }
    const free = CATEGORY_PALETTE.filter((c) => !used.has(c));
    const color = free.length > 0 ? free[0] : CATEGORY_PALETTE[next++ % CATEGORY_PALETTE.length];
    out.set(code, color);
    used.add(color);
  }
  return out;
}

// Operating systems, matched case-insensitively on the family so "Windows 10" and "Windows10" agree; each family
// has its own palette slot (three near-identical Windows blues could not be told apart in a stacked bar).
const OS_COLORS: readonly (readonly [RegExp, string])[] = [
  [/^windows\s*11/i, BLUE],
  [/^windows\s*10/i, SKY],
  [/^windows/i, INDIGO],
  [/^(mac|os\s*x)/i, BROWN],
  [/^(ios|iphone|ipad)/i, PURPLE],
  [/^android/i, GREEN],
  [/^(linux|ubuntu|debian|fedora|red\s*hat)/i, YELLOW],
  [/^chrome/i, ORANGE],
];

export function osColor(os: string): string {
  for (const [pattern, color] of OS_COLORS) if (pattern.test(os.trim())) return color;
  // Unknown families take the slots no known family uses, so they never pose as Windows or Android.
  const spare = [RED, PINK, LIME, TEAL];
  return spare[stableHash(os.trim().toLowerCase()) % spare.length];
}

/**
 * Colours for the operating systems one chart stacks together: each family keeps its colour for its first (most
 * frequent, as given) member; a second spelling of a family ("Windows 10.0.19045" beside "Windows 10") or an
 * unknown family takes a palette slot nobody else in the chart uses, so no two stacked series share a colour.
 */
export function osColors(oses: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const os of oses) {
    const c = osColor(os);
    const known = OS_COLORS.some(([pattern]) => pattern.test(os.trim()));
    if (known && !used.has(c)) {
      out.set(os, c);
      used.add(c);
    }
  }
  for (const os of oses) {
    if (out.has(os)) continue;
    const preferred = osColor(os);
    const color = !used.has(preferred) ? preferred : CATEGORY_PALETTE.find((c) => !used.has(c)) ?? preferred;
    out.set(os, color);
    used.add(color);
  }
  return out;
}

/**
 * Colors for ranked series (one line per user): the categorical palette minus the two lightest (yellow, sky blue
 * are too faint as 2 px lines on white).
 */
export const SERIES_PALETTE: readonly string[] = CATEGORY_PALETTE.filter((c) => c !== YELLOW && c !== SKY);
