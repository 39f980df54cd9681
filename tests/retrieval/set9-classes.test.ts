/**
 * Mechanisms generalised while tuning on set 9 (written as held-out, measured once, tuned on since) and from walking
 * the bot's local chat, each with phrasings that are in no eval set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS, declineText } from "../../bot/messages/qa.ts";
import { leadOf, unsupportedBy, wantsOf } from "../../core/retrieval/answer.ts";
import { indexTerms } from "../../core/retrieval/tokenize.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const bothWays = (q: string) => [q, fold(q)];

describe("set 9 mechanisms", () => {
  it("a message naming no topic (not knowing, a bare month or year, a filler) is greeted with examples, not answered with quotes", async () => {
    for (const q of [...bothWays("Em không biết nữa"), ...bothWays("tháng 11 ạ"), "năm 2026", ...bothWays("thế à"), ...bothWays("vậy hả bạn")]) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("no_context");
      expect(r.reason, q).toBe("smalltalk");
      expect(r.citations, q).toEqual([]);
      expect(declineText(r, false), q).toContain(QA_WORDS.examplesLead);
    }
    // a few words with a topic are still looked up
    for (const q of bothWays("hạn báo cáo tháng")) expect((await qa.ask(q)).status, q).toBe("answered");
    for (const q of bothWays("chữ ký số")) expect((await qa.ask(q)).status, q).toBe("answered");
  });

  it("where or how to sign up for a class or a programme is declined, pointing to the school and the commune's office", async () => {
    for (const q of [
      ...bothWays("Mẹ tôi muốn học dùng điện thoại thông minh thì đăng ký ở chỗ nào?"),
      ...bothWays("Lớp bồi dưỡng kỹ năng số cho giáo viên ghi danh bằng cách nào vậy?"),
      ...bothWays("Muốn tham gia lớp học an toàn thông tin thì đăng kí với ai"),
    ]) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("no_context");
      expect(r.reason, q).toBe("out_of_scope");
      expect(r.topic, q).toBe("enrolment");
      expect(declineText(r, false), q).toContain(QA_WORDS.offTopicNextStep.enrolment);
      expect(QA_WORDS.offTopicNextStep.enrolment).toContain("Văn hóa - Xã hội");
    }
  });

  it("a decline names the right kind: a USB token is no secret, a named person's phone or papers are personal, a past quarter's rate of the schools is report data, a joke 'cho đỡ buồn' is small talk", async () => {
    const cases: Array<[string, string]> = [
      ["Cài driver cho USB token để ký văn bản thế nào?", "out_of_scope"],
      ["Cho em số điện thoại cô Hoàng Lan, phụ trách thư viện trường Tiểu học Yên Thành", "personal_data"],
      ["Tra cứu giúp ngày sinh và quê quán của cô Lê Thu Hà dạy lớp 3A", "personal_data"],
      ["Số liệu chữ ký số tháng 9 của các trường trong xã thế nào rồi?", "report_data"],
      ["Tỷ lệ học bạ số quý 2 ở các trường huyện mình đạt bao nhiêu?", "report_data"],
      ["kể chuyện vui nghe cho đỡ chán đi bot", "smalltalk"],
    ];
    for (const [q, reason] of cases)
      for (const typed of bothWays(q)) {
        const r = await qa.ask(typed);
        expect(r.status, typed).not.toBe("answered");
        expect(r.reason, typed).toBe(reason);
      }
    // an office's own phone is still the office's contact; a plan's duty about pupils' birth dates is still answered
    expect((await qa.ask("Số điện thoại cơ quan Phòng GD Đầm Hà là gì?")).topic).toBe("office_contact");
    expect((await qa.ask("Các trường cập nhật ngày sinh của học sinh lên CSDL ngành khi nào?")).status).toBe("answered");
  });

  it("a salary typed without marks ('luong giao vien … bao nhieu') is money the plans never state; a quality or a quantity is not", async () => {
    const passage = "100% giáo viên được bồi dưỡng kỹ năng số";
    expect(unsupportedBy("luong co ban cua giao vien mam non bay gio la bao nhieu vay", passage)).toBe("money");
    expect(unsupportedBy("luong nhan vien thu vien truong tieu hoc khoang bao nhieu", passage)).toBe("money");
    expect(unsupportedBy("chat luong giao vien mam non phai dat bao nhieu", passage)).toBeNull();
    const r = await qa.ask("luong hop dong giao vien tieng anh tieu hoc la bao nhieu");
    expect(r.status).not.toBe("answered");
  });

  it("a long sentence cut at ';' inside a parenthesis: the clause after the cut carries the sentence before it", () => {
    const text =
      "Hằng quý (chậm nhất ngày 15 của tháng đầu quý sau) và cuối năm (trước ngày 05/12), các đơn vị gửi báo cáo sơ kết về việc ứng dụng học liệu số, thư viện số, phần mềm quản lý trường học và các kết quả đạt được cho cơ quan quản lý trực tiếp (các trung tâm giáo dục nghề nghiệp gửi về Sở bằng văn bản điện tử có ký số của thủ trưởng đơn vị; các trường mầm non, tiểu học gửi về Phòng Văn hóa - Xã hội của xã, phường) để tổng hợp, báo cáo Ủy ban nhân dân tỉnh theo đúng quy định hiện hành.";
    expect(text.length).toBeGreaterThan(420);
    const q = "Trường mầm non gửi báo cáo sơ kết về phòng văn hóa xã hội chậm nhất ngày nào?";
    const asked = indexTerms(q);
    const coverage = (terms: Set<string>) => asked.filter((t) => terms.has(t)).length / asked.length;
    const lead = leadOf({ kind: "body", text }, coverage, wantsOf(q), 2000, q);
    expect(lead).toContain("chậm nhất ngày 15");
    expect(lead).toContain("Phòng Văn hóa - Xã hội");
  });

  it("a table cell that states the amount asked in its first characters is led with them, not with a later item with no figure", () => {
    const text =
      "Danh mục nhiệm vụ: Phát triển thư viện số; Nội dung: - Rà soát danh mục sách điện tử của các trường trên địa bàn. - Thí điểm thư viện số dùng chung tại 05 trường tiểu học & 03 trường THCS trong năm 2023, gồm các việc sau: + Số hoá sách giáo khoa và tài liệu tham khảo. + Mua bản quyền phần mềm quản lý thư viện. + Tập huấn cán bộ thư viện, giáo viên, học sinh và phụ huynh sử dụng thư viện số; Thời gian: 2023";
    const q = "Em là cán bộ thư viện, đang tập huấn giáo viên và phụ huynh. Năm 2023 thí điểm thư viện số ở bao nhiêu trường?";
    const asked = indexTerms(q);
    const coverage = (terms: Set<string>) => asked.filter((t) => terms.has(t)).length / asked.length;
    const lead = leadOf({ kind: "table_row", text }, coverage, wantsOf(q), 2000, q);
    expect(lead).toContain("05 trường tiểu học");
  });
});

