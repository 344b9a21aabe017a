/** One line of a file: its text (without the line break and a trailing CR), 1-based number and byte offset. */
export interface Line {
  text: string;
  line: number;
  offset: number;
}

/**
 * Streams a file's lines (gunzipping `.gz`) without holding the file in memory: a multi-GB NDJSON export read
 * through JavaScript must not become one string (V8 caps strings near 1 GB). A BOM at the start is dropped;
 * offsets count the file's own bytes (after decompression).
 */
export async function* readLines(path: string): AsyncGenerator<Line> {
  const file = await Deno.open(path, { read: true });
  let stream: ReadableStream<Uint8Array> = file.readable;
  if (path.endsWith(".gz")) {
    stream = stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
  }
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let offset = 0;
  let line = 1;
  let first = true;
  const take = (tail: Uint8Array): Line => {
    const bytes = concat([...pending, tail], pendingLength + tail.length);
    pending = [];
    pendingLength = 0;
    let start = 0;
    if (first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    first = false;
    let end = bytes.length;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    const out = { text: decoder.decode(bytes.subarray(start, end)), line, offset: offset + start };
    offset += bytes.length + 1;
    line++;
    return out;
  };
  for await (const chunk of stream) {
    let from = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, from)) {
      yield take(chunk.subarray(from, i));
      from = i + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.slice(from));
      pendingLength += chunk.length - from;
    }
  }
  if (pendingLength > 0) yield take(new Uint8Array(0));
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
