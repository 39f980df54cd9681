/**
 * `npm start` with BOT_TOKEN and TELEGRAM_API_ROOT: the real entry point, in its own process,
 * migrates and seeds a fresh database, publishes the command menu, long-polls the (fake) Bot API,
 * answers, and shuts down cleanly on SIGTERM.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { chat, startFakeTelegram } from "../support/telegram.ts";

it("runs on Telegram when BOT_TOKEN is set", async () => {
  const fake = await startFakeTelegram({ token: "123456:TEST-token_abc" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "cds-main-"));
  const child = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    env: { ...process.env, BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: `file:${path.join(dir, "app.db")}`, REMINDER_INTERVAL_SECONDS: "0", WEB_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const lan = chat(fake, { id: 4242, first_name: "Lan" });
    lan.say("/start demo_th_hoamai");
    await lan.expectReply("dữ liệu cá nhân", 40_000).catch((e) => {
      throw new Error(`${(e as Error).message}\nstderr: ${stderr}`);
    });
    lan.tap("Đồng ý");
    await lan.expectReply("Đã đăng ký", 20_000).catch((e) => {
      throw new Error(`${(e as Error).message}\nstderr: ${stderr}`);
    });
    expect(fake.commands.map((c) => c.command)).toContain("baocao");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    child.kill("SIGKILL");
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(stderr).not.toMatch(/ERROR|"level":50/);
}, 60_000);
