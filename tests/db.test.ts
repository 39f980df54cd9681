import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { postgresSchemaFrom } from "../core/db/schemas.ts";
import { allDbTargets, freshDb } from "./support/db.ts";

describe("schemas", () => {
  it("the PostgreSQL schema is generated from the SQLite one (run npm run db:sync-schemas)", () => {
    const sqlite = readFileSync("prisma/schema.prisma", "utf8");
    expect(readFileSync("prisma/postgres/schema.prisma", "utf8")).toBe(postgresSchemaFrom(sqlite));
  });
});

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`database round trip (${target})`, () => {
    it("stores and reads a unit with Vietnamese text", async () => {
      const t = await freshDb(target);
      try {
        await t.db.unit.create({
          data: { code: "TH-HOAMAI", name: "Trường Tiểu học Hoa Mai", kind: "school", levels: "th", path: "/TH-HOAMAI/" },
        });
        const u = await t.db.unit.findUniqueOrThrow({ where: { code: "TH-HOAMAI" } });
        expect(u.name).toBe("Trường Tiểu học Hoa Mai");
      } finally {
        await t.close();
      }
    });
  });
}
