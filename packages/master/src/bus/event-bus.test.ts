import pg from "pg";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL } from "../testing/test-store.js";
import { postgresEventBus, type BusMessage, type EventBus } from "./event-bus.js";

const log = pino({ level: "silent" });

/** Resolves with the next message `bus` delivers that matches. */
function next(bus: EventBus, match: (m: BusMessage) => boolean, timeoutMs = 10_000): Promise<BusMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message")), timeoutMs);
    const off = bus.subscribe((m) => {
      if (!match(m)) return;
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

// This file's connections only: other test files' masters share the server.
const APPLICATION = `bus-test-${process.pid}`;

/**
 * Ends this file's connections that last ran LISTEN or UNLISTEN on the bus channel, as a
 * PostgreSQL failover or restart would.
 */
async function dropListeners(admin: pg.Pool): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1 and query like '%LISTEN hamaster_bus%' and pid <> pg_backend_pid()",
    [APPLICATION],
  );
  return rows[0]!.n;
}

describe("the PostgreSQL event bus", () => {
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 3, application_name: APPLICATION });
    p.on("error", () => undefined);
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it("carries a message from one replica to another, and to the sender", async () => {
    const a = postgresEventBus(Promise.resolve(pool()), log);
    const b = postgresEventBus(Promise.resolve(pool()), log);
    const id = `n-${Date.now()}`;
    const atB = next(b, (m) => m.type === "push" && m.nodeId === id);
    const atA = next(a, (m) => m.type === "push" && m.nodeId === id);
    await a.publish({ type: "push", nodeId: id });
    expect(await atB).toEqual({ type: "push", nodeId: id });
    expect(await atA).toEqual({ type: "push", nodeId: id });
    await a.close();
    await b.close();
  });

  it("listens again after its connection is killed, and a closed bus ignores the death of its old connection", async () => {
    const admin = pool();
    const bus = postgresEventBus(Promise.resolve(pool()), log);
    await bus.publish({ type: "push", nodeId: "warm-up" });
    expect(await dropListeners(admin)).toBeGreaterThan(0);
    const id = `after-${Date.now()}`;
    // Publish until the re-established LISTEN hears one (it reconnects after a short backoff).
    const heard = next(bus, (m) => m.type === "push" && m.nodeId === id);
    const publishing = setInterval(() => void bus.publish({ type: "push", nodeId: id }).catch(() => undefined), 100);
    try {
      expect(await heard).toEqual({ type: "push", nodeId: id });
    } finally {
      clearInterval(publishing);
    }
    await bus.close();
    // After close, the connection's end must not release it twice or reconnect (no uncaught error).
    await dropListeners(admin);
    await new Promise((r) => setTimeout(r, 300));
  });
});
