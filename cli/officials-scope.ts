/**
 * What the officials' verbs (late, progress, export) share: parse the flags, open the database,
 * resolve the scope (--under, or every root unit) and turn an unknown unit into exit code 2.
 */
import { loadCatalog, type Catalog } from "../core/catalog/index.ts";
import type { Db } from "../core/db/client.ts";
import { openCliDb } from "./db.ts";
import { parseOfficialArgs, type OfficialArgs } from "../core/officials/command.ts";
import { rootUnits, UnknownUnitError } from "../core/officials/scope.ts";

export interface ScopeRun {
  db: Db;
  catalog: Catalog;
  opts: OfficialArgs;
  /** Unit codes to run under: --under, or every root unit. */
  roots: string[];
}

export async function runOverScope(args: string[], usage: string, body: (run: ScopeRun) => Promise<number>): Promise<number> {
  const opts = parseOfficialArgs(args, usage);
  if ("error" in opts) {
    console.error(opts.error);
    return 2;
  }
  const db = await openCliDb();
  try {
    const roots = opts.under ? [opts.under] : (await rootUnits(db)).map((u) => u.code);
    if (!roots.length) {
      console.error("Chưa có đơn vị nào trong cơ sở dữ liệu. Nhập danh sách đơn vị: npm run cli -- units import <tệp>.");
      return 2;
    }
    return await body({ db, catalog: loadCatalog(), opts, roots });
  } catch (e) {
    if (e instanceof UnknownUnitError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  } finally {
    await db.$disconnect();
  }
}
