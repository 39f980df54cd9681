/**
 * `npm run cli -- parse --indicator <code> "<answer>" [--json]`: how the bot understands one answer.
 *
 *   npm run cli -- parse --indicator TK-14 "52/60" --json
 *   {"ok":true,"value":86.66…,"numerator":52,"denominator":60,"meetsTarget":false,"gap":{…},"message":"Đã ghi nhận: …"}
 *
 * Exit codes: 0 answer accepted, 1 answer rejected ({ok:false, message}), 2 bad usage or unknown indicator.
 */
import { loadCatalogFromDb } from "../../core/plans/index.ts";
import { openPlansDb } from "../plans-db.ts";
import { checkAnswer } from "../../core/reporting/check.ts";

const USAGE = 'Cách dùng: npm run cli -- parse --indicator <mã chỉ tiêu> "<câu trả lời>" [--json]';

export async function run(args: string[]): Promise<number> {
  let code: string | undefined;
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--json") json = true;
    else if (a === "--indicator") code = args[++i];
    else if (a.startsWith("--indicator=")) code = a.slice("--indicator=".length);
    else rest.push(a);
  }
  const print = (o: object, line: string) => console.log(json ? JSON.stringify(o) : line);
  if (!code) {
    print({ ok: false, message: USAGE }, USAGE);
    return 2;
  }
  const db = await openPlansDb();
  const catalog = await loadCatalogFromDb(db).finally(() => db.$disconnect());
  const entry = catalog.byCode.get(code.trim().toUpperCase());
  if (!entry) {
    const message = `Không có chỉ tiêu mã ${code}. Xem danh sách bằng: npm run cli -- catalog list`;
    print({ ok: false, message }, message);
    return 2;
  }
  const result = checkAnswer(entry, rest.join(" "));
  if (!result.ok) {
    print({ ok: false, message: result.message }, `✗ ${entry.code}: ${result.message}`);
    return 1;
  }
  const { value, numerator, denominator, meetsTarget, gap, message } = result;
  print(
    { ok: true, value, numerator, denominator, meetsTarget, gap, message },
    `✓ ${entry.code} (${entry.short}): ${message}`,
  );
  return 0;
}
