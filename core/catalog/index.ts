/**
 * The target catalog: every target of the shipped plans, loaded from core/catalog/data/*.json.
 *
 *   const catalog = loadCatalog();
 *   catalog.byCode.get("NB-03")?.question
 *   catalog.forUnit("NB-27-2025", ["th", "thcs"], "monthly")
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CatalogFile, type CatalogEntry, type Frequency, type Level, type PlanInfo } from "./schema.ts";
import { keySpan, spanStartsBy, spansOverlap } from "./spans.ts";

export * from "./schema.ts";
export { keySpan, periodKeyValid } from "./spans.ts";

export const CATALOG_DIR = fileURLToPath(new URL("./data/", import.meta.url));
/** Where the shipped plan texts live (copies of ../shared/plans, same file names). */
export const PLANS_DIR = fileURLToPath(new URL("../../data/plans/", import.meta.url));

export type TargetStatus = "draft" | "published" | "superseded" | "withdrawn";
export type PlanStatus = "draft" | "published" | "superseded";

/** A catalog entry as one stored Target version (the fields are absent for catalogs built from files). */
export type CatalogTarget = CatalogEntry & {
  /** Target.id of this version: what Answer.targetId points at. */
  targetId?: number;
  version?: number;
  status?: TargetStatus;
  /** First period key this version applies to (null/absent: from the plan's start). */
  validFrom?: string | null;
};

/** A plan as the catalog sees it, with the periods it is in force for (null = open-ended). */
export type CatalogPlan = PlanInfo & { status?: PlanStatus; validFrom?: string | null; validTo?: string | null };

export interface Catalog {
  plans: CatalogPlan[];
  /** The current version of every target (latest published, withdrawn ones left out), in catalog order. */
  entries: CatalogTarget[];
  /** Code → current version (withdrawn targets keep their last version, for labels of old answers). */
  byCode: Map<string, CatalogTarget>;
  /** Every published, superseded or withdrawn version. */
  versions: CatalogTarget[];
  plan(id: string): CatalogPlan | undefined;
  /**
   * Indicators a unit with these levels is asked for a period of this frequency, in catalog order.
   * With a period (key such as "2026-03"): the versions in force for that period; without: the current ones.
   */
  forUnit(planId: string, levels: readonly Level[], frequency: Frequency, period?: string | { key: string }): CatalogTarget[];
  /** One stored version by Target.id. */
  byTargetId(id: number): CatalogTarget | undefined;
  /** Whether the plan is published and in force for the period (its validFrom–validTo window overlaps it). */
  planInForce(planId: string, period: string | { key: string }): boolean;
}

/** Catalog of the shipped JSON files (one version per target, every plan in force). */
export function buildCatalog(files: CatalogFile[]): Catalog {
  const plans: CatalogPlan[] = files.map((f) => f.plan);
  const entries = files.flatMap((f) => f.entries);
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.code)) throw new Error(`Mã chỉ tiêu trùng trong danh mục: ${e.code}`);
    seen.add(e.code);
  }
  return catalogOf(plans, entries);
}

/**
 * The in-memory catalog over stored versions. `versions` holds every non-draft version of every
 * target, in catalog order (plan, then ordinal), any version order within a code.
 */
export function catalogOf(plans: CatalogPlan[], versions: CatalogTarget[]): Catalog {
  const byPlan = new Map<string, Map<string, CatalogTarget[]>>();
  const order: Array<[string, string]> = [];
  for (const v of versions) {
    if (v.status === "draft") continue;
    let codes = byPlan.get(v.plan);
    if (!codes) byPlan.set(v.plan, (codes = new Map()));
    let list = codes.get(v.code);
    if (!list) {
      codes.set(v.code, (list = []));
      order.push([v.plan, v.code]);
    }
    list.push(v);
  }
  for (const codes of byPlan.values()) for (const list of codes.values()) list.sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
  const latest = (list: CatalogTarget[]) => list[list.length - 1]!;
  const entries: CatalogTarget[] = [];
  const byCode = new Map<string, CatalogTarget>();
  const byId = new Map<number, CatalogTarget>();
  for (const [plan, code] of order) {
    const list = byPlan.get(plan)!.get(code)!;
    const cur = latest(list);
    if (cur.status !== "withdrawn") entries.push(cur);
    const label = [...list].reverse().find((v) => v.status !== "withdrawn") ?? cur;
    if (!byCode.has(code)) byCode.set(code, label);
    for (const v of list) if (v.targetId !== undefined) byId.set(v.targetId, v);
  }
  const planById = new Map(plans.map((p) => [p.id, p]));
  // forUnit runs on every answer: memoize per (plan, levels, frequency, period).
  const memo = new Map<string, CatalogTarget[]>();
  const versionFor = (list: CatalogTarget[], periodKey: string): CatalogTarget | null => {
    const span = keySpan(periodKey);
    let hit: CatalogTarget | null = null;
    for (const v of list) if (!v.validFrom || spanStartsBy(keySpan(v.validFrom), span)) hit = v;
    return hit && hit.status !== "withdrawn" ? hit : null;
  };
  return {
    plans,
    entries,
    byCode,
    versions: [...byId.values()],
    plan: (id) => planById.get(id),
    byTargetId: (id) => byId.get(id),
    planInForce: (planId, period) => {
      const p = planById.get(planId);
      if (!p || (p.status && p.status === "draft")) return false;
      const key = typeof period === "string" ? period : period.key;
      return spansOverlap(keySpan(key), p.validFrom ?? null, p.validTo ?? null);
    },
    forUnit: (planId, levels, frequency, period) => {
      const key = period === undefined ? "" : typeof period === "string" ? period : period.key;
      const memoKey = `${planId}|${levels.join(",")}|${frequency}|${key}`;
      const cached = memo.get(memoKey);
      if (cached) return cached;
      const codes = byPlan.get(planId);
      const out: CatalogTarget[] = [];
      if (codes) {
        for (const list of codes.values()) {
          const v = key ? versionFor(list, key) : latest(list).status === "withdrawn" ? null : latest(list);
          if (v && v.frequency === frequency && v.levels.some((l) => levels.includes(l))) out.push(v);
        }
      }
      memo.set(memoKey, out);
      return out;
    },
  };
}

let cached: Catalog | undefined;

/** Load and validate every catalog file once; a bad file fails with the file name and the zod issues. */
export function loadCatalog(dir = CATALOG_DIR): Catalog {
  if (dir === CATALOG_DIR && cached) return cached;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => {
      const parsed = CatalogFile.safeParse(JSON.parse(readFileSync(path.join(dir, name), "utf8")));
      if (!parsed.success) {
        throw new Error(`Danh mục chỉ tiêu ${name} không hợp lệ:\n${parsed.error.message}`);
      }
      return parsed.data;
    });
  const catalog = buildCatalog(files);
  if (dir === CATALOG_DIR) cached = catalog;
  return catalog;
}
