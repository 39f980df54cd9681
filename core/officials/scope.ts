/**
 * What an official looks at: the subtree of one unit ("under"), each unit with its effective
 * plan (own planId, else the nearest ancestor's) and whether it is expected to report a period.
 *
 *   const scope = await loadScope(db, "XA-TANKY");
 *   scope.units.filter((u) => expectedIndicators(catalog, u, "monthly").length > 0)
 *
 * The caller (bot/CLI) decides which unit an official may see; every query here takes `under`.
 * Cost: one indexed lookup for the root and its ancestors, then one scan of "Unit" filtered by
 * the path prefix — O(units in the database) on SQLite (LIKE is case-insensitive there, so the
 * "Unit_path_idx" index is not used), O(units in scope) where the index applies.
 */
import { Prisma } from "../../generated/sqlite/client.ts";
import { pathCodes } from "../units/tree.ts";
import type { Db } from "../db/client.ts";
import type { Catalog, CatalogTarget as CatalogEntry, Frequency, Level } from "../catalog/index.ts";
import { loadAssignments, planResolver, type Assignment } from "../plans/assign.ts";
import { echo } from "../text.ts";

/** A unit as the officials' queries return it. */
export interface ScopeUnit {
  id: number;
  code: string;
  name: string;
  /** department | district | commune | school */
  kind: string;
  levels: string[];
  parentId: number | null;
  /** Code and name of the parent unit (null for a root). */
  parentCode: string | null;
  parentName: string | null;
  path: string;
  /**
   * The plan in force: with a period, the plan the unit reports against for it (own assignment or
   * nearest ancestor's, core/plans/assign.ts); without, the open-ended one (own planId or nearest
   * ancestor's). Null when no plan applies: such a unit is asked nothing and expected nowhere.
   */
  planId: string | null;
}

export interface Scope {
  root: ScopeUnit;
  /** The root and every unit below it, ordered by path. */
  units: ScopeUnit[];
  byId: Map<number, ScopeUnit>;
  /** Pattern for `"path" LIKE ? ESCAPE '\'` matching this subtree. */
  pathLike: string;
}

/** Raised when `under` names no unit (tagged with the code; bot/messages/officials.ts unknownUnitText words it). */
export class UnknownUnitError extends Error {
  constructor(readonly code: string) {
    super(`unknown unit code "${echo(code)}"`);
    this.name = "UnknownUnitError";
  }
}

/** Escape LIKE wildcards so a code such as "TH_A" matches literally; use with ESCAPE '\'. */
export function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + "%";
}

/** Split "th, thcs" into ["th", "thcs"]. */
export function splitLevels(levels: string): string[] {
  return levels
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
}

export { pathCodes };

/** The "Unit" columns every scope query selects. */
export interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  levels: string;
  parentId: number | null;
  path: string;
  planId: string | null;
}

/** Units with no parent: the default scope of the CLI. */
export async function rootUnits(db: Db): Promise<Array<{ code: string; name: string }>> {
  return db.unit.findMany({ where: { parentId: null }, select: { code: true, name: true }, orderBy: { code: "asc" } });
}

/** The root of a scope, its ancestors' plans and names, and the LIKE pattern of its subtree. */
export interface ScopeRoot {
  id: number;
  code: string;
  pathLike: string;
  ancestors: Array<{ code: string; name: string; planId: string | null }>;
  /** PlanAssignment rows by unit code. */
  assignments: Map<string, Assignment[]>;
}

/** Resolve plans for one period (the catalog knows which plans are in force). */
export interface ScopePlans {
  catalog: Catalog;
  period: string;
}

/** Find `under` and its ancestors (for plan inheritance). Throws UnknownUnitError. */
export async function resolveRoot(db: Db, under: string): Promise<ScopeRoot> {
  const root = await db.unit.findUnique({ where: { code: under }, select: { id: true, code: true, path: true } });
  if (!root) throw new UnknownUnitError(under);
  const ancestorCodes = pathCodes(root.path).slice(0, -1);
  const ancestors = ancestorCodes.length
    ? await db.unit.findMany({ where: { code: { in: ancestorCodes } }, select: { code: true, name: true, planId: true } })
    : [];
  return { id: root.id, code: root.code, pathLike: likePrefix(root.path), ancestors, assignments: await loadAssignments(db) };
}

/**
 * Turn raw "Unit" rows of a subtree into ScopeUnits with effective plans, ordered by path.
 * Rows may carry extra columns (a query may join the period's report); they are kept on `extra`.
 */
export function buildScope<R extends UnitRow>(root: ScopeRoot, rows: R[], plans?: ScopePlans): Scope & { rows: Map<number, R> } {
  const planByCode = new Map<string, string | null>();
  const nameByCode = new Map<string, string>();
  for (const a of root.ancestors) {
    planByCode.set(a.code, a.planId);
    nameByCode.set(a.code, a.name);
  }
  for (const r of rows) {
    planByCode.set(r.code, r.planId);
    nameByCode.set(r.code, r.name);
  }
  // Effective plan of a path = own plan ?? parent path's, memoized per path: O(units).
  const planOfPath = new Map<string, string | null>();
  const openEnded = (path: string): string | null => {
    const hit = planOfPath.get(path);
    if (hit !== undefined) return hit;
    const cut = path.lastIndexOf("/", path.length - 2);
    const code = path.slice(cut + 1, -1);
    const own = planByCode.get(code) ?? root.assignments.get(code)?.at(-1)?.planId ?? null;
    const plan = own ?? (cut > 0 ? openEnded(path.slice(0, cut + 1)) : null);
    planOfPath.set(path, plan);
    return plan;
  };
  const forPeriod = plans ? planResolver(plans.catalog, root.assignments, (c) => planByCode.get(c), plans.period) : null;
  const effectivePlan = forPeriod ? (path: string) => forPeriod(path)?.planId ?? null : openEnded;
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i++) ordered = rows[i - 1]!.path <= rows[i]!.path;
  const sorted = ordered ? rows : [...rows].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Thousands of units share a handful of level lists: split each distinct string once.
  const levelsOf = new Map<string, string[]>();
  const units: ScopeUnit[] = sorted.map((r) => {
    const cut = r.path.lastIndexOf("/", r.path.length - 2);
    const parentCode = cut > 0 ? r.path.slice(r.path.lastIndexOf("/", cut - 1) + 1, cut) : null;
    let levels = levelsOf.get(r.levels);
    if (!levels) levelsOf.set(r.levels, (levels = splitLevels(r.levels)));
    return {
      id: Number(r.id),
      code: r.code,
      name: r.name,
      kind: r.kind,
      levels,
      parentId: r.parentId === null ? null : Number(r.parentId),
      parentCode,
      parentName: parentCode ? (nameByCode.get(parentCode) ?? parentCode) : null,
      path: r.path,
      planId: effectivePlan(r.path),
    };
  });
  const byId = new Map(units.map((u) => [u.id, u]));
  const rootUnit = byId.get(root.id);
  if (!rootUnit) throw new UnknownUnitError(root.code);
  return { root: rootUnit, units, byId, pathLike: root.pathLike, rows: new Map(rows.map((r) => [Number(r.id), r])) };
}

/**
 * Load the subtree of `under` with effective plans (for one period when `plans` is given).
 * Throws UnknownUnitError for an unknown code.
 */
export async function loadScope(db: Db, under: string, plans?: ScopePlans): Promise<Scope> {
  const root = await resolveRoot(db, under);
  const rows = await db.$queryRaw<UnitRow[]>`
    SELECT "id", "code", "name", "kind", "levels", "parentId", "path", "planId"
    FROM "Unit" WHERE "path" LIKE ${root.pathLike} ESCAPE '\\'`;
  return buildScope(root, rows, plans);
}

/**
 * Units of a scope with no plan in force (schools and other leaves): asked nothing, expected
 * nowhere. Fix with `units plan <unit code> <planId>`.
 */
export function unitsWithNoPlan(scope: Scope): ScopeUnit[] {
  const parents = new Set(scope.units.map((u) => u.parentId));
  return scope.units.filter((u) => !u.planId && (u.kind === "school" || !parents.has(u.id)));
}

/** Indicators this unit is asked for periods of this frequency (its effective plan, its levels; versions in force for `period`). */
export function expectedIndicators(
  catalog: Catalog,
  unit: Pick<ScopeUnit, "planId" | "levels">,
  frequency: Frequency,
  period?: string,
): CatalogEntry[] {
  if (!unit.planId) return [];
  return catalog.forUnit(unit.planId, unit.levels as Level[], frequency, period);
}

/**
 * Memoized expectedIndicators keyed by plan and levels: thousands of units share a few
 * (plan, levels) combinations.
 */
export function indicatorsResolver(catalog: Catalog, frequency: Frequency, period?: string) {
  const cache = new Map<string, CatalogEntry[]>();
  return (unit: Pick<ScopeUnit, "planId" | "levels">): CatalogEntry[] => {
    const key = `${unit.planId}|${unit.levels.join(",")}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = expectedIndicators(catalog, unit, frequency, period);
      cache.set(key, hit);
    }
    return hit;
  };
}

/** Units of a school level (mn, th, thcs, thpt, gdtx) — or all when no level is given. */
export function hasLevel(unit: Pick<ScopeUnit, "levels">, level?: string): boolean {
  return !level || unit.levels.includes(level);
}

/** Round to one decimal (percentages shown to officials). */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** n ÷ d × 100 rounded to 0.1, or null when d is 0. */
export function percent(n: number, d: number): number | null {
  return d > 0 ? round1((n / d) * 100) : null;
}

/** Scopes up to this many units name their unit ids in SQL; larger ones filter "Unit" by path. */
export const UNITS_BY_ID = 2000;

/**
 * SQL condition "`unitIdColumn` is a unit of the scope", index-friendly on both providers: the
 * scope's unit ids (up to UNITS_BY_ID; rows reached through unitId indexes) rather than the path
 * LIKE, which SQLite cannot answer from "Unit_path_idx" (its LIKE is case-insensitive). `byPath`
 * forces the path form (tests compare both).
 */
export function inScopeSql(scope: Pick<Scope, "units" | "pathLike">, unitIdColumn: Prisma.Sql, byPath = false): Prisma.Sql {
  if (!byPath && scope.units.length <= UNITS_BY_ID) {
    return Prisma.sql`${unitIdColumn} IN (${Prisma.raw(scope.units.map((u) => String(Math.trunc(u.id))).join(",") || "NULL")})`;
  }
  return Prisma.sql`${unitIdColumn} IN (SELECT su."id" FROM "Unit" su WHERE su."path" LIKE ${scope.pathLike} ESCAPE '\\')`;
}
