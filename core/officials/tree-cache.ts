/**
 * The unit tree kept in memory between queries, reloaded when it changes: a trigger bumps
 * "AggregateMeta"."unitVersion" on every write to "Unit" or "PlanAssignment" (migration
 * 202611301610_aggregates), so one indexed read per query tells whether the copy is current.
 * A province late list then reads only the period's reports, not 10,000 units and their plans.
 *
 *   const scope = await cachedScope(db, "SO-DEMO", { catalog, period: "2026-03" });
 *
 * Scopes (effective plans for one period) are memoized per catalog object (a new catalog after a
 * plan is published is a new object) and per (root, period), a few dozen at most.
 */
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { loadAssignments, type Assignment } from "../plans/assign.ts";
import { buildScope, likePrefix, UnknownUnitError, type Scope, type ScopePlans, type UnitRow } from "./scope.ts";
import { pathCodes } from "../units/tree.ts";

interface Tree {
  version: number;
  rows: UnitRow[];
  byCode: Map<string, UnitRow>;
  assignments: Map<string, Assignment[]>;
  /** Scopes by catalog, then by "root|period". */
  scopes: WeakMap<Catalog, Map<string, Scope>>;
  openScopes: Map<string, Scope>;
}

const MAX_SCOPES = 64;
const trees = new WeakMap<object, Tree>();

async function treeVersion(db: Db): Promise<number> {
  const rows = await db.$queryRaw<Array<{ v: number | bigint }>>`SELECT "unitVersion" AS "v" FROM "AggregateMeta" WHERE "id" = 1`;
  return rows.length ? Number(rows[0]!.v) : -1;
}

async function tree(db: Db): Promise<Tree> {
  const version = await treeVersion(db);
  const hit = trees.get(db);
  if (hit && hit.version === version && version >= 0) return hit;
  const rows = await db.$queryRaw<UnitRow[]>`
    SELECT "id", "code", "name", "kind", "levels", "parentId", "path", "planId" FROM "Unit" ORDER BY "path"`;
  const fresh: Tree = {
    version,
    rows: rows.map((r) => ({ ...r, id: Number(r.id), parentId: r.parentId === null ? null : Number(r.parentId) })),
    byCode: new Map(),
    assignments: await loadAssignments(db),
    scopes: new WeakMap(),
    openScopes: new Map(),
  };
  // ORDER BY "path" uses the database's collation; buildScope wants JavaScript's order
  fresh.rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const r of fresh.rows) fresh.byCode.set(r.code, r);
  trees.set(db, fresh);
  return fresh;
}

/** Rows of the subtree of `root` (sorted by path: a contiguous run). */
function subtree(t: Tree, root: UnitRow): UnitRow[] {
  let lo = 0;
  let hi = t.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.rows[mid]!.path < root.path) lo = mid + 1;
    else hi = mid;
  }
  const out: UnitRow[] = [];
  for (let i = lo; i < t.rows.length && t.rows[i]!.path.startsWith(root.path); i++) out.push(t.rows[i]!);
  return out;
}

/** Like loadScope (scope.ts), from the in-memory tree. Throws UnknownUnitError. */
export async function cachedScope(db: Db, under: string, plans?: ScopePlans): Promise<Scope & { allUnits: boolean }> {
  const t = await tree(db);
  const root = t.byCode.get(under);
  if (!root) throw new UnknownUnitError(under);
  let memo = t.openScopes;
  if (plans) {
    memo = t.scopes.get(plans.catalog) ?? new Map();
    t.scopes.set(plans.catalog, memo);
  }
  const key = `${under}|${plans?.period ?? ""}`;
  let scope = memo.get(key);
  if (!scope) {
    const ancestors = pathCodes(root.path)
      .slice(0, -1)
      .map((c) => t.byCode.get(c))
      .filter((u): u is UnitRow => u !== undefined)
      .map((u) => ({ code: u.code, name: u.name, planId: u.planId }));
    const built = buildScope({ id: root.id, code: root.code, pathLike: likePrefix(root.path), ancestors, assignments: t.assignments }, subtree(t, root), plans);
    scope = { root: built.root, units: built.units, byId: built.byId, pathLike: built.pathLike };
    if (memo.size >= MAX_SCOPES) memo.delete(memo.keys().next().value!);
    memo.set(key, scope);
  }
  return { ...scope, allUnits: scope.units.length === t.rows.length };
}
