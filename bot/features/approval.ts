/**
 * Approval in chat: an official gets one message per submitted report with [Duyệt] and [Trả lại]
 * (or a daily digest — their choice, /duyet), approves, returns with a typed reason, unapproves;
 * the focal point is told at once (a returned report carries a button that opens it for editing).
 * Every decision and access check is in core/officials/approval.ts; this file only words them.
 */
import { Composer, GrammyError, InlineKeyboard, type Api } from "grammy";
import {
  approvalItem,
  approvalNotifyOf,
  approvalQueue,
  approveReport,
  bulkApprove,
  digestOfficials,
  returnReport,
  setApprovalNotify,
  unapproveReport,
  type ApprovalItem,
  type ApprovalProblem,
  type ApprovalResult,
  type Recipient,
} from "../../core/officials/approval.ts";
import { officialScope, type OfficialScope } from "../../core/officials/access.ts";
import { formatPeriod, formatVietnamDate, parsePeriod, vietnamParts } from "../../core/reporting/periods.ts";
import { claimReminder, claimReminderLease, settleReminder } from "../../core/reporting/reminders.ts";
import { claimOutbox, outboxTarget, settleOutbox, type OutboxTarget } from "../../core/notify/outbox.ts";
import type { BotContext, BotDeps } from "../context.ts";
import { escapeHtml, unitNameHtml } from "../report-view.ts";
import { flagTargetName } from "../messages/officials.ts";

const PROBLEM_TEXT: Record<ApprovalProblem, string> = {
  not_found: "Không tìm thấy báo cáo này trong phạm vi bạn quản lý. Gõ /duyet để xem các báo cáo chờ duyệt.",
  own_unit: "Báo cáo của chính đơn vị bạn do cấp trên duyệt. Gõ /duyet để xem các báo cáo chờ duyệt.",
  not_submitted: "Báo cáo này chưa được nộp nên chưa duyệt được.",
  already_approved: "Báo cáo này đã được duyệt rồi. Nếu cần sửa, bấm [Bỏ duyệt] và ghi lý do.",
  not_approved: "Báo cáo này chưa được duyệt nên không cần bỏ duyệt.",
  already_returned: "Báo cáo này đã được trả lại và đang chờ đơn vị sửa.",
  reason_required: "Lý do cần ít nhất vài chữ. Vui lòng nhập lại:",
};

/** One report as the official reads it: unit, period, when, and the answers below target with their reasons. */
export function approvalItemText(item: ApprovalItem, head = "📥 <b>Báo cáo chờ duyệt</b>"): string {
  const where = item.unit.parentName ? ` — ${unitNameHtml(item.unit.parentName)}` : "";
  const when = item.submittedAt ? `nộp ${formatVietnamDate(item.submittedAt, true)}${item.onTime === false ? " (trễ hạn)" : " (đúng hạn)"}` : "";
  const lines = [
    head,
    `<b>${unitNameHtml(item.unit.name)}</b>${where}`,
    `Báo cáo ${item.periodLabel}, ${when}${item.revision > 1 ? `, bản sửa lần ${item.revision - 1}` : ""}.`,
    `${item.answered} câu trả lời; ${item.flags.length ? `${item.flags.length} chỉ tiêu chưa đạt:` : "không có chỉ tiêu nào chưa đạt."}`,
    ...item.flags.map((f) => `• ${escapeHtml(flagTargetName(f.short))}: ${escapeHtml(f.raw)} — ${f.reason ? `lý do: “${escapeHtml(f.reason)}”` : "chưa ghi lý do"}`),
  ];
  return lines.join("\n");
}

function decideKeyboard(reportId: number): InlineKeyboard {
  return new InlineKeyboard().text("✅ Duyệt", `ap:ok:${reportId}`).text("↩️ Trả lại", `ap:ret:${reportId}`);
}

async function send(api: Api, to: Recipient, text: string, keyboard?: InlineKeyboard): Promise<boolean> {
  try {
    await api.sendMessage(to.telegramId, text, { parse_mode: "HTML", ...(keyboard ? { reply_markup: keyboard } : {}) });
    return true;
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 403) return false;
    throw e;
  }
}

/** The message an official gets for a submitted (or corrected) report, with [Duyệt] [Trả lại]; null when no longer in their scope. */
async function approverMessage(deps: BotDeps, official: Recipient, reportId: number, resubmitted: boolean): Promise<{ text: string; keyboard: InlineKeyboard } | null> {
  const scope = await officialScope(deps.db, { id: official.userId });
  if (!scope) return null;
  const item = await approvalItem({ db: deps.db, catalog: await deps.catalog.get() }, scope, reportId);
  if (!item) return null;
  const head = resubmitted ? "📥 <b>Báo cáo đã sửa, chờ duyệt lại</b>" : "📥 <b>Báo cáo mới chờ duyệt</b>";
  return { text: approvalItemText(item, head), keyboard: decideKeyboard(reportId) };
}

/** What a unit's focal points are told of a decision on their report. */
function focalMessage(t: OutboxTarget, p: { action?: unknown; reason?: unknown }): { text: string; keyboard?: InlineKeyboard } {
  const what = `Báo cáo ${formatPeriod(parsePeriod(t.report.period))} của ${unitNameHtml(t.report.unitName)}`;
  const who = escapeHtml(t.actorName ?? "Cán bộ quản lý");
  const reason = escapeHtml(typeof p.reason === "string" ? p.reason : "");
  const fix = new InlineKeyboard().text("✏️ Sửa báo cáo", `b:per:${t.report.unitId}:${t.report.period}`);
  if (p.action === "return") return { text: `↩️ ${what} bị trả lại để sửa.\nLý do: “${reason}”\nBấm nút dưới đây để sửa rồi gửi lại.`, keyboard: fix };
  if (p.action === "unapprove") return { text: `🔓 ${what} đã được mở khóa để sửa.\nLý do: “${reason}”\nBấm nút dưới đây để sửa rồi gửi lại.`, keyboard: fix };
  return { text: `✅ ${what} đã được duyệt (${who}). Cảm ơn bạn!` };
}

/**
 * Deliver outbox rows (core/notify/outbox.ts): the one with `key` right after its commit, or every
 * row due (the sweep). Each recipient is claimed once (Reminder, kind "ob-<row id>"): a row
 * delivered again after a kill or a redelivered update skips whoever was already told.
 * Returns how many messages were sent.
 */
export async function deliverOutbox(api: Api, deps: BotDeps, opts: { key?: string; graceMs?: number } = {}): Promise<number> {
  let sent = 0;
  // the change is committed: a failure here must not fail its update (the sweep delivers the row later)
  const rows = await claimOutbox(deps.db, opts).catch((e) => {
    deps.log("warn", "outbox claim failed", { error: e instanceof Error ? e.message : String(e) });
    return [];
  });
  for (const row of rows) {
    let complete = true;
    try {
      const t = await outboxTarget(deps.db, row);
      // a report gone, or an approvers' notice overtaken by a newer revision (its own row tells them): nothing to send
      const stale = !t || (row.kind === "approvers" && t.report.revision > Number(row.payload.revision));
      for (const to of stale ? [] : t!.recipients) {
        const claim = { unitId: t!.report.unitId, userId: to.userId, period: t!.report.period, kind: `ob-${row.id}` };
        const c = await claimReminderLease(deps.db, claim);
        if (!c.claimed) {
          if (c.retryInMs !== undefined) complete = false; // another instance is on it: look again later
          continue;
        }
        try {
          const m = row.kind === "approvers" ? await approverMessage(deps, to, row.reportId, Number(row.payload.revision) > 1) : focalMessage(t!, row.payload);
          const ok = m ? await send(api, to, m.text, m.keyboard) : true;
          await settleReminder(deps.db, claim, ok ? "sent" : "unreachable");
          if (m && ok) sent++;
        } catch (e) {
          complete = false;
          await settleReminder(deps.db, claim, "retry", e instanceof Error ? e.message.slice(0, 200) : "");
        }
      }
    } catch (e) {
      complete = false;
      deps.log("warn", "outbox delivery failed", { error: e instanceof Error ? e.message : String(e) });
    }
    const outcome = await settleOutbox(deps.db, row, complete ? "done" : "retry").catch(() => "lease" as const); // unsettled: taken over after its lease
    if (outcome === "given_up") deps.log("error", "outbox notification given up", { outbox: row.id });
  }
  return sent;
}

/**
 * The sweep, in every long-running mode and on every instance: every `intervalMs`, deliver the
 * rows left pending for more than `graceMs` (a kill after the commit, a redelivered update) or
 * stuck "sending" past their lease. Runs once at start too. `stop()` waits for a sweep in progress.
 */
export function startOutboxSweep(api: Api, deps: BotDeps, opts: { intervalMs?: number; graceMs?: number } = {}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = deliverOutbox(api, deps, { graceMs: opts.graceMs ?? 10_000 }).catch((e) =>
      deps.log("warn", "outbox sweep failed", { error: e instanceof Error ? e.message : String(e) }),
    );
  };
  const first = setTimeout(tick, 1000);
  const timer = setInterval(() => void running.then(tick), opts.intervalMs ?? 10_000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/** Tell the unit's focal points what happened to their report (its outbox row, written with the decision). */
async function tellFocalPoints(ctx: BotContext, r: Extract<ApprovalResult, { ok: true }>) {
  await deliverOutbox(ctx.api, ctx.deps, { key: r.outbox });
}

async function scopeOrRefuse(ctx: BotContext): Promise<OfficialScope | null> {
  const scope = await officialScope(ctx.deps.db, ctx.user);
  if (!scope) await ctx.reply("Chức năng này dành cho cán bộ quản lý.");
  return scope;
}

async function deps(ctx: BotContext) {
  return { db: ctx.deps.db, catalog: await ctx.deps.catalog.get(), now: ctx.deps.now() };
}

/** /duyet: the queue (each with its buttons), bulk approval of reports with no flags, and the notification setting. */
async function showQueue(ctx: BotContext) {
  const scope = await scopeOrRefuse(ctx);
  if (!scope) return;
  const q = await approvalQueue(await deps(ctx), scope, { limit: 10 });
  const mode = await approvalNotifyOf(ctx.deps.db, ctx.user.id);
  const clean = q.items.filter((i) => i.flags.length === 0).length;
  const head = [
    `📥 <b>Báo cáo chờ duyệt — ${unitNameHtml(scope.root.name)}</b>: ${q.total}`,
    q.total > q.items.length ? `Dưới đây là ${q.items.length} báo cáo nộp sớm nhất.` : "",
    `Thông báo báo cáo mới: ${mode === "digest" ? "tổng hợp mỗi ngày một lần" : "từng báo cáo một"}.`,
  ].filter(Boolean);
  const kb = new InlineKeyboard();
  if (clean > 0) kb.text("✅ Duyệt tất cả báo cáo không có chỉ tiêu chưa đạt", "ap:bulk").row();
  kb.text(mode === "digest" ? "🔔 Nhận từng báo cáo" : "🗓 Nhận tổng hợp mỗi ngày", `ap:mode:${mode === "digest" ? "each" : "digest"}`);
  await ctx.reply(head.join("\n"), { parse_mode: "HTML", reply_markup: kb });
  for (const item of q.items) await ctx.reply(approvalItemText(item), { parse_mode: "HTML", reply_markup: decideKeyboard(item.reportId) });
}

/** A reason typed after [Trả lại] or [Bỏ duyệt]; false when no reason is awaited. */
export async function handleApprovalText(ctx: BotContext, text: string): Promise<boolean> {
  const awaiting = ctx.session.approval;
  if (!awaiting) return false;
  const scope = await officialScope(ctx.deps.db, ctx.user);
  if (!scope) {
    ctx.session.approval = undefined;
    return false;
  }
  const input = { reportId: awaiting.reportId, reason: text };
  const r = awaiting.action === "return" ? await returnReport(await deps(ctx), scope, input) : await unapproveReport(await deps(ctx), scope, input);
  if (!r.ok) {
    if (r.problem !== "reason_required") ctx.session.approval = undefined;
    await ctx.reply(PROBLEM_TEXT[r.problem]);
    return true;
  }
  ctx.session.approval = undefined;
  await tellFocalPoints(ctx, r);
  await ctx.reply(
    awaiting.action === "return"
      ? `↩️ Đã trả lại báo cáo ${r.item.periodLabel} của ${r.item.unit.name} kèm lý do. Đơn vị đã được báo; khi sửa xong, báo cáo sẽ quay lại hàng chờ duyệt.`
      : `🔓 Đã bỏ duyệt báo cáo ${r.item.periodLabel} của ${r.item.unit.name}. Đơn vị đã được báo và có thể sửa; bản sửa sẽ quay lại hàng chờ duyệt.`,
  );
  return true;
}

export const approvalFeature = new Composer<BotContext>();
const privateChats = approvalFeature.chatType("private");

privateChats.command("duyet", showQueue);

privateChats.callbackQuery(/^ap:ok:(\d+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const scope = await scopeOrRefuse(ctx);
  if (!scope) return;
  const r = await approveReport(await deps(ctx), scope, { reportId: Number(ctx.match[1]) });
  if (!r.ok) return void (await ctx.reply(PROBLEM_TEXT[r.problem]));
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await tellFocalPoints(ctx, r);
  await ctx.reply(`✅ Đã duyệt báo cáo ${r.item.periodLabel} của ${r.item.unit.name}. Báo cáo đã khóa; đơn vị đã được báo.`, {
    reply_markup: new InlineKeyboard().text("🔓 Bỏ duyệt", `ap:un:${r.item.reportId}`),
  });
});

privateChats.callbackQuery(/^ap:(ret|un):(\d+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const scope = await scopeOrRefuse(ctx);
  if (!scope) return;
  const reportId = Number(ctx.match[2]);
  const item = await approvalItem(await deps(ctx), scope, reportId);
  if (!item) return void (await ctx.reply(PROBLEM_TEXT.not_found));
  const action = ctx.match[1] === "ret" ? "return" : "unapprove";
  ctx.session.approval = { action, reportId };
  await ctx.reply(
    action === "return"
      ? `Vui lòng ghi lý do trả lại báo cáo ${item.periodLabel} của ${item.unit.name} (đơn vị sẽ đọc lý do này để sửa):`
      : `Vui lòng ghi lý do bỏ duyệt báo cáo ${item.periodLabel} của ${item.unit.name} (sẽ lưu vào nhật ký):`,
  );
});

privateChats.callbackQuery("ap:bulk", async (ctx) => {
  await ctx.answerCallbackQuery();
  const scope = await scopeOrRefuse(ctx);
  if (!scope) return;
  const r = await bulkApprove(await deps(ctx), scope);
  for (const a of r.approved) await tellFocalPoints(ctx, a);
  await ctx.reply(
    `✅ Đã duyệt ${r.approved.length} báo cáo không có chỉ tiêu chưa đạt.${r.flagged ? ` Còn ${r.flagged} báo cáo có chỉ tiêu chưa đạt cần xem từng báo cáo (/duyet).` : ""}`,
  );
});

privateChats.callbackQuery(/^ap:mode:(each|digest)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const scope = await scopeOrRefuse(ctx);
  if (!scope) return;
  const mode = ctx.match[1] as "each" | "digest";
  await setApprovalNotify(ctx.deps.db, ctx.user.id, mode);
  await ctx.reply(mode === "digest" ? "🗓 Từ nay bạn nhận tổng hợp báo cáo chờ duyệt mỗi ngày một lần (7 giờ sáng)." : "🔔 Từ nay bạn nhận thông báo cho từng báo cáo mới.");
});

/** Vietnam hour from which the daily digest goes out. */
export const DIGEST_HOUR = 7;

/**
 * The daily digest for officials who chose it: how many reports wait, with [Duyệt …] and [Xem từng báo cáo].
 * Sent once a day per official from 7:00 Vietnam time (claimed in the Reminder table: a restart never sends it twice).
 * Returns how many were sent.
 */
export async function sendApprovalDigests(api: Api, deps: BotDeps): Promise<number> {
  let sent = 0;
  const catalog = await deps.catalog.get();
  const v = vietnamParts(deps.now());
  if (v.hour < DIGEST_HOUR) return 0;
  const day = `${v.year}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}`;
  for (const o of await digestOfficials(deps.db)) {
    const claim = { unitId: o.unitId, userId: o.userId, period: day, kind: "approval-digest" };
    if (!(await claimReminder(deps.db, claim))) continue;
    const scope = await officialScope(deps.db, { id: o.userId });
    if (!scope) continue;
    const q = await approvalQueue({ db: deps.db, catalog }, scope, { limit: 200 });
    if (q.total === 0) {
      await settleReminder(deps.db, claim, "sent");
      continue;
    }
    const clean = q.items.filter((i) => i.flags.length === 0).length;
    const text = `🗓 <b>Báo cáo chờ duyệt — ${unitNameHtml(scope.root.name)}</b>: ${q.total} báo cáo${clean ? `, trong đó ${clean} không có chỉ tiêu chưa đạt` : ""}.`;
    const kb = new InlineKeyboard();
    if (clean) kb.text("✅ Duyệt các báo cáo không có chỉ tiêu chưa đạt", "ap:bulk").row();
    const ok = await send(api, o, text, kb.text("📥 Xem từng báo cáo", "ap:list"));
    await settleReminder(deps.db, claim, ok ? "sent" : "unreachable");
    if (ok) sent++;
  }
  return sent;
}

privateChats.callbackQuery("ap:list", async (ctx) => {
  await ctx.answerCallbackQuery();
  await showQueue(ctx);
});
