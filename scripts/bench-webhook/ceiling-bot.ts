/**
 * The ceiling for `npm run bench:webhook`: a bare grammY bot with the conversations plugin in
 * memory, doing no work, served the same way as the real bot in webhook mode (node:http,
 * webhookCallback with secretToken and onTimeout "throw"). Like the real bot, each answer enters a
 * short conversation that sends one reply to the Bot API (TELEGRAM_API_ROOT); /baocao replies once.
 * No database, no session, no logging: what is left is grammY, the plugin, HTTP and JSON.
 *
 * Env: BOT_TOKEN, TELEGRAM_API_ROOT, WEB_PORT, WEBHOOK_SECRET (as bot/main.ts reads them).
 */
import http from "node:http";
import { Bot, webhookCallback, type Context } from "grammy";
import { conversations, createConversation, type Conversation, type ConversationFlavor } from "@grammyjs/conversations";

type Ctx = ConversationFlavor<Context>;

const bot = new Bot<Ctx>(process.env.BOT_TOKEN!, { client: { apiRoot: process.env.TELEGRAM_API_ROOT } });
bot.use(conversations());
bot.use(
  createConversation(async (_conversation: Conversation<Ctx, Context>, ctx: Context) => {
    await ctx.reply("✔️");
  }, "answer"),
);
bot.command("baocao", (ctx) => ctx.reply("Câu 1"));
bot.on("message:text", (ctx) => ctx.conversation.enter("answer"));
await bot.init();

const handle = webhookCallback(bot, "http", { secretToken: process.env.WEBHOOK_SECRET, onTimeout: "throw", timeoutMilliseconds: 50_000 });
const server = http.createServer(async (req, res) => {
  if (req.method === "GET" && req.url === "/healthz") return void res.writeHead(200).end("ok\n");
  try {
    await handle(req, res);
  } catch {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.WEB_PORT ?? 8080), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
