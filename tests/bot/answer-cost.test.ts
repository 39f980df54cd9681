/**
 * What a typed answer costs beyond its own work (issue 11): no async hooks turned on for it (on
 * Node 20 an enabled AsyncLocalStorage runs hooks on every promise of the process: core/log.ts),
 * and its SQL statements, counted as `npm run bench:webhook` counts them (cds_db_statements_total,
 * core/db/count.ts — every statement the database sees: the update's claim, the user's read, the
 * answer's transaction, the claim's "done").
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

/** Async hooks are on when a new promise gets an async id (Node's internal symbols on the promise). */
const asyncHooksOn = () => Object.getOwnPropertySymbols(Promise.resolve()).length > 0;

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`a typed answer: async hooks and SQL statements (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    async function cost(lan: TestChat, text: string, reply: string | RegExp): Promise<{ statements: number; hooks: boolean }> {
      await updatesIdle(5_000);
      await tb.deps.catalog.get(); // fresh: its stamp check (every 5 s) is not the answer's
      const before = await statements();
      let hooks = false;
      const probe = setInterval(() => void (hooks ||= asyncHooksOn()), 0);
      lan.say(text);
      await lan.expectReply(reply);
      await updatesIdle(5_000);
      clearInterval(probe);
      hooks ||= asyncHooksOn();
      return { statements: (await statements()) - before, hooks };
    }

    it("an answer that moves on to the next question: no async hooks, 11 statements", async () => {
      const clock = new Date("2026-03-05T03:00:00Z");
      tb = await startTestBot({ target, now: () => clock, setup: async (t) => void (await seedSmallProvince(t)) });
      const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
      lan.say("/start inv_th_a");
      await lan.expectReply("Đã đăng ký");
      lan.say("/baocao 2026-02");
      await lan.expectReply("Câu 1/7");
      const answer = await cost(lan, "45/50", "Câu 2/7");
      console.log(`typed answer (${target}): ${answer.statements} SQL statements, async hooks ${answer.hooks ? "on" : "off"}`);
      expect(answer.hooks).toBe(false);
      expect(answer.statements).toBeLessThanOrEqual(11);
      // stored under question 1, the cursor at question 2
      const stored = await tb.t.db.answer.findMany({ select: { indicatorCode: true, numerator: true, denominator: true } });
      expect(stored).toHaveLength(1);
      expect([stored[0]!.numerator, stored[0]!.denominator]).toEqual([45, 50]);
    });
  });
}
