/**
 * Plan-text checks shared by every reader of plan text (the extractor's blocks and retrieval's
 * parser), so both skip the same broken lines.
 *
 *   isGarbled("K ?   HO ? CH     C huy ? n đ ? i s ?")   // true: a font whose glyphs did not map to Unicode
 *   isGarbled("Bình dân học vụ số là gì?")               // false
 */

/**
 * Text (a line or a paragraph) is garbled when its font encoding broke:
 *  - it holds replacement characters (U+FFFD);
 *  - many syllables were replaced by "?" ("ho ? ch", "?n"): at least 3 such words and over 8% of them;
 *  - or it fell apart into lone letters (at least 6 words, over 30% single letters or "?").
 */
export function isGarbled(text: string): boolean {
  if (text.includes("\uFFFD")) return true;
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 4) return false;
  const marks = words.filter((w) => w === "?" || /\?\p{L}|\p{L}\?/u.test(w)).length;
  if (marks >= 3 && marks / words.length > 0.08) return true;
  const lone = words.filter((w) => w.length === 1 && /[A-Za-z?]/.test(w)).length;
  return words.length >= 6 && lone / words.length > 0.3;
}
