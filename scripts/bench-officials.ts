/**
 * Benchmark of the officials' queries at province scale (`npm run bench:officials`).
 *
 * Generates 10,000 units (1 department → 100 communes → ~99 schools each) × 12 monthly periods
 * × 20 indicators = 2.4 million answers into a fresh SQLite file under os.tmpdir() (raw
 * better-sqlite3 prepared inserts in one transaction, against the migrated schema), then times
 * the province-wide late list (lateReport) and the aggregate progress query (progressReport)
 * through our own functions: p50/p95 over --reps repetitions (default 15) after 2 warm-ups.
 * With TEST_DATABASE_URL or --pg <url>, the same on PostgreSQL in a fresh schema (generated
 * server-side with INSERT … SELECT over generate_series). Candidate indexes are then created
 * ad hoc in the bench database and the timings repeated, to show whether they help.
 *
 * Targets on SQLite: late list < 100 ms, aggregate < 500 ms. Ends with ONE JSON line.
 *   npm run bench:officials -- [--pg postgresql://postgres@127.0.0.1:5432/test] [--reps 15] [--keep]
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildCatalog, CatalogFile, type Catalog } from "../core/catalog/index.ts";
import { createDb, migrate, type Db } from "../core/db/client.ts";
import { lateReport } from "../core/officials/late.ts";
import { progressReport } from "../core/officials/progress.ts";

const COMMUNES = 100;
const SCHOOLS_PER_COMMUNE = 99; // 1 + 100 + 100 × 99 = 10,000 units
const MONTHS = 12;
const INDICATORS = 20;
const YEAR = 2026;
const QUERY_PERIOD = "2026-06";

const argv = process.argv.slice(2);
const argOf = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const REPS = Math.max(10, Number(argOf("--reps") ?? 15));
const PG_URL = argOf("--pg") ?? process.env.TEST_DATABASE_URL;
const KEEP = argv.includes("--keep");

/** 20 monthly indicators of every rollup, asked of every unit (schools and offices alike). */
function benchCatalog(): Catalog {
  const citation = { file: "bench.txt", section: "bench", quote: "dữ liệu sinh ngẫu nhiên" };
  const kinds = ["ratio", "ratio", "ratio", "ratio", "ratio", "ratio", "ratio", "ratio", "ratio", "ratio", "yes", "yes", "yes", "yes", "count_yes", "count_yes", "sum", "sum", "percent", "percent"] as const;
  const entries = kinds.map((k, i) => {
    const code = `BE-${String(i + 1).padStart(2, "0")}`;
    const base = { code, plan: "BENCH-2026", target: `Chỉ tiêu ${i + 1}`, question: `Câu hỏi ${i + 1}?`, short: `Chỉ tiêu ${i + 1}`, levels: ["so", "xa", "th", "thcs"], frequency: "monthly", citation };
    if (k === "ratio") return { ...base, measure: { type: "ratio", numerator: "đạt", denominator: "tổng" }, threshold: { op: ">=", value: 90, unit: "%", text: "≥ 90%" }, rollup: "sum_ratio" };
    if (k === "yes") return { ...base, measure: { type: "boolean" }, threshold: { op: ">=", value: 100, unit: "%", text: "100%" }, rollup: "share_yes" };
    if (k === "count_yes") return { ...base, measure: { type: "boolean" }, threshold: { op: ">=", value: 500, unit: "count", text: "≥ 500 trường" }, rollup: "count_yes" };
    if (k === "sum") return { ...base, measure: { type: "count", unit: "bài" }, threshold: { op: ">=", value: 100000, unit: "count", text: "≥ 100.000" }, rollup: "sum" };
    return { ...base, measure: { type: "percent" }, threshold: { op: ">=", value: 80, unit: "%", text: "≥ 80%" }, rollup: "share_meeting" };
  });
  const file = CatalogFile.parse({
    plan: { id: "BENCH-2026", prefix: "BE", title: "Kế hoạch thử tải", issuer: "Bench", place: "Bench", date: "01/01/2026", files: ["bench.txt"] },
    entries,
  });
  return buildCatalog([file]);
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
const vn = (y: number, m: number, d: number, h = 0) => new Date(Date.UTC(y, m - 1, d, h - 7));

interface UnitSpec {
  id: number;
  code: string;
  name: string;
  kind: string;
  levels: string;
  parentId: number | null;
  path: string;
  planId: string | null;
}

function units(): UnitSpec[] {
  const out: UnitSpec[] = [{ id: 1, code: "SO-BENCH", name: "Sở GDĐT Thử tải", kind: "department", levels: "so", parentId: null, path: "/SO-BENCH/", planId: "BENCH-2026" }];
  let id = 1;
  for (let c = 1; c <= COMMUNES; c++) {
    const code = `XA-${String(c).padStart(3, "0")}`;
    const commune: UnitSpec = { id: ++id, code, name: `UBND xã Số ${c}`, kind: "commune", levels: "xa", parentId: 1, path: `/SO-BENCH/${code}/`, planId: null };
    out.push(commune);
    for (let s = 1; s <= SCHOOLS_PER_COMMUNE; s++) {
      const level = s % 3 === 0 ? "thcs" : "th";
      const sc = `${level.toUpperCase()}-${String(c).padStart(3, "0")}-${String(s).padStart(2, "0")}`;
      out.push({ id: ++id, code: sc, name: `Trường ${level === "th" ? "Tiểu học" : "THCS"} ${c}.${s}`, kind: "school", levels: level, parentId: commune.id, path: `${commune.path}${sc}/`, planId: null });
    }
  }
  return out;
}

/** One answer's columns from a PRNG draw, by the indicator's kind. */
function answerOf(i: number, r: () => number): [number | null, number | null, number | null, number] {
  if (i < 10) {
    const den = 20 + Math.floor(r() * 60);
    const num = Math.floor(den * (0.6 + r() * 0.4));
    const v = (num / den) * 100;
    return [v, num, den, v >= 90 ? 1 : 0];
  }
  if (i < 16) {
    const yes = r() < 0.8 ? 1 : 0;
    return [yes, null, null, yes];
  }
  if (i < 18) return [Math.floor(r() * 50), null, null, 1];
  const p = 50 + r() * 50;
  return [p, null, null, p >= 80 ? 1 : 0];
}

function generateSqlite(file: string): { answers: number } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const r = rng(42);
  const now = iso(new Date());
  const insUnit = db.prepare(`INSERT INTO "Unit" ("id","code","name","kind","levels","parentId","path","planId") VALUES (?,?,?,?,?,?,?,?)`);
  const insReport = db.prepare(
    `INSERT INTO "Report" ("id","unitId","period","periodKind","planId","status","revision","deadline","firstSubmittedAt","submittedAt","onTime","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insAnswer = db.prepare(
    `INSERT INTO "Answer" ("reportId","indicatorCode","value","numerator","denominator","skipped","raw","meetsTarget","updatedAt") VALUES (?,?,?,?,?,0,?,?,?)`,
  );
  const codes = Array.from({ length: INDICATORS }, (_, i) => `BE-${String(i + 1).padStart(2, "0")}`);
  let answers = 0;
  db.transaction(() => {
    const all = units();
    for (const u of all) insUnit.run(u.id, u.code, u.name, u.kind, u.levels, u.parentId, u.path, u.planId);
    let reportId = 0;
    for (let m = 1; m <= MONTHS; m++) {
      const period = `${YEAR}-${String(m).padStart(2, "0")}`;
      const deadline = vn(YEAR, m, 20);
      for (const u of all) {
        const roll = r();
        const draft = roll < 0.08; // 8% draft (missing); every unit has a report so answers = 2.4 M
        const late = !draft && roll > 0.92; // 8% late
        const sub = draft ? null : iso(late ? vn(YEAR, m, 23, 9) : vn(YEAR, m, 12, 9));
        insReport.run(++reportId, u.id, period, "month", "BENCH-2026", draft ? "draft" : "submitted", draft ? 0 : 1, iso(deadline), sub, sub, draft ? null : late ? 0 : 1, now);
        for (let i = 0; i < INDICATORS; i++) {
          const [v, num, den, meets] = answerOf(i, r);
          insAnswer.run(reportId, codes[i], v, num, den, String(v), meets, now);
          answers++;
        }
      }
    }
  })();
  db.pragma("optimize");
  db.exec("ANALYZE");
  db.close();
  return { answers };
}

async function generatePg(url: string): Promise<{ answers: number }> {
  const pg = (await import("pg")).default;
  const u = new URL(url);
  const schema = u.searchParams.get("schema")!;
  u.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query("SELECT setseed(0.42)");
    const all = units();
    for (let i = 0; i < all.length; i += 1000) {
      const batch = all.slice(i, i + 1000);
      const params: unknown[] = [];
      const rows = batch.map((x, j) => {
        params.push(x.id, x.code, x.name, x.kind, x.levels, x.parentId, x.path, x.planId);
        const b = j * 8;
        return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8})`;
      });
      await client.query(`INSERT INTO "Unit" ("id","code","name","kind","levels","parentId","path","planId") VALUES ${rows.join(",")}`, params);
    }
    // Reports: 8% draft, 8% late, the rest on time (same shares as on SQLite).
    await client.query(`
      INSERT INTO "Report" ("unitId","period","periodKind","planId","status","revision","deadline","firstSubmittedAt","submittedAt","onTime","updatedAt")
      SELECT u.id, t.period, 'month', 'BENCH-2026',
        CASE WHEN t.roll < 0.08 THEN 'draft' ELSE 'submitted' END,
        CASE WHEN t.roll < 0.08 THEN 0 ELSE 1 END,
        make_timestamp(${YEAR}, t.m, 19, 17, 0, 0),
        CASE WHEN t.roll < 0.08 THEN NULL WHEN t.roll > 0.92 THEN make_timestamp(${YEAR}, t.m, 23, 2, 0, 0) ELSE make_timestamp(${YEAR}, t.m, 12, 2, 0, 0) END,
        CASE WHEN t.roll < 0.08 THEN NULL WHEN t.roll > 0.92 THEN make_timestamp(${YEAR}, t.m, 23, 2, 0, 0) ELSE make_timestamp(${YEAR}, t.m, 12, 2, 0, 0) END,
        CASE WHEN t.roll < 0.08 THEN NULL ELSE t.roll <= 0.92 END,
        now()
      FROM "Unit" u CROSS JOIN LATERAL (
        SELECT g AS m, '${YEAR}-' || lpad(g::text, 2, '0') AS period, random() AS roll FROM generate_series(1, ${MONTHS}) g WHERE u.id > 0
      ) t`);
    await client.query(`
      INSERT INTO "Answer" ("reportId","indicatorCode","value","numerator","denominator","skipped","raw","meetsTarget","updatedAt")
      SELECT x.id, x.code, x.v, x.num, x.den, false, x.v::text,
        CASE WHEN x.i <= 10 THEN x.v >= 90 WHEN x.i <= 16 THEN x.v = 1 WHEN x.i <= 18 THEN true ELSE x.v >= 80 END, now()
      FROM (
        SELECT r.id, g AS i, 'BE-' || lpad(g::text, 2, '0') AS code, d.den, d.num,
          CASE WHEN g <= 10 THEN d.num * 100.0 / d.den WHEN g <= 16 THEN (CASE WHEN d.p < 0.8 THEN 1 ELSE 0 END)
               WHEN g <= 18 THEN floor(d.p * 50) ELSE 50 + d.p * 50 END AS v
        FROM "Report" r CROSS JOIN generate_series(1, ${INDICATORS}) g
        CROSS JOIN LATERAL (
          SELECT CASE WHEN g <= 10 THEN s.den END AS den,
                 CASE WHEN g <= 10 THEN floor(s.den * (0.6 + random() * 0.4)) END AS num, random() AS p
          FROM (SELECT 20 + floor(random() * 60 + g * 0) AS den) s
        ) d
      ) x`);
    await client.query("ANALYZE");
    const { rows } = await client.query(`SELECT COUNT(*)::int AS n FROM "Answer"`);
    return { answers: rows[0].n as number };
  } finally {
    await client.end();
  }
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

interface Figures {
  lateP50: number;
  lateP95: number;
  progressP50: number;
  progressP95: number;
  communeLateP50: number;
  communeProgressP50: number;
}

async function measure(db: Db, catalog: Catalog, label: string): Promise<Figures> {
  const late = await lateReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH" });
  const prog = await progressReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH" });
  console.log(
    `  [${label}] check: expected ${late.expected}, submitted ${late.submitted}, late ${late.late.length}, missing ${late.missing.length}, ` +
      `reporting rate ${late.reportingRate}%; ${prog.indicators.length} indicators, BE-01 = ${prog.indicators[0]?.value}% over ${prog.indicators[0]?.answered} units`,
  );
  const l = await time(() => lateReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH" }));
  const p = await time(() => progressReport(db, catalog, { period: QUERY_PERIOD, under: "SO-BENCH" }));
  const cl = await time(() => lateReport(db, catalog, { period: QUERY_PERIOD, under: "XA-050" }));
  const cp = await time(() => progressReport(db, catalog, { period: QUERY_PERIOD, under: "XA-050" }));
  console.log(`  [${label}] province late list     p50 ${l.p50} ms  p95 ${l.p95} ms`);
  console.log(`  [${label}] province progress      p50 ${p.p50} ms  p95 ${p.p95} ms`);
  console.log(`  [${label}] one commune late list  p50 ${cl.p50} ms  p95 ${cl.p95} ms`);
  console.log(`  [${label}] one commune progress   p50 ${cp.p50} ms  p95 ${cp.p95} ms`);
  return { lateP50: l.p50, lateP95: l.p95, progressP50: p.p50, progressP95: p.p95, communeLateP50: cl.p50, communeProgressP50: cp.p50 };
}

/** Indexes the queries could use; created ad hoc in the bench DB only (prisma/ is not touched). */
const CANDIDATE_INDEXES = [
  `CREATE INDEX "Answer_reportId_cover_idx" ON "Answer"("reportId", "indicatorCode", "skipped", "value", "numerator", "denominator", "meetsTarget")`,
];

async function benchSqlite(catalog: Catalog): Promise<{ base: Figures; indexed: Figures; genSeconds: number; answers: number }> {
  const file = path.join(os.tmpdir(), `bench-officials-${randomUUID()}.db`);
  const url = `file:${file}`;
  console.log(`SQLite: ${file}`);
  await migrate(url);
  const t = performance.now();
  const { answers } = generateSqlite(file);
  const genSeconds = Math.round((performance.now() - t) / 100) / 10;
  console.log(`  generated ${answers.toLocaleString("en")} answers in ${genSeconds} s`);
  let db = await createDb(url);
  try {
    const base = await measure(db, catalog, "sqlite");
    await db.$disconnect();
    const raw = new Database(file);
    for (const sql of CANDIDATE_INDEXES) raw.exec(sql);
    raw.exec("ANALYZE");
    raw.close();
    db = await createDb(url);
    const indexed = await measure(db, catalog, "sqlite + covering index");
    return { base, indexed, genSeconds, answers };
  } finally {
    await db.$disconnect();
    if (!KEEP) for (const s of ["", "-wal", "-shm", "-journal"]) rmSync(file + s, { force: true });
  }
}

async function benchPg(base: string, catalog: Catalog): Promise<{ base: Figures; indexed: Figures; answers: number }> {
  const schema = `bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const u = new URL(base);
  u.searchParams.set("schema", schema);
  const url = u.toString();
  console.log(`PostgreSQL: schema ${schema}`);
  await migrate(url);
  const t = performance.now();
  const { answers } = await generatePg(url);
  console.log(`  generated ${answers.toLocaleString("en")} answers in ${Math.round((performance.now() - t) / 100) / 10} s`);
  const pg = (await import("pg")).default;
  const plain = new URL(base);
  plain.searchParams.delete("schema");
  const admin = new pg.Client({ connectionString: plain.toString() });
  await admin.connect();
  const db = await createDb(url);
  try {
    const baseFigures = await measure(db, catalog, "postgresql");
    await admin.query(`SET search_path TO "${schema}"`);
    for (const sql of CANDIDATE_INDEXES) await admin.query(sql);
    await admin.query("ANALYZE");
    const indexed = await measure(db, catalog, "postgresql + covering index");
    return { base: baseFigures, indexed, answers };
  } finally {
    await db.$disconnect();
    if (!KEEP) await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  }
}

const catalog = benchCatalog();
console.log(`Officials' queries: ${1 + COMMUNES + COMMUNES * SCHOOLS_PER_COMMUNE} units × ${MONTHS} months × ${INDICATORS} indicators; period ${QUERY_PERIOD}; ${REPS} repetitions.`);
const sqlite = await benchSqlite(catalog);
const postgresql = PG_URL ? await benchPg(PG_URL, catalog) : null;
if (!PG_URL) console.log("PostgreSQL: skipped (set TEST_DATABASE_URL or pass --pg <url>).");
const pick = (f: Figures) => ({ lateP50: f.lateP50, lateP95: f.lateP95, progressP50: f.progressP50, progressP95: f.progressP95 });
console.log(
  JSON.stringify({
    units: 1 + COMMUNES + COMMUNES * SCHOOLS_PER_COMMUNE,
    answers: sqlite.answers,
    sqlite: { ...pick(sqlite.base), withCoveringIndex: pick(sqlite.indexed), generationSeconds: sqlite.genSeconds },
    postgresql: postgresql ? { ...pick(postgresql.base), answers: postgresql.answers, withCoveringIndex: pick(postgresql.indexed) } : null,
  }),
);
