/**
 * Classes of question added while tuning on set 7 (written as held-out, measured once, tuned on since), each with
 * phrasings that are in no eval set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { citationOf, declineReasonOf, offTopicOf, termQuestionOf, unsupportedBy, wantsOf } from "../../core/retrieval/answer.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const bothWays = (q: string) => [q, fold(q)];

describe("set 7 classes", () => {
  it("a count of what exists asked as 'có tất cả / tổng cộng bao nhiêu' is declined", async () => {
    for (const q of bothWays("Xã Tân Kỳ có tổng cộng bao nhiêu lớp học và bao nhiêu giáo viên?")) {
      expect(unsupportedBy(q, "Phấn đấu 100% giáo viên sử dụng chữ ký số."), q).toBe("count");
      const r = await qa.ask(q);
      expect(r.status, q).toBe("no_context");
    }
    // a target rate is not a count
    expect(unsupportedBy("Có tất cả bao nhiêu phần trăm giáo viên phải có chữ ký số?", "100% giáo viên")).toBeNull();
  });

  it("units' reporting status (how many/what share have reported or entered data, a week's totals) is report data", async () => {
    for (const q of [
      ...bothWays("Xem giúp tôi tỷ lệ đơn vị đã nhập dữ liệu quý này"),
      ...bothWays("Bao nhiêu trường đã cập nhật số liệu lên hệ thống rồi?"),
      ...bothWays("Thống kê giúp tôi số liệu các đơn vị gửi lên trong tuần này"),
    ])
      expect(declineReasonOf(q), q).toBe("report_data");
    // who aggregates the units' reports is a plan's question
    for (const q of bothWays("Các trường đã báo cáo thì đơn vị nào tổng hợp?")) {
      expect(declineReasonOf(q), q).toBeNull();
      expect((await qa.ask(q)).status, q).toBe("answered");
    }
  });

  it("one person's identifier (mã định danh, CCCD of a child, a teacher) is personal data; the plans' identifier platform is not", async () => {
    for (const q of [...bothWays("Mã định danh của cháu tôi trên hệ thống là gì?"), ...bothWays("Cho xin số căn cước của cô chủ nhiệm")])
      expect(declineReasonOf(q), q).toBe("personal_data");
    for (const q of bothWays("Mã định danh của học sinh được quản lý trên nền tảng nào?")) {
      expect(declineReasonOf(q), q).toBeNull();
      expect((await qa.ask(q)).status, q).toBe("answered");
    }
  });

  it("an application's papers or a ready-made template is declined; the plans' own records are not", async () => {
    for (const q of [
      ...bothWays("Hồ sơ xin cấp tài khoản định danh điện tử gồm những gì?"),
      ...bothWays("Muốn mở lớp học trực tuyến thì phải chuẩn bị những giấy tờ nào?"),
      ...bothWays("Xin mẫu tờ trình mua sắm thiết bị phòng học thông minh"),
    ]) {
      expect(unsupportedBy(q, "100% cơ sở giáo dục triển khai dạy học trực tuyến."), q).toBe("papers");
      expect((await qa.ask(q)).status, q).toBe("no_context");
    }
    for (const q of bothWays("Các trường ở Tân Kỳ phải số hóa những hồ sơ nào?")) {
      expect(unsupportedBy(q, "giảm dần việc sử dụng hồ sơ giấy"), q).toBeNull();
      expect((await qa.ask(q)).status, q).toBe("answered");
    }
  });

  it("newly issued rules asked as news are declined; a plan's own documents and a plan's new rules are not", async () => {
    for (const q of [...bothWays("Chính phủ vừa ban hành nghị định mới nào về dữ liệu giáo dục chưa?"), ...bothWays("Có văn bản mới nhất nào về dạy học trực tuyến không?")])
      expect(offTopicOf(q)?.topic, q).toBe("news");
    for (const q of [...bothWays("Kế hoạch Ninh Bình căn cứ văn bản mới nhất nào?"), ...bothWays("Sở yêu cầu các trường ban hành quy chế mới về an toàn thông tin không?")])
      expect(offTopicOf(q), q).toBeNull();
    for (const q of bothWays("Sở yêu cầu các trường ban hành quy chế mới về an toàn thông tin không?")) expect((await qa.ask(q)).status, q).toBe("answered");
  });

  it("a cited document numbered with its year ('số 09/2021/TT-BGDĐT') is found; of two sharing a number, the one the question describes", async () => {
    expect(citationOf("theo Thông tư số 12/2019/TT-BGDĐT ngày 01/02/2019 về dạy học", "12")?.name).toBe("Thông tư số 12/2019/TT-BGDĐT");
    for (const q of bothWays("Kế hoạch Đầm Hà dẫn Thông tư 09 về quản lý, tổ chức dạy học trực tuyến, thông tư đó ký ngày nào?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer.split("\n")[0], q).toContain("09/2021/TT-BGDĐT");
    }
    for (const q of bothWays("Kế hoạch Đầm Hà dẫn Thông tư 09 về chỉ số thống kê giáo dục, đó là văn bản số mấy?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer.split("\n")[0], q).toContain("09/2022/TT-BGDĐT");
    }
  });

  it("a term named in a scene-setting clause and asked by a demonstrative ('…, viết tắt đó là gì') is the term asked", async () => {
    for (const q of bothWays("Kế hoạch Tân Kỳ có ghi SSO, từ này nghĩa là gì?")) {
      expect(termQuestionOf(q)?.foldedTerm, q).toEqual(["sso"]);
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer.split("\n")[0], q).toContain("đăng nhập một lần");
    }
    expect(termQuestionOf("Trong kế hoạch có nhắc LMS, LMS là gì?")?.foldedTerm).toEqual(["lms"]);
    // no term named before the demonstrative: not a term question of the clause's other words
    expect(termQuestionOf("Kế hoạch Tân Kỳ có nhiều chỉ tiêu về học bạ số và văn bằng số, cái đó là gì?")).toBeNull();
  });

  it("'khớp' (data matched against a national database) is the plans' 'xác thực'", async () => {
    for (const q of bothWays("Xã Tân Kỳ có yêu cầu đối khớp dữ liệu học sinh với CSDL dân cư không?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer, q).toContain("xác thực");
    }
  });

  it("the words asking for a comparison ('có như nhau không', 'khác biệt ra sao') are not content a passage must hold", async () => {
    for (const q of bothWays("Chữ ký số cho giáo viên, Ninh Bình với Tân Kỳ có giống nhau không?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer, q).toContain("Ninh Bình");
      expect(r.answer, q).toContain("Tân Kỳ");
    }
    // what the plans do not hold is still declined, compared or not
    for (const q of bothWays("Mức lương giáo viên tin học ở Đầm Hà với Hưng Yên có khác biệt không?")) expect((await qa.ask(q)).status, q).toBe("no_context");
  });

  it("a plan named after the term without capitals ('… trong kế hoạch chuyển đổi số hưng yên') is not part of the term", async () => {
    for (const q of bothWays("PPP trong kế hoạch chuyển đổi số ngành giáo dục hưng yên nghĩa là gì")) {
      expect(termQuestionOf(q)?.foldedTerm, q).toEqual(["ppp"]);
      expect((await qa.ask(q)).answer.split("\n")[0], q).toContain("đối tác công tư");
    }
  });

  it("where the money comes from, asked with the plan's whole title, is answered from the plan's funding section", async () => {
    for (const q of bothWays("Kế hoạch chuyển đổi số ngành Giáo dục và Đào tạo năm 2025 của Ninh Bình: tiền thực hiện lấy từ đâu?")) {
      const r = await qa.ask(q);
      expect(r.status, q).toBe("answered");
      expect(r.answer.split("\n")[0], q).toContain("ngân sách nhà nước");
    }
  });

  it("'ai lo …' asks for the unit in charge, as 'ai chủ trì …' does", async () => {
    const q = "Ninh Bình thì ai lo khoản thanh toán không dùng tiền mặt ở các trường?";
    for (const x of bothWays(q)) {
      const r = await qa.ask(x);
      expect(r.answer.split("\n")[0], x).toContain("Phòng Tài chính");
    }
  });

  it("'trước hôm nào' asks for a deadline, as 'trước ngày nào' does (the lead gives it)", async () => {
    expect(wantsOf("Báo cáo năm phải gửi trước hôm nào?").when).toBe(true);
    for (const q of bothWays("Ninh Bình: các trường phải ban hành kế hoạch hưởng ứng Ngày chuyển đổi số quốc gia trước hôm nào?")) {
      const r = await qa.ask(q);
      expect(r.answer.split("\n")[0], q).toContain("10/10/2025");
    }
  });
});
