/**
 * Classes of question from the plans' body text, typed as in a phone chat (added while tuning on tune-body),
 * each with phrasings that are in no eval set: chat shorthand and fillers, a plan's place typed by its initials,
 * the reporting schedule, the source of funding, and who does what in the organisation sections.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { contentGroups, spellOutChat } from "../../core/retrieval/tokenize.ts";
import { declineReasonOf, namesUnitOf, termQuestionOf, unitOfHeading, wantsOf, withUnit } from "../../core/retrieval/answer.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const firstLine = (a: string) => a.trim().split("\n")[0]!;

describe("chat shorthand is spelled out, not taken for a topic no plan covers", () => {
  it("spells out bn, ko, dc, vs, gd and drops the admin greeting; GD&ĐT stays the sector's name", () => {
    expect(spellOutChat("ad oi bn truong ko dc hoc vs gd")).toBe("oi bao nhiêu truong không được hoc với giáo dục");
    expect(spellOutChat("Sở GD&ĐT, GD-ĐT và GD ĐT")).toBe("Sở GD&ĐT, GD-ĐT và GD ĐT");
    expect(spellOutChat("admin cho hỏi")).toBe("cho hỏi");
    expect(spellOutChat("cho e hỏi mk có bít ko")).toBe("cho em hỏi mình có biết không");
    expect(spellOutChat("phần mềm E-learning, thư ad@moet.edu.vn, lớp K12")).toBe("phần mềm E-learning, thư ad@moet.edu.vn, lớp K12");
    expect(spellOutChat("có bắt buộc ko. cảm ơn ad.")).toBe("có bắt buộc không. cảm ơn .");
  });
  it("answers a body-text question typed with 'ad', 'bn' and 'ko'", async () => {
    const r = await qa.ask("ad ơi hưng yên có bn giáo viên tin học tiểu học vậy");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("43");
    const s = await qa.ask("trường công lập ninh bình có phải thanh toán không dùng tiền mặt ko ad");
    expect(s.status).toBe("answered");
  });
  it("a plan's place typed by its initials names that plan", async () => {
    const r = await qa.ask("HY có bao nhiêu % cuộc họp của Sở tổ chức trực tuyến năm học 2020-2021");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("Hưng Yên");
    expect(firstLine(r.answer)).toContain("80%");
  });
});

describe("the reporting schedule and the source of funding are asked of the plan's body", () => {
  it("wantsOf tells a report's deadline and a funding source from other questions", () => {
    expect(wantsOf("Báo cáo tháng gửi Sở hạn chót trước ngày mấy?").report).toBe(true);
    expect(wantsOf("Ai tổng hợp báo cáo kết quả?").report).toBeUndefined();
    expect(wantsOf("Tiền làm chuyển đổi số ở trường lấy từ nguồn nào?").funding).toBe(true);
    expect(wantsOf("Kinh phí chuyển đổi số có bao nhiêu tỷ?").funding).toBeUndefined();
  });
  it("a monthly report's deadline comes from the reporting sentence, not from a target's deadline", async () => {
    // the plan's title ("chuyển đổi số") and the passage's headings count for the passage; "chót" is an everyday word
    const r = await qa.ask("hạn chót nộp báo cáo hằng tháng chuyển đổi số của ninh bình là ngày mấy");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("trước ngày 20");
  });
  it("where the money comes from is answered from the funding section", async () => {
    const r = await qa.ask("kinh phí chuyển đổi số giáo dục ở đầm hà lấy từ nguồn nào vậy");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toMatch(/[Nn]guồn kinh phí|[Nn]gân sách/);
  });
});

describe("who does what: a task listed under a unit's heading leads with that unit", () => {
  it("unitOfHeading finds the unit of an organisation section only", () => {
    expect(unitOfHeading("TỔ CHỨC THỰC HIỆN / Các cơ sở giáo dục trên địa bàn xã")).toBe("Các cơ sở giáo dục trên địa bàn xã");
    expect(unitOfHeading("TỔ CHỨC THỰC HIỆN / 1. Phòng Văn hóa - Xã hội xã:")).toBe("Phòng Văn hóa - Xã hội xã");
    expect(unitOfHeading("NHIỆM VỤ VÀ GIẢI PHÁP / Phát triển hạ tầng kỹ thuật")).toBeNull();
    expect(withUnit("Là bộ phận tham mưu.", "TỔ CHỨC THỰC HIỆN / Phòng Văn hóa - Xã hội xã", wantsOf("Ai tham mưu?"))).toBe("Phòng Văn hóa - Xã hội xã: Là bộ phận tham mưu.");
    expect(withUnit("Là bộ phận tham mưu.", "TỔ CHỨC THỰC HIỆN / Phòng Văn hóa - Xã hội xã", wantsOf("Tham mưu việc gì?"))).toBe("Là bộ phận tham mưu.");
  });
  it("answers who, typed without diacritics, with the unit of the section", async () => {
    const r = await qa.ask("o xa tan ky don vi nao theo doi don doc cac truong cap nhat du lieu nganh");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("Phòng Văn hóa - Xã hội");
  });
});

describe("terms, web addresses and report deadlines asked of one plan", () => {
  it("the plan or place a term is asked of is not part of the term; a longer tail asks something else", () => {
    expect(termQuestionOf("LMS trong kế hoạch Tân Kỳ nghĩa là gì?")?.term).toBe("LMS");
    expect(termQuestionOf("TTKDTM ở huyện Đầm Hà là gì")?.term).toBe("TTKDTM");
    expect(termQuestionOf("Văn bản của Phòng giáo dục Đầm Hà có ký hiệu là gì?")?.term).not.toBe("Văn bản");
  });
  it("an abbreviation asked of a named plan is answered with its expansion", async () => {
    const r = await qa.ask("SSO trong kế hoạch của Tân Kỳ viết tắt là gì");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("đăng nhập một lần");
  });
  it("a web address asked leads with the sentence that prints it", async () => {
    expect(wantsOf("phần mềm quản lý văn bản ở đầm hà có link nào").web).toBe(true);
    const r = await qa.ask("các trường ninh bình nộp báo cáo qua đường dẫn nào");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("forms.gle");
  });
});

describe("what a unit must do comes from its own part of the organisation section", () => {
  it("namesUnitOf matches a unit by its words, abbreviations and synonyms", () => {
    expect(namesUnitOf("ủy ban xã phường ninh bình cần làm những gì", "TỔ CHỨC THỰC HIỆN / Đề nghị UBND các xã, phường")).toBe(true);
    expect(namesUnitOf("các trường phải làm gì", "TỔ CHỨC THỰC HIỆN / Đề nghị UBND các xã, phường")).toBe(false);
    expect(wantsOf("nhiệm vụ của các trường trên địa bàn xã là gì").duty).toBe(true);
  });
  it("leads with the unit's first task", async () => {
    const r = await qa.ask("ninh binh: uy ban nhan dan cac xa phuong can lam nhung gi ve chuyen doi so giao duc");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("Chỉ đạo các cơ sở giáo dục trực thuộc");
  });
});

describe("a kind of school is not one named school", () => {
  it("'trường TH THCS' typed without a comma is a kind of school; 'Trường THCS Kim Sơn' is one school", async () => {
    expect(declineReasonOf("tỉ lệ trường MN TH ở Ninh Bình có mạng LAN là bao nhiêu")).toBeNull();
    expect(declineReasonOf("Trường THCS Kim Sơn có bao nhiêu phòng máy?")).toBe("school_matter");
    const r = await qa.ask("có bao nhiêu phần trăm trường TH THCS ở Đầm Hà tổ chức giáo dục STEM");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("80%");
  });
});

describe("a school level within the plans' 'học sinh trung học'", () => {
  it("a THPT or THCS question is covered by 'học sinh trung học', not by another level's name", async () => {
    expect(contentGroups("hs thpt").find((g) => g[0] === "thpt")).toContain("sinh_trung_hoc");
    const r = await qa.ask("học sinh THPT ở ninh bình có phải được trang bị kỹ năng số ko");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("100% học sinh trung học");
  });
});
