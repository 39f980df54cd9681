/**
 * The reporting conversation end to end: a real grammY bot (createBot, conversations plugin,
 * runner) long-polling a fake Bot API over HTTP, on a real database.
 */
import { afterEach, describe, expect, it } from "vitest";
import { allDbTargets } from "../support/db.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

// 10/3/2026 10:00 Vietnam time: before the monthly deadline (20/3).
const MARCH_10 = () => new Date("2026-03-10T03:00:00Z");
// NB-27-2025, primary school, monthly: NB-05 ratio(staff), NB-07 yes/no, NB-08 yes/no, NB-11 ratio(teachers), NB-12, NB-13 yes/no, NB-15 ratio(staff)

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`reporting conversation (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    async function registeredFocal(now = MARCH_10) {
      tb = await startTestBot({ target, now, setup: async (t) => void (await seedSmallProvince(t)) });
      const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
      lan.say("/start inv_th_a");
      await lan.expectReply("Đã đăng ký");
      return lan;
    }

    async function openMarch(lan: ReturnType<typeof chat>) {
      lan.say("/baocao");
      await lan.expectReply("Chọn kỳ báo cáo");
      lan.tap("tháng 3/2026");
      return lan.expectReply("Câu 1/7");
    }

    async function answerAll(lan: ReturnType<typeof chat>) {
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.tap("Có");
      await lan.expectReply("Câu 3/7");
      lan.say("rồi");
      await lan.expectReply("Câu 4/7");
      lan.say("30 trên 32 giáo viên");
      await lan.expectReply("Câu 5/7");
      lan.say("co");
      await lan.expectReply("Câu 6/7");
      lan.say("đã triển khai");
      await lan.expectReply("Câu 7/7");
      lan.say("50/50");
      await lan.expectReply("Tóm tắt");
    }

    it("registers by invite, fills a full report, submits it on time, and stores it with a revision", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      await answerAll(lan);
      lan.tap("Gửi báo cáo");
      await lan.expectReply(/Đã nộp báo cáo tháng 3\/2026 .* đúng hạn/);
      const { db } = tb.t;
      const report = await db.report.findFirstOrThrow({ include: { answers: true, revisions: true } });
      expect(report).toMatchObject({ period: "2026-03", status: "submitted", onTime: true, revision: 1 });
      expect(report.answers).toHaveLength(7);
      expect(report.answers.find((a) => a.indicatorCode === "NB-11")).toMatchObject({ numerator: 30, denominator: 32, meetsTarget: true });
      expect(report.revisions).toHaveLength(1);
      expect(await db.auditLog.count({ where: { action: "report.submit" } })).toBe(1);
    });

    it("rejects an impossible answer with a specific hint, re-asks, and keeps earlier answers", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      lan.say("55/50");
      await lan.expectReply(/không thể lớn hơn/);
      lan.say("120%");
      await lan.expectReply(/❗/);
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.say("có");
      await lan.expectReply("Câu 3/7");
      lan.say("có");
      await lan.expectReply("Câu 4/7");
      // total staff was 50: a teachers' total is another denominator key, but 40 teachers of 33 is impossible
      lan.say("40/33");
      await lan.expectReply(/không thể lớn hơn/);
      lan.say("30/32");
      await lan.expectReply("Câu 5/7");
      const answers = await tb.t.db.answer.findMany({ orderBy: { indicatorCode: "asc" } });
      expect(answers.map((a) => a.indicatorCode)).toEqual(["NB-05", "NB-07", "NB-08", "NB-11"]);
    });

    it("rejects a denominator that disagrees with one given this period", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      lan.say("45/50"); // staff = 50
      await lan.expectReply("Câu 2/7");
      for (const [q, a] of [["Câu 3/7", "có"], ["Câu 4/7", "có"], ["Câu 5/7", "30/32"], ["Câu 6/7", "có"], ["Câu 7/7", "có"]] as const) {
        lan.say(a);
        await lan.expectReply(q);
      }
      lan.say("50/52"); // NB-15 staff total must be 50 too
      await lan.expectReply(/50/);
      expect(lan.messages().at(-1)?.text).toMatch(/NB-05|khác/);
      lan.say("50/50");
      await lan.expectReply("Tóm tắt");
    });

    it("accepts a below-target answer, states the gap and stores the reason", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.say("chưa");
      await lan.expectReply(/chỉ tiêu[\s\S]*lý do/);
      lan.say("Đang chờ Sở hướng dẫn");
      await lan.expectReply("Câu 3/7");
      const a = await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-07" } });
      expect(a).toMatchObject({ value: 0, meetsTarget: false, reason: "Đang chờ Sở hướng dẫn" });
    });

    it("offers last period's value with one tap, and lets a question be skipped and answered later", async () => {
      const lan = await registeredFocal(() => new Date("2026-02-05T03:00:00Z"));
      lan.say("/baocao");
      await lan.expectReply("Chọn kỳ báo cáo");
      lan.tap("tháng 2/2026");
      await lan.expectReply("Câu 1/7");
      await answerAll(lan);
      lan.tap("Gửi báo cáo");
      await lan.expectReply("Đã nộp");

      tb.deps.now = MARCH_10;
      await openMarch(lan);
      expect(lan.lastButtons().map((b) => b.text)).toContain("↩️ Giữ như kỳ trước: 45/50 (90%)");
      lan.tap("Giữ như kỳ trước");
      await lan.expectReply("Câu 2/7");
      lan.tap("Bỏ qua");
      await lan.expectReply("Câu 3/7");
      for (const [q, a] of [["Câu 4/7", "có"], ["Câu 5/7", "30/32"], ["Câu 6/7", "có"], ["Câu 7/7", "có"]] as const) {
        lan.say(a);
        await lan.expectReply(q);
      }
      lan.tap("Giữ như kỳ trước");
      await lan.expectReply("Còn 1 câu");
      lan.tap("Trả lời 1 câu");
      await lan.expectReply("Câu 2/7");
      lan.say("có");
      await lan.expectReply("Gửi báo cáo");
      lan.tap("Gửi báo cáo");
      await lan.expectReply("Đã nộp");
      const march = await tb.t.db.report.findFirstOrThrow({ where: { period: "2026-03" }, include: { answers: true } });
      expect(march.answers.find((a) => a.indicatorCode === "NB-05")).toMatchObject({ numerator: 45, denominator: 50 });
      expect(march.answers.every((a) => !a.skipped)).toBe(true);
    });

    it("continues where the user left off after a restart, with nothing lost or duplicated", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.say("có");
      await lan.expectReply("Câu 3/7");
      await tb.restart();
      lan.say("có"); // answers question 3 on the new bot instance
      await lan.expectReply("Câu 4/7");
      lan.say("/baocao");
      await lan.expectReply("Chọn kỳ báo cáo");
      lan.tap("tháng 3/2026");
      await lan.expectReply("Câu 4/7");
      expect(await tb.t.db.answer.count()).toBe(3);
      expect(await tb.t.db.report.count()).toBe(1);
    });

    it("a restart while the bot waits for a reason keeps the conversation: the next text is the reason", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.say("chưa");
      await lan.expectReply(/lý do/);
      await tb.restart();
      lan.say("Đang chờ kinh phí");
      await lan.expectReply("Câu 3/7");
      const a = await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-07" } });
      expect(a.reason).toBe("Đang chờ kinh phí");
    });

    it("edits a submitted report as a new revision with who, when and why", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      await answerAll(lan);
      lan.tap("Gửi báo cáo");
      await lan.expectReply("Đã nộp");
      lan.say("/baocao");
      await lan.expectReply("Chọn kỳ báo cáo");
      lan.tap("tháng 3/2026");
      await lan.expectReply("Đã nộp lúc");
      lan.tap("Sửa một câu");
      await lan.expectReply("Chọn số câu");
      lan.tap("4");
      await lan.expectReply("Sửa câu 4/7");
      lan.say("31/32");
      await lan.expectReply("Gửi bản sửa");
      // officials still see the submitted values until the edit is confirmed
      expect((await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-11" } })).numerator).toBe(30);
      lan.tap("Gửi bản sửa");
      await lan.expectReply("lý do");
      lan.say("Nhập nhầm số giáo viên");
      await lan.expectReply("bản sửa lần 2");
      const report = await tb.t.db.report.findFirstOrThrow({ include: { revisions: { orderBy: { revision: "asc" } } } });
      expect(report.revision).toBe(2);
      expect(report.onTime).toBe(true);
      expect(report.revisions[1]).toMatchObject({ revision: 2, reason: "Nhập nhầm số giáo viên" });
      expect((await tb.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "NB-11" } })).numerator).toBe(31);
      const log = await tb.t.db.auditLog.findFirstOrThrow({ where: { action: "report.edit" } });
      expect(JSON.parse(log.details!)).toMatchObject({ revision: 2, reason: "Nhập nhầm số giáo viên", changed: ["NB-11"] });
      expect(log.actorId).not.toBeNull();
    });

    it("offers last month's report while it is missing, and records it as late", async () => {
      const lan = await registeredFocal();
      lan.say("/baocao");
      await lan.expectReply("Chọn kỳ báo cáo");
      expect(lan.lastButtons().map((b) => b.text)).toContain("tháng 2/2026 (hạn 19/02/2026 — đã quá 19 ngày) ⏰");
      expect(lan.lastButtons().map((b) => b.text)).toContain("tháng 3/2026 (hạn 19/03/2026 — còn 9 ngày)");
      lan.tap("tháng 2/2026");
      await lan.expectReply(/Báo cáo tháng 2\/2026[\s\S]*Câu 1\/7/);
      await answerAll(lan);
      lan.tap("Gửi báo cáo");
      await lan.expectReply(/Đã nộp báo cáo tháng 2\/2026 .* trễ hạn/);
      expect(await tb.t.db.report.findFirstOrThrow({ where: { period: "2026-02" } })).toMatchObject({ onTime: false });
    });

    it("/huy stops the report without losing answers", async () => {
      const lan = await registeredFocal();
      await openMarch(lan);
      lan.say("45/50");
      await lan.expectReply("Câu 2/7");
      lan.say("/huy");
      await lan.expectReply("Đã dừng");
      lan.say("có"); // not an answer any more: no question is open, so the bot points to /baocao
      await lan.expectReply(/không có câu hỏi nào đang mở[\s\S]*\/baocao/);
      expect(await tb.t.db.answer.count()).toBe(1);
    });
  });
}
