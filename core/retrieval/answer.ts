/**
 * Answer composition for plan Q&A, offline: what a question wants (a number, a date, a unit in
 * charge, a document fact), the one sentence of a passage that answers it, questions about a term
 * or an abbreviation, and questions that are not about the plans at all.
 *
 *   wantsOf("Ai chủ trì văn bằng số?")                  // { who: true, … }
 *   leadOf(chunk, groups, wants)                         // "Triển khai các nhiệm vụ về Văn bằng số — đơn vị chủ trì: Phòng …"
 *   declineReasonOf("Trường nào ở xã Tân Kỳ đang chậm báo cáo?")   // "report_data"
 *
 * Every lead is made of the plan's own words (a sentence, or a table row's cells with their column
 * headers); nothing is paraphrased or invented.
 */
import { fold } from "../text.ts";
import { splitSentences } from "./parse.ts";
import { ABBREVIATIONS, foldSyllable, hasDiacritics, indexTerms, isStopToken, rawTokens, tonelessSyllable } from "./tokenize.ts";

export interface Wants {
  who: boolean;
  when: boolean;
  amount: boolean;
  /** A question about the document itself. */
  doc: null | "signer" | "date" | "number" | "issuer" | "province";
  /** Content words typed with diacritics, tone marks dropped ("sở" stays apart from "số"): they break ties. */
  marked?: string[];
  /** The document the plan implements or rests on (answered from its preamble): its kind and issuer as asked, folded. */
  basis?: { type: string; issuer: string };
  /** An appendix column asked for by name: the product a task delivers ("phải nộp sản phẩm gì?"). */
  column?: "product";
  /** The reporting schedule is asked ("báo cáo quý nộp trước ngày nào?"): a deadline of reports, not of a target. */
  report?: boolean;
  /** Where the money comes from ("kinh phí lấy từ đâu?", "nguồn nào?"): the plan's funding section. */
  funding?: boolean;
  /** A web address asked ("tên miền gì", "địa chỉ nào", "link"): the sentence that prints one. */
  web?: boolean;
  /** What a unit must do ("UBND xã phải làm gì?", "nhiệm vụ của các trường"): its own part of the organisation section. */
  duty?: boolean;
  /** The day something happens ("Ngày … là ngày nào?"), not a deadline: the passage naming the day itself ("vào ngày 10 tháng 10"). */
  day?: boolean;
}

/** The day of an event asked ("là ngày nào", "vào ngày nào", "ngày mấy"), unless a deadline is ("hạn", "trước ngày nào", "xong"). */
const EVENT_DAY_ASKED = /\b(la|vao|nhan|dip) ngay (nao|may|bao nhieu)\b|\bngay (nao|may) (hang nam|trong nam)\b/;
const DEADLINE_ASKED = /\bhan\b|truoc ngay|hoan thanh|xong|nop|gui|bao cao|cham nhat/;
/** A day named as such: "vào ngày 10 tháng 10", "ngày 10/10 hằng năm", "là ngày 10/10", not "trước ngày 10/10/2025". */
export const EVENT_DAY_STATED = /(?:vào|là|nhân|dịp|hưởng ứng)\s+(?:ngày\s+)?(?:\p{L}+\s+){0,6}?ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2}|\/\d{1,2}(?!\/))/iu;
/** The tasks of a unit asked: "phải làm gì", "làm những gì", "nhiệm vụ gì / của", "trách nhiệm gì / của". */
const DUTY_ASKED = /\b(phai lam (gi|nhung gi)|can lam (gi|nhung gi)|lam nhung gi|nhiem vu (gi|nao|cua)|trach nhiem (gi|nao|cua)|co nhiem vu)\b/;

/** A web address asked for. */
const WEB_ASKED = /\b(ten mien|dia chi (web|trang|truy cap|nao|gi|o dau)|link|website|trang web|duong dan)\b/;
/** A sentence that prints a web or mail address. */
export const WEB_ADDRESS = /https?:\/\/|www\.|[\w-]+\.(?:edu|gov|com|org)\.vn|@[\w-]+\.|forms\.gle/iu;

/** A report's deadline or rhythm asked: "báo cáo … trước ngày nào / hạn / khi nào / định kỳ / hằng tháng". */
const REPORT_ASKED = /\bbao cao\b/;
const REPORT_WHEN = /khi nao|bao gio|truoc ngay|ngay nao|\bhan\b|dinh ky|hang (thang|quy|nam)|hang thang|may lan/;
/** The source of funding asked: "kinh phí / ngân sách … từ đâu, nguồn nào, lấy ở đâu". */
const FUNDING_ASKED = /\b(kinh phi|ngan sach|nguon von|tien)\b.*\b(tu dau|o dau|nguon nao|nguon gi|tu nguon|lay tu|lay o|do ai chi|ai chi)\b|\bnguon kinh phi\b/;

/** The product or output a task delivers, asked for by name: a column of the task appendices ("Sản phẩm/Kết quả"). */
const PRODUCT_ASKED = /\b(san pham|ket qua dau ra|dau ra)\b/;
/** An appendix column header holding what `column` asks for. */
export function isColumnHeader(header: string, column: Wants["column"]): boolean {
  return column === "product" && /san pham|dau ra/.test(fold(header));
}

/** The document a plan implements or is based on: "thực hiện kế hoạch số mấy của …", "căn cứ quyết định nào". */
const BASIS_ASKED =
  /\b(?:thuc hien|can cu|trien khai|cu the hoa|lam theo|dua theo|dua tren|xay dung theo) (?:theo )?(ke hoach|kh|quyet dinh|nghi quyet|van ban|cong van|chi thi|de an|thong tu)\b.*?\b(?:so may|so bao nhieu|nao|gi)\b(?: (?:cua|do) (.+))?/;

/** Content words of a text typed with diacritics, without tone marks: "cấp sở" → ["cấp", "sơ"]. */
export function markedWords(text: string): string[] {
  return rawTokens(text).filter((t) => hasDiacritics(t) && !isStopToken(t, true)).map(tonelessSyllable);
}

/**
 * Share of the question's marked words found, with their marks, in a text: "cấp sở" meets "cấp sở",
 * not "cấp số", and "kế toán" not "toàn ngành". 0 when the question was typed without diacritics.
 */
export function markedShare(marked: string[] | undefined, text: string): number {
  if (!marked?.length) return 0;
  const have = new Set(rawTokens(text).map(tonelessSyllable));
  return marked.filter((w) => have.has(w)).length / marked.length;
}

/**
 * Who signed a plan, typed "ký" or "kí", by a role ("trưởng phòng … kí kế hoạch … là ai"): printed at the plan's foot,
 * a document fact, not personal data. Not "Tân Kỳ kế hoạch", not "học kỳ".
 */
const SIGNER_ASKED =
  /\b(ai|nguoi) (da )?k[iy]\b|\bk[iy] (boi|ten)\b|nguoi k[iy]\b|ai la nguoi k[iy]\b|(?<!tan |hoc )\bk[iy] (ke hoach|kh|van ban)\b.*\b(la ai|ten (la )?gi|ten gi)\b/;

/**
 * The document's own facts a folded question asks for, in order of precedence: its signer, province, date, number,
 * issuer. Asked together ("văn bản số mấy, ngày nào, ai ký?"), a bare "ngày nào" asks the date too.
 */
export function docFactsAsked(q: string): Array<NonNullable<Wants["doc"]>> {
  const out: Array<NonNullable<Wants["doc"]>> = [];
  if (SIGNER_ASKED.test(q)) out.push("signer");
  if (/thuoc (tinh|thanh pho|huyen|tp)|(tinh|thanh pho|huyen) nao/.test(q) && !/(truong|don vi) nao/.test(q)) out.push("province");
  if (/ban hanh (ngay|khi|luc|nam|thang)|ngay ban hanh|ban hanh .*(ngay|thang|nam) nao|ky ngay nao/.test(q)) out.push("date");
  // "… thực hiện kế hoạch số mấy của UBND tỉnh?" asks for the document a plan implements (its preamble), not its own number
  if (/(so hieu|so ky hieu|(ke hoach|kh|van ban) (co )?so (may|bao nhieu|gi)|mang so)/.test(q) && !BASIS_ASKED.test(q)) out.push("number");
  if (/(co quan|don vi|ai|noi) (nao )?(da )?ban hanh|ban hanh boi|cua co quan nao|do (co quan|don vi) nao ban hanh/.test(q)) out.push("issuer");
  if (out.length && !out.includes("date") && /\bngay (nao|may|bao nhieu)\b/.test(q)) out.push("date");
  return out;
}

export function wantsOf(question: string): Wants {
  const q = fold(question);
  let doc: Wants["doc"] = null;
  const basis = BASIS_ASKED.exec(q);
  doc = docFactsAsked(q)[0] ?? null;
  return {
    who: /^ai\b|\bai (lo|chu tri|phu trach|theo doi|thuc hien|cong nhan|to chuc|tong hop|phan cong|tham muu|chiu trach nhiem|lam dau moi|huong dan|bo tri)|(don vi|phong|co quan|bo phan|noi) nao|\bdo ai\b|\bboi ai\b|\bai lam\b/.test(q),
    when: /khi nao|bao gio|thoi han|han chot|han (nop|hoan thanh)|truoc ngay|thang may|quy (nao|may)|nam nao|thoi gian nao|giai doan nao|bao lau|ngay nao|hom nao|luc nao|khi nao xong|hoan thanh|han xong|han cuoi|deadline|cham nhat|thang nao|xong (vao|truoc|khi|luc|trong)/.test(q),
    amount: /bao nhieu|ty le|ti le|phan tram|%|(may|bao nhieu) (truong|lop|hoat dong|co so|giao vien|nguoi)|muc (dat|may|nao|gi)|dat muc|so luong|chi tieu/.test(q),
    doc,
    marked: markedWords(question),
    column: PRODUCT_ASKED.test(q) ? "product" : undefined,
    report: REPORT_ASKED.test(q) && REPORT_WHEN.test(q) ? true : undefined,
    funding: FUNDING_ASKED.test(q) ? true : undefined,
    web: WEB_ASKED.test(q) ? true : undefined,
    duty: DUTY_ASKED.test(q) ? true : undefined,
    day: EVENT_DAY_ASKED.test(q) && !DEADLINE_ASKED.test(q) ? true : undefined,
    basis: basis ? { type: basis[1] === "kh" ? "ke hoach" : basis[1]!, issuer: (basis[2] ?? "").replace(/[^a-z0-9 ]/g, " ").trim() } : undefined,
  };
}

// ---------------------------------------------------------------- table rows

/** "Header: value; Header: value" → pairs (a value may itself hold "; " without a following header). */
export function rowCells(text: string): Array<[string, string]> {
  return text
    .split(/; (?=[^:;]{2,160}: )/)
    .map((part) => {
      const i = part.indexOf(": ");
      return i < 0 ? (["", part] as [string, string]) : ([part.slice(0, i), part.slice(i + 2)] as [string, string]);
    })
    .filter(([, v]) => v.trim() !== "");
}

const isWhoHeader = (h: string) => /chu tri|phu trach|phoi hop|to chuc trien khai/.test(fold(h)) && !/don vi tinh/.test(fold(h));
const isWhenHeader = (h: string) => /thoi gian|thoi han|hoan thanh/.test(fold(h));
const isLevelHeader = (h: string) => /^muc|muc dat|don vi tinh/.test(fold(h));

function clipText(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max).replace(/\s+\S*$/, "")} …`;
}

/**
 * A long cell shown in a lead: its first 200 characters, or, when the cell is a list ("- a. + b. + c.") and the item
 * that best covers the question lies beyond them, that item ("Thí điểm … có đào tạo phụ huynh không?" → "Đào tạo
 * giáo viên số, học sinh số, phụ huynh số").
 */
function cellLead(value: string, coverage?: (terms: Set<string>) => number, amount = false): string {
  const max = 200;
  if (value.length <= max || !coverage) return clipText(value, max);
  const items = value.split(/\s+(?=[-+•]\s)|;\s+/).map((s) => stripBullet(s).replace(/[;.,]\s*$/, "")).filter(Boolean);
  if (items.length < 2) return clipText(value, max);
  // what the first 200 characters already show; an item is worth showing for the question words it adds
  const shownTerms = indexTerms(value.slice(0, max));
  const shown = coverage(new Set(shownTerms));
  let best = "";
  let bestScore = shown;
  // an amount asked that the first characters already state ("tại 02 trường THCS & 10 trường THPT") is not traded for
  // an item with no figure that shares more words
  const figure = (t: string) => /\d/.test(t.replace(/\b(19|20)\d\d\b/g, " "));
  const shownFigure = amount && figure(value.slice(0, max));
  for (const it of items) {
    if (value.indexOf(it) + it.length <= max || (shownFigure && !figure(it))) continue;
    const sc = coverage(new Set([...shownTerms, ...indexTerms(it)]));
    if (sc > bestScore + 1e-9) {
      best = it;
      bestScore = sc;
    }
  }
  return best ? clipText(best, max) : clipText(value, max);
}

/** A table row as one sentence: the target or task, then the cells the question asks for. */
function rowLead(text: string, wants: Wants, coverage?: (terms: Set<string>) => number): string {
  const cells = rowCells(text);
  if (!cells.length) return text;
  const [[, subject], ...rest] = cells as [[string, string], ...Array<[string, string]>];
  const unit = rest.find(([h]) => fold(h) === "don vi tinh")?.[1];
  const level = rest.find(([h]) => /^muc/.test(fold(h)))?.[1];
  const parts: string[] = [];
  if (level) parts.push(unit === "%" ? `${level}%` : unit ? `${level} ${unit.toLowerCase()}` : level);
  let pick = rest.filter(([h]) => !isLevelHeader(h));
  const column = pick.filter(([h]) => isColumnHeader(h, wants.column));
  const focused = column.length ? column : pick.filter(([h]) => (wants.who && isWhoHeader(h)) || (wants.when && isWhenHeader(h)));
  if (focused.length) pick = focused;
  else if (level && wants.amount) pick = [];
  for (const [h, v] of pick) parts.push(h ? `${h.charAt(0).toLowerCase()}${h.slice(1)}: ${cellLead(v, coverage, wants.amount)}` : v);
  return parts.length ? `${subject.trim()} — ${parts.join("; ")}` : subject.trim();
}

// ---------------------------------------------------------------- text passages

function stripBullet(s: string): string {
  return s.replace(/^\s*(?:[-+*•]\s*|[a-zđ]\)\s+|\(\d+\)\s+)/u, "").trim();
}

/**
 * Candidate sentences of a passage; the items of a lead-in carry the lead-in, and a short list is also a
 * candidate whole, lead-in and items together ("Số giáo viên dạy môn Tin học ở các cấp học: Tiểu học 43;
 * THCS: 181, THPT 119 giáo viên"), so the lead never stops at the colon.
 */
function candidates(text: string): string[] {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const out: string[] = [];
  // a lead-in carries only its own last sentence ("…, trong đó:"), not the sentences before it
  const leadIn = lines.length > 1 && /:$/.test(lines[0]!) ? stripBullet(splitSentences(lines[0]!).at(-1) ?? lines[0]!) : null;
  if (leadIn) {
    // the items: the bulleted lines right after the lead-in (or lines ending in ";" and the one closing them)
    const bullet = /^\s*(?:[-+*•]|[a-zđ]\)|\(\d+\))\s*/u;
    const items: string[] = [];
    for (const l of lines.slice(1)) {
      if (bullet.test(lines[1]!) ? !bullet.test(l) : items.length && !/;$/.test(items.at(-1)!)) break;
      items.push(l);
    }
    const whole = `${leadIn} ${items.map((l) => stripBullet(l).replace(/[;.,]\s*$/, "")).join("; ")}`;
    if (whole.length <= WHOLE_LIST_MAX) out.push(whole);
  }
  (leadIn ? lines.slice(1) : lines).forEach((line) => {
    const sentences = splitSentences(line);
    sentences.forEach((s, i) => {
      const pieces = s.length > 420 ? piecesOf(s) : [s];
      for (const p of pieces) out.push(leadIn ? `${leadIn} ${stripBullet(p)}` : stripBullet(p));
      // two clauses that share their ending ("90% … cấp sở; 80% … cấp phòng được giải quyết trên môi trường số")
      const next = sentences[i + 1];
      if (/;$/.test(s) && next && /^\d/.test(next) && s.length + next.length < 360) out.push(leadIn ? `${leadIn} ${stripBullet(s)} ${next}` : `${stripBullet(s)} ${next}`);
      // an inline lead-in ("…: a; B; C"): its items, split at ";", carry it, and the short list is one candidate
      const inline = /^(.{10,200}?):\s+\S/u.exec(s);
      if (leadIn || !inline || !/;$/.test(s)) return;
      const items: string[] = [];
      for (let j = i + 1; j < sentences.length && sentences[j]!.length <= 120; j++) {
        items.push(sentences[j]!);
        if (!/;$/.test(sentences[j]!)) break;
      }
      if (!items.length) return;
      const whole = [s, ...items].join(" ");
      if (whole.length <= WHOLE_LIST_MAX) out.push(stripBullet(whole));
      for (const it of items) out.push(`${stripBullet(inline[1]!)}: ${stripBullet(it)}`);
    });
  });
  // the lead-in paragraph's own earlier sentences are candidates too
  if (leadIn) for (const s of splitSentences(lines[0]!).slice(0, -1)) out.push(stripBullet(s));
  if (leadIn && !out.length) out.push(leadIn);
  return out;
}

/**
 * A long sentence's clauses, split at ";". A clause cut inside a parenthesis ("Định kỳ hằng tháng (trước ngày 20) … về
 * đơn vị quản lý trực tiếp (Các đơn vị … về Sở; các trường … về UBND các xã, phường) để tổng hợp") carries the sentence
 * before it: on its own it would lose what it is part of (the deadline, the duty, the address of the clause before).
 */
function piecesOf(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let open = -1;
  let start = 0;
  let head = "";
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (c === "(" && depth++ === 0) open = i;
    else if (c === ")" && depth > 0) depth--;
    if (i < s.length && !(c === ";" && /\s/.test(s[i + 1] ?? ""))) continue;
    out.push(`${head}${s.slice(start, i).trim()}`);
    head = depth > 0 && open >= 0 ? `${s.slice(0, i + 1)} ` : "";
    start = i + 1;
  }
  return out;
}

/** A list shorter than this is led with whole. */
const WHOLE_LIST_MAX = 320;

/** A heading that names the unit its section assigns work to ("1. Phòng Văn hóa - Xã hội xã", "3. Các cơ sở giáo dục trong tỉnh"). */
const UNIT_HEADING = /^(?:Đề nghị\s+|Giao\s+)?(?:Phòng|Văn phòng|Sở|UBND|Ủy ban|Các (?:phòng|cơ sở|trường|đơn vị|nhà trường)|Trung tâm|Ban)(?![\p{L}\p{N}])/u;

/** The unit a passage of an organisation section ("TỔ CHỨC THỰC HIỆN") is about, from its own heading. */
export function unitOfHeading(heading: string): string | null {
  const parts = heading.split(" / ").map((h) => h.replace(/[*#_]/g, "").replace(/^\s*(?:[IVX]+|\d+|[a-zđ])[.)]\s*/u, "").replace(/[:;.]\s*$/, "").trim());
  if (parts.length < 2 || !/tổ chức thực hiện|phân công|trách nhiệm/iu.test(parts.slice(0, -1).join(" "))) return null;
  const last = parts[parts.length - 1]!;
  return UNIT_HEADING.test(last) && last.length <= 120 ? last : null;
}

/**
 * Who does what: a task listed under a unit's heading ("1. Phòng Văn hóa - Xã hội xã" → "- Là bộ phận tham mưu …")
 * leads with that unit when a question asks who, unless the sentence already names a unit itself.
 */
/** Does a question name the unit of this organisation heading? (Most of the unit's words, abbreviations and synonyms both ways.) */
export function namesUnitOf(question: string, heading: string): boolean {
  const unit = unitOfHeading(heading);
  if (!unit) return false;
  const words = rawTokens(unit.replace(/^(?:Đề nghị|Giao)\s+/u, "")).filter((t) => !isStopToken(t, true)).map(foldSyllable);
  const asked = new Set(indexTerms(question));
  return words.length > 0 && words.filter((w) => asked.has(w)).length / words.length >= 0.6;
}

export function withUnit(lead: string, heading: string, wants: Wants): string {
  if (!wants.who) return lead;
  const unit = unitOfHeading(heading);
  if (!unit || fold(lead).includes(fold(unit)) || UNIT_HEADING.test(lead)) return lead;
  return `${unit}: ${lead}`;
}

/** A sentence that sets when reports are due ("Định kỳ hằng tháng (trước ngày 20) … báo cáo"). */
export const REPORT_SCHEDULE = /(?=[\s\S]*báo cáo)[\s\S]*(trước ngày \d|[hH][ằà]ng (tháng|quý)|cuối quý)/iu;
/** A sentence that names where the money comes from. */
export const FUNDING_SOURCE = /(ngân sách|nguồn kinh phí|xã hội hóa|nguồn (huy động|tự chủ|hợp pháp)|chi thường xuyên)/iu;

function sentenceScore(s: string, coverage: (terms: Set<string>) => number, wants: Wants): number {
  let sc = coverage(new Set(indexTerms(s))) + 0.2 * markedShare(wants.marked, s);
  if (wants.amount && /\d/.test(s)) sc += 0.25 + (/%|≥|trên|tối thiểu|ít nhất/.test(s) ? 0.1 : 0);
  if (wants.when && /(tháng|quý|năm|ngày|thường xuyên|\d{1,2}\/\d{1,4})/iu.test(s)) sc += 0.3;
  if (wants.who && /(Phòng|Sở|UBND|Văn phòng|chủ trì|giao|phụ trách|tham mưu)/u.test(s)) sc += 0.3;
  if (wants.report && REPORT_SCHEDULE.test(s)) sc += 0.4;
  if (wants.funding && FUNDING_SOURCE.test(s)) sc += 0.4;
  if (wants.web && WEB_ADDRESS.test(s)) sc += 0.4;
  return sc;
}

const DOC_TYPES: Array<[string, RegExp]> = [
  ["ke hoach", /^Kế hoạch/u],
  ["quyet dinh", /^Quyết định/u],
  ["nghi quyet", /^Nghị quyết/u],
  ["cong van", /^Công văn/u],
  ["chi thi", /^Chỉ thị/u],
  ["thong tu", /^Thông tư/u],
  ["de an", /^Đề án/u],
];

/**
 * The clause of a preamble naming the document a plan implements or rests on ("Thực hiện Kế hoạch số
 * 639/KH-SGDĐT … của Sở GDĐT …"): of the clauses citing a numbered document, the one of the type asked
 * ("kế hoạch", "quyết định") that best covers the question (the issuer it names).
 */
export function basisClause(text: string, asked: { type: string; issuer: string }): { clause: string; score: number } | null {
  const clauses = text
    .split(/;\s+|\n|,?\s+(?=(?:Căn cứ|Thực hiện) )|,\s+(?=(?:Kế hoạch|Quyết định|Nghị quyết|Công văn|Chỉ thị|Thông tư) (?:số )?\d)/u)
    .map((c) => c.trim().replace(/^(?:Căn cứ|Thực hiện)\s+/u, ""))
    .filter((c) => /\d+\/[\p{Lu}Đ]|\d+-NQ\/TW/u.test(c) && !/^[\p{Lu}\s]{6,}/u.test(c));
  const typeRe = DOC_TYPES.find(([k]) => k === asked.type)?.[1];
  const issuer = indexTerms(asked.issuer).filter((t) => !t.includes("_"));
  let best: string | null = null;
  let bestScore = -1;
  for (const c of clauses) {
    // the issuer is named after "của" in the clause; the plan's own issuer elsewhere in it does not count
    const of = c.split(/\s+của\s+/u).slice(1).join(" ");
    const terms = new Set(indexTerms(of));
    const sc = (issuer.length ? issuer.filter((t) => terms.has(t)).length / issuer.length : 0) + (typeRe?.test(c) ? 0.5 : 0);
    if (sc > bestScore + 1e-9) {
      best = c;
      bestScore = sc;
    }
  }
  return best ? { clause: best.replace(/[;:,]\s*$/, ""), score: bestScore } : null;
}

/**
 * A numbered row of an appendix asked for ("Chỉ tiêu số 8 trong phụ lục 1 là gì?", "nhiệm vụ thứ 3 của phụ lục 2"):
 * the appendix number (null when not said), the row number, and what the row is ("chi tieu", "nhiem vu", or null).
 */
export function appendixRowAsked(question: string): { appendix: string | null; row: string; kind: "chi tieu" | "nhiem vu" | null } | null {
  const q = fold(question).replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ");
  const row = /\b(chi tieu|nhiem vu|dong|hang|muc) (?:so |thu )?(\d{1,3})\b/.exec(q);
  const app = /\bphu luc(?: so)?(?: (\d{1,2}|[ivx]{1,4})\b)?/.exec(q);
  if (!row || !app) return null;
  const kind = row[1] === "chi tieu" || row[1] === "nhiem vu" ? row[1] : null;
  const roman: Record<string, string> = { i: "1", ii: "2", iii: "3", iv: "4", v: "5", vi: "6" };
  return { appendix: app[1] ? (roman[app[1]] ?? app[1]) : null, row: row[2]!, kind };
}

/**
 * Documents named by their number in a question ("Kế hoạch 639/KH-SGDĐT", "kế hoạch số 842", "QĐ 1468"): the
 * numbers, in order. A year ("kế hoạch 2026") names a plan by its year, not a document number.
 */
export function documentNumbersIn(question: string): string[] {
  const q = fold(question).replace(/[^\p{L}\p{N}\s/]/gu, " ").replace(/\s+/g, " ");
  const out: string[] = [];
  const re =
    /\b(\d{1,5})\s*\/\s*(?:kh|qd|nq|ct|tt|cv|hd|tb)\b|\b(?:ke hoach|kh|quyet dinh|qd|nghi quyet|nq|cong van|chi thi|thong tu|de an)(?: so)? (\d{1,5})\b/g;
  for (const m of q.matchAll(re)) {
    const n = m[1] ?? m[2]!;
    if (/^(19|20)\d\d$/.test(n) || out.includes(n)) continue;
    out.push(n);
  }
  return out;
}

/**
 * Where a text cites document number `n`: the document's name as printed ("Kế hoạch số 639/KH-SGDĐT") and the
 * clause citing it ("Kế hoạch số 19/KH-UBND ngày 08/08/2025 của UBND tỉnh Ninh Bình về việc …"), or null.
 */
export function citationOf(text: string, n: string): { name: string; clause: string } | null {
  const t = text.replace(/-\n/g, "-").replace(/\s*\n\s*/g, " ");
  const nameRe = new RegExp(`(?:Kế hoạch|Kế hoạc|Quyết định|Nghị quyết|Công văn|Chỉ thị|Thông tư|Đề án)(?: số)? ${n}(?:/[\\p{L}\\d&-]+)*(?![\\d/])`, "u");
  const m = nameRe.exec(t);
  if (!m) return null;
  const clauses = t.split(/;\s+|,?\s+(?=(?:Căn cứ|Thực hiện) )/u);
  const clause = clauses.find((c) => c.includes(m[0])) ?? m[0];
  return { name: m[0], clause: clause.replace(/^(?:Căn cứ|Thực hiện)\s+/u, "").replace(/[;:,.]\s*$/, "").trim() };
}

const HEADER_SENTENCE: Record<NonNullable<Wants["doc"]>, RegExp> = {
  signer: /^Người ký/u,
  date: /^Ban hành/u,
  number: /^Kế hoạch/u,
  issuer: /^Cơ quan ban hành/u,
  province: /thuộc|^Địa phương/u,
};

/**
 * The one sentence of a passage that answers the question: a table row with the cells asked for,
 * a header fact, or the passage sentence that best covers the question and holds the kind of
 * value it wants. At most `max` characters.
 */
/** The school levels a text names (folded): mầm non, tiểu học, THCS, THPT. */
function levelsIn(text: string): string[] {
  const f = fold(text);
  const out: string[] = [];
  if (/\bmam non\b/.test(f)) out.push("mn");
  if (/\btieu hoc\b/.test(f)) out.push("th");
  if (/\bthcs\b|\btrung hoc co so\b/.test(f)) out.push("thcs");
  if (/\bthpt\b|\btrung hoc pho thong\b/.test(f)) out.push("thpt");
  return out;
}

export function leadOf(
  chunk: { kind: string; text: string; heading?: string },
  coverage: (terms: Set<string>) => number,
  wants: Wants,
  max = 420,
  question?: string,
): string {
  const heading = chunk.heading;
  if (chunk.kind === "table_row") return clipText(rowLead(chunk.text, wants, coverage), max);
  if (chunk.kind === "header") {
    const sentences = chunk.text.split(/(?<=\.)\s+(?=\p{Lu})/u);
    // several of the document's facts asked together: each one's sentence, in the passage's order
    const asked = question ? docFactsAsked(fold(question)) : [];
    if (asked.length > 1) {
      const own = sentences.filter((s) => asked.some((k) => HEADER_SENTENCE[k].test(s)));
      if (own.length > 1) return clipText(own.join(" "), max);
    }
    const want = wants.doc ? sentences.find((s) => HEADER_SENTENCE[wants.doc!].test(s)) : undefined;
    return clipText(want ?? chunk.text, max);
  }
  if (wants.basis) {
    const basis = basisClause(chunk.text, wants.basis);
    if (basis) return clipText(basis.clause, max);
  }
  let cands = candidates(chunk.text);
  // a passage split by school level ("Tiểu học: …", "THCS: …", "THPT và GDTX: …"): the level asked leads
  const asked = question ? levelsIn(question) : [];
  if (asked.length === 1) {
    const own = cands.filter((c) => levelsIn(c).includes(asked[0]!));
    if (own.length && own.length < cands.length && cands.some((c) => levelsIn(c).some((l) => l !== asked[0]))) cands = own;
  }
  // what a unit must do, under its own heading: its first task leads (the list is in the citation)
  if (wants.duty && question && namesUnitOf(question, heading ?? "") && cands[0]) return clipText(cands[0].replace(/[;:,]\s*$/, ""), max);
  let best = cands[0] ?? chunk.text;
  let bestScore = -1;
  for (const c of cands) {
    const sc = sentenceScore(c, coverage, wants);
    if (sc > bestScore + 1e-9) {
      best = c;
      bestScore = sc;
    }
  }
  return clipText(best.replace(/[;:,]\s*$/, ""), max);
}

// ---------------------------------------------------------------- terms and abbreviations

export interface TermQuestion {
  /** The term asked about, as typed. */
  term: string;
  foldedTerm: string[];
  /** "viết tắt": the user asks for (or about) an abbreviation. */
  abbreviation: boolean;
}

/**
 * "X là gì?", "X nghĩa là gì?", "X viết tắt của gì?", "X viết tắt là gì?" with a short X. After a clause that sets the
 * scene ("Kế hoạch Hưng Yên có nhắc PPP, PPP là gì?") the term is the last clause's; a demonstrative there ("…, viết tắt
 * đó là gì", "…, từ này nghĩa là gì") points at what the clause before mentions ("nhắc PPP", "có ghi SSO").
 */
export function termQuestionOf(question: string): TermQuestion | null {
  // "SSO là gì thế? Em thấy trong kế hoạch xã có nhắc": the sentence that asks holds the term; what follows sets the scene
  const asked = question.split(/(?<=\?)\s+(?=\S)/u);
  if (asked.length > 1) {
    for (const s of [...asked.filter((x) => /\?\s*$/u.test(x)), asked.at(-1)!]) {
      const own = termQuestionOf(s);
      if (own) return own;
    }
    return null;
  }
  const clauses = question.split(/\s*[,;:]\s+/u).filter((c) => /[\p{L}\p{N}]/u.test(c));
  if (clauses.length > 1) {
    const last = clauses.at(-1)!;
    // "…, viết tắt đó là gì", "…, là viết tắt của gì": the clause names no term of its own
    const demo = /^(?:(?:chu|tu|cum tu|ky hieu|ten) )?(viet tat )?(?:(?:do|nay|kia|ay) )?(la gi|nghia la gi|co nghia la gi|(?:la )?viet tat (?:cua|la) gi)\b/.exec(fold(last).replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ").trim());
    if (demo) {
      const toks = rawTokens(clauses.at(-2)!);
      const f = toks.map(foldSyllable);
      const at = Math.max(...["nhac", "ghi", "dung", "viet", "thay", "noi", "neu"].map((w) => f.lastIndexOf(w)));
      let from = at + 1;
      while (from < f.length - 1 && ["den", "toi", "chu", "tu", "cum", "ky", "hieu", "la", "ve"].includes(f[from]!)) from++;
      if (at >= 0 && from < f.length && f.length - from <= 4)
        return termQuestionClause(`${toks.slice(from).join(" ")} ${demo[1] || demo[2]!.includes("tat") ? "viết tắt là gì" : "là gì"}`);
      return termQuestionClause(question);
    }
    const own = termQuestionClause(last);
    // "…, cái đó là gì": a demonstrative alone names no term
    if (own && own.foldedTerm.every((w) => ["cai", "do", "nay", "kia", "ay", "no", "chu", "tu", "viet", "tat"].includes(w))) return null;
    if (own) return own;
  }
  return termQuestionClause(question);
}

/** Words naming the kind of thing an abbreviation stands for ("viết tắt của hệ thống gì"). */
const TERM_KINDS = new Set(["he thong", "cum tu", "tu", "chu", "cai", "ten", "cum", "nen tang", "phan mem", "chuong trinh", "mo hinh", "hinh thuc", "cong nghe", "dich vu", "tieng anh"]);

function termQuestionClause(question: string): TermQuestion | null {
  const raw0 = rawTokens(question);
  // "viết tắt của hệ thống gì", "viết tắt của cụm từ nào": the kind of words named before "gì" is not part of the tail
  const f0 = raw0.map(foldSyllable);
  const noun = (i: number) => (TERM_KINDS.has(`${f0[i]} ${f0[i + 1]}`) ? 2 : TERM_KINDS.has(f0[i]!) ? 1 : 0);
  const raw = raw0.filter((_, i) => {
    for (let k = 1; k <= 2; k++) {
      const from = i - k + 1;
      if (from < 3 || f0[from - 3] !== "viet" || f0[from - 2] !== "tat" || f0[from - 1] !== "cua") continue;
      const n = noun(from);
      if (n >= k && ["gi", "nao"].includes(f0[from + n]!)) return false;
    }
    return true;
  }).map((t, i, a) => (foldSyllable(t) === "nao" && foldSyllable(a[i - 1] ?? "") === "cua" && foldSyllable(a[i - 2] ?? "") === "tat" ? "gì" : t));
  const f = raw.map(foldSyllable);
  const tails: string[][] = [
    ["la", "viet", "tat", "cua", "gi"], ["viet", "tat", "cua", "gi"], ["viet", "tat", "la", "gi"], ["viet", "tat", "nhu", "the", "nao"],
    ["co", "nghia", "la", "gi"], ["nghia", "la", "gi"], ["la", "cai", "gi"], ["la", "hinh", "thuc", "gi"], ["la", "gi"], ["la", "nhu", "the", "nao"], ["nghia", "la", "sao"],
  ];
  // words addressing the reader after the question ("… hả cô?", "… vậy cháu?"), and chat particles
  const trailing = ["vay", "a", "nhi", "the", "ha", "nhe", "nha", "ban", "oi", "co", "chau", "chu", "anh", "chi", "bac", "thay"];
  for (const t of tails) {
    for (let i = 1; i + t.length <= f.length; i++) {
      if (!t.every((w, k) => f[i + k] === w)) continue;
      const after = f.slice(i + t.length).filter((w) => !trailing.includes(w));
      // a plan or place asked of after the question ("… viết tắt là gì trong kế hoạch Đầm Hà") scopes it
      // so does it after "là gì" / "nghĩa là gì" when the term is one word in capitals ("PPP nghĩa là gì trong kế hoạch Hưng Yên")
      const caps = /^[\p{Lu}\d]{2,}$/u.test(raw[i - 1]!) && (i === 1 || ["cho", "toi", "hoi", "xin", "ban", "oi", "chu", "tu"].includes(f[i - 2]!));
      const scoped = after.length > 1 && ["trong", "o", "tai", "cua"].includes(after[0]!) && (t.includes("tat") || caps);
      // "X là cái gì mà …": the clause after "mà" says where X is met, not what is asked
      if (after.length && !scoped && after[0] !== "ma") continue;
      // "viết tắt của X là gì", "tên viết tắt của X là gì": X's short form is asked
      const lead = t[0] === "la" && !t.includes("tat") ? /^(?:ten )?viet tat (?:cua )?/.exec(f.slice(0, i).join(" ")) : null;
      if (lead) {
        const from = lead[0].trim().split(" ").length;
        if (i - from < 1 || i - from > 7) return null;
        return { term: raw.slice(from, i).join(" "), foldedTerm: f.slice(from, i), abbreviation: true };
      }
      let start = 0;
      while (start < i && ["cho", "toi", "hoi", "xin", "ban", "oi", "cac", "trong", "ke", "hoach"].includes(f[start]!) && i - start > 1) start++;
      // the plan or place asked of is not part of the term: "PPP trong kế hoạch Hưng Yên", "SSO ở xã Tân Kỳ" (a tail of
      // place words only: "… của Phòng giáo dục Đầm Hà có ký hiệu" asks something else)
      // "… ghi 'Sở GDĐT', chữ GDĐT là viết tắt của gì": the abbreviation after "chữ" is the term
      const chu = f.lastIndexOf("chu", i - 2);
      if (chu >= start && /^\p{Lu}{2,}/u.test(raw[chu + 1]!)) start = chu + 1;
      let end = i;
      // "X mà kế hoạch … nói là gì": the clause after "mà" says where X is met
      const ma = f.indexOf("ma", start + 1);
      if (ma > start && ma < i - 1) end = ma;
      for (let k = start + 1; k < end - 1; k++)
        // "… trong kế hoạch chuyển đổi số tân kỳ" typed without capitals: a plan named after "trong" scopes the term too
        if (["trong", "o", "tai", "cua"].includes(f[k]!) && ((f[k + 1] === "ke" && f[k + 2] === "hoach") || f[k + 1] === "kh" || raw.slice(k + 1, end).every((w, n) => ["ke", "hoach", "kh", "tinh", "xa", "huyen", "thanh", "pho", "tp"].includes(f[k + 1 + n]!) || /^\p{Lu}/u.test(w)))) {
          end = k;
          break;
        }
      const term = raw.slice(start, end);
      if (term.length < 1 || term.length > 7) return null;
      return { term: term.join(" "), foldedTerm: f.slice(start, end), abbreviation: t.includes("tat") };
    }
  }
  return null;
}

/**
 * "X tiếng Anh (gọi) là gì?", "X tên tiếng Anh là gì?": the term X (folded), without the place or plan it is asked of
 * ("… ở Đầm Hà"), or null when the question does not ask for an English name.
 */
export function englishNameAsked(question: string): string[] | null {
  const f = rawTokens(question).map(foldSyllable);
  const at = f.findIndex((w, i) => w === "tieng" && f[i + 1] === "anh");
  if (at < 1 || !/^(goi |la |thi |co )*(la )?(gi|nhu the nao|ra sao)\b/.test(f.slice(at + 2).join(" ") || "x")) return null;
  let term = f.slice(0, at);
  while (term.length && ["ten", "bang", "goi", "duoc", "thi"].includes(term.at(-1)!)) term = term.slice(0, -1);
  // the place or plan it is asked of is not part of the term
  const cut = term.findIndex((w, i) => i > 0 && ["o", "tai", "cua", "trong", "theo"].includes(w));
  if (cut > 0) term = term.slice(0, cut);
  while (term.length && ["cho", "toi", "hoi", "xin", "ban", "oi", "cac"].includes(term[0]!)) term = term.slice(1);
  return term.length ? term : null;
}

/**
 * English names a text gives in brackets after a Vietnamese term ("lớp học đảo ngược (Flipped Classroom)"), each with
 * the words before it (back to the previous bracket or sentence break), for matching the term asked.
 */
export function englishNamesIn(text: string): Array<{ before: string; english: string }> {
  const t = text.replace(/\s*\n\s*/g, " ");
  const out: Array<{ before: string; english: string }> = [];
  for (const m of t.matchAll(/\(([A-Za-z][A-Za-z ,\-]{2,80})\)/g)) {
    const english = m[1]!.trim();
    // an abbreviation in capitals ("(LMS)") is not an English name
    if (!/[a-z]/.test(english)) continue;
    const head = t.slice(0, m.index);
    const from = Math.max(head.lastIndexOf(")"), head.search(/[.;:][^.;:]*$/));
    out.push({ before: head.slice(from + 1).trim(), english });
  }
  return out;
}

/** A known sector abbreviation the term names, either way ("TTKDTM" or "thanh toán không dùng tiền mặt"). */
export function knownAbbreviation(term: TermQuestion): { short: string; long: string; askedShort: boolean } | null {
  const ft = term.foldedTerm.join(" ");
  for (const a of ABBREVIATIONS) {
    if (!/^[\p{Lu}Đ]{2,}$/u.test(a.short) || a.exact) continue;
    if (rawTokens(a.short).map(foldSyllable).join(" ") === ft) return { short: a.short, long: a.long, askedShort: true };
    if (term.abbreviation && rawTokens(a.long).map(foldSyllable).join(" ") === ft) return { short: a.short, long: a.long, askedShort: false };
  }
  return null;
}

/** Where a folded token run occurs in a text: its span there (the text's own words), or null. */
export function findPhrase(text: string, folded: string[]): { words: string; start: number; end: number } | null {
  const toks = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const f = toks.map((m) => foldSyllable(m[0]));
  for (let i = 0; i + folded.length <= f.length; i++)
    if (folded.every((w, k) => f[i + k] === w)) {
      const start = toks[i]!.index!;
      const last = toks[i + folded.length - 1]!;
      const end = last.index! + last[0].length;
      return { words: text.slice(start, end), start, end };
    }
  return null;
}

/** The sentence of a text holding a phrase (cut at ";" only when very long). */
export function clauseWith(text: string, folded: string[]): string | null {
  for (const line of text.split("\n"))
    for (const s of splitSentences(line))
      for (const c of s.length > 420 ? s.split(/;\s+/) : [s]) if (findPhrase(c, folded)) return stripBullet(c).replace(/[;:,]\s*$/, "");
  return null;
}

/**
 * Does the text define the phrase? "… (X)" / "X (…)" / "X là …" / "X”, cụ thể: …".
 * Returns the defining sentence.
 */
export function definitionIn(text: string, folded: string[]): string | null {
  const clause = clauseWith(text, folded);
  if (!clause) return null;
  const span = findPhrase(clause, folded)!;
  const before = clause.slice(0, span.start);
  const after = clause.slice(span.end);
  if (/\(\s*$/.test(before) || /^\s*\(/.test(after)) return clause;
  if (/^\s*[”"»]?\s*(?:,\s*cụ thể|\s+là\s|:)/u.test(after)) return clause;
  return null;
}

// ---------------------------------------------------------------- declines

export type DeclineKind = "smalltalk" | "report_data" | "personal_data" | "injection" | "school_matter";

const INJECTION = [
  /bo qua (moi |tat ca |cac )?(huong dan|chi dan|chi thi|quy tac|yeu cau|lenh)/,
  /quen (moi|het|tat ca|cac) (quy tac|huong dan)/,
  /\bignore (all |any |the )?(previous|prior|above)/,
  /system prompt|prompt he thong|\bprompt\b/,
  /dong vai|gia vo la|you are now|ban bay gio la/,
];
const PERSONAL = /\bai (la|lam) (hieu truong|hieu pho|truong phong|pho truong phong|pho phong|giam doc|pho giam doc|chu tich|pho chu tich|bi thu|to truong|to pho|giao vien chu nhiem|co chu nhiem|thay chu nhiem)\b|\b(hieu truong|truong phong|giam doc|chu tich|to truong) .*\b(la ai|ten (la )?gi)\b|so dien thoai|\bsdt\b|\b(so|ma) (dinh danh|can cuoc|cccd|cmnd|bhxh|bao hiem xa hoi)( (ca nhan|cong dan))? cua (con|chau|toi|em|minh|thay|co|ong|ba|anh|chi)\b|\bso (cccd|cmnd|can cuoc( cong dan)?) (cua|la)\b|\b(tra|tra cuu|xin|gui|lay|tim|cho (toi|minh|em))( giup| ho)? (so )?(cccd|cmnd|can cuoc|ngay sinh|nam sinh|que quan)\b|email|dia chi nha|mat khau (cua|wifi|la|tai khoan cua|email)|(cho|xin|gui|doi|lay lai|quen|mat) (toi |minh |em )?(xin )?mat khau|password|api key|(?<!usb )token|thong tin ca nhan cua|ho so ca nhan cua|danh sach (giao vien|hoc sinh|can bo)|ten (cua )?(cac )?giao vien|lien lac (cua|voi) (co|thay|hieu truong)/;
const REPORT =
  /\b(da|hien) (co|dat|dung|trien khai|thu|nop|lam) (duoc )?(bao nhieu|may)\b|(bao nhieu|may) (truong|don vi|co so|lop|giao vien|hoc sinh|can bo) .*\b(da|hien) (co|dat|dung|trien khai|lam|duoc|tham gia|nop)\b|\bket qua .*\b(cua truong|nam nay|thang nay|quy nay|ky nay|hien nay)\b|duoc bao nhieu .*\broi$|(truong|don vi|xa|phuong|noi|ai) nao (dang |da |van |con )?(cham|tre|chua|khong|it) (bao cao|nop)|chua (bao cao|nop bao cao)|(da|co) (bao cao|nop bao cao|nop) chua|tre han|cham (bao cao|nop)|ket qua bao cao|so lieu (da |duoc )?(bao cao|nop)|du lieu (da |duoc )?bao cao|(tong hop|thong ke) .*\b(thang|quy|ky|hoc ki|hoc ky|tuan) nay\b|\b(tong hop|thong ke) .*\bhom nay\b|\b(ty le|ti le|so|bao nhieu|danh sach|may) (cac )?(truong|don vi|co so|xa|phuong) (da|chua) (bao cao|nop|nhap|cap nhat)\b|bao cao cua (truong|don vi|cac truong)|in ra (toan bo |tat ca )?(du lieu|co so du lieu|database|bang)/;
/**
 * Where units stand now, asked of a plan's target: which units have not yet done it ("Những trường nào … chưa
 * chuyển sang IPv6?"), whether a target has been met or a report sent ("… đã đạt mục tiêu 50% … chưa?", "… đã gửi
 * báo cáo quý chưa?"), or where a rate stands now ("… hiện đang đạt bao nhiêu?", "đang là bao nhiêu"). Plans set targets;
 * how far units got is in their reports.
 */
const REPORT_STATUS =
  /\b(ty le|ti le|so lieu|ket qua)\b.*\b(quy (1|2|3|4|i|ii|iii|iv|nay|truoc|vua qua)|thang (\d{1,2}|nay|truoc|vua qua))\b.*\b(cua|o|trong) (cac )?(truong|don vi|co so)\b|\b(truong|don vi|co so|xa|phuong|lop|noi) nao\b.*\b(chua|van chua|con chua)\b|\bda (dat|hoan thanh|thuc hien xong|trien khai xong|lam xong|nop|gui|bao cao|cap nhat|nhap)\b.*\bchua$|\b(hien |van )?dang (la|dat|co|o muc) (duoc )?(bao nhieu|may)\b/;
/** Personal questions to the bot itself ("Bạn tên là gì?", "Bạn bao nhiêu tuổi?"): small talk. */
const ABOUT_BOT =
  /^(ban|bot|em|anh|chi)( oi)?( co)? (ten (la )?gi|la ai|bao nhieu tuoi|may tuoi|nguoi yeu|co nguoi yeu|co gia dinh|co vo|co chong|khoe khong|an (com )?chua|song o dau|o dau|thich gi|dang lam gi|lam nghe gi|la nguoi hay may|la nguoi that)|\b(ban|bot) (co khoe khong|khoe khong|ten (la )?gi|bao nhieu tuoi|may tuoi|co nguoi yeu( chua)?|la nguoi hay may)\b/;
const GREETING = /^(xin )?chao( ban| bot| ad| admin| anh| chi| em| moi nguoi| ca nha| buoi sang| buoi toi)*( a| nhe| nha| nhe)*$|^(hi|hello|alo|a lo|hey)( ban| bot)?$/;
const THANKS = /^((ok|oke|okay|vang|da|u|uh|duoc roi|tot qua)\s*)*(cam on|thank|thanks|tks|thank you|ok|oke|vang a|(?:toi |em )?dong y|duoc|(?:da )?hieu roi|ro roi)( ban| bot| nhieu| nhe| nha| a| rat nhieu| nhe)*$/;
// a second school type after the first ("trường TH THCS", "trường MN TH") names a kind of school, not one school
const SCHOOL_TYPES = /(?:trường|Trường)\s+(?:Tiểu học|tiểu học|THCS|THPT|Mầm non|mầm non|MN|TH|TH&THCS|Trung học cơ sở|Trung học phổ thông)\s+(?!(?:THCS|THPT|TH|MN|GDTX|Tiểu học|Mầm non|Trung học)(?![\p{L}\p{N}]))((?:\p{Lu}\p{Ll}*\s*){1,3})/u;

/**
 * Pieces of chatter, folded: thanks, praise of the answers, good wishes and goodbyes (kind "thanks"), greetings, laughter and
 * requests for a joke or a song (kind "play"). A message made of these and of words addressing the bot is small talk.
 */
const CHATTER: Array<{ re: RegExp; kind: "thanks" | "play" }> = [
  { re: /\b(cam on|camon|thank you|thanks|thank|tks|thks)\b/g, kind: "thanks" },
  { re: /\b(tra loi )?(gioi|hay|tuyet voi|tuyet|xuat sac|thong minh|de hieu|chi tiet|nhanh|chuan|tot|pro|xin|dinh|ok|on)( (qua|lam|ghe|that|the|vay|nhi|ghe gom|di|luon|nha|nhe))+\b|\b(tra loi|giai thich) (gioi|hay|de hieu|chi tiet|nhanh|ro rang|tot)\b|\b(gioi|tuyet voi|xuat sac)\b/g, kind: "thanks" },
  { re: /\bchuc( (ban|bot|ad|em|anh|chi|moi nguoi|ca nha))? (ngu ngon|(mot )?(buoi|ngay|cuoi tuan|tuan)( \p{L}+)? (vui ve|tot lanh|an lanh|hanh phuc|vui)|suc khoe|vui ve|thanh cong)\b/gu, kind: "thanks" },
  { re: /\b(tam biet|bye bye|bye|bai bai|hen gap lai|ngu ngon)\b/g, kind: "thanks" },
  { re: /\b(hi hi|ha ha|(hi){2,}|(ha){2,}|(he){2,}|(ho){2,}|(ka){2,}|(ke){2,}|(hu){2,}|hic|kk+|lol)\b/g, kind: "play" },
  // a joke about anything is still a joke ("kể chuyện cười về giáo viên"); a song or a poem only as asked of the bot
  { re: /\bke( cho (toi|em|minh|tui) nghe)?( (mot|1))?( cau| mau)? chuyen (cuoi|vui|hai)( ve( \p{L}+)+)?|\b(biet )?(hat|doc tho|lam tho)( (cho|tang) (toi|em|minh|tui) nghe)?( (mot|1) bai)?( (di|khong))?\s*$/gu, kind: "play" },
  { re: /\b(xin )?chao( buoi (sang|trua|chieu|toi))?\b|\b(hom nay )?(co )?khoe khong\b/g, kind: "play" },
];
/** Words that address the bot or soften a message, with no content of their own. */
export const CHATTER_FILLERS = new Set(
  "ban bot ad admin oi hom cho nghe giup nhe nha nhe a ah a ha nhieu rat lam qua ghe that nhi di em anh chi toi minh tui nay da vang ok oke nhe nhe vay the thi nua cai roi luon nhe voi co khong biet duoc do buon chan".split(" "),
);

/** A message made only of chatter (thanks, praise, wishes, laughter, a joke asked) and words addressing the bot, or null. */
export function chatterOf(question: string): "thanks" | "play" | null {
  let q = ` ${fold(question).replace(/[^\p{L}\p{N}%\s]/gu, " ").replace(/\s+/g, " ").trim()} `;
  if (q.trim().split(" ").length > 14) return null;
  let kind: "thanks" | "play" | null = null;
  for (const c of CHATTER) {
    const next = q.replace(c.re, " ");
    if (next !== q) kind ??= c.kind;
    q = next;
  }
  return kind && q.trim().split(/\s+/).filter(Boolean).every((w) => CHATTER_FILLERS.has(w)) ? kind : null;
}

/** A short thank-you or acknowledgement ("cảm ơn nhé", "ok thanks", "đồng ý", "hiểu rồi ạ"), or thanks and praise ("cảm ơn, bot giỏi quá"). */
export function isThanks(question: string): boolean {
  const q = fold(question).replace(/[^\p{L}\p{N}%\s]/gu, " ").replace(/\s+/g, " ").trim();
  return (q.split(" ").length <= 6 && THANKS.test(q) && !GREETING.test(q)) || chatterOf(question) === "thanks";
}

/**
 * Questions answered without looking at the plans: greetings and thanks, requests for personal or
 * report data, attempts to change the rules, and one school's own business. `places` are the
 * folded place names the plans cover (a school named after one of them may be the plan's own example).
 */
export function declineReasonOf(question: string, places: string[] = []): DeclineKind | null {
  const q = fold(question).replace(/[^\p{L}\p{N}%\s]/gu, " ").replace(/\s+/g, " ").trim();
  if (!q) return null;
  const words = q.split(" ").length;
  if (words <= 6 && (GREETING.test(q) || THANKS.test(q))) return "smalltalk";
  if (words <= 9 && ABOUT_BOT.test(q)) return "smalltalk";
  if (chatterOf(question)) return "smalltalk";
  if (INJECTION.some((re) => re.test(q))) return "injection";
  if (PERSONAL.test(q) && !(SIGNER_ASKED.test(q) && !/so dien thoai|\bsdt\b|email|dia chi|mat khau/.test(q))) return "personal_data";
  if (REPORT.test(q) || REPORT_STATUS.test(q)) return "report_data";
  const school = SCHOOL_TYPES.exec(question.normalize("NFC"));
  const own = /hoc phi|bao nhieu tien|diem (thi|so|cua)|co giao|thay giao|co chu nhiem/.test(q);
  const named = school && !places.some((p) => fold(school[1]!).trim().startsWith(p) || /^(thi tran|xa)\b/.test(fold(school[1]!)));
  // one school's own figures ("Trường THCS thị trấn Đầm Hà có bao nhiêu phòng máy?"): no plan holds them, even for a school a plan names
  if (/^(truong|nha truong) (tieu hoc|thcs|thpt|mam non|mn|th|trung hoc co so|trung hoc pho thong)\b.*\b(co|gom) (bao nhieu|may)\b/.test(q) && !/phan tram|ti le|ty le/.test(q))
    return "school_matter";
  // one named school's standing now ("Trường THCS thị trấn Đầm Hà năm nay đạt mức mấy?"), even a school a plan names: report data
  if (NAMED_SCHOOL.test(q) && !own && /\b(nam nay|hien nay|hien tai|thang nay|quy nay|hoc k[iy] nay|da dat|dat duoc|dat muc|xep loai|xep hang)\b/.test(q)) return "report_data";
  if (named) {
    if (!own && /(thang|quy|nam|ky|hoc ki|hoc ky) nay|hien (nay|tai)|da dat|dat duoc|bao cao/.test(q)) return "report_data";
    return "school_matter";
  }
  if (/\b(con (toi|em|minh)|chau (toi|nha toi))\b/.test(q) && /co giao|thay giao|co chu nhiem|diem|bao nhieu tien|so lien lac|bi phat|bi danh/.test(q)) return "school_matter";
  return null;
}

// ---------------------------------------------------------------- kinds of questions no plan answers

/**
 * Kinds of question recognizable on their own as outside the plans, each with its own "whom to ask":
 * an office's address or phone (office_contact), weather, prices and news (news), a school's calendar
 * and days off (school_calendar), admission procedures, forms and links (admission), exam dates,
 * results and scores (exam), one child's own accounts, marks or records (child_record), and where to sign up for a
 * class or a programme (enrolment).
 * Plans set targets for digital services (online admission, the exam registration service), so a
 * question is taken as off topic only by what it asks for: a link or a procedure, a date or a result.
 */
export type OffTopic = "office_contact" | "news" | "school_calendar" | "admission" | "exam" | "child_record" | "enrolment";

const OFFICE = /\b(so (gd|gddt|giao duc)|phong (gd|gddt|giao duc|van hoa)|van phong|ubnd|uy ban|bo (gd|gddt|giao duc)|truong|nha truong|co quan)\b/;
const CONTACT =
  /\b(dia chi|tru so|so dien thoai|sdt|dien thoai (lien he|lien lac|cua)|goi dien|hotline|duong day nong|(email|hop thu) (cua|lien he|la gi)|dia chi email|fax|gio lam viec|lam viec (tu|luc|vao) may gio)\b|\b(nam|o) (o )?(dau|cho nao)( duong nao| pho nao)?$|\b(duong|pho|so nha) nao$/;
/**
 * A contact or an address of software, a portal or a form is what plans give ("phần mềm … tại địa chỉ http://…"),
 * and so is a network's address range ("mạng nội bộ chuyển sang dải địa chỉ IPv6").
 */
const CONTACT_NOT_OFFICE = /\b(so dien thoai|sdt|dien thoai|email|dia chi) (cua )?(co|thay|anh|chi|ong|ba) (?!quan\b|so\b)[a-z]+|phan mem|\bweb|trang (thong tin|tin)|cong thong tin|he thong|ung dung|nen tang|bieu mau|\blink|bao cao|\bgui\b|\bnop\b|dang nhap|thu dien tu|hoc lieu|bai giang|mang lan|ipv[46]|\bip\b|dai dia chi|mang (noi bo|lan|wan|internet)|hieu truong|hieu pho|giao vien|\b(co|thay) (giao|chu nhiem)|truong phong|giam doc|chu tich|to truong|can bo/;
const NEWS = /\b(du bao (bao|thoi tiet|mua|nang|lu|ret)|thoi tiet|mua bao|mua lu|bao so|con bao|du bao thoi tiet|nhiet do|gia vang|gia xang|gia dien|gia (do la|usd|dola)|t[iy] gia|chung khoan|co phieu|xo so|bong da|ket qua (tran|bong da|xo so)|tin tuc|thoi su|lich phat song)\b/;
/**
 * Newly issued rules asked as news ("Bộ có ra thông tư mới nào về học bạ số không?", "nghị định mới nhất"): the plans
 * cite the documents they implement, they do not follow what is issued after them. Not a plan's own citations.
 */
const NEW_RULES = /\b(thong tu|nghi dinh|luat|quyet dinh|quy dinh|van ban|chinh sach|huong dan) moi( (nhat|nao|gi|ban hanh|ra))?\b/;
const NEW_RULES_ISSUER = /\b(bo|chinh phu|thu tuong|quoc hoi|nha nuoc|so)\b.*\b(ra|ban hanh|co)\b|\bmoi (nhat|nao|ban hanh|ra)\b/;
const CALENDAR =
  /\b(nghi (hoc|le|tet|he|bu|hoc ki|hoc ky)|lich nghi|duoc nghi|cho (hoc sinh )?nghi|khai giang|be giang|tuu truong|lich hoc|thoi khoa bieu (cua|lop|tuan)|gio (vao lop|tan hoc|tan truong|ra ve)|ngay (le|tet))\b/;
/** A school's own events (a parent meeting, the opening day) asked by their date: each school sets them. */
const SCHOOL_EVENT = /\b(hop phu huynh|hop cha me|hoi nghi cha me|hop lop|khai giang|tuu truong|be giang|le tong ket)\b/;
const EVENT_WHEN = /\b(khi nao|bao gio|ngay nao|hom nao|luc nao|thang may|may gio|thu may|vao ngay)\b/;
const ADMISSION_TOPIC = /\b(tuyen sinh|nhap hoc|chuyen truong|xin hoc|xin cho con|dang k[iy] (hoc|vao|cho con)|vao lop (1|6|10)|thi vao|diem chuan)\b/;
const ADMISSION_HOW =
  /\b(link|duong link|duong dan|website|trang web|trang nao|o dau|thu tuc|ho so|giay to|mau don|cach dang k[iy]|dang k[iy] (the nao|nhu the nao|ra sao|bang cach nao)|bao nhieu diem|may diem|diem chuan|chuyen truong|xin hoc|xin cho con)\b/;
const EXAM =
  /\b(ket qua|diem|diem chuan|lich|ngay|phong) (thi|k[iy] thi|cuoc thi)\b|\bthi (tot nghiep|hoc sinh gioi|vao lop|tuyen sinh|dai hoc|hoc k[iy]|cuoi k[iy]|giua k[iy])\b.*\b(khi nao|bao gio|ngay nao|hom nao|luc nao|thang may|bao nhieu diem|may diem|ket qua|diem)\b|\bphuc khao\b|\bcong bo (ket qua|diem)\b/;
/**
 * Where or how to sign up for a class, a course or a programme ("học kỹ năng số thì đăng ký ở đâu", "ghi danh lớp … bằng
 * cách nào"): plans name the classes and programmes they run, never where a citizen or a teacher enrols (enrolment).
 */
const SIGN_UP = /\b(dang k[iy]|ghi danh|ghi ten)\b/;
const SIGN_UP_HOW = /\b(o dau|cho nao|noi nao|voi ai|the nao|nhu the nao|ra sao|bang cach nao|lam sao|cach nao|link nao|trang nao|o link|duong link)\b|\b(dang k[iy]|ghi danh|ghi ten) (o|tai) (dau|phuong|xa|truong)\b/;
/** A school's own exam (term tests), not a public one: asked of the school. */
const SCHOOL_EXAM = /\b(hoc k[iy]|giua k[iy]|cuoi k[iy]|kiem tra)\b/;
const CHILD = /\b(con (toi|em|minh|nha toi)|chau (toi|nha toi|em))\b/;
const CHILD_RECORD = /\b(tai khoan|mat khau|diem|hoc ba|ket qua hoc tap|so lien lac|hanh kiem|bi (phat|danh|ki luat|ky luat))\b/;
/** The record is the child's own ("tài khoản của con", "con tôi được cấp …", "con em chưa có …"), not the plan's topic asked by a parent. */
const CHILD_OWNS = /\bcua (con|chau)\b|\b(con|chau) (toi|em|minh|nha toi) (chua|duoc|bi|quen|mat|khong|van)\b/;

/** A school named after its level ("trường THCS xã Đầm Hà", "trường Tiểu học Hoa Mai"), or the asker's child's school. */
const NAMED_SCHOOL =
  /\btruong (tieu hoc|thcs|thpt|mam non|mn|th|th thcs|thcs thpt|trung hoc co so|trung hoc pho thong|ptdtbt|pt dtbt)( (thi tran|xa|phuong))? (?!(o|tai|cua|tren|trong|co|nao|duoc|phai|va|deu|dat|thuoc|tren|hien|nam|nay|da|can)\b)[a-z]+|\btruong (cua )?(con|chau) (toi|em|minh)\b/;

/**
 * Why a question is outside the plans by its kind alone, or null: out_of_scope, or school_matter when
 * it concerns one named school or one child (ask the school). Matched on folded text, so questions
 * typed without diacritics are recognized alike.
 */
export function offTopicOf(question: string): { reason: "out_of_scope" | "school_matter"; topic: OffTopic } | null {
  const q = fold(question).replace(/[^\p{L}\p{N}%\s]/gu, " ").replace(/\s+/g, " ").trim();
  if (!q) return null;
  const school = NAMED_SCHOOL.test(q);
  if (NEWS.test(q) || (NEW_RULES.test(q) && NEW_RULES_ISSUER.test(q) && !/\b(ke hoach|can cu|dan chieu|dan ra|nhac (den|toi)|neu)\b/.test(q)))
    return { reason: "out_of_scope", topic: "news" };
  if (CONTACT.test(q) && OFFICE.test(q) && !CONTACT_NOT_OFFICE.test(q)) return { reason: "out_of_scope", topic: "office_contact" };
  if (EXAM.test(q)) return { reason: SCHOOL_EXAM.test(q) || (school && !/\bthi vao\b/.test(q)) ? "school_matter" : "out_of_scope", topic: "exam" };
  if (ADMISSION_TOPIC.test(q) && ADMISSION_HOW.test(q)) return { reason: school ? "school_matter" : "out_of_scope", topic: "admission" };
  if (CALENDAR.test(q)) return { reason: school ? "school_matter" : "out_of_scope", topic: "school_calendar" };
  if (SIGN_UP.test(q) && SIGN_UP_HOW.test(q)) return { reason: "out_of_scope", topic: "enrolment" };
  // "Khi nào trường họp phụ huynh?": the school's own calendar, whichever school
  if (SCHOOL_EVENT.test(q) && EVENT_WHEN.test(q) && !/\btruc tuyen|\bso hoa|nen tang|phan mem/.test(q))
    return { reason: school || /\b(truong|nha truong|lop)\b/.test(q) ? "school_matter" : "out_of_scope", topic: "school_calendar" };
  if (CHILD.test(q) && CHILD_RECORD.test(q) && CHILD_OWNS.test(q)) return { reason: "school_matter", topic: "child_record" };
  return null;
}

// ---------------------------------------------------------------- what a passage can answer

/**
 * Money asked for: prices, fees, salaries, budgets in đồng (the plans state no amount of money).
 * Matched on the question as typed when it carries diacritics ("giá" is not "gia" of "quốc gia",
 * "lương" not "lượng", "mấy" not "máy"); on folded text only when it was typed without them ("luong giao vien … bao
 * nhieu" is a salary unless "chat/so/dung luong" makes it a quality or a quantity).
 */
const MONEY_ASKED =
  /(^|\s)(?<!đánh |định |trị )giá\s|bao nhiêu tiền|(tỷ|triệu|nghìn|ngàn) đồng|(^|\s)(mua|bán)\s+(ở đâu|thế nào)|ở đâu rẻ|tốn bao nhiêu|(^|\s)lương(\s|$)|thu phí|(^|\s)phí\s.*bao nhiêu|(^|\s)(tiền|học phí)\s.*bao nhiêu|(đóng|nộp|trả) bao nhiêu|(thưởng|phạt) bao nhiêu/u;
const MONEY_ASKED_FOLDED =
  /(^| )(?<!(chat|so|dung|khoi|luc|trong|dinh|san|nang|ham|tang|giam|do|ton|hieu) )luong (cua )?(giao vien|nhan vien|can bo|hieu truong|co ban|thang|hop dong|toi thieu)\b.*\b(bao nhieu|may|the nao|ra sao)\b|(^| )(?<!danh |dinh )gia (mot|cua|ca|cuoc|tien|bao nhieu|ban)\b|bao nhieu tien|(ty|trieu|nghin|ngan) dong|\b(mua|ban) (o dau|the nao)|o dau re|ton bao nhieu|(tien|muc) luong|thu phi|(dong|nop|tra) bao nhieu|(thuong|phat) bao nhieu|(^| )(?<!danh |dinh )gia (?!dinh|tang|han|nhap|tri|ca)\S+( \S+)* (tam|khoang|het|mat) bao nhieu/;
const MONEY_STATED = /\d[\d.,]*\s*(đồng|đ\b|VNĐ|VND|triệu|tỷ|nghìn)/iu;

/**
 * Which bank, e-wallet, carrier or package to use: plans name no vendor ("Ví điện tử nào được dùng để đóng tiền học?",
 * "app ngân hàng nào", "gói cước nào rẻ"). Software the plans deploy ("phần mềm nào", "nền tảng nào") is not a vendor question.
 */
const VENDOR_ASKED = /\b(vi dien tu|ngan hang|app( ngan hang)?|nha mang|goi cuoc|goi internet|goi cap quang|thuong hieu|nha cung cap|cong ty) nao\b/;

/** "có bao nhiêu X", "gồm mấy X": a count of what exists (not a target rate). */
/**
 * A count asked: "có bao nhiêu X", "tuyển/lấy bao nhiêu X", or "số X … là bao nhiêu" of people, schools or rooms
 * ("Số học sinh toàn tỉnh là bao nhiêu?").
 */
const COUNT_ASKED =
  /(^|\s)(có|gồm|được cấp|cấp|lấy|tuyển|nhận)\s+((tất cả|tổng cộng|tổng số|cả thảy)\s+)?(bao nhiêu|mấy)\s+(?!phần trăm|%|tỉ lệ|tỷ lệ)\p{L}+|(^|\s)số\s+(lượng\s+)?(học sinh|giáo viên|nhà giáo|trường|lớp|phòng|máy tính|cán bộ)\s.*\b(là\s+)?(bao nhiêu|mấy)(?!\s+(phần trăm|%))/u;
const COUNT_ASKED_FOLDED =
  /\b(co|gom|duoc cap|cap|lay|tuyen|nhan) ((tat ca|tong cong|tong so|ca thay) )?(bao nhieu|may) (?!phan tram|%|ti le|ty le)\p{L}+|\bso (luong )?(hoc sinh|giao vien|nha giao|truong|lop|phong|may tinh|can bo) .*\b(la )?(bao nhieu|may)\b(?! (phan tram|%))/u;
/** An allowance for teachers ("phụ cấp ưu đãi", "trợ cấp"), which the plans never set, even as a percentage. */
const ALLOWANCE_ASKED = /\b(phu cap|tro cap)\b/;
const RATE_ASKED = /phan tram|%|\bti le|\bty le/;

/** A calendar day asked for ("vào ngày nào", "thứ mấy", "mấy giờ"), or when an event takes place. */
const DAY_ASKED = /\b(ngay nao|hom nao|thu may|may gio|vao ngay|ngay may)\b|\b(ngay hoi|hoi thi|cuoc thi|giai dau|le hoi|\ble) .*(khi nao|bao gio|luc nao)/;
const DAY_STATED = /\b\d{1,2}\/\d{1,2}\b|ngày\s+\d{1,2}\b|\d{1,2}\s+tháng\s+\d{1,2}/iu;

/**
 * Why a passage cannot answer a question it otherwise matches, or null: the question asks for money
 * and the passage states none; for a count of what exists and the passage holds no count (a rate or
 * a year is not one); or for a calendar day and the passage names none. Plans state targets and
 * deadlines, not prices, head counts or event days, so near-miss questions ("Tổ … gồm bao nhiêu thành
 * viên?", "Ngày hội … tổ chức vào ngày nào?") are declined instead of answered with an unrelated passage.
 */
/**
 * Step-by-step instructions for a service or an app ("Hướng dẫn từng bước …", "… từng bước với"): plans set targets and
 * give no user's steps. Not "từng bước" meaning gradually ("từng bước hoàn thiện"), which the plans use.
 */
const STEPS_ASKED = /^(huong dan|chi (toi|em|minh|giup)|cach)\b.*\b(tung buoc|cac buoc)\b|\b(tung buoc|cac buoc)( (voi|giup|nhe|nha|di|duoc khong|a))?$/;

/**
 * The papers an application needs ("cần nộp những giấy tờ gì", "hồ sơ gồm những gì"), or a ready-made template
 * ("cho tôi mẫu hợp đồng …", "xin mẫu đơn"): plans set targets; they list no one's papers and hold no templates.
 */
const PAPERS_ASKED = /\bgiay to (gi|nao)\b|\b(ho so|giay to)( \p{L}+){0,8} (gom|can) (nhung |co )?(gi|nhung gi)\b|\b(can|phai) (nop|chuan bi|mang) (nhung |cac )?(giay to|ho so)\b/u;
const TEMPLATE_ASKED = /\b(cho|xin|gui|tai|lay|co|can|soan) (toi |em |minh |giup |cho toi |cho em )?(cai |bo |file |ban )?mau (hop dong|don|to trinh|cong van|quyet dinh|bien ban|giay|van ban)\b/;

export function unsupportedBy(question: string, passage: string): "money" | "count" | "day" | "vendor" | "steps" | "papers" | null {
  const raw = question.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}%\s]/gu, " ").replace(/\s+/g, " ").trim();
  const q = fold(raw);
  const typedPlain = raw === q; // no diacritics at all
  if ((typedPlain ? MONEY_ASKED_FOLDED.test(q) : MONEY_ASKED.test(raw)) && !MONEY_STATED.test(passage) && !RATE_ASKED.test(q)) return "money";
  if ((typedPlain ? COUNT_ASKED_FOLDED.test(q) : COUNT_ASKED.test(raw)) && !RATE_ASKED.test(q) && !countNear(passage, countedNoun(q))) return "count";
  if (ALLOWANCE_ASKED.test(q) && !ALLOWANCE_ASKED.test(fold(passage))) return "money";
  if (DAY_ASKED.test(q) && !DAY_STATED.test(passage)) return "day";
  if (VENDOR_ASKED.test(q)) return "vendor";
  if (STEPS_ASKED.test(q) && !/\b[Bb]ước\s+\d/u.test(passage)) return "steps";
  if ((PAPERS_ASKED.test(q) && !/giấy tờ|hồ sơ gồm/iu.test(passage)) || (TEMPLATE_ASKED.test(q) && !/(^|[^\p{L}])mẫu(?!\s+(số|giáo))/iu.test(passage.replace(/biểu mẫu/giu, "")))) return "papers";
  return null;
}

/** The noun a count question counts ("có bao nhiêu giáo viên tin học" → "giao vien"), folded. */
function countedNoun(q: string): string | null {
  // "số X … là bao nhiêu": X is counted
  const of = /\bso (?:luong )?(hoc sinh|giao vien|nha giao|truong|lop|phong|may tinh|can bo)\b.* (?:bao nhieu|may)$/.exec(q);
  if (of) return of[1]!;
  const m = /\b(?:bao nhieu|may) ((?:\p{L}+)(?: (?:vien|sinh|hoc|bo|truong|phong|vi|so|lieu|nguoi|chuc))?)/u.exec(q);
  return m ? m[1]! : null;
}

/** A count in the passage, within a few words of the noun counted when the passage names it. */
function countNear(passage: string, noun: string | null): boolean {
  // "có mấy người", "bao nhiêu cái": a classifier names nothing to look for; any count will do
  if (!noun || /^(nguoi|cai|chiec|con|em|thu|loai|ban)\b/.test(noun)) return countIn(passage);
  const folded = fold(passage);
  const head = noun.split(" ")[0]!;
  const at: number[] = [];
  for (const w of [noun, head]) {
    const re = new RegExp(`\\b${w}\\b`, "g");
    for (let m; (m = re.exec(folded)); ) at.push(m.index);
    if (at.length) break;
  }
  if (!at.length) return false; // the passage does not even name what is counted
  // the same line, a few words either side ("THPT 119 giáo viên", "02 trường THCS", "số lớp: 1.877/2.087")
  return at.some((i) => {
    const from = Math.max(0, i - 24, passage.lastIndexOf("\n", i) + 1);
    const nl = passage.indexOf("\n", i);
    return countIn(passage.slice(from, Math.min(i + noun.length + 24, nl < 0 ? passage.length : nl)));
  });
}

/** A number that counts something: not a percentage, a year, a date, a range of years, or a list/section number. */
function countIn(text: string): boolean {
  const t = text
    .replace(/\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}\/\d{4}\b/g, " ") // dates
    .replace(/\b(19|20)\d\d(\s*-\s*(19|20)\d\d)?\b/g, " ") // years and ranges
    .replace(/\d+(?:[.,]\d+)?\s*%/g, " ") // rates
    .replace(/^\s*\(?\d+[.)]/gm, " ") // list numbering
    .replace(/\b\d+(\.\d{1,2})+\b/g, " ") // section numbers ("mục 2.3"), not thousands ("1.877")
    .replace(/\b\d+\/(?:KH|QĐ|TT|NQ|CV)[\p{L}\-&]*/gu, " ") // document numbers
    .replace(/(^|[^\p{L}])(lớp|Lớp|khối|Khối)\s+\d{1,2}\b/gu, " ") // a grade ("tuyển sinh lớp 1, lớp 6"), not a count of classes
    .replace(/(Mức đạt|Đơn vị tính)[^;]*%[^;]*/g, " ");
  return /\d/.test(t.replace(/(Đơn vị tính: %; Mức đạt \d+: )?[≥≤]?\s*\d+\s*$/gm, (m) => (m.includes("%") ? " " : m)));
}
