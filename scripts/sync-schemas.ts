/**
 * Writes prisma/postgres/schema.prisma from prisma/schema.prisma (the source of truth).
 * Only the datasource provider/url and the generator output differ. Fails (exit 1, nothing
 * written) when a replacement does not apply.
 *   npm run db:sync-schemas            write the PostgreSQL schema
 *   npm run db:sync-schemas -- --check exit 1 when the written file differs from the generated one
 */
import { readFileSync, writeFileSync } from "node:fs";
import { postgresSchemaFrom } from "../core/db/schemas.ts";

const sqlite = readFileSync("prisma/schema.prisma", "utf8");
let generated: string;
try {
  generated = postgresSchemaFrom(sqlite);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
if (process.argv.includes("--check")) {
  if (readFileSync("prisma/postgres/schema.prisma", "utf8") !== generated) {
    console.error("prisma/postgres/schema.prisma is out of date: run npm run db:sync-schemas");
    process.exit(1);
  }
  console.log("prisma/postgres/schema.prisma is up to date");
} else {
  writeFileSync("prisma/postgres/schema.prisma", generated);
  console.log("wrote prisma/postgres/schema.prisma");
}
