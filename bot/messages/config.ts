/**
 * Words of the start-up configuration check for the operator: core/config.ts throws a ConfigError
 * with tagged problems (variable + kind); `npm start`, the CLI and the scripts print configErrorText.
 *
 *   configErrorText(e)
 *   // "Cấu hình không hợp lệ (xem .env.example):\n  - WEB_PORT: WEB_PORT phải là một số cổng, ví dụ 8080"
 */
import type { ConfigError, ConfigProblem, ConfigProblemKind } from "../../core/config.ts";

const PROBLEM_TEXT: Record<ConfigProblemKind, string> = {
  token_format_or_empty: 'BOT_TOKEN phải có dạng "123456789:ABC…" (lấy từ @BotFather), hoặc để trống để chạy chat cục bộ',
  token_required: "BOT_TOKEN là bắt buộc ở chế độ này (lấy từ @BotFather)",
  token_format: 'BOT_TOKEN phải có dạng "123456789:ABC…" (lấy từ @BotFather)',
  api_root_url: "TELEGRAM_API_ROOT phải là một URL http(s), ví dụ http://127.0.0.1:8081",
  database_url: 'DATABASE_URL phải là "file:./data/app.db" (SQLite) hoặc "postgresql://…"',
  web_port_number: "WEB_PORT phải là một số cổng, ví dụ 8080",
  web_port_integer: "WEB_PORT phải là số nguyên",
  dashboard_url: "DASHBOARD_URL phải là một địa chỉ https://…, ví dụ https://bot.example.vn",
  llm_timeout_max: "OPENAI_TIMEOUT_SECONDS tối đa là 20 giây",
  reminder_cron: 'REMINDER_CRON phải là một lịch cron, ví dụ "*/5 * * * *" (mỗi 5 phút, giờ Việt Nam), hoặc "off"',
  queue_value: 'QUEUE phải là "auto", "memory" hoặc "bullmq"',
  bullmq_needs_postgres: "QUEUE=bullmq cần DATABASE_URL là PostgreSQL (postgresql://…); với SQLite dùng QUEUE=memory hoặc auto",
  webhook_url_required: "WEBHOOK_URL là bắt buộc khi BOT_MODE=webhook (địa chỉ https công khai mà Telegram gửi cập nhật tới)",
  webhook_url_https: "WEBHOOK_URL phải là một địa chỉ https://…, ví dụ https://bot.example.vn/telegram",
  webhook_secret_required: "WEBHOOK_SECRET là bắt buộc khi BOT_MODE=webhook (1–256 ký tự A-Z, a-z, 0-9, _ và -)",
  webhook_secret_format: "WEBHOOK_SECRET chỉ gồm 1–256 ký tự A-Z, a-z, 0-9, _ và -",
  bot_mode: 'BOT_MODE phải là "local", "polling" hoặc "webhook"',
};

/** What is wrong with one variable (after its name). */
export function configProblemText(p: ConfigProblem): string {
  return p.kind === "invalid" ? p.detail : PROBLEM_TEXT[p.kind];
}

/** The whole refusal, one line per variable, pointing to .env.example. */
export function configErrorText(e: Pick<ConfigError, "problems">): string {
  return `Cấu hình không hợp lệ (xem .env.example):\n${e.problems.map((p) => `  - ${p.field}: ${configProblemText(p)}`).join("\n")}`;
}
