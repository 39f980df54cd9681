/**
 * Vietnamese display of numbers, answers and thresholds (decimal comma, at most one decimal).
 *
 *   formatNumber(87.5)                       // "87,5"
 *   formatStoredAnswer(entry, { numerator: 45, denominator: 60, value: 75 … }) // "45/60 (75%)"
 */
import type { CatalogEntry } from "../catalog/schema.ts";
import { formatNumberVi } from "./numbers-vi.ts";

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
