import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../support/db.ts";
import { seedHierarchy } from "./fixture.ts";

/** A plain environment: vitest's own variables (inherited by children) change the child's exit code. */
function cleanEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME };
}

/** Run the real CLI (`npm run cli -- …` runs `tsx cli/main.ts …`). */
function cli(args: string[], url: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
    env: { ...cleanEnv(), DATABASE_URL: url },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (process.env.DEBUG_CLI) console.log("CLI", args, r.status, r.stderr, r.error);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// each verb runs in a fresh Node process (tsx, Prisma): tens of seconds on a loaded 2-core machine
describe("officials' CLI verbs", { timeout: 120_000 }, () => {
  let t: TestDb;
  const out = path.join(os.tmpdir(), `cli-export-${process.pid}.xlsx`);
  beforeAll(async () => {
    t = await freshDb("sqlite");
    await seedHierarchy(t.db);
    await t.db.$disconnect(); // the CLI migrates the file first; an open connection would hold its lock
  });
  afterAll(async () => {
    await t?.close();
    rmSync(out, { force: true });
  });

  it("rejects a bad period with a Vietnamese message and exit code 2", () => {
    const r = cli(["late", "--period", "2026-13", "--json"], t.url);
    expect(r.stderr).toContain("Kỳ báo cáo không hợp lệ");
    const u = cli(["progress", "--period", "2026-03", "--under", "XA-KHONGCO", "--json"], t.url);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('Không tìm thấy đơn vị có mã "XA-KHONGCO"');
  }, 120_000);

  it("prints the late list as JSON for the root unit by default", () => {
    const r = cli(["late", "--period", "2026-03", "--json"], t.url);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.period).toBe("2026-03");
    expect(json.under.code).toBe("SO-DEMO");
    expect(typeof json.expected).toBe("number");
    expect(Array.isArray(json.missing)).toBe(true);
    const scoped = JSON.parse(cli(["late", "--period", "2026-03", "--under", "XA-BINHAN", "--json"], t.url).stdout);
    expect(scoped.statuses.every((s: { unit: { path: string } }) => s.unit.path.startsWith("/SO-DEMO/XA-BINHAN/"))).toBe(true);
  }, 120_000);

  it("exports an xlsx file", () => {
    const r = cli(["export", "--period", "2026-03", "--under", "XA-TANKY", "--out", out], t.url);
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe("PK");
  }, 120_000);
});
