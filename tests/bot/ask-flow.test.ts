/** Questions about the plans through the bot: a citizen gets a cited answer; a focal point asks mid-report and resumes. */
import { afterAll, beforeAll, afterEach, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS }); // offline, straight from data/plans/
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

  it("a citizen asks a question that two plans answer differently: one line per plan, each cited", async () => {
    tb = await startTestBot({ qa });
    const dan = chat(tb.fake, { id: 903, first_name: "Dân" });
    dan.say("Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?");
    const reply = await dan.expectReply(/Tân Kỳ/);
    const lines = reply.text!.split("\n");
    // the lead: one line per plan, Ninh Bình's "trên 50%" and Tân Kỳ's 100%, before any quote
    expect(lines[0]).toMatch(/^• Ninh Bình \(KH 27\/KH-SGDĐT\): .*trên 50%/);
    expect(lines[1]).toMatch(/^• Tân Kỳ \(KH 2026\): .*100%/);
    expect(reply.text).toMatch(/câu hỏi chưa nêu địa phương/);
    // each plan cited with its section
    expect(reply.text).toContain("— KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025), mục I.2.5");
    expect(reply.text).toContain("— KH UBND xã Tân Kỳ (3/2026), Phụ lục 1, dòng 3");
  });

  it("a teacher of a Tân Kỳ school gets Tân Kỳ's plan first for the same question", async () => {
    tb = await startTestBot({
      qa,
      setup: async (t) => {
        const xa = await t.db.unit.create({ data: { code: "XA-TK", name: "UBND xã Tân Kỳ", kind: "commune", levels: "xa", path: "/XA-TK/", planId: "TK-2026" } });
        const th = await t.db.unit.create({ data: { code: "TH-TK", name: "Trường Tiểu học Tân Kỳ", kind: "school", levels: "th", parentId: xa.id, path: "/XA-TK/TH-TK/" } });
        await t.db.invite.create({ data: { code: "inv_th_tk", unitId: th.id, role: "focal" } });
      },
    });
    const co = chat(tb.fake, { id: 904, first_name: "Cô Hạnh" });
    co.say("/start inv_th_tk");
    await co.expectReply("Đã đăng ký");
    co.say("Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?");
    const reply = await co.expectReply(/chữ ký số/);
    const lines = reply.text!.split("\n");
    expect(lines[0]).toMatch(/^• Tân Kỳ \(KH 2026\): .*100%/);
    expect(lines[1]).toMatch(/^• Ninh Bình \(KH 27\/KH-SGDĐT\): .*trên 50%/);
    expect(reply.text).toMatch(/Kế hoạch của địa phương bạn được nêu trước/);
  });

  it("greets back, and tells a citizen asking which schools are late that only officials see report data", async () => {
    tb = await startTestBot({ qa });
    const dan = chat(tb.fake, { id: 905, first_name: "Dân" });
    dan.say("Chào bạn");
    const hello = await dan.expectReply(/Chào bạn!/);
    expect(hello.text).toMatch(/Bạn có thể hỏi, ví dụ:\n• /);
    expect(hello.text).not.toMatch(/không trả lời|đoán sai/);
    dan.say("Cảm ơn bạn nhiều nhé!");
    await dan.expectReply(/Rất vui được giúp bạn/);
    dan.say("Trường nào ở xã Tân Kỳ đang chậm báo cáo?");
    const late = await dan.expectReply(/chỉ cán bộ quản lý được xem/);
    expect(late.text).toMatch(/nhà trường hoặc phòng Văn hóa - Xã hội/);
    expect(late.text).not.toMatch(/không đề cập/);
    dan.say("Con tôi học lớp 3 trường Tiểu học Hoa Mai, sao cô giáo chưa gửi điểm?");
    await dan.expectReply(/hỏi trực tiếp nhà trường/);
  });

  it("an official adds an FAQ entry and a citizen finds it, labelled with the unit and the date", async () => {
    tb = await startTestBot({ setup: async (t) => void (await seedSmallProvince(t)) });
    tb.deps.qa = await createQaEngine({ faqDb: tb.t.db, words: QA_WORDS }); // plans from files, FAQ from this bot's database
    const can = chat(tb.fake, { id: 906, first_name: "Cán bộ" });
    can.say("/start inv_xa_a");
    await can.expectReply("Đã đăng ký");
    can.say("/faq");
    await can.expectReply(/chưa đăng giải đáp nào[\s\S]*\/faq them/);
    can.say("/faq them Có đóng học phí qua ứng dụng ngân hàng được không? | Có. Từ học kỳ II, các trường trong xã nhận học phí qua ứng dụng ngân hàng. | https://anbinh.example.vn/hoc-phi");
    await can.expectReply(/Đã đăng "Giải đáp của UBND xã An Bình"/);

    const dan = chat(tb.fake, { id: 907, first_name: "Dân" });
    dan.say("Đóng học phí qua ứng dụng ngân hàng được không?");
    const reply = await dan.expectReply(/Giải đáp của UBND xã An Bình/);
    expect(reply.text!.split("\n")[0]).toMatch(/^Giải đáp của UBND xã An Bình \(\d\d\/\d\d\/\d{4}\): Có\. Từ học kỳ II/);
    dan.say("/faq them Câu hỏi của tôi? | Trả lời");
    await dan.expectReply(/Chỉ cán bộ quản lý mới đăng được giải đáp/);

    can.say("/faq rut 1");
    await can.expectReply(/Đã rút giải đáp/);
    dan.say("Đóng học phí qua ứng dụng ngân hàng được không?");
    const after = await dan.expectReply(/.+/);
    expect(after.text).not.toContain("Giải đáp của");
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
