/**
 * npm run bench:webhook — simulated focal points answer their reports over HTTP on loopback against
 * the bot in webhook mode (bot/main.ts, BOT_MODE=webhook: separate processes, the production
 * code path). The bot's own Bot API calls go to a small fake Bot API in this process
 * (TELEGRAM_API_ROOT). Configurations, side by side in one run:
 *
 *   ceiling     a bare grammY bot with the conversations plugin in memory, doing no work
 *               (scripts/bench-webhook/ceiling-bot.ts), same load, same HTTP path
 *   sqlite×1    one instance on a fresh SQLite file
 *   pg×1        one instance on a fresh PostgreSQL schema
 *   pg×2        two instances on one fresh PostgreSQL schema, round-robin behind "one URL"
 *
 * Delivery is Telegram's: one chat's updates one at a time, each waiting for the webhook's answer
 * (redelivered with the same update_id after an error), many chats at once, at most --connections
 * requests in flight (Telegram's max_connections, default 40). --users focal points are registered
 * (fictional units of a BENCH plan with 20 monthly questions); --active of them are in a report at
 * a time (each sends /baocao, then answers 20 questions, then another takes its place). Once all
 * --users have answered this month's report, they start again on last month's, then the month
 * before (up to 24 rounds), so no configuration runs out of work before its phases end; a line
 * says "POOL RAN OUT" (and the JSON poolRanOut) if it did anyway.
 *
 * Per configuration: a closed-loop phase (answers/s at saturation; CPU ms per answer from
 * /proc/<pid>/stat of the bot processes), then a paced phase at --rate answers/s (default: half of
 * that configuration's saturated rate) for latency p50/p99 from arrival to the webhook's answer.
 * Afterwards every acknowledged answer is checked in the database: lost (missing or different) and
 * duplicated (stored where no acknowledged answer belongs). Ends with ONE JSON line.
 *
 * Share of the ceiling: per instance = answers/s of one instance ÷ the ceiling's answers/s (the
 * issue's bar: ≥ 50%); and CPU = the ceiling's CPU ms per answer ÷ the configuration's, the
 * machine-independent figure (JSON: shareOfCeilingPerInstance, shareOfCeiling, cpuShareOfCeiling).
 *
 *   npm run bench:webhook -- [--users 2000] [--active 100] [--connections 40] [--seconds 20]
 *                            [--paced-seconds 12] [--rate N] [--configs ceiling,sqlite,pg1,pg2]
 *                            [--quick] [--profile DIR] [--compare <git-rev>] [--repeat 3]
 *   --profile DIR   run the sqlite×1 and pg×1 instances under --cpu-prof (profiles written to DIR/sqlite
 *                   and DIR/pg1 on exit)
 *   --compare REV   also run sqlite×1 and pg×1 from the tree at REV (git archive into a temp dir),
 *                   alternating with the working tree --repeat times; prints medians (before/after)
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, openSync, closeSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalog, type CatalogEntry } from "../core/catalog/index.ts";
import { createDb, migrate, type Db } from "../core/db/client.ts";
import { DEFAULT_REPORTING } from "../core/plans/store.ts";
import { currentPeriod, previousPeriod, type Period } from "../core/reporting/periods.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PG_BASE = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const TOKEN = "123456789:BENCHwebhookBENCH";
const SECRET = "bench_secret_0123456789";
const HOOK_PATH = "/telegram";
const QUESTIONS = 20;
/**
 * The periods focal points report on: the current month (Asia/Ho_Chi_Minh) in the first round over
 * the --users focal points; once every one of them has answered all questions, a focal point starts
 * again on the month before (round 2), and so on back to MAX_ROUNDS months, so a fast configuration
 * (the ceiling above all) never runs out of work before its phases end.
 */
const MAX_ROUNDS = 24;
const PERIODS: string[] = (() => {
  const out: Period[] = [currentPeriod("month", new Date())];
  while (out.length < MAX_ROUNDS) out.push(previousPeriod(out[out.length - 1]!));
  return out.map((p) => p.key);
})();

// ---------- options ----------
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const num = (name: string, dflt: number) => (opt(name) !== undefined ? Number(opt(name)) : dflt);
const QUICK = flag("quick");
const USERS = Math.min(5000, Math.max(1, num("users", QUICK ? 200 : 2000)));
const ACTIVE = Math.min(USERS, num("active", QUICK ? 40 : 100));
const CONNECTIONS = num("connections", 40);
const SAT_SECONDS = num("seconds", QUICK ? 4 : 20);
const PACED_SECONDS = num("paced-seconds", QUICK ? 3 : 12);
const FIXED_RATE = opt("rate") !== undefined ? Number(opt("rate")) : undefined;
const CONFIGS = (opt("configs") ?? "ceiling,sqlite,pg1,pg2").split(",").map((s) => s.trim());
const PROFILE_DIR = opt("profile");
const COMPARE = opt("compare");
const REPEAT = num("repeat", 3);
/** BENCH_NODE_ARGS: extra node flags for every bot process (experiments, e.g. "--max-semi-space-size=32"). */
const EXTRA_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);

// ---------- small helpers ----------
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const r1 = (x: number) => Math.round(x * 10) / 10;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system, or system alone) of a process so far, in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number, only?: "system"): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[11] = utime, fields[12] = stime (fields 14 and 15 of stat(5), counted from state = 3)
    const ticks = (only === "system" ? 0 : Number(fields[11])) + Number(fields[12]);
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}
const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * SQL statements an instance has sent so far (cds_db_statements_total on its /metrics: reads, writes,
 * BEGIN/COMMIT), or NaN when it has no such metric (the ceiling bot).
 */
async function dbStatements(port: number): Promise<{ read: number; write: number; tx: number; total: number }> {
  const text = await new Promise<string>((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/metrics", timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(res.statusCode === 200 ? Buffer.concat(chunks).toString("utf8") : ""));
    });
    req.on("error", () => resolve(""));
    req.on("timeout", () => req.destroy());
  });
  const of = (kind: string) => {
    const m = text.match(new RegExp(`^cds_db_statements_total\\{kind="${kind}"\\} (\\d+)`, "m"));
    return m ? Number(m[1]) : text.includes("cds_db_statements_total") ? 0 : NaN;
  };
  const read = of("read");
  const write = of("write");
  const tx = of("tx");
  return { read, write, tx, total: read + write + tx };
}
async function statementsOf(instances: Instance[]) {
  const all = await Promise.all(instances.map((x) => dbStatements(x.port)));
  return all.reduce((a, b) => ({ read: a.read + b.read, write: a.write + b.write, tx: a.tx + b.tx, total: a.total + b.total }));
}

// ---------- the fake Bot API (the bots' outgoing calls) ----------
interface FakeApi {
  root: string;
  sent: Map<number, number>;
  calls: number;
  close(): Promise<void>;
}
async function startFakeApi(): Promise<FakeApi> {
  const sent = new Map<number, number>();
  let messageId = 1;
  const fake = { root: "", sent, calls: 0, close: async () => {} };
  const botUser = { id: 123456789, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      fake.calls++;
      const method = (req.url ?? "").split("/").pop()!.split("?")[0]!;
      let params: Record<string, unknown> = {};
      const body = Buffer.concat(chunks).toString("utf8");
      if (body && (req.headers["content-type"] ?? "").includes("json")) {
        try {
          params = JSON.parse(body);
        } catch {
          /* ignore */
        }
      }
      let result: unknown = true;
      if (method === "getMe") result = botUser;
      else if (method === "sendMessage" || method === "editMessageText") {
        const chatId = Number(params.chat_id);
        if (method === "sendMessage") sent.set(chatId, (sent.get(chatId) ?? 0) + 1);
        result = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "U" }, text: params.text };
      } else if (method === "getWebhookInfo") result = { url: "", has_custom_certificate: false, pending_update_count: 0 };
      const out = JSON.stringify({ ok: true, result });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(out) }).end(out);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  fake.root = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}

// ---------- the bench plan and the focal points ----------
/** 20 monthly questions for primary schools: ratios of teachers (≥ 50%) alternating with yes/no. */
function benchEntries(): CatalogEntry[] {
  const real = loadCatalog();
  const ratio = real.entries.find((e) => e.measure.type === "ratio" && e.measure.denominatorKey === "teachers")!;
  const yesNo = real.entries.find((e) => e.measure.type === "boolean")!;
  return Array.from({ length: QUESTIONS }, (_, i) => {
    const base = i % 2 === 0 ? ratio : yesNo;
    const threshold = i % 2 === 0 ? { op: ">=", value: 50, unit: "%", text: "50%" } : base.threshold;
    return { ...base, threshold, code: codeOf(i), plan: "BENCH", levels: ["th"], frequency: "monthly" } as CatalogEntry;
  });
}
const codeOf = (q: number) => `BN-${String(q + 1).padStart(2, "0")}`;
/** What focal point answers question q (0-based): a distinct numerator per ratio question, so a shifted answer shows. */
const answerText = (q: number) => (q % 2 === 0 ? `${40 + q}/60` : "có");
const tgIdOf = (i: number) => 700_000_000 + i;

async function seed(db: Db): Promise<void> {
  const now = new Date();
  await db.plan.create({
    data: { id: "BENCH", prefix: "BN", title: "Kế hoạch thử tải (bench)", issuer: "Sở GDĐT (bench)", status: "published", reportingJson: JSON.stringify(DEFAULT_REPORTING), publishedAt: now },
  });
  await db.target.createMany({
    data: benchEntries().map((e, i) => ({ planId: "BENCH", code: e.code, version: 1, status: "published", entryJson: JSON.stringify(e), ordinal: i })),
  });
  const createdAt = new Date("2025-01-01T00:00:00Z");
  const root = await db.unit.create({ data: { code: "SO-BENCH", name: "Sở GDĐT tỉnh Thử Tải (bench)", kind: "department", levels: "so", path: "/SO-BENCH/", planId: "BENCH", createdAt } });
  const CHUNK = 500;
  for (let from = 0; from < USERS; from += CHUNK) {
    const idx = Array.from({ length: Math.min(CHUNK, USERS - from) }, (_, k) => from + k);
    await db.unit.createMany({
      data: idx.map((i) => ({ code: `TH-B${i}`, name: `Trường Tiểu học số ${i} (bench)`, kind: "school", levels: "th", parentId: root.id, path: `/SO-BENCH/TH-B${i}/`, createdAt })),
    });
    await db.user.createMany({ data: idx.map((i) => ({ telegramId: String(tgIdOf(i)), name: `Người thử ${i}`, role: "focal", lastSeenAt: now })) });
  }
  const units = await db.unit.findMany({ where: { kind: "school", code: { startsWith: "TH-B" } }, select: { id: true, code: true } });
  const users = await db.user.findMany({ where: { telegramId: { startsWith: "7000" } }, select: { id: true, telegramId: true } });
  const unitByIdx = new Map(units.map((u) => [Number(u.code.slice(4)), u.id]));
  const memberships = users.map((u) => ({ userId: u.id, unitId: unitByIdx.get(Number(u.telegramId) - tgIdOf(0))!, role: "focal" }));
  for (let from = 0; from < memberships.length; from += CHUNK) await db.membership.createMany({ data: memberships.slice(from, from + CHUNK) });
}

// ---------- bot processes ----------
/**
 * The node flags of `npm start` in the tree at `root` (package.json "start": "tsx <flags> bot/main.ts",
 * e.g. the young generation's size): every process here runs with them, the ceiling too, so the
 * figures are those of the deployed command and the ceiling differs only by the code it runs.
 */
function startFlags(root: string): string[] {
  try {
    const start: string = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts?.start ?? "";
    return start.split(/\s+/).filter((t) => /^--[\w-]+(=\S+)?$/.test(t));
  } catch {
    return [];
  }
}

interface Instance {
  name: string;
  port: number;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startInstance(opts: { name: string; root: string; script: string; dbUrl?: string; apiRoot: string; logFile: string; nodeArgs?: string[] }): Promise<Instance> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: "production",
    BOT_MODE: "webhook",
    BOT_TOKEN: TOKEN,
    WEBHOOK_URL: `https://bench.invalid${HOOK_PATH}`,
    WEBHOOK_SECRET: SECRET,
    WEB_PORT: String(port),
    TELEGRAM_API_ROOT: opts.apiRoot,
    REMINDER_INTERVAL_SECONDS: "0",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    ...(opts.dbUrl ? { DATABASE_URL: opts.dbUrl } : {}),
  };
  const fd = openSync(opts.logFile, "a");
  const child = spawn(process.execPath, [...startFlags(opts.root), ...EXTRA_NODE_ARGS, ...(opts.nodeArgs ?? []), "--import", "tsx", opts.script], { cwd: opts.root, env, stdio: ["ignore", "ignore", fd] });
  closeSync(fd);
  let exited = false;
  const exit = new Promise<void>((r) => child.once("exit", () => ((exited = true), r())));
  const until = Date.now() + 180_000;
  for (;;) {
    if (exited) throw new Error(`${opts.name} exited during start; see ${opts.logFile}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => req.destroy());
    });
    if (ok) break;
    if (Date.now() > until) throw new Error(`${opts.name} did not start within 180 s; see ${opts.logFile}`);
    await sleep(200);
  }
  return {
    name: opts.name,
    port,
    pid: child.pid!,
    child,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exit;
      clearTimeout(t);
    },
  };
}

// ---------- load: Telegram-like delivery ----------
interface Chat {
  idx: number;
  tgId: number;
  /** the period this chat's report is for (PERIODS[round]) */
  period: string;
  /** next step to send: 0 = "/baocao", 1..20 = answers to questions 0..19 */
  step: number;
  /** steps assigned (paced phase: arrivals queued on this chat) */
  assigned: number;
  chain: Promise<void>;
  /** answers acknowledged (HTTP 200), by question index */
  acked: number;
}

class Semaphore {
  private waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async acquire() {
    if (this.free > 0) return void this.free--;
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release() {
    const w = this.waiting.shift();
    if (w) w();
    else this.free++;
  }
}

interface LoadResult {
  answers: number;
  opens: number;
  seconds: number;
  latencies: number[];
  openLatencies: number[];
  redeliveries: number;
}

class Driver {
  private updateId = 1;
  private rr = 0;
  private agents: http.Agent[];
  readonly chats: Chat[] = [];
  private nextUser = 0;
  /** the latest chat of each focal point (a focal point starts a new round only once it answered everything) */
  private latest = new Map<number, Chat>();
  /** set when no focal point was free for a new report: the phases then ran with fewer chats than --active */
  ranOut = false;
  redeliveries = 0;
  constructor(private ports: number[]) {
    this.agents = ports.map(() => new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS }));
  }
  /**
   * The next focal point starts a report: the first round goes through the --users focal points on
   * the current month; later rounds take them again, each on the month before its last report, once
   * it has answered all questions of that one (null when none is free: `ranOut` is then set).
   */
  newChat(): Chat | null {
    for (let tries = 0; tries < USERS; tries++) {
      const n = this.nextUser++;
      const idx = n % USERS;
      const round = Math.floor(n / USERS);
      if (round >= MAX_ROUNDS) break;
      const last = this.latest.get(idx);
      if (last && last.acked < QUESTIONS) continue; // still answering (or the warm-up chat): skip it this time
      const chat: Chat = { idx, tgId: tgIdOf(idx), period: PERIODS[round]!, step: 0, assigned: 0, chain: Promise.resolve(), acked: 0 };
      this.latest.set(idx, chat);
      this.chats.push(chat);
      return chat;
    }
    this.ranOut = true;
    return null;
  }
  /** How many reports were started (focal point × period). */
  get reportsStarted(): number {
    return this.chats.length;
  }
  private post(body: string): Promise<number> {
    const i = this.rr++ % this.ports.length;
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: this.ports[i],
          path: HOOK_PATH,
          method: "POST",
          agent: this.agents[i],
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-telegram-bot-api-secret-token": SECRET },
          timeout: 60_000,
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.on("timeout", () => req.destroy());
      req.end(body);
    });
  }
  /** Deliver a chat's next step like Telegram: the same update_id again until the webhook answers 200. */
  async deliver(chat: Chat): Promise<void> {
    const step = chat.step++;
    const text = step === 0 ? `/baocao ${chat.period}` : answerText(step - 1);
    const id = this.updateId++;
    const update = {
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat.tgId, type: "private", first_name: "U" },
        from: { id: chat.tgId, is_bot: false, first_name: "U", language_code: "vi" },
        text,
        ...(step === 0 ? { entities: [{ type: "bot_command", offset: 0, length: 7 }] } : {}),
      },
    };
    const body = JSON.stringify(update);
    for (let attempt = 0; ; attempt++) {
      const status = await this.post(body);
      if (status === 200) break;
      this.redeliveries++;
      await sleep(Math.min(1000, 50 * 2 ** attempt));
    }
    if (step > 0) chat.acked = step;
  }

  /** Every chat sends /baocao, at most CONNECTIONS at once. */
  async openAll(chats: Chat[]): Promise<{ perSecond: number; latencies: number[] }> {
    const sem = new Semaphore(CONNECTIONS);
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      chats.map(async (chat) => {
        await sem.acquire();
        const s = performance.now();
        await this.deliver(chat);
        latencies.push(performance.now() - s);
        sem.release();
      }),
    );
    return { perSecond: chats.length / ((performance.now() - t0) / 1000), latencies };
  }

  /** Closed loop: every in-flight slot takes the next ready chat; runs for `seconds`. */
  async saturate(seconds: number, active: Chat[]): Promise<LoadResult> {
    const sem = new Semaphore(CONNECTIONS);
    const ready: Chat[] = [...active];
    const latencies: number[] = [];
    const openLatencies: number[] = [];
    let answers = 0;
    let opens = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    const worker = async () => {
      for (;;) {
        if (performance.now() >= end) return;
        const chat = ready.shift();
        if (!chat) {
          if (active.length === 0) return;
          await sleep(2); // every active chat has an update in flight
          continue;
        }
        await sem.acquire();
        const isOpen = chat.step === 0;
        const s = performance.now();
        await this.deliver(chat);
        const ms = performance.now() - s;
        sem.release();
        if (isOpen) (opens++, openLatencies.push(ms));
        else (answers++, latencies.push(ms));
        if (chat.step <= QUESTIONS) ready.push(chat);
        else {
          const i = active.indexOf(chat);
          const next = this.newChat();
          if (next) {
            active[i] = next;
            ready.push(next);
          } else active.splice(i, 1);
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    for (const c of active) c.assigned = c.step;
    return { answers, opens, seconds: (performance.now() - t0) / 1000, latencies, openLatencies, redeliveries: this.redeliveries };
  }

  /** Open loop: arrivals at `rate` per second round-robin over the active chats, for `seconds`. */
  async paced(seconds: number, rate: number, active: Chat[]): Promise<LoadResult> {
    const sem = new Semaphore(CONNECTIONS);
    const latencies: number[] = [];
    const openLatencies: number[] = [];
    let answers = 0;
    let opens = 0;
    const t0 = performance.now();
    const total = Math.max(1, Math.round(seconds * rate));
    for (let k = 0; k < total && active.length > 0; k++) {
      const due = t0 + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const slot = k % active.length;
      let chat = active[slot]!;
      if (chat.assigned > QUESTIONS) {
        const next = this.newChat();
        if (!next) {
          active.splice(slot, 1);
          continue;
        }
        active[slot] = chat = next;
      }
      chat.assigned++;
      const arrived = performance.now();
      chat.chain = chat.chain.then(async () => {
        await sem.acquire();
        const isOpen = chat.step === 0;
        await this.deliver(chat);
        sem.release();
        const ms = performance.now() - arrived;
        if (isOpen) (opens++, openLatencies.push(ms));
        else (answers++, latencies.push(ms));
      });
    }
    await Promise.all(active.map((c) => c.chain));
    await Promise.all(this.chats.map((c) => c.chain));
    return { answers, opens, seconds: (performance.now() - t0) / 1000, latencies, openLatencies, redeliveries: this.redeliveries };
  }
  close() {
    for (const a of this.agents) a.destroy();
  }
}

// ---------- checking the database ----------
async function checkAnswers(db: Db, chats: Chat[]): Promise<{ expected: number; lost: number; duplicated: number; stored: number }> {
  const rows = await db.$queryRawUnsafe<Array<{ code: string; period: string; indicatorCode: string; numerator: number | null; denominator: number | null; value: number | null; skipped: boolean | number }>>(
    `SELECT u."code" AS "code", r."period" AS "period", a."indicatorCode" AS "indicatorCode", a."numerator" AS "numerator", a."denominator" AS "denominator", a."value" AS "value", a."skipped" AS "skipped"
     FROM "Answer" a JOIN "Report" r ON r."id" = a."reportId" JOIN "Unit" u ON u."id" = r."unitId" WHERE r."planId" = 'BENCH'`,
  );
  // by report: unit code and period
  const byUnit = new Map<string, Map<string, (typeof rows)[number]>>();
  for (const row of rows) {
    const key = `${row.code}|${row.period}`;
    if (!byUnit.has(key)) byUnit.set(key, new Map());
    byUnit.get(key)!.set(row.indicatorCode, row);
  }
  let expected = 0;
  let lost = 0;
  let duplicated = 0;
  const matches = (q: number, row: (typeof rows)[number] | undefined) => {
    if (!row || row.skipped === true || row.skipped === 1) return false;
    if (q % 2 === 0) return Number(row.numerator) === 40 + q && Number(row.denominator) === 60;
    return row.numerator == null && Number(row.value) > 0;
  };
  const seen = new Set<string>();
  for (const chat of chats) {
    const unit = `TH-B${chat.idx}|${chat.period}`;
    seen.add(unit);
    const stored = byUnit.get(unit) ?? new Map();
    for (let q = 0; q < chat.acked; q++) {
      expected++;
      if (!matches(q, stored.get(codeOf(q)))) lost++;
    }
    for (const [code, row] of stored) {
      const q = Number(code.slice(3)) - 1;
      if (q >= chat.acked || !matches(q, row)) duplicated++;
    }
  }
  for (const [unit, stored] of byUnit) if (!seen.has(unit)) duplicated += stored.size;
  return { expected, lost, duplicated, stored: rows.length };
}

// ---------- one configuration ----------
interface ConfigResult {
  name: string;
  instances: number;
  answersPerSecond: number;
  opensPerSecond: number;
  cpuMsPerOpen: number;
  satP50Ms: number;
  satP99Ms: number;
  pacedRate: number;
  pacedAchieved: number;
  p50Ms: number;
  p99Ms: number;
  openP50Ms: number;
  cpuMsPerAnswer: number;
  /** cpuMsPerAnswer without the closed loop's opens (their count × CPU per open measured before) */
  cpuMsPerAnswerExOpens: number;
  /** the share of that CPU spent in the kernel (system time: sockets, files) */
  cpuSystemShare: number;
  /** SQL statements per answer in the closed loop (all, then reads / writes / BEGIN+COMMIT); NaN for the ceiling */
  sqlPerAnswer: number;
  sqlReadsPerAnswer: number;
  sqlWritesPerAnswer: number;
  sqlTxPerAnswer: number;
  sqlPerOpen: number;
  answers: number;
  lost: number;
  duplicated: number;
  redeliveries: number;
  /** reports started (focal point × period) and the deepest round (1 = current month only) */
  reports: number;
  rounds: number;
  /** true when no focal point was free for a new report at some point: fewer chats than --active were loading it (raise --users) */
  poolRanOut: boolean;
}

interface ConfigSpec {
  name: string;
  kind: "ceiling" | "sqlite" | "pg";
  instances: number;
  root?: string;
  nodeArgs?: string[];
}

async function runConfig(spec: ConfigSpec, work: string, fake: FakeApi): Promise<ConfigResult> {
  const root = spec.root ?? ROOT;
  const tag = `${spec.name.replace(/[^a-z0-9]+/gi, "_")}_${Math.random().toString(36).slice(2, 8)}`;
  let dbUrl: string | undefined;
  let db: Db | null = null;
  let dropSchema: (() => Promise<void>) | null = null;
  if (spec.kind === "sqlite") dbUrl = `file:${path.join(work, `${tag}.db`)}`;
  if (spec.kind === "pg") {
    const u = new URL(PG_BASE);
    const schema = `bench_${tag}`.toLowerCase();
    u.searchParams.set("schema", schema);
    dbUrl = u.toString();
    dropSchema = async () => {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: PG_BASE });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
  }
  const instances: Instance[] = [];
  try {
    if (dbUrl) {
      await migrate(dbUrl);
      db = await createDb(dbUrl);
      await seed(db);
    }
    const script = spec.kind === "ceiling" ? path.join(ROOT, "scripts/bench-webhook/ceiling-bot.ts") : "bot/main.ts";
    // instances start one after the other (each runs the idempotent start-up: migrations, plan seeding, indexing)
    for (let i = 0; i < spec.instances; i++) {
      instances.push(await startInstance({ name: `${spec.name}#${i + 1}`, root, script, dbUrl, apiRoot: fake.root, logFile: path.join(work, `${tag}-${i + 1}.log`), nodeArgs: spec.nodeArgs }));
    }
    const driver = new Driver(instances.map((x) => x.port));
    const active: Chat[] = [];
    for (let i = 0; i < ACTIVE; i++) active.push(driver.newChat()!);
    // warm-up: one update per instance (JIT, first queries, caches), not measured
    const warm = driver.newChat()!;
    for (let i = 0; i < Math.max(2, instances.length); i++) await driver.deliver(warm);
    // the active focal points open their reports (/baocao), closed loop: opens/s and CPU per open
    const sqlOpen0 = await statementsOf(instances);
    const cpuOpen0 = instances.map((x) => cpuMs(x.pid));
    const opened = await driver.openAll(active);
    const cpuOpen = instances.map((x) => cpuMs(x.pid)).reduce((s, v, i) => s + v - cpuOpen0[i]!, 0);
    const sqlOpen1 = await statementsOf(instances);

    const cpu0 = instances.map((x) => cpuMs(x.pid));
    const sys0 = instances.map((x) => cpuMs(x.pid, "system"));
    const sat = await driver.saturate(SAT_SECONDS, active);
    const cpu1 = instances.map((x) => cpuMs(x.pid));
    const sys1 = instances.map((x) => cpuMs(x.pid, "system"));
    const sql1 = await statementsOf(instances);
    // per answer of the closed loop (which also opens a report for each focal point who finished: 1 in 21 updates)
    const perAnswer = (k: "read" | "write" | "tx" | "total") => Number(((sql1[k] - sqlOpen1[k]) / Math.max(1, sat.answers)).toFixed(2));
    const cpuTotal = cpu1.reduce((s, v, i) => s + v - cpu0[i]!, 0);
    // the closed loop also opened a report for each focal point who finished (1 update in 21): take
    // out their CPU at the rate measured for opens, for the CPU of the answers alone
    const cpuPerOpen = cpuOpen / Math.max(1, active.length);
    const satRate = sat.answers / sat.seconds;
    const rate = FIXED_RATE ?? Math.max(1, Math.round(satRate * 0.5));
    const paced = await driver.paced(PACED_SECONDS, rate, active);
    driver.close();
    const check = db ? await checkAnswers(db, driver.chats) : { expected: 0, lost: 0, duplicated: 0, stored: 0 };
    const satSorted = [...sat.latencies].sort((a, b) => a - b);
    const sorted = [...paced.latencies].sort((a, b) => a - b);
    return {
      name: spec.name,
      instances: spec.instances,
      answersPerSecond: r1(satRate),
      opensPerSecond: r1(opened.perSecond),
      cpuMsPerOpen: Number((cpuOpen / Math.max(1, active.length)).toFixed(2)),
      satP50Ms: r1(percentile(satSorted, 50)),
      satP99Ms: r1(percentile(satSorted, 99)),
      pacedRate: rate,
      pacedAchieved: r1(paced.answers / paced.seconds),
      p50Ms: r1(percentile(sorted, 50)),
      p99Ms: r1(percentile(sorted, 99)),
      openP50Ms: r1(percentile([...opened.latencies, ...sat.openLatencies, ...paced.openLatencies].sort((a, b) => a - b), 50)),
      cpuMsPerAnswer: Number((cpuTotal / Math.max(1, sat.answers)).toFixed(2)),
      cpuMsPerAnswerExOpens: Number(((cpuTotal - sat.opens * cpuPerOpen) / Math.max(1, sat.answers)).toFixed(2)),
      cpuSystemShare: Number((sys1.reduce((s, v, i) => s + v - sys0[i]!, 0) / Math.max(1, cpuTotal)).toFixed(2)),
      sqlPerAnswer: perAnswer("total"),
      sqlReadsPerAnswer: perAnswer("read"),
      sqlWritesPerAnswer: perAnswer("write"),
      sqlTxPerAnswer: perAnswer("tx"),
      sqlPerOpen: Number(((sqlOpen1.total - sqlOpen0.total) / Math.max(1, active.length)).toFixed(2)),
      answers: sat.answers + paced.answers,
      lost: check.lost,
      duplicated: check.duplicated,
      redeliveries: paced.redeliveries,
      reports: driver.reportsStarted,
      rounds: new Set(driver.chats.map((c) => c.period)).size,
      poolRanOut: driver.ranOut,
    };
  } finally {
    for (const x of instances) await x.stop().catch(() => undefined);
    await db?.$disconnect().catch(() => undefined);
    await dropSchema?.().catch(() => undefined);
  }
}

async function pgReachable(): Promise<boolean> {
  try {
    const pg = (await import("pg")).default;
    const c = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.query("SELECT 1");
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** The tree at `rev` in a temp dir (git archive), sharing this tree's node_modules and generated clients. */
function treeAt(rev: string, work: string): string {
  const dir = path.join(work, `tree-${rev.replace(/[^\w.-]/g, "_")}`);
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `git -C "${ROOT}" archive "${rev}" | tar -x -C "${dir}"`]);
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  if (!existsSync(path.join(dir, "generated"))) symlinkSync(path.join(ROOT, "generated"), path.join(dir, "generated"));
  return dir;
}

/**
 * Share of the ceiling, two ways: throughput per instance (answers/s of one instance ÷ the ceiling's
 * answers/s, both on this machine under this load) and CPU (the ceiling's CPU ms per answer ÷ this
 * configuration's: the machine-independent figure, what fraction of a core's work per answer is the
 * framework floor).
 */
function shares(r: ConfigResult, ceiling: ConfigResult): { perInstance: number; total: number; cpu: number } {
  return {
    perInstance: r.answersPerSecond / r.instances / ceiling.answersPerSecond,
    total: r.answersPerSecond / ceiling.answersPerSecond,
    cpu: ceiling.cpuMsPerAnswer / r.cpuMsPerAnswer,
  };
}
const pct = (x: number) => `${Math.round(100 * x)}%`;

function line(r: ConfigResult, ceiling: ConfigResult | undefined): string {
  const s = ceiling && ceiling !== r ? shares(r, ceiling) : null;
  const share = s ? ` | share of ceiling: ${pct(s.perInstance)} per instance (answers/s per instance ÷ ceiling's)${r.instances > 1 ? `, ${pct(s.total)} all instances` : ""}; CPU ${pct(s.cpu)} (ceiling's ms/answer ÷ this)` : "";
  const pool = ` | ${r.reports} reports over ${r.rounds} period(s)${r.poolRanOut ? " — POOL RAN OUT: fewer chats than --active at the end, raise --users" : ""}`;
  return (
    `${r.name.padEnd(10)} ${String(r.answersPerSecond).padStart(6)} answers/s | CPU ${r.cpuMsPerAnswer} ms/answer (${r.cpuMsPerAnswerExOpens} without the opens; ${pct(r.cpuSystemShare)} in the kernel) | ` +
    (Number.isNaN(r.sqlPerAnswer) ? "" : `SQL ${r.sqlPerAnswer}/answer (${r.sqlReadsPerAnswer} read, ${r.sqlWritesPerAnswer} write, ${r.sqlTxPerAnswer} BEGIN/COMMIT), ${r.sqlPerOpen}/open | `) +
    `paced ${r.pacedRate}/s (got ${r.pacedAchieved}): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms | saturated p50 ${r.satP50Ms} ms | ` +
    `lost ${r.lost}, duplicated ${r.duplicated}, redelivered ${r.redeliveries} | /baocao: ${r.opensPerSecond}/s, CPU ${r.cpuMsPerOpen} ms${pool}${share}`
  );
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), "bench-webhook-"));
  const fake = await startFakeApi();
  const load = os.loadavg().map((x) => x.toFixed(2)).join(", ");
  console.log(
    `bench:webhook — ${USERS} focal points registered, ${ACTIVE} in a report at a time, ≤ ${CONNECTIONS} webhook requests in flight; ` +
      `${SAT_SECONDS} s closed loop + ${PACED_SECONDS} s paced per configuration; ${os.cpus().length} CPUs, load average ${load}`,
  );
  const pgOk = CONFIGS.some((c) => c.startsWith("pg")) || COMPARE ? await pgReachable() : false;
  const specs: ConfigSpec[] = [];
  const skipped: string[] = [];
  for (const c of CONFIGS) {
    if (c === "ceiling") specs.push({ name: "ceiling", kind: "ceiling", instances: 1 });
    else if (c === "sqlite") specs.push({ name: "sqlite×1", kind: "sqlite", instances: 1, nodeArgs: profileArgs("sqlite") });
    else if (c === "pg1" || c === "pg2") {
      if (!pgOk) skipped.push(c);
      else specs.push({ name: c === "pg1" ? "pg×1" : "pg×2", kind: "pg", instances: c === "pg1" ? 1 : 2, nodeArgs: c === "pg1" ? profileArgs("pg1") : undefined });
    } else throw new Error(`unknown configuration ${c} (ceiling, sqlite, pg1, pg2)`);
  }
  if (skipped.length) console.log(`PostgreSQL unreachable at ${PG_BASE}: skipped ${skipped.join(", ")}`);

  const results: ConfigResult[] = [];
  try {
    if (COMPARE) {
      // before/after: the tree at COMPARE vs the working tree, alternating, medians over REPEAT rounds
      const before = treeAt(COMPARE, work);
      const kinds: Array<ConfigSpec["kind"]> = pgOk ? ["sqlite", "pg"] : ["sqlite"];
      const figures: Record<string, Record<string, number | string>> = {};
      for (const kind of kinds) {
        const runs: Record<"before" | "after", ConfigResult[]> = { before: [], after: [] };
        for (let i = 0; i < REPEAT; i++) {
          for (const which of i % 2 === 0 ? (["before", "after"] as const) : (["after", "before"] as const)) {
            const r = await runConfig({ name: `${kind}:${which}`, kind, instances: 1, root: which === "before" ? before : ROOT }, work, fake);
            console.log(line(r, undefined));
            runs[which].push(r);
          }
        }
        const med = (w: "before" | "after", k: keyof ConfigResult) => median(runs[w].map((r) => Number(r[k])));
        const f: Record<string, number | string> = {};
        for (const k of ["answersPerSecond", "cpuMsPerAnswer", "cpuMsPerAnswerExOpens", "sqlPerAnswer", "p50Ms", "p99Ms", "satP50Ms"] as const) {
          const round = k.startsWith("cpu") || k.startsWith("sql") ? (x: number) => Number(x.toFixed(2)) : r1;
          f[`${k}Before`] = round(med("before", k));
          f[`${k}After`] = round(med("after", k));
        }
        f.lost = runs.after.concat(runs.before).reduce((s, r) => s + r.lost, 0);
        f.duplicated = runs.after.concat(runs.before).reduce((s, r) => s + r.duplicated, 0);
        f.poolRanOut = String(runs.after.concat(runs.before).some((r) => r.poolRanOut));
        console.log(
          `${kind} before (${COMPARE}) → after (working tree), medians of ${REPEAT}: ${f.answersPerSecondBefore} → ${f.answersPerSecondAfter} answers/s; ` +
            `CPU ${f.cpuMsPerAnswerBefore} → ${f.cpuMsPerAnswerAfter} ms/answer (without the opens ${f.cpuMsPerAnswerExOpensBefore} → ${f.cpuMsPerAnswerExOpensAfter}); SQL ${f.sqlPerAnswerBefore} → ${f.sqlPerAnswerAfter} statements/answer; paced p50 ${f.p50MsBefore} → ${f.p50MsAfter} ms, p99 ${f.p99MsBefore} → ${f.p99MsAfter} ms`,
        );
        figures[kind] = f;
      }
      console.log(JSON.stringify({ compare: COMPARE, users: USERS, repeat: REPEAT, loadavg: os.loadavg()[0], ...figures }));
      return;
    }
    for (const spec of specs) {
      const r = await runConfig(spec, work, fake);
      results.push(r);
      console.log(line(r, results.find((x) => x.name === "ceiling")));
    }
  } finally {
    await fake.close();
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }

  const ceiling = results.find((r) => r.name === "ceiling");
  const two = results.find((r) => r.name === "pg×2");
  const bots = results.filter((r) => r.name !== "ceiling");
  const targets = {
    twoInstancesAtLeast300: two ? two.answersPerSecond >= 300 : null,
    p99Below150: bots.every((r) => r.p99Ms < 150),
    zeroLost: bots.every((r) => r.lost === 0),
    zeroDuplicated: bots.every((r) => r.duplicated === 0),
    halfOfCeilingPerInstance: ceiling ? bots.every((r) => shares(r, ceiling).perInstance >= 0.5) : null,
    /** the same bar on CPU per answer (machine-independent): ceiling's ms/answer ≥ 50% of each configuration's */
    halfOfCeilingCpu: ceiling ? bots.every((r) => shares(r, ceiling).cpu >= 0.5) : null,
    /** every configuration ran its phases with --active chats throughout */
    poolSufficed: results.every((r) => !r.poolRanOut),
  };
  console.log("");
  console.log("Targets (issue 11 §5): ≥ 300 answers/s across two instances; p99 < 150 ms; 0 lost; 0 duplicated; ≥ 50% of the ceiling per instance.");
  console.log(
    `  two instances ≥ 300/s: ${fmt(targets.twoInstancesAtLeast300)}${two ? ` (${two.answersPerSecond})` : ""}; p99 < 150 ms: ${fmt(targets.p99Below150)}; ` +
      `0 lost: ${fmt(targets.zeroLost)}; 0 duplicated: ${fmt(targets.zeroDuplicated)}; ≥ 50% of ceiling per instance: ${fmt(targets.halfOfCeilingPerInstance)} ` +
      `(answers/s per instance ÷ ceiling answers/s${ceiling ? `: ${bots.map((r) => `${r.name} ${pct(shares(r, ceiling).perInstance)}`).join(", ")}` : ""}); ` +
      `on CPU per answer (ceiling ms ÷ configuration ms): ${fmt(targets.halfOfCeilingCpu)}${ceiling ? ` (${bots.map((r) => `${r.name} ${pct(shares(r, ceiling).cpu)}`).join(", ")})` : ""}`,
  );
  if (!targets.poolSufficed) console.log(`  the pool of focal points ran out in ${results.filter((r) => r.poolRanOut).map((r) => r.name).join(", ")}: its figures were measured with fewer than --active chats; raise --users`);
  console.log(`  (absolute figures depend on the machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(", ")} at the end; compare ratios)`);
  const json: Record<string, unknown> = { users: USERS, active: ACTIVE, connections: CONNECTIONS, seconds: SAT_SECONDS, pacedSeconds: PACED_SECONDS, loadavg: os.loadavg()[0], skipped, targets };
  for (const r of results) {
    const { name, ...rest } = r;
    const s = ceiling && r !== ceiling ? shares(r, ceiling) : null;
    json[name.replace("×", "x")] = {
      ...rest,
      ...(s ? { shareOfCeiling: Number(s.total.toFixed(3)), shareOfCeilingPerInstance: Number(s.perInstance.toFixed(3)), cpuShareOfCeiling: Number(s.cpu.toFixed(3)) } : {}),
    };
  }
  console.log(JSON.stringify(json));
}

/** --profile DIR: node --cpu-prof for the sqlite×1 and pg×1 instances, into DIR/sqlite and DIR/pg1. */
function profileArgs(config: string): string[] | undefined {
  return PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(PROFILE_DIR, config)}`] : undefined;
}

const fmt = (b: boolean | null) => (b === null ? "n/a" : b ? "met" : "NOT met");

await main();
