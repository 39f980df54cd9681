/**
 * Sending reminders and nudges through the Bot API. The API is throttled (≈1 message/s per chat,
 * ≈30/s overall) and retries 429s with retry_after (see create-bot.ts). A person Telegram will not
 * let us message (never pressed Start, or blocked the bot) is marked unreachable and reported.
 */
import { GrammyError, InlineKeyboard, type Api } from "grammy";
import { formatPeriod, parsePeriod } from "../core/reporting/periods.ts";
import { deadlineText } from "./messages/report.ts";
import type { Config } from "../core/config.ts";
import { claimReminder, dueReminders, settleReminder, type ReminderItem } from "../core/reporting/reminders.ts";
import { metrics } from "../core/metrics.ts";
import type { BotDeps } from "./context.ts";
import { markUnreachable } from "../core/officials/access.ts";

export interface DeliveryResult {
  sent: number;
  failed: number;
  unreachable: string[];
  /** The users Telegram refused (blocked the bot or never pressed Start); now marked unreachable. */
  unreachableUserIds: number[];
  skipped: number;
}

/**
 * A reminder states the unit, the period and the deadline, and carries [Báo cáo ngay] and, when the
 * previous period's report exists, [Giữ nguyên như kỳ trước] (which opens the summary): an unchanged
 * report is two taps from a reminder.
 */
export function reminderView(item: ReminderItem, now: Date): { text: string; keyboard: InlineKeyboard } {
  const period = parsePeriod(item.period);
  const when = deadlineText(item.deadline, now);
  const text = item.from
    ? `⏰ ${item.from} nhắc: ${item.unitName} chưa nộp báo cáo ${formatPeriod(period)} (${when}).`
    : `⏰ Nhắc báo cáo ${formatPeriod(period)} của ${item.unitName} (${when}).`;
  const keyboard = new InlineKeyboard().text("📝 Báo cáo ngay", `b:per:${item.unitId}:${item.period}`);
  if (item.hasPrevious) keyboard.row().text("↩️ Giữ nguyên như kỳ trước", `b:keep:${item.unitId}:${item.period}`);
  return { text, keyboard };
}

export async function deliver(api: Api, deps: BotDeps, items: ReminderItem[]): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0, unreachable: [], unreachableUserIds: [], skipped: 0 };
  await Promise.all(
    items.map(async (item) => {
      if (!(await claimReminder(deps.db, item))) return void result.skipped++;
      try {
        const view = reminderView(item, deps.now());
        await api.sendMessage(item.telegramId, view.text, { reply_markup: view.keyboard });
        await settleReminder(deps.db, item, "sent");
        result.sent++;
        metrics.remindersSent.inc();
      } catch (e) {
        const forbidden = e instanceof GrammyError && e.error_code === 403;
        metrics.remindersFailed.inc({ reason: forbidden ? "unreachable" : "error" });
        await settleReminder(deps.db, item, forbidden ? "unreachable" : "failed", e instanceof Error ? e.message.slice(0, 200) : "");
        if (forbidden) {
          await markUnreachable(deps.db, item.userId);
          result.unreachable.push(item.unitName);
          result.unreachableUserIds.push(item.userId);
        } else {
          result.failed++;
        }
      }
    }),
  );
  return result;
}

/** Check for due reminders every REMINDER_INTERVAL_SECONDS (0 disables). */
export function startReminderLoop(api: Api, deps: BotDeps, config: Pick<Config, "REMINDER_INTERVAL_SECONDS" | "REMINDER_DAYS_BEFORE">) {
  if (config.REMINDER_INTERVAL_SECONDS <= 0) return { async stop() {} };
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const items = await dueReminders(deps, deps.now(), config.REMINDER_DAYS_BEFORE);
      if (items.length > 0) {
        const r = await deliver(api, deps, items);
        deps.log("info", "reminders", { sent: r.sent, failed: r.failed, unreachable: r.unreachable.length, skipped: r.skipped });
      }
    } catch (e) {
      deps.log("error", "reminder loop failed", { err: e });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, config.REMINDER_INTERVAL_SECONDS * 1000);
  timer.unref();
  setTimeout(tick, 5_000).unref();
  return {
    /** Stop scheduling; resolves when a tick in progress has finished. */
    async stop() {
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
