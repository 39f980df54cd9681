/**
 * Layers: core/ returns data and tagged results; the words people read live in bot/messages
 * (web/dashboard/words.ts for the dashboard). This scans every core/ source file (comments removed)
 * and fails when core imports grammY or the bot/web/cli layers, or builds one of the phrases that
 * moved to bot/messages (values.ts, config.ts, errors.ts, officials.ts, qa.ts) again.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve("core");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith(".ts") ? [full] : [];
  });
}

/** The code without its comments (doc comments may quote the phrases they point to). */
function withoutComments(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|[^:\\"'`])\/\/.*$/gm, "$1");
}

interface Rule {
  what: string;
  re: RegExp;
  /** Files (relative to core/) where the match is data, not a phrase, and why. */
  allow?: Record<string, string>;
}

const RULES: Rule[] = [
  { what: "the deadline phrase (bot/messages/values.ts deadlineText)", re: /đã quá|hạn hôm nay|còn \$\{[^}]*\} ngày/ },
  { what: "the shortfall phrase (bot/messages/values.ts shortfallText)", re: /còn thiếu/ },
  { what: "the change phrase (bot/messages/values.ts changeText)", re: /điểm %|không đổi|["'`](tăng|giảm)["'`]|(tăng|giảm) \$\{/ },
  { what: "a skipped answer's words (bot/messages/values.ts formatStoredAnswer)", re: /\(bỏ qua\)/ },
  { what: "a level answer's words (bot/messages/values.ts formatStoredAnswer)", re: /Mức \$\{/ },
  {
    what: 'a yes/no answer literal "Có"/"Chưa" (bot/messages/values.ts yesNoText)',
    re: /["'`](Có|Chưa)["'`]/,
    allow: { "officials/progress.ts": "the text of the implied per-school threshold of a yes/no question (catalog-style threshold data, as a plan writes it)" },
  },
  { what: "a configuration error sentence (bot/messages/config.ts)", re: /Cấu hình không hợp lệ|phải là một|là bắt buộc khi|phải có dạng/ },
  {
    what: "an error sentence of a tagged core error (bot/messages/errors.ts, report.ts, officials.ts)",
    re: /Kỳ báo cáo không hợp lệ|Không tìm thấy đơn vị có mã|Cơ sở dữ liệu đang bận|chưa được cập nhật cấu trúc|Mã mời "|cài gói postgresql-client/,
  },
  { what: "an example question offered to officials (bot/messages/officials.ts OFFICIAL_SUGGESTIONS)", re: /Đơn vị nào chưa báo cáo tháng này\?|câu hỏi mẫu/ },
  { what: "a note to the plan reviewer (bot/messages/drafts.ts extractNoteText)", re: /giữ kết quả theo quy tắc|Đã bỏ \$\{/ },
  { what: "the approval queue's name for a target gone from the catalog (bot/messages/officials.ts flagTargetName)", re: /["'`]một chỉ tiêu["'`]/ },
  {
    what: "a plan Q&A decline sentence (bot/messages/qa.ts QA_WORDS.decline, thanks, emptyQuestion, noPlanOf)",
    re: /nên tôi không trả lời|tôi không trả lời được|Chào bạn!|Rất vui được giúp|Bạn hãy gõ câu hỏi|không cung cấp thông tin cá nhân|chỉ cán bộ quản lý được xem|Việc riêng của từng trường|Tôi chỉ trả lời câu hỏi|chưa có kế hoạch nào của/,
  },
  {
    what: "a plan Q&A whom-to-ask line (bot/messages/qa.ts QA_WORDS.nextStep, offTopicNextStep)",
    re: /[Bb]ạn hãy (hỏi|xem|liên hệ)|đăng nhập bằng mã mời|cổng thông tin điện tử của chính|bạn cũng có thể hỏi/,
  },
  {
    what: "a plan Q&A lead or note (bot/messages/qa.ts QA_WORDS)",
    re: /Bạn có thể hỏi, ví dụ|Các mục gần nhất trong kế hoạch|là viết tắt của «|» viết tắt là|dùng như sau:|không định nghĩa «|được nêu trước;|Mỗi kế hoạch đặt mức riêng|["'`]Theo kế hoạch["'`]|Trích dẫn:|["'`]Nguồn:|\\n\\nNguồn:|Giải đáp của \$\{|Xem thêm: \$\{/,
  },
  {
    what: "an example question offered with a plan Q&A decline (bot/messages/qa.ts QA_WORDS.examples)",
    re: /["'`](Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu\?|Các trường phải báo cáo hằng tháng trước ngày nào\?|Ai chủ trì triển khai học bạ số\?)["'`]/,
  },
];

/** Every rule broken in one file's code: "rule — the matched text". */
function brokenRules(relativePath: string, code: string): string[] {
  const bare = withoutComments(code);
  const out: string[] = [];
  for (const rule of RULES) {
    if (rule.allow?.[relativePath]) continue;
    const m = rule.re.exec(bare);
    if (m) out.push(`${rule.what} — "${m[0]}"`);
  }
  return out;
}

describe("core/ returns data, bot/messages words it", () => {
  const files = sourceFiles(ROOT);

  it("scans the whole of core/", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.endsWith(path.join("dashboard", "views.ts")))).toBe(true);
  });

  it("core never imports grammY, nor the bot, web or cli layers", () => {
    const bad = files.flatMap((f) => {
      const code = withoutComments(readFileSync(f, "utf8"));
      const m = /from\s+["'](grammy|@grammyjs\/[^"']*|(?:\.\.\/)+(?:bot|web|cli)\/[^"']*)["']|import\(\s*["'](grammy|@grammyjs\/[^"']*)["']/.exec(code);
      return m ? [`${path.relative(ROOT, f)}: ${m[0]}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it("core builds none of the phrases that live in bot/messages", () => {
    const bad = files.flatMap((f) => {
      const rel = path.relative(ROOT, f).split(path.sep).join("/");
      return brokenRules(rel, readFileSync(f, "utf8")).map((r) => `core/${rel}: ${r}`);
    });
    expect(bad).toEqual([]);
  });

  it("the scan catches each phrase planted back, and ignores comments", () => {
    const planted = [
      "return `hạn ${date} — đã quá ${late} ngày`;",
      "return `hạn hôm nay (${date})`;",
      "return `hạn ${date} — còn ${left} ngày`;",
      "return `còn thiếu ${withUnit(missing, unit)}`;",
      'const u = unit === "%" ? "điểm %" : unit;',
      'return `${change > 0 ? "tăng" : "giảm"} ${n}`;',
      'if (Math.abs(change) < 0.05) return "không đổi";',
      'if (a.skipped) return "(bỏ qua)";',
      "return `Mức ${formatNumber(a.value, 0)}`;",
      'return value >= 1 ? "Có" : "Chưa";',
      'throw new ConfigError(`Cấu hình không hợp lệ (xem .env.example):\\n${lines}`);',
      'super(`Kỳ báo cáo không hợp lệ: "${echo(key)}".`);',
      'super(`Không tìm thấy đơn vị có mã "${echo(code)}".`);',
      'super("Cơ sở dữ liệu đang bận (bot hoặc một lệnh khác đang ghi dữ liệu).");',
      'export const SUGGESTIONS = ["Đơn vị nào chưa báo cáo tháng này?"];',
      'const short = e?.short ?? "một chỉ tiêu";',
      'return { note: `Không gọi được mô hình (${e}); giữ kết quả theo quy tắc.` };',
      // plan Q&A (core/retrieval/engine.ts before QaWords)
      'const t = { out_of_scope: "Xin lỗi, các kế hoạch chuyển đổi số hiện có không đề cập nội dung này, nên tôi không trả lời để tránh đoán sai." };',
      'const t = { school_matter: "Việc riêng của từng trường (học phí, điểm, liên lạc với giáo viên) không nằm trong các kế hoạch chuyển đổi số, nên tôi không trả lời được." };',
      'return { answer: "Rất vui được giúp bạn! Bạn cứ hỏi tiếp về các kế hoạch chuyển đổi số nếu cần." };',
      'return declined("empty", [], "Bạn hãy gõ câu hỏi về kế hoạch chuyển đổi số, ví dụ: …");',
      'return declined("out_of_scope", [], `Xin lỗi, chưa có kế hoạch nào của ${unknownPlace} trong dữ liệu, nên tôi không trả lời để tránh đoán sai.`);',
      'const t = { personal_data: "Bạn hãy liên hệ trực tiếp nhà trường hoặc UBND xã, phường." };',
      'const t = { exam: "Lịch thi, điểm thi và kết quả do nhà trường và Sở Giáo dục và Đào tạo công bố: bạn hãy xem thông báo chính thức hoặc hỏi nhà trường." };',
      'parts.push(`Bạn có thể hỏi, ví dụ:\\n${suggestions.join("\\n")}`);',
      'parts.push(`Các mục gần nhất trong kế hoạch:\\n${list}`);',
      'const lead = `${abbr.short} là viết tắt của «${abbr.long}».`;',
      'const lead = `«${abbr.long}» viết tắt là ${abbr.short}.`;',
      'return `${user} dùng như sau:\\n${quotes}`;',
      'const lead = `Các kế hoạch hiện có không định nghĩa «${words}»; các kế hoạch chỉ nhắc đến «${words}» như sau:`;',
      'return ok ? "Theo kế hoạch" : "Theo";',
      'parts.push("Kế hoạch của địa phương bạn được nêu trước; các kế hoạch khác đặt mức riêng.");',
      'parts.push("Mỗi kế hoạch đặt mức riêng; câu hỏi chưa nêu địa phương nên tôi nêu từng kế hoạch.");',
      'parts.push(`Trích dẫn:\\n${quotesBlock(citations)}`);',
      'return `${answer}\\n\\nNguồn:\\n${sources}`;',
      'const label = `Giải đáp của ${f.unitName} (${formatVietnamDate(f.updatedAt)})`;',
      'const text = `${f.question}\\n${f.answer}${f.link ? `\\nXem thêm: ${f.link}` : ""}`;',
      'const EXAMPLES = ["Ai chủ trì triển khai học bạ số?"];',
    ];
    for (const line of planted) expect(brokenRules("reporting/format.ts", `export function f() {\n  ${line}\n}\n`), line).not.toEqual([]);
    // the allowlist is per file: the same literal elsewhere is caught
    expect(brokenRules("officials/progress.ts", 'const t = { text: "Có" };')).toEqual([]);
    expect(brokenRules("dashboard/views.ts", 'const t = { text: "Có" };')).not.toEqual([]);
    // comments may quote the phrases they point to; URLs in strings are not comments
    expect(brokenRules("x.ts", '/** "còn thiếu 12 giáo viên" */\nconst a = 1; // "đã quá 3 ngày"\nconst u = "https://x"; const b = "(bỏ qua)";')).toEqual([
      'a skipped answer\'s words (bot/messages/values.ts formatStoredAnswer) — "(bỏ qua)"',
    ]);
  });
});
