/**
 * Times the dashboard views in process (no HTTP) on a kept SQLite bench file or a fresh
 * PostgreSQL schema: commune progress, province trend, commune trend, commune late list and the
 * commune's answers (the export's read). Ends with ONE JSON line.
 *   npx tsx scripts/profile-views.ts [--sqlite-file /tmp/x.db | --keep] [--pg url] [--reps 10]
 */
import type { Db } from "../core/db/client.ts";
import { progressView, trendView } from "../core/dashboard/views.ts";
import { VIEW_WORDS } from "../web/dashboard/words.ts";
import { lateReport } from "../core/officials/late.ts";
import { unitAnswers } from "../core/officials/export.ts";
import { benchCatalog, COMMUNE_CODE, generatePg, generateSqlite, QUERY_PERIOD } from "./bench-officials.ts";
import { openBenchDb, timeIt } from "./bench-support.ts";

const argv = process.argv.slice(2);
const argOf = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const REPS = Math.max(3, Number(argOf("--reps") ?? 10));
const b = await openBenchDb({ prefix: "profile-views", pg: argOf("--pg"), keep: argv.includes("--keep"), reuse: argOf("--sqlite-file"), generateSqlite, generatePg });
const db: Db = b.db;
const catalog = benchCatalog();
const so = await db.unit.findUniqueOrThrow({ where: { code: "SO-BENCH" } });
const viewer = { root: so } as never;
const xa = await db.unit.findUniqueOrThrow({ where: { code: COMMUNE_CODE } });
const out: Record<string, unknown> = {};
for (const [name, fn] of [
  ["communeProgress", () => progressView(db, catalog, viewer, { period: QUERY_PERIOD, under: xa as never }, VIEW_WORDS)],
  ["provinceTrend", () => trendView(db, catalog, { code: "BE-01", under: so as never, period: QUERY_PERIOD }, VIEW_WORDS)],
  ["communeTrend", () => trendView(db, catalog, { code: "BE-01", under: xa as never, period: QUERY_PERIOD }, VIEW_WORDS)],
  ["communeLate", () => lateReport(db, catalog, { period: QUERY_PERIOD, under: COMMUNE_CODE })],
  ["communeAnswers", () => unitAnswers(db, { period: QUERY_PERIOD, under: COMMUNE_CODE })],
] as const) {
  const t = await timeIt(fn, REPS);
  out[name] = t;
  console.log(`  [${b.label}] ${name.padEnd(16)} p50 ${t.p50} ms  p95 ${t.p95} ms  cpu ${t.cpuMs} ms/call`);
}
await b.close();
console.log(JSON.stringify({ label: b.label, reps: REPS, ...out }));
