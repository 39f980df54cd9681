/**
 * Questions about the plans (/hoi, or plain text outside a report): answered from the plan texts
 * only, with the document and section cited; says so when the plans do not cover a question.
 * Anyone may ask, citizens included; a per-user rate limit stops abuse.
 */
import { Composer } from "grammy";
import { RateLimiter } from "../../core/rate-limit.ts";
import { splitForTelegram } from "../../core/retrieval/engine.ts";
import { effectivePlanId } from "../../core/reporting/reports.ts";
import type { BotContext } from "../context.ts";

/** One rate limiter per bot (its deps), so bots built side by side (tests) do not share counts. */
const limiters = new WeakMap<object, RateLimiter>();

/** The plan of the user's own locality (their unit's or their node's), to prefer in answers. */
async function localPlanOf(ctx: BotContext): Promise<string | undefined> {
  const { db } = ctx.deps;
  const unit =
    (await db.unit.findFirst({ where: { memberships: { some: { userId: ctx.user.id } } } })) ??
    (ctx.user.officialUnitId ? await db.unit.findUnique({ where: { id: ctx.user.officialUnitId } }) : null);
  return unit ? ((await effectivePlanId(db, unit)) ?? undefined) : undefined;
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
  const parts = [result.answer.trim()];
  const unlisted = result.citations.filter((c) => !result.answer.includes(c.label));
  if (unlisted.length > 0) parts.push("📚 Nguồn:\n" + [...new Set(unlisted.map((c) => `• ${c.label}`))].join("\n"));
  for (const chunk of splitForTelegram(parts.join("\n\n"))) await ctx.reply(chunk, { link_preview_options: { is_disabled: true } });
}

export const askFeature = new Composer<BotContext>();

askFeature.command("hoi", async (ctx) => {
  const q = ctx.match.trim();
  if (!q) return void (await ctx.reply("Gõ câu hỏi sau /hoi, ví dụ: /hoi Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?"));
  await askPlans(ctx, q);
});
