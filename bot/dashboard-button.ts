/**
 * Opening the dashboard (Telegram Mini App) from chat: the chat's menu button for officials and
 * admins (set once per chat per process), and an inline button under /tiendo and /trehan. Both need
 * a public https address (config.dashboardUrl); without one nothing is shown.
 */
import { InlineKeyboard, type MiddlewareFn } from "grammy";
import type { BotContext } from "./context.ts";

export const DASHBOARD_BUTTON_TEXT = "📊 Bảng điều khiển";

function appUrl(ctx: BotContext): string | undefined {
  const base = ctx.deps.config.dashboardUrl;
  return base ? `${base}/app/` : undefined;
}

const isOfficial = (ctx: BotContext) => ctx.user?.role === "official" || ctx.user?.role === "admin";

/** `kb` (or a new keyboard) with a row that opens the dashboard, for officials when it is configured. */
export function withDashboardButton(ctx: BotContext, kb?: InlineKeyboard): InlineKeyboard | undefined {
  const url = appUrl(ctx);
  if (!url || !isOfficial(ctx)) return kb;
  return (kb ? kb.row() : new InlineKeyboard()).webApp(DASHBOARD_BUTTON_TEXT, url);
}

/** Sets the chat's menu button to the dashboard once per private chat of an official or admin. */
export function dashboardMenuButton(): MiddlewareFn<BotContext> {
  const done = new Set<number>();
  return async (ctx, next) => {
    const url = appUrl(ctx);
    const chat = ctx.chat;
    if (url && chat?.type === "private" && isOfficial(ctx) && !done.has(chat.id)) {
      done.add(chat.id);
      await ctx.api
        .setChatMenuButton({ chat_id: chat.id, menu_button: { type: "web_app", text: "Bảng điều khiển", web_app: { url } } })
        .catch((e) => ctx.deps.log("warn", "setChatMenuButton failed", { err: String(e) }));
    }
    await next();
  };
}
