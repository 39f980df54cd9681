/**
 * Retrieval and answer quality over tests/retrieval/eval-set.json, for our engine and for a plain
 * BM25 baseline (MiniSearch's default tokenizer: no folding, no bigrams, no abbreviations).
 *
 *   const report = await evaluate(await createQaEngine({ words: QA_WORDS }), loadEvalSet());
 *   report.recallAt5   // share of answerable questions with an expected passage in the top 5
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import { PLANS_DIR } from "../catalog/index.ts";
import { fold } from "../text.ts";
import type { QaEngine, QaResult } from "./engine.ts";
import { planFiles } from "./ingest.ts";
import { isGarbled, parsePlan } from "./parse.ts";

export interface EvalItem {
  question: string;
  expect: "answered" | "no_context" | "refused";
  citations: Array<{ file: string; section: string }>;
  fact: string | null;
  tags: string[];
}

export const EVAL_SET = fileURLToPath(new URL("../../tests/retrieval/eval-set.json", import.meta.url));

/** Questions written after tuning stopped, never tuned on. */
export const HELDOUT_SET = fileURLToPath(new URL("../../tests/retrieval/heldout-set.json", import.meta.url));
/** The development set: the team's eval set plus its first held-out set (written by the same hand). */
export function loadDevSet(): EvalItem[] {
  return [...loadEvalSet(EVAL_SET), ...loadEvalSet(HELDOUT_SET)];
}

export function loadEvalSet(file = EVAL_SET): EvalItem[] {
  return JSON.parse(readFileSync(file, "utf8")) as EvalItem[];
}

/**
 * Held-out set 2 (tests/retrieval/heldout-2.json), written from the plan texts before tuning and frozen:
 * `files` and `facts` entries may list alternatives separated by "|"; every entry is required
 * (a comparison needs each plan's file and fact). 000 and 001 are the same plan (Ninh Bình 27/KH-SGDĐT).
 */
export interface HeldoutItem {
  id: string;
  question: string;
  expect: "answered" | "declined";
  files: string[];
  facts: string[];
  /** Why a declined question must be declined: smalltalk, out_of_scope, report_data, personal_data, school_matter. */
  reason: string | null;
  source: string | null;
  persona: string;
  tags: string[];
}

export const HELDOUT2_SET = fileURLToPath(new URL("../../tests/retrieval/heldout-2.json", import.meta.url));

/** Held-out set 3: out-of-scope near-misses and answerable questions written from the plans before refusal tuning, frozen. */
export const HELDOUT3_SET = fileURLToPath(new URL("../../tests/retrieval/heldout-3.json", import.meta.url));

/** Refusal-calibration tuning subset: near-miss out-of-scope and answerable questions, tuned on (unlike set 3). */
export const TUNE3_SET = fileURLToPath(new URL("../../tests/retrieval/tune-3.json", import.meta.url));

/** Development questions in the held-out format (compare, document facts, terms, declines), tuned on. */
export const DEV2_SET = fileURLToPath(new URL("../../tests/retrieval/dev-2.json", import.meta.url));

export function loadHeldout2(file = HELDOUT2_SET): HeldoutItem[] {
  return JSON.parse(readFileSync(file, "utf8")) as HeldoutItem[];
}

export interface EvalReport {
  questions: number;
  answerable: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  keyFact: number;
  /** Key fact(s) in the answer's lead: its first line, or for a comparison its first paragraph. */
  keyFactFirstLine: number;
  citationAccuracy: number;
  /** Declines (out of scope, refused) that were declined. */
  refusalAccuracy: number;
  /** Answerable questions refused, and their share of the answerable ones. */
  falseDeclines: number;
  falseRefusalRate: number;
  /** Of the declines with an expected reason, the share whose result carried that reason. */
  reasonAccuracy: number | null;
  badCitations: number;
  failures: string[];
}

interface Ranked {
  file: string;
  section: string;
}

/** One question in a form both sets share. */
interface Case {
  question: string;
  answerable: boolean;
  /** Each group must appear in the top 5 (any of its alternatives). */
  need: Array<(h: Ranked) => boolean>;
  /** Each fact group must appear (any alternative). */
  facts: string[][];
  reason: string | null;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const SAME_PLAN: Record<string, string> = { "000_c42f861d772fd98b.txt": "001_3eb15a9a7d9006f6.txt" };
const canonicalFile = (f: string) => SAME_PLAN[f] ?? f;

function casesOfDev(items: EvalItem[]): Case[] {
  return items.map((i) => ({
    question: i.question,
    answerable: i.expect === "answered",
    need: [(h: Ranked) => i.citations.some((c) => c.file === h.file && c.section === h.section)],
    facts: i.fact ? [[i.fact]] : [],
    reason: null,
  }));
}

function casesOfHeldout(items: HeldoutItem[]): Case[] {
  return items.map((i) => ({
    question: i.question,
    answerable: i.expect === "answered",
    need: i.files.map((g) => {
      const alts = g.split("|").map(canonicalFile);
      return (h: Ranked) => alts.includes(canonicalFile(h.file));
    }),
    facts: i.facts.map((f) => f.split("|")),
    reason: i.reason,
  }));
}

/** The answer's lead: the first line, or the first paragraph when several facts (plans) are expected. */
function leadOf(answer: string, facts: number): string {
  const t = answer.trim();
  return facts > 1 ? t.split(/\n\s*\n/)[0]! : t.split("\n")[0]!;
}

const hasAll = (text: string, facts: string[][]) => facts.length > 0 && facts.every((alts) => alts.some((f) => fold(text).includes(fold(f))));

async function scoreCases(
  cases: Case[],
  search: (q: string) => Ranked[] | Promise<Ranked[]>,
  ask: (q: string) => Promise<QaResult>,
  duplicateTexts: string,
): Promise<EvalReport> {
  const answerable = cases.filter((i) => i.answerable);
  const declines = cases.filter((i) => !i.answerable);
  let r1 = 0;
  let r5 = 0;
  let rr = 0;
  let facts = 0;
  let lead = 0;
  let cites = 0;
  let falseDeclines = 0;
  let badCitations = 0;
  const failures: string[] = [];
  for (const item of answerable) {
    const hits = await search(item.question);
    const rankOf = (need: (h: Ranked) => boolean) => {
      const i = hits.findIndex(need);
      return i < 0 ? Infinity : i + 1;
    };
    const rank = Math.max(...item.need.map(rankOf));
    if (rank <= 1) r1++;
    if (rank <= 5) r5++;
    if (rank !== Infinity) rr += 1 / rank;
    const res = await ask(item.question);
    if (res.status !== "answered") falseDeclines++;
    const factOk = res.status === "answered" && hasAll(res.answer, item.facts);
    if (factOk) facts++;
    const leadOk = res.status === "answered" && hasAll(leadOf(res.answer, item.facts.length), item.facts);
    if (leadOk) lead++;
    const citeOk = item.need.every((n) => res.citations.some((c) => n(c)));
    if (citeOk) cites++;
    const seen = new Set<string>();
    for (const c of res.citations) {
      const q = fold(c.quote).replace(/ …$/, "");
      if (isGarbled(c.quote) || seen.has(q) || (c.file.startsWith("000_") && duplicateTexts.includes(q))) badCitations++;
      seen.add(q);
    }
    if (rank > 5 || !factOk || !leadOk || !citeOk)
      failures.push(`${item.question} → ${res.status}, rank ${rank}, fact ${factOk}, lead ${leadOk}, cite ${citeOk}`);
  }
  let declinedOk = 0;
  let reasons = 0;
  let reasonsOk = 0;
  for (const item of declines) {
    const res = await ask(item.question);
    if (res.status !== "answered") declinedOk++;
    else failures.push(`${item.question} → answered, expected a decline`);
    if (item.reason) {
      reasons++;
      if (res.reason === item.reason) reasonsOk++;
      else if (res.status !== "answered") failures.push(`${item.question} → declined as ${res.reason ?? res.status}, expected ${item.reason}`);
    }
  }
  const n = answerable.length || 1;
  return {
    questions: cases.length,
    answerable: answerable.length,
    recallAt1: round(r1 / n),
    recallAt5: round(r5 / n),
    mrr: round(rr / n),
    keyFact: round(facts / n),
    keyFactFirstLine: round(lead / n),
    citationAccuracy: round(cites / n),
    refusalAccuracy: round(declinedOk / (declines.length || 1)),
    falseDeclines,
    falseRefusalRate: round(falseDeclines / n),
    reasonAccuracy: reasons ? round(reasonsOk / reasons) : null,
    badCitations,
    failures,
  };
}

/** Score any system on the development set format, given its ranking and answering functions. */
export async function scoreSystem(
  items: EvalItem[],
  search: (q: string) => Ranked[] | Promise<Ranked[]>,
  ask: (q: string) => Promise<QaResult>,
  duplicateTexts: string,
): Promise<EvalReport> {
  return scoreCases(casesOfDev(items), search, ask, duplicateTexts);
}

/** Score any system on the whole development set: both formats together. */
export async function scoreDev(
  items: EvalItem[],
  more: HeldoutItem[],
  search: (q: string) => Ranked[] | Promise<Ranked[]>,
  ask: (q: string) => Promise<QaResult>,
): Promise<EvalReport> {
  return scoreCases([...casesOfDev(items), ...casesOfHeldout(more)], search, ask, canonicalDuplicateText());
}

/** Score any system on held-out set 2. */
export async function scoreHeldout(
  items: HeldoutItem[],
  search: (q: string) => Ranked[] | Promise<Ranked[]>,
  ask: (q: string) => Promise<QaResult>,
): Promise<EvalReport> {
  return scoreCases(casesOfHeldout(items), search, ask, canonicalDuplicateText());
}

/** Folded text of the better extraction of a duplicated plan (001), to spot citations of its duplicate. */
export function canonicalDuplicateText(dir = PLANS_DIR): string {
  const f = path.join(dir, "001_3eb15a9a7d9006f6.txt");
  return fold(readFileSync(f, "utf8"));
}

export async function evaluateDev(engine: QaEngine, items: EvalItem[], more: HeldoutItem[]): Promise<EvalReport> {
  return scoreDev(items, more, (q) => engine.search(q, { limit: 10 }), (q) => engine.ask(q));
}

export async function evaluateHeldout(engine: QaEngine, items: HeldoutItem[]): Promise<EvalReport> {
  return scoreHeldout(items, (q) => engine.search(q, { limit: 10 }), (q) => engine.ask(q));
}

export async function evaluate(engine: QaEngine, items: EvalItem[]): Promise<EvalReport> {
  return scoreSystem(
    items,
    (q) => engine.search(q, { limit: 10 }),
    (q) => engine.ask(q),
    canonicalDuplicateText(),
  );
}

/**
 * The baseline: every passage of every file (no duplicate or garbled handling beyond parsing),
 * MiniSearch with its default tokenizer and processTerm (lowercase only, no diacritic folding).
 * Its "answer" is the top passage; it declines only when nothing matches.
 */
export function baselineSystem(dir = PLANS_DIR) {
  const chunks = planFiles(dir)
    .filter((f) => f.endsWith(".txt"))
    .flatMap((full) => parsePlan(path.basename(full), readFileSync(full, "utf8")).chunks.map((c) => ({ ...c, file: path.basename(full) })));
  const mini = new MiniSearch({ fields: ["text"], storeFields: ["file", "sectionPath", "text", "label"] });
  mini.addAll(chunks);
  const search = (q: string): Ranked[] =>
    mini.search(q).slice(0, 10).map((r) => ({ file: r.file as string, section: r.sectionPath as string }));
  const ask = async (q: string): Promise<QaResult> => {
    const top = mini.search(q)[0];
    if (!top) return { status: "no_context", answer: "", citations: [] };
    return {
      status: "answered",
      answer: String(top.text),
      citations: [{ file: String(top.file), label: String(top.label), section: String(top.sectionPath), quote: String(top.text), chunkId: String(top.id) }],
    };
  };
  return { search, ask };
}
