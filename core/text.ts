/**
 * Vietnamese text helpers shared by parsing, retrieval and intent matching.
 *
 *   nfc("Tie\u0302\u0301ng")   // "Tiếng" (composed)
 *   fold("Đã triển khai")       // "da trien khai" (lowercase, no diacritics, đ → d)
 */

/** Normalize to NFC and trim; every user input passes through this first. */
export function nfc(text: string): string {
  return text.normalize("NFC").trim();
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
