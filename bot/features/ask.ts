/**
 * Questions about the plans (/hoi, or plain text outside a report): answered from the plan texts
 * only, with the document and section cited; says so when the plans do not cover a question.
 * Anyone may ask, citizens included; a per-user rate limit stops abuse.
 */
import { Composer } from "grammy";
import { RateLimiter } from "../../core/rate-limit.ts";
import { splitForTelegram } from "../../core/retrieval/engine.ts";
import { declineText } from "../messages/qa.ts";
import { addFaq, editFaq, listFaq, withdrawFaq, type FaqProblem } from "../../core/faq/index.ts";
import { localPlanOf as localPlanOfUser } from "../../core/users.ts";
import { formatVietnamDate } from "../../core/reporting/periods.ts";
import { fold } from "../../core/text.ts";
import type { BotContext } from "../context.ts";

/** One rate limiter per bot (its deps), so bots built side by side (tests) do not share counts. */
const limiters = new WeakMap<object, RateLimiter>();

/** The plan of the user's own locality (their unit's or their node's), to prefer in answers. */
function localPlanOf(ctx: BotContext): Promise<string | undefined> {
  return localPlanOfUser(ctx.deps.db, ctx.user);
}

export async function askPlans(ctx: BotContext, question: string): Promise<void> {
  const { qa, config } = ctx.deps;
  if (!qa) return void (await ctx.reply("Chức năng hỏi đáp về kế hoạch đang tạm ngừng. Vui lòng thử lại sau."));
  let limiter = limiters.get(ctx.deps);
  if (!limiter) limiters.set(ctx.deps, (limiter = new RateLimiter(config.QA_RATE_PER_MINUTE, 60_000)));
  if (!limiter.take(String(ctx.user.id))) {
    const s = Math.ceil(limiter.retryInMs(String(ctx.user.id)) / 1000);
    return void (await ctx.reply(`Bạn hỏi hơi nhanh. Vui lòng đợi khoảng ${s} giây rồi hỏi tiếp.`));
  }
  await ctx.replyWithChatAction("typing").catch(() => undefined);
  const result = await qa.ask(question, { planId: await localPlanOf(ctx) });
  let text: string;
  if (result.status === "answered") {
    const parts = [result.answer.trim()];
    const unlisted = result.citations.filter((c) => !result.answer.includes(c.label));
    if (unlisted.length > 0) parts.push("📚 Nguồn:\n" + [...new Set(unlisted.map((c) => `• ${c.label}`))].join("\n"));
    text = parts.join("\n\n");
  } else text = declineText(result, ctx.user.role === "official" || ctx.user.role === "admin" || Boolean(ctx.user.officialUnitId));
  for (const chunk of splitForTelegram(text)) await ctx.reply(chunk, { link_preview_options: { is_disabled: true } });
}

export const askFeature = new Composer<BotContext>();

askFeature.command("hoi", async (ctx) => {
  const q = ctx.match.trim();
  if (!q) return void (await ctx.reply("Gõ câu hỏi sau /hoi, ví dụ: /hoi Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?"));
  await askPlans(ctx, q);
});

const FAQ_USAGE = [
  "Cách đăng giải đáp (người dân sẽ thấy là \"Giải đáp của\" đơn vị bạn, kèm ngày):",
  "• /faq them Câu hỏi? | Câu trả lời | đường link (không bắt buộc)",
  "• /faq sua 2 Câu hỏi? | Câu trả lời mới",
  "• /faq rut 2 — rút giải đáp số 2",
].join("\n");

const FAQ_PROBLEM: Record<FaqProblem, string> = {
  not_official: "Chỉ cán bộ quản lý mới đăng được giải đáp. Bạn cứ gõ câu hỏi, tôi sẽ tìm trong kế hoạch và các giải đáp đã đăng.",
  empty_question: "Câu hỏi quá ngắn. Vui lòng viết theo mẫu: /faq them Câu hỏi? | Câu trả lời",
  empty_answer: "Thiếu câu trả lời sau dấu |. Vui lòng viết theo mẫu: /faq them Câu hỏi? | Câu trả lời",
  too_long: "Giải đáp quá dài (câu hỏi tối đa 300 ký tự, câu trả lời tối đa 2.000 ký tự). Vui lòng rút gọn rồi gửi lại.",
  bad_link: "Đường link chưa đúng (cần bắt đầu bằng http:// hoặc https://). Vui lòng sửa rồi gửi lại.",
  not_found: "Không có giải đáp số này. Gõ /faq để xem danh sách và số thứ tự.",
};

function parseFaqBody(body: string): { question: string; answer: string; link: string | null } {
  const [question = "", answer = "", link = ""] = body.split("|").map((x) => x.trim());
  return { question, answer, link: link || null };
}

/** /faq: officials publish, list, edit and withdraw short answers that anyone finds through /hoi. */
askFeature.command("faq", async (ctx) => {
  const { db, qa } = ctx.deps;
  const author = { id: ctx.user.id, officialUnitId: ctx.user.officialUnitId ?? null };
  if (!author.officialUnitId) return void (await ctx.reply(FAQ_PROBLEM.not_official));
  const text = ctx.match.trim();
  const verb = fold(text.split(/\s+/)[0] ?? "");
  const rest = text.slice((text.split(/\s+/)[0] ?? "").length).trim();
  let result;
  if (verb === "them") result = await addFaq(db, author, parseFaqBody(rest));
  else if (verb === "sua") {
    const m = /^(\d+)\s+([\s\S]*)$/.exec(rest);
    result = m ? await editFaq(db, author, Number(m[1]), parseFaqBody(m[2]!)) : ({ ok: false, problem: "not_found" } as const);
  } else if (verb === "rut") result = await withdrawFaq(db, author, Number(rest));
  else {
    const list = await listFaq(db, author);
    const lines = list.map((f, i) => `${i + 1}. ${f.question} (${formatVietnamDate(f.updatedAt)})`);
    const head = list.length ? `Giải đáp đang đăng của ${list[0]!.unitName}:\n${lines.join("\n")}` : "Đơn vị bạn chưa đăng giải đáp nào.";
    return void (await ctx.reply(`${head}\n\n${FAQ_USAGE}`));
  }
  if (!result.ok) return void (await ctx.reply(FAQ_PROBLEM[result.problem]));
  await qa?.reload();
  const e = result.entry;
  const done =
    verb === "rut"
      ? `Đã rút giải đáp "${e.question}". Người dân sẽ không thấy giải đáp này nữa.`
      : `Đã đăng "Giải đáp của ${e.unitName}" (${formatVietnamDate(e.updatedAt)}):\n${e.question}\n${e.answer}${e.link ? `\n${e.link}` : ""}\n\nAi hỏi câu tương tự sẽ thấy giải đáp này. Gõ /faq để xem, sửa hoặc rút.`;
  await ctx.reply(done, { link_preview_options: { is_disabled: true } });
});
