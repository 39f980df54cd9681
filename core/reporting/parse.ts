/**
 * Understand a focal point's free-text answer to one reporting question (an indicator of the catalog).
 *
 *   parseAnswer(ratioEntry, "45 trên 60 giáo viên")   // { ok: true, answer: { kind: "ratio", numerator: 45, denominator: 60, value: 75 } }
 *   parseAnswer(percentEntry, "bảy mươi lăm phần trăm") // { ok: true, answer: { kind: "percent", value: 75 } }
 *   parseAnswer(booleanEntry, "da trien khai")        // { ok: true, answer: { kind: "boolean", value: true } }
 *   parseAnswer(ratioEntry, "70/60")                  // { ok: false, message: "Số giáo viên … (70) không thể lớn hơn tổng số giáo viên (60). …" }
 *
 * Input may be NFC or NFD, with or without diacritics, any case. Numbers may be digits or Vietnamese words.
 * Separators follow Vietnamese usage: a dot followed by three digits groups thousands ("1.234" = 1234),
 * a comma is the decimal mark ("12,5" = 12.5, and so "1,234" = 1.234; a count question then asks for a
 * whole number and explains how to write thousands). A lone dot otherwise is a decimal point ("12.5").
 *
 * Yes/no: any negative word (chưa, không, ko, no…) wins over a positive one, so "dạ chưa" and
 * "không có" are "no", and "có nhưng chưa đầy đủ" counts as "no" too.
 *
 * Bounds: numerators and denominators are whole numbers up to MAX_RATIO_PART (one unit's teachers,
 * classes or students), counts up to MAX_ANSWER_NUMBER — never 10^20, always exact in the
 * database; scientific notation ("1e20") is refused; a level is a level
 * word ("mức 2") or a number on its own ("2", "hai", "II"), never a digit found inside other text;
 * a number after a negative word ("không có 45/60") is ambiguous and asked again; invisible
 * characters (zero-width space, soft hyphen, BOM) are dropped before reading.
 */
import type { CatalogEntry } from "../catalog/schema.ts";
import { fold, nfc } from "../text.ts";
import { formatNumberVi, parseNumeral, wordsToDigits } from "./numbers-vi.ts";

export type ParsedAnswer =
  | { kind: "ratio"; numerator: number; denominator: number; /** percent 0–100 */ value: number }
  | { kind: "percent"; value: number }
  | { kind: "count"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "level"; value: number };

export type ParseResult = { ok: true; answer: ParsedAnswer } | { ok: false; message: string };

const NUM = String.raw`\d+(?:[.,]\d+)*`;
/** The largest number any answer of one unit can hold (counts). */
export const MAX_ANSWER_NUMBER = 100_000_000;
/** The largest numerator or denominator of one unit's ratio (its teachers, classes, students…). */
export const MAX_RATIO_PART = 1_000_000;
/** Zero-width characters, word joiner, BOM and soft hyphen: invisible, so never part of a number. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
/** Polite or filler words allowed around a bare level number ("2 ạ", "mức 2 nhé"). */
const LEVEL_FILLERS = new Set(["a", "nhe", "nha", "nhen", "oi", "la", "dat", "o", "muc", "truong", "em", "minh", "toi", "thi", "duoc", "so"]);
const NO_WORDS = new Set(["chua", "khong", "ko", "k", "kg", "khg", "no", "chang", "not", "false", "nope", "never"]);
const YES_WORDS = new Set([
  "co", "roi", "da", "xong", "yes", "y", "ok", "oke", "okay", "okie", "dung", "true", "duoc", "dat", "vang", "u", "uh", "yep",
]);

/** The answer text after folding and cleaning, with number words turned into digits. */
interface Scanned {
  /** folded, punctuation removed, number words still as words (for yes/no) */
  words: string[];
  /** folded and cleaned, number words replaced by digits */
  text: string;
  numbers: { raw: string; value: number }[];
  negative: boolean;
}

function scan(input: string): Scanned {
  let f = fold(nfc(input))
    .replace(/[\uFF10-\uFF19\uFF0F\uFF05]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) // full-width digits, ／ and ％
    .replace(/％/g, "%")
    .replace(/[–—−]/g, "-")
    .replace(/phan\s*tram|percent|pct/g, " % ")
    .replace(/\//g, " / ")
    .replace(/(\d)([a-z])/g, "$1 $2")
    .replace(/([a-z])(\d)/g, "$1 $2")
    .replace(/[!?;:()"'“”‘’[\]{}…*_=+~`<>|\\]/g, " ")
    .replace(/(?<!\d)[.,]|[.,](?!\d)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const words = f.split(" ").filter(Boolean);
  if (!/\d/.test(f)) f = wordsToDigits(f);
  const numbers = [...f.matchAll(new RegExp(NUM, "g"))].map((m) => ({ raw: m[0], value: parseNumeral(m[0]) }));
  let negative = false;
  for (const m of f.matchAll(/-\s*\d/g)) {
    const before = f.slice(0, m.index).trimEnd();
    if (before === "" || !/\d$/.test(before)) negative = true;
  }
  if (/(^|\s)(am|tru)\s+\d/.test(f)) negative = true;
  return { words, text: f, numbers, negative };
}

/** A negative word (không, chưa…) before the first number: "không có 45/60". */
function negatedNumber(s: Scanned): boolean {
  const firstDigit = s.text.search(/\d/);
  if (firstDigit < 0) return false;
  return s.text
    .slice(0, firstDigit)
    .split(" ")
    .some((w) => NO_WORDS.has(w));
}

/** "12,5" → "12,5"; numbers as the user typed them are echoed back in messages. */
const vi = (n: number) => formatNumberVi(n, 2);

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Số giáo viên có chữ ký số" from the numerator description (avoids "Số số tiết học…"). */
function numeratorPhrase(numerator: string): string {
  return /^số\s/i.test(numerator) ? capitalize(numerator) : `Số ${numerator}`;
}

/** One valid answer for this question, e.g. "45/60", "75%", "12 bài giảng", "Có", "mức 2". */
export function exampleAnswer(entry: CatalogEntry): string {
  const m = entry.measure;
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
export function answerHint(entry: CatalogEntry): string {
  const m = entry.measure;
  switch (m.type) {
    case "ratio":
      return `Vui lòng nhập dạng "số đạt/tổng số" (${m.numerator} / ${m.denominator}), ví dụ: 45/60.`;
    case "percent":
      return "Vui lòng nhập một tỷ lệ từ 0 đến 100%, ví dụ: 75%.";
    case "count":
      return `Vui lòng nhập một số nguyên không âm (${m.unit}), ví dụ: ${exampleAnswer(entry)}.`;
    case "boolean":
      return 'Vui lòng trả lời "Có" (đã thực hiện) hoặc "Chưa".';
    case "level":
      return `Vui lòng nhập mức từ ${m.min} đến ${m.max}, ví dụ: ${exampleAnswer(entry)}.`;
  }
}

const fail = (message: string): ParseResult => ({ ok: false, message });

/** Parse a focal point's answer for this indicator; on failure the message says what is wrong and shows a valid answer. */
export function parseAnswer(entry: CatalogEntry, text: string): ParseResult {
  const hint = answerHint(entry);
  const raw = nfc(text ?? "").replace(INVISIBLE, "").trim();
  if (raw === "") return fail(`Bạn chưa nhập câu trả lời. ${hint}`);
  if (/\d\s*e\s*[+-]?\s*\d/i.test(raw)) return fail(`Vui lòng viết số đầy đủ (không dùng dạng như 1e20). ${hint}`);
  const s = scan(raw);
  if (s.words.length === 0 && s.numbers.length === 0) return fail(`Chưa hiểu câu trả lời "${raw}". ${hint}`);

  if (entry.measure.type === "boolean") return parseBoolean(entry, s, raw, hint);

  if (s.negative) return fail(`Số liệu không được là số âm (bạn nhập "${raw}"). ${hint}`);
  const bad = s.numbers.find((n) => Number.isNaN(n.value));
  if (bad) return fail(`Số "${bad.raw}" viết chưa đúng. Số nghìn viết 1234 hoặc 1.234, số thập phân dùng dấu phẩy: 12,5. ${hint}`);
  const huge = s.numbers.find((n) => n.value > MAX_ANSWER_NUMBER);
  if (huge) return fail(`Số ${huge.raw} quá lớn so với số liệu của một đơn vị (tối đa ${vi(MAX_ANSWER_NUMBER)}). ${hint}`);
  if (s.numbers.length > 0 && negatedNumber(s)) {
    return fail(`Câu trả lời vừa có "không"/"chưa" vừa có số liệu nên chưa rõ ý. Vui lòng chỉ nhập số liệu. ${hint}`);
  }

  switch (entry.measure.type) {
    case "ratio":
      return parseRatio(entry, s, raw, hint);
    case "percent":
      return parsePercent(entry, s, raw, hint);
    case "count":
      return parseCount(entry, s, raw, hint);
    case "level":
      return parseLevel(entry, s, raw, hint);
  }
}

/** "45/60", "45 trên 60", "45 giáo viên trên tổng số 60", "45 của 60", "45 trong số 60". */
function findRatio(s: Scanned): { num: string; den: string } | null {
  const re = new RegExp(
    `(${NUM})(?:\\s+[a-z]+){0,4}?\\s*(?:/|\\btren\\b|\\bcua\\b|\\btrong\\b|\\bout of\\b|\\bover\\b)\\s*(?:(?:tong so|tong|so)\\s+)?(${NUM})`,
  );
  const m = re.exec(s.text);
  return m ? { num: m[1]!, den: m[2]! } : null;
}

function findPercent(s: Scanned): { raw: string; value: number } | null {
  const m = new RegExp(`(${NUM})\\s*%`).exec(s.text);
  return m ? { raw: m[1]!, value: parseNumeral(m[1]!) } : null;
}

/** Validated numerator/denominator pair, or the reason it is not acceptable. */
function ratioOf(entry: CatalogEntry, r: { num: string; den: string }, hint: string): ParseResult {
  const numerator = parseNumeral(r.num);
  const denominator = parseNumeral(r.den);
  const m = entry.measure.type === "ratio" ? entry.measure : { numerator: "đạt", denominator: "tổng số" };
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator)) {
    return fail(`Số đạt và tổng số phải là số nguyên (bạn nhập ${r.num}/${r.den}). ${hint}`);
  }
  const tooBig = [numerator, denominator].find((n) => n > MAX_RATIO_PART);
  if (tooBig !== undefined) return fail(`Số ${vi(tooBig)} quá lớn so với số liệu của một đơn vị (tối đa ${vi(MAX_RATIO_PART)}). ${hint}`);
  if (denominator === 0) return fail(`${capitalize(m.denominator)} phải lớn hơn 0 (bạn nhập ${r.num}/${r.den}). ${hint}`);
  if (numerator > denominator) {
    return fail(
      `${numeratorPhrase(m.numerator)} (${vi(numerator)}) không thể lớn hơn ${m.denominator} (${vi(denominator)}). ` +
        `Vui lòng kiểm tra lại, ví dụ: 45/60.`,
    );
  }
  return { ok: true, answer: { kind: "ratio", numerator, denominator, value: (numerator * 100) / denominator } };
}

function parseRatio(entry: CatalogEntry, s: Scanned, raw: string, hint: string): ParseResult {
  const r = findRatio(s);
  if (r && s.numbers.length > 2) {
    return fail(`Vui lòng chỉ nhập số đạt và tổng số (bạn nhập ${s.numbers.length} số: ${s.numbers.map((n) => n.raw).join(", ")}). ${hint}`);
  }
  if (r) return ratioOf(entry, r, hint);
  const m = entry.measure.type === "ratio" ? entry.measure : null;
  if (findPercent(s)) {
    return fail(`Câu này cần số đạt và tổng số, không phải tỷ lệ %, để cộng dồn chính xác. ${hint}`);
  }
  if (s.numbers.length === 1) {
    return fail(`Cần cả ${m?.denominator ?? "tổng số"}: bạn mới nhập một số (${s.numbers[0]!.raw}). ${hint}`);
  }
  if (s.numbers.length > 1) return fail(`Chưa rõ đâu là số đạt, đâu là tổng số trong "${raw}". ${hint}`);
  return fail(`Chưa hiểu câu trả lời "${raw}": câu này cần số liệu, không phải chữ. ${hint}`);
}

function parsePercent(entry: CatalogEntry, s: Scanned, raw: string, hint: string): ParseResult {
  let value: number | null = null;
  const p = findPercent(s);
  if (p) value = p.value;
  else {
    const r = findRatio(s);
    if (r) {
      const res = ratioOf(entry, r, hint);
      if (!res.ok) return res;
      if (res.answer.kind === "ratio") value = res.answer.value;
    } else if (s.numbers.length === 1) value = s.numbers[0]!.value;
    else if (s.numbers.length > 1) return fail(`Vui lòng chỉ nhập một tỷ lệ (bạn nhập ${s.numbers.length} số). ${hint}`);
  }
  if (value === null) return fail(`Chưa hiểu câu trả lời "${raw}": câu này cần một tỷ lệ %, không phải chữ. ${hint}`);
  if (value > 100) return fail(`Tỷ lệ không thể vượt quá 100% (bạn nhập ${vi(value)}%). ${hint}`);
  return { ok: true, answer: { kind: "percent", value } };
}

function parseCount(entry: CatalogEntry, s: Scanned, raw: string, hint: string): ParseResult {
  const unit = entry.measure.type === "count" ? entry.measure.unit : "số lượng";
  const said = s.words.join(" ");
  if (!/\d/.test(said) && (s.words.includes("chua") || /(^| )khong co( |$)/.test(said) || said === "khong")) {
    return { ok: true, answer: { kind: "count", value: 0 } }; // "chưa có", "không có"
  }
  if (findPercent(s)) return fail(`Câu này hỏi số lượng (${unit}), không phải tỷ lệ %. ${hint}`);
  if (findRatio(s)) return fail(`Câu này chỉ cần một số lượng (${unit}), không phải dạng a/b. ${hint}`);
  if (s.numbers.length === 0) return fail(`Chưa hiểu câu trả lời "${raw}": câu này cần một con số, không phải chữ. ${hint}`);
  if (s.numbers.length > 1) {
    return fail(`Vui lòng chỉ nhập một số (bạn nhập ${s.numbers.length} số: ${s.numbers.map((n) => n.raw).join(", ")}). ${hint}`);
  }
  const n = s.numbers[0]!;
  const limit = countLimit(unit);
  if (n.value > limit) return fail(`Số ${n.raw} quá lớn so với số ${unit} của một đơn vị (tối đa ${vi(limit)}). ${hint}`);
  if (!Number.isInteger(n.value)) {
    return fail(
      `Số lượng phải là số nguyên (bạn nhập ${n.raw}). Dấu phẩy là dấu thập phân; số nghìn viết 1234 hoặc 1.234. ${hint}`,
    );
  }
  return { ok: true, answer: { kind: "count", value: n.value } };
}

/**
 * The most a count can be for one unit: people, classes or rooms of one unit are bounded like a
 * ratio's parts (MAX_RATIO_PART); other things (lessons, documents, files) by MAX_ANSWER_NUMBER.
 */
function countLimit(unit: string): number {
  return /^(?:giao vien|hoc sinh|hoc vien|sinh vien|can bo|nhan vien|nguoi|lop|phong|truong|diem truong|may|thiet bi|to chuyen mon)/.test(fold(unit))
    ? MAX_RATIO_PART
    : MAX_ANSWER_NUMBER;
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5 };

function parseLevel(entry: CatalogEntry, s: Scanned, raw: string, hint: string): ParseResult {
  const m = entry.measure.type === "level" ? entry.measure : { min: 1, max: 3 };
  let value: number | null = null;
  const kw = new RegExp(`(?:^|\\s)(?:muc do|muc|cap do|level|lv)\\s*(${NUM}|iv|v|i{1,3})(?=\\s|$)`).exec(s.text);
  if (kw) {
    const token = kw[1]!;
    value = ROMAN[token] ?? parseNumeral(token);
  }
  else if (findPercent(s)) return fail(`Câu này hỏi mức độ (${m.min}–${m.max}), không phải tỷ lệ %. ${hint}`);
  else if (findRatio(s)) return fail(`Câu này hỏi mức độ (${m.min}–${m.max}), không phải dạng a/b. ${hint}`);
  else if (s.numbers.length === 1) {
    // a number on its own (with at most polite words around it), never one found inside other text
    const others = s.text.split(" ").filter((w) => w !== s.numbers[0]!.raw);
    if (others.some((w) => !LEVEL_FILLERS.has(w))) return fail(`Chưa hiểu câu trả lời "${raw}": câu này cần một mức độ. ${hint}`);
    value = s.numbers[0]!.value;
  } else if (s.numbers.length > 1) return fail(`Vui lòng chỉ nhập một mức (bạn nhập ${s.numbers.length} số). ${hint}`);
  if (value === null) return fail(`Chưa hiểu câu trả lời "${raw}": câu này cần một mức độ. ${hint}`);
  if (!Number.isInteger(value) || value < m.min || value > m.max) {
    return fail(`Mức ${vi(value)} nằm ngoài thang mức ${m.min}–${m.max}. ${hint}`);
  }
  return { ok: true, answer: { kind: "level", value } };
}

function parseBoolean(_entry: CatalogEntry, s: Scanned, raw: string, hint: string): ParseResult {
  const no = s.words.some((w) => NO_WORDS.has(w));
  const yes = s.words.some((w) => YES_WORDS.has(w));
  if (no) return { ok: true, answer: { kind: "boolean", value: false } };
  if (yes) return { ok: true, answer: { kind: "boolean", value: true } };
  if (s.words.includes("dang")) {
    return fail(`Việc đang làm dở được tính là chưa hoàn thành: nếu chưa xong, vui lòng trả lời "Chưa". ${hint}`);
  }
  if (s.numbers.length > 0) return fail(`Câu này cần trả lời Có hoặc Chưa, không phải một con số (bạn nhập "${raw}"). ${hint}`);
  return fail(`Chưa hiểu câu trả lời "${raw}". ${hint}`);
}
