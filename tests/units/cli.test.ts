import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseOptions } from "../../cli/commands/invite.ts";
import { freshDb } from "../support/db.ts";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

/** Run `npm run cli -- …` as a real child process against a test database. */
async function cli(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSX, "cli/main.ts", ...args], {
      env: { ...process.env, DATABASE_URL: url, BOT_USERNAME: "thu_nghiem_bot" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("cli units import (spawned)", () => {
  it("rejects a bad file with every line number, exit code 1, and imports nothing", async () => {
    const t = await freshDb("sqlite");
    try {
      const bad = await cli(t.url, "units", "import", "tests/fixtures/units-bad.csv");
      expect(bad.code).toBe(1);
      for (const line of [3, 4, 5, 6, 8, 9, 10]) expect(bad.stderr).toContain(`Dòng ${line}:`);
      expect(bad.stderr).not.toContain("Dòng 2:");
      expect(bad.stderr).toContain("chưa nhập đơn vị nào");
      expect(await t.db.unit.count()).toBe(0);
    } finally {
      await t.close();
    }
  }, 90_000);
});

describe("cli option parsing", () => {
  it("reads --role value, --bot=value and positionals", () => {
    expect(parseOptions(["TH-A", "--role", "deputy", "--bot=@b"])).toEqual({
      positional: ["TH-A"],
      options: { role: "deputy", bot: "@b" },
    });
  });
});
