/**
 * Derive the PostgreSQL twin of the SQLite schema: same models, other provider, url and output.
 * Each replacement must apply exactly once (whatever the alignment `prisma format` chose);
 * otherwise this throws, so the two schemas never drift silently.
 */
export class SchemaSyncError extends Error {
  override name = "SchemaSyncError";
}

const REPLACEMENTS: Array<{ what: string; re: RegExp; to: string }> = [
  { what: 'generator output "../generated/sqlite"', re: /^(\s*output\s*=\s*)"\.\.\/generated\/sqlite"/gm, to: '$1"../../generated/postgres"' },
  { what: 'datasource provider "sqlite"', re: /^(\s*provider\s*=\s*)"sqlite"/gm, to: '$1"postgresql"' },
  { what: 'datasource url "file:./data/app.db"', re: /^(\s*url\s*=\s*)"file:\.\/data\/app\.db"/gm, to: '$1"postgresql://localhost:5432/placeholder"' },
];

export function postgresSchemaFrom(sqliteSchema: string): string {
  let out = sqliteSchema;
  for (const r of REPLACEMENTS) {
    const n = [...out.matchAll(r.re)].length;
    if (n !== 1) {
      throw new SchemaSyncError(
        `prisma/schema.prisma: expected exactly one ${r.what}, found ${n}. ` +
          "Fix the schema (or core/db/schemas.ts) so the PostgreSQL schema can be generated.",
      );
    }
    out = out.replace(r.re, r.to);
  }
  return "// GENERATED from prisma/schema.prisma by `npm run db:sync-schemas`. Do not edit.\n" + out;
}
