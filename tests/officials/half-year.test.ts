/**
 * Half-year periods end to end in core and through the CLI: a six-monthly target is asked in
 * "6 tháng đầu năm 2026", due before 20/6 (Vietnam time), reminded, counted in the late list,
 * rolled up in progress and exported; officials name it in words; the CLI takes 2026-H1.
 */
import { spawnSync } from "node:child_process";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, type CatalogEntry } from "../../core/catalog/index.ts";
import { fixedCatalogStore } from "../../core/plans/index.ts";
import { exportPeriod } from "../../core/officials/export.ts";
import { parseOfficialQuestion, queryFromToolCall, type OfficialQuery } from "../../core/officials/intent.ts";
import { lateReport } from "../../core/officials/late.ts";
import { progressReport } from "../../core/officials/progress.ts";
import { recordAnswer } from "../../core/reporting/answer.ts";
import { parsePeriod } from "../../core/reporting/periods.ts";
import { dueReminders } from "../../core/reporting/reminders.ts";
import { reminderView } from "../../bot/reminders.ts";
import { offeredPeriods, openReport, periodKindsFor, submitReport } from "../../core/reporting/reports.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { seedHierarchy, testCatalog } from "./fixture.ts";
import { SHEET_WORDS } from "../../bot/messages/officials.ts";

/** TK-2026 plus one six-monthly target for schools. */
function halfYearCatalog() {
  const base = testCatalog();
  const half: CatalogEntry = {
    ...base.byCode.get("TK-02")!,
    code: "TK-07",
    short: "Trường có kho học liệu số",
    target: "100% trường có kho học liệu số",
    question: "Trường đã có kho học liệu số chưa?",
    frequency: "half-yearly",
  };
  return buildCatalog([{ plan: base.plans[0]!, entries: [...base.entries, half] }]);
}

const catalog = halfYearCatalog();
const store = fixedCatalogStore(catalog);
const vn = (iso: string) => new Date(`${iso}+07:00`);

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`half-year periods through reports, late lists, progress, exports and reminders (${target})`, () => {
    let t: TestDb;
    let hoaMai: number;
    beforeAll(async () => {
      t = await freshDb(target);
      await seedHierarchy(t.db);
      const unit = await t.db.unit.findUniqueOrThrow({ where: { code: "TH-HOAMAI" } });
      hoaMai = unit.id;
      const user = await t.db.user.create({ data: { telegramId: "7001", role: "focal" } });
      await t.db.membership.create({ data: { userId: user.id, unitId: hoaMai } });
    });
    afterAll(async () => t?.close());

    it("a school with a six-monthly target is offered the half year, due before 20/6", async () => {
      const unit = await t.db.unit.findUniqueOrThrow({ where: { id: hoaMai } });
      expect(periodKindsFor(catalog, "TK-2026", unit)).toEqual(["month", "quarter", "half"]);
      const deps = { db: t.db, catalog: store, now: () => vn("2026-06-10T09:00:00") };
      const offered = await offeredPeriods(deps, hoaMai, deps.now());
      const keys = offered.status === "ok" ? offered.periods.map((o) => o.period.key) : [];
      expect(keys).toContain("2026-H1");
      expect(keys).toContain("2025-H2"); // last half year, unsubmitted: offered late like last month or quarter
      expect(keys).not.toContain("2026-H2");
      const report = await openReport(deps, hoaMai, parsePeriod("2026-H1"));
      expect(report.periodKind).toBe("half");
      expect(report.deadline.toISOString()).toBe(vn("2026-06-20T00:00:00").toISOString());
    });

    it("reminds the focal point of the half year in words", async () => {
      const items = (await dueReminders({ db: t.db, catalog: store }, vn("2026-06-16T08:00:00"))).filter((r) => r.period === "2026-H1");
      expect(items.map((r) => [r.unitId, r.kind])).toEqual([[hoaMai, "before-3"]]);
      const { text } = reminderView(items[0]!, vn("2026-06-16T08:00:00"));
      expect(text).toContain("6 tháng đầu năm 2026");
      expect(text).toContain("19/06/2026");
      expect(text).not.toMatch(/2026-H1/);
    });

    it("counts the half year in the late list, progress and the export", async () => {
      const deps = { db: t.db, catalog: store, now: () => vn("2026-06-10T09:00:00") };
      const report = await openReport(deps, hoaMai, parsePeriod("2026-H1"));
      const { outcome } = await recordAnswer(deps, { reportId: report.id, code: "TK-07", raw: "có", userId: null });
      expect(outcome.status).toBe("saved");
      expect((await submitReport(deps, { reportId: report.id, userId: null })).status).toBe("submitted");

      const late = await lateReport(t.db, catalog, { period: "2026-H1", under: "XA-TANKY", now: vn("2026-06-25T09:00:00") });
      expect(late.periodLabel).toBe("6 tháng đầu năm 2026");
      expect(late.deadline.toISOString()).toBe(vn("2026-06-20T00:00:00").toISOString());
      expect(late.expected).toBe(3); // the commune office has no six-monthly question
      expect(late.onTime).toBe(1);
      expect(late.missing.map((u) => u.code).sort()).toEqual(["TH-SAOMAI", "THCS-TANKY"]);

      const progress = await progressReport(t.db, catalog, { period: "2026-H1", under: "XA-TANKY" });
      expect(progress.indicators.map((i) => i.code)).toEqual(["TK-07"]);

      const file = await exportPeriod(t.db, catalog, { period: "2026-H1", under: "XA-TANKY", now: vn("2026-06-25T09:00:00") }, SHEET_WORDS);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file.buffer as unknown as ArrayBuffer);
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text ?? "")))));
      expect(cells.some((c) => c.includes("6 tháng đầu năm 2026"))).toBe(true);
      expect(cells.some((c) => c.includes("Trường có kho học liệu số"))).toBe(true);
    });
  });
}

describe("officials name half years in words", () => {
  const now = vn("2027-05-15T10:00:00");
  const period = (text: string) => (parseOfficialQuestion(text, { now }) as OfficialQuery).period;
  it.each([
    ["Đơn vị nào chưa báo cáo 6 tháng đầu năm?", "2027-H1"],
    ["don vi nao chua bao cao 6 thang dau nam 2026", "2026-H1"],
    ["Tiến độ chỉ tiêu sáu tháng cuối năm 2026", "2026-H2"],
    ["tien do 6 thang cuoi nam", "2026-H2"], // asked in May: the latest second half that has begun
    ["ty le bao cao 6 thang dau nam ngoai", "2026-H1"],
    ["Tiến độ nửa đầu năm nay", "2027-H1"],
    ["tien do 2026-H2", "2026-H2"],
    ["Tiến độ tháng 6", "2026-06"], // a month is still a month
  ])("%s → %s", (text, key) => {
    expect(period(text)).toBe(key);
  });
  it("labels and LLM tool arguments", () => {
    expect((parseOfficialQuestion("Trường nào chưa báo cáo 6 tháng cuối năm 2026?", { now }) as OfficialQuery).periodLabel).toBe(
      "6 tháng cuối năm 2026",
    );
    expect((queryFromToolCall("late_report", { period: "2026-h1" }, now) as OfficialQuery).period).toBe("2026-H1");
  });
});

describe("CLI period arguments take half years", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb("sqlite");
    await seedHierarchy(t.db);
    await t.db.$disconnect();
  });
  afterAll(async () => t?.close());
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: t.url },
      encoding: "utf8",
      timeout: 110_000,
    });

  // each CLI run is a fresh Node process (tsx, Prisma): slow on a loaded machine, hence the timeouts
  it("late --period 2026-H1", () => {
    const late = cli(["late", "--period", "2026-H1", "--under", "XA-TANKY", "--json"]);
    expect(late.status).toBe(0);
    const json = JSON.parse(late.stdout);
    expect([json.period, json.periodLabel]).toEqual(["2026-H1", "6 tháng đầu năm 2026"]);
    expect(new Date(json.deadline).toISOString()).toBe(vn("2026-06-20T00:00:00").toISOString());
  }, 120_000);

  it("progress --period 2026-h2", () => {
    const progress = cli(["progress", "--period", "2026-h2", "--under", "XA-TANKY", "--json"]);
    expect(progress.status).toBe(0);
    expect(JSON.parse(progress.stdout).periodLabel).toBe("6 tháng cuối năm 2026");
  }, 120_000);

  it("a bad half year is refused with the accepted forms", () => {
    const bad = cli(["late", "--period", "2026-H3", "--json"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("2026-H1");
  }, 120_000);
});
