/**
 * Period keys as spans of months, for plan windows and target versions:
 * "2027" → Jan–Dec 2027, "2027-H2" → Jul–Dec, "2027-Q3" → Jul–Sep, "2027-05" → May.
 * Month index = year × 12 + month − 1. Self-contained so it reads any period kind (half-years included).
 */
export interface MonthSpan {
  start: number;
  end: number;
}

/** The months a period key covers; throws a Vietnamese message on a bad key. */
export function keySpan(key: string): MonthSpan {
  const k = key.trim().toUpperCase();
  let m = /^(\d{4})$/.exec(k);
  if (m) return span(Number(m[1]), 1, 12);
  m = /^(\d{4})-H([12])$/.exec(k);
  if (m) return span(Number(m[1]), m[2] === "1" ? 1 : 7, m[2] === "1" ? 6 : 12);
  m = /^(\d{4})-Q([1-4])$/.exec(k);
  if (m) return span(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, Number(m[2]) * 3);
  m = /^(\d{4})-(\d{1,2})$/.exec(k);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return span(Number(m[1]), Number(m[2]), Number(m[2]));
  throw new Error(
    `Kỳ không hợp lệ: "${key}". Dùng dạng 2027 (năm), 2027-H1 (6 tháng), 2027-Q3 (quý) hoặc 2027-05 (tháng).`,
  );
}

function span(year: number, from: number, to: number): MonthSpan {
  return { start: year * 12 + from - 1, end: year * 12 + to - 1 };
}

export function periodKeyValid(key: string): boolean {
  try {
    keySpan(key);
    return true;
  } catch {
    return false;
  }
}

/** A version valid from `from` applies to period `p` when it starts no later than p starts. */
export function spanStartsBy(from: MonthSpan, p: MonthSpan): boolean {
  return from.start <= p.start;
}

/** Whether period span p overlaps the window from–to (period keys; null = open-ended). */
export function spansOverlap(p: MonthSpan, from: string | null, to: string | null): boolean {
  if (from && keySpan(from).start > p.end) return false;
  if (to && keySpan(to).end < p.start) return false;
  return true;
}
