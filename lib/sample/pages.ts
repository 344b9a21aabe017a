/** Splits a newest-first record stream into Graph response pages, one UTC day per `dt=` folder. */

import { Rng } from "./prng.ts";

export const SIGNINS_CONTEXT = "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns";
export const AUDITS_CONTEXT = "https://graph.microsoft.com/beta/$metadata#auditLogs/directoryAudits";
/** Graph's own page limit for sign-ins; larger `$top` values are rejected. */
export const MAX_PAGE_SIZE = 999;

export type Kind = "signins" | "audits";

export interface Page {
  kind: Kind;
  /** UTC date of every record on the page, "YYYY-MM-DD". */
  date: string;
  /** 1-based page number within the day. */
  number: number;
  records: number;
  /** The file's exact text: one line of compact JSON, no trailing newline. */
  text: string;
}

/** `page-00001.json` */
export function pageFileName(n: number): string {
  return `page-${String(n).padStart(5, "0")}.json`;
}

function nextLink(kind: Kind, date: string, top: number, skip: number, token: string): string {
  const next = new Date(Date.parse(date + "T00:00:00Z") + 86400000).toISOString().slice(0, 10);
  const [path, field] = kind === "signins"
    ? ["signIns", "createdDateTime"]
    : ["directoryAudits", "activityDateTime"];
  const filter = `${field}+ge+${date}T00%3a00%3a00Z+and+${field}+lt+${next}T00%3a00%3a00Z`;
  return `https://graph.microsoft.com/beta/auditLogs/${path}?$filter=${filter}&$top=${top}&$skiptoken=${token}_${skip}`;
}

/**
 * Groups newest-first records into pages of at most `pageSize`; a page carries `@odata.nextLink` exactly when
 * another page of the same day follows. Holds one page in memory.
 */
export function* paginate<T>(
  kind: Kind,
  records: Iterable<T>,
  dateOf: (r: T) => string,
  opts: { pageSize: number; seed: number },
): Generator<Page, void, undefined> {
  const { pageSize } = opts;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`Option pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const context = kind === "signins" ? SIGNINS_CONTEXT : AUDITS_CONTEXT;
  let date = "";
  let number = 0;
  let parts: string[] = [];
  let token = "";
  const render = (link: boolean): Page => {
    const head = `{"@odata.context":${JSON.stringify(context)},`;
    const linkText = link
      ? `"@odata.nextLink":${JSON.stringify(nextLink(kind, date, pageSize, number * pageSize, token))},`
      : "";
    return {
      kind,
      date,
      number,
      records: parts.length,
      text: `${head}${linkText}"value":[${parts.join(",")}]}`,
    };
  };
  for (const r of records) {
    const d = dateOf(r);
    if (d !== date) {
      if (date !== "" && d > date) {
        throw new RangeError(`Records must come newest first: ${d} follows ${date}`);
      }
      if (parts.length > 0) yield render(false);
      date = d;
      number = 1;
      parts = [];
      token = new Rng(opts.seed, Date.parse(d + "T00:00:00Z") / 86400000, kind === "signins" ? 1 : 2).hex(16);
    } else if (parts.length === pageSize) {
      yield render(true);
      number++;
      parts = [];
    }
    parts.push(JSON.stringify(r));
  }
  if (parts.length > 0) yield render(false);
}
