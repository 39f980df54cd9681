/**
 * Vietnamese display of quantities (decimal comma, at most one decimal, the unit after the number):
 * value formatting only. Phrases and sentences about them ("còn thiếu …", "tăng … điểm %", deadlines,
 * "Có"/"Chưa") live in bot/messages/values.ts; core returns the numbers and tagged kinds.
 *
 *   formatNumber(87.5)              // "87,5"
 *   withUnit(12, "giáo viên")       // "12 giáo viên"
 */
import { formatNumberVi } from "./numbers-vi.ts";

export const formatNumber = formatNumberVi;

export interface AnswerLike {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  skipped?: boolean;
}

/** The unit word after a number: "%" sticks to it ("75%"), others follow a space ("12 giáo viên"). */
export function withUnit(n: number, unit: string | null): string {
  if (!unit) return formatNumber(n);
  return unit === "%" ? `${formatNumber(n)}%` : `${formatNumber(n)} ${unit}`;
}

/**
 * The unit of an indicator's rolled-up value: "%" for shares and ratios, the caller's noun for a
 * count of units (count_yes, "đơn vị" in bot/messages/values.ts UNITS_NOUN), the count's unit for sums.
 */
export function aggregateUnit(rollup: string, countUnit: string | null, unitsNoun: string): string | null {
  if (rollup === "count_yes") return unitsNoun;
  if (rollup === "sum") return countUnit;
  return "%";
}
