/**
 * With an LLM configured: read an official's question by function calling into the same
 * structured queries as the rule-based parser (OFFICIAL_TOOLS). The model never writes SQL and
 * never chooses the scope; the bot applies the official's own node.
 */
import type OpenAI from "openai";
import { createLlmClient } from "../llm/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { formatVietnamDate } from "../reporting/periods.ts";
import { loadPrompt, renderPrompt } from "../../prompts/index.ts";
import { OFFICIAL_TOOLS, queryFromToolCall, type OfficialQuery, type UnclearQuery } from "./intent.ts";

export interface IntentLlm {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs?: number;
}

/** The query the model chose, or null when it chose none (not a question about reports) or failed. */
export async function llmOfficialQuery(llm: IntentLlm, text: string, catalog: Catalog, now: Date): Promise<OfficialQuery | UnclearQuery | null> {
  const prompt = loadPrompt("officials-intent");
  const system = renderPrompt(prompt.template, {
    today: formatVietnamDate(now),
    indicators: catalog.entries.map((e) => `${e.code}: ${e.short}`).join("\n"),
  });
  try {
    const client = await createLlmClient(llm);
    const res = await client.chat.completions.create({
      model: llm.model,
      messages: [
        { role: "system", content: system },
        { role: "user", content: text },
      ],
      tools: OFFICIAL_TOOLS as unknown as OpenAI.Chat.Completions.ChatCompletionTool[],
      tool_choice: "auto",
    });
    const call = res.choices[0]?.message.tool_calls?.[0];
    if (!call || call.type !== "function") return null;
    const args = JSON.parse(call.function.arguments || "{}") as Record<string, unknown>;
    const q = queryFromToolCall(call.function.name, args, now);
    if (q.kind !== "unclear" && q.indicators) q.indicators = q.indicators.filter((c) => catalog.byCode.has(c));
    return q;
  } catch {
    return null; // the rule-based reading stands; the question goes to the plans Q&A
  }
}
