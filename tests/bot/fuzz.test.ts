/**
 * A fast guard of `npm run test:faults`' fuzz part: 500 random inputs (a fixed seed) across the
 * conversation states, through the real bot on a fake Bot API: no handler crashes and nothing
 * Telegram would reject (HTML, lengths, callback data). The full run is scripts/faults/fuzz.ts.
 */
import { describe, expect, it } from "vitest";
import { callProblems, fuzz } from "../../scripts/faults/fuzz.ts";

describe("fuzz (500 inputs)", () => {
  it("the checker itself catches what Telegram rejects", () => {
    const call = (params: Record<string, unknown>, method = "sendMessage") => callProblems({ method, params, status: 200 }).map((p) => p.kind);
    expect(call({ text: "<b>x", parse_mode: "HTML" })).toEqual(["html"]);
    expect(call({ text: "a & b", parse_mode: "HTML" })).toEqual(["html"]);
    expect(call({ text: "<script>x</script>", parse_mode: "HTML" })).toEqual(["html"]);
    expect(call({ text: "x".repeat(4097) })).toEqual(["text_too_long"]);
    expect(call({ text: "<b>" + "x".repeat(4090) + "</b>", parse_mode: "HTML" })).toEqual([]);
    expect(call({ text: " " })).toEqual(["empty_text"]);
    expect(call({ caption: "x".repeat(1025) }, "sendPhoto")).toEqual(["caption_too_long"]);
    expect(call({ text: "ok", reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "é".repeat(33) }]] } })).toEqual(["callback_data"]);
    expect(call({ text: "<b>ok</b> &amp; <i>fine</i>", parse_mode: "HTML" })).toEqual([]);
  });

  it("500 random inputs: 0 crashes, 0 messages Telegram would reject, every state visited", async () => {
    const { figures, violations, crashes } = await fuzz({ inputs: 500, seed: 11 });
    expect(crashes).toEqual([]);
    expect(violations.map((v) => `${v.kind} ${v.method}: ${v.detail.slice(0, 100)} ← ${v.input}`)).toEqual([]);
    expect(figures.inputs).toBe(500);
    expect(Number(figures.messages_checked)).toBeGreaterThan(300);
    // not every state is certain in 500 inputs; the core ones are
    for (const s of ["question", "after_rejection", "summary", "officials", "outside_report"]) expect(Number(figures[`state_${s}`]), s).toBeGreaterThan(0);
  }, 300_000);
});
