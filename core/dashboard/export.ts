/**
 * The .xlsx of what is on the dashboard's screen: the same view object the screen renders, one
 * sheet per table, numbers as numbers (numerator, denominator and percentage in their own columns,
 * percentages with a % number format, Có/Chưa for yes/no).
 *
 *   const file = await viewWorkbook({ kind: "progress", view });  // { buffer, filename }
 */
import ExcelJS from "exceljs";
import { fold } from "../text.ts";
import type { LateView, OverviewView, ProgressView, SchoolView } from "./views.ts";

export type ExportInput =
  | { kind: "overview"; view: OverviewView }
  | { kind: "progress"; view: ProgressView }
  | { kind: "late"; view: LateView }
  | { kind: "school"; view: SchoolView };

type Cell = string | number | null;
interface Column {
  header: string;
  width: number;
  /** "pct": a 0–100 value written as a fraction with a % format. */
  format?: "int" | "pct" | "num";
}

function sheet(wb: ExcelJS.Workbook, name: string, title: string, columns: Column[], rows: Cell[][]) {
  const ws = wb.addWorksheet(name);
  ws.addRow([title]).font = { bold: true, size: 13 };
  ws.addRow([]);
  const head = ws.addRow(columns.map((c) => c.header));
  head.font = { bold: true };
  head.eachCell((c) => (c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } }));
  for (const r of rows) {
    ws.addRow(r.map((v, i) => (columns[i]?.format === "pct" && typeof v === "number" ? v / 100 : v)));
  }
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.format === "pct") col.numFmt = "0.0%";
    else if (c.format === "int") col.numFmt = "#,##0";
    else if (c.format === "num") col.numFmt = "#,##0.##";
  });
  ws.views = [{ state: "frozen", ySplit: 3 }];
}

const yesNo = (b: boolean | null) => (b === null ? "" : b ? "Có" : "Chưa");

export async function viewWorkbook(input: ExportInput): Promise<{ buffer: Buffer; filename: string }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Trợ lý báo cáo chuyển đổi số";
  let name: string;
  if (input.kind === "overview") {
    const v = input.view;
    name = `Tình hình báo cáo ${v.periodLabel} ${v.under.label}`;
    sheet(
      wb,
      "Tình hình báo cáo",
      `Tình hình báo cáo ${v.periodLabel} — ${v.under.label}`,
      [
        { header: "Đơn vị", width: 40 },
        { header: "Tình trạng", width: 14 },
        { header: "Phải báo cáo", width: 13, format: "int" },
        { header: "Đã nộp", width: 10, format: "int" },
        { header: "Đúng hạn", width: 10, format: "int" },
        { header: "Trễ hạn", width: 10, format: "int" },
        { header: "Chưa nộp", width: 10, format: "int" },
        { header: "Tỷ lệ báo cáo", width: 14, format: "pct" },
        { header: "Tỷ lệ đúng hạn", width: 14, format: "pct" },
      ],
      [
        ...v.rows.map((r) => [r.label, r.statusLabel ?? "", r.expected, r.submitted, r.onTime, r.late, r.missing, r.reportingRate, r.onTimeRate]),
        ["Tổng cộng", "", v.totals.expected, v.totals.submitted, v.totals.onTime, v.totals.late, v.totals.missing, v.totals.reportingRate, v.totals.onTimeRate],
      ],
    );
  } else if (input.kind === "progress") {
    const v = input.view;
    name = `Tiến độ chỉ tiêu ${v.periodLabel} ${v.under.label}`;
    const targets = v.plans.flatMap((p) => p.targets.map((t) => ({ plan: p.plan, t })));
    sheet(
      wb,
      "Tiến độ",
      `Tiến độ chỉ tiêu ${v.periodLabel} — ${v.under.label}`,
      [
        { header: "Kế hoạch", width: 40 },
        { header: "Chỉ tiêu", width: 40 },
        { header: "Mức chỉ tiêu", width: 14 },
        { header: "Tử số", width: 10, format: "num" },
        { header: "Mẫu số", width: 10, format: "num" },
        { header: "Kết quả", width: 12, format: "num" },
        { header: "Đạt chỉ tiêu", width: 12 },
        { header: "Đơn vị đã báo cáo", width: 16, format: "int" },
        { header: "Đơn vị phải báo cáo", width: 18, format: "int" },
        { header: "Đơn vị đạt", width: 11, format: "int" },
      ],
      targets.map(({ plan, t }) => [plan, t.label, t.threshold, t.numerator, t.denominator, t.value.value, yesNo(t.meets), t.answered, t.expectedUnits, t.meetingUnits]),
    );
    sheet(
      wb,
      "Đơn vị chưa đạt",
      `Đơn vị chưa đạt chỉ tiêu ${v.periodLabel} — ${v.under.label}`,
      [
        { header: "Kế hoạch", width: 40 },
        { header: "Chỉ tiêu", width: 36 },
        { header: "Đơn vị", width: 36 },
        { header: "Trực thuộc", width: 26 },
        { header: "Kết quả", width: 12 },
        { header: "Khoảng cách", width: 12, format: "num" },
        { header: "Lý do", width: 40 },
        { header: "Cảnh báo bất thường", width: 24 },
      ],
      targets.flatMap(({ plan, t }) => t.below.map((b) => [plan, t.label, b.label, b.parent, b.value, b.gap, b.reason ?? "", b.outlier ?? ""])),
    );
  } else if (input.kind === "late") {
    const v = input.view;
    name = `Đơn vị chưa nộp ${v.periodLabel} ${v.under.label}`;
    sheet(
      wb,
      "Chưa nộp",
      `Đơn vị chưa nộp báo cáo ${v.periodLabel} — ${v.under.label}`,
      [
        { header: "Đơn vị", width: 40 },
        { header: "Trực thuộc", width: 28 },
        { header: "Tình trạng", width: 14 },
        { header: "Đầu mối", width: 24 },
        { header: "Điện thoại", width: 14 },
      ],
      v.missing.map((m) => [m.label, m.parent, m.state, m.focal, m.phone]),
    );
    sheet(
      wb,
      "Nộp trễ hạn",
      `Đơn vị nộp trễ hạn ${v.periodLabel} — ${v.under.label}`,
      [
        { header: "Đơn vị", width: 40 },
        { header: "Trực thuộc", width: 28 },
        { header: "Nộp lúc", width: 18 },
      ],
      v.late.map((m) => [m.label, m.parent, m.submittedLabel]),
    );
  } else {
    const v = input.view;
    name = `Báo cáo ${v.unit.label}`;
    sheet(
      wb,
      "Báo cáo",
      `Báo cáo của ${v.unit.label}`,
      [
        { header: "Kỳ báo cáo", width: 16 },
        { header: "Tình trạng", width: 18 },
        { header: "Kế hoạch", width: 40 },
        { header: "Chỉ tiêu", width: 36 },
        { header: "Mức chỉ tiêu", width: 14 },
        { header: "Tử số", width: 10, format: "num" },
        { header: "Mẫu số", width: 10, format: "num" },
        { header: "Giá trị", width: 12, format: "num" },
        { header: "Trả lời", width: 18 },
        { header: "Đạt chỉ tiêu", width: 12 },
        { header: "Lý do", width: 40 },
      ],
      v.periods.flatMap((p) =>
        p.groups.flatMap((g) =>
          g.answers.map((a) => [p.label, p.statusLabel, g.plan, a.target, a.threshold, a.value.numerator, a.value.denominator, a.value.value, a.value.text, yesNo(a.meets), a.reason ?? ""]),
        ),
      ),
    );
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const filename = `${fold(name).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80)}.xlsx`;
  return { buffer, filename };
}
