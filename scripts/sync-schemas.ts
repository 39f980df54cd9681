/**
 * Writes prisma/postgres/schema.prisma from prisma/schema.prisma (the source of truth).
 * Only the datasource provider/url and the generator output differ.
 *   npm run db:sync-schemas
 */
import { readFileSync, writeFileSync } from "node:fs";
import { postgresSchemaFrom } from "../core/db/schemas.ts";

const sqlite = readFileSync("prisma/schema.prisma", "utf8");
writeFileSync("prisma/postgres/schema.prisma", postgresSchemaFrom(sqlite));
console.log("wrote prisma/postgres/schema.prisma");
