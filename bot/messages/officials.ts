/** Words of the officials' views and verbs (late, progress, export) that core returns as data. */
import type { OfficialArgsProblem } from "../../core/officials/command.ts";
import type { IndicatorProgress, PlanRef } from "../../core/officials/progress.ts";
import type { ChartWords } from "../../core/officials/charts.ts";
import type { SheetWords } from "../../core/officials/export.ts";
import { formatNumber, withUnit } from "../../core/reporting/format.ts";
import { invalidPeriodText } from "./report.ts";
import { echo } from "../../core/text.ts";
import { planName, type PlanNaming } from "./common.ts";
import { UNITS_NOUN } from "./values.ts";

/**
 * Example questions offered as buttons when an official's question is unclear; a button sends its
 * text back through core/officials/intent.ts, which must read each one (tests/officials/intent.test.ts).
 */
export const OFFICIAL_SUGGESTIONS = [
  "Đơn vị nào chưa báo cáo tháng này?",
  "Tiến độ các chỉ tiêu quý này?",
  "Trường nào chưa đạt chỉ tiêu chữ ký số?",
  "Xuất báo cáo tháng trước ra Excel",
  "Nhắc các đơn vị chưa nộp báo cáo",
];

/** No unit has this code (core/officials/scope.ts UnknownUnitError). */
export function unknownUnitText(code: string): string {
  return `Không tìm thấy đơn vị có mã "${echo(code)}". Kiểm tra lại mã đơn vị (ví dụ: XA-TANKY).`;
}

/** A below-target answer's target in the approval queue (chat and dashboard); null: gone from the catalog. */
export function flagTargetName(short: string | null): string {
  return short ?? "một chỉ tiêu";
}

/** A target's short name in a unit's history, or what to show when it has left the catalog. */
export function historyTargetName(short: string | null): string {
  return short ?? "(chỉ tiêu không còn trong danh mục)";
}

/** A bad flag of an officials' CLI verb, with how to call it. */
export function officialArgsProblemText(p: OfficialArgsProblem, usage: string): string {
  switch (p.problem) {
    case "unknown_flag":
      return `Không hiểu tham số "${p.flag}".\nCách dùng: ${usage}`;
    case "missing_period":
      return `Thiếu --period.\nCách dùng: ${usage}`;
    case "invalid_period":
      return invalidPeriodText(p.key);
    case "empty_under":
      return `--under cần một mã đơn vị.\nCách dùng: ${usage}`;
  }
}

/** A target's plan in /tiendo, `progress` and the spreadsheet: the one wording (common.ts planName). */
export const planNameText: (p: PlanRef | PlanNaming | null) => string = planName;

/** What the officials' charts say (core/officials/charts.ts draws them). */
export const CHART_WORDS: ChartWords = {
  meets: "Đạt",
  below: "Chưa đạt",
  onTime: "Đúng hạn",
  late: "Trễ hạn",
  valueAgainstTarget: (value, target) => `${value} — chỉ tiêu ${target}`,
  progressTitle: (periodLabel) => `Tiến độ chỉ tiêu – ${periodLabel}`,
  progressNote: "Vạch đen: mức chỉ tiêu; số lượng tính theo % của chỉ tiêu.",
  progressHidden: (shown, hidden) => `${shown} chỉ tiêu xa mục tiêu nhất; ${hidden} chỉ tiêu khác không vẽ.`,
  progressAxis: "Mức đạt (%)",
  schoolsTitle: (targetName, periodLabel) => `${targetName} – các trường chưa đạt, ${periodLabel}`,
  schoolsSubtitle: (underName, target) => `${underName}. Vạch đen: chỉ tiêu ${target}.`,
  schoolsHidden: (shown, hidden) => `${shown} trường thấp nhất; ${hidden} trường khác chưa đạt không vẽ.`,
  schoolsAxis: "Tỷ lệ (%)",
  submitted: (submitted, expected) => `đã nộp ${submitted}/${expected}`,
  rateTitle: (periodLabel) => `Tỷ lệ báo cáo – ${periodLabel}`,
  rateSubtitle: (underName, submitted, expected, rate, onTime, missing) =>
    `${underName}: đã nộp ${submitted}/${expected} (${rate}), đúng hạn ${onTime}, chưa nộp ${missing}.`,
  rateHidden: (shown, hidden) => `${shown} đơn vị có tỷ lệ thấp nhất; ${hidden} đơn vị khác không vẽ.`,
  rateAxis: "Tỷ lệ báo cáo (% số đơn vị phải báo cáo)",
  unitsNoun: UNITS_NOUN,
};

/** A target's value over a scope as officials read it: "54,1% (60/111)", "7 đơn vị", "120 giáo viên". */
export function aggregateText(i: Pick<IndicatorProgress, "value" | "rollup" | "numerator" | "denominator" | "countUnit">): string {
  if (i.value === null) return "Chưa có số liệu";
  if (i.rollup === "sum_ratio") return `${formatNumber(i.value)}% (${formatNumber(i.numerator ?? 0)}/${formatNumber(i.denominator ?? 0)})`;
  if (i.rollup === "count_yes") return `${formatNumber(i.value)} đơn vị`;
  if (i.rollup === "sum") return withUnit(i.value, i.countUnit);
  return `${formatNumber(i.value)}%`;
}

/** What the consolidation sheet (/xuat, `export`) says: core/officials/export.ts lays out the data. */
export const SHEET_WORDS: SheetWords = {
  creator: "Bot báo cáo chuyển đổi số",
  filePrefix: "bao-cao",
  unitsSheet: "Đơn vị",
  summarySheet: "Tổng hợp",
  status: { on_time: "Đã nộp", late: "Trễ hạn", missing: "Chưa nộp" },
  approval: { approved: "Đã duyệt", pending: "Chờ duyệt", returned: "Trả lại, chờ sửa" },
  outlier: { drop: "giảm mạnh so với kỳ trước", denominator_jump: "tổng số thay đổi bất thường so với kỳ trước" },
  yes: "Có",
  no: "Chưa",
  columns: {
    code: "Mã đơn vị",
    name: "Tên đơn vị",
    parent: "Đơn vị cấp trên",
    levels: "Cấp học",
    period: "Kỳ báo cáo",
    status: "Trạng thái",
    submittedAt: "Thời điểm nộp (giờ Việt Nam)",
    approval: "Phê duyệt",
    outliers: "Cảnh báo số liệu",
  },
  withPlan: (short, plan) => `${short} (KH ${plan})`,
  numerator: (t) => `${t} — số đạt`,
  denominator: (t) => `${t} — tổng số`,
  rate: (t) => `${t} — tỷ lệ (%)`,
  percent: (t) => `${t} (%)`,
  reason: (t) => `${t} — lý do chưa đạt`,
  noReason: "(chưa ghi lý do)",
  outlierItem: (t, flag) => `${t}: ${flag}`,
  summaryTitle: (periodLabel, underName) => `Tổng hợp ${periodLabel} – ${underName}`,
  withoutPlan: (names) =>
    `Chưa có kế hoạch nào áp dụng cho ${names.length} đơn vị trong kỳ này (không tính vào số phải báo cáo): ${names.join(", ")}. ` +
    "Gắn kế hoạch bằng: npm run cli -- units plan <mã đơn vị> <mã kế hoạch>.",
  counts: (c) =>
    `Đơn vị phải báo cáo: ${c.expected}; đã nộp: ${c.submitted} (${c.reportingRate ?? "–"}%); ` +
    `đúng hạn: ${c.onTime} (${c.onTimeRate ?? "–"}%); trễ hạn: ${c.late}; chưa nộp: ${c.missing}.`,
  summaryColumns: {
    target: "Chỉ tiêu",
    threshold: "Mục tiêu",
    result: "Kết quả",
    unit: "Đơn vị tính",
    numerator: "Số đạt",
    denominator: "Tổng số",
    meets: "Đạt?",
    missing: "Còn thiếu",
    answered: "Đơn vị đã trả lời",
    expected: "Đơn vị phải báo cáo",
    meetingShare: "Tỷ lệ đơn vị đạt (%)",
    change: (previous) => `Thay đổi so với ${previous}`,
    plan: "Kế hoạch",
  },
  noData: "Chưa có số liệu",
  meets: "Đạt",
  below: "Chưa đạt",
  planName: planNameText,
  unitsNoun: UNITS_NOUN,
};
