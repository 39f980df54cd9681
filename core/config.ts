/**
 * Configuration, validated once at start with zod. A missing or invalid value fails with a
 * clear message naming the variable. Documented in .env.example.
 *
 * Mode: with BOT_TOKEN the bot long-polls Telegram (or TELEGRAM_API_ROOT, a self-hosted Bot API
 * server); without it, `npm start` runs the very same bot in a local terminal chat.
 */
import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./db/target.ts";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const EnvSchema = z.object({
  BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[\w-]{5,}$/.test(v), {
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
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: optionalString.transform((v) => v ?? "gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: optionalString,
  /** Comma-separated Telegram user ids that are admins. */
  ADMIN_TELEGRAM_IDS: optionalString.transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : [])),
  REMINDER_DAYS_BEFORE: z.coerce.number().int().min(0).max(15).default(3),
  /** How often the reminder scheduler looks for due reminders, in seconds (0 disables it). */
  REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Questions about the plans per user per minute. */
  QA_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Who is responsible for the personal data (the education authority running the bot), named in the notice. */
  DATA_CONTROLLER_NAME: optionalString.transform((v) => v ?? "Sở Giáo dục và Đào tạo vận hành bot này"),
  /** Days without activity after which a user's personal data is anonymized (core/privacy retention). */
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Cấu hình không hợp lệ (xem .env.example):\n${lines.join("\n")}`, { cause: parsed.error });
  }
  const c = parsed.data;
  return {
    ...c,
    mode: c.BOT_TOKEN ? ("telegram" as const) : ("local" as const),
    llm: c.OPENAI_API_KEY || c.OPENAI_BASE_URL
      ? { apiKey: c.OPENAI_API_KEY ?? "not-needed", baseURL: c.OPENAI_BASE_URL, model: c.OPENAI_MODEL, embeddingModel: c.OPENAI_EMBEDDING_MODEL }
      : null,
  };
}
