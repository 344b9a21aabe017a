/** One CSV record: its cells by normalised header name, and the 1-based line it starts on. */
export interface CsvRow {
  cells: Record<string, string>;
  line: number;
  /** The record's text as it was in the file, for rejected_records. */
  raw: string;
}

/**
 * A header as the exports spell it, made comparable: case, surrounding and repeated spaces (the admin
 * center writes "Autonomous system  number"), a BOM and non-breaking spaces do not count.
 */
export function normaliseHeader(h: string): string {
  return h.replace(/^\ufeff/, "").replace(/[\s\u00a0]+/g, " ").trim().toLowerCase();
}

/**
 * Parses RFC 4180 CSV as Microsoft's tools write it: quoted fields with doubled quotes, line breaks inside
 * quotes, CRLF or LF, an optional BOM. The first record is the header. A repeated column name keeps its
 * first non-empty value (the admin center repeats "Incoming token type"). Throws on an unterminated quote,
 * naming the line it opened on.
 */
export function parseCsv(text: string): { headers: string[]; rows: CsvRow[] } {
  const records = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (records.length === 0) return { headers: [], rows: [] };
  const headers = records[0].fields.map(normaliseHeader);
  const rows: CsvRow[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length === 1 && r.fields[0] === "") continue; // blank line
    const cells: Record<string, string> = {};
    headers.forEach((h, i) => {
      const v = r.fields[i] ?? "";
      if (h === "") return;
      if (!(h in cells) || (cells[h] === "" && v !== "")) cells[h] = v;
    });
    rows.push({ cells, line: r.line, raw: r.raw });
  }
  return { headers, rows };
}

interface RawRecord {
  fields: string[];
  line: number;
  raw: string;
}

function splitRecords(text: string): RawRecord[] {
  const out: RawRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let start = 0;
  let i = 0;
  const endRecord = (end: number) => {
    fields.push(field);
    out.push({ fields, line: startLine, raw: text.slice(start, end).replace(/\r$/, "") });
    fields = [];
    field = "";
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n") {
      endRecord(i);
      line++;
      startLine = line;
      start = i + 1;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      // the \n ends the record
    } else field += ch;
    i++;
  }
  if (quoted) throw new Error(`a quoted field opened on line ${startLine} is never closed`);
  if (field !== "" || fields.length > 0) endRecord(text.length);
  return out;
}
