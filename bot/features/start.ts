/**
 * /start and registration: a deep link with an invite code (/start <code>), or a shared contact
 * whose phone matches the focal phone an official imported. Anyone else is a citizen.
 */
import { Composer, InlineKeyboard, Keyboard } from "grammy";
import { hasConsent, needsNotice, recordConsent, typedConsent } from "../../core/privacy/index.ts";
import { redeemInvite, registerByPhone, unitsOf } from "../../core/units/people.ts";
import { unitById } from "../../core/units/search.ts";
import { echo } from "../../core/text.ts";
import type { BotContext } from "../context.ts";
import { dropCursor } from "../../core/reporting/steps.ts";
import { escapeHtml, unitNameHtml } from "../report-view.ts";
import {
  CONSENT_ACCEPT,
  CONSENT_ACCEPTED,
  CONSENT_ALREADY,
  CONSENT_BUTTONS,
  CONSENT_DECLINE,
  consentDeclinedText,
  noticeText,
} from "../messages/privacy.ts";

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
  const units = (await unitsOf(db, ctx.user.id)).map((m) => m.unit);
  const lines: string[] = [];
  if (units.length > 0) {
    lines.push(`Xin chào! Bạn là đầu mối báo cáo của: ${units.map((u) => `<b>${unitNameHtml(u.name)}</b>`).join(", ")}.`);
    lines.push("Gõ /baocao để báo cáo định kỳ.");
  }
  if (ctx.user.role === "official" || ctx.user.role === "admin") {
    const node = ctx.user.officialUnitId ? await unitById(db, ctx.user.officialUnitId) : null;
    lines.push(
      `Bạn là ${ROLE_TEXT[ctx.user.role]}${node ? ` của <b>${unitNameHtml(node.name)}</b>` : ""}.`,
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

/**
 * The personal-data notice with [Đồng ý] [Không đồng ý]. A registration that needs consent (invite
 * code or shared phone) waits in the session and continues when the user accepts.
 */
async function showNotice(ctx: BotContext, pending?: { invite: string } | { phone: string }) {
  ctx.session.pendingRegistration = pending;
  ctx.session.noticeShown = true;
  const { config } = ctx.deps;
  const text = noticeText({
    controller: config.DATA_CONTROLLER_NAME ?? "Sở Giáo dục và Đào tạo vận hành bot này",
    retentionDays: config.PERSONAL_DATA_RETENTION_DAYS ?? 730,
    forRegistration: !!pending,
  });
  const keyboard = new InlineKeyboard().text(CONSENT_BUTTONS.accept, CONSENT_ACCEPT).text(CONSENT_BUTTONS.decline, CONSENT_DECLINE);
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
}

privateChats.command("start", async (ctx) => {
  await dropCursor(ctx.deps.db, String(ctx.chat.id)); // closes any report open in this chat
  const code = ctx.match.trim();
  if (!code) {
    if (await needsNotice(ctx.deps.db, ctx.user.id)) return showNotice(ctx);
    return greet(ctx);
  }
  if (!(await hasConsent(ctx.deps.db, ctx.user.id))) return showNotice(ctx, { invite: code });
  await redeem(ctx, code);
});

async function redeem(ctx: BotContext, code: string) {
  const from = ctx.from!;
  const result = await redeemInvite(ctx.deps.db, code, { id: String(from.id), name: from.first_name });
  if (result.status === "unknown") {
    return void (await ctx.reply(
      `Mã mời "${echo(code)}" không đúng. Vui lòng kiểm tra lại đường link hoặc mã, hoặc bấm "📱 Chia sẻ số điện thoại" để đăng ký bằng số đã khai báo.`,
      { reply_markup: shareContactKeyboard() },
    ));
  }
  if (result.status === "used") {
    return void (await ctx.reply("Mã mời này đã được người khác sử dụng. Vui lòng xin mã mới từ cán bộ quản lý."));
  }
  ctx.user = result.user;
  await ctx.reply(`✅ Đã đăng ký: bạn là ${ROLE_TEXT[result.role]} của <b>${unitNameHtml(result.unit.name)}</b>.`, { parse_mode: "HTML" });
  await greet(ctx);
}

privateChats.on("message:contact", async (ctx) => {
  const contact = ctx.message.contact;
  if (contact.user_id !== ctx.from.id) {
    return void (await ctx.reply("Vui lòng chia sẻ số điện thoại của chính bạn bằng nút \"📱 Chia sẻ số điện thoại\".", {
      reply_markup: shareContactKeyboard(),
    }));
  }
  if (!(await hasConsent(ctx.deps.db, ctx.user.id))) return showNotice(ctx, { phone: contact.phone_number });
  await registerPhone(ctx, contact.phone_number);
});

async function registerPhone(ctx: BotContext, phone: string) {
  const from = ctx.from!;
  const result = await registerByPhone(ctx.deps.db, { id: String(from.id), name: from.first_name }, phone);
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
}

privateChats.callbackQuery([CONSENT_ACCEPT, CONSENT_DECLINE], async (ctx) => {
  await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
  if (!(await noticeOpen(ctx))) return void (await ctx.answerCallbackQuery({ text: CONSENT_ALREADY }));
  await ctx.answerCallbackQuery();
  await decideNotice(ctx, ctx.callbackQuery.data === CONSENT_DECLINE ? "declined" : "accepted");
});

/**
 * "Đồng ý" or "không đồng ý" typed under the notice instead of tapping its button: the same decision.
 * Only while the notice shown in this chat is unanswered; anything else goes on to the other features.
 */
privateChats.on("message:text", async (ctx, next) => {
  if (!ctx.session.noticeShown) return next();
  const choice = typedConsent(ctx.message.text);
  if (!choice || !(await noticeOpen(ctx))) return next();
  await decideNotice(ctx, choice);
});

/**
 * Whether the notice still waits for a decision: a registration waits on it, or the user has not
 * decided this notice version. When it does not, the chat forgets the notice was shown.
 */
async function noticeOpen(ctx: BotContext): Promise<boolean> {
  if (ctx.session.pendingRegistration || (await needsNotice(ctx.deps.db, ctx.user.id))) return true;
  ctx.session.noticeShown = undefined;
  return false;
}

async function decideNotice(ctx: BotContext, choice: "accepted" | "declined") {
  const { db } = ctx.deps;
  const pending = ctx.session.pendingRegistration;
  ctx.session.pendingRegistration = undefined;
  ctx.session.noticeShown = undefined;
  if (choice === "declined") {
    const { registered } = await recordConsent(db, ctx.user.id, "declined", ctx.deps.now());
    return void (await ctx.reply(consentDeclinedText(CITIZEN_HELP, registered), { reply_markup: { remove_keyboard: true } }));
  }
  await recordConsent(db, ctx.user.id, "accepted", ctx.deps.now());
  await ctx.reply(CONSENT_ACCEPTED);
  if (pending && "invite" in pending) return redeem(ctx, pending.invite);
  if (pending && "phone" in pending) return registerPhone(ctx, pending.phone);
  await greet(ctx);
}
