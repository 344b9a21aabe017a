// Authentication method mix, legacy authentication and per-application results: three views of the same
// "category × result" shape.
import type { Chart } from "./chart.ts";
import { resultBarsChart } from "./result_bars.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { plural } from "./svg_text.ts";

export interface CategoryChartOptions {
  /** Categories shown as bars; the rest are one "others" bar. */
  top?: number;
  width?: number;
  title?: string;
  tableRows?: number;
}

function byCategory<T extends { category: string; result: string; count: number }>(data: readonly T[]) {
  const totals = new Map<
    string,
    { category: string; total: number; success: number; failure: number; interrupt: number }
  >();
  for (const d of data) {
    const t = totals.get(d.category) ??
      { category: d.category, total: 0, success: 0, failure: 0, interrupt: 0 };
    t.total += d.count;
    if (d.result === "success" || d.result === "failure" || d.result === "interrupt") t[d.result] += d.count;
    totals.set(d.category, t);
  }
  return [...totals.values()].sort((a, b) => b.total - a.total || a.category.localeCompare(b.category));
}

const RESULT_COLUMNS = [
  { key: "total", label: "Total", align: "right" as const },
  { key: "success", label: "Successes", align: "right" as const },
  { key: "failure", label: "Failures", align: "right" as const },
  { key: "interrupt", label: "Interrupts", align: "right" as const },
];

/** auth_method_mix's names for its two catch-all rows; they must never be merged. */
export const PASSWORD_ONLY = "Password only";
export const NO_METHOD = "No method recorded";

function share(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return p > 0 && p < 1 ? "<1%" : `${Math.round(p)}%`;
}

/** Sign-ins per authentication method (password, Authenticator, SMS, FIDO2…) by result; rows from `auth_method_mix`. */
export function authMethodMix(rows: readonly LooseRow[], options: CategoryChartOptions = {}): Chart {
  const data = rows.map((r) => ({
    category: str(r.auth_method) ?? NO_METHOD,
    result: str(r.result) ?? "unknown",
    count: num(r.signins),
  }));
  const table = byCategory(data).slice(0, options.tableRows ?? 10).map((t) => ({ method: t.category, ...t }));
  const total = data.reduce((s, d) => s + d.count, 0);
  const none = data.filter((d) => d.category === NO_METHOD).reduce((s, d) => s + d.count, 0);
  const passwordOnly = data.filter((d) => d.category === PASSWORD_ONLY).reduce((s, d) => s + d.count, 0);
  const notes: string[] = [];
  if (passwordOnly > 0) {
    notes.push(
      `${PASSWORD_ONLY}: ${plural(passwordOnly, "sign-in")} whose only recorded method was the password ` +
        `(${share(passwordOnly, total)} of all).`,
    );
  }
  if (none > 0) {
    notes.push(
      `${NO_METHOD}: ${plural(none, "sign-in")} (${
        share(none, total)
      }) for which Graph reported no method at all ` +
        `(token refreshes, non-interactive sign-ins, or v1.0 data without authenticationDetails); ` +
        `they are not counted as password-only.`,
    );
  }
  return resultBarsChart(data, {
    id: "auth-methods",
    title: options.title ?? "Authentication methods",
    caption: 'Look for "Password only" sign-ins and SMS where you expect phishing-resistant methods; ' +
      "failures on a method show where attacks land." +
      (none > 0 ? ' "No method recorded" is kept apart: Graph reported no method for those sign-ins.' : ""),
    emptyMessage: "No sign-ins in this range",
    xLabel: "Sign-ins",
    noun: "method",
    top: options.top ?? 10,
    width: options.width ?? 960,
    notes,
    table: {
      caption: "Sign-ins per authentication method",
      columns: [{ key: "method", label: "Method" }, ...RESULT_COLUMNS],
      rows: table,
    },
  });
}

// clientAppUsed values that are modern authentication; everything else is a legacy protocol that can't do MFA.
const MODERN_CLIENTS = new Set(["browser", "mobile apps and desktop clients"]);

/** True for clientAppUsed values of legacy (basic-auth) protocols. */
export function isLegacyClientApp(clientApp: string): boolean {
  return !MODERN_CLIENTS.has(clientApp.trim().toLowerCase());
}

export interface LegacyAuthOptions extends CategoryChartOptions {
  /** Also draw the modern clients (Browser, Mobile Apps and Desktop clients) for scale (default false). */
  includeModern?: boolean;
}

/** Attempts over legacy protocols (IMAP, POP, SMTP, ActiveSync…) by result; rows from `legacy_auth_attempts`. */
export function legacyAuthAttempts(rows: readonly LooseRow[], options: LegacyAuthOptions = {}): Chart {
  const all = rows.map((r) => ({
    category: str(r.client_app_used) ?? "(unknown client)",
    result: str(r.result) ?? "unknown",
    count: num(r.attempts),
    users: num(r.users),
  }));
  const data = options.includeModern ? all : all.filter((d) => isLegacyClientApp(d.category));
  const users = new Map<string, number>();
  for (const d of data) users.set(d.category, Math.max(users.get(d.category) ?? 0, d.users));
  const table = byCategory(data).slice(0, options.tableRows ?? 10).map((t) => ({
    client: t.category,
    legacy: isLegacyClientApp(t.category) ? "yes" : "no",
    users: users.get(t.category) ?? 0,
    ...t,
  }));
  const successes = data.filter((d) => d.result === "success" && isLegacyClientApp(d.category)).reduce(
    (s, d) => s + d.count,
    0,
  );
  return resultBarsChart(data, {
    id: "legacy-auth",
    title: options.title ?? "Legacy authentication attempts (clientAppUsed)",
    caption:
      "Legacy protocols can't do MFA, so password sprays use them; any success here is a password that worked " +
      "without a second factor.",
    emptyMessage: "No legacy-authentication attempts in this range",
    xLabel: "Attempts",
    noun: "client",
    top: options.top ?? 12,
    width: options.width ?? 960,
    labelOf: options.includeModern ? (c) => (isLegacyClientApp(c) ? `${c} (legacy)` : c) : undefined,
    notes: successes > 0
      ? [
        `${
          plural(successes, "successful legacy sign-in")
        }: check whether those users' passwords are known to attackers.`,
      ]
      : [],
    table: {
      caption: "Attempts per client app",
      columns: [
        { key: "client", label: "Client app" },
        { key: "legacy", label: "Legacy" },
        ...RESULT_COLUMNS,
        { key: "users", label: "Users (largest result)", align: "right" },
      ],
      rows: table,
    },
  });
}

/** Sign-ins per application by result; rows from `signins_by_app`. */
export function signInsByApp(rows: readonly LooseRow[], options: CategoryChartOptions = {}): Chart {
  const data = rows.flatMap((r) => {
    const category = str(r.app_display_name) ?? "(unknown app)";
    return (["success", "failure", "interrupt"] as const).map((result) => ({
      category,
      result,
      count: num(r[result === "success" ? "successes" : result === "failure" ? "failures" : "interrupts"]),
    }));
  });
  const table = rows.map((r) => ({
    app: str(r.app_display_name) ?? "(unknown app)",
    signins: num(r.signins),
    successes: num(r.successes),
    failures: num(r.failures),
    interrupts: num(r.interrupts),
    users: num(r.users),
  })).sort((a, b) => b.signins - a.signins || a.app.localeCompare(b.app)).slice(0, options.tableRows ?? 10);
  return resultBarsChart(data, {
    id: "apps",
    title: options.title ?? "Sign-ins by application",
    caption:
      "Look for applications with an unusual share of failures, and for apps nobody in your tenant should use.",
    emptyMessage: "No sign-ins in this range",
    xLabel: "Sign-ins",
    noun: "app",
    top: options.top ?? 12,
    width: options.width ?? 960,
    table: {
      caption: "Applications with the most sign-ins",
      columns: [
        { key: "app", label: "Application" },
        { key: "signins", label: "Sign-ins", align: "right" },
        { key: "successes", label: "Successes", align: "right" },
        { key: "failures", label: "Failures", align: "right" },
        { key: "interrupts", label: "Interrupts", align: "right" },
        { key: "users", label: "Users", align: "right" },
      ],
      rows: table,
    },
  });
}
