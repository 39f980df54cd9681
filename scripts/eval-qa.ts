/**
 * npm run eval:qa — plan Q&A quality on the development set (tests/retrieval/eval-set.json,
 * heldout-set.json and dev-2.json, the team's own questions, tuned on) and on held-out set 2 (tests/retrieval/heldout-2.json,
 * written from the plan texts before tuning and frozen), set 3 (tests/retrieval/heldout-3.json: written as a held-out set,
 * but refusals have since been tuned on it, so it is no longer held out) and set 4 (tests/retrieval/heldout-4.json:
 * written as a held-out set from the plans' appendix rows and from what principals, commune officials and parents ask,
 * frozen; tuned on since 1/12/2026, so it is no longer held out),
 * ours beside a plain BM25 baseline, and the tuning set tune-body (tests/retrieval/tune-body.json: questions from the
 * plans' body text typed as in a phone chat, tuned on), and set 5 (tests/retrieval/heldout-5.json: 122 questions
 * written on 1/12/2026 by a writer who never saw the engine, from the plans' body text and chat-style phrasing;
 * written as held-out, frozen, measured once (1/12/2026: first line 0.786, false refusals 9/70, refused 47/52), tuned on since: its misses print like the other tuned-on sets; the deciding figures come from a fresh set 6).
 * Set 6 (tests/retrieval/heldout-6.json: 86 questions written on 1/12/2026 by a writer who never saw the engine,
 * in the users' own words — paraphrases and synonyms rather than the plans' wording): written as held-out, frozen, measured once (1/12/2026: first line 0.457, false refusals 17/46, refused 37/40), tuned on since.
 * The issue's targets are still printed for it; its misses print like the other tuned-on sets'.
 * Set 7 (tests/retrieval/heldout-7.json: 88 questions written on 1/12/2026 by a writer who never saw the engine,
 * in the users' own words): written as held-out, frozen, measured once (1/12/2026: first line 0.702, false refusals 5/47,
 * refused 34/41), tuned on since. The issue's targets are still printed for it; its misses print like the other tuned-on sets'.
 * Set 8 (tests/retrieval/heldout-8.json: 89 questions written on 1/12/2026 by a writer who never saw the engine,
 * half in the users' own words and half in the plans' vocabulary): written as held-out, frozen before any engine ran on it,
 * measured once (1/12/2026: first line 0.837, false refusals 3/49, refused 36/40), tuned on since. The issue's targets
 * are still printed for it; its misses print like the other tuned-on sets'. Held-out 2's misses print only with --show-heldout.
 * Set 9 (tests/retrieval/heldout-9.json: 93 questions written on 1/12/2026 by a writer who never saw the engine, from
 * passages sampled at random across the five plans, mixed styles): written as held-out, frozen before any engine ran on
 * it, measured once on the code before and after the set-8 tuning (first line 0.736 → 0.755, false refusals 2/53 → 2/53,
 * refused 33/40 → 34/40), tuned on since. Its misses print like the other tuned-on sets'.
 * Held-out set 10 (tests/retrieval/heldout-10.json: 91 questions written on 1/12/2026 by another writer who never saw
 * the engine, persona first: what a focal point, a commune official, a department specialist, a parent and a citizen
 * would ask this month, checked against the plans; frozen before any engine ran on it, never tuned on) is the honest
 * figure: the issue's targets are judged on it, and its misses print only with --show-heldout.
 * Ends with one JSON line of the figures (keys heldout4…heldout10 kept for the scripts that read them).
 */
import { fileURLToPath } from "node:url";
import { createQaEngine } from "../core/retrieval/engine.ts";
import { QA_WORDS } from "../bot/messages/qa.ts";
import { ConfigError, loadConfig } from "../core/config.ts";
import { configErrorText } from "../bot/messages/config.ts";
import {
  baselineSystem,
  DEV2_SET,
  HELDOUT3_SET,
  TUNE3_SET,
  evaluateDev,
  evaluateHeldout,
  loadDevSet,
  loadHeldout2,
  scoreDev,
  scoreHeldout,
  type EvalReport,
} from "../core/retrieval/evaluate.ts";

const verbose = process.argv.includes("--verbose");
const dev = loadDevSet();
const dev2 = loadHeldout2(DEV2_SET);
const heldout = loadHeldout2();
const heldout3 = loadHeldout2(HELDOUT3_SET);
const tune3 = loadHeldout2(TUNE3_SET);
/** Set 4: written as held-out and frozen, tuned on since 1/12/2026 (its misses print with --show-heldout, as held-out 2's do). */
const HELDOUT4_SET = fileURLToPath(new URL("../tests/retrieval/heldout-4.json", import.meta.url));
const heldout4 = loadHeldout2(HELDOUT4_SET);
/** tune-body: questions from the plans' body text, typed as in a phone chat; written before tuning, then tuned on. */
const TUNEBODY_SET = fileURLToPath(new URL("../tests/retrieval/tune-body.json", import.meta.url));
const tuneBody = loadHeldout2(TUNEBODY_SET);
/** Set 5: written as held-out, frozen, measured once (1/12/2026: first line 0.786, false refusals 9/70, refused 47/52), tuned on since (its misses print like the other tuned-on sets'). */
const HELDOUT5_SET = fileURLToPath(new URL("../tests/retrieval/heldout-5.json", import.meta.url));
const heldout5 = loadHeldout2(HELDOUT5_SET);
/** Set 6: written as held-out, frozen, measured once (1/12/2026: first line 0.457, false refusals 17/46, refused 37/40), tuned on since (its misses print like the other tuned-on sets'). */
const HELDOUT6_SET = fileURLToPath(new URL("../tests/retrieval/heldout-6.json", import.meta.url));
const heldout6 = loadHeldout2(HELDOUT6_SET);
/** Set 7: written as held-out, frozen, measured once (1/12/2026: first line 0.702, false refusals 5/47, refused 34/41), tuned on since (its misses print like the other tuned-on sets'). */
const HELDOUT7_SET = fileURLToPath(new URL("../tests/retrieval/heldout-7.json", import.meta.url));
const heldout7 = loadHeldout2(HELDOUT7_SET);
/** Set 8: written as held-out, frozen, measured once (1/12/2026: first line 0.837, false refusals 3/49, refused 36/40), tuned on since (its misses print like the other tuned-on sets'). */
const HELDOUT8_SET = fileURLToPath(new URL("../tests/retrieval/heldout-8.json", import.meta.url));
const heldout8 = loadHeldout2(HELDOUT8_SET);
/** Set 9: written as held-out, frozen, measured once, tuned on since (its misses print like the other tuned-on sets'). */
const heldout9 = loadHeldout2(fileURLToPath(new URL("../tests/retrieval/heldout-9.json", import.meta.url)));
/** Held-out set 10: frozen, never tuned on (its misses print only with --show-heldout). */
const heldout10 = loadHeldout2(fileURLToPath(new URL("../tests/retrieval/heldout-10.json", import.meta.url)));
const engine = await createQaEngine({ words: QA_WORDS });
const base = baselineSystem();

const results: Record<string, EvalReport> = {
  dev: await evaluateDev(engine, dev, dev2),
  devBaseline: await scoreDev(dev, dev2, base.search, base.ask),
  heldout: await evaluateHeldout(engine, heldout),
  heldoutBaseline: await scoreHeldout(heldout, base.search, base.ask),
  tune3: await evaluateHeldout(engine, tune3),
  heldout3: await evaluateHeldout(engine, heldout3),
  heldout3Baseline: await scoreHeldout(heldout3, base.search, base.ask),
  heldout4: await evaluateHeldout(engine, heldout4),
  heldout4Baseline: await scoreHeldout(heldout4, base.search, base.ask),
  tuneBody: await evaluateHeldout(engine, tuneBody),
  heldout5: await evaluateHeldout(engine, heldout5),
  heldout5Baseline: await scoreHeldout(heldout5, base.search, base.ask),
  heldout6: await evaluateHeldout(engine, heldout6),
  heldout6Baseline: await scoreHeldout(heldout6, base.search, base.ask),
  heldout7: await evaluateHeldout(engine, heldout7),
  heldout7Baseline: await scoreHeldout(heldout7, base.search, base.ask),
  heldout8: await evaluateHeldout(engine, heldout8),
  heldout8Baseline: await scoreHeldout(heldout8, base.search, base.ask),
  heldout9: await evaluateHeldout(engine, heldout9),
  heldout9Baseline: await scoreHeldout(heldout9, base.search, base.ask),
  heldout10: await evaluateHeldout(engine, heldout10),
  heldout10Baseline: await scoreHeldout(heldout10, base.search, base.ask),
};

const rows: Array<[string, keyof EvalReport]> = [
  ["Recall@1", "recallAt1"],
  ["Recall@5", "recallAt5"],
  ["MRR", "mrr"],
  ["Key fact present", "keyFact"],
  ["Key fact in the first line", "keyFactFirstLine"],
  ["Citation accuracy", "citationAccuracy"],
  ["False-refusal rate", "falseRefusalRate"],
  ["Refusal accuracy", "refusalAccuracy"],
  ["Refusal reason right", "reasonAccuracy"],
  ["Garbled/duplicate citations", "badCitations"],
];
const d = results.dev!;
const h = results.heldout!;
const h3 = results.heldout3!;
const t3 = results.tune3!;
const h4 = results.heldout4!;
console.log(
  `Development: ${d.questions} questions (${d.answerable} answerable) · tuning 3: ${t3.questions} (${t3.answerable} answerable) · held-out 2: ${h.questions} questions (${h.answerable} answerable) · set 3 (was held-out, now tuned on): ${h3.questions} questions (${h3.answerable} answerable)\n`,
);
const col = (s: string) => s.padStart(12);
console.log(`${"metric".padEnd(30)}${col("dev")}${col("dev BM25")}${col("tuning 3")}${col("held-out 2")}${col("h-o 2 BM25")}${col("set 3*")}${col("set 3 BM25")}`);
for (const [name, key] of rows)
  console.log(
    `${name.padEnd(30)}${col(String(d[key] ?? "–"))}${col(String(results.devBaseline![key] ?? "–"))}${col(String(t3[key] ?? "–"))}${col(String(h[key] ?? "–"))}${col(String(results.heldoutBaseline![key] ?? "–"))}${col(String(h3[key] ?? "–"))}${col(String(results.heldout3Baseline![key] ?? "–"))}`,
  );
console.log("* set 3 (was held-out, now tuned on)");

const met = (ok: boolean) => (ok ? "met" : "NOT met");
const targets = (name: string, r: EvalReport) =>
  `Targets on ${name}: Recall@5 ≥ 0.95 ${met(r.recallAt5 >= 0.95)}; key fact in the first line ≥ 0.85 ${met(r.keyFactFirstLine >= 0.85)}; ` +
  `false refusals ≤ 5% ${met(r.falseRefusalRate <= 0.05)}; out-of-scope refused 100% ${met(r.refusalAccuracy >= 1)}`;
/** One set's own section: its title and counts, the metric rows (beside the plain BM25 baseline when given), the targets when named. */
function section(title: string, what: string, r: EvalReport, cols: [string, string?], baseline?: EvalReport, targetsOf?: string) {
  console.log(`\n${title}: ${r.questions} questions${what} (${r.answerable} answerable, ${r.questions - r.answerable} to decline)`);
  console.log(`${"metric".padEnd(30)}${col(cols[0])}${cols[1] ? col(cols[1]) : ""}`);
  for (const [name, key] of rows) console.log(`${name.padEnd(30)}${col(String(r[key] ?? "–"))}${baseline ? col(String(baseline[key] ?? "–")) : ""}`);
  if (targetsOf) console.log(targets(targetsOf, r));
}
// Sets 4–9 were written as held-out and frozen, measured once, then tuned on; held-out set 10 is the one the issue's
// targets are judged on. The JSON keys stay heldout4…heldout10 for the scripts that read them.
section("Set 4 (written as held-out, frozen; tuned on since 1/12/2026)", "", h4, ["held-out 4", "h-o 4 BM25"], results.heldout4Baseline);
const tb = results.tuneBody!;
section("tune-body (tuned on)", " from the plans' body text", tb, ["tune-body"]);
/** Sets 5–9: written as held-out, frozen, measured once (the figures in brackets), tuned on since; then held-out 10. */
const laterSets: Array<[n: number, measuredOnce: string | null, what: string]> = [
  [5, "1/12/2026: first line 0.786, false refusals 9/70, refused 47/52", " from the plans' body text, typed as in a chat"],
  [6, "1/12/2026: first line 0.457, false refusals 17/46, refused 37/40", " in the users' own words"],
  [7, "1/12/2026: first line 0.702, false refusals 5/47, refused 34/41", " in the users' own words"],
  [8, "1/12/2026: first line 0.837, false refusals 3/49, refused 36/40", ", half in the users' own words"],
  [9, "1/12/2026, after the set-8 tuning: first line 0.755, false refusals 2/53, refused 34/40", " from passages sampled at random"],
  [10, null, ", persona first"],
];
for (const [n, once, what] of laterSets) {
  const r = results[`heldout${n}`]!;
  const baseline = results[`heldout${n}Baseline`];
  if (once) section(`Set ${n} (written as held-out, frozen, measured once (${once}), tuned on since)`, what, r, [`set ${n}`, `set ${n} BM25`], baseline, `set ${n} (tuned on)`);
  else section(`Held-out set ${n} (frozen, never tuned on)`, what, r, [`held-out ${n}`, `h-o ${n} BM25`], baseline, `held-out ${n}`);
}
const set = (n: number): EvalReport => results[`heldout${n}`]!;
// held-out 2's and held-out 10's misses are printed only on request
const showHeldout = process.argv.includes("--show-heldout");
// sets 3–9 are tuned on now, so their misses print like the development set's
for (const [name, r] of [["development", d], ["tuning 3", t3], ["set 3", h3], ["set 4", h4], ["tune-body", tb], ["set 5", set(5)], ["set 6", set(6)], ["set 7", set(7)], ["set 8", set(8)], ["set 9", set(9)], ...(showHeldout ? [["held-out 2", h] as const, ["held-out 10", set(10)] as const] : [])] as const)
  if (r.failures.length) console.log(`\nMisses (${name}):\n${(verbose ? r.failures : r.failures.slice(0, 40)).map((f) => `  - ${f}`).join("\n")}`);

const figures: Record<string, unknown> = {};
for (const [k, r] of Object.entries(results)) {
  const { failures: _f, ...rest } = r;
  figures[k] = rest;
}

// Dense retrieval is measured only when an embedding model is configured (never offline).
// the same validated config (.env included) as npm start; an invalid one is worded for the operator
const llm = (() => {
  try {
    return loadConfig().llm;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(configErrorText(e));
    process.exit(2);
  }
})();
if (llm?.embeddingModel) {
  const lexicalOnly = { ...llm, model: undefined };
  for (const fusion of ["weighted", "rrf"] as const) {
    const { failures: _f, ...r } = await evaluateHeldout(await createQaEngine({ llm: lexicalOnly, fusion, words: QA_WORDS }), heldout);
    console.log(`dense + lexical (${fusion}), held-out: Recall@5 ${r.recallAt5}, key fact ${r.keyFact}, first line ${r.keyFactFirstLine}`);
    figures[`dense_${fusion}`] = r;
  }
} else console.log("\n(Dense retrieval not measured: set OPENAI_API_KEY and OPENAI_EMBEDDING_MODEL to compare weighted fusion with RRF.)");
console.log(JSON.stringify(figures));
