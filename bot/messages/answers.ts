/**
 * Words of one answer: how to answer a question, why an answer was refused, what was stored and how
 * far it is from the target. core/reporting (parse.ts, check.ts, answer.ts) returns data and tagged
 * problems; this is the one place that words them (the bot, and the CLI's `parse` verb, read these).
 *
 *   answerProblemText({ kind: "part_exceeds_whole", numerator: 70, denominator: 60, measure })
 *   // "Số giáo viên có chữ ký số (70) không thể lớn hơn tổng số giáo viên (60). Vui lòng kiểm tra lại, ví dụ: 45/60."
 *   gapText(measure, gap) // "đạt 86,6%, chỉ tiêu ≥ 90%: còn thiếu 6 giáo viên"
 */
import type { Measure } from "../../core/catalog/schema.ts";
import type { Gap } from "../../core/reporting/check.ts";
import { formatThreshold } from "../../core/reporting/check.ts";
import type { ReasonProblem } from "../../core/reporting/answer.ts";
import { formatNumberVi } from "../../core/reporting/numbers-vi.ts";
import type { AnswerProblem, ParsedAnswer } from "../../core/reporting/parse.ts";
import { shortfallText } from "./values.ts";

/** "87,5", "1.234" (one decimal at most). */
const vi = (n: number) => formatNumberVi(n, 1);
/** Numbers the user typed, echoed back: up to two decimals ("12,25"). */
const vi2 = (n: number) => formatNumberVi(n, 2);
/** What the user typed, echoed back in a refusal; cut so that a pasted page does not come back. */
const echo = (raw: string) => (raw.length <= 60 ? raw : `${raw.slice(0, 57).trimEnd()}…`);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Số giáo viên có chữ ký số" from the numerator description (avoids "Số số tiết học…"). */
function numeratorPhrase(numerator: string): string {
  return /^số\s/i.test(numerator) ? capitalize(numerator) : `Số ${numerator}`;
}

/** One valid answer for this question, e.g. "45/60", "75%", "12 bài giảng", "Có", "mức 2". */
export function exampleAnswer(m: Measure): string {
  switch (m.type) {
    case "ratio":
      return "45/60";
    case "percent":
      return "75%";
    case "count":
      return `12 ${m.unit}`;
    case "boolean":
      return "Có";
    case "level":
      return `mức ${m.min + 1 <= m.max ? m.min + 1 : m.min}`;
  }
}

/** How to answer this question, in one Vietnamese sentence with an example. */
export function answerHint(m: Measure): string {
  switch (m.type) {
    case "ratio":
      return `Vui lòng nhập dạng "số đạt/tổng số" (${m.numerator} / ${m.denominator}), ví dụ: 45/60.`;
    case "percent":
      return "Vui lòng nhập một tỷ lệ từ 0 đến 100%, ví dụ: 75%.";
    case "count":
      return `Vui lòng nhập một số nguyên không âm (${m.unit}), ví dụ: ${exampleAnswer(m)}.`;
    case "boolean":
      return 'Vui lòng trả lời "Có" (đã thực hiện) hoặc "Chưa".';
    case "level":
      return `Vui lòng nhập mức từ ${m.min} đến ${m.max}, ví dụ: ${exampleAnswer(m)}.`;
  }
}

/** What the question wants, for "Chưa hiểu câu trả lời …: câu này cần …". */
function wanted(m: Measure): string {
  switch (m.type) {
    case "ratio":
      return "câu này cần số liệu, không phải chữ";
    case "percent":
      return "câu này cần một tỷ lệ %, không phải chữ";
    case "count":
      return "câu này cần một con số, không phải chữ";
    case "level":
      return "câu này cần một mức độ";
    case "boolean":
      return "câu này cần trả lời Có hoặc Chưa";
  }
}

/** The sentence saying what is wrong, without the hint. */
function problemSentence(p: AnswerProblem): string {
  const m = p.measure;
  const ratio = m.type === "ratio" ? m : { numerator: "đạt", denominator: "tổng số" };
  const scale = m.type === "level" ? `${m.min}–${m.max}` : "";
  switch (p.kind) {
    case "empty":
      return "Bạn chưa nhập câu trả lời.";
    case "scientific_notation":
      return "Vui lòng viết số đầy đủ (không dùng dạng như 1e20).";
    case "not_understood":
      return p.wordsOnly ? `Chưa hiểu câu trả lời "${echo(p.raw)}": ${wanted(m)}.` : `Chưa hiểu câu trả lời "${echo(p.raw)}".`;
    case "negative":
      return `Số liệu không được là số âm (bạn nhập "${echo(p.raw)}").`;
    case "bad_number":
      return `Số "${echo(p.raw)}" viết chưa đúng. Số nghìn viết 1234 hoặc 1.234, số thập phân dùng dấu phẩy: 12,5.`;
    case "too_large":
      return `Số ${echo(p.raw)} quá lớn so với ${p.measure.type === "count" ? `số ${p.measure.unit}` : "số liệu"} của một đơn vị (tối đa ${vi2(p.max)}).`;
    case "no_data":
      return "Nếu chưa có số liệu cho câu này, bấm ⏭ Bỏ qua: các câu khác vẫn được lưu, và bạn trả lời câu này sau (gõ /baocao để quay lại) trước khi gửi báo cáo.";
    case "negated_number":
      return 'Câu trả lời vừa có "không"/"chưa" vừa có số liệu nên chưa rõ ý. Vui lòng chỉ nhập số liệu.';
    case "ratio_not_whole":
      return `Số đạt và tổng số phải là số nguyên (bạn nhập ${echo(p.raw)}).`;
    case "zero_denominator":
      return `${capitalize(ratio.denominator)} phải lớn hơn 0 (bạn nhập ${echo(p.raw)}).`;
    case "part_exceeds_whole":
      return `${numeratorPhrase(ratio.numerator)} (${vi2(p.numerator)}) không thể lớn hơn ${ratio.denominator} (${vi2(p.denominator)}).`;
    case "too_many_numbers": {
      const list = p.numbers.map(echo).join(", ");
      if (m.type === "ratio") return `Vui lòng chỉ nhập số đạt và tổng số (bạn nhập ${p.numbers.length} số: ${list}).`;
      if (m.type === "count") return `Vui lòng chỉ nhập một số (bạn nhập ${p.numbers.length} số: ${list}).`;
      if (m.type === "level") return `Vui lòng chỉ nhập một mức (bạn nhập ${p.numbers.length} số).`;
      return `Vui lòng chỉ nhập một tỷ lệ (bạn nhập ${p.numbers.length} số).`;
    }
    case "percent_given":
      if (m.type === "count") return `Câu này hỏi số lượng (${m.unit}), không phải tỷ lệ %.`;
      if (m.type === "level") return `Câu này hỏi mức độ (${scale}), không phải tỷ lệ %.`;
      return "Câu này cần số đạt và tổng số, không phải tỷ lệ %, để cộng dồn chính xác.";
    case "ratio_given":
      if (m.type === "level") return `Câu này hỏi mức độ (${scale}), không phải dạng a/b.`;
      return `Câu này chỉ cần một số lượng (${m.type === "count" ? m.unit : "số lượng"}), không phải dạng a/b.`;
    case "zero_without_whole":
      return `Nếu chưa có ${ratio.numerator} nào, vui lòng nhập 0 trên ${ratio.denominator}, ví dụ: 0/60.`;
    case "whole_missing":
      return `Cần cả ${ratio.denominator}: bạn mới nhập một số (${echo(p.given)}).`;
    case "ratio_unclear":
      return `Chưa rõ đâu là số đạt, đâu là tổng số trong "${echo(p.raw)}".`;
    case "over_100":
      return `Tỷ lệ không thể vượt quá 100% (bạn nhập ${vi2(p.value)}%).`;
    case "not_whole":
      return `Số lượng phải là số nguyên (bạn nhập ${echo(p.raw)}). Dấu phẩy là dấu thập phân; số nghìn viết 1234 hoặc 1.234.`;
    case "level_out_of_range":
      return `Mức ${vi2(p.value)} nằm ngoài thang mức ${scale}.`;
    case "in_progress":
      return 'Việc đang làm dở được tính là chưa hoàn thành: nếu chưa xong, vui lòng trả lời "Chưa".';
    case "number_for_yes_no":
      return `Câu này cần trả lời Có hoặc Chưa, không phải một con số (bạn nhập "${echo(p.raw)}").`;
    case "denominator_mismatch": {
      const where = p.otherQuestion ? `câu ${p.otherQuestion.number} (${p.otherQuestion.short})` : "một câu khác";
      const suggestion =
        p.numerator <= p.expected ? `hoặc nhập ${vi(p.numerator)}/${vi(p.expected)}` : `hoặc nhập lại theo dạng số đạt/${vi(p.expected)}`;
      return (
        `${capitalize(ratio.denominator)} bạn nhập (${vi(p.got)}) khác với số đã khai ở ${where} kỳ này ` +
        `(${vi(p.expected)}). Vui lòng kiểm tra lại, ${suggestion}.`
      );
    }
  }
}

/** Why an answer was refused and how to answer: "Tỷ lệ không thể vượt quá 100% (bạn nhập 120%). Vui lòng nhập …". */
export function answerProblemText(p: AnswerProblem): string {
  const sentence = problemSentence(p);
  // these already end with their own example or suggestion
  if (p.kind === "part_exceeds_whole") return `${sentence} Vui lòng kiểm tra lại, ví dụ: 45/60.`;
  if (p.kind === "denominator_mismatch" || p.kind === "no_data" || p.kind === "zero_without_whole") return sentence;
  return `${sentence} ${answerHint(p.measure)}`;
}

/** Short description of an answer: "45/60 (75%)", "75%", "12 bài giảng", "Có", "mức 2". */
export function describeAnswer(m: Measure, a: ParsedAnswer): string {
  switch (a.kind) {
    case "ratio":
      return `${vi(a.numerator)}/${vi(a.denominator)} (${vi(a.value)}%)`;
    case "percent":
      return `${vi(a.value)}%`;
    case "count":
      return m.type === "count" ? `${vi(a.value)} ${m.unit}` : vi(a.value);
    case "boolean":
      return a.value ? "Có" : "Chưa";
    case "level":
      return `mức ${vi(a.value)}`;
  }
}

/**
 * How far a below-target answer is, in the answer's own unit: "đạt 86,6%, chỉ tiêu ≥ 90%: còn thiếu
 * 6 giáo viên", "đạt 4 bài giảng, chỉ tiêu ≥ 6 bài giảng: còn thiếu 2 bài giảng", "chưa thực hiện,
 * chỉ tiêu 100% đơn vị thực hiện".
 */
export function gapText(m: Measure, gap: Gap): string {
  const th = gap.threshold;
  const missing = gap.missing !== null && gap.missingUnit !== null ? `: ${shortfallText(gap.missing, gap.missingUnit)}` : "";
  switch (m.type) {
    case "ratio":
    case "percent":
      return `đạt ${vi(gap.shown)}%, chỉ tiêu ${formatThreshold(th)}${missing}`;
    case "count":
      return `đạt ${vi(gap.shown)} ${m.unit}, chỉ tiêu ${formatThreshold(th, m.unit)}${missing}`;
    case "level":
      return `đạt mức ${vi(gap.shown)}, chỉ tiêu ${formatThreshold(th)}${missing}`;
    case "boolean": {
      const wantedWord = gap.wanted === false ? "chưa thực hiện" : "thực hiện";
      const target = `${formatThreshold(th)}${th.unit === "count" || th.unit === "%" ? " đơn vị" : ""} ${wantedWord}`;
      return `${gap.achieved >= 1 ? "đã thực hiện" : "chưa thực hiện"}, chỉ tiêu ${target}`;
    }
  }
}

/** After an answer is stored: "Đã ghi nhận: 52/60 (86,7%). Chưa đạt chỉ tiêu: đạt 86,6%, chỉ tiêu ≥ 90%: còn thiếu 2 giáo viên." */
export function savedText(r: { measure: Measure; answer: ParsedAnswer; meetsTarget: boolean | null; gap: Gap | null }): string {
  let text = `Đã ghi nhận: ${describeAnswer(r.measure, r.answer)}.`;
  if (r.meetsTarget === false && r.gap) text += ` Chưa đạt chỉ tiêu: ${gapText(r.measure, r.gap)}.`;
  else if (r.meetsTarget === true) text += " Đạt chỉ tiêu.";
  return text;
}

/** The reason prompt's first line: the gap, or just "Chưa đạt chỉ tiêu". */
export function belowTargetText(r: { measure: Measure; gap: Gap | null }): string {
  return r.gap ? gapText(r.measure, r.gap) : "Chưa đạt chỉ tiêu";
}

/** What a focal point reads when trying to change an approved report. */
export const LOCKED_MESSAGE =
  "🔒 Báo cáo đã được duyệt nên không sửa được nữa. Nếu cần sửa, vui lòng liên hệ cán bộ đã duyệt để mở khóa (bỏ duyệt) báo cáo.";

/** Why a below-target reason was not stored. */
export function reasonProblemText(p: ReasonProblem): string {
  return p === "locked"
    ? LOCKED_MESSAGE
    : 'Lý do cần ít nhất vài chữ, ví dụ: "còn 2 giáo viên chờ cấp chứng thư số". Vui lòng nhập lại.';
}
