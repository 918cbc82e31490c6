import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, clusters, configVersions } from "./schema.js";
import type { Store } from "./store.js";
import { databaseError } from "../testing/db-error.js";
import { DATABASES, openTestStore } from "../testing/test-store.js";

describe.each(DATABASES)("store on %s", (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  async function aVersion() {
    const [cluster] = await store.db.insert(clusters).values({ name: `c-${Math.random().toString(36).slice(2, 8)}` }).returning();
    const [row] = await store.db
      .insert(configVersions)
      .values({ clusterId: cluster!.id, version: 1, content: "global\n", hash: "h", message: "m", authorName: "t" })
      .returning();
    return row!;
  }

  it("refuses UPDATE of a config version in the database itself", async () => {
    const row = await aVersion();
    expect(await databaseError(store.db.execute(sql`update config_versions set content = 'x' where id = ${row.id}`))).toMatch(/append-only: UPDATE is not allowed/);
  });

  it("refuses DELETE and TRUNCATE of config versions", async () => {
    const row = await aVersion();
    expect(await databaseError(store.db.execute(sql`delete from config_versions where id = ${row.id}`))).toMatch(/append-only: DELETE/);
    expect(await databaseError(store.db.execute(sql`truncate config_versions cascade`))).toMatch(/append-only: TRUNCATE/);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of audit records", async () => {
    const [row] = await store.db.insert(auditLog).values({ actorName: "t", action: "x", targetType: "y", summary: {} }).returning();
    expect(await databaseError(store.db.execute(sql`update audit_log set action = 'forged' where id = ${row!.id}`))).toMatch(/append-only/);
    expect(await databaseError(store.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
    expect(await databaseError(store.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
  });

  it("refuses a second version with the same number in one cluster", async () => {
    const row = await aVersion();
    expect(
      await databaseError(
        store.db.insert(configVersions).values({ clusterId: row.clusterId, version: 1, content: "x", hash: "h2", message: "m", authorName: "t" }),
      ),
    ).toMatch(/duplicate key/);
  });

  it("answers a ping", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
