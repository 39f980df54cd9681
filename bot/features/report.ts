/**
 * The reporting conversation (/baocao): choose unit and period, answer the questions one by one,
 * review the summary, submit; edit after submitting creates a new revision.
 *
 * The database holds the truth (core/reporting/reports.ts): the next question is derived from
 * the stored answers, so a restart mid-report continues where the user left off.
 * Each answer runs in a short "answer" conversation (answer → re-ask until valid → reason when
 * below target), so the conversations plugin replays at most a few updates: handler latency
 * stays flat however far into the report the user is.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import { LOCKED_MESSAGE, recordAnswer, recordReason } from "../../core/reporting/answer.ts";
import { answerAsText } from "../../core/reporting/format.ts";
import { currentPeriod, formatPeriod, formatVietnamDate, parsePeriod, previousPeriod, type Period } from "../../core/reporting/periods.ts";
import { deadlineText, keepAllLabel, keepReasonLabel, keptText, suspicionText } from "../messages/report.ts";
import { isFuturePeriod } from "../../core/reporting/window.ts";
import {
  discardPendingEdits,
  isComplete,
  isLocked,
  reportIsLocked,
  keepPreviousReport,
  loadReportState,
  offeredPeriods,
  openReport,
  saveAnswer,
  submitReport,
  type ReportState,
} from "../../core/reporting/reports.ts";
import type { BotContext } from "../context.ts";
import { classifyMessage } from "../../core/intent.ts";
import { fold, nfc } from "../../core/text.ts";
import { askPlans } from "./ask.ts";
import { notifyApprovers } from "./approval.ts";
import { NOT_A_FOCAL_POINT, answerOutsideReportText, smallTalkReply, welcomeText } from "../messages/common.ts";
import { scopeOf } from "../../core/units/people.ts";
import { escapeHtml, parseCb, pickQuestionView, questionView, summaryView, unitNameHtml } from "../report-view.ts";
import { clip, cutChars } from "../../core/text.ts";

export const ANSWER_CONVERSATION = "answer";

type Pass = "main" | "resume" | "edit";

/** Send the next question (or the summary when none is left) and remember what the next text answers. */
export async function showNext(ctx: BotContext, reportId: number, pass: Pass = "main", prefix = "", known?: ReportState): Promise<void> {
  const state = known ?? (await loadReportState(ctx.deps, reportId));
  let next = state.next;
  if (!next && pass === "resume") next = state.indicators.find((e) => !isComplete(state.answers.get(e.code))) ?? null;
  if (next && pass !== "edit") {
    const view = questionView(state, next);
    ctx.session.report = { reportId, code: next.code, awaiting: "answer", pass };
    await ctx.reply(prefix + view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
    return;
  }
  const view = summaryView(state);
  ctx.session.report = { reportId, code: null, awaiting: null, pass };
  await ctx.reply(prefix + view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
}

export interface AnswerArgs {
  reportId: number;
  code: string;
  text: string;
  userId: number;
  pass: Pass;
}

/**
 * One answer: check and store it; re-ask with a specific hint while it is invalid; ask for a
 * reason when it is below target. Everything touching the database runs in `external`.
 */
export async function answerConversation(conversation: Conversation<BotContext, Context>, ctx: Context, args: AnswerArgs) {
  /**
   * The next plain text that is meant for this step. A question about the plans is answered and a
   * greeting or thanks gets a short reply, then `prompt` shows the step again; a command, a button
   * or anything else ends this answer and is handled outside.
   */
  const nextText = async (prompt: () => Promise<unknown>, buttons: Record<string, string> = {}): Promise<string> => {
    for (;;) {
      const c = await conversation.wait();
      const data = c.callbackQuery?.data;
      if (data !== undefined && data in buttons) {
        await c.answerCallbackQuery();
        return buttons[data]!;
      }
      const text = c.message?.text;
      if (text === undefined || text.startsWith("/")) return conversation.halt({ next: true });
      const kind = classifyMessage(text).kind;
      if (kind === "question") {
        await conversation.external((octx) => askPlans(octx, text));
      } else if (kind === "greeting" || kind === "thanks") {
        await ctx.reply(smallTalkReply(kind));
      } else {
        return text;
      }
      await prompt();
    }
  };
  /**
   * A yes/no question with two buttons: true or false by the button (or a typed "đúng"/"không"),
   * or the text the user typed instead (e.g. a corrected value). Anything else ends this answer.
   */
  const askYesNo = async (question: string, yes: string, no: string): Promise<boolean | string> => {
    await ctx.reply(question, { reply_markup: new InlineKeyboard().text(cutChars(yes, 60), "a:yn:1").text(no, "a:yn:0") });
    const c = await conversation.wait();
    const data = c.callbackQuery?.data;
    if (data === "a:yn:1" || data === "a:yn:0") {
      await c.answerCallbackQuery();
      return data === "a:yn:1";
    }
    const typed = c.message?.text;
    if (typed === undefined || typed.startsWith("/")) return conversation.halt({ next: true });
    const t = fold(typed);
    if (/^(co|dung|dung roi|ok|vang|sua|dong y)$/.test(t)) return true;
    if (/^(khong|ko|k|khong phai|sai|nhap lai)$/.test(t)) return false;
    return typed;
  };
  /** "Bạn muốn sửa câu trả lời thành 60/60?" — true when the user confirms the correction. */
  const confirmCorrection = async (value: string): Promise<boolean> =>
    (await askYesNo(`Bạn muốn sửa câu trả lời thành ${value}?`, `✏️ Sửa thành ${value}`, "Không, đây là lý do")) === true;
  let text = args.text;
  let confirmed = false;
  for (;;) {
    // Store the answer and, when it needs nothing more, send the next question — one external step.
    const outcome = await conversation.external(async (octx) => {
      const { outcome, state } = await recordAnswer(octx.deps, { reportId: args.reportId, code: args.code, raw: text, userId: args.userId, confirmed });
      if (outcome.status === "saved" && outcome.meetsTarget !== false) {
        await showNext(octx, args.reportId, args.pass, `✔️ ${escapeHtml(outcome.message)}\n\n`, state);
      }
      return outcome;
    });
    if (outcome.status === "not_in_report") return;
    if (outcome.status === "locked") return void (await ctx.reply(LOCKED_MESSAGE));
    if (outcome.status === "suspect") {
      // Implausible against the unit's history or its other answers: confirm or enter again.
      const reply = await askYesNo(`⚠️ ${suspicionText(outcome.suspicion)}`, "✔️ Đúng", "✏️ Nhập lại");
      if (reply === true) {
        confirmed = true;
        continue;
      }
      confirmed = false;
      if (typeof reply === "string") {
        text = reply;
        continue;
      }
      const reask = () => ctx.reply("Vui lòng nhập lại câu trả lời:");
      await reask();
      text = await nextText(reask);
      continue;
    }
    confirmed = false;
    if (outcome.status === "invalid") {
      const reask = () => ctx.reply(`❗ ${outcome.message}\nVui lòng trả lời lại (hoặc bấm Bỏ qua, /huy để dừng).`);
      await reask();
      text = await nextText(reask);
      continue;
    }
    if (outcome.meetsTarget === false) {
      // Below target last period too: offer last period's reason as a button.
      const lastReason = await conversation.external(async (octx) => {
        const prev = (await loadReportState(octx.deps, args.reportId)).previous.get(args.code);
        return prev?.meetsTarget === false && prev.reason ? prev.reason : null;
      });
      const reasonButtons: Record<string, string> = lastReason ? { "a:why:keep": lastReason } : {};
      const askReason = () =>
        ctx.reply(`📉 ${outcome.gapText ?? "Chưa đạt chỉ tiêu"}.\nVui lòng ghi ngắn gọn lý do chưa đạt${lastReason ? " (hoặc giữ lý do kỳ trước)" : ""}:`, {
          reply_markup: lastReason ? new InlineKeyboard().text(keepReasonLabel(lastReason), "a:why:keep") : undefined,
        });
      await askReason();
      let corrected: string | null = null;
      for (;;) {
        const reason = await nextText(askReason, reasonButtons);
        // A number or a fraction here is a corrected answer, not a reason ("60/60" just after "đạt 10%").
        if (classifyMessage(reason).kind === "answer_like" && (await confirmCorrection(reason.trim()))) {
          corrected = reason;
          break;
        }
        const saved = await conversation.external((octx) =>
          recordReason(octx.deps, { reportId: args.reportId, code: args.code, reason }),
        );
        if (saved.ok) break;
        await ctx.reply(saved.message);
        if (saved.locked) return;
      }
      if (corrected !== null) {
        text = corrected;
        continue;
      }
      await conversation.external((octx) => showNext(octx, args.reportId, args.pass, "✔️ Đã ghi lý do.\n\n"));
      return;
    }
    return;
  }
}

/** Leave any answer in progress (a new command or button takes over). */
async function leaveAnswer(ctx: BotContext) {
  if (ctx.conversation.active(ANSWER_CONVERSATION)) await ctx.conversation.exit(ANSWER_CONVERSATION);
}

async function unitsOfUser(ctx: BotContext) {
  return ctx.deps.db.unit.findMany({
    where: { memberships: { some: { userId: ctx.user.id } } },
    orderBy: { code: "asc" },
  });
}

/**
 * Period buttons for a unit: the current month, quarter and year it has questions for, and last
 * month's or quarter's while it is still missing (late beats missing) — unless that period ended
 * before the unit joined. A period whose previous report exists gets "Giữ nguyên như …" beside it,
 * so an unchanged report is /baocao → keep → Gửi.
 */
async function choosePeriod(ctx: BotContext, unitId: number) {
  const unit = await ctx.deps.db.unit.findUniqueOrThrow({ where: { id: unitId } });
  const now = ctx.deps.now();
  const offer = await offeredPeriods(ctx.deps, unitId, now);
  if (offer.status === "no_plan") {
    return void (await ctx.reply(
      `Hiện chưa có kế hoạch nào áp dụng cho ${unitNameHtml(unit.name)} trong kỳ này, nên chưa có gì cần báo cáo. ` +
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
  await ctx.reply(`📝 <b>${unitNameHtml(unit.name)}</b>\nChọn kỳ báo cáo:`, { parse_mode: "HTML", reply_markup: kb });
}

/** "Giữ nguyên như kỳ trước": copy last period's report into this one and go straight to the summary. */
async function keepAll(ctx: BotContext, unitId: number, period: Period) {
  const report = await openReport(ctx.deps, unitId, period);
  const kept = await keepPreviousReport(ctx.deps, { reportId: report.id, userId: ctx.user.id });
  if (kept.status === "already_submitted") return startReport(ctx, unitId, period);
  if (kept.status === "no_previous") {
    await ctx.reply(`Chưa có báo cáo ${formatPeriod(kept.previousPeriod)} để giữ nguyên. Vui lòng trả lời từng câu.`);
    return showNext(ctx, report.id, "main");
  }
  const state = await loadReportState(ctx.deps, report.id);
  const view = summaryView(state);
  ctx.session.report = { reportId: report.id, code: null, awaiting: null, pass: "main" };
  await ctx.reply(`${escapeHtml(keptText(kept))}\n\n${view.text}`, { parse_mode: "HTML", reply_markup: view.keyboard });
}

async function startReport(ctx: BotContext, unitId: number, period: Period) {
  const now = ctx.deps.now();
  if (isFuturePeriod(period, now)) {
    const current = currentPeriod(period.kind, now);
    return void (await ctx.reply(`Chưa đến kỳ báo cáo ${formatPeriod(period)}. Kỳ hiện tại là ${formatPeriod(current)}: gõ /baocao để báo cáo.`));
  }
  const report = await openReport(ctx.deps, unitId, period);
  if (report.status === "submitted") {
    if (isLocked(report)) return void (await ctx.reply(LOCKED_MESSAGE));
    const state = await loadReportState(ctx.deps, report.id);
    const view = summaryView(state);
    ctx.session.report = { reportId: report.id, code: null, awaiting: null, pass: "edit" };
    return void (await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
  }
  await showNext(ctx, report.id, "main");
}

/** May this user act on this report? Only focal points (or deputies) of its unit. */
async function canEdit(ctx: BotContext, reportId: number): Promise<boolean> {
  // plain SQL: checked on every answer
  const rows = await ctx.deps.db.$queryRaw<unknown[]>`
    SELECT 1 FROM "Membership" m JOIN "Report" r ON r."unitId" = m."unitId"
    WHERE r."id" = ${reportId} AND m."userId" = ${ctx.user.id}`;
  return rows.length > 0;
}

export async function cancelReport(ctx: BotContext) {
  await ctx.conversation.exitAll();
  const r = ctx.session.report;
  ctx.session.report = undefined;
  if (!r) return void (await ctx.reply("Không có việc gì đang làm dở. Gõ /baocao để báo cáo, /trogiup để xem hướng dẫn."));
  const report = await ctx.deps.db.report.findUnique({ where: { id: r.reportId } });
  if (report?.status === "submitted" && report.pendingJson) {
    await discardPendingEdits(ctx.deps, report.id);
    return void (await ctx.reply("Đã hủy các thay đổi chưa gửi. Báo cáo đã nộp giữ nguyên."));
  }
  await ctx.reply("Đã dừng. Các câu đã trả lời vẫn được lưu; gõ /baocao để tiếp tục khi sẵn sàng.");
}

export const reportFeature = new Composer<BotContext>();
const privateChats = reportFeature.chatType("private");

privateChats.command("baocao", (ctx) => openReporting(ctx, ctx.match));

/** /baocao, or words such as "nộp báo cáo tháng này": choose the unit and period, or open the report. */
export async function openReporting(ctx: BotContext, match = ""): Promise<void> {
  await leaveAnswer(ctx);
  const units = await unitsOfUser(ctx);
  if (units.length === 0) {
    return void (await ctx.reply(NOT_A_FOCAL_POINT));
  }
  const arg = match.trim();
  if (arg) {
    let period: Period;
    try {
      period = parsePeriod(arg);
    } catch (e) {
      return void (await ctx.reply((e as Error).message));
    }
    if (units.length === 1) return startReport(ctx, units[0]!.id, period);
  }
  if (units.length === 1) return choosePeriod(ctx, units[0]!.id);
  const kb = new InlineKeyboard();
  for (const u of units) kb.text(clip(u.name, 60), `b:unit:${u.id}`).row();
  await ctx.reply("Bạn là đầu mối của nhiều đơn vị. Chọn đơn vị muốn báo cáo:", { reply_markup: kb });
}

privateChats.callbackQuery(/^b:unit:(\d+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const unitId = Number(ctx.match[1]);
  const m = await ctx.deps.db.membership.findUnique({ where: { userId_unitId: { userId: ctx.user.id, unitId } } });
  if (!m) return void (await ctx.reply("Bạn không phải đầu mối của đơn vị này."));
  await leaveAnswer(ctx);
  await choosePeriod(ctx, unitId);
});

privateChats.callbackQuery(/^b:keep:(\d+):([\dQqHh-]+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const unitId = Number(ctx.match[1]);
  const m = await ctx.deps.db.membership.findUnique({ where: { userId_unitId: { userId: ctx.user.id, unitId } } });
  if (!m) return void (await ctx.reply("Bạn không phải đầu mối của đơn vị này."));
  await leaveAnswer(ctx);
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
  await ctx.answerCallbackQuery();
  const unitId = Number(ctx.match[1]);
  const m = await ctx.deps.db.membership.findUnique({ where: { userId_unitId: { userId: ctx.user.id, unitId } } });
  if (!m) return void (await ctx.reply("Bạn không phải đầu mối của đơn vị này."));
  await leaveAnswer(ctx);
  const period = buttonPeriod(ctx.match[2]!);
  if (!period) return void (await ctx.reply(STALE_BUTTON));
  await startReport(ctx, unitId, period);
});

privateChats.callbackQuery(/^r:/, async (ctx) => {
  const data = parseCb(ctx.callbackQuery.data);
  if (!data) return void (await ctx.answerCallbackQuery());
  if (!(await canEdit(ctx, data.reportId))) {
    return void (await ctx.answerCallbackQuery({ text: "Bạn không có quyền với báo cáo này.", show_alert: true }));
  }
  await ctx.answerCallbackQuery();
  const { reportId, code } = data;
  if (data.action !== "close" && data.action !== "cancel" && data.action !== "sum" && (await reportIsLocked(ctx.deps, reportId))) {
    return void (await ctx.reply(LOCKED_MESSAGE));
  }
  const pass: Pass = ctx.session.report?.reportId === reportId ? (ctx.session.report.pass ?? "main") : "main";
  switch (data.action) {
    case "ans":
    case "keep": {
      if (!code) return;
      await leaveAnswer(ctx);
      let text = data.value ?? "";
      if (data.action === "keep") {
        const state = await loadReportState(ctx.deps, reportId);
        const entry = state.indicators.find((e) => e.code === code);
        const prev = state.previous.get(code);
        if (!entry || !prev) return void (await ctx.reply("Không tìm thấy giá trị kỳ trước cho câu này."));
        text = answerAsText(entry, prev);
      }
      ctx.session.report = { reportId, code, awaiting: "answer", pass };
      await ctx.conversation.enter(ANSWER_CONVERSATION, { reportId, code, text, userId: ctx.user.id, pass } satisfies AnswerArgs);
      return;
    }
    case "skip":
      if (!code) return;
      await leaveAnswer(ctx);
      await saveAnswer(ctx.deps, { reportId, code, userId: ctx.user.id, raw: "", check: null });
      return showNext(ctx, reportId, pass === "resume" ? "main" : pass, "⏭ Đã bỏ qua, sẽ hỏi lại trước khi gửi.\n\n");
    case "resume":
      await leaveAnswer(ctx);
      return showNext(ctx, reportId, "resume");
    case "sum": {
      await leaveAnswer(ctx);
      // "r:sum:<id>:<page>" turns a page of a long summary in place
      const view = summaryView(await loadReportState(ctx.deps, reportId), Number(code ?? 0));
      ctx.session.report = { reportId, code: null, awaiting: null, pass };
      if (code !== undefined && (await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }).then(() => true, () => false))) return;
      return void (await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
    }
    case "editpick": {
      await leaveAnswer(ctx);
      const view = pickQuestionView(await loadReportState(ctx.deps, reportId));
      return void (await ctx.reply(view.text, { reply_markup: view.keyboard, parse_mode: "HTML" }));
    }
    case "edit": {
      await leaveAnswer(ctx);
      const state = await loadReportState(ctx.deps, reportId);
      const entry = state.indicators.find((e) => e.code === code);
      if (!entry) return;
      const view = questionView(state, entry, "edit");
      ctx.session.report = { reportId, code: entry.code, awaiting: "answer", pass: "edit" };
      return void (await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }));
    }
    case "submit":
      await leaveAnswer(ctx);
      return submitFromSummary(ctx, reportId);
    case "cancel":
      return cancelReport(ctx);
    case "close":
      await leaveAnswer(ctx);
      ctx.session.report = undefined;
      return void (await ctx.editMessageReplyMarkup().catch(() => undefined));
  }
});

/** "Gửi" at the summary: submit a draft, or ask why a submitted report is being changed. */
async function submitFromSummary(ctx: BotContext, reportId: number) {
  const report = await ctx.deps.db.report.findUniqueOrThrow({ where: { id: reportId } });
  if (report.status === "submitted") {
    ctx.session.report = { reportId, code: null, awaiting: "edit_reason", pass: "edit" };
    return void (await ctx.reply("Vui lòng ghi ngắn gọn lý do sửa báo cáo đã nộp (sẽ lưu vào nhật ký):"));
  }
  return submitAndReply(ctx, reportId, null);
}

/**
 * Text typed at the summary (or the edit picker): "gửi" submits, a question's number opens it,
 * "sửa câu 6 thành 54/57" changes it; a question about the plans or small talk is answered and
 * the summary is shown again. False when the text is none of these.
 */
async function handleSummaryText(ctx: BotContext, reportId: number, pass: Pass, text: string): Promise<boolean> {
  const t = fold(text).replace(/[.!]+$/, "");
  if (/^(gui|gui bao cao|gui di|nop|nop bao cao|nop di|xac nhan|gui ban sua)$/.test(t)) {
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
      ctx.session.report = { reportId, code: entry.code, awaiting: "answer", pass: editPass };
      await ctx.conversation.enter(ANSWER_CONVERSATION, { reportId, code: entry.code, text: value, userId: ctx.user.id, pass: editPass } satisfies AnswerArgs);
      return true;
    }
    const view = questionView(state, entry, "edit");
    ctx.session.report = { reportId, code: entry.code, awaiting: "answer", pass: "edit" };
    await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
    return true;
  }
  const kind = classifyMessage(text).kind;
  if (kind !== "question" && kind !== "greeting" && kind !== "thanks") return false;
  if (kind === "question") await askPlans(ctx, text);
  else await ctx.reply(smallTalkReply(kind));
  const view = summaryView(await loadReportState(ctx.deps, reportId));
  await ctx.reply(`↩️ Tiếp tục báo cáo:\n${view.text}`, { parse_mode: "HTML", reply_markup: view.keyboard });
  return true;
}

async function submitAndReply(ctx: BotContext, reportId: number, reason: string | null) {
  const result = await submitReport(ctx.deps, { reportId, userId: ctx.user.id, reason });
  if (result.status === "incomplete") {
    return showNext(ctx, reportId, "resume", `Còn ${result.missing.length} câu chưa trả lời, cần trả lời trước khi gửi.\n\n`);
  }
  if (result.status === "nothing_to_change") return void (await ctx.reply("Không có thay đổi nào để gửi."));
  if (result.status === "locked") return void (await ctx.reply(LOCKED_MESSAGE));
  ctx.session.report = undefined;
  const report = await ctx.deps.db.report.findUniqueOrThrow({ where: { id: reportId } });
  const when = formatVietnamDate(result.submittedAt, true);
  const text =
    result.revision === 1
      ? `✅ Đã nộp báo cáo ${formatPeriod(parsePeriod(report.period))} lúc ${when} — ${result.onTime ? "đúng hạn" : "trễ hạn"}. Cảm ơn bạn!`
      : `✅ Đã lưu bản sửa lần ${result.revision} lúc ${when}. Lý do đã được ghi vào nhật ký.${result.resubmitted ? " Báo cáo đã được gửi lại để cán bộ quản lý duyệt." : ""}`;
  await ctx.reply(text);
  await notifyApprovers(ctx.api, ctx.deps, reportId, result.revision > 1);
}

/** Text while a report is open: an answer, an edit reason, or a question about the plans. */
export async function handleReportText(ctx: BotContext, text: string): Promise<boolean> {
  const r = ctx.session.report;
  if (!r) return false;
  if (!(await canEdit(ctx, r.reportId))) {
    ctx.session.report = undefined;
    await ctx.reply("Bạn không còn là đầu mối của đơn vị có báo cáo này, nên không thể tiếp tục. Vui lòng liên hệ cán bộ quản lý nếu đây là nhầm lẫn.");
    return true;
  }
  if (r.awaiting === "edit_reason") {
    if (text.trim().length < 3) return void (await ctx.reply("Lý do cần ít nhất vài chữ. Vui lòng nhập lại:")), true;
    await submitAndReply(ctx, r.reportId, cutChars(text.trim(), 500));
    return true;
  }
  if (r.awaiting !== "answer" || !r.code) return handleSummaryText(ctx, r.reportId, r.pass ?? "main", text);
  const intent = classifyMessage(text).kind;
  if (intent === "question" || intent === "greeting" || intent === "thanks") {
    if (intent === "question") await askPlans(ctx, text);
    else await ctx.reply(smallTalkReply(intent));
    const state = await loadReportState(ctx.deps, r.reportId);
    const entry = state.indicators.find((e) => e.code === r.code);
    if (entry) {
      const view = questionView(state, entry, r.pass === "edit" ? "edit" : "ask");
      await ctx.reply(`↩️ Tiếp tục báo cáo:\n${view.text}`, { parse_mode: "HTML", reply_markup: view.keyboard });
    }
    return true;
  }
  await ctx.conversation.enter(ANSWER_CONVERSATION, { reportId: r.reportId, code: r.code, text, userId: ctx.user.id, pass: r.pass ?? "main" } satisfies AnswerArgs);
  return true;
}

/**
 * Text outside a report, read by what it is: a greeting or thanks gets a reply saying what the bot
 * can do; "báo cáo" / "nộp báo cáo tháng này" opens /baocao for a focal point; a bare answer such
 * as "45/60" points to /baocao. Returns false for everything else (officials' words, questions).
 */
export async function routeByIntent(ctx: BotContext, text: string): Promise<boolean> {
  const intent = classifyMessage(text).kind;
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
