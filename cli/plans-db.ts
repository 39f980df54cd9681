/**
 * The database as the CLI verbs that read plans open it: migrated, with the shipped plans loaded
 * on first use (idempotent), so `catalog list` on a fresh database shows the four plans.
 */
import type { Db } from "../core/db/client.ts";
import { seedShippedPlans } from "../core/plans/index.ts";
import { openCliDb } from "./db.ts";

export async function openPlansDb(): Promise<Db> {
  const db = await openCliDb();
  await seedShippedPlans(db);
  return db;
}

/** Value of `--name value` (or `--name=value`). */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** Positional arguments (not flags, not flag values). */
export function positional(args: string[], flagsWithValue: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (flagsWithValue.includes(a)) i++;
    else if (!a.startsWith("--")) out.push(a);
  }
  return out;
}

/** "Đơn vị chưa có kế hoạch" warning lines for the CLI, or none. */
export function noPlanLines(units: Array<{ code: string; name: string }>): string[] {
  if (!units.length) return [];
  return [
    `⚠️ ${units.length} đơn vị chưa có kế hoạch nào áp dụng cho kỳ hiện tại (chưa được hỏi, chưa tính vào số phải báo cáo):`,
    ...units.slice(0, 30).map((u) => `  - ${u.code} ${u.name}`),
    ...(units.length > 30 ? [`  … và ${units.length - 30} đơn vị khác`] : []),
    "Gắn kế hoạch cho đơn vị hoặc đơn vị cấp trên: npm run cli -- units plan <mã đơn vị> <mã kế hoạch> [--from <kỳ>]",
    "(xem các kế hoạch: npm run cli -- catalog list)",
  ];
}
