import { Type } from "typebox";
import { AppError } from "@ha-master/shared";
import type { Store } from "../db/store.js";
import type { Readiness } from "../lib/readiness.js";
import type { Metrics } from "./metrics.js";
import { responses } from "./schemas.js";
import type { App } from "./types.js";

/** Liveness, readiness, metrics and the OpenAPI document: the routes probes and tools use. */
export function registerSystemRoutes(
  app: App,
  deps: { store: Pick<Store, "ping" | "kind">; readiness: Readiness; metrics: Metrics },
): void {
  const tags = ["system"];

  // Liveness must never touch the database: a slow database must not get the master killed.
  app.get(
    "/health",
    {
      config: { role: "public" },
      schema: { tags, summary: "Liveness: the process answers", response: { 200: Type.Object({ status: Type.Literal("ok") }) } },
      logLevel: "warn",
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      config: { role: "public" },
      schema: {
        tags,
        summary: "Readiness: the database is open and answers",
        response: responses({ 200: Type.Object({ status: Type.Literal("ready"), database: Type.String() }) }),
      },
      logLevel: "warn",
    },
    async () => {
      if (!deps.readiness.isReady) throw new AppError("unavailable", "the master is still starting");
      try {
        await deps.store.ping();
      } catch (err) {
        throw new AppError("unavailable", "the database does not answer", undefined, { cause: err });
      }
      return { status: "ready" as const, database: deps.store.kind };
    },
  );

  app.get(
    "/metrics",
    { config: { role: "public" }, schema: { tags, summary: "Prometheus metrics", hide: true }, logLevel: "warn" },
    async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );

  app.get("/openapi.json", { config: { role: "public" }, schema: { hide: true } }, async () => app.swagger());
}
