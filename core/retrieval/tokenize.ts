/**
 * Vietnamese-aware tokenizer for plan retrieval.
 *
 *   indexTerms("Chuyển đổi số (CĐS) trong GDĐT")
 *   // folded syllables + syllable bigrams + abbreviation expansions both ways:
 *   // ["chuyen", "doi", "so", "chuyen_doi", "doi_so", "cds", "gddt", "giao", "duc", ..., "giao_duc", ...]
 *
 * Why not LangChain's BM25Retriever: it splits on spaces, lowercases only the query and counts
 * substring matches, so "số" matches "sở", "Sở" never matches "sở" and unaccented input finds
 * nothing. We feed MiniSearch (BM25+, well kept) our own terms instead of writing BM25 ourselves.
 */
import { fold } from "../text.ts";
import { PARAPHRASES } from "./lexicon.ts";

/** Function words and question words: never a content term on their own (bigrams still use them). */
export const STOPWORDS = new Set(
  (
    "va cua cac nhung la co duoc trong cho voi theo ve tai den tu nay do khi thi gi nao ai " +
    "the mot hay hoac ma de neu sao nhu o ra vao len tren duoi phai can khong? gom nhung hien hoi xin " +
    "vui long toi ban minh chung em anh chi a nhe a? u day kia ay roi se da dang phan tram ke hoach kh muc may " +
    "luc bang dau muon biet hoi"
  )
    .split(/\s+/)
    .filter((w) => w && !w.endsWith("?")),
);

/**
 * The same function words as typed with diacritics: a word typed with its marks is a function word only
 * when it is one of these, so "máy" (machine) is not "mấy", "cán" (cán bộ) not "cần", "chỉ" (chỉ tiêu)
 * not "chị", "dạy" not "đây", "đầu" (đầu tư) not "đâu", "tài" (tài khoản) not "tại". A word typed with
 * letter marks but no tone mark ("đươc", "nhưng") is compared without tones.
 */
const STOPWORDS_MARKED_LIST = (
  "và của các những nhưng là có được trong cho với theo về tại đến tới từ này đó khi thì gì nào ai thế một hay hoặc mà để nếu sao " +
  "như ở ra vào lên trên dưới phải cần gồm hiện hỏi xin vui lòng tôi bạn mình chúng em anh chị à ạ a nhé ừ u đây kia ấy rồi sẽ " +
  "đã đang phần trăm kh mục mấy lúc bằng đâu muốn biết do nay"
)
  .split(/\s+/)
  .filter(Boolean);
const STOPWORDS_MARKED = new Set(STOPWORDS_MARKED_LIST);
const STOPWORDS_TONELESS = new Set(STOPWORDS_MARKED_LIST.map((w) => tonelessSyllable(w)));
const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/;

/**
 * Words whose unmarked spelling is itself a content word: in a question typed with diacritics, "thi" is an
 * exam (not "thì"), "ban" a board, "chung" shared, "minh" smart. Other unmarked function words ("co", "la")
 * are taken for marks left out.
 */
const AS_WRITTEN = new Set(["thi", "ban", "chung", "minh"]);

/**
 * Was a text typed with diacritics? (At least a third of its words carry a mark; then an unmarked word
 * is meant as written: "thi" is an exam, not "thì".)
 */
export function typedWithMarks(text: string): boolean {
  const toks = rawTokens(text);
  return toks.length > 0 && toks.filter(hasDiacritics).length / toks.length >= 0.34;
}

/**
 * Is this token, as typed, a function word? A token without marks is judged folded (in a text typed with
 * diacritics, `marked`, a few words are taken as written: AS_WRITTEN); a token with marks, by its marks.
 */
export function isStopToken(token: string, marked = hasDiacritics(token)): boolean {
  if (!hasDiacritics(token)) return STOPWORDS.has(foldSyllable(token)) && !(marked && AS_WRITTEN.has(token.toLowerCase()));
  const t = token.normalize("NFC").toLowerCase();
  // letter marks without a tone ("đươc"): a tone left out; no mark at all ("thi"): meant as written
  return STOPWORDS_MARKED.has(t) || (hasDiacritics(t) && !TONE_MARK.test(t.normalize("NFD")) && STOPWORDS_TONELESS.has(tonelessSyllable(t)));
}

/** A sector abbreviation and what it stands for; `exact` abbreviations only match with their exact case/diacritics. */
interface Abbreviation {
  short: string;
  long: string;
  exact?: boolean;
  /** A paraphrase (lexicon.ts): a text's long form (the plans' term) also yields the short (everyday) form, not the reverse. */
  paraphrase?: boolean;
}

/** The sector's abbreviations (expanded both ways at index and query time). */
export const ABBREVIATIONS: Abbreviation[] = [
  { short: "CĐS", long: "chuyển đổi số" },
  { short: "CDS", long: "chuyển đổi số" },
  { short: "CNTT", long: "công nghệ thông tin" },
  { short: "GDĐT", long: "giáo dục và đào tạo" },
  { short: "CSDL", long: "cơ sở dữ liệu" },
  { short: "TTKDTM", long: "thanh toán không dùng tiền mặt" },
  { short: "THCS", long: "trung học cơ sở" },
  { short: "THPT", long: "trung học phổ thông" },
  { short: "GDTX", long: "giáo dục thường xuyên" },
  { short: "GDNN", long: "giáo dục nghề nghiệp" },
  { short: "GDMN", long: "giáo dục mầm non" },
  { short: "GDTH", long: "giáo dục tiểu học" },
  { short: "GDTrH", long: "giáo dục trung học" },
  { short: "CSGD", long: "cơ sở giáo dục" },
  { short: "UBND", long: "ủy ban nhân dân" },
  { short: "UBND", long: "uỷ ban nhân dân" },
  { short: "BDHVS", long: "bình dân học vụ số" },
  { short: "ATTT", long: "an toàn thông tin" },
  { short: "DVC", long: "dịch vụ công" },
  { short: "DVCTT", long: "dịch vụ công trực tuyến" },
  { short: "TTHC", long: "thủ tục hành chính" },
  { short: "KHCN", long: "khoa học công nghệ" },
  { short: "QLCL", long: "quản lý chất lượng" },
  { short: "MN", long: "mầm non", exact: true },
  { short: "TH", long: "tiểu học", exact: true },
  { short: "KH", long: "kế hoạch", exact: true },
  { short: "AI", long: "trí tuệ nhân tạo", exact: true },
  { short: "Sở", long: "sở giáo dục và đào tạo", exact: true },
  { short: "PGD", long: "phòng giáo dục và đào tạo" },
  // chat shorthand for people of the sector
  { short: "GV", long: "giáo viên" },
  { short: "HS", long: "học sinh" },
  { short: "CBQL", long: "cán bộ quản lý" },
  // near-synonyms the plans use for what people type (same both-way mechanism)
  { short: "giáo viên", long: "nhà giáo" },
  { short: "trường", long: "cơ sở giáo dục" },
  { short: "nộp", long: "gửi" },
  { short: "tỉ lệ", long: "tỷ lệ" },
  { short: "hạn", long: "thời gian", exact: true },
  { short: "hạn", long: "trước ngày", exact: true },
  { short: "thời hạn", long: "thời gian hoàn thành" },
  // everyday words for the plans' terms (the paraphrase lexicon)
  ...PARAPHRASES.map((p) => ({ short: p.everyday, long: p.plan, paraphrase: true })),
];

/** Unify spellings before tokenizing: GD&ĐT, GD-ĐT → GDĐT; "uỷ" → "ủy"; NFC. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\bGD\s*(?:&|-|và)\s*ĐT\b/gu, "GDĐT")
    .replace(/\bGD\s*(?:&|-)\s*DT\b/giu, "GDDT")
    .replace(/uỷ/g, "ủy")
    .replace(/Uỷ/g, "Ủy");
}

/**
 * Chat shorthand as typed on a phone, spelled out for the query ("bn" → "bao nhiêu", "ko" → "không",
 * "dc" → "được", "vs" → "với", "gd" → "giáo dục", "bc" → "báo cáo"); a greeting of the admin ("ad ơi", "admin") is dropped.
 * Query side only: the plans never use these forms, so they would count as topics no plan covers.
 */
const CHAT_SHORTHAND: Record<string, string> = {
  bn: "bao nhiêu", bnh: "bao nhiêu", ko: "không", k: "không", hok: "không", hông: "không", kg: "không", dc: "được", đc: "được",
  vs: "với", j: "gì", ntn: "như thế nào", gd: "giáo dục", gđ: "giáo dục", ad: "", admin: "", add: "", mn: "", ạk: "", ak: "",
  e: "em", mk: "mình", mik: "mình", hk: "không", hem: "không", bít: "biết",
  // "bao nhiu" typed fast, "bc" for a report
  nhiu: "nhiêu", bc: "báo cáo",
  // "tui" for "tôi", as said in the South and typed in chat
  tui: "tôi",
};
export function spellOutChat(text: string): string {
  return text
    .normalize("NFC")
    // a whole word only: not a piece of "E-learning", "moet.edu.vn", "a@b", "K12"
    .replace(/(^|[^\p{L}\p{N}&\-./@])([\p{L}]+)(?=$|[^\p{L}\p{N}&\-./@]|[-./](?![\p{L}\p{N}]))/gu, (m, pre: string, w: string, at: number, all: string) => {
      const v = CHAT_SHORTHAND[w.toLowerCase()];
      if (v === undefined) return m;
      // "GD&ĐT", "GD-ĐT", "GD ĐT": the sector's name, not chat
      if (/^gd/i.test(w) && /^\s*(?:&|-|và)?\s*[ĐđDd][Tt]\b/u.test(all.slice(at + m.length))) return m;
      return `${pre}${v}`;
    })
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** Raw word tokens (case and diacritics kept). */
export function rawTokens(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * One folded syllable in its canonical spelling: final "y" after a consonant is written "i" as well
 * ("kí"/"ký", "tỉ"/"tỷ", "kì"/"kỳ", "quí"/"quý"), so both spellings meet.
 */
export function foldSyllable(token: string): string {
  const f = fold(token);
  return /^[bcdghklmnpqrstvx]{1,2}y$/.test(f) || /^qu[y]$/.test(f) ? `${f.slice(0, -1)}i` : f;
}

/**
 * A syllable without its tone mark but with its letters' own marks (ă â ê ô ơ ư đ), lowercase, i/y
 * spelling unified: "bơi" → "bơi", "bồi" → "bôi", "hoà"/"hòa" → "hoa", "tỉ"/"tỷ" → "ti". Two words that
 * fold alike ("bơi", "bồi") stay apart, while old and new tone placement meet.
 */
export function tonelessSyllable(token: string): string {
  const t = token.normalize("NFD").toLowerCase().replace(/[\u0300\u0301\u0303\u0309\u0323]/g, "").normalize("NFC");
  return /^[bcdghklmnpqrstvxđ]{1,2}y$/.test(t) || /^qu[y]$/.test(t) ? `${t.slice(0, -1)}i` : t;
}

/** Was the token typed with any diacritic (a tone mark or a letter's own mark)? */
export function hasDiacritics(token: string): boolean {
  return fold(token) !== token.toLowerCase();
}

/**
 * Everyday words a question may use without naming its topic: words of asking and doing, and general
 * nouns of measure and the web ("chiếm bao nhiêu phần trăm", "địa chỉ web nào"). Folded. A word here
 * is never taken for a topic the plans do not cover, even when no plan uses it ("chênh lệch", "chênh nhau" compare). "đặt"/"đạt" frame every
 * target question ("đặt chỉ tiêu bao nhiêu", "phải đạt bao nhiêu"), and a one-plan corpus may never print them.
 */
export const GENERAL_WORDS = new Set(
  (
    "xong lam hoi biet cho minh em toi ban ah a ak nhi vay the sao gi nao ko khong co phai can muon dc duoc roi chua nua hien nay " +
    "noi neu ghi ke bao chiem khoang tong cong moi rieng chung het tat ca toan bo cu the chinh xac dung sai nhieu it tang giam so sanh " +
    "dat web website online internet link trang mang dia chi ten goi nghia ntn bi nen chot chenh lech"
  ).split(/\s+/).filter(Boolean),
);

/** Folded syllables: lowercase, no diacritics, đ → d, i/y spelling unified. */
export function foldedTokens(text: string): string[] {
  return rawTokens(text).map(foldSyllable);
}

/** Folded text with the i/y spelling unified, for phrase matching ("tan ki" = "tan ky"). */
export function foldPhrase(text: string): string {
  return foldedTokens(text).join(" ");
}

interface CompiledAbbreviation {
  short: string[]; // tokens to match (raw when exact, folded otherwise)
  long: string[];
  exact: boolean;
  paraphrase: boolean;
  shortFolded: string[];
  /** The short form lowercased with its marks: a paraphrase typed with marks must carry its own ("tiện" is not "tiền"). */
  shortMarked: string[];
}

const COMPILED: CompiledAbbreviation[] = ABBREVIATIONS.map((a) => ({
  short: a.exact ? rawTokens(a.short) : foldedTokens(a.short),
  long: foldedTokens(a.long),
  exact: Boolean(a.exact),
  paraphrase: Boolean(a.paraphrase),
  shortMarked: rawTokens(a.short).map((t) => t.toLowerCase()),
  shortFolded: foldedTokens(a.short),
}));

/** Abbreviations indexed by the folded first token of either form (fast lookup per token). */
const BY_FIRST = new Map<string, CompiledAbbreviation[]>();
for (const a of COMPILED) {
  for (const first of [a.shortFolded[0], a.long[0]]) {
    if (!first) continue;
    const list = BY_FIRST.get(first) ?? [];
    if (!list.includes(a)) list.push(a);
    BY_FIRST.set(first, list);
  }
}

/** A paraphrase's everyday form at `at`: a word typed with marks matches with the same marks, one typed without, folded. */
function everydayAt(raw: string[], folded: string[], at: number, a: CompiledAbbreviation): boolean {
  if (!matchesAt(folded, at, a.shortFolded)) return false;
  return a.shortMarked.every((m, k) => !hasDiacritics(raw[at + k]!) || raw[at + k]!.toLowerCase() === m);
}

function matchesAt(seq: string[], at: number, pattern: string[]): boolean {
  if (at + pattern.length > seq.length) return false;
  for (let i = 0; i < pattern.length; i++) if (seq[at + i] !== pattern[i]) return false;
  return true;
}

/** Extra folded token runs implied by abbreviations found in the text (each direction). */
export function expansions(raw: string[], folded: string[], query = false): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  const add = (run: string[]) => {
    const key = run.join(" ");
    if (!seen.has(key)) {
      seen.add(key);
      out.push(run);
    }
  };
  for (let i = 0; i < folded.length; i++) {
    for (const a of BY_FIRST.get(folded[i]!) ?? []) {
      if (a.paraphrase) {
        // a paraphrase yields its everyday form as one term ("thay_co"), from the plans' term or as typed: no stray
        // syllables ("ai", "lo" of "ai lo") enter a passage's terms, and a plan's "tiền mặt" never stands for "kinh phí"
        // (a query's plan term is not widened: "giáo viên" typed asks for nothing more than the plans' word)
        if ((!query && matchesAt(folded, i, a.long)) || everydayAt(raw, folded, i, a)) add([a.shortFolded.join("_")]);
        continue;
      }
      if (a.exact ? matchesAt(raw, i, a.short) : matchesAt(folded, i, a.short)) add(a.long);
      if (matchesAt(folded, i, a.long)) add(a.shortFolded);
    }
  }
  return out;
}

/** Unigrams (stopwords kept for indexing, they are cheap) and syllable bigrams ("a_b") of a token run. */
function gramsOf(tokens: string[], into: string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    into.push(tokens[i]!);
    if (i + 1 < tokens.length) into.push(`${tokens[i]}_${tokens[i + 1]}`);
  }
}

/** All terms of a text for the index (and for queries): folded unigrams, bigrams, abbreviation expansions. */
export function indexTerms(text: string, query = false): string[] {
  const raw = rawTokens(text);
  const folded = raw.map(foldSyllable);
  const terms: string[] = [];
  gramsOf(folded, terms);
  for (const run of expansions(raw, folded, query)) gramsOf(run, terms);
  return terms;
}

/** Question phrases that carry no content ("bao nhiêu", "thế nào"), removed from queries. */
const QUESTION_PHRASES = [
  ["bao", "nhieu"], ["the", "nao"], ["khi", "nao"], ["la", "gi"], ["o", "dau"], ["bao", "gio"], ["nhu", "the", "nao"],
  ["bao", "lau"], ["mot", "lan"], ["may", "lan"], ["co", "phai"], ["bat", "buoc"], ["nghia", "la"], ["viet", "tat"],
  ["the", "nao"], ["ra", "sao"], ["vay"], ["nhe"], ["oi"], ["giup"], ["con", "toi"], ["con", "em"],
  // "mỗi nơi", "từng nơi", "mỗi bên": a comparison of the plans named, not a topic
  ["moi", "noi"], ["tung", "noi"], ["moi", "ben"],
];

/** Verbs that frame a question about a plan ("Ninh Bình yêu cầu bao nhiêu…", "… đặt mục tiêu gì"): not content. */
const FRAMING = [["yeu", "cau"], ["dat", "muc", "tieu"], ["de", "ra"], ["dat", "ra"], ["quy", "dinh"], ["ke", "hoach"]];

/** Raw tokens of a question without its question phrases and framing verbs (what coverage is measured on). */
export function questionContent(text: string): string[] {
  const raw = withoutQuestionPhrases(rawTokens(text));
  const folded = raw.map(foldSyllable);
  const keep = raw.map(() => true);
  for (let i = 0; i < folded.length; i++)
    for (const p of FRAMING) if (matchesAt(folded, i, p.map((w) => (w === "quy" ? "qui" : w)))) for (let k = 0; k < p.length; k++) keep[i + k] = false;
  return raw.filter((_, i) => keep[i]);
}

function withoutQuestionPhrases(raw: string[]): string[] {
  const folded = raw.map(foldSyllable);
  const keep = raw.map(() => true);
  for (let i = 0; i < folded.length; i++)
    for (const p of QUESTION_PHRASES) if (matchesAt(folded, i, p)) for (let k = 0; k < p.length; k++) keep[i + k] = false;
  // the asker's child ("trường con", "lớp của con"): who asks, not what is asked
  for (let i = 1; i < folded.length; i++) if (["con", "chau"].includes(folded[i]!) && ["truong", "lop", "cua"].includes(folded[i - 1]!)) keep[i] = false;
  return raw.filter((_, i) => keep[i]);
}


/** Query terms: like indexTerms but stopword unigrams dropped (bigrams keep them for phrase matching). */
export function queryTerms(text: string): string[] {
  return indexTerms(withoutQuestionPhrases(rawTokens(text)).join(" "), true).filter((t) => t.includes("_") || !STOPWORDS.has(t));
}

/**
 * Content syllable groups of a query: each group is a set of alternatives that count as "covered"
 * (a syllable, or an abbreviation together with its expansion). Used for the relevance threshold.
 */
export function contentGroups(text: string): string[][] {
  const marked = typedWithMarks(text);
  const raw = questionContent(text);
  const folded = raw.map(foldSyllable);
  const groups: string[][] = [];
  const used = new Set<number>();
  for (let i = 0; i < folded.length; i++) {
    for (const a of COMPILED) {
      const shortHit = a.exact ? matchesAt(raw, i, a.short) : a.paraphrase ? everydayAt(raw, folded, i, a) : matchesAt(folded, i, a.short);
      if (shortHit) {
        const g = [a.shortFolded.join("_"), a.long.join("_")];
        // a level within "học sinh trung học" (the plans' phrase covers THCS and THPT students)
        if (g[0] === "thcs" || g[0] === "thpt") g.push("sinh_trung_hoc");
        // one everyday word for several plan terms ("tiền": "kinh phí", "ngân sách"): one group with every alternative
        const same = groups.find((x) => x[0] === g[0]);
        if (!same) groups.push(g);
        else for (const alt of g) if (!same.includes(alt)) same.push(alt);
        for (let k = 0; k < a.short.length; k++) used.add(i + k);
      }
    }
  }
  for (let i = 0; i < folded.length; i++) {
    const w = folded[i]!;
    if (used.has(i) || isStopToken(raw[i]!, marked)) continue;
    groups.push([w]);
  }
  return groups;
}
