/**
 * /start and registration: a deep link with an invite code (/start <code>), or a shared contact
 * whose phone matches the focal phone an official imported. Anyone else is a citizen.
 */
import { Composer, Keyboard } from "grammy";
import { redeemInvite, registerByPhone } from "../../core/units/people.ts";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../report-view.ts";

const ROLE_TEXT: Record<string, string> = {
  focal: "đầu mối báo cáo",
  deputy: "đầu mối dự phòng (cấp phó)",
  official: "cán bộ quản lý",
  admin: "quản trị viên",
};

export const CITIZEN_HELP =
  "Bạn có thể hỏi về nội dung các kế hoạch chuyển đổi số ngành giáo dục và phong trào \"Bình dân học vụ số\", ví dụ:\n" +
  "• Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?\n• Phong trào Bình dân học vụ số là gì?\n" +
  "Gõ câu hỏi, hoặc /hoi <câu hỏi>.";

function shareContactKeyboard() {
  return new Keyboard().requestContact("📱 Chia sẻ số điện thoại").resized().oneTime();
}

async function greet(ctx: BotContext) {
  const { db } = ctx.deps;
  const units = await db.unit.findMany({ where: { memberships: { some: { userId: ctx.user.id } } }, orderBy: { code: "asc" } });
  const lines: string[] = [];
  if (units.length > 0) {
    lines.push(`Xin chào! Bạn là đầu mối báo cáo của: ${units.map((u) => `<b>${escapeHtml(u.name)}</b>`).join(", ")}.`);
    lines.push("Gõ /baocao để báo cáo định kỳ.");
  }
  if (ctx.user.role === "official" || ctx.user.role === "admin") {
    const node = ctx.user.officialUnitId ? await db.unit.findUnique({ where: { id: ctx.user.officialUnitId } }) : null;
    lines.push(
      `Bạn là ${ROLE_TEXT[ctx.user.role]}${node ? ` của <b>${escapeHtml(node.name)}</b>` : ""}.`,
      "/trehan — đơn vị chưa báo cáo, trễ hạn\n/tiendo — tiến độ so với chỉ tiêu\n/xuat — xuất bảng tổng hợp Excel\n/nhac — nhắc các đơn vị chưa báo cáo",
      "Hoặc hỏi bằng lời, ví dụ: \"Đơn vị nào chưa báo cáo tháng này?\"",
    );
  }
  if (lines.length === 0) {
    lines.push(
      "Xin chào! Đây là trợ lý báo cáo chuyển đổi số ngành giáo dục.",
      escapeHtml(CITIZEN_HELP),
      "Nếu bạn là <b>đầu mối báo cáo</b> của một trường: bấm \"📱 Chia sẻ số điện thoại\" bên dưới (số đã được đơn vị khai báo), hoặc dùng đường link/mã mời: /start &lt;mã mời&gt;.",
    );
    return void (await ctx.reply(lines.join("\n\n"), { parse_mode: "HTML", reply_markup: shareContactKeyboard() }));
  }
  await ctx.reply(lines.join("\n\n"), { parse_mode: "HTML", reply_markup: { remove_keyboard: true } });
}

export const startFeature = new Composer<BotContext>();
const privateChats = startFeature.chatType("private");

privateChats.command("start", async (ctx) => {
  await ctx.conversation.exitAll();
  ctx.session.report = undefined;
  const code = ctx.match.trim();
  if (!code) return greet(ctx);
  const result = await redeemInvite(ctx.deps.db, code, { id: String(ctx.from.id), name: ctx.from.first_name });
  if (result.status === "unknown") {
    return void (await ctx.reply(
      `Mã mời "${code}" không đúng. Vui lòng kiểm tra lại đường link hoặc mã, hoặc bấm "📱 Chia sẻ số điện thoại" để đăng ký bằng số đã khai báo.`,
      { reply_markup: shareContactKeyboard() },
    ));
  }
  if (result.status === "used") {
    return void (await ctx.reply("Mã mời này đã được người khác sử dụng. Vui lòng xin mã mới từ cán bộ quản lý."));
  }
  ctx.user = result.user;
  await ctx.reply(`✅ Đã đăng ký: bạn là ${ROLE_TEXT[result.role]} của <b>${escapeHtml(result.unit.name)}</b>.`, { parse_mode: "HTML" });
  await greet(ctx);
});

privateChats.on("message:contact", async (ctx) => {
  const contact = ctx.message.contact;
  if (contact.user_id !== ctx.from.id) {
    return void (await ctx.reply("Vui lòng chia sẻ số điện thoại của chính bạn bằng nút \"📱 Chia sẻ số điện thoại\".", {
      reply_markup: shareContactKeyboard(),
    }));
  }
  const result = await registerByPhone(ctx.deps.db, { id: String(ctx.from.id), name: ctx.from.first_name }, contact.phone_number);
  if (result.status !== "ok") {
    return void (await ctx.reply(
      "Số điện thoại này chưa được khai báo là đầu mối của đơn vị nào. Vui lòng liên hệ cán bộ quản lý để được thêm vào danh sách, hoặc dùng mã mời: /start <mã mời>.",
      { reply_markup: { remove_keyboard: true } },
    ));
  }
  ctx.user = result.user;
  const names = [...result.units.map((u) => u.name), ...(result.officialOf ? [`${result.officialOf.name} (cán bộ quản lý)`] : [])];
  await ctx.reply(`✅ Đã xác nhận số điện thoại. Bạn đã được gắn với: ${names.join(", ")}.`, { reply_markup: { remove_keyboard: true } });
  await greet(ctx);
});
