/**
 * Counts the SQL statements Prisma sends through a driver adapter (cds_db_statements_total):
 * `npm run bench:webhook` reads it from /metrics to print statements per typed answer. Every
 * statement counts, BEGIN and COMMIT included (label kind: read, write, tx), so a Prisma call that
 * turns into several statements (an upsert, a nested write) shows as what the database sees.
 */
import { metrics } from "../metrics.ts";

type Fn = (...args: unknown[]) => unknown;
interface SqlQuery {
  sql?: string;
}

const read = metrics.dbStatements.labels("read");
const write = metrics.dbStatements.labels("write");
const tx = metrics.dbStatements.labels("tx");

function isTxStatement(q: unknown): boolean {
  const sql = (q as SqlQuery | undefined)?.sql;
  return typeof sql === "string" && sql.length < 12 && /^\s*(COMMIT|ROLLBACK|BEGIN)/i.test(sql);
}

/** A proxy of a queryable (adapter or transaction) whose queryRaw/executeRaw/startTransaction count. */
function counted<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as Fn).bind(t);
      if (prop === "queryRaw") return (q: unknown) => (isTxStatement(q) ? tx.inc() : read.inc(), fn(q));
      if (prop === "executeRaw") return (q: unknown) => (isTxStatement(q) ? tx.inc() : write.inc(), fn(q));
      if (prop === "startTransaction") {
        // the adapter sends BEGIN itself; the COMMIT comes back through the transaction's executeRaw
        return async (...args: unknown[]) => {
          tx.inc();
          const started = (await fn(...args)) as object;
          return counted(started);
        };
      }
      return fn;
    },
  });
}

/** Wrap a driver adapter factory so every adapter it connects counts its statements. */
export function countStatements<F extends { connect(): Promise<object> }>(factory: F): F {
  return new Proxy(factory, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (prop === "connect") return async () => counted(await (value as () => Promise<object>).call(t));
      return typeof value === "function" ? (value as Fn).bind(t) : value;
    },
  });
}
