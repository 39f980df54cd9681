import { createDb, migrate } from "../core/db/client.ts";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { pgConnection } from "../core/db/target.ts";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

const N = Number(process.env.N ?? 3000);
function cpu() { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
async function measure(name: string, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 300; i++) await fn(i);
  const c0 = cpu(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const c = cpu() - c0; const t = performance.now() - t0;
  console.log(`${name.padEnd(40)} CPU ${(c / N * 1000).toFixed(1)} µs/stmt, wall ${(t / N * 1000).toFixed(1)} µs`);
}
const which = process.argv[2];
if (which === "sqlite") {
  const file = path.join(os.tmpdir(), `micro-${process.pid}.db`);
  const url = `file:${file}`;
  await migrate(url);
  const db = await createDb(url);
  for (let i = 0; i < 100; i++) await db.user.create({ data: { telegramId: String(1000 + i), role: "focal" } });
  await measure("prisma $queryRaw", (i) => db.$queryRaw`SELECT * FROM "User" WHERE "telegramId" = ${String(1000 + (i % 100))}`);
  await measure("prisma findUnique", (i) => db.user.findUnique({ where: { telegramId: String(1000 + (i % 100)) } }));
  const ad = await new PrismaBetterSQLite3({ url: file }).connect();
  const q = (i: number) => ({ sql: `SELECT * FROM "User" WHERE "telegramId" = ?`, args: [String(1000 + (i % 100))], argTypes: [{ scalarType: "string", arity: "scalar" }] });
  await measure("adapter.queryRaw", (i) => ad.queryRaw(q(i) as never));
  const raw = new Database(file);
  await measure("better-sqlite3 prepare each", async (i) => raw.prepare(`SELECT * FROM "User" WHERE "telegramId" = ?`).raw(true).all(String(1000 + (i % 100))));
  const st = raw.prepare(`SELECT * FROM "User" WHERE "telegramId" = ?`);
  await measure("better-sqlite3 cached stmt", async (i) => st.all(String(1000 + (i % 100))));
  await measure("prisma $transaction(1 raw)", (i) => db.$transaction(async (tx) => tx.$queryRaw`SELECT * FROM "User" WHERE "telegramId" = ${String(1000 + (i % 100))}`));
  await measure("adapter tx (1 raw)", async (i) => { const tx = await ad.startTransaction(); await tx.queryRaw(q(i) as never); await tx.executeRaw({ sql: "COMMIT", args: [], argTypes: [] } as never); await tx.commit(); });
} else {
  const base = process.env.PG ?? "postgresql://postgres@127.0.0.1:5432/hook_bench";
  const url = base + "?schema=micro";
  await migrate(url);
  const db = await createDb(url);
  await db.user.deleteMany({});
  for (let i = 0; i < 100; i++) await db.user.create({ data: { telegramId: String(1000 + i), role: "focal" } });
  await measure("prisma $queryRaw", (i) => db.$queryRaw`SELECT * FROM "User" WHERE "telegramId" = ${String(1000 + (i % 100))}`);
  await measure("prisma findUnique", (i) => db.user.findUnique({ where: { telegramId: String(1000 + (i % 100)) } }));
  const { connectionString, schema } = pgConnection(url);
  const ad = await new PrismaPg({ connectionString }, { schema }).connect();
  const q = (i: number) => ({ sql: `SELECT * FROM "User" WHERE "telegramId" = $1`, args: [String(1000 + (i % 100))], argTypes: [{ scalarType: "string", arity: "scalar" }] });
  await measure("adapter.queryRaw", (i) => ad.queryRaw(q(i) as never));
  const pool = new pg.Pool({ connectionString });
  await measure("pg pool.query unnamed", (i) => pool.query({ text: `SELECT * FROM "User" WHERE "telegramId" = $1`, values: [String(1000 + (i % 100))], rowMode: "array" }));
  await measure("pg pool.query named", (i) => pool.query({ name: "u1", text: `SELECT * FROM "User" WHERE "telegramId" = $1`, values: [String(1000 + (i % 100))], rowMode: "array" }));
  await measure("prisma $transaction(1 raw)", (i) => db.$transaction(async (tx) => tx.$queryRaw`SELECT * FROM "User" WHERE "telegramId" = ${String(1000 + (i % 100))}`));
  await measure("adapter tx (1 raw)", async (i) => { const tx = await ad.startTransaction(); await tx.queryRaw(q(i) as never); await tx.executeRaw({ sql: "COMMIT", args: [], argTypes: [] } as never); await tx.commit(); });
  await pool.end();
}
process.exit(0);
