import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMaster, type TestMaster } from "../testing/test-master.js";
import { DATABASES } from "../testing/test-store.js";
import { httpConfig } from "../testing/fixtures.js";

describe.each(DATABASES)("REST API basics on %s", (kind) => {
  let m: TestMaster;
  beforeAll(async () => {
    m = await startTestMaster(kind, { BODY_LIMIT_BYTES: 4096 });
  });
  afterAll(async () => {
    await m?.close();
  });

  it("answers malformed JSON with 400 in the one error shape, with the request id", async () => {
    const res = await m.request("operator", "POST", "/api/v1/clusters", '{"name": "x",', { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: "bad_request", message: "the request body is not valid JSON", requestId: expect.any(String) } });
    expect(res.headers["x-request-id"]).toBe(res.body.error.requestId);
  });

  it("answers an oversized body with 413 and the limit", async () => {
    const res = await m.request("operator", "POST", "/api/v1/clusters", { name: "big", description: "x".repeat(10_000) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "payload_too_large", details: { limitBytes: 4096 } });
  });

  it("names an unknown field", async () => {
    const res = await m.request("operator", "POST", "/api/v1/clusters", { name: "ok", colour: "blue" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("body.colour is not a known field");
  });

  it("names a field of the wrong type, without coercing it", async () => {
    await m.request("operator", "POST", "/api/v1/clusters", { name: "typed" });
    const res = await m.request("operator", "POST", "/api/v1/clusters/typed/configs", { content: "global\n", message: "m", baseVersion: "0" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("body.baseVersion must be integer");
    expect(res.body.error.details.issues[0]).toEqual({ field: "body.baseVersion", message: "must be integer" });
  });

  it("names a missing field and a bad pattern", async () => {
    const missing = await m.request("operator", "POST", "/api/v1/clusters", {});
    expect(missing.body.error.message).toBe("body.name is required");
    const pattern = await m.request("operator", "POST", "/api/v1/clusters", { name: "Not A DNS Label" });
    expect(pattern.status).toBe(400);
    expect(pattern.body.error.message).toMatch(/^body\.name must match pattern/);
  });

  it("names a bad query parameter", async () => {
    const res = await m.request("viewer", "GET", "/api/v1/audit?limit=5000");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^querystring\.limit/);
  });

  it("refuses a content type it does not speak with 415", async () => {
    const res = await m.request("operator", "POST", "/api/v1/clusters", "name=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
  });

  it("keeps a sane X-Request-Id from the client and replaces an insane one", async () => {
    const kept = await m.request("viewer", "GET", "/api/v1/clusters/none", undefined, { "x-request-id": "trace-123" });
    expect(kept.body.error.requestId).toBe("trace-123");
    const replaced = await m.request("viewer", "GET", "/api/v1/clusters/none", undefined, { "x-request-id": "bad id\u0001 with spaces" });
    expect(replaced.body.error.requestId).not.toContain(" ");
  });

  it("answers an unknown route with 404 in the error shape", async () => {
    const res = await m.request("viewer", "GET", "/api/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("serves /health without the database, /ready with it, /metrics and /openapi.json", async () => {
    expect((await m.request("anonymous", "GET", "/health")).body).toEqual({ status: "ok" });
    expect((await m.request("anonymous", "GET", "/ready")).body).toEqual({ status: "ready", database: kind });
    const metrics = await m.request("anonymous", "GET", "/metrics");
    expect(metrics.text).toContain("hamaster_http_request_duration_seconds");
    const doc = (await m.request("anonymous", "GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/clusters/{cluster}/configs");
    expect(doc.components.schemas).toHaveProperty("ErrorResponse");
    expect(doc.paths["/api/v1/clusters"].post.security).toEqual([{ bearer: [] }]);
  });

  it("sends security headers on every answer, errors included, and keeps API answers out of caches", async () => {
    const answers = {
      api: await m.request("viewer", "GET", "/api/v1/clusters"),
      auth: await m.request("anonymous", "POST", "/auth/login", { username: "viewer", password: "wrong password here" }),
      notFound: await m.request("viewer", "GET", "/api/v1/nothing-here"),
      unauthenticated: await m.request("anonymous", "GET", "/api/v1/clusters"),
      health: await m.request("anonymous", "GET", "/health"),
      openapi: await m.request("anonymous", "GET", "/openapi.json"),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect([what, res.headers["x-content-type-options"], res.headers["x-frame-options"], res.headers["referrer-policy"]]).toEqual([
        what,
        "nosniff",
        "DENY",
        "no-referrer",
      ]);
    }
    for (const what of ["api", "auth", "notFound", "unauthenticated"] as const) expect([what, answers[what].headers["cache-control"]]).toEqual([what, "no-store"]);
    expect(answers.health.headers["cache-control"]).toBeUndefined();
  });

  it("keeps the security headers and no-store on a deployment's event stream", async () => {
    await m.request("operator", "POST", "/api/v1/clusters", { name: "streamed" });
    await m.request("operator", "POST", "/api/v1/clusters/streamed/configs", { content: httpConfig(), message: "m", baseVersion: 0 });
    // No nodes: the deployment is final at once, so the stream ends after its snapshot.
    const created = await m.request("operator", "POST", "/api/v1/clusters/streamed/deployments", { version: 1 });
    expect(created.status).toBe(201);
    const res = await m.request("viewer", "GET", `/api/v1/clusters/streamed/deployments/${created.body.id}/events`, undefined, { "x-request-id": "sse-1" });
    expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(res.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store, no-transform",
      "x-request-id": "sse-1",
    });
  });

  it("never puts database error text in a response", async () => {
    // A cluster name colliding after the uniqueness check is reported as a conflict, not as SQL.
    await m.request("operator", "POST", "/api/v1/clusters", { name: "dup" });
    const res = await m.request("operator", "POST", "/api/v1/clusters", { name: "dup" });
    expect(res.status).toBe(409);
    expect(res.text).not.toMatch(/duplicate key|constraint|relation/i);
  });
});
