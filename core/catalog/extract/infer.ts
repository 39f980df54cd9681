/**
 * Small rules that read a target's wording: its threshold ("≥ 90", "trên 50%", "tối thiểu mức độ 2",
 * "ít nhất 6 trường"), what one unit is asked (ratio over teachers, students…, yes/no, level),
 * which levels it concerns, and how often it is worth asking.
 *
 *   parseThreshold("Giáo viên được tập huấn kỹ năng số", "≥ 90", "%")  // {op: ">=", value: 90, unit: "%", …}
 *   inferMeasure("100% cơ sở giáo dục triển khai học bạ số")         // boolean, share_yes
 */
import { fold } from "../../text.ts";
import type { Frequency, Level, Measure, Rollup, Threshold } from "../schema.ts";

export const SCHOOL_LEVELS: Level[] = ["mn", "th", "thcs", "thpt", "gdtx"];

/** A figure in a target: the match, its position and the threshold it states. */
export interface Figure {
  index: number;
  length: number;
  threshold: Threshold;
  /** Set for "mức độ 2" style figures and per-unit counts: what one unit must reach. */
  unitThreshold?: Threshold;
  /** The scale's top level, when the figure is a level. */
  levelMax?: number;
  /**
   * percent: "90% giáo viên"; level: "mức độ 2 trở lên"; count: "ít nhất 6 trường" (units counted);
   * perUnit: "mỗi trường có ít nhất 20 bài giảng" (a number each unit reports, `counted` names it).
   */
  kind: "percent" | "level" | "count" | "perUnit";
  /** For perUnit: what is counted, as written after the number ("bài giảng điện tử được đưa lên …"). */
  counted?: string;
}

const num = (s: string) => Number(s.replace(",", "."));

/** Words before a figure and the comparison they state (longest first, so "không dưới" is not "dưới"). */
const OP_WORDS: Array<[string, Threshold["op"]]> = [
  ["không vượt quá", "<="], ["không quá", "<="], ["không cao hơn", "<="], ["tối đa", "<="], ["≤", "<="], ["<=", "<="],
  ["không dưới", ">="], ["không thấp hơn", ">="], ["tối thiểu", ">="], ["ít nhất", ">="], ["đạt từ", ">="], ["từ", ">="], ["≥", ">="], [">=", ">="],
  ["trên", ">"], [">", ">"], ["dưới", "<"], ["<", "<"], ["đạt", "="],
];
const OP_RE = OP_WORDS.map(([w]) => w).join("|");
const opOf = (word: string | undefined): Threshold["op"] | undefined => {
  const w = fold(word ?? "");
  return OP_WORDS.find(([k]) => fold(k) === w)?.[1];
};
/** Nouns that name units themselves: "ít nhất 03 trường" counts units. */
const UNIT_NOUN = "trường|cơ sở|đơn vị|CSGD|điểm trường|lớp học|phòng học";

/**
 * Every figure in a piece of text, in order. Recognises "100%", "≥ 90%", "trên 50%", "dưới 2%",
 * "tối thiểu 50%", "ít nhất 40%", "không dưới 97%", "không vượt quá 5%", "đạt từ 85% trở lên",
 * "tối thiểu (ở) mức độ 2", "mức 2 trở lên", "đạt mức độ chuyển đổi số mức 3",
 * "ít nhất 6 trường" / "≥ 6 cơ sở", and per-unit counts "mỗi trường có ít nhất 20 bài giảng …".
 */
export function findFigures(text: string): Figure[] {
  const out: Figure[] = [];
  const taken: Array<[number, number]> = [];
  const free = (i: number, n: number) => !taken.some(([a, b]) => i < b && i + n > a);
  const push = (f: Figure) => {
    const lead = text.slice(f.index, f.index + f.length).length - text.slice(f.index, f.index + f.length).trimStart().length;
    f = { ...f, index: f.index + lead, length: f.length - lead };
    if (!free(f.index, f.length)) return;
    taken.push([f.index, f.index + f.length]);
    out.push(f);
  };
  const maxLevel = /mức (độ )?4(?![\d,.]\d)/i.test(text) ? 4 : 3;
  // levels first, so "mức độ 3 và 4" is not read as percentages
  const levelRe = /(tối thiểu|ít nhất|đạt)?\s*(ở\s+)?(?:mức độ (?:chuyển đổi số|CĐS)\s+)?mức(?: độ)?\s*(\d)(?!\s*%|\d)(\s*trở lên)?/giu;
  for (const m of text.matchAll(levelRe)) {
    if (!m[1] && !m[4]) continue; // "mức độ 4" alone (e.g. dịch vụ công mức độ 4) is not a threshold
    const v = Number(m[3]);
    const t = m[0].trim();
    push({ index: m.index!, length: m[0].length, kind: "level", levelMax: Math.max(maxLevel, v),
      threshold: { op: "=", value: 100, unit: "%", text: t },
      unitThreshold: { op: ">=", value: v, unit: "level", text: t } });
  }
  // per-unit counts: "Mỗi trường (trung học cơ sở) có ít nhất 20 bài giảng điện tử được đưa lên …"
  const perUnitRe = new RegExp(`(?<=mỗi\\s[^;.%]{0,80}?)(ít nhất|tối thiểu|không dưới|≥|>=|từ)\\s*(\\d{1,4})\\s+(?!%|mức|${UNIT_NOUN})([^\\d%;]+)`, "giu");
  for (const m of text.matchAll(perUnitRe)) {
    const counted = m[3]!.replace(/[\s.,;:]+$/, "");
    if (!/^\p{L}/u.test(counted)) continue;
    push({ index: m.index!, length: m[0].indexOf(m[2]!, m[1]!.length) + m[2]!.length, kind: "perUnit", counted,
      threshold: { op: "=", value: 100, unit: "%", text: `${m[1]} ${m[2]}` },
      unitThreshold: { op: opOf(m[1]) ?? ">=", value: Number(m[2]), unit: "count", text: `${m[1]} ${m[2]} ${counted.split(" ").slice(0, 3).join(" ")}` } });
  }
  const pctRe = new RegExp(`(${OP_RE})?\\s*(\\d{1,3}(?:[.,]\\d+)?)\\s*%(\\s*trở (?:lên|xuống))?`, "giu");
  for (const m of text.matchAll(pctRe)) {
    const value = num(m[2]!);
    if (value > 100) continue;
    const stated = opOf(m[1]);
    const tail = m[3] ? (/xuống/.test(m[3]) ? "<=" : ">=") : undefined;
    const op: Threshold["op"] = tail ?? (stated && stated !== "=" ? stated : value === 100 ? "=" : ">=");
    push({ index: m.index!, length: m[0].length, kind: "percent", threshold: { op, value, unit: "%", text: m[0].trim() } });
  }
  for (const m of text.matchAll(/tất cả (các )?(?=cơ sở giáo dục|trường|đơn vị)/giu)) {
    push({ index: m.index!, length: m[0].length, kind: "percent", threshold: { op: "=", value: 100, unit: "%", text: m[0].trim() } });
  }
  const countRe = new RegExp(`(ít nhất|tối thiểu|không dưới|≥|>=|trên|từ)\\s*(\\d{1,3})(?:\\s*\\([^)]*\\))?\\s*(${UNIT_NOUN})`, "giu");
  for (const m of text.matchAll(countRe)) {
    const op = opOf(m[1]) ?? ">=";
    push({ index: m.index!, length: m[0].length, kind: "count", threshold: { op, value: Number(m[2]), unit: "count", text: m[0].trim() } });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Threshold from an appendix "level" cell ("100", "≥ 95", "≥ 6") and its unit cell
 * ("%" or "Cơ sở giáo dục"); undefined when the cell holds no number.
 */
export function parseThresholdCell(cell: string, unitCell: string): Threshold | undefined {
  const m = cell.match(/(≥|>=|>|≤|<=|<|=)?\s*(\d+(?:[.,]\d+)?)/);
  if (!m) return undefined;
  const sign = m[1] === ">=" ? "≥" : m[1] === "<=" ? "≤" : m[1];
  const op: Threshold["op"] = sign === "≥" ? ">=" : sign === ">" ? ">" : sign === "≤" ? "<=" : sign === "<" ? "<" : "=";
  const isPercent = !unitCell || /%/.test(unitCell);
  const value = num(m[2]!);
  // a bare number is a floor: "95" in a % column means ≥ 95 %, "4" schools means at least 4
  // …but a bare 0 ("0" incidents, "0 %" data leaks) means none at all: at most 0
  const floor = op === "=" && value === 0 ? "<=" : op === "=" && (!isPercent || value < 100) ? ">=" : op;
  return { op: floor, value, unit: isPercent ? "%" : "count", text: cell.trim() };
}

interface Population {
  re: RegExp;
  key: string;
  denominator: string;
}

/** Ordered: the first match on the target's subject wins. Keys are shared across plans. */
const POPULATIONS: Population[] = [
  { re: /^(doi ngu )?(can bo quan ly, giao vien, nhan vien|can bo, giao vien, nhan vien|nhan vien,? (va )?giao vien|giao vien,? (va )?nhan vien|cbql, gv, nv|cbql-gv-nv|can bo, cong chuc|nguoi lam viec|nguoi lao dong)/, key: "staff", denominator: "tổng số cán bộ quản lý, giáo viên, nhân viên" },
  { re: /^(doi ngu )?(can bo quan ly,? (va )?giao vien|cbql,? (va )?giao vien)/, key: "managers_teachers", denominator: "tổng số cán bộ quản lý và giáo viên" },
  { re: /^(doi ngu )?can bo quan ly/, key: "managers", denominator: "tổng số cán bộ quản lý" },
  { re: /^(doi ngu )?(giao vien|nha giao)/, key: "teachers", denominator: "tổng số giáo viên" },
  { re: /^(doi ngu )?nhan vien/, key: "support_staff", denominator: "tổng số nhân viên" },
  { re: /^(ho so hoc sinh|du lieu hoc sinh|hoc sinh|nguoi hoc|tre em|tre)/, key: "students", denominator: "tổng số học sinh" },
  { re: /^(cha me hoc sinh|phu huynh( hoc sinh)?)/, key: "parents", denominator: "tổng số cha mẹ học sinh" },
  { re: /^ho so cong viec|^ho so$/, key: "records", denominator: "tổng số hồ sơ công việc" },
  { re: /^van ban/, key: "documents", denominator: "tổng số văn bản" },
  { re: /^thu tuc hanh chinh/, key: "procedures", denominator: "tổng số thủ tục hành chính" },
  { re: /^so goc/, key: "diploma_books", denominator: "tổng số sổ gốc văn bằng, chứng chỉ" },
  { re: /^he thong thong tin/, key: "information_systems", denominator: "tổng số hệ thống thông tin" },
  { re: /^quy trinh/, key: "processes", denominator: "tổng số quy trình nội bộ" },
  { re: /^(thanh toan|khoan thu|so tien)/, key: "payments", denominator: "tổng số khoản thu" },
  { re: /^(tiet hoc|noi dung chuong trinh)/, key: "lessons", denominator: "tổng số tiết học" },
  { re: /^(phong hoc|lop hoc)/, key: "classrooms", denominator: "tổng số phòng học" },
];

/** Subjects that are units themselves: a yes/no question per unit. */
const UNIT_SUBJECT = /^(cac )?(co so giao duc|csgd|truong|don vi|trang thong tin|co quan|dia phuong)/;

/** Strip "Tỷ lệ", "Đạt", "trở lên", "các" and figures from the start of a subject phrase. */
export function subjectOf(phrase: string): string {
  return phrase
    .replace(/^[\s\-+•*–]*(\(\d+\)\s*)?/, "")
    .replace(/^(về [^:]{0,60}:\s*)/i, "")
    .replace(/^(tỷ lệ|tỉ lệ|tỉ trọng|tỷ trọng|đạt|phấn đấu|phần đầu|yêu cầu|đảm bảo|có)\s+/i, "")
    .replace(/^(ít nhất|tối thiểu|không dưới|≥|>=|trên|từ)\s*\d{1,3}(\s*\([^)]*\))?\s+(?=trường|cơ sở|đơn vị|CSGD|điểm trường)/i, "")
    .replace(/^(≥|>=|>|trên|tối thiểu|ít nhất)?\s*\d{1,3}(?:[.,]\d+)?\s*%\s*(trở lên\s*)?/i, "")
    .replace(/^(số|các|những)\s+/i, "")
    .trim();
}

/** What one unit is asked and how answers roll up, from the subject of a target phrase. */
export function inferMeasure(phrase: string, figure?: Figure): { measure: Measure; rollup: Rollup; inferred: boolean } {
  if (figure?.kind === "level") {
    return { measure: { type: "level", min: 1, max: figure.levelMax ?? 3 }, rollup: "share_meeting", inferred: true };
  }
  if (figure?.kind === "perUnit") {
    return { measure: { type: "count", unit: countedUnit(figure.counted ?? "") }, rollup: "share_meeting", inferred: true };
  }
  if (figure?.kind === "count" || figure?.threshold.unit === "count") {
    return { measure: { type: "boolean" }, rollup: "count_yes", inferred: true };
  }
  const subject = subjectOf(phrase);
  const f = fold(subject);
  if (UNIT_SUBJECT.test(f)) return { measure: { type: "boolean" }, rollup: "share_yes", inferred: true };
  for (const p of POPULATIONS) {
    if (p.re.test(f)) {
      const numerator = trimPhrase(lowerFirst(withoutOwner(subject)));
      return { measure: { type: "ratio", numerator, denominator: p.denominator, denominatorKey: p.key }, rollup: "sum_ratio", inferred: true };
    }
  }
  // something countable with no known population ("máy tính … chưa cài phần mềm", "giao dịch được đối
  // soát tự động"): a ratio over all of them, so an upper bound ("không vượt quá 5%") keeps its meaning
  const head = headNoun(subject);
  if (head && !/hai long|khoi luong|noi dung|chuong trinh|co so vat chat|ty trong|ti trong|chat luong/.test(f)) {
    return { measure: { type: "ratio", numerator: trimPhrase(lowerFirst(withoutOwner(subject))), denominator: `tổng số ${head}` }, rollup: "sum_ratio", inferred: false };
  }
  return { measure: { type: "percent" }, rollup: "share_meeting", inferred: false };
}

/** "máy tính của các trường chưa cài …" → "máy tính chưa cài …": the unit asked is the owner already. */
const withoutOwner = (s: string) =>
  s.replace(/(?<!\svà)\s+(?:(?:của|tại) (?:các )?|các )(?:trường|cơ sở giáo dục|đơn vị)(?: trực thuộc)?(?=[\s,;.]|$)/i, "");

/** The counted noun that opens a subject: "máy tính của các trường chưa cài …" → "máy tính". */
export function headNoun(subject: string): string | undefined {
  const words = subject.replace(/[,;:.()]/g, " ").split(/\s+/).filter(Boolean);
  const stop = /^(được|đã|chưa|có|của|trên|trong|tại|sử|biết|nộp|giải|xử|mất|hư|sai|không|do|thuộc|kết|đạt|tham|hoàn|cài|thực|triển|ứng|là|và|với|từ|cho|theo|về|quá|dưới)$/i;
  const out: string[] = [];
  for (const w of words) {
    if (stop.test(w) || /\d/.test(w)) break;
    out.push(w);
  }
  if (!out.length || out.length > 6 || out.length === words.length) return undefined;
  return lowerFirst(out.join(" "));
}

/** The thing counted, short: "bài giảng điện tử được đưa lên kho …" → "bài giảng điện tử". */
export function countedUnit(counted: string): string {
  const head = counted.split(/\s(?:được|đã|có|trên|của|trong|tại|lên|vào|do|theo|phục vụ|để)\s/)[0] ?? counted;
  return head.split(/\s+/).slice(0, 4).join(" ").replace(/[\s,;:.]+$/, "") || "đơn vị";
}

/** Cut a phrase to about 90 characters at a word boundary, without trailing punctuation. */
export function trimPhrase(s: string, max = 110): string {
  let t = s.replace(/\s+/g, " ").trim();
  if (t.length > max) {
    // cut at a natural break (a comma, "gắn với", "nhằm", "để", "theo", "và") rather than mid-phrase
    const head = t.slice(0, max);
    const breaks = [...head.matchAll(/,\s|\s(gắn với|nhằm|để|theo|và|trong đó)\s/g)].map((m) => m.index!).filter((i) => i >= 30);
    t = (breaks.length ? head.slice(0, breaks[breaks.length - 1]) : t.slice(0, t.lastIndexOf(" ", max))).trim();
  }
  return t
    .replace(/[\s,;:.]+$/, "")
    .replace(/,?\s*(trong đó|cụ thể|bao gồm)\s*:?$/i, "")
    .replace(/\s+(đạt|và|của|với|cho|trên)$/i, "")
    .replace(/\s*\([^)]*$/, "");
}

/** Levels a target names ("mầm non, tiểu học, THCS", "phổ thông", "tại Sở GDĐT"); all schools by default. */
export function inferLevels(text: string): { levels: Level[]; inferred: boolean } {
  const f = fold(text);
  if (/tai so gd|cap so\b|cap bo, cap so/.test(f)) return { levels: ["so"], inferred: true };
  if (/cap phong\b|phong gd&?dt\b|phong giao duc/.test(f) && !/co so giao duc|cac truong/.test(f)) return { levels: ["phong"], inferred: true };
  if (/thu tuc hanh chinh|dich vu cong|co quan quan ly|ho so cong viec/.test(f) && !/co so giao duc|cac truong/.test(f)) {
    return { levels: ["so", "phong", "xa"], inferred: false };
  }
  const levels = new Set<Level>();
  if (/mam non/.test(f)) levels.add("mn");
  if (/tieu hoc|\bth\b/.test(f)) levels.add("th");
  if (/trung hoc co so|\bthcs\b/.test(f)) levels.add("thcs");
  if (/trung hoc pho thong|\bthpt\b/.test(f)) levels.add("thpt");
  if (/giao duc thuong xuyen|\bgdtx\b/.test(f)) levels.add("gdtx");
  if (/tu cap tieu hoc den trung hoc pho thong/.test(f)) ["th", "thcs", "thpt"].forEach((l) => levels.add(l as Level));
  if (/(co so giao duc|truong|,) pho thong/.test(f)) ["th", "thcs", "thpt"].forEach((l) => levels.add(l as Level));
  if (/(hoc sinh|bac|cap) trung hoc\b(?! co so| pho thong)/.test(f)) ["thcs", "thpt"].forEach((l) => levels.add(l as Level));
  if (levels.size) return { levels: SCHOOL_LEVELS.filter((l) => levels.has(l)), inferred: true };
  return { levels: [...SCHOOL_LEVELS], inferred: false };
}

/**
 * How often to ask: fast-moving people counts monthly, yes/no and infrastructure quarterly,
 * levels and satisfaction surveys yearly. A draft suggestion; the official decides.
 */
export function suggestFrequency(measure: Measure, levels: Level[]): Frequency {
  if (measure.type === "level" || measure.type === "percent") return "yearly";
  if (levels.every((l) => !SCHOOL_LEVELS.includes(l))) return "quarterly";
  if (measure.type === "ratio" && ["teachers", "staff", "students", "managers", "managers_teachers", "payments", "lessons"].includes(measure.denominatorKey ?? "")) {
    return "monthly";
  }
  return "quarterly";
}

/** "Triển khai" → "triển khai", but "THPT" stays. */
export const lowerFirst = (s: string) => (/^.[a-zà-ỹđ]/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** Units and level qualifiers that open a subject ("các trường mầm non, tiểu học trên địa bàn xã …"). */
const SUBJECT_UNIT =
  /^(các )?(cơ sở giáo dục|CSGD|đơn vị trường học|trường học|trường|đơn vị|cơ sở(?! vật chất| dữ liệu| hạ tầng))((\s+|,\s*|\s+và\s+)(công lập|phổ thông|mầm non|tiểu học|giáo dục thường xuyên|trung học cơ sở|trung học phổ thông|THCS|THPT|TH|MN|GDTX|trên địa bàn( tỉnh| huyện| xã| phường| thành phố)?|trong (tỉnh|huyện|xã|phường)|từ cấp [^,]*? đến (trung học phổ thông|trung học cơ sở|THPT|THCS)))*\s+/i;

/** Verbs a yes/no predicate can start with ("Trường đã triển khai … chưa?"); otherwise "đã có …". */
const VERB_START =
  /^(được|đã|có|không|sử dụng|triển khai|ban hành|thực hiện|áp dụng|tổ chức|kết nối|thu|đạt|xây dựng|hoàn thành|tham gia|cập nhật|chấp nhận|duy trì|ứng dụng|đầu tư|công khai|lắp đặt|trang bị|cài đặt|số hóa|số hoá|vận hành|đảm bảo|bảo đảm|dùng|lưu trữ|công bố|đưa|phê duyệt|khai thác|tuyển sinh|thí điểm|chuyển|hoàn thiện|nâng cấp|lập|ký|gửi|xử lý|giải quyết|cung cấp|thiết lập|hưởng ứng|phân công|bố trí|kiện toàn|rà soát|thanh toán|tích hợp|đồng bộ|chuẩn hóa|chuẩn hoá|tự đánh giá|đánh giá|tiếp tục|tích hợp|hoàn tất|mở|phát triển)(\s|,|$)/i;

/** The question a focal point is asked, in plain Vietnamese, from the measure. */
export function suggestQuestion(measure: Measure, phrase: string, levels: Level[]): string {
  const who = levels.every((l) => !SCHOOL_LEVELS.includes(l)) ? "Đơn vị" : "Trường";
  const predicate = trimPhrase(subjectOf(phrase).replace(SUBJECT_UNIT, ""));
  switch (measure.type) {
    case "ratio":
      return `${who} có bao nhiêu ${measure.numerator}, trên ${measure.denominator}? (ví dụ: 45/60)`;
    case "boolean": {
      const p = lowerFirst(predicate);
      return `${who} đã ${VERB_START.test(p) ? p : `có ${p}`} chưa? (có/chưa)`;
    }
    case "level":
      return `Theo kết quả đánh giá gần nhất, ${who.toLowerCase()} đạt mức độ chuyển đổi số mấy? (${measure.min}–${measure.max})`;
    case "count": {
      // "bài giảng điện tử được đưa lên kho học liệu số của trường" → "Trường có bao nhiêu bài giảng … ?"
      const counted = trimPhrase(phrase.replace(/^[\s\-+•*–]+/, "")).replace(/\s+của (trường|đơn vị)$/i, "");
      const what = fold(counted).startsWith(fold(measure.unit)) ? counted : measure.unit;
      return `${who} có bao nhiêu ${lowerFirst(what)}? (nhập một số, ví dụ: 12)`;
    }
    case "percent":
      return `Tỷ lệ ${lowerFirst(predicate)} của ${who.toLowerCase()} hiện là bao nhiêu phần trăm? (ví dụ: 75)`;
  }
}
