import { parseCsv } from "../sources/csv.ts";
import { isAuthDetailsName, portalHeaderKind, portalTab } from "../sources/portal.ts";

/** The input shapes users load, each normalized into the same signIn record. */
export type Shape =
  | "graph_pages" // {"@odata.context", "value": [signIn…], "@odata.nextLink"?}, one or many per file
  | "signin_records" // NDJSON or a JSON array of signIn objects
  | "azure_monitor" // diagnostic settings export: {"records":[{time, category, properties:{…}}]} or NDJSON of those
  | "log_analytics" // SigninLogs export: PascalCase columns, JSON array or NDJSON
  | "audit_pages" // Graph directoryAudits pages
  // Read through JavaScript (lib/sources) into "normalised" signIn records:
  | "portal_csv" // Entra admin center Download, CSV: one file per tab
  | "portal_json" // Entra admin center Download, JSON (file named after its tab)
  | "portal_auth_details" // the Download's authentication-details file, joined on the request id
  | "purview" // Purview unified audit log: CSV export, Search-UnifiedAuditLog JSON, Management Activity API
  | "defender" // Defender XDR advanced hunting AADSignInEventsBeta / EntraIdSignInEvents, CSV or API JSON
  | "normalised"; // internal: NDJSON of signIn records with _lens_* bookkeeping

/** The shapes DuckDB's own reader loads (lib/store/shape_sql.ts). */
export type SqlShape = "graph_pages" | "signin_records" | "azure_monitor" | "log_analytics";

/** How DuckDB's read_json should read the file. */
export type JsonFormat = "newline_delimited" | "unstructured" | "array";

export interface Detected {
  shape: Shape;
  format: JsonFormat;
  /** Azure Monitor exports wrap records in {"records":[…]}; storage-account exports are NDJSON. */
  wrapped: boolean;
  /**
   * A record in the head repeats a key: DuckDB's reader would refuse the file only after reading all of it,
   * so the loader reads it through JavaScript at once.
   */
  duplicateKeys?: boolean;
}

/** Why a file could not be read as any known shape; the loader adds the file name. */
export class UnknownShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownShapeError";
  }
}

interface Scan {
  container: "object" | "array" | "other";
  /** Keys of the first top-level object (of the first element, when the file is an array). */
  keys: string[];
  /** Keys of the first element of a "value" or "records" array inside that object. */
  innerKeys: string[];
  /** True when the first JSON value ends before the first line break. */
  firstValueOnOneLine: boolean;
  /** The first record of a page repeats a key (Microsoft's documented beta response does). */
  innerDuplicateKeys: boolean;
}

/** Scans the beginning of a JSON text without parsing all of it: enough to tell the shape. */
export function scanHead(head: string): Scan {
  let i = 0;
  while (i < head.length && /\s/.test(head[i])) i++;
  if (head.charCodeAt(i) === 0xfeff) i++;
  const first = head[i];
  const container = first === "{" ? "object" : first === "[" ? "array" : "other";
  const keys: string[] = [];
  const innerKeys: string[] = [];
  // The depth at which the keys we want live: 1 inside a top object, 2 inside the first element of an array.
  const keyDepth = container === "array" ? 2 : 1;
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  let lastString = "";
  let lastStringDepth = -1;
  let innerArrayKey = "";
  let innerDepth = -1;
  let innerDone = false;
  let firstDone = false;
  let newlineSeen = false;
  let firstValueOnOneLine = false;
  let elementsSeenAtKeyDepth = 0;
  for (; i < head.length; i++) {
    const ch = head[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') {
        inString = false;
        lastString = head.slice(stringStart + 1, i);
        lastStringDepth = depth;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      stringStart = i;
    } else if (ch === ":") {
      if (lastStringDepth === keyDepth && elementsSeenAtKeyDepth <= 1) keys.push(lastString);
      if (innerDepth !== -1 && lastStringDepth === innerDepth && !innerDone) innerKeys.push(lastString);
      if (lastStringDepth === keyDepth && (lastString === "value" || lastString === "records")) {
        innerArrayKey = lastString;
      }
      lastStringDepth = -1;
    } else if (ch === "{" || ch === "[") {
      depth++;
      if (depth === keyDepth && ch === "{") elementsSeenAtKeyDepth++;
      if (innerArrayKey && innerDepth === -1 && ch === "{" && depth === keyDepth + 2) innerDepth = depth;
    } else if (ch === "}" || ch === "]") {
      if (innerDepth !== -1 && depth === innerDepth) innerDone = true;
      depth--;
      if (depth === 0 && !firstDone) {
        firstDone = true;
        firstValueOnOneLine = !newlineSeen;
      }
    } else if (ch === "\n") {
      if (!firstDone) newlineSeen = true;
    }
  }
  // A value still open when the head ends, with no line break so far, is a one-line page too big for the head:
  // pretty-printed JSON breaks a line within its first bytes.
  if (!firstDone) firstValueOnOneLine = !newlineSeen;
  return {
    container,
    keys: [...new Set(keys)],
    innerKeys: [...new Set(innerKeys)],
    firstValueOnOneLine,
    innerDuplicateKeys: new Set(innerKeys).size < innerKeys.length,
  };
}

const SIGNIN_KEYS = ["createdDateTime", "userPrincipalName", "appDisplayName", "ipAddress", "status"];
const LA_KEYS = ["TimeGenerated", "ResultType", "UserPrincipalName", "CreatedDateTime", "OperationName"];
const AUDIT_KEYS = ["activityDateTime", "activityDisplayName", "loggedByService"];

const hasAny = (keys: string[], wanted: string[]) => wanted.some((k) => keys.includes(k));
const hasAll = (keys: string[], wanted: string[]) => wanted.every((k) => keys.includes(k));

/** The shape of a CSV export, from its header line. */
function csvShape(head: string): Shape {
  const firstLine = head.replace(/^\ufeff/, "").split(/\r?\n/)[0];
  let headers: string[];
  try {
    headers = parseCsv(firstLine).headers;
  } catch {
    headers = [];
  }
  const h = new Set(headers);
  if (headers.length < 2) {
    throw new UnknownShapeError("does not start with a JSON object or array, nor with a CSV header");
  }
  if (h.has("auditdata")) return "purview";
  const portal = portalHeaderKind(headers);
  if (portal === "auth_details") return "portal_auth_details";
  if (portal === "signins") return "portal_csv";
  if (h.has("timestamp") && (h.has("accountupn") || h.has("accountobjectid") || h.has("reportid"))) {
    return "defender";
  }
  throw new UnknownShapeError(
    `is a CSV file but not a known sign-in export (columns: ${
      headers.slice(0, 6).join(", ")
    }); expected an ` +
      `Entra admin center Download, a Purview audit log export or a Defender advanced hunting export`,
  );
}

const JS: Pick<Detected, "format" | "wrapped"> = { format: "newline_delimited", wrapped: false };

/** Tells the shape of a file from its first bytes (decompressed) and, for the admin center's Download, its name. */
export function detectShape(head: string, path = ""): Detected {
  const scan = scanHead(head);
  if (scan.container === "other") return { shape: csvShape(head), ...JS };
  const first = scan.keys;
  if (
    scan.container === "object" &&
    (hasAll(first, ["Schema", "Results"]) || hasAll(first, ["schema", "results"]))
  ) {
    return { shape: "defender", ...JS };
  }
  if (first.includes("AuditData") || hasAll(first, ["Workload", "Operation", "CreationTime"])) {
    return { shape: "purview", ...JS };
  }
  if (first.includes("Timestamp") && hasAny(first, ["AccountUpn", "AccountObjectId", "ReportId"])) {
    return { shape: "defender", ...JS };
  }
  if (first.includes("Request ID") || first.includes("Date (UTC)")) {
    return { shape: isAuthDetailsName(path) ? "portal_auth_details" : "portal_json", ...JS };
  }
  if (portalTab(path) && scan.container === "array" && hasAny(first, SIGNIN_KEYS)) {
    return { shape: "portal_json", ...JS };
  }
  const lineFormat: JsonFormat = scan.container === "array"
    ? "array"
    : scan.firstValueOnOneLine
    ? "newline_delimited"
    : "unstructured";
  const { keys, innerKeys } = scan;
  if (scan.container === "object" && keys.includes("value")) {
    if (hasAny(innerKeys, AUDIT_KEYS)) return { shape: "audit_pages", format: lineFormat, wrapped: false };
    if (innerKeys.length === 0 || hasAny(innerKeys, SIGNIN_KEYS) || innerKeys.includes("id")) {
      return {
        shape: "graph_pages",
        format: lineFormat,
        wrapped: false,
        ...(scan.innerDuplicateKeys ? { duplicateKeys: true } : {}),
      };
    }
  }
  if (scan.container === "object" && keys.includes("records")) {
    return { shape: "azure_monitor", format: lineFormat, wrapped: true };
  }
  if (keys.includes("properties") && keys.includes("category")) {
    return { shape: "azure_monitor", format: lineFormat, wrapped: false };
  }
  if (hasAny(keys, LA_KEYS)) return { shape: "log_analytics", format: lineFormat, wrapped: false };
  if (hasAny(keys, SIGNIN_KEYS)) return { shape: "signin_records", format: lineFormat, wrapped: false };
  if (hasAny(keys, AUDIT_KEYS)) {
    throw new UnknownShapeError(
      "looks like directoryAudit records outside Graph pages; load the Graph pages",
    );
  }
  const shown = keys.slice(0, 6).join(", ") || "none";
  throw new UnknownShapeError(
    `is not a known sign-in log shape (top-level keys: ${shown}); expected Graph pages, NDJSON of signIn ` +
      `records, an Azure Monitor export or a Log Analytics SigninLogs export`,
  );
}
