import type { ParamValue } from "../query/params.ts";
import { type QueryFile, stripLiterals } from "../query/query_file.ts";
import { sqlLiteral } from "./sql_literal.ts";

export interface PositionalQuery {
  /** The query text with every `$name` outside literals and comments replaced by `?`. */
  sql: string;
  /** Parameter names in the order of their `?`, repeated when a name is used twice. */
  order: string[];
}

/** Rewrites a query file's named `$params` into the positional `?` placeholders Athena binds. */
export function toPositional(query: Pick<QueryFile, "sql" | "name">): PositionalQuery {
  const visible = stripLiterals(query.sql);
  const order: string[] = [];
  let sql = "";
  let last = 0;
  for (const m of visible.matchAll(/\$([a-z_][a-z0-9_]*)/gi)) {
    order.push(m[1]);
    sql += query.sql.slice(last, m.index) + "?";
    last = m.index + m[0].length;
  }
  return { sql: sql + query.sql.slice(last), order };
}

/**
 * The query text with `?` placeholders and one SQL literal per `?`, produced by {@linkcode sqlLiteral} from the
 * resolved (type-checked) parameter values: what Athena's ExecutionParameters and Trino's EXECUTE … USING bind.
 */
export function positionalStatement(
  query: QueryFile,
  params: Record<string, ParamValue>,
): { sql: string; literals: string[] } {
  const { sql, order } = toPositional(query);
  const literals = order.map((name) => {
    const spec = query.params.find((p) => p.name === name);
    if (!spec) throw new Error(`queries/${query.name}.sql: $${name} is used but not declared with -- @param`);
    if (!(name in params)) throw new Error(`query ${query.name}: no value for parameter ${name}`);
    try {
      return sqlLiteral(params[name], spec.type);
    } catch (e) {
      throw new Error(`parameter ${name} of query ${query.name}: ${(e as Error).message}`);
    }
  });
  return { sql, literals };
}

/** The query text and its ExecutionParameters for StartQueryExecution (see positionalStatement). */
export function athenaStatement(
  query: QueryFile,
  params: Record<string, ParamValue>,
): { sql: string; executionParameters: string[] } {
  const { sql, literals } = positionalStatement(query, params);
  return { sql, executionParameters: literals };
}
