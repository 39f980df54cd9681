/**
 * What users read about their personal data: the notice at /start (Law 91/2025/QH15 on personal
 * data protection, Decree 356/2025/NĐ-CP), /dulieu and /xoadulieu.
 */
import type { PersonalData } from "../../core/privacy/index.ts";
import { escapeHtml } from "../report-view.ts";

export const CONSENT_ACCEPT = "privacy:accept";
export const CONSENT_DECLINE = "privacy:decline";
export const ERASE_CONFIRM = "privacy:erase";
export const ERASE_CANCEL = "privacy:keep";

const ROLE_TEXT: Record<string, string> = {
  citizen: "người dùng (hỏi đáp)",
  focal: "đầu mối báo cáo",
  official: "cán bộ quản lý",
  admin: "quản trị viên",
};

/** "14:05 ngày 30/11/2026", Vietnam time. */
export function vnTime(d: Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh",
    hour: "2-digit",
    minute: "2-digit",
    day: "numeric",
    month: "numeric",
    year: "numeric",
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("hour")}:${get("minute")} ngày ${get("day")}/${get("month")}/${get("year")}`;
}

function years(days: number): string {
  return days % 365 === 0 ? `${days / 365} năm` : `${days} ngày`;
}

/** The notice (HTML), shown with [Đồng ý] [Không đồng ý]. */
export function noticeText(input: { controller: string; retentionDays: number; forRegistration: boolean }): string {
  return [
    "🔒 <b>Thông báo về xử lý dữ liệu cá nhân</b> (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Nghị định 356/2025/NĐ-CP)",
    "• <b>Dữ liệu lưu:</b> họ tên và mã người dùng Telegram của bạn, số điện thoại nếu bạn chia sẻ, đơn vị bạn phụ trách và các số liệu báo cáo bạn gửi.",
    "• <b>Mục đích:</b> xác nhận bạn là đầu mối hoặc cán bộ của đơn vị, nhận và tổng hợp báo cáo chuyển đổi số, nhắc hạn báo cáo. Không dùng cho mục đích khác, không gửi cho bên thứ ba.",
    `• <b>Thời gian lưu:</b> khi bạn còn sử dụng bot; sau ${years(input.retentionDays)} không hoạt động, thông tin cá nhân được xóa. Số liệu báo cáo thuộc về đơn vị nên được giữ lại, không kèm tên bạn.`,
    `• <b>Bên chịu trách nhiệm:</b> ${escapeHtml(input.controller)}.`,
    "• <b>Quyền của bạn:</b> xem dữ liệu bot đang giữ (/dulieu), xóa dữ liệu và rút lại đồng ý (/xoadulieu) bất cứ lúc nào.",
    input.forRegistration
      ? "Để đăng ký làm đầu mối hoặc cán bộ của đơn vị, bạn cần đồng ý. Nếu không đồng ý, bạn vẫn hỏi được về nội dung các kế hoạch."
      : "Không đồng ý thì bạn vẫn hỏi được về nội dung các kế hoạch; chỉ việc đăng ký làm đầu mối báo cáo cần sự đồng ý này.",
  ].join("\n");
}

export const CONSENT_BUTTONS = { accept: "✅ Đồng ý", decline: "Không đồng ý" };

export const CONSENT_ACCEPTED = "✅ Đã ghi nhận bạn đồng ý.";

export function consentDeclinedText(citizenHelp: string, registered: boolean): string {
  return [
    registered
      ? "Đã ghi nhận bạn không đồng ý. Thông tin đăng ký trước đây của bạn vẫn còn; gõ /xoadulieu nếu muốn xóa."
      : "Đã ghi nhận bạn không đồng ý. Bot không lưu họ tên hay số điện thoại của bạn.",
    citizenHelp,
    "Khi muốn đăng ký làm đầu mối báo cáo, gõ /start để xem lại thông báo và đồng ý.",
  ].join("\n\n");
}

export const CONSENT_ALREADY = "Bạn đã trả lời thông báo này rồi. Gõ /dulieu để xem dữ liệu bot đang giữ.";

export const NEED_CONSENT_TO_REGISTER =
  "Để đăng ký, bạn cần đồng ý với thông báo về dữ liệu cá nhân ở trên. Bấm \"Đồng ý\" để tiếp tục đăng ký.";

/** /dulieu (HTML). */
export function personalDataText(d: PersonalData): string {
  const consent =
    d.consent.state === "accepted"
      ? `đã đồng ý lúc ${vnTime(d.consent.at)}${d.consent.current ? "" : " (thông báo cũ; gõ /start để xem thông báo mới)"}`
      : d.consent.state === "declined"
        ? `không đồng ý (lúc ${vnTime(d.consent.at)})`
        : "chưa trả lời (gõ /start để xem thông báo)";
  const lines = [
    "📋 <b>Dữ liệu bot đang giữ về bạn</b>",
    `• Họ tên: ${d.name ? escapeHtml(d.name) : "(không lưu)"}`,
    `• Số điện thoại: ${d.phone ? escapeHtml(d.phone) : "(không lưu)"}`,
    `• Mã người dùng Telegram: ${escapeHtml(d.telegramId)}`,
    `• Vai trò: ${ROLE_TEXT[d.role] ?? d.role}${d.officialOf ? ` của ${escapeHtml(d.officialOf)}` : ""}`,
    `• Đơn vị phụ trách: ${d.units.length ? d.units.map((u) => `${escapeHtml(u.name)}${u.role === "deputy" ? " (dự phòng)" : ""}`).join(", ") : "không có"}`,
    `• Đồng ý xử lý dữ liệu: ${consent}`,
    `• Số câu trả lời báo cáo bạn đã nhập: ${d.answersGiven} câu; số lần gửi hoặc sửa báo cáo: ${d.submissions} lần`,
    `• Bắt đầu dùng bot: ${vnTime(d.createdAt)}`,
    "",
    "Số liệu báo cáo thuộc về đơn vị. Gõ /xoadulieu để xóa thông tin cá nhân của bạn (báo cáo của đơn vị được giữ lại, không kèm tên bạn).",
  ];
  return lines.join("\n");
}

export const NOTHING_HELD = "Bot không giữ thông tin cá nhân nào của bạn.";

export function eraseConfirmText(d: PersonalData): string {
  return [
    "⚠️ <b>Xóa dữ liệu cá nhân?</b>",
    "Bot sẽ xóa họ tên, số điện thoại, mã người dùng Telegram của bạn" +
      (d.units.length || d.officialOf ? ", và bạn sẽ không còn là đầu mối hay cán bộ của đơn vị nào" : "") +
      ". Các báo cáo của đơn vị được giữ lại, không kèm tên bạn. Không hoàn tác được.",
  ].join("\n");
}

export const ERASE_BUTTONS = { confirm: "🗑 Xóa dữ liệu của tôi", cancel: "Giữ nguyên" };

export function erasedText(): string {
  return "✅ Đã xóa dữ liệu cá nhân của bạn. Báo cáo của đơn vị được giữ lại, không kèm tên bạn. Nếu sau này cần đăng ký lại, gõ /start.";
}

export const ERASE_CANCELLED = "Đã giữ nguyên dữ liệu của bạn.";
