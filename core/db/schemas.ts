/** Derive the PostgreSQL twin of the SQLite schema: same models, other provider and output. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  return (
    "// GENERATED from prisma/schema.prisma by `npm run db:sync-schemas`. Do not edit.\n" +
    sqliteSchema
      .replace('output     = "../generated/sqlite"', 'output     = "../../generated/postgres"')
      .replace('provider = "sqlite"', 'provider = "postgresql"')
      .replace('url      = "file:./data/app.db"', 'url      = "postgresql://localhost:5432/placeholder"')
  );
}
