/**
 * Classes of question added while tuning on set 4, each with phrasings that are in no eval set: report status
 * ("which units have not yet…", "has the target been met?"), a school's own events, an address or a forecast, a
 * vendor, a document the data only cites, a comparison of named plans, a task's product, an English name, the
 * asker's child, and whole-word cues ("phải làm" is not "ai làm", "nhóm nào" not "hôm nào").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS, declineText } from "../../bot/messages/qa.ts";
import {
  appendixRowAsked,
  citationOf,
  declineReasonOf,
  documentNumbersIn,
  englishNameAsked,
  englishNamesIn,
  offTopicOf,
  unsupportedBy,
  wantsOf,
} from "../../core/retrieval/answer.ts";
import { foldSyllable, questionContent } from "../../core/retrieval/tokenize.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const bothWays = (q: string) => [q, fold(q)];
const firstLine = (a: string) => a.trim().split("\n")[0]!;

describe("cues match whole words", () => {
  it("'phải làm' does not ask who, 'nhóm nào' does not ask for a day", () => {
    for (const q of bothWays("Các trường có phải làm sổ điểm điện tử không?")) expect(wantsOf(q).who, q).toBe(false);
    for (const q of bothWays("Ai làm đầu mối chuyển đổi số ở trường?")) expect(wantsOf(q).who, q).toBe(true);
    const passage = "Phấn đấu đưa ngành giáo dục vào nhóm dẫn đầu về chuyển đổi số.";
    for (const q of bothWays("Ngành giáo dục phấn đấu vào nhóm nào về chuyển đổi số?")) expect(unsupportedBy(q, passage), q).toBeNull();
    for (const q of bothWays("Ngày hội chuyển đổi số tổ chức hôm nào?")) expect(unsupportedBy(q, passage), q).toBe("day");
  });

  it("the asker's child is not content: 'trường của con', 'lớp con'", () => {
    const words = questionContent("Lớp con có phải dùng sổ liên lạc điện tử không?").map(foldSyllable);
    expect(words).not.toContain("con");
    expect(words).toContain("lien");
    // a "con" that is content stays ("con số", "con người")
    expect(questionContent("Chỉ tiêu con số cụ thể là gì?").map(foldSyllable)).toContain("con");
  });
});

describe("report status and a school's own business", () => {
  it("which units have not yet done a target, or whether it was met, is report data", () => {
    for (const q of [
      "Các xã nào ở Tân Kỳ vẫn chưa triển khai học bạ số?",
      "Cơ sở nào của Hưng Yên chưa có phòng học thông minh?",
      "Đầm Hà đã hoàn thành chỉ tiêu chữ ký số cho giáo viên chưa?",
    ])
      for (const typed of bothWays(q)) expect(declineReasonOf(typed), typed).toBe("report_data");
    // what the plan chose or requires is not report data
    for (const q of ["Trường nào được chọn làm điển hình chuyển đổi số ở Đầm Hà?", "Đến khi nào các trường phải hoàn thành học bạ số?"])
      expect(declineReasonOf(q), q).toBeNull();
  });

  it("a school's event asked by its date is the school's calendar; a plan's online meetings are not", () => {
    for (const typed of bothWays("Hôm nào lớp họp cha mẹ học sinh cuối kỳ?"))
      expect(offTopicOf(typed), typed).toEqual({ reason: "school_matter", topic: "school_calendar" });
    expect(offTopicOf("Đầm Hà hướng dẫn họp phụ huynh trực tuyến bằng nền tảng nào?")).toBeNull();
  });

  it("an address asked with its street, and a storm forecast, are off topic", () => {
    for (const typed of bothWays("Phòng Giáo dục Đầm Hà ở chỗ nào, phố nào?"))
      expect(offTopicOf(typed), typed).toEqual({ reason: "out_of_scope", topic: "office_contact" });
    for (const typed of bothWays("Có dự báo mưa lớn ở Hưng Yên tuần sau không?"))
      expect(offTopicOf(typed), typed).toEqual({ reason: "out_of_scope", topic: "news" });
  });

  it("a bank, e-wallet or carrier to choose is never in a plan; a unit or platform asked 'nào' is", async () => {
    const passage = "Triển khai thanh toán không dùng tiền mặt trong trường học.";
    for (const q of ["Nên mở tài khoản ở ngân hàng nào để nộp tiền ăn cho con?", "Nhà mạng nào có gói cước ưu đãi cho giáo viên?"])
      for (const typed of bothWays(q)) expect(unsupportedBy(typed, passage), typed).toBe("vendor");
    expect(unsupportedBy("Đơn vị nào chủ trì thanh toán không dùng tiền mặt?", passage)).toBeNull();
    const r = await qa.ask("Phụ huynh ở Tân Kỳ nên dùng ví điện tử nào để trả tiền học cho con?");
    expect(r).toMatchObject({ status: "no_context", reason: "out_of_scope", citations: [] });
  });
});

describe("what the question pins down must be in the passage", () => {
  it("a number or the thing a yes/no question asks about that the closest passage lacks is declined, saying which", async () => {
    const grade = await qa.ask("Năm 2026 học sinh lớp 11 ở Tân Kỳ được cấp văn bằng số lúc nào?");
    expect(grade).toMatchObject({ status: "no_context", reason: "out_of_scope", missing: "lớp 11", citations: [] });
    expect(declineText(grade, false).split("\n")[0]).toBe(QA_WORDS.notStated("lớp 11"));
    for (const q of bothWays("Học viên Bình dân học vụ số học xong có được cấp bằng không?")) {
      const r = await qa.ask(q);
      expect(r, q).toMatchObject({ status: "no_context", reason: "out_of_scope" });
      expect(fold(r.missing ?? ""), q).toBe("cap bang");
    }
  });

  it("what the passage holds is answered: the asker's child's grade is not a specific", async () => {
    // "nhận tiền" for the plans' "thanh toán": half of what is asked is enough
    for (const q of ["Ở Đầm Hà, giáo viên có được cấp chữ ký số không?", "Con tôi học lớp 5 ở Tân Kỳ, trường có triển khai học bạ số không?", "Ở Tân Kỳ, trường có nhận tiền không dùng tiền mặt không?"]) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.missing, q).toBeUndefined();
    }
  });
});

describe("a document the data only cites", () => {
  it("finds document numbers, not years", () => {
    expect(documentNumbersIn("Quyết định 1468/QĐ-BGDĐT và kế hoạch số 3625 nói gì?")).toEqual(["1468", "3625"]);
    expect(documentNumbersIn("kế hoạch 2026 của Tân Kỳ đặt chỉ tiêu gì?")).toEqual([]);
    const cite = citationOf("Căn cứ Luật Giáo dục; Thực hiện Công văn số 77/SGDĐT-VP ngày 02/01/2025 của Sở về việc báo cáo; Kế hoạch khác.", "77");
    expect(cite).toEqual({ name: "Công văn số 77/SGDĐT-VP", clause: "Công văn số 77/SGDĐT-VP ngày 02/01/2025 của Sở về việc báo cáo" });
  });

  it("its content is declined naming it and the plan citing it; its date is answered from the citation", async () => {
    const content = await qa.ask("Kế hoạch 3625 của Sở GDĐT Quảng Ninh giao cho trường học những chỉ tiêu nào?");
    expect(content).toMatchObject({ status: "no_context", reason: "out_of_scope", citations: [] });
    expect(content.document?.name).toMatch(/3625/);
    expect(content.document?.citedBy.join(" ")).toMatch(/Đầm Hà/);
    const text = declineText(content, false);
    expect(text.split("\n")[0]).toBe(QA_WORDS.citedOnly(content.document!.name, content.document!.citedBy));
    expect(text).toContain(QA_WORDS.askOfficer);
    const date = await qa.ask("Kế hoạch số 3625/KH-SGDĐT được ký ngày nào?");
    expect(date.status).toBe("answered");
    expect(firstLine(date.answer)).toMatch(/11\/12\/2023/);
    // a plan's own task about the cited document answers for it
    const task = await qa.ask("Theo Đề án 06, Tân Kỳ phải đồng bộ dữ liệu gì?");
    expect(task.status).toBe("answered");
    expect(firstLine(task.answer)).toMatch(/^Theo kế hoạch Tân Kỳ \(KH 2026\): .*Đề án 06/);
    const unknown = await qa.ask("Kế hoạch 9817/KH-UBND yêu cầu những gì về học bạ số?");
    expect(unknown).toMatchObject({ status: "no_context", reason: "out_of_scope", document: { citedBy: [] } });
    expect(declineText(unknown, false).split("\n")[0]).toBe(QA_WORDS.noDocument(unknown.document!.name));
  });
});

describe("answers by what is asked", () => {
  it("a question naming two plans answers from each, and says which one does not cover it", async () => {
    const both = await qa.ask("Chữ ký số ở Ninh Bình và Tân Kỳ đặt chỉ tiêu bao nhiêu?");
    expect(both.status).toBe("answered");
    const lead = both.answer.split(/\n\s*\n/)[0]!;
    expect(lead).toMatch(/^• Tân Kỳ \(KH 2026\): .*\d+%/m);
    expect(lead).toMatch(/^• Ninh Bình \(KH 27\/KH-SGDĐT\): .*\d+%/m);
    expect(both.answer).toContain(QA_WORDS.comparison.named);
    // the Hưng Yên plan never mentions học bạ số
    const one = await qa.ask("Học bạ số ở Hưng Yên và ở Tân Kỳ đặt mục tiêu ra sao?");
    const lead2 = one.answer.split(/\n\s*\n/)[0]!;
    expect(lead2).toMatch(/^• Tân Kỳ \(KH 2026\): .*học bạ số/m);
    expect(lead2).toContain(`• Hưng Yên (KH 504/KH-SGDĐT): ${QA_WORDS.comparison.notCovered}`);
  });

  it("a place named with its province ('xã Đầm Hà, tỉnh Quảng Ninh') is answered from the plan, not its document facts", async () => {
    for (const q of bothWays("Ở xã Đầm Hà, tỉnh Quảng Ninh, chỉ tiêu chữ ký số cho nhà giáo là bao nhiêu?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(firstLine(r.answer), q).toMatch(/^Theo kế hoạch Đầm Hà \(KH 2024\): .*\d+%.*chữ ký số/);
    }
    const tk = await qa.ask("Tân Kỳ, thành phố Hải Phòng: tỷ lệ trường triển khai học bạ số năm 2026?");
    expect(firstLine(tk.answer)).toMatch(/học bạ số — 100%/);
  });

  it("a task's product asked by name leads with the product cell", async () => {
    for (const q of bothWays("Ở Tân Kỳ, việc thí điểm trí tuệ nhân tạo trong dạy học có đầu ra là gì?")) {
      expect(wantsOf(q).column, q).toBe("product");
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(firstLine(r.answer), q).toMatch(/sản phẩm\/Kết quả: /);
    }
  });

  it("a long list cell leads with the item the question asks about, not its first 200 characters", async () => {
    for (const q of bothWays("Trường học số ở Hưng Yên có hỗ trợ xây dựng lộ trình triển khai không?")) {
      const r = await qa.ask(q);
      expect(firstLine(r.answer), q).toMatch(/nội dung, quy mô đầu tư: Hỗ trợ xây dựng lộ trình triển khai trường học số/);
    }
    // asked about the first items, the cell starts as printed
    expect(firstLine((await qa.ask("Hưng Yên thí điểm trường học số ở bao nhiêu trường THPT?")).answer)).toMatch(/10 trường THPT/);
  });

  it("a numbered appendix row is answered from that row of the plan named", async () => {
    expect(appendixRowAsked("Nhiệm vụ thứ 8 của phụ lục II là gì?")).toEqual({ appendix: "2", row: "8", kind: "nhiem vu" });
    expect(appendixRowAsked("Chỉ tiêu số 8 là gì?")).toBeNull();
    for (const q of bothWays("Ở Tân Kỳ, nhiệm vụ thứ 8 trong phụ lục 2 là nhiệm vụ gì?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(firstLine(r.answer), q).toMatch(/phụ lục 2, dòng 8: .*LMS/);
      expect(r.citations[0]!.section).toBe("Phụ lục 2, dòng 8");
    }
  });

  it("'X gọi bằng tiếng Anh là gì?' quotes the English name the plan gives X", async () => {
    expect(englishNameAsked("Học kết hợp ở Đầm Hà gọi bằng tiếng Anh là gì?")).toEqual(["hoc", "ket", "hop"]);
    expect(englishNameAsked("Trường có dạy tiếng Anh cho học sinh không?")).toBeNull();
    expect(englishNamesIn("phòng thí nghiệm (Lab), công nghệ giáo dục (Edtech) và hệ thống (LMS)").map((e) => e.english)).toEqual(["Lab", "Edtech"]);
    for (const q of bothWays("Mô hình học trực tuyến kết hợp với trực tiếp gọi bằng tiếng Anh là gì?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(firstLine(r.answer), q).toMatch(/Blended Learning/);
    }
  });
});
