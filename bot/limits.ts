/**
 * Telegram's flood limits on the bot's own Bot API calls (bot/create-bot.ts installs this).
 *
 *   - A reply: a call made while an update from a private chat is being handled, to that same chat
 *     (the answer to a typed answer, the next question, a re-ask). Not throttled by this process: it
 *     goes out at once, and a 429 is still retried by autoRetry after Telegram's retry_after.
 *   - Everything else (a message to another chat from inside an update — an official told of a
 *     submit, focal points told of a return —, calls outside any update, group chats): at most 25
 *     messages in any second overall, spaced 40 ms apart, and 1 message/s per private chat
 *     (20/min per group), as before. Reminders and nudges go through their own queue and sender
 *     (bot/reminders.ts, core/jobs/queue.ts), which keep the same 25/s and 1/s per chat.
 *
 * Why replies are exempt (issue 11 §5): a reply's rate is the user's own typing rate — one reply,
 * rarely two or three (a long text split by fitToTelegram), per message the user sent, and one
 * chat's updates run one at a time (sequentialize). Telegram's limits are about bulk sending ("no
 * more than ~30 messages per second to different users", "avoid more than one message per second
 * in a chat — short bursts are allowed"). Throttling replies made each one wait in a process-wide
 * 25/s queue while it held the webhook request and the chat's turn open: one instance could never
 * answer more than 25 messages a second whatever its CPU (20 answers/s measured with
 * `npm run bench:webhook`), and the per-chat 1 s spacing added up to 1 s to a quick second message.
 * If Telegram ever answers a reply with 429, autoRetry waits what it asks (counted in
 * cds_telegram_429_total).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Context, MiddlewareFn, Transformer } from "grammy";
import { scopeValue, setScopeValue } from "../core/log.ts";

/**
 * The private chat whose update is being handled in this async context: kept in the update's log
 * context (core/log.ts, set up by the update guard) — one AsyncLocalStorage fewer, each costing on
 * every promise —, or in its own storage where an update runs without one (tests of this module).
 */
const REPLY_CHAT = Symbol("replyChat");
const fallback = new AsyncLocalStorage<string>();

/** Middleware: calls made by the rest of this update to its own private chat are replies. */
export function markReplies<C extends Context>(): MiddlewareFn<C> {
  return (ctx, next) => {
    if (ctx.chat?.type !== "private") return next();
    const chat = String(ctx.chat.id);
    return setScopeValue(REPLY_CHAT, chat) ? next() : fallback.run(chat, next);
  };
}

/** Is this call a reply to the private chat whose update is being handled? */
export function isReply(payload: unknown): boolean {
  const chat = scopeValue<string>(REPLY_CHAT) ?? fallback.getStore();
  if (chat === undefined || !payload || typeof payload !== "object" || !("chat_id" in payload)) return false;
  return String((payload as { chat_id: unknown }).chat_id) === chat;
}

/** The global and per-chat limits for every call that is not a reply (see the module comment). */
export function floodLimits(): Transformer {
  const throttled = apiThrottler({ global: { reservoir: 25, reservoirRefreshAmount: 25, reservoirRefreshInterval: 1000, minTime: 40 } });
  return (prev, method, payload, signal) => (isReply(payload) ? prev(method, payload, signal) : throttled(prev, method, payload, signal));
}
