/**
 * The paraphrase lexicon (core/retrieval/lexicon.ts): everyday words count as the plans' terms in retrieval, in every
 * coverage and refusal check, and in the choice of the first line. Phrasings here are in no eval set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { contentGroups, indexTerms, queryTerms, spellOutChat } from "../../core/retrieval/tokenize.ts";
import { declineReasonOf, termQuestionOf, unsupportedBy, wantsOf } from "../../core/retrieval/answer.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

describe("paraphrase lexicon: terms", () => {
  it("an everyday word forms one content group with the plans' term (several plan terms in one group)", () => {
    const groups = contentGroups("thầy cô xài tiền của trường");
    expect(groups).toContainEqual(expect.arrayContaining(["thay_co", "giao_vien"]));
    expect(groups).toContainEqual(expect.arrayContaining(["xai", "su_dung"]));
    expect(groups).toContainEqual(expect.arrayContaining(["tien", "kinh_phi", "ngan_sach"]));
  });

  it("a passage's plan term is indexed with the everyday form as one term, and never the reverse", () => {
    expect(indexTerms("giáo viên được tập huấn")).toContain("thay_co");
    // the plans' own "tiền mặt" does not stand for "kinh phí"; "ai lo" adds no stray syllables to "chủ trì"
    expect(indexTerms("không dùng tiền mặt")).not.toContain("kinh_phi");
    expect(indexTerms("Phòng Tài chính chủ trì")).toContain("ai_lo");
    expect(indexTerms("Phòng Tài chính chủ trì")).not.toContain("lo");
  });

  it("a question typed in the plans' words is not widened; typed in everyday words it meets the indexed form", () => {
    expect(queryTerms("giáo viên dùng chữ ký số")).not.toContain("thay_co");
    expect(queryTerms("cô giáo dùng chữ ký số")).toContain("co_giao");
  });
});

describe("paraphrase lexicon: answers", () => {
  it("answers a target asked in everyday words (not declined as uncovered) and leads with its figure", async () => {
    const r = await qa.ask("Ninh Bình muốn mấy phần trăm thầy cô toàn ngành rành về chuyển đổi số?");
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("80%");
  });

  it("still declines a question about something the plans never state, asked in everyday words", async () => {
    const r = await qa.ask("Mua một cái máy tính bảng cho học trò hết bao nhiêu tiền?");
    expect(r.status).not.toBe("answered");
  });

  it("a comparison asked with 'chênh nhau' / 'chênh lệch' is not declined for those words", async () => {
    const r = await qa.ask("Chỉ tiêu trường đạt mức chuyển đổi số 2 của Tân Kỳ với Đầm Hà chênh nhau ra sao?");
    expect(r.status).toBe("answered");
    expect(r.answer).toContain("Tân Kỳ");
  });
});

describe("chat words", () => {
  it("'tui' is read as 'tôi' (who asks, not a topic)", () => {
    expect(spellOutChat("trường tui phải nộp gì")).toBe("trường tôi phải nộp gì");
    expect(contentGroups(spellOutChat("trường tui")).flat()).not.toContain("tui");
  });
});

describe("term questions asked in everyday words", () => {
  it("'X là cái gì mà …' and 'X mà kế hoạch … nhắc tới là hình thức gì' ask what X is", async () => {
    expect(termQuestionOf("CSDL là cái gì mà trường nào cũng phải cập nhật vậy?")?.term).toBe("CSDL");
    expect(termQuestionOf("LMS mà kế hoạch Đầm Hà nhắc tới là hình thức gì?")?.term).toBe("LMS");
    const r = await qa.ask("CSDL là cái gì mà trường nào cũng phải cập nhật vậy?");
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("cơ sở dữ liệu");
  });

  it("a word addressing the reader after the question ('… hả cô?') and 'chữ X' before it leave the term alone", async () => {
    expect(termQuestionOf("Trong kế hoạch có chữ THCS là viết tắt của gì hả cô?")?.term).toBe("THCS");
    const r = await qa.ask("kế hoạch hay ghi chữ CSDL, là viết tắt của gì vậy anh?");
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("cơ sở dữ liệu");
  });
});

describe("everyday ways of asking", () => {
  it("a word addressing the reader after the question ('… vậy cô?', '… không cháu?') is not taken for a topic", async () => {
    const r = await qa.ask("Kế hoạch Ninh Bình có nói Ngày Chuyển đổi số quốc gia là ngày mấy không cháu?");
    expect(r.status).toBe("answered");
    expect(r.answer.toLowerCase()).toContain("ngày chuyển đổi số quốc gia");
    // the day asked is the day named ("vào ngày 10 tháng 10"), not the deadline of a target set before it
    expect(r.answer.split("\n")[0]).toContain("ngày 10 tháng 10");
  });

  it("'1' typed for the article 'một' is not a number the passage must state; 'lớp 1' still is", async () => {
    const r = await qa.ask("Ninh Bình có cho giáo viên dùng chung 1 tài khoản phần mềm không?");
    expect(r.status).toBe("answered");
    expect(r.answer).toContain("không dùng chung tài khoản");
  });

  it("a price asked in everyday words ('giá … tầm bao nhiêu') is money no plan states", () => {
    expect(unsupportedBy("gia may tinh bang cho hoc sinh tam bao nhieu", "Trang bị thiết bị cho 100% lớp học.")).toBe("money");
    expect(unsupportedBy("danh gia muc do chuyen doi so dat khoang bao nhieu", "Đạt mức độ 2.")).not.toBe("money");
  });

  it("a paraphrase typed with marks must carry its own marks ('tiện' is not 'tiền'); typed without, it is folded", () => {
    expect(contentGroups("xài chung cho tiện").flat()).not.toContain("kinh_phi");
    expect(contentGroups("dong tien hoc qua chuyen khoan").flat()).toEqual(expect.arrayContaining(["hoc_phi", "khong_dung_tien_mat"]));
  });
});

describe("when, asked in everyday words", () => {
  it("'hạn xong', 'hạn cuối', 'tháng nào', 'xong trước …' ask when", () => {
    for (const q of ["hạn xong là tháng nào", "hạn cuối khi nào vậy", "phải xong trước dịp nào", "làm vào tháng nào"]) expect(wantsOf(q).when).toBe(true);
    expect(wantsOf("ai phụ trách việc này").when).toBe(false);
  });

  it("a row's deadline leads the answer when asked as 'hạn xong là tháng nào'", async () => {
    const r = await qa.ask("Ở Ninh Bình, việc trường công thu các khoản không dùng tiền mặt hạn xong là tháng nào?");
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("Tháng 11/2025");
  });
});

describe("the document a plan follows, asked in everyday words", () => {
  it("'được xây dựng theo / làm theo / dựa theo kế hoạch số mấy' asks for the plan's basis", async () => {
    expect(wantsOf("kế hoạch này làm theo kế hoạch số mấy của sở").basis).toBeDefined();
    const r = await qa.ask("Kế hoạch của Đầm Hà được xây dựng theo kế hoạch số mấy của Sở GDĐT Quảng Ninh?");
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("842/KH-SGDĐT");
  });
});

describe("out of scope, asked in everyday words", () => {
  it("a unit asked for after 'bao nhiêu' that no plan prints ('bao nhiêu Mbps') is declined; '%' is not a unit word", async () => {
    const r = await qa.ask("Phòng máy tính của trường phải có tốc độ mạng bao nhiêu Mbps?");
    expect(r.status).not.toBe("answered");
    expect((await qa.ask("Tỷ lệ giáo viên có chữ ký số ở Ninh Bình bao nhiêu %?")).status).toBe("answered");
  });

  it("a summary of reported figures ('theo số liệu đã nộp', 'tổng hợp … tháng này') is report data", () => {
    expect(declineReasonOf("Thống kê giúp tôi số trường đã có học bạ số trong tháng này")).toBe("report_data");
    expect(declineReasonOf("Tỷ lệ giáo viên dùng chữ ký số theo số liệu đã nộp là bao nhiêu?")).toBe("report_data");
    expect(declineReasonOf("Ai tổng hợp báo cáo kết quả chuyển đổi số của các trường?")).toBeNull();
  });
});

describe("comparisons in everyday words", () => {
  it("'mỗi nơi' / 'từng nơi' frame a comparison of the plans named, not a topic", async () => {
    expect(contentGroups("Đầm Hà và Tân Kỳ mỗi nơi đặt bao nhiêu").flat()).not.toContain("noi");
    const r = await qa.ask("Về chữ ký số cho giáo viên, Ninh Bình và Đầm Hà từng nơi đặt chỉ tiêu bao nhiêu?");
    expect(r.status).toBe("answered");
    expect(r.answer).toContain("trên 50%");
  });
});
