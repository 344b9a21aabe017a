// Shared color scales: the same category gets the same color in every chart, the report and the PNGs.
// Result colors come from the Okabe–Ito palette, which stays distinguishable for common color-vision deficiencies.
import type { LegendItem } from "./chart.ts";

export type SignInResult = "success" | "failure" | "interrupt";

export const RESULTS: readonly SignInResult[] = ["success", "failure", "interrupt"];

export const RESULT_COLORS: Readonly<Record<SignInResult, string>> = {
  success: "#0072B2",
  failure: "#D55E00",
  interrupt: "#E69F00",
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
  reportOnlyNotApplied: "#E5E5E5",
  reportOnlyInterrupted: "#F0E442",
  unknownFutureValue: NEUTRAL_COLOR,
};

export function caStatusColor(status: string): string {
  return CA_COLORS[status] ?? NEUTRAL_COLOR;
}

// Error codes → colors. Common codes have fixed colors; others get a stable color from a hash of the code so
// the same code is the same color in every chart and every report, whatever else is in the data.
const REASON_COLORS: Readonly<Record<string, string>> = {
  // failures
  "50126": "#D55E00", // invalid username or password
  "50053": "#7A1F1F", // account locked / sign-in from malicious IP
  "53003": "#CC79A7", // blocked by Conditional Access
  "500121": "#B8860B", // strong authentication failed
  "50057": "#6A3D9A", // account disabled
  "90072": "#8C564B", // account not in tenant
  "50034": "#E15759", // user does not exist
  "50056": "#FF9DA7", // invalid or null password
  "50105": "#9C755F", // not assigned to the application
  "530032": "#A05195", // blocked by security defaults
  "50173": "#BC5090", // fresh auth token needed
  // interrupts
  "50074": "#0072B2", // strong authentication required
  "50140": "#56B4E9", // keep me signed in interrupt
  "50058": "#009E73", // session information not sufficient
  "50072": "#44AA99", // must enroll for MFA
  "50055": "#88CCEE", // password expired
  "65001": "#117733", // consent required
  "16000": "#332288", // account selection
  "16003": "#4E79A7",
  "50125": "#76B7B2", // password reset / registration
  "50097": "#59A14F", // device authentication required
  "81010": "#999933", // seamless SSO
  "81012": "#AA9944",
};

const HASH_PALETTE = [
  "#4E79A7",
  "#F28E2B",
  "#E15759",
  "#76B7B2",
  "#59A14F",
  "#EDC948",
  "#B07AA1",
  "#FF9DA7",
  "#9C755F",
  "#1F77B4",
  "#2CA02C",
  "#9467BD",
  "#8C564B",
  "#17BECF",
  "#BCBD22",
  "#7F3C8D",
];

/** FNV-1a: a tiny stable hash so unknown codes always map to the same palette slot. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Color for an error code (the shared "reason" scale). */
export function reasonColor(errorCode: string | number | null): string {
  if (errorCode === null || errorCode === "") return NEUTRAL_COLOR;
  const code = String(errorCode);
  return REASON_COLORS[code] ?? HASH_PALETTE[stableHash(code) % HASH_PALETTE.length];
}

// Operating systems, matched case-insensitively on the family so "Windows 10" and "Windows10" agree.
const OS_COLORS: readonly (readonly [RegExp, string])[] = [
  [/^windows\s*11/i, "#1F4E8C"],
  [/^windows\s*10/i, "#4E79A7"],
  [/^windows/i, "#8FB0D6"],
  [/^(mac|os\s*x)/i, "#79706E"],
  [/^(ios|iphone|ipad)/i, "#B07AA1"],
  [/^android/i, "#59A14F"],
  [/^(linux|ubuntu|debian|fedora|red\s*hat)/i, "#EDC948"],
  [/^chrome/i, "#F28E2B"],
];

export function osColor(os: string): string {
  for (const [pattern, color] of OS_COLORS) if (pattern.test(os.trim())) return color;
  return HASH_PALETTE[stableHash(os.trim().toLowerCase()) % HASH_PALETTE.length];
}

/** Colors for ranked series (one line per user): distinct, dark enough for 2 px lines on white. */
export const SERIES_PALETTE: readonly string[] = [
  "#1F77B4",
  "#D62728",
  "#2CA02C",
  "#9467BD",
  "#FF7F0E",
  "#8C564B",
  "#E377C2",
  "#17BECF",
  "#BCBD22",
  "#393B79",
  "#637939",
  "#AD494A",
];
