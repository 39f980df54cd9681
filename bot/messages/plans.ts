/**
 * What reviewers read while taking a plan file to published targets (bot/features/plans.ts).
 * Targets are named by their short label, plans by number and issuer, periods in words —
 * never a target code, plan id or period key.
 */
import { readProblemMessage } from "./documents.ts";
import type { Frequency, Level, Measure, Threshold } from "../../core/catalog/index.ts";
import type { DocumentFormat, ReadProblem } from "../../core/plans/index.ts";
import type { DocumentPreview } from "../../core/retrieval/reference.ts";
import { formatThreshold } from "../../core/reporting/check.ts";
import { formatPeriod, parsePeriod } from "../../core/reporting/periods.ts";
import { LEVEL_LABELS } from "../../core/units/levels.ts";
import { escapeHtml } from "../report-view.ts";

/** The parts of a draft entry these messages read. */
export interface EntryLike {
  short: string;
  question: string;
  target?: string;
  measure?: Measure;
  threshold?: Threshold;
  levels: Level[];
  frequency: Frequency;
  citation: { section: string; quote: string };
}
export interface PlanLike {
  number?: string | null;
  title: string;
  issuer: string;
  docType?: string;
}


export const FREQUENCY_WORDS: Record<Frequency, string> = {
  monthly: "hằng tháng",
  quarterly: "hằng quý",
  "half-yearly": "6 tháng một lần",
  yearly: "hằng năm",
};

/** Levels a reviewer may pick for a target, in this order. */
export const REVIEW_LEVELS: Level[] = ["mn", "th", "thcs", "thpt", "gdtx", "xa", "phong", "so"];
export const levelWords = (levels: readonly Level[]) => levels.map((l) => LEVEL_LABELS[l] ?? l).join(", ");

/** "Kế hoạch số 45/KH-UBND của UBND xã An Bình": the one wording of a plan's name (common.ts). */
export { planName } from "./common.ts";
import { planName } from "./common.ts";

/** "năm 2027", "từ năm 2026 đến năm 2030", "6 tháng cuối năm 2026". */
export function periodRangeWords(from: string, to: string): string {
  const a = formatPeriod(parsePeriod(from));
  return from === to ? a : `từ ${a} đến ${formatPeriod(parsePeriod(to))}`;
}

export function thresholdWords(t?: Threshold, m?: Measure): string {
  if (!t) return "chưa có";
  return formatThreshold(t, m?.type === "count" ? m.unit : t.unit === "count" ? "đơn vị" : undefined);
}

function measureWords(m?: Measure): string {
  if (!m) return "chưa rõ";
  if (m.type === "ratio") return `tỷ lệ: ${m.numerator} trên ${m.denominator}`;
  if (m.type === "percent") return "tỷ lệ phần trăm";
  if (m.type === "count") return `số lượng (${m.unit})`;
  if (m.type === "boolean") return "có / chưa";
  return `mức độ ${m.min}–${m.max}`;
}

export const sourceWords = (c: { section: string }) => c.section;

/** Problems a file can have, each with what to do next. */
/**
 * Why a plan file was not taken, with what to do. Read problems are worded once, in
 * bot/messages/documents.ts (the CLI uses the same words); plan-specific cases are worded here.
 */
export function readProblemText(
  problem: ReadProblem | "duplicate_file" | "download_failed",
  opts: { limitBytes?: number; plan?: PlanLike; detail?: string; format?: DocumentFormat } = {},
): string {
  switch (problem) {
    case "duplicate_file":
      return `Tệp này đã được gửi trước đây${opts.plan ? `: ${planName(opts.plan)}` : ""}. Gõ /kehoach để xem các kế hoạch đang rà soát.`;
    case "download_failed":
      return "Không tải được tệp từ Telegram. Vui lòng gửi lại tệp sau ít phút.";
    default:
      return readProblemMessage({ ok: false, problem, limitBytes: opts.limitBytes, detail: opts.detail, format: opts.format });
  }
}

export const M = {
  notAllowed:
    "Cảm ơn bạn đã gửi tệp. Bot chỉ nhận tệp kế hoạch từ quản trị viên hoặc cán bộ của cơ quan ban hành kế hoạch, nên tệp này chưa được lưu.\n" +
    "Nếu bạn muốn hỏi về nội dung kế hoạch, hãy gõ câu hỏi (ví dụ: \"Chỉ tiêu chữ ký số là bao nhiêu?\").",
  reading: (name: string) => `⏳ Đang đọc tệp “${escapeHtml(name)}”…`,
  summary(plan: PlanLike, entries: Array<{ entry: EntryLike; complete: boolean }>): string {
    const head = `📄 Đã đọc <b>${escapeHtml(planName(plan))}</b>.\nĐây là bản nháp: chưa đầu mối nào nhận được câu hỏi cho đến khi bạn công bố.`;
    if (!entries.length) {
      return `${head}\n\nKhông tìm thấy chỉ tiêu nào trong tệp. Bấm “Thêm chỉ tiêu” và gõ chỉ tiêu như trong kế hoạch, ví dụ: “100% giáo viên được cấp chữ ký số”.`;
    }
    const lines = entries.slice(0, 40).map(
      (e, i) => `${i + 1}. ${escapeHtml(e.entry.short)} — ${escapeHtml(thresholdWords(e.entry.threshold, e.entry.measure))} <i>(${escapeHtml(sourceWords(e.entry.citation))})</i>${e.complete ? "" : " ⚠️"}`,
    );
    if (entries.length > 40) lines.push(`… và ${entries.length - 40} chỉ tiêu khác.`);
    const incomplete = entries.filter((e) => !e.complete).length;
    return [
      head,
      "",
      `Tìm thấy <b>${entries.length} chỉ tiêu</b> (trong ngoặc: nơi lấy ra trong văn bản):`,
      ...lines,
      ...(incomplete ? ["", `⚠️ ${incomplete} chỉ tiêu cần bổ sung trước khi công bố.`] : []),
      "",
      "Bấm “Rà soát từng chỉ tiêu” để giữ, sửa hoặc bỏ từng chỉ tiêu.",
    ].join("\n");
  },
  card(entry: EntryLike, pos: number, total: number, problems: string[]): string {
    return [
      `🔎 Chỉ tiêu ${pos + 1}/${total}: <b>${escapeHtml(entry.short)}</b>`,
      `• Mức chỉ tiêu: <b>${escapeHtml(thresholdWords(entry.threshold, entry.measure))}</b>`,
      `• Cách đo: ${escapeHtml(measureWords(entry.measure))}`,
      `• Áp dụng cho: ${escapeHtml(levelWords(entry.levels))}`,
      `• Kỳ báo cáo: ${FREQUENCY_WORDS[entry.frequency]}`,
      `• Câu hỏi cho đầu mối: “${escapeHtml(entry.question)}”`,
      `• Nguồn: ${escapeHtml(sourceWords(entry.citation))} — “${escapeHtml(clip(entry.citation.quote, 200))}”`,
      ...(problems.length ? [`⚠️ Cần bổ sung: ${escapeHtml(problems.join("; "))}`] : []),
    ].join("\n");
  },
  askThreshold: (entry: EntryLike) =>
    `Gõ mức chỉ tiêu mới cho “${escapeHtml(entry.short)}” (hiện tại: ${escapeHtml(thresholdWords(entry.threshold, entry.measure))}), ví dụ: “từ 85% trở lên”, “100%”, “ít nhất 3 trường”, “mức 2”, “không vượt quá 5%”.`,
  badThreshold: "Chưa đọc được mức chỉ tiêu. Hãy gõ kèm con số, ví dụ: “từ 85% trở lên”, “100%”, “ít nhất 3 trường”. Gõ /huy để thôi sửa.",
  thresholdSaved: (entry: EntryLike) => `✅ Đã sửa mức chỉ tiêu “${escapeHtml(entry.short)}”: ${escapeHtml(thresholdWords(entry.threshold, entry.measure))}.`,
  askQuestion: (entry: EntryLike) => `Gõ câu hỏi mới cho đầu mối (hiện tại: “${escapeHtml(entry.question)}”). Gõ /huy để thôi sửa.`,
  questionSaved: "✅ Đã sửa câu hỏi.",
  askLevels: (entry: EntryLike) => `Chọn các cấp, đơn vị được hỏi chỉ tiêu “${escapeHtml(entry.short)}” rồi bấm “Xong”.`,
  levelsSaved: (levels: Level[]) => `✅ Áp dụng cho: ${escapeHtml(levelWords(levels))}.`,
  needOneLevel: "Cần chọn ít nhất một cấp.",
  askFrequency: (entry: EntryLike) => `Đầu mối báo cáo chỉ tiêu “${escapeHtml(entry.short)}” bao lâu một lần?`,
  frequencySaved: (f: Frequency) => `✅ Kỳ báo cáo: ${FREQUENCY_WORDS[f]}.`,
  dropped: (entry: EntryLike) => `🗑 Đã bỏ chỉ tiêu “${escapeHtml(entry.short)}”.`,
  askAdd:
    "Gõ chỉ tiêu còn thiếu như cách kế hoạch viết, ví dụ: “Phấn đấu 100% trường có kho học liệu số” hoặc “Ít nhất 20 bài giảng điện tử mỗi trường”. Gõ /huy để thôi.",
  addNotFound: "Chưa thấy chỉ tiêu trong câu này: cần có đối tượng và con số, ví dụ “100% giáo viên được cấp chữ ký số”. Hãy gõ lại, hoặc /huy để thôi.",
  added: (entry: EntryLike) => `➕ Đã thêm chỉ tiêu “${escapeHtml(entry.short)}”. Kiểm tra lại bên dưới:`,
  invalidEdit: (detail?: string) => `Chưa sửa được${detail ? `: ${escapeHtml(detail)}` : ""}. Vui lòng thử lại.`,
  askPeriod: (thisYear: number) =>
    `📅 Kế hoạch áp dụng cho kỳ nào? Bấm một năm, hoặc gõ, ví dụ: “${thisYear + 1}”, “${thisYear}-${thisYear + 4}”, “6 tháng cuối năm ${thisYear}”.`,
  badPeriod: "Chưa đọc được kỳ áp dụng. Hãy gõ một năm (ví dụ 2027), một giai đoạn (2026-2030) hoặc “6 tháng cuối năm 2026”. Gõ /huy để thôi.",
  askUnitsDefault: (unitName: string, below: number) =>
    `🏫 Kế hoạch áp dụng cho <b>${escapeHtml(unitName)}</b>${below ? ` và ${below} đơn vị trực thuộc` : ""}. Đúng không?`,
  askUnitsTyped: "🏫 Kế hoạch áp dụng cho đơn vị nào? Gõ tên đơn vị, ví dụ “xã An Bình” (các đơn vị trực thuộc cũng được áp dụng).",
  unitsNotFound: (text: string) => `Không tìm thấy đơn vị nào tên “${escapeHtml(text)}” trong phạm vi của bạn. Hãy gõ lại tên đơn vị, hoặc /huy để thôi.`,
  pickUnit: "Chọn đơn vị:",
  confirm: (plan: PlanLike, period: string, unitName: string, below: number, targets: number) =>
    [
      `📢 Công bố <b>${escapeHtml(planName(plan))}</b>?`,
      `• Áp dụng: ${escapeHtml(period)}`,
      `• Đơn vị: ${escapeHtml(unitName)}${below ? ` và ${below} đơn vị trực thuộc` : ""}`,
      `• ${targets} chỉ tiêu`,
      "Sau khi công bố, đầu mối các đơn vị này sẽ thấy câu hỏi mới khi gõ /baocao.",
    ].join("\n"),
  incomplete: (items: Array<{ short: string; problems: string[] }>) =>
    [
      "Chưa công bố được: các chỉ tiêu sau còn thiếu thông tin.",
      ...items.map((i) => `• ${escapeHtml(i.short)}: ${escapeHtml(i.problems.join("; "))}`),
      "Bấm “Sửa chỉ tiêu còn thiếu” để bổ sung, hoặc bỏ chỉ tiêu đó.",
    ].join("\n"),
  nothingToPublish: "Không còn chỉ tiêu nào để công bố. Bấm “Thêm chỉ tiêu” để thêm.",
  published: (plan: PlanLike, period: string, unitName: string, targets: number) =>
    `✅ Đã công bố <b>${escapeHtml(planName(plan))}</b>: ${targets} chỉ tiêu, áp dụng ${escapeHtml(period)} cho ${escapeHtml(unitName)} và các đơn vị trực thuộc. Đầu mối sẽ thấy câu hỏi mới khi gõ /baocao.`,
  publishFailed: (detail?: string) => `Chưa công bố được${detail ? `: ${escapeHtml(detail)}` : ""}. Vui lòng thử lại.`,
  noDraft: "Không có kế hoạch nào đang rà soát. Gửi tệp kế hoạch (.pdf, .docx, .txt, .md) vào đây để bắt đầu.",
  pickDraft: "Các kế hoạch đang rà soát — chọn một để tiếp tục:",
  staleButton: "Nút này thuộc một bước đã xong. Gõ /kehoach để tiếp tục rà soát.",
  cancelled: "Đã thôi sửa. Bản nháp vẫn được giữ; gõ /kehoach để tiếp tục.",
  notReviewer: "Chỉ quản trị viên hoặc cán bộ của cơ quan ban hành mới rà soát được kế hoạch này.",
  /** An admin's file was read: plan with targets, or a reference document for Q&A only? */
  askKind(p: DocumentPreview): string {
    const guess = p.docType === "Kế hoạch" ? "Tệp có vẻ là một kế hoạch." : `Tệp có vẻ là một ${p.docType.toLowerCase()}, không phải kế hoạch.`;
    return [
      `📄 Đã đọc <b>${escapeHtml(clip(p.label, 160))}</b>${p.title ? `:\n<i>${escapeHtml(clip(p.title, 200))}</i>` : ""}`,
      guess,
      "Bạn muốn dùng tệp này thế nào?",
      "• <b>Kế hoạch có chỉ tiêu</b>: bot tìm các chỉ tiêu để bạn rà soát rồi công bố cho các đơn vị báo cáo.",
      "• <b>Tài liệu tham khảo</b>: chỉ thêm vào phần hỏi đáp, người dân hỏi sẽ được trả lời kèm trích dẫn văn bản này; không tạo chỉ tiêu.",
    ].join("\n");
  },
  /** What was read from a reference document, before it is added. */
  referencePreview(p: DocumentPreview): string {
    const rows = [
      `Loại văn bản: ${p.docType}`,
      `Số, ký hiệu: ${p.number ?? "(không ghi số)"}`,
      `Cơ quan ban hành: ${p.issuer ?? "(chưa đọc được)"}`,
      `Ngày ban hành: ${p.date ?? "(chưa đọc được)"}`,
      `Trích yếu: ${p.title ? clip(p.title, 200) : "(chưa đọc được)"}`,
      `Số mục, điều: ${p.sections}; số đoạn để trích dẫn: ${p.passages}`,
    ];
    return [
      "📚 Tài liệu tham khảo — bot đã đọc được:",
      rows.map((r) => `• ${escapeHtml(r)}`).join("\n"),
      `Câu trả lời sẽ trích dẫn là: <b>${escapeHtml(clip(p.label, 160))}</b>.`,
      "Thêm văn bản này vào phần hỏi đáp?",
    ].join("\n\n");
  },
  referenceAdded: (p: DocumentPreview, unchanged: boolean) =>
    unchanged
      ? `Văn bản <b>${escapeHtml(clip(p.label, 160))}</b> đã có trong phần hỏi đáp từ trước, nội dung không đổi. Người dân hỏi vẫn được trả lời kèm trích dẫn văn bản này.`
      : `✅ Đã thêm <b>${escapeHtml(clip(p.label, 160))}</b> vào phần hỏi đáp (${p.passages} đoạn). Từ bây giờ, ai hỏi về nội dung văn bản này sẽ được trả lời kèm trích dẫn. Văn bản không tạo chỉ tiêu báo cáo nào.`,
  referenceCancelled: "Đã hủy: văn bản chưa được thêm. Bạn có thể gửi lại tệp bất cứ lúc nào.",
  referenceNameTaken: (name: string) =>
    `Tên tệp “${escapeHtml(name)}” đang là tệp của một kế hoạch có chỉ tiêu, nên không thêm làm tài liệu tham khảo được. Vui lòng đổi tên tệp rồi gửi lại.`,
  referenceOnlyAdmins: "Chỉ quản trị viên mới thêm được tài liệu tham khảo vào phần hỏi đáp.",
} as const;

export const BUTTONS = {
  review: "🔎 Rà soát từng chỉ tiêu",
  add: "➕ Thêm chỉ tiêu",
  toPeriod: "📅 Chọn kỳ và công bố",
  keep: "✅ Giữ",
  drop: "🗑 Bỏ",
  threshold: "✏️ Mức chỉ tiêu",
  question: "✏️ Câu hỏi",
  levels: "✏️ Cấp áp dụng",
  frequency: "✏️ Kỳ báo cáo",
  done: "Xong",
  year: (y: number) => `Năm ${y}`,
  unitsOk: "✅ Đúng",
  unitsOther: "Chọn đơn vị khác",
  publish: "📢 Công bố",
  back: "↩️ Rà soát lại",
  fixIncomplete: "✏️ Sửa chỉ tiêu còn thiếu",
  kindPlan: "📋 Kế hoạch có chỉ tiêu",
  kindReference: "📚 Tài liệu tham khảo",
  referenceAdd: "✅ Thêm vào hỏi đáp",
  cancel: "✖️ Hủy",
} as const;

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
