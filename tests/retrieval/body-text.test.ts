/**
 * Classes of question from the plans' body text, typed as in a phone chat (added while tuning on tune-body),
 * each with phrasings that are in no eval set: chat shorthand and fillers, a plan's place typed by its initials,
 * the reporting schedule, the source of funding, and who does what in the organisation sections.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { spellOutChat } from "../../core/retrieval/tokenize.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const firstLine = (a: string) => a.trim().split("\n")[0]!;

describe("chat shorthand is spelled out, not taken for a topic no plan covers", () => {
  it("spells out bn, ko, dc, vs, gd and drops the admin greeting; GD&ĐT stays the sector's name", () => {
    expect(spellOutChat("ad oi bn truong ko dc hoc vs gd")).toBe("oi bao nhiêu truong không được hoc với giáo dục");
    expect(spellOutChat("Sở GD&ĐT, GD-ĐT và GD ĐT")).toBe("Sở GD&ĐT, GD-ĐT và GD ĐT");
    expect(spellOutChat("admin cho hỏi")).toBe("cho hỏi");
  });
  it("answers a body-text question typed with 'ad', 'bn' and 'ko'", async () => {
    const r = await qa.ask("ad ơi hưng yên có bn giáo viên tin học tiểu học vậy");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("43");
    const s = await qa.ask("trường công lập ninh bình có phải thanh toán không dùng tiền mặt ko ad");
    expect(s.status).toBe("answered");
  });
  it("a plan's place typed by its initials names that plan", async () => {
    const r = await qa.ask("HY có bao nhiêu % cuộc họp của Sở tổ chức trực tuyến năm học 2020-2021");
    expect(r.status).toBe("answered");
    expect(firstLine(r.answer)).toContain("Hưng Yên");
    expect(firstLine(r.answer)).toContain("80%");
  });
});
