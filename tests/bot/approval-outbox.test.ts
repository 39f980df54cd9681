/**
 * Notifications owed by a committed change survive a kill (issue 11): the submit (or the
 * approval decision) commits its outbox row in its own transaction; the process is "killed" right
 * after the commit — the handler never delivers it — and the restarted process's sweep does. Each
 * approver and focal point gets exactly one message: a replayed update, a second sweep, a row
 * left "sending" by a killed delivery and two instances sweeping together send nothing twice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../core/catalog/index.ts";
import { createDb } from "../../core/db/client.ts";
import { approveReport, unapproveReport } from "../../core/officials/approval.ts";
import { officialScope } from "../../core/officials/access.ts";
import { claimOutbox, pruneOutbox, submitOutboxKey } from "../../core/notify/outbox.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { submitReport } from "../../core/reporting/reports.ts";
import { createBot } from "../../bot/create-bot.ts";
import type { BotDeps } from "../../bot/context.ts";
import { deliverOutbox, startOutboxSweep } from "../../bot/features/approval.ts";
import { plainText } from "../../bot/local/fake-bot-api.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { startFakeTelegram, type FakeBotApi } from "../support/telegram.ts";

const NOW = () => new Date("2026-03-25T03:00:00Z");
const catalog = loadCatalog();
const entries = catalog.forUnit("NB-27-2025", ["th"], "monthly");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SO-O → XA-O (official 701, one message per report) → TH-O (focal point 601, a complete draft for March). */
async function setup(t: TestDb) {
  const { db } = t;
  await seedShippedPlans(db);
  const so = await db.unit.create({ data: { code: "SO-O", name: "Sở GDĐT tỉnh Thử", kind: "department", levels: "so", path: "/SO-O/", planId: "NB-27-2025" } });
  const xa = await db.unit.create({ data: { code: "XA-O", name: "UBND xã An Bình", kind: "commune", levels: "xa", parentId: so.id, path: "/SO-O/XA-O/" } });
  const th = await db.unit.create({ data: { code: "TH-O", name: "Trường TH An Bình Một", kind: "school", levels: "th", parentId: xa.id, path: "/SO-O/XA-O/TH-O/" } });
  const official = await db.user.create({ data: { telegramId: "701", name: "Cán bộ Minh", role: "official", officialUnitId: xa.id } });
  const focal = await db.user.create({ data: { telegramId: "601", name: "Đầu mối Lan", role: "focal" } });
  await db.membership.create({ data: { userId: focal.id, unitId: th.id } });
  const report = await db.report.create({ data: { unitId: th.id, period: "2026-03", periodKind: "month", planId: "NB-27-2025", deadline: new Date("2026-03-19T17:00:00Z") } });
  for (const e of entries) {
    const ratio = e.measure.type === "ratio";
    await db.answer.create({
      data: { reportId: report.id, indicatorCode: e.code, raw: ratio ? "40/40" : "có", value: ratio ? 100 : 1, numerator: ratio ? 40 : null, denominator: ratio ? 40 : null, meetsTarget: true },
    });
  }
  return { official, focal, reportId: report.id };
}

function depsOf(db: TestDb["db"]): BotDeps {
  return {
    db,
    catalog: createCatalogStore(db),
    config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 30, BOT_USERNAME: "cds_demo_bot", llm: null },
    qa: null,
    now: NOW,
    log: (level, msg, extra) => {
      if (level === "error") console.error(msg, extra);
    },
  };
}

const texts = (fake: FakeBotApi, chatId: number) => fake.messages(chatId).map((m) => plainText(m));

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`approval notices through the outbox (${target})`, () => {
    let t: TestDb | undefined;
    let fake: FakeBotApi | undefined;
    afterEach(async () => {
      await fake?.stop();
      await t?.close();
      fake = t = undefined;
    });

    it("a submit committed just before a kill reaches its approver once, from the restarted process's sweep; replays send nothing more", async () => {
      t = await freshDb(target);
      fake = await startFakeTelegram();
      const { reportId } = await setup(t);
      const deps = depsOf(t.db);
      // the killed process: the submit (and its outbox row) committed, the handler's delivery never ran
      const submitted = await submitReport(deps, { reportId, userId: null });
      expect(submitted.status).toBe("submitted");
      expect(fake.messages(701)).toHaveLength(0);
      expect(await t.db.outbox.findUniqueOrThrow({ where: { key: submitOutboxKey(reportId, 1) } })).toMatchObject({ kind: "approvers", status: "pending" });

      // the restarted process: its sweep finds the row and tells the approver
      const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot });
      const sweep = startOutboxSweep(bot.api, deps, { intervalMs: 100, graceMs: 0 });
      try {
        await expect.poll(() => fake!.messages(701).length, { timeout: 10_000 }).toBe(1);
        await sleep(600); // several more sweeps
      } finally {
        await sweep.stop();
      }
      const [notice] = texts(fake, 701);
      expect(notice).toContain("Báo cáo mới chờ duyệt");
      expect(notice).toContain("Trường TH An Bình Một");
      // Telegram redelivers the submit's update: the handler delivers its key again — nothing is owed
      expect(await deliverOutbox(bot.api, deps, { key: submitOutboxKey(reportId, 1) })).toBe(0);
      expect(await deliverOutbox(bot.api, deps, { graceMs: 0 })).toBe(0);
      expect(fake.messages(701)).toHaveLength(1);
      expect(await t.db.outbox.findUniqueOrThrow({ where: { key: submitOutboxKey(reportId, 1) } })).toMatchObject({ status: "done", attempts: 1 });
      // delivered rows go after 30 days
      expect(await pruneOutbox(t.db, new Date())).toBe(0);
      expect(await pruneOutbox(t.db, new Date(Date.now() + 31 * 24 * 3600_000))).toBe(1);
    }, 60_000);

    it("a decision's notice left 'sending' by a killed delivery is taken over after its lease; two instances sweeping together send it once", async () => {
      t = await freshDb(target);
      fake = await startFakeTelegram();
      const { official, reportId } = await setup(t);
      const deps = depsOf(t.db);
      await submitReport(deps, { reportId, userId: null });
      const bot = createBot(fake.token, deps, { apiRoot: fake.apiRoot });
      await deliverOutbox(bot.api, deps, { key: submitOutboxKey(reportId, 1) });
      expect(fake.messages(701)).toHaveLength(1);
      const scope = (await officialScope(t.db, { id: official.id }))!;

      // approved; a delivery claimed the row and was killed before sending (its lease runs out at once here)
      const approved = await approveReport({ db: t.db, catalog, now: NOW() }, scope, { reportId });
      if (!approved.ok) throw new Error(approved.problem);
      expect(await claimOutbox(t.db, { key: approved.outbox, leaseMs: 1 })).toHaveLength(1);
      await sleep(20);
      expect(await deliverOutbox(bot.api, deps, { graceMs: 0 })).toBe(1);
      expect(texts(fake, 601)).toHaveLength(1);
      expect(texts(fake, 601)[0]).toContain("Báo cáo tháng 3/2026 của Trường TH An Bình Một đã được duyệt (Cán bộ Minh)");

      // unapproved, committed, not delivered; two sweeps at the same moment: on PostgreSQL two
      // instances (their own database clients), on SQLite (one process by design) two in one process
      const reopened = await unapproveReport({ db: t.db, catalog, now: NOW() }, scope, { reportId, reason: "Cần bổ sung số liệu giáo viên" });
      if (!reopened.ok) throw new Error(reopened.problem);
      const db2 = target === "postgresql" ? await createDb(t.url) : t.db;
      try {
        const deps2 = depsOf(db2);
        const bot2 = createBot(fake.token, deps2, { apiRoot: fake.apiRoot });
        const sent = await Promise.all([deliverOutbox(bot.api, deps, { graceMs: 0 }), deliverOutbox(bot2.api, deps2, { graceMs: 0 })]);
        expect(sent[0] + sent[1]).toBe(1);
      } finally {
        if (db2 !== t.db) await db2.$disconnect();
      }
      const focal = texts(fake, 601);
      expect(focal).toHaveLength(2);
      expect(focal[1]).toContain("đã được mở khóa để sửa");
      expect(focal[1]).toContain("Cần bổ sung số liệu giáo viên");
      expect(fake.messages(701)).toHaveLength(1); // the approver was not told again
      expect(await t.db.outbox.count({ where: { status: { not: "done" } } })).toBe(0);
    }, 60_000);
  });
}
