/**
 * The officials' side: who is late or missing, progress against targets, a unit's history,
 * questions in Vietnamese read into queries, charts (PNG) and exports (xlsx/csv).
 * Every query takes `under` (a unit code): the caller decides what an official may see.
 *
 *   const late = await lateReport(db, catalog, { period: "2026-03", under: "XA-TANKY" });
 *   const progress = await progressReport(db, catalog, { period: "2026-03", under: "XA-TANKY" });
 *   const q = parseOfficialQuestion("Trường nào chưa đạt chỉ tiêu chữ ký số?", { now, catalog });
 */
export { loadScope, rootUnits, expectedIndicators, UnknownUnitError, type Scope, type ScopeUnit } from "./scope.ts";
export {
  lateReport,
  planDeadline,
  LEVEL_LABEL,
  type LateOptions,
  type LateReport,
  type LateUnit,
  type MissingUnit,
  type RateGroup,
  type UnitStatus,
} from "./late.ts";
export {
  progressReport,
  meets,
  gapTo,
  unitThreshold,
  type BelowUnit,
  type IndicatorProgress,
  type PeriodAggregate,
  type ProgressOptions,
  type ProgressReport,
} from "./progress.ts";
export { unitHistory, type HistoryOptions, type UnitHistory, type HistoryPeriod, type HistoryAnswer } from "./history.ts";
export {
  parseOfficialQuestion,
  isPlanQuestion,
  parsePeriodPhrase,
  matchIndicators,
  queryFromToolCall,
  OFFICIAL_TOOLS,
  type OfficialQuery,
  type OfficialQueryKind,
  type UnclearQuery,
  type ParseOptions,
} from "./intent.ts";
export {
  progressChartPng,
  reportingRateChartPng,
  schoolsChartPng,
  schoolsChartSpec,
  wrapLabel,
  MAX_BARS,
  progressChartSpec,
  reportingRateChartSpec,
  vegaLiteToSvg,
  svgToPng,
  chartFontFiles,
  CHART_FONT,
} from "./charts.ts";
export {
  buildWorkbook,
  buildCsv,
  exportPeriod,
  unitAnswers,
  type AnswerCell,
  type SheetWords,
  type UnitAnswers,
  type ExportFile,
} from "./export.ts";
