/**
 * Recall of the rule-based extractor against the shipped catalog.
 *
 * An entry counts as found when some draft extracted from the entry's cited file has a citation
 * (its own or one in `alsoIn`) whose quote OVERLAPS the entry's quote. Overlap: after NFC,
 * lowercasing and collapsing whitespace, one quote contains the other, or the token Jaccard
 * (folded words of ≥ 2 characters) is at least 0.5.
 *
 *   const r = evaluateRecall(loadCatalog());
 *   r.recall  // 0.97
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fold } from "../../text.ts";
import { PLANS_DIR, type Catalog, type CatalogEntry } from "../index.ts";
import { extractDrafts, jaccard, type DraftEntry } from "../extract.ts";

const norm = (s: string) => s.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();

/** Do two quotes point at the same passage? (containment either way, or token Jaccard ≥ 0.5) */
export function quotesOverlap(a: string, b: string): boolean {
  const x = norm(a);
  const y = norm(b);
  return x.includes(y) || y.includes(x) || jaccard(x, y) >= 0.5;
}

export interface RecallReport {
  recall: number;
  perPlan: Record<string, number>;
  drafts: number;
  /** Among entries found, share whose matching draft also has the same threshold (op and value). */
  thresholdAgreement: number;
  /** Among entries found, share whose matching draft has the same measure type (ratio, boolean, …). */
  measureAgreement: number;
  /** Entries no draft overlapped: code and quote, to see what the rules miss. */
  missed: Array<{ code: string; quote: string }>;
}

/** Extract drafts from every cited file and measure recall per plan and overall. */
export function evaluateRecall(catalog: Catalog, plansDir = PLANS_DIR): RecallReport {
  const draftsByFile = new Map<string, DraftEntry[]>();
  const draftsOf = (file: string) => {
    let d = draftsByFile.get(file);
    if (!d) {
      d = extractDrafts(readFileSync(path.join(plansDir, file), "utf8"), file);
      draftsByFile.set(file, d);
    }
    return d;
  };
  const matches = (e: CatalogEntry) =>
    draftsOf(e.citation.file).filter((d) =>
      [d.citation, ...(d.alsoIn ?? [])].some((c) => c.file === e.citation.file && quotesOverlap(c.quote, e.citation.quote)),
    );
  let sameThreshold = 0;
  let sameMeasure = 0;
  const found = (e: CatalogEntry) => {
    const m = matches(e);
    if (m.some((d) => d.threshold?.op === e.threshold.op && d.threshold.value === e.threshold.value)) sameThreshold++;
    if (m.some((d) => d.measure?.type === e.measure.type)) sameMeasure++;
    return m.length > 0;
  };
  const perPlan: Record<string, number> = {};
  const missed: RecallReport["missed"] = [];
  let hits = 0;
  for (const plan of catalog.plans) {
    const entries = catalog.entries.filter((e) => e.plan === plan.id);
    let planHits = 0;
    for (const e of entries) {
      if (found(e)) planHits++;
      else missed.push({ code: e.code, quote: e.citation.quote });
    }
    hits += planHits;
    perPlan[plan.id] = entries.length ? Math.round((planHits / entries.length) * 1000) / 1000 : 0;
  }
  for (const p of catalog.plans) for (const f of p.files) draftsOf(f);
  const drafts = [...draftsByFile.values()].reduce((n, d) => n + d.length, 0);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    recall: r3(hits / Math.max(1, catalog.entries.length)),
    perPlan,
    drafts,
    thresholdAgreement: r3(sameThreshold / Math.max(1, hits)),
    measureAgreement: r3(sameMeasure / Math.max(1, hits)),
    missed,
  };
}

// ---------------------------------------------------------------------------------------------
// Held-out fictional plans (tests/fixtures/plans/*.expected.json): recall and precision.

/** One expected target of a fictional plan: key words and the threshold the plan states. */
export interface ExpectedTarget {
  keywords: string[];
  threshold: { op: string; value: number; unit: string };
  unitThreshold?: { op: string; value: number; unit: string };
  /** Expected measure type (the kind of question: ratio, count, boolean, level, percent). */
  measure?: string;
  /** The "Thực hiện năm …" figure of an appendix row. */
  baseline?: number;
}

export interface ExpectedPlan {
  file: string;
  /** e.g. that the plan was written after tuning (a second held-out set). */
  note?: string;
  reporting?: Record<string, unknown>;
  targets: ExpectedTarget[];
}

export interface FileScore {
  file: string;
  expected: number;
  drafts: number;
  /** Expected targets found with the right threshold. */
  found: number;
  /** Drafts that are real targets (matched one to one to an expected target by key words). */
  relevant: number;
  recall: number;
  precision: number;
  /** Among targets found: same measure type as expected (where one is expected). */
  measureAgreement: number;
  /** Among targets found with an expected baseline: same baseline. */
  baselineAgreement: number;
  missed: string[];
  /** Drafts that match no expected target: their quotes. */
  extra: string[];
}

const haystackOf = (d: DraftEntry) => fold([d.target, d.citation.quote, ...(d.alsoIn ?? []).map((c) => c.quote)].join(" "));
const sameT = (a: { op: string; value: number; unit: string } | undefined, b: { op: string; value: number; unit: string } | undefined) =>
  !!a && !!b && a.op === b.op && a.value === b.value && a.unit === b.unit;

/**
 * Score drafts against a plan's expected targets. Matching is one to one: first drafts stating the
 * right threshold (recall), then drafts matching only by key words (they are still real targets, for
 * precision). A target with an expected unitThreshold also needs that unitThreshold.
 */
export function scoreDrafts(drafts: DraftEntry[], plan: ExpectedPlan): FileScore {
  const hay = drafts.map(haystackOf);
  const keyMatch = (t: ExpectedTarget, i: number) => t.keywords.every((k) => hay[i]!.includes(fold(k)));
  const thrMatch = (t: ExpectedTarget, d: DraftEntry) =>
    sameT(d.threshold, t.threshold) && (!t.unitThreshold || sameT(d.unitThreshold, t.unitThreshold));
  const claimed = new Map<number, number>(); // draft index → target index
  const foundBy = new Map<number, number>(); // target index → draft index
  // targets with fewer candidate drafts pick first
  const order = plan.targets.map((_, k) => k).sort((a, b) => {
    const n = (k: number) => drafts.filter((d, i) => keyMatch(plan.targets[k]!, i) && thrMatch(plan.targets[k]!, d)).length;
    return n(a) - n(b);
  });
  for (const k of order) {
    const t = plan.targets[k]!;
    const i = drafts.findIndex((d, i) => !claimed.has(i) && keyMatch(t, i) && thrMatch(t, d));
    if (i >= 0) {
      claimed.set(i, k);
      foundBy.set(k, i);
    }
  }
  const keywordOnly = new Set<number>();
  for (const [k, t] of plan.targets.entries()) {
    if (foundBy.has(k)) continue;
    const i = drafts.findIndex((_, i) => !claimed.has(i) && keyMatch(t, i));
    if (i >= 0) {
      claimed.set(i, k);
      keywordOnly.add(k);
    }
  }
  let measureChecked = 0;
  let measureSame = 0;
  let baseChecked = 0;
  let baseSame = 0;
  for (const [k, i] of foundBy) {
    const t = plan.targets[k]!;
    const d = drafts[i]!;
    if (t.measure) {
      measureChecked++;
      if (d.measure?.type === t.measure) measureSame++;
    }
    if (t.baseline !== undefined) {
      baseChecked++;
      if ((d as DraftEntry & { baseline?: number }).baseline === t.baseline) baseSame++;
    }
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const found = foundBy.size;
  return {
    file: plan.file,
    expected: plan.targets.length,
    drafts: drafts.length,
    found,
    relevant: claimed.size,
    recall: r3(found / Math.max(1, plan.targets.length)),
    precision: r3(claimed.size / Math.max(1, drafts.length)),
    measureAgreement: measureChecked ? r3(measureSame / measureChecked) : NaN,
    baselineAgreement: baseChecked ? r3(baseSame / baseChecked) : NaN,
    missed: plan.targets
      .map((t, k) => (foundBy.has(k) ? "" : `${t.keywords.join(" + ")} ${t.unitThreshold ? `${t.unitThreshold.op} ${t.unitThreshold.value} ${t.unitThreshold.unit}, ` : ""}${t.threshold.op} ${t.threshold.value} ${t.threshold.unit}${keywordOnly.has(k) ? " (tìm thấy, sai ngưỡng)" : ""}`))
      .filter(Boolean),
    extra: drafts.filter((_, i) => !claimed.has(i)).map((d) => d.citation.quote),
  };
}

/** Precision and threshold-recall on the real plans, per file: drafts overlapping some catalog entry of the plan. */
export function scoreRealPlans(catalog: Catalog, plansDir = PLANS_DIR): FileScore[] {
  const out: FileScore[] = [];
  for (const plan of catalog.plans) {
    const entries = catalog.entries.filter((e) => e.plan === plan.id);
    for (const file of plan.files) {
      const drafts = extractDrafts(readFileSync(path.join(plansDir, file), "utf8"), file);
      const quotes = (d: DraftEntry) => [d.citation, ...(d.alsoIn ?? [])].map((c) => c.quote);
      const isTarget = (d: DraftEntry) => entries.some((e) => quotes(d).some((q) => quotesOverlap(q, e.citation.quote)));
      const own = entries.filter((e) => e.citation.file === file);
      let found = 0;
      const missed: string[] = [];
      for (const e of own) {
        const m = drafts.filter((d) => quotes(d).some((q) => quotesOverlap(q, e.citation.quote)));
        if (m.some((d) => d.threshold?.op === e.threshold.op && d.threshold.value === e.threshold.value)) found++;
        else missed.push(`${e.code}${m.length ? " (tìm thấy, sai ngưỡng)" : ""}`);
      }
      const relevant = drafts.filter(isTarget).length;
      const r3 = (x: number) => Math.round(x * 1000) / 1000;
      out.push({
        file, expected: own.length, drafts: drafts.length, found, relevant,
        recall: r3(found / Math.max(1, own.length)), precision: r3(relevant / Math.max(1, drafts.length)),
        measureAgreement: NaN, baselineAgreement: NaN, missed,
        extra: drafts.filter((d) => !isTarget(d)).map((d) => d.citation.quote),
      });
    }
  }
  return out;
}
