// A report with no sign-ins in it is almost always a mistake (an empty store after a failed load, a range outside
// the data), and a page of zeros reads like "the tenant had no sign-ins". So it is an error unless asked for, and
// when asked for, the page says why it is empty in a banner nobody can miss.

/** What the whole store holds, for the message: the range may be empty while the store is not. */
export interface StoreTotals {
  readonly signins: number;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
}

/** The report would have no sign-ins; `exitCode` 1: nothing was written. */
export class EmptyReportError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = "EmptyReportError";
  }
}

const day = (iso: string) => iso.slice(0, 10);

/** One or two sentences saying why there is nothing to show; the same text for the error and the banner. */
export function emptyReason(from: string, to: string, store?: StoreTotals): string {
  if (store && store.signins === 0) {
    return "The store holds no sign-ins at all (a load that failed, or nothing loaded yet), so every number in " +
      "this report would be zero: that says nothing about the tenant. Load logs with `deno task load` first.";
  }
  const range = `between ${day(from)} and ${day(to)} (exclusive)`;
  if (store && store.first_seen && store.last_seen) {
    return `No sign-ins ${range}; the store holds ${store.signins.toLocaleString("en-US")} ` +
      `${store.signins === 1 ? "sign-in" : "sign-ins"} from ` +
      `${day(store.first_seen)} to ${day(store.last_seen)}. Pick a range inside it.`;
  }
  return `No sign-ins ${range} in this store.`;
}
