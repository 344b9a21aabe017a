/** One top-level JSON value of a file, with where it starts (1-based line, 0-based byte offset). */
export interface JsonDoc {
  value: unknown;
  line: number;
  offset: number;
}

/** A piece of a file that could not be used, with where it is and why. */
export interface RejectedText {
  line: number | null;
  offset: number | null;
  reason: string;
  raw: string;
}

const utf8 = new TextEncoder();
const MAX_RAW = 64 << 10;

/** Keeps rejected raw text bounded: one bad 200 MB page must not be copied into the store whole. */
export function clip(raw: string): string {
  return raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}… (${raw.length} characters)` : raw;
}

/**
 * Splits a JSON text the way JSON.parse reads it (BOM, CRLF, trailing whitespace and duplicate keys are fine;
 * the last duplicate wins) into top-level values: the whole text when it is one document, else one per line
 * (NDJSON). A line or document that does not parse is returned as rejected with its line and byte offset.
 */
export function splitJson(text: string): { docs: JsonDoc[]; rejected: RejectedText[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const bomBytes = body === text ? 0 : 3;
  try {
    return { docs: [{ value: JSON.parse(body), line: 1, offset: bomBytes }], rejected: [] };
  } catch (whole) {
    const lines = body.split("\n");
    const firstLine = lines.find((l) => l.trim() !== "") ?? "";
    if (!parses(firstLine) || lines.filter((l) => l.trim() !== "").length < 2) {
      // One (pretty-printed or single-line) document that is broken: nothing in it can be trusted.
      const at = /position (\d+)/.exec((whole as Error).message);
      return {
        docs: [],
        rejected: [{
          line: at ? body.slice(0, Number(at[1])).split("\n").length : null,
          offset: at ? bomBytes + utf8.encode(body.slice(0, Number(at[1]))).length : null,
          reason: `not valid JSON: ${(whole as Error).message}`,
          raw: clip(body),
        }],
      };
    }
    const docs: JsonDoc[] = [];
    const rejected: RejectedText[] = [];
    let offset = bomBytes;
    for (const [i, line] of lines.entries()) {
      if (line.trim() !== "") {
        try {
          docs.push({ value: JSON.parse(line), line: i + 1, offset });
        } catch (e) {
          const at = /position (\d+)/.exec((e as Error).message);
          rejected.push({
            line: i + 1,
            offset: at ? offset + utf8.encode(line.slice(0, Number(at[1]))).length : offset,
            reason: `not valid JSON: ${(e as Error).message}`,
            raw: clip(line.replace(/\r$/, "")),
          });
        }
      }
      offset += utf8.encode(line).length + 1;
    }
    return { docs, rejected };
  }
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
