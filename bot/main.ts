/**
 * `npm start`: migrate the database (when migrations are pending), seed the demo province when it
 * is empty, index the plans, then run the bot in BOT_MODE:
 *   local    the very same bot in a terminal chat, against an in-process fake Bot API (handlers,
 *            conversations and database are exactly the production ones);
 *   polling  long polling (bot/polling.ts: the runner's concurrent sink; an update is confirmed to
 *            Telegram only after it was handled);
 *   webhook  Telegram POSTs updates to WEBHOOK_URL; served on WEB_PORT at its path (web/server.ts).
 * In polling and webhook mode WEB_PORT also serves /healthz, /readyz and /metrics.
 * Reminders and nudges run on the job queue (QUEUE: in memory on SQLite, BullMQ on PostgreSQL shared
 * by every instance; bot/reminders.ts), started before the first update is handled; so does the
 * daily personal-data retention run (a job of the same queue: one instance runs it), in every mode.
 * SIGTERM/SIGINT: finish updates in flight, stop the job worker (running jobs finish), close the
 * server, disconnect, exit 0.
 */
import type { RunnerHandle } from "@grammyjs/runner";
import { webhookCallback } from "grammy";
import type { Logger } from "pino";
import { ConfigError, loadConfig, type Config } from "../core/config.ts";
import { configErrorText } from "./messages/config.ts";
import { openDb, type Db } from "../core/db/client.ts";
import { refreshAggregates } from "../core/officials/aggregates.ts";
import { PLANS_DIR } from "../core/catalog/index.ts";
import { createCatalogStore, seedShippedPlans } from "../core/plans/index.ts";
import { createLogger, logFunction } from "../core/log.ts";
import { seedDemo } from "../core/seed/demo.ts";
import { createQaEngine } from "../core/retrieval/engine.ts";
import { QA_WORDS } from "./messages/qa.ts";
import { ingestPlans } from "../core/retrieval/ingest.ts";
import { pruneUpdateClaims } from "../core/updates/claims.ts";
import { pruneOutbox } from "../core/notify/outbox.ts";
import { redeemInvite } from "../core/units/people.ts";
import { createWebServer, registerOpsRoutes, type WebServer } from "../web/server.ts";
import type { BotDeps } from "./context.ts";
import { createBot, publishCommands } from "./create-bot.ts";
import { updatesIdle } from "./update-guard.ts";
import { runPolling } from "./polling.ts";
import { registerDashboard } from "../web/dashboard/routes.ts";
import { deliverOutbox, startOutboxSweep } from "./features/approval.ts";
import { dashboardKey, dashboardLink, signInitData } from "../core/dashboard/index.ts";
import type { Api } from "grammy";
import { deliver, RETENTION_CRON, startReminders } from "./reminders.ts";

/** How long a webhook request may take before grammY answers with an error (Telegram then redelivers). */
const WEBHOOK_TIMEOUT_MS = 50_000;

async function prepare(config: Config, log: BotDeps["log"]): Promise<{ db: Db; deps: BotDeps; demoCodes: string[] }> {
  const db = await openDb(config.DATABASE_URL);
  // first start: the shipped plans become published plans in the database (idempotent)
  const plans = await seedShippedPlans(db);
  if (plans) log("info", "loaded shipped plans", { plans });
  const catalog = createCatalogStore(db);
  const seeded = await seedDemo(db, { catalog: await catalog.get() });
  if (seeded) log("info", "seeded demo province", { units: seeded.units });
  // progress aggregates: catch up what changed while the bot was stopped (a backfill after the migration)
  const t1 = performance.now();
  const recomputed = await refreshAggregates(db);
  if (recomputed) log("info", "progress aggregates refreshed", { cells: recomputed, ms: Math.round(performance.now() - t1) });
  const t0 = performance.now();
  await ingestPlans(db, PLANS_DIR);
  const qa = await createQaEngine({ db, llm: config.llm, words: QA_WORDS });
  log("info", "plans indexed", { ms: Math.round(performance.now() - t0) });
  const deps: BotDeps = { db, catalog, config, qa, now: () => new Date(), log };
  const demoCodes = seeded?.invites.map((i) => `${i.code} (${i.description})`) ?? [];
  return { db, deps, demoCodes };
}

/** The dashboard on the web server: init data signed with the bot token (or the local key); nudges sent by this bot. */
function dashboard(config: Config, deps: BotDeps, api: Api) {
  return (web: WebServer) =>
    registerDashboard(web, {
      db: deps.db,
      catalog: deps.catalog,
      key: dashboardKey(config.BOT_TOKEN),
      now: deps.now,
      send: (items) => deliver(api, deps, items),
      // the focal points' notice was recorded with the decision (outbox): sent now, or by the sweep
      onApproval: async (_action, r) => void (await deliverOutbox(api, deps, { key: r.outbox })),
      log: deps.log,
    });
}

/**
 * The reminder and nudge queue with its worker and scan schedule (handlers reach it through
 * deps.reminders), and the outbox sweep; `close()` stops both.
 */
async function startJobs(config: Config, deps: BotDeps, api: Api) {
  const reminders = await startReminders(api, deps, {
    engine: config.queue,
    databaseUrl: config.DATABASE_URL,
    cron: config.reminderCron,
    daysBefore: config.REMINDER_DAYS_BEFORE,
    retention: { days: config.PERSONAL_DATA_RETENTION_DAYS, keepTelegramIds: config.ADMIN_TELEGRAM_IDS },
  });
  deps.reminders = reminders;
  deps.log("info", "job queue started", { engine: config.queue, cron: config.reminderCron, retention: RETENTION_CRON });
  // notifications owed by committed submits and decisions (outbox) that no handler delivered (a kill, a redelivery)
  const sweep = startOutboxSweep(api, deps);
  return {
    async close() {
      await sweep.stop();
      await reminders.close();
    },
  };
}

/** The HTTP server on WEB_PORT with health, readiness and metrics; exits with a message when the port is taken. */
async function startWeb(config: Config, db: Db, log: BotDeps["log"], mount?: (web: WebServer) => void): Promise<WebServer> {
  const web = createWebServer({ port: config.WEB_PORT, log });
  registerOpsRoutes(web, { db });
  mount?.(web);
  try {
    const port = await web.listen();
    log("info", "web server listening", { port });
  } catch (e) {
    console.error(`Không mở được cổng WEB_PORT=${config.WEB_PORT} (${(e as Error).message}). Đặt WEB_PORT khác trong .env.`);
    await db.$disconnect();
    process.exit(1);
  }
  return web;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(e instanceof ConfigError ? configErrorText(e) : String(e));
    process.exit(1);
  }
  // JSON lines on stderr, so the local chat's conversation on stdout stays readable
  const logger: Logger = createLogger(config.LOG_LEVEL);
  const log = logFunction(logger);
  const { db, deps, demoCodes } = await prepare(config, log);
  const prune = () => Promise.all([pruneUpdateClaims(db), pruneOutbox(db)]).catch(() => undefined);
  const pruneTimer = setInterval(() => void prune(), 3600_000);
  pruneTimer.unref();
  await prune();

  if (config.mode === "polling" || config.mode === "webhook") {
    const bot = createBot(config.BOT_TOKEN!, deps, { apiRoot: config.TELEGRAM_API_ROOT, logger, claimStaleMs: config.UPDATE_CLAIM_STALE_SECONDS * 1000 });
    try {
      // one getMe, so a wrong token or no network fails now with a message (bot.init() would retry forever)
      bot.botInfo = await bot.api.getMe();
    } catch (e) {
      console.error(
        `Không kết nối được tới Telegram (${config.TELEGRAM_API_ROOT ?? "api.telegram.org"}): ${(e as Error).message}\n` +
          "Kiểm tra BOT_TOKEN và kết nối mạng, hoặc bỏ trống BOT_TOKEN để chạy chat cục bộ.",
      );
      await db.$disconnect();
      process.exit(1);
    }
    await publishCommands(bot);

    if (config.mode === "webhook") {
      const hook = config.webhook!;
      const reminders = await startJobs(config, deps, bot.api);
      const handleUpdate = webhookCallback(bot, "http", { secretToken: hook.secret, onTimeout: "throw", timeoutMilliseconds: WEBHOOK_TIMEOUT_MS });
      const web = await startWeb(config, db, log, (w) => {
        w.route("POST", hook.path, handleUpdate);
        dashboard(config, deps, bot.api)(w);
      });
      await bot.api.setWebhook(hook.url, { secret_token: hook.secret });
      log("info", "bot is receiving updates by webhook", { username: bot.botInfo.username, path: hook.path, port: web.port });
      onShutdown(log, async () => {
        await web.close(); // stops accepting; updates in flight finish (the webhook answers after its handler)
        await reminders.close(); // running jobs finish; waiting ones stay in the queue for the other instances
        clearInterval(pruneTimer);
        await db.$disconnect();
      });
      return;
    }

    // polling: a webhook left over from a webhook deployment would make getUpdates fail
    await bot.api.deleteWebhook();
    const reminders = await startJobs(config, deps, bot.api);
    const web = await startWeb(config, db, log, dashboard(config, deps, bot.api));
    const runner = runPolling(bot, { onError: (msg, err) => log("error", msg, { err }) });
    log("info", "bot is polling", { username: bot.botInfo.username, apiRoot: config.TELEGRAM_API_ROOT ?? null });
    onShutdown(log, async () => {
      if (runner.isRunning()) await runner.stop(); // stops fetching
      await updatesIdle(); // updates already fetched finish
      await reminders.close(); // with it the retention schedule
      await web.close();
      clearInterval(pruneTimer);
      await db.$disconnect();
    });
    return;
  }

  // local: the same bot, in a terminal chat.
  const { FakeBotApi } = await import("./local/fake-bot-api.ts");
  const { runTerminalChat } = await import("./local/terminal-chat.ts");
  const fake = new FakeBotApi();
  await fake.start();
  const personas = {
    focal: { id: 1001, first_name: "Cô Lan (đầu mối, demo)" },
    official: { id: 1002, first_name: "Anh Minh (cán bộ xã, demo)" },
    citizen: { id: 1003, first_name: "Người dân (demo)" },
    admin: { id: 1004, first_name: "Quản trị (demo)" },
  };
  await bindDemoPersonas(db, personas);
  // the in-process fake API numbers updates from 1 on every start: no once-only claims here
  const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot, logger, dedupe: false });
  await bot.init();
  await publishCommands(bot);
  const reminders = await startJobs(config, deps, bot.api);
  const runner: RunnerHandle = runPolling(bot, { onError: (msg, err) => log("error", msg, { err }) });
  // the dashboard on WEB_PORT; the link below signs in as the official persona (valid one hour)
  const web = await startWeb(config, db, log, dashboard(config, deps, bot.api));
  const link = dashboardLink(`http://localhost:${web.port}`, signInitData(dashboardKey(config.BOT_TOKEN), { id: personas.official.id, first_name: personas.official.first_name }));
  const stop = async () => {
    if (runner.isRunning()) await runner.stop();
    await updatesIdle();
    await web.close();
    await reminders.close();
    clearInterval(pruneTimer);
    await fake.stop();
    await db.$disconnect();
  };
  onShutdown(log, stop);
  process.stdout.write(
    "Chưa có BOT_TOKEN: chạy bot trong cửa sổ dòng lệnh (dữ liệu: " + config.DATABASE_URL + ").\n" +
      "Các vai: !nguoi focal (đầu mối Trường TH Hoa Mai), !nguoi official (cán bộ UBND xã), !nguoi citizen, !nguoi admin.\n" +
      (demoCodes.length ? `Mã mời demo: ${demoCodes.join("; ")}\n` : "") +
      `Bảng điều khiển của cán bộ xã (mở trong trình duyệt, hiệu lực 1 giờ; tạo lại: npm run cli -- dashboard-link ${personas.official.id}):\n${link}\n`,
  );
  await runTerminalChat({ fake, personas, persona: "focal" });
  await stop();
  process.exit(0);
}

/** In the local chat, each persona is bound once to a demo unit (idempotent; demo invites are reusable). */
async function bindDemoPersonas(db: Db, personas: Record<string, { id: number; first_name: string }>) {
  const bindings: Array<[string, string]> = [
    ["focal", "demo_th_hoamai"],
    ["official", "demo_xa_tanky"],
    ["admin", "demo_admin"],
  ];
  for (const [persona, code] of bindings) {
    const p = personas[persona]!;
    await redeemInvite(db, code, { id: String(p.id), name: p.first_name }).catch(() => undefined);
  }
}

function onShutdown(log: BotDeps["log"], fn: () => Promise<void>) {
  let done = false;
  const handler = async (signal: NodeJS.Signals) => {
    if (done) return;
    done = true;
    log("info", "shutting down", { signal });
    let code = 0;
    await fn().catch((e) => {
      log("error", "shutdown failed", { err: e });
      code = 1;
    });
    process.exit(code);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
}

await main();
