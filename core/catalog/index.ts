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

export * from "./schema.ts";

export const CATALOG_DIR = fileURLToPath(new URL("./data/", import.meta.url));
/** Where the shipped plan texts live (copies of ../shared/plans, same file names). */
export const PLANS_DIR = fileURLToPath(new URL("../../data/plans/", import.meta.url));

export interface Catalog {
  plans: PlanInfo[];
  entries: CatalogEntry[];
  byCode: Map<string, CatalogEntry>;
  plan(id: string): PlanInfo | undefined;
  /** Indicators a unit with these levels is asked for a period of this frequency, in catalog order. */
  forUnit(planId: string, levels: readonly Level[], frequency: Frequency): CatalogEntry[];
}

export function buildCatalog(files: CatalogFile[]): Catalog {
  const plans = files.map((f) => f.plan);
  const entries = files.flatMap((f) => f.entries);
  const byCode = new Map<string, CatalogEntry>();
  for (const e of entries) {
    if (byCode.has(e.code)) throw new Error(`Mã chỉ tiêu trùng trong danh mục: ${e.code}`);
    byCode.set(e.code, e);
  }
  return {
    plans,
    entries,
    byCode,
    plan: (id) => plans.find((p) => p.id === id),
    forUnit: (planId, levels, frequency) =>
      entries.filter((e) => e.plan === planId && e.frequency === frequency && e.levels.some((l) => levels.includes(l))),
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
