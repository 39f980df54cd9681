/**
 * Configuration, validated once at start with zod. Every entry point (`npm start`, the admin CLI,
 * the scripts) calls `loadConfig()`, which reads `.env` (never overriding variables already set)
 * and the environment. A missing or invalid value fails with a ConfigError listing tagged problems
 * (variable + kind); bot/messages/config.ts words them for the operator.
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
    message: "token_format_or_empty" satisfies ConfigProblemKind,
  }),
  TELEGRAM_API_ROOT: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: "api_root_url" satisfies ConfigProblemKind,
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
    { message: "database_url" satisfies ConfigProblemKind },
  ),
  /** The one HTTP port: webhook, /healthz, /readyz, /metrics and the dashboard. */
  WEB_PORT: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ message: "web_port_number" satisfies ConfigProblemKind }).int("web_port_integer" satisfies ConfigProblemKind).min(0).max(65535).default(8080),
  ),
  /**
   * Public https address the dashboard (Telegram Mini App) is reached at, e.g. https://bot.example.vn
   * (the server serves it under /app/ on WEB_PORT). Default in webhook mode: WEBHOOK_URL's origin.
   * Without it (and not in webhook mode) no Telegram button opens the dashboard: Telegram needs https.
   */
  DASHBOARD_URL: optionalString.refine((v) => v === undefined || /^https:\/\/[^\s]+$/.test(v), {
    message: "dashboard_url" satisfies ConfigProblemKind,
  }),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: optionalString.transform((v) => v ?? "gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: optionalString,
  /** Seconds before a model call is abandoned (≤ 20: a chat waits for it). */
  OPENAI_TIMEOUT_SECONDS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().min(1).max(20, "llm_timeout_max" satisfies ConfigProblemKind).default(20),
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
      { message: "reminder_cron" satisfies ConfigProblemKind },
    ),
  /**
   * The job queue for reminders and nudges: memory (in this process; SQLite), bullmq (BullMQ on
   * PostgreSQL, shared by every instance), auto (bullmq on PostgreSQL, memory on SQLite).
   */
  QUEUE: optionalString.pipe(z.enum(["auto", "memory", "bullmq"], { message: "queue_value" satisfies ConfigProblemKind }).optional()).transform((v) => v ?? "auto"),
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
  .string({ message: "token_required" satisfies ConfigProblemKind })
  .trim()
  .regex(TOKEN_RE, "token_format" satisfies ConfigProblemKind);

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
        .string({ message: "webhook_url_required" satisfies ConfigProblemKind })
        .trim()
        .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, "webhook_url_https" satisfies ConfigProblemKind),
      WEBHOOK_SECRET: z
        .string({ message: "webhook_secret_required" satisfies ConfigProblemKind })
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, "webhook_secret_format" satisfies ConfigProblemKind),
    }),
  ],
  { error: () => "bot_mode" satisfies ConfigProblemKind },
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
    const problems = issues
      .map((i): ConfigProblem => {
        const field = i.path.join(".") || "BOT_MODE";
        return CONFIG_PROBLEM_KINDS.has(i.message as ConfigProblemKind) ? { field, kind: i.message as ConfigProblemKind } : { field, kind: "invalid", detail: i.message };
      })
      .filter((p) => {
        const key = `${p.field}\u0000${p.kind}\u0000${p.kind === "invalid" ? p.detail : ""}`;
        return !seen.has(key) && seen.add(key);
      });
    throw new ConfigError(problems);
  }
  const c = base.data;
  const m = mode.data;
  const postgres = providerOf(c.DATABASE_URL) === "postgresql";
  if (c.QUEUE === "bullmq" && !postgres) {
    throw new ConfigError([{ field: "QUEUE", kind: "bullmq_needs_postgres" }]);
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

/**
 * What is wrong with one variable, as data: bot/messages/config.ts words it for the operator
 * (configErrorText, used by `npm start`, the CLI and the scripts). "invalid" carries zod's own
 * message for a check that has no wording of its own (a number out of range, an unknown LOG_LEVEL).
 */
export type ConfigProblemKind =
  | "token_format_or_empty"
  | "token_required"
  | "token_format"
  | "api_root_url"
  | "database_url"
  | "web_port_number"
  | "web_port_integer"
  | "dashboard_url"
  | "llm_timeout_max"
  | "reminder_cron"
  | "queue_value"
  | "bullmq_needs_postgres"
  | "webhook_url_required"
  | "webhook_url_https"
  | "webhook_secret_required"
  | "webhook_secret_format"
  | "bot_mode";

const CONFIG_PROBLEM_KINDS = new Set<ConfigProblemKind>([
  "token_format_or_empty", "token_required", "token_format", "api_root_url", "database_url", "web_port_number", "web_port_integer",
  "dashboard_url", "llm_timeout_max", "reminder_cron", "queue_value", "bullmq_needs_postgres", "webhook_url_required",
  "webhook_url_https", "webhook_secret_required", "webhook_secret_format", "bot_mode",
]);

export type ConfigProblem = { field: string; kind: ConfigProblemKind } | { field: string; kind: "invalid"; detail: string };

/**
 * An invalid configuration: `problems` names each variable and what is wrong with it (tagged);
 * bot/messages/config.ts configErrorText words them. The message is a technical summary for logs.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.field} (${p.kind === "invalid" ? p.detail : p.kind})`).join("; ")}`);
  }
}
