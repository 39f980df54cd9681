/**
 * The one place an OpenAI (or OpenAI-compatible) client is built. Every model call — plan answers,
 * embeddings, officials' intent, catalog extraction — goes through it:
 *   - timeout ≤ 20 s (LLM_TIMEOUT_MS): a chat waits for the call, and the runner keeps one chat's
 *     updates in order, so a slow model must not hold that chat for the SDK's default 10 minutes;
 *   - maxRetries 0: no retries hidden inside a chat's turn; callers fall back (extractive answer,
 *     rule-based reading) instead.
 * The openai package is imported lazily: the offline path never loads it.
 * Prompts never carry personal data (names, phones, report values of named people).
 */
import type OpenAI from "openai";

export const LLM_TIMEOUT_MS = 20_000;

export interface LlmSettings {
  apiKey: string;
  baseURL?: string;
  model?: string;
  embeddingModel?: string;
  /** Per-call timeout in ms; capped at LLM_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Client options, exposed so a test can check them. */
export function llmClientOptions(s: Pick<LlmSettings, "apiKey" | "baseURL" | "timeoutMs">) {
  return {
    apiKey: s.apiKey || "not-needed",
    baseURL: s.baseURL || undefined,
    timeout: Math.min(s.timeoutMs ?? LLM_TIMEOUT_MS, LLM_TIMEOUT_MS),
    maxRetries: 0,
  };
}

export async function createLlmClient(s: Pick<LlmSettings, "apiKey" | "baseURL" | "timeoutMs">): Promise<OpenAI> {
  const { default: OpenAIClient } = await import("openai");
  return new OpenAIClient(llmClientOptions(s));
}
