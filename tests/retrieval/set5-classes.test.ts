/**
 * Classes of question added while tuning on set 5 (written as held-out, measured once, tuned on since), each with
 * phrasings that are in no eval set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { declineReasonOf, offTopicOf, termQuestionOf, unsupportedBy, wantsOf } from "../../core/retrieval/answer.ts";
import { spellOutChat } from "../../core/retrieval/tokenize.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const bothWays = (q: string) => [q, fold(q)];
const firstLine = (a: string) => a.trim().split("\n")[0]!;

describe("set 5 classes", () => {
  it("a network's address range is not an office's address", async () => {
    for (const q of bothWays("Mạng LAN trường công lập phải chuyển sang dải địa chỉ nào vậy?")) {
      expect(offTopicOf(q), q).toBeNull();
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(firstLine(r.answer), q).toContain("IPv6");
    }
    for (const q of bothWays("Địa chỉ trụ sở Sở GDĐT ở đâu?")) expect(offTopicOf(q)?.topic, q).toBe("office_contact");
  });

  it("a comparison of named plans may give each plan its own year", async () => {
    for (const q of bothWays("hồ sơ công việc xử lý trên môi trường số, đầm hà 2024 với tân kỳ 2026 mỗi nơi mấy %")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer, q).toContain("Đầm Hà (KH 2024)");
      expect(r.answer, q).toContain("Tân Kỳ (KH 2026)");
    }
    // a year no named plan holds is still not answered
    const r = await qa.ask("hồ sơ công việc xử lý trên môi trường số, đầm hà 2031 với tân kỳ 2026 mỗi nơi mấy %");
    expect(r.status).toBe("no_context");
  });

  it("who signed a plan, typed 'kí' or by the signer's role, is the plan's own fact, not personal data", async () => {
    for (const q of bothWays("chủ tịch xã tân kỳ kí kế hoạch cđs năm 2026 tên gì")) {
      expect(declineReasonOf(q), q).toBeNull();
      expect(wantsOf(q).doc, q).toBe("signer");
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(firstLine(r.answer), q).toContain("Nguyễn Xuân Cường");
    }
    expect(wantsOf("người kí văn bản này là ai").doc).toBe("signer");
    // a person's own details stay declined, and "Tân Kỳ kế hoạch" or "học kỳ" do not ask who signed
    expect(declineReasonOf("số điện thoại của chủ tịch xã người kí kế hoạch là gì")).toBe("personal_data");
    expect(declineReasonOf("hiệu trưởng trường tôi tên là gì")).toBe("personal_data");
    expect(wantsOf("xã tân kỳ kế hoạch năm nay giao phòng nào, trưởng phòng là ai").doc).toBeNull();
  });

  it("a plan's place typed in lower-case initials before its year ('tk 2026') names that plan", async () => {
    const r = await qa.ask("tk 2026 cơ sở giáo dục có cán bộ phụ trách cntt bao nhiêu %");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toMatch(/^Theo kế hoạch Tân Kỳ/);
    expect(firstLine(r.answer)).toContain("100%");
  });

  it("chat spellings 'bc' (báo cáo) and 'bao nhiu' are spelled out", async () => {
    expect(spellOutChat("bc tháng nộp trước ngày mấy, mất bao nhiu ngày")).toBe("báo cáo tháng nộp trước ngày mấy, mất bao nhiêu ngày");
    expect(spellOutChat("BCĐ chuyển đổi số")).toBe("BCĐ chuyển đổi số");
    const r = await qa.ask("bc hằng tháng gửi trước ngày mấy vậy");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("trước ngày 20");
  });

  it("a province no plan covers, named after 'Sở GDĐT' or 'Phòng Giáo dục và Đào tạo', is declined by name", async () => {
    for (const q of ["Sở GDĐT Đà Nẵng đặt chỉ tiêu học bạ số bao nhiêu %?", "Phòng Giáo dục và Đào tạo Cần Thơ có giao trường chữ ký số không"]) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("no_context");
      expect(r.place, q).toMatch(/Đà Nẵng|Cần Thơ/);
    }
    const r = await qa.ask("Sở GDĐT Ninh Bình đặt chỉ tiêu học bạ số bao nhiêu %?");
    expect(r.status).toBe("answered");
  });

  it("a count asked as 'số X … là bao nhiêu' or 'tuyển/lấy bao nhiêu X' needs a count of X, not a grade or a rate", async () => {
    for (const q of bothWays("Số giáo viên toàn xã hiện nay là bao nhiêu?"))
      expect(unsupportedBy(q, "100% giáo viên có chữ ký số và tài khoản định danh điện tử."), q).toBe("count");
    for (const q of bothWays("năm nay trường tuyển bao nhiêu học sinh lớp 6"))
      expect(unsupportedBy(q, "100% trường tiểu học và THCS tuyển sinh lớp 1, lớp 6 hoàn toàn trên môi trường số."), q).toBe("count");
    for (const q of bothWays("Số trường THCS có phòng máy là bao nhiêu?")) expect(unsupportedBy(q, "Toàn tỉnh có 25 trường THCS có phòng máy."), q).toBeNull();
    for (const q of bothWays("Số trường có học bạ số là bao nhiêu phần trăm?")) expect(unsupportedBy(q, "100% trường triển khai học bạ số."), q).toBeNull();
    const r = await qa.ask("Số giáo viên toàn tỉnh Hưng Yên năm 2022 là bao nhiêu?");
    expect(r.status).toBe("no_context");
  });

  it("a teacher's allowance ('phụ cấp', 'trợ cấp'), even asked as a percentage, is not in the plans", async () => {
    for (const q of bothWays("Giáo viên phụ trách chuyển đổi số được trợ cấp bao nhiêu phần trăm lương?")) {
      expect(unsupportedBy(q, "100% giáo viên được bồi dưỡng kỹ năng số."), q).toBe("money");
      expect((await qa.ask(q)).status, q).toBe("no_context");
    }
    expect(unsupportedBy("Phụ cấp trách nhiệm là bao nhiêu?", "Chi phụ cấp trách nhiệm cho cán bộ phụ trách CNTT theo quy định.")).toBeNull();
  });

  it("step-by-step instructions for a service are not in the plans; 'từng bước' meaning gradually is", async () => {
    for (const q of bothWays("Hướng dẫn cách nộp hồ sơ tuyển sinh đầu cấp trên Cổng dịch vụ công các bước giúp em")) {
      expect(unsupportedBy(q, "100% trường tuyển sinh đầu cấp trên Cổng dịch vụ công."), q).toBe("steps");
    }
    for (const q of bothWays("Chỉ giúp mình cài chữ ký số trên máy tính từng bước nhé")) {
      expect(unsupportedBy(q, "100% giáo viên có chữ ký số."), q).toBe("steps");
      expect((await qa.ask(q)).status, q).toBe("no_context");
    }
    expect(unsupportedBy("Hướng dẫn từng bước đăng nhập", "Bước 1: mở trang; Bước 2: đăng nhập.")).toBeNull();
    expect(unsupportedBy("Kế hoạch từng bước hoàn thiện cơ sở dữ liệu ngành thế nào?", "Từng bước hoàn thiện cơ sở dữ liệu ngành.")).toBeNull();
  });

  it("a long message telling a story before it asks is answered from its last sentence, in the plan it names", async () => {
    const story = "Dạ em chào anh chị, em là nhân viên văn phòng ở một trường tiểu học thuộc xã Tân Kỳ, mới chuyển công tác về nên nhiều việc chưa nắm.";
    const r = await qa.ask(`${story} Theo kế hoạch thì hồ sơ công việc phải xử lý trên môi trường điện tử đạt bao nhiêu phần trăm ạ?`);
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toMatch(/^Theo kế hoạch Tân Kỳ.*100%/);
    const c = await qa.ask("Chào bot, mình là kế toán ở một trường THCS thuộc xã Tân Kỳ, mới nhận nhiệm vụ nên còn bỡ ngỡ lắm: theo kế hoạch thì kinh phí chuyển đổi số năm 2026 lấy từ những nguồn nào vậy?");
    expect(c.status).toBe("answered");
    expect(firstLine(c.answer)).toContain("xã hội hóa");
    // the story does not make an off-topic question answerable
    expect((await qa.ask(`${story} Cho em hỏi giá vé xe buýt lên tỉnh là bao nhiêu ạ?`)).status).toBe("no_context");
  });

  it("'viết tắt của X là gì' and 'X viết tắt là gì trong kế hoạch …' ask for X's short form", async () => {
    for (const q of bothWays("tên viết tắt của giáo dục thường xuyên là gì")) {
      expect(termQuestionOf(q), q).toMatchObject({ abbreviation: true });
      expect(termQuestionOf(q)!.foldedTerm.join(" "), q).toBe("giao duc thuong xuyen");
      expect(firstLine((await qa.ask(q)).answer), q).toContain("GDTX");
    }
    for (const q of bothWays("cơ sở dữ liệu viết tắt là gì trong kế hoạch tân kỳ")) {
      expect(termQuestionOf(q)!.foldedTerm.join(" "), q).toBe("co so du lieu");
      expect(firstLine((await qa.ask(q)).answer), q).toContain("CSDL");
    }
    // a plain "là gì" question after other words is not a short form asked
    expect(termQuestionOf("học bạ số là gì")).toMatchObject({ abbreviation: false });
  });

  it("a passage split by school level leads with the level asked", async () => {
    for (const q of bothWays("hưng yên năm học 2021-2022 bậc tiểu học bao nhiêu trường dạy tin học")) {
      const r = await qa.ask(q);
      expect(firstLine(r.answer), q).toContain("57/170");
    }
    for (const q of bothWays("Hưng Yên: trung học cơ sở có mấy trường dạy tin học đầu năm học 2021-2022?"))
      expect(firstLine((await qa.ask(q)).answer), q).toContain("174/174");
  });
});
