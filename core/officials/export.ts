/**
 * Export a period for officials: an xlsx workbook (exceljs) or a CSV (UTF-8 with BOM for Excel).
 *
 *   const file = await exportPeriod(db, catalog, { period: "2026-03", under: "XA-TANKY", format: "xlsx" });
 *   await bot.api.sendDocument(chatId, new InputFile(file.buffer, file.filename));
 *
 * Workbook: sheet "Đơn vị" — one row per expected unit (status, submission time in Vietnam time,
 * one column per indicator with the unit's answer); sheet "Tổng hợp" — each indicator against
 * its target.
 */
import ExcelJS from "exceljs";
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { formatPeriod, formatVietnamDate, parsePeriod } from "../reporting/periods.ts";
import { fold } from "../text.ts";
import { lateReport, LEVEL_LABEL, type LateReport, type UnitStatus } from "./late.ts";
import { progressReport, type IndicatorProgress, type ProgressReport } from "./progress.ts";
import { loadScope } from "./scope.ts";

/** One unit's answer to one indicator, as stored. */
export interface AnswerCell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  skipped: boolean;
}

/** unitId → indicator code → answer, submitted reports only. */
export type UnitAnswers = Map<number, Map<string, AnswerCell>>;

/**
 * Answers of every submitted report in `under`'s subtree for a period.
 * Cost: O(units in scope × indicators) rows through the ("period","status") index.
 */
export async function unitAnswers(db: Db, options: { period: string; under: string }): Promise<UnitAnswers> {
  const scope = await loadScope(db, options.under);
  const rows = await db.$queryRaw<
    Array<{ unitId: number | bigint; code: string; value: number | null; numerator: number | null; denominator: number | null; skipped: boolean | number }>
  >`
    SELECT r."unitId", a."indicatorCode" AS "code", a."value", a."numerator", a."denominator", a."skipped"
    FROM "Answer" a JOIN "Report" r ON r."id" = a."reportId" JOIN "Unit" u ON u."id" = r."unitId"
    WHERE r."period" = ${parsePeriod(options.period).key} AND r."status" = 'submitted'
      AND u."path" LIKE ${scope.pathLike} ESCAPE '\\'`;
  const out: UnitAnswers = new Map();
  for (const r of rows) {
    const id = Number(r.unitId);
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    m.set(r.code, { value: r.value, numerator: r.numerator, denominator: r.denominator, skipped: Boolean(r.skipped) });
  }
  return out;
}

const STATUS_LABEL: Record<UnitStatus["status"], string> = { on_time: "Đã nộp", late: "Trễ hạn", missing: "Chưa nộp" };

const num = (x: number) => x.toLocaleString("vi-VN", { maximumFractionDigits: 1 });

/** A cell's content: "45/60 (75%)" for ratios, "Có"/"Không" for yes/no, numbers otherwise. */
export function formatAnswer(indicator: Pick<IndicatorProgress, "measure">, a: AnswerCell | undefined): string | number | null {
  if (!a) return null;
  if (a.skipped) return "Bỏ qua";
  if (indicator.measure === "ratio" && a.numerator !== null && a.denominator) {
    return `${num(a.numerator)}/${num(a.denominator)} (${num((a.numerator / a.denominator) * 100)}%)`;
  }
  if (a.value === null) return null;
  if (indicator.measure === "boolean") return a.value ? "Có" : "Không";
  if (indicator.measure === "percent" || indicator.measure === "ratio") return `${num(a.value)}%`;
  return a.value;
}

/** The aggregate as officials read it: "54,1% (60/111)", "7 trường", "120". */
export function formatAggregate(i: IndicatorProgress): string {
  if (i.value === null) return "Chưa có số liệu";
  if (i.rollup === "sum_ratio") return `${num(i.value)}% (${num(i.numerator ?? 0)}/${num(i.denominator ?? 0)})`;
  if (i.rollup === "count_yes") return `${num(i.value)} đơn vị`;
  if (i.rollup === "sum") return num(i.value);
  return `${num(i.value)}%`;
}

/** Column titles of the indicators: their short labels, with the plan named when two plans share a label. */
function indicatorHeaders(progress: ProgressReport, catalog?: Catalog): string[] {
  const count = new Map<string, number>();
  for (const i of progress.indicators) count.set(i.short, (count.get(i.short) ?? 0) + 1);
  const planOf = (code: string) => {
    const plan = catalog?.plan(catalog.byCode.get(code)?.plan ?? "");
    return plan ? `KH ${plan.number ?? plan.title}` : null;
  };
  return progress.indicators.map((i) => {
    const plan = (count.get(i.short) ?? 0) > 1 ? planOf(i.code) : null;
    return plan ? `${i.short} (${plan})` : i.short;
  });
}

function unitTable(progress: ProgressReport, late: LateReport, answers: UnitAnswers, catalog?: Catalog): Array<Array<string | number | null>> {
  const head = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Đơn vị cấp trên",
    "Cấp học",
    "Trạng thái",
    "Thời điểm nộp (giờ Việt Nam)",
    ...indicatorHeaders(progress, catalog),
  ];
  const rows = late.statuses.map((s) => {
    const mine = answers.get(s.unit.id);
    return [
      s.unit.code,
      s.unit.name,
      s.unit.parentName ?? "",
      s.unit.levels.map((l) => LEVEL_LABEL[l] ?? l).join(", "),
      STATUS_LABEL[s.status],
      s.submittedAt ? formatVietnamDate(s.submittedAt, true) : "",
      ...progress.indicators.map((i) => formatAnswer(i, mine?.get(i.code))),
    ];
  });
  return [head, ...rows];
}

/** xlsx with sheets "Đơn vị" and "Tổng hợp". */
export async function buildWorkbook(
  progress: ProgressReport,
  late: LateReport,
  catalog: Catalog,
  answers: UnitAnswers,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Bot báo cáo chuyển đổi số";
  wb.created = new Date(0);

  const units = wb.addWorksheet("Đơn vị", { views: [{ state: "frozen", xSplit: 2, ySplit: 1 }] });
  const table = unitTable(progress, late, answers, catalog);
  for (const row of table) units.addRow(row);
  units.getRow(1).font = { bold: true };
  units.getRow(1).alignment = { wrapText: true, vertical: "top" };
  units.columns.forEach((c, i) => (c.width = i === 1 ? 34 : i < 6 ? 16 : 20));
  for (let r = 2; r <= table.length; r++) {
    const cell = units.getCell(r, 5);
    const color = cell.value === "Chưa nộp" ? "FFFFCDD2" : cell.value === "Trễ hạn" ? "FFFFF59D" : "FFC8E6C9";
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: color } };
  }
  units.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table[0]!.length } };

  const summary = wb.addWorksheet("Tổng hợp");
  summary.addRow([`Tổng hợp ${progress.periodLabel} – ${progress.under.name}`]).font = { bold: true, size: 14 };
  if (late.withoutPlan.length) {
    summary.addRow([
      `Chưa có kế hoạch nào áp dụng cho ${late.withoutPlan.length} đơn vị trong kỳ này (không tính vào số phải báo cáo): ` +
        late.withoutPlan.map((u) => u.name).join(", ") +
        ". Gắn kế hoạch bằng: npm run cli -- units plan <mã đơn vị> <mã kế hoạch>.",
    ]);
  }
  if (late.status !== "no_plan") summary.addRow([
    `Đơn vị phải báo cáo: ${late.expected}; đã nộp: ${late.submitted} (${late.reportingRate ?? "–"}%); ` +
      `đúng hạn: ${late.onTime} (${late.onTimeRate ?? "–"}%); trễ hạn: ${late.late.length}; chưa nộp: ${late.missing.length}.`,
  ]);
  summary.addRow([]);
  const header = summary.addRow([
    "Chỉ tiêu",
    "Mục tiêu",
    "Kết quả",
    "Đạt?",
    "Còn thiếu",
    "Đơn vị đã trả lời",
    "Đơn vị phải báo cáo",
    "Tỷ lệ đơn vị đạt (%)",
    `Thay đổi so với ${formatPeriod(parsePeriod(progress.previousPeriod))}`,
    "Kế hoạch",
  ]);
  header.font = { bold: true };
  for (const i of progress.indicators) {
    const entry = catalog.byCode.get(i.code);
    summary.addRow([
      i.short,
      i.threshold.text,
      formatAggregate(i),
      i.meets === null ? "Chưa có số liệu" : i.meets ? "Đạt" : "Chưa đạt",
      i.missing ?? "",
      i.answered,
      i.expectedUnits,
      i.meetingShare ?? "",
      i.change ?? "",
      entry ? (catalog.plan(entry.plan)?.number ?? entry.plan) : "",
    ]);
  }
  summary.columns.forEach((c, idx) => (c.width = idx === 0 ? 36 : idx === 2 ? 22 : 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A text cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe (OWASP CSV injection). */
export function csvSafe(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** RFC 4180 CSV of the "Đơn vị" table, UTF-8 with BOM so Excel shows Vietnamese; formula-like text is escaped. */
export function buildCsv(progress: ProgressReport, late: LateReport, answers: UnitAnswers, catalog?: Catalog): Buffer {
  const quote = (v: string | number | null) => {
    const s = csvSafe(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = unitTable(progress, late, answers, catalog)
    .map((row) => row.map(quote).join(","))
    .join("\r\n");
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + "\r\n", "utf8")]);
}

export interface ExportFile {
  filename: string;
  mimeType: string;
  buffer: Buffer;
}

/** Query and build the export of a period: "bao-cao-thang-3-2026-ubnd-xa-tan-ky.xlsx". */
export async function exportPeriod(
  db: Db,
  catalog: Catalog,
  options: { period: string; under: string; format?: "xlsx" | "csv"; now?: Date },
): Promise<ExportFile> {
  const [progress, late, answers] = await Promise.all([
    progressReport(db, catalog, { period: options.period, under: options.under, belowLimit: 0 }),
    lateReport(db, catalog, { period: options.period, under: options.under, now: options.now }),
    unitAnswers(db, options),
  ]);
  const base = `bao-cao-${slug(progress.periodLabel)}-${slug(progress.under.name)}`;
  if (options.format === "csv") {
    return { filename: `${base}.csv`, mimeType: "text/csv", buffer: buildCsv(progress, late, answers, catalog) };
  }
  return {
    filename: `${base}.xlsx`,
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: await buildWorkbook(progress, late, catalog, answers),
  };
}

/** "tháng 3/2026" → "thang-3-2026": file names without diacritics, spaces or slashes. */
function slug(text: string): string {
  return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
}
