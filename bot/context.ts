/**
 * The bot's context: grammY's Context plus the session, our
 * dependencies (database, catalog, plan Q&A…) and the user the update comes from.
 */
import type { Context, SessionFlavor } from "grammy";
import type { Db } from "../core/db/client.ts";
import type { CatalogStore } from "../core/plans/store.ts";
import type { Config } from "../core/config.ts";
import type { QaEngine } from "../core/retrieval/engine.ts";
import type { Reminders } from "./reminders.ts";

export interface BotDeps {
  db: Db;
  /** The catalog from the database: `await deps.catalog.get()` (cached, reloaded after publishing). */
  catalog: CatalogStore;
  config: Pick<Config, "ADMIN_TELEGRAM_IDS" | "QA_RATE_PER_MINUTE" | "BOT_USERNAME" | "llm"> &
    Partial<Pick<Config, "DATA_CONTROLLER_NAME" | "PERSONAL_DATA_RETENTION_DAYS">> & {
      /** Public https address of the dashboard (Mini App); absent: no dashboard buttons. */
      dashboardUrl?: string;
    };
  qa: QaEngine | null;
  now: () => Date;
  /** The reminder and nudge queue (bot/reminders.ts); absent: an in-memory one is made on first use. */
  reminders?: Reminders;
  /** Where a log line goes (never personal data). */
  log: (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

/** What a chat remembers between updates (stored in the database: restarts lose nothing). */
export interface SessionData {
  /** Pagination state of the last official list (page size 20). */
  list?: { kind: string; key: string; page: number };
  /** A plan under review (bot/features/plans.ts): which draft, which target, what typed text means. */
  planReview?: {
    planId: string;
    /** Index of the target shown (among the draft's live targets). */
    pos: number;
    awaiting: "threshold" | "question" | "add" | "period" | "units" | null;
    /** The target the typed text edits. */
    code?: string;
    /** Levels being picked for a target. */
    levels?: string[];
    /** Periods in force (keys) and the unit whose subtree the plan applies to. */
    from?: string;
    to?: string;
    unitCode?: string;
  };
  /** A file an admin sent, waiting for "plan with targets" or "reference document" (re-downloaded by its file id). */
  pendingDocument?: { fileId: string; name: string };
  /** An official's typed reason is awaited: returning or unapproving a report. */
  approval?: { action: "return" | "unapprove"; reportId: number };
  /** A registration waiting for consent to the personal-data notice: the invite code or shared phone. */
  pendingRegistration?: { invite: string } | { phone: string };
  /** The personal-data notice was shown in this chat and not yet answered (a typed "Đồng ý" then counts as the button). */
  noticeShown?: boolean;
  /** The period picker last shown in this chat (/baocao): its unit, period keys in button order, when (ms). Typed "1" or "tháng 12" picks from it. */
  periodPicker?: { unitId: number; keys: string[]; at: number };
}

export type { DbUser } from "../core/users.ts";
import type { DbUser } from "../core/users.ts";
import type { Cursor } from "../core/reporting/steps.ts";

export type BotContext = Context &
  SessionFlavor<SessionData> & {
    deps: BotDeps;
    /** The database user of ctx.from (created on first contact). */
    user: DbUser;
    /**
     * A private text's report cursor, read with the user at the start of the update (bot/create-bot.ts);
     * the report feature takes it once, instead of reading it again (undefined: read it).
     */
    prefetchedCursor?: { cursor: Cursor | null; member: boolean };
  };
