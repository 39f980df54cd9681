/**
 * The plan's reporting rhythm, read from its text: "Định kỳ hằng tháng (trước ngày 20), hằng quý
 * (trước ngày 20 tháng cuối quý), và năm (trước ngày 10/12) báo cáo…", "báo cáo 6 tháng trước ngày
 * 10/6", "báo cáo sơ kết học kỳ, 6 tháng đầu năm trước ngày 12/6".
 *
 * Every deadline ("trước ngày 25", "chậm nhất ngày 25", "trước ngày 05/12") in a sentence about
 * reporting is attached to the nearest period word before it (tháng, quý, 6 tháng / sơ kết học kỳ,
 * năm). Dated deadlines of tasks ("trước ngày 15/02/2027") are ignored. Fields the text does not
 * state keep the defaults (Ninh Bình 27/KH-SGDĐT mục V.3); `stated` lists the rhythms it does state.
 *
 *   extractReportingRules(text).rules  // { monthlyBeforeDay: 25, quarterlyBeforeDay: 15, halfYearlyBefore: { day: 10 }, yearlyBefore: { day: 5, month: 12 } }
 */
import { fold } from "../../text.ts";
import type { Citation, ReportingRules } from "../schema.ts";
import { readBlocks } from "./blocks.ts";

export type Rhythm = "monthly" | "quarterly" | "half-yearly" | "yearly";

export interface ReportingRulesResult {
  rules: ReportingRules;
  /** The sentence the rhythm was read from (verbatim), when found. */
  citation?: Citation;
  /** True when the text states at least one reporting deadline. */
  found: boolean;
  /** The rhythms the text states, e.g. ["quarterly", "half-yearly", "yearly"]. */
  stated: Rhythm[];
}

const DEFAULTS = { monthlyBeforeDay: 20, quarterlyBeforeDay: 20, yearlyBefore: { day: 10, month: 12 } };
/** "trước ngày 20", "trước ngày 10/12", "chậm nhất (vào) ngày 25", "trước hoặc trong ngày 25" — not "…/2027". */
const DEADLINE = /(trước ngày|chậm nhất (?:là )?(?:vào )?ngày|trước hoặc (?:trong|vào) ngày|không muộn hơn ngày)\s*(\d{1,2})(?:\s*\/\s*(\d{1,2}))?(?!\s*\/\s*\d|\d)/giu;
/** Period words, longest first; the last one before a deadline wins. */
const PERIOD = /(6|sáu) tháng(?: đầu| cuối)?(?: năm)?|sơ kết học kỳ|học kỳ|bán niên|tháng cuối quý|quý|tháng|tổng kết năm học|năm học|năm/giu;

function rhythmOf(word: string): Rhythm | undefined {
  const w = fold(word);
  if (/^(6|sau) thang|hoc ky|ban nien/.test(w)) return "half-yearly";
  if (w === "thang cuoi quy" || w === "quy") return "quarterly";
  if (w === "thang") return "monthly";
  if (/nam/.test(w)) return "yearly";
  return undefined;
}

const clampDay = (d: number) => Math.min(28, Math.max(1, d));

export function extractReportingRules(text: string, file = ""): ReportingRulesResult {
  const { paragraphs } = readBlocks(text);
  const found: Partial<Record<Rhythm, { day: number; month?: number }>> = {};
  let citation: Citation | undefined;
  for (const p of paragraphs) {
    // sentences (or ";"-separated parts of long ones) that speak of reporting
    for (const m of p.text.matchAll(/[^.]+(?:\.(?=\d)[^.]*)*\.?/g)) {
      const sentence = m[0];
      if (!/báo cáo|bao cao/i.test(sentence)) continue;
      let from = 0;
      let hit = false;
      for (const d of sentence.matchAll(DEADLINE)) {
        const window = sentence.slice(Math.max(from, d.index! - 90), d.index!);
        from = d.index! + d[0].length;
        const words = [...window.matchAll(PERIOD)];
        const last = words[words.length - 1];
        const rhythm = last ? rhythmOf(last[0]) : undefined;
        if (!rhythm || found[rhythm]) continue;
        const inclusive = !/^trước ngày/i.test(d[1]!); // "chậm nhất ngày 25" = before the 26th
        const day = Number(d[2]) + (inclusive ? 1 : 0);
        const month = d[3] ? Number(d[3]) : undefined;
        if (rhythm === "yearly" && !month) continue;
        found[rhythm] = { day, month };
        hit = true;
      }
      if (hit && !citation) {
        const start = m.index!;
        let quote = sentence.trim();
        if (quote.length > 200) {
          const first = sentence.search(DEADLINE);
          const s = Math.max(0, sentence.lastIndexOf(" ", Math.max(0, first - 60)) + 1);
          quote = sentence.slice(s, s + 200);
          quote = quote.slice(0, quote.lastIndexOf(" ")).trim();
        }
        void start;
        citation = { file: file || "kế hoạch", section: p.section, quote };
      }
    }
  }
  const rules: ReportingRules = {
    monthlyBeforeDay: found.monthly ? clampDay(found.monthly.day) : DEFAULTS.monthlyBeforeDay,
    quarterlyBeforeDay: found.quarterly ? clampDay(found.quarterly.day) : DEFAULTS.quarterlyBeforeDay,
    yearlyBefore: found.yearly ? { day: found.yearly.day, month: found.yearly.month! } : DEFAULTS.yearlyBefore,
    ...(found["half-yearly"] ? { halfYearlyBefore: { day: clampDay(found["half-yearly"].day) } } : {}),
    ...(citation ? { citation } : {}),
  };
  const stated = (["monthly", "quarterly", "half-yearly", "yearly"] as const).filter((r) => found[r]);
  return { rules, citation, found: stated.length > 0, stated };
}
