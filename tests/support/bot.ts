/**
 * A real bot for end-to-end tests: createBot (the production factory) on a real database, long
 * polling a fake Bot API over HTTP with bot/polling.ts (the runner's sink, confirming updates only
 * after handling) — exactly how `npm start` runs it.
 * `restart()` stops the runner and builds a new bot on the same database (a process restart).
 */
import type { RunnerHandle } from "@grammyjs/runner";
import { runPolling } from "../../bot/polling.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import type { QaEngine } from "../../core/retrieval/engine.ts";
import { createBot } from "../../bot/create-bot.ts";
import { updatesIdle } from "../../bot/update-guard.ts";
import type { BotDeps } from "../../bot/context.ts";
import { freshDb, type DbTarget, type TestDb } from "./db.ts";
import { inlineButtons, type FakeUser } from "../../bot/local/fake-bot-api.ts";
import { CONSENT_ACCEPT } from "../../bot/messages/privacy.ts";
import { startFakeTelegram, type FakeBotApi } from "./telegram.ts";

export interface TestBot {
  fake: FakeBotApi;
  t: TestDb;
  deps: BotDeps;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestBot(
  opts: {
    target?: DbTarget;
    now?: () => Date;
    qa?: QaEngine | null;
    setup?: (t: TestDb) => Promise<void>;
    /** Tap "Đồng ý" on every personal-data notice (default true); consent tests pass false. */
    autoConsent?: boolean;
    /** Respect Telegram's flood limits as production does (default false: tests run unthrottled). */
    throttle?: boolean;
  } = {},
): Promise<TestBot> {
  const t = await freshDb(opts.target ?? "sqlite");
  await seedShippedPlans(t.db);
  if (opts.setup) await opts.setup(t);
  const fake = await startFakeTelegram();
  if (opts.autoConsent ?? true) autoAcceptConsent(fake);
  const deps: BotDeps = {
    db: t.db,
    catalog: createCatalogStore(t.db),
    config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 30, BOT_USERNAME: "cds_demo_bot", llm: null },
    qa: opts.qa ?? null,
    now: opts.now ?? (() => new Date()),
    log: (level, msg, extra) => {
      if (level === "error") console.error(msg, extra);
    },
  };
  let runner: RunnerHandle;
  const launch = async () => {
    const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot, throttle: opts.throttle ?? false });
    await bot.init();
    runner = runPolling(bot);
  };
  await launch();
  return {
    fake,
    t,
    deps,
    async restart() {
      await runner.stop();
      await updatesIdle(5_000); // a graceful restart, as npm start does on SIGTERM
      await launch();
    },
    async stop() {
      try {
        if (runner.isRunning()) await runner.stop();
        await updatesIdle(5_000); // updates already fetched finish before the database goes
        await fake.stop();
      } finally {
        await t.close();
      }
    },
  };
}

/** A small fictional hierarchy: a department (plan NB-27-2025) → commune → primary school, with invites. */
export async function seedSmallProvince(t: TestDb) {
  const { db } = t;
  const createdAt = new Date("2025-01-01T00:00:00Z"); // imported long before the periods the tests report on
  const so = await db.unit.create({ data: { code: "SO-TEST", name: "Sở GDĐT tỉnh Thử Nghiệm", kind: "department", levels: "so", path: "/SO-TEST/", planId: "NB-27-2025", createdAt } });
  const xa = await db.unit.create({ data: { code: "XA-A", name: "UBND xã An Bình", kind: "commune", levels: "xa", parentId: so.id, path: "/SO-TEST/XA-A/", createdAt } });
  const th = await db.unit.create({
    data: { code: "TH-A", name: "Trường Tiểu học Sao Mai", kind: "school", levels: "th", parentId: xa.id, path: "/SO-TEST/XA-A/TH-A/", focalPhone: "0900000101", createdAt },
  });
  await db.invite.create({ data: { code: "inv_th_a", unitId: th.id, role: "focal" } });
  await db.invite.create({ data: { code: "inv_xa_a", unitId: xa.id, role: "official" } });
  return { so, xa, th };
}

/**
 * Plays every user who accepts the personal-data notice at once: when the bot shows it, "Đồng ý" is
 * tapped by that chat's user (the registration they started then continues, as in production).
 */
export function autoAcceptConsent(fake: FakeBotApi): () => void {
  return fake.onEvent((e) => {
    if (e.kind !== "sent" || !inlineButtons(e.message.reply_markup).some((b) => b.callback_data === CONSENT_ACCEPT)) return;
    const from = [...fake.updates]
      .reverse()
      .map((u) => ((u.message ?? u.callback_query) as { from?: FakeUser } | undefined)?.from)
      .find((f) => f?.id === e.chatId);
    const user: FakeUser = { id: e.chatId, first_name: from?.first_name ?? "Người dùng" };
    setImmediate(() => fake.tapButton(user, CONSENT_ACCEPT, e.message.message_id));
  });
}
