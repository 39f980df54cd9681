/**
 * npm run bench:report — focal points answering a 20-question report concurrently, in process,
 * on SQLite. The production bot (createBot: sessions and conversation state in the database,
 * the answer conversation, validation, storage) handles each update via bot.handleUpdate; the
 * Bot API is answered in process (no network), so what is measured is our handler.
 *
 * Two phases, each on fresh periods:
 *  1. saturation: every focal point answers as fast as the bot replies (closed loop) → the
 *     throughput ceiling in answers/s (one Node process, one SQLite file);
 *  2. paced: the same focal points answer at a steady total of --rate answers/s (people type; they
 *     do not hammer) → handler latency p50/p99 at that load.
 * Also the median latency per question number: the conversation plugin replays on every update,
 * so it must stay flat from question 1 to 20. Ends with one JSON line.
 *   npm run bench:report -- [--users 50] [--rounds 2] [--rate 300]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedCatalogStore } from "../core/plans/store.ts";
import { buildCatalog, loadCatalog, type CatalogEntry, type CatalogFile } from "../core/catalog/index.ts";
import { createDb, migrate } from "../core/db/client.ts";
import { createBot } from "../bot/create-bot.ts";
import type { BotDeps } from "../bot/context.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const USERS = arg("users", 50);
const ROUNDS = arg("rounds", 3);
const RATE = arg("rate", 300);
const QUESTIONS = 20;

/** A plan with 20 monthly questions, cloned from real catalog entries (ratios and yes/no alternate). */
function benchCatalog() {
  const real = loadCatalog();
  const ratio = real.entries.find((e) => e.measure.type === "ratio" && e.measure.denominatorKey === "teachers")!;
  const yesNo = real.entries.find((e) => e.measure.type === "boolean")!;
  const entries: CatalogEntry[] = Array.from({ length: QUESTIONS }, (_, i) => {
    const base = i % 2 === 0 ? ratio : yesNo;
    return { ...base, code: `BN-${String(i + 1).padStart(2, "0")}`, plan: "BENCH", levels: ["th"], frequency: "monthly" } as CatalogEntry;
  });
  const plan = { ...real.plans[0]!, id: "BENCH", prefix: "BN" };
  const files: CatalogFile[] = [{ plan, entries }];
  return buildCatalog(files);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** An in-process Bot API: every method succeeds with a plausible result. */
let messageId = 1;
const fakeFetch = async (url: string | URL, init?: { body?: unknown }) => {
  const method = String(url).split("/").pop();
  let params: Record<string, unknown> = {};
  try {
    params = typeof init?.body === "string" ? JSON.parse(init.body) : {};
  } catch {
    /* multipart: not used here */
  }
  const result =
    method === "sendMessage" || method === "editMessageText"
      ? { message_id: messageId++, date: 0, chat: { id: params.chat_id, type: "private" }, text: params.text }
      : true;
  return new Response(JSON.stringify({ ok: true, result }), { headers: { "content-type": "application/json" } });
};

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-report-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await migrate(url);
  const db = await createDb(url);
  const catalog = benchCatalog();

  const root = await db.unit.create({ data: { code: "SO-BENCH", name: "Sở (bench)", kind: "department", levels: "so", path: "/SO-BENCH/", planId: "BENCH" } });
  const users: Array<{ tgId: number }> = [];
  for (let i = 0; i < USERS; i++) {
    const code = `TH-${i}`;
    const unit = await db.unit.create({ data: { code, name: `Trường TH số ${i} (bench)`, kind: "school", levels: "th", parentId: root.id, path: `/SO-BENCH/${code}/` } });
    const tgId = 900_000 + i;
    const user = await db.user.create({ data: { telegramId: String(tgId), name: `Người thử ${i}`, role: "focal" } });
    await db.membership.create({ data: { userId: user.id, unitId: unit.id } });
    users.push({ tgId });
  }

  const deps: BotDeps = {
    db,
    catalog: fixedCatalogStore(catalog),
    config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 1000, BOT_USERNAME: "bench_bot", llm: null },
    qa: null,
    now: () => new Date("2026-03-10T03:00:00Z"),
    log: (level, msg, extra) => level === "error" && console.error(msg, extra),
  };
  const botInfo = { id: 1, is_bot: true as const, first_name: "Bench", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false };
  const bot = createBot("1:BENCH", deps, { botInfo: botInfo as never, fetch: fakeFetch as never, throttle: false });
  await bot.init();

  let updateId = 1;
  const textUpdate = (tgId: number, text: string) => ({
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: tgId, type: "private" as const, first_name: "U" },
      from: { id: tgId, is_bot: false, first_name: "U" },
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command" as const, offset: 0, length: text.split(" ")[0]!.length }] } : {}),
    },
  });

  const answerText = (q: number) => (q % 2 === 0 ? "50/50" : "có"); // at or above target (else a reason is asked)
  let round = 0;
  const openPeriod = async () => {
    const period = `2026-${String(++round).padStart(2, "0")}`;
    deps.now = () => new Date(`${period}-10T03:00:00Z`);
    await Promise.all(users.map((u) => bot.handleUpdate(textUpdate(u.tgId, `/baocao ${period}`))));
  };

  // Phase 1: saturation (closed loop).
  let saturatedAnswers = 0;
  const roundRates: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) {
    await openPeriod();
    const t0 = performance.now();
    await Promise.all(
      users.map(async (u) => {
        for (let q = 0; q < QUESTIONS; q++) {
          await bot.handleUpdate(textUpdate(u.tgId, answerText(q)));
          saturatedAnswers++;
        }
      }),
    );
    roundRates.push((USERS * QUESTIONS) / ((performance.now() - t0) / 1000));
  }
  const cpu = process.cpuUsage(cpu0);
  /** CPU time this process spent per answer (user + system), robust to other load on the machine. */
  const cpuMsPerAnswer = (cpu.user + cpu.system) / 1000 / saturatedAnswers;

  // Phase 2: paced: answers arrive at RATE per second in total, round robin over the focal points
  // (each one's answers stay in order); latency is measured from arrival to the handler's end.
  const latencies: number[] = [];
  const byQuestion: number[][] = Array.from({ length: QUESTIONS }, () => []);
  let pacedMs = 0;
  const roundP50: number[] = [];
  const roundP99: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const from = latencies.length;
    await openPeriod();
    const chains = users.map(() => Promise.resolve());
    const t0 = performance.now();
    for (let k = 0; k < USERS * QUESTIONS; k++) {
      const due = t0 + (k * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      const i = k % USERS;
      const q = Math.floor(k / USERS);
      const arrived = performance.now();
      chains[i] = chains[i]!.then(async () => {
        await bot.handleUpdate(textUpdate(users[i]!.tgId, answerText(q)));
        const ms = performance.now() - arrived;
        latencies.push(ms);
        byQuestion[q]!.push(ms);
      });
    }
    await Promise.all(chains);
    pacedMs += performance.now() - t0;
    const round = latencies.slice(from).sort((a, b) => a - b);
    roundP50.push(percentile(round, 50));
    roundP99.push(percentile(round, 99));
  }
  const answers = saturatedAnswers + latencies.length;
  const stored = await db.answer.count();
  if (stored !== answers) throw new Error(`expected ${answers} stored answers, found ${stored}`);

  const sorted = [...latencies].sort((a, b) => a - b);
  const perQuestion = byQuestion.map(median);
  const figures = {
    users: USERS,
    questions: QUESTIONS,
    answers,
    /** closed loop: the ceiling (median over rounds) */
    answersPerSecond: Math.round(median(roundRates)),
    cpuMsPerAnswer: Number(cpuMsPerAnswer.toFixed(2)),
    pacedRate: RATE,
    pacedAchieved: Math.round(latencies.length / (pacedMs / 1000)),
    /** paced: medians over rounds of each round's p50 and p99 */
    p50Ms: Number(median(roundP50).toFixed(2)),
    p99Ms: Number(median(roundP99).toFixed(2)),
    p99AllRoundsMs: Number(percentile(sorted, 99).toFixed(2)),
    q1MedianMs: Number(perQuestion[0]!.toFixed(2)),
    q20MedianMs: Number(perQuestion[QUESTIONS - 1]!.toFixed(2)),
    /** median latency of question 20 ÷ question 1: ~1 means flat */
    q20OverQ1: Number((perQuestion[QUESTIONS - 1]! / perQuestion[0]!).toFixed(2)),
  };
  console.log(`${USERS} focal points × ${QUESTIONS} questions, concurrently, SQLite, in process (${answers} answers stored)`);
  console.log(`rounds: saturation ${roundRates.map((x) => Math.round(x)).join(", ")} answers/s; paced p50 ${roundP50.map((x) => x.toFixed(1)).join(", ")} ms; paced p99 ${roundP99.map((x) => x.toFixed(1)).join(", ")} ms`);
  console.log(`saturation: ${figures.answersPerSecond} answers/s (CPU ${figures.cpuMsPerAnswer} ms per answer, opening the period included)`);
  console.log(`paced at ${RATE} answers/s (achieved ${figures.pacedAchieved}): handler latency p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms (medians over ${ROUNDS} rounds)`);
  console.log("median latency by question number (ms): " + perQuestion.map((m, i) => `${i + 1}:${m.toFixed(1)}`).join(" "));
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(figures));
}

await main();
