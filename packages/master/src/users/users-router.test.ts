import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMaster, TEST_PASSWORD, type TestMaster } from "../testing/test-master.js";
import { DATABASES } from "../testing/test-store.js";

describe.each(DATABASES)("changing one's own password on %s", (kind) => {
  let m: TestMaster;
  beforeAll(async () => {
    m = await startTestMaster(kind, { LOGIN_RATE_LIMIT_PER_MINUTE: 3 });
  });
  afterAll(async () => {
    await m?.close();
  });

  const login = (username: string, password: string) => m.request("anonymous", "POST", "/auth/login", { username, password });
  const change = (token: string, body: object) =>
    m.app.inject({ method: "POST", url: "/api/v1/users/me/password", headers: { authorization: `Bearer ${token}` }, payload: body });

  it("lets any user change their own password with the current one; every session of theirs ends", async () => {
    const first = await login("viewer", TEST_PASSWORD);
    const second = await login("viewer", TEST_PASSWORD);
    const res = await change(first.body.accessToken, { currentPassword: TEST_PASSWORD, newPassword: "a new and long passphrase" });
    expect(res.statusCode, res.body).toBe(204);
    expect((await login("viewer", TEST_PASSWORD)).status).toBe(401);
    expect((await login("viewer", "a new and long passphrase")).status).toBe(200);
    for (const s of [first, second]) {
      const refreshed = await m.request("anonymous", "POST", "/auth/refresh", { refreshToken: s.body.refreshToken });
      expect(refreshed.status).toBe(401);
    }
    const audit = await m.request("admin", "GET", "/api/v1/audit?action=user.password_change");
    expect(audit.body.items[0]).toMatchObject({ actorName: "viewer", targetName: "viewer", summary: { after: { passwordChanged: true, sessionsEnded: true } } });
    expect(JSON.stringify(audit.body)).not.toContain("passphrase");
  });

  it("refuses a wrong current password, a short new one and an unchanged one, naming the field; nothing changes", async () => {
    const session = await login("operator", TEST_PASSWORD);
    const token = session.body.accessToken;
    const wrong = await change(token, { currentPassword: "not my password", newPassword: "another long passphrase" });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.message).toBe("currentPassword: the current password is wrong; nothing was changed");
    const short = await change(token, { currentPassword: TEST_PASSWORD, newPassword: "short" });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toMatch(/^newPassword: passwords must be 12 to 1024 characters long/);
    const same = await change(token, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.message).toMatch(/must differ/);
    expect((await login("operator", TEST_PASSWORD)).status).toBe(200);
    expect((await m.request("anonymous", "POST", "/auth/refresh", { refreshToken: session.body.refreshToken })).status).toBe(200);
    const failed = await m.request("admin", "GET", "/api/v1/audit?action=user.password_change_failed");
    expect(failed.body.items.map((r: any) => r.targetName)).toContain("operator");
  });

  it("throttles guessing the current password from an open session", async () => {
    const token = (await login("admin", TEST_PASSWORD)).body.accessToken;
    for (let i = 0; i < 3; i++) expect((await change(token, { currentPassword: `guess number ${i}`, newPassword: "whatever long enough" })).statusCode).toBe(403);
    const limited = await change(token, { currentPassword: TEST_PASSWORD, newPassword: "whatever long enough" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBeDefined();
    expect((await login("admin", TEST_PASSWORD)).status).toBe(200);
  });

  it("needs a logged-in user", async () => {
    const res = await m.request("anonymous", "POST", "/api/v1/users/me/password", { currentPassword: "x", newPassword: "y long enough 123" });
    expect(res.status).toBe(401);
  });
});
