export { SIGNIN_FIELDS } from "./signin_fields.ts";
export type { Field, FieldType } from "./field_type.ts";
export { duckdbJsonStructure, duckdbRecordType, duckdbType } from "./duckdb_types.ts";
export { athenaType } from "./athena_types.ts";
export {
  ATHENA_DEFAULTS,
  athenaAuditTableDdl,
  athenaAuditViewDdl,
  type AthenaDdlOptions,
  athenaTableDdl,
  athenaViewDdl,
} from "./athena_ddl.ts";
export { AUDIT_FIELDS } from "./audit_fields.ts";
