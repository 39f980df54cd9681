/**
 * One validated configuration for every entry point: modes, webhook requirements, WEB_PORT, and
 * the CLI reading .env like `npm start` does.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../core/config.ts";
import { configErrorText } from "../../bot/messages/config.ts";

const run = promisify(execFile);
const ROOT = path.resolve(".");
const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
const TOKEN = "123456:TEST-token_abc";
const HOOK = { BOT_MODE: "webhook", BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://bot.example.vn/telegram/hook", WEBHOOK_SECRET: "s3cret_-X" };

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return configErrorText(e as ConfigError);
  }
  throw new Error("expected a configuration error");
}

describe("config", () => {
  it("defaults: local without a token, polling with one, WEB_PORT 8080, SQLite file", () => {
    const local = loadConfig({});
    expect(local.mode).toBe("local");
    expect(local.WEB_PORT).toBe(8080);
    expect(local.DATABASE_URL).toBe("file:./data/app.db");
    expect(local.webhook).toBeNull();
    expect(loadConfig({ BOT_TOKEN: TOKEN }).mode).toBe("polling");
    expect(loadConfig({ BOT_TOKEN: TOKEN, BOT_MODE: "local" }).mode).toBe("local");
    expect(loadConfig({ WEB_PORT: "9090" }).WEB_PORT).toBe(9090);
  });

  it("webhook mode needs an https WEBHOOK_URL and a WEBHOOK_SECRET; the error names each variable", () => {
    const missing = errorOf({ BOT_MODE: "webhook", BOT_TOKEN: TOKEN });
    expect(missing).toContain("WEBHOOK_URL:");
    expect(missing).toContain("WEBHOOK_SECRET:");
    expect(missing).not.toContain("BOT_TOKEN:");
    expect(errorOf({ ...HOOK, WEBHOOK_URL: "http://bot.example.vn/hook" })).toMatch(/WEBHOOK_URL: .*https/);
    expect(errorOf({ ...HOOK, WEBHOOK_SECRET: "has space" })).toContain("WEBHOOK_SECRET:");
    expect(errorOf({ ...HOOK, BOT_TOKEN: "" })).toContain("BOT_TOKEN:");
    const ok = loadConfig(HOOK);
    expect(ok.mode).toBe("webhook");
    expect(ok.webhook).toEqual({ url: HOOK.WEBHOOK_URL, secret: HOOK.WEBHOOK_SECRET, path: "/telegram/hook" });
  });

  it("refuses an unknown mode, polling without a token, and a bad port", () => {
    expect(errorOf({ BOT_MODE: "cron" })).toContain("BOT_MODE:");
    expect(errorOf({ BOT_MODE: "polling" })).toContain("BOT_TOKEN:");
    expect(errorOf({ WEB_PORT: "http" })).toContain("WEB_PORT:");
    expect(errorOf({ WEB_PORT: "70000" })).toContain("WEB_PORT:");
    expect(errorOf({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL:");
  });

  it("core tags each problem (variable + kind); bot/messages words them for the operator", () => {
    let error: unknown;
    try {
      loadConfig({ BOT_MODE: "webhook", BOT_TOKEN: TOKEN, WEB_PORT: "70000", REMINDER_DAYS_BEFORE: "99" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { field: "WEB_PORT", kind: "web_port_number" },
      { field: "REMINDER_DAYS_BEFORE", kind: "invalid", detail: expect.stringContaining("15") },
      { field: "WEBHOOK_URL", kind: "webhook_url_required" },
      { field: "WEBHOOK_SECRET", kind: "webhook_secret_required" },
    ]);
    expect(configErrorText(error as ConfigError)).toBe(
      [
        "Cấu hình không hợp lệ (xem .env.example):",
        "  - WEB_PORT: WEB_PORT phải là một số cổng, ví dụ 8080",
        "  - REMINDER_DAYS_BEFORE: Too big: expected number to be <=15",
        "  - WEBHOOK_URL: WEBHOOK_URL là bắt buộc khi BOT_MODE=webhook (địa chỉ https công khai mà Telegram gửi cập nhật tới)",
        "  - WEBHOOK_SECRET: WEBHOOK_SECRET là bắt buộc khi BOT_MODE=webhook (1–256 ký tự A-Z, a-z, 0-9, _ và -)",
      ].join("\n"),
    );
    expect(errorOf({ QUEUE: "bullmq" })).toBe(
      "Cấu hình không hợp lệ (xem .env.example):\n  - QUEUE: QUEUE=bullmq cần DATABASE_URL là PostgreSQL (postgresql://…); với SQLite dùng QUEUE=memory hoặc auto",
    );
  });

  it("the LLM timeout is at most 20 s", () => {
    expect(loadConfig({ OPENAI_API_KEY: "k" }).llm?.timeoutMs).toBe(20_000);
    expect(loadConfig({ OPENAI_API_KEY: "k", OPENAI_TIMEOUT_SECONDS: "5" }).llm?.timeoutMs).toBe(5_000);
    expect(errorOf({ OPENAI_TIMEOUT_SECONDS: "600" })).toContain("OPENAI_TIMEOUT_SECONDS:");
  });
});

describe("the CLI reads .env like npm start", () => {
  it("writes to the database named in .env, and stops on an invalid .env with the variable's name", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-env-"));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    try {
      const file = path.join(dir, "from-env.db");
      writeFileSync(path.join(dir, ".env"), `DATABASE_URL=file:${file}\nBOT_USERNAME=env_bot\n`);
      const r = await run(process.execPath, [TSX, path.join(ROOT, "cli/main.ts"), "db", "migrate"], { cwd: dir, env });
      expect(r.stdout).toContain("Đã cập nhật cấu trúc cơ sở dữ liệu");
      expect(existsSync(file)).toBe(true);
      expect(existsSync(path.join(dir, "data", "app.db"))).toBe(false);
      // a second run finds nothing to do, without running the Prisma CLI
      const again = await run(process.execPath, [TSX, path.join(ROOT, "cli/main.ts"), "db", "migrate"], { cwd: dir, env });
      expect(again.stdout).toContain("đã ở phiên bản mới nhất");

      writeFileSync(path.join(dir, ".env"), "BOT_MODE=webhook\nBOT_TOKEN=123456:TEST-token_abc\n");
      const bad = await run(process.execPath, [TSX, path.join(ROOT, "cli/main.ts"), "db", "status"], { cwd: dir, env }).catch((e) => e);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("WEBHOOK_URL");
      expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
