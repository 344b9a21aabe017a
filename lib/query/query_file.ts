/** A declared parameter of a query file: `-- @param name type = default  description`. */
export interface ParamSpec {
  name: string;
  type: "timestamp" | "integer" | "double" | "string";
  default: string;
  description: string;
}

export interface QueryFile {
  name: string;
  /** The leading comment, without `--` markers and without the @param lines. */
  description: string;
  params: ParamSpec[];
  sql: string;
}

const PARAM_LINE =
  /^--\s*@param\s+([a-z_][a-z0-9_]*)\s+(timestamp|integer|double|string)\s*=\s*(\S+)\s*(.*)$/i;

/** Parses a query file's header and body; throws naming the file on a malformed declaration. */
export function parseQueryFile(name: string, text: string): QueryFile {
  const params: ParamSpec[] = [];
  const description: string[] = [];
  let headerDone = false;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("-- @param") || trimmed.startsWith("--@param")) {
      const m = PARAM_LINE.exec(trimmed);
      if (!m) throw new Error(`queries/${name}.sql: malformed @param line: ${trimmed}`);
      params.push({
        name: m[1],
        type: m[2].toLowerCase() as ParamSpec["type"],
        default: m[3],
        description: m[4].trim(),
      });
    } else if (!headerDone && trimmed.startsWith("--")) {
      description.push(trimmed.replace(/^--\s?/, ""));
    } else if (trimmed !== "") {
      headerDone = true;
    }
  }
  const used = new Set([...stripLiterals(text).matchAll(/\$([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]));
  for (const p of params) {
    if (!used.has(p.name)) {
      throw new Error(`queries/${name}.sql: @param ${p.name} is declared but never used`);
    }
  }
  for (const u of used) {
    if (!params.some((p) => p.name === u)) {
      throw new Error(`queries/${name}.sql: $${u} is used but not declared with -- @param`);
    }
  }
  const sql = text.trim().replace(/;\s*$/, "");
  if (stripLiterals(sql).includes(";")) {
    throw new Error(`queries/${name}.sql: one statement per file, found more`);
  }
  return { name, description: description.join("\n"), params, sql };
}

/** Blanks out comments and string literals so that searches see only SQL tokens. */
export function stripLiterals(sql: string): string {
  return sql.replace(/--[^\n]*|'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (m) => " ".repeat(m.length));
}
