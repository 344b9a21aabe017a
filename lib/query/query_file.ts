/** A bound on a numeric parameter: `>= 1`, `> 0`, `<= 1` in the @param line. */
export interface ParamBound {
  value: number;
  inclusive: boolean;
}

/**
 * A declared parameter of a query file: `-- @param name type [bounds] = default  description`, where bounds are
 * up to two of `>= N`, `> N`, `<= N`, `< N` on an integer or double (e.g. `integer >= 1`).
 */
export interface ParamSpec {
  name: string;
  type: "timestamp" | "integer" | "double" | "string";
  default: string;
  description: string;
  /** Present only when declared. */
  min?: ParamBound;
  max?: ParamBound;
}

export interface QueryFile {
  name: string;
  /** The leading comment, without `--` markers and without the @param lines. */
  description: string;
  params: ParamSpec[];
  sql: string;
}

/** A query file's SQL as tokens: what each span of the text is, to the character. */
export interface SqlToken {
  kind: "space" | "comment" | "string" | "quoted" | "param" | "semicolon" | "word" | "other";
  text: string;
  start: number;
}

/** SQL text the tokenizer will not read: ambiguous between DuckDB and Trino, or unterminated. */
export class SqlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqlSyntaxError";
  }
}

/**
 * Splits SQL into tokens the way both engines read it: `--` and `/* *\/` comments, `'…'` strings and `"…"`
 * identifiers with doubled quotes, `$name` parameters, `;`. What the two engines read differently is refused
 * rather than guessed: nested block comments (DuckDB nests them, Trino does not), `E'…'` backslash strings and
 * `$tag$…$tag$` dollar quoting (DuckDB only). Throws SqlSyntaxError naming the offset.
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: SqlToken["kind"], end: number) => {
    out.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  const where = (at: number) => {
    const line = sql.slice(0, at).split("\n").length;
    return `line ${line}`;
  };
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < n && /\s/.test(sql[j])) j++;
      push("space", j);
    } else if (c === "-" && next === "-") {
      const j = sql.indexOf("\n", i);
      push("comment", j === -1 ? n : j);
    } else if (c === "/" && next === "*") {
      const close = sql.indexOf("*/", i + 2);
      if (close === -1) throw new SqlSyntaxError(`unterminated /* comment at ${where(i)}`);
      if (sql.slice(i + 2, close).includes("/*")) {
        throw new SqlSyntaxError(`nested /* comment at ${where(i)} (DuckDB and Trino end it differently)`);
      }
      push("comment", close + 2);
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(c, j);
        if (k === -1) {
          throw new SqlSyntaxError(
            `unterminated ${c === "'" ? "string" : "quoted identifier"} at ${where(i)}`,
          );
        }
        if (sql[k + 1] === c) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      const prev = out.at(-1);
      if (c === "'" && prev?.kind === "word" && /^e$/i.test(prev.text)) {
        throw new SqlSyntaxError(`E'…' escape string at ${where(i)} (DuckDB only; backslashes differ)`);
      }
      push(c === "'" ? "string" : "quoted", j);
    } else if (c === "$") {
      const m = /^\$([a-z_][a-z0-9_]*)?(\$)?/i.exec(sql.slice(i, i + 130))!;
      if (m[2] !== undefined) {
        throw new SqlSyntaxError(`dollar-quoted string at ${where(i)} (DuckDB only)`);
      }
      if (!m[1]) throw new SqlSyntaxError(`"$" without a parameter name at ${where(i)}`);
      push("param", i + m[0].length);
    } else if (c === ";") {
      push("semicolon", i + 1);
    } else if (/[a-z_0-9]/i.test(c)) {
      let j = i + 1;
      while (j < n && /[a-z_0-9]/i.test(sql[j])) j++;
      push("word", j);
    } else {
      push("other", i + 1);
    }
  }
  return out;
}

const PARAM_LINE =
  /^--\s*@param\s+([a-z_][a-z0-9_]*)\s+(timestamp|integer|double|string)((?:\s*(?:>=|<=|>|<)\s*[+-]?\d+(?:\.\d+)?)*)\s*=\s*(\S+)\s*(.*)$/i;
const BOUND = /(>=|<=|>|<)\s*([+-]?\d+(?:\.\d+)?)/g;

/** Reads the bounds part of an @param line into the spec; throws on a contradiction. */
function readBounds(spec: ParamSpec, text: string, file: string): void {
  for (const m of text.matchAll(BOUND)) {
    const bound = { value: Number(m[2]), inclusive: m[1].length === 2 };
    const side = m[1].startsWith(">") ? "min" : "max";
    if (spec.type !== "integer" && spec.type !== "double") {
      throw new Error(`${file}: @param ${spec.name}: bounds apply to integer and double parameters only`);
    }
    if (spec[side]) {
      throw new Error(`${file}: @param ${spec.name} has two ${side === "min" ? "lower" : "upper"} bounds`);
    }
    spec[side] = bound;
  }
  const d = Number(spec.default);
  const below = spec.min && (spec.min.inclusive ? d < spec.min.value : d <= spec.min.value);
  const above = spec.max && (spec.max.inclusive ? d > spec.max.value : d >= spec.max.value);
  if (below || above) {
    throw new Error(`${file}: @param ${spec.name}: default ${spec.default} is outside its bounds`);
  }
}

/** Parses a query file's header and body; throws naming the file on a malformed declaration. */
export function parseQueryFile(name: string, text: string): QueryFile {
  const file = `queries/${name}.sql`;
  const params: ParamSpec[] = [];
  const description: string[] = [];
  let headerDone = false;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("-- @param") || trimmed.startsWith("--@param")) {
      const m = PARAM_LINE.exec(trimmed);
      if (!m) throw new Error(`${file}: malformed @param line: ${trimmed}`);
      const spec: ParamSpec = {
        name: m[1],
        type: m[2].toLowerCase() as ParamSpec["type"],
        default: m[4],
        description: m[5].trim(),
      };
      readBounds(spec, m[3], file);
      if (params.some((p) => p.name === spec.name)) {
        throw new Error(`${file}: @param ${spec.name} is declared twice`);
      }
      params.push(spec);
    } else if (!headerDone && trimmed.startsWith("--")) {
      description.push(trimmed.replace(/^--\s?/, ""));
    } else if (trimmed !== "") {
      headerDone = true;
    }
  }
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const code = tokens.filter((t) => t.kind !== "space" && t.kind !== "comment");
  // One trailing ";" is allowed; any other means a second statement.
  const last = code.at(-1);
  const body = last?.kind === "semicolon" ? code.slice(0, -1) : code;
  if (body.some((t) => t.kind === "semicolon")) {
    throw new Error(`${file}: one statement per file, found more`);
  }
  const first = body[0];
  if (!first || first.kind !== "word" || !/^(select|with)$/i.test(first.text)) {
    throw new Error(
      `${file}: a query file holds one SELECT (or WITH … SELECT), not ${
        first ? JSON.stringify(first.text.slice(0, 20)) : "nothing"
      }`,
    );
  }
  const used = new Set(body.filter((t) => t.kind === "param").map((t) => t.text.slice(1)));
  for (const p of params) {
    if (!used.has(p.name)) {
      throw new Error(`${file}: @param ${p.name} is declared but never used`);
    }
  }
  for (const u of used) {
    if (!params.some((p) => p.name === u)) {
      throw new Error(`${file}: $${u} is used but not declared with -- @param`);
    }
  }
  const sql = last?.kind === "semicolon" ? text.slice(0, last.start).trim() : text.trim();
  return { name, description: description.join("\n"), params, sql };
}

/**
 * Blanks out comments, string literals and quoted identifiers so that searches see only SQL tokens (same
 * length, so offsets still match).
 */
export function stripLiterals(sql: string): string {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sql);
  } catch {
    // Nothing of text the tokenizer refuses counts as SQL; callers that must refuse it use tokenizeSql.
    return " ".repeat(sql.length);
  }
  return tokens.map((t) =>
    t.kind === "comment" || t.kind === "string" || t.kind === "quoted" ? " ".repeat(t.text.length) : t.text
  ).join("");
}
