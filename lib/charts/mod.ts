/**
 * Charts of Entra ID sign-ins: Observable Plot rendered server-side, returned as {@link Chart} objects that
 * display inline in a Deno Jupyter notebook, embed in the HTML report and convert to PNG.
 *
 * @example
 * ```ts
 * import { failedSignInsMap, chartToPng } from "./lib/charts/mod.ts";
 * const chart = failedSignInsMap(await runQuery("signin_locations", { from, to }));
 * chart; // in a notebook cell: shows the map
 * await Deno.writeFile("map.png", chartToPng(chart));
 * ```
 * @module
 */
export {
  Chart,
  type ChartSpec,
  type ChartTable,
  JUPYTER_DISPLAY,
  type Legend,
  type LegendItem,
  type TableColumn,
} from "./chart.ts";
export {
  caStatusColor,
  CATEGORY_PALETTE,
  NEUTRAL_COLOR,
  osColor,
  osColors,
  OTHER_COLOR,
  reasonColor,
  reasonColors,
  RESULT_COLORS,
  resultColor,
  resultLabel,
  RESULTS,
  type SignInResult,
} from "./colors.ts";
export { allCountries, type CountryInfo, countryInfo, countryLabel } from "./countries.ts";
export { type FailedMapOptions, failedSignInsMap } from "./failed_map.ts";
export { type FailuresOverTimeOptions, failuresPerUserOverTime } from "./failures_over_time.ts";
export { failuresByHourHeatmap, type FailuresHeatmapOptions } from "./failures_heatmap.ts";
export { failureReasonsByUser, type FailureReasonsOptions } from "./failure_reasons.ts";
export { type SuccessByOsOptions, successByUserByOs } from "./success_by_os.ts";
export { failedByCountry, type FailedByCountryOptions } from "./failed_by_country.ts";
export { browserFamily, failuresByOsBrowser, type OsBrowserOptions } from "./os_browser.ts";
export { type CaOverTimeOptions, conditionalAccessOverTime } from "./ca_over_time.ts";
export {
  authMethodMix,
  type CategoryChartOptions,
  isLegacyClientApp,
  legacyAuthAttempts,
  type LegacyAuthOptions,
  signInsByApp,
} from "./auth_and_apps.ts";
export { interruptsByCode, type InterruptsByCodeOptions } from "./interrupts_by_code.ts";
export { assessIps, type IpAssessment, suspiciousIps, type SuspiciousIpsOptions } from "./suspicious_ips.ts";
export { reasonLabel } from "./reasons.ts";
export { deltaE2000 } from "./color_distance.ts";
export { chooseBin, type TimeBin } from "./time_bins.ts";
export { chartToPng, dejavuFontFiles, type PngOptions, svgToPng } from "./png.ts";
export { writeChartPngs, type WriteChartPngsOptions } from "./write_pngs.ts";
export { renderPlot, ssrDocument } from "./render_plot.ts";
export type * from "./rows.ts";
