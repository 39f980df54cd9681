/**
 * Plain SQL straight to the driver, for the few statements every update runs (the update claim,
 * the user and session, the report cursor, the answer's transaction).
 *
 *   const rows = await sql(db).query<{ id: number }>`SELECT "id" FROM "User" WHERE "telegramId" = ${id}`;
 *   const changed = await sql(db).execute`UPDATE "UpdateClaim" SET "doneAt" = ${now} WHERE "updateId" = ${id}`;
 *
 * Why: Prisma 6.19 with driver adapters sends even $queryRaw through its request pipeline and its
 * query compiler (WebAssembly), then maps the rows twice: about 0.35 ms of CPU per statement on
 * SQLite and about 1 ms on PostgreSQL, against 0.01–0.15 ms for the driver itself (measured:
 * `npm run bench:sql`). A typed answer runs 13 statements, so this was most of its CPU.
 *
 * What it is: the same connection Prisma uses (core/db/count.ts reports it when Prisma connects),
 * and, inside `db.$transaction(…)` started through `transaction()` below, the very transaction
 * Prisma opened: plain SQL and Prisma calls on the transaction client mix freely and commit or roll
 * back together. Statements are prepared once per call site (SQLite: a cached better-sqlite3
 * statement; PostgreSQL: a named prepared statement per connection). Rows come back typed as
 * Prisma's $queryRaw returns them: DateTime → Date, Boolean → boolean, BigInt → bigint, Int and
 * Float → number (SQLite: an expression with no declared type that yields an integer → bigint,
 * as Prisma; PostgreSQL: int8 such as COUNT(*) → bigint). Parameters: string, number, bigint,
 * boolean, Date, null.
 *
 * A client this module does not know (not connected yet, or a transaction not started through
 * `transaction()`) falls back to Prisma's $queryRaw / $executeRaw with the same template: same
 * results, only slower.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { escapeLiteral } from "pg";
import type { Db } from "./client.ts";
import { countRead, countTx, countWrite, type DriverHooks } from "./count.ts";

export interface Sql {
  /** A statement that returns rows (SELECT, … RETURNING), like Prisma's $queryRaw. */
  query<T = Record<string, unknown>>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /** A statement that changes rows (INSERT, UPDATE, DELETE): how many, like Prisma's $executeRaw. */
  execute(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  /**
   * A write whose row count nobody needs, which may go with the transaction's COMMIT: on PostgreSQL,
   * in a transaction transaction() opened on the driver, it is sent with COMMIT as one simple query
   * (one round trip fewer; its values written in as quoted literals, escaped as node-postgres does).
   * Whatever runs on the transaction after it sends it first, so statements keep their order; if it
   * fails, the commit fails and the transaction is rolled back. Everywhere else it runs at once.
   */
  executeLast(strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
}

// ---------------------------------------------------------------- SQLite (better-sqlite3)

interface SqliteStatement {
  reader: boolean;
  columns(): Array<{ name: string; type: string | null }>;
  raw(on?: boolean): SqliteStatement;
  safeIntegers(on?: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[][];
  run(...params: unknown[]): { changes: number };
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

type Decode = (v: unknown) => unknown;
const asNumber: Decode = (v) => (typeof v === "bigint" ? Number(v) : v);
const asBigInt: Decode = (v) => (typeof v === "number" ? BigInt(Math.trunc(v)) : typeof v === "string" ? BigInt(v) : v);
const asBoolean: Decode = (v) => (typeof v === "boolean" ? v : typeof v === "bigint" ? v !== 0n : typeof v === "number" ? v !== 0 : v === "true" || v === "1");
/** SQLite DATETIME: an ISO text (Prisma writes "…+00:00"), a text without offset (UTC), or epoch milliseconds. */
const sqliteDate: Decode = (v) => {
  if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v));
  if (typeof v !== "string") return v;
  return new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v.replace(" ", "T")}Z`);
};
/** A value read without a declared type (an expression): integers as bigint (as Prisma returns them), the rest as is. */
const untyped: Decode = (v) => v;

function sqliteDecoder(declared: string | null): Decode {
  switch ((declared ?? "").toUpperCase()) {
    case "DATETIME":
    case "TIMESTAMP":
    case "DATE":
      return sqliteDate;
    case "BOOLEAN":
    case "BOOL":
      return asBoolean;
    case "BIGINT":
    case "INT8":
    case "UNSIGNED BIG INT":
      return asBigInt;
    case "":
      return untyped;
    default:
      return asNumber; // INTEGER, REAL, TEXT (a text stays a text)
  }
}

function sqliteArg(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00"); // as Prisma's SQLite adapter stores dates
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") return v;
  throw new TypeError(`sql(): unsupported parameter of type ${typeof v}`);
}

interface Prepared {
  stmt: SqliteStatement;
  build: RowBuilder;
}

type RowBuilder = (row: unknown[]) => Record<string, unknown>;

/**
 * A function turning one raw row (an array) into an object with these keys, decoding each value
 * (null stays null): compiled once per statement, so every row is an object literal of one shape
 * (cheaper to build and to read than keys added one by one). A repeated name keeps the last value,
 * as assigning them in order did.
 */
function rowBuilder(names: string[], decoders: Array<Decode | null>): RowBuilder {
  const props = names.map((n, i) => `${JSON.stringify(n)}: ${decoders[i] ? `(v = r[${i}]) === null ? null : d[${i}](v)` : `r[${i}]`}`);
  // keys are quoted with JSON.stringify; values are read by index (no text of a row reaches the code)
  return new Function("d", `return function build(r) { var v; return { ${props.join(", ")} }; };`)(decoders) as RowBuilder;
}

class SqliteDriver implements Sql {
  private cache = new WeakMap<TemplateStringsArray, Prepared>();
  constructor(private readonly database: SqliteDatabase) {}

  private prepared(strings: TemplateStringsArray): Prepared {
    let p = this.cache.get(strings);
    if (!p) {
      const stmt = this.database.prepare(strings.join("?")).safeIntegers(true);
      const columns = stmt.reader ? stmt.columns() : [];
      if (stmt.reader) stmt.raw(true);
      p = { stmt, build: rowBuilder(columns.map((c) => c.name), columns.map((c) => sqliteDecoder(c.type))) };
      this.cache.set(strings, p);
    }
    return p;
  }

  async query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
    countRead();
    const { stmt, build } = this.prepared(strings);
    const rows = stmt.all(...values.map(sqliteArg));
    return rows.map(build) as T[];
  }

  /** COMMIT / ROLLBACK of a direct transaction, prepared once. */
  private ends: { COMMIT?: SqliteStatement; ROLLBACK?: SqliteStatement } = {};
  end(sqlText: "COMMIT" | "ROLLBACK"): void {
    (this.ends[sqlText] ??= this.database.prepare(sqlText)).run();
  }

  async execute(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
    countWrite();
    return this.prepared(strings).stmt.run(...values.map(sqliteArg)).changes;
  }

  async executeLast(strings: TemplateStringsArray, ...values: unknown[]): Promise<void> {
    await this.execute(strings, ...values);
  }
}

// ---------------------------------------------------------------- PostgreSQL (node-postgres)

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[]; rowMode: "array"; types: unknown }): Promise<{
    fields: Array<{ name: string }>;
    rows: unknown[][];
    rowCount: number | null;
  }>;
}

/** Parse as Prisma's $queryRaw returns values (timestamps without time zone are UTC, as Prisma writes them). */
const PG_PARSERS: Record<number, (s: string) => unknown> = {
  16: (s) => s === "t", // bool
  20: (s) => BigInt(s), // int8
  21: Number, // int2
  23: Number, // int4
  26: Number, // oid
  700: Number, // float4
  701: Number, // float8
  1700: Number, // numeric (Prisma: Decimal; none of these statements reads one)
  1082: (s) => new Date(`${s}T00:00:00Z`), // date
  1114: (s) => new Date(`${s.replace(" ", "T")}Z`), // timestamp
  1184: (s) => new Date(s.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00")), // timestamptz
};
const identity = (s: string) => s;
const PG_TYPES = { getTypeParser: (oid: number) => PG_PARSERS[oid] ?? identity };

const pad = (n: number, z = 2) => String(n).padStart(z, "0");
/** A Date as Prisma's pg adapter sends it: UTC, no offset (columns are timestamp(3) without time zone). */
function pgDate(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ""}`
  );
}

function pgArg(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return pgDate(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  throw new TypeError(`sql(): unsupported parameter of type ${typeof v}`);
}

/** One prepared-statement name and text per call site (the same on every connection), and its row builder once known. */
const pgStatements = new WeakMap<TemplateStringsArray, { name: string; text: string; build?: { key: string; fn: RowBuilder } }>();
let pgStatementCount = 0;
function pgStatement(strings: TemplateStringsArray) {
  let s = pgStatements.get(strings);
  if (!s) {
    s = { name: `cds_sql_${++pgStatementCount}`, text: strings.reduce((acc, part, i) => `${acc}$${i}${part}`) };
    pgStatements.set(strings, s);
  }
  return s;
}

class PgDriver implements Sql {
  /**
   * `client`: the pool (outside transactions) or the transaction's connection; `open()`: false once
   * it committed or rolled back; `direct`: a transaction opened by transaction() on the driver, whose
   * COMMIT takes the executeLast write waiting in `last` (directTransaction).
   */
  constructor(
    private readonly client: PgQueryable,
    private readonly open: () => boolean = () => true,
    private readonly direct = false,
  ) {}

  /** The executeLast write not sent yet (its text with the values written in). */
  private last: string | null = null;

  /** The write waiting for COMMIT, taken (null if none): directTransaction sends it with COMMIT, or drops it on ROLLBACK. */
  takeLast(): string | null {
    const last = this.last;
    this.last = null;
    return last;
  }

  private async run(strings: TemplateStringsArray, values: unknown[]) {
    if (!this.open()) throw new Error("sql(): the transaction is already closed (committed, rolled back or timed out)");
    const last = this.takeLast();
    if (last !== null) await (this.client as unknown as { query(text: string): Promise<unknown> }).query(last);
    const { name, text } = pgStatement(strings);
    return this.client.query({ name, text, values: values.map(pgArg), rowMode: "array", types: PG_TYPES });
  }

  async query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
    countRead();
    const { fields, rows } = await this.run(strings, values);
    const s = pgStatement(strings);
    const names = fields.map((f) => f.name);
    const key = names.join("\u0000");
    if (s.build?.key !== key) s.build = { key, fn: rowBuilder(names, names.map(() => null)) };
    return rows.map(s.build.fn) as T[];
  }

  async execute(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
    countWrite();
    return (await this.run(strings, values)).rowCount ?? 0;
  }

  async executeLast(strings: TemplateStringsArray, ...values: unknown[]): Promise<void> {
    if (!this.direct) return void (await this.execute(strings, ...values));
    if (!this.open()) throw new Error("sql(): the transaction is already closed (committed, rolled back or timed out)");
    const last = this.takeLast();
    if (last !== null) await (this.client as unknown as { query(text: string): Promise<unknown> }).query(last);
    countWrite();
    this.last = strings.reduce((acc, part, i) => `${acc}${pgLiteral(values[i - 1])}${part}`);
  }
}

/** A value as a quoted literal, as node-postgres would send it as a parameter (text, its type left to PostgreSQL). */
function pgLiteral(v: unknown): string {
  const arg = pgArg(v);
  return arg === null ? "NULL" : escapeLiteral(String(arg));
}

// ---------------------------------------------------------------- which driver a client uses

interface DriverState {
  provider: "sqlite" | "postgresql";
  root: Sql | null;
  /** The driver adapter Prisma connected (not counted: statements sent through it here count themselves). */
  adapter: { client: unknown; startTransaction(): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }> } | null;
}

/** Root clients (createDb) → their current driver. */
const roots = new WeakMap<object, DriverState>();
/** Transaction clients (the `tx` of db.$transaction started by transaction()) → a driver on that transaction. */
const transactions = new WeakMap<object, Sql>();
/** better-sqlite3 Database → its driver (statement cache shared by the root and its transactions). */
const sqliteDrivers = new WeakMap<object, SqliteDriver>();
/** The transaction started by Prisma in this async context (transaction() collects it). */
const starting = new AsyncLocalStorage<{ tx?: object; ended?: boolean }>();
/** Adapter transactions → their holder, to mark them ended. */
const holders = new WeakMap<object, { ended?: boolean }>();

function sqliteDriverOf(database: SqliteDatabase): SqliteDriver {
  let d = sqliteDrivers.get(database);
  if (!d) sqliteDrivers.set(database, (d = new SqliteDriver(database)));
  return d;
}

/**
 * Hooks for countStatements (core/db/client.ts): record the connection Prisma opens for `state`, and
 * the transactions it starts inside transaction().
 */
export function driverHooks(state: DriverState): DriverHooks {
  return {
    connected(adapter) {
      const client = (adapter as { client?: unknown }).client;
      if (!client) return;
      if (state.provider === "sqlite") reuseBegin(client as SqliteDatabase);
      state.root = state.provider === "sqlite" ? sqliteDriverOf(client as SqliteDatabase) : new PgDriver(client as PgQueryable);
      state.adapter = adapter as DriverState["adapter"];
    },
    disposed() {
      state.root = null;
      state.adapter = null;
    },
    transactionStarted(tx) {
      const holder = starting.getStore();
      if (!holder || holder.tx !== undefined) return;
      holder.tx = tx;
      holders.set(tx, holder);
    },
    transactionEnded(tx) {
      const holder = holders.get(tx);
      if (holder) holder.ended = true;
    },
  };
}

/**
 * The SQLite adapter prepares "BEGIN" anew for every transaction it starts (`prepare("BEGIN").run()`,
 * a parse each time, on every answer): that one statement is prepared once and reused. Its other
 * statements are bound to their arguments (`prepare(sql).bind(args)`), so they cannot be reused.
 */
function reuseBegin(database: SqliteDatabase): void {
  if (Object.prototype.hasOwnProperty.call(database, "prepare")) return;
  const prepare = database.prepare.bind(database);
  let begin: SqliteStatement | undefined;
  database.prepare = (text: string) => (text === "BEGIN" ? (begin ??= prepare("BEGIN")) : prepare(text));
}

/** A new root client's driver state (createDb registers the client with registerRoot once it exists). */
export function newDriverState(provider: "sqlite" | "postgresql"): DriverState {
  return { provider, root: null, adapter: null };
}

export function registerRoot(db: object, state: DriverState): void {
  roots.set(db, state);
}

/**
 * Run fn in one transaction; `sql(tx)` inside runs on it (see the module comment).
 *
 * Usually the transaction is opened on the driver directly (BEGIN … COMMIT, no Prisma: Prisma's
 * interactive transaction costs about 0.17 ms of CPU on SQLite and 0.5 ms on PostgreSQL per
 * transaction, on top of its statements). On SQLite it takes the adapter's transaction queue, so
 * it never interleaves with Prisma's own transactions. Inside it `tx` only runs `sql(tx)`: the
 * first use of anything else (a Prisma model, $queryRaw…) rolls it back and fn runs again from the
 * start inside Prisma's `db.$transaction(fn, options)`, where plain SQL and Prisma calls mix.
 * So fn must be safe to run twice (like any body withBusyRetry may repeat): it only writes through
 * the transaction.
 */
export async function transaction<T>(db: Db, fn: (tx: Db) => Promise<T>, options?: { maxWait?: number; timeout?: number; first?: FirstStatement }): Promise<T> {
  const first = options?.first;
  if (first) fn = withFirst(first, fn);
  const state = roots.get(db);
  if (!state) return db.$transaction((tx) => fn(tx as unknown as Db), options);
  if (state.adapter) {
    const direct = await directTransaction(state, fn, first);
    if (direct !== NEEDS_PRISMA) return direct;
  }
  const holder: { tx?: object; ended?: boolean } = {};
  prismaTransactions++;
  try {
    return await starting.run(holder, () =>
      db.$transaction(async (tx) => {
        const client = (holder.tx as { client?: unknown } | undefined)?.client;
        if (client) {
          const open = () => !holder.ended;
          transactions.set(tx, state.provider === "sqlite" ? new OpenGuard(sqliteDriverOf(client as SqliteDatabase), open) : new PgDriver(client as PgQueryable, open));
        }
        return fn(tx as unknown as Db);
      }, options),
    );
  } finally {
    // the last one out turns `starting` off: on Node 20 an enabled AsyncLocalStorage runs async
    // hooks on every promise of the process (core/log.ts), and these transactions are the rare path
    if (--prismaTransactions === 0) starting.disable();
  }
}
/** Prisma transactions started by transaction() and not finished yet (`starting` is on while there are any). */
let prismaTransactions = 0;

/**
 * A statement a transaction runs first, before fn (the report's lock): integer parameters only, so
 * on PostgreSQL it is sent with BEGIN as one simple query (one round trip instead of two). Make one
 * with the `firstStatement` tag: firstStatement`UPDATE "Report" SET "version" = "version" WHERE "id" = ${id}`.
 */
export interface FirstStatement {
  strings: TemplateStringsArray;
  values: number[];
}
export function firstStatement(strings: TemplateStringsArray, ...values: number[]): FirstStatement {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new TypeError(`firstStatement: ${String(v)} is not an integer`);
  return { strings, values };
}
/** Its text with the integers written in (safe: checked integers only). */
const inlined = (s: FirstStatement) => s.strings.reduce((acc, part, i) => `${acc}${String(s.values[i - 1])}${part}`);
/** fn preceded by the first statement, run through sql(tx) (the Prisma paths; a direct PostgreSQL transaction marks it done). */
const firstDone = new WeakSet<object>();
function withFirst<T>(first: FirstStatement, fn: (tx: Db) => Promise<T>): (tx: Db) => Promise<T> {
  return async (tx) => {
    if (!firstDone.has(tx)) await sql(tx).execute(first.strings, ...first.values);
    return fn(tx);
  };
}

const NEEDS_PRISMA = Symbol("needs Prisma");

/** Thrown at the first use of a Prisma API on a direct transaction's client: fn runs again in Prisma's transaction. */
class NeedsPrismaError extends Error {
  override name = "NeedsPrismaError";
  constructor(prop: string) {
    super(`"${prop}" needs Prisma's transaction: rolled back, and run again inside db.$transaction`);
  }
}

/** A stand-in transaction client: `sql(client)` works, any Prisma API marks it and throws. */
function directClient(holder: { needsPrisma: boolean }): Db {
  return new Proxy({} as Db, {
    get(_t, prop) {
      // not a root client (no $transaction), not a promise, not inspectable as one
      if (prop === "$transaction" || prop === "then" || typeof prop === "symbol") return undefined;
      holder.needsPrisma = true;
      throw new NeedsPrismaError(String(prop));
    },
  });
}

type SqliteTx = { commit(): Promise<void>; rollback(): Promise<void> };
interface PgPool {
  connect(): Promise<PgQueryable & { query(sql: string): Promise<unknown>; release(err?: Error | boolean): void; on(e: "error", f: (err: Error) => void): void; removeListener(e: "error", f: (err: Error) => void): void }>;
}

async function directTransaction<T>(state: DriverState, fn: (tx: Db) => Promise<T>, first?: FirstStatement): Promise<T | typeof NEEDS_PRISMA> {
  const holder = { needsPrisma: false, ended: false };
  const client = directClient(holder);
  const open = () => !holder.ended;
  if (state.provider === "sqlite") {
    const database = state.adapter!.client as SqliteDatabase;
    const driver = sqliteDriverOf(database);
    // the adapter's queue (one transaction at a time in this process) and its BEGIN
    const tx = (await state.adapter!.startTransaction()) as SqliteTx;
    countTx();
    transactions.set(client, new OpenGuard(driver, open));
    // COMMIT or ROLLBACK, then the queue is released (never before: a ROLLBACK after it could hit the next transaction)
    const end = async (commit: boolean) => {
      holder.ended = true;
      countTx();
      try {
        driver.end(commit ? "COMMIT" : "ROLLBACK");
      } catch (e) {
        if (!commit) return; // after some errors SQLite has rolled back already
        try {
          driver.end("ROLLBACK");
        } catch {
          /* nothing left to roll back */
        }
        throw e;
      } finally {
        await (commit ? tx.commit() : tx.rollback());
      }
    };
    let result: T;
    try {
      result = await fn(client);
    } catch (e) {
      await end(false);
      if (holder.needsPrisma) return NEEDS_PRISMA;
      throw e;
    }
    if (holder.needsPrisma) return await end(false), NEEDS_PRISMA;
    await end(true);
    return result;
  }
  const pool = state.adapter!.client as PgPool;
  const conn = await pool.connect();
  // a connection lost mid-transaction emits "error": handled here (the statement itself fails too)
  const onError = () => undefined;
  conn.on("error", onError);
  let broken: Error | undefined;
  const driver = new PgDriver(conn, open, true);
  const finish = async (sqlText: "COMMIT" | "ROLLBACK") => {
    holder.ended = true;
    countTx();
    // an executeLast write still waiting goes with COMMIT (one simple query), or is dropped
    const last = driver.takeLast();
    try {
      await conn.query(sqlText === "COMMIT" && last !== null ? `${last}; COMMIT` : sqlText);
    } catch (e) {
      broken = e as Error;
      throw e;
    }
  };
  const release = () => {
    conn.removeListener("error", onError);
    conn.release(broken ?? false); // a connection whose ROLLBACK failed is closed, not reused
  };
  try {
    countTx();
    if (first) {
      // BEGIN and the first statement in one round trip (a simple query; the statement has integers only)
      countWrite();
      try {
        await conn.query(`BEGIN; ${inlined(first)}`);
      } catch (e) {
        await conn.query("ROLLBACK").catch((err: Error) => void (broken = err));
        throw e;
      }
      firstDone.add(client);
    } else await conn.query("BEGIN");
    transactions.set(client, driver);
    let result: T;
    try {
      result = await fn(client);
    } catch (e) {
      await finish("ROLLBACK").catch(() => undefined);
      if (holder.needsPrisma) return NEEDS_PRISMA;
      throw e;
    }
    if (holder.needsPrisma) return await finish("ROLLBACK").catch(() => undefined), NEEDS_PRISMA;
    try {
      await finish("COMMIT");
    } catch (e) {
      await conn.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
    return result;
  } finally {
    release();
  }
}

/** A SQLite driver refusing statements once its transaction ended (they would run outside it). */
class OpenGuard implements Sql {
  constructor(
    private readonly inner: Sql,
    private readonly open: () => boolean,
  ) {}
  private check() {
    if (!this.open()) throw new Error("sql(): the transaction is already closed (committed, rolled back or timed out)");
  }
  async query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
    this.check();
    return this.inner.query<T>(strings, ...values);
  }
  async execute(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
    this.check();
    return this.inner.execute(strings, ...values);
  }
  async executeLast(strings: TemplateStringsArray, ...values: unknown[]): Promise<void> {
    this.check();
    return this.inner.executeLast(strings, ...values);
  }
}

/** Prisma's own raw queries: for clients this module does not know. */
function viaPrisma(db: Db): Sql {
  return {
    query: <T>(strings: TemplateStringsArray, ...values: unknown[]) => db.$queryRaw<T[]>(strings, ...values),
    execute: (strings: TemplateStringsArray, ...values: unknown[]) => db.$executeRaw(strings, ...values),
    executeLast: async (strings: TemplateStringsArray, ...values: unknown[]) => void (await db.$executeRaw(strings, ...values)),
  };
}

/** Plain SQL on this client (root or transaction): see the module comment. */
export function sql(db: Db): Sql {
  return transactions.get(db) ?? roots.get(db)?.root ?? viaPrisma(db);
}
