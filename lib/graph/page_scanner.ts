/**
 * A streaming structural scanner for one Graph list page. It sees the bytes as they are written to disk
 * and extracts what the puller needs (next link, record count, the last record's timestamp) without
 * building the page in memory, and it tells a complete JSON object from a truncated one.
 *
 * JSON's structural characters are ASCII, so scanning UTF-8 bytes directly is safe.
 */

/** What the scanner learned about a page. */
export interface PageSummary {
  /** `@odata.nextLink` when present (the next page to fetch, verbatim). */
  nextLink?: string;
  /** `@odata.context` when present. */
  context?: string;
  /** Number of objects in the top-level `value` array. */
  records: number;
  /** `createdDateTime` / `activityDateTime` of the last record seen (oldest: Graph lists newest first). */
  lastTimestamp?: string;
  /** Bytes seen. */
  bytes: number;
  /** True when the bytes form one complete top-level JSON object. */
  complete: boolean;
  /** Why the page is not a complete object, when it is not. */
  problem?: string;
  /**
   * What the top-level `value` member held: `array` on a Graph collection page; `missing` when there is none
   * (an `{"error":…}` body or `{}`); `null`, `object`, `string`, `other` otherwise.
   */
  valueKind: "array" | "missing" | "null" | "object" | "string" | "other";
  /** True when the object has a top-level `error` member (Graph's error body). */
  hasError: boolean;
}

const OBJ = 1;
const ARR = 2;
const TOP_KEYS = new Set(["@odata.nextLink", "@odata.context"]);
const TIME_KEYS = new Set(["createdDateTime", "activityDateTime"]);
const MAX_KEY = 64;
const keyBytes = (names: string[]) => names.map((n) => [n, new TextEncoder().encode(n)] as const);
const TOP_KEY_BYTES = keyBytes(["@odata.nextLink", "@odata.context", "value", "error"]);
const TIME_KEY_BYTES = keyBytes(["createdDateTime", "activityDateTime"]);
const MAX_VALUE = 1 << 16;

const B_QUOTE = 0x22, B_BSLASH = 0x5c, B_LBRACE = 0x7b, B_RBRACE = 0x7d, B_LBRACK = 0x5b, B_RBRACK = 0x5d;
const B_COLON = 0x3a, B_COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class PageScanner {
  #stack: number[] = [];
  #expectKey: boolean[] = [];
  #lastKey: (string | null)[] = [];
  #inString = false;
  #escape = false;
  /** Capturing the current string into #buf (only the few strings the scanner needs). */
  #capture: true | null = null;
  /**
   * Grows by doubling up to MAX_VALUE: keys and timestamps need a few dozen bytes and a nextLink a few hundred,
   * so a page (one scanner each) costs 256 bytes instead of a 64 KiB buffer that lives until the next GC.
   */
  #buf = new Uint8Array(256);
  #bufLen = 0;
  #captureLimit = 0;
  #captureIsKey = false;
  #captureOverflow = false;
  /** The capture holds a backslash or a control byte: it needs JSON.parse to be decoded (or rejected). */
  #captureSpecial = false;
  /**
   * The last record's timestamp as raw bytes, decoded only in summary(): decoding ~1000 per page, one per
   * record, was most of what a pull allocated on the JS heap. Swapped with #buf, never copied.
   */
  #tsBuf = new Uint8Array(64);
  #tsLen = 0;
  #tsPending = false;
  #started = false;
  #done = false;
  #problem: string | undefined;
  #inValueArray = false;
  /** The top-level key whose value starts at the next token (set at its colon). */
  #awaitingTop: string | null = null;
  #valueKind: PageSummary["valueKind"] = "missing";
  #hasError = false;
  #records = 0;
  #bytes = 0;
  #nextLink: string | undefined;
  #context: string | undefined;
  #lastTimestamp: string | undefined;
  #decoder = new TextDecoder();

  /** Feeds the next chunk of the body. */
  feed(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    if (this.#problem) return;
    const len = chunk.length;
    for (let i = 0; i < len; i++) {
      if (this.#inString && this.#capture === null && !this.#escape) {
        // Most bytes of a page sit inside strings nobody needs: skip them in a tight loop (a native
        // indexOf per string costs more than this for Graph's many short strings).
        let c = chunk[i];
        while (c !== B_QUOTE && c !== B_BSLASH && ++i < len) c = chunk[i];
        if (i === len) break;
        if (c === B_BSLASH) {
          this.#escape = true;
          continue;
        }
        this.#inString = false;
        this.#endString();
        continue;
      }
      const b = chunk[i];
      if (this.#inString) {
        if (this.#escape) {
          this.#escape = false;
          this.#push(b);
        } else if (b === B_BSLASH) {
          this.#escape = true;
          this.#push(b);
        } else if (b === B_QUOTE) {
          this.#inString = false;
          this.#endString();
        } else {
          this.#push(b);
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (this.#done) {
        this.#problem = "data after the end of the top-level object";
        return;
      }
      const depth = this.#stack.length;
      if (!this.#started) {
        if (b !== B_LBRACE) {
          this.#problem = "page does not start with a JSON object";
          return;
        }
        this.#started = true;
      }
      if (this.#awaitingTop !== null && depth === 1 && b !== B_COLON) {
        if (this.#awaitingTop === "value") {
          this.#valueKind = b === B_LBRACK
            ? "array"
            : b === B_LBRACE
            ? "object"
            : b === B_QUOTE
            ? "string"
            : b === 0x6e /* n */
            ? "null"
            : "other";
        }
        this.#awaitingTop = null;
      }
      switch (b) {
        case B_QUOTE:
          this.#inString = true;
          this.#beginString(depth);
          break;
        case B_LBRACE:
        case B_LBRACK: {
          if (depth === 2 && this.#inValueArray && b === B_LBRACE) this.#records++;
          if (depth === 1 && b === B_LBRACK && this.#lastKey[0] === "value") this.#inValueArray = true;
          this.#stack.push(b === B_LBRACE ? OBJ : ARR);
          this.#expectKey.push(b === B_LBRACE);
          this.#lastKey.push(null);
          break;
        }
        case B_RBRACE:
        case B_RBRACK: {
          const top = this.#stack.pop();
          this.#expectKey.pop();
          this.#lastKey.pop();
          if (top !== (b === B_RBRACE ? OBJ : ARR)) {
            this.#problem = "mismatched brackets";
            return;
          }
          if (depth === 2 && this.#inValueArray) this.#inValueArray = false;
          if (this.#stack.length === 0) this.#done = true;
          break;
        }
        case B_COLON:
          if (depth > 0) this.#expectKey[depth - 1] = false;
          if (depth === 1) this.#awaitingTop = this.#lastKey[0];
          break;
        case B_COMMA:
          if (depth > 0 && this.#stack[depth - 1] === OBJ) this.#expectKey[depth - 1] = true;
          break;
        default:
          // Numbers, true/false/null: nothing to extract.
          break;
      }
    }
  }

  #beginString(depth: number): void {
    const inObject = depth > 0 && this.#stack[depth - 1] === OBJ;
    const isKey = inObject && this.#expectKey[depth - 1];
    this.#captureIsKey = isKey;
    this.#captureOverflow = false;
    this.#captureSpecial = false;
    if (isKey && (depth === 1 || (depth === 3 && this.#inValueArray))) {
      this.#capture = true;
      this.#bufLen = 0;
      this.#captureLimit = MAX_KEY;
      return;
    }
    if (!isKey && inObject) {
      const key = this.#lastKey[depth - 1];
      if (
        (depth === 1 && key !== null && TOP_KEYS.has(key)) ||
        (depth === 3 && this.#inValueArray && key !== null && TIME_KEYS.has(key))
      ) {
        this.#capture = true;
        this.#bufLen = 0;
        this.#captureLimit = MAX_VALUE;
        return;
      }
    }
    this.#capture = null;
  }

  #push(b: number): void {
    if (this.#capture === null) return;
    if (this.#bufLen >= this.#captureLimit) {
      this.#captureOverflow = true;
      return;
    }
    if (b === B_BSLASH || b < 0x20) this.#captureSpecial = true;
    if (this.#bufLen === this.#buf.length) {
      const bigger = new Uint8Array(Math.min(this.#buf.length * 2, MAX_VALUE));
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    this.#buf[this.#bufLen++] = b;
  }

  #endString(): void {
    const depth = this.#stack.length;
    if (this.#capture === null) {
      if (this.#captureIsKey && depth > 0) this.#lastKey[depth - 1] = "\u0000other";
      return;
    }
    this.#capture = null;
    if (this.#captureIsKey) {
      // Keys are compared as bytes: decoding ~50 keys per record would dominate the scan.
      const key = this.#captureOverflow ? "\u0000long" : this.#matchKey(depth);
      this.#lastKey[depth - 1] = key;
      if (depth === 1 && key === "error") this.#hasError = true;
      return;
    }
    if (depth === 3 && !this.#captureSpecial && !this.#captureOverflow) {
      // No escape and no control byte: valid as it stands, and its UTF-8 decoding is its value.
      const spare = this.#tsBuf;
      this.#tsBuf = this.#buf;
      this.#tsLen = this.#bufLen;
      this.#buf = spare;
      this.#tsPending = true;
      return;
    }
    const raw = this.#decoder.decode(this.#buf.subarray(0, this.#bufLen));
    let text: string;
    try {
      text = JSON.parse(`"${raw}"`);
    } catch {
      this.#problem = "malformed string";
      return;
    }
    if (this.#captureOverflow) {
      if (depth === 1 && this.#lastKey[0] === "@odata.nextLink") {
        this.#problem = "@odata.nextLink is too long";
      }
      return;
    }
    const key = this.#lastKey[depth - 1];
    if (depth === 1 && key === "@odata.nextLink") this.#nextLink = text;
    else if (depth === 1 && key === "@odata.context") this.#context = text;
    else if (depth === 3) {
      this.#lastTimestamp = text;
      this.#tsPending = false;
    }
  }

  #matchKey(depth: number): string {
    const candidates = depth === 1 ? TOP_KEY_BYTES : TIME_KEY_BYTES;
    const n = this.#bufLen;
    for (const [name, bytes] of candidates) {
      if (bytes.length !== n) continue;
      let same = true;
      for (let i = 0; i < n; i++) {
        if (this.#buf[i] !== bytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return name;
    }
    return "\u0000other";
  }

  /** The summary so far; `complete` is only true once the whole top-level object has been seen. */
  summary(): PageSummary {
    if (this.#tsPending) {
      this.#lastTimestamp = this.#decoder.decode(this.#tsBuf.subarray(0, this.#tsLen));
      this.#tsPending = false;
    }
    let problem = this.#problem;
    if (!problem && !this.#done) {
      problem = this.#started ? "page ends before its JSON object closes" : "empty page";
    }
    return {
      nextLink: this.#nextLink,
      context: this.#context,
      records: this.#records,
      lastTimestamp: this.#lastTimestamp,
      bytes: this.#bytes,
      complete: !problem,
      problem,
      valueKind: this.#valueKind,
      hasError: this.#hasError,
    };
  }
}

/**
 * Why a complete JSON object is not a Graph collection page, or undefined when it is one: a `value` array
 * and an `@odata.context` or `@odata.nextLink`, no `error` member. A 200 with `{"error":…}`, `{}` or
 * `"value": null` is a fault (a gateway, a proxy, a half-broken backend), never an empty page.
 */
export function notAPageProblem(summary: PageSummary): string | undefined {
  if (summary.hasError) return "the body is a Graph error object, not a page";
  if (summary.valueKind === "missing") return "the body has no value array";
  if (summary.valueKind !== "array") return `its value is ${summary.valueKind}, not an array`;
  if (summary.context === undefined && summary.nextLink === undefined) {
    return "the body has neither @odata.context nor @odata.nextLink";
  }
  return undefined;
}

/** Scans a whole page at once (tests, tools). */
export function scanPage(bytes: Uint8Array): PageSummary {
  const s = new PageScanner();
  s.feed(bytes);
  return s.summary();
}
