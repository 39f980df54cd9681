/**
 * Which plan a unit reports against for a period.
 *
 * Candidates at one unit: its open-ended Unit.planId (written by `units import`'s plan_id column)
 * and its PlanAssignment rows. A candidate counts when its plan is published and in force for the
 * period (the plan's validFrom–validTo window overlaps it) and the assignment's own window overlaps
 * it too. The unit's own candidates win over its ancestors' (nearest first); among several at one
 * unit, the one starting latest wins (so "TK-2027 from 2027" takes over from an open-ended TK-2026
 * for 2027 periods, while 2026 periods keep TK-2026).
 *
 *   const p = await plansInForce(db, unitId, parsePeriod("2027-03"));  // { planId: "TK-2027", unitCode: "XA-TANKY", ... } | null
 */
import type { Db } from "../db/client.ts";
import { keySpan, type Catalog } from "../catalog/index.ts";
import { pathCodes, normalizeUnitCode } from "../units/tree.ts";
import { loadCatalogFromDb } from "./store.ts";
import { InvalidPeriodError } from "../reporting/periods.ts";

export interface Assignment {
  planId: string;
  validFrom: string | null;
  validTo: string | null;
  /** Row id for PlanAssignment, 0 for Unit.planId (an open-ended assignment). */
  id: number;
}

export interface PlanInForce {
  planId: string;
  /** The unit whose assignment applies (the unit itself or an ancestor). */
  unitCode: string;
  own: boolean;
}

/** Every PlanAssignment row, keyed by unit code (a small table: one row per assigned subtree). */
export async function loadAssignments(db: Db): Promise<Map<string, Assignment[]>> {
  const rows = await db.$queryRaw<Array<{ id: number | bigint; code: string; planId: string; validFrom: string | null; validTo: string | null }>>`
    SELECT pa."id", u."code", pa."planId", pa."validFrom", pa."validTo"
    FROM "PlanAssignment" pa JOIN "Unit" u ON u."id" = pa."unitId" ORDER BY pa."id"`;
  const out = new Map<string, Assignment[]>();
  for (const r of rows) {
    let list = out.get(r.code);
    if (!list) out.set(r.code, (list = []));
    list.push({ id: Number(r.id), planId: r.planId, validFrom: r.validFrom, validTo: r.validTo });
  }
  return out;
}

const startOf = (a: Assignment, catalog: Catalog): number => {
  const from = a.validFrom ?? catalog.plan(a.planId)?.validFrom ?? null;
  return from ? keySpan(from).start : -Infinity;
};

/** The candidate of one unit in force for a period, or null. */
export function pickAssignment(catalog: Catalog, candidates: readonly Assignment[], periodKey: string): Assignment | null {
  const span = keySpan(periodKey);
  let best: Assignment | null = null;
  for (const a of candidates) {
    if (!catalog.planInForce(a.planId, periodKey)) continue;
    if (a.validFrom && keySpan(a.validFrom).start > span.end) continue;
    if (a.validTo && keySpan(a.validTo).end < span.start) continue;
    if (!best || startOf(a, catalog) >= startOf(best, catalog)) best = a;
  }
  return best;
}

/**
 * A resolver for many units at once (officials' scopes): plan of a unit path for one period,
 * memoized per path, O(units). `ownPlan` gives each code's Unit.planId.
 */
export function planResolver(
  catalog: Catalog,
  assignments: Map<string, Assignment[]>,
  ownPlan: (code: string) => string | null | undefined,
  periodKey: string,
): (path: string) => PlanInForce | null {
  const memo = new Map<string, PlanInForce | null>();
  const resolve = (path: string): PlanInForce | null => {
    const hit = memo.get(path);
    if (hit !== undefined) return hit;
    const cut = path.lastIndexOf("/", path.length - 2);
    const code = path.slice(cut + 1, -1);
    const own = ownPlan(code);
    const candidates: Assignment[] = [
      ...(own ? [{ id: 0, planId: own, validFrom: null, validTo: null }] : []),
      ...(assignments.get(code) ?? []),
    ];
    const picked = pickAssignment(catalog, candidates, periodKey);
    let result: PlanInForce | null = picked ? { planId: picked.planId, unitCode: code, own: true } : null;
    if (!result && cut > 0) {
      const up = resolve(path.slice(0, cut + 1));
      result = up ? { ...up, own: false } : null;
    }
    memo.set(path, result);
    return result;
  };
  return resolve;
}

/** The plan a unit reports against for a period (own assignment or nearest ancestor's), or null. */
export async function plansInForce(
  db: Db,
  unitId: number,
  period: { key: string },
  catalog?: Catalog,
): Promise<PlanInForce | null> {
  const unit = await db.unit.findUnique({ where: { id: unitId }, select: { path: true } });
  if (!unit) return null;
  const codes = pathCodes(unit.path);
  const units = await db.unit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true, planId: true } });
  const rows = await db.planAssignment.findMany({ where: { unitId: { in: units.map((u) => u.id) } }, orderBy: { id: "asc" } });
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  const assignments = new Map<string, Assignment[]>();
  for (const r of rows) {
    const code = codeOf.get(r.unitId)!;
    let list = assignments.get(code);
    if (!list) assignments.set(code, (list = []));
    list.push({ id: r.id, planId: r.planId, validFrom: r.validFrom, validTo: r.validTo });
  }
  const own = new Map(units.map((u) => [u.code, u.planId]));
  const cat = catalog ?? (await loadCatalogFromDb(db));
  return planResolver(cat, assignments, (c) => own.get(c), period.key)(unit.path);
}

export type AssignResult =
  | { ok: true; unit: { code: string; name: string }; planId: string; validFrom: string | null }
  /** detail: the unit code, the plan id, or the period key as given. */
  | { ok: false; problem: "unknown_unit" | "unknown_plan" | "bad_period"; detail: string };

/** `units plan <unit code> <planId> [--from <period>]`: assign a plan to a unit's subtree. */
export async function assignPlan(
  deps: { db: Db; catalog?: { invalidate(): void } },
  input: { unitCode: string; planId: string; from?: string; to?: string; actorId?: number },
): Promise<AssignResult> {
  const { db } = deps;
  const unit = await db.unit.findUnique({ where: { code: normalizeUnitCode(input.unitCode) } });
  if (!unit) return { ok: false, problem: "unknown_unit", detail: input.unitCode };
  const plan = await db.plan.findUnique({ where: { id: input.planId } });
  if (!plan) return { ok: false, problem: "unknown_plan", detail: input.planId };
  for (const k of [input.from, input.to]) {
    if (!k) continue;
    try {
      keySpan(k);
    } catch (e) {
      if (!(e instanceof InvalidPeriodError)) throw e;
      return { ok: false, problem: "bad_period", detail: e.key };
    }
  }
  const from = input.from ? input.from.trim().toUpperCase() : null;
  const to = input.to ? input.to.trim().toUpperCase() : null;
  await db.$transaction(async (tx) => {
    // the same plan assigned again to the same unit replaces its window
    await tx.planAssignment.deleteMany({ where: { unitId: unit.id, planId: plan.id } });
    await tx.planAssignment.create({ data: { unitId: unit.id, planId: plan.id, validFrom: from, validTo: to } });
    await tx.auditLog.create({
      data: { actorId: input.actorId ?? null, action: "plan.assign", entity: "Unit", entityId: String(unit.id), details: JSON.stringify({ planId: plan.id, from, to }) },
    });
  });
  deps.catalog?.invalidate();
  return { ok: true, unit: { code: unit.code, name: unit.name }, planId: plan.id, validFrom: from };
}

/**
 * Units (schools and other leaves) under `under` (or everywhere) with no plan in force for the
 * period: they are asked nothing and counted as expected nowhere, so say so and how to fix it.
 */
export async function unitsWithoutPlan(
  db: Db,
  catalog: Catalog,
  period: { key: string },
  under?: string,
): Promise<Array<{ code: string; name: string }>> {
  const units = await db.unit.findMany({
    where: under ? { path: { contains: `/${normalizeUnitCode(under)}/` } } : {},
    select: { code: true, name: true, path: true, planId: true, kind: true, parentId: true, id: true },
    orderBy: { path: "asc" },
  });
  const assignments = await loadAssignments(db);
  const own = new Map(units.map((u) => [u.code, u.planId]));
  if (under) {
    // ancestors of the scope root carry plans too
    const root = units.find((u) => u.code === normalizeUnitCode(under));
    const codes = root ? pathCodes(root.path).slice(0, -1) : [];
    for (const a of await db.unit.findMany({ where: { code: { in: codes } }, select: { code: true, planId: true } })) own.set(a.code, a.planId);
  }
  const resolve = planResolver(catalog, assignments, (c) => own.get(c), period.key);
  const parents = new Set(units.map((u) => u.parentId).filter((x): x is number => x !== null));
  return units
    .filter((u) => (u.kind === "school" || !parents.has(u.id)) && !resolve(u.path))
    .map((u) => ({ code: u.code, name: u.name }));
}
