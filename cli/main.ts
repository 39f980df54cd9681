/**
 * Admin CLI: `npm run cli -- <verb> ...`. Each verb lives in cli/commands/<verb>.ts and exports
 * `run(args: string[]): Promise<number | void>` (the exit code). Verbs with subcommands
 * (catalog list, units import, plans ingest) parse them inside their own file.
 *
 * The CLI reads the same validated config as `npm start` (.env included) and never migrates on
 * its own (`db migrate` does), so it works while the bot runs. A locked database is retried, then
 * reported in plain Vietnamese; errors print their message, never a stack trace.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../core/config.ts";
import { operatorErrorText } from "../bot/messages/errors.ts";
import { isDbBusy, withBusyRetry } from "../core/db/busy.ts";

const VERBS: Record<string, string> = {
  catalog:
    "catalog list --json | catalog show <planId> [--json] | catalog export <planId> --out <file.xlsx|file.json> | catalog import <file> | catalog publish <planId> [--from <period>] [--to <period>] | catalog extract <plan file> [--json]",
  units: "units import <file.csv|file.xlsx> | units plan <unit code> <planId> [--from <period>]",
  invite: "invite <unit code> [--role focal|deputy|official|admin]",
  officials: "officials add <telegram id or phone> <unit code>",
  parse: 'parse --indicator <code> "<answer>" --json',
  plans: "plans ingest <file or folder> | plans add <plan file> [--id <planId>] [--json]",
  ask: 'ask "<question>" --json',
  late: "late --period <2026-03|2026-Q1|2026-H1|2026> [--under <unit code>] --json",
  progress: "progress --period <…> [--under <unit code>] --json",
  export: "export --period <…> [--under <unit code>] --out <file.xlsx|file.csv>",
  seed: "seed  (demo province; only when the database is empty)",
  "dashboard-link": "dashboard-link <telegram id> [--base <url>]  (dashboard address signed for that official, 1 hour)",
  aggregates: "aggregates refresh | aggregates rebuild [--json]  (precomputed progress figures; the bot refreshes them at start)",
  db: "db migrate | db status  (apply / list database migrations; npm start migrates too)",
  privacy: "privacy export <telegram id or phone> [--json] | privacy erase <telegram id or phone> | privacy retention [--dry-run] [--json]",
  backup: "backup <file>  (SQLite online backup, or pg_dump on PostgreSQL; safe while the bot runs)",
  restore: "restore <file> [--force]  (stop the bot first)",
};

function usage(): string {
  return ["Cách dùng: npm run cli -- <lệnh> ...", ...Object.values(VERBS).map((v) => `  ${v}`)].join("\n");
}

const [verb, ...args] = process.argv.slice(2);
if (!verb || verb === "help" || verb === "--help" || !(verb in VERBS)) {
  console.error(verb && !(verb in VERBS) ? `Không có lệnh "${verb}".\n${usage()}` : usage());
  process.exit(verb ? 2 : 0);
}
const file = fileURLToPath(new URL(`./commands/${verb}.ts`, import.meta.url));
if (!existsSync(file)) {
  console.error(`Lệnh "${verb}" chưa được cài đặt.`);
  process.exit(2);
}
try {
  loadConfig(); // .env, then validation: a wrong value stops here with a message naming it
} catch (error) {
  console.error(operatorErrorText(error));
  process.exit(2);
}
const mod = (await import(file)) as { run(args: string[]): Promise<number | void> };
try {
  // a verb that hit a locked database has rolled back: run it again (0.5 s, 1 s, 2 s later)
  const code = await withBusyRetry(() => mod.run(args), {
    onRetry: (n) => console.error(`Cơ sở dữ liệu đang bận (bot đang ghi dữ liệu), thử lại lần ${n}…`),
  });
  process.exitCode = code ?? 0;
} catch (error) {
  if (process.env.DEBUG_CLI && !isDbBusy(error)) console.error(error);
  console.error(operatorErrorText(error));
  process.exitCode = 1;
}
