/**
 * The one HTTP server (node:http) on WEB_PORT: the Telegram webhook, health, readiness, metrics,
 * and later the dashboard. Features mount their routes with `route(method, path, handler)`; a path
 * ending in "/*" matches everything under it.
 *
 *   const web = createWebServer({ port: config.WEB_PORT, log });
 *   registerOpsRoutes(web, { db });              // GET /healthz, /readyz, /metrics
 *   web.route("POST", "/telegram", handler);
 *   await web.listen();  …  await web.close();  // close waits for requests in flight
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Db } from "../core/db/client.ts";
import type { LogFn } from "../core/log.ts";
import { metrics as processMetrics } from "../core/metrics.ts";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface WebServer {
  route(method: string, path: string, handler: RouteHandler): void;
  /** Listen; resolves with the port (WEB_PORT=0 picks a free one). */
  listen(): Promise<number>;
  /** Stop accepting, let requests in flight finish (at most timeoutMs), then close. */
  close(timeoutMs?: number): Promise<void>;
  readonly port: number;
  readonly inFlight: number;
}

export function createWebServer(opts: { port: number; host?: string; log?: LogFn }): WebServer {
  const routes = new Map<string, RouteHandler>();
  const prefixes: Array<{ method: string; prefix: string; handler: RouteHandler }> = [];
  let inFlight = 0;
  let port = 0;
  const server = http.createServer(async (req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0]!;
    const handler =
      routes.get(`${method} ${path}`) ?? prefixes.find((p) => p.method === method && path.startsWith(p.prefix))?.handler;
    if (!handler) {
      const other = [...routes.keys()].some((k) => k.endsWith(` ${path}`));
      res.writeHead(other ? 405 : 404, { "content-type": "text/plain; charset=utf-8" }).end(other ? "method not allowed\n" : "not found\n");
      return;
    }
    try {
      await handler(req, res);
    } catch (e) {
      opts.log?.("error", "http handler failed", { err: e, method, path });
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      if (!res.writableEnded) res.end("internal error\n");
    }
  });
  server.keepAliveTimeout = 5_000;
  return {
    route(method, path, handler) {
      if (path.endsWith("/*")) prefixes.push({ method: method.toUpperCase(), prefix: path.slice(0, -1), handler });
      else routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port, opts.host, () => {
          port = (server.address() as AddressInfo).port;
          resolve(port);
        });
      });
    },
    async close(timeoutMs = 30_000) {
      if (!server.listening) return;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const until = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
    },
    get port() {
      return port;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

/**
 * GET /healthz: 200 while the process lives. GET /readyz: 200 when the database answers within
 * 2 s, 503 otherwise. GET /metrics: Prometheus text format.
 */
export function registerOpsRoutes(web: WebServer, deps: { db: Db; registry?: Registry }): void {
  const registry = deps.registry ?? processMetrics.registry;
  web.route("GET", "/healthz", (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("ok\n");
  });
  web.route("GET", "/readyz", async (_req, res) => {
    const ready = await Promise.race([
      deps.db.$queryRawUnsafe("SELECT 1").then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref()),
    ]);
    res.writeHead(ready ? 200 : 503, { "content-type": "text/plain; charset=utf-8" }).end(ready ? "ready\n" : "database unavailable\n");
  });
  web.route("GET", "/metrics", async (_req, res) => {
    const body = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType }).end(body);
  });
}
