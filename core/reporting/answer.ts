/**
 * One answer to one question: check it against the target definition, then store it.
 * Returns a tagged result the bot turns into a message (bot/messages/answers.ts).
 */
import type { Measure } from "../catalog/schema.ts";
import { cutChars, nfc } from "../text.ts";
import { sql } from "../db/sql.ts";
import { checkAnswer, type Gap } from "./check.ts";
import type { AnswerProblem, ParsedAnswer } from "./parse.ts";
import { findSuspicion, type Suspicion } from "./plausibility.ts";
import { checkContextFor, inReportTx, isLocked, loadReportState, saveAnswerWithVersion, saveReason, withAnswer, type ReportHead, type ReportingDeps, type ReportState } from "./reports.ts";

export type AnswerOutcome =
  | { status: "invalid"; problem: AnswerProblem }
  /** Stored; `measure` carries the question's units for the wording. */
  | { status: "saved"; meetsTarget: boolean | null; answer: ParsedAnswer; gap: Gap | null; measure: Measure }
  /** Valid but implausible: not stored until the user confirms it (recordAnswer with confirmed: true). */
  | { status: "suspect"; suspicion: Suspicion }
  | { status: "not_in_report" }
  /** The report was approved: locked until the approver unapproves it. */
  | { status: "locked" };

/**
 * Check and store an answer; also returns the report's state after it (for the next question).
 * Read, check and write run in one transaction under the report's lock (a submit cannot slip in
 * between the check and the write).
 */
export async function recordAnswer(
  deps: ReportingDeps,
  input: {
    reportId: number;
    code: string;
    raw: string;
    userId: number | null;
    /** the user confirmed an implausible value */
    confirmed?: boolean;
    /** the report and its unit, read in this very transaction under its lock with nothing written since (saves a statement) */
    head?: ReportHead | null;
  },
): Promise<{ outcome: AnswerOutcome; state: ReportState }> {
  return inReportTx(deps, input.reportId, (tx) => recordAnswerLocked(tx, input));
}

async function recordAnswerLocked(deps: ReportingDeps, input: Parameters<typeof recordAnswer>[1]): Promise<{ outcome: AnswerOutcome; state: ReportState }> {
  const state = await loadReportState(deps, input.reportId, input.head);
  if (isLocked(state.report)) return { outcome: { status: "locked" }, state };
  const entry = state.indicators.find((e) => e.code === input.code);
  if (!entry) return { outcome: { status: "not_in_report" }, state };
  const raw = nfc(input.raw);
  const check = checkAnswer(entry, raw, checkContextFor(state, entry.code));
  if (!check.ok) return { outcome: { status: "invalid", problem: check.problem }, state };
  const suspicion = findSuspicion(state, entry, check);
  if (suspicion && !input.confirmed) return { outcome: { status: "suspect", suspicion }, state };
  const flag = suspicion ? JSON.stringify(suspicion) : null;
  const { stored, version } = await saveAnswerWithVersion(deps, {
    reportId: input.reportId,
    code: entry.code,
    userId: input.userId,
    raw,
    check,
    status: state.report.status,
    targetId: entry.targetId ?? null,
    flag,
  });
  const after = withAnswer(state, entry.code, stored);
  return {
    outcome: { status: "saved", meetsTarget: check.meetsTarget, answer: check.answer, gap: check.gap, measure: entry.measure },
    // the report as stored now: its version bumped by the save
    state: { ...after, report: { ...after.report, version } },
  };
}

/** A reason for a below-target answer; must say something (at least 3 characters). */
export async function recordReason(
  deps: ReportingDeps,
  input: { reportId: number; code: string; reason: string },
): Promise<{ ok: true } | { ok: false; problem: ReasonProblem; locked?: true }> {
  return inReportTx(deps, input.reportId, (tx) => recordReasonLocked(tx, input));
}

async function recordReasonLocked(deps: ReportingDeps, input: { reportId: number; code: string; reason: string }): Promise<{ ok: true } | { ok: false; problem: ReasonProblem; locked?: true }> {
  const reason = nfc(input.reason);
  const [report] = await sql(deps.db).query<{ status: string; approvalStatus: string }>`SELECT "status", "approvalStatus" FROM "Report" WHERE "id" = ${input.reportId}`;
  if (report && isLocked(report)) return { ok: false, locked: true, problem: "locked" };
  if (reason.length < 3 || reason.startsWith("/")) {
    return { ok: false, problem: "too_short" };
  }
  await saveReason(deps, input.reportId, input.code, cutChars(reason, 500));
  return { ok: true };
}

/** Why a reason was not stored: the report is approved (locked), or the reason says nothing. */
export type ReasonProblem = "locked" | "too_short";
