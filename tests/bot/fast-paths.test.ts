/**
 * Fast paths for an unchanged report (issue 8 §1), taps counted inside the test:
 * /baocao → "Giữ nguyên như tháng 2/2026" → Gửi (3), and from a reminder: keep → Gửi (2).
 * Also: last period's reason offered as a button when the indicator is below target again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { dueReminders } from "../../core/reporting/reminders.ts";
import { deliver } from "../../bot/reminders.ts";
import { allDbTargets } from "../support/db.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat, type TestChat } from "../support/telegram.ts";

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`fast paths for an unchanged report (${target})`, () => {
    let tb: TestBot;
    let clock = new Date("2026-02-05T03:00:00Z");
    afterEach(async () => tb?.stop());

    /** Lan, focal point of TH-A, registered by invite; `beforeStart` runs on the database first. */
    async function registeredLan(now: () => Date, beforeStart?: () => Promise<unknown>): Promise<TestChat> {
      tb = await startTestBot({ target, now, setup: async (t) => void (await seedSmallProvince(t)) });
      await beforeStart?.();
      const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
      lan.say("/start inv_th_a");
      await lan.expectReply("Đã đăng ký");
      return lan;
    }

    /** Lan reports February (one answer below target, with a reason), then the clock moves to March. */
    async function februaryDone(): Promise<TestChat> {
      clock = new Date("2026-02-05T03:00:00Z");
      const lan = await registeredLan(() => clock);
      lan.say("/baocao 2026-02");
      await lan.expectReply("Câu 1/7");
      for (const [a, next] of [["45/50", "Câu 2/7"], ["chưa", /lý do/], ["Đang chờ Sở hướng dẫn", "Câu 3/7"], ["có", "Câu 4/7"], ["30/32", "Câu 5/7"], ["có", "Câu 6/7"], ["có", "Câu 7/7"], ["50/50", "Tóm tắt"]] as const) {
        lan.say(a);
        await lan.expectReply(next);
      }
      lan.tap("Gửi báo cáo");
      await lan.expectReply(/Đã nộp báo cáo tháng 2\/2026/);
      clock = new Date("2026-03-10T03:00:00Z");
      return lan;
    }

    async function expectMarchLikeFebruary() {
      const { db } = tb.t;
      const march = await db.report.findFirstOrThrow({ where: { period: "2026-03" }, include: { answers: true } });
      const feb = await db.report.findFirstOrThrow({ where: { period: "2026-02" }, include: { answers: true } });
      expect(march.status).toBe("submitted");
      const pick = (r: typeof march) => r.answers.map((a) => [a.indicatorCode, a.value, a.numerator, a.denominator, a.meetsTarget, a.reason]).sort();
      expect(pick(march)).toEqual(pick(feb));
    }

    it("/baocao → keep all → Gửi: 3 taps, every answer and reason copied and checked", async () => {
      const lan = await februaryDone();
      let taps = 0;
      lan.say("/baocao"), taps++;
      await lan.expectReply("Chọn kỳ báo cáo");
      lan.tap("Giữ nguyên như tháng 2/2026"), taps++;
      const summary = await lan.expectReply(/Đã chép 7 câu trả lời từ tháng 2\/2026[\s\S]*Tóm tắt/);
      expect(summary.text).toMatch(/Lý do: Đang chờ Sở hướng dẫn/);
      lan.tap("Gửi báo cáo"), taps++;
      await lan.expectReply(/Đã nộp báo cáo tháng 3\/2026 .* đúng hạn/);
      console.log(`tap count, unchanged report from /baocao: ${taps}`);
      expect(taps).toBeLessThanOrEqual(3);
      await expectMarchLikeFebruary();
    });

    it("from a reminder: keep → Gửi, 2 taps; the reminder states the period and the deadline", async () => {
      const lan = await februaryDone();
      clock = new Date("2026-03-16T01:00:00Z"); // 16/3 08:00 Vietnam: three days before the deadline
      const items = (await dueReminders(tb.deps, clock)).filter((i) => i.period === "2026-03");
      expect(items).toHaveLength(1);
      expect(items[0]!.hasPrevious).toBe(true);
      const { createBot } = await import("../../bot/create-bot.ts");
      const api = createBot(tb.fake.token, tb.deps, { apiRoot: tb.fake.apiRoot, throttle: false }).api;
      await deliver(api, tb.deps, items);
      const reminder = await lan.expectReply("Nhắc báo cáo tháng 3/2026");
      expect(reminder.text).toMatch(/hạn 19\/03\/2026 — còn 3 ngày/);
      expect(lan.lastButtons().map((b) => b.text)).toEqual(["📝 Báo cáo ngay", "↩️ Giữ nguyên như kỳ trước"]);
      let taps = 0;
      lan.tap("Giữ nguyên như kỳ trước"), taps++;
      await lan.expectReply(/Đã chép 7 câu[\s\S]*Tóm tắt/);
      lan.tap("Gửi báo cáo"), taps++;
      await lan.expectReply(/Đã nộp báo cáo tháng 3\/2026/);
      console.log(`tap count, unchanged report from a reminder: ${taps}`);
      expect(taps).toBe(2);
      await expectMarchLikeFebruary();
    });

    /** Counts what the user does: every message typed and every button tapped. */
    function counted(c: TestChat) {
      const done: string[] = [];
      return {
        say: (text: string) => (done.push(text), c.say(text)),
        tap: (button: string) => (done.push(`[${button}]`), c.tap(button)),
        get count() {
          return done.length;
        },
        done,
      };
    }

    /** A first report in March: /baocao, the period, one message or tap per question (one below target, with a reason), Gửi. */
    async function firstReport(): Promise<{ lan: TestChat; user: ReturnType<typeof counted> }> {
      const lan = await registeredLan(() => new Date("2026-03-10T03:00:00Z"));
      const user = counted(lan);
      user.say("/baocao");
      await lan.expectReply("Chọn kỳ báo cáo");
      user.tap("tháng 3/2026");
      await lan.expectReply("Câu 1/7");
      user.say("45/50");
      await lan.expectReply("Câu 2/7");
      user.tap("Chưa");
      await lan.expectReply(/lý do/);
      user.say("Đang chờ Sở hướng dẫn");
      await lan.expectReply("Câu 3/7");
      for (const [a, next] of [["có", "Câu 4/7"], ["30/32", "Câu 5/7"], ["có", "Câu 6/7"], ["có", "Câu 7/7"], ["50/50", "Tóm tắt"]] as const) {
        user.say(a);
        await lan.expectReply(next);
      }
      return { lan, user };
    }

    it("a first report of 7 questions costs 7 + 3 taps and messages, and 1 more for the one below-target reason", async () => {
      const { lan, user } = await firstReport();
      user.tap("Gửi báo cáo");
      await lan.expectReply(/Đã nộp báo cáo tháng 3\/2026 .* đúng hạn/);
      console.log(`tap count, first report (7 questions, 1 below-target reason): ${user.count} — ${user.done.join(" → ")}`);
      expect(user.count).toBeLessThanOrEqual(7 + 3 + 1);
      const report = await tb.t.db.report.findFirstOrThrow({ where: { period: "2026-03" }, include: { answers: true } });
      expect(report.status).toBe("submitted");
      expect(report.answers).toHaveLength(7);
      expect(report.answers.find((a) => a.indicatorCode === "NB-07")).toMatchObject({ meetsTarget: false, reason: "Đang chờ Sở hướng dẫn" });
    });

    it("two corrections typed at the summary ('sửa câu N thành …') cost one message each", async () => {
      const { lan, user } = await firstReport();
      user.say("sửa câu 1 thành 48/50");
      await lan.expectReply("Tóm tắt");
      user.say("sửa câu 4 thành 31/32");
      await lan.expectReply("Tóm tắt");
      user.tap("Gửi báo cáo");
      await lan.expectReply(/Đã nộp báo cáo tháng 3\/2026/);
      console.log(`tap count, first report with two corrections at the summary: ${user.count} — ${user.done.join(" → ")}`);
      expect(user.count).toBeLessThanOrEqual(7 + 3 + 1 + 2);
      const answers = await tb.t.db.answer.findMany({ where: { report: { period: "2026-03", status: "submitted" } } });
      expect(answers.find((a) => a.indicatorCode === "NB-05")).toMatchObject({ numerator: 48, denominator: 50 });
      expect(answers.find((a) => a.indicatorCode === "NB-11")).toMatchObject({ numerator: 31, denominator: 32 });
    });

    it("offers last period's reason as a button when the answer is below target again", async () => {
      const lan = await februaryDone();
      lan.say("/baocao 2026-03");
      await lan.expectReply("Câu 1/7");
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.say("chưa");
      await lan.expectReply(/lý do/);
      expect(lan.lastButtons().map((b) => b.text)).toContain("↩️ Giữ lý do: Đang chờ Sở hướng dẫn");
      lan.tap("Giữ lý do");
      await lan.expectReply("Câu 3/7");
      const a = await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-07", report: { period: "2026-03" } } });
      expect(a).toMatchObject({ meetsTarget: false, reason: "Đang chờ Sở hướng dẫn" });
    });

    it("a total ten times last period's is confirmed with the user and stored with a flag", async () => {
      const lan = await februaryDone();
      lan.say("/baocao 2026-03");
      await lan.expectReply("Câu 1/7");
      lan.say("45/500");
      await lan.expectReply(/500, kỳ trước là 50 — đúng không\?/);
      expect(lan.lastButtons().map((b) => b.text)).toEqual(["✔️ Đúng", "✏️ Nhập lại"]);
      expect(await tb.t.db.answer.count({ where: { report: { period: "2026-03" } } })).toBe(0); // nothing stored before the answer is confirmed
      lan.tap("Đúng");
      await lan.expectReply(/lý do|Câu 2\/7/);
      const a = await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-05", report: { period: "2026-03" } } });
      expect(a.denominator).toBe(500);
      expect(JSON.parse(a.flag!)).toMatchObject({ kind: "denominator_jump", value: 500, previous: 50 });
    });

    it("a part larger than its whole given in another question is confirmed or entered again", async () => {
      const lan = await registeredLan(() => new Date("2026-03-10T03:00:00Z"));
      lan.say("/baocao 2026-03");
      await lan.expectReply("Câu 1/7");
      for (const [a, next] of [["45/50", "Câu 2/7"], ["có", "Câu 3/7"], ["có", "Câu 4/7"]] as const) {
        lan.say(a);
        await lan.expectReply(next);
      }
      lan.say("30/60"); // 60 teachers in a school of 50 staff
      await lan.expectReply(/\(60\) lớn hơn tổng số cán bộ quản lý, giáo viên, nhân viên đã khai ở câu 1 \(50\) — đúng không\?/);
      lan.tap("Nhập lại");
      await lan.expectReply("Vui lòng nhập lại");
      lan.say("30/32");
      await lan.expectReply("Câu 5/7");
      const a = await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-11" } });
      expect(a).toMatchObject({ numerator: 30, denominator: 32, flag: null });
    });

    it("does not offer periods that ended before the unit joined", async () => {
      const lan = await registeredLan(
        () => new Date("2026-03-10T03:00:00Z"),
        () => tb.t.db.unit.update({ where: { code: "TH-A" }, data: { createdAt: new Date("2026-03-02T03:00:00Z") } }),
      );
      lan.say("/baocao");
      const r = await lan.expectReply(/Chọn kỳ báo cáo|Câu 1\//);
      const labels = lan.lastButtons().map((b) => b.text).join("\n");
      expect(labels).not.toMatch(/tháng 2\/2026/);
      expect(r.text + labels).toMatch(/tháng 3\/2026/);
    });
  });
}
