import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMaster, type TestMaster } from "../testing/test-master.js";
import { DATABASES } from "../testing/test-store.js";

describe.each(DATABASES)("audit log on %s", (kind) => {
  let m: TestMaster;
  beforeAll(async () => {
    m = await startTestMaster(kind);
    for (let i = 0; i < 7; i++) await m.request("operator", "POST", "/api/v1/clusters", { name: `a${i}` });
    await m.request("admin", "PATCH", "/api/v1/clusters/a0", { description: "renamed by admin" });
  });
  afterAll(async () => {
    await m?.close();
  });

  const list = async (query: string) => (await m.request("viewer", "GET", `/api/v1/audit?${query}`)).body;

  it("records who, what, target, before and after, request id and address", async () => {
    const [update] = (await list("action=cluster.update")).items;
    expect(update).toMatchObject({
      actorName: "admin",
      action: "cluster.update",
      targetType: "cluster",
      targetName: "a0",
      summary: { before: { description: "" }, after: { description: "renamed by admin" } },
      requestId: expect.any(String),
      clientIp: "127.0.0.1",
    });
  });

  it("pages newest first with a cursor, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: { targetName: string }[]; nextCursor: number | null } = await list(
        `action=cluster.create&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.items.map((r) => r.targetName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["a6", "a5", "a4", "a3", "a2", "a1", "a0"]);
  });

  it("filters by actor, action prefix, target and time range", async () => {
    expect((await list("actor=admin&action=cluster.*")).items.map((r: { action: string }) => r.action)).toEqual(["cluster.update"]);
    expect((await list("targetType=cluster&targetId=nothing")).items).toEqual([]);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await list(`from=${encodeURIComponent(future)}`)).items).toEqual([]);
    const bad = await m.request("viewer", "GET", `/api/v1/audit?from=${encodeURIComponent(future)}&to=2020-01-01T00:00:00Z`);
    expect(bad.status).toBe(400);
  });

  it("writes nothing when the change itself fails", async () => {
    const before = (await list("action=cluster.create&limit=200")).items.length;
    expect((await m.request("operator", "POST", "/api/v1/clusters", { name: "a1" })).status).toBe(409);
    expect((await list("action=cluster.create&limit=200")).items.length).toBe(before);
  });
});
