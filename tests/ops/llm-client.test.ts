/**
 * Every model call goes through one client factory: at most 20 s, and no hidden retries — a
 * hanging model server costs one request and the caller falls back.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LLM_TIMEOUT_MS, llmClientOptions } from "../../core/llm/client.ts";
import { llmAnswer } from "../../core/retrieval/llm.ts";

let server: http.Server;
let baseURL = "";
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req) => {
    requests++;
    req.resume(); // never answers: a model that hangs
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("LLM client factory", () => {
  it("caps the timeout at 20 s and never retries", () => {
    expect(LLM_TIMEOUT_MS).toBe(20_000);
    expect(llmClientOptions({ apiKey: "k" })).toMatchObject({ timeout: 20_000, maxRetries: 0 });
    expect(llmClientOptions({ apiKey: "k", timeoutMs: 600_000 }).timeout).toBe(20_000);
  });

  it("a hanging model costs one request and the timeout, then the caller falls back", async () => {
    requests = 0;
    const t0 = performance.now();
    const res = await llmAnswer({ apiKey: "k", baseURL, model: "m", timeoutMs: 300 }, "Câu hỏi?", [{ id: "p1", label: "Mục 1", text: "…" }]);
    const ms = performance.now() - t0;
    expect(res).toBeNull();
    expect(requests).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(5_000);
  });
});
