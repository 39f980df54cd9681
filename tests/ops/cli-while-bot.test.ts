/**
 * The admin CLI works while the bot runs on the same SQLite file: `npm start` (a separate
 * process, long-polling a fake Bot API) holds the database and writes to it while `units import`,
 * `invite` and `late` run. Before §1 every CLI call ran `prisma migrate deploy` and failed here with
 * "unknown variant `SocketTimeout`" and a stack trace.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { chat, startFakeTelegram } from "../support/telegram.ts";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

it("runs units import, invite and late while the bot holds and writes the SQLite file", async () => {
  const fake = await startFakeTelegram({ token: "123456:TEST-token_abc" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "cds-clibot-"));
  const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, "app.db")}`, REMINDER_INTERVAL_SECONDS: "0", LOG_LEVEL: "warn", WEB_PORT: "0" };
  const child = spawn(process.execPath, [TSX, "bot/main.ts"], {
    env: { ...env, BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const cli = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, [TSX, "cli/main.ts", ...args], { env });
      return { code: 0, out: r.stdout + r.stderr, stdout: r.stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, out: err.stdout + err.stderr, stdout: err.stdout };
    }
  };
  try {
    const lan = chat(fake, { id: 4243, first_name: "Lan" });
    lan.say("/start demo_th_hoamai");
    await lan.expectReply("dữ liệu cá nhân", 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}\nstderr: ${stderr}`);
    });
    lan.tap("Đồng ý");
    await lan.expectReply("Đã đăng ký", 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}\nstderr: ${stderr}`);
    });
    // the bot keeps writing (new users, sessions) while the CLI runs
    const people = Array.from({ length: 8 }, (_, i) => chat(fake, { id: 5000 + i, first_name: `Người ${i}` }));
    for (const p of people) p.say("/start");
    const [imported, invite, late] = await Promise.all([
      cli("units", "import", "tests/fixtures/units-good.csv"),
      cli("invite", "TH-HOAMAI"),
      cli("late", "--period", "2026-03", "--json"),
    ]);
    for (const r of [imported, invite, late]) {
      expect(r.out).not.toMatch(/SocketTimeout|migration|\n\s+at /);
      expect(r.code, r.out).toBe(0);
    }
    expect(imported.out).toContain("Đã nhập");
    // one root → an object; the import running beside it may add a second root → an array
    const parsed = JSON.parse(late.stdout.slice(late.stdout.search(/[[{]/)));
    expect((Array.isArray(parsed) ? parsed[0] : parsed).expected).toBeGreaterThan(0);
    for (const p of people) await p.expectReply(/./, 30_000);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    child.kill("SIGKILL");
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(stderr).not.toMatch(/ERROR|"level":50/);
}, 120_000);
