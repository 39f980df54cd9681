/**
 * The data subject's requests (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): /dulieu shows what the bot
 * holds about the user, /xoadulieu erases it after a confirmation button. The notice and consent
 * live in start.ts (they gate registration). `touchLastSeen` records activity for retention.
 */
import { Composer, InlineKeyboard } from "grammy";
import { applyRetention, eraseUser, personalDataOf, touchUser } from "../../core/privacy/index.ts";
import type { BotContext } from "../context.ts";
import { dropCursor } from "../../core/reporting/steps.ts";
import {
  ERASE_BUTTONS,
  ERASE_CANCEL,
  ERASE_CANCELLED,
  ERASE_CONFIRM,
  eraseConfirmText,
  erasedText,
  NOTHING_HELD,
  personalDataText,
} from "../messages/privacy.ts";

/** Middleware: the user was active now (at most one write an hour). */
export async function touchLastSeen(ctx: BotContext, next: () => Promise<void>) {
  if (ctx.user && !ctx.user.erasedAt) await touchUser(ctx.deps.db, ctx.user, ctx.deps.now());
  await next();
}

export const privacyFeature = new Composer<BotContext>();
const privateChats = privacyFeature.chatType("private");

privateChats.command("dulieu", async (ctx) => {
  const data = await personalDataOf(ctx.deps.db, ctx.user.id);
  if (!data) return void (await ctx.reply(NOTHING_HELD));
  await ctx.reply(personalDataText(data), { parse_mode: "HTML" });
});

privateChats.command("xoadulieu", async (ctx) => {
  await dropCursor(ctx.deps.db, String(ctx.chat.id)); // closes any report open in this chat
  const data = await personalDataOf(ctx.deps.db, ctx.user.id);
  if (!data) return void (await ctx.reply(NOTHING_HELD));
  await ctx.reply(eraseConfirmText(data), {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().text(ERASE_BUTTONS.confirm, ERASE_CONFIRM).text(ERASE_BUTTONS.cancel, ERASE_CANCEL),
  });
});

privateChats.callbackQuery(ERASE_CANCEL, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
  await ctx.reply(ERASE_CANCELLED);
});

privateChats.callbackQuery(ERASE_CONFIRM, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
  await eraseUser(ctx.deps.db, ctx.user.id, { reason: "self", actorId: ctx.user.id, now: ctx.deps.now() });
  // the session was deleted with the data; keep grammY from writing it back after this update
  ctx.session = null as never; // null: grammY deletes the session key instead of writing it
  await ctx.reply(erasedText(), { reply_markup: { remove_keyboard: true } });
});

/**
 * One retention run: anonymizes users inactive for PERSONAL_DATA_RETENTION_DAYS (configured admins
 * excepted). Logs counts only. Runs as a job of the bot's queue (bot/reminders.ts: daily, and once
 * soon after start), so every long-running mode runs it and, on PostgreSQL, one instance at a time.
 */
export async function runRetention(
  deps: Pick<BotContext["deps"], "db" | "log" | "now">,
  config: { days: number; keepTelegramIds: string[] },
): Promise<number> {
  try {
    const r = await applyRetention(deps.db, { days: config.days, now: deps.now(), keepTelegramIds: config.keepTelegramIds });
    if (r.userIds.length) deps.log("info", "retention anonymized inactive users", { users: r.userIds.length });
    return r.userIds.length;
  } catch (e) {
    deps.log("error", "retention run failed", { error: e instanceof Error ? e.message : String(e) });
    return 0;
  }
}
