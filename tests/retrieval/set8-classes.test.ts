/**
 * Mechanisms generalised while tuning on set 8 (written as held-out, measured once, tuned on since), each with
 * phrasings that are in no eval set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { chatterOf, declineReasonOf, docFactsAsked, EVENT_DAY_STATED, termQuestionOf, wantsOf } from "../../core/retrieval/answer.ts";
import { headerText, parseMeta } from "../../core/retrieval/parse.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const bothWays = (q: string) => [q, fold(q)];
const firstLine = (answer: string) => answer.trim().split("\n")[0]!;

describe("set 8 mechanisms", () => {
  it("a term question finds its term after the plan it is asked of, beside a sentence that sets the scene, and before 'cụm từ nào'", async () => {
    for (const q of ["QR nghĩa là gì trong kế hoạch Ninh Bình?", "QR nghia la gi o ke hoach ninh binh"]) expect(termQuestionOf(q)?.term, q).toBe("QR");
    for (const q of bothWays("Mình hỏi chút: SSO là gì vậy? Trong kế hoạch có nói đến.")) expect(termQuestionOf(q)?.foldedTerm, q).toEqual(["sso"]);
    for (const q of bothWays("CSDL là viết tắt của cụm từ nào?")) expect(termQuestionOf(q), q).toMatchObject({ foldedTerm: ["csdl"], abbreviation: true });
    for (const q of bothWays("LMS viết tắt của nền tảng gì vậy ạ?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(fold(firstLine(r.answer)), q).toContain("quan ly hoc tap");
    }
    // a question that only sets a scene after its own question is no term question
    expect(termQuestionOf("Trường em có phải báo cáo không? Em thấy kế hoạch có nhắc.")).toBeNull();
    // the plan's own words after "là gì" do not make a long phrase a term
    expect(termQuestionOf("nhiệm vụ của trường là gì trong kế hoạch Ninh Bình")).toBeNull();
  });

  it("in a question typed with marks, a syllable one letter off beside a plan word is read as the plan's word", async () => {
    const r = await qa.ask("Chỉ tiu về học bạ số của Tân Kỳ là bao nhiêu?");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("100%");
    // typed all without marks, a word no plan uses stays a word of its own: an out-of-scope question stays declined
    expect((await qa.ask("lich hoc boi cua hoc sinh he nay may gio bat dau")).status).not.toBe("answered");
  });

  it("'so sánh … giữa A với B' asks for a comparison: its framing words are not content, 'số' of 'ký số' stays", async () => {
    const plain = await qa.search("chỉ tiêu chữ ký số cho nhà giáo Ninh Bình với Đầm Hà");
    for (const q of bothWays("So sánh chỉ tiêu chữ ký số cho nhà giáo giữa Ninh Bình với Đầm Hà")) {
      const framed = await qa.search(q);
      // the same passages hold as much of what is asked, framed as a comparison or not
      expect(framed[0]!.coverage, q).toBeGreaterThan(plain[0]!.coverage - 0.05);
      expect((await qa.ask(q)).status, q).toBe("answered");
    }
    // "số" of "ký số" is still asked: a passage on "ký" alone does not hold it
    const other = await qa.search("So sánh chỉ tiêu chữ ký cho nhà giáo giữa Ninh Bình với Đầm Hà");
    expect(other[0]!.coverage).toBeLessThan(plain[0]!.coverage);
  });

  it("each plan compared leads with its passage holding the value and all the question's words its best passage holds", async () => {
    for (const q of bothWays("Tỷ lệ giáo viên dùng chữ ký số: Ninh Bình và Đầm Hà khác nhau thế nào?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      const lead = r.answer.split("\n\n")[0]!;
      expect(lead, q).toContain("trên 50%");
      expect(lead, q).toContain("80%");
    }
  });

  it("whether a report was sent or where a rate stands now is report data; a target asked is not", () => {
    for (const q of [
      ...bothWays("Đơn vị mình đã gửi báo cáo quý III lên Phòng chưa?"),
      ...bothWays("Tỷ lệ học sinh dùng học bạ số ở xã hiện đang là bao nhiêu?"),
      ...bothWays("Số trường dùng chữ ký số đang đạt được bao nhiêu rồi?"),
    ])
      expect(declineReasonOf(q), q).toBe("report_data");
    for (const q of [...bothWays("Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?"), ...bothWays("Hưng Yên đang đặt mục tiêu bao nhiêu phần trăm học trực tuyến?")])
      expect(declineReasonOf(q), q).toBeNull();
  });

  it("a province or city no plan covers, named without 'tỉnh'/'thành phố', is a place no plan covers", async () => {
    for (const [q, place] of [
      ["Cần Thơ có kế hoạch chuyển đổi số ngành giáo dục không?", "Cần Thơ"],
      ["ke hoach cua binh duong ve hoc ba so the nao", "Bình Dương"],
    ] as const) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("no_context");
      expect(r.place, q).toBe(place);
    }
    // the same letters as other words in a question typed with marks; a covered province
    expect((await qa.ask("Nghe an toàn thông tin mạng trong trường là gì?")).place).toBeUndefined();
    expect((await qa.ask("Ninh Bình đặt mục tiêu gì về học bạ số?")).status).toBe("answered");
  });

  it("a message made only of thanks, praise, wishes, laughter or a joke asked, and words addressing the bot, is small talk", async () => {
    for (const q of bothWays("Cám ơn bot nhiều, giải thích rõ ràng quá")) {
      const r = await qa.ask(q);
      expect(r.reason, q).toBe("smalltalk");
      expect(r.smalltalk, q).toBe("thanks");
    }
    for (const q of [...bothWays("hehe, tạm biệt bot nhé"), ...bothWays("Chúc ad cuối tuần vui vẻ")]) expect(chatterOf(q), q).toBe("thanks");
    for (const q of [...bothWays("Kể một mẩu chuyện vui cho mình nghe với"), ...bothWays("hahaha")]) {
      expect(chatterOf(q), q).toBe("play");
      expect((await qa.ask(q)).reason, q).toBe("smalltalk");
    }
    // content beside the chatter is a question; a word of praise inside a question is content
    for (const q of ["Cảm ơn, cho hỏi tỷ lệ chữ ký số phải đạt bao nhiêu?", "Học sinh giỏi được khen thưởng thế nào?", "Hát Quốc ca có trong kế hoạch không?"])
      expect(chatterOf(q), q).toBeNull();
  });

  it("the day of an event asked leads with the passage naming the day, not a deadline set before it", async () => {
    for (const q of bothWays("Con đang học lớp Bình dân học vụ số ở phường, kế hoạch Ninh Bình ghi Ngày chuyển đổi số quốc gia là ngày nào ạ?")) {
      expect(wantsOf(q).day, q).toBe(true);
      const r = await qa.ask(q);
      expect(firstLine(r.answer), q).toContain("ngày 10 tháng 10");
    }
    // a deadline asked is no event's day
    expect(wantsOf("Hạn để các trường ban hành kế hoạch hưởng ứng là ngày nào?").day).toBeUndefined();
    expect(EVENT_DAY_STATED.test("hưởng ứng Ngày Sách vào ngày 21 tháng 4")).toBe(true);
    expect(EVENT_DAY_STATED.test("Thời gian hoàn thành: Trước ngày 21/4/2026")).toBe(false);
  });

  it("a word pointing back at what the question named ('nhân dịp ấy', 'trong việc này') is no topic the plans lack", async () => {
    const r = await qa.ask("Ninh Bình: Ngày chuyển đổi số quốc gia là ngày nào, các đơn vị triển khai gì nhân dịp ấy?");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("ngày 10 tháng 10");
  });

  it("the document's date is printed as the document writes it, then in figures", () => {
    const head = (dateline: string) =>
      headerText(parseMeta(`UBND XÃ AN PHÚ\nSố: 12/KH-UBND\n${dateline}\nKẾ HOẠCH\nỨng dụng công nghệ số trong trường học\n`))!;
    expect(head("An Phú, ngày 5 tháng 11 năm 2025")).toContain("Ban hành tại An Phú, ngày 5 tháng 11 năm 2025 (5/11/2025).");
    expect(head("An Phú, ngày    tháng 02 năm 2026")).toContain("Ban hành tại An Phú, tháng 02 năm 2026 (02/2026).");
  });

  it("several of the document's facts asked together lead with each one's sentence", async () => {
    expect(docFactsAsked(fold("Văn bản này số hiệu gì, ký ngày nào và ai ký?")).sort()).toEqual(["date", "number", "signer"]);
    expect(docFactsAsked(fold("Kế hoạch ban hành ngày nào?"))).toEqual(["date"]);
    // "ngày nào" alone asks a day of the plan's content, not the document's date
    expect(docFactsAsked(fold("Ngày hội công nghệ tổ chức ngày nào?"))).toEqual([]);
    for (const q of bothWays("Kế hoạch của Đầm Hà do ai ký, ký ngày nào?")) {
      const lead = firstLine((await qa.ask(q)).answer);
      expect(lead, q).toContain("Người ký");
      expect(lead, q).toContain("tháng 4 năm 2024");
    }
  });
});
