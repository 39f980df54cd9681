/**
 * Vietnamese phone numbers in one canonical form, so a focal point's phone typed in a spreadsheet
 * matches the one Telegram shares.
 *
 *   normalizePhone("+84 912 345 678")  // "0912345678"
 *   normalizePhone("84912345678")      // "0912345678"
 *   normalizePhone("0912.345.678")     // "0912345678"
 *   normalizePhone(912345678)          // "0912345678" (a spreadsheet dropped the leading 0)
 *   normalizePhone("12345")            // null
 */

/** Mobile: 0 + 3/5/7/8/9 + 8 digits. Landline: 02 + 9 digits. */
const MOBILE = /^0[35789]\d{8}$/;
const LANDLINE = /^02\d{9}$/;

/** Canonical "0xxxxxxxxx" form of a Vietnamese phone number, or null when it is not one. */
export function normalizePhone(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let s = String(raw).normalize("NFC").trim();
  if (!s) return null;
  if (!/^[+\d\s.\-()]+$/.test(s)) return null;
  s = s.replace(/[\s.\-()]/g, "");
  if (s.startsWith("+")) {
    if (!s.startsWith("+84")) return null;
    s = "0" + s.slice(3);
  } else if (s.startsWith("0084")) {
    s = "0" + s.slice(4);
  } else if (s.startsWith("84") && (s.length === 11 || s.length === 12)) {
    s = "0" + s.slice(2);
  } else if (!s.startsWith("0") && (s.length === 9 || s.length === 10)) {
    s = "0" + s; // leading zero lost in a spreadsheet number cell
  }
  if (s.startsWith("00")) return null;
  return MOBILE.test(s) || LANDLINE.test(s) ? s : null;
}

/** True when the text looks like a phone number rather than a Telegram id (starts with + or 0, or has separators). */
export function looksLikePhone(text: string): boolean {
  const s = text.trim();
  return /^(\+|0)/.test(s) || /[\s.\-()]/.test(s);
}
