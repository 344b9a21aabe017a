/**
 * The local Athena endpoint the tests drive (AWS JSON 1.1 wire protocol over a DuckDB store). It lives in
 * lib/athena/local_endpoint.ts because notebooks/04_athena.ipynb uses it too, and notebooks never import test
 * code; the test-side names stay as they were.
 */
export {
  athenaText,
  athenaTypeName,
  type LocalAthena as FakeAthena,
  type LocalAthenaOptions as FakeAthenaOptions,
  type QueryScript,
  startLocalAthena as startFakeAthena,
  substitute,
} from "../../lib/athena/local_endpoint.ts";
