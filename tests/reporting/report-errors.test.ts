/** core/reporting/reports.ts throws errors that carry data (for the logs), not Vietnamese sentences. */
import { afterEach, describe, expect, it } from "vitest";
import { loadReportState, NoPlanInForceError, openReport, ReportNotFoundError, type ReportingDeps } from "../../core/reporting/reports.ts";
import { parsePeriod, vietnamTime } from "../../core/reporting/periods.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { freshDb, type TestDb } from "../support/db.ts";

describe("reporting errors carry data", () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it("no plan in force, unknown report", async () => {
    t = await freshDb("sqlite");
    await seedShippedPlans(t.db);
    const deps: ReportingDeps = { db: t.db, catalog: createCatalogStore(t.db), now: () => vietnamTime(2026, 10, 10, 9) };
    const unit = await t.db.unit.create({ data: { code: "XA-NP", name: "UBND xã Chưa Gắn", kind: "commune", levels: "xa", path: "/XA-NP/" } });
    const noPlan = await openReport(deps, unit.id, parsePeriod("2026-10")).catch((e: unknown) => e);
    expect(noPlan).toBeInstanceOf(NoPlanInForceError);
    expect(noPlan).toMatchObject({ unitId: unit.id, periodKey: "2026-10" });
    const missing = await loadReportState(deps, 987654).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ReportNotFoundError);
    expect(missing).toMatchObject({ reportId: 987654 });
  });
});

describe("suspicions are data; bot/messages words them", () => {
  it("a part summed from two amounts reads 'A cộng B'", async () => {
    const { suspicionText } = await import("../../bot/messages/report.ts");
    const base = { kind: "part_exceeds_whole" as const, value: 70, wholeNoun: "tổng số cán bộ quản lý, giáo viên, nhân viên", whole: 60, wholeQuestion: 1 };
    expect(suspicionText({ ...base, noun: "số cán bộ quản lý", plusNoun: "tổng số giáo viên" })).toBe(
      "Số cán bộ quản lý cộng tổng số giáo viên (70) lớn hơn tổng số cán bộ quản lý, giáo viên, nhân viên đã khai ở câu 1 (60) — đúng không?",
    );
    expect(suspicionText({ ...base, noun: "tổng số giáo viên" })).toBe(
      "Tổng số giáo viên (70) lớn hơn tổng số cán bộ quản lý, giáo viên, nhân viên đã khai ở câu 1 (60) — đúng không?",
    );
  });
});
