import { listQueries, loadQuery, QUERIES_DIR, type QueryFile } from "../query/mod.ts";

/** A query file that could not be read, with the file and the reason. */
export interface BrokenQuery {
  file: string;
  message: string;
}

/** Every readable query of queries/, and the broken ones named: one bad file must not hide the others. */
export async function listQueryFiles(
  dir = QUERIES_DIR,
): Promise<{ queries: QueryFile[]; broken: BrokenQuery[] }> {
  const queries: QueryFile[] = [];
  const broken: BrokenQuery[] = [];
  for (const name of await listQueries(dir)) {
    try {
      queries.push(await loadQuery(name, dir));
    } catch (e) {
      const message = (e as Error).message;
      broken.push({
        file: `queries/${name}.sql`,
        message: message.startsWith("queries/") ? message : `queries/${name}.sql: ${message}`,
      });
    }
  }
  return { queries, broken };
}

/**
 * The first sentence of a query's description, whole: the header's first paragraph up to its first full stop
 * (never cut mid-sentence; wrapping is the caller's business).
 */
export function firstSentence(description: string): string {
  const paragraph: string[] = [];
  for (const line of description.split("\n")) {
    const t = line.trim();
    if (t === "" || /^[*-] /.test(t)) break;
    paragraph.push(t);
  }
  const text = paragraph.join(" ");
  // A full stop followed by a space and a capital (or the end) ends the sentence; "e.g. x" does not.
  const m = /^(.*?[.!?])(?=\s+[A-Z(]|$)/s.exec(text);
  return (m ? m[1] : text).trim();
}

/** Wraps words into lines of at most `width` characters, each after `indent` spaces. */
export function wrap(text: string, width: number, indent: number): string[] {
  const room = Math.max(20, width - indent);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => " ".repeat(indent) + l);
}

const NAME_COLUMN = 27;

/** One --list entry: name, the description's first sentence wrapped to `width`, then the parameters. */
export function describeQuery(q: QueryFile, width = 110): string {
  const [first, ...rest] = wrap(firstSentence(q.description) || "(no description)", width, NAME_COLUMN);
  const lines = [q.name.padEnd(NAME_COLUMN - 1) + " " + first.trimStart(), ...rest];
  const params = q.params.map((p) => `${p.name}=${p.default}`).join(" ");
  if (params) lines.push(...wrap(`[${params}]`, width, NAME_COLUMN));
  return lines.join("\n");
}

/** `deno task query <name> --help`: the query's whole description, its parameters and an example. */
export function queryHelp(q: QueryFile): string {
  const lines = [
    `Usage: deno task query ${q.name}${q.params.length ? " [--param key=value]..." : ""} [options]`,
    "",
  ];
  lines.push(q.description.trim() || "(no description)", "");
  if (q.params.length > 0) {
    lines.push("Parameters (--param name=value):");
    const w = Math.max(...q.params.map((p) => p.name.length));
    for (const p of q.params) {
      lines.push(
        `  ${p.name.padEnd(w)}  ${p.type}, default ${p.default}${p.description ? `: ${p.description}` : ""}`,
      );
    }
  } else lines.push("Parameters: none.");
  lines.push("", "Options as for every query: see deno task query --help.", "", "Example:");
  const example = q.params.some((p) => p.name === "from") && q.params.some((p) => p.name === "to")
    ? ` --param from=2026-10-01 --param to=2026-11-01`
    : "";
  lines.push(`  deno task query ${q.name}${example} --format csv`);
  return lines.join("\n");
}
