/**
 * Shared argument handling of the officials' CLI verbs (late, progress, export):
 *   --period <2026-03|2026-Q1|2026-H1|2026> [--under <unit code>] [--json] [--out <file>] [--level th] [--indicator TK-01]
 * Parsing only; each verb in cli/commands/ prints its own output.
 */
import { InvalidPeriodError, parsePeriod } from "../reporting/periods.ts";

export interface OfficialArgs {
  period: string;
  under?: string;
  json: boolean;
  out?: string;
  level?: string;
  indicator?: string;
  /** Run as this official (Telegram id): their scope, exactly as in chat; --under then names an area inside it. */
  as?: string;
  /** progress: approved reports only. */
  approvedOnly?: boolean;
}

/** What is wrong with the flags; bot/messages/officials.ts officialArgsProblemText words it. */
export type OfficialArgsProblem =
  | { problem: "unknown_flag"; flag: string }
  | { problem: "missing_period" }
  | { problem: "invalid_period"; key: string }
  | { problem: "empty_under" };

/** Parse the flags, or return what is wrong with them (the caller words it with the verb's usage line). */
export function parseOfficialArgs(args: string[]): OfficialArgs | OfficialArgsProblem {
  const out: Partial<OfficialArgs> & { json: boolean } = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === "--json") out.json = true;
    else if (flag === "--period") out.period = value();
    else if (flag === "--under") out.under = value();
    else if (flag === "--out") out.out = value();
    else if (flag === "--level") out.level = value()?.toLowerCase();
    else if (flag === "--indicator") out.indicator = value();
    else if (flag === "--as") out.as = value();
    else if (flag === "--approved") out.approvedOnly = true;
    else return { problem: "unknown_flag", flag: a };
  }
  if (!out.period) return { problem: "missing_period" };
  try {
    out.period = parsePeriod(out.period).key;
  } catch (e) {
    if (e instanceof InvalidPeriodError) return { problem: "invalid_period", key: e.key };
    throw e;
  }
  if (out.under !== undefined && !out.under.trim()) return { problem: "empty_under" };
  return out as OfficialArgs;
}
