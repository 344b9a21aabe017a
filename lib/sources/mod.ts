export { instantSql, instantText, parseInstant as parseExportTime } from "./instant.ts";
export {
  isSignInCategory,
  SIGN_IN_KINDS,
  type SignInKind,
  signInKind,
  signInKindSql,
} from "./sign_in_kind.ts";
export type { SourceFormat } from "./source_format.ts";
export { normaliseHeader, parseCsv } from "./csv.ts";
export { COUNTRY_ATTRIBUTION, COUNTRY_DATASET, type CountryLookup, countryLookup } from "./ip_country.ts";
export { EXIT_SOME_REJECTED, loadSummaryNotes } from "./load_summary.ts";
