/**
 * Structured logs (pino, JSON lines on stderr). Each update runs inside a log context
 * (AsyncLocalStorage) holding a child logger with its update_id and, once known, the internal user
 * id, so every line logged while handling it carries both — whatever function logs it.
 *
 * Never log names, phones, message texts or answers: log ids and counts. As a second line of
 * defence the keys below are redacted (top level and one level down; a GrammyError's payload — the
 * message that was being sent — is dropped).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFn = (level: LogLevel, msg: string, extra?: Record<string, unknown>) => void;

const REDACT = ["name", "first_name", "last_name", "username", "phone", "phone_number", "text", "raw", "answer", "reason", "*.name", "*.first_name", "*.phone", "*.phone_number", "*.text", "*.raw", "*.answer", "*.reason", "err.payload", "*.err.payload"];

export function createLogger(level: LogLevel | "silent" = "info", destination: pino.DestinationStream | number = 2): Logger {
  return pino(
    { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: "[redacted]" }, serializers: { err: pino.stdSerializers.err } },
    typeof destination === "number" ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}

/** The child logger is made when something is logged (most updates log nothing at info level). */
interface LogScope {
  base: Logger;
  bindings: Record<string, unknown>;
  logger?: Logger;
  /** Other per-update values (scopeValue): one AsyncLocalStorage for all, as each one enabled costs on every promise. */
  values?: Map<symbol, unknown>;
}
const scope = new AsyncLocalStorage<LogScope>();

/** Run fn with a child logger carrying `bindings` (e.g. { update_id }). */
export function withLogContext<T>(base: Logger, bindings: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  return scope.run({ base, bindings }, fn);
}

/**
 * Keep a value for the rest of the current update (the same async context as its log context):
 * false outside an update. Read it back with scopeValue(key).
 */
export function setScopeValue(key: symbol, value: unknown): boolean {
  const s = scope.getStore();
  if (!s) return false;
  (s.values ??= new Map()).set(key, value);
  return true;
}

/** A value setScopeValue kept for the current update (undefined outside one). */
export function scopeValue<T>(key: symbol): T | undefined {
  return scope.getStore()?.values?.get(key) as T | undefined;
}

/** Add bindings (e.g. { user_id }) to the current context's logger. */
export function bindLogContext(bindings: Record<string, unknown>): void {
  const s = scope.getStore();
  if (!s) return;
  s.bindings = { ...s.bindings, ...bindings };
  s.logger = undefined;
}

function scopeLogger(s: LogScope): Logger {
  return (s.logger ??= s.base.child(s.bindings));
}

/** The current update's logger (with its bindings), or `base` outside an update. */
export function currentLogger(base: Logger): Logger {
  const s = scope.getStore();
  return s ? scopeLogger(s) : base;
}

/**
 * The `(level, msg, extra)` function BotDeps.log has always had, on top of pino. An Error in
 * extra.error / extra.err is logged as `err` with its stack.
 */
export function logFunction(base: Logger): LogFn {
  return (level, msg, extra) => {
    const s = scope.getStore();
    const logger = s ? scopeLogger(s) : base;
    if (!extra) return logger[level](msg);
    const { error, err, ...rest } = extra;
    const e = err ?? error;
    logger[level](e instanceof Error ? { ...rest, err: e } : e === undefined ? rest : { ...rest, error: e }, msg);
  };
}
