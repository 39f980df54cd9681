/**
 * Opening a report resolves the plan in force from one read (core/reporting/reports.ts openRows:
 * the unit's ancestors by parentId and their assignments) instead of plansInForce's reads by path.
 * Both must pick the same plan for every period — with plans assigned at several levels and windows,
 * and for a unit whose parentId chain does not match its path (then openRows falls back to
 * plansInForce).
 */
import { afterEach, describe, expect, it } from "vitest";
import { NoPlanInForceError, offeredPeriods, openReport, type ReportingDeps } from "../../core/reporting/reports.ts";
import { parsePeriod, vietnamTime } from "../../core/reporting/periods.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { plansInForce } from "../../core/plans/assign.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

const PERIODS = [
  ...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`),
  "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026-H1", "2026-H2", "2026", "2025-12", "2027-01",
];

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`plan in force when a report opens (${target})`, () => {
    let t: TestDb;
    afterEach(async () => t?.close());

    it("openReport and offeredPeriods pick the plan plansInForce picks, period by period", async () => {
      t = await freshDb(target);
      const { db } = t;
      await seedShippedPlans(db);
      const createdAt = new Date("2024-01-01T00:00:00Z");
      const so = await db.unit.create({ data: { code: "SO-P", name: "Sở thử", kind: "department", levels: "so", path: "/SO-P/", planId: "NB-27-2025", createdAt } });
      const xa = await db.unit.create({ data: { code: "XA-P", name: "Xã thử", kind: "commune", levels: "xa", parentId: so.id, path: "/SO-P/XA-P/", createdAt } });
      const th = await db.unit.create({ data: { code: "TH-P", name: "Trường thử", kind: "school", levels: "th", parentId: xa.id, path: "/SO-P/XA-P/TH-P/", createdAt } });
      // a school whose parentId was never set: its path still names its ancestors
      const orphan = await db.unit.create({ data: { code: "TH-Q", name: "Trường thử 2", kind: "school", levels: "th", path: "/SO-P/XA-P/TH-Q/", createdAt } });
      await db.planAssignment.create({ data: { unitId: xa.id, planId: "TK-2026", validFrom: "2026-03", validTo: "2026-04" } });
      await db.planAssignment.create({ data: { unitId: xa.id, planId: "DH-2024", validFrom: "2026-Q3" } });
      await db.planAssignment.create({ data: { unitId: th.id, planId: "HY-504-2022", validFrom: "2026-11" } });
      await db.planAssignment.create({ data: { unitId: orphan.id, planId: "TK-2026", validFrom: "2026-09" } });
      const catalog = createCatalogStore(db);
      const cat = await catalog.get();
      let clock = vietnamTime(2026, 8, 5, 9);
      const deps: ReportingDeps = { db, catalog, now: () => clock };

      const picked: string[] = [];
      for (const unit of [th, orphan]) {
        for (const now of [vietnamTime(2026, 2, 5, 9), vietnamTime(2026, 8, 5, 9), vietnamTime(2026, 12, 5, 9)]) {
          clock = now;
          const offer = await offeredPeriods(deps, unit.id, now);
          if (offer.status !== "ok") continue;
          for (const o of offer.periods) expect([unit.code, o.period.key, o.planId]).toEqual([unit.code, o.period.key, (await plansInForce(db, unit.id, o.period, cat))?.planId]);
        }
        for (const key of PERIODS) {
          const expected = (await plansInForce(db, unit.id, parsePeriod(key), cat))?.planId ?? null;
          const opened = await openReport(deps, unit.id, parsePeriod(key)).catch((e: unknown) => e);
          const got = opened instanceof NoPlanInForceError ? null : (opened as { planId: string }).planId;
          expect([unit.code, key, got]).toEqual([unit.code, key, expected]);
          picked.push(`${key}:${got}`);
        }
      }
      // the fixture does exercise several plans (not one plan everywhere)
      expect(new Set(picked.map((p) => p.split(":")[1])).size).toBeGreaterThanOrEqual(3);
    });
  });
}
