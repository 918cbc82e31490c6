import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { sql } from "drizzle-orm";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { generateKeyAndCsr } from "@ha-master/agent";
import { AgentService } from "@ha-master/protocol";
import { DATABASES, httpConfig, makeCertificate, startTestMaster, type TestMaster } from "@ha-master/master/testing";
import { createToken, enrollAgent, eventually, type SimAgent } from "./support/fleet.js";

/**
 * The fleet in one process: the real master (HTTP API + gRPC with mTLS) and real agent stream
 * clients, whose appliers only remember what they applied. Real HAProxy runs in fleet-haproxy.test.ts.
 */
describe.each(DATABASES)("enrolment, streams and rollouts on %s", (kind) => {
  let m: TestMaster;
  const agents: SimAgent[] = [];
  beforeAll(async () => {
    m = await startTestMaster(kind);
    await m.request("operator", "POST", "/api/v1/clusters", { name: "edge" });
    for (let v = 1; v <= 4; v++) {
      const res = await m.request("operator", "POST", "/api/v1/clusters/edge/configs", {
        content: httpConfig({ port: 8000 + v }),
        message: `v${v}`,
        baseVersion: v - 1,
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await m?.close();
  });

  const deploy = async (version: number, extra: object = {}) => {
    const res = await m.request("operator", "POST", "/api/v1/clusters/edge/deployments", { version, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; status: string; note: string | null };
  };
  const deployment = async (id: string) => (await m.request("viewer", "GET", `/api/v1/clusters/edge/deployments/${id}`)).body;
  const finished = async (id: string) => {
    let d: any;
    await eventually(`deployment ${id} to end`, async () => {
      d = await deployment(id);
      return !["pending", "running"].includes(d.status);
    });
    return d;
  };
  // Revoked nodes stay listed (with revokedAt) but are no longer part of rollouts.
  const nodes = async () => ((await m.request("viewer", "GET", "/api/v1/nodes?clusterId=edge")).body.items as any[]).filter((n) => !n.revokedAt);
  let v2Deployment = "";

  it("enrols three nodes with one 3-use token; they connect and show up online", async () => {
    const token = await createToken(m, "edge", 3);
    expect(token.joinCommand).toMatch(new RegExp(`^ha-agent join --master (localhost|127\\.0\\.0\\.1):\\d+ --token hmj_\\S+ --ca-hash sha256:[0-9a-f]{64}$`));
    for (const name of ["node-a", "node-b", "node-c"]) {
      agents.push(await enrollAgent(m, token, name, { outcome: (b) => (b.version === 3 && name === "node-c" ? fail("line 12: bad") : undefined) }));
    }
    await eventually("three nodes online", async () => (await nodes()).filter((n) => n.online).length === 3);
    const listed = await nodes();
    expect(listed.map((n) => n.name)).toEqual(["node-a", "node-b", "node-c"]);
    expect(listed[0]).toMatchObject({ clusterName: "edge", appliedVersion: null, drift: false, inSync: false, agentVersion: expect.any(String) });
    expect((await m.request("viewer", "GET", "/api/v1/clusters/edge")).body.nodeCount).toBe(3);
  });

  it("refuses a token once its uses are spent", async () => {
    const token = await createToken(m, "edge", 1);
    agents.push(await enrollAgent(m, token, "node-d"));
    await expect(enrollAgent(m, token, "node-e")).rejects.toThrow(/used up/);
    const d = agents.pop()!;
    await d.stop();
    await m.request("admin", "POST", `/api/v1/nodes/${d.nodeId}/revoke`);
  });

  it("deploys v1: canary first, then batches; every node ACKs and is in sync", async () => {
    const created = await deploy(1, { batchSize: 1 });
    const d = await finished(created.id);
    expect(d.status).toBe("succeeded");
    expect(d.targets.map((t: any) => [t.nodeName, t.batch, t.status])).toEqual([
      ["node-a", 0, "succeeded"],
      ["node-b", 1, "succeeded"],
      ["node-c", 2, "succeeded"],
    ]);
    expect(agents.slice(0, 3).map((a) => a.applier.appliedCount)).toEqual([1, 1, 1]);
    await eventually("in sync", async () => (await nodes()).every((n) => n.inSync && n.appliedVersion === 1));
    const cluster = (await m.request("viewer", "GET", "/api/v1/clusters/edge")).body;
    expect(cluster.desiredVersion).toBe(1);
  });

  it("does nothing when the same version is deployed again, and says so", async () => {
    const created = await deploy(1);
    expect(created.status).toBe("succeeded");
    expect(created.note).toMatch(/every node already runs version 1/);
    expect(agents.slice(0, 3).map((a) => a.applier.appliedCount)).toEqual([1, 1, 1]);
  });

  it("streams progress as Server-Sent Events until the end", async () => {
    const created = await deploy(2, { batchSize: 2 });
    v2Deployment = created.id;
    const res = await m.app.inject({
      url: `/api/v1/clusters/edge/deployments/${created.id}/events`,
      headers: { authorization: `Bearer ${m.tokens.viewer}` },
    });
    expect(res.headers["content-type"]).toMatch(/text\/event-stream/);
    const events = [...res.body.matchAll(/^event: (\w+)$/gm)].map((x) => x[1]);
    expect(events[0]).toBe("snapshot");
    expect(events.at(-1)).toBe("end");
    const last = JSON.parse([...res.body.matchAll(/^data: (.*)$/gm)].at(-2)![1]!);
    expect(last.status).toBe("succeeded");
  });

  it("halts when a node NACKs and rolls the switched nodes back to the previous version", async () => {
    const created = await deploy(3, { batchSize: 1 });
    const d = await finished(created.id);
    expect(d.status).toBe("rolled_back");
    expect(d.error).toMatch(/node-c refused version 3: validate: line 12: bad/);
    const byName = Object.fromEntries(d.targets.map((t: any) => [t.nodeName, t]));
    expect(byName["node-a"].status).toBe("rolled_back");
    expect(byName["node-b"].status).toBe("rolled_back");
    expect(byName["node-c"]).toMatchObject({ status: "failed", errorLines: [{ file: "haproxy.cfg", line: 12, message: "bad" }] });
    await eventually("all back on v2", async () => (await nodes()).every((n) => n.appliedVersion === 2 && n.inSync));
  });

  it("stops at the canary: the other nodes are never touched", async () => {
    const counts = agents.map((a) => a.applier.appliedCount);
    // node-c is the canary when it is listed first: make it so by rolling out to it alone first.
    const token = await createToken(m, "edge", 1);
    const bad = await enrollAgent(m, token, "aa-canary", { outcome: () => fail("line 3: nope") });
    agents.push(bad);
    await eventually("canary online", async () => (await nodes()).some((n) => n.name === "aa-canary" && n.online));
    const created = await deploy(4, { batchSize: 5 });
    const d = await finished(created.id);
    expect(d.status).toBe("failed");
    expect(d.targets.find((t: any) => t.batch === 0).nodeName).toBe("aa-canary");
    expect(d.targets.filter((t: any) => t.nodeName !== "aa-canary").every((t: any) => t.status === "cancelled")).toBe(true);
    expect(agents.slice(0, 3).map((a) => a.applier.appliedCount)).toEqual(counts.slice(0, 3));
    await bad.stop();
    await m.request("admin", "POST", `/api/v1/nodes/${bad.nodeId}/revoke`);
    agents.pop();
  });

  it("rolls back in one action: a new deployment of the version before", async () => {
    const res = await m.request("operator", "POST", `/api/v1/clusters/edge/deployments/${v2Deployment}/rollback`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "rollback", rollbackOf: v2Deployment, version: 1, autoRollback: false });
    expect((await finished(res.body.id)).status).toBe("succeeded");
    await eventually("all on v1", async () => (await nodes()).every((n) => n.appliedVersion === 1 && n.inSync));
    const first = (await m.request("viewer", "GET", "/api/v1/clusters/edge/deployments?limit=50")).body.items.at(-1);
    const refused = await m.request("operator", "POST", `/api/v1/clusters/edge/deployments/${first.id}/rollback`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/first: there is no earlier version/);
  });

  it("lets a node offline during a rollout converge when it reconnects", async () => {
    const c = agents[2]!;
    await c.stop();
    await eventually("node-c offline", async () => !(await nodes()).find((n) => n.name === "node-c").online, 20_000);
    const created = await deploy(2, { batchSize: 5 });
    const d = await finished(created.id);
    expect(d.status).toBe("succeeded");
    expect(d.note).toMatch(/1 node\(s\) were offline/);
    expect(d.targets.find((t: any) => t.nodeName === "node-c").status).toBe("pending");
    await c.start();
    await eventually("node-c converged", async () => (await deployment(created.id)).targets.find((t: any) => t.nodeName === "node-c").status === "succeeded");
    expect((await nodes()).find((n) => n.name === "node-c")).toMatchObject({ appliedVersion: 2, inSync: true });
  });

  it("closes a revoked node's stream at once and refuses it from then on", async () => {
    const token = await createToken(m, "edge", 1);
    const r = await enrollAgent(m, token, "node-revoked");
    await eventually("connected", () => r.handle?.connected === true);
    const res = await m.request("admin", "POST", `/api/v1/nodes/${r.nodeId}/revoke`);
    expect(res.body.revokedAt).not.toBeNull();
    await eventually("disconnected", () => r.handle?.connected === false);
    await new Promise((x) => setTimeout(x, 500));
    expect(r.handle?.connected).toBe(false);
    expect(r.events.some((e) => e.type === "disconnected")).toBe(true);
    await r.stop();
  });

  it("refuses a stream without a client certificate, and one from a foreign CA", async () => {
    const insecure = createGrpcTransport({ baseUrl: `https://${m.grpcAddress}`, nodeOptions: { rejectUnauthorized: false } });
    const call = async (transport: typeof insecure) => {
      const client = createClient(AgentService, transport);
      for await (const _ of client.connect((async function* () { yield { msg: { case: "hello" as const, value: {} } }; })())) break;
    };
    await expect(call(insecure)).rejects.toThrow(/client certificate issued by this master's CA is required/);
    const foreignCa = await makeCertificate({ cn: "Foreign CA", ca: true });
    const foreign = await makeCertificate({ cn: agents[0]!.nodeId, issuer: foreignCa });
    const spoof = createGrpcTransport({
      baseUrl: `https://${m.grpcAddress}`,
      nodeOptions: { rejectUnauthorized: false, key: foreign.keyPem, cert: foreign.certPem },
    });
    await expect(call(spoof)).rejects.toThrow(/client certificate issued by this master's CA is required/);
  });

  it("identifies a stream by its certificate only: an agent cannot speak for another node", async () => {
    const [a, b] = agents;
    const credsA = (await a!.store.readCredentials())!;
    const transport = createGrpcTransport({
      baseUrl: `https://${m.grpcAddress}`,
      nodeOptions: { key: credsA.keyPem, cert: credsA.certPem, ca: credsA.caPem, servername: "localhost" },
    });
    const before = (await nodes()).find((n) => n.name === "node-b");
    const client = createClient(AgentService, transport);
    // Node A's certificate, a Hello claiming B's state: the master answers as to node A.
    for await (const msg of client.connect((async function* () {
      yield { msg: { case: "hello" as const, value: { appliedHash: "forged-by-a", hostname: "node-b", mode: "supervised" } } };
      await new Promise((r) => setTimeout(r, 300));
    })())) {
      expect(msg.msg.case).toBe("welcome");
      expect(msg.msg.value).toMatchObject({ nodeId: a!.nodeId });
      break;
    }
    const after = (await nodes()).find((n) => n.name === "node-b");
    expect(after.appliedHash).toBe(before.appliedHash);
    expect(b!.nodeId).not.toBe(a!.nodeId);
  });

  it("renews a node's certificate before it expires and reconnects with the new one", async () => {
    const b = agents[1]!;
    const before = (await b.store.readCredentials())!.certPem;
    // As if node-b's certificate were about to expire: the next Welcome tells it to renew now.
    await m.store.db.execute(sql`update nodes set cert_not_after = now() + interval '3 seconds' where id = ${b.nodeId}`);
    await b.stop();
    await b.start();
    await eventually("node-b renewed", () => b.events.some((e) => e.type === "renewed"));
    const after = (await b.store.readCredentials())!.certPem;
    expect(after).not.toBe(before);
    await eventually("node-b online with its new certificate", async () => b.handle?.connected === true && (await nodes()).find((n) => n.name === "node-b").online);
    const row = (await m.store.db.execute(sql`select previous_cert_serial, cert_not_after from nodes where id = ${b.nodeId}`)) as any;
    const [fields] = row.rows ?? row;
    // It connected with the new certificate, so the old one is refused from now on.
    expect(fields.previous_cert_serial).toBeNull();
    expect(new Date(fields.cert_not_after).getTime()).toBeGreaterThan(Date.now() + 3600_000);
  });

  it("refuses a certificate a renewal replaced, once the node has used the new one", async () => {
    const a = agents[0]!;
    await a.stop();
    const old = (await a.store.readCredentials())!;
    const client = (creds: { keyPem: string; certPem: string; caPem: string }) =>
      createClient(
        AgentService,
        createGrpcTransport({ baseUrl: `https://${m.grpcAddress}`, nodeOptions: { key: creds.keyPem, cert: creds.certPem, ca: creds.caPem, servername: "localhost" } }),
      );
    const hello = async (creds: typeof old) => {
      for await (const msg of client(creds).connect((async function* () {
        yield { msg: { case: "hello" as const, value: { mode: "supervised" } } };
        await new Promise((r) => setTimeout(r, 200));
      })())) return msg.msg.case;
      return undefined;
    };
    const { keyPem, csrPem } = await generateKeyAndCsr(a.name);
    const renewed = await client(old).renew({ csrPem });
    const fresh = { keyPem, certPem: renewed.certificatePem, caPem: old.caPem };
    // Until the node uses its new certificate, the old one still works: it may have crashed before saving the new one.
    expect(await hello(old)).toBe("welcome");
    expect(await hello(fresh)).toBe("welcome");
    await expect(hello(old)).rejects.toThrow(/replaced by a renewal and is no longer accepted/);
    await expect(client(old).renew({ csrPem: (await generateKeyAndCsr(a.name)).csrPem })).rejects.toThrow(/replaced by a renewal/);
    await a.store.saveRenewed(fresh);
    await a.start();
    await eventually("node-a back with its renewed certificate", async () => (await nodes()).find((n) => n.name === "node-a").online && a.handle?.connected === true);
  });

  it("audits enrolments, revocations and deployments", async () => {
    const actions = (await m.request("admin", "GET", "/api/v1/audit?limit=200")).body.items.map((r: any) => r.action);
    for (const a of ["enrollment_token.create", "node.enroll", "node.revoke", "deployment.create", "deployment.finish"]) expect(actions).toContain(a);
  });
});

function fail(error: string) {
  const [, line, message] = /line (\d+): (.*)/.exec(error)!;
  return { ok: false as const, stage: "validate" as const, error, lines: [{ file: "haproxy.cfg", line: Number(line), message: message! }], durationMs: 1 };
}
