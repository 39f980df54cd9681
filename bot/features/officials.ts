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
  schoolsChartPng,
  isPlanQuestion,
  type LateReport,
  type OfficialQuery,
  type ProgressReport,
} from "../../core/officials/index.ts";
import type { OutlierFlag } from "../../core/officials/progress.ts";
import { llmOfficialQuery } from "../../core/officials/llm-intent.ts";
import {
  nudgePlan,
  officialScope,
  scopedExport,
  scopedHistory,
  scopedLate,
  scopedProgress,
  wordsContext,
  type FocalContact,
  type OfficialScope,
  type Refusal,
} from "../../core/officials/access.ts";
import { aggregateUnit, formatNumber, withUnit } from "../../core/reporting/format.ts";
import { changeText, shortfallText, unitAnswerText, UNITS_NOUN } from "../messages/values.ts";
import { deadlineText } from "../messages/report.ts";
import { CHART_WORDS, historyTargetName, OFFICIAL_SUGGESTIONS, planNameText, SHEET_WORDS } from "../messages/officials.ts";
import { formatThreshold } from "../../core/reporting/check.ts";
import { fold } from "../../core/text.ts";
import { formatVietnamDate } from "../../core/reporting/periods.ts";
import type { BotContext } from "../context.ts";
import { deliver } from "../reminders.ts";
import { escapeHtml, unitNameHtml } from "../report-view.ts";
import { withDashboardButton } from "../dashboard-button.ts";

const PAGE = 20;

type ScopeNode = OfficialScope;

/** The official's scope (core decides), or null for everyone else. */
function scopeRoot(ctx: BotContext): Promise<ScopeNode | null> {
  return officialScope(ctx.deps.db, ctx.user);
}

/** A refusal names only the asker's own scope, never the unit asked about. */
export function refusalText(r: Refusal): string {
  return r.problem === "outside_scope"
    ? `Bạn chỉ xem được các đơn vị thuộc ${r.scopeName}; đơn vị bạn hỏi không thuộc phạm vi này. Hãy hỏi về một đơn vị trong ${r.scopeName}, hoặc gõ /trehan để xem cả phạm vi của bạn.`
    : `Không tìm thấy đơn vị bạn hỏi trong phạm vi ${r.scopeName}. Hãy gõ tên trường, ví dụ: "lịch sử báo cáo của trường Hoa Mai".`;
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
  const names = units.slice(0, 15).map((u) => unitNameHtml(u.name)).join(", ") + (units.length > 15 ? ` và ${units.length - 15} đơn vị khác` : "");
  return (
    `⚠️ Chưa có kế hoạch nào áp dụng cho ${units.length} đơn vị trong ${periodLabel}: ${names}. ` +
    "Các đơn vị này chưa được hỏi và chưa tính vào số phải báo cáo. " +
    "Cách khắc phục: quản trị viên gắn kế hoạch cho đơn vị (hoặc đơn vị cấp trên) bằng lệnh <code>npm run cli -- units plan &lt;mã đơn vị&gt; &lt;mã kế hoạch&gt;</code>."
  );
}

const APPROVAL_TEXT: Record<string, string> = { approved: " (đã duyệt)", pending: " (chờ duyệt)", returned: " (bị trả lại, chờ sửa)" };

export function lateText(r: LateReport, page: number, now: Date = new Date()): { text: string; pages: number } {
  if (r.status === "no_plan") {
    return { text: [`📋 <b>Tình hình báo cáo ${r.periodLabel}</b> — ${unitNameHtml(r.under.name)}`, "", noPlanText(r.withoutPlan, r.periodLabel)].join("\n"), pages: 1 };
  }
  const status = deadlineText(r.deadline, now); // one wording: "hạn 19/11/2026 — đã quá 11 ngày"
  const head = [
    `📋 <b>Tình hình báo cáo ${r.periodLabel}</b> — ${unitNameHtml(r.under.name)}`,
    `${status[0]!.toUpperCase()}${status.slice(1)}.`,
    `Đã nộp: <b>${r.submitted}/${r.expected}</b> đơn vị (tỷ lệ báo cáo ${pct(r.reportingRate)}), đúng hạn ${r.onTime} (${pct(r.onTimeRate)}).`,
    ...(r.submitted > 0
      ? [`Phê duyệt: ${r.approval.approved} đã duyệt, ${r.approval.pending} chờ duyệt${r.approval.returned ? `, ${r.approval.returned} bị trả lại chờ sửa` : ""}.`]
      : []),
  ];
  const lines: string[] = [];
  if (r.missing.length) lines.push(`⛔ <b>Chưa nộp (${r.missing.length})</b>`);
  for (const u of r.missing) {
    // the managing unit only where it says something: not the viewer's own unit on every line
    const parent = u.parentName && u.parentName !== r.under.name ? ` — ${unitNameHtml(u.parentName)}` : "";
    lines.push(`• ${unitNameHtml(u.name)}${parent}${u.status === "draft" ? " (đang làm dở)" : ""}`);
  }
  if (r.late.length) lines.push(`⏰ <b>Nộp trễ hạn (${r.late.length})</b>`);
  const approvalOf = new Map(r.statuses.map((st) => [st.unit.id, st.approval]));
  for (const u of r.late) lines.push(`• ${unitNameHtml(u.name)} — nộp ${formatVietnamDate(u.submittedAt, true)}${APPROVAL_TEXT[approvalOf.get(u.id) ?? ""] ?? ""}`);
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

/** Outlier flags in words (core/officials/progress.ts outlierOf). */
export const OUTLIER_TEXT: Record<OutlierFlag, string> = {
  drop: "giảm mạnh so với kỳ trước, cần kiểm tra",
  denominator_jump: "tổng số thay đổi bất thường so với kỳ trước, cần kiểm tra",
};

export function progressText(r: ProgressReport, belowOnly: boolean, page: number): { text: string; pages: number } {
  const head = [`📈 <b>Tiến độ chỉ tiêu ${r.periodLabel}</b> — ${unitNameHtml(r.under.name)}`];
  if (r.status === "no_plan") return { text: [...head, "", noPlanText(r.withoutPlan, r.periodLabel)].join("\n"), pages: 1 };
  const lines: string[] = [];
  // targets grouped by plan, each plan named (several plans can apply under a department)
  const planOf = new Map(r.indicators.map((i) => [i, planNameText(i.plan)]));
  const plans = [...new Set(planOf.values())];
  const ordered = plans.length > 1 ? plans.flatMap((p) => r.indicators.filter((i) => planOf.get(i) === p)) : r.indicators;
  let currentPlan = "";
  for (const i of ordered) {
    if (belowOnly && i.belowCount === 0 && i.meets !== false) continue;
    const planName = planOf.get(i)!;
    if (plans.length > 1 && planName !== currentPlan) {
      currentPlan = planName;
      lines.push(`📘 <b>${escapeHtml(planName)}</b>`);
    }
    const mark = i.meets === null ? "▫️" : i.meets ? "✅" : "❌";
    const unit = aggregateUnit(i.rollup, i.countUnit, UNITS_NOUN);
    const value = i.value === null ? "chưa có số liệu" : withUnit(i.value, unit);
    const ratio = i.rollup === "sum_ratio" && i.numerator !== null ? ` (${formatNumber(i.numerator)}/${formatNumber(i.denominator ?? 0)})` : "";
    const change = i.change !== null ? `, ${changeText(i.change, unit)} so với kỳ trước` : "";
    const missing = i.meets === false && i.missing ? ` — ${shortfallText(i.missing, i.missingUnit)}` : "";
    const target = formatThreshold(i.threshold, i.rollup === "count_yes" ? "đơn vị" : undefined);
    lines.push(`${mark} <b>${escapeHtml(i.short)}</b>: ${value}${ratio}, chỉ tiêu ${escapeHtml(target)}${missing}${change}. ${i.answered}/${i.expectedUnits} đơn vị đã báo cáo, ${i.meetingUnits} đạt.`);
    if (belowOnly || i.belowCount > 0) {
      for (const b of i.below.slice(0, belowOnly ? 50 : 5)) {
        const v = unitAnswerText(i.measure, b, i.countUnit);
        const flag = b.outlier ? ` ⚠️ ${OUTLIER_TEXT[b.outlier]}` : "";
        lines.push(`   • ${unitNameHtml(b.unit.name)}: ${escapeHtml(v)}${b.missing ? `, ${shortfallText(b.missing, b.missingUnit)}` : ""}${flag} — ${b.reason ? `lý do: “${escapeHtml(b.reason)}”` : "chưa ghi lý do"}`);
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

/** Run a structured query for an official and reply (text, chart, file). Core checks the scope. */
export async function runOfficialQuery(ctx: BotContext, q: OfficialQuery, page = 0, root?: ScopeNode): Promise<void> {
  const scope = root ?? (await scopeRoot(ctx));
  if (!scope) return notOfficial(ctx);
  const deps = { db: ctx.deps.db, catalog: await ctx.deps.catalog.get(), now: ctx.deps.now() };
  const area = q.area?.code;
  // pagination state: the query, so "Sau ▶️" re-runs it (callback data stays short)
  const key = `${q.kind}|${q.period}|${area ?? ""}|${q.belowOnly ? 1 : 0}|${(q.indicators ?? []).join(",")}|${q.level ?? ""}|${q.approvedOnly ? 1 : 0}`;
  ctx.session.list = { kind: q.kind, key, page };

  if (q.kind === "history") return history(ctx, deps, scope, q);
  if (q.kind === "late") {
    const r = await scopedLate(deps, scope, { period: q.period, area, level: q.level });
    if (!r.ok) return void (await ctx.reply(refusalText(r)));
    const { text, pages } = lateText(r.report, page, deps.now);
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: withDashboardButton(ctx, pager("late", "s", page, pages)) });
    const chartable = r.report.groups.byParent.filter((g) => g.expected > 0);
    const png = page === 0 && chartable.length > 1 ? await reportingRateChartPng(r.report, CHART_WORDS) : null;
    if (png) await ctx.replyWithPhoto(new InputFile(png, "ty-le-bao-cao.png"), { caption: `Tỷ lệ báo cáo ${r.report.periodLabel} theo đơn vị quản lý` });
    return;
  }
  if (q.kind === "progress") {
    const ask = (period: string) =>
      scopedProgress(deps, scope, { period, area, indicator: q.indicators, level: q.level, belowLimit: q.belowOnly ? 50 : 5, approvedOnly: q.approvedOnly });
    const first = await ask(q.period);
    if (!first.ok) return void (await ctx.reply(refusalText(first)));
    let r = first.report;
    // No period named and nothing reported yet this period: show the last one that has data.
    if (q.periodDefaulted && r.indicators.every((i) => i.answered === 0) && page === 0) {
      const previous = await ask(r.previousPeriod);
      if (previous.ok && previous.report.indicators.some((i) => i.answered > 0)) {
        await ctx.reply(`Kỳ ${r.periodLabel} chưa có báo cáo nào được nộp; dưới đây là ${previous.report.periodLabel}.`);
        r = previous.report;
        ctx.session.list = { kind: q.kind, key: key.replace(`|${q.period}|`, `|${r.period}|`), page };
      }
    }
    const { text, pages } = progressText(r, !!q.belowOnly, page);
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: withDashboardButton(ctx, pager("progress", "s", page, pages)) });
    // One target asked about ("Trường nào chưa đạt chỉ tiêu chữ ký số?"): one bar per school; else one bar per target.
    const one = r.indicators.length === 1 ? r.indicators[0]! : null;
    const perSchool = page === 0 && one && one.below.length > 0 ? await schoolsChartPng(r, one.code, CHART_WORDS) : null;
    const png = perSchool ?? (page === 0 ? await progressChartPng(r, CHART_WORDS) : null);
    if (png) {
      await ctx.replyWithPhoto(new InputFile(png, perSchool ? "truong-chua-dat.png" : "tien-do-chi-tieu.png"), {
        caption: perSchool ? `Các trường chưa đạt ${r.periodLabel} so với chỉ tiêu (vạch đen: mức chỉ tiêu)` : `Tiến độ ${r.periodLabel} so với chỉ tiêu (vạch đen: mức chỉ tiêu)`,
      });
    }
    return;
  }
  if (q.kind === "export") {
    await ctx.replyWithChatAction("upload_document").catch(() => undefined);
    const r = await scopedExport(deps, scope, { period: q.period, area, format: q.format }, SHEET_WORDS);
    if (!r.ok) return void (await ctx.reply(refusalText(r)));
    await ctx.replyWithDocument(new InputFile(r.file.buffer, r.file.filename), {
      caption: `Bảng tổng hợp ${q.periodLabel}: mỗi dòng một đơn vị, mỗi cột một chỉ tiêu; trang "Tổng hợp" so với chỉ tiêu.`,
    });
    return;
  }
  if (q.kind === "nudge") return nudgePreview(ctx, deps, scope, q);
}

type Deps = Parameters<typeof scopedLate>[0];

/** One unit's reports over the last periods (only a unit inside the official's scope). */
async function history(ctx: BotContext, deps: Deps, scope: ScopeNode, q: OfficialQuery) {
  const r = await scopedHistory(deps, scope, { unitCode: q.unit?.code });
  if (!r.ok) return void (await ctx.reply(refusalText(r)));
  const h = r.history;
  const wanted = q.indicators?.length ? new Set(q.indicators) : null;
  const lines = [`🗂 <b>Báo cáo của ${unitNameHtml(h.unit.name)}</b>`];
  if (h.periods.length === 0) lines.push("Chưa có báo cáo nào.");
  for (const p of h.periods.slice(0, wanted ? 12 : 4)) {
    const approval = p.approval === "approved" ? ", đã duyệt" : p.approval === "returned" ? ", bị trả lại" : "";
    const status = p.status === "submitted" ? `đã nộp ${p.submittedAt ? formatVietnamDate(p.submittedAt, true) : ""}${p.onTime === false ? " (trễ hạn)" : ""}${p.revision > 1 ? `, sửa ${p.revision - 1} lần` : ""}${approval}` : "đang làm dở";
    const answers = p.answers.filter((a) => !wanted || wanted.has(a.code));
    if (wanted) {
      for (const a of answers) lines.push(`• <b>${p.periodLabel}</b> — ${escapeHtml(historyTargetName(a.short))}: ${historyValue(a)}${a.meetsTarget === false ? " ⚠️" : ""}${a.reason ? ` (${escapeHtml(a.reason)})` : ""}`);
      continue;
    }
    lines.push("", `<b>${p.periodLabel}</b> — ${status}`);
    for (const a of answers) lines.push(`• ${escapeHtml(historyTargetName(a.short))}: ${historyValue(a)}${a.meetsTarget === false ? " ⚠️" : ""}${a.reason ? ` (${escapeHtml(a.reason)})` : ""}`);
  }
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}

function historyValue(a: { skipped: boolean; numerator: number | null; denominator: number | null; value: number | null; measure: string | null; countUnit: string | null }): string {
  if (a.skipped) return "bỏ qua";
  return escapeHtml(unitAnswerText((a.measure ?? "count") as Parameters<typeof unitAnswerText>[0], a, a.countUnit));
}

function contactText(c: FocalContact): string {
  const who = [c.name, c.phone].filter(Boolean).join(", ");
  return `• ${unitNameHtml(c.unitName)}${who ? ` — ${escapeHtml(who)}` : " — chưa có thông tin đầu mối"}`;
}

/** /nhac: who will be nudged and who cannot be reached (name and phone to call), then [Gửi nhắc] / [Hủy]. */
async function nudgePreview(ctx: BotContext, deps: Deps, scope: ScopeNode, q: OfficialQuery) {
  const r = await nudgePlan(deps, scope, { period: q.period, area: q.area?.code });
  if (!r.ok) return void (await ctx.reply(refusalText(r)));
  const { report, items, unreachable } = r.plan;
  if (report.status === "no_plan") return void (await ctx.reply(noPlanText(report.withoutPlan, report.periodLabel), { parse_mode: "HTML" }));
  if (report.missing.length === 0) return void (await ctx.reply(`✅ Tất cả đơn vị đã nộp báo cáo ${report.periodLabel}. Không cần nhắc.`));
  const units = [...new Set(items.map((i) => i.unitName))];
  const lines = [
    `📨 <b>Nhắc báo cáo ${report.periodLabel}</b> (${deadlineText(report.deadline, deps.now ?? new Date())})`,
    `Sẽ gửi nhắc tới ${items.length} đầu mối của ${units.length} đơn vị chưa nộp:`,
    ...units.slice(0, 30).map((n) => `• ${unitNameHtml(n)}`),
    ...(units.length > 30 ? [`… và ${units.length - 30} đơn vị khác`] : []),
    ...(unreachable.length
      ? ["", `⚠️ <b>Không nhắn được qua bot (${unreachable.length})</b> — vui lòng gọi trực tiếp:`, ...unreachable.slice(0, 30).map(contactText)]
      : []),
  ];
  ctx.session.list = { kind: "nudge", key: `${q.period}|${q.area?.code ?? ""}`, page: 0 };
  const kb = items.length ? new InlineKeyboard().text(`📨 Gửi nhắc (${items.length})`, "o:nh:go").text("✖️ Hủy", "o:nh:no") : undefined;
  if (!items.length) lines.push("", "Không có đầu mối nào nhắn được qua bot.");
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: kb });
}

/** [Gửi nhắc]: recompute who is still missing (someone may have submitted meanwhile) and send. */
async function nudgeSend(ctx: BotContext) {
  const scope = await scopeRoot(ctx);
  if (!scope) return notOfficial(ctx);
  const saved = ctx.session.list;
  if (!saved || saved.kind !== "nudge") return void (await ctx.reply("Danh sách nhắc đã cũ. Gõ /nhac để xem lại."));
  ctx.session.list = undefined;
  const [period, area] = saved.key.split("|");
  const deps = { db: ctx.deps.db, catalog: await ctx.deps.catalog.get(), now: ctx.deps.now() };
  const r = await nudgePlan(deps, scope, { period: period!, area: area || undefined });
  if (!r.ok) return void (await ctx.reply(refusalText(r)));
  const { report, items, unreachable, contacts } = r.plan;
  const result = await deliver(ctx.api, ctx.deps, items);
  const refused = result.unreachableUserIds.map((id) => contacts.get(id)).filter((c): c is FocalContact => !!c);
  const all = [...unreachable, ...refused];
  const lines = [
    `📨 <b>Kết quả nhắc báo cáo ${report.periodLabel}</b>`,
    `Đã gửi: ${result.sent}`,
    `Lỗi, chưa gửi được: ${result.failed}`,
    ...(result.skipped ? [`Đã nhắc hôm nay, không gửi lại: ${result.skipped}`] : []),
    ...(result.pending ? [`Đang chờ gửi: ${result.pending} (bot sẽ tự gửi tiếp, không cần bấm lại)`] : []),
    `Không liên lạc được: ${all.length}${all.length ? " (chưa đăng ký hoặc chưa bấm Start với bot — vui lòng gọi trực tiếp):" : ""}`,
    ...all.map(contactText),
  ];
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}

/** A name the model gave (an area or a unit) → the unit's code, matching without diacritics. */
function codeForName(name: string, units: Array<{ code: string; name: string }>): string | undefined {
  const f = fold(name);
  return units.find((u) => u.code.toLowerCase() === f || fold(u.name) === f)?.code ?? units.find((u) => fold(u.name).includes(f))?.code;
}

/** Words → a structured query: the rule-based parser, then (when configured and unclear) the LLM. */
async function readQuestion(ctx: BotContext, root: ScopeNode, text: string, useLlm: boolean) {
  const { units, planIds } = await wordsContext(ctx.deps.db, root);
  const now = ctx.deps.now();
  const q = parseOfficialQuestion(text, { now, catalog: await ctx.deps.catalog.get(), units, planIds });
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
  OFFICIAL_SUGGESTIONS.forEach((s, i) => kb.text(s, `o:sg:${i}`).row());
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
  const text = OFFICIAL_SUGGESTIONS[Number(ctx.match[1])];
  if (!text) return;
  if (!(await handleOfficialText(ctx, text))) await notOfficial(ctx);
});

privateChats.callbackQuery(/^o:pg:(\w+):(\d+):s$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const list = ctx.session.list;
  if (!list) return void (await ctx.reply("Danh sách đã cũ. Vui lòng hỏi lại."));
  const [kind, period, area, below, indicators, level, approved] = list.key.split("|");
  const q: OfficialQuery = {
    kind: kind as OfficialQuery["kind"],
    period: period!,
    periodLabel: "",
    periodDefaulted: false,
    belowOnly: below === "1",
    approvedOnly: approved === "1",
    ...(area ? { area: { name: "", code: area } } : {}),
    ...(indicators ? { indicators: indicators.split(",") } : {}),
    ...(level ? { level } : {}),
  };
  await runOfficialQuery(ctx, q, Number(ctx.match[2]));
});

privateChats.callbackQuery("o:nh:go", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await nudgeSend(ctx);
});

privateChats.callbackQuery("o:nh:no", async (ctx) => {
  await ctx.answerCallbackQuery();
  ctx.session.list = undefined;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply("Đã hủy, chưa gửi nhắc nào.");
});
