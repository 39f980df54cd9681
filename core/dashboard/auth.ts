/**
 * Telegram Mini App init data: every dashboard API call carries it and is refused without a valid,
 * fresh signature (HMAC keyed with the bot token; at most one hour old), checked by
 * @tma.js/init-data-node. Without BOT_TOKEN (the local chat), a random local key stored in
 * data/dashboard.key stands in for the token, shared by the bot process and `cli dashboard-link`.
 *
 *   const token = dashboardKey(config.BOT_TOKEN);
 *   const initData = signInitData(token, { id: 1002, first_name: "Minh" });
 *   checkInitData(initData, token)  // { ok: true, telegramId: "1002", name: "Minh" }
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, sign, validate } from "@tma.js/init-data-node";

/** Init data older than this is refused (seconds). */
export const INIT_DATA_MAX_AGE_S = 3600;

export type InitDataCheck =
  | { ok: true; telegramId: string; name: string }
  | { ok: false; problem: "missing" | "invalid" | "expired" };

export function checkInitData(initData: string | undefined | null, token: string, maxAgeS = INIT_DATA_MAX_AGE_S): InitDataCheck {
  if (!initData) return { ok: false, problem: "missing" };
  try {
    validate(initData, token, { expiresIn: maxAgeS });
  } catch (e) {
    return { ok: false, problem: (e as Error).name === "ExpiredError" ? "expired" : "invalid" };
  }
  try {
    const data = parse(initData);
    if (!data.user) return { ok: false, problem: "invalid" };
    return { ok: true, telegramId: String(data.user.id), name: [data.user.first_name, data.user.last_name].filter(Boolean).join(" ") };
  } catch {
    return { ok: false, problem: "invalid" };
  }
}

/** Signed init data for a user, as Telegram would give the Mini App (for local links and tests). */
export function signInitData(token: string, user: { id: number; first_name: string; last_name?: string }, authDate: Date = new Date()): string {
  return sign({ user: { ...user, allows_write_to_pm: true } } as Parameters<typeof sign>[0], token, authDate);
}

/** The key init data is signed with: the bot token, or (no token) a local random key kept in `dir`. */
export function dashboardKey(botToken: string | undefined, dir = "data"): string {
  if (botToken) return botToken;
  const file = path.join(dir, "dashboard.key");
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    if (key) return key;
  }
  mkdirSync(dir, { recursive: true });
  const key = `0:local-${randomBytes(24).toString("hex")}`;
  writeFileSync(file, key + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** The Mini App's address with init data in the fragment, where Telegram puts it (tgWebAppData). */
export function dashboardLink(baseUrl: string, initData: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/app/#tgWebAppData=${encodeURIComponent(initData)}`;
}
