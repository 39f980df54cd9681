/**
 * The catalog from the database: plans and their published target versions, as the in-memory
 * Catalog (core/catalog/index.ts) every reporting and officials' query reads.
 *
 *   const catalogs = createCatalogStore(db);
 *   const catalog = await catalogs.get();   // cached; a cheap stamp check at most every few seconds
 *   catalogs.invalidate();                  // after publishing in this process
 *
 * Cost on the per-answer hot path: nothing while the cache is fresh (in-process invalidate()),
 * one small aggregate query every `ttlMs` (default 5 s) so plans published by another process
 * (the CLI, a second bot instance) are seen within seconds; a full reload only when the stamp changes.
 */
import type { Db } from "../db/client.ts";
import {
  catalogOf,
  type Catalog,
  type CatalogEntry,
  type CatalogPlan,
  type CatalogTarget,
  type PlanStatus,
  type ReportingRules,
  type TargetStatus,
} from "../catalog/index.ts";

export interface CatalogStore {
  get(): Promise<Catalog>;
  invalidate(): void;
}

export const DEFAULT_REPORTING: ReportingRules = {
  monthlyBeforeDay: 20,
  quarterlyBeforeDay: 20,
  yearlyBefore: { day: 10, month: 12 },
};

/** A store over a fixed catalog (benchmarks and pure unit tests; never reloads). */
export function fixedCatalogStore(catalog: Catalog): CatalogStore {
  return { get: async () => catalog, invalidate() {} };
}

export function createCatalogStore(db: Db, opts: { ttlMs?: number } = {}): CatalogStore {
  const ttl = opts.ttlMs ?? 5000;
  let cached: Catalog | null = null;
  let stamp = "";
  let checkedAt = 0;
  let loading: Promise<Catalog> | null = null;
  const refresh = async (): Promise<Catalog> => {
    const s = await catalogStamp(db);
    if (!cached || s !== stamp) {
      cached = await loadCatalogFromDb(db);
      stamp = s;
    }
    checkedAt = Date.now();
    return cached;
  };
  return {
    async get() {
      if (cached && Date.now() - checkedAt < ttl) return cached;
      loading ??= refresh().finally(() => (loading = null));
      return loading;
    },
    invalidate() {
      cached = null;
      checkedAt = 0;
    },
  };
}

/** Changes whenever a plan or a target version is written. */
async function catalogStamp(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<Array<{ t: unknown; m: unknown; p: unknown; n: unknown }>>`
    SELECT (SELECT COUNT(*) FROM "Target") AS "t", (SELECT MAX("id") FROM "Target") AS "m",
      (SELECT MAX("updatedAt") FROM "Plan") AS "p", (SELECT COUNT(*) FROM "Plan") AS "n"`;
  const p = row?.p instanceof Date ? row.p.toISOString() : String(row?.p);
  return `${String(row?.t)}|${String(row?.m)}|${p}|${String(row?.n)}`;
}

type PlanRow = Awaited<ReturnType<Db["plan"]["findUniqueOrThrow"]>>;
type TargetRow = Awaited<ReturnType<Db["target"]["findUniqueOrThrow"]>>;

export function planInfoOf(p: PlanRow, files: string[]): CatalogPlan {
  return {
    id: p.id,
    prefix: p.prefix,
    number: p.number ?? undefined,
    title: p.title,
    issuer: p.issuer,
    place: p.place ?? "",
    date: p.date ?? "",
    files: files.length ? files : ["(chưa có tệp)"],
    reporting: { ...DEFAULT_REPORTING, ...(JSON.parse(p.reportingJson) as Partial<ReportingRules>) },
    status: p.status as PlanStatus,
    validFrom: p.validFrom,
    validTo: p.validTo,
  };
}

export function targetOf(t: TargetRow): CatalogTarget {
  const entry = JSON.parse(t.entryJson) as CatalogEntry;
  return {
    ...entry,
    code: t.code,
    plan: t.planId,
    targetId: t.id,
    version: t.version,
    status: t.status as TargetStatus,
    validFrom: t.validFrom,
  };
}

/** Build the catalog of every published (or superseded) plan and its non-draft target versions. */
export async function loadCatalogFromDb(db: Db): Promise<Catalog> {
  const plans = await db.plan.findMany({ where: { status: { not: "draft" } }, orderBy: { id: "asc" } });
  const ids = plans.map((p) => p.id);
  const files = await db.planFile.findMany({ where: { planId: { in: ids } }, select: { planId: true, name: true }, orderBy: { id: "asc" } });
  const targets = await db.target.findMany({
    where: { planId: { in: ids }, status: { not: "draft" } },
    orderBy: [{ planId: "asc" }, { ordinal: "asc" }, { version: "asc" }],
  });
  const filesOf = (id: string) => files.filter((f) => f.planId === id).map((f) => f.name);
  return catalogOf(
    plans.map((p) => planInfoOf(p, filesOf(p.id))),
    targets.map(targetOf),
  );
}
