import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { NO_STORE, SECURITY_HEADERS } from "./security-headers.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const HEALTH_BODY = '{"status":"ok"}';

/**
 * The HTTP port, bound before anything heavy is loaded. Until the real application attaches, it
 * answers `GET /health` itself (the process is alive) and holds every other request — unread, so
 * bodies wait in the socket — then hands them to the application in arrival order. A request
 * held longer than `holdMs` gets 503 in the API's error shape.
 */
export function startEarlyListener(host: string, port: number, holdMs = 30_000) {
  let handler: Handler | undefined;
  const held: { req: IncomingMessage; res: ServerResponse; timer: NodeJS.Timeout }[] = [];
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    if (req.method === "GET" && (req.url === "/health" || req.url?.startsWith("/health?"))) {
      res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "application/json; charset=utf-8" }).end(HEALTH_BODY);
      return;
    }
    const entry = {
      req,
      res,
      timer: setTimeout(() => {
        held.splice(held.indexOf(entry), 1);
        const body = { error: { code: "unavailable", message: "the master is still starting; retry shortly", requestId: "" } };
        res
          .writeHead(503, { ...SECURITY_HEADERS, "cache-control": NO_STORE, "content-type": "application/json; charset=utf-8", "retry-after": "2" })
          .end(JSON.stringify(body));
      }, holdMs),
    };
    held.push(entry);
  });
  const listening = new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    listening,
    /** Routes every request, held ones first, to the application from now on. */
    attach(app: Handler): void {
      handler = app;
      for (const { req, res, timer } of held.splice(0)) {
        clearTimeout(timer);
        app(req, res);
      }
    },
  };
}

export type EarlyListener = ReturnType<typeof startEarlyListener>;
