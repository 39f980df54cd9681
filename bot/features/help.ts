/** /trogiup: what this bot does for each kind of user. */
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../report-view.ts";
import { CITIZEN_HELP } from "./start.ts";

export const BOT_COMMANDS = [
  { command: "baocao", description: "Báo cáo định kỳ (đầu mối của trường)" },
  { command: "hoi", description: "Hỏi về nội dung kế hoạch chuyển đổi số" },
  { command: "trehan", description: "Đơn vị chưa báo cáo, trễ hạn (cán bộ quản lý)" },
  { command: "tiendo", description: "Tiến độ so với chỉ tiêu (cán bộ quản lý)" },
  { command: "xuat", description: "Xuất bảng tổng hợp Excel (cán bộ quản lý)" },
  { command: "nhac", description: "Nhắc đơn vị chưa báo cáo (cán bộ quản lý)" },
  { command: "kehoach", description: "Rà soát, công bố kế hoạch mới (cán bộ quản lý)" },
  { command: "faq", description: "Đăng, sửa, rút giải đáp cho người dân (cán bộ quản lý)" },
  { command: "duyet", description: "Duyệt báo cáo của đơn vị cấp dưới (cán bộ quản lý)" },
  { command: "huy", description: "Hủy việc đang làm" },
  { command: "trogiup", description: "Hướng dẫn sử dụng" },
  { command: "dulieu", description: "Xem dữ liệu cá nhân bot đang giữ" },
  { command: "xoadulieu", description: "Xóa dữ liệu cá nhân của bạn" },
  { command: "start", description: "Bắt đầu, đăng ký" },
];

export const helpFeature = new Composer<BotContext>();

helpFeature.command(["trogiup", "help"], async (ctx) => {
  const lines = [
    "<b>Hướng dẫn</b>",
    "<b>Đầu mối báo cáo của trường</b>: /baocao để báo cáo tháng, quý, năm. Trả lời từng câu (ví dụ 45/60, 75%, có, chưa, mức 2); bấm \"Giữ như kỳ trước\" nếu không đổi, \"Bỏ qua\" để trả lời sau. Cuối cùng xem tóm tắt rồi bấm Gửi. /huy để dừng — câu đã trả lời vẫn được lưu.",
    "<b>Cán bộ quản lý</b>: /trehan, /tiendo, /xuat, /nhac, /duyet (duyệt hoặc trả lại báo cáo), /faq (đăng giải đáp cho người dân), hoặc hỏi bằng lời: \"Đơn vị nào chưa báo cáo tháng này?\", \"Trường nào chưa đạt chỉ tiêu chữ ký số?\"",
    "<b>Kế hoạch mới</b> (quản trị viên, cán bộ của cơ quan ban hành): gửi tệp kế hoạch (.pdf, .docx, .txt, .md) vào đây; bot đọc ra các chỉ tiêu để bạn rà soát (giữ, sửa, bỏ, thêm), chọn năm áp dụng, đơn vị áp dụng rồi công bố. /kehoach để tiếp tục bản đang rà soát.",
    `<b>Mọi người</b>: ${escapeHtml(CITIZEN_HELP)}`,
    "Đăng ký làm đầu mối: /start rồi chia sẻ số điện thoại, hoặc /start &lt;mã mời&gt;.",
  ];
  await ctx.reply(lines.join("\n\n"), { parse_mode: "HTML" });
});
