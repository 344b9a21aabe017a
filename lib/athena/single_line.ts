const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c;

/**
 * A JSON document on one line, for the OpenX JsonSerDe (one document per line): whitespace between tokens is
 * dropped, every token is kept byte for byte (numbers, escapes and key order untouched; no re-serialization).
 * A document already on one line comes back as the same bytes. JSON strings cannot hold raw line breaks, so
 * the result never contains one.
 */
export function toSingleLine(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && isSpace(bytes[end - 1])) end--;
  let start = 0;
  while (start < end && isSpace(bytes[start])) start++;
  if (!hasLineBreak(bytes, start, end)) {
    return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  }
  const out = new Uint8Array(end - start);
  let n = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (inString) {
      out[n++] = b;
      if (b === BACKSLASH) out[n++] = bytes[++i];
      else if (b === QUOTE) inString = false;
    } else if (!isSpace(b)) {
      out[n++] = b;
      if (b === QUOTE) inString = true;
    }
  }
  return out.subarray(0, n);
}

function isSpace(b: number): boolean {
  return b === SPACE || b === TAB || b === LF || b === CR;
}

function hasLineBreak(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === LF || bytes[i] === CR) return true;
  return false;
}
