/**
 * `npm run cli -- parse --indicator <code> "<answer>" [--json]`: how the bot understands one answer.
 *
 *   npm run cli -- parse --indicator TK-14 "52/60" --json
 *   {"ok":true,"value":86.66…,"numerator":52,"denominator":60,"meetsTarget":false,"gap":{…},"message":"Đã ghi nhận: …"}
 *
 * Exit codes: 0 answer accepted, 1 answer rejected ({ok:false, message, problem}), 2 bad usage or unknown indicator.
 * The words come from bot/messages/answers.ts, the same the bot sends.
 */
import { loadCatalogFromDb } from "../../core/plans/index.ts";
import { openPlansDb } from "../plans-db.ts";
import { checkAnswer, formatThreshold } from "../../core/reporting/check.ts";
import { answerProblemText, gapText, savedText } from "../../bot/messages/answers.ts";

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
    const message = answerProblemText(result.problem);
    print({ ok: false, message, problem: result.problem.kind }, `✗ ${entry.code}: ${message}`);
    return 1;
  }
  const { value, numerator, denominator, meetsTarget } = result;
  const message = savedText({ ...result, measure: entry.measure });
  // the JSON keeps its words (target, text) beside the data; they come from the one wording module
  const gap = result.gap && {
    ...result.gap,
    target: formatThreshold(result.gap.threshold, entry.measure.type === "count" ? entry.measure.unit : undefined),
    text: gapText(entry.measure, result.gap),
  };
  print(
    { ok: true, value, numerator, denominator, meetsTarget, gap, message },
    `✓ ${entry.code} (${entry.short}): ${message}`,
  );
  return 0;
}
