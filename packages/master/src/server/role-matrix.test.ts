import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../lib/context.js";
import { startTestMaster, type TestMaster } from "../testing/test-master.js";

/**
 * The weakest role each route needs. A route added without an entry here fails the test, and so
 * does a route whose declared role drifts from this table.
 */
const EXPECTED: Record<string, Role | "public"> = {
  "GET /health": "public",
  "GET /ready": "public",
  "GET /metrics": "public",
  "GET /openapi.json": "public",
  "POST /auth/login": "public",
  "POST /auth/refresh": "public",
  "POST /auth/logout": "public",
  "GET /api/v1/users/me": "viewer",
  "GET /api/v1/users": "admin",
  "POST /api/v1/users": "admin",
  "PATCH /api/v1/users/:id": "admin",
  "GET /api/v1/clusters": "viewer",
  "POST /api/v1/clusters": "operator",
  "GET /api/v1/clusters/:cluster": "viewer",
  "PATCH /api/v1/clusters/:cluster": "operator",
  "DELETE /api/v1/clusters/:cluster": "admin",
  "GET /api/v1/clusters/:cluster/configs": "viewer",
  "POST /api/v1/clusters/:cluster/configs": "operator",
  "POST /api/v1/clusters/:cluster/configs/import": "operator",
  "POST /api/v1/clusters/:cluster/configs/validate": "viewer",
  "GET /api/v1/clusters/:cluster/configs/diff": "viewer",
  "GET /api/v1/clusters/:cluster/configs/:version": "viewer",
  "GET /api/v1/certificates": "viewer",
  "POST /api/v1/certificates": "admin",
  "GET /api/v1/certificates/:certificate": "viewer",
  "PUT /api/v1/certificates/:certificate": "admin",
  "DELETE /api/v1/certificates/:certificate": "admin",
  "GET /api/v1/audit": "viewer",
  "POST /api/v1/enrollment-tokens": "admin",
  "GET /api/v1/enrollment-tokens": "admin",
  "POST /api/v1/enrollment-tokens/:id/revoke": "admin",
  "GET /api/v1/nodes": "viewer",
  "GET /api/v1/nodes/:id": "viewer",
  "POST /api/v1/nodes/:id/revoke": "admin",
  "POST /api/v1/clusters/:cluster/deployments": "operator",
  "GET /api/v1/clusters/:cluster/deployments": "viewer",
  "GET /api/v1/deployments": "viewer",
  "GET /api/v1/clusters/:cluster/deployments/:id": "viewer",
  "GET /api/v1/clusters/:cluster/deployments/:id/events": "viewer",
  "POST /api/v1/clusters/:cluster/deployments/:id/rollback": "operator",
  "POST /api/v1/clusters/:cluster/deployments/:id/cancel": "operator",
  "POST /api/v1/clusters/:cluster/server-state": "operator",
  "POST /api/v1/users/me/password": "viewer",
};

const FILL: Record<string, string> = {
  ":id": "00000000-0000-4000-8000-000000000000",
  ":cluster": "matrix",
  ":version": "1",
  ":certificate": "nothing",
};

describe("role matrix", () => {
  let m: TestMaster;
  beforeAll(async () => {
    m = await startTestMaster("embedded");
  });
  afterAll(async () => {
    await m?.close();
  });

  it("declares the expected role on every route, and no route is missing from the table", () => {
    const declared = Object.fromEntries(m.app.routeRoles.map((r) => [`${r.method} ${r.url}`, r.role]));
    expect(declared).toEqual(EXPECTED);
  });

  const protectedRoutes = Object.entries(EXPECTED).filter(([, role]) => role !== "public");
  it.each(protectedRoutes)("%s: 401 without a token, 403 below %s, allowed from %s up", async (route, required) => {
    const [method, pattern] = route.split(" ") as [string, string];
    const url = pattern.replace(/:[a-z]+/g, (p) => FILL[p] ?? "x");
    const anonymous = await m.request("anonymous", method, url, method === "GET" || method === "DELETE" ? undefined : {});
    expect(anonymous.status).toBe(401);
    for (const role of ROLES) {
      const res = await m.request(role, method, url, method === "GET" || method === "DELETE" ? undefined : {});
      if (ROLES.indexOf(role) < ROLES.indexOf(required as Role)) {
        expect(res.status, `${role} on ${route}`).toBe(403);
        expect(res.body.error.code).toBe("forbidden");
      } else {
        expect([401, 403], `${role} on ${route} answered ${res.status}`).not.toContain(res.status);
      }
    }
  });
});
