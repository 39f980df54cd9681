/**
 * Export a period for officials: an xlsx workbook (exceljs) or a CSV (UTF-8 with BOM for Excel).
 *
 *   const file = await exportPeriod(db, catalog, { period: "2026-03", under: "XA-TANKY", format: "xlsx" }, SHEET_WORDS);
 *   await bot.api.sendDocument(chatId, new InputFile(file.buffer, file.filename));
 *
 * Workbook: sheet "Đơn vị" — one row per expected unit (status, submission time in Vietnam time,
 * one column per indicator with the unit's answer); sheet "Tổng hợp" — each indicator against
 * its target. Core lays out the data; every header, label and sentence comes from the caller's
 * {@link SheetWords} (bot/messages/officials.ts SHEET_WORDS, shared by the bot and the CLI).
 */
import ExcelJS from "exceljs";
import { Prisma } from "../../generated/sqlite/client.ts";
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { formatPeriod, formatVietnamDate, parsePeriod, previousPeriod } from "../reporting/periods.ts";
import { aggregateUnit } from "../reporting/format.ts";
import { fold } from "../text.ts";
import { lateReport, LEVEL_LABEL, type LateReport, type UnitStatus } from "./late.ts";
import { outlierOf, progressReport, type IndicatorProgress, type OutlierFlag, type PlanRef, type ProgressReport } from "./progress.ts";
import { inScopeSql, loadScope } from "./scope.ts";

/** One unit's answer to one indicator, as stored. */
export interface AnswerCell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  skipped: boolean;
  meetsTarget?: boolean | null;
  /** The focal point's reason for being below target. */
  reason?: string | null;
  /** Outlier flag against the unit's previous period (progress.ts outlierOf). */
  outlier?: OutlierFlag | null;
}

/** unitId → indicator code → answer, submitted reports only. */
export type UnitAnswers = Map<number, Map<string, AnswerCell>>;

/**
 * Answers of every submitted report in `under`'s subtree for a period.
 * Cost: O(units in scope × indicators) rows through the ("period","status") index.
 */
export async function unitAnswers(db: Db, options: { period: string; under: string }): Promise<UnitAnswers> {
  const scope = await loadScope(db, options.under);
  const period = parsePeriod(options.period);
  type Row = { unitId: number | bigint; code: string; value: number | null; numerator: number | null; denominator: number | null; skipped: boolean | number; meetsTarget: boolean | number | null; reason: string | null };
  const read = (key: string) => db.$queryRaw<Row[]>`
    SELECT r."unitId", a."indicatorCode" AS "code", a."value", a."numerator", a."denominator", a."skipped", a."meetsTarget", a."reason"
    FROM "Answer" a JOIN "Report" r ON r."id" = a."reportId"
    WHERE r."period" = ${key} AND r."status" = 'submitted'
      AND ${inScopeSql(scope, Prisma.sql`r."unitId"`)}`;
  const [rows, before] = await Promise.all([read(period.key), read(previousPeriod(period).key)]);
  const prev = new Map(before.filter((r) => !r.skipped).map((r) => [`${Number(r.unitId)}|${r.code}`, r]));
  const out: UnitAnswers = new Map();
  for (const r of rows) {
    const id = Number(r.unitId);
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    const p = prev.get(`${id}|${r.code}`);
    const skipped = Boolean(r.skipped);
    m.set(r.code, {
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      skipped,
      meetsTarget: r.meetsTarget === null ? null : Boolean(r.meetsTarget),
      reason: r.reason,
      outlier: skipped || !p ? null : outlierOf({ value: r.value, denominator: r.denominator, prevValue: p.value, prevDenominator: p.denominator }),
    });
  }
  return out;
}

/** What the consolidation sheet says; the caller words it (bot/messages/officials.ts SHEET_WORDS). */
export interface SheetWords {
  /** The workbook's author property. */
  creator: string;
  /** The file name's first word, without diacritics ("bao-cao"). */
  filePrefix: string;
  unitsSheet: string;
  summarySheet: string;
  status: Record<UnitStatus["status"], string>;
  approval: Record<"approved" | "pending" | "returned", string>;
  outlier: Record<OutlierFlag, string>;
  /** A yes/no answer. */
  yes: string;
  no: string;
  columns: { code: string; name: string; parent: string; levels: string; period: string; status: string; submittedAt: string; approval: string; outliers: string };
  /** A target's short label with its plan's number (or title), when two plans share the label. */
  withPlan: (short: string, plan: string) => string;
  numerator: (target: string) => string;
  denominator: (target: string) => string;
  rate: (target: string) => string;
  percent: (target: string) => string;
  reason: (target: string) => string;
  noReason: string;
  outlierItem: (target: string, flag: string) => string;
  summaryTitle: (periodLabel: string, underName: string) => string;
  withoutPlan: (names: string[]) => string;
  counts: (c: { expected: number; submitted: number; reportingRate: number | null; onTime: number; onTimeRate: number | null; late: number; missing: number }) => string;
  summaryColumns: {
    target: string;
    threshold: string;
    result: string;
    unit: string;
    numerator: string;
    denominator: string;
    meets: string;
    missing: string;
    answered: string;
    expected: string;
    meetingShare: string;
    change: (previousPeriodLabel: string) => string;
    plan: string;
  };
  noData: string;
  meets: string;
  below: string;
  /** The plan column when the plan has no number. */
  planName: (plan: PlanRef | null) => string;
  /** The unit column of a count_yes target: what a count of units is counted in ("đơn vị"). */
  unitsNoun: string;
}

/** Column titles of the indicators: their short labels, with the plan named when two plans share a label. */
function indicatorHeaders(progress: ProgressReport, words: SheetWords, catalog?: Catalog): string[] {
  const count = new Map<string, number>();
  for (const i of progress.indicators) count.set(i.short, (count.get(i.short) ?? 0) + 1);
  const planOf = (code: string) => {
    const plan = catalog?.plan(catalog.byCode.get(code)?.plan ?? "");
    return plan ? (plan.number ?? plan.title) : null;
  };
  return progress.indicators.map((i) => {
    const plan = (count.get(i.short) ?? 0) > 1 ? planOf(i.code) : null;
    return plan ? words.withPlan(i.short, plan) : i.short;
  });
}

/** How a column's numbers are shown in Excel (numbers stay numbers; Excel shows the reader's decimal comma). */
export type ColumnFormat = "text" | "count" | "percent";

interface Column {
  title: string;
  format: ColumnFormat;
  cell: (s: UnitStatus, mine: Map<string, AnswerCell> | undefined) => string | number | null;
}

/**
 * The columns of the "Đơn vị" sheet: the unit, the period ("tháng 3/2026"), its status and
 * approval, then per indicator its numbers — a ratio as three number columns (đạt, tổng số, tỷ lệ %),
 * yes/no as Có/Chưa, counts and levels as numbers — and the reason when below target; last, the
 * outlier flags.
 */
function unitColumns(progress: ProgressReport, words: SheetWords, catalog?: Catalog): Column[] {
  const titles = indicatorHeaders(progress, words, catalog);
  const w = words.columns;
  const cols: Column[] = [
    { title: w.code, format: "text", cell: (s) => s.unit.code },
    { title: w.name, format: "text", cell: (s) => s.unit.name },
    { title: w.parent, format: "text", cell: (s) => s.unit.parentName ?? "" },
    { title: w.levels, format: "text", cell: (s) => s.unit.levels.map((l) => LEVEL_LABEL[l] ?? l).join(", ") },
    { title: w.period, format: "text", cell: () => progress.periodLabel },
    { title: w.status, format: "text", cell: (s) => words.status[s.status] },
    { title: w.submittedAt, format: "text", cell: (s) => (s.submittedAt ? formatVietnamDate(s.submittedAt, true) : "") },
    { title: w.approval, format: "text", cell: (s) => (s.approval ? (words.approval[s.approval as keyof SheetWords["approval"]] ?? "") : "") },
  ];
  progress.indicators.forEach((i, k) => {
    const title = titles[k]!;
    const get = (mine: Map<string, AnswerCell> | undefined) => {
      const a = mine?.get(i.code);
      return a && !a.skipped ? a : undefined;
    };
    if (i.measure === "ratio") {
      cols.push(
        { title: words.numerator(title), format: "count", cell: (_s, m) => get(m)?.numerator ?? null },
        { title: words.denominator(title), format: "count", cell: (_s, m) => get(m)?.denominator ?? null },
        {
          title: words.rate(title),
          format: "percent",
          cell: (_s, m) => {
            const a = get(m);
            if (!a) return null;
            if (a.numerator !== null && a.denominator) return Math.round((a.numerator / a.denominator) * 1000) / 10;
            return a.value;
          },
        },
      );
    } else if (i.measure === "boolean") {
      cols.push({ title, format: "text", cell: (_s, m) => { const a = get(m); return a?.value == null ? null : a.value ? words.yes : words.no; } });
    } else {
      cols.push({ title: i.measure === "percent" ? words.percent(title) : title, format: i.measure === "percent" ? "percent" : "count", cell: (_s, m) => get(m)?.value ?? null });
    }
    cols.push({ title: words.reason(title), format: "text", cell: (_s, m) => { const a = get(m); return a?.meetsTarget === false ? (a.reason ?? words.noReason) : ""; } });
  });
  cols.push({
    title: w.outliers,
    format: "text",
    cell: (_s, m) =>
      progress.indicators
        .map((i, k) => {
          const flag = m?.get(i.code)?.outlier;
          return flag ? words.outlierItem(titles[k]!, words.outlier[flag]) : null;
        })
        .filter(Boolean)
        .join("; "),
  });
  return cols;
}

function unitTable(progress: ProgressReport, late: LateReport, answers: UnitAnswers, words: SheetWords, catalog?: Catalog): { columns: Column[]; rows: Array<Array<string | number | null>> } {
  const columns = unitColumns(progress, words, catalog);
  const rows = late.statuses.map((s) => {
    const mine = answers.get(s.unit.id);
    return columns.map((c) => c.cell(s, mine));
  });
  return { columns, rows: [columns.map((c) => c.title), ...rows] };
}

/** xlsx with sheets "Đơn vị" and "Tổng hợp". */
export async function buildWorkbook(
  progress: ProgressReport,
  late: LateReport,
  catalog: Catalog,
  answers: UnitAnswers,
  words: SheetWords,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = words.creator;
  wb.created = new Date(0);

  const units = wb.addWorksheet(words.unitsSheet, { views: [{ state: "frozen", xSplit: 2, ySplit: 1 }] });
  const { columns, rows: table } = unitTable(progress, late, answers, words, catalog);
  for (const row of table) units.addRow(row);
  units.getRow(1).font = { bold: true };
  units.getRow(1).alignment = { wrapText: true, vertical: "top" };
  units.columns.forEach((c, i) => {
    c.width = i === 1 ? 34 : i < 8 ? 16 : 20;
    const f = columns[i]?.format;
    if (f === "count") c.numFmt = "#,##0"; // whole numbers ("#,##0.##" shows "12," for 12)
    if (f === "percent") c.numFmt = "0.0";
  });
  const statusCol = columns.findIndex((c) => c.title === words.columns.status) + 1;
  const colors: Record<UnitStatus["status"], string> = { missing: "FFFFCDD2", late: "FFFFF59D", on_time: "FFC8E6C9" };
  for (let r = 2; r <= table.length; r++) {
    const cell = units.getCell(r, statusCol);
    const color = colors[late.statuses[r - 2]!.status];
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: color } };
  }
  units.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table[0]!.length } };

  const summary = wb.addWorksheet(words.summarySheet);
  summary.addRow([words.summaryTitle(progress.periodLabel, progress.under.name)]).font = { bold: true, size: 14 };
  if (late.withoutPlan.length) summary.addRow([words.withoutPlan(late.withoutPlan.map((u) => u.name))]);
  if (late.status !== "no_plan") {
    const { expected, submitted, reportingRate, onTime, onTimeRate } = late;
    summary.addRow([words.counts({ expected, submitted, reportingRate, onTime, onTimeRate, late: late.late.length, missing: late.missing.length })]);
  }
  summary.addRow([]);
  const h = words.summaryColumns;
  const header = summary.addRow([
    h.target,
    h.threshold,
    h.result,
    h.unit,
    h.numerator,
    h.denominator,
    h.meets,
    h.missing,
    h.answered,
    h.expected,
    h.meetingShare,
    h.change(formatPeriod(parsePeriod(progress.previousPeriod))),
    h.plan,
  ]);
  header.font = { bold: true };
  for (const i of progress.indicators) {
    const entry = catalog.byCode.get(i.code);
    summary.addRow([
      i.short,
      i.threshold.text,
      i.value,
      i.value === null ? "" : (aggregateUnit(i.rollup, i.countUnit, words.unitsNoun) ?? ""),
      i.numerator,
      i.denominator,
      i.meets === null ? words.noData : i.meets ? words.meets : words.below,
      i.missing ?? "",
      i.answered,
      i.expectedUnits,
      i.meetingShare ?? "",
      i.change ?? "",
      (entry ? catalog.plan(entry.plan)?.number : undefined) ?? words.planName(i.plan),
    ]);
  }
  summary.columns.forEach((c, idx) => {
    c.width = idx === 0 ? 36 : 14;
    if (idx === 2 || idx === 10 || idx === 11) c.numFmt = "#,##0.0";
    if (idx === 4 || idx === 5 || idx === 7) c.numFmt = "#,##0"; // whole items and units
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A text cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe (OWASP CSV injection). */
export function csvSafe(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** RFC 4180 CSV of the "Đơn vị" table, UTF-8 with BOM so Excel shows Vietnamese; formula-like text is escaped. */
export function buildCsv(progress: ProgressReport, late: LateReport, answers: UnitAnswers, words: SheetWords, catalog?: Catalog): Buffer {
  const quote = (v: string | number | null) => {
    const s = csvSafe(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // numbers with a decimal comma, as Vietnamese Excel reads them ("12,5"); quoted by RFC 4180
  const cell = (v: string | number | null) => (typeof v === "number" ? String(v).replace(".", ",") : v);
  const text = unitTable(progress, late, answers, words, catalog)
    .rows.map((row) => row.map((v) => quote(cell(v))).join(","))
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
  words: SheetWords,
): Promise<ExportFile> {
  const [progress, late, answers] = await Promise.all([
    progressReport(db, catalog, { period: options.period, under: options.under, belowLimit: 0 }),
    lateReport(db, catalog, { period: options.period, under: options.under, now: options.now }),
    unitAnswers(db, options),
  ]);
  const base = `${words.filePrefix}-${slug(progress.periodLabel)}-${slug(progress.under.name)}`;
  if (options.format === "csv") {
    return { filename: `${base}.csv`, mimeType: "text/csv", buffer: buildCsv(progress, late, answers, words, catalog) };
  }
  return {
    filename: `${base}.xlsx`,
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: await buildWorkbook(progress, late, catalog, answers, words),
  };
}

/** "tháng 3/2026" → "thang-3-2026": file names without diacritics, spaces or slashes. */
function slug(text: string): string {
  return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
}
