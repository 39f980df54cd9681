import { describe, expect, it } from "vitest";
import { classifyMessage, looksLikeQuestion } from "../../core/intent.ts";

const cases: Array<[string, ReturnType<typeof classifyMessage>["kind"]]> = [
  // questions, with and without diacritics and punctuation
  ["chữ ký số là gì", "question"],
  ["chu ky so la gi", "question"],
  ["Chữ ký số là gì?", "question"],
  ["Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu", "question"],
  ["ty le giao vien co chu ky so phai dat bao nhieu", "question"],
  ["Bình dân học vụ số là gì", "question"],
  ["TTKDTM nghĩa là gì", "question"],
  ["học bạ số triển khai thế nào", "question"],
  ["khi nào phải nộp báo cáo quý", "question"],
  ["hạn nộp báo cáo tháng là ngày nào?", "question"],
  ["cho hỏi kế hoạch của xã Tân Kỳ có bao nhiêu chỉ tiêu", "question"],
  ["hỏi: học liệu số", "question"],
  ["Đơn vị nào chưa báo cáo tháng này?", "question"],
  ["Trường nào chưa đạt chỉ tiêu chữ ký số", "question"],
  ["phải báo cáo hằng tháng phải không", "question"],
  // greetings and thanks
  ["xin chào", "greeting"],
  ["Xin chào!", "greeting"],
  ["chao ban", "greeting"],
  ["hello", "greeting"],
  ["alo", "greeting"],
  ["cảm ơn", "thanks"],
  ["cam on nhieu", "thanks"],
  ["Cảm ơn bạn!", "thanks"],
  ["thanks", "thanks"],
  // requests to report
  ["báo cáo", "report_request"],
  ["bao cao", "report_request"],
  ["baocao", "report_request"],
  ["tôi muốn nộp báo cáo tháng này", "report_request"],
  ["nộp báo cáo tháng này", "report_request"],
  ["toi muon bao cao", "report_request"],
  ["làm báo cáo quý", "report_request"],
  // bare answers
  ["45/60", "answer_like"],
  ["45 trên 60 giáo viên", "answer_like"],
  ["75%", "answer_like"],
  ["12,5 %", "answer_like"],
  ["có", "answer_like"],
  ["chưa", "answer_like"],
  ["khong", "answer_like"],
  ["mức 2", "answer_like"],
  ["20 bài", "answer_like"],
  // neither
  ["tình hình báo cáo tháng 9", "other"],
  ["còn 2 giáo viên chờ cấp chứng thư số", "other"],
  ["giáo viên mới chuyển đến chưa được tập huấn", "other"],
  ["", "other"],
];

describe("classifyMessage", () => {
  it.each(cases)("%j → %s", (text, kind) => {
    expect(classifyMessage(text).kind).toBe(kind);
  });

  it("reads which period a request to report means", () => {
    expect(classifyMessage("nộp báo cáo tháng này")).toEqual({ kind: "report_request", when: "current" });
    expect(classifyMessage("tôi muốn báo cáo tháng trước")).toEqual({ kind: "report_request", when: "previous" });
    expect(classifyMessage("báo cáo")).toEqual({ kind: "report_request" });
  });

  it("reads decomposed (NFD) input the same as composed", () => {
    expect(looksLikeQuestion("chữ ký số là gì".normalize("NFD"))).toBe(true);
    expect(classifyMessage("xin chào".normalize("NFD")).kind).toBe("greeting");
  });

  it("does not take a reason for a question", () => {
    expect(looksLikeQuestion("do thiếu kinh phí mua chứng thư số")).toBe(false);
    expect(looksLikeQuestion("đang chờ Sở cấp tài khoản")).toBe(false);
  });
});
