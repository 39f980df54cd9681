/**
 * What a typed message is, before any feature reads it: a question, a greeting, thanks, a request
 * to report, something that looks like an answer, or none of these. The bot routes on the result
 * (a question goes to plan Q&A, "báo cáo" opens /baocao, "45/60" outside a report points there).
 *
 *   classifyMessage("chữ ký số là gì")             // { kind: "question" }
 *   classifyMessage("toi muon nop bao cao thang nay") // { kind: "report_request", when: "current" }
 *   classifyMessage("45/60")                       // { kind: "answer_like" }
 *
 * Everything is matched on fold()ed text (no diacritics, lower case, ASCII for Vietnamese), so
 * typing without accents works and `\b` is safe: on raw Vietnamese, JavaScript's `\b` treats
 * "ý", "ì"… as non-word characters ("chữ ký số là gì" would miss `\blà gì\b`).
 */
import { fold } from "./text.ts";
import type { PeriodKind } from "./reporting/periods.ts";

export type MessageIntent =
  | { kind: "question" }
  | { kind: "greeting" }
  | { kind: "thanks" }
  /** "báo cáo", "nộp báo cáo tháng này", "tôi muốn báo cáo quý trước". */
  | { kind: "report_request"; when?: "current" | "previous" }
  /** "45/60", "75%", "có", "chưa", "mức 2": an answer typed where no question is open. */
  | { kind: "answer_like" }
  | { kind: "other" };

/** Interrogative phrases (folded). Matched as whole words. */
const QUESTION_WORDS = [
  "la gi",
  "nghia la gi",
  "la sao",
  "the nao",
  "nhu the nao",
  "ra sao",
  "bao nhieu",
  "bao gio",
  "khi nao",
  "luc nao",
  "o dau",
  "cho nao",
  "tai sao",
  "vi sao",
  "lam sao",
  "lam the nao",
  "co phai",
  "phai khong",
  "duoc khong",
  "dung khong",
  "co can",
  "can gi",
  "gom nhung gi",
  "gom gi",
  "nhung gi",
  "nhung ai",
  "ai la",
  "ai phu trach",
  "don vi nao",
  "truong nao",
  "muc nao",
  "han nao",
  "hay khong",
  "hoac khong",
  "co khong",
  "chua a",
];
const QUESTION_RE = new RegExp(`\\b(${QUESTION_WORDS.map((w) => w.replace(/ /g, "\\s+")).join("|")})\\b`);
/** "hỏi: …", "cho hỏi …", "xin hỏi …", "cho tôi hỏi …", "em hỏi …", "giải thích …". */
const QUESTION_LEAD = /^(hoi\s*[:,]|(cho|xin|cho toi|cho em|cho minh|em|toi|minh)\s+hoi\b|giai thich\b|tim hieu\b|tra cuu\b)/;

const GREETING = /^(xin\s+)?(chao|hello|helo|hi|hey|alo|a lo|good (morning|afternoon|evening))(\s+(ban|bot|anh|chi|em|co|thay|ad|admin|moi nguoi|buoi sang|buoi chieu|nhe|a|ạ))*[\s!.,]*$/;
const THANKS = /^(xin\s+)?(cam on|cam\s*on|thank(s| you)?|tks|thanks?|ok cam on|da cam on)(\s+(ban|bot|nhieu|nhe|a|anh|chi|em|rat nhieu|nhieu nhe))*[\s!.,]*$/;

/** Bare answers: a fraction, a percentage, a number with its unit, yes/no words, a level. */
const ANSWER_LIKE = [
  /^\d[\d.,]*\s*(\/|tren)\s*\d[\d.,]*(\s+[a-z ]{0,30})?$/, // 45/60, 45 tren 60 giao vien
  /^\d[\d.,]*\s*(%|phan tram)$/, // 75%, 12,5 %
  /^\d[\d.,]*(\s+[a-z]{1,12}){0,3}$/, // 45, 45 giao vien, 20 bai
  /^(co|chua|roi|khong|da co|da xong|chua co|co roi|da trien khai|chua trien khai)$/, // yes/no
  /^muc( do)?\s*\d$/, // muc 2
];

/** Requests to start a report (folded). */
const REPORT_REQUEST = /\b(bao\s*cao|nop bao cao|lam bao cao|gui bao cao|baocao)\b/;
const REPORT_VERB = /^(bao\s*cao|baocao)$|\b(nop|lam|gui|bat dau|muon|can|tiep tuc|vao)\b/;

/** Read what kind of message this is. Pure; no I/O. */
export function classifyMessage(text: string): MessageIntent {
  const raw = text.normalize("NFC").trim();
  const t = fold(raw).replace(/[“”"']/g, "");
  if (t === "") return { kind: "other" };
  const words = t.split(" ").length;
  const bare = t.replace(/[!.,…~]+$/g, "").trim();

  if (words <= 6 && GREETING.test(bare)) return { kind: "greeting" };
  if (words <= 6 && THANKS.test(bare)) return { kind: "thanks" };
  if (ANSWER_LIKE.some((re) => re.test(bare))) return { kind: "answer_like" };

  // "han bc quy": a deadline asked without a question word is a question too
  const isQuestion = raw.endsWith("?") || QUESTION_LEAD.test(t) || QUESTION_RE.test(t) || deadlineQuestion(raw) !== null;
  if (isQuestion) return { kind: "question" };

  if (REPORT_REQUEST.test(t) && REPORT_VERB.test(bare) && words <= 10) {
    const when = /\b(truoc|vua roi|qua)\b/.test(t) ? "previous" : /\b(nay|hien tai)\b/.test(t) ? "current" : undefined;
    return when ? { kind: "report_request", when } : { kind: "report_request" };
  }
  return { kind: "other" };
}

/** True for a question about something (what the plans say, a definition, a figure). */
export function looksLikeQuestion(text: string): boolean {
  return classifyMessage(text).kind === "question";
}

/** A time asked about ("khi nào", "hạn chót", "trước ngày nào", "còn mấy ngày"). */
const ASKS_WHEN = /\b(han|han chot|han cuoi|khi nao|bao gio|ngay nao|ngay may|hom nao|luc nao|truoc ngay|con may ngay|con bao lau|con bao nhieu ngay|het han|tre han|qua han)\b/;
/** About the user's own report: submitting, the report, its deadline. */
const ABOUT_OWN_REPORT = /\b(nop|bao cao|baocao|bc|han)\b/;
/** About what a plan or other units must do: left to plan Q&A ("các trường phải báo cáo hằng tháng trước ngày nào?"). */
const ABOUT_PLANS = /\b(ke hoach|kh|quy dinh|theo|ninh binh|hung yen|tan ky|dam ha|hai phong|quang ninh|so gd|so giao duc|phong gd|phong gdđt|cac truong|cac don vi|truong nao|don vi nao|xa phuong|ubnd)\b/;

/**
 * "Hạn nộp là khi nào?", "bao gio phai nop bao cao thang", "han bc quy": a focal point asking
 * about their own report's deadline (answered from their reports, not from plan quotes), with the
 * kind of period named if any. Null for anything else, including questions about what a plan or
 * other units must do.
 */
export function deadlineQuestion(text: string): { kind: PeriodKind | null } | null {
  const t = fold(text.normalize("NFC")).replace(/[?!.,:;“”"']/g, " ").replace(/\s+/g, " ").trim();
  if (!t || t.split(" ").length > 16) return null;
  if (!ASKS_WHEN.test(t) || !ABOUT_OWN_REPORT.test(t) || ABOUT_PLANS.test(t)) return null;
  // "hạn" must be about submitting: "hạn" alone with "nộp"/"báo cáo", or a time question with them
  if (!/\b(nop|bao cao|baocao|bc)\b/.test(t) && !/\bhan (chot|cuoi|nop)\b|\b(het|tre|qua) han\b|^han\b/.test(t)) return null;
  return { kind: periodKindNamed(t) };
}

/**
 * The kind of period a folded text names: "6 tháng", "học kỳ" → half, "tháng" → month, "quý" →
 * quarter, "năm" → year; null when none. Shared by the deadline question and the period picker's
 * typed choice (bot/features/report.ts).
 */
export function periodKindNamed(folded: string): PeriodKind | null {
  if (/\b(6 thang|sau thang|nua nam|hk|hoc ky)\b/.test(folded)) return "half";
  if (/\bthang\b/.test(folded)) return "month";
  if (/\bquy\b/.test(folded)) return "quarter";
  if (/\bnam\b/.test(folded)) return "year";
  return null;
}
