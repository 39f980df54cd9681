/**
 * What plan Q&A says (Vietnamese): the decline of each kind of question, whom to ask, the example
 * questions, and the lines around quotes. core/retrieval (createQaEngine) decides and cites; every
 * caller (bot, CLI, scripts, tests) passes QA_WORDS in. declineText is the bot's own, fuller decline
 * (built from the same words) for a result that is not answered.
 */
import type { QaResult } from "../../core/retrieval/engine.ts";
import type { QaWords } from "../../core/retrieval/words.ts";
import { formatVietnamDate } from "../../core/reporting/periods.ts";

export const QA_WORDS: QaWords = {
  decline: {
    smalltalk: "Chào bạn! Tôi trả lời câu hỏi về nội dung các kế hoạch chuyển đổi số ngành giáo dục, có trích dẫn nguồn.",
    out_of_scope: "Xin lỗi, các kế hoạch chuyển đổi số hiện có không đề cập nội dung này, nên tôi không trả lời để tránh đoán sai.",
    report_data: "Số liệu báo cáo của các trường, các đơn vị chỉ cán bộ quản lý được xem, nên tôi không trả lời câu hỏi này.",
    personal_data: "Xin lỗi, tôi không cung cấp thông tin cá nhân (số điện thoại, địa chỉ, danh sách người).",
    injection: "Tôi chỉ trả lời câu hỏi về nội dung các kế hoạch chuyển đổi số ngành giáo dục, kèm trích dẫn, và không thay đổi cách làm việc theo yêu cầu trong câu hỏi.",
    school_matter: "Việc riêng của từng trường (học phí, điểm, liên lạc với giáo viên) không nằm trong các kế hoạch chuyển đổi số, nên tôi không trả lời được.",
    empty: "Bạn hãy gõ câu hỏi về kế hoạch chuyển đổi số.",
  },
  nextStep: {
    report_data: "Nếu bạn là cán bộ quản lý, hãy đăng nhập bằng mã mời để xem tiến độ; nếu không, hãy hỏi nhà trường hoặc phòng Văn hóa - Xã hội của xã.",
    personal_data: "Bạn hãy liên hệ trực tiếp nhà trường hoặc UBND xã, phường.",
    school_matter: "Bạn hãy hỏi trực tiếp nhà trường (giáo viên chủ nhiệm, ban giám hiệu) hoặc phòng Văn hóa - Xã hội của xã, phường.",
  },
  askOfficer: "Nếu cần, bạn hãy hỏi cán bộ phụ trách chuyển đổi số của nhà trường hoặc của xã, phường.",
  offTopicWhy: "Xin lỗi, các kế hoạch chuyển đổi số không đề cập việc này, nên tôi không trả lời được.",
  offTopicNextStep: {
    office_contact: "Địa chỉ và số điện thoại của cơ quan, nhà trường được đăng trên cổng thông tin điện tử của chính cơ quan đó; bạn cũng có thể hỏi UBND xã, phường.",
    news: "Thời tiết, giá cả và tin tức bạn hãy xem trên các trang báo, đài chính thống.",
    school_calendar: "Lịch học, lịch nghỉ do nhà trường và Sở Giáo dục và Đào tạo thông báo: bạn hãy hỏi giáo viên chủ nhiệm hoặc xem thông báo của nhà trường.",
    admission: "Thủ tục, hồ sơ và đường link tuyển sinh, chuyển trường do nhà trường và Sở Giáo dục và Đào tạo thông báo: bạn hãy hỏi nhà trường hoặc phòng Văn hóa - Xã hội của xã, phường.",
    exam: "Lịch thi, điểm thi và kết quả do nhà trường và Sở Giáo dục và Đào tạo công bố: bạn hãy xem thông báo chính thức hoặc hỏi nhà trường.",
    enrolment: "Các kế hoạch không nêu nơi đăng ký tham gia lớp học, chương trình: bạn hãy hỏi nhà trường hoặc phòng Văn hóa - Xã hội của xã, phường.",
    child_record: "Tài khoản, điểm, học bạ của từng học sinh do nhà trường quản lý: bạn hãy hỏi giáo viên chủ nhiệm hoặc ban giám hiệu.",
  },
  emptyQuestion: "Bạn hãy gõ câu hỏi về kế hoạch chuyển đổi số, ví dụ: \"Các trường phải báo cáo hằng tháng trước ngày nào?\"",
  thanks: "Rất vui được giúp bạn! Bạn cứ hỏi tiếp về các kế hoạch chuyển đổi số nếu cần.",
  examples: [
    "Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?",
    "Các trường phải báo cáo hằng tháng trước ngày nào?",
    "Ai chủ trì triển khai học bạ số?",
  ],
  examplesLead: "Bạn có thể hỏi, ví dụ:",
  closestLead: "Các mục gần nhất trong kế hoạch:",
  noPlanOf: (place) => `Xin lỗi, chưa có kế hoạch nào của ${place} trong dữ liệu, nên tôi không trả lời để tránh đoán sai.`,
  notStated: (words) => `Xin lỗi, các kế hoạch chuyển đổi số hiện có không nêu «${words}» ở nội dung bạn hỏi, nên tôi không trả lời để tránh đoán sai.`,
  citedOnly: (document, citedBy) =>
    `Xin lỗi, dữ liệu chưa có toàn văn ${document}; ${citedBy.length > 1 ? "các kế hoạch" : "kế hoạch"} ${citedBy.join(", ")} chỉ nhắc đến văn bản này, nên tôi không trả lời nội dung của nó để tránh đoán sai.`,
  noDocument: (document) => `Xin lỗi, chưa có văn bản số ${document} trong dữ liệu, nên tôi không trả lời để tránh đoán sai.`,
  abbreviationOf: (short, long) => `${short} là viết tắt của «${long}».`,
  abbreviatedAs: (short, long) => `«${long}» viết tắt là ${short}.`,
  usedIn: (docType) => `${docType[0]!.toUpperCase()}${docType.slice(1)} dùng như sau:`,
  englishName: (term, english) => `«${term}» tiếng Anh là «${english}».`,
  notDefined: (term) => `Các kế hoạch hiện có không định nghĩa «${term}»; các kế hoạch chỉ nhắc đến «${term}» như sau:`,
  according: { plan: "Theo kế hoạch", other: "Theo" },
  comparison: {
    localFirst: "Kế hoạch của địa phương bạn được nêu trước; các kế hoạch khác đặt mức riêng.",
    named: "Mỗi kế hoạch đặt mức riêng; tôi nêu lần lượt từng kế hoạch bạn hỏi.",
    notCovered: "kế hoạch không đề cập nội dung này.",
    eachPlan: "Mỗi kế hoạch đặt mức riêng; câu hỏi chưa nêu địa phương nên tôi nêu từng kế hoạch (hãy nêu tên tỉnh, xã để có câu trả lời riêng).",
  },
  quotesLead: "Trích dẫn:",
  sourcesLead: "Nguồn:",
  faqLabel: (unitName, updatedAt) => `Giải đáp của ${unitName} (${formatVietnamDate(updatedAt)})`,
  faqLink: (link) => `Xem thêm: ${link}`,
};

/**
 * What the bot says of a question not answered from the plans: one polite sentence saying why, then
 * what to do instead (whom to ask, or questions the bot can answer), and the closest sections with what
 * they say. Officials asking about report data are pointed to /trehan and /tiendo.
 */
export function declineText(r: QaResult, official: boolean): string {
  const examples = r.suggestions?.length ? `${QA_WORDS.examplesLead}\n${r.suggestions.map((e) => `• ${e}`).join("\n")}` : "";
  const closest = r.closest?.length
    ? `${QA_WORDS.closestLead}\n${r.closest.map((c) => `• ${c.label}${c.preview ? `: «${c.preview}»` : ""}`).join("\n")}`
    : "";
  const lines: string[] = [];
  switch (r.reason) {
    case "smalltalk":
      if (r.smalltalk === "thanks") return QA_WORDS.thanks;
      lines.push("Chào bạn! Tôi trả lời câu hỏi về nội dung các kế hoạch chuyển đổi số ngành giáo dục, kèm trích dẫn văn bản.", examples);
      break;
    case "report_data":
      if (official)
        lines.push("Câu hỏi về số liệu báo cáo: bạn dùng /trehan (đơn vị chưa hoặc trễ báo cáo) hoặc /tiendo (tiến độ so với chỉ tiêu), hoặc hỏi bằng lời, ví dụ \"Đơn vị nào chưa báo cáo tháng này?\".");
      else
        lines.push(
          "Số liệu báo cáo của các trường chỉ cán bộ quản lý được xem, nên tôi không trả lời được câu này.",
          "Bạn có thể hỏi nhà trường hoặc phòng Văn hóa - Xã hội của xã, phường; còn tôi trả lời được các chỉ tiêu mà kế hoạch đặt ra, ví dụ:\n• Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?\n• Các trường phải báo cáo hằng tháng trước ngày nào?",
        );
      break;
    case "school_matter":
      lines.push(
        QA_WORDS.decline.school_matter,
        r.topic ? QA_WORDS.offTopicNextStep[r.topic] : QA_WORDS.nextStep.school_matter!,
        examples,
      );
      break;
    case "personal_data":
      lines.push(`${QA_WORDS.decline.personal_data} ${QA_WORDS.nextStep.personal_data!}`);
      break;
    case "injection":
      lines.push("Tôi chỉ trả lời câu hỏi về nội dung các kế hoạch chuyển đổi số ngành giáo dục, kèm trích dẫn, và giữ nguyên cách làm việc đó. Bạn hãy hỏi về chỉ tiêu, nhiệm vụ, thời hạn hoặc đơn vị phụ trách.");
      break;
    case "empty":
      lines.push(QA_WORDS.decline.empty, examples);
      break;
    default:
      lines.push(
        r.place
          ? QA_WORDS.noPlanOf(r.place)
          : r.missing
            ? QA_WORDS.notStated(r.missing)
            : r.document
            ? r.document.citedBy.length
              ? QA_WORDS.citedOnly(r.document.name, r.document.citedBy)
              : QA_WORDS.noDocument(r.document.name)
            : r.topic
              ? QA_WORDS.offTopicWhy
              : QA_WORDS.decline.out_of_scope,
        // a kind of question with its own place to ask (an office's address, exam results…) says where
        r.topic ? QA_WORDS.offTopicNextStep[r.topic] : QA_WORDS.askOfficer,
        examples,
        closest,
      );
  }
  return lines.filter(Boolean).join("\n\n");
}
