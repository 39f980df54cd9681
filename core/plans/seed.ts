/**
 * The four shipped plans (core/catalog/data/*.json, texts in data/plans/) loaded as published
 * plans on first start. Idempotent: a plan already stored (any status) is left alone.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { CATALOG_DIR, PLANS_DIR, loadCatalog } from "../catalog/index.ts";
import { textHash } from "../retrieval/parse.ts";

/** Store every shipped plan not yet in the database; returns how many were added. */
export async function seedShippedPlans(db: Db, dir = CATALOG_DIR, plansDir = PLANS_DIR): Promise<number> {
  const catalog = loadCatalog(dir);
  const existing = new Set((await db.plan.findMany({ select: { id: true } })).map((p) => p.id));
  let added = 0;
  for (const plan of catalog.plans) {
    if (existing.has(plan.id)) continue;
    const entries = catalog.entries.filter((e) => e.plan === plan.id);
    const files = plan.files
      .map((name) => ({ name, full: path.join(plansDir, name) }))
      .filter((f) => existsSync(f.full))
      .map((f) => {
        const text = readFileSync(f.full, "utf8").normalize("NFC");
        return { name: f.name, text, hash: textHash(text) };
      });
    const now = new Date();
    try {
      await db.$transaction(async (tx) => {
        await tx.plan.create({
          data: {
            id: plan.id,
            prefix: plan.prefix,
            number: plan.number ?? null,
            title: plan.title,
            issuer: plan.issuer,
            place: plan.place,
            date: plan.date,
            status: "published",
            reportingJson: JSON.stringify(plan.reporting),
            publishedAt: now,
          },
        });
        if (files.length) await tx.planFile.createMany({ data: files.map((f) => ({ planId: plan.id, ...f })) });
        await tx.target.createMany({
          data: entries.map((e, i) => ({
            planId: plan.id,
            code: e.code,
            version: 1,
            status: "published",
            entryJson: JSON.stringify(e),
            ordinal: i,
          })),
        });
      });
      added++;
    } catch (e) {
      // another process seeded it at the same moment
      if ((e as { code?: string }).code !== "P2002") throw e;
    }
  }
  return added;
}
