import { describe, expect, it } from "vitest";
import { describeLevels, levelsOf, parseLevel } from "../../core/units/levels.ts";
import { normalizePhone } from "../../core/units/phone.ts";

const cases: Array<[string, string | null, string[]?]> = [
  // department
  ["Sở GDĐT", "department", ["so"]],
  ["Sở GD&ĐT", "department", ["so"]],
  ["Sở Giáo dục và Đào tạo", "department", ["so"]],
  ["SO GIAO DUC VA DAO TAO", "department", ["so"]],
  ["so gddt", "department", ["so"]],
  ["so", "department", ["so"]],
  // district office
  ["Phòng GD&ĐT", "district", ["phong"]],
  ["Phòng GDĐT", "district", ["phong"]],
  ["phong gd-dt", "district", ["phong"]],
  ["Phòng Giáo dục và Đào tạo", "district", ["phong"]],
  ["phong", "district", ["phong"]],
  // commune
  ["UBND xã", "commune", ["xa"]],
  ["UBND phường", "commune", ["xa"]],
  ["Ủy ban nhân dân xã", "commune", ["xa"]],
  ["xã", "commune", ["xa"]],
  ["phường", "commune", ["xa"]],
  ["XA", "commune", ["xa"]],
  ["ubnd thi tran", "commune", ["xa"]],
  // single-level schools
  ["Mầm non", "school", ["mn"]],
  ["Mẫu giáo", "school", ["mn"]],
  ["mam non", "school", ["mn"]],
  ["MN", "school", ["mn"]],
  ["Tiểu học", "school", ["th"]],
  ["TIEU HOC", "school", ["th"]],
  ["th", "school", ["th"]],
  ["THCS", "school", ["thcs"]],
  ["Trung học cơ sở", "school", ["thcs"]],
  ["trung hoc co so", "school", ["thcs"]],
  ["THPT", "school", ["thpt"]],
  ["Trung học phổ thông", "school", ["thpt"]],
  ["GDTX", "school", ["gdtx"]],
  ["Trung tâm GDNN-GDTX", "school", ["gdtx"]],
  ["Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên", "school", ["gdtx"]],
  ["Trường Tiểu học", "school", ["th"]],
  // multi-level schools
  ["TH&THCS", "school", ["th", "thcs"]],
  ["TH và THCS", "school", ["th", "thcs"]],
  ["Liên cấp TH-THCS", "school", ["th", "thcs"]],
  ["THCS&THPT", "school", ["thcs", "thpt"]],
  ["THCS và THPT", "school", ["thcs", "thpt"]],
  ["Liên cấp MN-TH-THCS", "school", ["mn", "th", "thcs"]],
  ["PTDTBT TH&THCS", "school", ["th", "thcs"]],
  ["PTDTNT THCS&THPT", "school", ["thcs", "thpt"]],
  ["Trường Phổ thông dân tộc bán trú Tiểu học và THCS", "school", ["th", "thcs"]],
  ["Tiểu học và Trung học cơ sở", "school", ["th", "thcs"]],
  ["th+thcs", "school", ["th", "thcs"]],
  ["th,thcs", "school", ["th", "thcs"]],
  ["thcs, th", "school", ["th", "thcs"]],
  ["mn+th+thcs", "school", ["mn", "th", "thcs"]],
  ["  Th / Thcs  ", "school", ["th", "thcs"]],
  // not a level
  ["", null],
  ["Đại học", null],
  ["Trường Hoa Mai", null],
  ["Liên cấp", null],
  ["bệnh viện", null],
  ["12345", null],
];

describe("parseLevel", () => {
  it("has at least 40 cases", () => expect(cases.length).toBeGreaterThanOrEqual(40));
  for (const [text, kind, levels] of cases) {
    it(`"${text}" → ${kind ?? "null"} ${levels?.join(",") ?? ""}`, () => {
      const r = parseLevel(text);
      if (kind === null) expect(r).toBeNull();
      else expect(r).toEqual({ kind, levels });
    });
  }

  it("reads NFD (decomposed) input the same as NFC", () => {
    for (const t of ["Sở Giáo dục và Đào tạo", "Trung học phổ thông", "Mẫu giáo", "UBND phường"]) {
      expect(parseLevel(t.normalize("NFD"))).toEqual(parseLevel(t.normalize("NFC")));
      expect(parseLevel(t.normalize("NFD"))).not.toBeNull();
    }
  });

  it("round-trips the stored comma list and labels", () => {
    expect(levelsOf("th,thcs,bogus")).toEqual(["th", "thcs"]);
    expect(describeLevels(["th", "thcs"])).toBe("Tiểu học, THCS");
  });
});

describe("normalizePhone", () => {
  const ok: Array<[string | number, string]> = [
    ["0912345678", "0912345678"],
    ["+84 912 345 678", "0912345678"],
    ["84912345678", "0912345678"],
    ["0912.345.678", "0912345678"],
    ["0912-345-678", "0912345678"],
    ["(+84) 912345678", "0912345678"],
    ["0084912345678", "0912345678"],
    [912345678, "0912345678"],
    ["0243 123 4567", "02431234567"],
    ["0900000001", "0900000001"],
  ];
  for (const [raw, want] of ok) it(`${raw} → ${want}`, () => expect(normalizePhone(raw)).toBe(want));
  for (const bad of ["12345", "0123456789", "+1 202 555 0100", "09123456789", "abc", "", "091234567x"]) {
    it(`rejects "${bad}"`, () => expect(normalizePhone(bad)).toBeNull());
  }
});
