/** Reminders: who is due when (Vietnam time), each sent once across restarts, within Telegram's limits. */
import { afterEach, describe, expect, it } from "vitest";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { claimReminder, dueReminders } from "../../core/reporting/reminders.ts";
import { createBot } from "../../bot/create-bot.ts";
import { deliver, reminderView } from "../../bot/reminders.ts";
import type { BotDeps } from "../../bot/context.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { startFakeTelegram } from "../support/telegram.ts";

async function schools(t: TestDb, n: number) {
  await seedShippedPlans(t.db);
  const so = await t.db.unit.create({ data: { code: "SO-R", name: "Sở thử", kind: "department", levels: "so", path: "/SO-R/", planId: "NB-27-2025" } });
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = await t.db.unit.create({ data: { code: `TH-R${i}`, name: `Trường TH Nhắc ${i}`, kind: "school", levels: "th", parentId: so.id, path: `/SO-R/TH-R${i}/` } });
    const user = await t.db.user.create({ data: { telegramId: String(5000 + i), role: "focal" } });
    await t.db.membership.create({ data: { userId: user.id, unitId: u.id } });
    ids.push(u.id);
  }
  return ids;
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`reminders (${target})`, () => {
    let t: TestDb;
    afterEach(async () => t?.close());

    it("are due 3 days before, on the last day and after the deadline, in Vietnam time, only for unsubmitted reports", async () => {
      t = await freshDb(target);
      const [a, b] = await schools(t, 2);
      await t.db.report.create({ data: { unitId: b!, period: "2026-03", periodKind: "month", planId: "NB-27-2025", status: "submitted", deadline: new Date("2026-03-19T17:00:00Z") } });
      const deps = { db: t.db, catalog: createCatalogStore(t.db) };
      const at = async (iso: string) => (await dueReminders(deps, new Date(iso))).filter((r) => r.period === "2026-03");
      expect(await at("2026-03-16T00:59:00Z")).toEqual([]); // 16/3 07:59 Vietnam: too early
      const before = await at("2026-03-16T01:00:00Z"); // 16/3 08:00 Vietnam
      expect(before.map((r) => [r.unitId, r.kind])).toEqual([[a, "before-3"]]);
      expect(reminderView(before[0]!, new Date("2026-03-16T01:00:00Z")).text).toContain("Nhắc báo cáo tháng 3/2026 của Trường");
      expect(reminderView(before[0]!, new Date("2026-03-16T01:00:00Z")).text).toContain("hạn 19/03/2026 — còn 3 ngày");
      expect((await at("2026-03-19T02:00:00Z")).map((r) => r.kind)).toEqual(["due"]);
      expect((await at("2026-03-20T02:00:00Z")).map((r) => r.kind)).toEqual(["after-1"]);
    });

    it("are claimed once: a second run (or a restarted bot) does not send again", async () => {
      t = await freshDb(target);
      await schools(t, 1);
      const [item] = (await dueReminders({ db: t.db, catalog: createCatalogStore(t.db) }, new Date("2026-03-16T01:00:00Z"))).filter((r) => r.period === "2026-03");
      expect(await claimReminder(t.db, item!)).toBe(true);
      expect(await claimReminder(t.db, item!)).toBe(false);
    });

    it("a claim left by a process killed before the send is taken over once its lease ran out: sent once; a live claim is left alone", async () => {
      t = await freshDb(target);
      await schools(t, 2);
      const fake = await startFakeTelegram();
      try {
        const now = new Date("2026-03-16T01:00:00Z");
        const deps: BotDeps = {
          db: t.db,
          catalog: createCatalogStore(t.db),
          config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 10, BOT_USERNAME: "x", llm: null },
          qa: null,
          now: () => now,
          log: () => {},
        };
        const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot });
        const [killed, live] = (await dueReminders(deps, now)).filter((r) => r.period === "2026-03");
        // the killed process: claimed ("sending") three minutes ago, never sent, never settled
        expect(await claimReminder(t.db, killed!, new Date(Date.now() - 3 * 60_000))).toBe(true);
        // another instance sending right now
        expect(await claimReminder(t.db, live!)).toBe(true);
        const r = await deliver(bot.api, deps, [killed!, live!], 2500);
        expect(r).toMatchObject({ sent: 1, skipped: 0, pending: 1 });
        expect(fake.messages(Number(killed!.telegramId))).toHaveLength(1);
        expect(fake.messages(Number(live!.telegramId))).toHaveLength(0); // not taken from a live claim
        expect((await t.db.reminder.findFirstOrThrow({ where: { userId: killed!.userId } })).status).toBe("sent");
        // once sent, a later run (a restart's scan, a replayed job) sends nothing more
        const again = await deliver(bot.api, deps, [killed!], 1000);
        expect(again).toMatchObject({ sent: 0, skipped: 1 });
        expect(fake.messages(Number(killed!.telegramId))).toHaveLength(1);
      } finally {
        await fake.stop();
      }
    }, 30_000);
  });
}

describe("sending reminders", () => {
  it("stays within about 30 messages/s overall and 1 per chat, and records unreachable people", async () => {
    const t = await freshDb("sqlite");
    const fake = await startFakeTelegram();
    try {
      await schools(t, 45);
      const deps: BotDeps = {
        db: t.db,
        catalog: createCatalogStore(t.db),
        config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 10, BOT_USERNAME: "x", llm: null },
        qa: null,
        now: () => new Date("2026-03-16T01:00:00Z"),
        log: () => {},
      };
      const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot, throttle: true });
      fake.blockChat(5003);
      const items = (await dueReminders(deps, deps.now())).filter((r) => r.period === "2026-03");
      expect(items).toHaveLength(45);
      const result = await deliver(bot.api, deps, items);
      expect(result).toMatchObject({ sent: 44, failed: 0, unreachable: ["Trường TH Nhắc 3"] });
      expect(fake.maxRate()).toBeLessThanOrEqual(30);
      expect(fake.maxRate({ chatId: 5000 })).toBeLessThanOrEqual(1);
      expect(await t.db.reminder.count({ where: { status: "sent" } })).toBe(44);
      expect((await t.db.user.findUniqueOrThrow({ where: { telegramId: "5003" } })).reachable).toBe(false);
    } finally {
      await fake.stop();
      await t.close();
    }
  });
});
