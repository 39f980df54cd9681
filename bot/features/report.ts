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
import { recordAnswer, recordReason } from "../../core/reporting/answer.ts";
import { answerAsText } from "../../core/reporting/format.ts";
import { formatPeriod, formatVietnamDate, parsePeriod, type Period } from "../../core/reporting/periods.ts";
import { isFuturePeriod } from "../../core/reporting/window.ts";
import {
  discardPendingEdits,
  isComplete,
  loadReportState,
  offeredPeriods,
  openReport,
  saveAnswer,
  submitReport,
  type ReportState,
} from "../../core/reporting/reports.ts";
import type { BotContext } from "../context.ts";
import { escapeHtml, parseCb, pickQuestionView, questionView, summaryView } from "../report-view.ts";

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
  /** The next plain text; a command, a button or anything else ends this answer and is handled outside. */
  const nextText = async (): Promise<string> => {
    const c = await conversation.wait();
    const text = c.message?.text;
    if (text === undefined || text.startsWith("/")) return conversation.halt({ next: true });
    return text;
  };
  let text = args.text;
  for (;;) {
    // Store the answer and, when it needs nothing more, send the next question — one external step.
    const outcome = await conversation.external(async (octx) => {
      const { outcome, state } = await recordAnswer(octx.deps, { reportId: args.reportId, code: args.code, raw: text, userId: args.userId });
      if (outcome.status === "saved" && outcome.meetsTarget !== false) {
        await showNext(octx, args.reportId, args.pass, `✔️ ${escapeHtml(outcome.message)}\n\n`, state);
      }
      return outcome;
    });
    if (outcome.status === "not_in_report") return;
    if (outcome.status === "invalid") {
      await ctx.reply(`❗ ${outcome.message}\nVui lòng trả lời lại (hoặc bấm Bỏ qua, /huy để dừng).`);
      text = await nextText();
      continue;
    }
    if (outcome.meetsTarget === false) {
      await ctx.reply(`📉 ${outcome.gapText ?? "Chưa đạt chỉ tiêu"}.\nVui lòng ghi ngắn gọn lý do chưa đạt:`);
      for (;;) {
        const reason = await nextText();
        const saved = await conversation.external((octx) =>
          recordReason(octx.deps, { reportId: args.reportId, code: args.code, reason }),
        );
        if (saved.ok) break;
        await ctx.reply(saved.message);
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

/** Period buttons for a unit: the current month, quarter and year it has questions for. */
async function choosePeriod(ctx: BotContext, unitId: number) {
  const unit = await ctx.deps.db.unit.findUniqueOrThrow({ where: { id: unitId } });
  const offer = await offeredPeriods(ctx.deps, unitId, ctx.deps.now());
  if (offer.status === "no_plan") {
    return void (await ctx.reply(
      `Hiện chưa có kế hoạch nào áp dụng cho ${escapeHtml(unit.name)} trong kỳ này, nên chưa có gì cần báo cáo. ` +
        "Khi cấp trên ban hành kế hoạch, bot sẽ hỏi bạn. Nếu bạn nghĩ đây là nhầm lẫn, hãy báo cán bộ phụ trách gắn kế hoạch cho đơn vị.",
      { parse_mode: "HTML" },
    ));
  }
  if (offer.status === "no_questions") return void (await ctx.reply("Không có câu hỏi báo cáo nào cho cấp học của đơn vị này."));
  const periods = offer.periods;
  if (periods.length === 1) return startReport(ctx, unitId, periods[0]!.period);
  const kb = new InlineKeyboard();
  for (const o of periods) {
    const status = o.report === "submitted" ? " ✅" : o.overdue ? " ⏰ quá hạn" : o.report ? " 📝" : "";
    const due = formatVietnamDate(new Date(o.deadline.getTime() - 1));
    kb.text(`${formatPeriod(o.period)} (hạn ${due})${status}`, `b:per:${unitId}:${o.period.key}`).row();
  }
  await ctx.reply(`📝 <b>${escapeHtml(unit.name)}</b>\nChọn kỳ báo cáo:`, { parse_mode: "HTML", reply_markup: kb });
}

async function startReport(ctx: BotContext, unitId: number, period: Period) {
  const now = ctx.deps.now();
  if (isFuturePeriod(period, now)) {
    const current = currentPeriod(period.kind, now);
    return void (await ctx.reply(`Chưa đến kỳ báo cáo ${formatPeriod(period)}. Kỳ hiện tại là ${formatPeriod(current)}: gõ /baocao để báo cáo.`));
  }
  const report = await openReport(ctx.deps, unitId, period);
  if (report.status === "submitted") {
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

privateChats.command("baocao", async (ctx) => {
  await leaveAnswer(ctx);
  const units = await unitsOfUser(ctx);
  if (units.length === 0) {
    return void (await ctx.reply(
      "Bạn chưa đăng ký làm đầu mối báo cáo của đơn vị nào.\n" +
        "• Nếu có mã mời: gõ /start <mã mời>\n• Hoặc gõ /start rồi bấm \"Chia sẻ số điện thoại\" (số đã được đơn vị khai báo).",
    ));
  }
  const arg = ctx.match.trim();
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
  for (const u of units) kb.text(u.name, `b:unit:${u.id}`).row();
  await ctx.reply("Bạn là đầu mối của nhiều đơn vị. Chọn đơn vị muốn báo cáo:", { reply_markup: kb });
});

privateChats.callbackQuery(/^b:unit:(\d+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const unitId = Number(ctx.match[1]);
  const m = await ctx.deps.db.membership.findUnique({ where: { userId_unitId: { userId: ctx.user.id, unitId } } });
  if (!m) return void (await ctx.reply("Bạn không phải đầu mối của đơn vị này."));
  await leaveAnswer(ctx);
  await choosePeriod(ctx, unitId);
});

privateChats.callbackQuery(/^b:per:(\d+):([\dQq-]+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const unitId = Number(ctx.match[1]);
  const m = await ctx.deps.db.membership.findUnique({ where: { userId_unitId: { userId: ctx.user.id, unitId } } });
  if (!m) return void (await ctx.reply("Bạn không phải đầu mối của đơn vị này."));
  await leaveAnswer(ctx);
  await startReport(ctx, unitId, parsePeriod(ctx.match[2]!));
});

privateChats.callbackQuery(/^r:/, async (ctx) => {
  const data = parseCb(ctx.callbackQuery.data);
  if (!data) return void (await ctx.answerCallbackQuery());
  if (!(await canEdit(ctx, data.reportId))) {
    return void (await ctx.answerCallbackQuery({ text: "Bạn không có quyền với báo cáo này.", show_alert: true }));
  }
  await ctx.answerCallbackQuery();
  const { reportId, code } = data;
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
      const view = summaryView(await loadReportState(ctx.deps, reportId));
      ctx.session.report = { reportId, code: null, awaiting: null, pass };
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
    case "submit": {
      await leaveAnswer(ctx);
      const report = await ctx.deps.db.report.findUniqueOrThrow({ where: { id: reportId } });
      if (report.status === "submitted") {
        ctx.session.report = { reportId, code: null, awaiting: "edit_reason", pass: "edit" };
        return void (await ctx.reply("Vui lòng ghi ngắn gọn lý do sửa báo cáo đã nộp (sẽ lưu vào nhật ký):"));
      }
      return submitAndReply(ctx, reportId, null);
    }
    case "cancel":
      return cancelReport(ctx);
    case "close":
      await leaveAnswer(ctx);
      ctx.session.report = undefined;
      return void (await ctx.editMessageReplyMarkup().catch(() => undefined));
  }
});

async function submitAndReply(ctx: BotContext, reportId: number, reason: string | null) {
  const result = await submitReport(ctx.deps, { reportId, userId: ctx.user.id, reason });
  if (result.status === "incomplete") {
    return showNext(ctx, reportId, "resume", `Còn ${result.missing.length} câu chưa trả lời, cần trả lời trước khi gửi.\n\n`);
  }
  if (result.status === "nothing_to_change") return void (await ctx.reply("Không có thay đổi nào để gửi."));
  ctx.session.report = undefined;
  const report = await ctx.deps.db.report.findUniqueOrThrow({ where: { id: reportId } });
  const when = formatVietnamDate(result.submittedAt, true);
  const text =
    result.revision === 1
      ? `✅ Đã nộp báo cáo ${formatPeriod(parsePeriod(report.period))} lúc ${when} — ${result.onTime ? "đúng hạn" : "trễ hạn"}. Cảm ơn bạn!`
      : `✅ Đã lưu bản sửa lần ${result.revision} lúc ${when}. Lý do đã được ghi vào nhật ký.`;
  await ctx.reply(text);
}

/** Text while a report is open: an answer, an edit reason, or a question about the plans. */
export async function handleReportText(ctx: BotContext, text: string, askPlans: (ctx: BotContext, q: string) => Promise<void>): Promise<boolean> {
  const r = ctx.session.report;
  if (!r) return false;
  if (!(await canEdit(ctx, r.reportId))) {
    ctx.session.report = undefined;
    await ctx.reply("Bạn không còn là đầu mối của đơn vị có báo cáo này, nên không thể tiếp tục. Vui lòng liên hệ cán bộ quản lý nếu đây là nhầm lẫn.");
    return true;
  }
  if (r.awaiting === "edit_reason") {
    if (text.trim().length < 3) return void (await ctx.reply("Lý do cần ít nhất vài chữ. Vui lòng nhập lại:")), true;
    await submitAndReply(ctx, r.reportId, text.trim().slice(0, 500));
    return true;
  }
  if (r.awaiting !== "answer" || !r.code) return false;
  if (looksLikeQuestion(text)) {
    await askPlans(ctx, text);
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

/** "chữ ký số là gì?", "hỏi: …" — a question, not an answer. */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t.endsWith("?") || /^(hỏi|hoi)\s*[:,]/.test(t) || /\b(là gì|la gi|thế nào|the nao|như thế nào)\b/.test(t);
}
