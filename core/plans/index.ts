/**
 * Plans and targets in the database: the catalog store, the shipped plans' seed, drafts from plan
 * files, review, publishing with target versions, and which plan a unit reports against per period.
 */
export { createCatalogStore, fixedCatalogStore, loadCatalogFromDb, DEFAULT_REPORTING, type CatalogStore } from "./store.ts";
export { seedShippedPlans } from "./seed.ts";
export {
  addPlanFromFile,
  planWithSameText,
  getPlanDraft,
  updateDraftTarget,
  dropDraftTarget,
  addDraftTargetFromSentence,
  setPlanScope,
  publishPlan,
  addDraftRow,
  DEFAULT_ROLLUP,
  type PlanDeps,
  type PlanView,
  type DraftFields,
  type DraftTargetView,
  type DraftResult,
  type DraftPatch,
  type DraftEditResult,
  type ScopeResult,
  type PublishResult,
} from "./drafts.ts";
export {
  plansInForce,
  planResolver,
  pickAssignment,
  loadAssignments,
  assignPlan,
  unitsWithoutPlan,
  type Assignment,
  type PlanInForce,
  type AssignResult,
} from "./assign.ts";
export { readDocument, documentFormat, MAX_DOCUMENT_BYTES, type ReadProblem, type ReadResult, type DocumentFormat } from "../documents/read.ts";
export { planExport, planWorkbook, readPlanFile, importPlanFile, SHEET_COLUMNS, type PlanExport, type PlanSheetWords, type SheetProblem, type ImportProblem, type ImportResult } from "./sheet.ts";
