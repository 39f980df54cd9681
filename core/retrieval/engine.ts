/**
 * Plan Q&A: Vietnamese-aware lexical retrieval (MiniSearch + our tokenizer), optional dense retrieval,
 * and cited extractive answers. Retrieval only ever sees plan texts, never users or reports.
 *
 *   const qa = await createQaEngine({ db, words: QA_WORDS });   // or { words } to read data/plans/ directly
 *   const r = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?");
 *   r.status      // "answered"
 *   r.citations   // [{ file: "001_…", label: "KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025), mục V.3", quote, … }]
 */
import { loadCatalog } from "../catalog/index.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import MiniSearch from "minisearch";
import { PLANS_DIR } from "../catalog/index.ts";
import type { Db } from "../db/client.ts";
import { publishedFaq, type FaqView } from "../faq/index.ts";
import { fold, nfc } from "../text.ts";
import { docShingles, extractionQuality, isNearDuplicate, sameDocument } from "./dedupe.ts";
import { planFiles } from "./ingest.ts";
import {
  bytesToVector,
  cosine,
  embedTexts,
  fuseRrf,
  fuseWeighted,
  llmAnswer,
  numbersGrounded,
  vectorToBytes,
  type LlmConfig,
} from "./llm.ts";
import {
  basisClause,
  clauseWith,
  declineReasonOf,
  offTopicOf,
  CHATTER_FILLERS,
  type OffTopic,
  isThanks,
  unsupportedBy,
  definitionIn,
  appendixRowAsked,
  englishNameAsked,
  englishNamesIn,
  isColumnHeader,
  rowCells,
  citationOf,
  documentNumbersIn,
  findPhrase,
  knownAbbreviation,
  leadOf,
  markedShare,
  termQuestionOf,
  wantsOf,
  type Wants,
  withUnit,
  namesUnitOf,
  REPORT_SCHEDULE,
  WEB_ADDRESS,
  FUNDING_SOURCE,
  EVENT_DAY_STATED,
} from "./answer.ts";
import { docTypeOfLabel, headingChain, labelBaseFromLabel, parsePlan, splitSentences } from "./parse.ts";
import type { QaWords } from "./words.ts";
import { ABBREVIATIONS, GENERAL_WORDS, spellOutChat, STOPWORDS, contentGroups, hasDiacritics, isStopToken, typedWithMarks, tonelessSyllable, questionContent, foldPhrase, foldSyllable, foldedTokens, indexTerms, normalizeText, queryTerms, rawTokens } from "./tokenize.ts";

export interface Citation {
  file: string;
  label: string;
  section: string;
  quote: string;
  chunkId: string;
}

export interface QaResult {
  status: "answered" | "no_context" | "refused";
  /** Vietnamese plain text. */
  answer: string;
  citations: Citation[];
  /** Closest sections when not answered, each with a one-line preview of what it says. */
  closest?: Array<{ label: string; section: string; preview?: string }>;
  /** Example questions the plans do answer (offered with a decline). */
  suggestions?: string[];
  /** Why a question was not answered (the bot words each reason its own way). */
  reason?: DeclineReason;
  /** For smalltalk: a greeting or thanks. */
  smalltalk?: "greeting" | "thanks";
  /** For out_of_scope: the place named that no plan covers ("tỉnh Cà Mau"). */
  place?: string;
  /** For out_of_scope: a document asked about that is not in the data, and the plans that only cite it. */
  document?: { name: string; citedBy: string[] };
  /** For out_of_scope: what the question pins down (a number, what a yes/no question asks about) that the closest passage does not state. */
  missing?: string;
  /** For a question outside the plans by its kind (an office's address, the weather, exam results…): whom to ask differs. */
  topic?: OffTopic;
}

/**
 * smalltalk: a greeting or thanks; out_of_scope: not about the plans (or about a place no plan covers);
 * report_data: units' reports, which only officials see; personal_data / injection: never given;
 * school_matter: one school's own business (its fees, a child's marks): ask the school.
 */
export type DeclineReason = "smalltalk" | "out_of_scope" | "report_data" | "personal_data" | "injection" | "school_matter" | "empty";

export interface AskOptions {
  /** The user's locality plan (e.g. "NB-27-2025"): preferred when it answers the question. */
  planId?: string;
}

export interface SearchHit {
  chunkId: string;
  file: string;
  label: string;
  section: string;
  score: number;
  coverage: number;
}

export interface QaEngine {
  ask(question: string, opts?: AskOptions): Promise<QaResult>;
  /** Rebuild the index from the database (or the plan folder), e.g. after a plan was added. */
  reload(): Promise<void>;
  /** Ranked passages (after scope, duplicate and threshold handling are NOT applied): for evaluation. */
  search(question: string, opts?: AskOptions & { limit?: number }): Promise<SearchHit[]>;
  /** Milliseconds spent building the index. */
  readonly indexMs: number;
  readonly chunkCount: number;
  /** Chunks left out because they repeat the better extraction of the same plan. */
  readonly droppedDuplicates: number;
  /** Rebuild the index from the store (after a plan is added while the bot runs); questions keep working meanwhile. */
  reload(): Promise<void>;
}

/** Plan ids keyed by file, from the catalog's plan list (PlanInfo.files). */
export const PLAN_ID_BY_FILE: Record<string, string> = Object.fromEntries(
  loadCatalog().plans.flatMap((p) => p.files.map((f) => [f, p.id])),
);

interface DocEntry {
  key: string;
  file: string;
  planId: string;
  number: string | null;
  date: string | null;
  /** The place the plan was issued at, as printed ("Ninh Bình", "Tân Kỳ"). */
  place: string | null;
  labelBase: string;
  /** folded place names that designate this plan ("ninh binh", "quang ninh", …) */
  places: string[];
  garbledLines: number;
  duplicateOf: string | null;
  chunks: ChunkEntry[];
}

interface ChunkEntry {
  /** For table rows: the cell values only (column headers go to `heading`), so repeated headers do not dominate. */
  indexText?: string;
  id: string;
  file: string;
  docKey: string;
  label: string;
  sectionPath: string;
  kind: string;
  text: string;
  heading: string;
  terms: Set<string>;
  embedding?: Float32Array;
}

// ---------------------------------------------------------------- loading

/** Place names a plan is known by: its own place plus the province/city it names most often. */
function placesOf(place: string | null, fullText: string): string[] {
  const out = new Set<string>();
  if (place) out.add(foldPhrase(place));
  const counts = new Map<string, number>();
  for (const m of fullText.matchAll(/(?:tỉnh|thành phố|huyện|xã)\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)/gu)) {
    const k = foldPhrase(m[1]!);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (top && top[1] >= 2) out.add(top[0]);
  return [...out];
}

function loadFromFiles(dir: string): DocEntry[] {
  return planFiles(dir)
    .filter((f) => !f.endsWith(".docx"))
    .map((full) => {
      const file = path.basename(full);
      const plan = parsePlan(file, readFileSync(full, "utf8"));
      const text = plan.chunks.map((c) => c.text).join("\n");
      return {
        key: file,
        file,
        planId: PLAN_ID_BY_FILE[file] ?? file,
        number: plan.meta.number,
        date: plan.meta.date,
        place: plan.meta.place,
        labelBase: plan.labelBase,
        places: placesOf(plan.meta.place, text),
        garbledLines: plan.garbledLines,
        duplicateOf: null,
        chunks: plan.chunks.map((c) => ({
          id: c.id,
          file,
          docKey: file,
          label: c.label,
          sectionPath: c.sectionPath,
          kind: c.kind,
          text: c.text,
          heading: headingChain(plan.sections, c.sectionPath),
          terms: new Set(),
        })),
      };
    });
}

async function loadFromDb(db: Db): Promise<DocEntry[]> {
  const docs = await db.planDocument.findMany({
    include: { sections: true, chunks: { orderBy: { ordinal: "asc" } } },
    orderBy: { id: "asc" },
  });
  const fileById = new Map(docs.map((d) => [d.id, d.file]));
  return docs.map((d) => {
    const text = d.chunks.map((c) => c.text).join("\n");
    return {
      key: d.file,
      file: d.file,
      planId: PLAN_ID_BY_FILE[d.file] ?? d.file,
      number: d.number,
      date: d.date,
      place: d.place,
      labelBase: d.chunks[0] ? labelBaseFromLabel(d.chunks[0].label) : d.file,
      places: placesOf(d.place, text),
      garbledLines: 0,
      duplicateOf: d.duplicateOfId ? (fileById.get(d.duplicateOfId) ?? null) : null,
      chunks: d.chunks.map((c) => ({
        id: c.id,
        file: d.file,
        docKey: d.file,
        label: c.label,
        sectionPath: c.sectionPath,
        kind: c.kind,
        text: c.text,
        heading: headingChain(d.sections, c.sectionPath),
        terms: new Set<string>(),
        embedding: c.embedding ? bytesToVector(c.embedding) : undefined,
      })),
    };
  });
}

/** One FAQ entry as a document of one passage, labelled "Giải đáp của <unit> (<date>)". */
function faqDoc(f: FaqView, words: QaWords): DocEntry {
  const key = `faq-${f.id}`;
  const label = words.faqLabel(f.unitName, f.updatedAt);
  const text = `${f.question}\n${f.answer}${f.link ? `\n${words.faqLink(f.link)}` : ""}`;
  return {
    key,
    file: "faq",
    planId: key,
    number: null,
    date: null,
    place: null,
    labelBase: label,
    places: [],
    garbledLines: 0,
    duplicateOf: null,
    chunks: [{ id: key, file: "faq", docKey: key, label, sectionPath: String(f.id), kind: "faq", text, heading: "Giải đáp", terms: new Set() }],
  };
}

/**
 * Resolve duplicates among loaded documents (when not already marked by ingestion) and keep, of a
 * duplicate extraction, only the passages that the better extraction does not have.
 */
function dropDuplicates(docs: DocEntry[]): { kept: ChunkEntry[]; dropped: number } {
  for (let i = 0; i < docs.length; i++) {
    for (let j = i + 1; j < docs.length; j++) {
      const a = docs[i]!;
      const b = docs[j]!;
      if (a.duplicateOf || b.duplicateOf) continue;
      if (!sameDocument(a, b)) continue;
      if (extractionQuality(a) >= extractionQuality(b)) b.duplicateOf = a.key;
      else a.duplicateOf = b.key;
    }
  }
  const byKey = new Map(docs.map((d) => [d.key, d]));
  const kept: ChunkEntry[] = [];
  let dropped = 0;
  for (const d of docs) {
    const canonical = d.duplicateOf ? byKey.get(d.duplicateOf) : undefined;
    if (!canonical) {
      kept.push(...d.chunks);
      continue;
    }
    const shingles = docShingles(canonical.chunks.map((c) => c.text));
    for (const c of d.chunks) {
      if (c.kind === "header" || isNearDuplicate(c.text, shingles)) dropped++;
      else kept.push(c);
    }
  }
  return { kept, dropped };
}

/**
 * Table rows are stored as "Header: value; Header: value" for readable quotes. For ranking, the
 * column headers repeated in every row of an appendix move to the heading field.
 */
function separateRowHeaders(chunks: ChunkEntry[]): void {
  const groups = new Map<string, ChunkEntry[]>();
  for (const c of chunks) {
    if (c.kind !== "table_row") continue;
    const key = `${c.file}|${c.sectionPath.replace(/, dòng .*$/, "")}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const rows of groups.values()) {
    const counts = new Map<string, number>();
    for (const r of rows)
      for (const m of r.text.matchAll(/(?:^|; )([^:;]{2,160}): /g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    const headers = [...counts].filter(([, n]) => n >= Math.min(3, rows.length)).map(([h]) => h);
    for (const r of rows) {
      let t = r.text;
      for (const h of headers) t = t.split(`${h}: `).join(" ");
      r.indexText = t;
      r.heading = [r.heading, ...headers].filter(Boolean).join(" / ");
    }
  }
}

// ---------------------------------------------------------------- refusal and scope

/** Requests we refuse whatever the plans say: prompt injection, personal data, report data. */
/** Folded words that name no topic of a plan (see topicless in createQaEngine). */
const TOPICLESS = new Set([
  ...GENERAL_WORDS,
  ...STOPWORDS,
  ...CHATTER_FILLERS,
  ..."thang ngay nam quy tuan hom gio mai sang chieu toi qua luon ua oh uhm hmm cai ha hi".split(" "),
]);

export function isInjection(question: string): boolean {
  const k = declineReasonOf(question);
  return k === "injection" || k === "personal_data" || k === "report_data";
}

/**
 * What kind of answer a question wants ("Ai …?" wants a unit in charge, "… khi nào?" a deadline):
 * passages holding such words get a small boost. Matched on folded text.
 */
const INTENTS: Array<{ re: RegExp; terms: string[] }> = [
  {
    re: /^ai\b|\bai (chu tri|phu trach|theo doi|thuc hien)|(don vi|phong|co quan|bo phan) nao/,
    terms: ["chu_tri", "phu_trach", "tham_muu", "theo_doi"],
  },
  {
    re: /khi nao|bao gio|thoi han|han chot|truoc ngay nao|thang may|quy nao|nam nao|thoi gian nao/,
    terms: ["thoi_gian", "truoc_ngay", "thang", "qui", "han", "nam_2025", "nam_2026", "thuong_xuyen"],
  },
];

function intentTerms(question: string): string[] {
  const q = fold(question);
  return INTENTS.filter((i) => i.re.test(q)).flatMap((i) => i.terms);
}


/** Share (idf-weighted, as coverage) of what a yes/no question asks about that the near passages must hold: half. */
const YES_NO_HELD = 0.5;

/** Adverbs of degree ("bỏ hẳn", "dùng luôn"): how much, not what. */
/** Words a number after them counts ("lớp 1", "mức 1", "quý 1", "phụ lục 1"): a "1" after any other word is the article "một". Folded. */
const NUMBERED = new Set(["lop", "muc", "quy", "qui", "thang", "nam", "khoi", "dieu", "khoan", "ki", "cap", "so", "luc", "doan", "tiet", "tuan", "ngay", "lan", "buoc", "top", "hang", "nhom", "bang", "diem", "phan", "chuong", "tang", "phong", "to", "dong"]);
const DEGREE_WORDS = new Set(["hẳn", "luôn", "luon", "ngay", "mãi", "thật", "nữa", "nua", "thêm", "hết"]);

/** Words that ask for a comparison, not for content: "có khác nhau không?". */
const COMPARING = new Set(["khac nhau", "giong nhau", "khac biet", "nhu nhau", "so sanh", "doi chieu"]);

/** Words that follow "xã", "phường"… in ordinary sentences rather than a place name. */
const UNIT_WORDS = new Set(["phuong", "xa", "huyen", "tinh", "thi", "tran", "truong", "bao", "nay", "do", "hoi", "doan", "thanh", "pho"]);

/** Folded words of the sector's abbreviations and synonyms (both forms): the index knows them whatever the plans write. */
const SYNONYM_WORDS = new Set(ABBREVIATIONS.flatMap((a) => [...foldedTokens(a.short), ...foldedTokens(a.long)]));

// ---------------------------------------------------------------- answering helpers

/** "vào dịp đó", "trong việc này", "về chuyện ấy": a preposition, a noun, a demonstrative (folded). */
const POINTING_BEFORE = new Set(["vao", "trong", "nhan", "ve", "voi", "cho", "sau", "truoc", "den", "toi", "tu", "o", "tai"]);
const POINTING_AFTER = new Set(["do", "ay", "nay", "kia"]);

/** A passage's text without what is numbered but no amount: dates, years, items' and articles' numbers. */
function amountText(text: string): string {
  return text
    .replace(/\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}\/\d{4}\b|\b(?:19|20)\d\d\b/g, "")
    .replace(/(^|\n)\s*(?:\(?\d+(?:\.\d+)*[.)]|[a-zđ]\))\s*/gu, "$1")
    .replace(/(?:số|Số|dòng|mục|Mục|Điều|điều|khoản|Khoản|Phụ lục|phụ lục|[Ll]ớp|[Ll]ần|Đề án|đề án|Quyết định|Nghị quyết|Thông tư|Chỉ thị|Công văn|Kế hoạch|kế hoạch)\s+\d+[\p{L}\p{N}/.-]*/gu, "");
}

/**
 * Vietnam's provinces and centrally run cities, as written: one named anywhere in a question ("Hà Nội đặt mục tiêu gì?",
 * "o da nang co ke hoach khong") that no plan covers is a place no plan covers, with or without "tỉnh"/"thành phố" before it.
 */
const PROVINCES = (
  "Hà Nội,Hồ Chí Minh,Sài Gòn,Hải Phòng,Đà Nẵng,Cần Thơ,Huế,Thừa Thiên Huế,An Giang,Bà Rịa Vũng Tàu,Vũng Tàu,Bắc Giang,Bắc Kạn," +
  "Bạc Liêu,Bắc Ninh,Bến Tre,Bình Định,Bình Dương,Bình Phước,Bình Thuận,Cà Mau,Cao Bằng,Đắk Lắk,Đắk Nông,Điện Biên,Đồng Nai," +
  "Đồng Tháp,Gia Lai,Hà Giang,Hà Nam,Hà Tĩnh,Hải Dương,Hậu Giang,Hòa Bình,Hưng Yên,Khánh Hòa,Kiên Giang,Kon Tum,Lai Châu,Lâm Đồng," +
  "Lạng Sơn,Lào Cai,Long An,Nam Định,Nghệ An,Ninh Bình,Ninh Thuận,Phú Thọ,Phú Yên,Quảng Bình,Quảng Nam,Quảng Ngãi,Quảng Ninh," +
  "Quảng Trị,Sóc Trăng,Sơn La,Tây Ninh,Thái Bình,Thái Nguyên,Thanh Hóa,Tiền Giang,Trà Vinh,Tuyên Quang,Vĩnh Long,Vĩnh Phúc,Yên Bái"
).split(",");

/** Every spelling one letter away from a folded word: one letter added, dropped, changed, or two neighbours swapped. */
function oneLetterOff(w: string): Set<string> {
  const letters = "abcdeghiklmnopqrstuvxy";
  const out = new Set<string>();
  for (let i = 0; i <= w.length; i++) {
    for (const l of letters) {
      out.add(w.slice(0, i) + l + w.slice(i));
      if (i < w.length) out.add(w.slice(0, i) + l + w.slice(i + 1));
    }
    if (i < w.length) out.add(w.slice(0, i) + w.slice(i + 1));
    if (i + 1 < w.length) out.add(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
  }
  out.delete(w);
  return out;
}

const MAX_QUOTE = 520;
const RATE_TERMS = indexTerms("tỷ lệ");

function cleanQuote(s: string): string {
  return s.replace(/^[-+*•]\s*/, "").trim();
}

function clip(s: string, max = MAX_QUOTE): string {
  return s.length <= max ? s : `${s.slice(0, max).replace(/\s+\S*$/, "")} …`;
}

/** Split a text into Telegram-sized messages on paragraph, then line, then sentence boundaries. */
export function splitForTelegram(text: string, limit = 4096): string[] {
  if (text.length <= limit) return [text];
  const out: string[] = [];
  let cur = "";
  const push = (piece: string, sep: string) => {
    if (!cur) cur = piece;
    else if (cur.length + sep.length + piece.length <= limit) cur += sep + piece;
    else {
      out.push(cur);
      cur = piece;
    }
  };
  for (const para of text.split(/\n{2,}/)) {
    if (para.length <= limit) {
      push(para, "\n\n");
      continue;
    }
    for (const line of para.split("\n")) {
      if (line.length <= limit) {
        push(line, "\n");
        continue;
      }
      for (const s of splitSentences(line)) {
        if (s.length <= limit) push(s, " ");
        else for (let i = 0; i < s.length; i += limit) push(s.slice(i, i + limit), "");
      }
    }
  }
  if (cur) out.push(cur);
  return out;
}

// ---------------------------------------------------------------- the engine

/** Build the index (from the DB when given, else from data/plans/) and return the Q&A engine. */
export interface QaEngineOptions {
  db?: Db;
  /** Where officials' FAQ entries are read when plans come from files (default: `db`). */
  faqDb?: Db;
  llm?: LlmConfig | null;
  /** Read plan files from here when no db is given (default data/plans/). */
  plansDir?: string;
  /** How dense and lexical scores combine when an embedding model is configured (default weighted). */
  fusion?: "weighted" | "rrf";
  /** What answers and declines say (bot/messages/qa.ts QA_WORDS). */
  words: QaWords;
}

export async function createQaEngine(opts: QaEngineOptions): Promise<QaEngine> {
  let inner = await buildEngine(opts);
  return {
    ask: (q, o) => inner.ask(q, o),
    search: (q, o) => inner.search(q, o),
    reload: async () => {
      inner = await buildEngine(opts);
    },
    get indexMs() {
      return inner.indexMs;
    },
    get chunkCount() {
      return inner.chunkCount;
    },
    get droppedDuplicates() {
      return inner.droppedDuplicates;
    },
  };
}

async function buildEngine(opts: QaEngineOptions): Promise<Omit<QaEngine, "reload">> {
  const t0 = performance.now();
  const docs = opts.db ? await loadFromDb(opts.db) : loadFromFiles(opts.plansDir ?? PLANS_DIR);
  const { kept, dropped } = dropDuplicates(docs);
  // officials' published FAQ entries: found by the same retrieval, answered apart from plan quotes
  const faqSource = opts.db ?? opts.faqDb;
  const faqDocs = faqSource ? (await publishedFaq(faqSource)).map((f) => faqDoc(f, opts.words)) : [];
  for (const d of faqDocs) kept.push(...d.chunks);
  const docByKey = new Map([...docs, ...faqDocs].map((d) => [d.key, d]));

  separateRowHeaders(kept);
  for (const c of kept) {
    c.terms = new Set(indexTerms(`${c.heading}\n${c.text}`));
    // a percentage is a rate: "tỷ lệ" questions meet rows and sentences that state one in "%"
    if (/%|Đơn vị tính: %/.test(c.text)) for (const t of RATE_TERMS) c.terms.add(t);
  }
  const byId = new Map(kept.map((c) => [c.id, c]));

  // df for idf-weighted coverage
  const df = new Map<string, number>();
  for (const c of kept) for (const t of c.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const N = kept.length;
  const idf = (t: string) => Math.log(1 + N / (1 + (df.get(t) ?? 0)));
  const corpusVocab = df;
  const rawCorpus = kept.map((c) => normalizeText(c.text)).join("\n");
  /** Every syllable of the plans with its letters' marks (tone marks dropped), for words typed with diacritics. */
  const rawVocab = new Set<string>();
  for (const c of kept) for (const t of rawTokens(`${c.heading}\n${c.text}`)) rawVocab.add(tonelessSyllable(t));

  const mini = new MiniSearch<ChunkEntry>({
    idField: "id",
    fields: ["text", "heading"],
    extractField: (doc, field) => (field === "text" ? (doc.indexText ?? doc.text) : String(doc[field as keyof ChunkEntry] ?? "")),
    storeFields: [],
    tokenize: (text) => indexTerms(text),
    processTerm: (term) => term,
    searchOptions: {
      tokenize: (q) => queryTerms(q),
      processTerm: (t) => t,
      boost: { text: 2, heading: 1 },
      // table rows repeat their headers, so long passages are penalized less than BM25 defaults do
      bm25: { k: 1.2, b: 0.4, d: 0.5 },
    },
  });
  mini.addAll(kept);

  // optional dense retrieval: embeddings are computed once and stored in PlanChunk.embedding
  const dense = Boolean(opts.llm?.embeddingModel);
  if (dense && opts.llm) {
    const missing = kept.filter((c) => !c.embedding);
    if (missing.length) {
      const vecs = await embedTexts(opts.llm, missing.map((c) => `${c.heading}\n${c.text}`));
      missing.forEach((c, i) => (c.embedding = vecs[i]));
      if (opts.db) {
        for (const c of missing)
          await opts.db.planChunk.update({
            where: { id: c.id },
            data: { embedding: vectorToBytes(c.embedding!), embeddingModel: opts.llm.embeddingModel },
          });
      }
    }
  }
  const indexMs = performance.now() - t0;

  const planIds = new Set(docs.map((d) => d.planId));
  const placeRes = docs.map((d) => ({ doc: d, res: d.places.map((p) => ({ p, re: new RegExp(`\\b${p}\\b`) })) }));
  /** A plan's place of two words typed by its capital initials ("HY" for Hưng Yên, "NB" for Ninh Bình), when no abbreviation of the sector is spelled so. */
  const placeInitials = new Map<string, string>();
  for (const d of docs)
    for (const p of d.places) {
      const w = p.split(" ");
      const ini = w.map((x) => x[0]!.toUpperCase()).join("");
      if (w.length === 2 && !ABBREVIATIONS.some((a) => foldPhrase(a.short).toUpperCase() === ini)) placeInitials.set(ini, p);
    }
  /**
   * The question as the plans would word it (chat shorthand spelled out, a place typed by its initials named); idempotent.
   * Initials typed in lower case name a place only before a plan's year ("hy 2025", "nb 2025:"), where no word is meant.
   */
  function chatQuery(text: string): string {
    return respell(spellOutChat(text))
      // a word addressing the reader after the question ("… là ngày nào không cháu?", "… chưa cô ạ?") is not asked about
      .replace(/(?<=(?:^|[^\p{L}])(?:không|khong|nào|nao|gì|gi|sao|nhỉ|nhi|hả|ha|vậy|vay|chưa|chua|ạ|a))\s+(?:cháu|chau|cô|co|chú|chu|anh|chị|chi|bác|bac|thầy|thay)(?:\s+(?:ạ|a))?(?=\s*[?.!]*\s*$)/giu, "")
      .replace(/(?<![\p{L}\p{N}])[A-Z]{2}(?![\p{L}\p{N}])/gu, (m) => placeInitials.get(m) ?? m)
      .replace(/(?<![\p{L}\p{N}])[a-z]{2}(?= 20\d\d(?![\p{L}\p{N}]))/gu, (m) => placeInitials.get(m.toUpperCase()) ?? m);
  }
  /**
   * A syllable mistyped by one letter ("chỉ tiu", "học onlien"): in a question typed with marks, a word typed without
   * them that no plan uses and that, with one letter added, dropped, changed or two swapped, is a syllable the plans use
   * beside the word typed next to it ("chỉ tiêu") is read as that syllable. A word no plan uses otherwise stays as typed
   * (it may be what makes a question out of scope).
   */
  function respell(text: string): string {
    const toks = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
    const f = toks.map((m) => foldSyllable(m[0]));
    // typed all without marks, a word no plan uses is as likely a word of its own ("phan tram", "may gio") as a slip
    if (!toks.some((m) => hasDiacritics(m[0]))) return text;
    let out = "";
    let at = 0;
    for (let i = 0; i < toks.length; i++) {
      const w = f[i]!;
      // a word typed with its marks ("phở", "bổng") was typed with care: it is what it says
      if (w.length < 3 || !/^[a-z]+$/.test(w) || hasDiacritics(toks[i]![0]) || df.has(w) || GENERAL_WORDS.has(w) || /^\p{Lu}{2,}$/u.test(toks[i]![0])) continue;
      let best: string | null = null;
      let bestDf = 0;
      const known: string[] = [];
      for (const c of oneLetterOff(w)) {
        if (!df.has(c)) continue;
        known.push(c);
        const pair = Math.max(i > 0 ? (df.get(`${f[i - 1]}_${c}`) ?? 0) : 0, i + 1 < f.length ? (df.get(`${c}_${f[i + 1]}`) ?? 0) : 0);
        if (pair > bestDf) [best, bestDf] = [c, pair];
      }
      // a longer word ("onlien") with one known spelling near it needs no neighbour to vouch for it
      if (!best && w.length >= 5 && known.length === 1) best = known[0]!;
      if (!best) continue;
      out += text.slice(at, toks[i]!.index!) + best;
      at = toks[i]!.index! + toks[i]![0].length;
    }
    return out + text.slice(at);
  }

  /** The provinces no plan covers (by its place or the province it names most) and the plans never print. */
  const provinceNames = PROVINCES.map((name) => ({ name, folded: foldedTokens(name) })).filter(
    ({ name, folded }) => !docs.some((d) => d.places.includes(folded.join(" "))) && !rawCorpus.includes(name),
  );
  /**
   * The province a plan's place belongs to, from its document-facts passage ("Đầm Hà thuộc tỉnh Quảng Ninh."): folded
   * words. Named beside the place ("xã Đầm Hà, tỉnh Quảng Ninh"), it only qualifies it; alone it designates no plan.
   */
  const provinceWords = new Map(
    docs.map((d) => {
      const facts = d.chunks.find((c) => c.kind === "header")?.text ?? "";
      const m = /(?:thuộc|Địa phương:)\s+(?:tỉnh|thành phố|Tỉnh|Thành phố)\s+([^.;,]+)/u.exec(facts);
      const words = m ? foldedTokens(m[1]!) : [];
      // a province that is the plan's own place ("tỉnh Hưng Yên" of the Hưng Yên plan) is the place itself
      return [d.key, d.places.includes(words.join(" ")) ? [] : words] as const;
    }),
  );

  const groupWeight = new WeakMap<string[], number>();
  /** Coverage of the query's content syllables by a chunk, weighted by idf (unknown words weigh most). */
  function coverage(groups: string[][], terms: Set<string>): number {
    let total = 0;
    let hit = 0;
    for (const g of groups) {
      let w = groupWeight.get(g);
      if (w === undefined) {
        w = Math.max(...g.map(idf)) * (g.length === 1 && g[0]!.includes("_") ? 0.3 : 1); // phrases weigh less
        groupWeight.set(g, w);
      }
      total += w;
      if (g.some((alt) => terms.has(alt) || phraseIn(alt, terms))) hit += w;
    }
    return total ? hit / total : 0;
  }
  /**
   * A content word of the question that no plan uses at all and the passage lacks: the question is about
   * something the plans never mention ("dạy bơi", "tiếng Anh"), however many common words it shares.
   * Everyday words (GENERAL_WORDS: asking, doing, measuring, the web) are not counted; a question can name
   * them without changing its topic. A word typed with diacritics is looked up with them (toneless), so
   * "bơi" is not taken for the "bồi" of "bồi dưỡng"; typed without, it is looked up folded.
   */
  function unknownWordIn(question: string, groups: string[][], terms: Set<string>): string | null {
    const typed = new Map<string, string[]>();
    for (const t of rawTokens(question)) if (hasDiacritics(t)) typed.set(foldSyllable(t), [...(typed.get(foldSyllable(t)) ?? []), t]);
    // a unit asked for after "bao nhiêu" ("bao nhiêu Mbps") that no plan prints: the plans state no amount in it
    const folded = rawTokens(question).map(foldSyllable);
    for (let i = 1; i + 1 < folded.length; i++)
      if (folded[i - 1] === "bao" && folded[i] === "nhieu" && /^\p{L}{2,}$/u.test(folded[i + 1]!) && !/[aeiouy]/.test(folded[i + 1]!) && !df.has(folded[i + 1]!) && !terms.has(folded[i + 1]!)) return folded[i + 1]!;
    // a word pointing back at what the question already named ("vào dịp đó", "trong việc này", "về chuyện ấy") is no new topic
    const pointing = new Set(folded.filter((w, i) => i > 0 && POINTING_BEFORE.has(folded[i - 1]!) && POINTING_AFTER.has(folded[i + 1] ?? "")));
    for (const g of groups) {
      const w = g[0]!;
      // a chat abbreviation or a typo without a vowel ("gv", "hs") is not a topic word
      if (g.length !== 1 || w.includes("_") || /\d/.test(w) || !/[aeiouy]/.test(w) || w.length < 2 || GENERAL_WORDS.has(w) || pointing.has(w)) continue;
      if (!terms.has(w) && !df.has(w)) return w;
      const forms = typed.get(w);
      // a word the index knows through a sector synonym ("nộp" for the plans' "gửi") is known
      if (forms && !SYNONYM_WORDS.has(w) && !forms.some((t) => rawVocab.has(tonelessSyllable(t)))) return w;
    }
    return null;
  }
  /**
   * What the question pins down that the passage does not hold, as typed, or null: a number ("lớp 12", "mức 5") the
   * passage and its plan's title never state, or the words a yes/no question asks about ("có được cấp chứng chỉ
   * không?") that the passage lacks. A passage on the same topic that lacks them cannot say yes or no.
   */
  function unsupportedSpecific(question: string, chunk: ChunkEntry, groups: string[][], near: Array<Set<string>>, named: Set<string> = new Set()): string | null {
    const raw = rawTokens(question);
    const f = raw.map(foldSyllable);
    const header = (d: DocEntry) => `${d.labelBase} ${d.number ?? ""} ${d.date ?? ""}\n${kept.find((c) => c.docKey === d.key)?.text ?? ""}`;
    // a comparison of named plans gives each plan its own year ("Đầm Hà 2024 và Tân Kỳ 2026"): any named plan's header holds it
    const others = named.size > 1 ? docs.filter((d) => named.has(d.planId) && d.key !== chunk.docKey).map(header) : [];
    const own = [`${chunk.heading}\n${chunk.text}`, header(docByKey.get(chunk.docKey)!), ...others].join("\n");
    const numbers = new Set(own.match(/\d+/g)?.map((n) => String(Number(n))) ?? []);
    const child = /\b(con|chau) (toi|em|minh|nha toi)\b/.test(f.join(" "));
    const docNumbers = new Set(documentNumbersIn(question));
    for (let i = 0; i < f.length; i++) {
      if (!/^\d+$/.test(f[i]!) || docNumbers.has(f[i]!) || numbers.has(String(Number(f[i])))) continue;
      // the asker's child's grade ("con tôi học lớp 4") describes who asks
      if (child && f[i - 1] === "lop") continue;
      // "1" typed for the article "một" ("xài chung 1 tài khoản"), not a numbered thing ("lớp 1", "mức 1", "quý 1")
      if (f[i] === "1" && !NUMBERED.has(f[i - 1] ?? "") && /^\p{L}+$/u.test(raw[i + 1] ?? "")) continue;
      return i > 0 && /^\p{L}+$/u.test(raw[i - 1]!) && !isStopToken(raw[i - 1]!) ? `${raw[i - 1]} ${raw[i]}` : raw[i]!;
    }
    const yn = /\bco (?:duoc |phai |can |bi )?(.+?) (?:khong|ko|k|hok)(?: a| nhi| vay| ha)?$/.exec(f.join(" "));
    if (!yn) return null;
    const start = f.join(" ").length - yn[0].length;
    const words = yn[1]!.split(" ");
    const first = f.join(" ").slice(0, start + yn[0].indexOf(yn[1]!)).split(" ").filter(Boolean).length;
    let from = first;
    // content words only (not places, question phrases or framing verbs), and not comparison words ("khác nhau")
    const content = new Set(groups.filter((g) => g.length === 1 && !g[0]!.includes("_")).map((g) => g[0]!));
    const asked: string[] = [];
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      const rawWord = raw[from++] ?? w;
      if (!content.has(w) || w.length < 2 || GENERAL_WORDS.has(w) || DEGREE_WORDS.has(rawWord.toLowerCase()) || /\d/.test(w) || COMPARING.has(`${w} ${words[k + 1] ?? ""}`) || COMPARING.has(`${words[k - 1] ?? ""} ${w}`)) continue;
      asked.push(w);
    }
    // its words and adjacent pairs ("chứng chỉ", not "chứng" of "dùng chung" and "chỉ" elsewhere), weighted as coverage is;
    // the passages nearly as good may hold them (the question's topic spread over two rows)
    // a sector term typed in the object ("không dùng tiền mặt") counts with its synonyms, as in coverage
    const objectGroups = [
      ...asked.map((w) => [w]),
      ...groups.filter((g) => g.length === 1 && g[0]!.includes("_") && g[0]!.split("_").every((w) => asked.includes(w))),
      ...groups.filter((g) => g.length > 1 && g.some((alt) => alt.split("_").every((w) => words.includes(w)))),
    ];
    const held = new Set(near.flatMap((t) => [...t]));
    if (!objectGroups.length || coverage(objectGroups, held) >= YES_NO_HELD) return null;
    // what the yes/no question asks about, as typed
    return raw.slice(first, first + words.length).join(" ");
  }
  function phraseIn(alt: string, terms: Set<string>): boolean {
    const toks = alt.split("_");
    if (toks.length < 2) return false;
    for (let i = 0; i + 1 < toks.length; i++) if (!terms.has(`${toks[i]}_${toks[i + 1]}`)) return false;
    return true;
  }

  /** Plans named in the question (by place), and places named that no plan covers. */
  function scopeOf(question: string): { named: Set<string>; unknownPlace: string | null } {
    const q = foldPhrase(question);
    const named = new Set<string>();
    for (const d of docs) {
      if (placeRes.find((x) => x.doc === d)!.res.some(({ re }) => re.test(q))) named.add(d.planId);
      const num = d.number ? /^(\d+)\//.exec(d.number)?.[1] : undefined;
      if (num && new RegExp(`\\b${num}\\s*/\\s*kh|\\b(kh|ke hoach)( so)?\\s*${num}\\b`).test(q)) named.add(d.planId);
    }
    const unknownPlace = unknownPlaceIn(question);
    return { named, unknownPlace };
  }

  /**
   * A place named after "tỉnh / thành phố / huyện / xã / phường" that no plan covers ("tỉnh Cà Mau").
   * When the question uses capitals, the place must be capitalized; typed all-lowercase, common words
   * right after the prefix ("các xã phường báo cáo") are not taken for a place.
   */
  function unknownPlaceIn(question: string): string | null {
    const raw = rawTokens(question);
    const ft = raw.map(foldSyllable);
    const cased = raw.slice(1).some((t) => /^\p{Lu}\p{Ll}/u.test(t));
    for (let i = 0; i < ft.length; i++) {
      let j = -1;
      if (ft[i] === "thanh" && ft[i + 1] === "pho") j = i + 2;
      else if (["tinh", "huyen", "xa", "phuong", "quan", "tp"].includes(ft[i]!)) j = i + 1;
      // "ở Hòa Bình", "tại Hà Nội", "Sở GDĐT Hà Nội", "Phòng Giáo dục và Đào tạo Hà Nội": a capitalized name of two words
      // the plans never print is a place no plan covers
      else if (
        cased &&
        ((["o", "tai"].includes(ft[i]!) && /^\p{Ll}/u.test(raw[i]!) === (i > 0)) || ft[i] === "gddt" || (ft[i] === "tao" && ft[i - 1] === "dao" && ft[i - 2] === "va")) &&
        [1, 2].every((k) => /^\p{Lu}\p{Ll}+$/u.test(raw[i + k] ?? ""))
      ) {
        const name = `${raw[i + 1]} ${raw[i + 2]}`;
        const known = docs.some((d) => d.places.includes(`${ft[i + 1]} ${ft[i + 2]}`));
        if (!known && !rawCorpus.includes(name)) return name;
        continue;
      }
      if (j < 0 || j >= ft.length) continue;
      const take = (k: number) =>
        k < ft.length && (cased ? /^\p{Lu}/u.test(raw[k]!) : !STOPWORDS.has(ft[k]!) && !UNIT_WORDS.has(ft[k]!));
      if (!take(j)) continue;
      const words = take(j + 1) ? [ft[j]!, ft[j + 1]!] : [ft[j]!];
      const name = words.join(" ");
      const known = docs.some((d) => d.places.some((p) => p === name || p === words[0] || p.startsWith(`${words[0]} `)));
      if (known) continue;
      const rawName = raw.slice(j, j + words.length).join(" ");
      if (cased ? !rawCorpus.includes(rawName) : !corpusVocab.has(words.join("_"))) return `${raw[i]}${j === i + 2 ? ` ${raw[i + 1]}` : ""} ${raw.slice(j, j + words.length).join(" ")}`;
    }
    return provinceNamed(raw, ft);
  }

  /**
   * A province or city no plan covers, named without a prefix. In a question typed with marks it must be written with
   * its own ("Nghệ An", not "Nghe an toàn" = "nghe an toàn"); typed without marks, its letters suffice ("o da nang").
   */
  function provinceNamed(raw: string[], ft: string[]): string | null {
    const marked = raw.some(hasDiacritics);
    for (const { name, folded } of provinceNames) {
      for (let i = 0; i + folded.length <= ft.length; i++) {
        if (!folded.every((w, k) => ft[i + k] === w)) continue;
        if (marked && raw.slice(i, i + folded.length).join(" ").toLowerCase() !== name.toLowerCase()) continue;
        return name;
      }
    }
    return null;
  }

  /**
   * The province right after a place named ("Tân Kỳ, thành phố Hải Phòng", "xã Đầm Hà thuộc tỉnh Quảng Ninh"): it
   * qualifies the place, so it is scope, not content. Named elsewhere ("… của Sở GDĐT Hải Phòng") it stays content.
   */
  function qualifyingProvince(fq: string): string[] {
    const out: string[] = [];
    for (const { doc } of placeRes) {
      const words = provinceWords.get(doc.key) ?? [];
      if (!words.length) continue;
      const after = doc.places.some((p) => new RegExp(`\\b${p}(?: (?:thuoc|o|tai))?(?: (?:tinh|thanh pho|tp))? ${words.join(" ")}\\b`).test(fq));
      if (after) out.push(...words);
    }
    return out;
  }

  /**
   * Whether a message names no topic: each of its content words is a word of asking or doing (GENERAL_WORDS), a word
   * addressing the bot, a bare date or number ("tháng 12", "năm 2025"). Plan words a passage happens to hold ("không" of
   * "không dùng tiền mặt", "biết") must not turn such a message into quotes.
   */
  function topicless(q: string): boolean {
    return groupsOf(q).every((g) => g[0]!.split("_").every((w) => TOPICLESS.has(w) || /^\d+$/.test(w)));
  }

  /** Content groups minus the words that only name a plan's place (they scope, they are not content). */
  function groupsOf(q: string): string[][] {
    const fq = foldPhrase(q);
    const placed = placeRes.filter(({ res }) => res.some(({ re }) => re.test(fq)));
    const placeWords = new Set(placed.flatMap(({ res }) => res.filter(({ re }) => re.test(fq)).flatMap(({ p }) => p.split(" "))));
    for (const w of qualifyingProvince(fq)) placeWords.add(w);
    // a plan named by its number ("KH 27", "27/KH-SGDĐT") scopes the question; those words are not content
    for (const d of docs) {
      const num = d.number ? /^(\d+)\//.exec(d.number)?.[1] : undefined;
      if (num && new RegExp(`\\b${num}\\b`).test(fq)) for (const w of [num, ...foldedTokens(d.number!)]) placeWords.add(w);
    }
    // an everyday word no plan uses ("web", "chiếm", "xong") can be met by no passage: it does not count against them
    const idle = (w: string) => GENERAL_WORDS.has(w) && !df.has(w);
    const groups = contentGroups(q).filter((g) => !placeWords.has(g[0]!) && !(g[0] === "kh" && placeWords.size) && !(g.length === 1 && idle(g[0]!)));
    // adjacent content syllables as phrases: "thời tiết Hà Nội" must match as words, not scattered syllables
    // only syllables adjacent in the question: "máy tính trong trường" holds no phrase "tính trường"
    const raw = questionContent(q);
    const marked = typedWithMarks(q);
    const words = raw.map(foldSyllable);
    const content = (i: number) => i < words.length && !isStopToken(raw[i]!, marked) && !placeWords.has(words[i]!) && !idle(words[i]!);
    // "… có khác nhau không?", "giống nhau ra sao", "so sánh … giữa A với B": words that ask for a comparison, not content
    // a passage must hold; by position, so "so sánh chữ ký số" keeps the "số" of "ký số"
    const framing = new Set<number>();
    for (let i = 0; i + 1 < words.length; i++)
      if (COMPARING.has(`${words[i]} ${words[i + 1]}`)) {
        framing.add(i).add(i + 1);
        if (words[i + 2] === "khong") framing.add(i + 2);
      }
    if (framing.size) words.forEach((w, i) => w === "giua" && framing.add(i));
    for (let i = 0; i + 1 < words.length; i++)
      if (content(i) && content(i + 1) && !framing.has(i) && !framing.has(i + 1)) groups.push([`${words[i]}_${words[i + 1]}`]);
    if (!framing.size) return groups;
    const elsewhere = new Set(words.filter((_, i) => !framing.has(i)));
    const framed = new Set([...framing].map((i) => words[i]!).filter((w) => !elsewhere.has(w)));
    return groups.filter((g) => !g[0]!.split("_").some((w) => framed.has(w)));
  }

  /**
   * A passage's terms with its plan's title: every passage of "Kế hoạch chuyển đổi số ngành GDĐT năm 2025" is about
   * chuyển đổi số in 2025, though a body sentence ("Định kỳ hằng tháng … báo cáo") never repeats it. Phrases and
   * abbreviations only: a lone syllable of the title ("số") must not stand for a different word ("ký số").
   */
  const titleTerms = new Map<string, string[]>();
  for (const c of kept)
    if (c.kind === "header" && !titleTerms.has(c.docKey)) titleTerms.set(c.docKey, indexTerms(c.text.split(/\.\s+(?=Cơ quan ban hành)/u)[0]!).filter((t) => t.includes("_") || !/[aeiouy]/.test(t)));
  const withTitle = new WeakMap<ChunkEntry, Set<string>>();
  /** The words of a question asking for a web address, met by any passage that prints one. */
  const WEB_TERMS = indexTerms("đường dẫn link website trang web tên miền địa chỉ truy cập");
  function termsWithTitle(chunk: ChunkEntry): Set<string> {
    let t = withTitle.get(chunk);
    if (!t) {
      // and the passage's own headings ("V. KINH PHÍ THỰC HIỆN" over "1. Ngân sách nhà nước …"), table columns aside
      const heads = chunk.kind === "table_row" ? [] : indexTerms(chunk.heading).filter((x) => x.includes("_") || !/[aeiouy]/.test(x));
      withTitle.set(chunk, (t = new Set([...chunk.terms, ...(titleTerms.get(chunk.docKey) ?? []), ...heads])));
    }
    return t;
  }
  /** The syllables of the question's two-word phrases a set of terms holds: "chuyển đổi số" typed in full meets the title's phrase. */
  function phraseSyllables(groups: string[][], terms: Set<string>): Set<string> {
    const out = new Set<string>();
    for (const g of groups) if (g.length === 1 && g[0]!.split("_").length === 2 && terms.has(g[0]!)) for (const w of g[0]!.split("_")) out.add(w);
    return out;
  }

  function rank(question: string, o: AskOptions & { limit?: number } = {}): Array<SearchHit & { chunk: ChunkEntry }> {
    const q = chatQuery(nfc(question));
    const groups = groupsOf(q);
    const { named } = scopeOf(q);
    // the province qualifying a place named is not searched for (the preamble naming it would win)
    const province = new Set(qualifyingProvince(foldPhrase(q)));
    const searched = province.size ? rawTokens(q).filter((t) => !province.has(foldSyllable(t))).join(" ") : q;
    const raw = mini.search(searched, {
      filter: named.size ? (r) => named.has(docByKey.get(byId.get(String(r.id))!.docKey)!.planId) : undefined,
    });
    let scores = new Map(raw.slice(0, 40).map((r) => [String(r.id), r.score]));
    const qv = dense ? denseQuery.get(q) : undefined;
    if (qv) {
      const d = new Map<string, number>();
      for (const c of kept)
        if (c.embedding && (!named.size || named.has(docByKey.get(c.docKey)!.planId))) d.set(c.id, cosine(qv, c.embedding));
      const topDense = new Map([...d].sort((a, b) => b[1] - a[1]).slice(0, 40));
      scores =
        opts.fusion === "rrf"
          ? fuseRrf([[...scores.keys()], [...topDense.keys()]])
          : fuseWeighted(scores.size ? scores : new Map([["", 0]]), topDense);
      scores.delete("");
    }
    const wants = intentTerms(q);
    const want = wantsOf(q);
    const docQuestion = want.doc;
    if (docQuestion) for (const c of kept) if (c.kind === "header" && !scores.has(c.id) && (!named.size || named.has(docByKey.get(c.docKey)!.planId))) scores.set(c.id, top0(scores) * 0.5);
    // where money comes from: a plan's funding section ("IV. KINH PHÍ THỰC HIỆN") shares few words with a question
    // that names the plan's whole title, so it may miss the lexical candidates: a plan none of whose funding passages
    // is a candidate has them all considered
    if (want.funding && scores.size) {
      const funding = (c: ChunkEntry) => c.kind !== "header" && /\bkinh phi\b/.test(fold(c.heading));
      const met = new Set([...scores.keys()].map((id) => byId.get(id)!).filter(funding).map((c) => c.docKey));
      const base = top0(scores) * 0.5;
      for (const c of kept)
        if (!scores.has(c.id) && !met.has(c.docKey) && funding(c) && (!named.size || named.has(docByKey.get(c.docKey)!.planId))) scores.set(c.id, base);
    }
    const top = Math.max(0, ...scores.values());
    const hits = [...scores].map(([id, score]) => {
      const chunk = byId.get(id)!;
      const wide = termsWithTitle(chunk);
      // a passage printing a web address holds what "đường dẫn", "link", "tên miền" ask for, in the plans' own words or none
      const web = want.web && WEB_ADDRESS.test(chunk.text) ? WEB_TERMS : [];
      const cov = coverage(groups, new Set([...wide, ...phraseSyllables(groups, wide), ...web]));
      const doc = docByKey.get(chunk.docKey)!;
      const local = o.planId && doc.planId === o.planId ? 1.25 : 1;
      // what a unit must do: the part of the organisation section under that unit's own heading
      const duty = want.duty && namesUnitOf(q, chunk.heading) ? 1.8 : 1;
      const intent = (wants.some((t) => chunk.terms.has(t)) ? 1.25 : 1) * valueFit(chunk, want) * duty;
      // the preamble (title, "Căn cứ …", "Thực hiện …") repeats the plan's general words; it answers what the plan rests on
      const header = chunk.kind === "header" ? (docQuestion ? 3 : 0.6) : chunk.sectionPath === "" && !want.basis && !docQuestion ? 0.7 : 1;
      // words typed with their marks, met with the same marks ("cấp sở", not "cấp số"): a small lift
      const marks = 1 + 0.25 * markedShare(want.marked, `${chunk.heading}\n${chunk.text}`);
      const rerank = (top ? score / top : 0) * (0.35 + cov) * local * intent * header * marks;
      return { chunkId: id, file: chunk.file, label: chunk.label, section: chunk.sectionPath, score: rerank, coverage: cov, chunk };
    });
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, o.limit ?? 20);
  }

  /** Does a passage hold the kind of value the question wants (a date, a number, a unit in charge)? */
  function valueFit(chunk: ChunkEntry, w: Wants): number {
    let f = 1;
    // a date, a period, or a time the plans name relative to the school year ("từ đầu năm học", "hằng năm")
    if (w.when) f *= /(Tháng|tháng|Quý|quý|Hàng quý|Thường xuyên|trước ngày|\d{1,2}\/\d{4}|năm 20\d\d|20\d\d-20\d\d|Năm 20\d\d|(đầu|cuối) năm học|(hằng|hàng) năm|định kỳ)/u.test(chunk.text) ? 1.4 : 0.8;
    // an amount: a number the passage states, not a date, a year or an item's number ("3. Triển khai …", "(7)", "dòng 2")
    if (w.amount && !w.when) f *= /\d/.test(amountText(chunk.text)) ? 1.2 : 0.85;
    // a column asked for by name ("sản phẩm gì?"): the appendix rows that have it
    if (w.column) f *= chunk.kind === "table_row" && rowCells(chunk.text).some(([h]) => isColumnHeader(h, w.column)) ? 1.4 : 0.85;
    // the day of an event: the passage naming the day itself, not a deadline set before it ("Trước ngày 10/10/2025")
    if (w.day) f *= EVENT_DAY_STATED.test(chunk.text) ? 1.5 : 0.7;
    if (w.who) f *= /(chủ trì|Chủ trì|phụ trách|Phòng |Văn phòng|Sở |UBND|giao )/u.test(chunk.text) ? 1.3 : 0.9;
    // the reporting schedule, not a target's deadline; the funding section for where money comes from
    // a table row is a report's schedule only when its own cells name reports (a task "Báo cáo quý"), not its column headers
    if (w.report) f *= chunk.kind === "table_row" ? (/báo cáo/iu.test(chunk.indexText ?? chunk.text) ? 1 : 0.6) : REPORT_SCHEDULE.test(chunk.text) ? 1.6 : 0.85;
    if (w.funding) f *= /kinh phi|nguon luc/.test(fold(chunk.heading)) || FUNDING_SOURCE.test(chunk.text) ? 1.6 : 0.8;
    return f;
  }

  function top0(m: Map<string, number>): number {
    return Math.max(1, ...m.values());
  }

  const denseQuery = new Map<string, Float32Array>();
  /** Embed the question once (dense retrieval only); on any failure the lexical ranking stands alone. */
  async function embedQuery(q: string): Promise<void> {
    if (!dense || !opts.llm || denseQuery.has(q)) return;
    try {
      const [v] = await embedTexts(opts.llm, [q]);
      if (v) denseQuery.set(q, v);
    } catch {
      /* lexical only */
    }
  }

  function quoteOf(chunk: ChunkEntry, groups: string[][]): string {
    const text = chunk.text;
    if (chunk.kind === "table_row" || text.length <= 360) return clip(cleanQuote(text));
    const sentences = splitSentences(text);
    let best = sentences[0] ?? text;
    let bestScore = -1;
    for (const s of sentences) {
      const sc = coverage(groups, new Set(indexTerms(s)));
      if (sc > bestScore) {
        best = s;
        bestScore = sc;
      }
    }
    return clip(cleanQuote(best));
  }

  const THRESHOLD = 0.5;
  const EXAMPLES = opts.words.examples;
  const allPlaces = [...new Set(docs.flatMap((d) => d.places))];

  /**
   * Short name of a plan for answers: "Ninh Bình (KH 27/KH-SGDĐT)", "Tân Kỳ (KH 2026)". Other
   * documents keep their full name: "Quyết định số 1468/QĐ-BGDĐT của Bộ Giáo dục và Đào tạo (12/10/2026)".
   */
  function planTag(doc: DocEntry): string {
    if (doc.file !== "faq" && docTypeOfLabel(doc.labelBase) !== "Kế hoạch") return doc.labelBase;
    const abbr = doc.labelBase.split(" ")[0] ?? "KH";
    const num = doc.number && /^\d/.test(doc.number) ? `${abbr} ${doc.number}` : `${abbr} ${doc.date?.match(/\d{4}$/)?.[0] ?? ""}`.trim();
    return doc.place ? `${doc.place} (${num})` : doc.labelBase;
  }

  /** "Theo kế hoạch Ninh Bình (KH 27/…)"; other documents name their type themselves ("Theo Quyết định số …"). */
  function theoOf(doc: DocEntry): string {
    return docTypeOfLabel(doc.labelBase) === "Kế hoạch" ? opts.words.according.plan : opts.words.according.other;
  }

  function closestOf(hits: Array<SearchHit & { chunk?: ChunkEntry }>): NonNullable<QaResult["closest"]> {
    const seen = new Set<string>();
    const out: NonNullable<QaResult["closest"]> = [];
    for (const h of hits) {
      if (seen.has(h.label)) continue;
      seen.add(h.label);
      const preview = h.chunk ? clip(cleanQuote(h.chunk.text.split("\n")[0]!), 110) : undefined;
      out.push({ label: h.label, section: h.section, preview });
      if (out.length === 3) break;
    }
    return out;
  }

  const DECLINE_TEXT: Record<DeclineReason, string> = opts.words.decline;
  const NEXT_STEP: Partial<Record<DeclineReason, string>> = opts.words.nextStep;

  /** A decline: one sentence saying why, what to do instead, example questions, closest sections. */
  function declined(reason: DeclineReason, hits: Array<SearchHit & { chunk?: ChunkEntry }>, why?: string, topic?: OffTopic): QaResult {
    const relevant = hits.length && hits[0]!.coverage >= 0.34 ? closestOf(hits) : [];
    const parts = [why ?? DECLINE_TEXT[reason]];
    if (topic) parts.push(opts.words.offTopicNextStep[topic]);
    else if (NEXT_STEP[reason]) parts.push(NEXT_STEP[reason]!);
    const suggestions = reason === "personal_data" || reason === "injection" || reason === "report_data" ? [] : EXAMPLES;
    if (suggestions.length) parts.push(`${opts.words.examplesLead}\n${suggestions.map((e) => `- ${e}`).join("\n")}`);
    if (relevant.length) parts.push(`${opts.words.closestLead}\n${relevant.map((c) => `- ${c.label}: ${c.preview ?? ""}`).join("\n")}`);
    const status: QaResult["status"] = reason === "injection" || reason === "personal_data" || reason === "report_data" ? "refused" : "no_context";
    return { status, reason, answer: parts.join("\n\n"), citations: [], closest: relevant, suggestions, ...(topic ? { topic } : {}) };
  }

  const citeOf = (c: ChunkEntry, quote: string): Citation => ({ file: c.file, label: c.label, section: c.sectionPath, quote, chunkId: c.id });
  const quotesBlock = (cites: Citation[]) => cites.map((c) => `«${c.quote}»\n— ${c.label}`).join("\n\n");

  /**
   * "Chỉ tiêu số 8 trong phụ lục 1 kế hoạch Tân Kỳ là gì?": the appendix row so numbered, of the plan named (or of
   * the only plan that has it), led as any table row is.
   */
  function answerAppendixRow(q: string, named: Set<string>): QaResult | null {
    const asked = appendixRowAsked(q);
    if (!asked) return null;
    const path = new RegExp(`^Phụ lục${asked.appendix ? ` ${asked.appendix}` : "(?: \\d+)?"}, dòng ${asked.row}$`, "u");
    let rows = kept.filter((c) => c.kind === "table_row" && path.test(c.sectionPath) && (!named.size || named.has(docByKey.get(c.docKey)!.planId)));
    if (asked.kind) {
      const re = asked.kind === "chi tieu" ? /^Chỉ tiêu/u : /^(Nhiệm vụ|Danh mục nhiệm vụ)/u;
      if (rows.some((c) => re.test(c.text))) rows = rows.filter((c) => re.test(c.text));
    }
    if (new Set(rows.map((c) => docByKey.get(c.docKey)!.planId)).size !== 1) return null;
    const c = rows[0]!;
    const doc = docByKey.get(c.docKey)!;
    const cite = citeOf(c, clip(cleanQuote(c.text)));
    const lead = leadOf(c, (t) => coverage(groupsOf(q), t), wantsOf(q));
    return { status: "answered", answer: `${theoOf(doc)} ${planTag(doc)}, ${c.sectionPath.toLowerCase()}: ${lead}\n\n${opts.words.quotesLead}\n${quotesBlock([cite])}`, citations: [cite] };
  }

  /** "X tiếng Anh là gì?": the English name a plan gives X in brackets, quoted. */
  function answerEnglishName(q: string, named: Set<string>): QaResult | null {
    const term = englishNameAsked(q);
    if (!term) return null;
    let best: { c: ChunkEntry; words: string; english: string; score: number } | null = null;
    for (const c of kept) {
      if (c.kind === "faq" || (named.size && !named.has(docByKey.get(c.docKey)!.planId))) continue;
      for (const { before, english } of englishNamesIn(c.text)) {
        const toks = [...before.matchAll(/[\p{L}\p{N}]+/gu)].slice(-12);
        const f = toks.map((m) => foldSyllable(m[0]));
        const hit = term.filter((w) => f.includes(w)).length / term.length;
        if (hit < 0.75 || (best && hit <= best.score)) continue;
        // the plan's own words for the term: from the first word of the term it holds to the bracket
        const first = f.findIndex((w) => term.includes(w));
        best = { c, words: before.slice(toks[first]!.index!).trim(), english, score: hit };
      }
    }
    if (!best) return null;
    const cite = citeOf(best.c, clip(clauseWith(best.c.text, foldedTokens(best.english)) ?? cleanQuote(best.c.text)));
    const doc = docByKey.get(best.c.docKey)!;
    return { status: "answered", answer: `${theoOf(doc)} ${planTag(doc)}: ${opts.words.englishName(best.words, best.english)}\n\n${opts.words.quotesLead}\n${quotesBlock([cite])}`, citations: [cite] };
  }

  /** "X là gì?" and abbreviations, answered from where the plans define or use X. */
  function answerTerm(q: string, named: Set<string>, o: AskOptions): QaResult | null {
    const term = termQuestionOf(q);
    if (!term) return null;
    const inScope = (c: ChunkEntry) => !named.size || named.has(docByKey.get(c.docKey)!.planId);
    const order = new Map(rank(q, { ...o, limit: 40 }).map((h, i) => [h.chunkId, i]));
    const byRank = (a: ChunkEntry, b: ChunkEntry) => (order.get(a.id) ?? 999) - (order.get(b.id) ?? 999);
    // only passages whose index holds the term's words can print it (words the index does not keep are not checked)
    const indexed = term.foldedTerm.filter((w) => df.has(w));
    const scoped = kept.filter(inScope);
    const pool = scoped.filter((c) => indexed.every((w) => c.terms.has(w))).sort(byRank);
    const abbr = knownAbbreviation(term);
    if (abbr) {
      const shortRe = new RegExp(`(^|[^\\p{L}])${abbr.short}($|[^\\p{L}])`, "u");
      const uses = scoped.filter((c) => shortRe.test(c.text)).sort(byRank);
      const best = uses.find((c) => c.text.includes(`(${abbr.short})`)) ?? uses[0];
      if (best) {
        const quote = clip(clauseWith(best.text, foldedTokens(abbr.short)) ?? cleanQuote(best.text));
        const lead = abbr.askedShort ? opts.words.abbreviationOf(abbr.short, abbr.long) : opts.words.abbreviatedAs(abbr.short, abbr.long);
        const cite = citeOf(best, quote);
        const user = docTypeOfLabel(docByKey.get(best.docKey)!.labelBase).toLowerCase();
        return { status: "answered", answer: `${lead}\n\n${opts.words.usedIn(user)}\n${quotesBlock([cite])}`, citations: [cite] };
      }
    }
    const defs: Array<{ c: ChunkEntry; clause: string }> = [];
    for (const c of pool) {
      const clause = definitionIn(c.text, term.foldedTerm);
      if (clause && !defs.some((d) => d.c.docKey === c.docKey)) defs.push({ c, clause });
      if (defs.length === 3) break;
    }
    if (defs.length) {
      const cites = defs.map(({ c, clause }) => citeOf(c, clip(clause)));
      const first = defs[0]!;
      const firstDoc = docByKey.get(first.c.docKey)!;
      const lead = `${theoOf(firstDoc)} ${planTag(firstDoc)}: ${clip(first.clause, 420)}`;
      return { status: "answered", answer: `${lead}\n\n${quotesBlock(cites)}`, citations: cites };
    }
    const mentions = pool.filter((c) => findPhrase(c.text, term.foldedTerm));
    if (!mentions.length || term.foldedTerm.length < 2) return null;
    const words = findPhrase(mentions[0]!.text, term.foldedTerm)!.words.replace(/[“”"«»]/g, "");
    const chosen: ChunkEntry[] = [];
    for (const c of mentions) if (chosen.length < 3 && !chosen.some((x) => x.sectionPath === c.sectionPath && x.docKey === c.docKey)) chosen.push(c);
    const cites = chosen.map((c) => citeOf(c, clip(clauseWith(c.text, term.foldedTerm) ?? cleanQuote(c.text))));
    const lead = opts.words.notDefined(words);
    return { status: "answered", answer: `${lead}\n\n${quotesBlock(cites)}`, citations: cites };
  }

  /**
   * A document named by a number that no loaded document has (a plan cites "Kế hoạch số 639/KH-SGDĐT" but the data
   * holds only the citing plan): what the citation itself says (the document's date, issuer, subject) is answered
   * from the citing clause; anything else (its targets, tasks) is declined, naming the document and who cites it.
   */
  function answerCited(q: string): QaResult | null {
    const own = new Set(docs.map((d) => (d.number ? /^(\d+)\//.exec(d.number)?.[1] : undefined)).filter(Boolean));
    const foreign = documentNumbersIn(q).filter((n) => !own.has(n));
    // "Đề án 06 là gì?": what the plans say of it, as for any term
    if (!foreign.length || termQuestionOf(q)) return null;
    const n = foreign[0]!;
    const citing: Array<{ c: ChunkEntry; name: string; clause: string }> = [];
    for (const c of kept) {
      if (c.kind === "faq") continue;
      const hit = citationOf(c.text, n);
      if (hit) citing.push({ c, ...hit });
    }
    const w = wantsOf(q);
    const aboutCitation = w.doc === "date" || w.doc === "issuer" || w.doc === "signer" || /\b(ve viec gi|ve (noi dung|van de) gi|cua (co quan|don vi|ai)|ten (la )?gi|ten day du|(thong tu|quyet dinh|nghi quyet|cong van|van ban|ke hoach|la) so (may|bao nhieu)|so hieu|(ban hanh|ky) (ngay|nam|thang) nao|ban hanh (khi nao|bao gio)|la (thong tu|quyet dinh|nghi quyet|cong van|van ban|ke hoach) nao)\b/.test(fold(q));
    if (!citing.length) {
      const name = /\d+\s*\/\s*[\p{L}Đđ-]+/u.exec(q)?.[0] ?? n;
      return { ...declined("out_of_scope", [], opts.words.noDocument(name)), document: { name, citedBy: [] } };
    }
    // two documents may share a number ("Thông tư số 09/2021/…" on online teaching, "Thông tư số 09/2022/…" on
    // statistics): the citation whose clause holds most of the question's words, then the fullest (it names the date)
    const asked = new Set(foldedTokens(q));
    const fit = (x: (typeof citing)[number]) => {
      // what the citation itself says: the words around the document's name
      const near = x.clause.slice(Math.max(0, x.clause.indexOf(x.name) - 120), x.clause.indexOf(x.name) + x.name.length + 160);
      return new Set(foldedTokens(near).filter((w) => asked.has(w))).size + (/\d{1,2}\/\d{1,2}\/\d{4}/.test(x.clause) ? 0.5 : 0);
    };
    const best = citing.reduce((a, x) => (fit(x) > fit(a) ? x : a), citing[0]!);
    if (aboutCitation) {
      const doc = docByKey.get(best.c.docKey)!;
      const cite = citeOf(best.c, clip(best.clause));
      return { status: "answered", answer: `${theoOf(doc)} ${planTag(doc)}: ${clip(best.clause, 420)}\n\n${opts.words.quotesLead}\n${quotesBlock([cite])}`, citations: [cite] };
    }
    // a plan's own task about the document ("xác thực dữ liệu … theo Đề án 06") answers for it: the usual way
    const citingIds = new Set(citing.map((x) => x.c.id));
    if (rank(q, { limit: 3 }).some((h) => h.coverage >= THRESHOLD && citingIds.has(h.chunkId) && h.chunk.sectionPath !== "" && h.chunk.kind !== "header")) return null;
    const citedBy = [...new Set(citing.map((x) => planTag(docByKey.get(x.c.docKey)!)))];
    return { ...declined("out_of_scope", [], opts.words.citedOnly(best.name, citedBy)), document: { name: best.name, citedBy } };
  }

  /**
   * A long message that tells a story before it asks ("Em là giáo viên mới …, họp hội đồng cứ nhắc … Kế hoạch của xã ghi
   * … là gì ạ?"): the story's words dilute the question. Its last sentence (or what follows its last colon), with the
   * plans the whole message names, is asked alone; only an answer is kept, a decline stands as it was.
   */
  async function askQuestionProper(typed: string, named: Set<string>, o: AskOptions): Promise<QaResult | null> {
    const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
    if (words(typed) < 20) return null;
    const parts = typed.split(/(?<=[.!?:])\s+/u).map((t) => t.trim()).filter(Boolean);
    const tail = parts[parts.length - 1];
    if (!tail || parts.length < 2 || words(tail) < 5) return null;
    const places = [...named].map((p) => docs.find((d) => d.planId === p)?.place).filter((x): x is string => !!x);
    const proper = places.length ? `${places.join(", ")}: ${tail}` : tail;
    if (words(proper) >= words(typed)) return null;
    const r = await ask(proper, o);
    return r.status === "answered" ? r : null;
  }

  async function ask(question: string, o: AskOptions = {}): Promise<QaResult> {
    const typed = nfc(question);
    if (!foldedTokens(typed).length)
      return declined("empty", [], opts.words.emptyQuestion);
    const said = declineReasonOf(typed, allPlaces);
    // a kind of question outside the plans (an office's address, exam results…) says whom to ask; rules and report data come first
    const off = said === "smalltalk" || said === "injection" || said === "report_data" ? null : offTopicOf(typed);
    if (off) return declined(off.reason, [], off.reason === "out_of_scope" ? opts.words.offTopicWhy : undefined, off.topic);
    const kind = said;
    if (kind === "smalltalk" && isThanks(typed))
      return { ...declined(kind, []), smalltalk: "thanks", answer: opts.words.thanks, suggestions: [] };
    if (kind) return { ...declined(kind, []), ...(kind === "smalltalk" ? { smalltalk: "greeting" as const } : {}) };
    // what is asked, as the plans would word it: chat shorthand spelled out, a plan's place typed by its initials named
    const q = chatQuery(typed);
    await embedQuery(q);
    const { named, unknownPlace } = scopeOf(q);
    if (unknownPlace && !named.size)
      return {
        ...declined("out_of_scope", [], opts.words.noPlanOf(unknownPlace)),
        place: unknownPlace,
      };
    // a message naming no topic at all ("không biết", "tháng 12", "ok em"): not a question to look up, greeted with examples
    if (!named.size && topicless(q)) return { ...declined("smalltalk", []), smalltalk: "greeting" };
    const cited = answerCited(q);
    if (cited) return cited;
    const row = answerAppendixRow(q, named);
    if (row) return row;
    const english = answerEnglishName(q, named);
    if (english) return english;
    const term = answerTerm(q, named, o);
    if (term) return term;
    const all = rank(q, { ...o, limit: 20 });
    const wants: Wants = wantsOf(q);
    const groups = groupsOf(q);
    const faqs = all.filter((h) => h.chunk.kind === "faq" && h.coverage >= THRESHOLD && h.score >= all[0]!.score * 0.5).slice(0, 2);
    const hits = all.filter((h) => h.chunk.kind !== "faq");
    const good = hits.filter((h) => h.coverage >= THRESHOLD || (wants.doc && h.chunk.kind === "header"));
    const best = good[0];
    let planAnswers = best && best.score >= hits[0]!.score * 0.5;
    // a near-miss: the passage shares the question's words but cannot hold what is asked
    if (planAnswers && best && !wants.doc && (unsupportedBy(q, best.chunk.text) || unknownWordIn(q, groups, best.chunk.terms))) planAnswers = false;
    // the question's own specifics (a number, the thing a yes/no question asks about) that the best passage lacks
    const missing = planAnswers && best && !wants.doc && !faqs.length ? unsupportedSpecific(q, best.chunk, groups, good.slice(0, 3).map((h) => h.chunk.terms), named) : null;
    if (missing) return { ...declined("out_of_scope", all, opts.words.notStated(missing)), missing };
    if (!planAnswers && !faqs.length) return (await askQuestionProper(typed, named, o)) ?? declined("out_of_scope", all);
    const faqCites = faqs.map((h) => citeOf(h.chunk, clip(h.chunk.text.split("\n").slice(1).join(" "))));
    const faqBlock = faqs.map((h, i) => `${h.label}: ${faqCites[i]!.quote}`).join("\n");
    if (!planAnswers || !best) return { status: "answered", answer: faqBlock, citations: faqCites };

    // choose passages: the best plan first (the user's own plan when it answers), then one per other plan
    const planOf = (h: { chunk: ChunkEntry }) => docByKey.get(h.chunk.docKey)!.planId;
    /** Of a plan's passages nearly as good as `h`, the first that holds the kind of value asked for. */
    // of those, one that holds all of the question the first holds and more (the subject beside the value asked) goes first
    const held = (c: ChunkEntry) => {
      const wide = termsWithTitle(c);
      return new Set(groups.filter((g) => g.some((t) => wide.has(t))).map((g) => g.join("|")));
    };
    const bestOfPlan = (h: (typeof hits)[number]) => {
      const fits = good.filter((x) => planOf(x) === planOf(h) && x.score >= h.score * 0.6 && valueFit(x.chunk, wants) > 1);
      const top = fits[0];
      if (!top) return h;
      return fits.reduce((a, x) => {
        if (x.coverage < a.coverage + 0.03) return a;
        const has = held(x.chunk);
        return [...held(a.chunk)].every((g) => has.has(g)) ? x : a;
      }, top);
    };
    const chosen: typeof hits = [];
    const silent: DocEntry[] = [];
    const preferred = o.planId && planIds.has(o.planId) ? good.find((h) => planOf(h) === o.planId) : undefined;
    // the asker's own plan goes first when it answers about as well as the best passage
    const localFits = preferred && preferred.coverage >= Math.max(THRESHOLD, best.coverage - 0.15) && preferred.score >= best.score * 0.25;
    const first = bestOfPlan(localFits ? preferred : best);
    chosen.push(first);
    const firstPlan = planOf(first);
    const second = good.find((h) => h !== first && planOf(h) === firstPlan && h.score >= first.score * 0.75 && h.chunk.kind !== "header");
    if (second && !wants.doc) chosen.push(second);
    if (!named.size) {
      const seenPlans = new Set([firstPlan]);
      for (const h of good) {
        const p = planOf(h);
        if (seenPlans.has(p) || h.coverage < Math.max(THRESHOLD, first.coverage - 0.15)) continue;
        if (h.score < best.score * (h.coverage >= first.coverage ? 0.3 : 0.45)) continue;
        if (wants.doc && h.chunk.kind !== "header") continue;
        seenPlans.add(p);
        chosen.push(bestOfPlan(h));
        if (seenPlans.size >= 3) break;
      }
    } else if (named.size > 1) {
      // a comparison of the plans it names ("Hưng Yên với Đầm Hà có khác nhau không?"): each named plan answers with its best passage
      const seenPlans = new Set([firstPlan]);
      for (const h of good) {
        const p = planOf(h);
        if (seenPlans.has(p) || !named.has(p) || h.score < best.score * 0.2) continue;
        if (wants.doc && h.chunk.kind !== "header") continue;
        seenPlans.add(p);
        chosen.push(bestOfPlan(h));
      }
      // a named plan with no passage on the question says so, rather than vanishing from the comparison
      for (const p of named) if (!seenPlans.has(p)) silent.push(docs.find((d) => d.planId === p && !d.duplicateOf) ?? docs.find((d) => d.planId === p)!);
    }

    // the document a plan implements: its preamble may run over several passages; take the one naming it
    if (wants.basis)
      for (let i = 0; i < chosen.length; i++) {
        const h = chosen[i]!;
        const score = (c: ChunkEntry) => basisClause(c.text, wants.basis!)?.score ?? -1;
        const sibling = kept
          .filter((c) => c.docKey === h.chunk.docKey && c.sectionPath === h.chunk.sectionPath && c.kind !== "header")
          .reduce((a, c) => (score(c) > score(a) + 1e-9 ? c : a), h.chunk);
        if (sibling !== h.chunk) chosen[i] = { ...h, chunk: sibling, chunkId: sibling.id };
      }
    // what a unit must do: its section's first task leads (a section may run over several passages)
    if (wants.duty)
      for (let i = 0; i < chosen.length; i++) {
        const h = chosen[i]!;
        if (!namesUnitOf(q, h.chunk.heading)) continue;
        const first = kept.find((c) => c.docKey === h.chunk.docKey && c.sectionPath === h.chunk.sectionPath && c.kind !== "header");
        if (first && first !== h.chunk) chosen[i] = { ...h, chunk: first, chunkId: first.id };
      }
    for (let i = chosen.length - 1; i > 0; i--) if (chosen.findIndex((h) => h.chunkId === chosen[i]!.chunkId) < i) chosen.splice(i, 1);
    const cov = (terms: Set<string>) => coverage(groups, terms);
    const citations: Citation[] = chosen.map((h) => citeOf(h.chunk, quoteOf(h.chunk, groups)));

    // the lead: one sentence per plan, taken from its best passage
    const leads: string[] = [];
    const seen = new Set<string>();
    for (const h of chosen) {
      const p = planOf(h);
      if (seen.has(p)) continue;
      seen.add(p);
      leads.push(`${planTag(docByKey.get(h.chunk.docKey)!)}: ${withUnit(leadOf(h.chunk, cov, wants, undefined, q), h.chunk.heading, wants)}`);
    }
    for (const d of silent) leads.push(`${planTag(d)}: ${opts.words.comparison.notCovered}`);
    if (opts.llm?.model) {
      // the same grounding rules: the model sees only retrieved passages, cites them, and may not state a number they do not hold
      const passages = [...new Map([...chosen, ...hits.slice(0, 8)].map((h) => [h.chunkId, h])).values()].map((h) => ({
        id: h.chunkId,
        label: `${planTag(docByKey.get(h.chunk.docKey)!)} — ${h.label}`,
        text: h.chunk.text,
      }));
      const localPlan = localFits && preferred ? planTag(docByKey.get(preferred.chunk.docKey)!) : undefined;
      const res = await llmAnswer(opts.llm, q, passages, { lead: leads.join("\n"), locality: localPlan });
      const allowed = new Set(passages.map((p) => p.id));
      const valid = res ? [...new Set(res.citations.filter((id) => allowed.has(id)))] : [];
      if (res && valid.length && numbersGrounded(res.answer, [q, ...valid.map((id) => byId.get(id)!.text)])) {
        const cites = valid.map((id) => citeOf(byId.get(id)!, quoteOf(byId.get(id)!, groups)));
        const sources = cites.map((c) => `- ${c.label}`).join("\n");
        const faqPart = faqs.length ? `\n\n${faqBlock}` : "";
        return { status: "answered", answer: `${res.answer.trim()}${faqPart}\n\n${opts.words.sourcesLead}\n${sources}`, citations: [...cites, ...faqCites] };
      }
    }

    const parts: string[] = [];
    const faqFirst = faqs.length > 0 && faqs[0]!.score >= first.score;
    if (faqFirst) parts.push(faqBlock);
    if (leads.length === 1) parts.push(`${theoOf(docByKey.get(first.chunk.docKey)!)} ${leads[0]}`);
    else {
      parts.push(leads.map((l) => `• ${l}`).join("\n"));
      parts.push(
        named.size > 1
          ? opts.words.comparison.named
          : localFits && planOf(first) === o.planId
            ? opts.words.comparison.localFirst
            : opts.words.comparison.eachPlan,
      );
    }
    if (faqs.length && !faqFirst) parts.push(faqBlock);
    parts.push(`${opts.words.quotesLead}\n${quotesBlock(citations)}`);
    return { status: "answered", answer: parts.join("\n\n"), citations: faqFirst ? [...faqCites, ...citations] : [...citations, ...faqCites] };
  }

  return {
    ask,
    search: async (question, o) => {
      await embedQuery(chatQuery(nfc(question)));
      return rank(question, o).map(({ chunk: _c, ...h }) => h);
    },
    indexMs,
    chunkCount: kept.length,
    droppedDuplicates: dropped,
  };
}
