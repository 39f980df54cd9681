/**
 * The officials' dashboard (a Telegram Mini App) in core: who may see what, the views as data,
 * nudges, and the .xlsx of a view. web/dashboard only translates HTTP to these calls.
 */
export { dashboardViewer, unitInScope, breadcrumb, type Viewer, type ViewerResult, type ScopeNode } from "./access.ts";
export { checkInitData, signInitData, dashboardKey, dashboardLink, INIT_DATA_MAX_AGE_S, type InitDataCheck } from "./auth.ts";
export {
  overviewView,
  schoolView,
  progressView,
  trendView,
  lateView,
  periodChoices,
  type OverviewView,
  type SchoolView,
  type ProgressView,
  type TrendView,
  type LateView,
  type ViewWords,
} from "./views.ts";
export { nudgePreview, queueView, type NudgePreview, type QueueView } from "./views.ts";
export { viewWorkbook, type ExportInput, type ViewSheetWords } from "./export.ts";
