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
