import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, startTestMaster, type TestMaster } from "@ha-master/master/testing";
import { createToken, enrollAgent, eventually, type SimAgent } from "./support/fleet.js";

const servers = () => [
  { proxy: "be_app", server: "old", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0 },
  { proxy: "be_app", server: "new", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0 },
];

/**
 * Runtime server states across a cluster, in one process: the real master and real agent stream
 * clients whose appliers keep server states in memory. Real HAProxy: fleet-haproxy.test.ts.
 */
describe.each(DATABASES)("setting a server's state on every node on %s", (kind) => {
  let m: TestMaster;
  const agents: SimAgent[] = [];
  beforeAll(async () => {
    m = await startTestMaster(kind, { RUNTIME_COMMAND_TIMEOUT_SECONDS: 1 });
    await m.request("operator", "POST", "/api/v1/clusters", { name: "edge" });
    await m.request("operator", "POST", "/api/v1/clusters", { name: "empty" });
    const token = await createToken(m, "edge", 3);
    for (const name of ["lb1", "lb2", "lb3"]) agents.push(await enrollAgent(m, token, name, { servers: servers() }));
    await eventually("three nodes online", async () => (await nodes()).filter((n) => n.online).length === 3);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await m?.close();
  });

  const nodes = async () => (await m.request("viewer", "GET", "/api/v1/nodes?clusterId=edge")).body.items as any[];
  const setState = (body: object, role: "operator" | "viewer" = "operator", cluster = "edge") =>
    m.request(role, "POST", `/api/v1/clusters/${cluster}/server-state`, body);
  const statusOn = async (node: string, server: string) =>
    (await nodes()).find((n) => n.name === node).servers.find((s: any) => s.proxy === "be_app" && s.server === server)?.status;

  it("drains a server on every node and answers with one result per node", async () => {
    const res = await setState({ backend: "be_app", server: "old", state: "drain" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ backend: "be_app", server: "old", state: "drain", ok: true });
    expect(res.body.nodes.map((n: any) => [n.nodeName, n.status])).toEqual([
      ["lb1", "ok"],
      ["lb2", "ok"],
      ["lb3", "ok"],
    ]);
    // The nodes' heartbeats report the new state; the other server is untouched.
    await eventually("DRAIN reported by all", async () => {
      const states = await Promise.all(["lb1", "lb2", "lb3"].map((n) => statusOn(n, "old")));
      return states.every((s) => s === "DRAIN");
    });
    expect(await statusOn("lb1", "new")).toBe("UP");
  });

  it("reports HAProxy's refusal per node and ok=false", async () => {
    const res = await setState({ backend: "be_app", server: "missing", state: "maint" });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.nodes.every((n: any) => n.status === "failed" && /No such server/.test(n.error))).toBe(true);
  });

  it("names an offline node as not changed, and a node that does not answer as timeout", async () => {
    const [lb1, lb2] = agents;
    await lb1!.stop();
    await eventually("lb1 offline", async () => !(await nodes()).find((n) => n.name === "lb1").online, 20_000);
    // lb2's HAProxy hangs on the runtime API.
    const original = lb2!.applier.setServerState.bind(lb2!.applier);
    lb2!.applier.setServerState = () => new Promise(() => undefined);
    try {
      const started = Date.now();
      const res = await setState({ backend: "be_app", server: "old", state: "ready" });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.body.ok).toBe(false);
      expect(res.body.nodes.map((n: any) => [n.nodeName, n.status])).toEqual([
        ["lb1", "offline"],
        ["lb2", "timeout"],
        ["lb3", "ok"],
      ]);
      expect(res.body.nodes[0].error).toMatch(/offline/);
      expect(res.body.nodes[1].error).toMatch(/no answer within 1 s/);
    } finally {
      lb2!.applier.setServerState = original;
      await lb1!.start();
      await eventually("lb1 back", async () => (await nodes()).find((n) => n.name === "lb1").online, 20_000);
    }
  });

  it("refuses bad input before anything is sent, naming the field", async () => {
    for (const [body, field] of [
      [{ backend: "be_app", server: "old; shutdown sessions", state: "drain" }, "server"],
      [{ backend: "be app", server: "old", state: "drain" }, "backend"],
      [{ backend: "be_app", server: "old", state: "down" }, "state"],
    ] as const) {
      const res = await setState(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}\\b`));
    }
    expect((await setState({ backend: "be_app", server: "old" })).status).toBe(400);
    expect((await setState({ backend: "be_app", server: "old", state: "drain" }, "operator", "nope")).status).toBe(404);
    const empty = await setState({ backend: "be_app", server: "old", state: "drain" }, "operator", "empty");
    expect(empty.status).toBe(409);
    expect(empty.body.error.message).toMatch(/no nodes/);
    // lb3 took "ready" above (its heartbeat reports it shortly); nothing since has changed it.
    await eventually("lb3 reports old UP", async () => (await statusOn("lb3", "old")) === "UP");
  });

  it("reaches a cluster of any size: the command names the cluster, not its nodes (NOTIFY carries 8,000 bytes)", async () => {
    await m.request("operator", "POST", "/api/v1/clusters", { name: "big" });
    const big = (await m.request("viewer", "GET", "/api/v1/clusters/big")).body;
    // 300 nodes that look online (a stream on some replica, a recent heartbeat) but answer nothing here.
    await m.store.db.execute(sql`
      insert into nodes (cluster_id, name, cert_serial, cert_not_after, connected_to, last_seen_at)
      select ${big.id}, 'ghost-' || lpad(i::text, 3, '0'), 'ghost-serial-' || i, now() + interval '1 day', 'elsewhere', now()
      from generate_series(1, 300) as i`);
    const res = await setState({ backend: "be_app", server: "old", state: "drain" }, "operator", "big");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.nodes).toHaveLength(300);
    expect(new Set(res.body.nodes.map((n: any) => n.status))).toEqual(new Set(["timeout"]));
  });

  it("is for operators, and audited with every node's outcome", async () => {
    expect((await setState({ backend: "be_app", server: "old", state: "drain" }, "viewer")).status).toBe(403);
    const audit = (await m.request("admin", "GET", "/api/v1/audit?action=server.set_state")).body.items;
    expect(audit.length).toBeGreaterThanOrEqual(3);
    const timeoutRecord = audit.find((r: any) => r.summary.after.nodes.lb2 === "timeout");
    expect(timeoutRecord).toMatchObject({
      actorName: "operator",
      targetType: "cluster",
      targetName: "edge",
      summary: { after: { backend: "be_app", server: "old", state: "ready", ok: false, nodes: { lb1: "offline", lb2: "timeout", lb3: "ok" } } },
    });
  });
});
