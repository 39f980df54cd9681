/**
 * `npm start`: migrate the database, seed the demo province when it is empty, index the plans,
 * then run the bot — on Telegram when BOT_TOKEN is set, otherwise the very same bot in a local
 * terminal chat (against an in-process fake Bot API, so handlers, conversations and database are
 * exactly the production ones).
 */
import "dotenv/config";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { loadConfig, type Config } from "../core/config.ts";
import { openDb, type Db } from "../core/db/client.ts";
import { PLANS_DIR } from "../core/catalog/index.ts";
import { createCatalogStore, seedShippedPlans } from "../core/plans/index.ts";
import { seedDemo } from "../core/seed/demo.ts";
import { createQaEngine } from "../core/retrieval/engine.ts";
import { ingestPlans } from "../core/retrieval/ingest.ts";
import { redeemInvite } from "../core/units/people.ts";
import type { BotDeps } from "./context.ts";
import { createBot, publishCommands } from "./create-bot.ts";
import { startReminderLoop } from "./reminders.ts";
import { startRetentionTimer } from "./features/privacy.ts";

function makeLogger(level: Config["LOG_LEVEL"]): BotDeps["log"] {
  const order = ["debug", "info", "warn", "error"] as const;
  return (l, msg, extra) => {
    if (order.indexOf(l) < order.indexOf(level)) return;
    // stderr, so the local chat's conversation on stdout stays readable
    process.stderr.write(`[${new Date().toISOString()}] ${l.toUpperCase()} ${msg}${extra ? " " + JSON.stringify(extra) : ""}\n`);
  };
}

async function prepare(config: Config, log: BotDeps["log"]): Promise<{ db: Db; deps: BotDeps; demoCodes: string[] }> {
  const db = await openDb(config.DATABASE_URL);
  // first start: the shipped plans become published plans in the database (idempotent)
  const plans = await seedShippedPlans(db);
  if (plans) log("info", `loaded ${plans} shipped plans`);
  const catalog = createCatalogStore(db);
  const seeded = await seedDemo(db, { catalog: await catalog.get() });
  if (seeded) log("info", `seeded demo province: ${seeded.units} units`);
  const t0 = performance.now();
  await ingestPlans(db, PLANS_DIR);
  const qa = await createQaEngine({ db, llm: config.llm });
  log("info", `plans indexed in ${Math.round(performance.now() - t0)} ms`);
  const deps: BotDeps = { db, catalog, config, qa, now: () => new Date(), log };
  const demoCodes = seeded?.invites.map((i) => `${i.code} (${i.description})`) ?? [];
  return { db, deps, demoCodes };
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  const log = makeLogger(config.LOG_LEVEL);
  const { db, deps, demoCodes } = await prepare(config, log);

  if (config.mode === "telegram") {
    const bot = createBot(config.BOT_TOKEN!, deps, { apiRoot: config.TELEGRAM_API_ROOT });
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
    const runner = run(bot);
    const reminders = startReminderLoop(bot.api, deps, config);
    const retention = startRetentionTimer(deps, config);
    log("info", `bot @${bot.botInfo.username} is polling${config.TELEGRAM_API_ROOT ? ` ${config.TELEGRAM_API_ROOT}` : ""}`);
    onShutdown(async () => {
      reminders.stop();
      retention.stop();
      if (runner.isRunning()) await runner.stop();
      await db.$disconnect();
    });
    return;
  }

  // No token: the same bot, in a local terminal chat.
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
  const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot });
  await bot.init();
  await publishCommands(bot);
  const runner: RunnerHandle = run(bot);
  const reminders = startReminderLoop(bot.api, deps, config);
  const retention = startRetentionTimer(deps, config);
  const stop = async () => {
    reminders.stop();
    retention.stop();
    if (runner.isRunning()) await runner.stop();
    await fake.stop();
    await db.$disconnect();
  };
  onShutdown(stop);
  process.stdout.write(
    "Chưa có BOT_TOKEN: chạy bot trong cửa sổ dòng lệnh (dữ liệu: " + config.DATABASE_URL + ").\n" +
      "Các vai: !nguoi focal (đầu mối Trường TH Hoa Mai), !nguoi official (cán bộ UBND xã), !nguoi citizen, !nguoi admin.\n" +
      (demoCodes.length ? `Mã mời demo: ${demoCodes.join("; ")}\n` : ""),
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

function onShutdown(fn: () => Promise<void>) {
  let done = false;
  const handler = async () => {
    if (done) return;
    done = true;
    await fn().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
}

await main();
