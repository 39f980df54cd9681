/**
 * Telegram's flood limits on the bot's own Bot API calls (bot/create-bot.ts installs this).
 *
 *   - A reply: a call made by an update from a private chat (through its ctx.api) to that same chat
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
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Context, MiddlewareFn, Transformer } from "grammy";

/**
 * How a call is known to be a reply: the update's own Api (ctx.api) passes a marker signal with each
 * call it makes to the Bot API (unless the caller passes a signal of its own), and the marker says
 * which private chat the update came from. Not an AsyncLocalStorage: on Node 20 one enabled runs
 * async hooks on every promise of the process (core/log.ts says what that cost). The limits below
 * drop the marker before the call goes on (it never aborts anything).
 */
const replyChat = new WeakMap<object, string>();
/** The signal type of grammY's transformers (its AbortSignal shim's). */
type Signal = Parameters<Transformer>[3];

/** Middleware: calls made by the rest of this update through ctx.api to its own private chat are replies. */
export function markReplies<C extends Context>(): MiddlewareFn<C> {
  return (ctx, next) => {
    if (ctx.chat?.type !== "private") return next();
    const marker = new AbortController().signal as unknown as NonNullable<Signal>;
    replyChat.set(marker, String(ctx.chat.id));
    ctx.api.config.use((prev, method, payload, signal) => prev(method, payload, signal ?? marker));
    return next();
  };
}

/** Is this call (its payload, and the signal it came with) a reply to the private chat whose update made it? */
export function isReply(payload: unknown, signal?: Signal): boolean {
  const chat = signal === undefined ? undefined : replyChat.get(signal);
  if (chat === undefined || !payload || typeof payload !== "object" || !("chat_id" in payload)) return false;
  return String((payload as { chat_id: unknown }).chat_id) === chat;
}

/** The global and per-chat limits for every call that is not a reply (see the module comment). */
export function floodLimits(): Transformer {
  const throttled = apiThrottler({ global: { reservoir: 25, reservoirRefreshAmount: 25, reservoirRefreshInterval: 1000, minTime: 40 } });
  return (prev, method, payload, signal) => {
    const marked = signal !== undefined && replyChat.has(signal);
    const own = marked ? undefined : signal; // the marker goes no further
    return isReply(payload, signal) ? prev(method, payload, own) : throttled(prev, method, payload, own);
  };
}
