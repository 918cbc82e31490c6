import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { App } from "./types.js";

/** The master's Prometheus registry; domains add their own gauges to it. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hamaster_" });
  const httpDuration = new Histogram({
    name: "hamaster_http_request_duration_seconds",
    help: "REST API request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const loginFailures = new Counter({
    name: "hamaster_login_failures_total",
    help: "Failed logins",
    registers: [registry],
  });
  return { registry, httpDuration, loginFailures };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Times every request by its route template (never the raw URL: ids would explode cardinality). */
export function registerRequestMetrics(app: App, metrics: Metrics): void {
  app.addHook("onResponse", async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
