// Prisma CLI config. Runs fully offline: the JavaScript schema engine with a driver
// adapter (no engine binaries to download). DATABASE_URL picks SQLite (default) or PostgreSQL.
import "dotenv/config";
import { defineConfig } from "prisma/config";
import { prismaTargetFor } from "./core/db/target.ts";

const target = prismaTargetFor(process.env.DATABASE_URL);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: target.schemaPath,
  migrations: { path: target.migrationsPath },
  async adapter() {
    return target.cliAdapter();
  },
});
