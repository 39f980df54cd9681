/**
 * What opening a report costs the database (issue 11): SQL statements per update, counted as
 * `npm run bench:webhook` counts them (cds_db_statements_total, core/db/count.ts — every statement
 * the database sees, the update's claim and the user's read included).
 *
 * Before the open path moved to plain SQL (core/reporting/reports.ts and steps.ts, "opening a
 * report"): 24 statements for "/baocao 2026-02" on a new report, 14 on an open draft, 25 for the
 * period picker ("/baocao") and 24 for its button. A change that makes them cost more fails here; one that makes them
 * cheaper lowers the bounds. The picker went from 7 to 8 on purpose (1/12/2026): it records itself in the chat's
 * session (one write) so that a typed "1" or "tháng 12" picks like a tap.
 */
import { afterEach, describe, expect, it } from "vitest";
import { metrics } from "../../core/metrics.ts";
import { updatesIdle } from "../../bot/update-guard.ts";
import { allDbTargets } from "../support/db.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat, type TestChat } from "../support/telegram.ts";

async function statements(): Promise<number> {
  const m = await metrics.dbStatements.get();
  return m.values.reduce((s, v) => s + v.value, 0);
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`opening a report: SQL statements per update (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    /** Statements the database saw for one update of Lan's (from her message until the bot is idle again). */
    async function cost(lan: TestChat, act: () => void, reply: string | RegExp): Promise<number> {
      await updatesIdle(5_000);
      await tb.deps.catalog.get(); // fresh: its stamp check (every 5 s) is not the open's
      const before = await statements();
      act();
      await lan.expectReply(reply);
      await updatesIdle(5_000);
      return (await statements()) - before;
    }

    it("/baocao with a period takes 7 statements (6 on an open draft), the period picker 8, its button 8", async () => {
      const clock = new Date("2026-03-05T03:00:00Z");
      tb = await startTestBot({ target, now: () => clock, setup: async (t) => void (await seedSmallProvince(t)) });
      const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
      lan.say("/start inv_th_a");
      await lan.expectReply("Đã đăng ký");

      const created = await cost(lan, () => lan.say("/baocao 2026-02"), "Câu 1/7");
      const reopened = await cost(lan, () => lan.say("/baocao 2026-02"), "Câu 1/7");
      const picker = await cost(lan, () => lan.say("/baocao"), "Chọn kỳ báo cáo");
      // the picker's button: the same path as a reminder's "Báo cáo ngay" (b:per:<unit>:<period>)
      const button = await cost(lan, () => lan.tap("tháng 3/2026"), "Câu 1/7");
      console.log(`SQL statements per update (${target}): new report ${created}, open draft ${reopened}, period picker ${picker}, period button ${button}`);
      expect(created).toBeLessThanOrEqual(7);
      expect(reopened).toBeLessThanOrEqual(6);
      expect(picker).toBeLessThanOrEqual(8);
      expect(button).toBeLessThanOrEqual(8);

      // what they stored: two drafts, one cursor at March's first question, as before
      const reports = await tb.t.db.report.findMany({ orderBy: { period: "asc" } });
      expect(reports.map((r) => [r.period, r.status, r.planId, r.revision, r.version])).toEqual([
        ["2026-02", "draft", "NB-27-2025", 0, 0],
        ["2026-03", "draft", "NB-27-2025", 0, 0],
      ]);
      const cursor = await tb.t.db.reportCursor.findUniqueOrThrow({ where: { chatId: "501" } });
      expect([cursor.reportId, cursor.awaiting, cursor.pass, cursor.seq]).toEqual([reports[1]!.id, "answer", "main", 3]);
    });
  });
}
