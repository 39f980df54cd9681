import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lateReport } from "../../core/officials/late.ts";
import { progressReport } from "../../core/officials/progress.ts";
import { unitHistory } from "../../core/officials/history.ts";
import { UnknownUnitError } from "../../core/officials/scope.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { seedHierarchy, testCatalog } from "./fixture.ts";

const catalog = testCatalog();
const now = new Date("2026-03-28T03:00:00Z");

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`officials' queries (${target})`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await freshDb(target);
      await seedHierarchy(t.db);
    });
    afterAll(async () => {
      await t?.close();
    });

    it("lists late and missing units with DHIS2 rates over expected reports", async () => {
      const r = await lateReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", now });
      expect(r.expected).toBe(6); // department (level "so") and THCS-BINHAN (unknown plan) are not expected
      expect(r.submitted).toBe(4);
      expect(r.onTime).toBe(3);
      expect(r.late.map((u) => u.code)).toEqual(["THCS-TANKY"]);
      expect(r.late[0]!.submittedAt.toISOString()).toBe("2026-03-25T07:00:00.000Z");
      expect(r.missing.map((u) => [u.code, u.status]).sort()).toEqual([
        ["TH-SAOMAI", "draft"],
        ["XA-BINHAN", "none"],
      ]);
      expect(r.reportingRate).toBe(66.7); // 4 / 6
      expect(r.onTimeRate).toBe(50); // 3 / 6, not 3 / 4
      expect(r.deadlinePassed).toBe(true);
      const tanKy = r.groups.byParent.find((g) => g.key === "XA-TANKY")!;
      expect([tanKy.expected, tanKy.submitted, tanKy.onTime, tanKy.late, tanKy.missing]).toEqual([3, 2, 1, 1, 1]);
      const th = r.groups.byLevel.find((g) => g.key === "th")!;
      expect([th.expected, th.submitted, th.missing]).toEqual([3, 2, 1]);
      expect(r.groups.byLevel.find((g) => g.key === "xa")?.expected).toBe(2);
    });

    it("a submission one minute before the deadline (Vietnam time) is on time", async () => {
      const r = await lateReport(t.db, catalog, { period: "2026-03", under: "XA-BINHAN", now });
      expect(r.statuses.find((s) => s.unit.code === "TH-BINHAN")?.status).toBe("on_time");
    });

    it("never returns another commune's units (scope isolation)", async () => {
      const r = await lateReport(t.db, catalog, { period: "2026-03", under: "XA-TANKY", now });
      const seen = [...r.statuses.map((s) => s.unit), ...r.missing, ...r.late];
      expect(seen.length).toBeGreaterThan(0);
      for (const u of seen) expect(u.path.startsWith("/SO-DEMO/XA-TANKY/")).toBe(true);
      expect(seen.some((u) => u.code.includes("BINHAN"))).toBe(false);
      expect(r.expected).toBe(4);
      const p = await progressReport(t.db, catalog, { period: "2026-03", under: "XA-BINHAN", belowLimit: 50 });
      const tk01 = p.indicators.find((i) => i.code === "TK-01")!;
      expect([tk01.numerator, tk01.denominator]).toEqual([1, 1]);
      expect(tk01.below).toEqual([]);
    });

    it("sums numerators and denominators instead of averaging percentages", async () => {
      const p = await progressReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", belowLimit: 50 });
      const tk01 = p.indicators.find((i) => i.code === "TK-01")!;
      expect([tk01.numerator, tk01.denominator]).toEqual([60, 111]);
      expect(tk01.value).toBe(54.1); // averaging 90%, 50%, 100% would give 80%
      expect(tk01.value).not.toBe(80);
      expect(tk01.meets).toBe(false);
      expect(tk01.gap).toBe(35.9);
      expect(tk01.missing).toBe(40); // 90% of 111 = 99.9 → 100 teachers, 60 have one
      expect(tk01.answered).toBe(3); // the draft of TH-SAOMAI does not count
      expect(tk01.expectedUnits).toBe(4);
      expect(tk01.meetingUnits).toBe(2);
      expect(tk01.meetingShare).toBe(66.7);
      expect(tk01.previous?.value).toBe(50);
      expect(tk01.change).toBe(4.1);
      expect(tk01.below.map((b) => [b.unit.code, b.value, b.target, b.gap, b.missing])).toEqual([
        ["THCS-TANKY", 50, 90, 40, 40],
      ]);
    });

    it("rolls up yes/no questions as a share of units and as a count of units", async () => {
      const p = await progressReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", belowLimit: 50 });
      const share = p.indicators.find((i) => i.code === "TK-02")!;
      expect(share.value).toBe(66.7);
      expect(share.meets).toBe(false);
      expect(share.missing).toBe(1);
      expect(share.below.map((b) => b.unit.code)).toEqual(["THCS-TANKY"]);
      const count = p.indicators.find((i) => i.code === "TK-03")!;
      expect(count.value).toBe(1);
      expect(count.meets).toBe(false);
      expect(count.missing).toBe(1);
      const sum = p.indicators.find((i) => i.code === "TK-04")!;
      expect(sum.value).toBe(100);
      expect(sum.meets).toBe(true);
      expect(sum.gap).toBe(0);
      const meeting = p.indicators.find((i) => i.code === "TK-05")!;
      expect([meeting.value, meeting.answered, meeting.expectedUnits]).toEqual([100, 1, 2]);
      expect(p.indicators.some((i) => i.code === "TK-06")).toBe(false); // quarterly
    });

    it("filters by indicator and level", async () => {
      const p = await progressReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", level: "th" });
      expect(p.indicators.map((i) => i.code)).toEqual(["TK-01", "TK-02", "TK-04"]);
      expect(p.indicators[0]!.denominator).toBe(11); // 10 + 1, THCS excluded
      expect(p.indicators[0]!.below).toEqual([]); // no list unless asked
      expect(p.indicators[1]!.belowCount).toBe(0);
      const one = await progressReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", indicator: "TK-02" });
      expect(one.indicators.map((i) => i.code)).toEqual(["TK-02"]);
      expect(one.indicators[0]!.below.map((b) => b.unit.code)).toEqual(["THCS-TANKY"]); // listed when asked about
      expect(one.indicators[0]!.belowCount).toBe(1);
    });

    it("shows a unit's answers over periods and rejects unknown units", async () => {
      const h = await unitHistory(t.db, catalog, { unitCode: "TH-HOAMAI" });
      expect(h.periods.map((p) => p.period)).toEqual(["2026-03", "2026-02"]);
      expect(h.periods[1]!.answers[0]).toMatchObject({ code: "TK-01", numerator: 5, denominator: 10 });
      // a target that has left the catalog: no name (data), the bot and dashboard word it
      const without = { ...catalog, byCode: new Map([...catalog.byCode].filter(([code]) => code !== "TK-01")) };
      const gone = await unitHistory(t.db, without, { unitCode: "TH-HOAMAI" });
      expect(gone.periods[1]!.answers.find((a) => a.code === "TK-01")).toMatchObject({ short: null, numerator: 5 });
      await expect(lateReport(t.db, catalog, { period: "2026-03", under: "XA-KHONGCO", now })).rejects.toBeInstanceOf(
        UnknownUnitError,
      );
      await expect(lateReport(t.db, catalog, { period: "2026-13", under: "SO-DEMO", now })).rejects.toMatchObject({ kind: "invalid_period", key: "2026-13" });
    });
  });
}
