/**
 * Vietnamese wording for the unit-list import (core/units/import.ts): every tagged problem becomes one
 * sentence with what to fix. Plain functions: the CLI (`units import`) and any bot feature use them.
 *
 *   const r = await importUnits(db, file);
 *   for (const e of r.errors) console.error(`  Dòng ${e.line}: ${unitImportErrorText(e)}`);
 */
import { fileKindWords } from "./documents.ts";
import type { Column, ImportError, UnitImportProblem, UnitRowProblem } from "../../core/units/import.ts";

const COLUMN_LABELS: Record<Column, string> = {
  code: "code (mã)",
  name: "name (tên)",
  level: "level (cấp)",
  parent_code: "parent_code (mã đơn vị cấp trên)",
  focal_name: "focal_name (đầu mối)",
  focal_phone: "focal_phone (số điện thoại)",
  plan_id: "plan_id (kế hoạch)",
};

const EXPORT_AGAIN = "Vui lòng xuất danh sách đơn vị từ Excel ra .xlsx hoặc .csv (UTF-8) rồi nhập lại.";

/** One row problem as a clause (lower-case, no full stop); a row's clauses are joined with "; ". */
function rowClause(p: UnitRowProblem): string {
  switch (p.kind) {
    case "missingCode":
      return "thiếu mã đơn vị (cột code)";
    case "badCode":
      return `mã "${p.value}" không hợp lệ (chỉ dùng chữ không dấu, số, dấu gạch ngang; không có khoảng trắng hay dấu /)`;
    case "duplicateCode":
      return `mã ${p.code} trùng với dòng ${p.firstLine}`;
    case "missingName":
      return "thiếu tên đơn vị (cột name)";
    case "nameTooLong":
      return `tên đơn vị dài ${p.length} ký tự, quá ${p.max} ký tự (kiểm tra cột name có bị dán nhầm nội dung khác không)`;
    case "missingLevel":
      return "thiếu cấp (cột level), ví dụ: Sở GDĐT, UBND xã, Tiểu học, TH&THCS";
    case "unknownLevel":
      return `không hiểu cấp "${p.value}" (dùng: Sở GDĐT, Phòng GD&ĐT, UBND xã, Mầm non, Tiểu học, THCS, THPT, GDTX, TH&THCS…)`;
    case "selfParent":
      return "đơn vị không thể là cấp trên của chính nó";
    case "badPhone":
      return `số điện thoại "${p.value}" không hợp lệ (ví dụ đúng: 0912345678 hoặc +84 912 345 678)`;
    case "badPlanId":
      return `mã kế hoạch "${p.planId}" không hợp lệ`;
    case "unknownPlan":
      return `không có kế hoạch "${p.planId}" (các kế hoạch hiện có: ${p.known.join(", ")})`;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One import problem as a sentence (or, for a row, its clauses in one sentence). */
export function unitImportProblemText(p: UnitImportProblem): string {
  switch (p.kind) {
    case "fileMismatch": {
      const otherwise = p.ext === ".xlsx" ? "không phải bảng tính Excel" : "không phải văn bản";
      return `Tệp có đuôi ${p.ext} nhưng nội dung ${p.found ? `là ${fileKindWords(p.found)}` : otherwise} (có thể bị đổi tên nhầm). ${EXPORT_AGAIN}`;
    }
    case "unsupportedExtension":
      return `Không đọc được tệp "${p.file}": chỉ nhận .csv hoặc .xlsx.`;
    case "unreadableFile":
      return `Không đọc được tệp "${p.file}" (tệp có thể bị hỏng). Vui lòng mở tệp bằng Excel, lưu lại thành .xlsx hoặc .csv (UTF-8) rồi nhập lại.`;
    case "missingColumns":
      return `Thiếu cột ${p.columns.map((c) => COLUMN_LABELS[c]).join(", ")}. Dòng đầu của tệp phải có các cột: code, name, level, parent_code, focal_name, focal_phone.`;
    case "noRows":
      return "Tệp không có dòng dữ liệu nào. Thêm mỗi đơn vị một dòng dưới dòng tiêu đề.";
    case "row":
      return capitalize(p.problems.map(rowClause).join("; ")) + ".";
    case "schoolWithUnits":
      return `${p.code} đang quản lý ${p.count} đơn vị (${p.sample.join(", ")}${p.count > p.sample.length ? "…" : ""}) nên không thể nhập thành trường học. Kiểm tra lại cột level, hoặc chuyển các đơn vị đó sang cấp trên khác trước.`;
    case "parentNotFound":
      return `Không tìm thấy đơn vị cấp trên "${p.parentCode}" trong tệp hay trong hệ thống.`;
    case "parentIsSchool":
      return `Đơn vị cấp trên ${p.parentCode} là một trường học; trường không quản lý đơn vị khác.`;
    case "parentCycle":
      return `Vòng lặp cấp trên: ${p.code} nằm dưới chính nó (qua ${p.parentCode}). Sửa cột parent_code.`;
  }
}

/** The text for one bad line of an import (without the "Dòng N:" prefix). */
export function unitImportErrorText(e: ImportError): string {
  return unitImportProblemText(e.problem);
}
