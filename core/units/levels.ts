/**
 * Unit kinds and levels as officials actually write them.
 *
 *   parseLevel("Sở GDĐT")            // { kind: "department", levels: ["so"] }
 *   parseLevel("UBND phường")        // { kind: "commune", levels: ["xa"] }
 *   parseLevel("PTDTBT TH&THCS")     // { kind: "school", levels: ["th", "thcs"] }
 *   parseLevel("trung hoc co so")    // { kind: "school", levels: ["thcs"] }
 *   parseLevel("th+thcs")            // { kind: "school", levels: ["th", "thcs"] }
 *   parseLevel("Trường Hoa Mai")     // null (no level named)
 *
 * A multi-level school (liên cấp) gets every level it teaches, so it is asked the questions of each.
 */
import type { Level } from "../catalog/schema.ts";
import { fold, nfc } from "../text.ts";

export type { Level } from "../catalog/schema.ts";

/** department (Sở) | district (Phòng) | commune (UBND xã/phường) | school. */
export type UnitKind = "department" | "district" | "commune" | "school";
export const UNIT_KINDS: readonly UnitKind[] = ["department", "district", "commune", "school"];

/** School levels in teaching order: the order levels are stored and shown in. */
export const SCHOOL_LEVELS = ["mn", "th", "thcs", "thpt", "gdtx"] as const satisfies readonly Level[];
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export interface ParsedLevel {
  kind: UnitKind;
  levels: Level[];
}

/** Vietnamese label of each level, for messages and tables. */
export const LEVEL_LABELS: Record<Level, string> = {
  so: "Sở GDĐT",
  phong: "Phòng GD&ĐT",
  xa: "UBND xã/phường",
  mn: "Mầm non",
  th: "Tiểu học",
  thcs: "THCS",
  thpt: "THPT",
  gdtx: "GDNN-GDTX",
};

/** Phrases (folded, space-separated words) naming a school level; longest first. */
const SCHOOL_PHRASES: Array<[string[], SchoolLevel]> = (
  [
    ["giao duc nghe nghiep giao duc thuong xuyen", "gdtx"],
    ["trung hoc pho thong", "thpt"],
    ["giao duc thuong xuyen", "gdtx"],
    ["trung hoc co so", "thcs"],
    ["gdnn gdtx", "gdtx"],
    ["mam non", "mn"],
    ["mau giao", "mn"],
    ["nha tre", "mn"],
    ["tieu hoc", "th"],
    ["ttgdtx", "gdtx"],
    ["ttgdnn", "gdtx"],
    ["gdtx", "gdtx"],
    ["gdnn", "gdtx"],
    ["thpt", "thpt"],
    ["thcs", "thcs"],
    ["mn", "mn"],
    ["mg", "mn"],
    ["th", "th"],
  ] as Array<[string, SchoolLevel]>
).map(([p, l]) => [p.split(" "), l]);

/** Words that may surround level names without changing them ("Trường PTDTBT liên cấp …"). */
const SCHOOL_FILLER = new Set([
  "truong",
  "lien",
  "cap",
  "hoc",
  "pt",
  "ptdtbt",
  "ptdtnt",
  "ptlc",
  "pho",
  "thong",
  "dan",
  "toc",
  "ban",
  "noi",
  "tru",
  "trung",
  "tam",
  "tt",
  "nhieu",
]);

const DEPARTMENT = /^so( (gd ?dt|gddt|gd|giao duc( dao tao)?)\b.*)?$/;
const DISTRICT = /^phong( (gd ?dt|gddt|gd|giao duc( dao tao)?)\b.*)?$/;
const COMMUNE = /^((ubnd|uy ban nhan dan) )?(xa|phuong|thi tran|dac khu)( .*)?$/;

/** Words of the folded text, with separators (&, +, comma, dash, slash, "và") turned into spaces. */
function words(text: string): string[] {
  return fold(nfc(text))
    .replace(/[&+,;/|\\\-–—_.()]/g, " ")
    .replace(/\bva\b/g, " ")
    .split(" ")
    .filter(Boolean);
}

/**
 * Read a unit level as written ("Sở GDĐT", "UBND xã", "TH&THCS", "Liên cấp MN-TH-THCS", "thcs") into a
 * unit kind and its levels; null when the text names no known level (or also names something else).
 */
export function parseLevel(text: string): ParsedLevel | null {
  const w = words(text);
  if (w.length === 0) return null;
  const joined = w.join(" ");
  // Department / district / commune: whole-phrase forms, checked before "so"/"co so" are read as filler.
  if (DEPARTMENT.test(joined)) return { kind: "department", levels: ["so"] };
  if (DISTRICT.test(joined)) return { kind: "district", levels: ["phong"] };
  if (COMMUNE.test(joined)) return { kind: "commune", levels: ["xa"] };

  const found = new Set<SchoolLevel>();
  let i = 0;
  outer: while (i < w.length) {
    for (const [phrase, level] of SCHOOL_PHRASES) {
      if (phrase.every((p, k) => w[i + k] === p)) {
        found.add(level);
        i += phrase.length;
        continue outer;
      }
    }
    if (!SCHOOL_FILLER.has(w[i]!)) return null;
    i++;
  }
  if (found.size === 0) return null;
  return { kind: "school", levels: SCHOOL_LEVELS.filter((l) => found.has(l)) };
}

/** Store levels as the schema's comma list: ["th", "thcs"] → "th,thcs". */
export function formatLevels(levels: readonly Level[]): string {
  return levels.join(",");
}

/** Read the schema's comma list back: "th,thcs" → ["th", "thcs"] (unknown items dropped). */
export function levelsOf(stored: string): Level[] {
  const known = new Set<string>(["so", "phong", "xa", ...SCHOOL_LEVELS]);
  return stored
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is Level => known.has(s));
}

/** "Tiểu học, THCS" for ["th", "thcs"]. */
export function describeLevels(levels: readonly Level[]): string {
  return levels.map((l) => LEVEL_LABELS[l]).join(", ");
}
