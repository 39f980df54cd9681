/**
 * The .xlsx of what is on the dashboard's screen: the same view object the screen renders, one
 * sheet per table, numbers as numbers (numerator, denominator and percentage in their own columns,
 * percentages with a % number format, Có/Chưa for yes/no). Core lays out the sheets; their names,
 * titles and headers come from the caller's {@link ViewSheetWords} (web/dashboard/words.ts).
 *
 *   const file = await viewWorkbook({ kind: "progress", view }, VIEW_SHEET_WORDS);  // { buffer, filename }
 */
import ExcelJS from "exceljs";
import { fold } from "../text.ts";
import type { LateView, OverviewView, ProgressView, SchoolView, ValueCell } from "./views.ts";

export type ExportInput =
  | { kind: "overview"; view: OverviewView }
  | { kind: "progress"; view: ProgressView }
  | { kind: "late"; view: LateView }
  | { kind: "school"; view: SchoolView };

/** Every column of the dashboard's sheets, by what it holds. */
export type ViewColumn =
  | "unit" | "status" | "expected" | "submitted" | "onTime" | "late" | "missing" | "reportingRate" | "onTimeRate"
  | "plan" | "target" | "threshold" | "numerator" | "denominator" | "result" | "meets" | "answered" | "expectedUnits" | "meetingUnits"
  | "parent" | "gap" | "reason" | "outlier" | "focal" | "phone" | "submittedAt" | "period" | "value" | "answer";

/** One sheet's name and title row. */
interface SheetText {
  sheet: string;
  title: (periodLabel: string, underLabel: string) => string;
}

/** What the dashboard's sheets say; the caller words it (web/dashboard/words.ts VIEW_SHEET_WORDS). */
export interface ViewSheetWords {
  creator: string;
  /** The file's name before it is folded to a slug, per view ("Tiến độ chỉ tiêu tháng 3/2026 UBND xã Tân Kỳ"). */
  fileName: Record<ExportInput["kind"], (periodLabel: string, underLabel: string) => string>;
  overview: SheetText;
  progress: SheetText;
  below: SheetText;
  missing: SheetText;
  late: SheetText;
  /** A school's reports: `underLabel` is the school, there is no period. */
  school: SheetText;
  headers: Record<ViewColumn, string>;
  /** The overview's last row. */
  total: string;
  yes: string;
  no: string;
}

type Cell = string | number | null;
/** A column: what it holds, its width and its number format ("pct": a 0–100 value written as a fraction with a % format). */
type Column = [key: ViewColumn, width: number, format?: "int" | "pct" | "num"];

function sheet(wb: ExcelJS.Workbook, words: ViewSheetWords, text: SheetText, labels: [string, string], columns: Column[], rows: Cell[][]) {
  const ws = wb.addWorksheet(text.sheet);
  ws.addRow([text.title(...labels)]).font = { bold: true, size: 13 };
  ws.addRow([]);
  const head = ws.addRow(columns.map(([key]) => words.headers[key]));
  head.font = { bold: true };
  head.eachCell((c) => (c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } }));
  for (const r of rows) {
    ws.addRow(r.map((v, i) => (columns[i]?.[2] === "pct" && typeof v === "number" ? v / 100 : v)));
  }
  columns.forEach(([, width, format], i) => {
    const col = ws.getColumn(i + 1);
    col.width = width;
    if (format === "pct") col.numFmt = "0.0%";
    else if (format === "int") col.numFmt = "#,##0";
    else if (format === "num") col.numFmt = "#,##0.##";
  });
  ws.views = [{ state: "frozen", ySplit: 3 }];
}

/** A target's columns, the same in the progress sheet and in a school's reports: its plan, name, threshold and numbers. */
const targetColumns = (value: "result" | "value", targetWidth: number): Column[] => [
  ["plan", 40], ["target", targetWidth], ["threshold", 14], ["numerator", 10, "num"], ["denominator", 10, "num"], [value, 12, "num"],
];
const targetCells = (plan: string, target: string, threshold: string, v: Pick<ValueCell, "numerator" | "denominator" | "value">): Cell[] => [
  plan, target, threshold, v.numerator, v.denominator, v.value,
];

export async function viewWorkbook(input: ExportInput, words: ViewSheetWords): Promise<{ buffer: Buffer; filename: string }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = words.creator;
  const yesNo = (b: boolean | null) => (b === null ? "" : b ? words.yes : words.no);
  let name: string;
  if (input.kind === "overview") {
    const v = input.view;
    const labels: [string, string] = [v.periodLabel, v.under.label];
    name = words.fileName.overview(...labels);
    sheet(
      wb,
      words,
      words.overview,
      labels,
      [["unit", 40], ["status", 14], ["expected", 13, "int"], ["submitted", 10, "int"], ["onTime", 10, "int"], ["late", 10, "int"], ["missing", 10, "int"], ["reportingRate", 14, "pct"], ["onTimeRate", 14, "pct"]],
      [
        ...v.rows.map((r) => [r.label, r.statusLabel ?? "", r.expected, r.submitted, r.onTime, r.late, r.missing, r.reportingRate, r.onTimeRate]),
        [words.total, "", v.totals.expected, v.totals.submitted, v.totals.onTime, v.totals.late, v.totals.missing, v.totals.reportingRate, v.totals.onTimeRate],
      ],
    );
  } else if (input.kind === "progress") {
    const v = input.view;
    const labels: [string, string] = [v.periodLabel, v.under.label];
    name = words.fileName.progress(...labels);
    const targets = v.plans.flatMap((p) => p.targets.map((t) => ({ plan: p.plan, t })));
    sheet(
      wb,
      words,
      words.progress,
      labels,
      [...targetColumns("result", 40), ["meets", 12], ["answered", 16, "int"], ["expectedUnits", 18, "int"], ["meetingUnits", 11, "int"]],
      targets.map(({ plan, t }) => [...targetCells(plan, t.label, t.threshold, { numerator: t.numerator, denominator: t.denominator, value: t.value.value }), yesNo(t.meets), t.answered, t.expectedUnits, t.meetingUnits]),
    );
    sheet(
      wb,
      words,
      words.below,
      labels,
      [["plan", 40], ["target", 36], ["unit", 36], ["parent", 26], ["result", 12], ["gap", 12, "num"], ["reason", 40], ["outlier", 24]],
      targets.flatMap(({ plan, t }) => t.below.map((b) => [plan, t.label, b.label, b.parent, b.value, b.gap, b.reason ?? "", b.outlier ?? ""])),
    );
  } else if (input.kind === "late") {
    const v = input.view;
    const labels: [string, string] = [v.periodLabel, v.under.label];
    name = words.fileName.late(...labels);
    sheet(
      wb,
      words,
      words.missing,
      labels,
      [["unit", 40], ["parent", 28], ["status", 14], ["focal", 24], ["phone", 14]],
      v.missing.map((m) => [m.label, m.parent, m.state, m.focal, m.phone]),
    );
    sheet(
      wb,
      words,
      words.late,
      labels,
      [["unit", 40], ["parent", 28], ["submittedAt", 18]],
      v.late.map((m) => [m.label, m.parent, m.submittedLabel]),
    );
  } else {
    const v = input.view;
    const labels: [string, string] = ["", v.unit.label];
    name = words.fileName.school(...labels);
    sheet(
      wb,
      words,
      words.school,
      labels,
      [["period", 16], ["status", 18], ...targetColumns("value", 36), ["answer", 18], ["meets", 12], ["reason", 40]],
      v.periods.flatMap((p) =>
        p.groups.flatMap((g) =>
          g.answers.map((a) => [p.label, p.statusLabel, ...targetCells(g.plan, a.target, a.threshold, a.value), a.value.text, yesNo(a.meets), a.reason ?? ""]),
        ),
      ),
    );
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const filename = `${fold(name).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80)}.xlsx`;
  return { buffer, filename };
}
