/**
 * Which reminders are due: focal points whose report for the current period is not submitted,
 * N days before the deadline, on the last day, and after it. Each reminder is claimed in the
 * Reminder table before it is sent (unique per unit, person, period and kind), so a restart
 * never sends one twice.
 */
import type { Db } from "../db/client.ts";
import { indicatorsFor, rulesFor, type ReportingDeps } from "./reports.ts";
import { loadAssignments, planResolver } from "../plans/assign.ts";
import { currentPeriod, deadlineOf, previousPeriod, reminderSchedule, PERIOD_KINDS } from "./periods.ts";

export interface ReminderItem {
  unitId: number;
  unitName: string;
  userId: number;
  telegramId: string;
  period: string;
  /** before-N | due | after-N */
  kind: string;
  /** The deadline (exclusive instant). */
  deadline: Date;
  /** The unit submitted the previous period's report: the reminder can offer "keep it unchanged". */
  hasPrevious: boolean;
  /** For an official's nudge: the name of the official's unit ("UBND xã Tân Kỳ nhắc: …"). */
  from?: string;
}

/** How long after its slot a reminder is still worth sending (a bot down for a week should not spam). */
const STALE_AFTER_MS = 24 * 3600_000;

export async function dueReminders(deps: ReportingDeps, now: Date, daysBefore = 3): Promise<ReminderItem[]> {
  const { db } = deps;
  const catalog = await deps.catalog.get();
  const memberships = await db.membership.findMany({ include: { unit: true, user: true } });
  // plans per unit path, resolved in memory: one read of the units and one of the assignments
  const own = new Map((await db.unit.findMany({ select: { code: true, planId: true } })).map((u) => [u.code, u.planId]));
  const assignments = await loadAssignments(db);
  const items: ReminderItem[] = [];
  for (const kind of PERIOD_KINDS) {
    const period = currentPeriod(kind, now);
    const submittedIn = async (key: string) =>
      new Set((await db.report.findMany({ where: { period: key, status: "submitted" }, select: { unitId: true } })).map((r) => r.unitId));
    const submitted = await submittedIn(period.key);
    const submittedBefore = await submittedIn(previousPeriod(period).key);
    // the plan in force for this period, per unit (a period with no plan is not expected of it)
    const planOf = planResolver(catalog, assignments, (code) => own.get(code), period.key);
    for (const m of memberships) {
      if (submitted.has(m.unitId) || !m.user.reachable) continue;
      const planId = planOf(m.unit.path)?.planId;
      if (!planId || indicatorsFor(catalog, planId, m.unit, period).length === 0) continue;
      const rules = rulesFor(catalog, planId);
      const slot = reminderSchedule(period, rules, daysBefore)
        .filter((s) => s.at.getTime() <= now.getTime() && now.getTime() - s.at.getTime() < STALE_AFTER_MS)
        .pop();
      if (!slot) continue;
      items.push({
        unitId: m.unitId,
        unitName: m.unit.name,
        userId: m.userId,
        telegramId: m.user.telegramId,
        period: period.key,
        kind: slot.kind,
        deadline: deadlineOf(period, rules),
        hasPrevious: submittedBefore.has(m.unitId),
      });
    }
  }
  return items;
}

type ReminderKey = Pick<ReminderItem, "unitId" | "userId" | "period" | "kind">;

/**
 * How long a claim ("sending") holds before another run may take it over: a process killed between
 * the claim and Telegram's answer leaves the reminder "sending"; once the lease has run out, the
 * job's next run (a BullMQ stalled job, the next scan after a restart) claims it again and sends.
 * A send takes well under a second, so a live claim is never taken over; the price is that a
 * process killed after Telegram accepted the message but before it was marked sent sends it twice
 * (at least once rather than at most once).
 */
export const SENDING_LEASE_MS = 120_000;

export type Claim = { claimed: true } | { claimed: false; retryInMs?: number };

/**
 * Claim a reminder before sending. Not claimed when it was already sent (or refused, or failed
 * for good); not claimed with `retryInMs` while another run holds a live claim on it. A reminder
 * left in "retry" (Telegram answered 429 or 5xx), or "sending" with its lease run out, is claimed
 * again atomically (one UPDATE with the condition), so two workers never both send it.
 */
export async function claimReminderLease(db: Db, item: ReminderKey, now: Date = new Date(), leaseMs = SENDING_LEASE_MS): Promise<Claim> {
  const { unitId, userId, period, kind } = item;
  try {
    await db.reminder.create({ data: { unitId, userId, period, kind, status: "sending", at: now } });
    return { claimed: true };
  } catch (e) {
    if ((e as { code?: string }).code !== "P2002") throw e; // unique (unitId, userId, period, kind)
    const stale = new Date(now.getTime() - leaseMs);
    const again = await db.reminder.updateMany({
      where: { unitId, userId, period, kind, OR: [{ status: "retry" }, { status: "sending", at: { lt: stale } }] },
      data: { status: "sending", at: now },
    });
    if (again.count === 1) return { claimed: true };
    const row = await db.reminder.findUnique({ where: { unitId_userId_period_kind: { unitId, userId, period, kind } }, select: { status: true, at: true } });
    if (row?.status === "sending") return { claimed: false, retryInMs: Math.max(0, row.at.getTime() + leaseMs - now.getTime()) + 1000 };
    return { claimed: false };
  }
}

/** {@link claimReminderLease} as a yes/no: false when already done or held by another run. */
export async function claimReminder(db: Db, item: ReminderKey, now?: Date): Promise<boolean> {
  return (await claimReminderLease(db, item, now)).claimed;
}

/** The recorded status of each reminder (sending | retry | sent | failed | unreachable), by "unitId/userId/period/kind". */
export async function reminderStatuses(db: Db, items: ReminderKey[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (items.length === 0) return out;
  const pairs = new Map(items.map((i) => [`${i.period}|${i.kind}`, { period: i.period, kind: i.kind }]));
  const rows = await db.reminder.findMany({
    where: { OR: [...pairs.values()], userId: { in: [...new Set(items.map((i) => i.userId))] } },
    select: { unitId: true, userId: true, period: true, kind: true, status: true },
  });
  for (const r of rows) out.set(reminderKey(r), r.status);
  return out;
}

/** When the latest other reminder, nudge or digest to this person was claimed (being sent or sent), if any. */
export async function lastMessageTo(db: Db, item: ReminderKey): Promise<{ at: Date; inFlight: boolean } | undefined> {
  const { unitId, userId, period, kind } = item;
  const row = await db.reminder.findFirst({
    where: { userId, status: { in: ["sending", "sent"] }, NOT: { unitId, period, kind } },
    orderBy: { at: "desc" },
    select: { at: true, status: true },
  });
  return row ? { at: row.at, inFlight: row.status === "sending" } : undefined;
}

export function reminderKey(i: ReminderKey): string {
  return `${i.unitId}/${i.userId}/${i.period}/${i.kind}`;
}

export async function settleReminder(
  db: Db,
  item: Pick<ReminderItem, "unitId" | "userId" | "period" | "kind">,
  status: "sent" | "failed" | "unreachable" | "retry",
  error?: string,
): Promise<void> {
  const { unitId, userId, period, kind } = item;
  await db.reminder.update({
    where: { unitId_userId_period_kind: { unitId, userId, period, kind } },
    // a sent reminder's time is when Telegram answered (not when it was claimed): the per-chat gap
    // of the next one counts from the message itself, however long this send took
    data: { status, error: error ?? null, ...(status === "sent" ? { at: new Date() } : {}) },
  });
}
