/**
 * Which periods can be reported: the current one and those before it. A period that has not
 * started yet ("/baocao 2099-12") is refused, in Vietnam time.
 */
import { currentPeriod, periodStart, type Period } from "./periods.ts";

export function isFuturePeriod(p: Period, now: Date = new Date()): boolean {
  return periodStart(p).getTime() > periodStart(currentPeriod(p.kind, now)).getTime();
}
