import { randomUUID } from "node:crypto";
import Fastify, { type FastifyServerFactory } from "fastify";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Logger } from "pino";
import { AppError } from "@ha-master/shared";
import type { Store } from "../db/store.js";
import type { Readiness } from "../lib/readiness.js";
import { registerErrorHandling } from "./errors.js";
import { registerAuthentication } from "./authenticate.js";
import { registerRequestMetrics, type Metrics } from "./metrics.js";
import { NO_STORE, SECURITY_HEADERS } from "./security-headers.js";
import { ErrorResponse } from "./schemas.js";
import { registerSystemRoutes } from "./system-routes.js";
import { registerWebConsole } from "./web-console.js";
import type { App } from "./types.js";
import { validatorCompiler } from "./validation.js";
import type { AccessTokenCodec } from "../auth/tokens.js";
import type { EarlyListener } from "./early-listener.js";

export interface HttpOptions {
  bodyLimit: number;
  trustProxyHops: number;
  /** How long a request waits for a database that is still opening before it gets 503. */
  startupWaitMs?: number;
  /** The built web console to serve at /, if any. */
  webDir?: string;
  /** An already-listening server to serve on (see early-listener.ts); without it, call listen(). */
  server?: EarlyListener;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const VERSION = "0.1.0";

/**
 * The Fastify instance with everything every route relies on — request ids, error shape,
 * validation, authentication, metrics, OpenAPI — and the system routes. Domains register their
 * own routes on it afterwards (see compose.ts).
 */
export async function createHttpServer(deps: {
  store: Store;
  readiness: Readiness;
  logger: Logger;
  metrics: Metrics;
  tokens: AccessTokenCodec;
  options: HttpOptions;
}): Promise<App> {
  const { store, readiness, options } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: options.bodyLimit,
    // A number trusts that many proxy hops (Fastify supports it; its types omit it).
    trustProxy: (options.trustProxyHops > 0 ? options.trustProxyHops : false) as boolean,
    // A client's X-Request-Id is kept when it is sane, so one id follows a request across systems.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    ...(options.server ? { serverFactory: serveOn(options.server) } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app, options.webDir ? "index.html" : undefined);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // Set first, so errors and the not-found answer carry them too.
    reply.headers(SECURITY_HEADERS);
    if (/^\/(api|auth)\//.test(request.url)) reply.header("cache-control", NO_STORE);
  });

  // Requests that need the database wait while the master starts (PGlite's first start takes seconds).
  app.addHook("onRequest", async (request) => {
    const role = request.routeOptions.config.role;
    if (!role || readiness.isReady || ["/health", "/ready", "/metrics"].includes(request.url)) return;
    const wait = options.startupWaitMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      readiness.ready.catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, wait))),
    ]).finally(() => clearTimeout(timer));
    if (!readiness.isReady) throw new AppError("unavailable", "the master is still starting; retry shortly");
  });

  if (options.webDir) await registerWebConsole(app, options.webDir);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "HA-Master API",
        version: VERSION,
        description: "Versioned HAProxy configs, audited changes, agent-driven rollouts. Errors: `{ error: { code, message, details?, requestId } }`.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const role = route.config?.role;
      if (!role || role === "public" || !schema) return { schema, url };
      return { schema: { ...schema, security: [{ bearer: [] }], description: `${schema.description ?? ""}\n\nRole: ${role} or above.`.trim() }, url };
    },
  });
  app.addSchema(ErrorResponse);
  app.decorate("routeRoles", registerAuthentication(app, { store, tokens: deps.tokens }));
  registerRequestMetrics(app, deps.metrics);
  registerSystemRoutes(app, { store, readiness, metrics: deps.metrics });
  app.addHook("onReady", async () => {
    options.server?.server.emit("fastify-ready");
  });
  return app;
}

/** Fastify on a server that is already listening: requests reach it once the app is ready. */
function serveOn(early: EarlyListener): FastifyServerFactory {
  return (handler) => {
    early.server.once("fastify-ready", () => early.attach(handler));
    return early.server;
  };
}
