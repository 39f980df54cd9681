/**
 * The paraphrase lexicon: everyday words people type for what the plans word otherwise ("thầy cô" for "giáo viên",
 * "học online" for "học trực tuyến", "xài" for "sử dụng"). Data, not wording: nothing here is shown to a user.
 *
 * How entries are chosen: each pair is a real equivalence in the plans' domain (education digital transformation),
 * true wherever the everyday word is used in a question about a plan — never a fix for one question's words. The
 * plan side is the plans' own term; the everyday side is a word or phrase the plans do not use for it.
 *
 * How they are used (tokenize.ts, with the sector abbreviations): a question's everyday word forms one content group
 * with the plan's term, so retrieval, every coverage and refusal check (coverage, unknown words, yes/no objects) and
 * the choice of the first line count the plan's term as covering it. A passage's plan term is indexed with the
 * everyday word too (plan → everyday only: a plan's own "tiền mặt" must not stand for "kinh phí").
 */
export interface Paraphrase {
  /** As people type it (folded when matched: diacritics optional). */
  everyday: string;
  /** The plans' term. */
  plan: string;
}

export const PARAPHRASES: Paraphrase[] = [
  // people
  { everyday: "thầy cô", plan: "giáo viên" },
  { everyday: "cô giáo", plan: "giáo viên" },
  { everyday: "thầy giáo", plan: "giáo viên" },
  { everyday: "học trò", plan: "học sinh" },
  { everyday: "bọn trẻ", plan: "trẻ" },
  { everyday: "các cháu", plan: "học sinh" },
  { everyday: "phụ huynh", plan: "cha mẹ học sinh" },
  { everyday: "người giỏi", plan: "nhân lực chất lượng cao" },
  // doing and knowing
  { everyday: "xài", plan: "sử dụng" },
  { everyday: "rành", plan: "hiểu biết" },
  { everyday: "tự chấm", plan: "tự đánh giá" },
  { everyday: "chấm điểm", plan: "đánh giá" },
  { everyday: "tập dượt", plan: "diễn tập" },
  { everyday: "ai lo", plan: "chủ trì" },
  { everyday: "phụ trách", plan: "chủ trì" },
  { everyday: "kéo", plan: "thu hút" },
  // when
  { everyday: "hạn chót", plan: "thời gian hoàn thành" },
  { everyday: "hạn xong", plan: "thời gian hoàn thành" },
  { everyday: "bao giờ xong", plan: "thời gian hoàn thành" },
  { everyday: "hoàn tất", plan: "hoàn thành" },
  // data
  { everyday: "khớp", plan: "xác thực" },
  { everyday: "đối khớp", plan: "xác thực" },
  // learning and records
  { everyday: "online", plan: "trực tuyến" },
  { everyday: "sổ điểm điện tử", plan: "học bạ số" },
  { everyday: "sổ điểm", plan: "học bạ" },
  { everyday: "bằng tốt nghiệp", plan: "văn bằng" },
  { everyday: "bản điện tử", plan: "số hóa" },
  // things and money
  { everyday: "máy chiếu", plan: "thiết bị" },
  { everyday: "máy tính bảng", plan: "thiết bị" },
  { everyday: "tiền", plan: "kinh phí" },
  { everyday: "tiền", plan: "ngân sách" },
  { everyday: "đâu ra", plan: "nguồn" },
  { everyday: "chuyển khoản", plan: "không dùng tiền mặt" },
  { everyday: "tiền học", plan: "học phí" },
  { everyday: "mạng máy tính nội bộ", plan: "mạng nội bộ" },
  { everyday: "tấn công mạng", plan: "an ninh mạng" },
];
