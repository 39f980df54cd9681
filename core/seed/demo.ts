/**
 * A fictional demo province, so the bot can be tried at once: `seedDemo(db)` fills an EMPTY database.
 *
 *   const summary = await seedDemo(db);   // null when the database already has units
 *   summary?.invites                      // [{ code: "demo_th_hoamai", role: "focal", unit: "TH-HOAMAI", … }, …]
 *
 * Everything here is invented: "tỉnh Minh An" does not exist, names carry "(demo)", and every phone
 * number is 0900000xxx. Demo invite codes start with "demo_" and are reusable (see DEMO_INVITE_PREFIX):
 *
 *   demo_th_hoamai    focal point of Trường Tiểu học Hoa Mai (demo)      (plan TK-2026 via xã Tân Kỳ)
 *   demo_lc_sonca     focal point of Trường TH&THCS Sơn Ca (demo)        (multi-level, plan NB-27-2025)
 *   demo_thpt_minhan  focal point of Trường THPT Minh An (demo)          (plan NB-27-2025)
 *   demo_xa_tanky     official of UBND xã Tân Kỳ (demo)                  (oversees its schools)
 *   demo_phong_dongha official of Phòng GD&ĐT huyện Đông Hà (demo)       (plan DH-2024)
 *   demo_so           official of Sở GDĐT tỉnh Minh An (demo)            (oversees everything)
 *   demo_admin        admin
 *
 * When the target catalog is available, submitted reports for the two previous months are generated
 * for about 70% of schools (deterministic: a seeded PRNG), some late and some below target.
 */
import { meetsThreshold } from "../reporting/check.ts";
import type { Db } from "../db/client.ts";
import { loadCatalog, type Catalog, type CatalogEntry, type Threshold } from "../catalog/index.ts";
import { currentPeriod, deadlineOf, previousPeriod, type Period } from "../reporting/periods.ts";
import { formatLevels, parseLevel } from "../units/levels.ts";
import { childPath } from "../units/tree.ts";
import type { InviteRole } from "../units/people.ts";

export interface DemoInvite {
  code: string;
  role: InviteRole;
  unitCode: string;
  unitName: string;
  /** What trying this code shows, in Vietnamese. */
  description: string;
}

export interface SeedSummary {
  units: number;
  schools: number;
  invites: DemoInvite[];
  /** Submitted reports generated (0 when the catalog is missing). */
  reports: number;
  /** Period keys the reports cover, oldest first. */
  periods: string[];
}

export interface SeedOptions {
  /** "Now" for choosing the two previous months (default: the current time). */
  now?: Date;
  /** Generate past reports when the catalog is available (default true). */
  reports?: boolean;
  /** Catalog to use (default: loadCatalog()). */
  catalog?: Catalog;
}

interface DemoUnit {
  code: string;
  name: string;
  level: string;
  parent: string | null;
  planId?: string;
  focal?: [name: string, phone: string];
}

/** The fictional province. Focal phones 0900000001… ; TH-HOAMAI and MN-HOAMAI share one focal point. */
function demoUnits(): DemoUnit[] {
  let n = 0;
  const phone = () => `0900000${String(++n).padStart(3, "0")}`;
  const focal = (name: string): [string, string] => [`${name} (demo)`, phone()];
  const units: DemoUnit[] = [
    { code: "SO-DEMO", name: "Sở GDĐT tỉnh Minh An (demo)", level: "Sở GDĐT", parent: null, planId: "NB-27-2025", focal: focal("Phạm Minh Khoa") },
    { code: "XA-TANKY", name: "UBND xã Tân Kỳ (demo)", level: "UBND xã", parent: "SO-DEMO", planId: "TK-2026", focal: focal("Đỗ Thu Hà") },
    { code: "XA-BINHAN", name: "UBND xã Bình An (demo)", level: "UBND xã", parent: "SO-DEMO", focal: focal("Vũ Đức Long") },
    { code: "PHUONG-HOALAC", name: "UBND phường Hòa Lạc (demo)", level: "UBND phường", parent: "SO-DEMO", focal: focal("Ngô Thanh Tâm") },
    { code: "XA-SONGMAI", name: "UBND xã Sông Mai (demo)", level: "UBND xã", parent: "SO-DEMO", focal: focal("Lý Hoài Nam") },
    { code: "PHONG-DONGHA", name: "Phòng GD&ĐT huyện Đông Hà (demo)", level: "Phòng GD&ĐT", parent: "SO-DEMO", planId: "DH-2024", focal: focal("Hồ Quang Vinh") },
  ];
  const hoaMaiFocal = focal("Nguyễn Thị Lan");
  const schools: Array<[code: string, name: string, level: string, parent: string, focalName?: string]> = [
    // xã Tân Kỳ (plan TK-2026)
    ["MN-HOAMAI", "Trường Mầm non Hoa Mai (demo)", "Mầm non", "XA-TANKY"],
    ["TH-HOAMAI", "Trường Tiểu học Hoa Mai (demo)", "Tiểu học", "XA-TANKY"],
    ["THCS-TANKY", "Trường THCS Tân Kỳ (demo)", "THCS", "XA-TANKY", "Trần Văn Bình"],
    ["MN-TANKY", "Trường Mầm non Tân Kỳ (demo)", "Mầm non", "XA-TANKY", "Lê Thị Mai"],
    ["TH-TANKY", "Trường Tiểu học Tân Kỳ (demo)", "Tiểu học", "XA-TANKY", "Phan Văn Đức"],
    // xã Bình An
    ["MN-BINHAN", "Trường Mầm non Bình An (demo)", "Mầm non", "XA-BINHAN", "Đặng Thị Hồng"],
    ["TH-BINHAN", "Trường Tiểu học Bình An (demo)", "Tiểu học", "XA-BINHAN", "Bùi Văn Hải"],
    ["THCS-BINHAN", "Trường THCS Bình An (demo)", "THCS", "XA-BINHAN", "Đinh Thị Thảo"],
    ["LC-SONCA", "Trường TH&THCS Sơn Ca (demo)", "TH&THCS", "XA-BINHAN", "Mai Văn Tiến"],
    ["MN-SAOMAI", "Trường Mầm non Sao Mai (demo)", "Mẫu giáo", "XA-BINHAN", "Cao Thị Yến"],
    // phường Hòa Lạc
    ["MN-HOALAC", "Trường Mầm non Hòa Lạc (demo)", "Mầm non", "PHUONG-HOALAC", "Tạ Thị Ngọc"],
    ["TH-HOALAC", "Trường Tiểu học Hòa Lạc (demo)", "Tiểu học", "PHUONG-HOALAC", "Lương Văn Sơn"],
    ["TH-CHIMEN", "Trường Tiểu học Chim Én (demo)", "Tiểu học", "PHUONG-HOALAC", "Kiều Thị Vân"],
    ["THCS-HOALAC", "Trường THCS Hòa Lạc (demo)", "THCS", "PHUONG-HOALAC", "Hà Văn Phúc"],
    ["THCS-LEQUYDON", "Trường THCS Lê Quý Đôn (demo)", "Trung học cơ sở", "PHUONG-HOALAC", "Quách Thị Hạnh"],
    // xã Sông Mai
    ["MN-SONGMAI", "Trường Mầm non Sông Mai (demo)", "Mầm non", "XA-SONGMAI", "Trịnh Thị Nga"],
    ["TH-SONGMAI", "Trường Tiểu học Sông Mai (demo)", "Tiểu học", "XA-SONGMAI", "Lâm Văn Toàn"],
    ["LC-DOITHONG", "Trường PTDTBT TH&THCS Đồi Thông (demo)", "PTDTBT TH&THCS", "XA-SONGMAI", "Thái Văn Khải"],
    ["LC-BANMAI", "Trường Liên cấp MN-TH-THCS Ban Mai (demo)", "Liên cấp MN-TH-THCS", "XA-SONGMAI", "Âu Thị Loan"],
    // Phòng GD&ĐT huyện Đông Hà (plan DH-2024)
    ["MN-DONGHA", "Trường Mầm non Đông Hà (demo)", "Mầm non", "PHONG-DONGHA", "Châu Thị Diệu"],
    ["TH-DONGHA", "Trường Tiểu học Đông Hà (demo)", "Tiểu học", "PHONG-DONGHA", "Văn Đình Hiếu"],
    ["TH-HUONGDUONG", "Trường Tiểu học Hướng Dương (demo)", "Tiểu học", "PHONG-DONGHA", "Khúc Thị Oanh"],
    ["THCS-DONGHA", "Trường THCS Đông Hà (demo)", "THCS", "PHONG-DONGHA", "Tôn Văn Lực"],
    // directly under the department: THPT and GDTX
    ["THPT-MINHAN", "Trường THPT Minh An (demo)", "THPT", "SO-DEMO", "Phí Thị Hương"],
    ["THPT-TANKY", "Trường THPT Tân Kỳ (demo)", "THPT", "SO-DEMO", "Doãn Văn Quý"],
    ["THPT-BINHAN", "Trường THPT Bình An (demo)", "Trung học phổ thông", "SO-DEMO", "Giáp Thị Xuân"],
    ["THPT-HOALAC", "Trường THPT Hòa Lạc (demo)", "THPT", "SO-DEMO", "Ông Văn Thành"],
    ["LC-VIETANH", "Trường THCS&THPT Việt Anh (demo)", "THCS&THPT", "SO-DEMO", "Mạc Thị Duyên"],
    ["GDTX-MINHAN", "Trung tâm GDNN-GDTX Minh An (demo)", "Trung tâm GDNN-GDTX", "SO-DEMO", "Lục Văn Bảo"],
    ["GDTX-DONGHA", "Trung tâm GDNN-GDTX Đông Hà (demo)", "GDTX", "SO-DEMO", "Nghiêm Thị Thu"],
  ];
  for (const [code, name, level, parent, focalName] of schools) {
    units.push({ code, name, level, parent, focal: focalName ? focal(focalName) : hoaMaiFocal });
  }
  return units;
}

const DEMO_INVITES: Array<Omit<DemoInvite, "unitName">> = [
  { code: "demo_th_hoamai", role: "focal", unitCode: "TH-HOAMAI", description: "Đầu mối trường Tiểu học Hoa Mai: nhập báo cáo tháng." },
  { code: "demo_lc_sonca", role: "focal", unitCode: "LC-SONCA", description: "Đầu mối trường liên cấp TH&THCS Sơn Ca: câu hỏi của cả hai cấp." },
  { code: "demo_thpt_minhan", role: "focal", unitCode: "THPT-MINHAN", description: "Đầu mối trường THPT Minh An (trực thuộc Sở)." },
  { code: "demo_xa_tanky", role: "official", unitCode: "XA-TANKY", description: "Cán bộ UBND xã Tân Kỳ: xem tiến độ, đơn vị trễ hạn, nhắc nhở." },
  { code: "demo_phong_dongha", role: "official", unitCode: "PHONG-DONGHA", description: "Cán bộ Phòng GD&ĐT huyện Đông Hà." },
  { code: "demo_so", role: "official", unitCode: "SO-DEMO", description: "Cán bộ Sở GDĐT: xem toàn tỉnh." },
  { code: "demo_admin", role: "admin", unitCode: "SO-DEMO", description: "Quản trị: toàn quyền." },
];

/** Mulberry32: a small deterministic PRNG, so the demo is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fill an empty database with the demo province; null (and nothing changed) when any unit exists. */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedSummary | null> {
  if ((await db.unit.count()) > 0) return null;
  const units = demoUnits();
  const invites: DemoInvite[] = [];
  const created = await db.$transaction(async (tx) => {
    const t = tx as unknown as Db;
    const byCode = new Map<string, { id: number; path: string; planId: string | null; levels: string; kind: string }>();
    for (const u of units) {
      const parsed = parseLevel(u.level);
      if (!parsed) throw new Error(`demo seed: unknown level ${u.level}`);
      const parent = u.parent ? byCode.get(u.parent)! : null;
      const row = await t.unit.create({
        data: {
          code: u.code,
          name: u.name,
          kind: parsed.kind,
          levels: formatLevels(parsed.levels),
          parentId: parent?.id ?? null,
          path: childPath(parent?.path ?? null, u.code),
          planId: u.planId ?? null,
          focalName: u.focal?.[0] ?? null,
          focalPhone: u.focal?.[1] ?? null,
        },
      });
      byCode.set(u.code, { id: row.id, path: row.path, planId: u.planId ?? parent?.planId ?? null, levels: row.levels, kind: row.kind });
    }
    for (const inv of DEMO_INVITES) {
      const unit = byCode.get(inv.unitCode)!;
      await t.invite.create({ data: { code: inv.code, unitId: unit.id, role: inv.role } });
      invites.push({ ...inv, unitName: units.find((u) => u.code === inv.unitCode)!.name });
    }
    await t.auditLog.create({
      data: { action: "seed.demo", entity: "Unit", entityId: "SO-DEMO", details: JSON.stringify({ units: units.length }) },
    });
    return byCode;
  });

  let reports = 0;
  let periods: string[] = [];
  if (options.reports !== false) {
    const catalog = options.catalog ?? tryLoadCatalog();
    if (catalog && catalog.entries.length > 0) {
      const last = previousPeriod(currentPeriod("month", options.now ?? new Date()));
      const ps = [previousPeriod(last), last];
      periods = ps.map((p) => p.key);
      const schools = [...created.entries()].filter(([, u]) => u.kind === "school");
      reports = await seedReports(db, catalog, schools, ps);
    }
  }
  const schools = [...created.values()].filter((u) => u.kind === "school").length;
  return { units: created.size, schools, invites, reports, periods };
}

function tryLoadCatalog(): Catalog | null {
  try {
    return loadCatalog();
  } catch {
    return null;
  }
}

/** Typical denominators per denominatorKey, so a unit gives the same "all teachers" everywhere. */
const DENOMINATOR_RANGES: Record<string, [number, number]> = {
  teachers: [18, 75],
  staff: [22, 90],
  students: [180, 1200],
  classrooms: [8, 40],
  classes: [8, 40],
};

const meets = (value: number, threshold: Threshold) => meetsThreshold(value, threshold);

interface FakeAnswer {
  indicatorCode: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  raw: string;
  meetsTarget: boolean | null;
}

/** A plausible answer for one indicator: mostly near or above the target, sometimes below. */
function fakeAnswer(e: CatalogEntry, rand: () => number, denominators: Map<string, number>, strong: number): FakeAnswer {
  const unitThreshold = e.unitThreshold ?? (e.rollup === "share_meeting" || e.rollup === "sum_ratio" ? e.threshold : undefined);
  const judge = (v: number) => (unitThreshold ? meets(v, unitThreshold) : null);
  const m = e.measure;
  switch (m.type) {
    case "ratio": {
      const key = m.denominatorKey ?? `indicator:${e.code}`;
      let den = denominators.get(key);
      if (den === undefined) {
        const [lo, hi] = DENOMINATOR_RANGES[key] ?? [10, 60];
        den = lo + Math.floor(rand() * (hi - lo + 1));
        denominators.set(key, den);
      }
      const share = Math.min(1, Math.max(0, strong + (rand() - 0.5) * 0.3));
      const num = Math.round(den * share);
      const value = Math.round((num / den) * 1000) / 10;
      return { indicatorCode: e.code, value, numerator: num, denominator: den, raw: `${num}/${den}`, meetsTarget: judge(value) };
    }
    case "percent": {
      const value = Math.round(Math.min(100, Math.max(0, (strong + (rand() - 0.5) * 0.3) * 100)));
      return { indicatorCode: e.code, value, numerator: null, denominator: null, raw: `${value}%`, meetsTarget: judge(value) };
    }
    case "count": {
      const base = e.threshold.unit === "count" ? Math.max(1, e.threshold.value) : 5;
      const value = Math.max(0, Math.round(base * (strong + (rand() - 0.4) * 0.6)));
      return { indicatorCode: e.code, value, numerator: null, denominator: null, raw: String(value), meetsTarget: judge(value) };
    }
    case "boolean": {
      const yes = rand() < strong;
      return { indicatorCode: e.code, value: yes ? 1 : 0, numerator: null, denominator: null, raw: yes ? "có" : "chưa", meetsTarget: yes };
    }
    case "level": {
      const span = m.max - m.min;
      const value = Math.min(m.max, Math.max(m.min, m.min + Math.round(span * (strong + (rand() - 0.5) * 0.4))));
      return { indicatorCode: e.code, value, numerator: null, denominator: null, raw: `mức ${value}`, meetsTarget: judge(value) };
    }
  }
}

/** Submitted reports for ~70% of schools and each period; ~20% of them late. Returns how many. */
async function seedReports(
  db: Db,
  catalog: Catalog,
  schools: Array<[string, { id: number; planId: string | null; levels: string }]>,
  periods: Period[],
): Promise<number> {
  const rand = prng(20260101);
  let count = 0;
  for (const [, unit] of schools) {
    if (!unit.planId) continue;
    const plan = catalog.plan(unit.planId);
    if (!plan) continue;
    const levels = unit.levels.split(",") as Parameters<Catalog["forUnit"]>[1];
    const entries = catalog.forUnit(unit.planId, levels, "monthly");
    if (entries.length === 0) continue;
    const reports = rand() < 0.72; // this school reports at all
    const strong = 0.72 + rand() * 0.36; // how far along this school is (may exceed 1: clamped per answer)
    const denominators = new Map<string, number>();
    for (const p of periods) {
      if (!reports || rand() < 0.1) continue;
      const deadline = deadlineOf(p, plan.reporting);
      const late = rand() < 0.2;
      const submittedAt = late
        ? new Date(deadline.getTime() + (1 + Math.floor(rand() * 6)) * 86_400_000 + 3_600_000)
        : new Date(deadline.getTime() - (1 + Math.floor(rand() * 8)) * 86_400_000 - (2 + Math.floor(rand() * 10)) * 3_600_000);
      const answers = entries.map((e) => fakeAnswer(e, rand, denominators, strong));
      await db.$transaction(async (tx) => {
        const t = tx as unknown as Db;
        const report = await t.report.create({
          data: {
            unitId: unit.id,
            period: p.key,
            periodKind: "month",
            planId: unit.planId!,
            status: "submitted",
            revision: 1,
            deadline,
            firstSubmittedAt: submittedAt,
            submittedAt,
            onTime: !late,
          },
        });
        await t.answer.createMany({ data: answers.map((a) => ({ reportId: report.id, ...a })) });
        await t.reportRevision.create({
          data: {
            reportId: report.id,
            revision: 1,
            onTime: !late,
            reason: "Dữ liệu mẫu (demo)",
            answersJson: JSON.stringify(answers),
            createdAt: submittedAt,
          },
        });
      });
      count++;
    }
  }
  return count;
}
