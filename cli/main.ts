/**
 * Admin CLI: `npm run cli -- <verb> ...`. Each verb lives in cli/commands/<verb>.ts and exports
 * `run(args: string[]): Promise<number | void>` (the exit code). Verbs with subcommands
 * (catalog list, units import, plans ingest) parse them inside their own file.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const VERBS: Record<string, string> = {
  catalog: "catalog list --json | catalog extract <plan file> [--json]",
  units: "units import <file.csv|file.xlsx>",
  invite: "invite <unit code> [--role focal|deputy|official|admin]",
  officials: "officials add <telegram id or phone> <unit code>",
  parse: 'parse --indicator <code> "<answer>" --json',
  plans: "plans ingest <file or folder>",
  ask: 'ask "<question>" --json',
  late: "late --period <2026-03|2026-Q1|2026> [--under <unit code>] --json",
  progress: "progress --period <…> [--under <unit code>] --json",
  export: "export --period <…> [--under <unit code>] --out <file.xlsx|file.csv>",
  seed: "seed  (demo province; only when the database is empty)",
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
const mod = (await import(file)) as { run(args: string[]): Promise<number | void> };
try {
  const code = await mod.run(args);
  process.exitCode = code ?? 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
