/**
 * Check a focal point's answer against the indicator: parse it, check the denominator against the
 * one already given this period, and compare it with what ONE unit must reach.
 *
 *   checkAnswer(teachersTrained, "52/60")
 *   // { ok: true, value: 86.67, numerator: 52, denominator: 60, meetsTarget: false,
 *   //   gap: { achieved: 86.67, shown: 86.6, threshold: { op: ">=", value: 90, … }, missing: 2, missingUnit: "giáo viên" } }
 *
 * Data only: bot/messages/answers.ts words a check ("Đã ghi nhận: 52/60 (86,7%). Chưa đạt chỉ tiêu:
 * đạt 86,6%, chỉ tiêu ≥ 90%: còn thiếu 2 giáo viên.") and a refusal (a tagged AnswerProblem).
 *
 * Which threshold applies to one unit (unitTarget):
 *  - ratio, percent: unitThreshold when it is in %, else threshold when it is in %; otherwise none.
 *  - level: unitThreshold ?? threshold, when in "level"; otherwise none.
 *  - count: unitThreshold (count); or threshold (count) when rollup is share_meeting. With rollup "sum"
 *    the count threshold is a total across units, so one unit is not judged (meetsTarget null).
 *  - boolean: the unit meets the target when it answers yes (share_yes "100%"); when the threshold is an
 *    upper bound (<, ≤ or = 0) a "no" meets it. count_yes ("≥ 6 trường") is a total across units, so one
 *    unit is not judged (meetsTarget null) unless the entry sets a unitThreshold.
 * Without an applicable threshold, meetsTarget and gap are null.
 *
 * Stored value: the percent for ratio and percent, the count, the level, and 1/0 for yes/no.
 */
import type { CatalogEntry, Threshold } from "../catalog/schema.ts";
import { formatNumberVi } from "./numbers-vi.ts";
import { parseAnswer, type AnswerProblem, type ParsedAnswer } from "./parse.ts";

export interface Gap {
  /** What the unit reached: percent, count or level (0 for a "no"). */
  achieved: number;
  /** `achieved` to one decimal, rounded so that it never looks as if it met the threshold. */
  shown: number;
  /** The unit-level threshold the answer was compared with. */
  threshold: Threshold;
  /** Smallest whole number of units (teachers, lessons, levels, percentage points…) still needed, when it can be said. */
  missing: number | null;
  /** The unit of `missing`, from the catalog entry's words ("giáo viên", "bài giảng"), "mức", or "%" for percentage points (worded "điểm %" by bot/messages/values.ts). */
  missingUnit: string | null;
  /** Yes/no only: the answer that meets the target (false when the threshold is an upper bound). */
  wanted?: boolean;
}

export interface CheckContext {
  /** Denominators already given this period by the same unit, by measure.denominatorKey. */
  denominators?: Record<string, { value: number; indicatorCode: string; /** where it was given: question number and short name */ question?: { number: number; short: string } }>;
}

export type AnswerCheck =
  | {
      ok: true;
      answer: ParsedAnswer;
      value: number | null;
      numerator: number | null;
      denominator: number | null;
      meetsTarget: boolean | null;
      gap: Gap | null;
    }
  | { ok: false; problem: AnswerProblem };

const EPS = 1e-9;
const OP_SIGN: Record<Threshold["op"], string> = { ">=": "≥ ", ">": "> ", "=": "", "<=": "≤ ", "<": "< " };

/** Vietnamese display of a number: "87,5", "1.234" (at most one decimal). */
export const formatVi = (n: number) => formatNumberVi(n, 1);

/** "≥ 90%", "100%", "> 50%", "≥ mức 2", "≥ 6 bài giảng". */
export function formatThreshold(th: Threshold, countUnit?: string): string {
  const v = formatVi(th.value);
  const body = th.unit === "%" ? `${v}%` : th.unit === "level" ? `mức ${v}` : countUnit ? `${v} ${countUnit}` : v;
  return `${OP_SIGN[th.op]}${body}`;
}

/** Whether a value satisfies a threshold ("≥ 90", "= 100", …), with a small tolerance for rounding. */
export function meetsThreshold(value: number, th: Pick<Threshold, "op" | "value">): boolean {
  return compare(value, th.op, th.value);
}

function compare(a: number, op: Threshold["op"], b: number): boolean {
  switch (op) {
    case ">=":
      return a >= b - EPS;
    case ">":
      return a > b + EPS;
    case "=":
      return Math.abs(a - b) <= EPS;
    case "<=":
      return a <= b + EPS;
    case "<":
      return a < b - EPS;
  }
}

/** The threshold one unit's answer is compared with, or null when a per-unit comparison makes no sense. */
export function unitTarget(entry: CatalogEntry): Threshold | null {
  const { unitThreshold: u, threshold: t } = entry;
  switch (entry.measure.type) {
    case "ratio":
    case "percent":
      if (u) return u.unit === "%" ? u : null;
      return t.unit === "%" ? t : null;
    case "level":
      return (u ?? t).unit === "level" ? (u ?? t) : null;
    case "count":
      if (u) return u.unit === "count" ? u : null;
      return entry.rollup === "share_meeting" && t.unit === "count" ? t : null;
    case "boolean":
      // "≥ 6 trường thí điểm AI" (count_yes) is a total across units: one school saying no is not below target
      if (!u && entry.rollup === "count_yes") return null;
      return u ?? t;
  }
}

/** "giáo viên" from "tổng số giáo viên"; "người" for mixed staff lists ("cán bộ quản lý, giáo viên, nhân viên"). */
export function numeratorNoun(denominator: string): string {
  let s = denominator
    .replace(/\(.*?\)/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^tổng số\s+/i, "")
    .replace(/^số\s+/i, "");
  s = s.split(/\s+(?:của|trong|tại|đang|đã|được|có|phải|đủ|thuộc|theo)\s+/)[0]!.trim();
  const people = /giáo viên|cán bộ|nhân viên|công chức|viên chức|người lao động|học sinh/;
  if (people.test(s) && /,|\svà\s/.test(s)) return "người";
  return s || "đơn vị";
}

/** A below-target value to one decimal, rounded so that it never looks as if it met the threshold. */
function shownBelow(value: number, th: Threshold): number {
  const rounded = Math.round(value * 10) / 10;
  if (!compare(rounded, th.op, th.value)) return rounded;
  const down = Math.floor(value * 10) / 10;
  const up = Math.ceil(value * 10) / 10;
  return compare(down, th.op, th.value) ? up : down;
}

/** Smallest k ≥ 0 with (x + k) meeting th, for whole-number steps; null when only lowering helps or it cannot be met. */
function stepsNeeded(x: number, th: Threshold, need: number, cap = Infinity): number | null {
  let target: number;
  if (th.op === ">=") target = Math.ceil(need - EPS);
  else if (th.op === ">") target = Math.floor(need + EPS) + 1;
  else if (th.op === "=") {
    if (Math.abs(need - Math.round(need)) > EPS) return null;
    target = Math.round(need);
  } else return null;
  const k = target - x;
  return k >= 0 && target <= cap ? k : null;
}

/** Compare a parsed answer with the indicator's unit-level target (no denominator check). */
export function evaluate(entry: CatalogEntry, answer: ParsedAnswer, ctx?: CheckContext): Extract<AnswerCheck, { ok: true }> {
  void ctx;
  const th = unitTarget(entry);
  let value: number | null = null;
  let numerator: number | null = null;
  let denominator: number | null = null;
  let meetsTarget: boolean | null = null;
  let gap: Gap | null = null;

  switch (answer.kind) {
    case "ratio": {
      value = answer.value;
      numerator = answer.numerator;
      denominator = answer.denominator;
      if (th) {
        meetsTarget = compare(answer.numerator * 100, th.op, th.value * answer.denominator);
        if (!meetsTarget) {
          const missing = stepsNeeded(answer.numerator, th, (th.value * answer.denominator) / 100, answer.denominator);
          const noun = entry.measure.type === "ratio" ? numeratorNoun(entry.measure.denominator) : "đơn vị";
          gap = { achieved: value, shown: shownBelow(value, th), threshold: th, missing, missingUnit: missing === null ? null : noun };
        }
      }
      break;
    }
    case "percent": {
      value = answer.value;
      if (th) {
        meetsTarget = compare(value, th.op, th.value);
        if (!meetsTarget) {
          const points = th.op === ">=" || th.op === "=" ? Math.round((th.value - value) * 10) / 10 : null;
          const missing = points !== null && points > 0 ? points : null;
          gap = { achieved: value, shown: shownBelow(value, th), threshold: th, missing, missingUnit: missing === null ? null : "%" };
        }
      }
      break;
    }
    case "count":
    case "level": {
      value = answer.value;
      if (th) {
        meetsTarget = compare(value, th.op, th.value);
        if (!meetsTarget) {
          const isLevel = answer.kind === "level";
          const unit = isLevel ? "mức" : entry.measure.type === "count" ? entry.measure.unit : "";
          const cap = isLevel && entry.measure.type === "level" ? entry.measure.max : Infinity;
          const missing = stepsNeeded(value, th, th.value, cap);
          gap = { achieved: value, shown: value, threshold: th, missing, missingUnit: missing === null ? null : unit };
        }
      }
      break;
    }
    case "boolean": {
      value = answer.value ? 1 : 0;
      if (th) {
        const upperBound = th.op === "<" || th.op === "<=" || (th.op === "=" && th.value === 0);
        meetsTarget = upperBound ? !answer.value : answer.value;
        if (!meetsTarget) gap = { achieved: value, shown: value, threshold: th, missing: null, missingUnit: null, wanted: !upperBound };
      }
      break;
    }
  }
  return { ok: true, answer, value, numerator, denominator, meetsTarget, gap };
}

/** Parse the answer text, check its denominator against this period's (ctx), and evaluate it. */
export function checkAnswer(entry: CatalogEntry, text: string, ctx?: CheckContext): AnswerCheck {
  const parsed = parseAnswer(entry, text);
  if (!parsed.ok) return parsed;
  const a = parsed.answer;
  const m = entry.measure;
  if (a.kind === "ratio" && m.type === "ratio" && m.denominatorKey) {
    const known = ctx?.denominators?.[m.denominatorKey];
    if (known && known.indicatorCode !== entry.code && known.value !== a.denominator) {
      return {
        ok: false,
        problem: { kind: "denominator_mismatch", numerator: a.numerator, got: a.denominator, expected: known.value, otherQuestion: known.question ?? null, measure: m },
      };
    }
  }
  return evaluate(entry, a, ctx);
}
