import ExcelJS from "exceljs";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chartFontFiles,
  progressChartPng,
  progressChartSpec,
  reportingRateChartPng,
  reportingRateChartSpec,
  vegaLiteToSvg,
} from "../../core/officials/charts.ts";
import { buildCsv, buildWorkbook, exportPeriod, unitAnswers } from "../../core/officials/export.ts";
import { lateReport, type LateReport } from "../../core/officials/late.ts";
import { progressReport, type ProgressReport } from "../../core/officials/progress.ts";
import { freshDb, type TestDb } from "../support/db.ts";
import { seedHierarchy, testCatalog } from "./fixture.ts";

const catalog = testCatalog();
const now = new Date("2026-03-28T03:00:00Z");
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Count pixels that are clearly not white in an RGBA buffer. */
function inkPixels(svg: string, fonts: boolean): number {
  const img = new Resvg(svg, {
    font: fonts ? { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: "Be Vietnam Pro" } : { loadSystemFonts: false },
    background: "white",
  }).render();
  const px = img.pixels;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i]! < 200 || px[i + 1]! < 200 || px[i + 2]! < 200) ink++;
  return ink;
}

describe("charts and exports", () => {
  let t: TestDb;
  let progress: ProgressReport;
  let late: LateReport;
  beforeAll(async () => {
    t = await freshDb("sqlite");
    await seedHierarchy(t.db);
    progress = await progressReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO" });
    late = await lateReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", now });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("uses TTF fonts (resvg ignores WOFF)", () => {
    const files = chartFontFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/\.ttf$/);
  });

  it("draws the progress chart with Vietnamese labels as glyphs", async () => {
    const svg = await vegaLiteToSvg(progressChartSpec(progress));
    expect(svg).toContain("Tiến độ thực hiện chỉ tiêu – tháng 3/2026");
    expect(svg).toContain("1. Giáo viên có chữ ký số");
    expect(svg).not.toMatch(/TK-\d\d/);
    expect(svg).toContain("Chưa đạt");
    // With the font loaded, the text adds ink; without any font resvg draws no text at all.
    const withText = inkPixels(svg, true);
    const withoutText = inkPixels(svg, false);
    expect(withText).toBeGreaterThan(withoutText + 2000);
    const png = await progressChartPng(progress);
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
  });

  it("draws the reporting-rate chart per commune", async () => {
    const svg = await vegaLiteToSvg(reportingRateChartSpec(late));
    expect(svg).toContain("UBND xã Tân Kỳ (3/4)");
    expect(svg).toContain("UBND xã Bình An (1/2)");
    expect(svg).toContain("Đúng hạn");
    expect(inkPixels(svg, true)).toBeGreaterThan(inkPixels(svg, false) + 1000);
    const png = await reportingRateChartPng(late);
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it("builds a workbook with one row per unit and a summary against targets", async () => {
    const answers = await unitAnswers(t.db, { period: "2026-03", under: "SO-DEMO" });
    const buf = await buildWorkbook(progress, late, catalog, answers);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const units = wb.getWorksheet("Đơn vị")!;
    const header = (units.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 8)).toEqual([
      "Mã đơn vị",
      "Tên đơn vị",
      "Đơn vị cấp trên",
      "Cấp học",
      "Kỳ báo cáo",
      "Trạng thái",
      "Thời điểm nộp (giờ Việt Nam)",
      "Phê duyệt",
    ]);
    expect(header).toContain("Giáo viên có chữ ký số — tỷ lệ (%)");
    expect(header).toContain("Giáo viên có chữ ký số — lý do chưa đạt");
    expect(header).toContain("Cảnh báo số liệu");
    const rows = new Map<string, unknown[]>();
    units.eachRow((row, i) => {
      if (i > 1) rows.set(String(row.getCell(1).value), (row.values as unknown[]).slice(1));
    });
    expect(rows.size).toBe(6);
    const col = (name: string) => header.indexOf(name);
    const hoaMai = rows.get("TH-HOAMAI")!;
    expect(hoaMai[col("Trạng thái")]).toBe("Đã nộp");
    expect(hoaMai[col("Thời điểm nộp (giờ Việt Nam)")]).toBe("08:30 15/03/2026");
    expect(hoaMai[col("Kỳ báo cáo")]).toBe("tháng 3/2026");
    expect(hoaMai[col("Phê duyệt")]).toBe("Chờ duyệt");
    // numbers, not text: numerator, denominator and percentage in their own columns, with number formats
    expect(hoaMai[col("Giáo viên có chữ ký số — số đạt")]).toBe(9);
    expect(hoaMai[col("Giáo viên có chữ ký số — tổng số")]).toBe(10);
    expect(hoaMai[col("Giáo viên có chữ ký số — tỷ lệ (%)")]).toBe(90);
    expect(units.getColumn(col("Giáo viên có chữ ký số — tỷ lệ (%)") + 1).numFmt).toBe("0.0");
    expect(hoaMai[col("Trường dùng học bạ số")]).toBe("Có");
    expect(hoaMai[col("Bài giảng điện tử")]).toBe(30);
    expect(rows.get("THCS-TANKY")![col("Trạng thái")]).toBe("Trễ hạn");
    expect(rows.get("TH-SAOMAI")![col("Trạng thái")]).toBe("Chưa nộp");
    expect(rows.get("TH-SAOMAI")![col("Giáo viên có chữ ký số — số đạt")]).toBeUndefined(); // drafts are not shown

    const summary = wb.getWorksheet("Tổng hợp")!;
    const lines: unknown[][] = [];
    summary.eachRow((row) => lines.push((row.values as unknown[]).slice(1)));
    const tk01 = lines.find((l) => l[0] === "Giáo viên có chữ ký số")!;
    expect(tk01.slice(0, 10)).toEqual(["Giáo viên có chữ ký số", "≥ 90%", 54.1, "%", 60, 111, "Chưa đạt", 40, 3, 4]);
    expect(lines.find((l) => l[0] === "Bài giảng điện tử")![6]).toBe("Đạt");
    expect(lines.flat().join(" ")).not.toMatch(/\bTK-\d\d\b|\b2026-0\d\b/);
  });

  it("writes CSV as UTF-8 with a BOM and quotes fields with commas", async () => {
    const answers = await unitAnswers(t.db, { period: "2026-03", under: "XA-TANKY" });
    const p = await progressReport(t.db, catalog, { period: "2026-03", under: "XA-TANKY" });
    const l = await lateReport(t.db, catalog, { period: "2026-03", under: "XA-TANKY", now });
    const csv = buildCsv(p, l, answers);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString("utf8");
    expect(text.split("\r\n")[0]).toMatch(/^Mã đơn vị,Tên đơn vị,/);
    expect(text).toContain("THCS-TANKY,Trường THCS Tân Kỳ,UBND xã Tân Kỳ,THCS,tháng 3/2026,Trễ hạn,14:00 25/03/2026,Chờ duyệt");
    expect(text).not.toContain("BINHAN");
    const file = await exportPeriod(t.db, catalog, { period: "2026-03", under: "XA-TANKY", format: "csv", now });
    expect(file.filename).toBe("bao-cao-thang-3-2026-ubnd-xa-tan-ky.csv");
  });
});
