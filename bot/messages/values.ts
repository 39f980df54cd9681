/**
 * Words around the quantities people read (bot, CLI, dashboard, spreadsheet): deadlines, changes,
 * shortfalls, yes/no and level answers. core returns the numbers, dates and tagged kinds
 * (core/reporting/periods.ts deadlineStatus, core/officials progress); this is the one place that words them.
 * Bare value formatting (decimal comma, the unit after a number) is core/reporting/format.ts.
 *
 *   deadlineText(deadline, now)        // "hạn 19/11/2026 — đã quá 11 ngày"
 *   changeText(-8.5, "%")              // "giảm 8,5 điểm %"
 *   shortfallText(12, "giáo viên")     // "còn thiếu 12 giáo viên"
 */
import type { CatalogEntry } from "../../core/catalog/schema.ts";
import { formatNumber, withUnit, type AnswerLike } from "../../core/reporting/format.ts";
import { deadlineStatus, formatVietnamDate } from "../../core/reporting/periods.ts";

/** What a count of units is counted in: "7 đơn vị". */
export const UNITS_NOUN = "đơn vị";
/** The unit of a change or gap in percentage points: "giảm 8,5 điểm %". */
export const PERCENT_POINTS = "điểm %";

/**
 * One wording for deadlines everywhere: "hạn 19/11/2026 — đã quá 11 ngày", "hạn 19/11/2026 — còn 3 ngày",
 * "hạn hôm nay (19/11/2026)". `deadline` is the exclusive instant ("trước ngày 20" = 20th 00:00);
 * the last day shown is the day before it.
 */
export function deadlineText(deadline: Date, now: Date): string {
  const s = deadlineStatus(deadline, now);
  const date = formatVietnamDate(s.lastDay);
  switch (s.kind) {
    case "overdue":
      return `hạn ${date} — đã quá ${s.days} ngày`;
    case "today":
      return `hạn hôm nay (${date})`;
    case "left":
      return `hạn ${date} — còn ${s.days} ngày`;
  }
}

/** "Hạn 19/11/2026 — đã quá 11 ngày" at the head of a line (the dashboard's deadline label). */
export function deadlineLabel(deadline: Date, now: Date): string {
  const s = deadlineText(deadline, now);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A change since last period: "tăng 5 điểm %", "giảm 8,5 điểm %", "giảm 3 bài giảng", "không đổi". `unit` "%" → percentage points. */
export function changeText(change: number, unit: string | null): string {
  if (Math.abs(change) < 0.05) return "không đổi";
  const u = unit === "%" ? PERCENT_POINTS : unit;
  return `${change > 0 ? "tăng" : "giảm"} ${formatNumber(Math.abs(change))}${u ? ` ${u}` : ""}`;
}

/** "còn thiếu 12 giáo viên", "còn thiếu 4,5 điểm %". */
export function shortfallText(missing: number, unit: string | null): string {
  return `còn thiếu ${withUnit(missing, unit === "%" ? PERCENT_POINTS : unit)}`;
}

/** A yes/no answer as people say it: "Có" / "Chưa" (stored 1 / 0). */
export function yesNoText(value: number): string {
  return value >= 1 ? "Có" : "Chưa";
}

/**
 * One unit's answer from its stored figures: "45/60", "75%", "12 bài giảng", "Có", "mức 2".
 * Ratios show the counts (officials compare them with the total), not the percent.
 */
export function unitAnswerText(
  measure: CatalogEntry["measure"]["type"],
  a: { value: number | null; numerator: number | null; denominator: number | null },
  countUnit?: string | null,
): string {
  if (a.numerator !== null && a.denominator !== null) return `${formatNumber(a.numerator)}/${formatNumber(a.denominator)}`;
  if (a.value === null) return "—";
  switch (measure) {
    case "boolean":
      return yesNoText(a.value);
    case "level":
      return `mức ${formatNumber(a.value, 0)}`;
    case "count":
      return withUnit(a.value, countUnit ?? null);
    default:
      return `${formatNumber(a.value)}%`;
  }
}

/** A stored answer in the report conversation: "45/60 (75%)", "75%", "12 giáo viên", "Có", "Mức 2", "(bỏ qua)". */
export function formatStoredAnswer(entry: CatalogEntry, a: AnswerLike): string {
  if (a.skipped) return "(bỏ qua)";
  const m = entry.measure;
  switch (m.type) {
    case "ratio":
      return a.numerator != null && a.denominator != null
        ? `${formatNumber(a.numerator)}/${formatNumber(a.denominator)} (${formatNumber(a.value ?? 0)}%)`
        : "—";
    case "percent":
      return a.value == null ? "—" : `${formatNumber(a.value)}%`;
    case "count":
      return a.value == null ? "—" : `${formatNumber(a.value)} ${m.unit}`;
    case "boolean":
      return a.value == null ? "—" : yesNoText(a.value);
    case "level":
      return a.value == null ? "—" : `Mức ${formatNumber(a.value, 0)}`;
  }
}
