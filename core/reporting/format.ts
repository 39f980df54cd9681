/**
 * Vietnamese display of numbers, answers and thresholds (decimal comma, at most one decimal).
 *
 *   formatNumber(87.5)                       // "87,5"
 *   formatStoredAnswer(entry, { numerator: 45, denominator: 60, value: 75 … }) // "45/60 (75%)"
 */
import type { CatalogEntry } from "../catalog/schema.ts";
import { formatNumberVi } from "./numbers-vi.ts";
import { formatVietnamDate, vietnamParts } from "./periods.ts";

export const formatNumber = formatNumberVi;

export interface AnswerLike {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  skipped?: boolean;
}

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
      return a.value == null ? "—" : a.value >= 1 ? "Có" : "Chưa";
    case "level":
      return a.value == null ? "—" : `Mức ${formatNumber(a.value, 0)}`;
  }
}

/** What a user types to give the same answer again (used by "keep last period's value"). */
export function answerAsText(entry: CatalogEntry, a: AnswerLike): string {
  const m = entry.measure;
  if (m.type === "ratio") return `${a.numerator}/${a.denominator}`;
  if (m.type === "percent") return `${String(a.value).replace(".", ",")}%`;
  if (m.type === "boolean") return (a.value ?? 0) >= 1 ? "có" : "chưa";
  if (m.type === "level") return `mức ${a.value}`;
  return String(a.value);
}

/*
 * Quantities with their unit, shared by everything people read (bot, CLI, dashboard, spreadsheet):
 * a number is never shown bare when it has a unit. Sentences live in bot/messages/.
 */

/** The unit word after a number: "%" sticks to it ("75%"), others follow a space ("12 giáo viên"). */
export function withUnit(n: number, unit: string | null): string {
  if (!unit) return formatNumber(n);
  return unit === "%" ? `${formatNumber(n)}%` : `${formatNumber(n)} ${unit}`;
}

/** A change since last period: "tăng 5 điểm %", "giảm 8,5 điểm %", "giảm 3 bài giảng", "không đổi". `unit` "%" → percentage points. */
export function changeText(change: number, unit: string | null): string {
  if (Math.abs(change) < 0.05) return "không đổi";
  const u = unit === "%" ? "điểm %" : unit;
  return `${change > 0 ? "tăng" : "giảm"} ${formatNumber(Math.abs(change))}${u ? ` ${u}` : ""}`;
}

/** "còn thiếu 12 giáo viên", "còn thiếu 4,5 điểm %". */
export function shortfallText(missing: number, unit: string | null): string {
  return `còn thiếu ${withUnit(missing, unit === "%" ? "điểm %" : unit)}`;
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

/** The unit of an indicator's rolled-up value: "%" for shares and ratios, "đơn vị" for count_yes, the count's unit for sums. */
export function aggregateUnit(rollup: string, countUnit: string | null): string | null {
  if (rollup === "count_yes") return "đơn vị";
  if (rollup === "sum") return countUnit;
  return "%";
}

/** Whole Vietnam calendar days from a to b (b later → positive). */
function vietnamDaysBetween(a: Date, b: Date): number {
  const day = (d: Date) => {
    const p = vietnamParts(d);
    return Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
  };
  return Math.round(day(b) - day(a));
}

/**
 * One wording for deadlines everywhere: "hạn 19/11/2026 — đã quá 11 ngày", "hạn 19/11/2026 — còn 3 ngày",
 * "hạn hôm nay (19/11/2026)". `deadline` is the exclusive instant ("trước ngày 20" = 20th 00:00);
 * the last day shown is the day before it.
 */
export function deadlineText(deadline: Date, now: Date): string {
  const lastDay = new Date(deadline.getTime() - 1);
  const date = formatVietnamDate(lastDay);
  if (now.getTime() >= deadline.getTime()) {
    const late = Math.max(1, vietnamDaysBetween(lastDay, now));
    return `hạn ${date} — đã quá ${late} ngày`;
  }
  const left = vietnamDaysBetween(now, lastDay);
  if (left === 0) return `hạn hôm nay (${date})`;
  return `hạn ${date} — còn ${left} ngày`;
}
