/**
 * Period keys as spans of months, for plan windows and target versions:
 * "2027" → Jan–Dec 2027, "2027-H2" → Jul–Dec, "2027-Q3" → Jul–Sep, "2027-05" → May.
 * Month index = year × 12 + month − 1.
 */
import { monthSpan, parsePeriod } from "../reporting/periods.ts";

export interface MonthSpan {
  start: number;
  end: number;
}

/** The months a period key covers (read by parsePeriod, the one reader of period keys); throws a Vietnamese message on a bad key. */
export function keySpan(key: string): MonthSpan {
  const p = parsePeriod(key);
  const [from, to] = monthSpan(p);
  return { start: p.year * 12 + from - 1, end: p.year * 12 + to - 1 };
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
