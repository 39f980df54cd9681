/**
 * Rule-based extraction of draft catalog entries from a plan text, for an official to review.
 *
 * It finds target bullets with figures ("100%", "≥ 90", "trên 50%", "tối thiểu mức độ 2",
 * "ít nhất 6 trường") in the "MỤC TIÊU" sections, numbered targets "(1)…(16)", strongly worded
 * targets elsewhere ("tập huấn cho 100% …", "tối thiểu ở mức độ 2"), and rows of appendix tables
 * of targets (markdown, tab-separated or HTML-ish, rows broken across page breaks joined).
 * Each draft carries a verbatim citation and a confidence.
 *
 *   const drafts = extractDrafts(readFileSync(path, "utf8"), "001_3eb15a9a7d9006f6.txt");
 *   drafts[0].threshold  // { op: "=", value: 100, unit: "%", text: "100%" }
 *
 * With OPENAI_API_KEY set, {@link extractDraftsRefined} may ask a model to tidy the drafts
 * (prompts/catalog-extract.md); anything it returns is validated and quotes are re-checked.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fold } from "../text.ts";
import { createLlmClient } from "../llm/client.ts";
import { readBlocks, type Paragraph, type TableRow } from "./extract/blocks.ts";
import {
  findFigures,
  inferLevels,
  inferMeasure,
  parseThresholdCell,
  subjectOf,
  suggestFrequency,
  suggestQuestion,
  lowerFirst,
  type Figure,
} from "./extract/infer.ts";
import { z } from "zod";
import { CatalogEntry, CatalogEntryFields, Citation, Frequency, Level, Measure, Rollup, Threshold } from "./schema.ts";

/**
 * A draft catalog entry: a CatalogEntry without code/plan (the official assigns them) and with
 * fields the rules could not infer left out, plus:
 *  - `confidence` 0–1: how sure the rules are that this is a measurable target read right;
 *  - `source`: where it was found ("table" = appendix of targets, "objectives" = MỤC TIÊU bullet,
 *    "numbered" = "(n)" target, "prose" = a strongly worded target elsewhere, "task" = a task table row);
 *  - `alsoIn`: other places stating the same target (e.g. the I.2 bullet repeated in Phụ lục 1).
 */
export interface DraftEntry {
  target: string;
  question: string;
  short: string;
  measure?: Measure;
  threshold?: Threshold;
  unitThreshold?: Threshold;
  rollup?: Rollup;
  levels: Level[];
  frequency: Frequency;
  deadline?: string;
  owner?: string;
  citation: Citation;
  alsoIn?: Citation[];
  source: "table" | "objectives" | "numbered" | "prose" | "task";
  confidence: number;
  /** The figure already reached, from an appendix column such as "Thực hiện năm 2026". */
  baseline?: number;
}

const QUOTE_MAX = 200;
const QUOTE_MIN = 20;

/** Words that make a sentence outside MỤC TIÊU a target worth drafting. */
const STRONG = /(cho|đảm bảo|bảo đảm|yêu cầu|tới|tại)\s+100\s*%|tối thiểu (ở )?mức độ \d|mức \d trở lên/i;

/** Clean a target for display: drop footnote marks glued to words ("đào tạo1") and bullets. */
export function cleanTarget(s: string): string {
  return s
    .replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+/g, "")
    .replace(/(?<=(?:^|\s)[a-zà-ỹđ]{2,})\d{1,2}(?=[\s,.;:)]|$)/gu, "")
    .replace(/^[\s\-+•*–]+/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function shortLabel(target: string): string {
  let s = cleanTarget(subjectOf(target.replace(/^\(\d+\)\s*/, "")));
  s = s.charAt(0).toUpperCase() + s.slice(1);
  s = s.replace(/[\s,;:.]+$/, "");
  if (s.length > 60) s = s.slice(0, s.lastIndexOf(" ", 57)).replace(/[,;:]$/, "") + "…";
  return s || target.slice(0, 60);
}

const tokens = (s: string) => new Set(fold(s).split(/[^a-z0-9%]+/).filter((t) => t.length > 1));

/** Token Jaccard similarity of two texts (folded, punctuation ignored). */
export function jaccard(a: string, b: string): number {
  const A = tokens(a);
  const B = tokens(b);
  let both = 0;
  for (const t of A) if (B.has(t)) both++;
  return both / Math.max(1, A.size + B.size - both);
}

/** Cut [start, end) of `text` to a verbatim quote of at most 200 chars inside one segment. */
function quoteWindow(p: Paragraph, start: number, end: number, anchor: number): string {
  const seg = p.segments.find(([a, b]) => anchor >= a && anchor < b) ?? p.segments[0] ?? [0, p.text.length];
  let s = Math.max(start, seg[0]);
  let e = Math.min(end, seg[1]);
  if (e - s > QUOTE_MAX) {
    if (anchor - s > 150) {
      s = anchor - 100;
      const sp = p.text.indexOf(" ", s);
      if (sp > 0 && sp < anchor) s = sp + 1;
    }
    e = Math.min(e, s + QUOTE_MAX);
    const cut = p.text.lastIndexOf(" ", e);
    if (e < seg[1] && cut > anchor) e = cut;
  }
  if (e - s < QUOTE_MIN) {
    s = Math.max(seg[0], Math.min(s, e - QUOTE_MAX));
    e = Math.min(seg[1], s + QUOTE_MAX);
  }
  return p.text.slice(s, e).replace(/^[\s\-+•*–]+/, "").replace(/\s+$/, "");
}

/** Split a clause at each figure that starts a new target ("90% A tại Sở và 80% B", "100% X, 100% Y"). */
function pieces(clause: string, figures: Figure[]): Array<{ start: number; end: number; figure: Figure }> {
  const out: Array<{ start: number; end: number; figure: Figure }> = [];
  figures.forEach((f, i) => {
    const prev = out[out.length - 1];
    const between = prev ? clause.slice(prev.figure.index + prev.figure.length, f.index) : "";
    if (prev && /(,|\svà\s|;)\s*$/.test(between) && !/mức/.test(f.threshold.text)) {
      prev.end = f.index;
      out.push({ start: f.index, end: clause.length, figure: f });
    } else if (!prev) {
      out.push({ start: 0, end: clause.length, figure: f });
    } else if (i > 0 && f.kind === "percent" && prev.figure.kind === "level") {
      // "mức độ 2 … ≥ 90%": the percentage is the across-unit threshold
      prev.figure = { ...prev.figure, threshold: f.threshold };
    } else if (i > 0 && f.kind === "level" && (prev.figure.kind === "percent" || prev.figure.kind === "count") && !prev.figure.unitThreshold) {
      // "ít nhất 90% trường … đạt mức độ 2 trở lên", "ít nhất 05 trường đạt mức 3": what each unit must
      // reach is the level; the percentage or count of units is the across-unit threshold
      prev.figure = { ...prev.figure, kind: "level", levelMax: f.levelMax, unitThreshold: f.unitThreshold };
    }
  });
  return out;
}

/** The phrase naming what is counted: after the figure ("90% giáo viên …") or before it ("Tỷ lệ … đạt trên 50%"). */
function phraseFor(piece: string, f: Figure, offset: number): string {
  const at = f.index - offset;
  const after = piece.slice(at + f.length).trim();
  const before = piece.slice(0, at);
  const useBefore = !after || /^(ở|[,.;)(])/.test(after) || (at > 15 && /(đạt|đạt trung bình|trung bình)\s*$/i.test(before.trim()));
  if (useBefore) {
    return before.replace(/\s*(đạt|trung bình|được)\s*(trung bình)?\s*$/i, "").replace(/^.*?(Tỷ lệ|Tỉ lệ|Tỉ trọng|Tỷ trọng)\s+/i, "");
  }
  // "Triển khai nền tảng X tới 100% cơ sở giáo dục nhằm …": the units are the object, the verb comes before
  if (at > 15 && /(cho|tới|đến)\s*$/i.test(before) && /^(các )?(cơ sở giáo dục|trường|đơn vị)[^,;]*?\s(nhằm|để)\s/i.test(after)) {
    return "cơ sở giáo dục " + lowerFirst(before.replace(/\s*(cho|tới|đến)\s*$/i, "").replace(/^[\s\-+•*–]+/, "").trim());
  }
  return piece.slice(at);
}

function draftFromPhrase(opts: {
  target: string;
  phrase: string;
  figure?: Figure;
  threshold?: Threshold;
  citation: Citation;
  source: DraftEntry["source"];
  deadline?: string;
  owner?: string;
  levelsText: string;
  base: number;
  baseline?: number;
}): DraftEntry {
  const { measure, rollup, inferred } = inferMeasure(opts.phrase, opts.figure);
  const lv = inferLevels(opts.levelsText);
  const threshold = opts.threshold ?? opts.figure?.threshold;
  const d: DraftEntry = {
    target: cleanTarget(opts.target),
    question: "",
    short: measure.type === "level" && opts.figure ? `Mức độ chuyển đổi số (${opts.figure.unitThreshold?.text ?? opts.figure.threshold.text})`.slice(0, 60) : shortLabel(opts.phrase || opts.target),
    measure,
    threshold,
    unitThreshold: opts.figure?.unitThreshold ?? (measure.type === "percent" && threshold ? threshold : undefined),
    rollup,
    levels: lv.levels,
    frequency: suggestFrequency(measure, lv.levels),
    deadline: opts.deadline,
    owner: opts.owner,
    citation: opts.citation,
    source: opts.source,
    confidence: 0,
    baseline: opts.baseline,
  };
  if (measure.type === "percent" && threshold) {
    d.threshold = { op: "=", value: 100, unit: "%", text: threshold.text };
  }
  if (measure.type === "boolean" && rollup === "count_yes" && threshold && threshold.unit !== "count") {
    d.threshold = { ...threshold, unit: "count" };
  }
  d.question = suggestQuestion(measure, cleanTarget(opts.figure?.kind === "perUnit" ? opts.figure.counted ?? opts.phrase : opts.phrase), lv.levels);
  d.confidence = Math.min(0.95, opts.base + (threshold ? 0.15 : 0) + (inferred ? 0.1 : 0) + (lv.inferred ? 0.05 : 0));
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as unknown as DraftEntry;
}

/** The verb part of a target phrase ("được quản lý bằng hồ sơ số…"), to complete "100% người học, 100% nhà giáo được …". */
function predicateOf(phrase: string): string {
  return phrase.match(/\s((được|có|đã|sử dụng|tham gia|triển khai|áp dụng|thực hiện)\s.*)$/)?.[1] ?? "";
}

/** Phrases for each piece; a bare subject ("100% người học,") borrows the last piece's predicate. */
function piecePhrases(text: string, list: ReturnType<typeof pieces>): string[] {
  const phrases = list.map((pc) => phraseFor(text.slice(pc.start, pc.end), pc.figure, pc.start));
  const last = phrases[phrases.length - 1] ?? "";
  const pred = predicateOf(last);
  return phrases.map((ph, i) => {
    const bare = subjectOf(ph).replace(/[\s,;]+(và)?\s*$/, "");
    if (!bare) return i > 0 ? phrases[i - 1]! : ph;
    if (i < phrases.length - 1 && pred && bare.split(" ").length <= 5 && !predicateOf(bare)) return `${bare} ${pred}`;
    return ph;
  });
}

function fromParagraph(p: Paragraph, file: string): DraftEntry[] {
  const out: DraftEntry[] = [];
  const inTargets = p.inObjectives;
  if (!inTargets && !STRONG.test(p.text)) return out;
  const numbered = /^\(\d{1,2}\)/.test(p.text) || !!p.label;
  const section = p.label ? `${p.section}, chỉ tiêu ${p.label}` : p.section;
  const source: DraftEntry["source"] = !inTargets ? "prose" : numbered ? "numbered" : "objectives";
  const base = inTargets ? 0.55 : 0.35;
  // clauses: split at ";" and at sentence ends
  const re = /[^;.]+(?:\.(?=\d)[^;.]*)*[;.]?/g;
  for (const m of p.text.matchAll(re)) {
    const clause = m[0];
    const cs = m.index!;
    const figures = findFigures(clause);
    if (!figures.length) continue;
    if (!inTargets && !STRONG.test(clause)) continue;
    const list = pieces(clause, figures);
    const phrases = piecePhrases(clause, list);
    for (const [k, pc] of list.entries()) {
      const piece = clause.slice(pc.start, pc.end);
      const phrase = phrases[k]!;
      const quote = quoteWindow(p, cs, cs + clause.length, cs + pc.figure.index);
      if (quote.length < 8) continue;
      out.push(
        draftFromPhrase({
          target: clause.length < 25 ? p.text : clause,
          phrase,
          figure: pc.figure,
          citation: { file, section, quote },
          source,
          deadline: p.year ? `Năm ${p.year}` : undefined,
          levelsText: piece,
          base,
        }),
      );
    }
  }
  return out;
}

const col = (header: string[], re: RegExp) => header.findIndex((h) => re.test(fold(h)));

/** A column of figures already reached: "Thực hiện năm 2026", "Ước thực hiện 2026", "Kết quả năm 2025". */
const BASELINE_COL = /^(so lieu |gia tri )?(uoc )?(thuc hien|ket qua|hien trang|uoc dat|da dat)( nam| den nam| den)? ?(20\d\d)?$/;
/** A column of target values: "Chỉ tiêu năm 2027", "Kế hoạch năm 2027", "Mức đạt 2026", "Giá trị", "Năm 2027". */
const TARGET_COL = /^(chi tieu|ke hoach|muc dat|muc tieu|gia tri|muc phan dau|phan dau)( can dat)?( nam| giai doan| den nam| den)? ?(20\d\d)?|^(nam )?20\d\d$|^chi tieu (nam|20)/;

/**
 * Which columns of an appendix header hold what. The target value column is chosen by its header
 * ("Chỉ tiêu năm 2027", "Kế hoạch năm 2027", "Mức đạt 2026"; the latest year when several), never
 * the first number; a "Thực hiện năm 2026" column is the baseline.
 */
export function tableColumns(h: string[]): { text: number; value: number; baseline: number; unit: number; owner: number; deadline: number } {
  const f = h.map((c) => fold(c).replace(/[()*:]/g, "").trim());
  const baseline = f.findIndex((c) => BASELINE_COL.test(c));
  const yearOf = (i: number) => Number(f[i]!.match(/20\d\d/)?.[0] ?? 0);
  const valueCands = f.map((c, i) => i).filter((i) => i > 0 && i !== baseline && TARGET_COL.test(f[i]!) && f[i] !== "chi tieu" && !/noi dung|ten chi tieu/.test(f[i]!));
  const value = valueCands.length ? valueCands.reduce((a, b) => (yearOf(b) > yearOf(a) ? b : a)) : -1;
  // the target's wording: "Chỉ tiêu", "Nội dung chỉ tiêu", "Tên chỉ tiêu" (a bare "Nội dung" is a task table)
  const text = f.findIndex((c, i) => i !== value && i !== baseline && /chi tieu/.test(c));
  return {
    text,
    value,
    baseline,
    unit: f.findIndex((c) => /don vi tinh|^dvt$|^don vi$/.test(c)),
    owner: f.findIndex((c) => /chu tri/.test(c)),
    deadline: f.findIndex((c) => /thoi gian/.test(c)),
  };
}

function fromRow(r: TableRow, file: string, planYear?: string): DraftEntry[] {
  const label = r.cells[0] ?? "";
  if (!/^\d{1,3}$/.test(label)) return [];
  const h = r.header;
  const cols = tableColumns(h);
  let targetCol = cols.text;
  const isTargets = targetCol >= 0 || h.every((c) => !c);
  if (targetCol < 0) targetCol = isTargets ? 1 : col(h, /nhiem vu/);
  if (targetCol < 0) targetCol = 1;
  // A row narrower than its header (PDF tables lose or merge cells): the figures sit at the right end,
  // so columns right of the target's wording are aligned from the right; a lost unit column is
  // read from a stray unit left in the wording ("… an % toàn …") or from a unit subject ("Trường …").
  const narrow = h.length > r.cells.length && cols.value > 0 && !/\d/.test(r.cells[cols.value] ?? "");
  const shift = narrow ? h.length - r.cells.length : 0;
  const at = (c: number) => (c < 0 ? -1 : shift && c > targetCol ? (c - shift > targetCol ? c - shift : -1) : c);
  const unitCol = at(cols.unit);
  const levelCol = at(cols.value);
  const baselineCol = at(cols.baseline);
  const lostUnit = shift > 0 && cols.unit > targetCol && unitCol < 0;
  const strayPercent = lostUnit && /\s%(?=\s|$)/.test(r.cells[targetCol] ?? "");
  const unitCell = lostUnit ? (strayPercent ? "%" : /^(trường|cơ sở|đơn vị)/i.test(r.cells[targetCol] ?? "") ? "Trường" : "%") : (r.cells[unitCol] ?? "%");
  const ownerCol = cols.owner;
  const deadlineCol = cols.deadline;
  const baselineCell = baselineCol >= 0 ? (r.cells[baselineCol] ?? "").match(/^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$/) : null;
  const baseline = baselineCell ? Number(baselineCell[1]!.replace(",", ".")) : undefined;
  const target = strayPercent ? (r.cells[targetCol] ?? "").replace(/\s%(?=\s|$)/, "") : (r.cells[targetCol] ?? "");
  if (!target) return [];
  const section = `${r.table}, dòng ${label}`;
  const firstCell = r.firstLineCells[targetCol] ?? target;
  const quoteOf = (anchor = 0) => {
    if (r.format === "markdown" && r.firstLine.length <= QUOTE_MAX) return r.firstLine;
    let q = firstCell;
    if (q.length > QUOTE_MAX) {
      const s = Math.max(0, anchor - 30);
      const start = s > 0 ? q.indexOf(" ", s) + 1 : 0;
      q = q.slice(start, start + QUOTE_MAX);
      q = q.slice(0, q.lastIndexOf(" "));
    }
    return q;
  };
  const year = (h[levelCol] ?? "").match(/20\d\d/)?.[0] ?? planYear;
  const deadline = deadlineCol >= 0 && r.cells[deadlineCol] ? r.cells[deadlineCol] : year ? `Năm ${year}` : undefined;
  const owner = ownerCol >= 0 && r.cells[ownerCol] ? r.cells[ownerCol] : undefined;

  if (!isTargets) {
    // task tables: only rows stating a measurable figure, as low-confidence drafts
    const cell = r.cells.find((c) => /\d+\s*%/.test(c));
    const fig = cell ? findFigures(cell)[0] : undefined;
    if (!cell || !fig) return [];
    const q = r.firstLineCells.find((c) => c.includes(fig.threshold.text)) ?? firstCell;
    const d = draftFromPhrase({
      target: `${target} — ${cell}`, phrase: `cơ sở giáo dục ${lowerFirst(target)}`, figure: { ...fig, kind: "percent" },
      citation: { file, section, quote: q.length > QUOTE_MAX ? q.slice(0, q.lastIndexOf(" ", QUOTE_MAX)) : q },
      source: "task", deadline, owner, levelsText: `${target} ${cell}`, base: 0.15,
    });
    return [d];
  }

  const cellThreshold = levelCol >= 0 ? parseThresholdCell(r.cells[levelCol] ?? "", unitCell) : undefined;
  if (cellThreshold) {
    const inText = findFigures(target);
    const levelFig = inText.find((f) => f.kind === "level");
    const fig: Figure = levelFig
      ? { ...levelFig, threshold: cellThreshold }
      : { index: 0, length: 0, kind: cellThreshold.unit === "count" ? "count" : "percent", threshold: cellThreshold };
    return [
      draftFromPhrase({
        target, phrase: target, figure: fig, threshold: cellThreshold,
        citation: { file, section, quote: quoteOf() }, source: "table", deadline, owner, levelsText: target, base: 0.7, baseline,
      }),
    ];
  }
  const figures = findFigures(target);
  if (!figures.length) {
    // a row of a targets table without a figure ("đảm bảo các tỷ lệ chung của tỉnh"): still a target,
    // asked yes/no of each unit, met when every unit says yes; the threshold text is the plan's wording
    const stated = target.match(/(đảm bảo|bảo đảm|đạt|theo)\s[^,.;]{4,60}$/i)?.[0] ?? target.match(/(đảm bảo|bảo đảm)\s[^,.;]{4,60}/i)?.[0];
    const yesNo: Figure = { index: 0, length: 0, kind: "percent", threshold: { op: "=", value: 100, unit: "%", text: stated ?? "toàn bộ đơn vị (kế hoạch không nêu số)" } };
    const d = draftFromPhrase({ target, phrase: target, figure: yesNo, citation: { file, section, quote: quoteOf() }, source: "table", deadline, owner, levelsText: target, base: 0.3 });
    const { unitThreshold: _unused, ...rest } = d;
    return [{ ...rest, measure: { type: "boolean" }, rollup: "share_yes", question: suggestQuestion({ type: "boolean" }, cleanTarget(target), d.levels) }];
  }
  const list = pieces(target, figures);
  const phrases = piecePhrases(target, list);
  return list.map((pc, k) =>
    draftFromPhrase({
      target, phrase: phrases[k]!, figure: pc.figure,
      citation: { file, section, quote: quoteOf(pc.figure.index) }, source: "table", deadline, owner,
      levelsText: target.slice(pc.start, pc.end), base: 0.7,
    }),
  );
}

const SOURCE_RANK: Record<DraftEntry["source"], number> = { table: 4, numbered: 3, objectives: 3, prose: 1, task: 0 };

/** Same target stated twice (I.2 bullet and Phụ lục 1 row, or II.4 repeating I.2.4)? */
function sameTarget(a: DraftEntry, b: DraftEntry): boolean {
  if (a.threshold?.value !== b.threshold?.value) return false;
  // two pieces of one clause ("100% người học, 100% nhà giáo …") are different targets
  if (a.citation.section === b.citation.section && a.citation.quote === b.citation.quote) return false;
  const ka = a.measure?.type === "ratio" ? a.measure.denominatorKey : a.measure?.type;
  const kb = b.measure?.type === "ratio" ? b.measure.denominatorKey : b.measure?.type;
  if (ka !== kb && a.measure?.type === "ratio" && b.measure?.type === "ratio") return false;
  if (JSON.stringify(a.levels) !== JSON.stringify(b.levels) && (a.levels.includes("so") || b.levels.includes("so"))) return false;
  return jaccard(a.citation.quote, b.citation.quote) >= 0.5 || jaccard(a.target, b.target) >= 0.6;
}

/** Merge duplicates: keep the better-sourced draft (appendix row over bullet), remember the other in `alsoIn`. */
function dedupe(drafts: DraftEntry[]): DraftEntry[] {
  const out: DraftEntry[] = [];
  for (const d of drafts) {
    const i = out.findIndex((e) => sameTarget(e, d));
    if (i < 0) {
      out.push(d);
      continue;
    }
    const e = out[i]!;
    const [keep, drop] = SOURCE_RANK[d.source] > SOURCE_RANK[e.source] ? [d, e] : [e, d];
    out[i] = {
      ...keep,
      deadline: keep.deadline ?? drop.deadline,
      owner: keep.owner ?? drop.owner,
      alsoIn: [...(keep.alsoIn ?? []), drop.citation, ...(drop.alsoIn ?? [])],
      confidence: Math.min(0.95, Math.max(keep.confidence, drop.confidence) + 0.05),
    };
  }
  return out;
}

/**
 * Draft catalog entries from a plan text (offline, rule-based). `file` is the plan file name used
 * in citations, e.g. "003_5c924ab1db1e40a2.txt".
 */
export function extractDrafts(text: string, file: string): DraftEntry[] {
  const blocks = readBlocks(text);
  const prose = blocks.paragraphs.flatMap((p) => fromParagraph(p, file));
  const table = blocks.rows.flatMap((r) => fromRow(r, file, blocks.planYear));
  // appendix rows first: they are the plan's own list of targets; bullets repeating them merge in
  return dedupe([...table, ...prose]);
}

// ---------------------------------------------------------------------------------------------
// Optional LLM refinement (only with OPENAI_API_KEY). Never required; failures fall back.

const PROMPT_FILE = fileURLToPath(new URL("../../prompts/catalog-extract.md", import.meta.url));

/** What a refined draft must satisfy: the catalog entry's own fields (same zod schema), without code and plan. */
const RefinedDraft = CatalogEntryFields.omit({ code: true, plan: true });

/**
 * The model's output format (OpenAI structured output, strict JSON schema). Strict mode wants every
 * property present, so optional catalog fields are nullable here; nulls are dropped before each draft
 * is validated against {@link RefinedDraft} and the catalog's cross-field rules.
 */
const WireMeasure = z.union([
  z.object({ type: z.literal("ratio"), numerator: z.string(), denominator: z.string(), denominatorKey: z.string().nullable() }),
  z.object({ type: z.literal("percent") }),
  z.object({ type: z.literal("count"), unit: z.string() }),
  z.object({ type: z.literal("boolean") }),
  z.object({ type: z.literal("level"), min: z.number().int(), max: z.number().int() }),
]);
const WireThreshold = z.object({ op: Threshold.shape.op, value: z.number(), unit: Threshold.shape.unit, text: z.string() });
export const LlmDrafts = z.object({
  drafts: z.array(
    z.object({
      target: z.string(),
      question: z.string(),
      short: z.string(),
      measure: WireMeasure,
      threshold: WireThreshold,
      unitThreshold: WireThreshold.nullable(),
      rollup: Rollup,
      levels: z.array(Level),
      frequency: Frequency,
      deadline: z.string().nullable(),
      owner: z.string().nullable(),
      citation: z.object({ file: z.string(), section: z.string(), quote: z.string() }),
    }),
  ),
});

const normalize = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

/** Drop null properties, recursively (the wire format's stand-in for "absent"). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  return v;
}

/** A model draft that was not kept, and why: its quote is not in the plan text, or it breaks the schema. */
export interface DroppedDraft {
  target: string;
  quote?: string;
  reason: "quote_not_in_text" | "invalid";
  detail?: string;
}

/** Result of a refinement attempt: which path produced the drafts, and why the model was not used. */
export interface ExtractResult {
  drafts: DraftEntry[];
  refinedBy: "rules" | "llm";
  /**
   * Why the rules' drafts were kept although a model is configured: the call failed (its error) or
   * it returned no valid draft. bot/messages/drafts.ts extractNoteText words it with `dropped`.
   */
  fallback?: { kind: "model_failed"; error: string } | { kind: "model_empty" };
  /** Model drafts dropped (quote not found verbatim in the text, or invalid). */
  dropped?: DroppedDraft[];
}

/**
 * Check the model's drafts: each must satisfy the catalog schema (fields and cross-field rules) and
 * quote the plan verbatim (after NFC and whitespace normalization). Returns kept and dropped drafts.
 */
export function checkModelDrafts(raw: unknown[], text: string): { kept: DraftEntry[]; dropped: DroppedDraft[] } {
  const haystack = normalize(text);
  const kept: DraftEntry[] = [];
  const dropped: DroppedDraft[] = [];
  for (const item of raw) {
    const clean = withoutNulls(item) as Record<string, unknown>;
    const target = typeof clean?.target === "string" ? clean.target : "(không rõ)";
    const parsed = RefinedDraft.safeParse(clean);
    const whole = parsed.success ? CatalogEntry.safeParse({ ...parsed.data, code: "XX-01", plan: "draft" }) : undefined;
    if (!parsed.success || !whole?.success) {
      const issues = (parsed.success ? whole!.error! : parsed.error).issues;
      dropped.push({ target, reason: "invalid", detail: issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
      continue;
    }
    if (!haystack.includes(normalize(parsed.data.citation.quote))) {
      dropped.push({ target, quote: parsed.data.citation.quote, reason: "quote_not_in_text" });
      continue;
    }
    kept.push({ ...parsed.data, source: "objectives", confidence: 0.8 });
  }
  return { kept, dropped };
}

/**
 * Rule-based drafts, then (only when OPENAI_API_KEY is set) a model pass that may correct
 * measures, questions and thresholds and add targets the rules missed. The model answers in a
 * strict JSON schema (structured output); every draft is validated with the catalog's zod schema
 * and its quote must occur verbatim in the text, otherwise it is dropped and reported in `dropped`.
 * Whenever the model fails or returns nothing valid, the rule-based drafts are returned.
 * OPENAI_BASE_URL and OPENAI_MODEL (default "gpt-4o-mini") are optional.
 */
export async function extractDraftsRefined(text: string, file: string, env = process.env): Promise<ExtractResult> {
  const drafts = extractDrafts(text, file);
  if (!env.OPENAI_API_KEY) return { drafts, refinedBy: "rules" };
  try {
    const { zodResponseFormat } = await import("openai/helpers/zod");
    const client = await createLlmClient({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined });
    const system = readFileSync(PROMPT_FILE, "utf8");
    const res = await client.chat.completions.create({
      model: env.OPENAI_MODEL || "gpt-4o-mini",
      temperature: 0,
      response_format: zodResponseFormat(LlmDrafts, "catalog_drafts"),
      messages: [
        { role: "system", content: system },
        { role: "user", content: JSON.stringify({ file, drafts, text: text.slice(0, 60_000) }) },
      ],
    });
    const body = JSON.parse(res.choices[0]?.message?.content ?? "{}") as { drafts?: unknown };
    const { kept, dropped } = checkModelDrafts(Array.isArray(body.drafts) ? body.drafts : [], text);
    if (!kept.length) return { drafts, refinedBy: "rules", fallback: { kind: "model_empty" }, dropped };
    return { drafts: kept, refinedBy: "llm", dropped };
  } catch (error) {
    return { drafts, refinedBy: "rules", fallback: { kind: "model_failed", error: error instanceof Error ? error.message : String(error) } };
  }
}

export { extractReportingRules, type ReportingRulesResult, type Rhythm } from "./extract/reporting.ts";
