/**
 * `aggregates refresh | rebuild [--json]`: the precomputed progress aggregates
 * (core/officials/aggregates.ts). `refresh` recomputes what changed since the last catch-up (the
 * bot does it at start); `rebuild` recomputes everything from the answers (after restoring a
 * backup, or to check). Safe while the bot runs.
 */
import { openCliDb } from "../db.ts";
import { pendingMarks, rebuildAggregates, refreshAggregates } from "../../core/officials/aggregates.ts";

export async function run(args: string[]): Promise<number> {
  const sub = args[0];
  if (sub !== "refresh" && sub !== "rebuild") {
    console.error("Cách dùng: npm run cli -- aggregates refresh | aggregates rebuild [--json]");
    return 1;
  }
  const db = await openCliDb();
  try {
    const pending = await pendingMarks(db);
    const t = performance.now();
    const cells = sub === "rebuild" ? await rebuildAggregates(db) : await refreshAggregates(db);
    const seconds = Math.round((performance.now() - t) / 100) / 10;
    if (args.includes("--json")) console.log(JSON.stringify({ action: sub, pendingBefore: pending, recomputed: cells, seconds }));
    else console.log(`Đã tính lại số liệu tổng hợp tiến độ: ${cells} ô (đơn vị × kỳ) trong ${seconds} giây.`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}
