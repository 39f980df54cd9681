/**
 * A locked SQLite database (another process — the bot, the CLI — is writing) surfaces as
 * SQLITE_BUSY: Prisma reports it as P1008 "Operation has timed out", the Prisma CLI's schema engine
 * as "unknown variant `SocketTimeout`". Short transactions plus a busy timeout make it rare; when it
 * happens anyway, the work is retried, and after that the admin reads a plain Vietnamese message.
 */

const BUSY_RE = /SQLITE_BUSY|database is locked|SocketTimeout|Operation has timed out/i;

/** Is this error (or error text) a locked database? */
export function isDbBusy(e: unknown): boolean {
  if (e instanceof DatabaseBusyError) return true;
  if (typeof e === "string") return BUSY_RE.test(e);
  if (!e || typeof e !== "object") return false;
  const err = e as { code?: unknown; message?: unknown; cause?: unknown };
  if (err.code === "P1008" || err.code === "SQLITE_BUSY") return true;
  if (typeof err.message === "string" && BUSY_RE.test(err.message)) return true;
  return err.cause !== undefined && err.cause !== e && isDbBusy(err.cause);
}

export class DatabaseBusyError extends Error {
  override name = "DatabaseBusyError";
  constructor(cause?: unknown) {
    super("database busy: another process holds the write lock (bot/messages/errors.ts words it)", { cause });
  }
}

/**
 * Run fn; on a locked database wait (0.5 s, 1 s, 2 s …) and run it again, up to `attempts` times
 * in all, then throw DatabaseBusyError. fn must be safe to repeat: a failed transaction has rolled back.
 */
export async function withBusyRetry<T>(
  fn: () => Promise<T>,
  opts: { attempts?: number; onRetry?: (attempt: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDbBusy(e)) throw e;
      if (attempt >= attempts) throw e instanceof DatabaseBusyError ? e : new DatabaseBusyError(e);
      opts.onRetry?.(attempt);
      await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 1)));
    }
  }
}
