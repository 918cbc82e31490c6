import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryApplier, join, MemoryStateStore, silentLogger, startAgent, type AgentHandle } from "@ha-master/agent";
import { httpConfig, TEST_POSTGRES_URL } from "@ha-master/master/testing";
import { eventually } from "./support/fleet.js";
import { startMaster, type MasterProcess } from "./support/master-process.js";

interface Node {
  name: string;
  handle: AgentHandle;
  applier: InMemoryApplier;
}

/**
 * Two master processes on one PostgreSQL, as replicas run in production: each holds the streams
 * of the agents that dialled it, and whatever is asked of either replica reaches every node
 * through LISTEN/NOTIFY — deployments, runtime commands, revocations.
 */
describe("two master replicas sharing one PostgreSQL", () => {
  const database = `hamaster_r_${randomBytes(6).toString("hex")}`;
  let a: MasterProcess;
  let b: MasterProcess;
  let tokenA = "";
  let tokenB = "";
  const nodes: Node[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${database}`;
    const shared = {
      DATABASE_URL: url.toString(),
      JWT_SECRET: randomBytes(32).toString("hex"),
      CERT_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      HEARTBEAT_INTERVAL_SECONDS: "1",
      DEPLOY_ACK_TIMEOUT_SECONDS: "15",
    };
    a = await startMaster({ ...shared, POD_NAME: "replica-a" });
    b = await startMaster({ ...shared, POD_NAME: "replica-b" });
    tokenA = await a.login();
    tokenB = await b.login();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.handle.stop()));
    await a?.stop();
    await b?.stop();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  const listNodes = async () => (await a.api(tokenA, "GET", "/api/v1/nodes")).body.items as any[];

  it("enrols a node on each replica with one token; both see both nodes online", async () => {
    expect((await a.api(tokenA, "POST", "/api/v1/clusters", { name: "edge" })).status).toBe(201);
    const token = (await b.api(tokenB, "POST", "/api/v1/enrollment-tokens", { clusterId: "edge", uses: 2 })).body;
    const caHash = /--ca-hash (\S+)/.exec(token.joinCommand)![1]!;
    for (const [name, replica] of [["lb1", a], ["lb2", b]] as const) {
      const master = `127.0.0.1:${replica.grpcPort}`;
      const store = new MemoryStateStore();
      await join({ master, token: token.token, caHash, store, name, log: silentLogger() });
      const applier = new InMemoryApplier({ servers: [{ proxy: "be_app", server: "s1", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0 }] });
      const handle = await startAgent({
        master,
        credentials: (await store.readCredentials())!,
        applier,
        log: silentLogger(),
        hostname: name,
        backoff: { baseMs: 50, capMs: 500 },
      });
      nodes.push({ name, handle, applier });
    }
    await eventually("two nodes online", async () => (await listNodes()).filter((n) => n.online).length === 2, 20_000);
    expect((await b.api(tokenB, "GET", "/api/v1/nodes")).body.items.map((n: any) => [n.name, n.online])).toEqual([
      ["lb1", true],
      ["lb2", true],
    ]);
  });

  it("deploys through one replica to the nodes of both", async () => {
    const saved = await a.api(tokenA, "POST", "/api/v1/clusters/edge/configs", { content: httpConfig({ port: 8001 }), message: "v1", baseVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    // lb1's stream is on replica A; the deployment is driven by replica B.
    const created = await b.api(tokenB, "POST", "/api/v1/clusters/edge/deployments", { version: 1, batchSize: 1 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    let d: any;
    await eventually("deployment finished", async () => {
      d = (await a.api(tokenA, "GET", `/api/v1/clusters/edge/deployments/${created.body.id}`)).body;
      return !["pending", "running"].includes(d.status);
    }, 30_000);
    expect(d.status).toBe("succeeded");
    expect(d.targets.map((t: any) => t.status)).toEqual(["succeeded", "succeeded"]);
    expect(nodes.map((n) => n.applier.appliedCount)).toEqual([1, 1]);
    expect((await listNodes()).map((n) => n.appliedVersion)).toEqual([1, 1]);
  });

  it("carries a runtime command to a node held by the other replica, and its answer back", async () => {
    for (const [replica, token] of [[a, tokenA], [b, tokenB]] as const) {
      const res = await replica.api(token, "POST", "/api/v1/clusters/edge/server-state", { backend: "be_app", server: "s1", state: "drain" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.nodes.map((n: any) => [n.nodeName, n.status])).toEqual([
        ["lb1", "ok"],
        ["lb2", "ok"],
      ]);
    }
    for (const n of nodes) expect((await n.applier.status()).servers[0]?.status).toBe("DRAIN");
  });

  it("closes a revoked node's stream on the replica that holds it", async () => {
    const lb2 = (await listNodes()).find((n) => n.name === "lb2");
    // lb2 is on replica B; the revocation goes through replica A.
    expect((await a.api(tokenA, "POST", `/api/v1/nodes/${lb2.id}/revoke`)).status).toBe(200);
    await eventually("lb2 disconnected", () => nodes[1]!.handle.connected === false, 15_000);
    expect((await b.api(tokenB, "GET", "/api/v1/nodes")).body.items.find((n: any) => n.name === "lb2")).toMatchObject({ online: false });
  });
});
