/**
 * Webhook mode end to end: `npm start` with BOT_MODE=webhook in its own process, a fake Bot API for
 * the bot's calls, and real HTTP POSTs of updates to WEB_PORT — as Telegram does it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { chat, startFakeTelegram } from "../support/telegram.ts";

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
const SECRET = "test_secret-123";

it("serves the webhook (401 without the secret, a redelivered update handled once), health, readiness and metrics; SIGTERM exits 0", async () => {
  const fake = await startFakeTelegram({ token: "123456:TEST-token_abc" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "cds-hook-"));
  const child = spawn(process.execPath, [TSX, "bot/main.ts"], {
    env: {
      ...process.env,
      BOT_MODE: "webhook",
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      WEBHOOK_URL: "https://bot.example.vn/tg/hook",
      WEBHOOK_SECRET: SECRET,
      WEB_PORT: "0",
      DATABASE_URL: `file:${path.join(dir, "app.db")}`,
      REMINDER_INTERVAL_SECONDS: "0",
      LOG_LEVEL: "debug",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let port = 0;
  const listening = new Promise<void>((resolve) =>
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /"port":(\d+)[^\n]*"msg":"bot is receiving updates by webhook"/.exec(stderr);
      if (m && !port) {
        port = Number(m[1]);
        resolve();
      }
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = () => `http://127.0.0.1:${port}`;
  const post = (update: unknown, secret?: string) =>
    fetch(`${base()}/tg/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
      body: JSON.stringify(update),
    });
  try {
    await Promise.race([
      listening,
      exited.then((c) => {
        throw new Error(`bot exited (${c}):\n${stderr}`);
      }),
      new Promise((_, rej) => setTimeout(() => rej(new Error(`no webhook start within 60 s:\n${stderr}`)), 60_000)),
    ]);
    // setWebhook with the URL and the secret, through TELEGRAM_API_ROOT
    const setWebhook = fake.calls.find((c) => c.method === "setWebhook");
    expect(setWebhook?.params).toMatchObject({ url: "https://bot.example.vn/tg/hook", secret_token: SECRET });

    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
    expect((await fetch(`${base()}/nowhere`)).status).toBe(404);

    const lan = chat(fake, { id: 4244, first_name: "Lan" });
    const start = lan.say("/start demo_th_hoamai"); // built by the fake; we deliver it ourselves
    expect((await post(start)).status).toBe(401);
    expect((await post(start, "wrong-secret")).status).toBe(401);
    expect(fake.messages(4244)).toHaveLength(0);

    const ok = await post(start, SECRET);
    expect(ok.status).toBe(200);
    // the webhook answers after the handler: the reply (the personal-data notice) is already there
    expect(fake.messages(4244).some((m) => (m.text ?? "").includes("dữ liệu cá nhân"))).toBe(true);
    expect((await post(lan.tap("Đồng ý"), SECRET)).status).toBe(200);
    expect(fake.messages(4244).some((m) => (m.text ?? "").includes("Đã đăng ký"))).toBe(true);
    const help = lan.say("/trogiup");
    expect((await post(help, SECRET)).status).toBe(200);
    const count = fake.messages(4244).length;
    // Telegram redelivers the same updates (e.g. after a timeout): answered 200, handled once
    expect((await post(help, SECRET)).status).toBe(200);
    expect((await post(start, SECRET)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(4244).length).toBe(count);

    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/cds_updates_handled_total\{outcome="ok"\} 3/);
    expect(metrics).toMatch(/cds_updates_handled_total\{outcome="duplicate"\} 2/);
    expect(metrics).toMatch(/cds_update_handler_seconds_bucket\{le="0.5"\} \d+/);
    expect(metrics).toContain("cds_answers_stored_total");
    expect(metrics).toContain("cds_reports_submitted_total");
    expect(metrics).toContain("cds_reminders_sent_total");
    expect(metrics).toContain("cds_telegram_429_total");

    // logs: JSON lines with update_id and the internal user id; no names or message texts
    const lines = stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const dup = lines.find((l) => l.msg === "duplicate update skipped");
    expect(dup?.update_id).toBe(help.update_id);
    const handled = lines.find((l) => l.msg === "update handled" && l.update_id === help.update_id);
    expect(typeof handled?.user_id).toBe("number");
    // the daily personal-data retention run is scheduled in webhook mode too (a job of the queue)
    expect(lines.find((l) => l.msg === "job queue started")?.retention).toBe("30 2 * * *");
    expect(stderr).not.toContain("Lan");
    expect(stderr).not.toContain("demo_th_hoamai");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    child.kill("SIGKILL");
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(stderr).not.toMatch(/"level":50/);
}, 120_000);
