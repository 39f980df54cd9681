/**
 * `npm run cli -- ask "<question>" [--json] [--plan <planId>]`: answer from the plans, offline.
 * Reads the plans from the database when it holds any, else straight from data/plans/.
 */
import { existsSync } from "node:fs";
import { providerOf, sqliteFile } from "../../core/db/target.ts";
import { createQaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { cliConfig, openCliDb } from "../db.ts";

export async function run(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const planAt = args.indexOf("--plan");
  const planId = planAt >= 0 ? args[planAt + 1] : undefined;
  const question = args.filter((a, i) => !a.startsWith("--") && !(planAt >= 0 && i === planAt + 1)).join(" ").trim();
  if (!question) {
    console.error('Cách dùng: npm run cli -- ask "<câu hỏi>" [--json] [--plan <mã kế hoạch>]');
    return 2;
  }
  const config = cliConfig();
  const url = config.DATABASE_URL;
  let db;
  if (providerOf(url) === "postgresql" || existsSync(sqliteFile(url))) {
    db = await openCliDb();
    if ((await db.planChunk.count()) === 0) {
      await db.$disconnect();
      db = undefined;
    }
  }
  try {
    const engine = await createQaEngine({ db, llm: config.llm, words: QA_WORDS });
    const res = await engine.ask(question, { planId });
    if (json) {
      console.log(
        JSON.stringify(
          {
            answer: res.answer,
            refused: res.status !== "answered",
            status: res.status,
            citations: res.citations.map((c) => ({ file: c.file, label: c.label, section: c.section, quote: c.quote, chunkId: c.chunkId })),
            closest: res.closest ?? [],
            reason: res.reason ?? null,
            suggestions: res.suggestions ?? [],
          },
          null,
          2,
        ),
      );
    } else console.log(res.answer);
    return 0;
  } finally {
    await db?.$disconnect();
  }
}
