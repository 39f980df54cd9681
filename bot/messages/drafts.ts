/**
 * Why a draft plan's target cannot be published or edited, and why a plan sheet was not taken:
 * core/plans returns the problems as data, these are their words (the bot's plan review and the
 * CLI's `catalog` verbs; no grammY here, so cli/ imports it).
 */
import type { DraftEditProblem, DraftProblem, PlanPeriodProblem } from "../../core/plans/drafts.ts";
import type { PlanSheetWords, SheetProblem } from "../../core/plans/sheet.ts";
import { echo } from "../../core/text.ts";
import type { ExtractResult } from "../../core/catalog/extract.ts";

/** "chưa có mức chỉ tiêu"; a schema problem names its field ("threshold.value: …"). */
export function draftProblemText(p: DraftProblem): string {
  switch (p.kind) {
    case "no_measure":
      return "chưa có cách đo (tỷ lệ, số lượng, có/không, mức độ)";
    case "no_threshold":
      return "chưa có mức chỉ tiêu";
    case "no_rollup":
      return "chưa có cách tổng hợp";
    case "schema":
      return `${p.path || "mục"}: ${p.message}`;
  }
}

/** The first bad field of an edit. */
export function draftEditProblemText(p: DraftEditProblem): string {
  return {
    threshold: "mức chỉ tiêu không hợp lệ",
    measure: "cách đo không hợp lệ",
    frequency: "tần suất không hợp lệ",
    levels: "cấp học không hợp lệ",
    empty_text: "nội dung không được để trống",
  }[p];
}

/** A plan's period that cannot be used. */
export function planPeriodProblemText(p: PlanPeriodProblem): string {
  return p.kind === "order" ? "Kỳ bắt đầu phải trước kỳ kết thúc." : `Kỳ báo cáo không hợp lệ: "${echo(p.key)}".`;
}

/** The labels of a plan sheet's first page (`catalog export`). */
export const PLAN_SHEET_WORDS: PlanSheetWords = {
  title: "Tên",
  number: "Số",
  issuer: "Cơ quan ban hành",
  status: "Trạng thái",
  instruction: 'Sửa các dòng ở trang "Chỉ tiêu" rồi nạp lại: npm run cli -- catalog import <tệp>. Ghi x ở cột drop để bỏ một chỉ tiêu.',
};

/** One problem of a plan sheet (`catalog import`), without its row. */
export function sheetProblemText(p: SheetProblem): string {
  switch (p.kind) {
    case "no_code":
      return "thiếu mã chỉ tiêu (cột code)";
    case "bad_measure":
      return `cột measure phải là ratio, percent, count, boolean hoặc level (đang là "${p.got}")`;
    case "bad_levels":
      return `cấp học không hợp lệ: ${p.levels.join(", ")} (dùng ${p.allowed.join(", ")})`;
    case "schema":
      return `${p.path || "dòng"}: ${p.message}`;
    case "unreadable_json":
      return `tệp JSON không đọc được: ${p.error}`;
    case "json_shape":
      return "tệp JSON phải có dạng {plan: {id, …}, entries: [...]} như catalog export tạo ra";
    case "wrong_file_type":
      return "chỉ nạp được tệp .xlsx hoặc .json do catalog export tạo ra";
    case "unreadable_xlsx":
      return `tệp Excel không đọc được: ${p.error}`;
    case "missing_sheets":
      return 'thiếu trang "Kế hoạch" (ô B1 = mã kế hoạch) hoặc trang "Chỉ tiêu"';
    case "missing_columns":
      return `thiếu cột: ${p.columns.join(", ")}`;
    case "unknown_plan":
      return `không có kế hoạch "${p.planId}" trong cơ sở dữ liệu (thêm bằng plans add)`;
    case "duplicate_code":
      return `mã ${p.code} trùng với dòng ${p.firstRow}`;
    case "wrong_prefix":
      return `mã chỉ tiêu của kế hoạch này phải bắt đầu bằng ${p.prefix}-`;
    case "nothing_to_drop":
      return `không có chỉ tiêu ${p.code} để bỏ`;
  }
}

/**
 * What the reviewer reads after `catalog extract` with a model configured: why the rules' drafts
 * were kept (core/catalog/extract.ts ExtractResult.fallback) and how many model drafts were dropped.
 */
export function extractNoteText(r: Pick<ExtractResult, "fallback" | "dropped">): string | undefined {
  const dropped = r.dropped ?? [];
  const droppedNote = dropped.length
    ? `Đã bỏ ${dropped.length} chỉ tiêu do mô hình đề xuất: ${dropped.filter((d) => d.reason === "quote_not_in_text").length} có trích dẫn không có trong văn bản, ${dropped.filter((d) => d.reason === "invalid").length} sai định dạng.`
    : undefined;
  if (r.fallback?.kind === "model_failed") return `Không gọi được mô hình (${r.fallback.error}); giữ kết quả theo quy tắc.`;
  if (r.fallback?.kind === "model_empty") return `Mô hình không trả về bản nháp hợp lệ; giữ kết quả theo quy tắc.${droppedNote ? " " + droppedNote : ""}`;
  return droppedNote;
}
