/**
 * What kind of sign-in a record is: the Entra admin center's four tabs plus AD FS. Graph beta says so in
 * `signInEventTypes`, v1.0 only in `isInteractive`, Azure Monitor in the record's category (its file or
 * container name), the portal's download in the file name.
 */
export type SignInKind =
  | "interactive"
  | "nonInteractive"
  | "servicePrincipal"
  | "managedIdentity"
  | "adfs"
  | "unknown";

export const SIGN_IN_KINDS: readonly SignInKind[] = [
  "interactive",
  "nonInteractive",
  "servicePrincipal",
  "managedIdentity",
  "adfs",
  "unknown",
];

/** Azure Monitor categories (lower case) → kind; any other category ending in SignInLogs falls back to the record. */
const CATEGORY_KINDS: Record<string, SignInKind> = {
  signinlogs: "interactive",
  noninteractiveusersigninlogs: "nonInteractive",
  serviceprincipalsigninlogs: "servicePrincipal",
  microsoftserviceprincipalsigninlogs: "servicePrincipal",
  managedidentitysigninlogs: "managedIdentity",
  adfssigninlogs: "adfs",
};

/** Graph's signInEventTypes values, strongest first (a managed identity's sign-in is also a service principal's). */
const EVENT_TYPE_KINDS: [string, SignInKind][] = [
  ["managedIdentity", "managedIdentity"],
  ["servicePrincipal", "servicePrincipal"],
  ["nonInteractiveUser", "nonInteractive"],
  ["interactiveUser", "interactive"],
];

/** True for every Azure Monitor category that carries sign-ins: SignInLogs, ADFSSignInLogs, … */
export function isSignInCategory(category: unknown): boolean {
  return typeof category === "string" && category.toLowerCase().endsWith("signinlogs");
}

export interface KindHints {
  category?: unknown;
  eventTypes?: unknown;
  isInteractive?: unknown;
}

export function signInKind(h: KindHints): SignInKind {
  if (typeof h.category === "string") {
    const k = CATEGORY_KINDS[h.category.toLowerCase()];
    if (k) return k;
  }
  if (Array.isArray(h.eventTypes)) {
    for (const [t, k] of EVENT_TYPE_KINDS) if (h.eventTypes.includes(t)) return k;
  }
  if (h.isInteractive === true) return "interactive";
  if (h.isInteractive === false) return "nonInteractive";
  return "unknown";
}

/**
 * The same decision in SQL over a record's columns, valid on DuckDB and Trino (`contains` on arrays works on both);
 * `category` is a VARCHAR expression or omitted.
 */
export function signInKindSql(eventTypes: string, isInteractive: string, category?: string): string {
  const parts: string[] = [];
  if (category) {
    for (const [c, k] of Object.entries(CATEGORY_KINDS)) {
      parts.push(`WHEN lower(${category}) = '${c}' THEN '${k}'`);
    }
  }
  for (const [t, k] of EVENT_TYPE_KINDS) parts.push(`WHEN contains(${eventTypes}, '${t}') THEN '${k}'`);
  parts.push(`WHEN ${isInteractive} THEN 'interactive'`, `WHEN NOT ${isInteractive} THEN 'nonInteractive'`);
  return `(CASE ${parts.join(" ")} ELSE 'unknown' END)`;
}
