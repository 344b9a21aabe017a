import sqlparser from "node-sql-parser";
import { type SqlToken, stripLiterals, tokenizeSql } from "./query_file.ts";

/**
 * Trino functions a query may call: each is a Trino built-in that DuckDB also has with the same meaning, or
 * one the store defines as a macro (lib/store/presto_compat.ts) or the DuckDB runner renames (transform).
 * The grammar check alone accepts any function name, so a DuckDB-only call (strftime, list_sum, epoch …)
 * would reach Athena and fail there; this list stops it here.
 */
export const TRINO_FUNCTIONS = new Set([
  // aggregates
  "count",
  "count_if",
  "sum",
  "avg",
  "min",
  "max",
  "approx_distinct",
  "array_agg",
  "bool_or",
  "bool_and",
  "max_by",
  "min_by",
  "stddev",
  "variance",
  // window
  "row_number",
  "rank",
  "dense_rank",
  "lag",
  "lead",
  "first_value",
  "last_value",
  "ntile",
  // conditional and conversion
  "coalesce",
  "nullif",
  "if",
  "try",
  "try_cast",
  "cast",
  "greatest",
  "least",
  // strings
  "lower",
  "upper",
  "trim",
  "ltrim",
  "rtrim",
  "length",
  "replace",
  "substr",
  "substring",
  "split",
  "concat",
  "strpos",
  "starts_with",
  "regexp_like",
  "regexp_extract",
  "regexp_replace",
  "lpad",
  "rpad",
  "reverse",
  // arrays (Trino names; array_join, cardinality, element_at, transform are macros or renamed on DuckDB)
  "array_join",
  "cardinality",
  "element_at",
  "contains",
  "filter",
  "transform",
  "flatten",
  "array_distinct",
  "array_position",
  "array_sort",
  "array_max",
  "array_min",
  "slice",
  // math
  "abs",
  "round",
  "floor",
  "ceil",
  "ceiling",
  "sqrt",
  "power",
  "ln",
  "log10",
  "exp",
  "sin",
  "cos",
  "asin",
  "acos",
  "atan",
  "atan2",
  "radians",
  "degrees",
  "pi",
  "mod",
  "great_circle_distance",
  // date and time
  "from_iso8601_timestamp",
  "to_iso8601",
  "to_unixtime",
  "date_trunc",
  "date_diff",
  "date_add",
  "date_format",
  "day_of_week",
  "hour",
  "minute",
  "year",
  "month",
  "day",
  "now",
  "current_timestamp",
  // json
  "json_extract_scalar",
]);

/** Words followed by "(" that are SQL syntax, not function calls. */
const SQL_KEYWORDS = new Set([
  "in",
  "over",
  "as",
  "unnest",
  "exists",
  "values",
  "and",
  "or",
  "not",
  "from",
  "join",
  "where",
  "having",
  "on",
  "using",
  "select",
  "when",
  "then",
  "else",
  "by",
  "with",
  "lateral",
  "is",
  "between",
  "like",
  "all",
  "any",
  "some",
  "row",
  "array",
  "interval",
  "distinct",
  "union",
  "except",
  "intersect",
  "case",
  "end",
  "limit",
  "offset",
]);

/**
 * Functions both engines have that a query may still not call, each with the reason the check gives: a security
 * tool must answer the same for the same data.
 */
export const REFUSED_FUNCTIONS = new Map([
  [
    "arbitrary",
    "arbitrary() shows any row's value, another on each engine and run: take the group's columns from one " +
    "chosen row (its first sign-in by time, then id)",
  ],
]);

export interface TrinoCheck {
  ok: boolean;
  problems: string[];
}

/** Checks one query's text against the Trino grammar and the Trino function list. */
export function checkTrino(sql: string): TrinoCheck {
  const problems: string[] = [];
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sql);
  } catch (e) {
    return { ok: false, problems: [(e as Error).message] };
  }
  // Named parameters are DuckDB's; Athena gets positional ones. Comments are not SQL to check.
  const positional = tokens.map((t) =>
    t.kind === "comment" ? " ".repeat(t.text.length) : t.kind === "param" ? "?" : t.text
  ).join("");
  try {
    const ast = new sqlparser.Parser().astify(positional, { database: "trino" });
    const statements = Array.isArray(ast) ? ast : [ast];
    if (statements.length !== 1 || statements[0]?.type !== "select") {
      problems.push(
        `not a single SELECT: ${statements.map((a) => a?.type ?? "nothing").join(", ") || "nothing"}`,
      );
    }
  } catch (e) {
    // The parser lists every token it expected; the token it found is the useful part.
    problems.push(
      `not valid Trino SQL: ${(e as Error).message.split("\n")[0].replace(/^Expected [\s\S]* but /, "")}`,
    );
  }
  const visible = stripLiterals(sql);
  for (const m of visible.matchAll(/([a-z_][a-z0-9_]*)\s*\(/gi)) {
    const name = m[1].toLowerCase();
    const before = visible.slice(0, m.index).trimEnd();
    // Keywords that take parentheses are not calls; nor is a table alias' column list `AS t(records)`.
    if (SQL_KEYWORDS.has(name)) continue;
    // `filter` is both Trino's array function and the FILTER (WHERE …) clause after an aggregate call.
    if (name === "filter" && /\)\s*$/.test(before)) continue;
    if (/\bas$/i.test(before)) continue;
    const refused = REFUSED_FUNCTIONS.get(name);
    if (refused) problems.push(refused);
    else if (!TRINO_FUNCTIONS.has(name)) {
      problems.push(`${name}() is not a Trino function (or not one DuckDB shares)`);
    }
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)] };
}
