import { createQaEngine } from "../core/retrieval/engine.ts";
const qa = await createQaEngine({});
for (const q of process.argv.slice(2)) {
  const r = await qa.ask(q);
  console.log("Q:", q, "→", r.status, r.reason ?? "");
  console.log(r.answer.slice(0, 1500));
  const hits = await qa.search(q, { limit: 6 });
  console.log("HITS:", hits.map((h) => `${h.file.slice(0, 3)}:${h.section}:${h.score.toFixed(2)}/${h.coverage.toFixed(2)}`).join(" | "));
  console.log("-----");
}
