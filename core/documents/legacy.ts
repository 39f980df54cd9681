/**
 * Legacy Vietnamese font encodings: text typed with a TCVN3 (ABC, ".VnTime") or VNI ("VNI-Times")
 * font shows up, once extracted, as Latin-1 letters and symbols instead of Vietnamese:
 *
 *   TCVN3  "Céng hoµ x· héi chñ nghÜa ViÖt Nam"      VNI  "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
 *
 *   detectLegacyEncoding(text)      // "tcvn3" | "vni" | null
 *   convertLegacy(text, "tcvn3")    // "Cộng hoà xã hội chủ nghĩa Việt Nam"
 */

export type LegacyEncoding = "tcvn3" | "vni";

/** TCVN3 (VN3, .VnTime): one Latin-1 code point per Vietnamese letter. Uppercase toned letters use the
 * ".VnTimeH" font, whose codes are the lowercase ones (see {@link convertLegacy}). */
const TCVN3: Record<string, string> = {
  "µ": "à", "\u03bc": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
  "¨": "ă", "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
  "©": "â", "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
  "®": "đ",
  "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
  "ª": "ê", "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
  "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
  "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
  "«": "ô", "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
  "¬": "ơ", "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
  "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
  "\u00ad": "ư", "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
  "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
  "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
};

const GRAVE = "\u0300", ACUTE = "\u0301", HOOK = "\u0309", TILDE = "\u0303", DOT = "\u0323";
const CIRC = "\u0302", BREVE = "\u0306";

/** VNI: a base letter followed by a mark character (lowercase marks after lowercase letters). */
const VNI_MARKS: Record<string, string> = {
  "ø": GRAVE, "ù": ACUTE, "û": HOOK, "õ": TILDE, "ï": DOT,
  "â": CIRC, "á": CIRC + ACUTE, "à": CIRC + GRAVE, "å": CIRC + HOOK, "ã": CIRC + TILDE, "ä": CIRC + DOT,
  "ê": BREVE, "é": BREVE + ACUTE, "è": BREVE + GRAVE, "ú": BREVE + HOOK, "ü": BREVE + TILDE, "ë": BREVE + DOT,
  "Ø": GRAVE, "Ù": ACUTE, "Û": HOOK, "Õ": TILDE, "Ï": DOT,
  "Â": CIRC, "Á": CIRC + ACUTE, "À": CIRC + GRAVE, "Å": CIRC + HOOK, "Ã": CIRC + TILDE, "Ä": CIRC + DOT,
  "Ê": BREVE, "É": BREVE + ACUTE, "È": BREVE + GRAVE, "Ú": BREVE + HOOK, "Ü": BREVE + TILDE, "Ë": BREVE + DOT,
};
/** VNI letters that stand alone (i/y with a tone, đ, ơ, ư). */
const VNI_LETTERS: Record<string, string> = {
  "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
  "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
  "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
};

/** Letters only Unicode Vietnamese has (ă, đ, ơ, ư and every letter with a dot below, hook, …). */
const UNICODE_VI = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]/gu;
/** Latin-1 symbols TCVN3 uses for the commonest letters (à á ạ ă â đ ê ô ơ ư …). */
const TCVN3_SIGNS = /[µ\u03bc¶·¸¹¨»¼½¾©®ª«¬\u00ad]/g;
/** A vowel followed by a VNI mark that never follows a vowel in Unicode Vietnamese. */
const VNI_SIGNS = /[aeouyAEOUYôöÔÖ][øûïäåëüØÛÏÄÅËÜ]|[ñÑ](?=[a-zA-Z])/g;

/** Which legacy encoding the text is in, or null when it reads as Unicode Vietnamese (or is not Vietnamese). */
export function detectLegacyEncoding(text: string): LegacyEncoding | null {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const words = sample.match(/\S+/g)?.length ?? 0;
  if (words < 3) return null;
  const unicode = sample.match(UNICODE_VI)?.length ?? 0;
  const tcvn = sample.match(TCVN3_SIGNS)?.length ?? 0;
  const vni = sample.match(VNI_SIGNS)?.length ?? 0;
  const best = Math.max(tcvn, vni);
  // Real Vietnamese Unicode has such letters in most sentences; legacy text has (almost) none.
  if (best < 3 || best / words < 0.05 || unicode > best / 4) return null;
  return tcvn >= vni ? "tcvn3" : "vni";
}

/** Convert TCVN3 or VNI text to Unicode (NFC). */
export function convertLegacy(text: string, encoding: LegacyEncoding): string {
  return (encoding === "tcvn3" ? fromTcvn3(text) : fromVni(text)).normalize("NFC");
}

function fromTcvn3(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      // pdf.js reads TCVN3's "ư" (a soft-hyphen code) as "-" and "à" (µ) as "μ": "®-îc" is "được".
      const fixed = line.replace(/(?<=[a-zA-Z®§])-(?=[êíîìë¬ua]|ng)/g, "\u00ad");
      const out = [...fixed].map((c) => TCVN3[c] ?? c).join("");
      // ".VnTimeH" headings: uppercase font, lowercase codes ("KÕ HO¹CH" → "KẾ HOẠCH").
      const ascii = line.match(/[A-Za-z]/g) ?? [];
      return ascii.length >= 4 && ascii.every((c) => c >= "A" && c <= "Z") ? out.toUpperCase() : out;
    })
    .join("\n");
}

function fromVni(text: string): string {
  const chars = [...text];
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    const base = /[aeouyAEOUY]/.test(c) ? c : VNI_LETTERS[c];
    if (base === undefined) {
      out += c;
      continue;
    }
    let letter = base;
    if (next !== undefined && VNI_MARKS[next] !== undefined && /[aeouyAEOUYơưƠƯ]/.test(base)) {
      const mark = VNI_MARKS[next]!;
      const fitsShape = !mark.startsWith(BREVE) || /[aA]/.test(base);
      const fitsCirc = !mark.startsWith(CIRC) || /[aeoAEO]/.test(base);
      if (fitsShape && fitsCirc) {
        letter = base + mark;
        i++;
      }
    }
    out += letter.normalize("NFC");
  }
  return out;
}
