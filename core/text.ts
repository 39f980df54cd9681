/**
 * Vietnamese text helpers shared by parsing, retrieval and intent matching.
 *
 *   nfc("Tie\u0302\u0301ng")   // "Tiếng" (composed)
 *   fold("Đã triển khai")       // "da trien khai" (lowercase, no diacritics, đ → d)
 */

/**
 * Characters that show nothing (zero-width spaces and joiners, word joiner, BOM, soft hyphen,
 * direction marks): pasted text carries them, and "45\u200B/60" must read as 45/60.
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Normalize to NFC, drop invisible characters and trim; every user input passes through this first. */
export function nfc(text: string): string {
  return text.normalize("NFC").replace(INVISIBLE, "").trim();
}

/** `s` cut to at most `max` characters (code points kept whole), ending with "…" when cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return `${chars.slice(0, Math.max(1, max - 1)).join("").trimEnd()}…`;
}

/** The first `max` UTF-16 units of `s`, never ending inside a surrogate pair (an emoji cut in half cannot be stored or sent). */
export function cutChars(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 1)) ? max - 1 : max;
  return s.slice(0, end);
}

/** What the user typed, echoed in a message: one line, at most `max` (60) characters. */
export function echo(s: string, max = 60): string {
  return clip(s.replace(/\s+/g, " ").trim(), max);
}

/** Lowercase, strip diacritics (đ → d) and collapse whitespace: for matching typed-without-accents input. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}
