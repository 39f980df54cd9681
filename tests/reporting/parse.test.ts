/**
 * Answer parsing: every form a focal point types (digits, Vietnamese words, NFD, no diacritics,
 * Vietnamese separators) and every rejection, with the specific hint it must give.
 */
import { describe, expect, it } from "vitest";
import { parseAnswer, type ParsedAnswer } from "../../core/reporting/parse.ts";
import { answerProblemText } from "../../bot/messages/answers.ts";
import { parseNumeral, wordsToDigits } from "../../core/reporting/numbers-vi.ts";
import { testEntry } from "../support/catalog.ts";

const entry = testEntry;

const RATIO = entry(
  { type: "ratio", numerator: "giáo viên có chữ ký số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
  "sum_ratio",
  { op: ">=", value: 90, unit: "%", text: "≥ 90%" },
);
const PERCENT = entry({ type: "percent" }, "share_meeting", { op: ">=", value: 80, unit: "%", text: "80%" });
const COUNT = entry({ type: "count", unit: "bài giảng" }, "sum", { op: ">=", value: 100, unit: "count", text: "100 bài giảng" });
const BOOL = entry({ type: "boolean" }, "share_yes", { op: "=", value: 100, unit: "%", text: "100%" });
const LEVEL = entry({ type: "level", min: 1, max: 3 }, "share_meeting", { op: ">=", value: 2, unit: "level", text: "tối thiểu mức độ 2" });

const ENTRIES = { ratio: RATIO, percent: PERCENT, count: COUNT, boolean: BOOL, level: LEVEL } as const;
type EntryType = keyof typeof ENTRIES;

const r = (numerator: number, denominator: number): ParsedAnswer => ({
  kind: "ratio",
  numerator,
  denominator,
  value: (numerator * 100) / denominator,
});
const pct = (value: number): ParsedAnswer => ({ kind: "percent", value });
const cnt = (value: number): ParsedAnswer => ({ kind: "count", value });
const yes: ParsedAnswer = { kind: "boolean", value: true };
const no: ParsedAnswer = { kind: "boolean", value: false };
const lvl = (value: number): ParsedAnswer => ({ kind: "level", value });
const nfd = (s: string) => s.normalize("NFD");

/** [input, entry type, expected answer] */
const ACCEPTED: [string, EntryType, ParsedAnswer][] = [
  // ratio
  ["45/60", "ratio", r(45, 60)],
  ["45 / 60", "ratio", r(45, 60)],
  ["45/ 60", "ratio", r(45, 60)],
  ["45 trên 60", "ratio", r(45, 60)],
  ["45 tren 60", "ratio", r(45, 60)],
  ["45 TRÊN 60", "ratio", r(45, 60)],
  ["45 trên 60 giáo viên", "ratio", r(45, 60)],
  ["45 trên tổng số 60", "ratio", r(45, 60)],
  ["45 tren tong so 60 giao vien", "ratio", r(45, 60)],
  [nfd("45 trên tổng số 60 giáo viên"), "ratio", r(45, 60)],
  ["45 của 60", "ratio", r(45, 60)],
  ["45 trong số 60", "ratio", r(45, 60)],
  ["45 giáo viên trên 60", "ratio", r(45, 60)],
  ["45gv/60gv", "ratio", r(45, 60)],
  ["  45/60.  ", "ratio", r(45, 60)],
  ["Đạt 45/60!", "ratio", r(45, 60)],
  ["60/60", "ratio", r(60, 60)],
  ["0/60", "ratio", r(0, 60)],
  ["1.200/1.500", "ratio", r(1200, 1500)],
  ["bốn mươi lăm trên sáu mươi", "ratio", r(45, 60)],
  ["năm/sáu", "ratio", r(5, 6)],
  ["đạt 45 trên tổng số 60 giáo viên của trường", "ratio", r(45, 60)],
  ["bon muoi lam tren sau muoi", "ratio", r(45, 60)],
  [nfd("mười lăm trên hai mươi"), "ratio", r(15, 20)],
  // percent
  ["75%", "percent", pct(75)],
  ["75 %", "percent", pct(75)],
  ["75", "percent", pct(75)],
  ["75 phần trăm", "percent", pct(75)],
  ["75 phan tram", "percent", pct(75)],
  ["75 PHẦN TRĂM", "percent", pct(75)],
  [nfd("75 phần trăm"), "percent", pct(75)],
  ["bảy mươi lăm phần trăm", "percent", pct(75)],
  ["bay muoi lam phan tram", "percent", pct(75)],
  [nfd("bảy mươi lăm phần trăm"), "percent", pct(75)],
  ["một trăm phần trăm", "percent", pct(100)],
  ["mot tram phan tram", "percent", pct(100)],
  ["100%", "percent", pct(100)],
  ["0%", "percent", pct(0)],
  ["12,5%", "percent", pct(12.5)],
  ["12.5%", "percent", pct(12.5)],
  ["12,5 phần trăm", "percent", pct(12.5)],
  ["khoảng 80%", "percent", pct(80)],
  ["đạt 95%.", "percent", pct(95)],
  ["45/60", "percent", pct(75)],
  ["năm mươi phần trăm", "percent", pct(50)],
  ["hai mươi tư phần trăm", "percent", pct(24)],
  ["chín mươi chín %", "percent", pct(99)],
  // count
  ["12", "count", cnt(12)],
  ["12 bài giảng", "count", cnt(12)],
  ["12 bai giang", "count", cnt(12)],
  ["khoảng 30", "count", cnt(30)],
  ["khoang 30", "count", cnt(30)],
  ["hai mươi mốt", "count", cnt(21)],
  ["hai muoi mot", "count", cnt(21)],
  [nfd("hai mươi mốt"), "count", cnt(21)],
  ["mười lăm", "count", cnt(15)],
  ["muoi lam", "count", cnt(15)],
  ["mười", "count", cnt(10)],
  ["mười một", "count", cnt(11)],
  ["hai mươi", "count", cnt(20)],
  ["hai mươi tư", "count", cnt(24)],
  ["ba mươi nhăm", "count", cnt(35)],
  ["bốn lăm", "count", cnt(45)],
  ["một trăm", "count", cnt(100)],
  ["một trăm linh năm", "count", cnt(105)],
  ["một trăm lẻ năm", "count", cnt(105)],
  ["một trăm năm mươi", "count", cnt(150)],
  ["một trăm hai", "count", cnt(120)],
  ["ba trăm mười", "count", cnt(310)],
  ["một nghìn hai trăm", "count", cnt(1200)],
  ["mot nghin hai tram", "count", cnt(1200)],
  ["một ngàn hai trăm", "count", cnt(1200)],
  [nfd("một nghìn hai trăm"), "count", cnt(1200)],
  ["một nghìn không trăm linh năm", "count", cnt(1005)],
  ["hai triệu ba trăm nghìn", "count", cnt(2_300_000)],
  ["năm", "count", cnt(5)],
  ["nam", "count", cnt(5)],
  ["không", "count", cnt(0)],
  ["chưa có", "count", cnt(0)],
  ["không có", "count", cnt(0)],
  ["tạm thời chưa có", "count", cnt(0)],
  ["0", "count", cnt(0)],
  ["1.234", "count", cnt(1234)],
  ["1.234.567", "count", cnt(1_234_567)],
  ["1234", "count", cnt(1234)],
  ["Có 12 bài giảng.", "count", cnt(12)],
  // boolean: yes
  ["có", "boolean", yes],
  ["co", "boolean", yes],
  ["Có", "boolean", yes],
  [nfd("Có"), "boolean", yes],
  ["CÓ", "boolean", yes],
  ["rồi", "boolean", yes],
  ["roi", "boolean", yes],
  ["đã triển khai", "boolean", yes],
  ["da trien khai", "boolean", yes],
  [nfd("Đã triển khai"), "boolean", yes],
  ["đã có", "boolean", yes],
  ["xong", "boolean", yes],
  ["yes", "boolean", yes],
  ["ok", "boolean", yes],
  ["OK!", "boolean", yes],
  ["có rồi.", "boolean", yes],
  ["dạ có", "boolean", yes],
  ["Đã thực hiện xong", "boolean", yes],
  // boolean: no
  ["chưa", "boolean", no],
  ["chua", "boolean", no],
  [nfd("Chưa"), "boolean", no],
  ["không", "boolean", no],
  ["khong", "boolean", no],
  ["ko", "boolean", no],
  ["chưa triển khai", "boolean", no],
  ["chua trien khai", "boolean", no],
  ["chưa có", "boolean", no],
  ["không có", "boolean", no],
  ["no", "boolean", no],
  ["dạ chưa", "boolean", no],
  ["có nhưng chưa đầy đủ", "boolean", no],
  // level
  ["mức 2", "level", lvl(2)],
  ["muc 2", "level", lvl(2)],
  ["Mức 2", "level", lvl(2)],
  [nfd("mức 2"), "level", lvl(2)],
  ["mức độ 3", "level", lvl(3)],
  ["muc do 3", "level", lvl(3)],
  ["level 2", "level", lvl(2)],
  ["2", "level", lvl(2)],
  ["mức hai", "level", lvl(2)],
  ["mức II", "level", lvl(2)],
  ["đạt mức 1", "level", lvl(1)],
  ["mức3", "level", lvl(3)],
  ["ba", "level", lvl(3)],
];

/** [input, entry type, fragments the message must contain] */
const REJECTED: [string, EntryType, string[]][] = [
  // empty / garbage
  ["", "ratio", ["chưa nhập", "45/60"]],
  ["   ", "count", ["chưa nhập", "12 bài giảng"]],
  ["abc", "ratio", ["Chưa hiểu", "45/60"]],
  ["???", "percent", ["Chưa hiểu", "75%"]],
  ["xin chào", "count", ["Chưa hiểu", "ví dụ: 12 bài giảng"]],
  ["abc", "boolean", ["Chưa hiểu", "Có", "Chưa"]],
  ["hello", "level", ["Chưa hiểu", "mức 2"]],
  // ratio problems
  ["70/60", "ratio", ["(70)", "không thể lớn hơn", "tổng số giáo viên (60)", "45/60"]],
  ["70 trên 60", "ratio", ["(70)", "không thể lớn hơn", "(60)"]],
  ["45/0", "ratio", ["Tổng số giáo viên phải lớn hơn 0", "45/60"]],
  ["75%", "ratio", ["không phải tỷ lệ %", "45/60"]],
  ["75 phần trăm", "ratio", ["không phải tỷ lệ %", "số đạt/tổng số"]],
  ["45", "ratio", ["Cần cả tổng số giáo viên", "45/60"]],
  ["45 60", "ratio", ["Chưa rõ", "45/60"]],
  ["45,5/60", "ratio", ["số nguyên", "45/60"]],
  ["-5/60", "ratio", ["số âm", "45/60"]],
  ["có", "ratio", ["không phải chữ", "45/60"]],
  ["45/60/70", "ratio", ["chỉ nhập số đạt và tổng số", "45, 60, 70"]],
  ["đang triển khai", "boolean", ["đang làm dở", "Chưa"]],
  // percent problems
  ["120%", "percent", ["vượt quá 100%", "120%", "75%"]],
  ["150", "percent", ["vượt quá 100%", "150%"]],
  ["100,5%", "percent", ["vượt quá 100%", "100,5%"]],
  ["-5%", "percent", ["số âm", "75%"]],
  ["âm 5", "percent", ["số âm"]],
  ["70/60", "percent", ["không thể lớn hơn", "(70)", "(60)"]],
  ["rồi", "percent", ["không phải chữ", "75%"]],
  ["40 hoặc 50", "percent", ["một tỷ lệ", "75%"]],
  // count problems
  ["-5", "count", ["số âm", "12 bài giảng"]],
  ["âm năm", "count", ["số âm"]],
  ["1,234", "count", ["số nguyên", "1,234", "1.234"]],
  ["12,5", "count", ["số nguyên", "12,5"]],
  ["30%", "count", ["không phải tỷ lệ %", "bài giảng"]],
  ["12/20", "count", ["không phải dạng a/b", "12 bài giảng"]],
  ["12 hoặc 13", "count", ["chỉ nhập một số", "12, 13"]],
  ["rất nhiều", "count", ["không phải chữ", "12 bài giảng"]],
  ["1.23.4", "count", ["viết chưa đúng", "1.234"]],
  // boolean problems
  ["1", "boolean", ["Có hoặc Chưa", "không phải một con số"]],
  ["75%", "boolean", ["Có hoặc Chưa", "không phải một con số"]],
  ["45/60", "boolean", ["không phải một con số"]],
  // level problems
  ["mức 5", "level", ["Mức 5", "ngoài thang", "1–3", "mức 2"]],
  ["0", "level", ["Mức 0", "ngoài thang"]],
  ["4", "level", ["Mức 4", "ngoài thang"]],
  ["mức 2,5", "level", ["Mức 2,5", "ngoài thang"]],
  ["80%", "level", ["không phải tỷ lệ %", "mức 2"]],
  ["2/3", "level", ["không phải dạng a/b"]],
  ["-2", "level", ["số âm"]],
];

describe("parseAnswer accepts", () => {
  it.each(ACCEPTED)("%j (%s)", (input, type, expected) => {
    const res = parseAnswer(ENTRIES[type], input);
    expect(res).toEqual({ ok: true, answer: expected });
  });
});

describe("parseAnswer rejects with a specific Vietnamese hint", () => {
  it.each(REJECTED)("%j (%s)", (input, type, fragments) => {
    const res = parseAnswer(ENTRIES[type], input);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const message = answerProblemText(res.problem); // core returns a tagged problem; bot/messages words it
    for (const f of fragments) expect(message).toContain(f);
    expect(message).toMatch(/ví dụ|Có|Chưa/); // always shows a valid answer
  });
});

describe("parse table size", () => {
  it("has at least 100 cases", () => {
    expect(ACCEPTED.length + REJECTED.length).toBeGreaterThanOrEqual(100);
  });
});

describe("Vietnamese numerals", () => {
  it.each([
    ["1.234", 1234],
    ["1.500", 1500],
    ["12.5", 12.5],
    ["0.123", 0.123],
    ["12,5", 12.5],
    ["1,234", 1.234],
    ["1.234,5", 1234.5],
    ["1,234.5", 1234.5],
    ["1,234,567", 1234567],
    ["1234.5", 1234.5],
  ] as const)("parseNumeral(%j) = %d", (s, n) => {
    expect(parseNumeral(s)).toBeCloseTo(n, 9);
  });
  it("rejects malformed grouping", () => {
    expect(parseNumeral("1.23.4")).toBeNaN();
    expect(parseNumeral("12.34.567")).toBeNaN();
  });
  it("turns number words into digits inside folded text", () => {
    expect(wordsToDigits("co hai muoi mot giao vien")).toBe("co 21 giao vien");
    expect(wordsToDigits("chin tram chin muoi chin")).toBe("999");
    expect(wordsToDigits("hai ba")).toBe("2 3");
    expect(wordsToDigits("tu thuc")).toBe("tu thuc"); // "tư" is 4 only after "mươi"
    expect(wordsToDigits("mot trieu hai")).toBe("1200000");
  });
});

describe("no figure yet is not a zero and not a No", () => {
  const NO_DATA: [string, EntryType][] = [
    ["không biết", "ratio"],
    ["khong biet", "count"],
    ["Không biết ạ", "boolean"],
    ["chưa rõ", "percent"],
    ["ko bt", "level"],
    ["chua co so lieu", "count"],
    ["Chưa thống kê xong", "ratio"],
    ["để em hỏi lại kế toán", "boolean"],
    ["chịu", "count"],
    ["k nhớ", "percent"],
  ];
  it.each(NO_DATA)("%s (%s) → no_data, pointing to Bỏ qua", (input, type) => {
    const res = parseAnswer(ENTRIES[type], input);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problem.kind).toBe("no_data");
    const text = answerProblemText(res.problem);
    expect(text).toContain("Bỏ qua");
    expect(text).toContain("/baocao");
  });
  // the words that still mean zero or No
  it.each([
    ["không có", "count", cnt(0)],
    ["chưa có", "count", cnt(0)],
    ["không", "boolean", no],
    ["chưa triển khai", "boolean", no],
    ["không có chữ ký số", "boolean", no],
  ] as [string, EntryType, ParsedAnswer][])("%s (%s) is still an answer", (input, type, expected) => {
    expect(parseAnswer(ENTRIES[type], input)).toEqual({ ok: true, answer: expected });
  });
});

describe("a ratio answered 'không' asks for 0 over the whole, not 'you typed one number (0)'", () => {
  it.each(["không", "khong co", "chưa có"])("%s", (input) => {
    const res = parseAnswer(RATIO, input);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problem.kind).toBe("zero_without_whole");
    const text = answerProblemText(res.problem);
    expect(text).toContain("nhập 0 trên tổng số giáo viên");
    expect(text).not.toMatch(/\(0\)/);
  });
});
