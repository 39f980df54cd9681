/**
 * npm run bench:sql — what one SQL statement costs in CPU through each path the bot can use, on
 * SQLite and (when reachable) PostgreSQL: Prisma's findUnique, Prisma's $queryRaw, core/db/sql.ts's
 * sql(db), and a transaction of one UPDATE through Prisma's $transaction and through transaction().
 * Same statement, same process, one after the other; CPU µs per call from process.cpuUsage().
 * Ends with ONE JSON line. Why it matters: a typed answer runs about 13 statements (README, "Performance").
 *
 *   npm run bench:sql -- [--n 3000] [--pg postgresql://postgres@127.0.0.1:5432/test]
 */
import os from "node:os";
import path from "node:path";
import { rmSync } from "node:fs";
import { createDb, migrate, type Db } from "../core/db/client.ts";
import { sql, transaction } from "../core/db/sql.ts";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const N = Number(opt("n") ?? 3000);
const PG = opt("pg") ?? process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function measure(fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(300, N); i++) await fn(i); // warm-up: JIT, prepared statements
  const c0 = cpuMs();
  for (let i = 0; i < N; i++) await fn(i);
  return Number((((cpuMs() - c0) / N) * 1000).toFixed(1));
}

async function paths(db: Db): Promise<Record<string, number>> {
  await db.user.deleteMany({ where: { telegramId: { startsWith: "bench-sql-" } } });
  await db.user.createMany({ data: Array.from({ length: 100 }, (_, i) => ({ telegramId: `bench-sql-${i}`, role: "focal" })) });
  const id = (i: number) => `bench-sql-${i % 100}`;
  const out: Record<string, number> = {};
  out.prismaFindUnique = await measure((i) => db.user.findUnique({ where: { telegramId: id(i) } }));
  out.prismaQueryRaw = await measure((i) => db.$queryRaw`SELECT * FROM "User" WHERE "telegramId" = ${id(i)}`);
  out.sqlQuery = await measure((i) => sql(db).query`SELECT * FROM "User" WHERE "telegramId" = ${id(i)}`);
  out.prismaTransactionUpdate = await measure((i) => db.$transaction((tx) => tx.$executeRaw`UPDATE "User" SET "name" = ${`n${i}`} WHERE "telegramId" = ${id(i)}`));
  out.sqlTransactionUpdate = await measure((i) => transaction(db, (tx) => sql(tx).execute`UPDATE "User" SET "name" = ${`n${i}`} WHERE "telegramId" = ${id(i)}`));
  await db.user.deleteMany({ where: { telegramId: { startsWith: "bench-sql-" } } });
  return out;
}

function print(name: string, r: Record<string, number>) {
  console.log(
    `${name.padEnd(10)} CPU µs per call — Prisma findUnique ${r.prismaFindUnique}, Prisma $queryRaw ${r.prismaQueryRaw}, sql(db).query ${r.sqlQuery} ` +
      `(${(r.prismaQueryRaw! / r.sqlQuery!).toFixed(1)}× less); transaction of one UPDATE: Prisma $transaction ${r.prismaTransactionUpdate}, transaction()+sql ${r.sqlTransactionUpdate}`,
  );
}

const result: Record<string, unknown> = { n: N, loadavg: os.loadavg()[0] };
const file = path.join(os.tmpdir(), `bench-sql-${process.pid}.db`);
try {
  await migrate(`file:${file}`);
  const db = await createDb(`file:${file}`);
  result.sqlite = await paths(db);
  print("SQLite", result.sqlite as Record<string, number>);
  await db.$disconnect();
} finally {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}
try {
  const u = new URL(PG);
  u.searchParams.set("schema", `bench_sql_${process.pid}`);
  await migrate(u.toString());
  const db = await createDb(u.toString());
  try {
    result.postgresql = await paths(db);
    print("PostgreSQL", result.postgresql as Record<string, number>);
    await db.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "bench_sql_${process.pid}" CASCADE`);
  } finally {
    await db.$disconnect();
  }
} catch (e) {
  console.log(`PostgreSQL skipped: ${(e as Error).message.split("\n")[0]}`);
  result.postgresql = null;
}
console.log(JSON.stringify(result));
