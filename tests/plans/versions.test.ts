/**
 * The versioning rule (issue 7 §1): published targets never change in place; a correction is a new
 * version from a period on; every answer keeps the version it was checked against, so a past
 * period's "đạt chỉ tiêu", progress and export never change when a later version or plan is published.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { recordAnswer, recordReason } from "../../core/reporting/answer.ts";
import { loadReportState, openReport, submitReport, type ReportingDeps } from "../../core/reporting/reports.ts";
import { parsePeriod, vietnamTime } from "../../core/reporting/periods.ts";
import { exportPeriod, lateReport, progressReport } from "../../core/officials/index.ts";
import { addPlanFromFile, assignPlan, createCatalogStore, publishPlan, seedShippedPlans, updateDraftTarget } from "../../core/plans/index.ts";
import { readFileSync } from "node:fs";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { SHEET_WORDS } from "../../bot/messages/officials.ts";

/** Answer every question of a report (46/50 for ratios, "có", the top level), give reasons, submit. */
async function fillAndSubmit(deps: ReportingDeps, unitId: number, period: string) {
  const report = await openReport(deps, unitId, parsePeriod(period));
  const state = await loadReportState(deps, report.id);
  for (const e of state.indicators) {
    const raw = e.measure.type === "ratio" ? "46/50" : e.measure.type === "boolean" ? "có" : e.measure.type === "level" ? String(e.measure.max) : e.measure.type === "percent" ? "92" : "5";
    const { outcome } = await recordAnswer(deps, { reportId: report.id, code: e.code, raw, userId: null });
    expect(outcome.status).toBe("saved");
    if (outcome.status === "saved" && outcome.meetsTarget === false) await recordReason(deps, { reportId: report.id, code: e.code, reason: "đang triển khai tiếp" });
  }
  expect(await submitReport(deps, { reportId: report.id, userId: null })).toMatchObject({ status: "submitted" });
  return report.id;
}

async function summarySheet(buffer: Buffer): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as never);
  const rows: unknown[] = [];
  for (const name of ["Đơn vị", "Tổng hợp"]) wb.getWorksheet(name)!.eachRow((r) => rows.push(r.values));
  return rows;
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`target versions (${target})`, () => {
    let t: TestDb;
    afterEach(async () => t?.close());

    it("a corrected target applies from a period on; last period's đạt chỉ tiêu, progress and export do not change", async () => {
      t = await freshDb(target);
      await seedShippedPlans(t.db);
      const xa = await t.db.unit.create({ data: { code: "XA-V", name: "UBND xã Phiên Bản", kind: "commune", levels: "xa", path: "/XA-V/", planId: "TK-2026" } });
      const th = await t.db.unit.create({ data: { code: "TH-V", name: "Trường TH Phiên Bản", kind: "school", levels: "th", parentId: xa.id, path: "/XA-V/TH-V/" } });
      let clock = vietnamTime(2026, 10, 10, 9);
      const catalog = createCatalogStore(t.db);
      const deps = { db: t.db, catalog, now: () => clock };

      // October 2026, against version 1 of TK-14 (≥ 90%): 46/50 = 92% meets it
      const oct = await fillAndSubmit(deps, th.id, "2026-10");
      const v1 = (await catalog.get()).byCode.get("TK-14")!;
      const answerOct = await t.db.answer.findUniqueOrThrow({ where: { reportId_indicatorCode: { reportId: oct, indicatorCode: "TK-14" } } });
      expect(answerOct).toMatchObject({ meetsTarget: true, targetId: v1.targetId });
      const c0 = await catalog.get();
      const progressBefore = await progressReport(t.db, c0, { period: "2026-10", under: "XA-V" });
      const lateBefore = await lateReport(t.db, c0, { period: "2026-10", under: "XA-V", now: clock });
      const exportBefore = await summarySheet((await exportPeriod(t.db, c0, { period: "2026-10", under: "XA-V", now: clock }, SHEET_WORDS)).buffer);
      const tk14Before = progressBefore.indicators.find((i) => i.code === "TK-14")!;
      expect(tk14Before).toMatchObject({ meets: true, threshold: { value: 90 }, targetId: v1.targetId, version: 1 });

      // In November the plan's TK-14 is corrected to ≥ 95%, published from the current period
      clock = vietnamTime(2026, 11, 5, 9);
      expect(await updateDraftTarget(deps, "TK-2026", "TK-14", { threshold: { op: ">=", value: 95, unit: "%", text: "≥ 95%" } })).toMatchObject({ ok: true, entry: { version: 2, status: "draft" } });
      // a draft correction changes nothing yet
      expect((await catalog.get()).byCode.get("TK-14")!.threshold.value).toBe(90);
      const pub = await publishPlan(deps, "TK-2026", {});
      expect(pub).toMatchObject({ ok: true, published: [{ code: "TK-14", version: 2, validFrom: "2026-11" }] });
      const c1 = await catalog.get();
      const v2 = c1.byCode.get("TK-14")!;
      expect(v2).toMatchObject({ version: 2, threshold: { value: 95 } });
      expect(c1.byTargetId(v1.targetId!)).toMatchObject({ version: 1, status: "superseded", threshold: { value: 90 } });
      // the stored version 1 row did not change in place
      expect(JSON.parse((await t.db.target.findUniqueOrThrow({ where: { id: v1.targetId! } })).entryJson).threshold.value).toBe(90);

      // October is read exactly as before
      expect(await t.db.answer.findUniqueOrThrow({ where: { id: answerOct.id } })).toEqual(answerOct);
      expect(await progressReport(t.db, c1, { period: "2026-10", under: "XA-V" })).toEqual(progressBefore);
      expect(await lateReport(t.db, c1, { period: "2026-10", under: "XA-V", now: vietnamTime(2026, 10, 10, 9) })).toEqual(lateBefore);
      expect(await summarySheet((await exportPeriod(t.db, c1, { period: "2026-10", under: "XA-V", now: vietnamTime(2026, 10, 10, 9) }, SHEET_WORDS)).buffer)).toEqual(exportBefore);
      // reopening October's report still asks version 1
      const octState = await loadReportState(deps, oct);
      expect(octState.indicators.find((e) => e.code === "TK-14")!.targetId).toBe(v1.targetId);

      // November is checked against version 2: the same 92% does not meet ≥ 95%
      const nov = await fillAndSubmit(deps, th.id, "2026-11");
      expect(await t.db.answer.findUniqueOrThrow({ where: { reportId_indicatorCode: { reportId: nov, indicatorCode: "TK-14" } } })).toMatchObject({ meetsTarget: false, targetId: v2.targetId });
      expect((await progressReport(t.db, c1, { period: "2026-11", under: "XA-V" })).indicators.find((i) => i.code === "TK-14")).toMatchObject({ meets: false, version: 2 });

      // a later plan, assigned to the commune from 2027, changes nothing in 2026 either
      const added = await addPlanFromFile(deps, { name: "kh-binh-minh-2027.txt", bytes: new Uint8Array(readFileSync("tests/fixtures/plans/kh-binh-minh-2027.txt")), id: "TK-2027" });
      expect(added.ok).toBe(true);
      expect((await publishPlan(deps, "TK-2027", { from: "2027" })).ok).toBe(true);
      expect((await assignPlan(deps, { unitCode: "XA-V", planId: "TK-2027", from: "2027" })).ok).toBe(true);
      const c2 = await catalog.get();
      expect(await progressReport(t.db, c2, { period: "2026-10", under: "XA-V" })).toEqual(progressBefore);
      expect(await summarySheet((await exportPeriod(t.db, c2, { period: "2026-10", under: "XA-V", now: vietnamTime(2026, 10, 10, 9) }, SHEET_WORDS)).buffer)).toEqual(exportBefore);
      // … while January 2027 is asked the 2027 plan's questions
      clock = vietnamTime(2027, 1, 5, 9);
      const jan = await openReport(deps, th.id, parsePeriod("2027-01"));
      expect(jan.planId).toBe("TK-2027");
      expect((await loadReportState(deps, jan.id)).indicators.every((e) => e.plan === "TK-2027")).toBe(true);
    });
  });
}
