/**
 * Offline, rule-based reading of an official's question into a structured query.
 *
 *   parseOfficialQuestion("Đơn vị nào chưa báo cáo tháng này?", { now })
 *     // { kind: "late", period: "2026-03", ... }
 *   parseOfficialQuestion("truong nao chua dat chi tieu chu ky so", { now, catalog })
 *     // { kind: "progress", indicators: ["TK-01"], belowOnly: true, period: "2026-03", ... }
 *
 * Works with and without diacritics (everything is matched on fold()ed text). Relative periods
 * ("tháng này", "quý trước", "năm ngoái") are resolved in Vietnam time. OFFICIAL_TOOLS describes
 * the same queries for LLM function calling: the model picks a tool and its arguments, never SQL.
 */
import { fold, nfc } from "../text.ts";
import type { Catalog } from "../catalog/index.ts";
import {
  currentPeriod,
  formatPeriod,
  FREQUENCY_KIND,
  halfPeriod,
  monthPeriod,
  parsePeriod,
  previousPeriod,
  quarterPeriod,
  vietnamParts,
  yearPeriod,
  type Period,
  type PeriodKind,
} from "../reporting/periods.ts";

export type OfficialQueryKind = "late" | "progress" | "history" | "export" | "nudge";

export interface OfficialQuery {
  kind: OfficialQueryKind;
  /** Period key: "2026-03", "2026-Q1", "2026-H1", "2026". */
  period: string;
  periodLabel: string;
  /** True when the question named no period and a default was chosen. */
  periodDefaulted: boolean;
  /** Catalog codes the question is about (progress/history); absent = all. */
  indicators?: string[];
  level?: string;
  /** A commune (or other unit) named in the question, e.g. "xã Tân Kỳ". */
  area?: { name: string; code?: string };
  /** A unit named for its history. */
  unit?: { name: string; code?: string };
  /** Progress from approved reports only ("đã duyệt"). */
  approvedOnly?: boolean;
  /** Only units/indicators below target ("chưa đạt"). */
  belowOnly?: boolean;
  /** Export format. */
  format?: "xlsx" | "csv";
}

export interface UnclearQuery {
  kind: "unclear";
  /** What could not be read: "kind" (what is asked), "unit" (whose history). The bot then offers example questions (bot/messages/officials.ts OFFICIAL_SUGGESTIONS). */
  missing: string[];
}

export interface ParseOptions {
  now?: Date;
  /** Used to match indicators by their short label, target and question. */
  catalog?: Catalog;
  /** Only match indicators of these plans (the official's effective plans); default: all plans. */
  planIds?: readonly string[];
  /** Units that can be named (communes for areas, schools for history). */
  units?: Array<{ code: string; name: string; kind?: string }>;
}

/** Phrases (folded) that decide what is asked; the first kind whose phrase occurs wins. */
const KIND_PHRASES: Array<[OfficialQueryKind, RegExp]> = [
  ["export", /\b(xuat|excel|xlsx|csv|tai ve|tai file|bang tinh|file)\b/],
  ["nudge", /\b(nhac|nhac nho|don doc|doc thuc|thuc giuc|gui loi nhac)\b/],
  [
    "late",
    /\b(tinh hinh (bao cao|nop bao cao)|chua (bao cao|nop|gui|hoan thanh bao cao)|tre han|nop (muon|tre|cham)|qua han|dung han|ty le bao cao|ti le bao cao|da nop|thieu bao cao|khong bao cao|bao cao (muon|tre|cham)|(con )?no (so lieu|bao cao))\b/,
  ],
  ["history", /\b(lich su|qua cac (ky|thang|quy|nam)|cac ky truoc|theo thoi gian|dien bien|xu huong)\b/],
  [
    "progress",
    /\b(chi tieu|tien do|ty le|ti le|dat|bao nhieu|ket qua|tong hop|muc do|so lieu|thong ke|toan (xa|tinh|huyen|phuong))\b/,
  ],
];

const BELOW = /\b(chua dat|khong dat|duoi (chi tieu|muc|nguong)|chua hoan thanh|thap nhat|con thieu|chua du)\b/;

const LEVEL_PHRASES: Array<[string, RegExp]> = [
  ["mn", /\b(mam non|mau giao|nha tre)\b/],
  ["th", /\btieu hoc\b/],
  ["thcs", /\b(thcs|trung hoc co so)\b/],
  ["thpt", /\b(thpt|trung hoc pho thong)\b/],
  ["gdtx", /\b(gdtx|giao duc thuong xuyen|gdnn ?- ?gdtx)\b/],
];

/** Words that never identify an indicator (question words, periods, levels, places). */
const STOP_PHRASES = [
  "don vi nao", "truong nao", "xa nao", "nhung truong", "cac truong", "cac don vi", "nhung don vi", "co bao nhieu",
  "bao nhieu", "the nao", "ra sao", "nhu the nao", "chua dat", "khong dat", "da dat", "chi tieu", "tien do", "ty le",
  "ti le", "ket qua", "toan xa", "toan tinh", "toan huyen", "toan phuong", "thang nay", "thang truoc", "quy nay",
  "quy truoc", "6 thang dau nam", "6 thang cuoi nam", "sau thang dau nam", "sau thang cuoi nam", "nua dau nam",
  "nua cuoi nam", "nam nay", "nam ngoai", "nam truoc", "tieu hoc", "mam non", "trung hoc co so", "trung hoc pho thong",
  "giao duc thuong xuyen", "hien nay", "hien tai", "cho toi", "cho biet", "xem", "muc do",
];
const STOP_WORDS = new Set([
  "nao", "la", "gi", "cua", "cho", "va", "cac", "nhung", "o", "tai", "trong", "da", "chua", "co", "khong", "bao",
  "nhieu", "thang", "quy", "nam", "xa", "phuong", "dat", "ve", "the", "sao", "toi", "biet", "thcs", "thpt", "gdtx",
  "i", "ii", "iii", "iv", "duoc", "mot", "hay", "voi", "theo", "nay", "truoc", "ngoai",
]);
const SYNONYMS: Array<[RegExp, string]> = [
  [/\bcks\b/g, "chu ky so"],
  [/\bai\b/g, "tri tue nhan tao"],
  [/\bttkdtm\b/g, "thanh toan khong dung tien mat"],
  [/\bcsdl\b/g, "co so du lieu"],
  [/\bcntt\b/g, "cong nghe thong tin"],
];

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/** Fold and keep only letters, digits, "/" and "-" separated by single spaces. */
function clean(text: string): string {
  return fold(nfc(text))
    .replace(/[^a-z0-9/\-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Read a period from folded text; null when none is named. */
export function parsePeriodPhrase(f: string, now: Date): Period | null {
  const { year: thisYear, month: thisMonth } = vietnamParts(now);
  const cur = (k: PeriodKind) => currentPeriod(k, now);
  if (/\bthang nay\b/.test(f)) return cur("month");
  if (/\bthang (truoc|vua qua|roi)\b/.test(f)) return previousPeriod(cur("month"));
  if (/\bquy nay\b/.test(f)) return cur("quarter");
  if (/\bquy (truoc|vua qua|roi)\b/.test(f)) return previousPeriod(cur("quarter"));
  // "6 tháng đầu năm 2027", "sáu tháng cuối năm nay", "nửa đầu năm", "6 tháng đầu năm ngoái".
  // ("học kỳ" is left alone: school terms run Sept–Jan and Jan–May, not calendar halves.)
  let h = /\b(?:6|sau) thang (dau|cuoi) nam\b(?:\s*(?:\/|-)?\s*(20\d{2}|nay|ngoai|truoc))?/.exec(f) ??
    /\bnua (dau|cuoi) nam\b(?:\s*(?:\/|-)?\s*(20\d{2}|nay|ngoai|truoc))?/.exec(f);
  if (h) {
    const half = h[1] === "dau" ? 1 : 2;
    const named = h[2];
    // a half named without a year is the latest one that has begun: "6 tháng cuối năm" asked in May is last year's
    const year = named === "nay" ? thisYear : named === "ngoai" || named === "truoc" ? thisYear - 1 : named ? Number(named)
      : half === 2 && thisMonth <= 6 ? thisYear - 1 : thisYear;
    return halfPeriod(year, half);
  }
  h = /\b(20\d{2})-h([12])\b/.exec(f);
  if (h) return halfPeriod(Number(h[1]), Number(h[2]));
  let m = /\bquy (iv|iii|ii|i|[1-4])\b(?:\s*(?:\/|-|nam)\s*(\d{4}))?/.exec(f);
  if (m) {
    const q = ROMAN[m[1]!] ?? Number(m[1]);
    return quarterPeriod(m[2] ? Number(m[2]) : thisYear, q);
  }
  m = /\bthang (\d{1,2})\b(?:\s*(?:\/|-|nam)\s*(\d{4}))?/.exec(f) ?? /\b(\d{1,2})\/(\d{4})\b/.exec(f);
  if (m) {
    const month = Number(m[1]);
    if (month >= 1 && month <= 12) {
      // A month named without a year is the latest one that has begun: "tháng 12" asked in January is last year's.
      const year = m[2] ? Number(m[2]) : month > thisMonth ? thisYear - 1 : thisYear;
      return monthPeriod(year, month);
    }
  }
  if (/\bnam nay\b/.test(f)) return cur("year");
  if (/\bnam (ngoai|truoc|roi)\b/.test(f)) return previousPeriod(cur("year"));
  m = /\b(?:nam )?(20\d{2})\b/.exec(f);
  if (m) return yearPeriod(Number(m[1]));
  return null;
}

/** Catalog codes whose short label, target or question share the question's topic words. */
export function matchIndicators(f: string, catalog: Catalog, planIds?: readonly string[], original?: string): string[] {
  const entries = planIds?.length ? catalog.entries.filter((e) => planIds.includes(e.plan)) : catalog.entries;
  const byCode = entries.filter((e) => new RegExp(`\\b${e.code.toLowerCase()}\\b`).test(f));
  if (byCode.length) return byCode.map((e) => e.code);
  let text = ` ${f} `;
  // "ai" is also the word "who": it means AI (trí tuệ nhân tạo) only when written "AI"
  const aiMeansAi = original === undefined || /\bAI\b/.test(original);
  for (const [re, to] of SYNONYMS) if (aiMeansAi || to !== "tri tue nhan tao") text = text.replace(re, to);
  for (const p of STOP_PHRASES) text = text.replaceAll(` ${p} `, " | ");
  // Content runs: consecutive non-stop words; topic bigrams come from within a run.
  const bigrams: string[] = [];
  for (const run of text.split("|")) {
    const words = run.split(" ").filter((w) => w && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
    for (let i = 0; i + 1 < words.length; i++) bigrams.push(`${words[i]} ${words[i + 1]}`);
  }
  if (!bigrams.length) return [];
  let best = 0;
  let found: string[] = [];
  for (const e of entries) {
    const short = ` ${clean(e.short)} `;
    const rest = ` ${clean(e.target)} ${clean(e.question)} `;
    let score = 0;
    for (const b of bigrams) {
      if (short.includes(` ${b} `)) score += 3;
      else if (rest.includes(` ${b} `)) score += 2;
    }
    if (score > best) {
      best = score;
      found = [e.code];
    } else if (score === best && score > 0) found.push(e.code);
  }
  return best > 0 ? found : [];
}

function stripUnitPrefix(name: string): string {
  return clean(name).replace(/^(ubnd |uy ban nhan dan )?(xa|phuong|thi tran|truong|phong gd ?& ?dt|phong gddt) /, "");
}

/** A school's own name without its level words: "Trường TH&THCS Sơn Ca" → "son ca". */
function schoolCore(name: string): string {
  return stripUnitPrefix(name)
    .replace(/^((mam non|mau giao|tieu hoc|trung hoc co so|trung hoc pho thong|th ?& ?thcs|thcs ?& ?thpt|thcs|thpt|th|mn|gdtx|pt dtnt|ptdtbt|lien cap)(?=\s|-|$)\s*(-\s*)?)+/, "")
    .trim();
}

/** A named unit: from the known list when given, else the words after "xã"/"phường". */
function findArea(f: string, original: string, units: ParseOptions["units"]): { name: string; code?: string } | undefined {
  for (const u of units ?? []) {
    if (u.kind && u.kind !== "commune" && u.kind !== "district") continue;
    const core = stripUnitPrefix(u.name);
    if (core && new RegExp(`\\b(xa|phuong|thi tran) ${core}\\b`).test(f)) return { name: u.name, code: u.code };
  }
  const words = nfc(original).split(/[\s,.;:?!()]+/).filter(Boolean);
  const folded = words.map((w) => fold(w));
  for (let i = 0; i < folded.length - 1; i++) {
    if (!["xa", "phuong"].includes(folded[i]!)) continue;
    const name: string[] = [];
    for (let j = i + 1; j < folded.length && name.length < 3; j++) {
      if (STOP_WORDS.has(folded[j]!) || /^\d/.test(folded[j]!) || ["toan", "quy", "thang", "nam"].includes(folded[j]!)) break;
      name.push(words[j]!);
    }
    if (name.length && name.some((w) => /^\p{Lu}/u.test(w))) {
      const label = `${words[i]!.toLowerCase()} ${name.join(" ")}`;
      return { name: label.charAt(0).toUpperCase() + label.slice(1) };
    }
  }
  return undefined;
}

/** A school or unit named in a history question: by code or by name. */
function findUnit(f: string, original: string, units: ParseOptions["units"]): { name: string; code?: string } | undefined {
  const code = /\b([A-Z]{2,6}-[A-Z0-9-]{2,})\b/.exec(original);
  if (code) return { name: code[1]!, code: code[1]! };
  let best: { name: string; code?: string } | undefined;
  let bestLen = 0;
  for (const u of units ?? []) {
    for (const core of [stripUnitPrefix(u.name), schoolCore(u.name)]) {
      if (core.length >= 3 && core.length > bestLen && new RegExp(`\\b${core.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(f)) {
        best = { name: u.name, code: u.code };
        bestLen = core.length;
      }
    }
  }
  return best;
}

/** What the plans SAY (a target's level, who is in charge, a rule), not how the units are doing. */
const PLAN_QUESTION = /\b(phai dat|can dat|la gi|theo ke hoach|ke hoach (quy dinh|yeu cau|de ra)|quy dinh|chiu trach nhiem|phu trach|ai theo doi|don vi nao theo doi|truoc ngay nao|binh dan hoc vu so|muc tieu (chung|cu the))\b/;

/** True for a question about the plans' content; the bot sends it to the plans Q&A instead. */
export function isPlanQuestion(text: string): boolean {
  const f = clean(text);
  return PLAN_QUESTION.test(f) && !KIND_PHRASES.some(([kind, re]) => kind !== "progress" && re.test(f));
}

/** Read an official's question; returns a query, or what is missing with suggestions. */
export function parseOfficialQuestion(text: string, options: ParseOptions = {}): OfficialQuery | UnclearQuery {
  const now = options.now ?? new Date();
  const f = clean(text);
  const indicators = options.catalog ? matchIndicators(f, options.catalog, options.planIds, text) : [];
  let kind = KIND_PHRASES.find(([, re]) => re.test(f))?.[0];
  if (!kind && indicators.length) kind = "progress";
  if (!kind) return { kind: "unclear", missing: ["kind"] };

  let period = parsePeriodPhrase(f, now);
  const periodDefaulted = period === null;
  if (!period) {
    // indicator words set the default period only where indicators matter (not for late lists or nudges)
    const relevant = kind === "late" || kind === "nudge" ? [] : indicators;
    const freqs = new Set(relevant.map((c) => options.catalog?.byCode.get(c)?.frequency));
    const only = freqs.size === 1 ? [...freqs][0] : undefined;
    period = currentPeriod(only ? FREQUENCY_KIND[only] : "month", now);
  }
  const query: OfficialQuery = { kind, period: period.key, periodLabel: formatPeriod(period), periodDefaulted };
  if (indicators.length && (kind === "progress" || kind === "history" || kind === "export")) query.indicators = indicators;
  const level = LEVEL_PHRASES.find(([, re]) => re.test(f))?.[0];
  if (level && kind !== "history") query.level = level;
  const area = findArea(f, text, options.units);
  if (area) query.area = area;
  if (BELOW.test(f) && kind === "progress") query.belowOnly = true;
  if (/\b(da duyet|duoc duyet)\b/.test(f) && kind === "progress") query.approvedOnly = true;
  if (kind === "export") query.format = /\bcsv\b/.test(f) ? "csv" : "xlsx";
  if (kind === "history") {
    const unit = findUnit(f, text, options.units);
    if (!unit) {
      return { kind: "unclear", missing: ["unit"] };
    }
    query.unit = unit;
  }
  return query;
}

/**
 * Tools for LLM function calling (OpenAI "tools" format). Each maps to one query function:
 * late_report → lateReport, progress_report → progressReport, unit_history → unitHistory,
 * export_report → buildWorkbook/buildCsv, nudge_units → the bot's nudge flow. The scope
 * ("under") is never a tool argument: the bot fills it from the official's own unit.
 */
export const OFFICIAL_TOOLS = [
  {
    type: "function",
    function: {
      name: "late_report",
      description: "Danh sách đơn vị chưa nộp / nộp trễ hạn và tỷ lệ báo cáo, tỷ lệ đúng hạn của một kỳ.",
      parameters: {
        type: "object",
        properties: {
          period: { type: "string", description: 'Kỳ báo cáo: "2026-03" (tháng), "2026-Q1" (quý), "2026-H1" (6 tháng đầu năm), "2026" (năm).' },
          level: { type: "string", enum: ["mn", "th", "thcs", "thpt", "gdtx"] },
          area: { type: "string", description: "Tên xã/phường được nhắc đến, nếu có." },
        },
        required: ["period"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "progress_report",
      description: "Tiến độ thực hiện các chỉ tiêu (tổng hợp theo đơn vị trong phạm vi), so với mức đạt của kế hoạch.",
      parameters: {
        type: "object",
        properties: {
          period: { type: "string", description: 'Kỳ báo cáo: "2026-03", "2026-Q1", "2026-H1" hoặc "2026".' },
          indicators: { type: "array", items: { type: "string" }, description: 'Mã chỉ tiêu, ví dụ "TK-03".' },
          level: { type: "string", enum: ["mn", "th", "thcs", "thpt", "gdtx"] },
          area: { type: "string" },
          belowOnly: { type: "boolean", description: "Chỉ các đơn vị chưa đạt." },
        },
        required: ["period"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "unit_history",
      description: "Kết quả báo cáo của một đơn vị qua các kỳ.",
      parameters: {
        type: "object",
        properties: {
          unit: { type: "string", description: "Mã hoặc tên đơn vị." },
          periods: { type: "array", items: { type: "string" } },
        },
        required: ["unit"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "export_report",
      description: "Xuất bảng tổng hợp một kỳ ra tệp Excel (xlsx) hoặc CSV.",
      parameters: {
        type: "object",
        properties: {
          period: { type: "string" },
          format: { type: "string", enum: ["xlsx", "csv"] },
        },
        required: ["period"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "nudge_units",
      description: "Gửi lời nhắc tới đầu mối của các đơn vị chưa nộp báo cáo kỳ này.",
      parameters: {
        type: "object",
        properties: { period: { type: "string" }, level: { type: "string", enum: ["mn", "th", "thcs", "thpt", "gdtx"] } },
        required: ["period"],
        additionalProperties: false,
      },
    },
  },
] as const;

const TOOL_KIND: Record<string, OfficialQueryKind> = {
  late_report: "late",
  progress_report: "progress",
  unit_history: "history",
  export_report: "export",
  nudge_units: "nudge",
};

/** Turn an LLM tool call into the same OfficialQuery the rule-based parser returns (validated). */
export function queryFromToolCall(name: string, args: Record<string, unknown>, now = new Date()): OfficialQuery | UnclearQuery {
  const kind = TOOL_KIND[name];
  if (!kind) return { kind: "unclear", missing: ["kind"] };
  let period: Period;
  try {
    period = typeof args.period === "string" ? parsePeriod(args.period) : currentPeriod("month", now);
  } catch {
    period = currentPeriod("month", now);
  }
  const q: OfficialQuery = {
    kind,
    period: period.key,
    periodLabel: formatPeriod(period),
    periodDefaulted: typeof args.period !== "string",
  };
  if (Array.isArray(args.indicators)) q.indicators = args.indicators.filter((x): x is string => typeof x === "string");
  if (typeof args.level === "string" && LEVEL_PHRASES.some(([l]) => l === args.level)) q.level = args.level;
  if (typeof args.area === "string" && args.area.trim()) q.area = { name: nfc(args.area) };
  if (args.belowOnly === true) q.belowOnly = true;
  if (args.format === "csv" || args.format === "xlsx") q.format = args.format;
  if (typeof args.unit === "string" && args.unit.trim()) q.unit = { name: nfc(args.unit) };
  if (kind === "history" && !q.unit) return { kind: "unclear", missing: ["unit"] };
  return q;
}

