/**
 * What the officials' verbs (late, progress, export) share: parse the flags, open the database,
 * resolve the scope (--under, or every root unit) and turn an unknown unit into exit code 2.
 */
import type { Catalog } from "../core/catalog/index.ts";
import type { Db } from "../core/db/client.ts";
import { loadCatalogFromDb } from "../core/plans/index.ts";
import { openPlansDb } from "./plans-db.ts";
import { parseOfficialArgs, type OfficialArgs } from "../core/officials/command.ts";
import { officialArgsProblemText, unknownUnitText } from "../bot/messages/officials.ts";
import { rootUnits, UnknownUnitError } from "../core/officials/scope.ts";
import { officialScopeByTelegramId, operatorScope, type OfficialScope, type Refusal } from "../core/officials/access.ts";

export interface ScopeRun {
  db: Db;
  catalog: Catalog;
  opts: OfficialArgs;
  /** Unit codes to run under: --under, or every root unit. */
  roots: string[];
  /** The scopes to run in: the official's (--as), or the operator's over each root. */
  scopes: OfficialScope[];
  /** With --as: the area inside the official's scope named by --under. */
  area?: string;
}

/** A refusal on the command line (exit 2): names only the asker's scope. */
export function refusalMessage(r: Refusal): string {
  return r.problem === "outside_scope"
    ? `Đơn vị được hỏi không thuộc phạm vi ${r.scopeName}.`
    : `Không tìm thấy đơn vị được hỏi trong phạm vi ${r.scopeName}.`;
}

/** `given`: an open database (tests drive the verbs in process); otherwise the CLI database is opened (not migrated). */
export async function runOverScope(args: string[], usage: string, body: (run: ScopeRun) => Promise<number>, given?: Db): Promise<number> {
  const opts = parseOfficialArgs(args);
  if ("problem" in opts) {
    console.error(officialArgsProblemText(opts, usage));
    return 2;
  }
  const db = given ?? (await openPlansDb());
  try {
    // the catalog from the database, as the bot reads it (the shipped plans are loaded on first use)
    const catalog = await loadCatalogFromDb(db);
    if (opts.as) {
      const scope = await officialScopeByTelegramId(db, opts.as);
      if (!scope) {
        console.error(`Người dùng Telegram ${opts.as} không phải cán bộ quản lý. Gán bằng: npm run cli -- officials add <telegram id> <mã đơn vị>.`);
        return 2;
      }
      return await body({ db, catalog, opts, roots: [scope.root.code], scopes: [scope], area: opts.under });
    }
    const roots = opts.under ? [opts.under] : (await rootUnits(db)).map((u) => u.code);
    if (!roots.length) {
      console.error("Chưa có đơn vị nào trong cơ sở dữ liệu. Nhập danh sách đơn vị: npm run cli -- units import <tệp>.");
      return 2;
    }
    const scopes = await Promise.all(roots.map((code) => operatorScope(db, code)));
    return await body({ db, catalog, opts, roots, scopes });
  } catch (e) {
    if (e instanceof UnknownUnitError) {
      console.error(unknownUnitText(e.code));
      return 2;
    }
    throw e;
  } finally {
    if (!given) await db.$disconnect();
  }
}
