/**
 * Vietnamese numbers: numerals written with Vietnamese separators, number words, and display.
 *
 *   parseNumeral("1.234")      // 1234   (dot + exactly three digits = thousands separator)
 *   parseNumeral("12,5")       // 12.5   (a comma is the decimal mark in Vietnamese)
 *   parseNumeral("1,234")      // 1.234  (one comma is always decimal: see parse.ts for the hint)
 *   wordsToDigits("bay muoi lam %")  // "75 %"  (input already folded with fold())
 *   formatNumberVi(87.46)      // "87,5"
 */

const DIGITS: Record<string, number> = {
  khong: 0,
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
};
/** Ones that appear only after "mươi"/"mười" (hai mươi mốt/tư/lăm/nhăm) or in spoken short forms. */
const AFTER_TENS: Record<string, number> = { mot: 1, tu: 4, lam: 5, nham: 5 };
const TENS = new Set(["muoi", "chuc"]);
const HUNDRED = "tram";
const THOUSAND = new Set(["nghin", "ngan"]);
const MILLION = "trieu";
const ZERO_TENS = new Set(["linh", "le"]);

/**
 * Parse a numeral with Vietnamese separators. Returns NaN when the grouping is malformed.
 *  - "1.234.567" / "1,234,567" (several of one mark) → thousands separators
 *  - "1.234,5" / "1,234.5" (both marks) → the last one is the decimal mark
 *  - one comma → decimal ("12,5" = 12.5, "1,234" = 1.234)
 *  - one dot → thousands when followed by exactly 3 digits and the integer part is 1–3 digits
 *    not starting with 0 ("1.500" = 1500); otherwise decimal ("12.5" = 12.5)
 */
export function parseNumeral(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;
  const grouped = (intPart: string, sep: string) => {
    const groups = intPart.split(sep);
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return NaN;
    return Number(groups.join(""));
  };
  if (dots > 0 && commas > 0) {
    const lastDot = s.lastIndexOf(".");
    const lastComma = s.lastIndexOf(",");
    const [dec, thou] = lastComma > lastDot ? [",", "."] : [".", ","];
    const at = s.lastIndexOf(dec);
    if (s.indexOf(dec) !== at) return NaN;
    const intPart = grouped(s.slice(0, at), thou);
    const frac = s.slice(at + 1);
    return /^\d+$/.test(frac) ? intPart + Number(`0.${frac}`) : NaN;
  }
  const sep = dots > 0 ? "." : ",";
  const count = dots + commas;
  if (count > 1) return grouped(s, sep);
  const [intPart, frac] = s.split(sep) as [string, string];
  if (!/^\d+$/.test(intPart) || !/^\d+$/.test(frac)) return NaN;
  if (sep === "." && frac.length === 3 && /^[1-9]\d{0,2}$/.test(intPart)) return Number(intPart + frac);
  return Number(`${intPart}.${frac}`);
}

type Kind = "start" | "digit" | "tens" | "hundred" | "zero" | "ones" | "thousand" | "million";

/** True when this folded token can begin a spelled-out number. */
function isStarter(t: string): boolean {
  return t in DIGITS || TENS.has(t) || t === HUNDRED;
}

/**
 * Read a run of folded number words starting at tokens[i]. Returns the value and how many tokens it used,
 * or null when tokens[i] does not start a number. Handles "hai mươi mốt", "mười lăm", "một trăm linh năm",
 * "một nghìn hai trăm", "một trăm hai" (= 120, spoken short form), "bốn lăm" (= 45).
 */
export function readNumberWords(tokens: readonly string[], i: number): { value: number; used: number } | null {
  if (!isStarter(tokens[i] ?? "")) return null;
  let total = 0;
  let current = 0;
  let kind: Kind = "start";
  let before: Kind = "start"; // kind before the last digit (for short forms at the end)
  let lastDigit = 0;
  let j = i;
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    const afterTens = kind === "tens" && t in AFTER_TENS;
    if (t in DIGITS || afterTens || (kind === "digit" && before === "start" && t in AFTER_TENS && lastDigit >= 2)) {
      const v = afterTens ? AFTER_TENS[t]! : t in DIGITS ? DIGITS[t]! : AFTER_TENS[t]!;
      if (kind === "digit") {
        // spoken short form "bốn lăm" = 45, "hai mốt" = 21 (only AFTER_TENS words reach here)
        if (!(t in AFTER_TENS) || before !== "start" || lastDigit < 2) break;
        current += lastDigit * 9 + v;
        kind = "ones";
        continue;
      }
      if (kind === "ones") break;
      if (kind === "tens" || kind === "zero") {
        current += v;
        kind = "ones";
        continue;
      }
      if (kind === "thousand" || kind === "million" || kind === "hundred" || kind === "start") {
        before = kind;
        current += v;
        lastDigit = v;
        kind = "digit";
        continue;
      }
      break;
    }
    if (TENS.has(t)) {
      if (kind === "digit") {
        current += lastDigit * 9;
        kind = "tens";
        before = "start";
        continue;
      }
      if (kind === "start" || kind === "hundred" || kind === "thousand" || kind === "million") {
        current += 10; // "mười"
        kind = "tens";
        continue;
      }
      break;
    }
    if (t === HUNDRED) {
      if (kind === "digit" && (before === "start" || before === "thousand" || before === "million")) {
        current += lastDigit * 99;
        kind = "hundred";
        continue;
      }
      if (kind === "start") {
        current += 100;
        kind = "hundred";
        continue;
      }
      break;
    }
    if (ZERO_TENS.has(t)) {
      if ((kind === "hundred" || kind === "thousand") && tokens[j + 1]! in DIGITS) {
        kind = "zero";
        continue;
      }
      break;
    }
    if (THOUSAND.has(t) || t === MILLION) {
      if (kind === "start" || kind === "zero" || kind === "thousand" || kind === "million") break;
      current = finishShortForm(current, kind, before, lastDigit);
      if (t === MILLION) total = (total + current) * 1_000_000;
      else total += current * 1000;
      current = 0;
      kind = t === MILLION ? "million" : "thousand";
      continue;
    }
    break;
  }
  if (j === i || kind === "start") return null;
  if (kind === "zero") j--; // a dangling "linh" is not part of the number
  return { value: total + finishShortForm(current, kind, before, lastDigit), used: j - i };
}

/** "một trăm hai" = 120, "ba nghìn hai" = 3 200, "một triệu hai" = 1 200 000 (spoken short forms). */
function finishShortForm(current: number, kind: Kind, before: Kind, lastDigit: number): number {
  if (kind !== "digit") return current;
  if (before === "hundred") return current + lastDigit * 9;
  if (before === "thousand") return current + lastDigit * 99;
  if (before === "million") return current + lastDigit * 99_999;
  return current;
}

/** Replace every run of number words in folded text with its digits: "hai muoi mot giao vien" → "21 giao vien". */
export function wordsToDigits(folded: string): string {
  const tokens = folded.split(" ").filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const r = readNumberWords(tokens, i);
    if (r) {
      out.push(String(r.value));
      i += r.used;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out.join(" ");
}

/** Vietnamese display: dot for thousands, comma for decimals, at most `digits` decimals (87.46 → "87,5"). */
const formatters = new Map<number, Intl.NumberFormat>();
export function formatNumberVi(n: number, digits = 1): string {
  let f = formatters.get(digits);
  if (!f) formatters.set(digits, (f = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: digits, useGrouping: true })));
  return f.format(n);
}
