/**
 * Finding units by what people type, and the reviewers of plans: the queries the plan review in
 * the bot needs (bot/features/plans.ts), kept in core so the bot only words the results.
 */
import type { Db } from "../db/client.ts";
import { fold } from "../text.ts";
import { normalizeUnitCode } from "./tree.ts";

export interface UnitBrief {
  id: number;
  code: string;
  name: string;
  path: string;
}

/**
 * Units whose name contains the typed words (without diacritics too: "xa an binh" finds
 * "UBND xã An Bình"), or whose code is the text, inside `underPath` when given. Best first:
 * an exact code, then exact names, then the shortest names.
 */
export async function findUnitsByName(db: Db, text: string, underPath?: string, limit = 8): Promise<UnitBrief[]> {
  const q = fold(text).replace(/^(ubnd|uy ban nhan dan)\s+/, "");
  if (!q) return [];
  const units = await db.unit.findMany({
    where: underPath ? { path: { startsWith: underPath } } : {},
    select: { id: true, code: true, name: true, path: true },
  });
  const code = normalizeUnitCode(text);
  const hits = units.filter((u) => u.code === code || fold(u.name).includes(q));
  const rank = (u: UnitBrief) => (u.code === code ? 0 : fold(u.name).endsWith(q) ? 1 : 2);
  return hits.sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length || a.code.localeCompare(b.code)).slice(0, limit);
}

/** A unit and the number of units below it. */
export async function unitWithSubtree(db: Db, code: string): Promise<{ unit: UnitBrief; below: number } | null> {
  const unit = await db.unit.findUnique({ where: { code: normalizeUnitCode(code) }, select: { id: true, code: true, name: true, path: true } });
  if (!unit) return null;
  const below = (await db.unit.count({ where: { path: { startsWith: unit.path } } })) - 1;
  return { unit, below };
}

export async function unitById(db: Db, id: number): Promise<UnitBrief | null> {
  return db.unit.findUnique({ where: { id }, select: { id: true, code: true, name: true, path: true } });
}

/**
 * The unit a plan's issuer names ("UBND xã An Bình" → that commune), when exactly one unit of
 * `underPath` (or anywhere) has that name.
 */
export async function unitNamedAs(db: Db, issuer: string, underPath?: string): Promise<UnitBrief | null> {
  const f = fold(issuer);
  const units = await db.unit.findMany({
    where: underPath ? { path: { startsWith: underPath } } : {},
    select: { id: true, code: true, name: true, path: true },
  });
  const same = units.filter((u) => fold(u.name) === f);
  if (same.length === 1) return same[0]!;
  const inside = units.filter((u) => fold(u.name).length > 6 && f.includes(fold(u.name)));
  return inside.length === 1 ? inside[0]! : null;
}

/** Draft plans a reviewer may take up: every draft for admins, the unit's own for officials. */
export async function draftPlansFor(db: Db, reviewer: { admin: boolean; unitId: number | null }) {
  return db.plan.findMany({
    where: { status: "draft", ...(reviewer.admin ? {} : { issuerUnitId: reviewer.unitId ?? -1 }) },
    select: { id: true, number: true, title: true, issuer: true, docType: true, issuerUnitId: true },
    orderBy: { createdAt: "desc" },
    take: 10,
  });
}
