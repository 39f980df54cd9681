/**
 * Unit files that are not what their name says are refused with one plain message (core and CLI);
 * a unit that has units under it cannot be re-imported as a school; absurd names are refused.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importUnits } from "../../core/units/import.ts";
import { unitImportErrorText } from "../../bot/messages/units.ts";
import { seedShippedPlans } from "../../core/plans/index.ts";
import { makeDocx, makePdf } from "../../scripts/make-fixture-docs.ts";
import { freshDb, type TestDb } from "../support/db.ts";

const fixture = (name: string) => path.resolve("tests/fixtures", name);

describe("importUnits: files and re-imports that must be refused", () => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await freshDb("sqlite");
    await seedShippedPlans(t.db);
    dir = mkdtempSync(path.join(os.tmpdir(), "units-files-"));
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refusedWith = async (name: string, bytes: Uint8Array, pattern: RegExp) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    const r = await importUnits(t.db, file);
    expect(r.ok, name).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(unitImportErrorText(r.errors[0]!)).toMatch(pattern);
    expect(unitImportErrorText(r.errors[0]!)).toMatch(/Vui lòng/);
    expect(await t.db.unit.count()).toBe(0);
  };

  it("refuses a Word file, a PDF, an image and random bytes named .xlsx or .csv", async () => {
    await refusedWith("don-vi.xlsx", await makeDocx("# Danh sách"), /đuôi \.xlsx nhưng nội dung là tệp Word/);
    await refusedWith("don-vi.xlsx", await makePdf("Danh sách"), /đuôi \.xlsx nhưng nội dung là tệp PDF/);
    await refusedWith("don-vi.xlsx", Buffer.from("code,name,level\nSO-A,Sở A,Sở GDĐT\n"), /không phải bảng tính Excel/);
    await refusedWith("don-vi.csv", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 9)]), /đuôi \.csv nhưng nội dung là một ảnh/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("x").addRow(["code", "name", "level"]);
    await refusedWith("don-vi.csv", new Uint8Array(await wb.xlsx.writeBuffer()), /đuôi \.csv nhưng nội dung là bảng tính Excel/);
    await refusedWith("don-vi.csv", Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256), /không phải văn bản/);
    await refusedWith("hong.xlsx", Buffer.from("PK\u0003\u0004xl/workbook.xml broken"), /Không đọc được tệp/);
  });

  it("a commune with schools cannot be re-imported as a school; it can once its schools moved away", async () => {
    expect((await importUnits(t.db, fixture("units-good.csv"))).ok).toBe(true);
    const file = path.join(dir, "lai.csv");
    writeFileSync(file, 'code,name,level,parent_code\nXA-THU,"UBND xã Thử (giả lập)",Tiểu học,SO-TEST\n');
    const r = await importUnits(t.db, file);
    expect(r.ok).toBe(false);
    expect(unitImportErrorText(r.errors[0]!)).toMatch(/XA-THU đang quản lý 2 đơn vị \(.*TH-THU.*\) nên không thể nhập thành trường học/);
    expect((await t.db.unit.findUniqueOrThrow({ where: { code: "XA-THU" } })).kind).toBe("commune");
    // the same file also moving the schools elsewhere is accepted
    writeFileSync(
      file,
      "code,name,level,parent_code\nXA-THU,Trường Tiểu học Xã Thử (giả lập),Tiểu học,SO-TEST\nXA-MOI,UBND xã Mới (giả lập),UBND xã,SO-TEST\n" +
        "TH-THU,Trường Tiểu học Thử (giả lập),Tiểu học,XA-MOI\nLC-THU,Trường TH&THCS Thử (giả lập),TH&THCS,XA-MOI\n",
    );
    const moved = await importUnits(t.db, file);
    expect(moved.errors).toEqual([]);
    expect((await t.db.unit.findUniqueOrThrow({ where: { code: "XA-THU" } })).kind).toBe("school");
  });

  it("refuses a 5,000-character unit name with the line", async () => {
    const file = path.join(dir, "dai.csv");
    writeFileSync(file, `code,name,level,parent_code\nSO-A,"Sở ${"A".repeat(5000)}",Sở GDĐT,\n`);
    const r = await importUnits(t.db, file);
    expect(r.errors.map((e) => ({ line: e.line, message: unitImportErrorText(e) }))).toEqual([{ line: 2, message: expect.stringMatching(/quá 200 ký tự/) }]);
  });

  it("the good fixture still imports after a copy renamed .csv (text stays text)", async () => {
    const file = path.join(dir, "copy.csv");
    copyFileSync(fixture("units-good.csv"), file);
    expect(readFileSync(file).length).toBeGreaterThan(0);
    expect((await importUnits(t.db, file)).ok).toBe(true);
  });
});
