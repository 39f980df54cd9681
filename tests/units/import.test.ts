import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importUnits } from "../../core/units/import.ts";
import { unitImportErrorText } from "../../bot/messages/units.ts";
import { effectivePlanId, unitsUnder } from "../../core/units/tree.ts";
import { seedShippedPlans } from "../../core/plans/index.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

const fixture = (name: string) => path.resolve("tests/fixtures", name);

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`importUnits (${target})`, () => {
    let t: TestDb;
    let dir: string;
    beforeEach(async () => {
      t = await freshDb(target);
      await seedShippedPlans(t.db);
      dir = mkdtempSync(path.join(os.tmpdir(), "units-"));
    });
    afterEach(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("imports a good CSV: kinds, levels, paths, canonical phones, plan inheritance, audit", async () => {
      const r = await importUnits(t.db, fixture("units-good.csv"));
      expect(r).toEqual({ ok: true, created: 5, updated: 0, errors: [], withoutPlan: [] });
      const lc = await t.db.unit.findUniqueOrThrow({ where: { code: "LC-THU" } });
      expect(lc).toMatchObject({ kind: "school", levels: "th,thcs", path: "/SO-TEST/XA-THU/LC-THU/", focalPhone: "0900000103", planId: null });
      expect(await effectivePlanId(t.db, lc)).toBe("TK-2026");
      const thpt = await t.db.unit.findUniqueOrThrow({ where: { code: "THPT-THU" } });
      expect(thpt.path).toBe("/SO-TEST/THPT-THU/");
      expect(await effectivePlanId(t.db, thpt)).toBe("NB-27-2025");
      const so = await t.db.unit.findUniqueOrThrow({ where: { code: "SO-TEST" } });
      expect(so).toMatchObject({ kind: "department", levels: "so", focalPhone: "0900000101", name: "Sở GDĐT tỉnh Thử Nghiệm (giả lập)" });
      expect((await t.db.unit.findUniqueOrThrow({ where: { code: "XA-THU" } })).focalPhone).toBe("0900000102");
      expect((await unitsUnder(t.db, "xa-thu")).map((u) => u.code)).toEqual(["XA-THU", "LC-THU", "TH-THU"]);
      const log = await t.db.auditLog.findFirstOrThrow({ where: { action: "units.import" } });
      expect(JSON.parse(log.details!)).toMatchObject({ created: 5, updated: 0 });
    });

    it("imports a good XLSX with Vietnamese headers and numeric phone cells", async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Đơn vị");
      ws.addRow(["Mã", "Tên", "Cấp", "Mã đơn vị cấp trên", "Đầu mối", "Số điện thoại"]);
      ws.addRow(["SO-X", "Sở GDĐT X (giả lập)", "Sở Giáo dục và Đào tạo", null, "Người Thử", "0900000301"]);
      ws.addRow(["PHONG-X", "Phòng GD&ĐT X (giả lập)", "Phòng GDĐT", "SO-X", "Người Thử", 900000302]);
      ws.addRow(["MN-X", "Trường Mầm non X (giả lập)", "Mẫu giáo", "PHONG-X", "Người Thử", "+84900000303"]);
      ws.addRow(["LC-X", "Trường Liên cấp X (giả lập)", "Liên cấp MN-TH-THCS", "PHONG-X", null, null]);
      const file = path.join(dir, "units.xlsx");
      await wb.xlsx.writeFile(file);
      const r = await importUnits(t.db, file);
      expect(r.errors).toEqual([]);
      expect(r.created).toBe(4);
      const units = await t.db.unit.findMany({ orderBy: { path: "asc" } });
      expect(units.map((u) => [u.code, u.kind, u.levels, u.path, u.focalPhone])).toEqual([
        ["SO-X", "department", "so", "/SO-X/", "0900000301"],
        ["PHONG-X", "district", "phong", "/SO-X/PHONG-X/", "0900000302"],
        ["LC-X", "school", "mn,th,thcs", "/SO-X/PHONG-X/LC-X/", null],
        ["MN-X", "school", "mn", "/SO-X/PHONG-X/MN-X/", "0900000303"],
      ]);
    });

    it("reads a UTF-8 CSV with BOM, Vietnamese headers and leading-zero phones kept as text", async () => {
      const file = path.join(dir, "don-vi.csv");
      writeFileSync(
        file,
        "\uFEFFMã,Tên,Cấp,Mã đơn vị cấp trên,Đầu mối,Số điện thoại\r\n" +
          "SO-B,Sở GDĐT B (giả lập),Sở GDĐT,,,\r\n" +
          'LC-B,"Trường TH&THCS B, giả lập",TH và THCS,SO-B,Người Thử,0900000501\r\n',
      );
      const r = await importUnits(t.db, file);
      expect(r).toMatchObject({ ok: true, created: 2, updated: 0, errors: [] });
      expect(await t.db.unit.findUniqueOrThrow({ where: { code: "LC-B" } })).toMatchObject({
        name: "Trường TH&THCS B, giả lập",
        levels: "th,thcs",
        focalPhone: "0900000501",
        focalName: "Người Thử",
      });
    });

    it("reports every bad row with its line number and imports nothing", async () => {
      const r = await importUnits(t.db, fixture("units-bad.csv"));
      expect(r.ok).toBe(false);
      expect(r.created + r.updated).toBe(0);
      expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 8, 9, 10]);
      const at = (line: number) => unitImportErrorText(r.errors.find((e) => e.line === line)!);
      expect(at(3)).toMatch(/số điện thoại "12345" không hợp lệ/i);
      expect(at(4)).toMatch(/thiếu tên/i);
      expect(at(5)).toMatch(/không hiểu cấp "Đại học"/i);
      expect(at(6)).toMatch(/KHONG-CO/);
      expect(at(8)).toMatch(/trùng với dòng 7/);
      expect(at(9)).toMatch(/Vòng lặp/);
      expect(at(10)).toMatch(/Vòng lặp/);
      expect(await t.db.unit.count()).toBe(0);
      expect(await t.db.auditLog.count()).toBe(0);
    });

    it("rejects a file without the required columns", async () => {
      const r = await importUnits(t.db, [{ ma: "A", ten: "B" }]);
      expect(r.ok).toBe(false);
      expect(r.errors[0]).toMatchObject({ line: 1 });
      expect(unitImportErrorText(r.errors[0]!)).toMatch(/Thiếu cột level/);
    });

    it("re-import upserts by code, moves a subtree and recomputes its paths", async () => {
      await importUnits(t.db, fixture("units-good.csv"));
      const r = await importUnits(t.db, [
        { code: "XA-MOI", name: "UBND xã Mới (giả lập)", level: "UBND xã", parent_code: "SO-TEST" },
        { code: "xa-thu", name: "UBND xã Thử (đổi tên)", level: "xã", parent_code: "XA-MOI", focal_phone: "0900000199" },
      ]);
      expect(r).toMatchObject({ ok: true, created: 1, updated: 1, errors: [] });
      expect(await t.db.unit.count()).toBe(6);
      const xa = await t.db.unit.findUniqueOrThrow({ where: { code: "XA-THU" } });
      expect(xa).toMatchObject({ name: "UBND xã Thử (đổi tên)", path: "/SO-TEST/XA-MOI/XA-THU/", focalPhone: "0900000199", planId: "TK-2026" });
      // children not in the second import follow their parent
      expect((await t.db.unit.findUniqueOrThrow({ where: { code: "TH-THU" } })).path).toBe("/SO-TEST/XA-MOI/XA-THU/TH-THU/");
    });

    it("refuses a cycle through units already in the database, and a school as a parent", async () => {
      await importUnits(t.db, fixture("units-good.csv"));
      const r = await importUnits(t.db, [
        { code: "SO-TEST", name: "Sở (giả lập)", level: "Sở GDĐT", parent_code: "XA-THU" },
        { code: "MN-Z", name: "Trường MN Z (giả lập)", level: "Mầm non", parent_code: "TH-THU" },
      ]);
      expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
      expect(unitImportErrorText(r.errors[0]!)).toMatch(/Vòng lặp/);
      expect(unitImportErrorText(r.errors[1]!)).toMatch(/trường học/);
      expect((await t.db.unit.findUniqueOrThrow({ where: { code: "SO-TEST" } })).parentId).toBeNull();
    });
  });
}

describe("importUnits plan check", () => {
  it("refuses a plan_id the catalog does not know (when the catalog is present)", async () => {
    const { loadCatalog } = await import("../../core/catalog/index.ts");
    let plans: string[] = [];
    try {
      plans = loadCatalog().plans.map((p) => p.id);
    } catch {
      /* catalog not built yet */
    }
    const t = await freshDb("sqlite");
    try {
      const r = await importUnits(t.db, [{ code: "SO-K", name: "Sở K (giả lập)", level: "Sở GDĐT", plan_id: "XX-0000" }]);
      if (plans.length === 0) expect(r.ok).toBe(true);
      else expect(r.errors.map((e) => ({ line: e.line, message: unitImportErrorText(e) }))).toEqual([{ line: 2, message: expect.stringMatching(/không có kế hoạch "XX-0000"/i) }]);
    } finally {
      await t.close();
    }
  });
});

describe("units left with no plan", () => {
  it("are named after an import, and `units plan` fixes them", async () => {
    const t = await freshDb("sqlite");
    try {
      await seedShippedPlans(t.db);
      const r = await importUnits(t.db, [
        { code: "XA-NP", name: "UBND xã Không Kế Hoạch (giả lập)", level: "UBND xã" },
        { code: "TH-NP", name: "Trường TH Không Kế Hoạch (giả lập)", level: "Tiểu học", parent_code: "XA-NP" },
      ]);
      expect(r).toMatchObject({ ok: true, withoutPlan: [{ code: "TH-NP", name: "Trường TH Không Kế Hoạch (giả lập)" }] });
      const { assignPlan, unitsWithoutPlan, loadCatalogFromDb } = await import("../../core/plans/index.ts");
      expect(await assignPlan({ db: t.db }, { unitCode: "XA-NP", planId: "TK-2026" })).toMatchObject({ ok: true });
      expect(await unitsWithoutPlan(t.db, await loadCatalogFromDb(t.db), { key: "2026-11" })).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
