/**
 * Nudging the units that have not reported: first a preview (who will get a message, who cannot be
 * reached and whom to call instead), then, on confirmation, the reminder items the bot delivers.
 * Each nudge is recorded once a day per focal point (the reminder claim), so a second confirmation
 * the same day sends nothing twice.
 *
 *   const plan = await nudgePlan(db, catalog, { period: "2026-03", under: "XA-TANKY", now });
 *   plan.reach      // [{ unit: "Trường TH Hoa Mai", people: ["Cô Lan"] }]
 *   plan.unreachable // [{ unit: "…", focal: "Nguyễn Văn A", phone: "0900…" }]
 *   await send(plan.items)
 */
import type { Catalog } from "../catalog/index.ts";
import type { Db } from "../db/client.ts";
import { lateReport } from "../officials/index.ts";
import { vietnamParts } from "../reporting/periods.ts";
import type { ReminderItem } from "../reporting/reminders.ts";

export interface NudgePlan {
  periodLabel: string;
  from: string;
  /** Units with at least one reachable focal point, and who gets the message. */
  reach: Array<{ unit: string; people: string[] }>;
  /** Units nobody can be messaged for: call the focal point named on the unit. */
  unreachable: Array<{ unit: string; focal: string; phone: string }>;
  items: ReminderItem[];
}

/** Who a nudge for `under`'s missing units would reach (nothing is sent). */
export async function nudgePlan(db: Db, catalog: Catalog, opts: { period: string; under: string; now: Date }): Promise<NudgePlan> {
  const r = await lateReport(db, catalog, { period: opts.period, under: opts.under, now: opts.now });
  const members = await db.membership.findMany({
    where: { unitId: { in: r.missing.map((u) => u.id) } },
    include: { user: { select: { id: true, name: true, telegramId: true, reachable: true } } },
  });
  const units = await db.unit.findMany({ where: { id: { in: r.missing.map((u) => u.id) } }, select: { id: true, focalName: true, focalPhone: true } });
  const contact = new Map(units.map((u) => [u.id, u]));
  const v = vietnamParts(opts.now);
  const kind = `nudge:${v.year}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}`;
  const plan: NudgePlan = { periodLabel: r.periodLabel, from: r.under.name, reach: [], unreachable: [], items: [] };
  for (const u of r.missing) {
    const ok = members.filter((m) => m.unitId === u.id && m.user.reachable);
    if (ok.length === 0) {
      plan.unreachable.push({ unit: u.name, focal: contact.get(u.id)?.focalName ?? "", phone: contact.get(u.id)?.focalPhone ?? "" });
      continue;
    }
    plan.reach.push({ unit: u.name, people: ok.map((m) => m.user.name ?? "Đầu mối") });
    for (const m of ok) {
      plan.items.push({
        unitId: u.id,
        unitName: u.name,
        userId: m.user.id,
        telegramId: m.user.telegramId,
        period: r.period,
        kind,
        deadline: u.deadline ?? r.deadline,
        hasPrevious: false,
        from: r.under.name,
      });
    }
  }
  return plan;
}
