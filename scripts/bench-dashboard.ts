/**
 * Benchmark of the dashboard's API calls (`npm run bench:dashboard`) over the 2.4 M-answer dataset
 * of bench:officials (its generator: 10,000 units × 12 months × 20 indicators): the real HTTP
 * server (web/server.ts + web/dashboard/routes.ts) on a free port, each call with signed init data
 * validated as in production, timed end to end (fetch → JSON/xlsx): p50/p95 over --reps
 * repetitions after 2 warm-ups, as a department official (province view) and a commune official.
 * SQLite always; PostgreSQL with --pg <url> or TEST_DATABASE_URL.
 * Target: province view (overview) p95 < 300 ms. Ends with ONE JSON line.
 * The core functions under the calls are timed in process too (no HTTP): lateReport, progressReport,
 * a commune's progress view, the province's and the commune's trend, the commune's late list and
 * answers (the export's read). `--in-process` times only those (no HTTP server); with `--keep` the
 * SQLite file is kept and `--sqlite-file <file>` reuses it (no generation: quick profiling runs).
 *   npm run bench:dashboard -- [--pg postgresql://postgres@127.0.0.1:5432/test] [--reps 15]
 *                              [--in-process] [--keep | --sqlite-file /tmp/x.db]
 */
import os from "node:os";
import type { Db } from "../core/db/client.ts";
import { signInitData } from "../core/dashboard/index.ts";
import { createWebServer } from "../web/server.ts";
import { lateReport, progressReport } from "../core/officials/index.ts";
import { unitAnswers } from "../core/officials/export.ts";
import { progressView, trendView } from "../core/dashboard/views.ts";
import { VIEW_WORDS } from "../web/dashboard/words.ts";
import { registerDashboard } from "../web/dashboard/routes.ts";
import { benchCatalog, COMMUNE_CODE, generatePg, generateSqlite, MONTHS, QUERY_PERIOD, SCHOOL_CODE, UNIT_COUNT } from "./bench-officials.ts";
import { openBenchDb, timeIt, type Timing } from "./bench-support.ts";

const argv = process.argv.slice(2);
const argOf = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const IN_PROCESS = argv.includes("--in-process");
const REPS = Math.max(IN_PROCESS ? 3 : 10, Number(argOf("--reps") ?? (IN_PROCESS ? 10 : 15)));
const PG_URL = argOf("--pg") ?? process.env.TEST_DATABASE_URL;
const KEY = "123456:BENCH-dashboard";
const NATIONAL_SCHOOLS = 53_000;

type Calls = Record<string, Timing>;

async function timeCall(url: string, initData: string): Promise<Timing & { bytes: number }> {
  let bytes = 0;
  const t = await timeIt(async () => {
    const res = await fetch(url, { headers: { authorization: `tma ${initData}` } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.toString("utf8").slice(0, 200)}`);
    bytes = body.length;
  }, REPS);
  return { ...t, bytes };
}

/** The core functions under the dashboard's calls, in process (no HTTP): the dashboard's own cost is the difference. */
async function measureCore(db: Db, label: string): Promise<Calls> {
  const catalog = benchCatalog();
  const so = await db.unit.findUniqueOrThrow({ where: { code: "SO-BENCH" } });
  const xa = await db.unit.findUniqueOrThrow({ where: { code: COMMUNE_CODE } });
  const viewer = { root: so } as never;
  const fns: Array<[string, () => Promise<unknown>]> = [
    ["lateReport", () => lateReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH" })],
    // its cache bypassed: what the first call after a report of the period changed costs
    ["lateRecomputed", () => lateReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH", fresh: true })],
    ["progressReport", () => progressReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH" })],
    ["communeProgress", () => progressView(db, catalog, viewer, { period: QUERY_PERIOD, under: xa as never }, VIEW_WORDS)],
    ["provinceTrend", () => trendView(db, catalog, { code: "BE-01", under: so as never, period: QUERY_PERIOD }, VIEW_WORDS)],
    ["communeTrend", () => trendView(db, catalog, { code: "BE-01", under: xa as never, period: QUERY_PERIOD }, VIEW_WORDS)],
    ["communeLate", () => lateReport(db, catalog, { period: QUERY_PERIOD, under: COMMUNE_CODE })],
    ["communeAnswers", () => unitAnswers(db, { period: QUERY_PERIOD, under: COMMUNE_CODE })],
  ];
  const core: Calls = {};
  for (const [name, fn] of fns) {
    const v = await timeIt(fn, REPS);
    core[name] = v;
    console.log(`  [${label}] core     ${name.padEnd(15)} p50 ${String(v.p50).padStart(7)} ms  p95 ${String(v.p95).padStart(7)} ms  cpu ${String(v.cpuMs).padStart(6)} ms/call  (in process, no HTTP)`);
  }
  return core;
}

async function measure(db: Db, label: string): Promise<{ core: Calls; province: Calls; commune: Calls }> {
  const catalog = benchCatalog();
  const so = await db.unit.findUniqueOrThrow({ where: { code: "SO-BENCH" } });
  const xa = await db.unit.findUniqueOrThrow({ where: { code: COMMUNE_CODE } });
  await db.user.create({ data: { telegramId: "900001", name: "Cán bộ Sở (thử tải)", role: "official", officialUnitId: so.id } });
  await db.user.create({ data: { telegramId: "900002", name: "Cán bộ xã (thử tải)", role: "official", officialUnitId: xa.id } });
  const web = createWebServer({ port: 0, host: "127.0.0.1" });
  registerDashboard(web, { db, catalog: { get: async () => catalog, invalidate() {} }, key: KEY, now: () => new Date("2026-06-28T10:00:00+07:00") });
  const port = await web.listen();
  const base = `http://127.0.0.1:${port}/api/dashboard/`;
  const p = `period=${QUERY_PERIOD}`;
  const calls: Array<[string, string]> = [
    ["me", "me"],
    ["overview", `overview?${p}`],
    ["progress", `progress?${p}`],
    ["late", `late?${p}`],
    ["trend", `trend?${p}&target=BE-01`],
    ["queue", `queue?${p}`],
    ["progressBelow", `progress?${p}&target=BE-01`],
    ["school", `school?under=${SCHOOL_CODE}`],
    ["exportOverview", `export?view=overview&${p}`],
    ["exportProgress", `export?view=progress&${p}`],
  ];
  const run = async (who: string, scope: "province" | "commune"): Promise<Calls> => {
    const out: Calls = {};
    for (const [name, path] of calls) {
      const url = `${base}${path}`;
      // fresh init data for each call series (valid one hour), as the Mini App sends it
      const t = await timeCall(url, signInitData(KEY, { id: Number(who), first_name: "Bench" }));
      out[name] = { p50: t.p50, p95: t.p95, cpuMs: t.cpuMs };
      console.log(`  [${label}] ${scope.padEnd(8)} ${name.padEnd(15)} p50 ${String(t.p50).padStart(7)} ms  p95 ${String(t.p95).padStart(7)} ms  cpu ${String(t.cpuMs).padStart(6)} ms/call  (${Math.round(t.bytes / 1024)} KB)`);
    }
    return out;
  };
  try {
    const core = await measureCore(db, label);
    return { core, province: await run("900001", "province"), commune: await run("900002", "commune") };
  } finally {
    await web.close(2000);
  }
}

async function benchCore(pg?: string) {
  const b = await openBenchDb({ prefix: "bench-dashboard", pg, keep: argv.includes("--keep"), reuse: pg ? undefined : argOf("--sqlite-file"), generateSqlite, generatePg });
  try {
    return { label: b.label, core: await measureCore(b.db, b.label) };
  } finally {
    await b.close();
  }
}

if (IN_PROCESS) {
  console.log(`Dashboard core functions in process: ${UNIT_COUNT} units × ${MONTHS} months × 20 indicators; period ${QUERY_PERIOD}; ${REPS} repetitions; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}.`);
  const sqlite = await benchCore();
  const postgresql = PG_URL ? await benchCore(PG_URL) : null;
  console.log(JSON.stringify({ inProcess: true, period: QUERY_PERIOD, reps: REPS, loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10), sqlite: { core: sqlite.core }, postgresql: postgresql ? { core: postgresql.core } : null }));
  process.exit(0);
}

async function bench(pg?: string) {
  const b = await openBenchDb({ prefix: "bench-dashboard", pg, keep: argv.includes("--keep"), reuse: pg ? undefined : argOf("--sqlite-file"), generateSqlite, generatePg });
  try {
    return { answers: b.answers, generationSeconds: b.generationSeconds, aggregateBuildSeconds: b.aggregateBuildSeconds, ...(await measure(b.db, b.label)) };
  } finally {
    await b.close();
  }
}

console.log(`Dashboard API: ${UNIT_COUNT} units × ${MONTHS} months × 20 indicators; period ${QUERY_PERIOD}; ${REPS} repetitions; HTTP end to end with init data; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}.`);
const sqlite = await bench();
const postgresql = PG_URL ? await bench(PG_URL) : null;
if (!PG_URL) console.log("PostgreSQL: skipped (set TEST_DATABASE_URL or pass --pg <url>).");
// National scale: the province-wide calls read every unit in scope (late list, overview) and the
// period's answers of the scope (progress): linear in units; 53,000 schools ≈ 5.3 × this dataset.
const factor = Math.round((NATIONAL_SCHOOLS / UNIT_COUNT) * 10) / 10;
const national = (c: Calls) => Object.fromEntries(["overview", "progress", "late"].map((k) => [k, { p95: Math.round(c[k]!.p95 * factor) }]));
const target = (c: Calls) => c.overview!.p95 < 300;
console.log(`National scale (~${NATIONAL_SCHOOLS.toLocaleString("en")} schools, × ${factor} by linear extrapolation): sqlite ${JSON.stringify(national(sqlite.province))}${postgresql ? `, postgresql ${JSON.stringify(national(postgresql.province))}` : ""}`);
console.log(
  JSON.stringify({
    units: UNIT_COUNT,
    months: MONTHS,
    answers: sqlite.answers,
    period: QUERY_PERIOD,
    reps: REPS,
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
    sqlite: { generationSeconds: sqlite.generationSeconds, aggregateBuildSeconds: sqlite.aggregateBuildSeconds, core: sqlite.core, province: sqlite.province, commune: sqlite.commune, provinceViewP95Under300: target(sqlite.province) },
    postgresql: postgresql ? { generationSeconds: postgresql.generationSeconds, aggregateBuildSeconds: postgresql.aggregateBuildSeconds, core: postgresql.core, province: postgresql.province, commune: postgresql.commune, provinceViewP95Under300: target(postgresql.province) } : null,
    nationalExtrapolation: { schools: NATIONAL_SCHOOLS, factor, sqlite: national(sqlite.province), postgresql: postgresql ? national(postgresql.province) : null },
  }),
);
