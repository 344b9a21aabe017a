/**
 * Columns every `signins` view has beyond the record's own fields, derived from its list of authentication
 * steps (`authenticationDetails`). Reading that list of structs is the costliest scan in the store: at 10M
 * sign-ins `len(authenticationDetails)` alone took 5 s where a struct field took 0.4 s, and the report's
 * authentication-method chart spent 19.5 s of its 52 s there (busy 2-core machine). So the DuckDB store
 * computes them once, at load, into stored columns; the Athena and Trino views and the Parquet lake's views
 * compute them from the list with the same expression, so every engine answers alike.
 * One text serves both engines: `filter` is a DuckDB built-in too and `cardinality` one of the store's Presto
 * macros (presto_compat.ts).
 */
import { resultExpression } from "./result_class.ts";
import { sha256Hex } from "./sha256_hex.ts";

export interface DerivedColumn {
  name: string;
  duckdb: string;
  trino: string;
  /** What the column says, for the README and the view's readers. */
  about: string;
  /** The expression over a record whose fields are reachable as `${prefix}field`. */
  sql: (prefix: string) => string;
}

const anyStep = (prefix: string, test: string) =>
  `coalesce(cardinality(filter(${prefix}authenticationdetails, d -> ${test})), 0) > 0`;

export const DERIVED_COLUMNS: readonly DerivedColumn[] = [
  {
    name: "auth_step_method",
    duckdb: "VARCHAR",
    trino: "varchar",
    about:
      "'Previously satisfied' when a step says so, else 'Password' when a step was a password, else NULL",
    sql: (p) =>
      `CASE WHEN ${
        anyStep(p, `d.authenticationmethod = 'Previously satisfied'`)
      } THEN 'Previously satisfied' ` +
      `WHEN ${anyStep(p, `d.authenticationmethod = 'Password'`)} THEN 'Password' END`,
  },
  {
    name: "auth_step_claim",
    duckdb: "BOOLEAN",
    trino: "boolean",
    about: "a step was satisfied by a claim in the token (MFA not done in this sign-in)",
    sql: (p) => anyStep(p, `d.authenticationstepresultdetail LIKE '%claim in the token%'`),
  },
  {
    name: "auth_step_declined",
    duckdb: "BOOLEAN",
    trino: "boolean",
    about: "a step says the user declined the MFA prompt",
    sql: (p) => anyStep(p, `d.authenticationstepresultdetail LIKE '%declined%'`),
  },
];

/** `expr AS name, …` for a SELECT list, on Trino, Athena and DuckDB alike. */
export function derivedSelect(prefix = ""): string {
  return DERIVED_COLUMNS.map((c) => `${c.sql(prefix)} AS ${c.name}`).join(", ");
}

/**
 * What the DuckDB store keeps computed per record: the derived columns and the result class (the other
 * engines' views compute `result` from status.errorCode themselves). Evaluating the result's CASE over the
 * interrupt codes cost ~0.3 s a query at 10M sign-ins; stored, a filter on it reads one small column.
 */
export const STORED_COLUMNS: readonly Omit<DerivedColumn, "trino" | "about">[] = [
  { name: "result", duckdb: "VARCHAR", sql: (p) => resultExpression(`${p}status.errorcode`) },
  ...DERIVED_COLUMNS,
];

/** `expr AS name, …` of the stored columns, for the loader's INSERT. */
export function storedSelect(prefix: string): string {
  return STORED_COLUMNS.map((c) => `${c.sql(prefix)} AS ${c.name}`).join(", ");
}

/**
 * A digest of the stored columns' expressions: a store whose digest differs (a new interrupt code, a new
 * derived column) recomputes them when opened for writing, and refuses to be read until then.
 */
export function storedColumnsDigest(): Promise<string> {
  return sha256Hex(STORED_COLUMNS.map((c) => `${c.name} ${c.duckdb} ${c.sql("")}`).join("\n"));
}
