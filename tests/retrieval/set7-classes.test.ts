/**
 * Classes of question added while tuning on set 7 (written as held-out, measured once, tuned on since), each with
 * phrasings that are in no eval set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { unsupportedBy } from "../../core/retrieval/answer.ts";
import { fold } from "../../core/text.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const bothWays = (q: string) => [q, fold(q)];

describe("set 7 classes", () => {
  it("a count of what exists asked as 'có tất cả / tổng cộng bao nhiêu' is declined", async () => {
    for (const q of bothWays("Xã Tân Kỳ có tổng cộng bao nhiêu lớp học và bao nhiêu giáo viên?")) {
      expect(unsupportedBy(q, "Phấn đấu 100% giáo viên sử dụng chữ ký số."), q).toBe("count");
      const r = await qa.ask(q);
      expect(r.status, q).toBe("no_context");
    }
    // a target rate is not a count
    expect(unsupportedBy("Có tất cả bao nhiêu phần trăm giáo viên phải có chữ ký số?", "100% giáo viên")).toBeNull();
  });
});
