/**
 * Reporting periods and deadlines, in Vietnam time (Asia/Ho_Chi_Minh) whatever the server's zone.
 *
 * Ninh Bình 27/KH-SGDĐT mục V.3: "Định kỳ hằng tháng (trước ngày 20), hằng quý (trước ngày 20
 * tháng cuối quý), và năm (trước ngày 10/12)". A period is reported in the period itself:
 * March 2026 is due before 20/3/2026, Q1/2026 before 20/3/2026, 2026 before 10/12/2026.
 * "Before the 20th" means on time when submitted before 20th 00:00 Vietnam time.
 *
 * Half-year periods ("2027-H1", "2027-H2"; "6 tháng đầu/cuối năm 2027"): H1 is due before day N of
 * June, N = rules.halfYearlyBefore.day (default 20). H2 is due before day N of December when the plan
 * states halfYearlyBefore; when it does not, the six-monthly report of the second half is the
 * year-end report and follows yearlyBefore (default before 10/12).
 *
 *   parsePeriod("2026-Q1")                     // { kind: "quarter", year: 2026, quarter: 1, key: "2026-Q1" }
 *   deadlineOf(parsePeriod("2026-03"), rules)  // 2026-03-19T17:00:00.000Z (= 20/3/2026 00:00 +07:00)
 *   formatPeriod(parsePeriod("2026-Q1"))       // "quý I/2026"
 */
import type { Frequency, ReportingRules } from "../catalog/schema.ts";
import { echo } from "../text.ts";

export const VIETNAM_TZ = "Asia/Ho_Chi_Minh";

export type PeriodKind = "month" | "quarter" | "half" | "year";

/** Every period kind, shortest first (the order reports and reminders list them in). */
export const PERIOD_KINDS: readonly PeriodKind[] = ["month", "quarter", "half", "year"];

export interface Period {
  kind: PeriodKind;
  year: number;
  /** 1–12 for months */
  month?: number;
  /** 1–4 for quarters */
  quarter?: number;
  /** 1–2 for half years */
  half?: number;
  /** "2026-03" | "2026-Q1" | "2026-H1" | "2026" */
  key: string;
}

export const FREQUENCY_KIND: Record<Frequency, PeriodKind> = {
  monthly: "month",
  quarterly: "quarter",
  "half-yearly": "half",
  yearly: "year",
};
export const KIND_FREQUENCY: Record<PeriodKind, Frequency> = {
  month: "monthly",
  quarter: "quarterly",
  half: "half-yearly",
  year: "yearly",
};

const ROMAN = ["I", "II", "III", "IV"] as const;

export function monthPeriod(year: number, month: number): Period {
  return { kind: "month", year, month, key: `${year}-${String(month).padStart(2, "0")}` };
}
export function quarterPeriod(year: number, quarter: number): Period {
  return { kind: "quarter", year, quarter, key: `${year}-Q${quarter}` };
}
export function halfPeriod(year: number, half: number): Period {
  return { kind: "half", year, half, key: `${year}-H${half}` };
}
export function yearPeriod(year: number): Period {
  return { kind: "year", year, key: String(year) };
}

/**
 * A period key that is not one, tagged with the key: the callers word it (bot/messages/report.ts
 * invalidPeriodText; the CLI's last resort, bot/messages/errors.ts operatorErrorText, too).
 */
export class InvalidPeriodError extends Error {
  readonly kind = "invalid_period";
  constructor(readonly key: string) {
    super(`invalid period key "${echo(key)}"`);
    this.name = "InvalidPeriodError";
  }
}

/** Parse "2026-03", "2026-Q1" (or "2026-q1"), "2026-H1" (or "2026-h1") and "2026". Throws InvalidPeriodError on bad input. */
export function parsePeriod(key: string): Period {
  const k = key.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(k);
  if (m) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return monthPeriod(Number(m[1]), month);
  }
  m = /^(\d{4})-[Qq]([1-4])$/.exec(k);
  if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-[Hh]([12])$/.exec(k);
  if (m) return halfPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})$/.exec(k);
  if (m) return yearPeriod(Number(m[1]));
  throw new InvalidPeriodError(key);
}

/** Vietnamese label: "tháng 3/2026", "quý I/2026", "6 tháng đầu năm 2026", "năm 2026". */
export function formatPeriod(p: Period): string {
  if (p.kind === "month") return `tháng ${p.month}/${p.year}`;
  if (p.kind === "quarter") return `quý ${ROMAN[(p.quarter ?? 1) - 1]}/${p.year}`;
  if (p.kind === "half") return `6 tháng ${p.half === 2 ? "cuối" : "đầu"} năm ${p.year}`;
  return `năm ${p.year}`;
}

/** Calendar parts of an instant as seen in Vietnam. */
export function vietnamParts(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: VIETNAM_TZ,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/** The instant of a Vietnam wall-clock time (Vietnam has no DST: UTC+7 since 1975). */
export function vietnamTime(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour - 7, minute));
}

/** "dd/mm/yyyy" of an instant in Vietnam time; with hours when asked. */
export function formatVietnamDate(at: Date, withTime = false): string {
  const p = vietnamParts(at);
  const date = `${String(p.day).padStart(2, "0")}/${String(p.month).padStart(2, "0")}/${p.year}`;
  return withTime ? `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")} ${date}` : date;
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
 * Where `now` stands against a deadline, as data (bot/messages/values.ts deadlineText words it).
 * `deadline` is the exclusive instant ("trước ngày 20" = 20th 00:00); `lastDay` is the day before it.
 *   overdue: `days` (≥ 1) calendar days after the last day; today: the last day is today; left: `days` to go.
 */
export type DeadlineStatus =
  | { kind: "overdue"; lastDay: Date; days: number }
  | { kind: "today"; lastDay: Date }
  | { kind: "left"; lastDay: Date; days: number };

export function deadlineStatus(deadline: Date, now: Date): DeadlineStatus {
  const lastDay = new Date(deadline.getTime() - 1);
  if (now.getTime() >= deadline.getTime()) return { kind: "overdue", lastDay, days: Math.max(1, vietnamDaysBetween(lastDay, now)) };
  const left = vietnamDaysBetween(now, lastDay);
  return left === 0 ? { kind: "today", lastDay } : { kind: "left", lastDay, days: left };
}

/** The deadline instant (exclusive): a report is on time when submitted strictly before it. */
export function deadlineOf(p: Period, rules: ReportingRules): Date {
  if (p.kind === "month") return vietnamTime(p.year, p.month!, rules.monthlyBeforeDay);
  if (p.kind === "quarter") return vietnamTime(p.year, p.quarter! * 3, rules.quarterlyBeforeDay);
  if (p.kind === "half") {
    const stated = rules.halfYearlyBefore?.day;
    if (p.half === 1) return vietnamTime(p.year, 6, stated ?? DEFAULT_HALF_YEARLY_BEFORE_DAY);
    if (stated !== undefined) return vietnamTime(p.year, 12, stated);
    // no six-monthly day stated: the second half is reported with the year
  }
  return vietnamTime(p.year, rules.yearlyBefore.month, rules.yearlyBefore.day);
}

/** Half-year reports are due before this day of the half's last month unless the plan says otherwise. */
export const DEFAULT_HALF_YEARLY_BEFORE_DAY = 20;

export function isOnTime(p: Period, rules: ReportingRules, submittedAt: Date): boolean {
  return submittedAt.getTime() < deadlineOf(p, rules).getTime();
}

/** The period of this kind that contains `now` (Vietnam calendar). */
export function currentPeriod(kind: PeriodKind, now: Date = new Date()): Period {
  const { year, month } = vietnamParts(now);
  if (kind === "month") return monthPeriod(year, month);
  if (kind === "quarter") return quarterPeriod(year, Math.ceil(month / 3));
  if (kind === "half") return halfPeriod(year, month <= 6 ? 1 : 2);
  return yearPeriod(year);
}

export function previousPeriod(p: Period): Period {
  if (p.kind === "month") return p.month === 1 ? monthPeriod(p.year - 1, 12) : monthPeriod(p.year, p.month! - 1);
  if (p.kind === "quarter") return p.quarter === 1 ? quarterPeriod(p.year - 1, 4) : quarterPeriod(p.year, p.quarter! - 1);
  if (p.kind === "half") return p.half === 1 ? halfPeriod(p.year - 1, 2) : halfPeriod(p.year, 1);
  return yearPeriod(p.year - 1);
}

/** The first and last calendar month (1–12) the period covers. */
export function monthSpan(p: Period): [number, number] {
  if (p.kind === "month") return [p.month!, p.month!];
  if (p.kind === "quarter") return [(p.quarter! - 1) * 3 + 1, p.quarter! * 3];
  if (p.kind === "half") return [(p.half! - 1) * 6 + 1, p.half! * 6];
  return [1, 12];
}

/** First instant of the period in Vietnam time (inclusive). */
export function periodStart(p: Period): Date {
  return vietnamTime(p.year, monthSpan(p)[0], 1);
}

/** First instant AFTER the period in Vietnam time (exclusive end): the next period's start. */
export function periodEnd(p: Period): Date {
  return vietnamTime(p.year, monthSpan(p)[1] + 1, 1); // month 13 rolls over to January of the next year
}

/**
 * Whether period `p` lies within the range from…to, each a period key of any kind ("2026",
 * "2026-H2", "2027-Q1", "2027-05"), both ends inclusive and optional: p is within when its start is
 * not before from's start and its end not after to's end. `periodWithin("2027-03", "2027", "2027")`
 * is true; `periodWithin("2027", "2027-H2")` is false (the year begins before its second half).
 */
export function periodWithin(p: Period | string, from?: string | null, to?: string | null): boolean {
  const period = typeof p === "string" ? parsePeriod(p) : p;
  if (from && periodStart(period).getTime() < periodStart(parsePeriod(from)).getTime()) return false;
  if (to && periodEnd(period).getTime() > periodEnd(parsePeriod(to)).getTime()) return false;
  return true;
}

/**
 * The periods a plan is in force for, as a reviewer types them: "2027", "năm 2027", "2026-2030",
 * "giai đoạn 2026 – 2030", "6 tháng cuối năm 2026", "2027-H1", "quý 3/2027", "tháng 9/2027 - 2028".
 * Returns period keys (from ≤ to) or null when the text names no period.
 */
export function parsePeriodRange(input: string): { from: string; to: string } | null {
  const f = input
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/[–—]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
  const one = (s: string): Period | null => {
    const t = s.trim();
    let m = /(?:6|sau) thang (dau|cuoi) nam (\d{4})/.exec(t);
    if (m) return halfPeriod(Number(m[2]), m[1] === "dau" ? 1 : 2);
    m = /quy (iv|iii|ii|i|[1-4]) ?(?:\/|nam) ?(\d{4})/.exec(t);
    if (m) return quarterPeriod(Number(m[2]), ({ i: 1, ii: 2, iii: 3, iv: 4 } as Record<string, number>)[m[1]!] ?? Number(m[1]));
    m = /thang (\d{1,2}) ?(?:\/|nam) ?(\d{4})/.exec(t);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) return monthPeriod(Number(m[2]), Number(m[1]));
    m = /^(?:nam )?(\d{4}(?:-(?:h[12]|q[1-4]|\d{1,2}))?)$/.exec(t.replace(/^(giai doan|tu|ap dung)\s+/, ""));
    if (m) {
      try {
        return parsePeriod(m[1]!);
      } catch {
        return null;
      }
    }
    return null;
  };
  const body = f.replace(/^(giai doan|tu nam|tu|nam|ap dung( cho)?( nam)?)\s+/, "");
  // "2026-2030", "2026 - 2030", "2026 đến 2030", "từ 2026 đến hết 2030"
  const range = /^(.+?)\s*(?:-|den het|den|toi)\s*(?:nam )?(\d{4}.*)$/.exec(body);
  if (range && /^\d{4}$|\d{4}$/.test(range[1]!.trim())) {
    const a = one(range[1]!);
    const b = one(range[2]!);
    if (a && b && !(a.kind === "year" && /^\d{4}-\d{1,2}$/.test(body))) {
      return periodStart(a).getTime() <= periodStart(b).getTime() ? { from: a.key, to: b.key } : null;
    }
  }
  const p = one(body) ?? one(f);
  return p ? { from: p.key, to: p.key } : null;
}

export interface ReminderSlot {
  /** Stable kind stored with each sent reminder: "before-3", "due", "after-1". */
  kind: string;
  at: Date;
}

/**
 * When to remind focal points whose report is not submitted: `daysBefore` days before the
 * deadline day (08:00), on the deadline's last day (08:00), and `daysAfter` days after it (08:00).
 */
export function reminderSchedule(p: Period, rules: ReportingRules, daysBefore = 3, daysAfter = 1): ReminderSlot[] {
  const deadline = deadlineOf(p, rules);
  const lastDay = new Date(deadline.getTime() - 24 * 3600_000); // the day before "trước ngày N"
  const at8 = (d: Date, offsetDays: number) => {
    const v = vietnamParts(new Date(d.getTime() + offsetDays * 24 * 3600_000));
    return vietnamTime(v.year, v.month, v.day, 8);
  };
  return [
    { kind: `before-${daysBefore}`, at: at8(lastDay, -daysBefore) },
    { kind: "due", at: at8(lastDay, 0) },
    { kind: `after-${daysAfter}`, at: at8(deadline, daysAfter - 1) },
  ];
}
