/**
 * The optional model paths against a stand-in OpenAI-compatible server on 127.0.0.1 (no network):
 * embeddings are stored in PlanChunk.embedding and reused; cited chunk ids are verified; a model
 * answer with no valid citation falls back to the extractive answer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLANS_DIR } from "../../core/catalog/index.ts";
import { createQaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { ingestPlans } from "../../core/retrieval/ingest.ts";
import { llmConfigFromEnv, loadAnswerPrompt, type LlmConfig } from "../../core/retrieval/llm.ts";
import { fold } from "../../core/text.ts";
import { freshDb, type TestDb } from "../support/db.ts";

let server: Server;
let llm: LlmConfig;
let mode: "valid" | "invalid" | "invented-number" = "valid";
let lastPrompt = "";
const calls = { embeddings: 0, embeddedTexts: 0, chat: 0 };

/** A deterministic bag-of-syllables vector (64 dims). */
function vector(text: string): number[] {
  const v = new Array<number>(64).fill(0);
  for (const w of fold(text).split(/[^a-z0-9]+/).filter(Boolean)) {
    let h = 0;
    for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    v[h % 64]! += 1;
  }
  return v;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const json = JSON.parse(body || "{}");
      res.setHeader("content-type", "application/json");
      if (req.url?.endsWith("/embeddings")) {
        const input: string[] = Array.isArray(json.input) ? json.input : [json.input];
        calls.embeddings++;
        calls.embeddedTexts += input.length;
        res.end(JSON.stringify({ object: "list", data: input.map((t, index) => ({ object: "embedding", index, embedding: vector(t) })), model: json.model }));
        return;
      }
      calls.chat++;
      const prompt: string = json.messages[0].content;
      lastPrompt = prompt;
      const ids = [...prompt.matchAll(/^\[([0-9a-z-]+)\]/gm)].map((m) => m[1]);
      const citations = mode === "invalid" ? ["999-invented"] : [ids[0], "999-invented"];
      const answer = mode === "invented-number" ? "Các trường báo cáo trước ngày 27 hằng tháng." : "Câu trả lời của mô hình dựa trên đoạn trích.";
      const content = JSON.stringify({ answer, citations });
      res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: json.model, choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  llm = { apiKey: "test-key", baseURL: `http://127.0.0.1:${port}/v1`, model: "stand-in", embeddingModel: "stand-in-embed" };
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("optional model paths", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb("sqlite");
    await ingestPlans(t.db, PLANS_DIR);
  });
  afterAll(() => t.close());

  it("is off without a key, and the prompt is versioned", () => {
    expect(llmConfigFromEnv({})).toBeNull();
    expect(llmConfigFromEnv({ OPENAI_API_KEY: "k", OPENAI_EMBEDDING_MODEL: "e" })).toMatchObject({ embeddingModel: "e" });
    expect(loadAnswerPrompt().template).toContain("{{passages}}");
  });

  it("stores embeddings once and reuses them on the next start", async () => {
    const qa = await createQaEngine({ db: t.db, llm, words: QA_WORDS });
    const stored = await t.db.planChunk.count({ where: { embedding: { not: null }, embeddingModel: "stand-in-embed" } });
    expect(stored).toBe(qa.chunkCount);
    const before = calls.embeddedTexts;
    await createQaEngine({ db: t.db, llm, words: QA_WORDS });
    expect(calls.embeddedTexts).toBe(before); // nothing re-embedded
  });

  it("keeps only cited ids that were retrieved", async () => {
    mode = "valid";
    const qa = await createQaEngine({ db: t.db, llm, words: QA_WORDS });
    const r = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?");
    expect(r.status).toBe("answered");
    expect(r.answer).toContain("Câu trả lời của mô hình");
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]?.chunkId).not.toBe("999-invented");
  });

  it("gives the model the fact-first rules, the extractive lead and the asker's plan", async () => {
    mode = "valid";
    const qa = await createQaEngine({ db: t.db, llm, words: QA_WORDS });
    await qa.ask("Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?", { planId: "TK-2026" });
    expect(loadAnswerPrompt().version).toMatch(/^qa-answer v2/);
    expect(lastPrompt).toContain("Dòng đầu tiên trả lời thẳng câu hỏi");
    expect(lastPrompt).toMatch(/Câu trả lời trích từ kế hoạch[^\n]*\nTân Kỳ \(KH 2026\): .*100%/);
    expect(lastPrompt).toContain("Người hỏi thuộc địa phương của kế hoạch Tân Kỳ (KH 2026)");
    expect(lastPrompt).not.toContain("{{");
  });

  it("falls back to the extractive answer when the model states a number no cited passage holds", async () => {
    mode = "invented-number";
    const qa = await createQaEngine({ db: t.db, llm, words: QA_WORDS });
    const r = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?");
    expect(r.answer).not.toContain("ngày 27");
    expect(r.answer.split("\n")[0]).toContain("trước ngày 20");
  });

  it("falls back to the extractive answer when no cited id is valid", async () => {
    mode = "invalid";
    const qa = await createQaEngine({ db: t.db, llm, fusion: "rrf", words: QA_WORDS });
    const r = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?");
    expect(r.status).toBe("answered");
    expect(r.answer).not.toContain("Câu trả lời của mô hình");
    expect(r.answer).toContain("trước ngày 20");
  });
});
