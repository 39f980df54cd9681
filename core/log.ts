/**
 * Structured logs (pino, JSON lines on stderr). Each update runs inside a log context
 * (AsyncLocalStorage) holding a child logger with its update_id and, once known, the internal user
 * id, so every line logged while handling it carries both — whatever function logs it.
 *
 * Never log names, phones, message texts or answers: log ids and counts. As a second line of
 * defence the keys below are redacted wherever they appear.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Logger } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFn = (level: LogLevel, msg: string, extra?: Record<string, unknown>) => void;

const REDACT = ["name", "first_name", "last_name", "username", "phone", "phone_number", "text", "raw", "answer", "reason", "*.name", "*.first_name", "*.phone", "*.phone_number", "*.text", "*.raw", "*.answer", "*.reason"];

export function createLogger(level: LogLevel | "silent" = "info", destination: pino.DestinationStream | number = 2): Logger {
  return pino(
    { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: "[redacted]" }, serializers: { err: pino.stdSerializers.err } },
    typeof destination === "number" ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}

interface LogScope {
  logger: Logger;
}
const scope = new AsyncLocalStorage<LogScope>();

/** Run fn with a child logger carrying `bindings` (e.g. { update_id }). */
export function withLogContext<T>(base: Logger, bindings: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  return scope.run({ logger: base.child(bindings) }, fn);
}

/** Add bindings (e.g. { user_id }) to the current context's logger. */
export function bindLogContext(bindings: Record<string, unknown>): void {
  const s = scope.getStore();
  if (s) s.logger = s.logger.child(bindings);
}

/** The current update's logger (with its bindings), or `base` outside an update. */
export function currentLogger(base: Logger): Logger {
  return scope.getStore()?.logger ?? base;
}

/**
 * The `(level, msg, extra)` function BotDeps.log has always had, on top of pino. An Error in
 * extra.error / extra.err is logged as `err` with its stack.
 */
export function logFunction(base: Logger): LogFn {
  return (level, msg, extra) => {
    const logger = scope.getStore()?.logger ?? base;
    if (!extra) return logger[level](msg);
    const { error, err, ...rest } = extra;
    const e = err ?? error;
    logger[level](e instanceof Error ? { ...rest, err: e } : e === undefined ? rest : { ...rest, error: e }, msg);
  };
}
