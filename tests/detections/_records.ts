// Hand-made Graph sign-in and directory-audit records, and the in-memory store they load into, for the test
// files that pin a detection's edges on a few records each.
import { fileURLToPath } from "node:url";
import { ensureIpIntel, loadFiles, openStore, runQuery, type Store } from "../../lib/mod.ts";

/** The first record of the NDJSON fixture: a beta sign-in with every field, which each case then edits. */
export const TEMPLATE = JSON.parse(
  (await Deno.readTextFile(new URL("../fixtures/inputs/signins.ndjson", import.meta.url))).split("\n")[0],
);

export const ALEX = "alex@contoso.example";
/** DigitalOcean in the ASN fixture lists (hosting), and a network no list classes (a "new home broadband"). */
export const HOSTING = { ip: "198.51.100.7", asn: 14061 };
export const BROADBAND = { ip: "192.0.2.50", asn: 64500 };

/** A record id whose last twelve digits are `n`: tests that tie on created_at choose which id is the lower. */
export function recordId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** Minutes from 2026-10-20T00:00:00Z (fractions for seconds), as ISO text. */
export function at(min: number): string {
  return new Date(Date.parse("2026-10-20T00:00:00Z") + min * 60_000).toISOString();
}

/** Three weeks of daily sign-ins at home (the last one ten days ago), so the account is past its learning days. */
export function history(user = ALEX): { min: number; user: string }[] {
  return Array.from({ length: 21 }, (_, d) => ({ min: -30 * 1440 + d * 1440, user }));
}

export interface SignIn {
  id: string;
  /** createdDateTime, ISO text. */
  at: string;
  /** Default ALEX. */
  user?: string;
  /** Default 203.0.113.10; null leaves the address out. */
  ip?: string | null;
  /** Default 7018, a residential network; null leaves it out. */
  asn?: number | null;
  /** status.errorCode, default 0; any other fails with the reason "failed". */
  code?: number;
  /** Country, latitude and longitude of a city "X"; default Chicago; null: nowhere known. */
  place?: [string | null, number, number] | null;
}

/** A sign-in: the template with `s`'s fields; spread it and add what a case needs beyond them. */
export function signIn(s: SignIn): Record<string, unknown> {
  const code = s.code ?? 0;
  const place = s.place === undefined ? ["US", 41.88, -87.63] : s.place;
  return {
    ...TEMPLATE,
    id: s.id,
    createdDateTime: s.at,
    userPrincipalName: s.user ?? ALEX,
    ipAddress: s.ip === undefined ? "203.0.113.10" : s.ip,
    autonomousSystemNumber: s.asn === undefined ? 7018 : s.asn,
    status: { errorCode: code, failureReason: code === 0 ? null : "failed", additionalDetails: null },
    location: place === null ? { city: null, state: null, countryOrRegion: null, geoCoordinates: {} } : {
      city: "X",
      state: null,
      countryOrRegion: place[0],
      geoCoordinates: { latitude: place[1], longitude: place[2] },
    },
  };
}

/** The fields of a sign-in from a known device of the account that did MFA: nothing for a rule to note. */
export function ownDevice(device = "dev-own"): Record<string, unknown> {
  return {
    deviceDetail: { ...TEMPLATE.deviceDetail, deviceId: device },
    authenticationRequirement: "multiFactorAuthentication",
    authenticationDetails: [],
  };
}

export interface DirectoryAudit {
  id: string;
  /** activityDateTime, ISO text. */
  at: string;
  activity: string;
  category: string;
  initiatedBy: unknown;
  targets?: unknown[];
}

/** A successful directory audit logged by Core Directory. */
export function directoryAudit(a: DirectoryAudit): Record<string, unknown> {
  return {
    id: a.id,
    category: a.category,
    correlationId: "c",
    result: "success",
    resultReason: "",
    activityDisplayName: a.activity,
    activityDateTime: a.at,
    loggedByService: "Core Directory",
    operationType: "Add",
    initiatedBy: a.initiatedBy,
    targetResources: a.targets ?? [],
    additionalDetails: [],
  };
}

const ASN_FIXTURES = fileURLToPath(new URL("../ipintel/fixtures/", import.meta.url));

export interface StoreOptions {
  /** Directory audits, loaded as one Graph page beside the sign-ins. */
  audits?: unknown[];
  /** Loads the ASN fixture lists (tests/ipintel/fixtures), so that networks have names and classes. */
  ipIntel?: boolean;
  /** DuckDB worker threads; DuckDB's own choice when not given. */
  threads?: number;
}

/** An in-memory store holding `signIns` (written as NDJSON) and `options.audits`; the caller closes it. */
export async function recordStore(signIns: unknown[], options: StoreOptions = {}): Promise<Store> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-detections-" });
  const store = await openStore({ path: ":memory:", threads: options.threads });
  try {
    await Deno.writeTextFile(
      `${dir}/signins.ndjson`,
      signIns.map((r) => JSON.stringify(r)).join("\n") + "\n",
    );
    const files = [`${dir}/signins.ndjson`];
    if (options.audits?.length) {
      await Deno.mkdir(`${dir}/audits`);
      await Deno.writeTextFile(
        `${dir}/audits/page.json`,
        JSON.stringify({
          "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/directoryAudits",
          value: options.audits,
        }),
      );
      files.push(`${dir}/audits`);
    }
    await loadFiles(store, files);
    if (options.ipIntel) {
      await ensureIpIntel(store, {
        files: { ipv4: `${ASN_FIXTURES}asn-ipv4-num.csv`, ipv6: `${ASN_FIXTURES}asn-ipv6-num.csv` },
      });
    }
    return store;
  } catch (e) {
    store.close();
    throw e;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The rows `query` answers on a store of `signIns` (see recordStore), which is closed again. */
export async function queryRows(
  signIns: unknown[],
  query: string,
  params: Record<string, string | number> = {},
  options: StoreOptions = {},
): Promise<Record<string, unknown>[]> {
  const store = await recordStore(signIns, options);
  try {
    return (await runQuery(store, query, params)).rows;
  } finally {
    store.close();
  }
}
