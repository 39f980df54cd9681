/** Questions about the plans through the bot: a citizen gets a cited answer; a focal point asks mid-report and resumes. */
import { afterAll, beforeAll, afterEach, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({}); // offline, straight from data/plans/
});

describe("questions about the plans", () => {
  let tb: TestBot;
  afterEach(async () => tb?.stop());
  afterAll(() => undefined);

  it("a citizen who never registered gets an answer citing the plan and section", async () => {
    tb = await startTestBot({ qa });
    const dan = chat(tb.fake, { id: 901, first_name: "Dân" });
    dan.say("Các trường phải báo cáo hằng tháng trước ngày nào?");
    const reply = await dan.expectReply(/ngày 20/);
    expect(reply.text).toMatch(/27\/KH-SGDĐT.*mục V\.3/s);
  });

  it("says so when the plans do not cover a question", async () => {
    tb = await startTestBot({ qa });
    const dan = chat(tb.fake, { id: 902, first_name: "Dân" });
    dan.say("/hoi giá vàng hôm nay bao nhiêu?");
    await dan.expectReply(/không (có|đề cập)|chưa có thông tin|không tìm thấy/i);
  });

  it("a focal point asks about the current question mid-report and returns to it", async () => {
    tb = await startTestBot({ qa, now: () => new Date("2026-03-10T03:00:00Z"), setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký");
    lan.say("/baocao 2026-03");
    await lan.expectReply("Câu 1/7");
    lan.say("45/50");
    await lan.expectReply("Câu 2/7");
    lan.say("Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?");
    await lan.expectReply(/50%/);
    await lan.expectReply(/Tiếp tục báo cáo[\s\S]*Câu 2\/7/);
    lan.say("có");
    await lan.expectReply("Câu 3/7");
    expect(await tb.t.db.answer.count()).toBe(2);
  });
});
