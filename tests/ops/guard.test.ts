/**
 * Once-only updates (UpdateClaim), the update guard behind a real webhook, and readiness.
 */
import { Bot } from "grammy";
import { webhookCallback } from "grammy";
import { describe, expect, it } from "vitest";
import { createDb } from "../../core/db/client.ts";
import { createLogger } from "../../core/log.ts";
import { metrics } from "../../core/metrics.ts";
import { claimUpdate, finishUpdate, pruneUpdateClaims, releaseUpdate } from "../../core/updates/claims.ts";
import { updateGuard } from "../../bot/update-guard.ts";
import { createWebServer, registerOpsRoutes } from "../../web/server.ts";
import { allDbTargets, freshDb } from "../support/db.ts";

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`update claims (${target})`, () => {
    it("claims once; a finished update is a duplicate; an unfinished one is in flight until stale; release lets it be handled again", async () => {
      const t = await freshDb(target);
      try {
        const t0 = new Date("2026-11-30T08:00:00Z");
        const at = (s: number) => new Date(t0.getTime() + s * 1000);
        expect(await claimUpdate(t.db, 7001, t0)).toBe("claimed");
        expect(await claimUpdate(t.db, 7001, at(1))).toBe("in_flight");
        await finishUpdate(t.db, 7001, at(2));
        expect(await claimUpdate(t.db, 7001, at(3))).toBe("duplicate");
        expect(await claimUpdate(t.db, 7001, at(3600))).toBe("duplicate");

        expect(await claimUpdate(t.db, 7002, t0)).toBe("claimed");
        await releaseUpdate(t.db, 7002); // the handler failed
        expect(await claimUpdate(t.db, 7002, at(1))).toBe("claimed");

        expect(await claimUpdate(t.db, 7003, t0)).toBe("claimed"); // the instance died here
        expect(await claimUpdate(t.db, 7003, at(30))).toBe("in_flight");
        expect(await claimUpdate(t.db, 7003, at(120))).toBe("claimed"); // stale: taken over once
        expect(await claimUpdate(t.db, 7003, at(121))).toBe("in_flight");

        // two instances racing for one update: exactly one wins
        const results = await Promise.all(Array.from({ length: 6 }, () => claimUpdate(t.db, 7004, t0)));
        expect(results.filter((r) => r === "claimed")).toHaveLength(1);

        // update ids above 2^31 fit
        expect(await claimUpdate(t.db, 2 ** 40, t0)).toBe("claimed");

        expect(await pruneUpdateClaims(t.db, at(25 * 3600))).toBe(5);
        expect(await t.db.updateClaim.count()).toBe(0);
      } finally {
        await t.close();
      }
    });

    it("updates claiming (and finishing) in the same turn share one statement, up to 8 ids each (issue 11: group commit)", async () => {
      const t = await freshDb(target);
      const statements = async () => (await metrics.dbStatements.get()).values.reduce((s, v) => s + v.value, 0);
      try {
        const t0 = new Date("2026-11-30T08:00:00Z");
        await claimUpdate(t.db, 1, t0); // connected, statements prepared
        let before = await statements();
        const ids = [10, 11, 12, 13, 14, 15];
        // a second delivery of 12 in the same group: in flight, not claimed twice
        const claims = await Promise.all([...ids, 12].map((id) => claimUpdate(t.db, id, t0)));
        expect(claims).toEqual(["claimed", "claimed", "claimed", "claimed", "claimed", "claimed", "in_flight"]);
        expect((await statements()) - before).toBe(1 + 1); // the group's INSERT, then the second 12's look at its row
        before = await statements();
        await Promise.all(ids.map((id) => finishUpdate(t.db, id, t0)));
        expect((await statements()) - before).toBe(1);
        expect(await Promise.all([...ids, 1].map((id) => claimUpdate(t.db, id, t0)))).toEqual([...ids.map(() => "duplicate"), "in_flight"]);
        // more than 8 at once: groups of 8
        const many = Array.from({ length: 11 }, (_, i) => 100 + i);
        before = await statements();
        expect(await Promise.all(many.map((id) => claimUpdate(t.db, id, t0)))).toEqual(many.map(() => "claimed"));
        await Promise.all(many.map((id) => finishUpdate(t.db, id, t0)));
        expect((await statements()) - before).toBe(4);
        const done = await t.db.updateClaim.findMany({ where: { updateId: { gte: 10n } }, orderBy: { updateId: "asc" } });
        expect(done.map((c) => [Number(c.updateId), c.doneAt !== null])).toEqual([...ids, ...many].map((id) => [id, true]));
      } finally {
        await t.close();
      }
    });
  });
}

describe("update guard behind a webhook", () => {
  it("a failed update answers 500 and is handled when Telegram delivers it again; a handled one is skipped", async () => {
    const t = await freshDb("sqlite");
    const bot = new Bot("123456:TEST-token_abc", {
      botInfo: { id: 123456, is_bot: true, first_name: "t", username: "t_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false } as never,
    });
    const handled: number[] = [];
    let failNext = true;
    bot.use(updateGuard({ db: t.db, logger: createLogger("silent"), dedupe: true }));
    bot.on("message", (ctx) => {
      if (failNext) {
        failNext = false;
        throw new Error("database went away");
      }
      handled.push(ctx.update.update_id);
    });
    const web = createWebServer({ port: 0 });
    web.route("POST", "/hook", webhookCallback(bot, "http", { secretToken: "s", onTimeout: "throw" }));
    const port = await web.listen();
    const update = { update_id: 42, message: { message_id: 1, date: 0, chat: { id: 9, type: "private", first_name: "x" }, from: { id: 9, is_bot: false, first_name: "x" }, text: "hi" } };
    const post = () =>
      fetch(`http://127.0.0.1:${port}/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s" },
        body: JSON.stringify(update),
      }).then((r) => r.status);
    try {
      expect(await post()).toBe(500);
      expect(handled).toEqual([]);
      expect(await post()).toBe(200); // redelivered after the error: handled now
      expect(handled).toEqual([42]);
      expect(await post()).toBe(200); // and once only
      expect(handled).toEqual([42]);
    } finally {
      await web.close();
      await t.close();
    }
  });
});

describe("closing the web server", () => {
  it("lets a request in flight finish (a webhook update being handled), then closes", async () => {
    const web = createWebServer({ port: 0 });
    web.route("POST", "/slow", async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.writeHead(200).end("done");
    });
    const port = await web.listen();
    const pending = fetch(`http://127.0.0.1:${port}/slow`, { method: "POST" });
    while (web.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await web.close();
    expect(performance.now() - t0).toBeGreaterThan(250);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("done");
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe("/healthz and /readyz", () => {
  it("ready while the database answers, 503 when it does not; healthy either way", async () => {
    const t = await freshDb("sqlite");
    const down = await createDb("postgresql://postgres@127.0.0.1:1/nowhere"); // nothing listens there
    const up = createWebServer({ port: 0 });
    const broken = createWebServer({ port: 0 });
    registerOpsRoutes(up, { db: t.db });
    registerOpsRoutes(broken, { db: down });
    const p1 = await up.listen();
    const p2 = await broken.listen();
    try {
      expect((await fetch(`http://127.0.0.1:${p1}/readyz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${p2}/readyz`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${p2}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${p1}/healthz`, { method: "POST" })).status).toBe(405);
      const metrics = await fetch(`http://127.0.0.1:${p1}/metrics`);
      expect(metrics.headers.get("content-type")).toContain("text/plain");
      expect(await metrics.text()).toContain("# TYPE cds_update_handler_seconds histogram");
    } finally {
      await up.close();
      await broken.close();
      await down.$disconnect().catch(() => undefined);
      await t.close();
    }
  });
});
