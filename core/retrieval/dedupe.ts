/**
 * The same plan ingested twice (000 and 001 are two extractions of 27/KH-SGDĐT): recognise it, pick the
 * better extraction, and drop the other's passages that repeat it, so one passage is never cited twice.
 *
 *   sameDocument(a, b)     // true: same number and date, or most of one text's shingles are in the other
 */
import { fold } from "../text.ts";
import { foldedTokens } from "./tokenize.ts";

export interface DocLike {
  number: string | null;
  date: string | null;
  chunks: Array<{ text: string }>;
}

function shingles(texts: string[], n = 5): Set<string> {
  const out = new Set<string>();
  for (const t of texts) {
    const w = foldedTokens(t);
    for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(" "));
  }
  return out;
}

const shingleCache = new WeakMap<object, Set<string>>();
function cachedShingles(d: DocLike): Set<string> {
  let s = shingleCache.get(d.chunks);
  if (!s) {
    s = shingles(d.chunks.map((c) => c.text));
    shingleCache.set(d.chunks, s);
  }
  return s;
}

function containment(a: Set<string>, b: Set<string>): number {
  if (!a.size) return 0;
  let hit = 0;
  for (const s of a) if (b.has(s)) hit++;
  return hit / a.size;
}

/** Two documents are the same plan when number+date agree or their texts overlap heavily. */
export function sameDocument(a: DocLike, b: DocLike): boolean {
  const numbered = (d: DocLike) => Boolean(d.number && /^\d/.test(d.number));
  if (numbered(a) && numbered(b)) return fold(a.number!) === fold(b.number!) && a.date === b.date;
  const sa = cachedShingles(a);
  const sb = cachedShingles(b);
  return Math.max(containment(sa, sb), containment(sb, sa)) >= 0.5;
}

/** Quality of an extraction: more clean passages and table rows win. */
export function extractionQuality(d: DocLike & { garbledLines?: number }): number {
  return d.chunks.length - 5 * (d.garbledLines ?? 0);
}

/** True when `text` repeats a passage of the canonical document (≥ 60% of its shingles found there). */
export function isNearDuplicate(text: string, canonical: Set<string>): boolean {
  const s = shingles([text], 3);
  return s.size === 0 || containment(s, canonical) >= 0.6;
}

/** Trigram shingles of a document's passages, for isNearDuplicate. */
export function docShingles(texts: string[]): Set<string> {
  return shingles(texts, 3);
}
