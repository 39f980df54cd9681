/**
 * Plan Q&A — the public surface the bot and CLI use.
 *
 *   const summary = await ingestPlans(db, "data/plans");          // store plans (idempotent)
 *   const qa = await createQaEngine({ db, llm: llmConfigFromEnv(), words: QA_WORDS });
 *   const r = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?", { planId: "NB-27-2025" });
 *   for (const part of splitForTelegram(r.answer)) await reply(part);
 */
export { createQaEngine, splitForTelegram, PLAN_ID_BY_FILE } from "./engine.ts";
export type { AskOptions, Citation, QaEngine, QaEngineOptions, QaResult, SearchHit } from "./engine.ts";
export type { QaWords } from "./words.ts";
export { ingestPlans } from "./ingest.ts";
export type { IngestFileSummary, IngestSummary } from "./ingest.ts";
export { addReferenceDocument, previewDocument, type AddReferenceResult, type DocumentPreview } from "./reference.ts";
export { llmConfigFromEnv, type LlmConfig } from "./llm.ts";
