/**
 * `npm run test:faults [-- --quick]`: runs every part in scripts/faults/*.ts (sorted by name), each
 * exporting `run(opts: { quick?: boolean }) → { name, ok, figures, lines }`; prints each part's
 * lines, then ONE JSON line {"ok":…, "<part>": {figures…}, …}. Exit code 1 when a part fails.
 * Parts: kill.ts (kill -9 under load, redelivery), fuzz.ts (random inputs), storm.ts (429/5xx storm).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface Part {
  name: string;
  ok: boolean;
  figures: Record<string, number | string>;
  lines: string[];
}

const dir = fileURLToPath(new URL("./faults/", import.meta.url));
const quick = process.argv.includes("--quick");
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .sort()
  .filter((f) => only.length === 0 || only.includes(path.basename(f, ".ts")));

const summary: Record<string, unknown> = { ok: true };
let ok = true;
for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { run?: (o: { quick?: boolean }) => Promise<Part> };
  if (typeof mod.run !== "function") continue;
  let part: Part;
  try {
    part = await mod.run({ quick });
  } catch (e) {
    part = { name: path.basename(f, ".ts"), ok: false, figures: { error: String((e as Error).message ?? e).slice(0, 200) }, lines: [`${f}: crashed: ${(e as Error).stack ?? e}`] };
  }
  console.log(`── ${part.name}: ${part.ok ? "OK" : "FAILED"}`);
  for (const l of part.lines) console.log(l);
  summary[part.name] = part.figures;
  ok &&= part.ok;
}
summary.ok = ok;
console.log(JSON.stringify(summary));
process.exit(ok ? 0 : 1);
