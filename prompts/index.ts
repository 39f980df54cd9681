/**
 * Prompt templates live as Markdown files in this folder; the first line is "version: …" so every
 * model call can be traced to the exact prompt it used.
 *
 *   const p = loadPrompt("officials-intent");   // { name, version, template }
 *   renderPrompt(p.template, { today: "23/11/2026" })
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Prompt {
  name: string;
  version: string;
  template: string;
}

const cache = new Map<string, Prompt>();

export function loadPrompt(name: string): Prompt {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = fileURLToPath(new URL(`./${name}.md`, import.meta.url));
  const [first = "", ...rest] = readFileSync(file, "utf8").split("\n");
  const version = /^version:\s*(.+)$/.exec(first)?.[1]?.trim();
  if (!version) throw new Error(`prompts/${name}.md: dòng đầu phải là "version: …"`);
  const prompt = { name, version, template: rest.join("\n").trim() };
  cache.set(name, prompt);
  return prompt;
}

/** Replace {{name}} placeholders; a missing value is an error, not an empty string. */
export function renderPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`Thiếu giá trị cho {{${k}}} trong prompt`);
    return vars[k]!;
  });
}
