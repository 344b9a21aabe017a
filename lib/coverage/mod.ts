export {
  buildCoverage,
  type Coverage,
  coverage,
  type CoverageOptions,
  type CoverageRow,
  type DayCoverage,
  type DayStatus,
  GRAPH_RETENTION_DAYS,
} from "./coverage.ts";
export { type CoverageSources, type FetchedSpan, readCoverageSources } from "./coverage_sources.ts";
export { formatCoverage, summariseDays } from "./format_coverage.ts";
