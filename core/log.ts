/**
 * Structured logs (pino, JSON lines on stderr). Each update has a log scope (LogScope, made by the
 * update guard and kept with the update's context) holding its update_id and, once known, the
 * internal user id; the update's `ctx.deps.log` adds both to every line logged while handling it.
 *
 * Not an AsyncLocalStorage: on Node 20 an enabled one runs async hooks on every promise of the
 * process (about 6–8% of the bot's CPU per answered question, issue 11), so the scope is passed
 * along explicitly (logScopeOf(ctx), scopedLog).
 *
 * Never log names, phones, message texts or answers: log ids and counts. As a second line of
 * defence the keys below are redacted (top level and one level down; a GrammyError's payload — the
 * message that was being sent — is dropped).
 */
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

/** One update's log context: the child logger is made when something is logged (most updates log nothing at info level). */
export interface LogScope {
  base: Logger;
  bindings: Record<string, unknown>;
  logger?: Logger;
}

/** A new scope with `bindings` (e.g. { update_id }). */
export function logScope(base: Logger, bindings: Record<string, unknown>): LogScope {
  return { base, bindings };
}

/** The scope of each update being handled, by its context object (the update guard sets it). */
const scopes = new WeakMap<object, LogScope>();
export function setLogScope(ctx: object, scope: LogScope): void {
  scopes.set(ctx, scope);
}
export function logScopeOf(ctx: object): LogScope | undefined {
  return scopes.get(ctx);
}

/** Add bindings (e.g. { user_id }) to a scope (nothing without one). */
export function bindLogContext(scope: LogScope | undefined, bindings: Record<string, unknown>): void {
  if (!scope) return;
  scope.bindings = { ...scope.bindings, ...bindings };
  scope.logger = undefined;
}

/** The scope's logger (its base with its bindings). */
export function scopeLogger(s: LogScope): Logger {
  return (s.logger ??= s.base.child(s.bindings));
}

/** `log` with the scope's bindings (as they are when a line is logged) on every line. */
export function scopedLog(scope: LogScope, log: LogFn): LogFn {
  return (level, msg, extra) => log(level, msg, extra ? { ...scope.bindings, ...extra } : { ...scope.bindings });
}

/**
 * The `(level, msg, extra)` function BotDeps.log has always had, on top of pino. An Error in
 * extra.error / extra.err is logged as `err` with its stack.
 */
export function logFunction(base: Logger): LogFn {
  return (level, msg, extra) => {
    if (!extra) return base[level](msg);
    const { error, err, ...rest } = extra;
    const e = err ?? error;
    base[level](e instanceof Error ? { ...rest, err: e } : e === undefined ? rest : { ...rest, error: e }, msg);
  };
}
