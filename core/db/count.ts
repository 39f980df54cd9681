/**
 * Counts the SQL statements sent to the database (cds_db_statements_total): `npm run bench:webhook`
 * reads it from /metrics to print statements per typed answer. Every statement counts, BEGIN and
 * COMMIT included (label kind: read, write, tx), so a Prisma call that turns into several
 * statements (an upsert, a nested write) shows as what the database sees. Statements sent straight
 * to the driver (core/db/sql.ts) count here too (countRead, countWrite).
 *
 * The same proxies tell core/db/sql.ts which driver connection Prisma opened and which transaction
 * it started (DriverHooks), so plain SQL can run on them without going through Prisma.
 */
import { metrics } from "../metrics.ts";

type Fn = (...args: unknown[]) => unknown;
interface SqlQuery {
  sql?: string;
}

const read = metrics.dbStatements.labels("read");
const write = metrics.dbStatements.labels("write");
const tx = metrics.dbStatements.labels("tx");

export const countRead = () => read.inc();
export const countWrite = () => write.inc();
export const countTx = () => tx.inc();

/** What the driver adapter Prisma uses does, for core/db/sql.ts. */
export interface DriverHooks {
  /** Prisma connected: the adapter (its `client` is the better-sqlite3 Database or the pg Pool). */
  connected?(adapter: object): void;
  /** Prisma disconnected (the adapter is disposed): the connection is gone. */
  disposed?(adapter: object): void;
  /** Prisma started a transaction on the adapter (its `client`: the Database, or the pg PoolClient). */
  transactionStarted?(transaction: object): void;
  /** That transaction sent COMMIT or ROLLBACK, or was released: nothing may run on it any more. */
  transactionEnded?(transaction: object): void;
}

function isTxStatement(q: unknown): boolean {
  const sql = (q as SqlQuery | undefined)?.sql;
  return typeof sql === "string" && sql.length < 12 && /^\s*(COMMIT|ROLLBACK|BEGIN)/i.test(sql);
}

/** A proxy of a queryable (adapter or transaction) whose queryRaw/executeRaw/startTransaction count. */
function counted<T extends object>(target: T, hooks: DriverHooks, isTransaction: boolean): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as Fn).bind(t);
      if (prop === "queryRaw") return (q: unknown) => (isTxStatement(q) ? tx.inc() : read.inc(), fn(q));
      if (prop === "executeRaw") {
        return (q: unknown) => {
          if (!isTxStatement(q)) return write.inc(), fn(q);
          tx.inc();
          if (isTransaction && /^\s*(COMMIT|ROLLBACK)/i.test((q as SqlQuery).sql!)) hooks.transactionEnded?.(t);
          return fn(q);
        };
      }
      if (!isTransaction && prop === "dispose") return (...args: unknown[]) => (hooks.disposed?.(t), fn(...args));
      if (isTransaction && (prop === "commit" || prop === "rollback")) {
        return (...args: unknown[]) => (hooks.transactionEnded?.(t), fn(...args));
      }
      if (prop === "startTransaction") {
        // the adapter sends BEGIN itself; the COMMIT comes back through the transaction's executeRaw
        return async (...args: unknown[]) => {
          tx.inc();
          const started = (await fn(...args)) as object;
          hooks.transactionStarted?.(started);
          return counted(started, hooks, true);
        };
      }
      return fn;
    },
  });
}

/** Wrap a driver adapter factory so every adapter it connects counts its statements (and reports to hooks). */
export function countStatements<F extends { connect(): Promise<object> }>(factory: F, hooks: DriverHooks = {}): F {
  return new Proxy(factory, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (prop === "connect") {
        return async () => {
          const adapter = await (value as () => Promise<object>).call(t);
          hooks.connected?.(adapter);
          return counted(adapter, hooks, false);
        };
      }
      return typeof value === "function" ? (value as Fn).bind(t) : value;
    },
  });
}
