/**
 * npm run eval:qa — retrieval and answer quality over tests/retrieval/eval-set.json, ours and a plain
 * BM25 baseline side by side. Ends with one JSON line of the figures.
 */
import { createQaEngine } from "../core/retrieval/engine.ts";
import { loadConfig } from "../core/config.ts";
import {
  HELDOUT_SET,
  baselineSystem,
  canonicalDuplicateText,
  evaluate,
  loadEvalSet,
  scoreSystem,
  type EvalReport,
} from "../core/retrieval/evaluate.ts";

const items = loadEvalSet();
const engine = await createQaEngine({});
const ours = await evaluate(engine, items);
const base = baselineSystem();
const baseline = await scoreSystem(items, base.search, base.ask, canonicalDuplicateText());

const rows: Array<[string, keyof EvalReport]> = [
  ["Recall@1", "recallAt1"],
  ["Recall@5", "recallAt5"],
  ["MRR", "mrr"],
  ["Key fact", "keyFact"],
  ["Citation accuracy", "citationAccuracy"],
  ["Refusal accuracy", "refusalAccuracy"],
  ["False declines", "falseDeclines"],
  ["Garbled/duplicate citations", "badCitations"],
];
console.log(`Eval set: ${items.length} questions (${items.filter((i) => i.expect === "answered").length} answerable)\n`);
console.log(`${"metric".padEnd(30)}${"ours".padStart(8)}${"BM25 baseline".padStart(16)}`);
for (const [name, key] of rows) console.log(`${name.padEnd(30)}${String(ours[key]).padStart(8)}${String(baseline[key]).padStart(16)}`);
if (ours.failures.length) console.log(`\nOur misses:\n${ours.failures.map((f) => `  - ${f}`).join("\n")}`);
const { failures: _a, ...o } = ours;
const { failures: _b, ...b } = baseline;
const figures: Record<string, unknown> = { ours: o, baseline: b };

// Held-out questions, written after tuning stopped on the main set and never tuned on.
const heldout = loadEvalSet(HELDOUT_SET);
const { failures: hf, ...h } = await evaluate(engine, heldout);
const { failures: _hb, ...hb } = await scoreSystem(heldout, base.search, base.ask, canonicalDuplicateText());
console.log(`\nHeld-out set (${heldout.length} questions): ours Recall@5 ${h.recallAt5}, key fact ${h.keyFact}, refusals ${h.refusalAccuracy}; baseline Recall@5 ${hb.recallAt5}, key fact ${hb.keyFact}`);
if (hf.length) console.log(hf.map((f) => `  - ${f}`).join("\n"));
figures.heldout = h;
figures.heldoutBaseline = hb;

// Dense retrieval is measured only when an embedding model is configured (never offline).
const llm = loadConfig().llm; // the same validated config (.env included) as npm start
if (llm?.embeddingModel) {
  const lexicalOnly = { ...llm, model: undefined };
  for (const fusion of ["weighted", "rrf"] as const) {
    const { failures: _f, ...r } = await evaluate(await createQaEngine({ llm: lexicalOnly, fusion }), items);
    console.log(`dense + lexical (${fusion}): Recall@1 ${r.recallAt1}, Recall@5 ${r.recallAt5}, MRR ${r.mrr}, key fact ${r.keyFact}`);
    figures[`dense_${fusion}`] = r;
  }
} else console.log("\n(Dense retrieval not measured: set OPENAI_API_KEY and OPENAI_EMBEDDING_MODEL to compare weighted fusion with RRF.)");
console.log(JSON.stringify(figures));
