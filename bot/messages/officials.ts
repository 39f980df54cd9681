/** Words of the officials' views and verbs (late, progress, export) that core returns as data. */
import type { OfficialArgsProblem } from "../../core/officials/command.ts";
import type { PlanRef } from "../../core/officials/progress.ts";
import type { ChartWords } from "../../core/officials/charts.ts";
import { invalidPeriodText } from "./report.ts";

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

/** "Kế hoạch 27/KH-SGDĐT của Sở GDĐT Ninh Bình": number and issuer (or title), never the plan's id. */
export function planNameText(p: PlanRef | null): string {
  if (!p) return "Kế hoạch";
  const doc = p.docType ?? "Kế hoạch";
  return p.number ? `${doc} ${p.number} của ${p.issuer}` : `${doc} “${p.title}” của ${p.issuer}`;
}

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
};
