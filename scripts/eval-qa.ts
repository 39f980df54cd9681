/**
 * npm run eval:qa — retrieval and answer quality over tests/retrieval/eval-set.json, ours and a plain
 * BM25 baseline side by side. Ends with one JSON line of the figures.
 */
import { createQaEngine } from "../core/retrieval/engine.ts";
import { baselineSystem, canonicalDuplicateText, evaluate, loadEvalSet, scoreSystem, type EvalReport } from "../core/retrieval/evaluate.ts";

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
console.log(JSON.stringify({ ours: o, baseline: b }));
