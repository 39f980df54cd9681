/**
 * Configuration, validated once at start with zod. Every entry point (`npm start`, the admin CLI,
 * the scripts) calls `loadConfig()`, which reads `.env` (never overriding variables already set)
 * and the environment. A missing or invalid value fails with a message naming the variable.
 * Documented in .env.example and the README.
 *
 * BOT_MODE:
 *   local    the very same bot in a terminal chat, against an in-process fake Bot API
 *   polling  long polling (grammY runner) on Telegram, or TELEGRAM_API_ROOT
 *   webhook  Telegram POSTs updates to WEBHOOK_URL; needs WEBHOOK_SECRET
 * Default: polling when BOT_TOKEN is set, local otherwise.
 * WEB_PORT (default 8080) is the one HTTP port: webhook, /healthz, /readyz, /metrics, dashboard.
 */
import { config as loadDotenv } from "dotenv";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./db/target.ts";
import type { LlmSettings } from "./llm/client.ts";
import { nextCronRun } from "./jobs/queue.ts";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const TOKEN_RE = /^\d+:[\w-]{5,}$/;

const BaseSchema = z.object({
  BOT_TOKEN: optionalString.refine((v) => v === undefined || TOKEN_RE.test(v), {
    message: 'BOT_TOKEN phải có dạng "123456789:ABC…" (lấy từ @BotFather), hoặc để trống để chạy chat cục bộ',
  }),
  TELEGRAM_API_ROOT: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: "TELEGRAM_API_ROOT phải là một URL http(s), ví dụ http://127.0.0.1:8081",
  }),
  BOT_USERNAME: optionalString,
  DATABASE_URL: optionalString.transform((v) => v ?? DEFAULT_DATABASE_URL).refine(
    (v) => {
      try {
        providerOf(v);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'DATABASE_URL phải là "file:./data/app.db" (SQLite) hoặc "postgresql://…"' },
  ),
  /** The one HTTP port: webhook, /healthz, /readyz, /metrics and the dashboard. */
  WEB_PORT: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ message: "WEB_PORT phải là một số cổng, ví dụ 8080" }).int("WEB_PORT phải là số nguyên").min(0).max(65535).default(8080),
  ),
  /**
   * Public https address the dashboard (Telegram Mini App) is reached at, e.g. https://bot.example.vn
   * (the server serves it under /app/ on WEB_PORT). Default in webhook mode: WEBHOOK_URL's origin.
   * Without it (and not in webhook mode) no Telegram button opens the dashboard: Telegram needs https.
   */
  DASHBOARD_URL: optionalString.refine((v) => v === undefined || /^https:\/\/[^\s]+$/.test(v), {
    message: "DASHBOARD_URL phải là một địa chỉ https://…, ví dụ https://bot.example.vn",
  }),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: optionalString.transform((v) => v ?? "gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: optionalString,
  /** Seconds before a model call is abandoned (≤ 20: a chat waits for it). */
  OPENAI_TIMEOUT_SECONDS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().min(1).max(20, "OPENAI_TIMEOUT_SECONDS tối đa là 20 giây").default(20),
  ),
  /** Comma-separated Telegram user ids that are admins. */
  ADMIN_TELEGRAM_IDS: optionalString.transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : [])),
  REMINDER_DAYS_BEFORE: z.coerce.number().int().min(0).max(15).default(3),
  /** Kept for compatibility: 0 turns reminder scans off (like REMINDER_CRON=off); other values are ignored. */
  REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  /**
   * When reminder scans run: a cron pattern read in Vietnam time (Asia/Ho_Chi_Minh), or "off".
   * Default every 5 minutes; a reminder's own time (e.g. 08:00 three days before the deadline)
   * comes from the plan's rules, the scan only finds the ones that are due.
   */
  REMINDER_CRON: optionalString
    .transform((v) => v ?? "*/5 * * * *")
    .refine(
      (v) => {
        if (v === "off") return true;
        try {
          nextCronRun(v);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'REMINDER_CRON phải là một lịch cron, ví dụ "*/5 * * * *" (mỗi 5 phút, giờ Việt Nam), hoặc "off"' },
    ),
  /**
   * The job queue for reminders and nudges: memory (in this process; SQLite), bullmq (BullMQ on
   * PostgreSQL, shared by every instance), auto (bullmq on PostgreSQL, memory on SQLite).
   */
  QUEUE: optionalString.pipe(z.enum(["auto", "memory", "bullmq"], { message: 'QUEUE phải là "auto", "memory" hoặc "bullmq"' }).optional()).transform((v) => v ?? "auto"),
  /** Questions about the plans per user per minute. */
  QA_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /**
   * Seconds after which an update claimed by an instance that never finished it (killed) may be
   * handled again by a redelivery (core/updates/claims.ts). Longer than any handler.
   */
  UPDATE_CLAIM_STALE_SECONDS: z.coerce.number().int().min(1).default(90),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Who is responsible for the personal data (the education authority running the bot), named in the notice. */
  DATA_CONTROLLER_NAME: optionalString.transform((v) => v ?? "Sở Giáo dục và Đào tạo vận hành bot này"),
  /** Days without activity after which a user's personal data is anonymized (core/privacy retention). */
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
});

const requiredToken = z
  .string({ message: "BOT_TOKEN là bắt buộc ở chế độ này (lấy từ @BotFather)" })
  .trim()
  .regex(TOKEN_RE, 'BOT_TOKEN phải có dạng "123456789:ABC…" (lấy từ @BotFather)');

/** The mode decides what else is required (a union: each branch names its own variables). */
const ModeSchema = z.discriminatedUnion(
  "BOT_MODE",
  [
    z.object({ BOT_MODE: z.literal("local") }),
    z.object({ BOT_MODE: z.literal("polling"), BOT_TOKEN: requiredToken }),
    z.object({
      BOT_MODE: z.literal("webhook"),
      BOT_TOKEN: requiredToken,
      WEBHOOK_URL: z
        .string({ message: "WEBHOOK_URL là bắt buộc khi BOT_MODE=webhook (địa chỉ https công khai mà Telegram gửi cập nhật tới)" })
        .trim()
        .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, "WEBHOOK_URL phải là một địa chỉ https://…, ví dụ https://bot.example.vn/telegram"),
      WEBHOOK_SECRET: z
        .string({ message: "WEBHOOK_SECRET là bắt buộc khi BOT_MODE=webhook (1–256 ký tự A-Z, a-z, 0-9, _ và -)" })
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, "WEBHOOK_SECRET chỉ gồm 1–256 ký tự A-Z, a-z, 0-9, _ và -"),
    }),
  ],
  { error: () => 'BOT_MODE phải là "local", "polling" hoặc "webhook"' },
);

export type BotMode = "local" | "polling" | "webhook";

export type Config = ReturnType<typeof loadConfig>;

/** Read .env into process.env (variables already set win), once per process. */
let dotenvLoaded = false;
export function loadEnvFile(): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  loadDotenv({ quiet: true });
}

/**
 * Validate the configuration. Without an argument: .env, then process.env (what every entry point
 * uses); with an env object (tests): only that object.
 */
export function loadConfig(env?: Record<string, string | undefined>) {
  if (!env) {
    loadEnvFile();
    env = process.env;
  }
  const blank = (v: string | undefined) => v === undefined || v.trim() === "";
  const withMode = {
    ...env,
    BOT_MODE: blank(env.BOT_MODE) ? (blank(env.BOT_TOKEN) ? "local" : "polling") : env.BOT_MODE!.trim(),
    BOT_TOKEN: blank(env.BOT_TOKEN) ? undefined : env.BOT_TOKEN,
    WEBHOOK_URL: blank(env.WEBHOOK_URL) ? undefined : env.WEBHOOK_URL,
    WEBHOOK_SECRET: blank(env.WEBHOOK_SECRET) ? undefined : env.WEBHOOK_SECRET,
  };
  const base = BaseSchema.safeParse(withMode);
  const mode = ModeSchema.safeParse(withMode);
  const issues = [...(base.success ? [] : base.error.issues), ...(mode.success ? [] : mode.error.issues)];
  if (!base.success || !mode.success) {
    const seen = new Set<string>();
    const lines = issues
      .map((i) => `  - ${i.path.join(".") || "BOT_MODE"}: ${i.message}`)
      .filter((l) => !seen.has(l) && seen.add(l));
    throw new ConfigError(`Cấu hình không hợp lệ (xem .env.example):\n${lines.join("\n")}`);
  }
  const c = base.data;
  const m = mode.data;
  const postgres = providerOf(c.DATABASE_URL) === "postgresql";
  if (c.QUEUE === "bullmq" && !postgres) {
    throw new ConfigError("Cấu hình không hợp lệ (xem .env.example):\n  - QUEUE: QUEUE=bullmq cần DATABASE_URL là PostgreSQL (postgresql://…); với SQLite dùng QUEUE=memory hoặc auto");
  }
  return {
    ...c,
    BOT_MODE: m.BOT_MODE as BotMode,
    /** Same as BOT_MODE (kept for readers of `config.mode`). */
    mode: m.BOT_MODE as BotMode,
    /** Where Telegram opens the dashboard (https), or undefined when none is configured. */
    dashboardUrl: (c.DASHBOARD_URL ?? (m.BOT_MODE === "webhook" ? new URL(m.WEBHOOK_URL).origin : undefined))?.replace(/\/+$/, ""),
    /** The job queue engine in use (QUEUE resolved). */
    queue: (c.QUEUE === "auto" ? (postgres ? "bullmq" : "memory") : c.QUEUE) as "memory" | "bullmq",
    /** The reminder scans' cron (Vietnam time), or null when off (REMINDER_CRON=off, or REMINDER_INTERVAL_SECONDS=0 as before). */
    reminderCron: c.REMINDER_CRON === "off" || c.REMINDER_INTERVAL_SECONDS === 0 ? null : c.REMINDER_CRON,
    webhook: m.BOT_MODE === "webhook" ? { url: m.WEBHOOK_URL, secret: m.WEBHOOK_SECRET, path: new URL(m.WEBHOOK_URL).pathname } : null,
    llm: (c.OPENAI_API_KEY || c.OPENAI_BASE_URL
        ? {
            apiKey: c.OPENAI_API_KEY ?? "not-needed",
            baseURL: c.OPENAI_BASE_URL,
            model: c.OPENAI_MODEL,
            embeddingModel: c.OPENAI_EMBEDDING_MODEL,
            timeoutMs: c.OPENAI_TIMEOUT_SECONDS * 1000,
          }
        : null) as (LlmSettings & { model: string }) | null,
  };
}

/** A configuration error: its message names the variables and is meant for the admin as is. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
