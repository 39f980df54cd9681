/**
 * The shipped target catalog (core/catalog/data/*.json): valid, complete, and every citation
 * quote really occurs in its plan file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CatalogFile, CATALOG_DIR, loadCatalog, PLANS_DIR, type CatalogEntry } from "../../core/catalog/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCHOOL = ["mn", "th", "thcs", "thpt", "gdtx"];
const norm = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();
const planText = (file: string) => norm(readFileSync(path.join(PLANS_DIR, file), "utf8"));
const catalog = loadCatalog();
const ofPlan = (id: string) => catalog.entries.filter((e) => e.plan === id);

describe("catalog files", () => {
  it("ships the four plans, each file valid against the schema", () => {
    expect(catalog.plans.map((p) => p.id).sort()).toEqual(["DH-2024", "HY-504-2022", "NB-27-2025", "TK-2026"]);
    for (const name of readdirSync(CATALOG_DIR).filter((f) => f.endsWith(".json"))) {
      const parsed = CatalogFile.safeParse(JSON.parse(readFileSync(path.join(CATALOG_DIR, name), "utf8")));
      expect(parsed.success, `${name}: ${parsed.success ? "" : parsed.error.message}`).toBe(true);
      expect(name).toBe(`${parsed.data!.plan.id}.json`);
    }
  });

  it("has unique codes made of the plan prefix and two digits, in plan order", () => {
    const codes = catalog.entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const plan of catalog.plans) {
      ofPlan(plan.id).forEach((e, i) => expect(e.code).toBe(`${plan.prefix}-${String(i + 1).padStart(2, "0")}`));
    }
  });

  it("quotes every citation verbatim from its plan file (NFC, whitespace collapsed), 20–200 chars", () => {
    const cites = [
      ...catalog.entries.map((e) => ({ who: e.code, ...e.citation })),
      ...catalog.plans.flatMap((p) => (p.reporting.citation ? [{ who: p.id, ...p.reporting.citation }] : [])),
    ];
    for (const c of cites) {
      expect(planText(c.file).includes(norm(c.quote)), `${c.who}: “${c.quote}” not in ${c.file}`).toBe(true);
      expect(c.quote.length, c.who).toBeGreaterThanOrEqual(20);
      expect(c.quote.length, c.who).toBeLessThanOrEqual(200);
    }
  });

  it("cites only files listed by the entry's plan", () => {
    for (const e of catalog.entries) expect(catalog.plan(e.plan)!.files).toContain(e.citation.file);
  });

  it("has the expected number of targets per plan", () => {
    expect(ofPlan("TK-2026")).toHaveLength(20);
    expect(ofPlan("DH-2024")).toHaveLength(16);
    expect(ofPlan("HY-504-2022").length).toBeGreaterThanOrEqual(10);
    const nbAppendix = ofPlan("NB-27-2025").filter((e) => e.citation.section.startsWith("Phụ lục 1") && e.citation.file === "001_3eb15a9a7d9006f6.txt");
    expect(nbAppendix.length).toBeGreaterThanOrEqual(11);
    // all 11 rows of Phụ lục 1 are covered
    const rows = new Set(nbAppendix.map((e) => e.citation.section.match(/dòng (\d+)/)?.[1]));
    expect([...rows].sort((a, b) => Number(a) - Number(b))).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
    expect(catalog.plan("NB-27-2025")!.files).toEqual(["000_c42f861d772fd98b.txt", "001_3eb15a9a7d9006f6.txt"]);
  });

  it("gives every plan monthly, quarterly and yearly questions for schools, monthly a handful", () => {
    for (const plan of catalog.plans) {
      for (const f of ["monthly", "quarterly", "yearly"] as const) {
        const n = ofPlan(plan.id).filter((e) => e.frequency === f && e.levels.some((l) => SCHOOL.includes(l))).length;
        expect(n, `${plan.id} ${f}`).toBeGreaterThan(0);
        if (f === "monthly") expect(n, plan.id).toBeLessThanOrEqual(12);
      }
    }
  });

  it("models targets as the plan measures them", () => {
    const tk = (n: number) => catalog.byCode.get(`TK-${String(n).padStart(2, "0")}`)!;
    expect(tk(19)).toMatchObject({ measure: { type: "boolean" }, rollup: "count_yes", threshold: { op: ">=", value: 6, unit: "count" } });
    expect(tk(14)).toMatchObject({ measure: { type: "ratio", denominatorKey: "teachers" }, rollup: "sum_ratio", threshold: { op: ">=", value: 90, unit: "%", text: "≥ 90" } });
    expect(tk(9)).toMatchObject({ measure: { type: "boolean" }, rollup: "share_yes", threshold: { op: "=", value: 100, unit: "%" } });
    expect(tk(5)).toMatchObject({ measure: { type: "level" }, rollup: "share_meeting", unitThreshold: { op: ">=", value: 2, unit: "level" } });
    const nbSign = catalog.entries.find((e) => e.plan === "NB-27-2025" && /chữ ký số/.test(e.target))!;
    expect(nbSign.threshold).toMatchObject({ op: ">", value: 50, text: "trên 50%" });
    const nbSo = catalog.entries.find((e) => e.plan === "NB-27-2025" && e.levels.includes("so"))!;
    expect(nbSo.threshold.value).toBe(90);
    // level measures always say what one unit must reach
    for (const e of catalog.entries) if (e.rollup === "share_meeting") expect(e.unitThreshold, e.code).toBeDefined();
  });

  it("uses one denominator wording per denominatorKey for the schools of a plan", () => {
    for (const plan of catalog.plans) {
      const byKey = new Map<string, Set<string>>();
      for (const e of ofPlan(plan.id)) {
        if (e.measure.type !== "ratio" || !e.levels.some((l) => SCHOOL.includes(l))) continue;
        expect(e.measure.denominatorKey, e.code).toBeTruthy();
        const set = byKey.get(e.measure.denominatorKey!) ?? new Set();
        set.add(e.measure.denominator);
        byKey.set(e.measure.denominatorKey!, set);
      }
      for (const [key, set] of byKey) {
        if (["records"].includes(key)) continue; // "hồ sơ công việc (trừ hồ sơ mật)" worded per level
        expect(set.size, `${plan.id} ${key}: ${[...set].join(" | ")}`).toBe(1);
      }
    }
  });

  it("asks a multi-level school (TH + THCS) the union of its levels' questions", () => {
    const monthly = catalog.forUnit("NB-27-2025", ["th", "thcs"], "monthly");
    const codes = monthly.map((e) => e.code);
    expect(monthly.length).toBeGreaterThanOrEqual(5);
    expect(monthly.every((e) => e.frequency === "monthly" && e.levels.some((l) => l === "th" || l === "thcs"))).toBe(true);
    // a THCS-and-up question (học sinh trung học) is quarterly; the digital signature one (phổ thông) is monthly
    const sign = catalog.entries.find((e) => e.plan === "NB-27-2025" && /chữ ký số/.test(e.target))!;
    expect(codes).toContain(sign.code);
    // the department's own question is never asked of a school
    expect(catalog.forUnit("NB-27-2025", ["th", "thcs"], "quarterly").some((e) => e.levels.every((l) => l === "so"))).toBe(false);
    // a kindergarten of Tân Kỳ is not asked about học bạ số (TH, THCS only)
    expect(catalog.forUnit("TK-2026", ["mn"], "monthly").map((e) => e.code)).not.toContain("TK-09");
    expect(catalog.forUnit("TK-2026", ["th", "thcs"], "monthly").map((e) => e.code)).toContain("TK-09");
  });

  it("keeps the Ninh Bình reporting rule cited from mục V.3", () => {
    const nb = catalog.plan("NB-27-2025")!;
    expect(nb.reporting).toMatchObject({ monthlyBeforeDay: 20, quarterlyBeforeDay: 20, yearlyBefore: { day: 10, month: 12 } });
    expect(nb.reporting.citation?.section).toBe("mục V.3");
  });
});

describe("a broken catalog", () => {
  const good: CatalogEntry = loadCatalog().byCode.get("TK-14")!;
  const fileWith = (entry: unknown) => ({ plan: loadCatalog().plan("TK-2026"), entries: [entry] });

  it("rejects count_yes on a ratio with a message naming the code and the fix", () => {
    const parsed = CatalogFile.safeParse(fileWith({ ...good, rollup: "count_yes" }));
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => i.message);
    expect(messages).toContain('TK-14: rollup "count_yes" does not fit measure "ratio" (use sum_ratio or share_meeting)');
  });

  it("fails loadCatalog with the file name when a data file is invalid", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "catalog-"));
    writeFileSync(path.join(dir, "broken.json"), JSON.stringify(fileWith({ ...good, threshold: { op: "≥", value: 90, unit: "%", text: "≥ 90" } })));
    expect(() => loadCatalog(dir)).toThrow(/Danh mục chỉ tiêu broken\.json không hợp lệ/);
  });
});

describe("cli: catalog list --json", () => {
  it("prints every entry with code, plan, question, measure, threshold, levels, citation, version and status", () => {
    // a fresh database: the shipped plans are loaded into it on first use
    const db = path.join(mkdtempSync(path.join(tmpdir(), "catalog-cli-")), "app.db");
    const out = execFileSync("npx", ["tsx", "cli/main.ts", "catalog", "list", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATABASE_URL: `file:${db}` },
    });
    const rows = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(catalog.entries.length);
    for (const r of rows) {
      for (const k of ["code", "plan", "question", "measure", "threshold", "levels", "citation", "version", "status"]) expect(r, `${r.code} ${k}`).toHaveProperty(k);
    }
    expect(rows.find((r) => r.code === "TK-19")).toMatchObject({ version: 1, status: "published" });
    expect(rows.find((r) => r.code === "TK-19")).toMatchObject({ rollup: "count_yes", threshold: { value: 6 } });
  });
});
