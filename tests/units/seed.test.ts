import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildCatalog, CatalogFile } from "../../core/catalog/index.ts";
import { seedDemo } from "../../core/seed/demo.ts";
import { redeemInvite, registerByPhone, scopeOf, START_PAYLOAD } from "../../core/units/people.ts";
import { effectivePlanId, unitsUnder } from "../../core/units/tree.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

const citation = { file: "000_test.txt", section: "mục I", quote: "trích dẫn giả lập cho kiểm thử" };
const plan = (id: string, prefix: string) => ({
  id,
  prefix,
  title: `Kế hoạch ${id}`,
  issuer: "Giả lập",
  place: "Minh An",
  date: "1/1/2026",
  files: ["000_test.txt"],
});
/** A tiny fictional catalog: one ratio (teachers), one boolean, per plan. */
const catalog = buildCatalog(
  [
    ["NB-27-2025", "NB"],
    ["TK-2026", "TK"],
    ["DH-2024", "DH"],
  ].map(([id, prefix]) =>
    CatalogFile.parse({
      plan: plan(id!, prefix!),
      entries: [
        {
          code: `${prefix}-01`,
          plan: id,
          target: "≥ 90% giáo viên có chữ ký số",
          question: "Bao nhiêu giáo viên có chữ ký số?",
          short: "GV có chữ ký số",
          measure: { type: "ratio", numerator: "giáo viên có chữ ký số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
          threshold: { op: ">=", value: 90, unit: "%", text: "≥ 90%" },
          rollup: "sum_ratio",
          levels: ["mn", "th", "thcs", "thpt", "gdtx"],
          frequency: "monthly",
          citation,
        },
        {
          code: `${prefix}-02`,
          plan: id,
          target: "100% giáo viên dùng học liệu số",
          question: "Bao nhiêu giáo viên dùng học liệu số?",
          short: "GV dùng học liệu số",
          measure: { type: "ratio", numerator: "giáo viên dùng học liệu số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
          threshold: { op: "=", value: 100, unit: "%", text: "100%" },
          rollup: "sum_ratio",
          levels: ["th", "thcs"],
          frequency: "monthly",
          citation,
        },
        {
          code: `${prefix}-03`,
          plan: id,
          target: "100% trường dùng học bạ số",
          question: "Trường đã dùng học bạ số chưa?",
          short: "Học bạ số",
          measure: { type: "boolean" },
          threshold: { op: "=", value: 100, unit: "%", text: "100%" },
          rollup: "share_yes",
          levels: ["th", "thcs", "thpt"],
          frequency: "monthly",
          citation,
        },
      ],
    }),
  ),
);

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`seedDemo (${target})`, () => {
    let t: TestDb;
    beforeEach(async () => {
      t = await freshDb(target);
    });
    afterEach(() => t.close());

    it("creates the demo province once, with plans, reusable demo invites and a shared focal point", async () => {
      const s = await seedDemo(t.db, { reports: false });
      if (!s) throw new Error("seed returned null on an empty database");
      expect(s.schools).toBeGreaterThanOrEqual(28);
      expect(s.schools).toBeLessThanOrEqual(34);
      expect(s.reports).toBe(0);
      expect(await t.db.unit.count({ where: { kind: "school" } })).toBe(s.schools);
      const so = await t.db.unit.findUniqueOrThrow({ where: { code: "SO-DEMO" } });
      expect(so).toMatchObject({ name: "Sở GDĐT tỉnh Minh An (demo)", planId: "NB-27-2025", levels: "so", kind: "department" });
      const hoamai = await t.db.unit.findUniqueOrThrow({ where: { code: "TH-HOAMAI" } });
      expect(hoamai.path).toBe("/SO-DEMO/XA-TANKY/TH-HOAMAI/");
      expect(await effectivePlanId(t.db, hoamai)).toBe("TK-2026");
      expect(await effectivePlanId(t.db, await t.db.unit.findUniqueOrThrow({ where: { code: "TH-BINHAN" } }))).toBe("NB-27-2025");
      expect(await effectivePlanId(t.db, await t.db.unit.findUniqueOrThrow({ where: { code: "TH-DONGHA" } }))).toBe("DH-2024");
      expect((await t.db.unit.findUniqueOrThrow({ where: { code: "THPT-MINHAN" } })).path).toBe("/SO-DEMO/THPT-MINHAN/");
      expect((await t.db.unit.findUniqueOrThrow({ where: { code: "GDTX-MINHAN" } })).levels).toBe("gdtx");
      const multi = await t.db.unit.findMany({ where: { levels: { contains: "," } } });
      expect(multi.length).toBeGreaterThanOrEqual(2);
      const all = await t.db.unit.findMany();
      for (const u of all) if (u.focalPhone) expect(u.focalPhone).toMatch(/^0900000\d{3}$/);
      for (const u of all) expect(u.name).toMatch(/\(demo\)/);
      expect((await unitsUnder(t.db, "XA-TANKY")).length).toBeGreaterThanOrEqual(4);

      // demo invites: valid start payloads, reusable by several people
      expect(s.invites.map((i) => i.code)).toEqual(expect.arrayContaining(["demo_th_hoamai", "demo_xa_tanky", "demo_so", "demo_admin"]));
      for (const i of s.invites) expect(START_PAYLOAD.test(i.code)).toBe(true);
      const a = await redeemInvite(t.db, "demo_xa_tanky", { id: "801" });
      const b = await redeemInvite(t.db, "demo_xa_tanky", { id: "802" });
      expect([a.status, b.status]).toEqual(["ok", "ok"]);
      if (b.status === "ok") expect(await scopeOf(t.db, b.user)).toEqual({ role: "official", unitCodes: [], under: "XA-TANKY" });
      const f = await redeemInvite(t.db, "DEMO_TH_HOAMAI", { id: "803" });
      expect(f).toMatchObject({ status: "ok", role: "focal", unit: { code: "TH-HOAMAI" } });

      // Hoa Mai's focal point serves two schools
      const r = await registerByPhone(t.db, { id: "804" }, hoamai.focalPhone!);
      expect(r.status === "ok" && r.units.map((u) => u.code)).toEqual(["MN-HOAMAI", "TH-HOAMAI"]);

      expect(await seedDemo(t.db)).toBeNull();
      expect(await t.db.unit.count()).toBe(s.units);
    });

    it("generates deterministic past reports from the catalog: ~70% of schools, consistent denominators, some late", async () => {
      const now = new Date("2026-11-23T06:00:00Z");
      const s = await seedDemo(t.db, { catalog, now });
      if (!s) throw new Error("null");
      expect(s.periods).toEqual(["2026-09", "2026-10"]);
      const reports = await t.db.report.findMany({ include: { answers: true, unit: true } });
      expect(reports.length).toBe(s.reports);
      const reporting = new Set(reports.map((r) => r.unitId)).size;
      expect(reporting / s.schools).toBeGreaterThan(0.5);
      expect(reporting / s.schools).toBeLessThan(0.9);
      expect(reports.every((r) => r.status === "submitted" && r.revision === 1)).toBe(true);
      const late = reports.filter((r) => r.onTime === false);
      expect(late.length).toBeGreaterThan(0);
      expect(late.length).toBeLessThan(reports.length / 2);
      for (const r of reports) {
        expect(r.onTime).toBe(r.submittedAt!.getTime() < r.deadline.getTime());
        const dens = new Set(r.answers.filter((a) => a.denominator !== null).map((a) => a.denominator));
        expect(dens.size).toBeLessThanOrEqual(1); // same "tổng số giáo viên" across indicators
        const prefix = { "NB-27-2025": "NB", "TK-2026": "TK", "DH-2024": "DH" }[r.planId];
        for (const a of r.answers) expect(a.indicatorCode.startsWith(`${prefix}-`)).toBe(true);
      }
      const thpt = reports.find((r) => r.unit.levels === "thpt");
      if (thpt) expect(thpt.answers.map((a) => a.indicatorCode).sort()).toEqual(["NB-01", "NB-03"]);
      expect(reports.some((r) => r.answers.some((a) => a.meetsTarget === false))).toBe(true);
      expect(reports.some((r) => r.answers.some((a) => a.meetsTarget === true))).toBe(true);
      expect(await t.db.reportRevision.count()).toBe(reports.length);

      // deterministic: a second fresh database gets the same reports
      const t2 = await freshDb(target);
      try {
        await seedDemo(t2.db, { catalog, now });
        const again = await t2.db.report.findMany({ include: { answers: true, unit: true } });
        const key = (rs: typeof reports) => rs.map((r) => `${r.unit.code}:${r.period}:${r.onTime}:${r.answers.map((a) => a.raw).join("|")}`).sort();
        expect(key(again)).toEqual(key(reports));
      } finally {
        await t2.close();
      }
    });
  });
}
