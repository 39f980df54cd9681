/**
 * The unit hierarchy: materialized paths of codes ("/SO-DEMO/XA-TANKY/TH-HOAMAI/") and plan inheritance.
 *
 *   await findUnit(db, "th-hoamai")                 // codes are case-insensitive (stored upper-case)
 *   await unitsUnder(db, "XA-TANKY")                // the commune and every unit below it
 *   await effectivePlanId(db, unit)                 // "TK-2026" (own planId, else the nearest ancestor's)
 */
import type { Db } from "../db/client.ts";

type Unit = Awaited<ReturnType<Db["unit"]["findUniqueOrThrow"]>>;
export type { Unit };

/** Unit codes are stored upper-case, trimmed: "th-hoamai " → "TH-HOAMAI". */
export function normalizeUnitCode(code: string): string {
  return code.normalize("NFC").trim().toUpperCase();
}

/** A valid code: letters A–Z, digits, dash, underscore, dot; no spaces, slashes or diacritics. */
export const UNIT_CODE = /^[A-Z0-9][A-Z0-9_.-]{0,63}$/;

/** Path of a unit under a parent path: ("/SO-DEMO/", "XA-TANKY") → "/SO-DEMO/XA-TANKY/". */
export function childPath(parentPath: string | null, code: string): string {
  return `${parentPath ?? "/"}${code}/`;
}

/** Codes along a path, root first: "/SO-DEMO/XA-TANKY/" → ["SO-DEMO", "XA-TANKY"]. */
export function pathCodes(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** The unit with this code (case-insensitive), or null. */
export async function findUnit(db: Db, code: string): Promise<Unit | null> {
  return db.unit.findUnique({ where: { code: normalizeUnitCode(code) } });
}

/** The unit with this code and every unit below it, ordered by path. */
export async function unitsUnder(db: Db, code: string): Promise<Unit[]> {
  return db.unit.findMany({ where: { path: { contains: `/${normalizeUnitCode(code)}/` } }, orderBy: { path: "asc" } });
}

/** The plan a unit reports against: its own planId, else the nearest ancestor's; null if none has one. */
export async function effectivePlanId(db: Db, unit: Pick<Unit, "planId" | "path">): Promise<string | null> {
  if (unit.planId) return unit.planId;
  const codes = pathCodes(unit.path).slice(0, -1);
  if (codes.length === 0) return null;
  const ancestors = await db.unit.findMany({ where: { code: { in: codes } }, select: { code: true, planId: true } });
  const byCode = new Map(ancestors.map((a) => [a.code, a.planId]));
  for (const code of codes.reverse()) {
    const planId = byCode.get(code);
    if (planId) return planId;
  }
  return null;
}
