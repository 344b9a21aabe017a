import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { duckdbIdent, duckdbType } from "../schema/duckdb_types.ts";
import { instantSql } from "./instant.ts";

/**
 * The signIn records lib/sources normalised from exports DuckDB cannot read itself (admin center, Purview,
 * Defender), one per line, each with its bookkeeping in `_lens_*` keys: the source file, kind, format and the
 * fields signin-lens derived rather than read.
 */
export const LENS_KEYS = {
  _lens_source: "VARCHAR",
  _lens_kind: "VARCHAR",
  _lens_format: "VARCHAR",
  _lens_derived: "VARCHAR[]",
} as const;

/** A SELECT over the normalised files bound to `$files` yielding the store's columns. */
export function normalisedSelect(o: { maximumObjectSize: number }): string {
  const columns = [
    ...SIGNIN_FIELDS.map((f) => `${duckdbIdent(f.name)}: '${duckdbType(f.type)}'`),
    ...Object.entries(LENS_KEYS).map(([k, t]) => `${k}: '${t}'`),
  ].join(", ");
  return `SELECT ${SIGNIN_FIELDS.map((f) => duckdbIdent(f.name)).join(", ")}, ` +
    `(${instantSql(`"createdDateTime"`)}) AS created_at, CAST(NULL AS TIMESTAMPTZ) AS _version_at, ` +
    `_lens_source AS _source, _lens_kind AS sign_in_kind, _lens_format AS source_format, ` +
    `_lens_derived AS derived_fields FROM read_json($files, columns = {${columns}}, ` +
    `format = 'newline_delimited', maximum_object_size = ${Math.trunc(o.maximumObjectSize)})`;
}
