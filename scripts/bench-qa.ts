/**
 * npm run bench:qa — start-up indexing time and p50/p95 latency of offline answering over the eval
 * questions (several rounds; medians reported). Ends with one JSON line of the figures.
 */
import { createQaEngine } from "../core/retrieval/engine.ts";
import { QA_WORDS } from "../bot/messages/qa.ts";
import { loadEvalSet } from "../core/retrieval/evaluate.ts";

const ROUNDS = 5;
const items = loadEvalSet();
const builds: number[] = [];
let engine = await createQaEngine({ words: QA_WORDS });
for (let i = 0; i < 3; i++) {
  engine = await createQaEngine({ words: QA_WORDS });
  builds.push(engine.indexMs);
}
// one warm-up pass (JIT), timed separately and reported as the cold figure
const cold: number[] = [];
for (const item of items) {
  const t = performance.now();
  await engine.ask(item.question);
  cold.push(performance.now() - t);
}
const times: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const item of items) {
    const t = performance.now();
    await engine.ask(item.question);
    times.push(performance.now() - t);
  }
}
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const r2 = (x: number) => Math.round(x * 100) / 100;
const figures = {
  indexMsMedian: r2(pct(builds, 50)),
  chunks: engine.chunkCount,
  questions: items.length,
  rounds: ROUNDS,
  p50Ms: r2(pct(times, 50)),
  p95Ms: r2(pct(times, 95)),
  coldP95Ms: r2(pct(cold, 95)),
};
console.log(`Index build (from data/plans/, median of ${builds.length}): ${figures.indexMsMedian} ms, ${figures.chunks} passages`);
console.log(`Offline answering over ${items.length} questions × ${ROUNDS} (after one warm-up pass): p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms`);
console.log(`First pass (cold JIT): p95 ${figures.coldP95Ms} ms`);
console.log(JSON.stringify(figures));
