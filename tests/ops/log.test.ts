/**
 * Structured logs: errors carry their stack, personal data never reaches the log (a GrammyError's
 * payload is the message being sent), and lines logged inside an update carry its context.
 */
import { Writable } from "node:stream";
import { GrammyError } from "grammy";
import { expect, it } from "vitest";
import { bindLogContext, createLogger, logFunction, logScope, scopedLog } from "../../core/log.ts";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger("debug", dest as never) };
}

it("logs errors with stacks and without the message text or names", () => {
  const { lines, logger } = capture();
  const log = logFunction(logger);
  const sent = { chat_id: 1, text: "Chào cô Lan, số 0912345678" };
  log("error", "handler failed", { err: new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 400, description: "Bad Request" }, "sendMessage", sent) });
  log("info", "registered", { name: "Lan", phone: "0912345678", unit: 7 });
  const text = JSON.stringify(lines);
  expect((lines[0]!.err as { stack: string }).stack).toMatch(/GrammyError[\s\S]*\n\s+at /);
  expect(text).not.toContain("Lan");
  expect(text).not.toContain("0912345678");
  expect(lines[1]).toMatchObject({ unit: 7, name: "[redacted]" });
});

it("lines logged while handling an update carry update_id and the internal user id", async () => {
  const { lines, logger } = capture();
  const log = logFunction(logger);
  // as the update guard and the bot's deps middleware do (bot/update-guard.ts, bot/create-bot.ts)
  const scope = logScope(logger, { update_id: 77 });
  const inUpdate = scopedLog(scope, log);
  inUpdate("info", "before user");
  bindLogContext(scope, { user_id: 12 });
  await new Promise((r) => setTimeout(r, 5));
  inUpdate("warn", "after user");
  log("info", "outside");
  expect(lines[0]).toMatchObject({ update_id: 77, msg: "before user" });
  expect(lines[0]).not.toHaveProperty("user_id");
  expect(lines[1]).toMatchObject({ update_id: 77, user_id: 12, msg: "after user" });
  expect(lines[2]).not.toHaveProperty("update_id");
});
