/**
 * Retrieval and answer quality over tests/retrieval/eval-set.json, for our engine and for a plain
 * BM25 baseline (MiniSearch's default tokenizer: no folding, no bigrams, no abbreviations).
 *
 *   const report = await evaluate(await createQaEngine({}), loadEvalSet());
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

export function loadEvalSet(file = EVAL_SET): EvalItem[] {
  return JSON.parse(readFileSync(file, "utf8")) as EvalItem[];
}

export interface EvalReport {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  keyFact: number;
  citationAccuracy: number;
  refusalAccuracy: number;
  falseDeclines: number;
  badCitations: number;
  failures: string[];
}

interface Ranked {
  file: string;
  section: string;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function rankOf(hits: Ranked[], item: EvalItem): number {
  const i = hits.findIndex((h) => item.citations.some((c) => c.file === h.file && c.section === h.section));
  return i < 0 ? Infinity : i + 1;
}

/** Score any system given its ranking and answering functions. */
export async function scoreSystem(
  items: EvalItem[],
  search: (q: string) => Ranked[] | Promise<Ranked[]>,
  ask: (q: string) => Promise<QaResult>,
  duplicateTexts: string,
): Promise<EvalReport> {
  const answerable = items.filter((i) => i.expect === "answered");
  const declines = items.filter((i) => i.expect !== "answered");
  let r1 = 0;
  let r5 = 0;
  let rr = 0;
  let facts = 0;
  let cites = 0;
  let falseDeclines = 0;
  let badCitations = 0;
  const failures: string[] = [];
  for (const item of answerable) {
    const rank = rankOf(await search(item.question), item);
    if (rank <= 1) r1++;
    if (rank <= 5) r5++;
    if (rank !== Infinity) rr += 1 / rank;
    const res = await ask(item.question);
    if (res.status !== "answered") falseDeclines++;
    const factOk = res.status === "answered" && item.fact !== null && fold(res.answer).includes(fold(item.fact));
    if (factOk) facts++;
    const citeOk = res.citations.some((c) => item.citations.some((e) => e.file === c.file && e.section === c.section));
    if (citeOk) cites++;
    const seen = new Set<string>();
    for (const c of res.citations) {
      const q = fold(c.quote).replace(/ …$/, "");
      if (isGarbled(c.quote) || seen.has(q) || (c.file.startsWith("000_") && duplicateTexts.includes(q))) badCitations++;
      seen.add(q);
    }
    if (rank > 5 || !factOk || !citeOk) failures.push(`${item.question} → rank ${rank}, fact ${factOk}, cite ${citeOk}`);
  }
  let declinedOk = 0;
  for (const item of declines) {
    const res = await ask(item.question);
    if (res.status === item.expect) declinedOk++;
    else failures.push(`${item.question} → ${res.status}, expected ${item.expect}`);
  }
  const n = answerable.length || 1;
  return {
    questions: items.length,
    recallAt1: round(r1 / n),
    recallAt5: round(r5 / n),
    mrr: round(rr / n),
    keyFact: round(facts / n),
    citationAccuracy: round(cites / n),
    refusalAccuracy: round(declinedOk / (declines.length || 1)),
    falseDeclines,
    badCitations,
    failures,
  };
}

/** Folded text of the better extraction of a duplicated plan (001), to spot citations of its duplicate. */
export function canonicalDuplicateText(dir = PLANS_DIR): string {
  const f = path.join(dir, "001_3eb15a9a7d9006f6.txt");
  return fold(readFileSync(f, "utf8"));
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
