import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMaster, TEST_PASSWORD, type TestMaster } from "../testing/test-master.js";
import { DATABASES } from "../testing/test-store.js";

describe.each(DATABASES)("auth on %s", (kind) => {
  let m: TestMaster;
  beforeAll(async () => {
    m = await startTestMaster(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: 3 });
  });
  afterAll(async () => {
    await m?.close();
  });

  const login = (username: string, password = TEST_PASSWORD, extra: object = {}) =>
    m.request("anonymous", "POST", "/auth/login", { username, password, ...extra });
  const refresh = (refreshToken: string) => m.request("anonymous", "POST", "/auth/refresh", { refreshToken });

  it("logs in with a short-lived access token that works on the API", async () => {
    const res = await login("operator");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900, user: { username: "operator", role: "operator" } });
    expect(res.body.refreshToken).toMatch(/^hmr_/);
    const me = await m.app.inject({ url: "/api/v1/users/me", headers: { authorization: `Bearer ${res.body.accessToken}` } });
    expect(me.json()).toMatchObject({ username: "operator" });
  });

  it("refuses a wrong password and an unknown user with the same message, and audits both", async () => {
    const wrong = await login("viewer", "not the password at all");
    const unknown = await login("nobody-here", "whatever password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const audit = await m.request("admin", "GET", "/api/v1/audit?action=auth.login_failed");
    expect(audit.body.items.map((r: { actorName: string }) => r.actorName)).toEqual(expect.arrayContaining(["viewer", "nobody-here"]));
    expect(JSON.stringify(audit.body)).not.toContain("not the password");
  });

  it("rate-limits failed logins with 429 and Retry-After, counting failures only", async () => {
    for (let i = 0; i < 3; i++) expect((await login("admin", "wrong password!!")).status).toBe(401);
    const limited = await login("admin", "wrong password!!");
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // The right password is refused too while limited: guessing cannot continue.
    expect((await login("admin")).status).toBe(429);
    // Another user from the same address is not locked out by someone else's failures.
    expect((await login("operator")).status).toBe(200);
  });

  it("rotates the refresh token: the new one works, the old one is spent", async () => {
    const first = (await login("viewer")).body;
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await refresh(second.body.refreshToken)).status).toBe(200);
  });

  it("revokes the whole family when a spent refresh token comes back", async () => {
    const first = (await login("viewer")).body;
    const second = (await refresh(first.refreshToken)).body;
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/already used/);
    // The thief's replay also ends the legitimate holder's newer token.
    expect((await refresh(second.refreshToken)).status).toBe(401);
    const audit = await m.request("admin", "GET", "/api/v1/audit?action=auth.refresh_reuse");
    expect(audit.body.items.length).toBeGreaterThan(0);
  });

  it("ends the session on logout", async () => {
    const reuses = async () => (await m.request("admin", "GET", "/api/v1/audit?action=auth.refresh_reuse")).body.items.length;
    const reusesBefore = await reuses();
    const session = (await login("viewer")).body;
    const out = await m.request("anonymous", "POST", "/auth/logout", { refreshToken: session.refreshToken });
    expect(out.status).toBe(204);
    const after = await refresh(session.refreshToken);
    expect(after.status).toBe(401);
    // Not the reuse alarm: nobody stole it, the session was ended on purpose.
    expect(after.body.error.message).toBe("the session was logged out or revoked; log in again");
    expect(await reuses()).toBe(reusesBefore);
  });

  it("keeps the browser's refresh token in an HttpOnly cookie and out of the body", async () => {
    const res = await m.app.inject({ method: "POST", url: "/auth/login", payload: { username: "viewer", password: TEST_PASSWORD, session: "cookie" } });
    expect(res.statusCode).toBe(200);
    expect(res.json().refreshToken).toBeUndefined();
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/ham_refresh=hmr_/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/auth/);
    const value = /ham_refresh=([^;]+)/.exec(cookie)![1]!;
    // A browser sends the cookie and no body at all.
    const again = await m.app.inject({ method: "POST", url: "/auth/refresh", headers: { cookie: `ham_refresh=${value}` } });
    expect(again.statusCode).toBe(200);
    expect(again.json().refreshToken).toBeUndefined();
    const renewed = /ham_refresh=([^;]+)/.exec(String(again.headers["set-cookie"]))![1]!;
    expect(renewed).not.toBe(value);
    const out = await m.app.inject({ method: "POST", url: "/auth/logout", headers: { cookie: `ham_refresh=${renewed}` } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers["set-cookie"])).toMatch(/ham_refresh=;/);
    const after = await m.app.inject({ method: "POST", url: "/auth/refresh", headers: { cookie: `ham_refresh=${renewed}` } });
    expect(after.statusCode).toBe(401);
  });

  it("counts failed logins in /metrics", async () => {
    const count = async () => Number(/^hamaster_login_failures_total (\S+)$/m.exec((await m.request("anonymous", "GET", "/metrics")).text)?.[1]);
    const before = await count();
    await m.app.inject({ method: "POST", url: "/auth/login", payload: { username: "viewer", password: "not the password" } });
    expect(await count()).toBe(before + 1);
  });

  it("refuses an expired access token, saying it expired", async () => {
    const expired = await new SignJWT({ name: "admin", role: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("00000000-0000-4000-8000-000000000000")
      .setIssuer("ha-master")
      .setAudience("ha-master-api")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(m.settings.jwtSecret));
    const res = await m.app.inject({ url: "/api/v1/clusters", headers: { authorization: `Bearer ${expired}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/expired/);
  });

  it("refuses a token signed with another secret, and one with alg none", async () => {
    const forged = await new SignJWT({ name: "admin", role: "admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("00000000-0000-4000-8000-000000000000")
      .setIssuer("ha-master")
      .setAudience("ha-master-api")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("a completely different secret of enough length"));
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"x","name":"admin","role":"admin"}').toString("base64url")}.`;
    for (const token of [forged, none, "garbage"]) {
      const res = await m.app.inject({ url: "/api/v1/clusters", headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe("unauthenticated");
    }
  });

  it("applies a role change or a disabled account at once, not at token expiry", async () => {
    const created = await m.request("admin", "POST", "/api/v1/users", { username: "carol", password: TEST_PASSWORD, role: "operator" });
    const session = (await login("carol")).body;
    const asCarol = (method: "GET" | "POST", url: string, payload?: object) =>
      m.app.inject({ method, url, headers: { authorization: `Bearer ${session.accessToken}` }, ...(payload ? { payload } : {}) });
    expect((await asCarol("POST", "/api/v1/clusters", { name: "carols" })).statusCode).toBe(201);
    await m.request("admin", "PATCH", `/api/v1/users/${created.body.id}`, { role: "viewer" });
    expect((await asCarol("POST", "/api/v1/clusters", { name: "carols-2" })).statusCode).toBe(403);
    await m.request("admin", "PATCH", `/api/v1/users/${created.body.id}`, { disabled: true });
    expect((await asCarol("GET", "/api/v1/clusters")).statusCode).toBe(401);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect((await login("carol")).status).toBe(401);
  });

  it("never lets the last admin be demoted or disabled", async () => {
    const users = (await m.request("admin", "GET", "/api/v1/users")).body.items as { id: string; username: string }[];
    const admin = users.find((u) => u.username === "admin")!;
    const res = await m.request("admin", "PATCH", `/api/v1/users/${admin.id}`, { role: "viewer" });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/last enabled admin/);
  });
});
