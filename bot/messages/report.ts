/** Words of the reporting conversation that several views share. */
import { formatPeriod, type Period } from "../../core/reporting/periods.ts";
import { formatNumber } from "../../core/reporting/format.ts";
import { echo } from "../../core/text.ts";
import type { Suspicion } from "../../core/reporting/plausibility.ts";

/** One wording for deadlines everywhere ("hạn 19/11/2026 — đã quá 11 ngày"): bot/messages/values.ts, shared with the dashboard. */
export { deadlineText } from "./values.ts";
import { deadlineText as deadlineTextOf } from "./values.ts";

/** True when the deadline has passed. */
export function isOverdue(deadline: Date, now: Date): boolean {
  return now.getTime() >= deadline.getTime();
}

/** Button label to keep last period's whole report: "↩️ Giữ nguyên như tháng 10/2026". */
export function keepAllLabel(previous: Period): string {
  return `↩️ Giữ nguyên như ${formatPeriod(previous)}`;
}

/** What keep-all did, before the summary. */
export function keptText(r: { copied: number; stillOpen: number; previousPeriod: Period }): string {
  const from = formatPeriod(r.previousPeriod);
  if (r.copied === 0) return `Không chép được câu nào từ ${from} (chỉ tiêu kỳ này đã khác). Vui lòng trả lời từng câu.`;
  const open = r.stillOpen > 0 ? ` Còn ${r.stillOpen} câu cần trả lời.` : " Kiểm tra rồi bấm Gửi báo cáo; có thể sửa bất kỳ câu nào.";
  return `↩️ Đã chép ${r.copied} câu trả lời từ ${from}.${open}`;
}

/** "Giữ lý do: còn 2 giáo viên chờ cấp chứng thư số" (cut to fit a button). */
export function keepReasonLabel(reason: string): string {
  const label = `↩️ Giữ lý do: ${reason}`;
  return label.length <= 60 ? label : `${label.slice(0, /[\uD800-\uDBFF]/.test(label.charAt(56)) ? 56 : 57).trimEnd()}…`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Tổng số giáo viên 600, kỳ trước là 60 — đúng không?" */
export function suspicionText(s: Suspicion): string {
  if (s.kind === "denominator_jump") {
    return `${capital(s.noun)} ${formatNumber(s.value)}, kỳ trước là ${formatNumber(s.previous)} — đúng không?`;
  }
  const part = s.plusNoun ? `${s.noun} cộng ${s.plusNoun}` : s.noun;
  return `${capital(part)} (${formatNumber(s.value)}) lớn hơn ${s.wholeNoun} đã khai ở câu ${s.wholeQuestion} (${formatNumber(s.whole)}) — đúng không?`;
}

/**
 * A period typed that is not one ("/baocao 2026-13", `--period 2026-Q5` in the CLI). The forms are
 * the only place where a period key is shown: this is what the user types.
 */
export function invalidPeriodText(key: string): string {
  return `Kỳ báo cáo không hợp lệ: "${echo(key)}". Dùng dạng 2026-03 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng đầu năm) hoặc 2026 (năm).`;
}

/** One report's deadline, for "hạn nộp là khi nào?". */
export interface OwnDeadline {
  unit: string;
  period: Period;
  deadline: Date;
  submitted: boolean;
}

/**
 * A focal point's own deadlines, answering "hạn nộp là khi nào?" from their reports:
 *   "📅 Trường Tiểu học Hoa Mai: báo cáo tháng 12/2026 — hạn 19/12/2026, còn 18 ngày."
 * One line per report (grouped under the unit when there are several), then the next step.
 */
export function ownDeadlinesText(items: OwnDeadline[], now: Date, inReport: boolean): string {
  const line = (d: OwnDeadline) => `báo cáo ${formatPeriod(d.period)}: ${d.submitted ? "đã nộp ✅" : deadlineTextOf(d.deadline, now)}`;
  const units = [...new Set(items.map((d) => d.unit))];
  const body =
    items.length === 1
      ? `📅 ${items[0]!.unit}: ${line(items[0]!)}.`
      : units.map((u) => `📅 ${u}:\n${items.filter((d) => d.unit === u).map((d) => `• ${line(d)}`).join("\n")}`).join("\n\n");
  const open = items.filter((d) => !d.submitted);
  const next = inReport ? "" : open.length ? "\nGõ /baocao để báo cáo." : "\nCác báo cáo hiện tại đều đã nộp.";
  return body + next;
}
