import ExcelJS from "exceljs";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../core/catalog/index.ts";
import {
  chartFontFiles,
  progressChartPng,
  progressChartSpec,
  reportingRateChartPng,
  reportingRateChartSpec,
  schoolsChartSpec,
  vegaLiteToSvg,
} from "../../core/officials/charts.ts";
import { CHART_WORDS, SHEET_WORDS } from "../../bot/messages/officials.ts";
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

  it("words a target's below-target schools chart with the caller's words", async () => {
    const code = progress.indicators.find((x) => x.belowCount > 0 && x.unitThreshold?.unit === "%")?.code;
    const one = await progressReport(t.db, catalog, { period: "2026-03", under: "SO-DEMO", indicator: code });
    const i = one.indicators.find((x) => x.below.some((b) => b.value !== null) && x.unitThreshold?.unit === "%");
    expect(i).toBeDefined();
    const spec = JSON.stringify(schoolsChartSpec(one, i!.code, CHART_WORDS));
    expect(spec).toContain(`${i!.short} – các trường chưa đạt, tháng 3/2026`);
    expect(spec).toContain(`Vạch đen: chỉ tiêu ${i!.unitThreshold!.text}.`);
    expect(spec).toContain('"Chưa đạt"');
    expect(spec).not.toContain('"below"');
  });

  it("draws the progress chart with Vietnamese labels as glyphs", async () => {
    const svg = await vegaLiteToSvg(progressChartSpec(progress, CHART_WORDS)!);
    expect(svg).toContain("Tiến độ chỉ tiêu – tháng 3/2026");
    expect(svg).toContain("1. Giáo viên có chữ ký số");
    expect(svg).not.toMatch(/TK-\d\d/);
    expect(svg).toContain("Chưa đạt");
    // With the font loaded, the text adds ink; without any font resvg draws no text at all.
    const withText = inkPixels(svg, true);
    const withoutText = inkPixels(svg, false);
    expect(withText).toBeGreaterThan(withoutText + 2000);
    const png = (await progressChartPng(progress, CHART_WORDS))!;
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
  });

  it("draws the reporting-rate chart per commune", async () => {
    const svg = await vegaLiteToSvg(reportingRateChartSpec(late, CHART_WORDS)!);
    expect(svg).toContain("UBND xã Tân Kỳ");
    expect(svg).toContain("đã nộp 3/4");
    expect(svg).toContain("đã nộp 1/2");
    expect(svg).toContain("Đúng hạn");
    expect(inkPixels(svg, true)).toBeGreaterThan(inkPixels(svg, false) + 1000);
    const png = (await reportingRateChartPng(late, CHART_WORDS))!;
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it("charts follow the phone rules: worst first, ≤ 10 bars with a note, wrapped labels, 0–100 axis, no chart without data", () => {
    type Layered = { data: { values: Array<{ label: string; bar: number; target: number }> }; layer: Array<{ encoding: { x?: { scale?: { domain: number[] } } } }>; title: { subtitle: string[] } };
    // 21 targets: only the 10 furthest below target are drawn, and the note says so
    const many = { ...progress, indicators: Array.from({ length: 21 }, (_, k) => ({ ...progress.indicators[0]!, short: `Học sinh có hồ sơ số trên cơ sở dữ liệu ngành giáo dục số ${k}`, value: 100 - k * 4, meets: 100 - k * 4 >= 90 })) };
    const spec = progressChartSpec(many, CHART_WORDS) as unknown as Layered;
    const rows = spec.data.values;
    expect(rows).toHaveLength(10);
    expect(spec.title.subtitle.join(" ")).toContain("11 chỉ tiêu khác không vẽ");
    expect(rows.map((r) => r.bar)).toEqual([...rows.map((r) => r.bar)].sort((a, b) => a - b)); // worst first
    // labels wrapped into lines, never cut: every word of the name is kept
    for (const r of rows) {
      const lines = r.label.split("\n");
      expect(lines.length).toBeGreaterThan(2);
      expect(lines.every((l) => l.length <= 40)).toBe(true);
      expect(r.label.replace(/\n/g, " ")).toContain("Học sinh có hồ sơ số trên cơ sở dữ liệu ngành giáo dục số");
    }
    expect(spec.layer[0]!.encoding.x!.scale!.domain).toEqual([0, 100]);
    expect(Math.max(...rows.map((r) => r.bar))).toBeLessThanOrEqual(100);
    // the value is written in the label column, not across the target tick
    expect(spec.layer.some((l) => (l as { mark?: { type?: string } }).mark?.type === "text")).toBe(false);
    // no data, no chart
    expect(progressChartSpec({ ...progress, indicators: progress.indicators.map((i) => ({ ...i, value: null })) }, CHART_WORDS)).toBeNull();
    expect(reportingRateChartSpec({ ...late, groups: { byArea: [], byLevel: [], byParent: [] } }, CHART_WORDS)).toBeNull();
  });

  it("builds a workbook with one row per unit and a summary against targets", async () => {
    const answers = await unitAnswers(t.db, { period: "2026-03", under: "SO-DEMO" });
    const buf = await buildWorkbook(progress, late, catalog, answers, SHEET_WORDS);
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
    const csv = buildCsv(p, l, answers, SHEET_WORDS);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString("utf8");
    expect(text.split("\r\n")[0]).toMatch(/^Mã đơn vị,Tên đơn vị,/);
    expect(text).toContain("THCS-TANKY,Trường THCS Tân Kỳ,UBND xã Tân Kỳ,THCS,tháng 3/2026,Trễ hạn,14:00 25/03/2026,Chờ duyệt");
    expect(text).not.toContain("BINHAN");
    const file = await exportPeriod(t.db, catalog, { period: "2026-03", under: "XA-TANKY", format: "csv", now }, SHEET_WORDS);
    expect(file.filename).toBe("bao-cao-thang-3-2026-ubnd-xa-tan-ky.csv");
  });
});

describe("province view", () => {
  it("groups targets by plan and names each plan by number and issuer, never its id", async () => {
    const { progressText } = await import("../../bot/features/officials.ts");
    const { planRefOf } = await import("../../core/officials/progress.ts");
    const catalog = loadCatalog();
    const [a, b] = catalog.plans.filter((p) => p.number);
    const base = { code: "X", short: "Học bạ số", target: "", rollup: "share_yes", measure: "boolean", threshold: { op: ">=", value: 100, unit: "%", text: "100%" }, unitThreshold: null, expectedUnits: 2, answered: 2, numerator: null, denominator: null, value: 50, meets: false, gap: 50, missing: 1, missingUnit: "đơn vị", countUnit: null, meetingUnits: 1, meetingShare: 50, previous: null, change: null, belowCount: 0, below: [] };
    const report = {
      period: "2026-03", periodLabel: "tháng 3/2026", previousPeriod: "2026-02", under: { code: "SO", name: "Sở GDĐT" }, level: null, status: "ok", withoutPlan: [],
      indicators: [
        { ...base, plan: planRefOf(catalog, a!.id) },
        { ...base, plan: planRefOf(catalog, b!.id) },
        { ...base, short: "Thanh toán không dùng tiền mặt", plan: planRefOf(catalog, a!.id) },
      ],
    };
    const { text } = progressText(report as never, false, 0);
    const lines = text.split("\n");
    const heads = lines.filter((l) => l.startsWith("📘"));
    expect(heads).toHaveLength(2);
    expect(heads[0]).toContain(a!.number!);
    expect(heads[0]).toContain(a!.issuer);
    // the first plan's two targets come together under its name
    expect(lines.indexOf(heads[1]!)).toBeGreaterThan(lines.findIndex((l) => l.includes("Thanh toán không dùng tiền mặt")));
    expect(text).not.toContain(a!.id);
    expect(text).not.toContain(b!.id);
  });
});

describe("numbers carry their unit", () => {
  it("a fall in percentage points, a shortfall in the answer's own unit, yes/no as Có/Chưa", async () => {
    const { progressText } = await import("../../bot/features/officials.ts");
    const unit = (name: string) => ({ id: 1, code: "U", name, parentName: null }) as never;
    const ratio = {
      code: "X", plan: { docType: null, number: "1/KH", issuer: "Sở GDĐT", title: "Kế hoạch thử" }, short: "Giáo viên có chữ ký số", target: "", rollup: "sum_ratio", measure: "ratio",
      threshold: { op: ">=", value: 90, unit: "%", text: "≥ 90%" }, unitThreshold: { op: ">=", value: 90, unit: "%", text: "≥ 90%" },
      expectedUnits: 2, answered: 2, numerator: 96, denominator: 120, value: 80, meets: false, gap: 10, missing: 12, missingUnit: "giáo viên", countUnit: null,
      meetingUnits: 1, meetingShare: 50, previous: null, change: -8.5, belowCount: 1,
      below: [{ unit: unit("Trường TH Hoa Mai"), value: 75, numerator: 45, denominator: 60, target: 90, gap: 15, missing: 9, missingUnit: "giáo viên", reason: "chờ cấp chứng thư", outlier: null }],
    };
    const yesNo = {
      ...ratio, short: "Học bạ số", rollup: "share_yes", measure: "boolean", numerator: null, denominator: null, value: 50, missing: 1, missingUnit: "đơn vị", change: 12.5,
      below: [{ unit: unit("Trường TH Sơn Ca"), value: 0, numerator: null, denominator: null, target: 100, gap: 100, missing: null, missingUnit: null, reason: null, outlier: null }],
    };
    const lessons = { ...ratio, short: "Bài giảng số", rollup: "sum", measure: "count", numerator: null, denominator: null, value: 1234.5, meets: null, missing: null, missingUnit: "bài giảng", countUnit: "bài giảng", change: 0, below: [], belowCount: 0 };
    const report = { period: "2026-03", periodLabel: "tháng 3/2026", previousPeriod: "2026-02", under: { code: "SO", name: "Sở GDĐT" }, level: null, status: "ok", withoutPlan: [], indicators: [ratio, yesNo, lessons] };
    const { text } = progressText(report as never, false, 0);
    expect(text).toContain("80% (96/120), chỉ tiêu ≥ 90% — còn thiếu 12 giáo viên, giảm 8,5 điểm % so với kỳ trước");
    expect(text).toContain("Trường TH Hoa Mai: 45/60, còn thiếu 9 giáo viên");
    expect(text).toContain("còn thiếu 1 đơn vị, tăng 12,5 điểm % so với kỳ trước");
    expect(text).toContain("Trường TH Sơn Ca: Chưa —");
    expect(text).toContain("Bài giảng số</b>: 1.234,5 bài giảng");
    expect(text).toContain("không đổi so với kỳ trước");
  });
});

describe("charts write numbers the Vietnamese way", () => {
  it("axis ticks use a decimal comma and a dot for thousands", async () => {
    const { vegaLiteToSvg } = await import("../../core/officials/charts.ts");
    const texts = async (values: number[]) => {
      const svg = await vegaLiteToSvg({
        data: { values: values.map((x, i) => ({ x, y: `d${i}` })) },
        mark: "bar",
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "nominal" } },
      } as never);
      return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    };
    expect(await texts([0.25, 0.9])).toContain("0,2");
    expect(await texts([10, 1234.5])).toContain("1.000");
  });
});
