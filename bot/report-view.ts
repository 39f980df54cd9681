/**
 * How a report looks in the chat: the question prompt with its buttons, and the summary.
 * Pure functions from a ReportState to { text, keyboard } (HTML parse mode).
 */
import { InlineKeyboard } from "grammy";
import type { CatalogEntry } from "../core/catalog/index.ts";
import { formatStoredAnswer } from "./messages/values.ts";
import { formatThreshold, unitTarget } from "../core/reporting/check.ts";
import { formatPeriod, formatVietnamDate } from "../core/reporting/periods.ts";
import { isComplete, type ReportState } from "../core/reporting/reports.ts";
import { clip } from "./telegram-text.ts";

export interface View {
  text: string;
  keyboard?: InlineKeyboard;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Callback data: "r:<action>:<reportId>[:<code>[:<value>]]" (≤ 64 bytes). */
export function cb(action: string, reportId: number, code?: string, value?: string | number): string {
  return ["r", action, reportId, code, value].filter((p) => p !== undefined).join(":");
}

export function parseCb(data: string): { action: string; reportId: number; code?: string; value?: string } | null {
  const [r, action, id, code, value] = data.split(":");
  if (r !== "r" || !action || !id || !/^\d+$/.test(id)) return null;
  return { action, reportId: Number(id), code, value };
}

/** A unit's name as shown in a message: escaped, and cut when absurdly long. */
export function unitNameHtml(name: string): string {
  return escapeHtml(clip(name, 120));
}

function header(state: ReportState): string {
  return `📝 <b>Báo cáo ${formatPeriod(state.period)}</b> · ${unitNameHtml(state.unit.name)}`;
}

/**
 * Characters of one summary page (HTML). Telegram's limit is 4,096; the rest is room for what a
 * caller puts before the summary ("✔️ Đã ghi …", "↩️ Tiếp tục báo cáo:").
 */
export const SUMMARY_PAGE_CHARS = 3500;

/** The target in words a focal point understands: "≥ 90%", "100% đơn vị thực hiện", "≥ 6 trường (toàn địa bàn)". */
export function targetText(entry: CatalogEntry): string {
  if (entry.rollup === "share_yes") return `${formatThreshold(entry.threshold)} đơn vị thực hiện`;
  if (entry.rollup === "count_yes") return `${formatThreshold(entry.threshold, "đơn vị")} (toàn địa bàn)`;
  const t = unitTarget(entry) ?? entry.threshold;
  return formatThreshold(t, entry.measure.type === "count" ? entry.measure.unit : undefined);
}

/** The prompt for one question: progress, the question, the target, and quick-answer buttons. */
export function questionView(state: ReportState, entry: CatalogEntry, mode: "ask" | "edit" = "ask"): View {
  const index = state.indicators.findIndex((e) => e.code === entry.code) + 1;
  const total = state.indicators.length;
  const progress = mode === "edit" ? `✏️ Sửa câu ${index}/${total}` : `Câu ${index}/${total}`;
  const lines = [
    header(state),
    `<b>${progress}</b> — ${escapeHtml(entry.short)}`,
    escapeHtml(clip(entry.question, 1500)),
    `🎯 Chỉ tiêu: ${escapeHtml(targetText(entry))}`,
  ];
  const current = state.answers.get(entry.code);
  if (current && !current.skipped) lines.push(`Đang ghi: ${escapeHtml(formatStoredAnswer(entry, current))}`);

  const kb = new InlineKeyboard();
  const rid = state.report.id;
  if (entry.measure.type === "boolean") {
    // the buttons answer the question as it is asked: "… chưa?" → Có / Chưa, "… không?" → Có / Không
    const no = /(không\??|\(có\/không\))\s*$/iu.test(entry.question) ? ["Không", "khong"] : ["Chưa", "chua"];
    kb.text("Có", cb("ans", rid, entry.code, "co")).text(no[0]!, cb("ans", rid, entry.code, no[1]!)).row();
  } else if (entry.measure.type === "level") {
    for (let l = entry.measure.min; l <= entry.measure.max; l++) kb.text(`Mức ${l}`, cb("ans", rid, entry.code, `muc ${l}`));
    kb.row();
  }
  const prev = state.previous.get(entry.code);
  if (prev) {
    lines.push(`Kỳ trước: ${escapeHtml(formatStoredAnswer(entry, prev))}`);
    kb.text(`↩️ Giữ như kỳ trước: ${formatStoredAnswer(entry, prev)}`.slice(0, 60), cb("keep", rid, entry.code)).row();
  }
  if (mode === "ask") kb.text("⏭ Bỏ qua", cb("skip", rid, entry.code));
  else kb.text("↩️ Về tóm tắt", cb("sum", rid));
  kb.text("✖️ Hủy", cb("cancel", rid));
  lines.push("<i>Gõ câu trả lời, hoặc chọn nút bên dưới. Có thể hỏi thêm, ví dụ: \"chữ ký số là gì?\"</i>");
  return { text: lines.join("\n"), keyboard: kb };
}

/**
 * The summary before submitting (or of a submitted report, with its edit buttons). A long summary
 * (long reasons, many questions) is shown in pages of at most {@link SUMMARY_PAGE_CHARS}: every
 * page carries the same action buttons (Gửi báo cáo…) and ◀️/▶️ to turn pages, so nothing is cut.
 */
export function summaryView(state: ReportState, page = 0): View {
  const { report } = state;
  const head = [header(state)];
  if (report.status === "submitted" && report.submittedAt) {
    head.push(
      `✅ Đã nộp lúc ${formatVietnamDate(report.submittedAt, true)} (lần ${report.revision}, ${report.onTime ? "đúng hạn" : "trễ hạn"}).`,
    );
  } else {
    head.push(`Hạn nộp: trước 00:00 ngày ${formatVietnamDate(report.deadline)}`);
  }
  const items: string[] = [];
  state.indicators.forEach((e, i) => {
    const a = state.answers.get(e.code);
    const changed = state.pending.has(e.code) ? " ✏️" : "";
    const short = escapeHtml(clip(e.short, 200));
    if (!a) return void items.push(`${i + 1}. ${short}: <i>chưa trả lời</i>`);
    if (a.skipped) return void items.push(`${i + 1}. ${short}: <i>bỏ qua, cần trả lời</i>`);
    const flag = a.meetsTarget === false ? ` ⚠️ dưới chỉ tiêu ${escapeHtml(targetText(e))}` : a.meetsTarget ? " ✅" : "";
    // a reason is stored up to 500 characters; one longer (older data) is shown cut, never breaks the page
    const reason = a.reason ? ` — Lý do: ${escapeHtml(clip(a.reason, 1000))}` : "";
    items.push(`${i + 1}. ${short}: ${escapeHtml(clip(formatStoredAnswer(e, a), 300))}${flag}${reason}${changed}`);
  });

  const rid = report.id;
  const kb = new InlineKeyboard();
  const foot: string[] = [];
  const incomplete = state.indicators.filter((e) => !isComplete(state.answers.get(e.code)));
  if (report.status === "submitted") {
    if (state.pending.size > 0) foot.push(`✏️ Có ${state.pending.size} thay đổi chưa gửi: bấm <b>Gửi bản sửa</b> để lưu thành bản sửa mới.`);
    if (state.pending.size > 0) kb.text("✅ Gửi bản sửa", cb("submit", rid)).row();
    kb.text("✏️ Sửa một câu", cb("editpick", rid)).text("Đóng", cb("close", rid));
    if (state.pending.size > 0) kb.row().text("✖️ Bỏ các thay đổi", cb("cancel", rid));
  } else if (incomplete.length > 0) {
    foot.push(`⏭ Còn ${incomplete.length} câu cần trả lời trước khi gửi.`);
    kb.text(`↪️ Trả lời ${incomplete.length} câu còn lại`, cb("resume", rid)).row();
    kb.text("✏️ Sửa một câu", cb("editpick", rid)).text("✖️ Hủy", cb("cancel", rid));
  } else {
    foot.push("Kiểm tra lại rồi bấm <b>Gửi báo cáo</b>.");
    kb.text("✅ Gửi báo cáo", cb("submit", rid)).row();
    kb.text("✏️ Sửa một câu", cb("editpick", rid)).text("✖️ Hủy", cb("cancel", rid));
  }

  // pages of whole items; the header and the footer on every page
  const fixed = [...head, "<b>Tóm tắt (trang 10/10)</b>", ...foot].join("\n").length + 1;
  const pages: string[][] = [[]];
  let size = fixed;
  for (const item of items) {
    if (pages[pages.length - 1]!.length > 0 && size + item.length + 1 > SUMMARY_PAGE_CHARS) {
      pages.push([]);
      size = fixed;
    }
    pages[pages.length - 1]!.push(item);
    size += item.length + 1;
  }
  const at = Math.min(Math.max(0, Math.trunc(page) || 0), pages.length - 1);
  const title = pages.length > 1 ? `<b>Tóm tắt (trang ${at + 1}/${pages.length})</b>` : "<b>Tóm tắt</b>";
  if (pages.length > 1) {
    kb.row();
    if (at > 0) kb.text(`◀️ Trang ${at}`, cb("sum", rid, String(at - 1)));
    if (at < pages.length - 1) kb.text(`Trang ${at + 2} ▶️`, cb("sum", rid, String(at + 1)));
  }
  return { text: [...head, title, ...pages[at]!, ...foot].join("\n"), keyboard: kb };
}

/** Number buttons to pick the question to edit. */
export function pickQuestionView(state: ReportState): View {
  const kb = new InlineKeyboard();
  state.indicators.forEach((e, i) => {
    kb.text(String(i + 1), cb("edit", state.report.id, e.code));
    if ((i + 1) % 6 === 0) kb.row();
  });
  kb.row().text("↩️ Về tóm tắt", cb("sum", state.report.id));
  return { text: `${header(state)}\nChọn số câu muốn sửa:`, keyboard: kb };
}

