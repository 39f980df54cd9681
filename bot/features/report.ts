/**
 * The reporting conversation (/baocao): choose unit and period, answer the questions one by one,
 * review the summary, submit; edit after submitting creates a new revision.
 *
 * The database holds the truth. The answers are in Report/Answer rows (core/reporting/reports.ts)
 * and WHERE the chat is — which question the next typed text answers, whether a reason or a yes/no
 * is awaited — is the chat's ReportCursor row (core/reporting/steps.ts), written in the same
 * transaction that stores an answer, before the reply is sent. A restart, a redelivered update or
 * a duplicate message therefore cannot move an answer to another question or report.
 *
 * Why no conversations plugin here any more: its state (and the session) was saved after the
 * handler returned, i.e. after the reply, so a kill in between replayed the next message against
 * the previous step; and its replays re-ran the throttler on every replayed reply. Each step of
 * this flow is one database transaction plus one reply, so the plugin no longer earns its place.
 *
 * This file only turns core results into messages (issue 10 §0): every query and access decision
 * is in core/reporting.
 */
import { Composer, InlineKeyboard } from "grammy";
import { answerProblemText, belowTargetText, LOCKED_MESSAGE, reasonProblemText, savedText } from "../messages/answers.ts";
import { answerAsText } from "../../core/reporting/parse.ts";
import { currentPeriod, formatPeriod, formatVietnamDate, InvalidPeriodError, parsePeriod, previousPeriod, type Period } from "../../core/reporting/periods.ts";
import type { AnswerProblem } from "../../core/reporting/parse.ts";
import { deadlineText, invalidPeriodText, keepAllLabel, keepReasonLabel, keptText, ownDeadlinesText, suspicionText, type OwnDeadline } from "../messages/report.ts";
import { isFuturePeriod } from "../../core/reporting/window.ts";
import { isLocked, loadReportState, offeredPeriods, openReport, type ReportState } from "../../core/reporting/reports.ts";
import {
  answerStep,
  askEditReason,
  cancelStep,
  dropCursor,
  isMemberOfReport,
  isMemberOfUnit,
  isReplay,
  keepAllStep,
  openStep,
  openStepOfUser,
  pointNext,
  pointStep,
  readCursor,
  readCursorOf,
  problemOf,
  reasonPrompt,
  reasonStep,
  reportHeader,
  submitStep,
  suspicionOf,
  unitName,
  unitsOfUser,
  type AnswerStep,
  type Cursor,
  type OpenStep,
  type Pass,
  type ReasonStep,
  type Refusal,
  type SubmitStep,
  type Who,
} from "../../core/reporting/steps.ts";
import type { BotContext } from "../context.ts";
import { classifyMessage, deadlineQuestion, periodKindNamed } from "../../core/intent.ts";
import { clip, cutChars, fold, nfc } from "../../core/text.ts";
import { askPlans } from "./ask.ts";
import { deliverOutbox } from "./approval.ts";
import { submitOutboxKey } from "../../core/notify/outbox.ts";
import { NOT_A_FOCAL_POINT, answerOutsideReportText, smallTalkReply, welcomeText } from "../messages/common.ts";
import { scopeOf } from "../../core/units/people.ts";
import { escapeHtml, parseCb, pickQuestionView, questionView, summaryView, unitNameHtml } from "../report-view.ts";

/**
 * Answer the button's callback query. A redelivered tap (after a kill) answers a query Telegram
 * already considers answered, which fails: that must not stop the tap from being applied.
 */
async function ack(ctx: BotContext, opts?: { text: string; show_alert: boolean }): Promise<void> {
  await ctx.answerCallbackQuery(opts).catch(() => undefined);
}

/** Who acts: this chat, this user, this Telegram update (its redelivery is recognised by the cursor). */
function who(ctx: BotContext): Who {
  return { chatId: String(ctx.chat?.id ?? ctx.from?.id), userId: ctx.user.id, updateId: ctx.update.update_id };
}

const NO_LONGER_MEMBER =
  "Bạn không còn là đầu mối của đơn vị có báo cáo này, nên không thể tiếp tục. Vui lòng liên hệ cán bộ quản lý nếu đây là nhầm lẫn.";
const CHANGED_ELSEWHERE = "⚠️ Người khác vừa thay đổi báo cáo này. Đây là tóm tắt mới nhất, vui lòng kiểm tra lại rồi bấm Gửi:\n\n";

/** Yes/no buttons of a step: they carry the cursor's seq, so a button of an older step is refused. */
function yesNo(cursor: Cursor, yes: string, no: string): InlineKeyboard {
  return new InlineKeyboard().text(cutChars(yes, 60), `a:yn:1:${cursor.seq}`).text(cutChars(no, 60), `a:yn:0:${cursor.seq}`);
}

/** "Bạn đã nộp…" for a report the cursor says this chat just submitted. */
function submittedText(state: ReportState, revision: number, onTime: boolean, at: Date, resubmitted = false): string {
  const when = formatVietnamDate(at, true);
  return revision === 1
    ? `✅ Đã nộp báo cáo ${formatPeriod(state.period)} lúc ${when} — ${onTime ? "đúng hạn" : "trễ hạn"}. Cảm ơn bạn!`
    : `✅ Đã lưu bản sửa lần ${revision} lúc ${when}. Lý do đã được ghi vào nhật ký.${resubmitted ? " Báo cáo đã được gửi lại để cán bộ quản lý duyệt." : ""}`;
}

const reAsk = (problem: AnswerProblem) =>
  problem.kind === "no_data" ? `💡 ${answerProblemText(problem)}` : `❗ ${answerProblemText(problem)}\nVui lòng trả lời lại (hoặc bấm Bỏ qua, /huy để dừng).`;

/** Send what the cursor's step shows: the question, the summary, the reason or yes/no prompt. */
async function showStep(ctx: BotContext, state: ReportState, cursor: Cursor, prefix = ""): Promise<void> {
  const entry = cursor.code ? state.indicators.find((e) => e.code === cursor.code) : undefined;
  switch (cursor.awaiting) {
    case "answer": {
      if (!entry) break;
      // after a rejected answer: the re-ask, as when it was rejected
      const problem = cursor.value !== null && !prefix.startsWith("✔️") ? problemOf(state, entry.code, cursor.value) : null;
      if (problem) return void (await ctx.reply(reAsk(problem)));
      const view = questionView(state, entry, cursor.pass === "edit" ? "edit" : "ask");
      return void (await ctx.reply(prefix + view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
    }
    case "reason": {
      const { below, lastReason } = reasonPrompt(state, cursor.code ?? "");
      return void (await ctx.reply(`📉 ${below ? belowTargetText(below) : "Chưa đạt chỉ tiêu"}.\nVui lòng ghi ngắn gọn lý do chưa đạt${lastReason ? " (hoặc giữ lý do kỳ trước)" : ""}:`, {
        reply_markup: lastReason ? new InlineKeyboard().text(keepReasonLabel(lastReason), `a:why:keep:${cursor.seq}`) : undefined,
      }));
    }
    case "confirm": {
      const suspicion = suspicionOf(state, cursor.code ?? "", cursor.value ?? "");
      if (!suspicion) break;
      return void (await ctx.reply(`⚠️ ${suspicionText(suspicion)}`, { reply_markup: yesNo(cursor, "✔️ Đúng", "✏️ Nhập lại") }));
    }
    case "correction": {
      const value = (cursor.value ?? "").trim();
      return void (await ctx.reply(`Bạn muốn sửa câu trả lời thành ${value}?`, { reply_markup: yesNo(cursor, `✏️ Sửa thành ${value}`, "Không, đây là lý do") }));
    }
    case "edit_reason":
      return void (await ctx.reply("Vui lòng ghi ngắn gọn lý do sửa báo cáo đã nộp (sẽ lưu vào nhật ký):"));
    case "done": {
      const r = state.report;
      return void (await ctx.reply(submittedText(state, r.revision, r.onTime ?? false, r.submittedAt ?? new Date())));
    }
    case "summary":
      break;
  }
  const view = summaryView(state);
  await ctx.reply(prefix + view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
}

/** The refusals every writing step shares. True when handled. */
async function refused(ctx: BotContext, r: Refusal | { status: string }): Promise<boolean> {
  if (r.status === "replayed") {
    const { state, cursor } = r as Extract<Refusal, { status: "replayed" }>;
    await showStep(ctx, state, cursor);
    return true;
  }
  if (r.status === "not_member") return void (await ctx.reply(NO_LONGER_MEMBER)), true;
  if (r.status === "stale") {
    // the chat moved on since this step was shown: show where it is now
    const cursor = await readCursor(ctx.deps.db, who(ctx).chatId);
    if (cursor) await showStep(ctx, await loadReportState(ctx.deps, cursor.reportId), cursor);
    else await ctx.reply("Nút này đã cũ. Gõ /baocao để tiếp tục báo cáo.");
    return true;
  }
  return false;
}

/** Turn an answer step into messages: the next question, a re-ask, a yes/no, or the reason prompt. */
async function afterAnswer(ctx: BotContext, r: AnswerStep, savedPrefix?: string): Promise<void> {
  if (await refused(ctx, r)) return;
  switch (r.status) {
    case "locked":
      return void (await ctx.reply(LOCKED_MESSAGE));
    case "not_in_report":
      return;
    case "invalid":
      return void (await ctx.reply(reAsk(r.problem)));
    case "suspect":
      return void (await ctx.reply(`⚠️ ${suspicionText(r.suspicion)}`, { reply_markup: yesNo(r.cursor, "✔️ Đúng", "✏️ Nhập lại") }));
    case "saved":
      return showStep(ctx, r.state, r.cursor, r.cursor.awaiting === "reason" ? "" : (savedPrefix ?? (r.outcome ? `✔️ ${escapeHtml(savedText(r.outcome))}\n\n` : "")));
  }
}

async function afterReason(ctx: BotContext, r: ReasonStep): Promise<void> {
  if (await refused(ctx, r)) return;
  if (r.status === "invalid") return void (await ctx.reply(reasonProblemText(r.problem)));
  if (r.status === "saved") await showStep(ctx, r.state, r.cursor, "✔️ Đã ghi lý do.\n\n");
}

/** Point the chat at the step after the stored answers and show it. */
async function showNext(ctx: BotContext, reportId: number, pass: Pass = "main", prefix = ""): Promise<void> {
  const r = await pointNext(ctx.deps, who(ctx), reportId, pass);
  if (await refused(ctx, r)) return;
  if (r.status === "ok") await showStep(ctx, r.state, r.cursor, prefix);
}

/** Point the chat at a report's summary and show it. */
async function showSummary(ctx: BotContext, reportId: number, pass: Pass, prefix = ""): Promise<void> {
  const r = await pointStep(ctx.deps, who(ctx), { reportId, code: null, awaiting: "summary", pass });
  if (await refused(ctx, r)) return;
  if (r.status === "ok") await showStep(ctx, r.state, r.cursor, prefix);
}

/**
 * Period buttons for a unit: the current month, quarter and year it has questions for, and last
 * month's or quarter's while it is still missing (late beats missing) — unless that period ended
 * before the unit joined. A period whose previous report exists gets "Giữ nguyên như …" beside it,
 * so an unchanged report is /baocao → keep → Gửi.
 */
async function choosePeriod(ctx: BotContext, unitId: number) {
  const name = await unitName(ctx.deps.db, unitId);
  const now = ctx.deps.now();
  const offer = await offeredPeriods(ctx.deps, unitId, now);
  if (offer.status === "no_plan") {
    return void (await ctx.reply(
      `Hiện chưa có kế hoạch nào áp dụng cho ${unitNameHtml(name)} trong kỳ này, nên chưa có gì cần báo cáo. ` +
        "Khi cấp trên ban hành kế hoạch, bot sẽ hỏi bạn. Nếu bạn nghĩ đây là nhầm lẫn, hãy báo cán bộ phụ trách gắn kế hoạch cho đơn vị.",
      { parse_mode: "HTML" },
    ));
  }
  if (offer.status === "no_questions") return void (await ctx.reply("Không có câu hỏi báo cáo nào cho cấp học của đơn vị này."));
  const periods = offer.periods;
  if (periods.length === 1 && !periods[0]!.canKeep) return startReport(ctx, unitId, periods[0]!.period);
  const kb = new InlineKeyboard();
  for (const o of periods) {
    const status = o.report === "submitted" ? " ✅" : o.pastDeadline ? " ⏰" : o.report ? " 📝" : "";
    const when = o.report === "submitted" ? "đã nộp" : deadlineText(o.deadline, now);
    kb.text(`${formatPeriod(o.period)} (${when})${status}`, `b:per:${unitId}:${o.period.key}`).row();
    if (o.canKeep) kb.text(keepAllLabel(previousPeriod(o.period)), `b:keep:${unitId}:${o.period.key}`).row();
  }
  ctx.session.periodPicker = { unitId, keys: periods.map((o) => o.period.key), at: now.getTime() };
  await ctx.reply(`📝 <b>${unitNameHtml(name)}</b>\nChọn kỳ báo cáo:`, { parse_mode: "HTML", reply_markup: kb });
}

/** How long a period picker answers typed choices. */
const PICKER_TTL_MS = 30 * 60_000;

/**
 * The period picker answered by typing instead of tapping: "1", "tháng 12", "thang nay", "quý 4",
 * "năm", "6 tháng" pick the matching button's period (same checks as the tap). Null when the text
 * picks nothing (it goes on to the other features: a question is still answered).
 */
function typedPeriod(keys: string[], text: string): string | null {
  const t = fold(text).replace(/[.!?,]+/g, " ").replace(/\s+/g, " ").trim();
  const periods = keys.map((k) => parsePeriod(k));
  const index = /^(?:so |chon |ky )?(\d)$/.exec(t);
  if (index) return keys[Number(index[1]) - 1] ?? null;
  const kind = periodKindNamed(t);
  if (!kind || t.split(" ").length > 5) return null;
  const ofKind = periods.filter((p) => p.kind === kind);
  if (ofKind.length === 0) return null;
  const n = /(\d{1,2})(?!\d)/.exec(t.replace(/\b(20\d\d)\b/, ""));
  if (n && kind !== "year") {
    const wanted = Number(n[1]);
    const hit = ofKind.find((p) => (kind === "month" ? p.month : kind === "quarter" ? p.quarter : p.half) === wanted);
    return hit?.key ?? null;
  }
  if (/\b(truoc|vua roi)\b/.test(t)) return ofKind[1]?.key ?? null;
  return ofKind[0]!.key;
}

async function pickTypedPeriod(ctx: BotContext, text: string): Promise<boolean> {
  const picker = ctx.session.periodPicker;
  if (!picker) return false;
  if (ctx.deps.now().getTime() - picker.at > PICKER_TTL_MS) return void (ctx.session.periodPicker = undefined), false;
  const key = typedPeriod(picker.keys, text);
  if (!key) return false;
  ctx.session.periodPicker = undefined;
  if (!(await isMemberOfUnit(ctx.deps.db, ctx.user.id, picker.unitId))) return void (await ctx.reply(NOT_UNIT_MEMBER)), true;
  await startReport(ctx, picker.unitId, parsePeriod(key));
  return true;
}

/** "Giữ nguyên như kỳ trước": copy last period's report into this one and go straight to the summary. */
async function keepAll(ctx: BotContext, unitId: number, period: Period) {
  const report = await openReport(ctx.deps, unitId, period);
  const kept = await keepAllStep(ctx.deps, who(ctx), report.id);
  if (await refused(ctx, kept)) return;
  if (kept.status === "already_submitted") return startReport(ctx, unitId, period);
  if (kept.status === "no_previous") {
    await ctx.reply(`Chưa có báo cáo ${formatPeriod(kept.previousPeriod)} để giữ nguyên. Vui lòng trả lời từng câu.`);
    return showNext(ctx, report.id, "main");
  }
  if (kept.status === "kept") await showStep(ctx, kept.state, kept.cursor, `${escapeHtml(keptText(kept.kept))}\n\n`);
}

async function startReport(ctx: BotContext, unitId: number, period: Period) {
  const now = ctx.deps.now();
  if (isFuturePeriod(period, now)) {
    const current = currentPeriod(period.kind, now);
    return void (await ctx.reply(`Chưa đến kỳ báo cáo ${formatPeriod(period)}. Kỳ hiện tại là ${formatPeriod(current)}: gõ /baocao để báo cáo.`));
  }
  // the next question, or a submitted report's summary (core/reporting/steps.ts openStep)
  await afterOpen(ctx, await openStep(ctx.deps, who(ctx), unitId, period));
}

/** Show what opening a report led to. */
async function afterOpen(ctx: BotContext, r: OpenStep): Promise<void> {
  if (r.status === "locked") return void (await ctx.reply(LOCKED_MESSAGE));
  if (await refused(ctx, r)) return;
  if (r.status === "ok") await showStep(ctx, r.state, r.cursor);
}

export async function cancelReport(ctx: BotContext) {
  const r = await cancelStep(ctx.deps, who(ctx));
  if (r === "nothing_open") return void (await ctx.reply("Không có việc gì đang làm dở. Gõ /baocao để báo cáo, /trogiup để xem hướng dẫn."));
  if (r === "edits_discarded") return void (await ctx.reply("Đã hủy các thay đổi chưa gửi. Báo cáo đã nộp giữ nguyên."));
  await ctx.reply("Đã dừng. Các câu đã trả lời vẫn được lưu; gõ /baocao để tiếp tục khi sẵn sàng.");
}

/** Close any report open in this chat (/start, /xoadulieu). */
export async function leaveReport(ctx: BotContext): Promise<void> {
  await dropCursor(ctx.deps.db, who(ctx).chatId);
}

export const reportFeature = new Composer<BotContext>();
const privateChats = reportFeature.chatType("private");

privateChats.command("baocao", (ctx) => openReporting(ctx, ctx.match));

/** /baocao, or words such as "nộp báo cáo tháng này": choose the unit and period, or open the report. */
export async function openReporting(ctx: BotContext, match = ""): Promise<void> {
  const arg = match.trim();
  let period: Period | null = null;
  let invalid: InvalidPeriodError | null = null;
  try {
    period = arg ? parsePeriod(arg) : null;
  } catch (e) {
    if (!(e instanceof InvalidPeriodError)) throw e;
    invalid = e;
  }
  let units: Array<{ id: number; name: string }>;
  if (period && !isFuturePeriod(period, ctx.deps.now())) {
    // a focal point of one unit: the units and the report opened in one read (core/reporting/steps.ts openStepOfUser)
    const r = await openStepOfUser(ctx.deps, who(ctx), period);
    if (r.status !== "units") return afterOpen(ctx, r);
    units = r.units;
  } else {
    units = await unitsOfUser(ctx.deps.db, ctx.user.id);
  }
  if (units.length === 0) {
    return void (await ctx.reply(NOT_A_FOCAL_POINT));
  }
  if (invalid) return void (await ctx.reply(invalidPeriodText(invalid.key)));
  if (period && units.length === 1) return startReport(ctx, units[0]!.id, period);
  if (units.length === 1) return choosePeriod(ctx, units[0]!.id);
  const kb = new InlineKeyboard();
  for (const u of units) kb.text(clip(u.name, 60), `b:unit:${u.id}`).row();
  await ctx.reply("Bạn là đầu mối của nhiều đơn vị. Chọn đơn vị muốn báo cáo:", { reply_markup: kb });
}

const NOT_UNIT_MEMBER = "Bạn không phải đầu mối của đơn vị này.";

privateChats.callbackQuery(/^b:unit:(\d+)$/, async (ctx) => {
  await ack(ctx);
  const unitId = Number(ctx.match[1]);
  if (!(await isMemberOfUnit(ctx.deps.db, ctx.user.id, unitId))) return void (await ctx.reply(NOT_UNIT_MEMBER));
  await choosePeriod(ctx, unitId);
});

privateChats.callbackQuery(/^b:keep:(\d+):([\dQqHh-]+)$/, async (ctx) => {
  await ack(ctx);
  const unitId = Number(ctx.match[1]);
  if (!(await isMemberOfUnit(ctx.deps.db, ctx.user.id, unitId))) return void (await ctx.reply(NOT_UNIT_MEMBER));
  const period = buttonPeriod(ctx.match[2]!);
  if (!period) return void (await ctx.reply(STALE_BUTTON));
  // a period not yet open (forged data) goes where /baocao would say so
  if (isFuturePeriod(period, ctx.deps.now())) return startReport(ctx, unitId, period);
  await keepAll(ctx, unitId, period);
});

/** The period a button names, or null when its data was forged ("2026-13"). */
function buttonPeriod(key: string): Period | null {
  try {
    return parsePeriod(key);
  } catch {
    return null;
  }
}

const STALE_BUTTON = "Nút này không còn dùng được. Gõ /baocao để mở báo cáo.";

privateChats.callbackQuery(/^b:per:(\d+):([\dQq-]+)$/, async (ctx) => {
  await ack(ctx);
  const unitId = Number(ctx.match[1]);
  if (!(await isMemberOfUnit(ctx.deps.db, ctx.user.id, unitId))) return void (await ctx.reply(NOT_UNIT_MEMBER));
  const period = buttonPeriod(ctx.match[2]!);
  if (!period) return void (await ctx.reply(STALE_BUTTON));
  // the picker stays in the session (no write here): typed digits go to the report's cursor now, and it expires
  await startReport(ctx, unitId, period);
});

/** The yes/no of a confirm or correction step, and "keep last period's reason": bound to the step by its seq. */
privateChats.callbackQuery(/^a:(yn:[01]|why:keep)(?::(\d+))?$/, async (ctx) => {
  await ack(ctx);
  const cursor = await readCursor(ctx.deps.db, who(ctx).chatId);
  if (cursor && isReplay(cursor, ctx.update.update_id)) return showStep(ctx, await loadReportState(ctx.deps, cursor.reportId), cursor);
  const seq = ctx.match[2] === undefined ? undefined : Number(ctx.match[2]);
  if (!cursor || (seq !== undefined && seq !== cursor.seq)) return void (await ctx.reply("Nút này đã cũ. Gõ /baocao để tiếp tục báo cáo."));
  const action = ctx.match[1]!;
  if (action === "why:keep") {
    if (cursor.awaiting !== "reason" || !cursor.code) return;
    const { lastReason } = reasonPrompt(await loadReportState(ctx.deps, cursor.reportId), cursor.code);
    if (!lastReason) return;
    return afterReason(ctx, await reasonStep(ctx.deps, who(ctx), { reportId: cursor.reportId, code: cursor.code, reason: lastReason, pass: cursor.pass, expectSeq: cursor.seq }));
  }
  await yesOrNo(ctx, cursor, action === "yn:1");
});

/** A yes or no (button or typed) at a confirm or correction step. */
async function yesOrNo(ctx: BotContext, cursor: Cursor, yes: boolean): Promise<void> {
  const { reportId, code, pass, value, seq } = cursor;
  if (!code || value === null) return;
  if (cursor.awaiting === "confirm") {
    if (yes) return afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code, raw: value, pass, confirmed: true, expectSeq: seq }));
    const r = await pointStep(ctx.deps, who(ctx), { reportId, code, awaiting: "answer", pass });
    if (await refused(ctx, r)) return;
    return void (await ctx.reply("Vui lòng nhập lại câu trả lời:"));
  }
  if (cursor.awaiting === "correction") {
    // "✏️ Sửa thành 60/60": the number is the corrected answer; "Không, đây là lý do": it is the reason
    if (yes) return afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code, raw: value, pass, expectSeq: seq }));
    return afterReason(ctx, await reasonStep(ctx.deps, who(ctx), { reportId, code, reason: value, pass, expectSeq: seq }));
  }
}

privateChats.callbackQuery(/^r:/, async (ctx) => {
  const data = parseCb(ctx.callbackQuery.data);
  if (!data) return void (await ack(ctx));
  if (!(await isMemberOfReport(ctx.deps.db, data.reportId, ctx.user.id))) {
    return void (await ack(ctx, { text: "Bạn không có quyền với báo cáo này.", show_alert: true }));
  }
  await ack(ctx);
  const { reportId, code } = data;
  const cursor = await readCursor(ctx.deps.db, who(ctx).chatId);
  if (cursor && isReplay(cursor, ctx.update.update_id)) return showStep(ctx, await loadReportState(ctx.deps, cursor.reportId), cursor);
  const state = data.action === "close" || data.action === "cancel" || data.action === "sum" ? null : await loadReportState(ctx.deps, reportId);
  if (state && isLocked(state.report)) return void (await ctx.reply(LOCKED_MESSAGE));
  const pass: Pass = cursor?.reportId === reportId ? cursor.pass : "main";
  switch (data.action) {
    case "ans":
    case "keep": {
      if (!code || !state) return;
      let text = data.value ?? "";
      if (data.action === "keep") {
        const entry = state.indicators.find((e) => e.code === code);
        const prev = state.previous.get(code);
        if (!entry || !prev) return void (await ctx.reply("Không tìm thấy giá trị kỳ trước cho câu này."));
        text = answerAsText(entry, prev);
      }
      return afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code, raw: text, pass }));
    }
    case "skip":
      if (!code) return;
      return afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code, raw: null, pass }), "⏭ Đã bỏ qua, sẽ hỏi lại trước khi gửi.\n\n");
    case "resume":
      return showNext(ctx, reportId, "resume");
    case "sum": {
      if (code === undefined) return showSummary(ctx, reportId, pass);
      // "r:sum:<id>:<page>" turns a page of a long summary in place
      const r = await pointStep(ctx.deps, who(ctx), { reportId, code: null, awaiting: "summary", pass });
      if ((await refused(ctx, r)) || r.status !== "ok") return;
      const view = summaryView(r.state, Number(code) || 0);
      if (await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }).then(() => true, () => false)) return;
      return void (await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
    }
    case "editpick": {
      const view = pickQuestionView(state!);
      return void (await ctx.reply(view.text, { reply_markup: view.keyboard, parse_mode: "HTML" }));
    }
    case "edit": {
      const entry = state!.indicators.find((e) => e.code === code);
      if (!entry) return;
      const r = await pointStep(ctx.deps, who(ctx), { reportId, code: entry.code, awaiting: "answer", pass: "edit" });
      if (await refused(ctx, r)) return;
      if (r.status === "ok") await showStep(ctx, r.state, r.cursor);
      return;
    }
    case "submit":
      return submitFromSummary(ctx, reportId);
    case "cancel":
      return cancelReport(ctx);
    case "close":
      await dropCursor(ctx.deps.db, who(ctx).chatId);
      return void (await ctx.editMessageReplyMarkup().catch(() => undefined));
  }
});

/** "Gửi" at the summary: submit a draft, or ask why a submitted report is being changed. */
async function submitFromSummary(ctx: BotContext, reportId: number) {
  const report = await reportHeader(ctx.deps.db, reportId);
  if (!report) return;
  if (report.status === "submitted") {
    const r = await askEditReason(ctx.deps, who(ctx), reportId);
    if (await refused(ctx, r)) return;
    return void (await ctx.reply("Vui lòng ghi ngắn gọn lý do sửa báo cáo đã nộp (sẽ lưu vào nhật ký):"));
  }
  return submitAndReply(ctx, reportId, null);
}

/**
 * Text typed at the summary (or the edit picker): "gửi" submits, a question's number opens it,
 * "sửa câu 6 thành 54/57" changes it; a question about the plans or small talk is answered and
 * the summary is shown again. False when the text is none of these.
 */
/** "Gửi", "nộp báo cáo", "gửi đi": submit (folded, trailing dots and "!" dropped). */
const isSubmitWord = (text: string) => /^(gui|gui bao cao|gui di|nop|nop bao cao|nop di|xac nhan|gui ban sua)( a| nhe)?$/.test(fold(text).replace(/[.!]+$/, "").trim());

async function handleSummaryText(ctx: BotContext, reportId: number, pass: Pass, text: string): Promise<boolean> {
  const t = fold(text).replace(/[.!]+$/, "");
  if (isSubmitWord(text)) {
    await submitFromSummary(ctx, reportId);
    return true;
  }
  const edit = /^(?:sua\s+)?(?:cau\s+)?(\d{1,2})(?:\s*(?:thanh|la|=|:)\s*(.+))?$/.exec(t);
  if (edit) {
    const state = await loadReportState(ctx.deps, reportId);
    const entry = state.indicators[Number(edit[1]) - 1];
    if (!entry) {
      await ctx.reply(`Báo cáo này có ${state.indicators.length} câu. Gõ số từ 1 đến ${state.indicators.length}, ví dụ "sửa câu 2 thành 45/60".`);
      return true;
    }
    const editPass: Pass = state.report.status === "submitted" ? "edit" : pass;
    if (edit[2]) {
      // the value as typed (not folded): "54/57", "có", "12,5%"
      const value = nfc(text).replace(/^(?:sửa|sua)?\s*(?:câu|cau)?\s*\d{1,2}\s*(?:thành|thanh|là|la|=|:)\s*/iu, "");
      await afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code: entry.code, raw: value, pass: editPass }));
      return true;
    }
    const r = await pointStep(ctx.deps, who(ctx), { reportId, code: entry.code, awaiting: "answer", pass: "edit" });
    if (await refused(ctx, r)) return true;
    if (r.status === "ok") await showStep(ctx, r.state, r.cursor);
    return true;
  }
  const kind = classifyMessage(text).kind;
  if (kind !== "question" && kind !== "greeting" && kind !== "thanks") return false;
  if (kind === "question") await askInReport(ctx, reportId, text);
  else await ctx.reply(smallTalkReply(kind));
  await showSummary(ctx, reportId, pass, "↩️ Tiếp tục báo cáo:\n");
  return true;
}

async function submitAndReply(ctx: BotContext, reportId: number, reason: string | null) {
  const result: SubmitStep = await submitStep(ctx.deps, who(ctx), { reportId, reason });
  if (await refused(ctx, result)) return;
  switch (result.status) {
    case "changed":
      return showStep(ctx, result.state, result.cursor, CHANGED_ELSEWHERE);
    case "incomplete":
      return showStep(ctx, result.state, result.cursor, `Còn ${result.missing} câu chưa trả lời, cần trả lời trước khi gửi.\n\n`);
    case "nothing_to_change":
      return void (await ctx.reply("Không có thay đổi nào để gửi."));
    case "locked":
      return void (await ctx.reply(LOCKED_MESSAGE));
    case "submitted": {
      const when = formatVietnamDate(result.submittedAt, true);
      const text =
        result.revision === 1
          ? `✅ Đã nộp báo cáo ${formatPeriod(parsePeriod(result.period))} lúc ${when} — ${result.onTime ? "đúng hạn" : "trễ hạn"}. Cảm ơn bạn!`
          : `✅ Đã lưu bản sửa lần ${result.revision} lúc ${when}. Lý do đã được ghi vào nhật ký.${result.resubmitted ? " Báo cáo đã được gửi lại để cán bộ quản lý duyệt." : ""}`;
      await ctx.reply(text);
      // the approvers' notice was recorded with the submit (outbox): sent now, or by the sweep after a kill
      await deliverOutbox(ctx.api, ctx.deps, { key: submitOutboxKey(reportId, result.revision) });
    }
  }
}

/** Words for yes and no at a yes/no step. */
function yesNoWord(text: string): boolean | null {
  const t = fold(text);
  if (/^(co|dung|dung roi|ok|vang|sua|dong y)$/.test(t)) return true;
  if (/^(khong|ko|k|khong phai|sai|nhap lai)$/.test(t)) return false;
  return null;
}

/**
 * Text while a report is open, matched against the chat's cursor in the database: an answer to
 * the cursor's question, a yes/no, a reason, an edit reason, or words at the summary. A question
 * about the plans or small talk is answered and the step shown again.
 */
export async function handleReportText(ctx: BotContext, text: string): Promise<boolean> {
  // read with the user at the start of this update (bot/create-bot.ts), else now; taken once
  const ahead = ctx.prefetchedCursor;
  ctx.prefetchedCursor = undefined;
  const { cursor, member } = ahead ?? (await readCursorOf(ctx.deps.db, who(ctx).chatId, ctx.user.id));
  if (!cursor) return pickTypedPeriod(ctx, text);
  if (isReplay(cursor, ctx.update.update_id)) {
    // this very message was already applied (a redelivery after a restart): show where it led
    await showStep(ctx, await loadReportState(ctx.deps, cursor.reportId), cursor);
    return true;
  }
  if (cursor.awaiting === "done") return pickTypedPeriod(ctx, text);
  if (!member) {
    await dropCursor(ctx.deps.db, cursor.chatId);
    await ctx.reply(NO_LONGER_MEMBER);
    return true;
  }
  const { reportId, code, pass, seq } = cursor;
  if (cursor.awaiting === "edit_reason") {
    if (text.trim().length < 3) return void (await ctx.reply("Lý do cần ít nhất vài chữ. Vui lòng nhập lại:")), true;
    await submitAndReply(ctx, reportId, cutChars(text.trim(), 500));
    return true;
  }
  if (cursor.awaiting === "summary" || !code) return handleSummaryText(ctx, reportId, pass, text);
  if (cursor.awaiting === "confirm" || cursor.awaiting === "correction") {
    const yes = yesNoWord(text);
    if (yes !== null) return void (await yesOrNo(ctx, cursor, yes)), true;
    // anything else: a new answer to the same question, or (at a correction) the reason itself
    if (cursor.awaiting === "confirm") await afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code, raw: text, pass, expectSeq: seq }));
    else await afterReason(ctx, await reasonStep(ctx.deps, who(ctx), { reportId, code, reason: text, pass, expectSeq: seq }));
    return true;
  }
  // "gửi" at a question: submitting is what they want; the submit says what is still missing
  if (cursor.awaiting === "answer" && isSubmitWord(text)) return void (await submitFromSummary(ctx, reportId)), true;
  const intent = classifyMessage(text).kind;
  if (intent === "question" || intent === "greeting" || intent === "thanks") {
    if (intent === "question") await askInReport(ctx, reportId, text);
    else await ctx.reply(smallTalkReply(intent));
    const rejected = cursor.awaiting === "answer" && cursor.value !== null;
    await showStep(ctx, await loadReportState(ctx.deps, reportId), cursor, cursor.awaiting === "answer" && !rejected ? "↩️ Tiếp tục báo cáo:\n" : "");
    return true;
  }
  if (cursor.awaiting === "reason") {
    // A number or a fraction here is probably a corrected answer, not a reason ("60/60" just after "đạt 10%").
    if (intent === "answer_like") {
      const r = await pointStep(ctx.deps, who(ctx), { reportId, code, awaiting: "correction", pass, value: text });
      if (await refused(ctx, r)) return true;
      if (r.status === "ok") await showStep(ctx, r.state, r.cursor);
      return true;
    }
    await afterReason(ctx, await reasonStep(ctx.deps, who(ctx), { reportId, code, reason: text, pass, expectSeq: seq }));
    return true;
  }
  await afterAnswer(ctx, await answerStep(ctx.deps, who(ctx), { reportId, code, raw: text, pass, expectSeq: seq }));
  return true;
}

/**
 * A question typed while a report is open: "hạn nộp là khi nào?" is answered from this report (its
 * period and deadline), anything else by plan Q&A.
 */
async function askInReport(ctx: BotContext, reportId: number, text: string): Promise<void> {
  if (!deadlineQuestion(text)) return askPlans(ctx, text);
  const { report, unit, period } = await loadReportState(ctx.deps, reportId);
  const own: OwnDeadline = { unit: unit.name, period, deadline: report.deadline, submitted: report.status === "submitted" };
  await ctx.reply(ownDeadlinesText([own], ctx.deps.now(), true));
}

/**
 * "Hạn nộp là khi nào?", "han bc quy" outside a report: a focal point's own deadlines, from the
 * periods /baocao offers for each of their units (this period's and any still missing), of the kind
 * of period named if one is. False for anyone who reports for no unit (plan Q&A answers them).
 */
async function ownDeadlines(ctx: BotContext, text: string): Promise<boolean> {
  const asked = deadlineQuestion(text);
  if (!asked) return false;
  const units = await unitsOfUser(ctx.deps.db, ctx.user.id);
  if (units.length === 0) return false;
  const now = ctx.deps.now();
  const items: OwnDeadline[] = [];
  for (const u of units) {
    const offer = await offeredPeriods(ctx.deps, u.id, now);
    if (offer.status !== "ok") continue;
    for (const o of offer.periods) {
      if (asked.kind && o.period.kind !== asked.kind) continue;
      items.push({ unit: u.name, period: o.period, deadline: o.deadline, submitted: o.report === "submitted" });
    }
  }
  if (items.length === 0) return false;
  await ctx.reply(ownDeadlinesText(items, now, false));
  return true;
}

/**
 * Text outside a report, read by what it is: a greeting or thanks gets a reply saying what the bot
 * can do; "báo cáo" / "nộp báo cáo tháng này" opens /baocao for a focal point; a bare answer such
 * as "45/60" points to /baocao. Returns false for everything else (officials' words, questions).
 */
export async function routeByIntent(ctx: BotContext, text: string): Promise<boolean> {
  const intent = classifyMessage(text).kind;
  if (intent === "question" && (await ownDeadlines(ctx, text))) return true;
  if (intent !== "greeting" && intent !== "thanks" && intent !== "report_request" && intent !== "answer_like") return false;
  const scope = await scopeOf(ctx.deps.db, ctx.user);
  const role = { focal: scope.unitCodes.length > 0, official: scope.role === "official" || scope.role === "admin" };
  if (intent === "greeting" || intent === "thanks") return void (await ctx.reply(welcomeText(intent, role))), true;
  if (intent === "report_request") {
    if (role.focal) return void (await openReporting(ctx)), true;
    if (role.official) return false; // an official's "báo cáo …" is a question about reports
    return void (await ctx.reply(NOT_A_FOCAL_POINT)), true;
  }
  await ctx.reply(answerOutsideReportText(role));
  return true;
}
