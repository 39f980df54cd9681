// Prisma config used only by `npm run db:check` (scripts/db-check.ts): `migrate diff
// --from-migrations` replays the migrations into a shadow database. With driver adapters,
// Prisma 6.19 cannot take --shadow-database-url, so the adapter's shadow connection is
// pointed here at a throwaway database (DB_CHECK_SHADOW_URL: a temp SQLite file or a
// throwaway PostgreSQL schema). SQLite's adapter runs each migration file as one statement,
// which better-sqlite3 refuses; multi-statement SQL goes through executeScript instead.
import { defineConfig } from "prisma/config";
import { prismaTargetFor } from "../core/db/target.ts";

const shadowUrl = process.env.DB_CHECK_SHADOW_URL;
if (!shadowUrl) throw new Error("DB_CHECK_SHADOW_URL is not set (run npm run db:check)");
const target = prismaTargetFor(shadowUrl);

type Adapter = { executeRaw(q: { sql: string }): Promise<number>; executeScript(sql: string): Promise<void> };

function multiStatementAsScript<T extends object>(adapter: T): T {
  return new Proxy(adapter, {
    get(obj, prop, receiver) {
      const a = obj as unknown as Adapter;
      if (prop === "executeRaw") {
        return async (q: { sql: string }) => {
          if (q.sql.trim() === "") return 0; // better-sqlite3 refuses an empty statement
          if (/;\s*\S/.test(q.sql)) {
            await a.executeScript(q.sql);
            return 0;
          }
          return a.executeRaw.call(obj, q);
        };
      }
      const v = Reflect.get(obj, prop, receiver);
      return typeof v === "function" ? v.bind(obj) : v;
    },
  });
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: target.schemaPath,
  migrations: { path: target.migrationsPath },
  async adapter() {
    const factory = await target.cliAdapter();
    const connect = async () => {
      const a = await factory.connect();
      return target.provider === "sqlite" ? multiStatementAsScript(a) : a;
    };
    return Object.assign(Object.create(Object.getPrototypeOf(factory)), factory, {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect,
      connectToShadowDb: connect,
    });
  },
});
