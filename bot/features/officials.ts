/**
 * For officials: who is late, progress against targets, charts, spreadsheets and nudges —
 * by command (/trehan, /tiendo, /xuat, /nhac) or in words ("Đơn vị nào chưa báo cáo tháng này?").
 * Words are read by the rule-based parser (core/officials/intent.ts) into the same structured
 * queries the commands use. Every query is limited to the official's own node of the hierarchy;
 * a citizen or focal point gets no report data at all.
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import {
  exportPeriod,
  lateReport,
  parseOfficialQuestion,
  progressChartPng,
  progressReport,
  reportingRateChartPng,
  rootUnits,
  SUGGESTIONS,
  isPlanQuestion,
  type LateReport,
  type OfficialQuery,
  type ProgressReport,
} from "../../core/officials/index.ts";
import { llmOfficialQuery } from "../../core/officials/llm-intent.ts";
import { unitHistory } from "../../core/officials/history.ts";
import { formatNumber } from "../../core/reporting/format.ts";
import { formatThreshold } from "../../core/reporting/check.ts";
import { fold } from "../../core/text.ts";
import { effectivePlanId } from "../../core/reporting/reports.ts";
import { formatVietnamDate, vietnamParts } from "../../core/reporting/periods.ts";
import type { ReminderItem } from "../../core/reporting/reminders.ts";
import type { BotContext } from "../context.ts";
import { deliver } from "../reminders.ts";
import { escapeHtml } from "../report-view.ts";
import { withDashboardButton } from "../dashboard-button.ts";

const PAGE = 20;

/** The node an official oversees (admins: their node, or the root), or null for everyone else. */
type ScopeNode = { code: string; path: string; name: string; planId: string | null };

async function scopeRoot(ctx: BotContext): Promise<ScopeNode | null> {
  const { db } = ctx.deps;
  if (ctx.user.role !== "official" && ctx.user.role !== "admin") return null;
  if (ctx.user.officialUnitId) {
    const u = await db.unit.findUnique({ where: { id: ctx.user.officialUnitId } });
    if (u) return u;
  }
  if (ctx.user.role !== "admin") return null;
  const [root] = await rootUnits(db);
  return root ? db.unit.findUnique({ where: { code: root.code } }) : null;
}

/** The unit code a query runs under: the official's node, or an area inside it. Null = refused. */
async function resolveUnder(ctx: BotContext, q: OfficialQuery, known?: ScopeNode): Promise<{ code: string; refused?: string } | null> {
  const root = known ?? (await scopeRoot(ctx));
  if (!root) return null;
  if (!q.area?.code) return { code: root.code };
  const area = await ctx.deps.db.unit.findUnique({ where: { code: q.area.code } });
  if (!area || !area.path.startsWith(root.path)) {
    return { code: root.code, refused: `Bạn chỉ xem được các đơn vị thuộc ${root.name}; "${q.area.name}" không thuộc phạm vi này.` };
  }
  return { code: area.code };
}

async function notOfficial(ctx: BotContext) {
  await ctx.reply(
    "Chức năng này dành cho cán bộ quản lý. Nếu bạn là cán bộ quản lý, hãy xin mã mời từ quản trị viên rồi gõ /start <mã mời>.",
  );
}

function pct(v: number | null): string {
  return v === null ? "—" : `${formatNumber(v)}%`;
}

/** Units with no plan in force: named, with how to fix it (never a rate over zero expected units). */
export function noPlanText(units: Array<{ name: string }>, periodLabel: string): string {
  const names = units.slice(0, 15).map((u) => escapeHtml(u.name)).join(", ") + (units.length > 15 ? ` và ${units.length - 15} đơn vị khác` : "");
  return (
    `⚠️ Chưa có kế hoạch nào áp dụng cho ${units.length} đơn vị trong ${periodLabel}: ${names}. ` +
    "Các đơn vị này chưa được hỏi và chưa tính vào số phải báo cáo. " +
    "Cách khắc phục: quản trị viên gắn kế hoạch cho đơn vị (hoặc đơn vị cấp trên) bằng lệnh <code>npm run cli -- units plan &lt;mã đơn vị&gt; &lt;mã kế hoạch&gt;</code>."
  );
}

export function lateText(r: LateReport, page: number): { text: string; pages: number } {
  if (r.status === "no_plan") {
    return { text: [`📋 <b>Tình hình báo cáo ${r.periodLabel}</b> — ${escapeHtml(r.under.name)}`, "", noPlanText(r.withoutPlan, r.periodLabel)].join("\n"), pages: 1 };
  }
  const status = r.deadlinePassed ? "đã qua hạn" : `hạn trước 00:00 ngày ${formatVietnamDate(r.deadline)}`;
  const head = [
    `📋 <b>Tình hình báo cáo ${r.periodLabel}</b> — ${escapeHtml(r.under.name)}`,
    `${status[0]!.toUpperCase()}${status.slice(1)}.`,
    `Đã nộp: <b>${r.submitted}/${r.expected}</b> đơn vị (tỷ lệ báo cáo ${pct(r.reportingRate)}), đúng hạn ${r.onTime} (${pct(r.onTimeRate)}).`,
  ];
  const lines: string[] = [];
  if (r.missing.length) lines.push(`⛔ <b>Chưa nộp (${r.missing.length})</b>`);
  for (const u of r.missing) {
    lines.push(`• ${escapeHtml(u.name)}${u.parentName ? ` — ${escapeHtml(u.parentName)}` : ""}${u.status === "draft" ? " (đang làm dở)" : ""}`);
  }
  if (r.late.length) lines.push(`⏰ <b>Nộp trễ hạn (${r.late.length})</b>`);
  for (const u of r.late) lines.push(`• ${escapeHtml(u.name)} — nộp ${formatVietnamDate(u.submittedAt, true)}`);
  if (lines.length === 0) lines.push(r.expected > 0 ? "✅ Tất cả đơn vị đã nộp đúng hạn." : "Không có đơn vị nào phải báo cáo kỳ này.");
  const groups = r.groups.byParent.filter((g) => g.expected > 0);
  const tail = [
    ...(groups.length > 1
      ? ["<b>Theo xã/phường, đơn vị quản lý</b>", ...groups.map((g) => `• ${escapeHtml(g.label)}: ${g.submitted}/${g.expected} (${pct(g.reportingRate)})`)]
      : []),
    ...(r.withoutPlan.length ? [noPlanText(r.withoutPlan, r.periodLabel)] : []),
  ];
  const pages = Math.max(1, Math.ceil(lines.length / PAGE));
  const p = Math.min(Math.max(page, 0), pages - 1);
  const body = lines.slice(p * PAGE, (p + 1) * PAGE);
  const pageNote = pages > 1 ? [`<i>Trang ${p + 1}/${pages}</i>`] : [];
  return { text: [...head, "", ...body, ...pageNote, ...(p === 0 && tail.length ? ["", ...tail] : [])].join("\n"), pages };
}

export function progressText(r: ProgressReport, belowOnly: boolean, page: number): { text: string; pages: number } {
  const head = [`📈 <b>Tiến độ chỉ tiêu ${r.periodLabel}</b> — ${escapeHtml(r.under.name)}`];
  if (r.status === "no_plan") return { text: [...head, "", noPlanText(r.withoutPlan, r.periodLabel)].join("\n"), pages: 1 };
  const lines: string[] = [];
  for (const i of r.indicators) {
    if (belowOnly && i.belowCount === 0 && i.meets !== false) continue;
    const mark = i.meets === null ? "▫️" : i.meets ? "✅" : "❌";
    const value = i.value === null ? "chưa có số liệu" : i.rollup === "count_yes" || i.rollup === "sum" ? formatNumber(i.value) : pct(i.value);
    const ratio = i.rollup === "sum_ratio" && i.numerator !== null ? ` (${formatNumber(i.numerator)}/${formatNumber(i.denominator ?? 0)})` : "";
    const change = i.change !== null ? `, ${i.change >= 0 ? "+" : ""}${formatNumber(i.change)} so với kỳ trước` : "";
    const missing = i.meets === false && i.missing ? ` — còn thiếu ${formatNumber(i.missing)}` : "";
    const target = formatThreshold(i.threshold, i.rollup === "count_yes" ? "đơn vị" : undefined);
    lines.push(`${mark} <b>${escapeHtml(i.short)}</b>: ${value}${ratio}, chỉ tiêu ${escapeHtml(target)}${missing}${change}. ${i.answered}/${i.expectedUnits} đơn vị đã báo cáo, ${i.meetingUnits} đạt.`);
    if (belowOnly || i.belowCount > 0) {
      for (const b of i.below.slice(0, belowOnly ? 50 : 5)) {
        const v = b.numerator !== null && b.denominator !== null ? `${formatNumber(b.numerator)}/${formatNumber(b.denominator)}` : b.value === null ? "—" : formatNumber(b.value);
        lines.push(`   • ${escapeHtml(b.unit.name)}: ${v}${b.missing ? `, còn thiếu ${formatNumber(b.missing)}` : ""}`);
      }
      if (!belowOnly && i.belowCount > 5) lines.push(`   … và ${i.belowCount - 5} đơn vị khác chưa đạt`);
    }
  }
  if (lines.length === 0) lines.push(belowOnly ? "✅ Không có đơn vị nào dưới chỉ tiêu trong các báo cáo đã nộp." : "Chưa có chỉ tiêu nào cho kỳ này.");
  const pages = Math.max(1, Math.ceil(lines.length / PAGE));
  const p = Math.min(Math.max(page, 0), pages - 1);
  return { text: [...head, "", ...lines.slice(p * PAGE, (p + 1) * PAGE), ...(pages > 1 ? [`<i>Trang ${p + 1}/${pages}</i>`] : [])].join("\n"), pages };
}

function pager(kind: string, key: string, page: number, pages: number): InlineKeyboard | undefined {
  if (pages <= 1) return undefined;
  const kb = new InlineKeyboard();
  if (page > 0) kb.text("◀️ Trước", `o:pg:${kind}:${page - 1}:${key}`);
  if (page < pages - 1) kb.text("Sau ▶️", `o:pg:${kind}:${page + 1}:${key}`);
  return kb;
}

/** Run a structured query for an official and reply (text, chart, file). */
export async function runOfficialQuery(ctx: BotContext, q: OfficialQuery, page = 0, root?: ScopeNode): Promise<void> {
  const under = await resolveUnder(ctx, q, root);
  if (!under) return notOfficial(ctx);
  if (under.refused) return void (await ctx.reply(under.refused));
  const { db } = ctx.deps;
  const catalog = await ctx.deps.catalog.get();
  const now = ctx.deps.now();
  // pagination state: the query, so "Sau ▶️" re-runs it (callback data stays short)
  const key = `${q.kind}|${q.period}|${under.code}|${q.belowOnly ? 1 : 0}|${(q.indicators ?? []).join(",")}|${q.level ?? ""}`;
  ctx.session.list = { kind: q.kind, key, page };

  if (q.kind === "history") return history(ctx, q, under.code);
  if (q.kind === "late") {
    const r = await lateReport(db, catalog, { period: q.period, under: under.code, now, level: q.level });
    const { text, pages } = lateText(r, page);
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: withDashboardButton(ctx, pager("late", "s", page, pages)) });
    if (page === 0 && r.groups.byParent.filter((g) => g.expected > 0).length > 1) {
      await ctx.replyWithPhoto(new InputFile(await reportingRateChartPng(r), "ty-le-bao-cao.png"), {
        caption: `Tỷ lệ báo cáo ${r.periodLabel} theo đơn vị quản lý`,
      });
    }
    return;
  }
  if (q.kind === "progress") {
    const ask = (period: string) =>
      progressReport(db, catalog, { period, under: under.code, indicator: q.indicators, level: q.level, belowLimit: q.belowOnly ? 50 : 5 });
    let r = await ask(q.period);
    // No period named and nothing reported yet this period: show the last one that has data.
    if (q.periodDefaulted && r.indicators.every((i) => i.answered === 0) && page === 0) {
      const previous = await ask(r.previousPeriod);
      if (previous.indicators.some((i) => i.answered > 0)) {
        await ctx.reply(`Kỳ ${r.periodLabel} chưa có báo cáo nào được nộp; dưới đây là ${previous.periodLabel}.`);
        r = previous;
        ctx.session.list = { kind: q.kind, key: key.replace(`|${q.period}|`, `|${r.period}|`), page };
      }
    }
    const { text, pages } = progressText(r, !!q.belowOnly, page);
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: withDashboardButton(ctx, pager("progress", "s", page, pages)) });
    if (page === 0 && r.indicators.some((i) => i.value !== null)) {
      await ctx.replyWithPhoto(new InputFile(await progressChartPng(r), "tien-do-chi-tieu.png"), {
        caption: `Tiến độ ${r.periodLabel} so với chỉ tiêu (vạch đen: mức chỉ tiêu)`,
      });
    }
    return;
  }
  if (q.kind === "export") {
    await ctx.replyWithChatAction("upload_document").catch(() => undefined);
    const file = await exportPeriod(db, catalog, { period: q.period, under: under.code, format: q.format, now });
    await ctx.replyWithDocument(new InputFile(file.buffer, file.filename), {
      caption: `Bảng tổng hợp ${q.periodLabel}: mỗi dòng một đơn vị, mỗi cột một chỉ tiêu; trang "Tổng hợp" so với chỉ tiêu.`,
    });
    return;
  }
  if (q.kind === "nudge") return nudge(ctx, q, under.code);
}

/** One unit's reports over the last periods (only a unit inside the official's scope). */
async function history(ctx: BotContext, q: OfficialQuery, under: string) {
  const { db } = ctx.deps;
  const catalog = await ctx.deps.catalog.get();
  const root = await db.unit.findUniqueOrThrow({ where: { code: under } });
  const unit = q.unit?.code ? await db.unit.findUnique({ where: { code: q.unit.code } }) : null;
  if (!unit || !unit.path.startsWith(root.path)) {
    return void (await ctx.reply(`Không tìm thấy đơn vị "${q.unit?.name ?? ""}" trong phạm vi ${root.name}. Hãy gõ tên hoặc mã đơn vị, ví dụ: "lịch sử báo cáo của TH-HOAMAI".`));
  }
  const h = await unitHistory(db, catalog, { unitCode: unit.code });
  const lines = [`🗂 <b>Báo cáo của ${escapeHtml(unit.name)}</b>`];
  if (h.periods.length === 0) lines.push("Chưa có báo cáo nào.");
  for (const p of h.periods.slice(0, 4)) {
    const status = p.status === "submitted" ? `đã nộp ${p.submittedAt ? formatVietnamDate(p.submittedAt, true) : ""}${p.onTime === false ? " (trễ hạn)" : ""}${p.revision > 1 ? `, sửa ${p.revision - 1} lần` : ""}` : "đang làm dở";
    lines.push("", `<b>${p.periodLabel}</b> — ${status}`);
    for (const a of p.answers) {
      const v = a.skipped ? "bỏ qua" : a.numerator !== null && a.denominator !== null ? `${formatNumber(a.numerator)}/${formatNumber(a.denominator)}` : a.value === null ? "—" : formatNumber(a.value);
      lines.push(`• ${escapeHtml(a.short)}: ${v}${a.meetsTarget === false ? " ⚠️" : ""}${a.reason ? ` (${escapeHtml(a.reason)})` : ""}`);
    }
  }
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}

/** Remind every late unit's focal points; report who could not be reached. Each nudge is recorded once a day. */
async function nudge(ctx: BotContext, q: OfficialQuery, under: string) {
  const { db } = ctx.deps;
  const catalog = await ctx.deps.catalog.get();
  const now = ctx.deps.now();
  const r = await lateReport(db, catalog, { period: q.period, under, now });
  if (r.status === "no_plan") return void (await ctx.reply(noPlanText(r.withoutPlan, r.periodLabel), { parse_mode: "HTML" }));
  if (r.missing.length === 0) return void (await ctx.reply(`✅ Tất cả đơn vị đã nộp báo cáo ${r.periodLabel}. Không cần nhắc.`));
  const members = await db.membership.findMany({ where: { unitId: { in: r.missing.map((u) => u.id) } }, include: { user: true } });
  const v = vietnamParts(now);
  const kind = `nudge:${v.year}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}`;
  const items: ReminderItem[] = [];
  const noFocal: string[] = [];
  for (const u of r.missing) {
    const ms = members.filter((m) => m.unitId === u.id);
    if (ms.length === 0) noFocal.push(u.name);
    for (const m of ms) {
      if (!m.user.reachable) {
        noFocal.push(u.name);
        continue;
      }
      items.push({
        unitId: u.id,
        unitName: u.name,
        userId: m.userId,
        telegramId: m.user.telegramId,
        period: r.period,
        kind,
        deadline: u.deadline ?? r.deadline,
        hasPrevious: false,
        from: r.under.name,
      });
    }
  }
  await ctx.reply(`Đang gửi nhắc nhở tới ${items.length} đầu mối của ${r.missing.length} đơn vị chưa nộp…`);
  const result = await deliver(ctx.api, ctx.deps, items);
  const unreachable = [...new Set([...noFocal, ...result.unreachable])];
  const lines = [
    `📨 <b>Kết quả nhắc báo cáo ${r.periodLabel}</b>`,
    `Đã gửi: ${result.sent}`,
    `Lỗi, chưa gửi được: ${result.failed}`,
    ...(result.skipped ? [`Đã nhắc hôm nay, không gửi lại: ${result.skipped}`] : []),
    `Không liên lạc được: ${unreachable.length}${unreachable.length ? " (chưa đăng ký hoặc chưa bấm Start với bot — vui lòng liên hệ trực tiếp):" : ""}`,
    ...unreachable.map((n) => `• ${escapeHtml(n)}`),
  ];
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}

/** Units an official's words may name: every commune/district/department (to refuse other areas), and the schools in scope. */
function nameableUnits(ctx: BotContext, root: ScopeNode) {
  return ctx.deps.db.unit.findMany({
    where: { OR: [{ kind: { in: ["commune", "district", "department"] } }, { path: { startsWith: root.path } }] },
    select: { code: true, name: true, kind: true },
  });
}

/** The plans in force under the official's node: indicator words match only those plans' targets. */
async function scopePlanIds(ctx: BotContext, root: ScopeNode): Promise<string[]> {
  const { db } = ctx.deps;
  const own = await effectivePlanId(db, root);
  const below = await db.unit.findMany({ where: { path: { startsWith: root.path }, planId: { not: null } }, select: { planId: true }, distinct: ["planId"] });
  return [...new Set([own, ...below.map((u) => u.planId)].filter((p): p is string => !!p))];
}

/** A name the model gave (an area or a unit) → the unit's code, matching without diacritics. */
function codeForName(name: string, units: Array<{ code: string; name: string }>): string | undefined {
  const f = fold(name);
  return units.find((u) => u.code.toLowerCase() === f || fold(u.name) === f)?.code ?? units.find((u) => fold(u.name).includes(f))?.code;
}

/** Words → a structured query: the rule-based parser, then (when configured and unclear) the LLM. */
async function readQuestion(ctx: BotContext, root: ScopeNode, text: string, useLlm: boolean) {
  const units = await nameableUnits(ctx, root);
  const now = ctx.deps.now();
  const q = parseOfficialQuestion(text, { now, catalog: await ctx.deps.catalog.get(), units, planIds: await scopePlanIds(ctx, root) });
  const llm = ctx.deps.config.llm;
  if (q.kind !== "unclear" || !useLlm || !llm) return q;
  const viaModel = await llmOfficialQuery({ apiKey: llm.apiKey, baseURL: llm.baseURL, model: llm.model }, text, await ctx.deps.catalog.get(), now);
  if (!viaModel) return q;
  if (viaModel.kind !== "unclear") {
    if (viaModel.area && !viaModel.area.code) viaModel.area.code = codeForName(viaModel.area.name, units) ?? "?";
    if (viaModel.unit && !viaModel.unit.code) viaModel.unit.code = codeForName(viaModel.unit.name, units);
  }
  return viaModel;
}

async function offerSuggestions(ctx: BotContext, prompt: string) {
  const kb = new InlineKeyboard();
  SUGGESTIONS.forEach((s, i) => kb.text(s, `o:sg:${i}`).row());
  await ctx.reply(prompt, { reply_markup: kb });
}

/** Read an official's words; false when this user is not an official or the text is not about reports. */
export async function handleOfficialText(ctx: BotContext, text: string): Promise<boolean> {
  if (isPlanQuestion(text)) return false; // what the plans say: the plans Q&A answers it
  const root = await scopeRoot(ctx);
  if (!root) return false;
  const q = await readQuestion(ctx, root, text, true);
  if (q.kind === "unclear") {
    if (!q.missing.includes("unit")) return false; // not about reports: the plans Q&A answers it
    await offerSuggestions(ctx, "Bạn muốn xem báo cáo của đơn vị nào? Gõ tên hoặc mã đơn vị, hoặc chọn câu hỏi mẫu:");
    return true;
  }
  await runOfficialQuery(ctx, q, 0, root);
  return true;
}

/** A command with optional words after it: "/tiendo chữ ký số quý 1". */
async function command(ctx: BotContext, kindPhrase: string, rest: string) {
  const root = await scopeRoot(ctx);
  if (!root) return notOfficial(ctx);
  const q = await readQuestion(ctx, root, `${kindPhrase} ${rest}`, false);
  if (q.kind === "unclear") return offerSuggestions(ctx, "Bạn muốn xem gì? Chọn một câu hỏi mẫu:");
  await runOfficialQuery(ctx, q, 0, root);
}

export const officialsFeature = new Composer<BotContext>();
const privateChats = officialsFeature.chatType("private");

privateChats.command("trehan", (ctx) => command(ctx, "đơn vị chưa báo cáo", ctx.match));
privateChats.command("tiendo", (ctx) => command(ctx, "tiến độ chỉ tiêu", ctx.match));
privateChats.command("xuat", (ctx) => command(ctx, "xuất excel", ctx.match));
privateChats.command("nhac", (ctx) => command(ctx, "nhắc đơn vị chưa báo cáo", ctx.match));

privateChats.callbackQuery(/^o:sg:(\d+)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const text = SUGGESTIONS[Number(ctx.match[1])];
  if (!text) return;
  if (!(await handleOfficialText(ctx, text))) await notOfficial(ctx);
});

privateChats.callbackQuery(/^o:pg:(\w+):(\d+):s$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const list = ctx.session.list;
  if (!list) return void (await ctx.reply("Danh sách đã cũ. Vui lòng hỏi lại."));
  const [kind, period, under, below, indicators, level] = list.key.split("|");
  const q: OfficialQuery = {
    kind: kind as OfficialQuery["kind"],
    period: period!,
    periodLabel: "",
    periodDefaulted: false,
    belowOnly: below === "1",
    area: { name: under!, code: under },
    ...(indicators ? { indicators: indicators.split(",") } : {}),
    ...(level ? { level } : {}),
  };
  await runOfficialQuery(ctx, q, Number(ctx.match[2]));
});
