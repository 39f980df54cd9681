/**
 * Which database a URL points at, and how to reach it with Prisma's driver adapters.
 * SQLite (default, a file under data/) and PostgreSQL share one data model:
 * prisma/schema.prisma and its generated twin prisma/postgres/schema.prisma.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export type DbProvider = "sqlite" | "postgresql";

export function providerOf(url: string): DbProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL không hợp lệ: "${url}". Dùng "file:./data/app.db" (SQLite) hoặc "postgresql://user@host:5432/db".`,
  );
}

/** Absolute path of a SQLite file URL (relative paths resolve from the working directory). */
export function sqliteFile(url: string): string {
  const file = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path.resolve(file);
}

/**
 * A PostgreSQL URL may name a schema with `?schema=name` (tests isolate themselves that way).
 * node-postgres does not know that parameter, so it becomes a search_path and the adapter's schema.
 */
export function pgConnection(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (!schema) return { connectionString: url };
  if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Tên schema PostgreSQL không hợp lệ: "${schema}"`);
  parsed.searchParams.delete("schema");
  parsed.searchParams.set("options", `-c search_path=${schema}`);
  return { connectionString: parsed.toString(), schema };
}

/** PostgreSQL's internal `name` (OID 19) and `"char"` (OID 18, read by `migrate diff`) types break Prisma's JS schema engine (prisma/orm#27403); read it as text. */
let pgNamePatched = false;
export async function patchPgNameType(): Promise<void> {
  if (pgNamePatched) return;
  pgNamePatched = true;
  const pg = (await import("pg")).default as unknown as {
    Result: { prototype: { addFields(fields: Array<{ dataTypeID: number }>): void } };
  };
  const original = pg.Result.prototype.addFields;
  pg.Result.prototype.addFields = function addFields(fields) {
    for (const f of fields) if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25;
    return original.call(this, fields);
  };
}

export function prismaTargetFor(rawUrl: string | undefined) {
  const url = rawUrl && rawUrl.trim() !== "" ? rawUrl : DEFAULT_DATABASE_URL;
  const provider = providerOf(url);
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const dir = provider === "sqlite" ? path.join(root, "prisma") : path.join(root, "prisma", "postgres");
  return {
    url,
    provider,
    schemaPath: path.join(dir, "schema.prisma"),
    migrationsPath: path.join(dir, "migrations"),
    async cliAdapter() {
      if (provider === "sqlite") {
        const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
        return new PrismaBetterSQLite3({ url: sqliteFile(url) });
      }
      await patchPgNameType();
      const { PrismaPg } = await import("@prisma/adapter-pg");
      const { connectionString, schema } = pgConnection(url);
      return new PrismaPg({ connectionString }, schema ? { schema } : undefined);
    },
  };
}
