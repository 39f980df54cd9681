/** The plan verbs of the admin CLI, spawned as `npm run cli` runs them, on a real SQLite file. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../support/db.ts";

function cli(args: string[], url: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("plan verbs of the CLI", () => {
  let t: TestDb;
  const dir = mkdtempSync(path.join(os.tmpdir(), "plans-cli-"));
  beforeAll(async () => {
    t = await freshDb("sqlite");
    const xa = await t.db.unit.create({ data: { code: "XA-BM", name: "UBND xã Bình Minh (giả lập)", kind: "commune", levels: "xa", path: "/XA-BM/" } });
    await t.db.unit.create({ data: { code: "TH-BM", name: "Trường TH Bình Minh (giả lập)", kind: "school", levels: "th", parentId: xa.id, path: "/XA-BM/TH-BM/" } });
    await t.db.$disconnect(); // the CLI migrates the file first; an open connection would hold its lock
  });
  /** Read the database between CLI runs, then let go of it. */
  const read = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } finally {
      await t.db.$disconnect();
    }
  };
  afterAll(async () => t.close());

  it("plans add → catalog show → export/import (every bad row reported, nothing half-stored) → publish → units plan", async () => {
    const add = cli(["plans", "add", "tests/fixtures/plans/kh-binh-minh-2027.txt", "--json"], t.url);
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added.plan).toMatchObject({ id: "BM-2027", status: "draft" });
    expect(added.entries.map((e: { code: string }) => e.code)).toEqual(["BM-01", "BM-02", "BM-03"]);
    expect(cli(["plans", "add", "tests/fixtures/plans/kh-binh-minh-2027.txt"], t.url)).toMatchObject({ code: 1, stderr: expect.stringContaining("đã được thêm thành kế hoạch BM-2027") });

    const show = JSON.parse(cli(["catalog", "show", "BM-2027", "--json"], t.url).stdout);
    expect(show.entries).toHaveLength(3);

    // export, break two rows: both problems reported with their rows, nothing stored
    const xlsx = path.join(dir, "bm.xlsx");
    expect(cli(["catalog", "export", "BM-2027", "--out", xlsx], t.url).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const sheet = wb.getWorksheet("Chỉ tiêu")!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const col = (name: string) => header.indexOf(name);
    expect(sheet.getRow(3).getCell(col("code")).value).toBe("BM-02");
    sheet.getRow(3).getCell(col("value")).value = 80;
    sheet.getRow(3).getCell(col("threshold_text")).value = "≥ 80%";
    sheet.getRow(2).getCell(col("drop")).value = "x";
    const levels = sheet.getRow(4).getCell(col("levels")).value;
    sheet.getRow(4).getCell(col("levels")).value = "th,dai-hoc";
    sheet.getRow(4).getCell(col("op")).value = "≈";
    await wb.xlsx.writeFile(path.join(dir, "bad.xlsx"));
    const bad = cli(["catalog", "import", path.join(dir, "bad.xlsx")], t.url);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Dòng 4 (BM-03): cấp học không hợp lệ: dai-hoc");
    expect(await read(() => t.db.auditLog.count({ where: { action: "plan.import" } }))).toBe(0);
    expect(JSON.parse((await read(() => t.db.target.findFirstOrThrow({ where: { code: "BM-02" } }))).entryJson).threshold.value).toBe(85);
    expect(await read(() => t.db.target.count({ where: { planId: "BM-2027" } }))).toBe(3);
    // fixed: the edit and the drop are stored as drafts
    sheet.getRow(4).getCell(col("levels")).value = levels;
    sheet.getRow(4).getCell(col("op")).value = ">=";
    await wb.xlsx.writeFile(xlsx);
    const ok = cli(["catalog", "import", xlsx], t.url);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("1 chỉ tiêu sửa (BM-02)");
    expect(ok.stdout).toContain("1 bỏ (BM-01)");
    expect(await read(() => t.db.auditLog.count({ where: { action: "plan.import" } }))).toBe(1);

    const pub = cli(["catalog", "publish", "BM-2027", "--from", "2027", "--to", "2027-H2"], t.url);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toContain("units plan <mã đơn vị> BM-2027");
    const list = JSON.parse(cli(["catalog", "list", "--json", "--plan", "BM-2027"], t.url).stdout);
    expect(list.map((e: { code: string; version: number; status: string }) => [e.code, e.version, e.status])).toEqual([
      ["BM-02", 1, "published"],
      ["BM-03", 1, "published"],
    ]);
    expect(list[0].threshold.value).toBe(80);

    const assign = cli(["units", "plan", "xa-bm", "BM-2027", "--from", "2027-Q1"], t.url);
    expect(assign.code, assign.stderr).toBe(0);
    expect(assign.stdout).toContain("Đã gắn kế hoạch BM-2027 cho UBND xã Bình Minh (giả lập)");

    const late = cli(["late", "--period", "2026-11", "--under", "XA-BM"], t.url);
    expect(late.stdout).toContain("chưa có kế hoạch");
    expect(late.stdout).toContain("TH-BM");
    expect(late.stdout).not.toContain("%");
    const late27 = JSON.parse(cli(["late", "--period", "2027-02", "--under", "XA-BM", "--json"], t.url).stdout);
    expect(late27).toMatchObject({ status: "ok", expected: 1, withoutPlan: [] });
  }, 300_000);

  it("units import names the units left with no plan and says how to fix it", async () => {
    const csv = path.join(dir, "units.csv");
    writeFileSync(csv, "code,name,level,parent_code\nXA-NO,UBND xã Chưa Gắn (giả lập),UBND xã,\nTH-NO,Trường TH Chưa Gắn (giả lập),Tiểu học,XA-NO\n");
    const r = cli(["units", "import", csv], t.url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("TH-NO Trường TH Chưa Gắn (giả lập)");
    expect(r.stdout).toContain("npm run cli -- units plan <mã đơn vị> <mã kế hoạch>");
    expect(readFileSync(csv, "utf8")).toContain("XA-NO");
  }, 60_000);
});
