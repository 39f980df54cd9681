/**
 * Understand a focal point's free-text answer to one reporting question (an indicator of the catalog).
 *
 *   parseAnswer(ratioEntry, "45 trên 60 giáo viên")   // { ok: true, answer: { kind: "ratio", numerator: 45, denominator: 60, value: 75 } }
 *   parseAnswer(percentEntry, "bảy mươi lăm phần trăm") // { ok: true, answer: { kind: "percent", value: 75 } }
 *   parseAnswer(booleanEntry, "da trien khai")        // { ok: true, answer: { kind: "boolean", value: true } }
 *   parseAnswer(ratioEntry, "70/60")                  // { ok: false, problem: { kind: "part_exceeds_whole", numerator: 70, denominator: 60, measure } }
 *
 * A refusal is a tagged problem (AnswerProblem) carrying the question's measure; bot/messages/answers.ts
 * words it (what is wrong, with a valid example).
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
 *
 * "Không biết", "chưa rõ", "chưa có số liệu", "ko bt" are not answers: never read as "không" = 0 or
 * "No" (problem `no_data`; the bot points to Bỏ qua and answering later).
 */
import type { CatalogEntry, Measure } from "../catalog/schema.ts";
import { fold, nfc } from "../text.ts";
import { parseNumeral, wordsToDigits } from "./numbers-vi.ts";

export type ParsedAnswer =
  | { kind: "ratio"; numerator: number; denominator: number; /** percent 0–100 */ value: number }
  | { kind: "percent"; value: number }
  | { kind: "count"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "level"; value: number };

/** Why an answer was refused: data for bot/messages/answers.ts, which words it. `raw` is what the user typed. */
export type AnswerProblemDetail =
  | { kind: "empty" }
  | { kind: "scientific_notation" }
  /** nothing usable; `wordsOnly`: words where the question wants a number, a % or a level */
  | { kind: "not_understood"; raw: string; wordsOnly?: true }
  | { kind: "negative"; raw: string }
  | { kind: "bad_number"; raw: string }
  | { kind: "too_large"; raw: string; max: number }
  /** "không có 45/60": a negative word and a number */
  | { kind: "negated_number" }
  /** "không biết", "chưa có số liệu": the user has no figure yet (not a zero, not a "No") */
  | { kind: "no_data" }
  | { kind: "ratio_not_whole"; raw: string }
  | { kind: "zero_denominator"; raw: string }
  | { kind: "part_exceeds_whole"; numerator: number; denominator: number }
  | { kind: "too_many_numbers"; numbers: string[] }
  | { kind: "percent_given" }
  | { kind: "ratio_given" }
  /** a ratio question answered with one number */
  | { kind: "whole_missing"; given: string }
  /** a ratio question answered "không" / "chưa có" (none): 0 of how many? */
  | { kind: "zero_without_whole" }
  | { kind: "ratio_unclear"; raw: string }
  | { kind: "over_100"; value: number }
  | { kind: "not_whole"; raw: string }
  | { kind: "level_out_of_range"; value: number }
  /** yes/no answered "đang …" (in progress) */
  | { kind: "in_progress" }
  | { kind: "number_for_yes_no"; raw: string }
  /** check.ts: the denominator differs from the one given at another question this period */
  | { kind: "denominator_mismatch"; numerator: number; got: number; expected: number; otherQuestion: { number: number; short: string } | null };

/** A refusal with the question's measure (its units and nouns, for the wording). */
export type AnswerProblem = AnswerProblemDetail & { measure: Measure };

export type ParseResult = { ok: true; answer: ParsedAnswer } | { ok: false; problem: AnswerProblem };
type Parsed = { ok: true; answer: ParsedAnswer } | { ok: false; problem: AnswerProblemDetail };

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

const fail = (problem: AnswerProblemDetail): Parsed => ({ ok: false, problem });

/**
 * "Không biết", "chưa rõ", "chưa nắm được", "chưa có số liệu", "chưa thống kê", "ko bt", "chịu": no
 * figure yet (folded text, whole words). Checked before "không"/"chưa" can be read as 0 or as "No".
 */
const NO_DATA = new RegExp(
  String.raw`(?:^|\s)(?:(?:khong|chua|ko|k|kh|khg|hong)\s+(?:biet|bit|bt|ro|nho|nam duoc|nam ro|chac|xac dinh|dem|tinh)` +
    String.raw`|(?:khong|chua|ko|k)\s+co\s+(?:so lieu|du lieu|thong tin|con so)|chua\s+(?:thong ke|tong hop|cap nhat)` +
    String.raw`|kbt|kb|chiu|de (?:em|minh|toi|thay|co) (?:hoi|xem|kiem tra)|hoi lai sau|tra loi sau)(?:\s|$)`,
);

/** Parse a focal point's answer for this indicator; on failure a tagged problem (worded by bot/messages/answers.ts). */
export function parseAnswer(entry: CatalogEntry, text: string): ParseResult {
  const res = parseDetail(entry, text);
  return res.ok ? res : { ok: false, problem: { ...res.problem, measure: entry.measure } };
}

function parseDetail(entry: CatalogEntry, text: string): Parsed {
  const raw = nfc(text ?? "").replace(INVISIBLE, "").trim();
  if (raw === "") return fail({ kind: "empty" });
  if (/\d\s*e\s*[+-]?\s*\d/i.test(raw)) return fail({ kind: "scientific_notation" });
  const s = scan(raw);
  if (s.words.length === 0 && s.numbers.length === 0) return fail({ kind: "not_understood", raw });
  // on the words as typed: wordsToDigits has already read "không" as 0 in s.numbers
  const said = s.words.join(" ");
  if (!/\d/.test(said) && NO_DATA.test(said)) return fail({ kind: "no_data" });

  if (entry.measure.type === "boolean") return parseBoolean(entry, s, raw);

  if (s.negative) return fail({ kind: "negative", raw });
  const bad = s.numbers.find((n) => Number.isNaN(n.value));
  if (bad) return fail({ kind: "bad_number", raw: bad.raw });
  const huge = s.numbers.find((n) => n.value > MAX_ANSWER_NUMBER);
  if (huge) return fail({ kind: "too_large", raw: huge.raw, max: MAX_ANSWER_NUMBER });
  if (s.numbers.length > 0 && negatedNumber(s)) {
    return fail({ kind: "negated_number" });
  }

  switch (entry.measure.type) {
    case "ratio":
      return parseRatio(s, raw);
    case "percent":
      return parsePercent(s, raw);
    case "count":
      return parseCount(s, raw, entry.measure.unit);
    case "level":
      return parseLevel(entry, s, raw);
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
function ratioOf(r: { num: string; den: string }): Parsed {
  const numerator = parseNumeral(r.num);
  const denominator = parseNumeral(r.den);
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator)) {
    return fail({ kind: "ratio_not_whole", raw: `${r.num}/${r.den}` });
  }
  const tooBig = [r.num, r.den].find((n) => parseNumeral(n) > MAX_RATIO_PART);
  if (tooBig !== undefined) return fail({ kind: "too_large", raw: tooBig, max: MAX_RATIO_PART });
  if (denominator === 0) return fail({ kind: "zero_denominator", raw: `${r.num}/${r.den}` });
  if (numerator > denominator) {
    return fail({ kind: "part_exceeds_whole", numerator, denominator });
  }
  return { ok: true, answer: { kind: "ratio", numerator, denominator, value: (numerator * 100) / denominator } };
}

function parseRatio(s: Scanned, raw: string): Parsed {
  const said = s.words.join(" ");
  // "không", "chưa có", "ko có ạ": none of them, but 0 of how many?
  if (!/\d/.test(said) && s.words.length <= 4 && /^(?:(?:da|van|hien)\s+)?(?:chua|khong|ko|k)(?:\s+co)?(?:\s+(?:a|nhe|nha|ai))*$/.test(said)) {
    return fail({ kind: "zero_without_whole" });
  }
  const r = findRatio(s);
  if (r && s.numbers.length > 2) {
    return fail({ kind: "too_many_numbers", numbers: s.numbers.map((n) => n.raw) });
  }
  if (r) return ratioOf(r);
  if (findPercent(s)) {
    return fail({ kind: "percent_given" });
  }
  if (s.numbers.length === 1) {
    return fail({ kind: "whole_missing", given: s.numbers[0]!.raw });
  }
  if (s.numbers.length > 1) return fail({ kind: "ratio_unclear", raw });
  return fail({ kind: "not_understood", raw, wordsOnly: true });
}

function parsePercent(s: Scanned, raw: string): Parsed {
  let value: number | null = null;
  const p = findPercent(s);
  if (p) value = p.value;
  else {
    const r = findRatio(s);
    if (r) {
      const res = ratioOf(r);
      if (!res.ok) return res;
      if (res.answer.kind === "ratio") value = res.answer.value;
    } else if (s.numbers.length === 1) value = s.numbers[0]!.value;
    else if (s.numbers.length > 1) return fail({ kind: "too_many_numbers", numbers: s.numbers.map((n) => n.raw) });
  }
  if (value === null) return fail({ kind: "not_understood", raw, wordsOnly: true });
  if (value > 100) return fail({ kind: "over_100", value });
  return { ok: true, answer: { kind: "percent", value } };
}

function parseCount(s: Scanned, raw: string, unit: string): Parsed {
  const said = s.words.join(" ");
  if (!/\d/.test(said) && (s.words.includes("chua") || /(^| )khong co( |$)/.test(said) || said === "khong")) {
    return { ok: true, answer: { kind: "count", value: 0 } }; // "chưa có", "không có"
  }
  if (findPercent(s)) return fail({ kind: "percent_given" });
  if (findRatio(s)) return fail({ kind: "ratio_given" });
  if (s.numbers.length === 0) return fail({ kind: "not_understood", raw, wordsOnly: true });
  if (s.numbers.length > 1) {
    return fail({ kind: "too_many_numbers", numbers: s.numbers.map((n) => n.raw) });
  }
  const n = s.numbers[0]!;
  const limit = countLimit(unit);
  if (n.value > limit) return fail({ kind: "too_large", raw: n.raw, max: limit });
  if (!Number.isInteger(n.value)) {
    return fail({ kind: "not_whole", raw: n.raw });
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

function parseLevel(entry: CatalogEntry, s: Scanned, raw: string): Parsed {
  const m = entry.measure.type === "level" ? entry.measure : { min: 1, max: 3 };
  let value: number | null = null;
  const kw = new RegExp(`(?:^|\\s)(?:muc do|muc|cap do|level|lv)\\s*(${NUM}|iv|v|i{1,3})(?=\\s|$)`).exec(s.text);
  if (kw) {
    const token = kw[1]!;
    value = ROMAN[token] ?? parseNumeral(token);
  }
  else if (findPercent(s)) return fail({ kind: "percent_given" });
  else if (findRatio(s)) return fail({ kind: "ratio_given" });
  else if (s.numbers.length === 1) {
    // a number on its own (with at most polite words around it), never one found inside other text
    const others = s.text.split(" ").filter((w) => w !== s.numbers[0]!.raw);
    if (others.some((w) => !LEVEL_FILLERS.has(w))) return fail({ kind: "not_understood", raw, wordsOnly: true });
    value = s.numbers[0]!.value;
  } else if (s.numbers.length > 1) return fail({ kind: "too_many_numbers", numbers: s.numbers.map((n) => n.raw) });
  if (value === null) return fail({ kind: "not_understood", raw, wordsOnly: true });
  if (!Number.isInteger(value) || value < m.min || value > m.max) {
    return fail({ kind: "level_out_of_range", value });
  }
  return { ok: true, answer: { kind: "level", value } };
}

function parseBoolean(_entry: CatalogEntry, s: Scanned, raw: string): Parsed {
  const no = s.words.some((w) => NO_WORDS.has(w));
  const yes = s.words.some((w) => YES_WORDS.has(w));
  if (no) return { ok: true, answer: { kind: "boolean", value: false } };
  if (yes) return { ok: true, answer: { kind: "boolean", value: true } };
  if (s.words.includes("dang")) {
    return fail({ kind: "in_progress" });
  }
  if (s.numbers.length > 0) return fail({ kind: "number_for_yes_no", raw });
  return fail({ kind: "not_understood", raw });
}

/**
 * The text parseAnswer reads back as this stored answer ("45/60", "75%", "có", "mức 2"): what
 * "keep last period's value" feeds the checks, and stores as the raw answer. Parser input, not a message.
 */
export function answerAsText(entry: CatalogEntry, a: { value: number | null; numerator: number | null; denominator: number | null }): string {
  const m = entry.measure;
  if (m.type === "ratio") return `${a.numerator}/${a.denominator}`;
  if (m.type === "percent") return `${String(a.value).replace(".", ",")}%`;
  if (m.type === "boolean") return (a.value ?? 0) >= 1 ? "có" : "chưa";
  if (m.type === "level") return `mức ${a.value}`;
  return String(a.value);
}
