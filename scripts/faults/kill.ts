/**
 * Kill test (issue 11 §5): the bot runs as its own process in webhook mode (`bot/main.ts`,
 * BOT_MODE=webhook) against a fake Bot API in this process; simulated focal points answer their
 * reports over HTTP on loopback; the bot is killed with SIGKILL at random moments (≥ 50 times by
 * default), restarted, and every update that did not get a 200 is delivered again with the same
 * update_id — as Telegram does — before that chat sends anything else (Telegram delivers one
 * chat's updates in order).
 *
 * Checked against the database afterwards:
 *   - acknowledged answers lost: an answer whose reply was sent (the chat saw the bot's reply to
 *     it), but which is not stored under the question it answered;
 *   - answers stored under another question (every ratio answer is unique: 1000−k / 1000 for
 *     question k), and answers duplicated under two questions;
 *   - double submissions: more than one revision or submit entry for a report;
 *   - acknowledged submits ("✅ Đã nộp" seen) whose report is not submitted.
 *
 *   npx tsx scripts/faults/kill.ts [--quick]      (or through npm run test:faults)
 * SQLite always; PostgreSQL too when TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test)
 * answers — otherwise that part is skipped and says so.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FakeBotApi, inlineButtons, plainText, type BotMessage, type FakeUser, type Update } from "../../bot/local/fake-bot-api.ts";
import { createDb, migrate, type Db } from "../../core/db/client.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { recordConsent } from "../../core/privacy/index.ts";
import { currentPeriod } from "../../core/reporting/periods.ts";
import { loadReportState } from "../../core/reporting/reports.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SECRET = "kill_test-secret";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface PartResult {
  name: string;
  ok: boolean;
  figures: Record<string, number | string>;
  lines: string[];
}

/** What one simulated focal point is doing. */
interface Chat {
  user: FakeUser;
  unitId: number;
  /** The update waiting for a 200 (redelivered after a kill), with the bot messages count before it was first sent. */
  pending: { update: Update; before: number; kind: "answer" | "reason" | "other" | "submit"; code?: string; raw?: string } | null;
  done: boolean;
  /** Answers the bot acknowledged (a reply was sent after them): code → raw. */
  acked: Map<string, string>;
  submitAcked: boolean;
  stuck: number;
}

interface Run {
  target: string;
  kills: number;
  updates: number;
  redeliveries: number;
  acknowledgedAnswers: number;
  reportsSubmitted: number;
  /** Focal points available (each answers one report): when all have submitted, the load is over. */
  focalPoints: number;
  lost: number;
  misplaced: number;
  duplicated: number;
  doubleSubmissions: number;
  submitsLost: number;
  restartsMsMedian: number;
  /** Updates answered 200 between a restart and the next kill: the least and the median. */
  handledBetweenKillsMin: number;
  handledBetweenKillsMedian: number;
  /** Kills that came after 60 s without the wanted progress. */
  killsWithoutProgress: number;
  problems: string[];
}

async function pgReachable(url: string): Promise<boolean> {
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A database with one commune, `schools` primary schools and their consenting focal points. */
async function prepare(url: string, schools: number): Promise<{ db: Db; users: Array<{ user: FakeUser; unitId: number }> }> {
  await migrate(url);
  const db = await createDb(url);
  await seedShippedPlans(db);
  const createdAt = new Date("2025-01-01T00:00:00Z");
  const xa = await db.unit.create({ data: { code: "XA-K", name: "UBND xã Thử Lửa", kind: "commune", levels: "xa", path: "/XA-K/", planId: "TK-2026", createdAt } });
  const users: Array<{ user: FakeUser; unitId: number }> = [];
  for (let i = 0; i < schools; i++) {
    const th = await db.unit.create({ data: { code: `TH-K${i}`, name: `Trường TH Thử ${i}`, kind: "school", levels: "th", parentId: xa.id, path: `/XA-K/TH-K${i}/`, createdAt } });
    const tg = 880_000 + i;
    const u = await db.user.create({ data: { telegramId: String(tg), name: `Đầu mối ${i}`, role: "focal" } });
    await db.membership.create({ data: { userId: u.id, unitId: th.id, role: "focal" } });
    await recordConsent(db, u.id, "accepted");
    users.push({ user: { id: tg, first_name: `Thử ${i}` }, unitId: th.id });
  }
  return { db, users };
}

/** The bot process: `npm start` in webhook mode; resolves with its port once it listens. */
function startBot(env: Record<string, string>): { child: ChildProcess; ready: Promise<number>; exited: Promise<void> } {
  // node itself with the tsx loader (not the tsx CLI, which runs the bot in a child process that
  // SIGKILL would not reach)
  const child = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const ready = new Promise<number>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err = (err + d).slice(-20_000);
      const m = /"port":(\d+)[^\n]*"msg":"bot is receiving updates by webhook"/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`bot exited (${code}) before listening:\n${err.slice(-3000)}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

/** Answer text for question `k` (1-based) of this kind: ratios are unique per question. */
function answerFor(measure: { type: string; max?: number }, k: number): string {
  switch (measure.type) {
    case "ratio":
      return `${1000 - k}/1000`;
    case "boolean":
      return "có";
    case "level":
      return `mức ${measure.max ?? 3}`;
    case "percent":
      return "100%";
    default:
      return String(20 + k);
  }
}

async function runOnce(target: "sqlite" | "postgresql", baseUrl: string, opts: { kills: number; chats: number; minProgress: number }): Promise<Run> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cds-kill-"));
  let url = baseUrl;
  let dropSchema: (() => Promise<void>) | null = null;
  if (target === "sqlite") url = `file:${path.join(dir, "app.db")}`;
  else {
    const schema = `kill_${Date.now().toString(36)}`;
    const u = new URL(baseUrl);
    u.searchParams.set("schema", schema);
    url = u.toString();
    dropSchema = async () => {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
  }
  // Enough focal points that the load outlasts the kills: each finishes one report and a new one takes
  // its place. 12 per chat ran out (every report submitted) before the 8 quick kills once the bot got
  // faster, and the last kills then fell on an idle bot (counted in killsWithoutProgress).
  const schools = opts.chats * Math.max(12, 3 * opts.kills);
  const { db, users } = await prepare(url, schools);
  const catalog = createCatalogStore(db);
  const fake = new FakeBotApi({ token: "424242:KILL-test_token" });
  await fake.start();
  const period = currentPeriod("month", new Date()).key;
  const env = {
    BOT_MODE: "webhook",
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    WEBHOOK_URL: "https://bot.example.vn/tg/hook",
    WEBHOOK_SECRET: SECRET,
    WEB_PORT: "0",
    DATABASE_URL: url,
    REMINDER_INTERVAL_SECONDS: "0",
    LOG_LEVEL: "info",
    UPDATE_CLAIM_STALE_SECONDS: "2",
    OPENAI_API_KEY: "",
  };
  const run: Run = {
    target,
    kills: 0,
    updates: 0,
    redeliveries: 0,
    acknowledgedAnswers: 0,
    reportsSubmitted: 0,
    focalPoints: schools,
    lost: 0,
    misplaced: 0,
    duplicated: 0,
    doubleSubmissions: 0,
    submitsLost: 0,
    restartsMsMedian: 0,
    handledBetweenKillsMin: 0,
    handledBetweenKillsMedian: 0,
    killsWithoutProgress: 0,
    problems: [],
  };
  const restartMs: number[] = [];
  /** Updates answered 200 between a (re)start and the kill that ended it. */
  const progress: number[] = [];
  let nextUser = 0;
  const newChat = (): Chat | null => {
    const u = users[nextUser++];
    return u ? { user: u.user, unitId: u.unitId, pending: null, done: false, acked: new Map(), submitAcked: false, stuck: 0 } : null;
  };
  const chats: Chat[] = [];
  for (let i = 0; i < opts.chats; i++) chats.push(newChat()!);
  const finished: Chat[] = [];

  let port = 0;
  let bot = startBot(env);
  let t0 = Date.now();
  port = await bot.ready;
  restartMs.push(Date.now() - t0);
  let alive = true;
  /** Updates answered 200 since the last (re)start: each kill waits for some, so the load progresses. */
  let handledSinceStart = 0;

  const post = async (update: Update): Promise<number> => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/tg/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(60_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return 0; // connection refused or reset: the process died
    }
  };

  /** The reply the bot sent last in this chat. */
  const last = (chat: Chat): BotMessage | undefined => fake.messages(chat.user.id).filter((m) => !m.deleted).at(-1);

  /** Decide the chat's next update from what the bot showed last. */
  const nextUpdate = async (chat: Chat): Promise<Chat["pending"]> => {
    const before = fake.messages(chat.user.id).length;
    const m = last(chat);
    const text = m ? plainText(m) : "";
    const buttons = m ? inlineButtons(m.reply_markup) : [];
    if (!m || /Đã dừng|Xin lỗi|Nút này đã cũ|Không có việc gì/.test(text)) {
      return { update: fake.userSays(chat.user, `/baocao ${period}`), before, kind: "other" };
    }
    if (/✅ Đã nộp báo cáo/.test(text)) {
      chat.done = true;
      return null;
    }
    const q = /Câu (\d+)\/(\d+)/.exec(text);
    if (q && !/Tóm tắt/.test(text)) {
      const k = Number(q[1]);
      const report = await db.report.findFirst({ where: { unitId: chat.unitId, period } });
      if (!report) throw new Error("question shown without a report");
      const state = await loadReportState({ db, catalog }, report.id);
      const entry = state.indicators[k - 1]!;
      const raw = answerFor(entry.measure as { type: string; max?: number }, k);
      return { update: fake.userSays(chat.user, raw), before, kind: "answer", code: entry.code, raw };
    }
    if (/📉/.test(text)) return { update: fake.userSays(chat.user, `lý do thử nghiệm ${chat.user.id}`), before, kind: "reason" };
    const yes = buttons.find((b) => b.callback_data?.startsWith("a:yn:1"));
    if (yes) return { update: fake.tapButton(chat.user, yes.callback_data!, m!.message_id), before, kind: "other" };
    const submit = buttons.find((b) => b.callback_data?.startsWith("r:submit:"));
    if (submit) return { update: fake.tapButton(chat.user, submit.callback_data!, m!.message_id), before, kind: "submit" };
    const resume = buttons.find((b) => b.callback_data?.startsWith("r:resume:"));
    if (resume) return { update: fake.tapButton(chat.user, resume.callback_data!, m!.message_id), before, kind: "other" };
    chat.stuck++;
    if (chat.stuck > 3) run.problems.push(`chat ${chat.user.id} stuck at: ${text.slice(0, 120)}`);
    return { update: fake.userSays(chat.user, `/baocao ${period}`), before, kind: "other" };
  };

  /** One chat's loop: send its update (again, until a 200), note what the bot acknowledged, go on. */
  const drive = async (chat: Chat): Promise<void> => {
    while (!chat.done && !stopping) {
      if (!chat.pending) chat.pending = await nextUpdate(chat);
      if (!chat.pending) break;
      if (!alive) {
        await sleep(50);
        continue;
      }
      const status = await post(chat.pending.update);
      run.updates++;
      if (status !== 200) {
        run.redeliveries++;
        await sleep(status === 0 ? 100 : 300);
        continue;
      }
      const p = chat.pending;
      const replied = fake.messages(chat.user.id).length > p.before;
      if (replied && p.kind === "answer") chat.acked.set(p.code!, p.raw!);
      if (replied && p.kind === "submit" && /✅ Đã nộp báo cáo/.test(plainText(last(chat)!))) chat.submitAcked = true;
      chat.pending = null;
      handledSinceStart++;
    }
  };

  // A reply sent by the killed process counts as acknowledged too: note it before each kill's redelivery.
  const noteAcks = () => {
    for (const chat of chats) {
      const p = chat.pending;
      if (p?.kind === "answer" && fake.messages(chat.user.id).length > p.before) chat.acked.set(p.code!, p.raw!);
    }
  };

  let stopping = false;
  const workers = chats.map(async function loop(chat, i): Promise<void> {
    let c: Chat | null = chat;
    while (c && !stopping) {
      await drive(c);
      if (c.done) {
        finished.push(c);
        c = newChat();
        if (c) chats[i] = c;
      }
    }
  });

  while (run.kills < opts.kills) {
    // real progress between kills: the restarted bot first answers `minProgress` updates (redeliveries
    // of what the last kill cut short come first), then the kill falls at a random point of the load
    const until = Date.now() + 60_000;
    while (handledSinceStart < opts.minProgress && Date.now() < until) await sleep(50);
    if (handledSinceStart < opts.minProgress) run.killsWithoutProgress++;
    await sleep(Math.random() * 2500);
    progress.push(handledSinceStart);
    bot.child.kill("SIGKILL");
    alive = false;
    await bot.exited;
    run.kills++;
    noteAcks();
    t0 = Date.now();
    bot = startBot(env);
    port = await bot.ready;
    restartMs.push(Date.now() - t0);
    handledSinceStart = 0;
    alive = true;
  }
  // let every chat get its pending update through, then stop
  await sleep(3000);
  stopping = true;
  await Promise.all(workers);
  bot.child.kill("SIGTERM");
  await bot.exited;
  await fake.stop();

  // ---- check against the database
  const seen = new Map([...finished, ...chats].map((c) => [c.user.id, c]));
  for (const chat of seen.values()) {
    const report = await db.report.findFirst({ where: { unitId: chat.unitId, period }, include: { answers: true, revisions: true } });
    if (!report) continue;
    const state = await loadReportState({ db, catalog }, report.id);
    const stored = new Map(report.answers.map((a) => [a.indicatorCode, a.raw]));
    for (const [code, raw] of chat.acked) {
      run.acknowledgedAnswers++;
      const effective = state.answers.get(code)?.raw;
      if (effective !== raw && stored.get(code) !== raw) {
        run.lost++;
        run.problems.push(`lost: chat ${chat.user.id} ${code} ${raw} → stored ${effective ?? "nothing"}`);
      }
    }
    state.indicators.forEach((e, i) => {
      const raw = stored.get(e.code);
      if (e.measure.type === "ratio" && raw && raw !== answerFor(e.measure, i + 1)) {
        run.misplaced++;
        run.problems.push(`misplaced: chat ${chat.user.id} ${e.code} holds ${raw}`);
      }
    });
    const ratioRaws = report.answers.filter((a) => /\/1000$/.test(a.raw)).map((a) => a.raw);
    run.duplicated += ratioRaws.length - new Set(ratioRaws).size;
    const submits = await db.auditLog.count({ where: { entity: "Report", entityId: String(report.id), action: "report.submit" } });
    if (report.revisions.length > 1 || submits > 1) run.doubleSubmissions++;
    if (report.status === "submitted") run.reportsSubmitted++;
    if (chat.submitAcked && report.status !== "submitted") run.submitsLost++;
  }
  restartMs.sort((a, b) => a - b);
  run.restartsMsMedian = restartMs[Math.floor(restartMs.length / 2)] ?? 0;
  progress.sort((a, b) => a - b);
  run.handledBetweenKillsMin = progress[0] ?? 0;
  run.handledBetweenKillsMedian = progress[Math.floor(progress.length / 2)] ?? 0;
  await db.$disconnect();
  await dropSchema?.();
  rmSync(dir, { recursive: true, force: true });
  return run;
}

export async function run(opts: { quick?: boolean } = {}): Promise<PartResult> {
  const kills = Number(process.env.FAULTS_KILLS ?? (opts.quick ? 8 : 50));
  const chats = Number(process.env.FAULTS_CHATS ?? (opts.quick ? 6 : 12));
  // updates answered between a restart and the next kill (default: one per chat)
  const minProgress = Number(process.env.FAULTS_MIN_PROGRESS ?? chats);
  const lines: string[] = [];
  const figures: Record<string, number | string> = {};
  const runs: Run[] = [];
  runs.push(await runOnce("sqlite", "", { kills, chats, minProgress }));
  const pgUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
  if (await pgReachable(pgUrl)) runs.push(await runOnce("postgresql", pgUrl, { kills, chats, minProgress }));
  else {
    lines.push(`kill [postgresql]: SKIPPED (no PostgreSQL at ${pgUrl.replace(/\/\/[^@]*@/, "//…@")})`);
    figures.postgresql = "skipped";
  }
  let ok = true;
  for (const r of runs) {
    const bad = r.lost + r.misplaced + r.duplicated + r.doubleSubmissions + r.submitsLost;
    const good = bad === 0 && r.kills >= kills && r.acknowledgedAnswers > 0;
    ok &&= good;
    lines.push(
      `kill [${r.target}]: ${r.kills} kill -9s, ${r.updates} deliveries (${r.redeliveries} not answered 200, delivered again), ` +
        `${r.acknowledgedAnswers} acknowledged answers, ${r.reportsSubmitted} of ${r.focalPoints} focal points' reports submitted${r.reportsSubmitted >= r.focalPoints ? " (POOL RAN OUT: later kills fell on an idle bot)" : ""}; ` +
        `lost ${r.lost}, under another question ${r.misplaced}, duplicated ${r.duplicated}, double submissions ${r.doubleSubmissions}, ` +
        `acknowledged submits lost ${r.submitsLost}; restart median ${r.restartsMsMedian} ms; ` +
        `updates answered between kills min ${r.handledBetweenKillsMin}, median ${r.handledBetweenKillsMedian} (${r.killsWithoutProgress} kills after 60 s without) — ${good ? "OK" : "FAILED"}`,
    );
    for (const p of r.problems.slice(0, 10)) lines.push(`  ${p}`);
    for (const [k, v] of Object.entries(r)) if (typeof v === "number") figures[`${r.target}_${k}`] = v;
  }
  return { name: "kill", ok, figures, lines };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run({ quick: process.argv.includes("--quick") });
  for (const l of r.lines) console.log(l);
  console.log(JSON.stringify({ ok: r.ok, [r.name]: r.figures }));
  process.exit(r.ok ? 0 : 1);
}
