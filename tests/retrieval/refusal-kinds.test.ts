/**
 * Refusal calibration by kind of question, with phrasings that are in no eval set: each kind is
 * declined with and without diacritics and says whom to ask; answerable near-misses of each kind
 * (the plans' own addresses, online admission, online exams, a parent asking about a plan) are answered.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS, declineText } from "../../bot/messages/qa.ts";
import { markedShare, markedWords, offTopicOf, wantsOf } from "../../core/retrieval/answer.ts";
import { isStopToken, tonelessSyllable } from "../../core/retrieval/tokenize.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

/** The question as typed and without any diacritic. */
const bothWays = (q: string) => [q, fold(q)];

const DECLINED: Array<[string, "out_of_scope" | "school_matter", string]> = [
  ["Trụ sở Phòng Giáo dục và Đào tạo Đầm Hà nằm ở đâu?", "out_of_scope", "office_contact"],
  ["Cho xin số hotline của Sở Giáo dục Hưng Yên", "out_of_scope", "office_contact"],
  ["Email của UBND xã Tân Kỳ là gì?", "out_of_scope", "office_contact"],
  ["Dự báo thời tiết Ninh Bình cuối tuần này", "out_of_scope", "news"],
  ["Tin tức giáo dục mới nhất hôm nay là gì?", "out_of_scope", "news"],
  ["Năm nay học sinh Tân Kỳ được nghỉ Tết mấy ngày?", "out_of_scope", "school_calendar"],
  ["Lịch nghỉ hè của học sinh Đầm Hà bắt đầu từ bao giờ?", "out_of_scope", "school_calendar"],
  ["Đăng ký cho con vào lớp 1 cần những giấy tờ gì?", "out_of_scope", "admission"],
  ["Link nộp hồ sơ tuyển sinh lớp 10 ở đâu?", "out_of_scope", "admission"],
  ["Hồ sơ xin học trường Tiểu học Sao Mai gồm những gì?", "school_matter", "admission"],
  ["Khi nào công bố điểm thi vào lớp 10 năm nay?", "out_of_scope", "exam"],
  ["Lịch thi học kỳ 2 của trường THCS Sơn Ca thế nào?", "school_matter", "exam"],
  ["Con em chưa được cấp tài khoản VnEdu thì hỏi ai?", "school_matter", "child_record"],
  ["Sổ liên lạc điện tử của con tôi bị khóa phải làm sao?", "school_matter", "child_record"],
];

describe("questions outside the plans by their kind", () => {
  it("are recognized with and without diacritics", () => {
    for (const [q, reason, topic] of DECLINED)
      for (const typed of bothWays(q)) expect(offTopicOf(typed), typed).toEqual({ reason, topic });
  });

  it("are declined with the reason and whom to ask, never with plan quotes", async () => {
    for (const [q, reason, topic] of DECLINED) {
      const r = await qa.ask(q);
      expect(r, q).toMatchObject({ status: "no_context", reason, topic, citations: [] });
      expect(r.answer, q).toContain(QA_WORDS.offTopicNextStep[topic as keyof typeof QA_WORDS.offTopicNextStep]);
    }
  });

  it("are worded by the bot with whom to ask and example questions", async () => {
    const office = declineText(await qa.ask("Sở Giáo dục Hưng Yên ở đâu?"), false);
    expect(office.split("\n")[0]).toBe(QA_WORDS.offTopicWhy);
    expect(office).toContain("cổng thông tin điện tử của chính cơ quan đó");
    expect(office).toContain("Bạn có thể hỏi, ví dụ:");
    expect(office).not.toContain(QA_WORDS.askOfficer);
    const child = declineText(await qa.ask("Con tôi chưa có tài khoản học trực tuyến thì làm sao?"), false);
    expect(child).toContain("giáo viên chủ nhiệm");
    // a question out of scope for no known kind keeps the general next step
    expect(declineText(await qa.ask("Viết giúp tôi một bài thơ về mùa thu"), false)).toContain(QA_WORDS.askOfficer);
    expect(QA_WORDS.askOfficer).toContain("cán bộ phụ trách chuyển đổi số");
    // the bot thanks back in the engine's words (one wording)
    const thanks = await qa.ask("ok cảm ơn bot nhé");
    expect(thanks.smalltalk).toBe("thanks");
    expect(declineText(thanks, false)).toBe(QA_WORDS.thanks);
  });

  it("leave answerable near-misses to the plans: a portal's address, online admission, online exams, a parent's question", async () => {
    const answerable = [
      "Các trường ở Ninh Bình báo cáo về Sở qua địa chỉ nào?",
      "Đầm Hà quản lý văn bản trên phần mềm ở địa chỉ nào?",
      "Đầm Hà đặt chỉ tiêu tuyển sinh lớp 6 trên môi trường số ra sao?",
      "Ở Hưng Yên, học sinh làm bài thi trực tuyến trên phần mềm gì?",
      "Con tôi học ở Tân Kỳ, trường phải triển khai học bạ số bao nhiêu phần trăm?",
    ];
    for (const q of answerable) {
      for (const typed of bothWays(q)) expect(offTopicOf(typed), typed).toBeNull();
      expect((await qa.ask(q)).status, q).toBe("answered");
    }
    // a phone or an e-mail as a tool, not an office's contact
    expect(offTopicOf("Trường có cho học sinh dùng điện thoại khi học trực tuyến không?")).toBeNull();
    expect(offTopicOf("Trường có phải dùng email công vụ không?")).toBeNull();
    // registering for the national exam is a public service the plans set targets for
    expect(offTopicOf("Đăng ký dự thi tốt nghiệp THPT có làm trực tuyến không?")).toBeNull();
  });

  it("a named school's standing now is report data, even a school a plan names; what the plan says of it is answered", async () => {
    for (const q of bothWays("Trường Tiểu học thị trấn Đầm Hà hiện nay đã đạt mức chuyển đổi số nào?"))
      expect(await qa.ask(q), q).toMatchObject({ status: "refused", reason: "report_data" });
    const r = await qa.ask("Trường THCS thị trấn Đầm Hà được chọn làm gì trong kế hoạch?");
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("điển hình");
  });
});

describe("places no plan covers", () => {
  it("a capitalized place after 'ở' / 'tại' that the plans never print is named in the decline; plan places are answered", async () => {
    expect(await qa.ask("Học sinh ở Hà Nội có phải dùng học bạ số không?")).toMatchObject({ status: "no_context", reason: "out_of_scope", place: "Hà Nội" });
    expect(await qa.ask("Tại Lạng Sơn, giáo viên có chữ ký số phải đạt bao nhiêu?")).toMatchObject({ reason: "out_of_scope", place: "Lạng Sơn" });
    expect((await qa.ask("Giáo viên ở Tân Kỳ dùng chữ ký số phải đạt bao nhiêu phần trăm?")).status).toBe("answered");
  });
});

describe("topic words no plan uses", () => {
  it("are read with their marks: 'bơi' is not the 'bồi' of 'bồi dưỡng'", async () => {
    expect(tonelessSyllable("bơi")).not.toBe(tonelessSyllable("bồi"));
    expect(tonelessSyllable("hoà")).toBe(tonelessSyllable("hòa"));
    expect(tonelessSyllable("tỉ")).toBe(tonelessSyllable("tỷ"));
    expect(await qa.ask("Học sinh tiểu học có được học bơi ở trường không?")).toMatchObject({ status: "no_context", reason: "out_of_scope" });
    expect((await qa.ask("Đầm Hà bồi dưỡng kỹ năng số cho giáo viên thế nào?")).status).toBe("answered");
  });

  it("everyday words (chiếm, web, nói) are not taken for a topic, typed either way", async () => {
    for (const q of [
      ...bothWays("Ở Đầm Hà, nhà giáo có tài khoản tự bồi dưỡng chiếm bao nhiêu phần trăm?"),
      ...bothWays("Ở Đầm Hà, phần mềm bài giảng điện tử nằm ở địa chỉ web gì?"),
      "Kế hoạch Ninh Bình nói gì về chữ ký số cho giáo viên?",
    ]) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
    }
    expect((await qa.ask("Ở Đầm Hà, phần mềm bài giảng điện tử nằm ở địa chỉ web gì?")).answer.split("\n")[0]).toContain("lv.quangninh.edu.vn");
  });

  it("function words are judged as typed: 'máy' is content, 'mấy' is not; unaccented text is judged folded", () => {
    expect(isStopToken("mấy")).toBe(true);
    expect(isStopToken("máy")).toBe(false);
    expect(isStopToken("cán")).toBe(false);
    expect(isStopToken("cần")).toBe(true);
    expect(isStopToken("may")).toBe(true);
    // in a question typed with diacritics, "thi" is an exam; an unmarked "co" or "la" is a mark left out
    expect(isStopToken("thi", true)).toBe(false);
    expect(isStopToken("thi", false)).toBe(true);
    expect(isStopToken("co", true)).toBe(true);
    expect(markedWords("Hồ sơ cấp sở")).toEqual(["hô", "sơ", "câp", "sơ"]);
    expect(markedShare(markedWords("cấp sở"), "tại cấp bộ, cấp sở")).toBe(1);
    expect(markedShare(markedWords("cấp sở"), "cấp số")).toBe(0.5);
    expect(markedShare(markedWords("cap so"), "cấp sở")).toBe(0);
  });
});

describe("questions typed with some marks left out", () => {
  it("are answered like the fully marked question", async () => {
    for (const q of ["Tỷ lệ giáo viên co chữ ký số la bao nhiêu o Ninh Bình?", "Ninh Binh yêu cầu chữ ký số cho giáo viên dat bao nhieu?"]) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer.split("\n")[0], q).toContain("trên 50%");
    }
  });
});

describe("the fact first", () => {
  it("a short list is led whole with its lead-in, not cut at the colon", async () => {
    const r = await qa.ask("Nguồn kinh phí cho chuyển đổi số ở xã Tân Kỳ gồm những gì?");
    expect(r.answer.split("\n")[0]).toMatch(/các nguồn sau: Ngân sách nhà nước .*; Nguồn kinh phí chi thường xuyên .*; Nguồn xã hội hóa/);
    const inline = await qa.ask("Ở Hưng Yên có bao nhiêu giáo viên tin học cấp THPT?");
    expect(inline.answer.split("\n")[0]).toMatch(/Tin học ở các cấp học: Tiểu học 43; THCS: 181, THPT 119/);
  });

  it("the document a plan implements is read from its preamble, by the issuer asked, typed either way", async () => {
    expect(wantsOf("Kế hoạch Đầm Hà thực hiện kế hoạch số mấy của Sở?").basis).toEqual({ type: "ke hoach", issuer: "so" });
    expect(wantsOf("Kế hoạch số mấy?").basis).toBeUndefined();
    for (const q of bothWays("Kế hoạch của xã Tân Kỳ triển khai theo kế hoạch nào của Sở GDĐT Hải Phòng?")) {
      const r = await qa.ask(q);
      expect(r.answer.split("\n")[0], q).toContain("639/KH-SGDĐT");
    }
    const pm = await qa.ask("Kế hoạch Hưng Yên căn cứ quyết định nào của Thủ tướng Chính phủ?");
    expect(pm.answer.split("\n")[0]).toContain("131/QĐ-TTg");
  });

  it("'phải ký số' is not a question about who signed the plan", () => {
    expect(wantsOf("Giáo viên phải ký số những loại hồ sơ nào?").doc).toBeNull();
    expect(wantsOf("Ai ký kế hoạch này?").doc).toBe("signer");
  });
});
