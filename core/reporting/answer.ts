/**
 * One answer to one question: check it against the target definition, then store it.
 * Returns a tagged result the bot turns into a message.
 */
import { cutChars, echo, nfc } from "../text.ts";
import { checkAnswer } from "./check.ts";
import { findSuspicion, type Suspicion } from "./plausibility.ts";
import { checkContextFor, isLocked, loadReportState, saveAnswer, saveReason, withAnswer, type ReportingDeps, type ReportState } from "./reports.ts";

export type AnswerOutcome =
  | { status: "invalid"; message: string }
  | { status: "saved"; meetsTarget: boolean | null; gapText: string | null; message: string }
  /** Valid but implausible: not stored until the user confirms it (recordAnswer with confirmed: true). */
  | { status: "suspect"; suspicion: Suspicion }
  | { status: "not_in_report" }
  /** The report was approved: locked until the approver unapproves it. */
  | { status: "locked" };

/** Check and store an answer; also returns the report's state after it (for the next question). */
export async function recordAnswer(
  deps: ReportingDeps,
  input: { reportId: number; code: string; raw: string; userId: number | null; /** the user confirmed an implausible value */ confirmed?: boolean },
): Promise<{ outcome: AnswerOutcome; state: ReportState }> {
  const state = await loadReportState(deps, input.reportId);
  if (isLocked(state.report)) return { outcome: { status: "locked" }, state };
  const entry = state.indicators.find((e) => e.code === input.code);
  if (!entry) return { outcome: { status: "not_in_report" }, state };
  const raw = nfc(input.raw);
  const check = checkAnswer(entry, raw, checkContextFor(state, entry.code));
  if (!check.ok) return { outcome: { status: "invalid", message: cutEcho(check.message, raw) }, state };
  const suspicion = findSuspicion(state, entry, check);
  if (suspicion && !input.confirmed) return { outcome: { status: "suspect", suspicion }, state };
  const flag = suspicion ? JSON.stringify(suspicion) : null;
  const stored = await saveAnswer(deps, { reportId: input.reportId, code: entry.code, userId: input.userId, raw, check, status: state.report.status, targetId: entry.targetId ?? null, flag });
  return {
    outcome: { status: "saved", meetsTarget: check.meetsTarget, gapText: check.gap?.text ?? null, message: check.message },
    state: withAnswer(state, entry.code, stored),
  };
}

/** A message that quotes the whole input quotes only its start (a pasted page must not come back whole). */
function cutEcho(message: string, raw: string): string {
  return raw.length > 60 ? message.split(raw).join(echo(raw)) : message;
}

/** A reason for a below-target answer; must say something (at least 3 characters). */
export async function recordReason(
  deps: ReportingDeps,
  input: { reportId: number; code: string; reason: string },
): Promise<{ ok: true } | { ok: false; message: string; locked?: true }> {
  const reason = nfc(input.reason);
  const report = await deps.db.report.findUnique({ where: { id: input.reportId }, select: { status: true, approvalStatus: true } });
  if (report && isLocked(report)) return { ok: false, locked: true, message: LOCKED_MESSAGE };
  if (reason.length < 3 || reason.startsWith("/")) {
    return { ok: false, message: "Lý do cần ít nhất vài chữ, ví dụ: \"còn 2 giáo viên chờ cấp chứng thư số\". Vui lòng nhập lại." };
  }
  await saveReason(deps, input.reportId, input.code, cutChars(reason, 500));
  return { ok: true };
}

/** What a focal point reads when trying to change an approved report. */
export const LOCKED_MESSAGE =
  "🔒 Báo cáo đã được duyệt nên không sửa được nữa. Nếu cần sửa, vui lòng liên hệ cán bộ đã duyệt để mở khóa (bỏ duyệt) báo cáo.";
