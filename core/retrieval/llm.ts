/**
 * Optional model paths: grounded answers and embeddings. Used only when OPENAI_API_KEY is set;
 * the offline path never imports the client or touches the network.
 *
 *   const llm = llmConfigFromEnv();            // null without a key
 *   const prompt = loadAnswerPrompt();         // prompts/qa-answer.md, with its version line
 */
import { loadPrompt } from "../../prompts/index.ts";
import { createLlmClient } from "../llm/client.ts";

export interface LlmConfig {
  apiKey: string;
  baseURL?: string;
  /** Chat model for grounded answers (OPENAI_MODEL); answers stay extractive without it. */
  model?: string;
  /** Embedding model (OPENAI_EMBEDDING_MODEL); dense retrieval is off without it. */
  embeddingModel?: string;
  /** Per-call timeout (ms, ≤ 20 s; see core/llm/client.ts). */
  timeoutMs?: number;
}

/** Read the model settings from the environment; null when no key is set. */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | null {
  if (!env.OPENAI_API_KEY) return null;
  return {
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL || undefined,
    model: env.OPENAI_MODEL || undefined,
    embeddingModel: env.OPENAI_EMBEDDING_MODEL || undefined,
  };
}

/** The versioned answer prompt (prompts/qa-answer.md): { version, template }. */
export function loadAnswerPrompt(): { version: string; template: string } {
  return loadPrompt("qa-answer");
}

export interface Passage {
  id: string;
  label: string;
  text: string;
}

/** Ask the chat model for a grounded answer; returns null on any failure (caller falls back). */
export async function llmAnswer(
  cfg: LlmConfig,
  question: string,
  passages: Passage[],
): Promise<{ answer: string; citations: string[] } | null> {
  if (!cfg.model) return null;
  try {
    const client = await createLlmClient(cfg);
    const { template } = loadAnswerPrompt();
    const prompt = template
      .replace("{{question}}", question)
      .replace("{{passages}}", passages.map((p) => `[${p.id}] (${p.label})\n${p.text}`).join("\n\n"));
    const res = await client.chat.completions.create({
      model: cfg.model,
      messages: [{ role: "user", content: prompt }],
      temperature: 0,
      response_format: { type: "json_object" },
    });
    const parsed = JSON.parse(res.choices[0]?.message?.content ?? "{}") as { answer?: unknown; citations?: unknown };
    if (typeof parsed.answer !== "string" || !Array.isArray(parsed.citations)) return null;
    return { answer: parsed.answer, citations: parsed.citations.filter((c): c is string => typeof c === "string") };
  } catch {
    return null;
  }
}

/** Embed texts with the configured embedding model (batched). */
export async function embedTexts(cfg: LlmConfig, texts: string[]): Promise<Float32Array[]> {
  if (!cfg.embeddingModel) throw new Error("OPENAI_EMBEDDING_MODEL chưa được đặt");
  const client = await createLlmClient(cfg);
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 64) {
    const res = await client.embeddings.create({ model: cfg.embeddingModel, input: texts.slice(i, i + 64) });
    for (const d of res.data) out.push(Float32Array.from(d.embedding));
  }
  return out;
}

/** Float32 vector ⇄ bytes for PlanChunk.embedding. */
export function vectorToBytes(v: Float32Array): Uint8Array<ArrayBuffer> {
  const copy = new Float32Array(v);
  return new Uint8Array(copy.buffer);
}
export function bytesToVector(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b); // aligned copy
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Weighted score fusion: min-max normalized lexical and dense scores, `w` on lexical. */
export function fuseWeighted(lexical: Map<string, number>, dense: Map<string, number>, w = 0.6): Map<string, number> {
  const norm = (m: Map<string, number>) => {
    const vals = [...m.values()];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    return new Map([...m].map(([k, v]) => [k, hi > lo ? (v - lo) / (hi - lo) : 1]));
  };
  const a = norm(lexical);
  const b = norm(dense);
  const out = new Map<string, number>();
  for (const k of new Set([...a.keys(), ...b.keys()])) out.set(k, w * (a.get(k) ?? 0) + (1 - w) * (b.get(k) ?? 0));
  return out;
}

/** Reciprocal rank fusion (k = 60), measured for comparison with weighted fusion. */
export function fuseRrf(rankings: string[][], k = 60): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rankings) r.forEach((id, i) => out.set(id, (out.get(id) ?? 0) + 1 / (k + i + 1)));
  return out;
}
