import assert from "node:assert/strict";
import { athenaQueryCost, reportCostAt } from "../../bench/trino_cost.ts";

Deno.test("athenaQueryCost(): $5 per TB, at least 10 MB per query, rounded up to the MB", () => {
  assert.equal(athenaQueryCost(0), 10e6 / 1e12 * 5);
  assert.equal(athenaQueryCost(9_999_999), athenaQueryCost(10e6));
  assert.equal(athenaQueryCost(10_000_001), 11e6 / 1e12 * 5);
  assert.equal(athenaQueryCost(1e12), 5);
});

Deno.test("reportCostAt() scales each query's bytes linearly before applying the minimum", () => {
  // 1 MB at 10k sign-ins is 100 MB at 1M (billed as is) but under the 10 MB minimum at 50k.
  assert.equal(reportCostAt([1e6, 1e6], 10_000, 1_000_000), 2 * 100e6 / 1e12 * 5);
  assert.equal(reportCostAt([1e6], 10_000, 50_000), 10e6 / 1e12 * 5);
});
