/**
 * Words for small talk and routing hints, shared by every feature (what users read lives in
 * bot/messages/, one file per feature).
 */

/** A short friendly reply to a greeting or thanks; the caller shows the current step again after it. */
export function smallTalkReply(kind: "greeting" | "thanks"): string {
  return kind === "greeting" ? "Chào bạn! 👋" : "Rất vui được giúp bạn! 😊";
}

export interface RoleFacts {
  /** Serves at least one unit as focal point or deputy. */
  focal: boolean;
  /** Oversees a node of the hierarchy (or is an admin). */
  official: boolean;
}

/** Questions anyone can ask, offered after a greeting. */
export const EXAMPLE_QUESTIONS = ["Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?", "Phong trào Bình dân học vụ số là gì?"];

/** A greeting or thanks outside any task: say what the bot can do for this person. */
export function welcomeText(kind: "greeting" | "thanks", role: RoleFacts): string {
  const lines = [kind === "greeting" ? "Chào bạn! 👋 Tôi có thể giúp bạn:" : "Rất vui được giúp bạn! 😊 Khi cần, tôi có thể:"];
  if (role.focal) lines.push("• Báo cáo định kỳ của trường: gõ /baocao (hoặc \"báo cáo\").");
  if (role.official) lines.push("• Xem đơn vị chưa báo cáo, tiến độ chỉ tiêu: /trehan, /tiendo, /xuat.");
  lines.push("• Trả lời câu hỏi về nội dung các kế hoạch chuyển đổi số ngành giáo dục và phong trào \"Bình dân học vụ số\", kèm trích dẫn văn bản.");
  lines.push(`Bạn có thể hỏi, ví dụ:\n${EXAMPLE_QUESTIONS.map((q) => `• ${q}`).join("\n")}`);
  if (!role.focal && !role.official) lines.push("Nếu bạn là đầu mối báo cáo của một trường: gõ /start để đăng ký.");
  return lines.join("\n");
}

/** A bare answer ("45/60") typed when no report question is open. */
export function answerOutsideReportText(role: RoleFacts): string {
  return role.focal
    ? "Có vẻ bạn đang trả lời một câu báo cáo, nhưng hiện không có câu hỏi nào đang mở. Gõ /baocao để mở báo cáo kỳ này, rồi trả lời từng câu."
    : "Tôi chưa hiểu tin nhắn này. Nếu bạn là đầu mối báo cáo của một trường, gõ /start để đăng ký rồi /baocao để báo cáo; hoặc gõ câu hỏi về kế hoạch chuyển đổi số.";
}

/** "báo cáo" typed by someone who serves no unit. */
export const NOT_A_FOCAL_POINT =
  "Bạn chưa đăng ký làm đầu mối báo cáo của đơn vị nào.\n" +
  "• Nếu có mã mời: gõ /start <mã mời>\n• Hoặc gõ /start rồi bấm \"Chia sẻ số điện thoại\" (số đã được đơn vị khai báo).";

/** What names a plan or other official document: catalog plans, drafts under review, progress's PlanRef. */
export interface PlanNaming {
  /** "Kế hoạch" (default), "Quyết định"… */
  docType?: string | null;
  /** "27/KH-SGDĐT"; null when the document has none. */
  number?: string | null;
  issuer: string;
  title: string;
  /** As written in the document: "19/9/2025", "tháng 4 năm 2024". */
  date?: string | null;
}

/**
 * The one wording of a plan's name, in chat, the CLI, spreadsheets and the dashboard — its number
 * and issuer, never its id: "Kế hoạch số 27/KH-SGDĐT của Sở Giáo dục và Đào tạo tỉnh Ninh Bình".
 * Without a number, its date ("Kế hoạch ngày 19/9/2025 của …", "Kế hoạch tháng 4 năm 2024 của …"),
 * else its title ("Quyết định “Chuyển đổi số năm 2026” của …"); a target whose plan is not in the
 * catalog: "Kế hoạch khác".
 */
export function planName(p: PlanNaming | null | undefined): string {
  if (!p) return "Kế hoạch khác";
  const type = p.docType || "Kế hoạch";
  if (p.number) return `${type} số ${p.number} của ${p.issuer}`;
  const date = p.date?.trim();
  if (date) return `${type} ${/^\d/.test(date) ? `ngày ${date}` : date} của ${p.issuer}`;
  return `${type} “${p.title}” của ${p.issuer}`;
}
