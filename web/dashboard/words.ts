/**
 * What the officials' dashboard says: core/dashboard lays out the views and their sheets as data,
 * these are the words (Vietnamese). Plan names use the one wording of bot/messages/common.ts.
 */
import type { ViewWords } from "../../core/dashboard/views.ts";
import type { ViewSheetWords } from "../../core/dashboard/export.ts";
import type { ApprovalProblem } from "../../core/officials/approval.ts";
import { planName } from "../../bot/messages/common.ts";
import { flagTargetName, historyTargetName } from "../../bot/messages/officials.ts";
import { changeText, deadlineLabel, shortfallText, unitAnswerText, PERCENT_POINTS, UNITS_NOUN } from "../../bot/messages/values.ts";

export const VIEW_WORDS: ViewWords = {
  planName,
  status: { on_time: "Đúng hạn", late: "Trễ hạn", missing: "Chưa nộp" },
  reportStatus: ({ submitted, onTime, approval }) =>
    !submitted
      ? "Đang làm dở"
      : `${onTime === false ? "Đã nộp (trễ hạn)" : "Đã nộp"}${approval === "approved" ? ", đã duyệt" : approval === "returned" ? ", bị trả lại để sửa" : ", chờ duyệt"}`,
  draft: "Đang làm dở",
  notStarted: "Chưa bắt đầu",
  skipped: "Bỏ qua",
  yes: "Có",
  no: "Chưa",
  none: "—",
  noData: "Chưa có số liệu",
  level: (value) => `Mức ${value}`,
  targetGone: historyTargetName(null),
  flagTarget: flagTargetName,
  unitsNoun: UNITS_NOUN,
  percentPoints: PERCENT_POINTS,
  gap: (amount) => `cách chỉ tiêu ${amount}`,
  change: (change, unit, previous) => `${changeText(change, unit)} so với ${previous}`,
  shortfall: shortfallText,
  deadline: deadlineLabel,
  unitAnswer: unitAnswerText,
  outlier: {
    drop: "Giảm mạnh so với kỳ trước, cần kiểm tra",
    denominator_jump: "Tổng số thay đổi bất thường so với kỳ trước, cần kiểm tra",
  },
  focalPoint: "Đầu mối",
  lateMark: "(trễ hạn)",
  approval: { pending: "Chờ duyệt", approved: "Đã duyệt", returned: "Đã trả lại" },
};

const titled = (sheet: string, title: string): ViewSheetWords["overview"] => ({ sheet, title: (period, under) => `${title} ${period} — ${under}` });

export const VIEW_SHEET_WORDS: ViewSheetWords = {
  creator: "Trợ lý báo cáo chuyển đổi số",
  fileName: {
    overview: (period, under) => `Tình hình báo cáo ${period} ${under}`,
    progress: (period, under) => `Tiến độ chỉ tiêu ${period} ${under}`,
    late: (period, under) => `Đơn vị chưa nộp ${period} ${under}`,
    school: (_period, school) => `Báo cáo ${school}`,
  },
  overview: titled("Tình hình báo cáo", "Tình hình báo cáo"),
  progress: titled("Tiến độ", "Tiến độ chỉ tiêu"),
  below: titled("Đơn vị chưa đạt", "Đơn vị chưa đạt chỉ tiêu"),
  missing: titled("Chưa nộp", "Đơn vị chưa nộp báo cáo"),
  late: titled("Nộp trễ hạn", "Đơn vị nộp trễ hạn"),
  school: { sheet: "Báo cáo", title: (_period, school) => `Báo cáo của ${school}` },
  headers: {
    unit: "Đơn vị",
    status: "Tình trạng",
    expected: "Phải báo cáo",
    submitted: "Đã nộp",
    onTime: "Đúng hạn",
    late: "Trễ hạn",
    missing: "Chưa nộp",
    reportingRate: "Tỷ lệ báo cáo",
    onTimeRate: "Tỷ lệ đúng hạn",
    plan: "Kế hoạch",
    target: "Chỉ tiêu",
    threshold: "Mức chỉ tiêu",
    numerator: "Tử số",
    denominator: "Mẫu số",
    result: "Kết quả",
    meets: "Đạt chỉ tiêu",
    answered: "Đơn vị đã báo cáo",
    expectedUnits: "Đơn vị phải báo cáo",
    meetingUnits: "Đơn vị đạt",
    parent: "Trực thuộc",
    gap: "Khoảng cách",
    reason: "Lý do",
    outlier: "Cảnh báo bất thường",
    focal: "Đầu mối",
    phone: "Điện thoại",
    submittedAt: "Nộp lúc",
    period: "Kỳ báo cáo",
    value: "Giá trị",
    answer: "Trả lời",
  },
  total: "Tổng cộng",
  yes: "Có",
  no: "Chưa",
};

/** Why an approval step was refused, for the official (names nothing outside their scope). */
export function approvalProblemText(problem: ApprovalProblem): string {
  return {
    not_found: "Không tìm thấy báo cáo này trong phạm vi của bạn. Hãy tải lại danh sách.",
    own_unit: "Báo cáo của chính đơn vị bạn do cấp trên duyệt.",
    not_submitted: "Báo cáo chưa được nộp nên chưa duyệt được.",
    already_approved: "Báo cáo đã được duyệt rồi. Hãy tải lại danh sách.",
    not_approved: "Báo cáo chưa được duyệt nên không cần bỏ duyệt.",
    already_returned: "Báo cáo đã được trả lại rồi, đang chờ đơn vị sửa.",
    reason_required: "Hãy ghi lý do (ít nhất 3 ký tự) để đơn vị biết cần sửa gì.",
  }[problem];
}
