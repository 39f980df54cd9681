/**
 * createBot(token, deps, options) builds the whole bot: a factory, not a global, so tests and the
 * local chat build the very same bot with their own dependencies and Bot API root.
 *
 *   const bot = createBot(token, deps, { apiRoot: "http://127.0.0.1:8081" });
 *   run(bot);
 */
import { Bot, Composer, GrammyError, HttpError, session, type Transformer } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";
import { bindLogContext, createLogger, logScopeOf, scopedLog } from "../core/log.ts";
import { metrics } from "../core/metrics.ts";
import { updateGuard } from "./update-guard.ts";
import { floodLimits, markReplies } from "./limits.ts";
import type { BotContext, BotDeps, SessionData } from "./context.ts";
import { userAndSessionForTelegram, userForTelegram, userSessionAndCursorForTelegram } from "../core/users.ts";
import { fitToTelegram } from "./telegram-api.ts";
import { prismaStorage, SESSION_PREFIX, withPrefetchedSession } from "./session-storage.ts";
import { askFeature, askPlans } from "./features/ask.ts";
import { BOT_COMMANDS, helpFeature } from "./features/help.ts";
import { officialsFeature, handleOfficialText } from "./features/officials.ts";
import { createPlansFeature } from "./features/plans.ts";
import { dashboardMenuButton } from "./dashboard-button.ts";
import { cancelReport, handleReportText, reportFeature, routeByIntent } from "./features/report.ts";
import { startFeature } from "./features/start.ts";
import { approvalFeature, handleApprovalText } from "./features/approval.ts";
import { privacyFeature, touchLastSeen } from "./features/privacy.ts";

export interface CreateBotOptions {
  /** Bot API base URL (TELEGRAM_API_ROOT): a self-hosted Bot API server, or the fake one in tests. */
  apiRoot?: string;
  /** Skip getMe at start (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** Custom fetch for the Bot API client (in-process benchmarks). */
  fetch?: typeof fetch;
  /** Respect Telegram's flood limits for sends other than replies (bot/limits.ts; default true; tests turn it off). */
  throttle?: boolean;
  /** Process each update_id once (UpdateClaim; default true). The local chat's fake API restarts its ids, so it turns this off. */
  dedupe?: boolean;
  /** After how long an unfinished claim of a killed instance may be taken over (default 90 s; UPDATE_CLAIM_STALE_SECONDS). */
  claimStaleMs?: number;
  /** Base logger for per-update log context (default: silent). */
  logger?: Logger;
}

/** Counts every 429 the Bot API answers, retried or not (installed first: innermost, under autoRetry). */
const count429: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (!res.ok && res.error_code === 429) metrics.tooManyRequests.inc({ method });
  return res;
};

/**
 * Transformers of every real Bot API call (installed in order: the last is outermost), including
 * those made inside conversations (through bot/telegram-api.ts's gate, below the replay layer).
 */
function apiTransformers(throttle: boolean): Transformer[] {
  const list: Transformer[] = [count429, autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true })];
  // replies to the user's own message go out at once; every other send: ≤ 25 messages/s overall and
  // 1 message/s per chat (bot/limits.ts says why); 429s are still retried by autoRetry.
  if (throttle) list.push(floodLimits());
  // outermost: a text too long for one message becomes several, each throttled and retried
  list.push(fitToTelegram);
  return list;
}

export function createBot(token: string, deps: BotDeps, options: CreateBotOptions = {}): Bot<BotContext> {
  const client = { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) };
  const bot = new Bot<BotContext>(token, {
    botInfo: options.botInfo,
    client: { ...client, ...(options.fetch ? { fetch: options.fetch as never } : {}) },
  });
  const transformers = apiTransformers(options.throttle ?? true);
  for (const t of transformers) bot.api.config.use(t);

  // First: log context, metrics, updates in flight (for shutdown) and each update_id processed once (bot/update-guard.ts).
  bot.use(updateGuard({ db: deps.db, logger: options.logger ?? createLogger("silent"), dedupe: options.dedupe ?? true, claimStaleMs: options.claimStaleMs }));
  // The runner handles updates concurrently; one chat's updates must still run in order, or a
  // quick reply could overtake the session and conversation state of the update before it.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  // what this update sends to its own private chat is a reply: not held by the global 25/s limit
  bot.use(markReplies());
  // this update's deps: the same, with a log function adding its update_id (and user id) to each line
  bot.use(async (ctx, next) => {
    const scope = logScopeOf(ctx);
    ctx.deps = scope ? { ...deps, log: scopedLog(scope, deps.log) } : deps;
    await next();
  });
  // The user first, with the chat's session read in the same query (handed to the session below).
  bot.use(loadUser);
  // Sessions and conversation state live in the database: a restart loses nothing.
  bot.use(
    session({
      initial: (): SessionData => ({}),
      storage: prismaStorage<SessionData>(deps.db, SESSION_PREFIX),
      getSessionKey: sessionKeyOf,
    }),
  );
  bot.use(dashboardMenuButton());
  bot.use(touchLastSeen);

  const features = new Composer<BotContext>();
  // The reporting conversation keeps its place in the database (ReportCursor, core/reporting/steps.ts),
  // not in the conversations plugin: see bot/features/report.ts.
  // Removing the buttons of a message that shows none is a no-op, not a call Telegram refuses
  // ("message is not modified"): a press on an old or forged button lands on such messages.
  features.on("callback_query", async (ctx, next) => {
    if (ctx.callbackQuery.message && !ctx.callbackQuery.message.reply_markup) {
      const edit = ctx.editMessageReplyMarkup.bind(ctx);
      ctx.editMessageReplyMarkup = async (other, signal) => {
        const rows = other?.reply_markup?.inline_keyboard ?? [];
        return rows.every((r) => r.length === 0) ? (true as never) : edit(other, signal);
      };
    }
    await next();
  });
  // Report, unit and approval buttons (r:, b:, ap:) carry database ids (32-bit); a number beyond that
  // was forged: refuse it before a handler turns it into a query the database cannot even represent.
  features.on("callback_query:data", async (ctx, next) => {
    const data = ctx.callbackQuery.data;
    const ids = /^(r|b|ap):/.test(data) ? (data.match(/\d+/g) ?? []) : [];
    if (ids.some((d) => d.length > 10 || Number(d) > 2_147_483_647)) {
      return void (await ctx.answerCallbackQuery({ text: "Nút này không còn dùng được.", show_alert: false }));
    }
    await next();
  });
  // plan files and their review come first: text typed at a review step is the reviewer's input
  features.use(createPlansFeature({ apiRoot: options.apiRoot, fetch: options.fetch }));
  features.command("huy", cancelReport);
  features.use(startFeature, privacyFeature, helpFeature, reportFeature, officialsFeature, approvalFeature, askFeature);
  features.chatType("private").on("message:text", async (ctx) => {
    const text = ctx.message.text.normalize("NFC");
    if (text.startsWith("/")) {
      return void (await ctx.reply("Lệnh không đúng. Gõ /trogiup để xem các lệnh."));
    }
    if (await handleApprovalText(ctx, text)) return;
    if (await handleReportText(ctx, text)) return;
    if (await routeByIntent(ctx, text)) return;
    if (await handleOfficialText(ctx, text)) return;
    await askPlans(ctx, text);
  });
  features.chatType("private").on("message", async (ctx) => {
    await ctx.reply("Bot chỉ hiểu tin nhắn chữ. Gõ /trogiup để xem hướng dẫn.");
  });
  bot.errorBoundary(onError, features);
  bot.catch((err) => deps.log("error", "unhandled bot error", { err: err.error, detail: describeError(err.error), update: err.ctx.update.update_id }));
  return bot;
}

const sessionKeyOf = (ctx: Pick<BotContext, "chat">) => ctx.chat?.id.toString();

/**
 * Put the database user of ctx.from on the context (created on first contact). In a chat, the
 * chat's session row is read in the same query and handed to the session storage (one statement
 * per update instead of two).
 */
async function loadUser(ctx: BotContext, next: () => Promise<void>) {
  if (!ctx.from) return next();
  const telegramId = String(ctx.from.id);
  const isAdmin = ctx.deps.config.ADMIN_TELEGRAM_IDS.includes(telegramId);
  const key = sessionKeyOf(ctx);
  if (key === undefined) {
    ctx.user = await userForTelegram(ctx.deps.db, telegramId, { isAdmin });
    bindLogContext(logScopeOf(ctx), { user_id: ctx.user.id }); // the internal id, never the name or phone
    return next();
  }
  // a typed text in a private chat is usually an answer: its report cursor comes in the same statement
  if (ctx.message?.text !== undefined && ctx.chat?.type === "private") {
    const { user, session, cursor } = await userSessionAndCursorForTelegram(ctx.deps.db, telegramId, SESSION_PREFIX + key, key, { isAdmin });
    ctx.user = user;
    ctx.prefetchedCursor = cursor;
    bindLogContext(logScopeOf(ctx), { user_id: user.id });
    return withPrefetchedSession(SESSION_PREFIX + key, session, next);
  }
  const { user, session } = await userAndSessionForTelegram(ctx.deps.db, telegramId, SESSION_PREFIX + key, { isAdmin });
  ctx.user = user;
  bindLogContext(logScopeOf(ctx), { user_id: user.id });
  await withPrefetchedSession(SESSION_PREFIX + key, session, next);
}

async function onError(err: { error: unknown; ctx: BotContext }) {
  const { ctx } = err;
  ctx.deps.log("error", "handler failed", { err: err.error, detail: describeError(err.error), update: ctx.update.update_id });
  await ctx
    .reply("Xin lỗi, đã có lỗi khi xử lý tin nhắn này. Dữ liệu bạn đã gửi vẫn được giữ nguyên; vui lòng thử lại, hoặc gõ /baocao để tiếp tục.")
    .catch(() => undefined);
}

function describeError(e: unknown): string {
  if (e instanceof GrammyError) return `GrammyError ${e.error_code}: ${e.description}`;
  if (e instanceof HttpError) return `HttpError: ${String(e.error)}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Show the commands in Telegram's command menu. */
export async function publishCommands(bot: Bot<BotContext>): Promise<void> {
  await bot.api.setMyCommands(BOT_COMMANDS);
}
